"""What every quantity a scene may show must be, computed here from first principles.

Independent of bpcalc's numbers and values layers: forward passes written out
with numpy, every derivative by central differences (never backprop), pixels
read from the raw data file. Only the trained weights come from bpcalc's core
(training itself is tested in test_training.py). Quantities are told apart by
their types, as in bpcalc's values layer, each ``match`` ending in
``assert_never``: a new kind of quantity needs its case here too.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cached_property
from importlib import resources
from typing import assert_never

import numpy as np

from bpcalc.core.digits import Dataset, load_dataset, train_digits
from bpcalc.core.network import Network, init_network
from bpcalc.numbers import chain_numbers, digits_numbers
from bpcalc.numbers.quantities import (
    SNAPSHOT,
    TRAINED,
    UNTRAINED,
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
    NetworkQuantity,
    Nudged,
    NudgeField,
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
from bpcalc.params import Params

H = 1e-6  # central-difference step
DigitsQuantity = (
    Prediction
    | OutputBound
    | GreyLevel
    | EpochCost
    | EpochAccuracy
    | BatchLabel
    | BatchGradient
    | TopComponent
    | BatchComponent
    | EpochLabel
    | EpochGradient
    | RunningAverage
    | BatchMean
    | SweepActivation
    | SweepGradient
)


def forward(net: Network, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """z and a of every layer (a[0] is the input), written out."""
    zs, activations = [], [np.asarray(x, dtype=float)]
    for w, b in zip(net.weights, net.biases, strict=True):
        zs.append(activations[-1] @ w.T + b)
        activations.append(1 / (1 + np.exp(-zs[-1])))
    return zs, activations


def cost_of(output: np.ndarray, y: np.ndarray) -> float:
    """Σ_j (a_j − y_j)², averaged over examples when there are several."""
    return float(np.mean(np.sum((output - y) ** 2, axis=-1)))


def run_from(net: Network, layer: int, a: np.ndarray) -> np.ndarray:
    """The output, from the activations of ``layer`` onwards."""
    for w, b in zip(net.weights[layer:], net.biases[layer:], strict=True):
        a = 1 / (1 + np.exp(-(a @ w.T + b)))
    return a


def number_of(net: Network, layer: Layer) -> int:
    """A layer named from the output, counted from the input."""
    return layer.number(len(net.weights))


def index_of(q: Weight | Bias | WeightedInput | Activation | SigmaPrime) -> tuple[int, ...]:
    """The chain's quantities carry no index: its layers have one neuron each."""
    return q.index or (0,) * (2 if isinstance(q, Weight) else 1)


def moved(net: Network, parameter: Weight | Bias, h: float) -> Network:
    """The network with one weight or bias moved by h."""
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    arrays = weights if isinstance(parameter, Weight) else biases
    arrays[number_of(net, parameter.layer) - 1][index_of(parameter)] += h
    return Network(tuple(weights), tuple(biases))


def parameter_slope(net: Network, x: np.ndarray, y: np.ndarray, parameter: Weight | Bias) -> float:
    """∂C/∂(one weight or bias) by central differences (mean cost for a batch)."""
    up = cost_of(forward(moved(net, parameter, H), x)[1][-1], y)
    down = cost_of(forward(moved(net, parameter, -H), x)[1][-1], y)
    return (up - down) / (2 * H)


def activation_slope(net: Network, x: np.ndarray, y: np.ndarray, number: int, k: int) -> float:
    """∂C0/∂a_k^(number): nudge the activation and run the layers after it."""

    def cost(shift: float) -> float:
        a = forward(net, x)[1][number].copy()
        a[k] += shift
        return cost_of(run_from(net, number, a), y)

    return (cost(H) - cost(-H)) / (2 * H)


def input_slope(net: Network, x: np.ndarray, y: np.ndarray, number: int, j: int) -> float:
    """∂C0/∂z_j^(number): nudge the weighted input and run the layers after it."""

    def cost(shift: float) -> float:
        z = forward(net, x)[0][number - 1].copy()
        z[j] += shift
        return cost_of(run_from(net, number, 1 / (1 + np.exp(-z))), y)

    return (cost(H) - cost(-H)) / (2 * H)


