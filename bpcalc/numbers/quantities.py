"""Every quantity a scene or the CLI can show, each kind its own small frozen type.

A scene never spells a quantity as a string or a layer as a number: it asks
for ``activation(OUTPUT - 1, k)`` or ``gradient(weight(OUTPUT))``, and
:mod:`bpcalc.numbers.values` looks the value up in the core's numbers by the
quantity's type. Layers are counted back from the output, as the video names
them (L, L−1, …), so the same scene is true for every architecture and chain depth.

Adding a number means adding a type here (and to :data:`Quantity`), a case in
``values.py`` and one in the tests' oracle: ``mypy`` names the match that lacks it.

>>> gradient(weight(OUTPUT, 3, 7)).key
'dC0/d[w(L)[3,7]]'
>>> activation(OUTPUT - 1, 4, run=UNTRAINED).key
'a(L-1)[4]@untrained'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import ClassVar, Final, Literal

__all__ = [
    "Layer",
    "OUTPUT",
    "Run",
    "TRAINED",
    "UNTRAINED",
    "SNAPSHOT",
    "RIPPLE",
    "MainNudge",
    "ShrunkNudge",
    "LeverNudge",
    "NudgeRun",
    "State",
    "NudgeField",
    "NUDGE_CHANGES",
    "NUDGE_STATES",
    "Fact",
    "Weight",
    "Bias",
    "WeightedInput",
    "Activation",
    "SigmaPrime",
    "PathTerm",
    "Target",
    "Cost",
    "CostTerm",
    "Gradient",
    "Local",
    "Nudged",
    "Prediction",
    "OutputBound",
    "GreyLevel",
    "EpochCost",
    "EpochAccuracy",
    "BatchGradient",
    "BatchLabel",
    "BatchComponent",
    "TopComponent",
    "SweepActivation",
    "SweepGradient",
    "EpochGradient",
    "EpochLabel",
    "RunningAverage",
    "Quantity",
    "NetworkQuantity",
    "Differentiable",
    "Symbolic",
    "weight",
    "bias",
    "weighted_input",
    "activation",
    "sigma_prime",
    "target",
    "cost",
    "cost_term",
    "gradient",
    "local",
    "path_term",
    "nudged",
    "nudge_run",
    "prediction",
    "grey_level",
    "epoch_cost",
    "epoch_accuracy",
    "batch_gradient",
    "batch_label",
    "top_component",
    "sweep_activation",
    "sweep_gradient",
    "LABEL",
    "PREDICTION",
    "TEST_ACCURACY",
    "EPOCHS",
    "SNAPSHOT_EPOCH",
    "TRAIN_SIZE",
    "STEPS_PER_EPOCH",
    "BATCH_SIZE",
    "BATCH_AVERAGE",
    "GRADIENT_COMPONENTS",
    "BATCH_COST_BEFORE",
    "BATCH_COST_AFTER",
    "LEARNING_RATE",
    "STEP",
    "THRESHOLD",
    "rippled",
    "SNAPSHOT_PREDICTION",
    "epoch_gradient",
    "epoch_label",
    "running_average",
    "batch_mean",
    "batch_component",
    "output_bound",
    "EXAMPLES_SHOWN",
    "SWEEP_STATES",
    "NUDGES",
    "DEPTH",
    "OUTPUTS",
    "STEPPED_WEIGHT",
    "BatchMean",
]


class Run(Enum):
    """Which network the example goes through."""

    TRAINED = "trained"  # the trained digits network, or the chain at its snapshot step
    UNTRAINED = "untrained"  # the digits network before training
    SNAPSHOT = "snapshot"  # the digits network partway through training (a readable story)
    RIPPLE = "ripple"  # the chain with its last weight nudged (ChainRule's ripple)

    def __str__(self) -> str:
        return self.value


TRAINED: Final = Run.TRAINED
UNTRAINED: Final = Run.UNTRAINED
SNAPSHOT: Final = Run.SNAPSHOT
RIPPLE: Final = Run.RIPPLE


@dataclass(frozen=True)
class MainNudge:
    """The chain with the ``[nudge]`` quantity pushed by Δ."""

    def __str__(self) -> str:
        return "main"


@dataclass(frozen=True)
class ShrunkNudge:
    """The ``[nudge]`` push, shrunk ``count`` times by ``[nudge] shrink``."""

    count: int

    def __str__(self) -> str:
        return f"shrink{self.count}"


@dataclass(frozen=True)
class LeverNudge:
    """The same Δ pushed on another lever of z: the core's ``"w"``, ``"b"`` or ``"a"``."""

    lever: str

    def __str__(self) -> str:
        return f"lever-{self.lever}"


