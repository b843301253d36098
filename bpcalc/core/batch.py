"""Many examples: per-example gradients, their average ∇C, and one step down it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpcalc.core.network import Gradients, Network, backward, cost, forward, sgd_step

__all__ = ["BatchStep", "batch_step"]


@dataclass(frozen=True)
class BatchStep:
    """One mini-batch: each example's gradient, the average, and the cost before and after."""

    indices: np.ndarray  # positions in the training set
    x: np.ndarray  # their pixels, a row each
    labels: np.ndarray
    per_example: tuple[Gradients, ...]
    average: Gradients
    learning_rate: float
    after: Network  # the network after w ← w − η∇C
    cost_before: float  # mean C over the batch
    cost_after: float  # the same, after the step

    def largest(self, count: int) -> list[tuple[str, int, tuple[int, ...], float]]:
        """The ``count`` components of ∇C largest in size: (w or b, layer, index, value)."""
        components = [
            (kind, layer + 1, tuple(int(i) for i in index), float(value))
            for kind, arrays in (("w", self.average.dC_dw), ("b", self.average.dC_db))
            for layer, array in enumerate(arrays)
            for index, value in np.ndenumerate(array)
        ]
        return sorted(components, key=lambda c: -abs(c[3]))[:count]

    @property
    def step(self) -> Network:
        """The step itself, −η∇C for every weight and bias (``after`` minus the network
        before), as a network: to draw which way and how far each parameter moves."""
        return Network(
            tuple(-self.learning_rate * g for g in self.average.dC_dw),
            tuple(-self.learning_rate * g for g in self.average.dC_db),
        )

    @property
    def gradient_size(self) -> int:
        """How many components ∇C has: every weight and bias."""
        return sum(g.size for g in (*self.average.dC_dw, *self.average.dC_db))


def batch_step(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    indices: np.ndarray,
    labels: np.ndarray,
    learning_rate: float,
) -> BatchStep:
    """Backprop each example alone, average, and take one step of −η∇C."""
    per_example = tuple(backward(net, forward(net, xi), yi) for xi, yi in zip(x, y, strict=True))
    average = Gradients(
        *(
            tuple(
                np.mean([getattr(g, name)[layer] for g in per_example], axis=0)
                for layer in range(len(getattr(per_example[0], name)))
            )
            for name in ("dC_dw", "dC_db", "dC_dz", "dC_da")
        )
    )
    after = sgd_step(net, average, learning_rate)
    return BatchStep(
        indices=indices,
        x=x,
        labels=labels,
        per_example=per_example,
        average=average,
        learning_rate=learning_rate,
        after=after,
        cost_before=float(cost(forward(net, x).a[-1], y).mean()),
        cost_after=float(cost(forward(after, x).a[-1], y).mean()),
    )
