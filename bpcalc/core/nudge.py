"""Nudges: push one quantity of the chain by Δ and watch z, a and C0 follow.

Each nudge records the exact changes (a second forward pass) beside the
linear estimates the chain rule predicts, so a scene can show both and a test
can show that ΔC0/Δ converges to ∂C0/∂(quantity) as Δ shrinks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpcalc.core.network import Network, backward, cost_terms, forward, sigmoid, sigmoid_prime

__all__ = ["Nudge", "nudge_chain", "shrinking_nudges", "NUDGEABLE"]

NUDGEABLE = ("w", "b", "a")  # w^(L), b^(L), or the previous activation a^(L−1)


@dataclass(frozen=True)
class Nudge:
    """The effect of changing one quantity feeding z^(layer) by ``delta``.

    ``dz``, ``da`` are the exact changes of z^(layer), a^(layer); ``dC`` of the cost.
    ``dz_linear`` = (∂z/∂quantity)·Δ, ``da_linear`` = σ′(z)·Δz,
    ``dC_linear`` = (∂C0/∂a^(layer))·Δa: each step of the chain rule applied to
    the exact change before it. ``dC_first_order`` = (∂C0/∂quantity)·Δ.
    """

    quantity: str
    layer: int
    delta: float
    dz: float
    da: float
    dC: float
    dz_linear: float
    da_linear: float
    dC_linear: float
    dC_first_order: float
    gradient: float
    before: tuple[float, float, float, float]  # the quantity, z, a^(layer) and C0 before
    after: tuple[float, float, float, float]  # ... and after the nudge

    @property
    def ratio(self) -> float:
        """ΔC0/Δ, which tends to ∂C0/∂(quantity) as Δ → 0."""
        return self.dC / self.delta

    @property
    def hop_z(self) -> float:
        """Δz/Δ, the first hop's ratio of nudges: it tends to ∂z/∂(quantity)."""
        return self.dz / self.delta

    @property
    def hop_a(self) -> float:
        """Δa/Δz, the second hop's: it tends to σ′(z)."""
        return self.da / self.dz

    @property
    def hop_c(self) -> float:
        """ΔC0/Δa, the last hop's: it tends to ∂C0/∂a; the three multiply to :attr:`ratio`."""
        return self.dC / self.da


def _run_from(net: Network, layer: int, a_prev: float, w: float, b: float) -> tuple[float, ...]:
    """z and a of ``layer`` and the output activation, from a^(layer−1) onwards."""
    z = w * a_prev + b
    a = float(sigmoid(z))
    out = a
    for later in range(layer, len(net.weights)):
        out = float(sigmoid(net.weights[later][0, 0] * out + net.biases[later][0]))
    return z, a, out


def nudge_chain(net: Network, x: float, y: float, quantity: str, layer: int, delta: float) -> Nudge:
    """Nudge w^(layer), b^(layer) or a^(layer−1) of a chain by ``delta``."""
    if quantity not in NUDGEABLE:
        raise ValueError(f"quantity must be one of {NUDGEABLE}, not {quantity!r}")
    fwd = forward(net, np.array([x]))
    grads = backward(net, fwd, np.array([y]))
    a_prev = float(fwd.a[layer - 1][0])
    w = float(net.weights[layer - 1][0, 0])
    b = float(net.biases[layer - 1][0])
    z0, a0, out0 = _run_from(net, layer, a_prev, w, b)
    shifted = {
        "w": (a_prev, w + delta, b),
        "b": (a_prev, w, b + delta),
        "a": (a_prev + delta, w, b),
    }[quantity]
    z1, a1, out1 = _run_from(net, layer, *shifted)
    c0, c1 = float(cost_terms(out0, y)), float(cost_terms(out1, y))
    dz, da, dC = z1 - z0, a1 - a0, c1 - c0
    index = NUDGEABLE.index(quantity)
    q0 = (w, b, a_prev)[index]
    dz_dq = {"w": a_prev, "b": 1.0, "a": w}[quantity]
    gradient = {
        "w": grads.dC_dw[layer - 1][0, 0],
        "b": grads.dC_db[layer - 1][0],
        "a": grads.dC_da[layer - 1][0],
    }[quantity]
    return Nudge(
        quantity=quantity,
        layer=layer,
        delta=delta,
        dz=dz,
        da=da,
        dC=dC,
        dz_linear=dz_dq * delta,
        da_linear=float(sigmoid_prime(z0)) * dz,
        dC_linear=float(grads.dC_da[layer][0]) * da,
        dC_first_order=float(gradient) * delta,
        gradient=float(gradient),
        before=(q0, z0, a0, c0),
        after=(q0 + delta, z1, a1, c1),
    )


def shrinking_nudges(
    net: Network,
    x: float,
    y: float,
    quantity: str,
    layer: int,
    delta: float,
    shrink: float,
    steps: int,
) -> tuple[Nudge, ...]:
    """Nudges of Δ, Δ/shrink, Δ/shrink², …: their ratios ΔC0/Δ converge to the gradient."""
    return tuple(nudge_chain(net, x, y, quantity, layer, delta / shrink**n) for n in range(steps))
