"""Check backpropagation against central differences, parameter by parameter."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpcalc.core.network import Network, backward, cost, forward

__all__ = ["GradCheck", "gradient_check", "relative_error", "STEP", "FLOOR"]

STEP = 1e-6  # h in (C(θ + h) − C(θ − h)) / 2h
FLOOR = 1e-4  # below this size a gradient is compared absolutely: round-off dominates there


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> np.ndarray:
    """|analytic − numeric| / max(|analytic|, |numeric|, FLOOR)."""
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), FLOOR)
    error: np.ndarray = np.abs(analytic - numeric) / scale
    return error


@dataclass(frozen=True)
class GradCheck:
    """How many parameters were checked and the worst relative error among them."""

    count: int
    max_relative_error: float
    worst: str


def _numeric(net: Network, x: np.ndarray, y: np.ndarray, kind: str, layer: int) -> np.ndarray:
    params = net.weights if kind == "w" else net.biases
    target = params[layer]
    numeric = np.zeros_like(target)
    for index in np.ndindex(target.shape):
        original = target[index]
        target[index] = original + STEP
        up = float(cost(forward(net, x).a[-1], y))
        target[index] = original - STEP
        down = float(cost(forward(net, x).a[-1], y))
        target[index] = original
        numeric[index] = (up - down) / (2 * STEP)
    return numeric


def gradient_check(net: Network, x: np.ndarray, y: np.ndarray) -> GradCheck:
    """Compare every ∂C0/∂w and ∂C0/∂b of one example with central differences."""
    net = Network(tuple(w.copy() for w in net.weights), tuple(b.copy() for b in net.biases))
    grads = backward(net, forward(net, x), y)
    worst, worst_name, count = 0.0, "", 0
    for kind, analytic_all in (("w", grads.dC_dw), ("b", grads.dC_db)):
        for layer, analytic in enumerate(analytic_all):
            errors = relative_error(analytic, _numeric(net, x, y, kind, layer))
            count += errors.size
            at = np.unravel_index(np.argmax(errors), errors.shape)
            if errors[at] >= worst:
                worst = float(errors[at])
                worst_name = f"{kind}^({layer + 1}) at {tuple(int(i) for i in at)}"
    return GradCheck(count, worst, worst_name)