NudgeRun = MainNudge | ShrunkNudge | LeverNudge | Literal[Run.RIPPLE]
State = Run | MainNudge | ShrunkNudge | LeverNudge  # the picture a number belongs to


class NudgeField(Enum):
    """A number of a chain nudge."""

    DELTA = "delta"  # Δ, the push
    DZ = "dz"  # the exact changes of z, a and C0
    DA = "da"
    DC = "dC"
    DZ_LINEAR = "dz_linear"  # the chain rule's estimates, step by step
    DA_LINEAR = "da_linear"
    DC_LINEAR = "dC_linear"
    GRADIENT = "gradient"  # ∂C0/∂(the nudged quantity)
    RATIO = "ratio"  # ΔC0/Δ
    HOP_Z = "hop_z"  # each hop's ratio of nudges: Δz/Δ, Δa/Δz, ΔC0/Δa
    HOP_A = "hop_a"
    HOP_C = "hop_c"
    BEFORE_Q = "before_q"  # the nudged quantity, z, a, C0 before
    BEFORE_Z = "before_z"
    BEFORE_A = "before_a"
    BEFORE_C = "before_c"
    AFTER_Q = "after_q"  # ... and after
    AFTER_Z = "after_z"
    AFTER_A = "after_a"
    AFTER_C = "after_c"


# A nudge's exact changes: of the pushed quantity (Δ), z, a and C0; and each one's states
# before and after the push, in the same order.
NUDGE_CHANGES = (NudgeField.DELTA, NudgeField.DZ, NudgeField.DA, NudgeField.DC)
NUDGE_STATES = (
    (NudgeField.BEFORE_Q, NudgeField.AFTER_Q),
    (NudgeField.BEFORE_Z, NudgeField.AFTER_Z),
    (NudgeField.BEFORE_A, NudgeField.AFTER_A),
    (NudgeField.BEFORE_C, NudgeField.AFTER_C),
)


class Fact(Enum):
    """A number of the whole story, with no neuron, example or run of its own."""

    LABEL = "label"  # the example's digit
    TEST_ACCURACY = "test_accuracy"
    EPOCHS = "epochs"
    SNAPSHOT_EPOCH = "snapshot_epoch"
    TRAIN_SIZE = "train_size"
    STEPS_PER_EPOCH = "steps_per_epoch"
    BATCH_SIZE = "batch_size"
    BATCH_AVERAGE = "batch_average"  # the first mini-batch's mean ∂C/∂w, the [weight] one
    GRADIENT_COMPONENTS = "gradient_components"  # how many weights and biases ∇C has
    BATCH_COST_BEFORE = "batch_cost_before"
    BATCH_COST_AFTER = "batch_cost_after"
    LEARNING_RATE = "learning_rate"
    EXAMPLES_SHOWN = "examples_shown"  # the first-epoch examples that flash by
    SWEEP_STATES = "sweep_states"  # the brightness sweep's states, 0 to 1
    STEP = "step"  # the chain's snapshot step
    THRESHOLD = "threshold"  # the chain fires for inputs at or above it
    NUDGES = "nudges"  # the shrinking nudges of the chain
    DEPTH = "depth"  # the network's layers of weights: the output layer is L = L−0 of this
    OUTPUTS = "outputs"  # the output layer's neurons
    STEPPED_WEIGHT = "stepped_weight"  # the [weight] weight after training's first step

    @property
    def key(self) -> str:
        return self.value

    @property
    def state(self) -> State | None:
        return UNTRAINED if self in (Fact.BATCH_AVERAGE, Fact.STEPPED_WEIGHT) else None

    @property
    def symbol(self) -> str:
        return ""


