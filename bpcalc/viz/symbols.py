"""Typst spellings of quantities, in the video's layer names (L, L−1, …)."""

from __future__ import annotations

from typing import assert_never

from bpcalc.numbers.quantities import (
    Activation,
    Bias,
    Cost,
    SigmaPrime,
    Symbolic,
    Target,
    Weight,
    WeightedInput,
)

__all__ = ["symbol", "partial", "spoken", "local_formula"]


def symbol(quantity: Symbolic, index: bool = True) -> str:
    """Typst math for a network quantity: ``w_(3,7)^((L))``, ``a^((L-1))`` for the chain
    (no index), ``C_0``, ``y_3``; ``index=False`` drops the neuron indices."""
    match quantity:
        case Cost():
            return "C_0"
        case SigmaPrime():
            return f"sigma'({symbol(quantity.of, index)})"
        case Target():
            return f"y{_subscript(quantity.index, index)}"
        case Weight() | Bias() | WeightedInput() | Activation():
            subscript = _subscript(quantity.index, index)
            return f"{quantity.NAME}{subscript}^(({quantity.layer.name}))"
        case _:
            assert_never(quantity)


def _subscript(indices: tuple[int, ...], shown: bool) -> str:
    return f"_({','.join(map(str, indices))})" if shown and indices else ""


def partial(top: Symbolic, bottom: Symbolic, index: bool = True) -> str:
    """Typst math for the derivative ∂top/∂bottom."""
    return f"(partial {symbol(top, index)})/(partial {symbol(bottom, index)})"


def local_formula(parent: Symbolic, child: Symbolic, index: bool = True) -> str:
    """The local derivative ∂parent/∂child written out, as Typst: 2(a − y) into the cost,
    σ′(z) into an activation, and into z the other factor of its term (a for w, w for a)
    or 1 for b."""
    match parent, child:
        case Cost(), _:
            return f"2({symbol(child, index)} - y)"
        case Activation(), _:
            return f"sigma'({symbol(child, index)})"
        case WeightedInput(), Weight():
            return symbol(Activation(parent.layer - 1, child.index[1:], child.run), index)
        case WeightedInput(), Activation():
            return symbol(Weight(parent.layer, (*parent.index, *child.index), child.run), index)
    return "1"


_SUPERSCRIPT = str.maketrans("L-0123456789()", "ᴸ⁻⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")


def spoken(quantity: Symbolic) -> str:
    """A quantity's symbol as plain text for captions: ``w⁽ᴸ⁾``, ``a₃⁽ᴸ⁻¹⁾``, ``C₀``, ``y``,
    ``σ′(z⁽ᴸ⁾)``."""
    match quantity:
        case Cost():
            return "C₀"
        case SigmaPrime():
            return f"σ′({spoken(quantity.of)})"
        case Target():
            return "y" + ",".join(map(str, quantity.index)).translate(_SUBSCRIPT)
        case Weight() | Bias() | WeightedInput() | Activation():
            index = ",".join(map(str, quantity.index)).translate(_SUBSCRIPT)
            layer = f"({quantity.layer.name})".translate(_SUPERSCRIPT)
            return f"{quantity.NAME}{index}{layer}"
        case _:
            assert_never(quantity)
