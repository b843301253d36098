"""The value of every :data:`Quantity`, looked up by its type in the core's numbers of one story.

A story is what one scene tells: the chain (with its nudges) or the digits
network. :meth:`Story.value` answers for any quantity the story has and raises
:class:`NoSuchQuantity`, naming it, for one it has not (a layer the network
lacks, a neuron out of range, a number of the other story), so a scene that
asks for the wrong thing fails loudly instead of showing a wrong number. Every
lookup is a ``match`` on the quantity's type ending in ``assert_never``: a new
kind of quantity without its case here fails the type check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import assert_never

import numpy as np

from bpcalc.core.choices import Choices, choose
from bpcalc.core.many import ManyExamples, bound_above
from bpcalc.core.network import (
    Forward,
    Gradients,
    Network,
    cost_slope,
    cost_terms,
    sigmoid_prime,
)
from bpcalc.core.nudge import Nudge
from bpcalc.core.tree import Node
from bpcalc.numbers.quantities import (
    TRAINED,
    Activation,
    BatchComponent,
    BatchGradient,
    BatchLabel,
    BatchMean,
    Bias,
    Cost,
    CostTerm,
    Differentiable,
    EpochAccuracy,
    EpochCost,
    EpochGradient,
    EpochLabel,
    Fact,
    Gradient,
    GreyLevel,
    Layer,
    LeverNudge,
    Local,
    MainNudge,
    Nudged,
    NudgeField,
    NudgeRun,
    OutputBound,
    PathTerm,
    Prediction,
    Quantity,
    Run,
    RunningAverage,
    ShrunkNudge,
    SigmaPrime,
    SweepActivation,
    SweepGradient,
    Target,
    TopComponent,
    Weight,
    WeightedInput,
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
    "nudge_field",
]

Counted = (
    EpochCost
    | EpochAccuracy
    | BatchGradient
    | BatchLabel
    | TopComponent
    | SweepActivation
    | SweepGradient
    | EpochGradient
    | EpochLabel
    | RunningAverage
    | BatchMean
)
OfNeuron = Weight | Bias | WeightedInput | Activation | SigmaPrime | PathTerm | Cost | CostTerm


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


def nudge_field(nudge: Nudge, field: NudgeField) -> float:
    """One number of a nudge of the chain (its states: the quantity, z, a, C0)."""
    match field:
        case NudgeField.DELTA:
            return nudge.delta
        case NudgeField.DZ:
            return nudge.dz
        case NudgeField.DA:
            return nudge.da
        case NudgeField.DC:
            return nudge.dC
        case NudgeField.DZ_LINEAR:
            return nudge.dz_linear
        case NudgeField.DA_LINEAR:
            return nudge.da_linear
        case NudgeField.DC_LINEAR:
            return nudge.dC_linear
        case NudgeField.GRADIENT:
            return nudge.gradient
        case NudgeField.RATIO:
            return nudge.ratio
        case NudgeField.HOP_Z:
            return nudge.hop_z
        case NudgeField.HOP_A:
            return nudge.hop_a
        case NudgeField.HOP_C:
            return nudge.hop_c
        case NudgeField.BEFORE_Q:
            return nudge.before[0]
        case NudgeField.BEFORE_Z:
            return nudge.before[1]
        case NudgeField.BEFORE_A:
            return nudge.before[2]
        case NudgeField.BEFORE_C:
            return nudge.before[3]
        case NudgeField.AFTER_Q:
            return nudge.after[0]
        case NudgeField.AFTER_Z:
            return nudge.after[1]
        case NudgeField.AFTER_A:
            return nudge.after[2]
        case NudgeField.AFTER_C:
            return nudge.after[3]
        case _:
            assert_never(field)


class Story:
    """The numbers one scene may show; subclasses hold the chain's or the digits' numbers."""

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

    def run(self, name: Run) -> _Run:
        raise NotImplementedError

    # the numbers of each story (the pictures are drawn from): the other story's raise KeyError
    def chain_numbers(self) -> ChainNumbers:
        raise KeyError("this story has no chain")

    def nudge_numbers(self) -> NudgeNumbers:
        raise KeyError("this story has no nudges")

    def _nudge(self, run: NudgeRun) -> Nudge:
        nudges = self.nudge_numbers()
        match run:
            case MainNudge():
                return nudges.main
            case ShrunkNudge(count=count):
                return nudges.shrinking[count]
            case LeverNudge(lever=lever):
                return nudges.levers[lever]
            case Run.RIPPLE:
                return nudges.ripple
            case _:
                assert_never(run)

    def digits_numbers(self) -> DigitsNumbers:
        raise KeyError("this story has no digits network")

    def _example(self, run: Run) -> DigitsExample:
        raise KeyError("this story has no digits example")

    def _many(self) -> ManyExamples:
        raise KeyError("this story has no many-examples numbers")

    def _value(self, q: Quantity) -> float:
        match q:
            case (
                Weight()
                | Bias()
                | WeightedInput()
                | Activation()
                | SigmaPrime()
                | PathTerm()
                | Cost()
                | CostTerm()
            ):
                return self._network_value(q, self.run(q.run))
            case Target(index=index):
                return float(self.run(TRAINED).y[self._neuron(index, 1)])
            case Gradient(of=of):
                return self._gradient(of, self.run(of.run))
            case Local(parent=parent, child=child):
                return self._local(parent, child, self.run(parent.run))
            case Nudged(field=field, run=run):
                return nudge_field(self._nudge(run), field)
            case Fact():
                return self._fact(q)
            case Prediction(run=run):
                return self._example(run).prediction
            case OutputBound(run=run):
                example = self._example(run)
                others = np.delete(example.fwd.a[-1], example.label)
                return bound_above(float(others.max()))
            case GreyLevel(row=row, col=col):
                return float(self._example(TRAINED).grey_levels[row, col])
            case BatchComponent(of=of):
                return self._batch_component(of)
            case (
                EpochCost()
                | EpochAccuracy()
                | BatchGradient()
                | BatchLabel()
                | TopComponent()
                | SweepActivation()
                | SweepGradient()
                | EpochGradient()
                | EpochLabel()
                | RunningAverage()
                | BatchMean()
            ):
                return self._counted(q)
            case _:
                assert_never(q)

    def _fact(self, fact: Fact) -> float:
        match fact:
            case Fact.STEP:
                return self.chain_numbers().step
            case Fact.THRESHOLD:
                return self.chain_numbers().threshold
            case Fact.LABEL:
                return self.digits_numbers().example.label
            case Fact.TEST_ACCURACY:
                return self.digits_numbers().test_accuracy
            case Fact.EPOCHS:
                return len(self.digits_numbers().epoch_cost) - 1
            case Fact.SNAPSHOT_EPOCH:
                return self.digits_numbers().snapshot.epoch
            case Fact.TRAIN_SIZE:
                return self.digits_numbers().train_size
            case Fact.STEPS_PER_EPOCH:
                return self.digits_numbers().steps_per_epoch
            case Fact.BATCH_SIZE:
                return len(self.digits_numbers().batch.indices)
            case Fact.BATCH_AVERAGE:
                return self._followed(self.digits_numbers().batch.average.dC_dw)
            case Fact.GRADIENT_COMPONENTS:
                return self.digits_numbers().batch.gradient_size
            case Fact.BATCH_COST_BEFORE:
                return self.digits_numbers().batch.cost_before
            case Fact.BATCH_COST_AFTER:
                return self.digits_numbers().batch.cost_after
            case Fact.LEARNING_RATE:
                return self.digits_numbers().batch.learning_rate
            case Fact.EXAMPLES_SHOWN:
                return self._many().shown
            case Fact.SWEEP_STATES:
                return len(self.digits_numbers().snapshot.sweep.a)
            case Fact.STEPPED_WEIGHT:
                w = self.digits_numbers().weight
                return float(self.digits_numbers().batch.after.weights[w.layer - 1][w.j, w.k])
            case Fact.NUDGES:
                return len(self.nudge_numbers().shrinking)
            case Fact.DEPTH:
                return self.depth()
            case Fact.OUTPUTS:
                return self.run(TRAINED).network.sizes[-1]
            case _:
                assert_never(fact)

    def _counted(self, q: Counted) -> float:
        d = self.digits_numbers
        match q:
            case EpochCost(i=i):
                return float(d().epoch_cost[i])
            case EpochAccuracy(i=i):
                return float(d().epoch_accuracy[i])
            case BatchGradient(i=i):
                return self._followed(d().batch.per_example[i].dC_dw)
            case BatchLabel(i=i):
                return float(d().batch.labels[i])
            case TopComponent(i=i):
                return d().batch.largest(i + 1)[i][3]
            case SweepActivation(i=i):
                return float(d().snapshot.sweep.a[i])
            case SweepGradient(i=i):
                return float(d().snapshot.sweep.gradient[i])
            case EpochGradient(i=i):
                return float(self._many().gradients[i])
            case EpochLabel(i=i):
                return float(self._many().labels[i])
            case BatchMean(i=step):
                return float(self._many().batch_means[step])
            case RunningAverage(i=n):
                many = self._many()
                if not 1 <= n <= len(many.gradients):
                    raise IndexError(f"averages of 1 to {len(many.gradients)} examples, not {n}")
                return float(many.running[n - 1])
            case _:
                assert_never(q)

    def _followed(self, dC_dw: tuple[np.ndarray, ...]) -> float:
        """The ``[weight]`` weight's component of a gradient."""
        w = self.digits_numbers().weight
        return float(dC_dw[w.layer - 1][w.j, w.k])

    @staticmethod
    def _layer(run: _Run, layer: Layer) -> int:
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

    def _network_value(self, q: OfNeuron, run: _Run) -> float:
        match q:
            case Cost():
                return float(np.sum(cost_terms(run.fwd.a[-1], run.y)))
            case CostTerm(j=j):
                (j,) = self._neuron((j,), 1)
                return float(cost_terms(run.fwd.a[-1][j], run.y[j]))
            case Activation(layer=layer, index=index):
                return float(run.fwd.a[self._layer(run, layer)][self._neuron(index, 1)])
        number = self._layer(run, q.layer)
        if number == 0:
            raise IndexError(f"the input layer has no {q.NAME}")
        match q:
            case Weight(index=index):
                return float(run.network.weights[number - 1][self._neuron(index, 2)])
            case Bias(index=index):
                return float(run.network.biases[number - 1][self._neuron(index, 1)])
            case WeightedInput(index=index):
                return float(run.fwd.z[number - 1][self._neuron(index, 1)])
            case SigmaPrime(index=index):
                return float(sigmoid_prime(run.fwd.z[number - 1][self._neuron(index, 1)]))
            case PathTerm(index=index):
                j, k = self._neuron(index, 2)
                return float(run.network.weights[number - 1][j, k] * run.grads.dC_dz[number - 1][j])
            case _:
                assert_never(q)

    def _gradient(self, of: Differentiable, run: _Run) -> float:
        """∂C0/∂(of) from backpropagation."""
        if isinstance(of, Cost):
            return 1.0
        number = self._layer(run, of.layer)
        if isinstance(of, Activation):
            return float(run.grads.dC_da[number][self._neuron(of.index, 1)])
        if number == 0:
            raise IndexError(f"the input layer has no {of.NAME}")
        match of:
            case Weight(index=index):
                return float(run.grads.dC_dw[number - 1][self._neuron(index, 2)])
            case Bias(index=index):
                return float(run.grads.dC_db[number - 1][self._neuron(index, 1)])
            case WeightedInput(index=index):
                return float(run.grads.dC_dz[number - 1][self._neuron(index, 1)])
            case _:
                assert_never(of)

    def _local(self, parent: Differentiable, child: Differentiable, run: _Run) -> float:
        """∂parent/∂child for a child that feeds its parent directly: one tree edge."""
        match parent, child:
            case Cost(), Activation(index=index):
                (j,) = self._neuron(index, 1)
                return float(cost_slope(self._network_value(child, run), run.y[j]))
            case Activation(), WeightedInput() if parent.layer == child.layer:
                if parent.index != child.index:
                    return 0.0
                return self._network_value(SigmaPrime(child.layer, child.index), run)
            case WeightedInput(), Bias() if child.layer == parent.layer:
                same = self._neuron(child.index, 1) == self._neuron(parent.index, 1)
                return 1.0 if same else 0.0
            case WeightedInput(), Weight() if child.layer == parent.layer:
                (j,) = self._neuron(parent.index, 1)
                wj, k = self._neuron(child.index, 2)
                previous = Activation(parent.layer - 1, () if not child.index else (k,))
                return self._network_value(previous, run) if wj == j else 0.0
            case WeightedInput(), Activation() if child.layer == parent.layer - 1:
                (j,) = self._neuron(parent.index, 1)
                (k,) = self._neuron(child.index, 1)
                index = () if not parent.index else (j, k)
                return self._network_value(Weight(parent.layer, index), run)
        raise ValueError(f"{child.key} does not feed {parent.key} directly")

    def _batch_component(self, of: Weight | Bias) -> float:
        number = self.layer_number(of.layer)
        if number == 0:
            raise ValueError(f"∇C has no component for {of.key}")
        average = self.digits_numbers().batch.average
        if isinstance(of, Weight):
            return float(average.dC_dw[number - 1][self._neuron(of.index, 2)])
        return float(average.dC_db[number - 1][self._neuron(of.index, 1)])