@dataclass(frozen=True, order=True)
class Layer:
    """A layer counted back from the output: ``Layer(0)`` is L, ``Layer(1)`` is L−1."""

    back: int

    def __sub__(self, steps: int) -> Layer:
        return Layer(self.back + steps)

    def __add__(self, steps: int) -> Layer:
        return Layer(self.back - steps)

    @property
    def name(self) -> str:
        """The video's name, as Typst: ``L``, ``L-1``, …"""
        return "L" if self.back == 0 else f"L-{self.back}"

    def number(self, depth: int) -> int:
        """The layer's position from the input (0) in a network of ``depth`` weight layers."""
        return depth - self.back

    @staticmethod
    def numbered(number: int, depth: int) -> Layer:
        """The layer ``number`` (0 = input) of a network of ``depth`` weight layers."""
        return Layer(depth - number)


OUTPUT = Layer(0)


class _Quantity:
    """What every quantity answers besides its value: a readable ``key`` for tools
    (``bpcalc check --scenes --json``), the ``state`` (run) whose picture it belongs to,
    or None for a number true of every run (``bpcalc check --scenes`` fails a number on
    screen whose state the scene does not say it is showing), and the ``symbol`` the video
    writes for it (w, b, z, a, y, C0; empty for the rest)."""

    __slots__ = ()

    @property
    def key(self) -> str:
        raise NotImplementedError

    @property
    def state(self) -> State | None:
        return None

    @property
    def symbol(self) -> str:
        return ""


def _key(name: str, index: tuple[int, ...] = (), state: State | None = None) -> str:
    """``name[i,j]@state``, the state left out for the trained run."""
    text = name + ("[" + ",".join(map(str, index)) + "]" if index else "")
    return text if state is None or state is TRAINED else f"{text}@{state}"


@dataclass(frozen=True)
class _Neuron(_Quantity):
    """A number of one neuron or weight of a layer, in one run (the chain's need no index)."""

    NAME: ClassVar[str]  # the letter of the key, and of the symbol for w, b, z and a
    layer: Layer
    index: tuple[int, ...] = ()
    run: Run = TRAINED

    @property
    def key(self) -> str:
        return _key(f"{self.NAME}({self.layer.name})", self.index, self.run)

    @property
    def state(self) -> State | None:
        return self.run


@dataclass(frozen=True)
class Weight(_Neuron):
    """w_jk^(layer): into neuron j of ``layer`` from neuron k of the layer before."""

    NAME: ClassVar[str] = "w"

    @property
    def symbol(self) -> str:
        return self.NAME


@dataclass(frozen=True)
class Bias(_Neuron):
    NAME: ClassVar[str] = "b"

    @property
    def symbol(self) -> str:
        return self.NAME


@dataclass(frozen=True)
class WeightedInput(_Neuron):
    """z_j^(layer) = Σ_k w_jk a_k + b_j."""

    NAME: ClassVar[str] = "z"

    @property
    def symbol(self) -> str:
        return self.NAME


@dataclass(frozen=True)
class Activation(_Neuron):
    """a_j^(layer) = σ(z_j); the input layer's activations are the pixels (or the chain's x)."""

    NAME: ClassVar[str] = "a"

    @property
    def symbol(self) -> str:
        return self.NAME


@dataclass(frozen=True)
class SigmaPrime(_Neuron):
    """σ′(z_j^(layer)): how fast the neuron's activation follows its weighted input."""

    NAME: ClassVar[str] = "sigma_prime"

    @property
    def of(self) -> WeightedInput:
        return WeightedInput(self.layer, self.index, self.run)


@dataclass(frozen=True)
class PathTerm(_Neuron):
    """w_jk^(layer) · ∂C0/∂z_j^(layer): what neuron j asks of a_k^(layer−1), one term of the
    sum ∂C0/∂a_k^(layer−1) = Σ_j w_jk σ′(z_j) ∂C0/∂a_j (``index`` is (j, k))."""

    NAME: ClassVar[str] = "path_term"


