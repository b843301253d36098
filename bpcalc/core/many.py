"""Many examples, one weight: each example's ∂C_k/∂w and their running average over an epoch.

The gradient of the cost over the whole training set is the average of every
example's own gradient. Taken in the order of training's first epoch, the
running average of ∂C_k/∂w for one weight wanders while few examples are in it
and settles as more come in; after the last example it is exactly the
training set's average (the first ``batch_size`` of them are the first mini-batch).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpcalc.core.network import Network, backward, forward

__all__ = ["SHOWN", "ManyExamples", "many_examples", "bound_above"]

SHOWN = 32  # examples that flash by one at a time, each with its own gradient


@dataclass(frozen=True)
class ManyExamples:
    """Every training example in the first epoch's order, through the untrained network."""

    indices: np.ndarray  # positions in the training set, in the epoch's order
    x: np.ndarray  # pixels of the first ``shown`` examples, a row each
    labels: np.ndarray  # every example's digit, in order
    gradients: np.ndarray  # ∂C_k/∂w of the followed weight for example k, in order
    shown: int  # how many flash by one at a time
    batch_size: int  # the first mini-batch is the first this many

    @property
    def running(self) -> np.ndarray:
        """``running[n - 1]``: the mean of the first n gradients."""
        return np.cumsum(self.gradients) / np.arange(1, len(self.gradients) + 1)

    @property
    def batch_means(self) -> np.ndarray:
        """``batch_means[s]``: the mean of mini-batch s's gradients (the last may be short),
        each one mini-batch's estimate of :attr:`average`."""
        starts = range(0, len(self.gradients), self.batch_size)
        return np.array([self.gradients[s : s + self.batch_size].mean() for s in starts])

    @property
    def average(self) -> float:
        """∂C/∂w over the whole training set: the running average after every example."""
        return float(self.running[-1])

    @property
    def checkpoints(self) -> tuple[int, ...]:
        """Counts after the shown examples where the running average is read off: doubling
        from ``shown``, the first mini-batch's size if it is larger, and every example."""
        total = len(self.gradients)
        counts = {total}
        n = self.shown * 2
        while n < total:
            counts.add(n)
            n *= 2
        if self.shown < self.batch_size < total:
            counts.add(self.batch_size)
        return tuple(sorted(c for c in counts if c > self.shown))


def many_examples(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    labels: np.ndarray,
    order: np.ndarray,
    weight: tuple[int, int, int],
    batch_size: int,
    shown: int = SHOWN,
) -> ManyExamples:
    """Each example's ∂C_k/∂w for ``weight`` = (layer from 1, j, k), in ``order``.

    One batched forward and backward pass: the per-example δ_j and a_k are the
    rows of the batch's arrays, and ∂C_k/∂w_jk = a_k · δ_j.
    """
    layer, j, k = weight
    xs, ys = x[order], y[order]
    fwd = forward(net, xs)
    grads = backward(net, fwd, ys)
    per_example = grads.dC_dz[layer - 1][:, j] * fwd.a[layer - 1][:, k]
    shown = min(shown, len(order))
    return ManyExamples(
        indices=np.asarray(order),
        x=xs[:shown],
        labels=np.asarray(labels)[order],
        gradients=per_example,
        shown=shown,
        batch_size=batch_size,
    )


def bound_above(value: float, floor: float = 1e-3) -> float:
    """The power of ten just above ``value`` (> 0), at least ``floor``: a readable bound.

    >>> bound_above(0.0097), bound_above(0.01), bound_above(2e-6)
    (0.01, 0.1, 0.001)
    """
    return max(float(10.0 ** (np.floor(np.log10(value)) + 1)), floor)
