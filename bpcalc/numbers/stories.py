"""One entry point for every number a scene or the CLI shows.

Scenes ask for the numbers of one story (``chain_numbers``, ``digits_numbers``,
``nudge_numbers``) once, from the parameter file; each is cached per
parameters, and training is cached on disk, so asking again is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from bpcalc.core.batch import BatchStep, batch_step
from bpcalc.core.chain import chain_target, train_chain
from bpcalc.core.choices import Choices, choose
from bpcalc.core.digits import GREY_LEVELS, example_index, first_batch, load_dataset, train_digits
from bpcalc.core.hebbian import (
    BrightnessSweep,
    FireTogether,
    brightness_sweep,
    fire_together,
    strongest_wish,
)
from bpcalc.core.many import ManyExamples, many_examples
from bpcalc.core.network import (
    Forward,
    Gradients,
    Network,
    backward,
    cost_terms,
    forward,
    sigmoid_prime,
)
from bpcalc.core.nudge import NUDGEABLE, Nudge, nudge_chain, shrinking_nudges
from bpcalc.core.tree import DerivativeTree, chain_tree, digits_tree
from bpcalc.params import Params, WeightParams

__all__ = [
    "STORY_TABLES",
    "DigitsExample",
    "DigitsNumbers",
    "DigitsSnapshot",
    "ChainNumbers",
    "NudgeNumbers",
    "chain_numbers",
    "digits_numbers",
    "nudge_numbers",
    "to_json",
]


# The parameter tables each story's numbers come from (the render pipeline's fingerprints).
STORY_TABLES: dict[str, tuple[str, ...]] = {
    "chain": ("chain",),
    "nudge": ("chain", "nudge"),
    "digits": ("digits", "example", "weight", "snapshot"),
}


@dataclass(frozen=True)
class DigitsExample:
    """One test image through a network: every activation and every gradient."""

    position: int  # in the test set
    label: int
    x: np.ndarray
    y: np.ndarray
    fwd: Forward
    grads: Gradients

    @property
    def cost_terms(self) -> np.ndarray:
        """(a_j − y_j)² for each output j; they sum to C0."""
        return cost_terms(self.fwd.a[-1], self.y)

    @property
    def cost(self) -> float:
        return float(np.sum(self.cost_terms))

    @property
    def image(self) -> np.ndarray:
        """The 8×8 inputs in [0, 1]."""
        pixels: np.ndarray = self.x.reshape(8, 8)
        return pixels

    @property
    def grey_levels(self) -> np.ndarray:
        """The 8×8 grey levels of the data set, 0–16 (input = level / 16)."""
        levels: np.ndarray = np.rint(self.image * GREY_LEVELS).astype(int)
        return levels

    @property
    def prediction(self) -> int:
        return int(np.argmax(self.fwd.a[-1]))


@dataclass(frozen=True)
class DigitsSnapshot:
    """The network partway through training (``[snapshot]``), on the followed example.

    The wishes stories are told here: the trained network is so sure of its
    example that every error and derivative is tiny; after an epoch or so they
    are large enough to read. The choices and fire-together terms are this
    network's.
    """

    epoch: int
    network: Network
    example: DigitsExample
    choices: Choices  # the neurons the stories look at
    fire: FireTogether  # last layer, focused on the label's neuron
    sweep: BrightnessSweep  # a_k of the top-ranked previous neuron swept, δ_label held
    strongest_wish: int  # the output that most wants to move (largest |δ_j|)

    @property
    def wish_choices(self) -> WishChoices:
        """The neurons the wishes story is drawn around, without their values."""
        return WishChoices(
            focus=self.fire.focus,
            strongest=self.strongest_wish,
            by_gradient=tuple(int(k) for k in self.fire.rank_by_gradient),
            back_neuron=self.fire.back_neuron,
            swept=self.sweep.neuron,
            actual_state=self.sweep.actual,
        )


@dataclass(frozen=True)
class WishChoices:
    """Which neurons the wishes story looks at on the snapshot network: indices only,
    so a scene draws around them and asks for every value by its quantity."""

    focus: int  # the output followed: the example's label
    strongest: int  # the output that most wants to move (largest |δ_j|)
    by_gradient: tuple[int, ...]  # neurons k of L−1, largest |∂C0/∂w_focus,k| first
    back_neuron: int  # the neuron of L−1 whose wishes from every output are summed
    swept: int  # the neuron of L−1 whose brightness the sweep swings
    actual_state: int  # the sweep's state that is that neuron's real activation


@dataclass(frozen=True)
class DigitsNumbers:
    """The trained digits network, its history, and the followed example."""

    network: Network
    untrained: Network
    test_accuracy: float
    epoch_cost: np.ndarray
    epoch_accuracy: np.ndarray
    example: DigitsExample
    untrained_example: DigitsExample
    weight: WeightParams
    tree: DerivativeTree  # downstream of w_jk^(layer) of [weight]
    snapshot: DigitsSnapshot
    batch: BatchStep  # training's very first mini-batch and step, from the untrained network
    train_size: int  # examples in the training set
    many: ManyExamples | None = None  # the first epoch's examples, one weight's gradients
    epoch_networks: tuple[Network, ...] = ()  # the network after each epoch, 0 = untrained

    @property
    def sizes(self) -> tuple[int, ...]:
        return self.network.sizes

    @property
    def steps_per_epoch(self) -> int:
        """Mini-batches in one pass over the training set (the last may be smaller)."""
        return -(-self.train_size // len(self.batch.indices))


@dataclass(frozen=True)
class ChainNumbers:
    """The chain at its snapshot step, for the example input x.

    Arrays are indexed from zero: ``w[0]`` is w^(1), ``a[0]`` is the input x
    and ``a[L]`` the output; use :meth:`layer` for the names the scenes use.
    """

    network: Network
    threshold: float
    step: int
    fwd: Forward
    grads: Gradients
    tree: DerivativeTree

    @property
    def depth(self) -> int:
        return len(self.network.weights)

    @property
    def x(self) -> float:
        return float(self.fwd.a[0][0])

    @property
    def y(self) -> float:
        return float(chain_target(self.x, self.threshold))

    @property
    def w(self) -> np.ndarray:
        return np.array([w[0, 0] for w in self.network.weights])

    @property
    def b(self) -> np.ndarray:
        return np.array([b[0] for b in self.network.biases])

    @property
    def z(self) -> np.ndarray:
        return np.array([z[0] for z in self.fwd.z])

    @property
    def a(self) -> np.ndarray:
        return np.array([a[0] for a in self.fwd.a])

    @property
    def sigma_prime(self) -> np.ndarray:
        return sigmoid_prime(self.z)

    @property
    def cost(self) -> float:
        return float(cost_terms(self.a[-1], self.y))

    @property
    def dC_dw(self) -> np.ndarray:
        return np.array([g[0, 0] for g in self.grads.dC_dw])

    @property
    def dC_db(self) -> np.ndarray:
        return np.array([g[0] for g in self.grads.dC_db])

    @property
    def dC_dz(self) -> np.ndarray:
        return np.array([g[0] for g in self.grads.dC_dz])

    @property
    def dC_da(self) -> np.ndarray:
        return np.array([g[0] for g in self.grads.dC_da])


@dataclass(frozen=True)
class NudgeNumbers:
    """The configured nudge, its shrinking sequence, and each lever on z^(layer)."""

    main: Nudge
    shrinking: tuple[Nudge, ...]
    levers: dict[str, Nudge]  # "w", "b", "a", each nudged as little as its ratio needs
    ripple: Nudge  # w^(L), the last weight, nudged by the same Δ: the chain rule's ripple


@lru_cache(maxsize=8)
def chain_numbers(params: Params) -> ChainNumbers:
    """The chain's values and derivatives for ``[chain]``."""
    p = params.chain
    net = train_chain(p).snapshot
    x = np.array([p.x])
    y = chain_target(x, p.threshold)
    fwd = forward(net, x)
    grads = backward(net, fwd, y)
    return ChainNumbers(net, p.threshold, p.step, fwd, grads, chain_tree(net, fwd, y))


