"""The nudge scene: every number it shows is the core's, recomputed here from scratch."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from scene_support import ROOT, central, chain_forward, check_shown, dry_run, manim_render, sigmoid
from test_chain_rule_scene import expected_value

from bpcalc.numbers import ChainNumbers, chain_numbers
from bpcalc.params import Params, load_params

SCENE = ("nudge_cost.py", "NudgeCost")


def expected_nudge(field: str, chain: ChainNumbers, quantity: str, layer: int, delta: float):
    """A nudge's numbers from two forward passes written out in this test."""
    change = (quantity, layer, delta)  # for "a", a^(layer−1): what feeds layer ``layer``
    zs0, as0, c0 = chain_forward(chain)
    zs1, as1, c1 = chain_forward(chain, change)
    q0 = {"w": chain.w[layer - 1], "b": chain.b[layer - 1], "a": as0[layer - 1]}[quantity]
    dz, da, dC = zs1[layer - 1] - zs0[layer - 1], as1[layer] - as0[layer], c1 - c0
    s = sigmoid(zs0[layer - 1])
    dz_dq = {"w": as0[layer - 1], "b": 1.0, "a": chain.w[layer - 1]}[quantity]
    values = {
        "delta": delta,
        "q0": q0,
        "q1": q0 + delta,
        "z0": zs0[layer - 1],
        "z1": zs1[layer - 1],
        "a0": as0[layer],
        "a1": as1[layer],
        "c0": c0,
        "c1": c1,
        "dz": dz,
        "da": da,
        "dC": dC,
        "ratio": dC / delta,
        "gradient": central(chain, quantity, layer),
        "dz_linear": dz_dq * delta,
        "da_linear": s * (1 - s) * dz,
        "dC_linear": central(chain, "a", layer + 1) * da,
    }
    return values[field]


def expected(key: str, chain: ChainNumbers, params: Params) -> float:
    p = params.nudge
    prefix, _, field = key.rpartition(".")
    if prefix == "nudge":
        return expected_nudge(field, chain, p.parameter, p.layer, p.delta)
    if prefix.startswith("shrink"):
        step = int(prefix.removeprefix("shrink"))
        return expected_nudge(field, chain, p.parameter, p.layer, p.delta / p.shrink**step)
    if prefix.startswith("lever."):
        return expected_nudge(field, chain, prefix.removeprefix("lever."), p.layer, p.delta)
    return expected_value(key, chain, params)


def check(scene, params: Params) -> set[str]:
    chain = chain_numbers(params)
    return check_shown(scene, lambda key: expected(key, chain, params))


def test_every_number_on_screen_is_the_cores(tmp_path: Path, monkeypatch) -> None:
    params_file = ROOT / "bpcalc.toml"
    scene = dry_run(*SCENE, tmp_path, params_file, monkeypatch)
    keys = check(scene, load_params(params_file))
    for needed in (
        "nudge.dz",
        "nudge.da",
        "nudge.dC",
        "nudge.dz_linear",
        "nudge.da_linear",
        "nudge.dC_linear",
        "sigma_prime3",
        "dC0/da3",
        "shrink4.ratio",
        "nudge.gradient",
        "lever.b.dz",
        "lever.a.dz",
        "dC0/db3",
        "dC0/da2",
    ):
        assert needed in keys, needed
    assert scene.section_names == [
        "number-lines",
        "nudge",
        "slopes",
        "shrinking",
        "other-levers",
        "sensitivity",
    ]


def test_nudge_parameters_change_the_scene(tmp_path: Path, monkeypatch) -> None:
    text = (ROOT / "bpcalc.toml").read_text()
    edited = text.replace('parameter = "w"', 'parameter = "b"').replace(
        "delta = 0.5", "delta = 0.2"
    )
    edited = edited.replace("steps = 5", "steps = 3").replace(
        "layer = 3\n# The first", "layer = 2\n# The first"
    )
    params_file = tmp_path / "nudge.toml"
    params_file.write_text(edited)
    params = load_params(params_file)
    assert (params.nudge.parameter, params.nudge.layer, params.nudge.steps) == ("b", 2, 3)
    scene = dry_run(*SCENE, tmp_path, params_file, monkeypatch)
    keys = check(scene, params)
    assert "shrink2.ratio" in keys and "shrink3.ratio" not in keys
    assert {s.value for s in scene.book.shown if s.key == "nudge.delta"} == {0.2}


@pytest.mark.render
def test_real_low_quality_render(tmp_path: Path) -> None:
    result = manim_render(*SCENE, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    (video,) = tmp_path.glob("videos/**/480p15/NudgeCost.mp4")
    with av.open(str(video)) as container:
        seconds = container.duration / av.time_base
    assert 60 <= seconds <= 150
