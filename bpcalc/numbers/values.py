"""The value of every :class:`Quantity`, looked up in the core's numbers of one story.

A story is what one scene tells: the chain (with its nudges) or the digits
network. :meth:`Story.value` answers for any quantity the story has and raises
:class:`NoSuchQuantity`, naming it, for one it has not (a layer the network
lacks, a neuron out of range), so a scene that asks for the wrong thing fails
loudly instead of showing a wrong number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from bpcalc.core.choices import Choices, choose
from bpcalc.core.many import ManyExamples, bound_above
from bpcalc.core.network import Forward, Gradients, Network, sigmoid_prime
from bpcalc.core.nudge import Nudge
from bpcalc.core.tree import Node
from bpcalc.numbers.quantities import (
    NUDGE_FIELDS,
    SNAPSHOT,
    TRAINED,
    UNTRAINED,
    Layer,
    Quantity,
)
from bpcalc.numbers.stories import (
    ChainNumbers,
    DigitsExample,
    DigitsNumbers,
    NudgeNumbers,
)

__all__ = [
    "NoSuchQuantity",
    "Story",
    "ChainStory",
    "DigitsStory",
    "node_quantity",
]


class NoSuchQuantity(LookupError):
    """A scene asked for a quantity its story does not have."""


@dataclass(frozen=True)
class _Run:
    """One example through one network: everything the network quantities are read from."""

    network: Network
    fwd: Forward
    grads: Gradients
    y: np.ndarray

    @property
    def depth(self) -> int:
        return len(self.network.weights)


class Story:
    """The numbers one scene may show; subclasses name their runs and extra quantities."""

    def value(self, quantity: Quantity) -> float:
        try:
            return float(self._value(quantity))
        except (IndexError, KeyError, ValueError) as exc:
            raise NoSuchQuantity(f"{quantity.key}: not in this story ({exc})") from None

    def depth(self) -> int:
        return self.run(TRAINED).depth

    def layer_number(self, layer: Layer) -> int:
        """The position from the input of a layer named from the output."""
        return self._layer(self.run(TRAINED), layer)

    def run(self, name: str) -> _Run:
        raise NotImplementedError

    def _scalars(self) -> dict[str, Callable[[Quantity], float]]:
        return {}

    def _value(self, q: Quantity) -> float:
        if q.kind in ("w", "b", "z", "a", "sigma_prime", "y", "C0", "cost_term", "path_term"):
            return self._network_value(q, self.run(q.run))
        if q.kind == "dC0/d":
            return self._gradient(q.of[0], self.run(q.run))
        if q.kind == "d/d":
            return self._local(q.of[0], q.of[1], self.run(q.run))
        scalar = self._scalars().get(q.kind)
        if scalar is None:
            raise KeyError(q.kind)
        return scalar(q)

    @staticmethod
    def _layer(run: _Run, layer: Layer | None) -> int:
        if layer is None:
            raise ValueError("a layer is needed")
        number = layer.number(run.depth)
        if not 0 <= number <= run.depth:
            raise IndexError(f"the network has layers L-{run.depth} to L")
        return number

    @staticmethod
    def _neuron(index: tuple[int, ...], dims: int) -> tuple[int, ...]:
        """The chain's quantities carry no index: its layers have one neuron each."""
        if not index:
            return (0,) * dims
        if len(index) != dims or min(index) < 0:
            raise IndexError(f"needs {dims} indices, got {index}")
        return index

    def _network_value(self, q: Quantity, run: _Run) -> float:
        if q.kind == "y":
            return run.y[self._neuron(q.index, 1)]
        if q.kind == "C0":
            return float(np.sum((run.fwd.a[-1] - run.y) ** 2))
        if q.kind == "cost_term":
            (j,) = self._neuron(q.index, 1)
            return (run.fwd.a[-1][j] - run.y[j]) ** 2
        number = self._layer(run, q.layer)
        if q.kind == "a":
            return run.fwd.a[number][self._neuron(q.index, 1)]
        if number == 0:
            raise IndexError(f"the input layer has no {q.kind}")
        if q.kind == "w":
            return run.network.weights[number - 1][self._neuron(q.index, 2)]
        if q.kind == "b":
            return run.network.biases[number - 1][self._neuron(q.index, 1)]
        if q.kind == "z":
            return run.fwd.z[number - 1][self._neuron(q.index, 1)]
        if q.kind == "sigma_prime":
            return sigmoid_prime(run.fwd.z[number - 1][self._neuron(q.index, 1)])
        j, k = self._neuron(q.index, 2)  # path_term
        return run.network.weights[number - 1][j, k] * run.grads.dC_dz[number - 1][j]

    def _gradient(self, of: Quantity, run: _Run) -> float:
        """∂C0/∂(of) from backpropagation."""
        if of.kind == "C0":
            return 1.0
        number = self._layer(run, of.layer)
        if of.kind == "a":
            return run.grads.dC_da[number][self._neuron(of.index, 1)]
        if number == 0:
            raise IndexError(f"the input layer has no {of.kind}")
        arrays = {"w": run.grads.dC_dw, "b": run.grads.dC_db, "z": run.grads.dC_dz}
        dims = 2 if of.kind == "w" else 1
        return arrays[of.kind][number - 1][self._neuron(of.index, dims)]

    def _local(self, parent: Quantity, child: Quantity, run: _Run) -> float:
        """∂parent/∂child for a child that feeds its parent directly: one tree edge."""
        if parent.kind == "C0" and child.kind == "a":
            return 2 * (self._network_value(child, run) - run.y[self._neuron(child.index, 1)])
        if parent.kind == "a" and child.kind == "z" and parent.layer == child.layer:
            if parent.index != child.index:
                return 0.0
            return self._network_value(Quantity("sigma_prime", child.layer, child.index), run)
        if parent.kind == "z":
            (j,) = self._neuron(parent.index, 1)
            if child.kind == "b" and child.layer == parent.layer:
                return 1.0 if self._neuron(child.index, 1) == (j,) else 0.0
            if child.kind == "w" and child.layer == parent.layer:
                wj, k = self._neuron(child.index, 2)
                previous = Quantity("a", parent.layer - 1, () if not child.index else (k,))
                return self._network_value(previous, run) if wj == j else 0.0
            if child.kind == "a" and child.layer == parent.layer - 1:
                (k,) = self._neuron(child.index, 1)
                index = () if not parent.index else (j, k)
                return self._network_value(Quantity("w", parent.layer, index), run)
        raise ValueError(f"{child.key} does not feed {parent.key} directly")


