"""ChainRule's motion: the ripple's states and Δ's, and narration that stays true.

The scene is dry-run on several parameter files (chain depth 2, 3 and 5, other
[nudge] layers, parameters and Δ). Every number the ripple moves is recomputed
here from first principles (math.exp on the chain's w, b and x), never taken
from the code under test; and every beat must say something true.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from scene_support import edited_params

from bpcalc.numbers import chain_numbers
from bpcalc.params import load_params
from bpcalc.pipeline.catalog import SceneEntry
from bpcalc.pipeline.check import check_scene, dry_run

# dry runs of the scenes (render), on numbers and layout only (silent)
pytestmark = [pytest.mark.render, pytest.mark.usefixtures("silent_voice")]

ROOT = Path(__file__).resolve().parents[2]
SCENE = ROOT / "scenes" / "chain_rule.py"
BEATS = [
    "network",
    "cost-of-everything",
    "focus",
    "forward-pass",
    "tree",
    "ripple",
    "chain-rule",
    "other-levers",
    "one-layer-back",
]
VARIANTS = {
    "default": {},
    "depth2": {"chain": {"depth": 2}, "nudge": {"layer": 2}},
    "depth5": {"chain": {"depth": 5}, "nudge": {"layer": 5}},
    "nudge-bias-layer1": {"nudge": {"parameter": "b", "layer": 1}},
    "big-delta-x-low": {"nudge": {"delta": 2.0, "layer": 2}, "chain": {"x": 0.3}},
}


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def last_layer_states(w: list[float], b: list[float], x: float, y: float, nudge: float = 0.0):
    """w^(L), z^(L), a^(L) and C0 with w^(L) pushed by ``nudge``: a forward pass by hand."""
    a = x
    for weight, bias in zip(w[:-1], b[:-1], strict=True):
        a = sigmoid(weight * a + bias)
    w_last = w[-1] + nudge
    z = w_last * a + b[-1]
    out = sigmoid(z)
    return w_last, z, out, (out - y) ** 2


@pytest.fixture(scope="module", params=list(VARIANTS))
def told(request, tmp_path_factory):
    """The scene dry-run on one parameter file, with the file's own numbers."""
    folder = tmp_path_factory.mktemp(request.param)
    params = load_params(edited_params(folder, VARIANTS[request.param], f"{request.param}.toml"))
    scene = dry_run(SCENE, "ChainRule", params)
    chain = chain_numbers(params)
    w, b = [float(v) for v in chain.w], [float(v) for v in chain.b]
    x = params.chain.x
    y = float(x >= params.chain.threshold)
    before = last_layer_states(w, b, x, y)
    after = last_layer_states(w, b, x, y, params.nudge.delta)
    return scene, params, before, after


def shown(scene, key: str) -> list[float]:
    return [s.value for s in scene.book.shown if s.quantity.key == key]


def spoken(scene, beat: str) -> list[str]:
    lines = []
    for name, pieces in scene.book.narration:
        if name == beat:
            lines.append(" ".join(p if isinstance(p, str) else p.words for p in pieces))
    return lines


def test_beats_in_order_each_narrated(told) -> None:
    scene, *_ = told
    assert scene.beats == BEATS
    for beat in BEATS:
        lines = spoken(scene, beat)
        assert lines, f"{beat} says nothing"
        for line in lines:  # short enough for a caption: at most three sentences
            assert line.count(". ") + 1 <= 3, line


def test_check_passes(told) -> None:
    scene, params, *_ = told
    report = check_scene(SceneEntry(SCENE, "ChainRule"), params)
    assert report.failures == []
    assert report.sections == BEATS


def test_ripple_deltas_are_a_real_second_forward_pass(told) -> None:
    scene, params, before, after = told
    want = {
        "nudge.delta@ripple": params.nudge.delta,
        "nudge.dz@ripple": after[1] - before[1],
        "nudge.da@ripple": after[2] - before[2],
        "nudge.dC@ripple": after[3] - before[3],
    }
    for key, value in want.items():
        values = shown(scene, key)
        assert values, f"{key} is not on screen"
        assert values == pytest.approx([value] * len(values), rel=1e-9, abs=1e-15), key
    # the hop's words: the ratio said aloud is ΔC0/Δw
    said = {p.quantity.key: p.value for p in scene.book.spoken()}
    assert said["nudge.ratio@ripple"] == pytest.approx(
        want["nudge.dC@ripple"] / want["nudge.delta@ripple"]
    )


def test_ripple_dots_move_between_true_states(told) -> None:
    """Each number line's dot goes from the value before the nudge to the value after:
    w^(L), z^(L), a^(L), C0, in that order, left or right as the value really goes."""
    scene, _, before, after = told
    assert len(scene.lines) == 4
    for line, start, end in zip(scene.lines, before, after, strict=True):
        assert line.values == pytest.approx((start, end), rel=1e-9, abs=1e-15)
        left_to_right = line.point(1)[0] > line.point(0)[0]
        assert left_to_right == (end > start)


def test_value_words_follow_the_values(told) -> None:
    scene, params, before, after = told
    ripple = " ".join(spoken(scene, "ripple"))
    assert ("the cost rises" in ripple) == (after[3] > before[3])
    assert ("the cost falls" in ripple) == (after[3] <= before[3])
    assert ("So z rises" in ripple) == (after[1] > before[1])
    y = float(params.chain.x >= params.chain.threshold)
    focus = " ".join(spoken(scene, "focus"))
    assert ("below" in focus) == (before[2] < y)
    # ∂C0/∂w^(L) by central differences on the hand-made forward pass
    chain = chain_numbers(params)
    w, b = [float(v) for v in chain.w], [float(v) for v in chain.b]
    h = 1e-6
    slope = (
        last_layer_states(w, b, params.chain.x, y, h)[3]
        - last_layer_states(w, b, params.chain.x, y, -h)[3]
    ) / (2 * h)
    rule = " ".join(spoken(scene, "chain-rule"))
    assert ("increase it" in rule) == (slope < 0)
    assert ("decrease it" in rule) == (slope > 0)
