"""Typst spellings of quantities, in the video's layer names (L, L−1, …)."""

from __future__ import annotations

from bpcalc.numbers.quantities import Quantity

__all__ = ["symbol", "partial", "spoken"]


def symbol(quantity: Quantity, index: bool = True) -> str:
    """Typst math for a network quantity: ``w_(3,7)^((L))``, ``a^((L-1))`` for the chain
    (no index), ``C_0``, ``y_3``; ``index=False`` drops the neuron indices."""
    name = {"C0": "C_0", "sigma_prime": "sigma'"}.get(quantity.kind, quantity.kind)
    if name == "C_0":
        return name
    subscript = f"_({','.join(map(str, quantity.index))})" if index and quantity.index else ""
    if quantity.kind == "sigma_prime":
        inner = Quantity("z", quantity.layer, quantity.index, quantity.run)
        return f"sigma'({symbol(inner, index)})"
    if quantity.layer is None:
        return f"{name}{subscript}"
    return f"{name}{subscript}^(({quantity.layer.name}))"


def partial(top: Quantity, bottom: Quantity, index: bool = True) -> str:
    """Typst math for the derivative ∂top/∂bottom."""
    return f"(partial {symbol(top, index)})/(partial {symbol(bottom, index)})"


_SUPERSCRIPT = str.maketrans("L-0123456789()", "ᴸ⁻⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")


def spoken(quantity: Quantity) -> str:
    """A quantity's symbol as plain text for captions: ``w⁽ᴸ⁾``, ``a₃⁽ᴸ⁻¹⁾``, ``C₀``, ``y``,
    ``σ′(z⁽ᴸ⁾)``."""
    if quantity.kind == "C0":
        return "C₀"
    if quantity.kind == "sigma_prime":
        return f"σ′({spoken(Quantity('z', quantity.layer, quantity.index, quantity.run))})"
    index = ",".join(map(str, quantity.index)).translate(_SUBSCRIPT)
    layer = f"({quantity.layer.name})".translate(_SUPERSCRIPT) if quantity.layer else ""
    return f"{quantity.kind}{index}{layer}"