@dataclass(frozen=True)
class Target(_Quantity):
    """y_j, the output the example wants (the same in every run)."""

    index: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        return _key("y", self.index)

    @property
    def symbol(self) -> str:
        return "y"


@dataclass(frozen=True)
class Cost(_Quantity):
    """C0 = Σ_j (a_j^(L) − y_j)² for the example."""

    run: Run = TRAINED

    @property
    def key(self) -> str:
        return _key("C0", (), self.run)

    @property
    def state(self) -> State | None:
        return self.run

    @property
    def symbol(self) -> str:
        return "C0"


@dataclass(frozen=True)
class CostTerm(_Quantity):
    """(a_j^(L) − y_j)², output j's share of C0."""

    j: int
    run: Run = TRAINED

    @property
    def key(self) -> str:
        return _key("cost_term", (self.j,), self.run)

    @property
    def state(self) -> State | None:
        return self.run


Symbolic = Weight | Bias | WeightedInput | Activation | SigmaPrime | Target | Cost
Differentiable = Weight | Bias | WeightedInput | Activation | Cost


@dataclass(frozen=True)
class Gradient(_Quantity):
    """∂C0/∂(of), from backpropagation."""

    of: Differentiable

    @property
    def run(self) -> Run:
        return self.of.run

    @property
    def key(self) -> str:
        return f"dC0/d[{self.of.key}]"

    @property
    def state(self) -> State | None:
        return self.run


@dataclass(frozen=True)
class Local(_Quantity):
    """∂parent/∂child, one edge of the derivative tree (child feeds parent directly)."""

    parent: Differentiable
    child: Differentiable

    @property
    def run(self) -> Run:
        return self.parent.run

    @property
    def key(self) -> str:
        return f"d[{self.parent.key}]/d[{self.child.key}]"

    @property
    def state(self) -> State | None:
        return self.run


@dataclass(frozen=True)
class Nudged(_Quantity):
    """A number of a chain nudge (``run`` says which nudge)."""

    field: NudgeField
    run: NudgeRun = MainNudge()

    @property
    def key(self) -> str:
        return f"nudge.{self.field.value}@{self.run}"

    @property
    def state(self) -> State | None:
        return self.run


@dataclass(frozen=True)
class _OfRun(_Quantity):
    """A number of the example through one network, with no neuron of its own."""

    NAME: ClassVar[str]
    run: Run = TRAINED

    @property
    def key(self) -> str:
        return _key(self.NAME, (), self.run)

    @property
    def state(self) -> State | None:
        return self.run


@dataclass(frozen=True)
class Prediction(_OfRun):
    """The digit the network answers for the example: its brightest output."""

    NAME: ClassVar[str] = "prediction"


@dataclass(frozen=True)
class OutputBound(_OfRun):
    """A power of ten above every output of ``run`` other than the label's (a readable
    bound when they are all tiny)."""

    NAME: ClassVar[str] = "output_bound"


@dataclass(frozen=True)
class _Counted(_Quantity):
    """The ``i``-th of a sequence of numbers (an epoch, an example, a sweep's state)."""

    NAME: ClassVar[str]
    STATE: ClassVar[State | None] = None  # the run they are all taken through, if one
    i: int

    @property
    def key(self) -> str:
        return _key(self.NAME, (self.i,))

    @property
    def state(self) -> State | None:
        return self.STATE


@dataclass(frozen=True)
class EpochCost(_Counted):
    """Mean training cost after ``i`` passes (0: before training)."""

    NAME: ClassVar[str] = "epoch_cost"


@dataclass(frozen=True)
class EpochAccuracy(_Counted):
    """Test accuracy after ``i`` passes."""

    NAME: ClassVar[str] = "epoch_accuracy"


@dataclass(frozen=True)
class BatchGradient(_Counted):
    """Example i of the first mini-batch: its ∂C_i/∂w for the ``[weight]`` weight."""

    NAME: ClassVar[str] = "batch_gradient"
    STATE: ClassVar[State | None] = UNTRAINED


