"""Typst spellings of the chain's quantities, in the video's layer names."""

from __future__ import annotations

import re

from bpcalc.viz.book import layer_name

__all__ = ["symbol", "partial", "split_key"]


def split_key(key: str) -> tuple[str, int | None]:
    """``"w3"`` → ``("w", 3)``; ``"C0"`` and ``"y"`` have no layer."""
    if key in ("C0", "y"):
        return key, None
    match = re.fullmatch(r"([a-z])(\d+)", key)
    if not match:
        raise ValueError(f"not a chain quantity: {key!r}")
    return match.group(1), int(match.group(2))


def symbol(key: str, depth: int) -> str:
    """Typst math for a chain quantity: ``w3`` → ``w^((L))`` when the depth is 3."""
    name, layer = split_key(key)
    if layer is None:
        return "C_0" if name == "C0" else name
    return f"{name}^(({layer_name(layer, depth)}))"


def partial(top: str, bottom: str, depth: int) -> str:
    """Typst math for the local derivative ∂top/∂bottom."""
    return f"(partial {symbol(top, depth)})/(partial {symbol(bottom, depth)})"