class ChainStory(Story):
    """The one-neuron-per-layer chain at its snapshot step, and its nudges."""

    def __init__(self, chain: ChainNumbers, nudges: NudgeNumbers | None = None) -> None:
        self.chain, self.nudges = chain, nudges

    @cached_property
    def _run(self) -> _Run:
        c = self.chain
        return _Run(c.network, c.fwd, c.grads, np.atleast_1d(c.y))

    def run(self, name: str) -> _Run:
        if name != TRAINED:
            raise KeyError(f"the chain has no {name} run")
        return self._run

    def _scalars(self) -> dict[str, Callable[[Quantity], float]]:
        scalars: dict[str, Callable[[Quantity], float]] = {
            "step": lambda q: self.chain.step,
            "threshold": lambda q: self.chain.threshold,
        }
        for field in NUDGE_FIELDS:
            scalars[f"nudge.{field}"] = self._nudge_value
        return scalars

    def _nudge_value(self, q: Quantity) -> float:
        if self.nudges is None:
            raise KeyError("this story has no nudges")
        nudge = self._nudge(q.run)
        field = q.kind.removeprefix("nudge.")
        when, _, state = field.partition("_")
        if when in ("before", "after") and state in ("q", "z", "a", "c"):
            states = nudge.before if when == "before" else nudge.after
            return states["qzac".index(state)]
        return getattr(nudge, field)

    def _nudge(self, which: str) -> Nudge:
        assert self.nudges is not None
        if which == "main":
            return self.nudges.main
        if which == "ripple":
            return self.nudges.ripple
        if which.startswith("shrink"):
            return self.nudges.shrinking[int(which.removeprefix("shrink"))]
        return self.nudges.levers[which.removeprefix("lever-")]


