"""The digit-cost and fire-together scenes: every number they show, recomputed here."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import av
import numpy as np
import pytest
from scene_support import ROOT, check_shown, dry_run, manim_render

from bpcalc.core.digits import load_dataset
from bpcalc.core.network import Network
from bpcalc.numbers import DigitsNumbers, digits_numbers
from bpcalc.params import Params, load_params

DIGIT_COST = ("digit_cost.py", "DigitCost")
FIRE = ("fire_together.py", "FireTogether")
GENERAL = ("general_formulas.py", "GeneralFormulas")
AVERAGE = ("average_gradient.py", "AverageGradient")
TRAINING = ("training.py", "Training")
SCENES = [DIGIT_COST, FIRE, GENERAL, AVERAGE, TRAINING]
SECTIONS = {
    DIGIT_COST: ["digit", "forward-pass", "cost", "untrained"],
    FIRE: ["last-layers", "wishes", "fire-together", "chain-rule-link", "backwards"],
    GENERAL: ["indices", "sums", "one-weight", "sum-over-paths"],
    AVERAGE: ["examples", "average", "one-step", "mini-batches"],
    TRAINING: ["curves", "weights", "outputs"],
}
KEYS = {
    DIGIT_COST: {"d.C0", "u.C0", "d.sq_3", "level_0_3"},
    FIRE: {"f.back_sum", "f.delta_3", "f.back_0"},
    GENERAL: {"d.dCdw3_3_12", "d.dCda2_12", "d.z3_3", "d.C0"},
    AVERAGE: {"batch.avg", "batch.grad_0", "batch.top0", "batch.cost_after", "steps_per_epoch"},
    TRAINING: {"epoch_cost_0", "epoch_accuracy_30", "u.a3_3", "d.a3_3"},
}


def run(net: Network, x: np.ndarray) -> list[np.ndarray]:
    """Activations of every layer, written out here."""
    return run_with_z(net, x)[1]


def run_with_z(net: Network, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    zs, activations = [], [x]
    for w, b in zip(net.weights, net.biases, strict=True):
        zs.append(activations[-1] @ w.T + b)
        activations.append(1 / (1 + np.exp(-zs[-1])))
    return zs, activations


def mean_cost(net: Network, x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.sum((run(net, x)[-1] - y) ** 2, axis=-1)))


def nudged(net: Network, kind: str, layer: int, index, h: float) -> Network:
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    (weights if kind == "w" else biases)[layer - 1][index] += h
    return Network(tuple(weights), tuple(biases))


def slope(net: Network, x, y, kind: str, layer: int, index, h: float = 1e-6) -> float:
    """∂(mean C)/∂(one weight or bias) by central differences."""
    up = mean_cost(nudged(net, kind, layer, index, h), x, y)
    down = mean_cost(nudged(net, kind, layer, index, -h), x, y)
    return (up - down) / (2 * h)


def activation_slope(net: Network, x, y, layer: int, k: int, h: float = 1e-6) -> float:
    """∂C0/∂a_k^(layer) by nudging the activation and running the layers after it."""

    def cost(shift: float) -> float:
        a = run(net, x)[layer].copy()
        a[k] += shift
        for w, b in zip(net.weights[layer:], net.biases[layer:], strict=True):
            a = 1 / (1 + np.exp(-(w @ a + b)))
        return float(np.sum((a - y) ** 2))

    return (cost(h) - cost(-h)) / (2 * h)


def cost_with(net: Network, x: np.ndarray, y: np.ndarray, which: str, index, h: float) -> float:
    """C0 with one last-layer weight or bias, or one activation of layer L−1, moved by h."""
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    if which == "w":
        weights[-1][index] += h
    elif which == "b":
        biases[-1][index] += h
    a = run(Network(tuple(weights), tuple(biases)), x)[-2].copy()
    if which == "a":
        a[index] += h
    out = 1 / (1 + np.exp(-(weights[-1] @ a + biases[-1])))
    return float(np.sum((out - y) ** 2))


def derivative(net, x, y, which, index, h=1e-6) -> float:
    return (cost_with(net, x, y, which, index, h) - cost_with(net, x, y, which, index, -h)) / (
        2 * h
    )


def expectations(digits: DigitsNumbers, params: Params):
    ex = digits.example
    data = load_dataset(params.digits.test_fraction)
    label = params.example.digit
    y = np.eye(10)[label]
    with resources.files("bpcalc.core.data").joinpath("digits.npz").open("rb") as handle:
        raw = np.load(handle)
        levels = raw["images"][np.argmin(np.abs(raw["images"].reshape(-1, 64) / 16 - ex.x).sum(1))]
    runs = {"d": run(digits.network, ex.x), "u": run(digits.untrained, ex.x)}
    zs = run_with_z(digits.network, ex.x)[0]
    net, fire = digits.network, digits.fire
    batch = digits.batch
    bx, by = data.train_x[batch.indices], np.eye(10)[data.train_labels[batch.indices]]
    untrained, wp = digits.untrained, params.weight
    full_gradient = sorted(
        (
            abs(value)
            for kind, arrays in (("w", untrained.weights), ("b", untrained.biases))
            for layer, array in enumerate(arrays, start=1)
            for index in np.ndindex(array.shape)
            for value in [slope(untrained, bx, by, kind, layer, index)]
        ),
        reverse=True,
    )
    eta = params.digits.learning_rate
    stepped = Network(
        tuple(
            w
            - eta
            * np.array(
                [
                    [slope(untrained, bx, by, "w", layer, (j, k)) for k in range(w.shape[1])]
                    for j in range(w.shape[0])
                ]
            )
            for layer, w in enumerate(untrained.weights, start=1)
        ),
        tuple(
            b
            - eta
            * np.array([slope(untrained, bx, by, "b", layer, (j,)) for j in range(b.shape[0])])
            for layer, b in enumerate(untrained.biases, start=1)
        ),
    )
    last_epoch = params.digits.epochs
    delta = [derivative(net, ex.x, y, "b", j) for j in range(10)]
    predicted = np.argmax([run(net, x)[-1] for x in data.test_x], axis=1)

    def batch_value(name: str) -> float:
        if name.startswith("grad_"):
            i = int(name[5:])
            return slope(untrained, bx[i : i + 1], by[i : i + 1], "w", wp.layer, (wp.j, wp.k))
        if name.startswith("label_"):
            return data.train_labels[batch.indices[int(name[6:])]]
        if name.startswith("top"):
            return full_gradient[int(name[3:])]
        return {
            "avg": lambda: slope(untrained, bx, by, "w", wp.layer, (wp.j, wp.k)),
            "size": lambda: params.digits.batch_size,
            "components": lambda: len(full_gradient),
            "cost_before": lambda: mean_cost(untrained, bx, by),
            "cost_after": lambda: mean_cost(stepped, bx, by),
            "eta": lambda: eta,
        }[name]()

    def history(name: str, epoch: int) -> float:
        network = {0: untrained, last_epoch: net}[epoch]  # only the ends can be checked
        if name == "epoch_cost":
            return mean_cost(network, data.train_x, np.eye(10)[data.train_labels])
        guesses = np.argmax(run(network, data.test_x)[-1], axis=-1)
        return float(np.mean(guesses == data.test_labels))

    def layer_value(tag: str, name: str) -> float:
        match = re.fullmatch(r"(z|sp|dCda|dCdb|dCdw)(\d)_(\d+)(?:_(\d+))?", name)
        kind, layer, j = match.group(1), int(match.group(2)), int(match.group(3))
        if kind == "z":
            return zs[layer - 1][j]
        if kind == "sp":
            s = 1 / (1 + np.exp(-zs[layer - 1][j]))
            return s * (1 - s)
        if kind == "dCda":
            return activation_slope(net, ex.x, y, layer, j)
        if kind == "dCdb":
            return slope(net, ex.x, y, "b", layer, (j,))
        return slope(net, ex.x, y, "w", layer, (j, int(match.group(4))))

    def expected(key: str) -> float:
        if key == "label":
            return label
        if key == "train_size":
            return len(data.train_x)
        if key == "steps_per_epoch":
            return -(-len(data.train_x) // params.digits.batch_size)
        if key == "epochs":
            return params.digits.epochs
        if key.startswith("epoch_"):
            name, _, epoch = key.rpartition("_")
            return history(name, int(epoch))
        if key.startswith("batch."):
            return batch_value(key[6:])
        weight = re.fullmatch(r"([wb])(\d)_(\d+)(?:_(\d+))?", key)
        if weight:
            kind, layer = weight.group(1), int(weight.group(2))
            index = tuple(int(g) for g in weight.groups()[2:] if g is not None)
            return (net.weights if kind == "w" else net.biases)[layer - 1][index]
        if key == "test_accuracy":
            return float(np.mean(predicted == data.test_labels))
        if key.startswith("y_"):
            return y[int(key[2:])]
        if key.startswith("level_"):
            _, row, col = key.split("_")
            return levels[int(row), int(col)]
        tag, _, name = key.partition(".")
        if tag == "d" and re.match(r"(z|sp|dCda|dCdb|dCdw)\d", name):
            return layer_value(tag, name)
        if tag in runs:
            if name == "C0":
                return float(np.sum((runs[tag][-1] - y) ** 2))
            if name.startswith("sq_"):
                j = int(name[3:])
                return (runs[tag][-1][j] - y[j]) ** 2
            layer, j = name[1:].split("_")
            return runs[tag][int(layer)][int(j)]
        field, _, index = name.rpartition("_")
        if name == "back_sum":
            return derivative(net, ex.x, y, "a", fire.back_neuron)
        i = int(index)
        return {
            "delta": lambda: delta[i],
            "term": lambda: derivative(net, ex.x, y, "w", (fire.focus, i)),
            "w": lambda: net.weights[-1][fire.focus, i],
            "w_back": lambda: net.weights[-1][i, fire.back_neuron],
            "back": lambda: net.weights[-1][i, fire.back_neuron] * delta[i],
        }[field]()

    return expected


def test_the_example_is_the_configured_one(params: Params) -> None:
    digits = digits_numbers(params)
    data = load_dataset(params.digits.test_fraction)
    ex = digits.example
    assert ex.label == params.example.digit
    assert np.array_equal(ex.x, data.test_x[ex.position])
    earlier = np.sum(data.test_labels[: ex.position] == ex.label)
    assert earlier == params.example.index


@pytest.fixture(scope="module")
def expected_default(params: Params):
    return expectations(digits_numbers(params), params)


@pytest.mark.parametrize("scene", SCENES, ids=[s[1] for s in SCENES])
def test_every_number_on_screen_is_the_cores(
    tmp_path: Path, monkeypatch, scene, expected_default
) -> None:
    params_file = ROOT / "bpcalc.toml"
    shown = dry_run(*scene, tmp_path, params_file, monkeypatch)
    keys = check_shown(shown, expected_default)
    assert KEYS[scene] <= keys, KEYS[scene] - keys
    assert shown.section_names == SECTIONS[scene]


def test_another_example_changes_the_numbers(tmp_path: Path, monkeypatch) -> None:
    text = (ROOT / "bpcalc.toml").read_text()
    edited = text.replace("digit = 3", "digit = 7").replace("index = 0", "index = 2")
    params_file = tmp_path / "seven.toml"
    params_file.write_text(edited)
    params = load_params(params_file)
    scene = dry_run(*FIRE, tmp_path, params_file, monkeypatch)
    check_shown(scene, expectations(digits_numbers(params), params))
    assert {s.value for s in scene.book.shown if s.key == "label"} == {7.0}


@pytest.mark.render
@pytest.mark.parametrize("scene", SCENES, ids=[s[1] for s in SCENES])
def test_real_low_quality_render(tmp_path: Path, scene) -> None:
    result = manim_render(*scene, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    (video,) = tmp_path.glob(f"videos/**/480p15/{scene[1]}.mp4")
    with av.open(str(video)) as container:
        seconds = container.duration / av.time_base
    low, high = {DIGIT_COST: (30, 90), FIRE: (60, 150)}.get(scene, (30, 150))
    assert low <= seconds <= high
