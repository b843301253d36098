"""Every quantity a scene or the CLI can show, named by typed constructors.

A scene never spells a quantity as a string or a layer as a number: it asks
for ``activation(OUTPUT - 1, k)`` or ``gradient(weight(OUTPUT))``, and
:mod:`bpcalc.numbers.values` looks the value up in the core's numbers. Layers
are counted back from the output, as the video names them (L, L−1, …), so the
same scene is true for every architecture and chain depth.

>>> gradient(weight(OUTPUT, 3, 7)).key
'dC0/d[w(L)[3,7]]'
>>> activation(OUTPUT - 1, 4, run=UNTRAINED).key
'a(L-1)[4]@untrained'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Layer",
    "OUTPUT",
    "TRAINED",
    "UNTRAINED",
    "SNAPSHOT",
    "RIPPLE",
    "NETWORK_KINDS",
    "Quantity",
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
    "NUDGE_FIELDS",
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
    "STEPPED_WEIGHT",
]

# Runs: which network the example goes through.
TRAINED = "trained"  # the trained digits network, or the chain at its snapshot step
UNTRAINED = "untrained"  # the digits network before training
SNAPSHOT = "snapshot"  # the digits network partway through training (a readable story)
RIPPLE = "ripple"  # the chain with its last weight nudged (ChainRule's ripple)

# Kinds whose value depends on which network (or nudged chain) the example goes through;
# the rest (the label, grey levels, targets, training's curves, parameters) hold in every run.
NETWORK_KINDS = frozenset(
    {"w", "b", "z", "a", "sigma_prime", "C0", "cost_term", "dC0/d", "d/d", "path_term"}
    | {"prediction", "output_bound", "sweep_a", "sweep_gradient"}
)
# Averages over the first mini-batch or epoch, all taken through the untrained network.
UNTRAINED_KINDS = frozenset(
    {"batch_gradient", "batch_dC/d", "batch_average", "top_component"}
    | {"epoch_gradient", "running_average", "batch_mean"}
)


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


@dataclass(frozen=True)
class Quantity:
    """One number of a story: what it is (``kind``), where, in which run, of what."""

    kind: str
    layer: Layer | None = None
    index: tuple[int, ...] = ()
    run: str = TRAINED
    of: tuple[Quantity, ...] = ()

    @property
    def key(self) -> str:
        """A stable, readable name for tools (``bpcalc check --scenes --json``)."""
        if self.kind == "dC0/d":
            return f"dC0/d[{self.of[0].key}]"
        if self.kind == "d/d":
            return f"d[{self.of[0].key}]/d[{self.of[1].key}]"
        if self.of:  # e.g. a component of the mini-batch's gradient: batch_dC/d[w(L)[0,1]]
            return f"{self.kind}[{','.join(of.key for of in self.of)}]"
        text = self.kind
        if self.layer is not None:
            text += f"({self.layer.name})"
        if self.index:
            text += "[" + ",".join(map(str, self.index)) + "]"
        return text if self.run == TRAINED else f"{text}@{self.run}"

    @property
    def state(self) -> str | None:
        """The run whose picture this number belongs to (``trained``, ``snapshot``, a nudge's
        run, …), or None for a number true of every run: ``bpcalc check --scenes`` fails a
        number on screen whose state the scene does not say it is showing."""
        if self.kind.startswith("nudge.") or self.kind in NETWORK_KINDS:
            return self.run
        return UNTRAINED if self.kind in UNTRAINED_KINDS else None

    @property
    def symbol(self) -> str:
        """The letter the video writes for it: w, b, z, a, y, C0 (empty for the rest)."""
        return {"w": "w", "b": "b", "z": "z", "a": "a", "y": "y", "C0": "C0"}.get(self.kind, "")


def _index(*ids: int | None) -> tuple[int, ...]:
    """Indices of a neuron or weight; the chain's single neurons need none."""
    return tuple(int(i) for i in ids if i is not None)


def weight(layer: Layer, j: int | None = None, k: int | None = None, run: str = TRAINED):
    """w_jk^(layer): into neuron j of ``layer`` from neuron k of the layer before."""
    return Quantity("w", layer, _index(j, k), run)


