"""FireTogether and GeneralFormulas on the snapshot network: true numbers, narration in every
beat, words that follow the values, and the brightness sweep, all against a forward and
backward pass written here with numpy.

The parameter files are chosen so the value-dependent words flip between them: after one
epoch (the default) the network misreads its 3, after three epochs it reads it right; the
brightest neuron of layer L−1 should get brighter in one file and dimmer in another.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from scene_support import edited_params

from bpcalc.core.digits import load_dataset
from bpcalc.numbers import digits_numbers
from bpcalc.params import Params, load_params
from bpcalc.pipeline.catalog import SceneEntry
from bpcalc.pipeline.check import SceneCheck, check_scene, scientific

pytestmark = pytest.mark.usefixtures("silent_voice")  # numbers and layout only

ROOT = Path(__file__).resolve().parents[2]
FIRE = SceneEntry(ROOT / "scenes" / "fire_together.py", "FireTogether")
GENERAL = SceneEntry(ROOT / "scenes" / "general_formulas.py", "GeneralFormulas")
SCENES = {"fire": FIRE, "general": GENERAL}

# name: edits of bpcalc.toml, as {table: {key: value}}
CASES: dict[str, dict[str, dict[str, object]]] = {
    "default": {},
    "three-layers": {"digits": {"layers": [64, 32, 10]}},
    "five-layers": {"digits": {"layers": [64, 20, 16, 12, 10]}},
    "digit-7": {"example": {"digit": 7}},
    "snapshot-3": {"snapshot": {"epoch": 3}},
    "one-epoch": {"digits": {"epochs": 1}},
}
KEY_KINDS = ("dC0/d[z(L)", "path_term", "sweep_gradient", "cost_term")  # must stay readable


@pytest.fixture(scope="module")
def case_params(tmp_path_factory: pytest.TempPathFactory):
    @cache
    def params(name: str) -> Params:
        return load_params(edited_params(tmp_path_factory.mktemp(name), CASES[name]))

    return params


@pytest.fixture(scope="module")
def checked(case_params):
    @cache
    def run(name: str, scene: str) -> SceneCheck:
        return check_scene(SCENES[scene], case_params(name))

    return run


# first principles ----------------------------------------------------------------


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Pass:
    """The snapshot network's forward and backward pass on the followed example, by hand."""

    def __init__(self, params: Params) -> None:
        snapshot = digits_numbers(params).snapshot
        self.weights = [np.array(w) for w in snapshot.network.weights]
        self.biases = [np.array(b) for b in snapshot.network.biases]
        data = load_dataset(params.digits.test_fraction)
        digit, index = params.example.digit, params.example.index
        self.label = digit
        self.x = data.test_x[np.flatnonzero(data.test_labels == digit)[index]]
        self.y = np.eye(10)[digit]
        self.a = [self.x]
        for w, b in zip(self.weights, self.biases, strict=True):
            self.a.append(sigmoid(w @ self.a[-1] + b))
        out = self.a[-1]
        self.delta = out * (1 - out) * 2 * (out - self.y)  # ∂C0/∂z_j of the output layer
        self.prediction = int(np.argmax(out))
        self.previous = self.a[-2]  # a_k of layer L−1
        self.brightest = int(np.argmax(self.previous))
        self.dC_da_brightest = float(self.weights[-1][:, self.brightest] @ self.delta)

    def cost(self, previous: np.ndarray | None = None, w_last: np.ndarray | None = None) -> float:
        """C0 from layer L−1 on, with its activations or the last weights replaced."""
        a = self.previous if previous is None else previous
        w = self.weights[-1] if w_last is None else w_last
        return float(np.sum((sigmoid(w @ a + self.biases[-1]) - self.y) ** 2))


def words(report: SceneCheck, beat: str | None = None) -> str:
    """The narration (of one beat) as text, numbers as the captions say them."""
    return " ".join(
        part if isinstance(part, str) else part["text"]
        for line in report.narration
        if beat is None or line["beat"] == beat
        for part in line["parts"]
    )


def values(report: SceneCheck, kind: str) -> dict[int, float]:
    """The shown values of a kind with one index, by index: ``sweep_a`` → {state: value}."""
    found = {}
    for number in report.numbers:
        match = re.fullmatch(rf"{kind}\[(\d+)\](@\w+)?", number["key"])
        if match:
            found[int(match.group(1))] = number["value"]
    return found


# tests ---------------------------------------------------------------------------