class Oracle:
    """The expected value of any quantity of a parameter file's stories."""

    def __init__(self, params: Params) -> None:
        self.params = params

    # the networks and the example ----------------------------------------------

    @cached_property
    def chain(self) -> tuple[Network, np.ndarray, np.ndarray]:
        p = self.params.chain
        return (
            chain_numbers(self.params).network,
            np.array([p.x]),
            np.array([float(p.x >= p.threshold)]),
        )

    @cached_property
    def data(self) -> Dataset:
        return load_dataset(self.params.digits.test_fraction)

    @cached_property
    def example(self) -> tuple[np.ndarray, np.ndarray]:
        """The ``[example]`` test image, found here by counting the digit's test images."""
        p = self.params.example
        positions = np.flatnonzero(self.data.test_labels == p.digit)
        x = self.data.test_x[positions[p.index]]
        return x, np.eye(10)[p.digit]

    def digits_network(self, run: Run) -> Network:
        digits = digits_numbers(self.params)
        if run is SNAPSHOT:
            return train_digits(
                replace(self.params.digits, epochs=self.params.snapshot.epoch)
            ).trained
        return {TRAINED: digits.network, UNTRAINED: digits.untrained}[run]

    # values ----------------------------------------------------------------------

    def value(self, q: Quantity, story: str) -> float:
        """What ``q`` must be in ``story`` ("chain", "nudge" or "digits")."""
        match q:
            case Nudged():
                return self.nudge(q)
            case Fact():
                return float(self.fact(q, story))
            case (
                Weight()
                | Bias()
                | WeightedInput()
                | Activation()
                | SigmaPrime()
                | PathTerm()
                | Cost()
                | CostTerm()
                | Gradient()
                | Local()
            ):
                net, x, y = self.chain if story in ("chain", "nudge") else self.digits(q.run)
                return float(self.network_value(q, net, x, y))
            case Target():
                net, x, y = self.chain if story in ("chain", "nudge") else self.digits(TRAINED)
                return float(self.network_value(q, net, x, y))
            case _:
                return float(self.digits_value(q))

    def digits(self, run: Run) -> tuple[Network, np.ndarray, np.ndarray]:
        return (self.digits_network(run), *self.example)

    def network_value(
        self, q: NetworkQuantity | Gradient | Local, net: Network, x: np.ndarray, y: np.ndarray
    ) -> float:
        zs, activations = forward(net, x)
        match q:
            case Target(index=index):
                return y[index or (0,)]
            case Cost():
                return cost_of(activations[-1], y)
            case CostTerm(j=j):
                return (activations[-1][j] - y[j]) ** 2
            case Gradient(of=of):
                return self.slope(of, net, x, y)
            case Local(parent=parent, child=child):
                return self.local(parent, child, net, x, y)
            case Activation(layer=layer):
                return activations[number_of(net, layer)][index_of(q)]
            case WeightedInput(layer=layer):
                return zs[number_of(net, layer) - 1][index_of(q)]
            case Weight(layer=layer):
                return net.weights[number_of(net, layer) - 1][index_of(q)]
            case Bias(layer=layer):
                return net.biases[number_of(net, layer) - 1][index_of(q)]
            case SigmaPrime(layer=layer):
                s = activations[number_of(net, layer)][index_of(q)]
                return s * (1 - s)
            case PathTerm(layer=layer, index=(j, k)):
                number = number_of(net, layer)
                return net.weights[number - 1][j, k] * input_slope(net, x, y, number, j)
            case PathTerm():
                raise KeyError(f"{q.key}: a path term is w_jk times ∂C0/∂z_j, of one j and k")
            case _:
                assert_never(q)

    def slope(self, of: Differentiable, net: Network, x: np.ndarray, y: np.ndarray) -> float:
        """∂C0/∂(of) by central differences."""
        match of:
            case Cost():
                return 1.0
            case Activation(layer=layer):
                return activation_slope(net, x, y, number_of(net, layer), index_of(of)[0])
            case WeightedInput(layer=layer):
                return input_slope(net, x, y, number_of(net, layer), index_of(of)[0])
            case Weight() | Bias():
                return parameter_slope(net, x, y, of)
            case _:
                assert_never(of)

    def local(
        self,
        parent: Differentiable,
        child: Differentiable,
        net: Network,
        x: np.ndarray,
        y: np.ndarray,
    ) -> float:
        """∂parent/∂child by central differences of the parent alone."""
        match parent, child:
            case Cost(), Activation():
                out, at = self.network_value(child, net, x, y), index_of(child)
                return ((out + H - y[at]) ** 2 - (out - H - y[at]) ** 2) / (2 * H)
            case Activation(), WeightedInput():
                z = self.network_value(child, net, x, y)
                return (1 / (1 + math.exp(-(z + H))) - 1 / (1 + math.exp(-(z - H)))) / (2 * H)
            case WeightedInput(), Weight() | Bias():
                number = number_of(net, parent.layer)
                (j,) = index_of(parent)
                up, down = (forward(moved(net, child, h), x)[0][number - 1][j] for h in (H, -H))
                return (up - down) / (2 * H)
            case WeightedInput(), Activation():
                number = number_of(net, parent.layer)
                (j,), (k,) = index_of(parent), index_of(child)
                before = forward(net, x)[1][number - 1]
                w, b = net.weights[number - 1][j], net.biases[number - 1][j]
                raised, lowered = before.copy(), before.copy()
                raised[k] += H
                lowered[k] -= H
                return ((w @ raised + b) - (w @ lowered + b)) / (2 * H)
        raise KeyError(f"{child.key} does not feed {parent.key}")

    # the chain's nudges ------------------------------------------------------------

    def nudge(self, q: Nudged) -> float:
        """A nudge's numbers from two forward passes of the chain."""
        p = self.params.nudge
        delta, lever, number = p.delta, p.parameter, p.layer
        match q.run:
            case Run.RIPPLE:  # the last weight, nudged by the same Δ
                lever, number = "w", self.params.chain.depth
            case ShrunkNudge(count=count):
                delta = p.delta / p.shrink**count
            case LeverNudge(lever=other):
                # the largest Δ/shrink^n whose ratio reads, to three figures, as the slope
                lever = other
                for _ in range(12):
                    ratio = self.two_passes(lever, number, delta, NudgeField.RATIO)
                    slope = self.two_passes(lever, number, delta, NudgeField.GRADIENT)
                    if f"{ratio:.2e}" == f"{slope:.2e}":
                        break
                    delta /= p.shrink
            case MainNudge():
                pass
            case _:
                assert_never(q.run)
        return self.two_passes(lever, number, delta, q.field)

    def two_passes(self, lever: str, number: int, delta: float, field: NudgeField) -> float:
        """One number of ``lever`` of layer ``number`` nudged by ``delta``."""
        net, x, y = self.chain
        zs0, as0 = forward(net, x)
        weights = [w.copy() for w in net.weights]
        biases = [b.copy() for b in net.biases]
        a_prev = as0[number - 1].copy()
        if lever == "w":
            weights[number - 1] += delta
        elif lever == "b":
            biases[number - 1] += delta
        else:
            a_prev += delta
        z1 = a_prev @ weights[number - 1].T + biases[number - 1]
        a1 = 1 / (1 + np.exp(-z1))
        out1 = run_from(Network(tuple(weights), tuple(biases)), number, a1)
        c0, c1 = cost_of(as0[-1], y), cost_of(out1, y)
        q0 = {
            "w": net.weights[number - 1][0, 0],
            "b": net.biases[number - 1][0],
            "a": as0[number - 1][0],
        }[lever]
        dz, da, dC = z1[0] - zs0[number - 1][0], a1[0] - as0[number][0], c1 - c0
        s = as0[number][0]
        dz_dq = {"w": as0[number - 1][0], "b": 1.0, "a": net.weights[number - 1][0, 0]}[lever]
        match field:
            case NudgeField.DELTA:
                return delta
            case NudgeField.DZ:
                return dz
            case NudgeField.DA:
                return da
            case NudgeField.DC:
                return dC
            case NudgeField.RATIO:
                return dC / delta
            case NudgeField.HOP_Z:
                return dz / delta
            case NudgeField.HOP_A:
                return da / dz
            case NudgeField.HOP_C:
                return dC / da
            case NudgeField.GRADIENT if lever == "a":
                return activation_slope(net, x, y, number - 1, 0)
            case NudgeField.GRADIENT:
                layer = Layer.numbered(number, len(net.weights))
                return parameter_slope(net, x, y, Weight(layer) if lever == "w" else Bias(layer))
            case NudgeField.DZ_LINEAR:
                return dz_dq * delta
            case NudgeField.DA_LINEAR:
                return s * (1 - s) * dz
            case NudgeField.DC_LINEAR:
                return activation_slope(net, x, y, number, 0) * da
            case NudgeField.BEFORE_Q:
                return q0
            case NudgeField.AFTER_Q:
                return q0 + delta
            case NudgeField.BEFORE_Z:
                return zs0[number - 1][0]
            case NudgeField.AFTER_Z:
                return z1[0]
            case NudgeField.BEFORE_A:
                return as0[number][0]
            case NudgeField.AFTER_A:
                return a1[0]
            case NudgeField.BEFORE_C:
                return c0
            case NudgeField.AFTER_C:
                return c1
            case _:
                assert_never(field)

    # numbers of the whole story ------------------------------------------------------

    def fact(self, fact: Fact, story: str) -> float:
        p, data = self.params, self.data
        chain = story in ("chain", "nudge")
        match fact:
            case Fact.NUDGES:
                return p.nudge.steps
            case Fact.DEPTH:
                return p.chain.depth if chain else len(p.digits.layers) - 1
            case Fact.OUTPUTS:  # as many as the example's wanted outputs
                return len(self.chain[2] if chain else self.example[1])
            case Fact.LABEL:
                return p.example.digit
            case Fact.STEP:
                return p.chain.step
            case Fact.THRESHOLD:
                return p.chain.threshold
            case Fact.SNAPSHOT_EPOCH:
                return p.snapshot.epoch
            case Fact.EPOCHS:
                return p.digits.epochs
            case Fact.TRAIN_SIZE:
                return len(data.train_x)
            case Fact.STEPS_PER_EPOCH:
                return -(-len(data.train_x) // p.digits.batch_size)
            case Fact.TEST_ACCURACY:
                return self.accuracy(self.digits_network(TRAINED))
            case Fact.BATCH_SIZE:
                return p.digits.batch_size
            case Fact.LEARNING_RATE:
                return p.digits.learning_rate
            case Fact.EXAMPLES_SHOWN:
                return min(32, len(data.train_x))
            case Fact.SWEEP_STATES:  # the brightness states, the real one among them
                return len(self.sweep[0])
            case Fact.GRADIENT_COMPONENTS:
                net = self.digits_network(UNTRAINED)
                return sum(w.size + b.size for w, b in zip(net.weights, net.biases, strict=True))
            case Fact.BATCH_AVERAGE:
                bx, by, _ = self.batch
                return parameter_slope(self.digits_network(UNTRAINED), bx, by, self.followed)
            case Fact.STEPPED_WEIGHT:  # w − η ∂C/∂w, the first mini-batch's step
                bx, by, _ = self.batch
                net, w = self.digits_network(UNTRAINED), self.params.weight
                slope = parameter_slope(net, bx, by, self.followed)
                return net.weights[w.layer - 1][w.j, w.k] - p.digits.learning_rate * slope
            case Fact.BATCH_COST_BEFORE:
                bx, by, _ = self.batch
                return cost_of(forward(self.digits_network(UNTRAINED), bx)[1][-1], by)
            case Fact.BATCH_COST_AFTER:
                net, eta = self.digits_network(UNTRAINED), p.digits.learning_rate
                for parameter, slope in self.full_gradient:
                    net = moved(net, parameter, -eta * slope)
                bx, by, _ = self.batch
                return cost_of(forward(net, bx)[1][-1], by)
            case _:
                assert_never(fact)

    def accuracy(self, net: Network) -> float:
        guesses = np.argmax(forward(net, self.data.test_x)[1][-1], axis=1)
        return float(np.mean(guesses == self.data.test_labels))

    def digits_value(self, q: DigitsQuantity) -> float:
        """The digits story's numbers of one example, epoch or state of a sweep."""
        match q:
            case Prediction(run=run):
                x, _ = self.example
                return float(np.argmax(forward(self.digits_network(run), x)[1][-1]))
            case OutputBound(run=run):
                return self.output_bound(run)
            case GreyLevel(row=row, col=col):
                return self.grey_level(row, col)
            case EpochCost(i=epoch):
                net, data = self._history(epoch), self.data
                return cost_of(forward(net, data.train_x)[1][-1], np.eye(10)[data.train_labels])
            case EpochAccuracy(i=epoch):
                return self.accuracy(self._history(epoch))
            case BatchLabel(i=i):
                return self.batch[2][i]
            case BatchGradient(i=i):
                bx, by, _ = self.batch
                net = self.digits_network(UNTRAINED)
                return parameter_slope(net, bx[i : i + 1], by[i : i + 1], self.followed)
            case TopComponent(i=rank):
                return self.full_gradient[rank][1]
            case BatchComponent(of=of):
                bx, by, _ = self.batch
                return parameter_slope(self.digits_network(UNTRAINED), bx, by, of)
            case EpochLabel(i=i):
                return self.data.train_labels[self.epoch_order[i]]
            case EpochGradient(i=i):
                x, y = self.epoch_examples(i)
                return parameter_slope(self.digits_network(UNTRAINED), x, y, self.followed)
            case BatchMean(i=step):  # mini-batch ``step``'s mean ∂C/∂w: its mean cost's slope
                size = self.params.digits.batch_size
                x, y = self.epoch_examples(step * size, size)
                return parameter_slope(self.digits_network(UNTRAINED), x, y, self.followed)
            case RunningAverage(i=n):  # the mean of the first n ∂C/∂w: their mean cost's slope
                x, y = self.epoch_examples(0, n)
                return parameter_slope(self.digits_network(UNTRAINED), x, y, self.followed)
            case SweepActivation(i=i):
                return self.sweep[0][i]
            case SweepGradient(i=i):
                states, delta = self.sweep
                return states[i] * delta
            case _:
                assert_never(q)

    def grey_level(self, row: int, col: int) -> float:
        x, _ = self.example
        with resources.files("bpcalc.core.data").joinpath("digits.npz").open("rb") as handle:
            images = np.load(handle)["images"].reshape(-1, 64)
        (match,) = np.flatnonzero(np.all(images / 16 == x, axis=1))[:1]
        return images[match].reshape(8, 8)[row, col]

    def _history(self, epoch: int) -> Network:
        if epoch == 0:
            return self.digits_network(UNTRAINED)
        return train_digits(replace(self.params.digits, epochs=epoch)).trained

    # the first mini-batch --------------------------------------------------------------

    @cached_property
    def epoch_order(self) -> np.ndarray:
        """Training's first epoch: the seed draws the initial weights, then the order."""
        p = self.params.digits
        rng = np.random.default_rng(p.seed)
        init_network(p.layers, rng)
        return rng.permutation(len(self.data.train_x))

    @cached_property
    def batch(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        indices = self.epoch_order[: self.params.digits.batch_size]
        data = self.data
        return (
            data.train_x[indices],
            np.eye(10)[data.train_labels[indices]],
            data.train_labels[indices],
        )

    @property
    def followed(self) -> Weight:
        """The ``[weight]`` weight, named from the output."""
        w, depth = self.params.weight, len(self.params.digits.layers) - 1
        return Weight(Layer.numbered(w.layer, depth), (w.j, w.k))

    @cached_property
    def full_gradient(self) -> list[tuple[Weight | Bias, float]]:
        """Every component of the first batch's ∇C, by central differences, largest first."""
        net = self.digits_network(UNTRAINED)
        bx, by, _ = self.batch
        depth = len(net.weights)
        parameters = [
            kind(Layer.numbered(number, depth), tuple(index))
            for kind, arrays in ((Weight, net.weights), (Bias, net.biases))
            for number, array in enumerate(arrays, start=1)
            for index in np.ndindex(array.shape)
        ]
        components = [(q, parameter_slope(net, bx, by, q)) for q in parameters]
        return sorted(components, key=lambda c: -abs(c[1]))

    # many examples of the first epoch ------------------------------------------------

    def epoch_examples(self, first: int, count: int = 1) -> tuple[np.ndarray, np.ndarray]:
        indices = self.epoch_order[first : first + count]
        return self.data.train_x[indices], np.eye(10)[self.data.train_labels[indices]]

    def output_bound(self, run: Run) -> float:
        """The power of ten just above every output but the label's, at least 0.001."""
        x, y = self.example
        outputs = forward(self.digits_network(run), x)[1][-1]
        largest = max(a for a, want in zip(outputs, y, strict=True) if want == 0)
        return max(10.0 ** (math.floor(math.log10(largest)) + 1), 0.001)

    # the brightness sweep of the snapshot's strongest a_k·δ_j ------------------------

    @cached_property
    def sweep(self) -> tuple[np.ndarray, float]:
        """Brightness states of the previous neuron with the largest |a_k δ_label|: 0 to 1 in
        fifths, and its real brightness in place of the grid state nearest it; and δ_label."""
        net = self.digits_network(SNAPSHOT)
        x, y = self.example
        label = self.params.example.digit
        number = len(net.weights)
        delta = input_slope(net, x, y, number, label)
        previous = forward(net, x)[1][-2]
        k = int(np.argmax(np.abs(previous * delta)))
        grid = [i / 5 for i in range(6)]
        states = {g for g in grid if abs(g - previous[k]) >= 0.05 or g in (0.0, 1.0)}
        return np.array(sorted(states | {float(previous[k])})), delta