def _digits_example(net: Network, x: np.ndarray, label: int, position: int) -> DigitsExample:
    y = np.eye(10)[label]
    fwd = forward(net, x)
    return DigitsExample(position, label, x, y, fwd, backward(net, fwd, y))


def _snapshot(params: Params, x: np.ndarray, label: int, position: int) -> DigitsSnapshot:
    """Training stopped after ``[snapshot] epoch`` passes: the same draws as the full
    training, so this is the full run's network at that epoch."""
    epoch = params.snapshot.epoch
    network = train_digits(replace(params.digits, epochs=epoch)).trained
    example = _digits_example(network, x, label, position)
    choices = choose(example.fwd, label)
    fire = fire_together(
        network, example.fwd, example.grads, len(network.weights), label, choices.back_neuron
    )
    sweep = brightness_sweep(fire, int(fire.rank_by_gradient[0]))
    return DigitsSnapshot(epoch, network, example, choices, fire, sweep, strongest_wish(fire))


@lru_cache(maxsize=8)
def digits_numbers(params: Params) -> DigitsNumbers:
    """The digits network, trained per ``[digits]``, on the ``[example]`` test image."""
    position = example_index(params)
    data = load_dataset(params.digits.test_fraction)
    trained = train_digits(params.digits)
    x, label = data.test_x[position], int(data.test_labels[position])
    example = _digits_example(trained.trained, x, label, position)
    wp = params.weight
    batch = first_batch(params.digits)
    return DigitsNumbers(
        network=trained.trained,
        untrained=trained.initial,
        test_accuracy=trained.test_accuracy,
        epoch_cost=trained.epoch_cost,
        epoch_accuracy=trained.epoch_accuracy,
        example=example,
        untrained_example=_digits_example(trained.initial, x, label, position),
        weight=wp,
        tree=digits_tree(trained.trained, example.fwd, example.y, wp.layer, wp.j, wp.k),
        snapshot=_snapshot(params, x, label, position),
        train_size=len(data.train_x),
        batch=batch_step(
            trained.initial,
            data.train_x[batch],
            data.train_y[batch],
            batch,
            data.train_labels[batch],
            params.digits.learning_rate,
        ),
        many=many_examples(
            trained.initial,
            data.train_x,
            data.train_y,
            data.train_labels,
            first_batch(replace(params.digits, batch_size=len(data.train_x))),
            (wp.layer, wp.j, wp.k),
            params.digits.batch_size,
        ),
        epoch_networks=trained.epochs,
    )