@dataclass(frozen=True)
class BatchLabel(_Counted):
    """The digit of example i of the first mini-batch."""

    NAME: ClassVar[str] = "batch_label"


@dataclass(frozen=True)
class TopComponent(_Counted):
    """The ``i``-th largest component of the first mini-batch's ∇C, in size."""

    NAME: ClassVar[str] = "top_component"
    STATE: ClassVar[State | None] = UNTRAINED


@dataclass(frozen=True)
class _Swept(_Counted):
    """A state of the snapshot's brightness sweep."""

    STATE: ClassVar[State | None] = SNAPSHOT

    @property
    def key(self) -> str:
        return _key(self.NAME, (self.i,), SNAPSHOT)


@dataclass(frozen=True)
class SweepActivation(_Swept):
    """State ``i`` of the snapshot's brightness sweep: a_k of the swept previous neuron
    (0 to 1 in equal steps, its actual activation among them)."""

    NAME: ClassVar[str] = "sweep_a"


@dataclass(frozen=True)
class SweepGradient(_Swept):
    """∂C0/∂w_jk = a_k δ_j at state ``i`` of the brightness sweep, the wish δ_j held."""

    NAME: ClassVar[str] = "sweep_gradient"


@dataclass(frozen=True)
class EpochGradient(_Counted):
    """Example i of the first epoch (untrained network): its ∂C_i/∂w for the ``[weight]``
    weight. The first ``BATCH_SIZE`` examples are the first mini-batch."""

    NAME: ClassVar[str] = "epoch_gradient"
    STATE: ClassVar[State | None] = UNTRAINED


@dataclass(frozen=True)
class EpochLabel(_Counted):
    """The digit of example i of the first epoch."""

    NAME: ClassVar[str] = "epoch_label"


@dataclass(frozen=True)
class BatchMean(_Counted):
    """The mean of ∂C_i/∂w for the ``[weight]`` weight over mini-batch ``i`` of the first
    epoch (untrained network): that mini-batch's estimate of the training set's ∂C/∂w."""

    NAME: ClassVar[str] = "batch_mean"
    STATE: ClassVar[State | None] = UNTRAINED


@dataclass(frozen=True)
class RunningAverage(_Counted):
    """The mean of ∂C_i/∂w over the first ``i`` examples of the first epoch; with every
    training example in it, the training set's ∂C/∂w."""

    NAME: ClassVar[str] = "running_average"
    STATE: ClassVar[State | None] = UNTRAINED


@dataclass(frozen=True)
class GreyLevel(_Quantity):
    """A pixel of the example as the data set stores it, 0–16."""

    row: int
    col: int

    @property
    def key(self) -> str:
        return _key("grey_level", (self.row, self.col))


@dataclass(frozen=True)
class BatchComponent(_Quantity):
    """The component of the first mini-batch's ∇C for the weight or bias ``of``
    (untrained network): the mean over the batch of ∂C_i/∂(of)."""

    of: Weight | Bias

    @property
    def key(self) -> str:
        return f"batch_dC/d[{self.of.key}]"

    @property
    def state(self) -> State | None:
        return UNTRAINED


NetworkQuantity = (
    Weight | Bias | WeightedInput | Activation | SigmaPrime | PathTerm | Target | Cost | CostTerm
)
Quantity = (
    NetworkQuantity
    | Gradient
    | Local
    | Nudged
    | Fact
    | Prediction
    | OutputBound
    | GreyLevel
    | EpochCost
    | EpochAccuracy
    | BatchGradient
    | BatchLabel
    | BatchComponent
    | TopComponent
    | SweepActivation
    | SweepGradient
    | EpochGradient
    | EpochLabel
    | RunningAverage
    | BatchMean
)


def _index(*ids: int | None) -> tuple[int, ...]:
    """Indices of a neuron or weight; the chain's single neurons need none."""
    return tuple(int(i) for i in ids if i is not None)


def weight(layer: Layer, j: int | None = None, k: int | None = None, run: Run = TRAINED) -> Weight:
    """w_jk^(layer): into neuron j of ``layer`` from neuron k of the layer before."""
    return Weight(layer, _index(j, k), run)