def bias(layer: Layer, j: int | None = None, run: str = TRAINED) -> Quantity:
    return Quantity("b", layer, _index(j), run)


def weighted_input(layer: Layer, j: int | None = None, run: str = TRAINED) -> Quantity:
    """z_j^(layer) = Σ_k w_jk a_k + b_j."""
    return Quantity("z", layer, _index(j), run)


def activation(layer: Layer, j: int | None = None, run: str = TRAINED) -> Quantity:
    """a_j^(layer) = σ(z_j); the input layer's activations are the pixels (or the chain's x)."""
    return Quantity("a", layer, _index(j), run)


def sigma_prime(layer: Layer, j: int | None = None, run: str = TRAINED) -> Quantity:
    """σ′(z_j^(layer)): how fast the neuron's activation follows its weighted input."""
    return Quantity("sigma_prime", layer, _index(j), run)


def target(j: int | None = None) -> Quantity:
    """y_j, the output the example wants."""
    return Quantity("y", None, _index(j))


def cost(run: str = TRAINED) -> Quantity:
    """C0 = Σ_j (a_j^(L) − y_j)² for the example."""
    return Quantity("C0", run=run)


def cost_term(j: int, run: str = TRAINED) -> Quantity:
    """(a_j^(L) − y_j)², output j's share of C0."""
    return Quantity("cost_term", None, (j,), run)


def gradient(of: Quantity) -> Quantity:
    """∂C0/∂(of), from backpropagation."""
    return Quantity("dC0/d", run=of.run, of=(of,))


def local(parent: Quantity, child: Quantity) -> Quantity:
    """∂parent/∂child, one edge of the derivative tree (child feeds parent directly)."""
    return Quantity("d/d", run=parent.run, of=(parent, child))


def path_term(layer: Layer, j: int, k: int, run: str = TRAINED) -> Quantity:
    """w_jk^(layer) · ∂C0/∂z_j^(layer): what neuron j asks of a_k^(layer−1), one term of the
    sum ∂C0/∂a_k^(layer−1) = Σ_j w_jk σ′(z_j) ∂C0/∂a_j."""
    return Quantity("path_term", layer, (j, k), run)


NUDGE_FIELDS = (
    "delta",  # Δ, the push
    "dz",
    "da",
    "dC",  # the exact changes of z, a and C0
    "dz_linear",
    "da_linear",
    "dC_linear",  # the chain rule's estimates, step by step
    "gradient",  # ∂C0/∂(the nudged quantity)
    "ratio",  # ΔC0/Δ
    "before_q",
    "before_z",
    "before_a",
    "before_c",  # the nudged quantity, z, a, C0 before
    "after_q",
    "after_z",
    "after_a",
    "after_c",  # ... and after
)


def nudged(field: str, shrink: int | None = None, lever: str | None = None) -> Quantity:
    """A number of a chain nudge: the ``[nudge]`` one, its ``shrink``-th smaller copy, or the
    same Δ pushed on another ``lever`` of z (``"w"``, ``"b"`` or ``"a"``)."""
    if field not in NUDGE_FIELDS:
        raise ValueError(f"unknown nudge field {field!r}")
    return Quantity(f"nudge.{field}", run=nudge_run(shrink, lever))


def nudge_run(shrink: int | None = None, lever: str | None = None) -> str:
    """The run of a chain nudge (see :func:`nudged`), for a scene to say it is showing it."""
    if shrink is None and lever is None:
        return "main"
    return f"shrink{shrink}" if lever is None else f"lever-{lever}"


def prediction(run: str = TRAINED) -> Quantity:
    """The digit the network answers for the example: its brightest output."""
    return Quantity("prediction", run=run)


def grey_level(row: int, col: int) -> Quantity:
    """A pixel of the example as the data set stores it, 0–16."""
    return Quantity("grey_level", None, (row, col))


def epoch_cost(epoch: int) -> Quantity:
    """Mean training cost after ``epoch`` passes (0: before training)."""
    return Quantity("epoch_cost", None, (epoch,))


def epoch_accuracy(epoch: int) -> Quantity:
    """Test accuracy after ``epoch`` passes."""
    return Quantity("epoch_accuracy", None, (epoch,))