@pytest.mark.render
@pytest.mark.parametrize("scene", sorted(SCENES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_number_true_and_every_beat_narrated(checked, case, scene):
    report = checked(case, scene)
    assert report.failures == []
    narrated = {line["beat"] for line in report.narration}
    assert report.sections and set(report.sections) <= narrated
    for line in report.narration:
        text = " ".join(p if isinstance(p, str) else p["text"] for p in line["parts"])
        assert len(re.findall(r"[.:!?](\s|$)", text + " ")) <= 4, text  # short lines
    if scene == "fire":
        assert "brightness-sweep" in report.sections


@pytest.mark.render
@pytest.mark.parametrize("scene", sorted(SCENES))
def test_readable_with_default_parameters(checked, scene):
    report = checked("default", scene)
    assert report.scientific_share <= 0.05
    key_numbers = [n for n in report.numbers if n["key"].startswith(KEY_KINDS)]
    assert key_numbers
    assert not [n for n in key_numbers if scientific(n["text"])]


def test_the_cases_flip_the_words(case_params):
    """The parameter files below do exercise both branches of each value-dependent word."""
    passes = {name: Pass(case_params(name)) for name in CASES}
    rights = {p.prediction == p.label for p in passes.values()}
    assert rights == {True, False}
    assert passes["default"].prediction != passes["default"].label
    assert passes["snapshot-3"].prediction == passes["snapshot-3"].label
    assert {p.dC_da_brightest < 0 for p in passes.values()} == {True, False}
    assert {p.delta[np.argmax(np.abs(p.delta))] < 0 for p in passes.values()} == {True, False}


@pytest.mark.render
@pytest.mark.parametrize("case", sorted(CASES))
def test_right_or_wrong_follows_the_forward_pass(checked, case_params, case):
    truth = Pass(case_params(case))
    right = truth.prediction == truth.label
    fire, general = checked(case, "fire"), checked(case, "general")
    said = words(fire, "last-layers")
    assert ("That is right." in said) is right
    assert ("That is wrong." in said) is not right
    assert f"its answer: {truth.prediction} ." in said
    said = words(general, "indices")
    assert f"as a {truth.prediction} : {'right' if right else 'wrong'}." in said
    epochs = case_params(case).snapshot.epoch
    assert f"after {epochs} {'epoch' if epochs == 1 else 'epochs'} of training" in words(fire)


@pytest.mark.render
@pytest.mark.parametrize("case", sorted(CASES))
def test_wishes_and_directions_follow_the_gradients(checked, case_params, case):
    truth = Pass(case_params(case))
    fire, general = checked(case, "fire"), checked(case, "general")
    strongest = int(np.argmax(np.abs(truth.delta)))
    up = "up" if truth.delta[strongest] < 0 else "down"
    assert f"Output {strongest} wants to move most: {up}," in words(fire, "wishes")
    k = truth.brightest
    way = "brighter" if truth.dC_da_brightest < 0 else "dimmer"
    assert f"Summed for neuron {k}" in words(fire, "backwards")
    assert f"it should get {way}." in words(fire, "backwards")
    assert f"neuron {k} should get {way}." in words(general, "sum-over-paths")
    # a weight into the label's neuron from a lit neuron: a_k > 0, so it moves against δ_label
    grow = "increase" if truth.delta[truth.label] < 0 else "decrease"
    assert f"this weight should {grow}." in words(general, "one-weight")
    assert f"the more its weight should {grow}:" in words(fire, "brightness-sweep")


@pytest.mark.render
@pytest.mark.parametrize("case", sorted(CASES))
def test_brightness_sweep_is_a_k_times_delta(checked, case_params, case):
    truth = Pass(case_params(case))
    report = checked(case, "fire")
    states = values(report, "sweep_a")
    gradients = values(report, "sweep_gradient")
    # the brightness glides through the core's states, its readouts typeset frame by frame
    # from a_k δ_j; the track's two ends are written as the core's first and last states
    sweep = digits_numbers(case_params(case)).snapshot.sweep
    a, g = sweep.a, sweep.gradient
    last = len(a) - 1
    assert sorted(states) == sorted(gradients) == [0, last]
    assert states[0] == a[0] and states[last] == a[last]
    assert gradients[0] == g[0] and gradients[last] == g[last]
    assert sweep.gradient_at(0.3) == pytest.approx(0.3 * truth.delta[truth.label], rel=1e-12)
    # from 0 to 1, increasing, in steps of a fifth (a quarter step more beside the actual value)
    assert a[0] == 0 and a[-1] == 1 and len(a) >= 6
    assert np.all(np.diff(a) > 0) and np.all(np.diff(a) <= 0.25 + 1e-12)
    focus, k = truth.label, truth.brightest  # the swept neuron: the brightest, largest a_k δ_j
    assert np.isclose(a, truth.previous[k], rtol=0, atol=1e-12).sum() == 1
    np.testing.assert_allclose(g, a * truth.delta[focus], rtol=1e-9, atol=1e-15)
    # at the actual brightness it is the true ∂C0/∂w_jk: a central difference of the cost
    h = 1e-6
    plus, minus = truth.weights[-1].copy(), truth.weights[-1].copy()
    plus[focus, k] += h
    minus[focus, k] -= h
    numeric = (truth.cost(w_last=plus) - truth.cost(w_last=minus)) / (2 * h)
    actual = int(np.argmin(np.abs(a - truth.previous[k])))
    assert g[actual] == pytest.approx(numeric, rel=1e-5, abs=1e-10)
    # and at every state, with δ_j held, the gradient is the slope of z_j in w_jk times δ_j
    for state, brightness in enumerate(a):
        lit = truth.previous.copy()
        lit[k] = brightness
        slope = ((truth.weights[-1][focus] + h * np.eye(len(lit))[k]) @ lit) - (
            truth.weights[-1][focus] @ lit
        )
        assert g[state] == pytest.approx(slope / h * truth.delta[focus], rel=1e-5, abs=1e-10)
    said = words(report, "brightness-sweep")
    assert f"of neuron {k} from 0 to 1" in said
