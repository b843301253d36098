"""The digit-cost and fire-together scenes: every number they show, recomputed here."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import av
import numpy as np
import pytest
from scene_support import ROOT, check_shown, dry_run, manim_render

from bpcalc.digits import load_dataset
from bpcalc.network import Network
from bpcalc.numbers import DigitsNumbers, digits_numbers
from bpcalc.params import Params, load_params

DIGIT_COST = ("digit_cost.py", "DigitCost")
FIRE = ("fire_together.py", "FireTogether")


def run(net: Network, x: np.ndarray) -> list[np.ndarray]:
    """Activations of every layer, written out here."""
    activations = [x]
    for w, b in zip(net.weights, net.biases, strict=True):
        activations.append(1 / (1 + np.exp(-(w @ activations[-1] + b))))
    return activations


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
    with resources.files("bpcalc.data").joinpath("digits.npz").open("rb") as handle:
        raw = np.load(handle)
        levels = raw["images"][np.argmin(np.abs(raw["images"].reshape(-1, 64) / 16 - ex.x).sum(1))]
    runs = {"d": run(digits.network, ex.x), "u": run(digits.untrained, ex.x)}
    net, fire = digits.network, digits.fire
    delta = [derivative(net, ex.x, y, "b", j) for j in range(10)]
    predicted = np.argmax([run(net, x)[-1] for x in data.test_x], axis=1)

    def expected(key: str) -> float:
        if key == "label":
            return label
        if key == "test_accuracy":
            return float(np.mean(predicted == data.test_labels))
        if key.startswith("y_"):
            return y[int(key[2:])]
        if key.startswith("level_"):
            _, row, col = key.split("_")
            return levels[int(row), int(col)]
        tag, _, name = key.partition(".")
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


@pytest.mark.parametrize("scene", [DIGIT_COST, FIRE], ids=["DigitCost", "FireTogether"])
def test_every_number_on_screen_is_the_cores(tmp_path: Path, monkeypatch, scene) -> None:
    params_file = ROOT / "bpcalc.toml"
    params = load_params(params_file)
    shown = dry_run(*scene, tmp_path, params_file, monkeypatch)
    keys = check_shown(shown, expectations(digits_numbers(params), params))
    if scene == DIGIT_COST:
        assert {"d.C0", "u.C0", "d.sq_3", "level_0_3"} <= keys
        assert shown.section_names == ["digit", "forward-pass", "cost", "untrained"]
    else:
        assert {"f.back_sum", "f.delta_3", "f.back_0"} <= keys
        assert shown.section_names == [
            "last-layers",
            "wishes",
            "fire-together",
            "chain-rule-link",
            "backwards",
        ]


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
@pytest.mark.parametrize("scene", [DIGIT_COST, FIRE], ids=["DigitCost", "FireTogether"])
def test_real_low_quality_render(tmp_path: Path, scene) -> None:
    result = manim_render(*scene, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    (video,) = tmp_path.glob(f"videos/**/480p15/{scene[1]}.mp4")
    with av.open(str(video)) as container:
        seconds = container.duration / av.time_base
    low, high = (30, 90) if scene == DIGIT_COST else (60, 150)
    assert low <= seconds <= high
