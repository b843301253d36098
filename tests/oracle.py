"""What every quantity a scene may show must be, computed here from first principles.

Independent of bpcalc's numbers and values layers: forward passes written out
with numpy, every derivative by central differences (never backprop), pixels
read from the raw data file. Only the trained weights come from bpcalc's core
(training itself is tested in test_training.py).
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cached_property
from importlib import resources

import numpy as np

from bpcalc.core.digits import load_dataset, train_digits
from bpcalc.core.network import Network, init_network
from bpcalc.numbers import chain_numbers, digits_numbers
from bpcalc.numbers.quantities import SNAPSHOT, TRAINED, UNTRAINED, Layer, Quantity
from bpcalc.params import Params

H = 1e-6  # central-difference step


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


def moved(net: Network, kind: str, number: int, index: tuple[int, ...], h: float) -> Network:
    """The network with one weight or bias of layer ``number`` moved by h."""
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    (weights if kind == "w" else biases)[number - 1][index] += h
    return Network(tuple(weights), tuple(biases))


def parameter_slope(net, x, y, kind: str, number: int, index: tuple[int, ...]) -> float:
    """∂C/∂(one weight or bias) by central differences (mean cost for a batch)."""
    up = cost_of(forward(moved(net, kind, number, index, H), x)[1][-1], y)
    down = cost_of(forward(moved(net, kind, number, index, -H), x)[1][-1], y)
    return (up - down) / (2 * H)


def activation_slope(net: Network, x, y, number: int, k: int) -> float:
    """∂C0/∂a_k^(number): nudge the activation and run the layers after it."""

    def cost(shift: float) -> float:
        a = forward(net, x)[1][number].copy()
        a[k] += shift
        return cost_of(run_from(net, number, a), y)

    return (cost(H) - cost(-H)) / (2 * H)


def input_slope(net: Network, x, y, number: int, j: int) -> float:
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
    def data(self):
        return load_dataset(self.params.digits.test_fraction)

    @cached_property
    def example(self) -> tuple[np.ndarray, np.ndarray]:
        """The ``[example]`` test image, found here by counting the digit's test images."""
        p = self.params.example
        positions = np.flatnonzero(self.data.test_labels == p.digit)
        x = self.data.test_x[positions[p.index]]
        return x, np.eye(10)[p.digit]

    def digits_network(self, run: str) -> Network:
        digits = digits_numbers(self.params)
        if run == SNAPSHOT:
            return train_digits(
                replace(self.params.digits, epochs=self.params.snapshot.epoch)
            ).trained
        return {TRAINED: digits.network, UNTRAINED: digits.untrained}[run]

    def setting(self, q: Quantity, story: str) -> tuple[Network, np.ndarray, np.ndarray]:
        if story == "chain":
            return self.chain
        return (self.digits_network(q.run), *self.example)

    # values ----------------------------------------------------------------------

    def value(self, q: Quantity, story: str) -> float:
        """What ``q`` must be in ``story`` ("chain", "nudge" or "digits")."""
        if q.kind.startswith("nudge."):
            return self.nudge(q)
        scalar = getattr(self, f"scalar_{q.kind.replace('/', '_')}", None)
        if scalar is not None:
            return float(scalar(q))
        net, x, y = self.setting(q, "chain" if story in ("chain", "nudge") else "digits")
        return float(self.network_value(q, net, x, y))

    @staticmethod
    def number(net: Network, layer: Layer | None) -> int:
        assert layer is not None
        return layer.number(len(net.weights))

    @staticmethod
    def index(q: Quantity, dims: int) -> tuple[int, ...]:
        return q.index or (0,) * dims

    def network_value(self, q: Quantity, net: Network, x, y) -> float:
        zs, activations = forward(net, x)
        if q.kind == "y":
            return y[self.index(q, 1)]
        if q.kind == "C0":
            return cost_of(activations[-1], y)
        if q.kind == "cost_term":
            (j,) = q.index
            return (activations[-1][j] - y[j]) ** 2
        if q.kind == "dC0/d":
            return self.slope(q.of[0], net, x, y)
        if q.kind == "d/d":
            return self.local(q.of[0], q.of[1], net, x, y)
        number = self.number(net, q.layer)
        if q.kind == "a":
            return activations[number][self.index(q, 1)]
        if q.kind == "z":
            return zs[number - 1][self.index(q, 1)]
        if q.kind == "w":
            return net.weights[number - 1][self.index(q, 2)]
        if q.kind == "b":
            return net.biases[number - 1][self.index(q, 1)]
        if q.kind == "sigma_prime":
            s = activations[number][self.index(q, 1)]
            return s * (1 - s)
        if q.kind == "path_term":
            j, k = q.index
            return net.weights[number - 1][j, k] * input_slope(net, x, y, number, j)
        raise KeyError(q.kind)

    def slope(self, of: Quantity, net: Network, x, y) -> float:
        """∂C0/∂(of) by central differences."""
        number = self.number(net, of.layer)
        if of.kind == "a":
            return activation_slope(net, x, y, number, self.index(of, 1)[0])
        if of.kind == "z":
            return input_slope(net, x, y, number, self.index(of, 1)[0])
        return parameter_slope(
            net, x, y, of.kind, number, self.index(of, 2 if of.kind == "w" else 1)
        )

    def local(self, parent: Quantity, child: Quantity, net: Network, x, y) -> float:
        """∂parent/∂child by central differences of the parent alone."""
        if parent.kind == "C0":
            a = self.network_value(child, net, x, y)
            j = self.index(child, 1)
            return ((a + H - y[j]) ** 2 - (a - H - y[j]) ** 2) / (2 * H)
        if parent.kind == "a":
            z = self.network_value(child, net, x, y)
            return (1 / (1 + math.exp(-(z + H))) - 1 / (1 + math.exp(-(z - H)))) / (2 * H)
        number = self.number(net, parent.layer)
        (j,) = self.index(parent, 1)
        if child.kind in ("w", "b"):
            shifted = [
                forward(
                    moved(
                        net, child.kind, number, self.index(child, 2 if child.kind == "w" else 1), h
                    ),
                    x,
                )[0][number - 1][j]
                for h in (H, -H)
            ]
            return (shifted[0] - shifted[1]) / (2 * H)
        (k,) = self.index(child, 1)
        a = forward(net, x)[1][number - 1]
        w, b = net.weights[number - 1][j], net.biases[number - 1][j]
        up, down = a.copy(), a.copy()
        up[k] += H
        down[k] -= H
        return ((w @ up + b) - (w @ down + b)) / (2 * H)

    # the chain's nudges ------------------------------------------------------------

    def nudge(self, q: Quantity) -> float:
        """A nudge's numbers from two forward passes of the chain."""
        p = self.params.nudge
        delta, lever, number = p.delta, p.parameter, p.layer
        if q.run == "ripple":  # the last weight, nudged by the same Δ
            lever, number = "w", self.params.chain.depth
        elif q.run.startswith("shrink"):
            delta = p.delta / p.shrink ** int(q.run.removeprefix("shrink"))
        elif q.run.startswith("lever-"):
            # the largest Δ/shrink^n whose ratio reads, to three figures, as the slope
            lever = q.run.removeprefix("lever-")
            for _ in range(12):
                numbers = self.two_passes(lever, number, delta)
                if f"{numbers['ratio']:.2e}" == f"{numbers['gradient']:.2e}":
                    break
                delta /= p.shrink
        return self.two_passes(lever, number, delta)[q.kind.removeprefix("nudge.")]

    def two_passes(self, lever: str, number: int, delta: float) -> dict[str, float]:
        """The numbers of ``lever`` of layer ``number`` nudged by ``delta``."""
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
        if lever == "a":
            gradient = activation_slope(net, x, y, number - 1, 0)
        else:
            gradient = parameter_slope(net, x, y, lever, number, (0, 0) if lever == "w" else (0,))
        return {
            "delta": delta,
            "dz": dz,
            "da": da,
            "dC": dC,
            "ratio": dC / delta,
            "gradient": gradient,
            "dz_linear": dz_dq * delta,
            "da_linear": s * (1 - s) * dz,
            "dC_linear": activation_slope(net, x, y, number, 0) * da,
            "before_q": q0,
            "after_q": q0 + delta,
            "before_z": zs0[number - 1][0],
            "after_z": z1[0],
            "before_a": as0[number][0],
            "after_a": a1[0],
            "before_c": c0,
            "after_c": c1,
        }

    # scalars -------------------------------------------------------------------------

    def scalar_label(self, q: Quantity) -> float:
        return self.params.example.digit

    def scalar_prediction(self, q: Quantity) -> float:
        x, _ = self.example
        return float(np.argmax(forward(self.digits_network(q.run), x)[1][-1]))

    def scalar_step(self, q: Quantity) -> float:
        return self.params.chain.step

    def scalar_threshold(self, q: Quantity) -> float:
        return self.params.chain.threshold

    def scalar_snapshot_epoch(self, q: Quantity) -> float:
        return self.params.snapshot.epoch

    def scalar_epochs(self, q: Quantity) -> float:
        return self.params.digits.epochs

    def scalar_train_size(self, q: Quantity) -> float:
        return len(self.data.train_x)

    def scalar_steps_per_epoch(self, q: Quantity) -> float:
        return -(-len(self.data.train_x) // self.params.digits.batch_size)

    def scalar_test_accuracy(self, q: Quantity) -> float:
        guesses = np.argmax(forward(self.digits_network(TRAINED), self.data.test_x)[1][-1], axis=1)
        return float(np.mean(guesses == self.data.test_labels))

    def scalar_grey_level(self, q: Quantity) -> float:
        x, _ = self.example
        with resources.files("bpcalc.core.data").joinpath("digits.npz").open("rb") as handle:
            images = np.load(handle)["images"].reshape(-1, 64)
        (match,) = np.flatnonzero(np.all(images / 16 == x, axis=1))[:1]
        return images[match].reshape(8, 8)[q.index]

    def _history(self, epoch: int) -> Network:
        if epoch == 0:
            return self.digits_network(UNTRAINED)
        return train_digits(replace(self.params.digits, epochs=epoch)).trained

    def scalar_epoch_cost(self, q: Quantity) -> float:
        net, data = self._history(q.index[0]), self.data
        return cost_of(forward(net, data.train_x)[1][-1], np.eye(10)[data.train_labels])

    def scalar_epoch_accuracy(self, q: Quantity) -> float:
        net, data = self._history(q.index[0]), self.data
        guesses = np.argmax(forward(net, data.test_x)[1][-1], axis=1)
        return float(np.mean(guesses == data.test_labels))

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
    def followed(self) -> tuple[int, tuple[int, int]]:
        w = self.params.weight
        return w.layer, (w.j, w.k)

    @cached_property
    def full_gradient(self) -> list[tuple[str, int, tuple[int, ...], float]]:
        """Every component of the first batch's ∇C, by central differences, largest first."""
        net = self.digits_network(UNTRAINED)
        bx, by, _ = self.batch
        components = [
            (kind, number, index, parameter_slope(net, bx, by, kind, number, index))
            for kind, arrays in (("w", net.weights), ("b", net.biases))
            for number, array in enumerate(arrays, start=1)
            for index in np.ndindex(array.shape)
        ]
        return sorted(components, key=lambda c: -abs(c[3]))

    def scalar_batch_size(self, q: Quantity) -> float:
        return self.params.digits.batch_size

    def scalar_batch_label(self, q: Quantity) -> float:
        return self.batch[2][q.index[0]]

    def scalar_batch_gradient(self, q: Quantity) -> float:
        bx, by, _ = self.batch
        i = q.index[0]
        layer, index = self.followed
        return parameter_slope(
            self.digits_network(UNTRAINED), bx[i : i + 1], by[i : i + 1], "w", layer, index
        )

    def scalar_batch_average(self, q: Quantity) -> float:
        bx, by, _ = self.batch
        layer, index = self.followed
        return parameter_slope(self.digits_network(UNTRAINED), bx, by, "w", layer, index)

    def scalar_gradient_components(self, q: Quantity) -> float:
        net = self.digits_network(UNTRAINED)
        return sum(w.size + b.size for w, b in zip(net.weights, net.biases, strict=True))

    def scalar_top_component(self, q: Quantity) -> float:
        return self.full_gradient[q.index[0]][3]

    def scalar_learning_rate(self, q: Quantity) -> float:
        return self.params.digits.learning_rate

    def scalar_batch_cost_before(self, q: Quantity) -> float:
        bx, by, _ = self.batch
        return cost_of(forward(self.digits_network(UNTRAINED), bx)[1][-1], by)

    def scalar_batch_cost_after(self, q: Quantity) -> float:
        net, eta = self.digits_network(UNTRAINED), self.params.digits.learning_rate
        for kind, number, index, slope in self.full_gradient:
            net = moved(net, kind, number, index, -eta * slope)
        bx, by, _ = self.batch
        return cost_of(forward(net, bx)[1][-1], by)

    # many examples of the first epoch ------------------------------------------------

    def epoch_examples(self, first: int, count: int = 1) -> tuple[np.ndarray, np.ndarray]:
        indices = self.epoch_order[first : first + count]
        return self.data.train_x[indices], np.eye(10)[self.data.train_labels[indices]]

    def scalar_epoch_label(self, q: Quantity) -> float:
        return self.data.train_labels[self.epoch_order[q.index[0]]]

    def scalar_epoch_gradient(self, q: Quantity) -> float:
        x, y = self.epoch_examples(q.index[0])
        layer, index = self.followed
        return parameter_slope(self.digits_network(UNTRAINED), x, y, "w", layer, index)

    def scalar_running_average(self, q: Quantity) -> float:
        """The mean of the first n examples' ∂C/∂w: the slope of their mean cost."""
        x, y = self.epoch_examples(0, q.index[0])
        layer, index = self.followed
        return parameter_slope(self.digits_network(UNTRAINED), x, y, "w", layer, index)

    def scalar_examples_shown(self, q: Quantity) -> float:
        return min(32, len(self.data.train_x))

    def scalar_batch_dC_d(self, q: Quantity) -> float:
        """One component of the first mini-batch's ∇C, by central differences."""
        of = q.of[0]
        net = self.digits_network(UNTRAINED)
        bx, by, _ = self.batch
        index = self.index(of, 2 if of.kind == "w" else 1)
        return parameter_slope(net, bx, by, of.kind, self.number(net, of.layer), index)

    def scalar_output_bound(self, q: Quantity) -> float:
        """The power of ten just above every output but the label's, at least 0.001."""
        x, y = self.example
        outputs = forward(self.digits_network(q.run), x)[1][-1]
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

    def scalar_sweep_a(self, q: Quantity) -> float:
        return self.sweep[0][q.index[0]]

    def scalar_sweep_gradient(self, q: Quantity) -> float:
        states, delta = self.sweep
        return states[q.index[0]] * delta
