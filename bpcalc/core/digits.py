"""The bundled 8×8 handwritten digits, their split, and the trained digits network.

Training is the slow part of asking for numbers, so its result is cached in
process and on disk, keyed by a hash of everything that affects it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from bpcalc.core.cache import cached_arrays, source_fingerprint
from bpcalc.core.network import Network, backward, cost, forward, init_network, sgd_step
from bpcalc.params import DigitsParams, ExampleParams, Params

__all__ = [
    "Dataset",
    "load_dataset",
    "TrainedDigits",
    "train_digits",
    "example_index",
    "first_batch",
]

SPLIT_SEED = 20170  # the split never changes with the training seed, so examples stay put
GREY_LEVELS = 16  # pixels in the data are counts 0..16


@dataclass(frozen=True)
class Dataset:
    """Pixels scaled to [0, 1] (rows of 64), labels, one-hot targets, and the 8×8 images."""

    train_x: np.ndarray
    train_labels: np.ndarray
    test_x: np.ndarray
    test_labels: np.ndarray

    @property
    def train_y(self) -> np.ndarray:
        return one_hot(self.train_labels)

    @property
    def test_y(self) -> np.ndarray:
        return one_hot(self.test_labels)


def one_hot(labels: np.ndarray) -> np.ndarray:
    """The desired output: 1 at the label's neuron, 0 elsewhere."""
    wanted: np.ndarray = np.eye(10)[np.asarray(labels)]
    return wanted


@lru_cache(maxsize=4)
def load_dataset(test_fraction: float) -> Dataset:
    """The 1,797 digits split once, with a fixed seed, into train and test."""
    with resources.files("bpcalc.core.data").joinpath("digits.npz").open("rb") as handle:
        data = np.load(handle)
        images, labels = data["images"], data["labels"]
    x = images.reshape(len(images), 64).astype(float) / GREY_LEVELS
    order = np.random.default_rng(SPLIT_SEED).permutation(len(x))
    n_test = round(len(x) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return Dataset(x[train], labels[train], x[test], labels[test])


@dataclass(frozen=True)
class TrainedDigits:
    """The untrained and trained networks and the history of training."""

    initial: Network
    trained: Network
    epoch_cost: np.ndarray  # mean training cost after each epoch, epoch 0 = untrained
    epoch_accuracy: np.ndarray  # test accuracy after each epoch, epoch 0 = untrained
    epochs: tuple[Network, ...] = ()  # the network after each epoch, epoch 0 = untrained

    @property
    def test_accuracy(self) -> float:
        return float(self.epoch_accuracy[-1])


def accuracy(net: Network, x: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of examples whose brightest output neuron is the label."""
    return float(np.mean(np.argmax(forward(net, x).a[-1], axis=1) == labels))


def _train(p: DigitsParams) -> dict[str, np.ndarray]:
    data = load_dataset(p.test_fraction)
    rng = np.random.default_rng(p.seed)
    net = init_network(p.layers, rng)
    train_y = data.train_y
    costs = [float(cost(forward(net, data.train_x).a[-1], train_y).mean())]
    accuracies = [accuracy(net, data.test_x, data.test_labels)]
    networks = {"initial": net}
    for epoch in range(1, p.epochs + 1):
        order = rng.permutation(len(data.train_x))
        for start in range(0, len(order), p.batch_size):
            batch = order[start : start + p.batch_size]
            x, y = data.train_x[batch], train_y[batch]
            net = sgd_step(net, backward(net, forward(net, x), y), p.learning_rate)
        costs.append(float(cost(forward(net, data.train_x).a[-1], train_y).mean()))
        accuracies.append(accuracy(net, data.test_x, data.test_labels))
        networks[f"epoch{epoch}"] = net
    networks["trained"] = net
    arrays = {"epoch_cost": np.array(costs), "epoch_accuracy": np.array(accuracies)}
    for name, network in networks.items():
        for layer, (w, b) in enumerate(zip(network.weights, network.biases, strict=True)):
            arrays[f"{name}_w{layer}"] = w
            arrays[f"{name}_b{layer}"] = b
    return arrays


def first_batch(p: DigitsParams) -> np.ndarray:
    """The training examples of training's very first SGD step (same random draws as
    :func:`train_digits`: the initial weights first, then the order of the examples)."""
    rng = np.random.default_rng(p.seed)
    init_network(p.layers, rng)
    order = rng.permutation(len(load_dataset(p.test_fraction).train_x))
    return order[: p.batch_size]


@lru_cache(maxsize=8)
def train_digits(p: DigitsParams) -> TrainedDigits:
    """Train (or fetch from the cache) the digits network for these parameters."""
    key = {"params": repr(p), "code": source_fingerprint()}
    arrays = cached_arrays("digits", key, lambda: _train(p))
    n_layers = len(p.layers) - 1

    def network(name: str) -> Network:
        return Network(
            tuple(arrays[f"{name}_w{layer}"] for layer in range(n_layers)),
            tuple(arrays[f"{name}_b{layer}"] for layer in range(n_layers)),
        )

    return TrainedDigits(
        network("initial"),
        network("trained"),
        arrays["epoch_cost"],
        arrays["epoch_accuracy"],
        (network("initial"), *(network(f"epoch{e}") for e in range(1, p.epochs + 1))),
    )


def example_index(params: Params) -> int:
    """Position in the test set of the ``index``-th test image of ``digit``."""
    ex: ExampleParams = params.example
    data = load_dataset(params.digits.test_fraction)
    positions = np.flatnonzero(data.test_labels == ex.digit)
    if ex.index >= len(positions):
        raise params.error(
            "example.index",
            ex.index,
            f"an integer from 0 to {len(positions) - 1} "
            f"(the test set has {len(positions)} images of the digit {ex.digit})",
        )
    return int(positions[ex.index])