class ChainStory(Story):
    """The one-neuron-per-layer chain at its snapshot step, and its nudges."""

    def __init__(self, chain: ChainNumbers, nudges: NudgeNumbers | None = None) -> None:
        self.chain, self.nudges = chain, nudges

    @cached_property
    def _run(self) -> _Run:
        c = self.chain
        return _Run(c.network, c.fwd, c.grads, np.atleast_1d(c.y))

    def run(self, name: Run) -> _Run:
        if name is not TRAINED:
            raise KeyError(f"the chain has no {name} run")
        return self._run

    def chain_numbers(self) -> ChainNumbers:
        return self.chain

    def nudge_numbers(self) -> NudgeNumbers:
        if self.nudges is None:
            raise KeyError("this story has no nudges")
        return self.nudges


class DigitsStory(Story):
    """The digits network on the followed example: trained, untrained, and mid-training."""

    def __init__(self, digits: DigitsNumbers) -> None:
        self.digits = digits

    def digits_numbers(self) -> DigitsNumbers:
        return self.digits

    def _network(self, name: Run) -> tuple[Network, DigitsExample]:
        d = self.digits
        match name:
            case Run.TRAINED:
                return d.network, d.example
            case Run.UNTRAINED:
                return d.untrained, d.untrained_example
            case Run.SNAPSHOT:
                return d.snapshot.network, d.snapshot.example
            case Run.RIPPLE:
                raise KeyError(f"no {name} run")
            case _:
                assert_never(name)

    def _example(self, run: Run) -> DigitsExample:
        return self._network(run)[1]

    def run(self, name: Run) -> _Run:
        network, example = self._network(name)
        return _Run(network, example.fwd, example.grads, example.y)

    def _many(self) -> ManyExamples:
        if self.digits.many is None:
            raise KeyError("this story has no many-examples numbers")
        return self.digits.many

    def followed_weight(self) -> Weight:
        """The ``[weight]`` weight, w_jk of its layer, named from the output."""
        w = self.digits.weight
        return Weight(Layer.numbered(w.layer, self.depth()), (w.j, w.k))

    def top_components(self, count: int) -> list[Weight | Bias]:
        """The weights and biases whose components of the first mini-batch's ∇C are largest."""
        return [
            _PARAMETERS[kind](Layer.numbered(layer, self.depth()), index)
            for kind, layer, index, _ in self.digits.batch.largest(count)
        ]

    def choices(self, run: Run) -> Choices:
        """The neurons a story looks at in ``run`` (label, rival, brightest of L−1, ...)."""
        if run is Run.SNAPSHOT:
            return self.digits.snapshot.choices
        example = self._example(run)
        return choose(example.fwd, example.label)

    def gradient_column(self, first: int) -> list[Weight | Bias | None]:
        """∇C as a column in a fixed order, from layer L back to layer 1, each layer's
        weights row by row then its biases: the ``first`` entries, the ``[weight]``
        weight's, the last; ``None`` where entries are left out."""
        depth = self.depth()
        order: list[Weight | Bias] = []
        for number in range(depth, 0, -1):
            layer = Layer.numbered(number, depth)
            rows, cols = self.digits.network.weights[number - 1].shape
            order += [Weight(layer, (j, k)) for j in range(rows) for k in range(cols)]
            order += [Bias(layer, (j,)) for j in range(rows)]
        followed = order.index(self.followed_weight())
        keep = sorted({*range(min(first, len(order))), followed, len(order) - 1})
        column: list[Weight | Bias | None] = []
        for before, position in zip([-1, *keep], keep, strict=False):
            if position > before + 1:
                column.append(None)
            column.append(order[position])
        return column


# The core's names of a network's parameters (``"w"``, ``"b"``) as quantity types.
_PARAMETERS: dict[str, type[Weight] | type[Bias]] = {"w": Weight, "b": Bias}
_NEURONS: dict[str, type[Weight] | type[Bias] | type[WeightedInput] | type[Activation]] = {
    **_PARAMETERS,
    "z": WeightedInput,
    "a": Activation,
}


def node_quantity(node: Node, depth: int) -> Quantity:
    """The quantity a node of the core's derivative tree stands for."""
    if node.layer is None:
        return Cost() if node.symbol == "C0" else Target(node.index)
    return _NEURONS[node.symbol](Layer.numbered(node.layer, depth), node.index)