# A change smaller than this share of the values it moves between is mostly
# rounding: float64 resolves about 2e-16 of a value, so a ratio ΔC0/Δ made of a
# smaller change is off in its sixth digit or worse (the scenes show five), and a
# number line zoomed to it has no room between floats.
RESOLVED = 1e-10


def _lost_in_rounding(nudge: Nudge) -> bool:
    """Whether one of the nudge's changes (the quantity, z, a, C0) is too small to tell."""
    return any(
        abs(after - before) <= RESOLVED * max(abs(before), abs(after))
        for before, after in zip(nudge.before, nudge.after, strict=True)
    )


FIGURES = 3  # the figures a ratio is shown with: a lever's ratio must agree to these
LONGEST = 12  # nudges tried per lever, Δ, Δ/shrink, …, before taking the last resolved one


def _agrees(ratio: float, gradient: float) -> bool:
    """Whether ``ratio`` and ``gradient`` read the same to :data:`FIGURES` figures."""
    return f"{ratio:.{FIGURES - 1}e}" == f"{gradient:.{FIGURES - 1}e}"


def settled_nudge(
    net: Network, x: float, y: float, quantity: str, layer: int, delta: float, shrink: float
) -> Nudge:
    """The largest of the nudges Δ, Δ/shrink, Δ/shrink², … of ``quantity`` whose ratio
    ΔC0/Δ agrees with ∂C0/∂quantity to the figures shown: a nudge inside the linear range,
    so the ratio beside the derivative is the derivative (or, if none does before the
    changes drown in rounding, the smallest one that is still resolved)."""
    last = nudge_chain(net, x, y, quantity, layer, delta)
    for n in range(1, LONGEST):
        if _agrees(last.ratio, last.gradient):
            return last
        smaller = nudge_chain(net, x, y, quantity, layer, delta / shrink**n)
        if _lost_in_rounding(smaller):
            return last
        last = smaller
    return last


