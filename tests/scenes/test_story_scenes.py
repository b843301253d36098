"""AverageGradient, Training and Summary: dry runs over several parameter files, every beat
narrated, and their numbers recomputed here from first principles.

The per-example derivatives, their running means and the components of the first
mini-batch's ∇C are computed below with a forward and backward pass written out
in numpy (and one checked by finite differences), from the untrained network
drawn here from the seed as the documented convention says, not taken from the
code under test.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from scene_support import edited_params

from bpcalc.core.digits import load_dataset
from bpcalc.numbers import digits_numbers
from bpcalc.params import Params, load_params
from bpcalc.pipeline.catalog import SceneEntry
from bpcalc.pipeline.check import SceneCheck, check_scene

# dry runs of the scenes (render), on numbers and layout only (silent)
pytestmark = [pytest.mark.render, pytest.mark.usefixtures("silent_voice")]

ROOT = Path(__file__).resolve().parents[2]
SCENES = {
    "AverageGradient": "average_gradient.py",
    "Training": "training.py",
    "Summary": "summary.py",
}
VARIANTS = {  # name: edits of bpcalc.toml, as {table: {key: value}}
    "default": {},
    "shallow-batch7": {"digits": {"layers": [64, 32, 10], "batch_size": 7, "learning_rate": 0.7}},
    "deep-weight1": {
        "digits": {"layers": [64, 20, 16, 12, 10]},
        "weight": {"layer": 1, "j": 3, "k": 20},
    },
    "one-epoch-weight3": {"digits": {"epochs": 1}, "weight": {"layer": 3, "j": 1, "k": 2}},
}
RTOL = 1e-9


def _params_file(tmp_path_factory: pytest.TempPathFactory, variant: str) -> Params:
    return load_params(edited_params(tmp_path_factory.mktemp(variant), VARIANTS[variant]))


_REPORTS: dict[tuple[str, str], tuple[Params, SceneCheck]] = {}


@pytest.fixture(scope="module", params=list(VARIANTS))
def variant(request, tmp_path_factory) -> tuple[str, Params]:
    return request.param, _params_file(tmp_path_factory, request.param)


def report_of(variant: tuple[str, Params], scene: str) -> SceneCheck:
    name, params = variant
    if (name, scene) not in _REPORTS:
        entry = SceneEntry(ROOT / "scenes" / SCENES[scene], scene)
        _REPORTS[name, scene] = (params, check_scene(entry, params))
    return _REPORTS[name, scene][1]


def shown(report: SceneCheck, kind: str) -> dict[str, float]:
    """Numbers on screen and in the narration whose key starts with ``kind``, by key."""
    return {n["key"]: n["value"] for n in report.numbers if n["key"].startswith(kind)}


# -- first principles ----------------------------------------------------------------------


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def untrained(params: Params) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
    """The network before training and the first epoch's order: Gaussian weights with
    standard deviation 1/√(inputs), zero biases, then a permutation, from one generator."""
    p = params.digits
    rng = np.random.default_rng(p.seed)
    weights = [
        rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
        for n_in, n_out in zip(p.layers[:-1], p.layers[1:], strict=True)
    ]
    biases = [np.zeros(n) for n in p.layers[1:]]
    order = rng.permutation(len(load_dataset(p.test_fraction).train_x))
    return weights, biases, order


def backprop(weights, biases, x, y):
    """∂C0/∂w and ∂C0/∂b of every layer for one example, C0 = Σ (a − y)²."""
    activations, zs = [x], []
    for w, b in zip(weights, biases, strict=True):
        zs.append(w @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    delta = 2 * (activations[-1] - y) * sigmoid(zs[-1]) * (1 - sigmoid(zs[-1]))
    dw, db = [None] * len(weights), [None] * len(weights)
    for layer in reversed(range(len(weights))):
        dw[layer], db[layer] = np.outer(delta, activations[layer]), delta
        if layer:
            s = sigmoid(zs[layer - 1])
            delta = (weights[layer].T @ delta) * s * (1 - s)
    return dw, db, activations


def mean_cost(weights, biases, xs, ys) -> float:
    total = 0.0
    for x, y in zip(xs, ys, strict=True):
        a = x
        for w, b in zip(weights, biases, strict=True):
            a = sigmoid(w @ a + b)
        total += float(np.sum((a - y) ** 2))
    return total / len(xs)


def layer_number(name: str, depth: int) -> int:
    """``L`` → depth, ``L-2`` → depth − 2."""
    return depth - (int(name.partition("-")[2]) if "-" in name else 0)


# -- the tests -----------------------------------------------------------------------------


@pytest.mark.parametrize("scene", list(SCENES))
def test_every_number_true_and_every_beat_narrated(variant, scene):
    report = report_of(variant, scene)
    assert report.failures == []
    assert report.sections, "no beats"
    narrated = {line["beat"] for line in report.narration}
    assert set(report.sections) <= narrated
    for line in report.narration:  # short enough for a caption line or two
        words = " ".join(p if isinstance(p, str) else p["text"] for p in line["parts"])
        assert len(words) < 240, words
    if variant[0] == "default":
        assert report.scientific_share <= 0.05


def test_running_averages_and_examples_from_first_principles(variant):
    name, params = variant
    report = report_of(variant, "AverageGradient")
    weights, biases, order = untrained(params)
    data = load_dataset(params.digits.test_fraction)
    wp = params.weight
    own = []
    for i in order:
        dw, _, _ = backprop(weights, biases, data.train_x[i], np.eye(10)[data.train_labels[i]])
        own.append(dw[wp.layer - 1][wp.j, wp.k])
    own = np.array(own)
    running = np.cumsum(own) / np.arange(1, len(own) + 1)

    examples = shown(report, "epoch_gradient[")
    assert len(examples) >= 30  # at least thirty real examples flash by
    for key, value in examples.items():
        i = int(re.fullmatch(r"epoch_gradient\[(\d+)\]", key).group(1))
        assert value == pytest.approx(own[i], rel=RTOL, abs=1e-15)
    for key, value in shown(report, "epoch_label[").items():
        i = int(re.fullmatch(r"epoch_label\[(\d+)\]", key).group(1))
        assert value == data.train_labels[order[i]]
    means = shown(report, "running_average[")
    assert len(means) >= 30
    for key, value in means.items():
        n = int(re.fullmatch(r"running_average\[(\d+)\]", key).group(1))
        assert value == pytest.approx(running[n - 1], rel=RTOL, abs=1e-15)
    # the mean over every example is on screen: the training set's own ∂C/∂w
    assert f"running_average[{len(own)}]" in means
    # the first mini-batch is the first batch_size examples of the epoch
    batch = params.digits.batch_size
    assert shown(report, "batch_average")["batch_average"] == pytest.approx(
        running[batch - 1], rel=RTOL
    )


def test_gradient_column_from_first_principles(variant):
    name, params = variant
    report = report_of(variant, "AverageGradient")
    weights, biases, order = untrained(params)
    data = load_dataset(params.digits.test_fraction)
    batch = order[: params.digits.batch_size]
    grads = [backprop(weights, biases, data.train_x[i], data.train_y[i]) for i in batch]
    depth = len(weights)
    column = shown(report, "batch_dC/d[")
    assert len(column) >= 5
    total = sum(w.size + b.size for w, b in zip(weights, biases, strict=True))
    assert shown(report, "gradient_components")["gradient_components"] == total
    pattern = r"batch_dC/d\[(w|b)\((L(?:-\d+)?)\)\[([\d,]+)\]\]"
    for key, value in column.items():
        kind, layer, index = re.fullmatch(pattern, key).groups()
        number = layer_number(layer, depth)
        index = tuple(int(i) for i in index.split(","))
        parts = [g[0 if kind == "w" else 1][number - 1][index] for g in grads]
        assert value == pytest.approx(np.mean(parts), rel=RTOL, abs=1e-15)
    # the column starts at layer L's first weights, in order
    assert "batch_dC/d[w(L)[0,0]]" in column and "batch_dC/d[w(L)[0,1]]" in column
    # and one entry by finite differences of the mini-batch's mean cost
    key = "batch_dC/d[w(L)[0,1]]"
    h = 1e-6
    xs, ys = data.train_x[batch], data.train_y[batch]
    plus = [w.copy() for w in weights]
    minus = [w.copy() for w in weights]
    plus[-1][0, 1] += h
    minus[-1][0, 1] -= h
    slope = (mean_cost(plus, biases, xs, ys) - mean_cost(minus, biases, xs, ys)) / (2 * h)
    assert column[key] == pytest.approx(slope, rel=1e-6)


def read_shown(text: str) -> tuple[Decimal, Decimal]:
    """A number as written on screen (``-0.0188``, ``3``, ``1.2 times 10^(-5)``): its
    value exactly, and half a unit of its last written digit."""
    match = re.fullmatch(r"(-?\d+(?:\.(\d+))?)(?: times 10\^\((-?\d+)\))?", text)
    assert match, f"not a number as written: {text!r}"
    scale = Decimal(10) ** int(match.group(3) or 0)
    decimals = len(match.group(2) or "")
    return Decimal(match.group(1)) * scale, Decimal(5) * Decimal(10) ** -(decimals + 1) * scale


def test_step_row_holds_on_the_digits_shown(variant):
    """The step w − η·mean = w′ as written: redone by hand on the digits shown, it gives
    the result shown to its last digit; and each number is the one training's first step
    uses (the untrained weight, the mini-batch's mean slope by backpropagation)."""
    name, params = variant
    report = report_of(variant, "AverageGradient")
    steps = [
        row
        for row in report.rows
        if {"learning_rate", "stepped_weight"} <= {p["key"] for p in row if isinstance(p, dict)}
    ]
    assert len(steps) == 1
    row = steps[0]
    words = [p.strip() for p in row if isinstance(p, str)]
    assert words[1:] == ["-", "dot", "="]  # w = w0 − η · mean = w′
    w0, eta, mean, stepped = (p for p in row if isinstance(p, dict))
    (w0_read, _), (eta_read, _), (mean_read, _) = (read_shown(p["text"]) for p in (w0, eta, mean))
    stepped_read, half_unit = read_shown(stepped["text"])
    assert abs(w0_read - eta_read * mean_read - stepped_read) <= half_unit, row
    # the numbers themselves, from first principles
    weights, biases, order = untrained(params)
    data = load_dataset(params.digits.test_fraction)
    wp = params.weight
    batch = order[: params.digits.batch_size]
    slopes = [
        backprop(weights, biases, data.train_x[i], data.train_y[i])[0][wp.layer - 1][wp.j, wp.k]
        for i in batch
    ]
    truth = {
        "w0": weights[wp.layer - 1][wp.j, wp.k],
        "eta": params.digits.learning_rate,
        "mean": np.mean(slopes),
    }
    truth["stepped"] = truth["w0"] - truth["eta"] * truth["mean"]
    for shown_number, (label, value) in zip((w0, eta, mean, stepped), truth.items(), strict=True):
        read, half = read_shown(shown_number["text"])
        assert abs(float(read) - value) <= float(half) * (1 + 1e-9), (label, shown_number)
    # the narration says the weight before the step with the figures the row shows
    said = [
        p["text"].replace("\u2212", "-")
        for line in report.narration
        for p in line["parts"]
        if isinstance(p, dict) and p["key"] == w0["key"]
    ]
    assert said == [w0["text"]]


def test_summary_deltas_from_first_principles(variant):
    name, params = variant
    report = report_of(variant, "Summary")
    assert report.equations >= 5
    snapshot = digits_numbers(params).snapshot
    weights = [np.asarray(w) for w in snapshot.network.weights]
    biases = [np.asarray(b) for b in snapshot.network.biases]
    x, y = snapshot.example.x, snapshot.example.y
    activations, zs = [x], []
    for w, b in zip(weights, biases, strict=True):
        zs.append(w @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    depth = len(weights)
    deltas = [None] * depth
    s = sigmoid(zs[-1])
    deltas[-1] = 2 * (activations[-1] - y) * s * (1 - s)
    for layer in reversed(range(depth - 1)):
        s = sigmoid(zs[layer])
        deltas[layer] = (weights[layer + 1].T @ deltas[layer + 1]) * s * (1 - s)
    found = 0
    for key, value in shown(report, "dC0/d[z(").items():
        layer, j = re.fullmatch(r"dC0/d\[z\((L(?:-\d+)?)\)\[(\d+)\]@snapshot\]", key).groups()
        assert value == pytest.approx(deltas[layer_number(layer, depth) - 1][int(j)], rel=RTOL)
        found += 1
    assert found >= 2  # δ of the output and of layer L−1


def test_training_says_right_or_wrong_as_the_networks_answer(variant):
    name, params = variant
    report = report_of(variant, "Training")
    numbers = digits_numbers(params)
    label = numbers.example.label
    lines = [line for line in report.narration if line["beat"] == "outputs"]
    networks = {"untrained": numbers.untrained, "trained": numbers.network}
    if params.snapshot.epoch < params.digits.epochs:
        networks["snapshot"] = numbers.snapshot.network
    assert len(lines) == len(networks)
    for line in lines:
        keys = [p["key"] for p in line["parts"] if isinstance(p, dict)]
        run = next(k.partition("@")[2] or "trained" for k in keys if k.startswith("prediction"))
        net = networks[run]
        a = numbers.example.x
        for w, b in zip(net.weights, net.biases, strict=True):
            a = sigmoid(w @ a + b)
        right = int(np.argmax(a)) == label
        words = [p for p in line["parts"] if isinstance(p, str)]
        assert ("right." in words) == right and ("wrong." in words) != right