class DigitsStory(Story):
    """The digits network on the followed example: trained, untrained, and mid-training."""

    def __init__(self, digits: DigitsNumbers) -> None:
        self.digits = digits

    def _example(self, name: str) -> tuple[Network, DigitsExample]:
        d = self.digits
        if name == TRAINED:
            return d.network, d.example
        if name == UNTRAINED:
            return d.untrained, d.untrained_example
        if name == SNAPSHOT:
            return d.snapshot.network, d.snapshot.example
        raise KeyError(f"no {name} run")

    def run(self, name: str) -> _Run:
        network, example = self._example(name)
        return _Run(network, example.fwd, example.grads, example.y)

    def followed_weight(self) -> Quantity:
        """The ``[weight]`` weight, w_jk of its layer, named from the output."""
        w = self.digits.weight
        return Quantity("w", Layer.numbered(w.layer, self.depth()), (w.j, w.k))

    def top_components(self, count: int) -> list[Quantity]:
        """The weights and biases whose components of the first mini-batch's ∇C are largest."""
        return [
            Quantity(kind, Layer.numbered(layer, self.depth()), index)
            for kind, layer, index, _ in self.digits.batch.largest(count)
        ]

    def _scalars(self) -> dict[str, Callable[[Quantity], float]]:
        d = self.digits
        batch, weight = d.batch, d.weight
        w = (weight.layer - 1, weight.j, weight.k)
        return {
            "label": lambda q: d.example.label,
            "prediction": lambda q: self._example(q.run)[1].prediction,
            "test_accuracy": lambda q: d.test_accuracy,
            "epochs": lambda q: len(d.epoch_cost) - 1,
            "snapshot_epoch": lambda q: d.snapshot.epoch,
            "train_size": lambda q: d.train_size,
            "steps_per_epoch": lambda q: d.steps_per_epoch,
            "batch_size": lambda q: len(batch.indices),
            "batch_average": lambda q: batch.average.dC_dw[w[0]][w[1], w[2]],
            "gradient_components": lambda q: batch.gradient_size,
            "batch_cost_before": lambda q: batch.cost_before,
            "batch_cost_after": lambda q: batch.cost_after,
            "learning_rate": lambda q: batch.learning_rate,
            "grey_level": lambda q: d.example.grey_levels[q.index],
            "epoch_cost": lambda q: d.epoch_cost[q.index[0]],
            "epoch_accuracy": lambda q: d.epoch_accuracy[q.index[0]],
            "batch_gradient": lambda q: batch.per_example[q.index[0]].dC_dw[w[0]][w[1], w[2]],
            "batch_label": lambda q: batch.labels[q.index[0]],
            "top_component": lambda q: batch.largest(q.index[0] + 1)[q.index[0]][3],
            "sweep_a": lambda q: d.snapshot.sweep.a[q.index[0]],
            "sweep_gradient": lambda q: d.snapshot.sweep.gradient[q.index[0]],
            "epoch_gradient": lambda q: self._many.gradients[q.index[0]],
            "epoch_label": lambda q: self._many.labels[q.index[0]],
            "running_average": lambda q: self._many.running[self._count(q.index[0])],
            "examples_shown": lambda q: self._many.shown,
            "batch_mean": lambda q: self._many.batch_means[q.index[0]],
            "stepped_weight": lambda q: batch.after.weights[w[0]][w[1], w[2]],
            "batch_dC/d": self._batch_component,
            "output_bound": self._output_bound,
        }

    @property
    def _many(self) -> ManyExamples:
        if self.digits.many is None:
            raise KeyError("this story has no many-examples numbers")
        return self.digits.many

    def _count(self, n: int) -> int:
        """The position in the running averages of the mean of the first ``n``."""
        if not 1 <= n <= len(self._many.gradients):
            raise IndexError(f"averages of 1 to {len(self._many.gradients)} examples, not {n}")
        return n - 1

    def _batch_component(self, q: Quantity) -> float:
        of = q.of[0]
        number = self.layer_number(of.layer)
        if number == 0 or of.kind not in ("w", "b"):
            raise ValueError(f"∇C has no component for {of.key}")
        average = self.digits.batch.average
        if of.kind == "w":
            return average.dC_dw[number - 1][self._neuron(of.index, 2)]
        return average.dC_db[number - 1][self._neuron(of.index, 1)]

    def _output_bound(self, q: Quantity) -> float:
        _, example = self._example(q.run)
        others = np.delete(example.fwd.a[-1], example.label)
        return bound_above(float(others.max()))

    def choices(self, run: str) -> Choices:
        """The neurons a story looks at in ``run`` (label, rival, brightest of L−1, ...)."""
        if run == SNAPSHOT:
            return self.digits.snapshot.choices
        _, example = self._example(run)
        return choose(example.fwd, example.label)

    def gradient_column(self, first: int) -> list[Quantity | None]:
        """∇C as a column in a fixed order, from layer L back to layer 1, each layer's
        weights row by row then its biases: the ``first`` entries, the ``[weight]``
        weight's, the last; ``None`` where entries are left out."""
        depth = self.depth()
        order: list[Quantity] = []
        for number in range(depth, 0, -1):
            layer = Layer.numbered(number, depth)
            rows, cols = self.digits.network.weights[number - 1].shape
            order += [Quantity("w", layer, (j, k)) for j in range(rows) for k in range(cols)]
            order += [Quantity("b", layer, (j,)) for j in range(rows)]
        followed = order.index(self.followed_weight())
        keep = sorted({*range(min(first, len(order))), followed, len(order) - 1})
        column: list[Quantity | None] = []
        for before, position in zip([-1, *keep], keep, strict=False):
            if position > before + 1:
                column.append(None)
            column.append(order[position])
        return column


def node_quantity(node: Node, depth: int) -> Quantity:
    """The quantity a node of the core's derivative tree stands for."""
    layer = None if node.layer is None else Layer.numbered(node.layer, depth)
    return Quantity(node.symbol, layer, node.index)