def batch_gradient(i: int) -> Quantity:
    """Example i of the first mini-batch: its ∂C_i/∂w for the ``[weight]`` weight."""
    return Quantity("batch_gradient", None, (i,))


def batch_label(i: int) -> Quantity:
    return Quantity("batch_label", None, (i,))


def top_component(rank: int) -> Quantity:
    """The ``rank``-th largest component of the first mini-batch's ∇C, in size."""
    return Quantity("top_component", None, (rank,))


def sweep_activation(state: int) -> Quantity:
    """State ``state`` of the snapshot's brightness sweep: a_k of the swept previous neuron
    (0 to 1 in equal steps, its actual activation among them)."""
    return Quantity("sweep_a", None, (state,), SNAPSHOT)


def sweep_gradient(state: int) -> Quantity:
    """∂C0/∂w_jk = a_k δ_j at state ``state`` of the brightness sweep, the wish δ_j held."""
    return Quantity("sweep_gradient", None, (state,), SNAPSHOT)


LABEL = Quantity("label")  # the example's digit
PREDICTION = Quantity("prediction")  # the trained network's answer for it
TEST_ACCURACY = Quantity("test_accuracy")
EPOCHS = Quantity("epochs")
SNAPSHOT_EPOCH = Quantity("snapshot_epoch")
TRAIN_SIZE = Quantity("train_size")
STEPS_PER_EPOCH = Quantity("steps_per_epoch")
BATCH_SIZE = Quantity("batch_size")
BATCH_AVERAGE = Quantity("batch_average")  # the average of the batch gradients
GRADIENT_COMPONENTS = Quantity("gradient_components")  # how many weights and biases ∇C has
BATCH_COST_BEFORE = Quantity("batch_cost_before")
BATCH_COST_AFTER = Quantity("batch_cost_after")
LEARNING_RATE = Quantity("learning_rate")
STEP = Quantity("step")  # the chain's snapshot step
THRESHOLD = Quantity("threshold")  # the chain fires for inputs at or above it


def rippled(field: str) -> Quantity:
    """A number of the ripple: the last weight w^(L) nudged by ``[nudge] delta`` (whatever
    ``[nudge]`` layer and parameter say), its exact Δ and before/after states of w, z, a, C0."""
    if field not in NUDGE_FIELDS:
        raise ValueError(f"unknown nudge field {field!r}")
    return Quantity(f"nudge.{field}", run=RIPPLE)


SNAPSHOT_PREDICTION = Quantity("prediction", run=SNAPSHOT)  # the snapshot network's answer
# Many examples: training's first epoch through the untrained network, one weight followed.


def epoch_gradient(i: int) -> Quantity:
    """Example i of the first epoch (untrained network): its ∂C_i/∂w for the ``[weight]``
    weight. The first ``BATCH_SIZE`` examples are the first mini-batch."""
    return Quantity("epoch_gradient", None, (i,))


def epoch_label(i: int) -> Quantity:
    """The digit of example i of the first epoch."""
    return Quantity("epoch_label", None, (i,))


def running_average(n: int) -> Quantity:
    """The mean of ∂C_i/∂w over the first n examples of the first epoch; with every
    training example in it, the training set's ∂C/∂w."""
    return Quantity("running_average", None, (n,))


def batch_mean(step: int) -> Quantity:
    """The mean of ∂C_i/∂w for the ``[weight]`` weight over mini-batch ``step`` of the first
    epoch (untrained network): that mini-batch's estimate of the training set's ∂C/∂w."""
    return Quantity("batch_mean", None, (step,))


def batch_component(of: Quantity) -> Quantity:
    """The component of the first mini-batch's ∇C for the weight or bias ``of``
    (untrained network): the mean over the batch of ∂C_i/∂(of)."""
    return Quantity("batch_dC/d", of=(of,))


def output_bound(run: str = TRAINED) -> Quantity:
    """A power of ten above every output of ``run`` other than the label's (a readable
    bound when they are all tiny)."""
    return Quantity("output_bound", run=run)


EXAMPLES_SHOWN = Quantity("examples_shown")  # the first-epoch examples that flash by
STEPPED_WEIGHT = Quantity("stepped_weight")  # the [weight] weight after training's first step