def bias(layer: Layer, j: int | None = None, run: Run = TRAINED) -> Bias:
    return Bias(layer, _index(j), run)


def weighted_input(layer: Layer, j: int | None = None, run: Run = TRAINED) -> WeightedInput:
    return WeightedInput(layer, _index(j), run)


def activation(layer: Layer, j: int | None = None, run: Run = TRAINED) -> Activation:
    return Activation(layer, _index(j), run)


def sigma_prime(layer: Layer, j: int | None = None, run: Run = TRAINED) -> SigmaPrime:
    return SigmaPrime(layer, _index(j), run)


def target(j: int | None = None) -> Target:
    return Target(_index(j))


def path_term(layer: Layer, j: int, k: int, run: Run = TRAINED) -> PathTerm:
    return PathTerm(layer, (j, k), run)


def nudge_run(shrink: int | None = None, lever: str | None = None) -> NudgeRun:
    """The run of a chain nudge: the ``[nudge]`` one, its ``shrink``-th smaller copy, or
    the same Δ pushed on another ``lever`` of z (``"w"``, ``"b"`` or ``"a"``)."""
    if lever is not None:
        return LeverNudge(lever)
    return MainNudge() if shrink is None else ShrunkNudge(shrink)


def nudged(field: NudgeField, shrink: int | None = None, lever: str | None = None) -> Nudged:
    """A number of a chain nudge (see :func:`nudge_run` for which)."""
    if not isinstance(field, NudgeField):
        raise TypeError(f"a nudge's field is a NudgeField, not {field!r}")
    return Nudged(field, nudge_run(shrink, lever))


def rippled(field: NudgeField) -> Nudged:
    """A number of the ripple: the last weight w^(L) nudged by ``[nudge] delta`` (whatever
    ``[nudge]`` layer and parameter say), its exact Δ and before/after states of w, z, a, C0."""
    if not isinstance(field, NudgeField):
        raise TypeError(f"a nudge's field is a NudgeField, not {field!r}")
    return Nudged(field, RIPPLE)


# Constructors named as the scenes write them: each the type itself.
cost = Cost
cost_term = CostTerm
gradient = Gradient
local = Local
prediction = Prediction
output_bound = OutputBound
grey_level = GreyLevel
epoch_cost = EpochCost
epoch_accuracy = EpochAccuracy
batch_gradient = BatchGradient
batch_label = BatchLabel
top_component = TopComponent
sweep_activation = SweepActivation
sweep_gradient = SweepGradient
epoch_gradient = EpochGradient
epoch_label = EpochLabel
running_average = RunningAverage
batch_mean = BatchMean
batch_component = BatchComponent

LABEL = Fact.LABEL
PREDICTION = Prediction()  # the trained network's answer for the example
SNAPSHOT_PREDICTION = Prediction(SNAPSHOT)  # the snapshot network's answer
TEST_ACCURACY = Fact.TEST_ACCURACY
EPOCHS = Fact.EPOCHS
SNAPSHOT_EPOCH = Fact.SNAPSHOT_EPOCH
TRAIN_SIZE = Fact.TRAIN_SIZE
STEPS_PER_EPOCH = Fact.STEPS_PER_EPOCH
BATCH_SIZE = Fact.BATCH_SIZE
BATCH_AVERAGE = Fact.BATCH_AVERAGE
GRADIENT_COMPONENTS = Fact.GRADIENT_COMPONENTS
BATCH_COST_BEFORE = Fact.BATCH_COST_BEFORE
BATCH_COST_AFTER = Fact.BATCH_COST_AFTER
LEARNING_RATE = Fact.LEARNING_RATE
STEP = Fact.STEP
THRESHOLD = Fact.THRESHOLD
EXAMPLES_SHOWN = Fact.EXAMPLES_SHOWN
SWEEP_STATES = Fact.SWEEP_STATES
NUDGES = Fact.NUDGES
DEPTH = Fact.DEPTH
OUTPUTS = Fact.OUTPUTS
STEPPED_WEIGHT = Fact.STEPPED_WEIGHT