@lru_cache(maxsize=8)
def nudge_numbers(params: Params) -> NudgeNumbers:
    """Nudges of the chain per ``[nudge]``; a file whose nudges move nothing beyond
    rounding is refused (its scenes would show still dots and ratios of noise)."""
    p = params.nudge
    chain = chain_numbers(params)
    net, x, y = chain.network, chain.x, chain.y
    numbers = NudgeNumbers(
        main=nudge_chain(net, x, y, p.parameter, p.layer, p.delta),
        shrinking=shrinking_nudges(net, x, y, p.parameter, p.layer, p.delta, p.shrink, p.steps),
        levers={q: settled_nudge(net, x, y, q, p.layer, p.delta, p.shrink) for q in NUDGEABLE},
        ripple=nudge_chain(net, x, y, "w", chain.depth, p.delta),
    )
    if any(map(_lost_in_rounding, (numbers.main, numbers.ripple, *numbers.levers.values()))):
        raise params.error(
            "nudge.delta",
            p.delta,
            "a nudge that moves z, a and the cost beyond rounding; this chain "
            f"(chain.step = {params.chain.step}, chain.learning_rate = "
            f"{params.chain.learning_rate:g}) barely moves: nudge more or train it less",
        )
    for count, nudge in enumerate(numbers.shrinking):
        if _lost_in_rounding(nudge) and count < 2:  # no shorter sequence is allowed
            raise params.error(
                "nudge.shrink",
                p.shrink,
                f"a shrink whose second nudge (by {nudge.delta:.3g}) still moves the cost "
                "beyond rounding",
            )
        if _lost_in_rounding(nudge):
            raise params.error(
                "nudge.steps",
                p.steps,
                f"at most {count} with delta {p.delta:g} and shrink {p.shrink:g}: "
                f"nudge {count + 1} (by {nudge.delta:.3g}) moves the cost by less than rounding",
            )
    return numbers


def _floats(values: Any) -> Any:
    if isinstance(values, (tuple, list)):
        return [_floats(v) for v in values]
    return np.asarray(values, dtype=float).tolist()


def to_json(params: Params) -> dict[str, Any]:
    """The ``bpcalc numbers --json`` contract (keys may be added, never changed)."""
    digits, chain, nudge = digits_numbers(params), chain_numbers(params), nudge_numbers(params)
    ex = digits.example
    return {
        "params": str(params.source),
        "digits": {
            "sizes": list(digits.sizes),
            "weights": _floats(digits.network.weights),
            "biases": _floats(digits.network.biases),
            "test_accuracy": digits.test_accuracy,
            "epoch_accuracy": _floats(digits.epoch_accuracy),
            "epoch_cost": _floats(digits.epoch_cost),
            "example": {
                "index": params.example.index,
                "test_position": ex.position,
                "label": ex.label,
                "prediction": ex.prediction,
                "x": _floats(ex.x),
                "y": _floats(ex.y),
                "z": _floats(ex.fwd.z),
                "a": _floats(ex.fwd.a),
                "cost": ex.cost,
                "dC_dw": _floats(ex.grads.dC_dw),
                "dC_db": _floats(ex.grads.dC_db),
                "dC_da": _floats(ex.grads.dC_da),
                "untrained_cost": digits.untrained_example.cost,
            },
        },
        "chain": {
            "step": chain.step,
            "threshold": chain.threshold,
            "x": chain.x,
            "y": chain.y,
            "w": _floats(chain.w),
            "b": _floats(chain.b),
            "z": _floats(chain.z),
            "a": _floats(chain.a),
            "cost": chain.cost,
            "dC_dw": _floats(chain.dC_dw),
            "dC_db": _floats(chain.dC_db),
            "dC_da": _floats(chain.dC_da),
        },
        "nudge": [
            {
                "quantity": n.quantity,
                "layer": n.layer,
                "delta": n.delta,
                "dz": n.dz,
                "da": n.da,
                "dC": n.dC,
                "ratio": n.ratio,
                "gradient": n.gradient,
            }
            for n in nudge.shrinking
        ],
    }
