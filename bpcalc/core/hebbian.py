"""Fire together, wire together: which weights into a layer should change most.

For one example, ∂C0/∂w_jk = a_k · δ_j with δ_j = ∂C0/∂z_j: the weights from
the brightest previous neurons to the neurons with the biggest wish change
most. And the wish passed back to a previous neuron k is
∂C0/∂a_k = Σ_j w_jk σ′(z_j) 2(a_j − y_j) (for the last layer), term by term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpcalc.core.network import Forward, Gradients, Network

__all__ = [
    "FireTogether",
    "fire_together",
    "BrightnessSweep",
    "brightness_sweep",
    "strongest_wish",
    "SWEEP_STEPS",
]


@dataclass(frozen=True)
class FireTogether:
    """The Hebbian picture for ``layer``, focused on output neuron ``focus``."""

    layer: int
    focus: int
    a_prev: np.ndarray  # a_k^(layer−1)
    delta: np.ndarray  # δ_j^(layer) = ∂C0/∂z_j
    dC_dw: np.ndarray  # a_k δ_j, shape (j, k)
    rank_by_gradient: np.ndarray  # k, largest |∂C0/∂w_focus,k| first
    back_neuron: int  # the previous neuron k whose summed wishes are shown
    back_terms: np.ndarray  # w_jk δ_j for every j: what output j asks of a_k
    back_sum: float  # Σ_j back_terms = ∂C0/∂a_k
    focus_weights: np.ndarray  # w_focus,k for every k

    @property
    def focus_terms(self) -> np.ndarray:
        """∂C0/∂w_focus,k for every k."""
        row: np.ndarray = self.dC_dw[self.focus]
        return row

    @property
    def wishes(self) -> np.ndarray:
        """How each output wants its z to move: against the gradient, −δ_j."""
        return -self.delta

    @property
    def weight_wishes(self) -> np.ndarray:
        """How each weight into the focus neuron wants to move: −a_k δ_focus."""
        return -self.focus_terms

    @property
    def previous_wishes(self) -> np.ndarray:
        """How the focus output wants each previous activation to move: −w_focus,k δ_focus,
        in proportion to the weights."""
        wishes: np.ndarray = -self.focus_weights * self.delta[self.focus]
        return wishes


def fire_together(
    net: Network, fwd: Forward, grads: Gradients, layer: int, focus: int, back: int
) -> FireTogether:
    """The terms a_k δ_j of ``layer``, focused on output ``focus`` (usually the label), and
    the wishes every output sends back to neuron ``back`` of the layer before."""
    a_prev = fwd.a[layer - 1]
    delta = grads.dC_dz[layer - 1]
    dC_dw = np.outer(delta, a_prev)
    by_gradient = np.argsort(-np.abs(dC_dw[focus]), kind="stable")
    terms = net.weights[layer - 1][:, back] * delta
    return FireTogether(
        layer=layer,
        focus=focus,
        a_prev=a_prev,
        delta=delta,
        dC_dw=dC_dw,
        rank_by_gradient=by_gradient,
        back_neuron=back,
        back_terms=terms,
        back_sum=float(terms.sum()),
        focus_weights=net.weights[layer - 1][focus],
    )


SWEEP_STEPS = 5  # the brightness sweep goes from 0 to 1 in this many equal steps


@dataclass(frozen=True)
class BrightnessSweep:
    """One previous neuron's brightness swept from 0 to 1, the wish δ_focus held.

    ∂z_focus/∂w_focus,k = a_k, so with δ_focus = ∂C0/∂z_focus fixed the weight's
    gradient a_k δ_focus grows in proportion to how bright neuron k is:
    fire together, wire together. ``a`` holds the states, 0 to 1 in equal steps
    with the neuron's actual activation among them (at ``actual``); a step closer
    than a quarter step to the actual value is left out, so no two states read alike.
    """

    neuron: int  # k, in the layer before ``layer``
    focus: int  # j, the output whose wish is held
    delta: float  # δ_focus, held
    a: np.ndarray  # a_k at each state, increasing
    gradient: np.ndarray  # ∂C0/∂w_focus,k = a_k δ_focus at each state
    actual: int  # the state that is the neuron's actual activation

    def gradient_at(self, a: float, delta: float | None = None) -> float:
        """∂C0/∂w_focus,k = a_k δ_focus at any brightness ``a`` between the states, with
        ``delta`` in place of the held δ if given (δ as written on screen, say)."""
        return a * (self.delta if delta is None else delta)


def brightness_sweep(fire: FireTogether, neuron: int, steps: int = SWEEP_STEPS) -> BrightnessSweep:
    """The states of a_k (``neuron``) from 0 to 1 and ∂C0/∂w_focus,k = a_k δ_focus at each."""
    grid = np.linspace(0.0, 1.0, steps + 1)
    actual = float(fire.a_prev[neuron])
    keep = (np.abs(grid - actual) >= 0.25 / steps) | (grid == 0.0) | (grid == 1.0)
    grid = grid[keep]
    a = np.unique(np.append(grid, actual))
    delta = float(fire.delta[fire.focus])
    return BrightnessSweep(
        neuron=neuron,
        focus=fire.focus,
        delta=delta,
        a=a,
        gradient=a * delta,
        actual=int(np.searchsorted(a, actual)),
    )


def strongest_wish(fire: FireTogether) -> int:
    """The output j whose wish |δ_j| is largest: the one that most wants to move."""
    return int(np.argmax(np.abs(fire.delta)))
