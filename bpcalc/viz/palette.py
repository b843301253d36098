"""The colours of 3Blue1Brown's chapter 4, by the quantity they stand for."""

from __future__ import annotations

from manim import (
    BLUE,
    GREEN,
    MAROON_B,
    ORANGE,
    PINK,
    PURPLE_A,
    RED,
    TEAL,
    WHITE,
    YELLOW,
    ManimColor,
)

__all__ = [
    "W_POSITIVE",
    "W_NEGATIVE",
    "BIAS",
    "BIAS_APART",
    "Z",
    "COST",
    "COST_APART",
    "TARGET",
    "SIGMA",
    "GRADIENT",
    "ACTIVATION",
    "HIGHLIGHT",
    "BRIGHT",
    "ACCURACY",
    "weight_color",
    "color_of",
]

W_POSITIVE: ManimColor = BLUE
W_NEGATIVE: ManimColor = RED
BIAS: ManimColor = MAROON_B
Z: ManimColor = GREEN
COST: ManimColor = RED
# the cost beside a negative weight, which is red too: one meaning per colour in a picture
COST_APART: ManimColor = PINK
# the bias beside that pink cost: maroon is too near it, and red is a negative weight's
BIAS_APART: ManimColor = ORANGE
TARGET: ManimColor = YELLOW
SIGMA: ManimColor = YELLOW
# what the cost asks of a quantity: δ_j and every ∂C₀/∂·, apart from the target's yellow
GRADIENT: ManimColor = PURPLE_A
ACTIVATION: ManimColor = WHITE
HIGHLIGHT: ManimColor = YELLOW
BRIGHT = 0.5  # above this a pixel's or neuron's brightness, the number on it turns black
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
