"""The colours of 3Blue1Brown's chapter 4, by the quantity they stand for."""

from __future__ import annotations

from manim import BLUE, GREEN, MAROON_B, RED, TEAL, WHITE, YELLOW, ManimColor

__all__ = [
    "W_POSITIVE",
    "W_NEGATIVE",
    "BIAS",
    "Z",
    "COST",
    "TARGET",
    "SIGMA",
    "ACTIVATION",
    "HIGHLIGHT",
    "ACCURACY",
    "weight_color",
    "color_of",
]

W_POSITIVE: ManimColor = BLUE
W_NEGATIVE: ManimColor = RED
BIAS: ManimColor = MAROON_B
Z: ManimColor = GREEN
COST: ManimColor = RED
TARGET: ManimColor = YELLOW
SIGMA: ManimColor = YELLOW
ACTIVATION: ManimColor = WHITE
HIGHLIGHT: ManimColor = YELLOW
ACCURACY: ManimColor = TEAL  # a test score: no quantity of the network, so none of theirs


def weight_color(w: float) -> ManimColor:
    """Blue for a positive weight, red for a negative one."""
    return W_POSITIVE if w >= 0 else W_NEGATIVE


def color_of(symbol: str) -> ManimColor:
    """The colour of a quantity by its symbol: w, b, z, a, y or C0 (w default blue)."""
    return {
        "w": W_POSITIVE,
        "b": BIAS,
        "z": Z,
        "a": ACTIVATION,
        "y": TARGET,
        "x": ACTIVATION,
        "C0": COST,
    }[symbol]
