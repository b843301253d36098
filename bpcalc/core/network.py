"""A fully connected sigmoid network: forward pass, backward pass, SGD.

The same few functions serve the 64-16-16-10 digits network and the
one-neuron-per-layer chain (sizes ``(1, 1, 1, 1)``), so both are checked by
the same gradient tests.

Conventions, matching the videos:

- ``weights[l]`` has shape ``(sizes[l + 1], sizes[l])``: row j, column k is
  w_jk, "to neuron j from neuron k", in layer ``l + 1``.
- ``a[0]`` is the input; ``z[l]`` and ``a[l + 1]`` belong to layer ``l + 1``.
- C0 = Σ_j (a_j − y_j)², so ∂C0/∂a_j = 2(a_j − y_j).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "sigmoid",
    "sigmoid_prime",
    "Network",
    "Forward",
    "Gradients",
    "init_network",
    "forward",
    "backward",
    "cost",
    "cost_terms",
    "cost_slope",
    "sgd_step",
]


def sigmoid(z: np.ndarray | float) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), written to avoid overflow for very negative z."""
    s: np.ndarray = np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))
    return s


def sigmoid_prime(z: np.ndarray | float) -> np.ndarray:
    """σ′(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


@dataclass(frozen=True)
class Network:
    """Weights and biases of every layer after the input."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[1], *(w.shape[0] for w in self.weights))


@dataclass(frozen=True)
class Forward:
    """Everything the forward pass computes for one example."""

    z: tuple[np.ndarray, ...]
    a: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Gradients:
    """∂C0 with respect to every weight, bias, weighted input and activation."""

    dC_dw: tuple[np.ndarray, ...]
    dC_db: tuple[np.ndarray, ...]
    dC_dz: tuple[np.ndarray, ...]
    dC_da: tuple[np.ndarray, ...]


def init_network(sizes: tuple[int, ...], rng: np.random.Generator) -> Network:
    """Gaussian weights scaled by 1/√fan-in (so sigmoids start unsaturated), zero biases."""
    weights = tuple(
        rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    )
    biases = tuple(np.zeros(n) for n in sizes[1:])
    return Network(weights, biases)


def forward(net: Network, x: np.ndarray) -> Forward:
    """Feed ``x`` (one example, or a batch as rows) through the network."""
    a = [np.asarray(x, dtype=float)]
    zs = []
    for w, b in zip(net.weights, net.biases, strict=True):
        z = a[-1] @ w.T + b
        zs.append(z)
        a.append(sigmoid(z))
    return Forward(tuple(zs), tuple(a))


def cost_terms(a_out: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
    """(a_j − y_j)², each output's share of C0: the one place the cost is written."""
    return (np.asarray(a_out) - y) ** 2


def cost_slope(a_out: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
    """∂C0/∂a_j = 2(a_j − y_j), the cost's derivative in each output."""
    return 2.0 * (np.asarray(a_out) - y)


def cost(a_out: np.ndarray, y: np.ndarray) -> np.ndarray:
    """C0 = Σ_j (a_j − y_j)² for each example (last axis summed)."""
    total: np.ndarray = np.sum(cost_terms(a_out, y), axis=-1)
    return total


def backward(net: Network, fwd: Forward, y: np.ndarray) -> Gradients:
    """Backpropagation for one example, or for a batch (gradients of the mean cost)."""
    batched = fwd.a[0].ndim == 2
    count = fwd.a[0].shape[0] if batched else 1
    # from the output back: each list is filled last layer first, then reversed
    dC_da: list[np.ndarray] = [cost_slope(fwd.a[-1], y)]
    dC_dz: list[np.ndarray] = []
    dC_dw: list[np.ndarray] = []
    dC_db: list[np.ndarray] = []
    for layer in reversed(range(len(net.weights))):
        delta = dC_da[-1] * sigmoid_prime(fwd.z[layer])
        dC_dz.append(delta)
        if batched:
            dC_dw.append(delta.T @ fwd.a[layer] / count)
            dC_db.append(delta.mean(axis=0))
        else:
            dC_dw.append(np.outer(delta, fwd.a[layer]))
            dC_db.append(delta)
        dC_da.append(delta @ net.weights[layer])
    return Gradients(*(tuple(reversed(g)) for g in (dC_dw, dC_db, dC_dz, dC_da)))


def sgd_step(net: Network, grads: Gradients, learning_rate: float) -> Network:
    """One step of gradient descent: every parameter moves by −η times its gradient."""
    return Network(
        tuple(w - learning_rate * g for w, g in zip(net.weights, grads.dC_dw, strict=True)),
        tuple(b - learning_rate * g for b, g in zip(net.biases, grads.dC_db, strict=True)),
    )
