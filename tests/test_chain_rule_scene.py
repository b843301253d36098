"""The chain-rule scene: every number it shows is the core's, no LaTeX, a real render."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from scene_support import ROOT, central, chain_cost, check_shown, dry_run, manim_render, sigmoid

from bpcalc.numbers import ChainNumbers, chain_numbers
from bpcalc.params import Params, load_params

SCENE = ("chain_rule.py", "ChainRule")


def expected_value(key: str, chain: ChainNumbers, params: Params) -> float:
    """What a number with this key must show, computed here from first principles."""
    if key == "step":
        return params.chain.step
    if key == "threshold":
        return params.chain.threshold
    if key == "y":
        return float(params.chain.x >= params.chain.threshold)
    if key == "C0":
        return chain_cost(chain)
    if key.startswith("sigma_prime"):
        s = sigmoid(chain.z[int(key.removeprefix("sigma_prime")) - 1])
        return s * (1 - s)
    if key.startswith("dC0/d"):  # a full gradient: central differences on the chain
        name, layer = key[5], int(key[6:])
        return central(chain, "a", layer + 1) if name == "a" else central(chain, name, layer)
    if key.startswith("d"):  # a local derivative on an edge of the tree
        top, bottom = key[1:].split("/d")
        layer = int(top[1:])
        if top[0] == "z":
            return {"w": chain.a[layer - 1], "b": 1.0, "a": chain.w[layer - 1]}[bottom[0]]
        s = sigmoid(chain.z[layer - 1])
        return s * (1 - s)
    name, layer = key[0], int(key[1:])
    if name == "a":
        a = params.chain.x
        for i in range(layer):
            a = sigmoid(chain.w[i] * a + chain.b[i])
        return a
    if name == "z":
        return (
            chain.w[layer - 1] * expected_value(f"a{layer - 1}", chain, params) + chain.b[layer - 1]
        )
    return {"w": chain.w, "b": chain.b}[name][layer - 1]


def check_every_number(scene, params: Params) -> set[str]:
    chain = chain_numbers(params)
    return check_shown(scene, lambda key: expected_value(key, chain, params))


def test_every_number_on_screen_is_the_cores(tmp_path: Path, monkeypatch) -> None:
    params_file = ROOT / "bpcalc.toml"
    scene = dry_run(*SCENE, tmp_path, params_file, monkeypatch)
    keys = check_every_number(scene, load_params(params_file))
    L = 3
    # the beats' key results are all there
    assert {f"dC0/dw{L}", f"dC0/dw{L - 1}", f"dC0/db{L}", f"dC0/da{L - 1}", "C0"} <= keys
    assert scene.section_names == [
        "network",
        "forward-pass",
        "tree",
        "chain-rule",
        "other-levers",
        "one-layer-back",
    ]


def test_scene_follows_the_parameter_file(tmp_path: Path, monkeypatch) -> None:
    text = (ROOT / "bpcalc.toml").read_text()
    edited = text.replace("step = 500", "step = 200").replace("x = 0.8", "x = 0.3")
    params_file = tmp_path / "edited.toml"
    params_file.write_text(edited)
    scene = dry_run(*SCENE, tmp_path, params_file, monkeypatch)
    params = load_params(params_file)
    check_every_number(scene, params)
    shown = {s.key: s.value for s in scene.book.shown}
    assert shown["y"] == 0.0 and shown["step"] == 200
    default = chain_numbers(load_params(ROOT / "bpcalc.toml"))
    assert shown["dC0/dw3"] != pytest.approx(default.dC_dw[2])


def test_deeper_chain_renders_its_last_layers(tmp_path: Path, monkeypatch) -> None:
    text = (ROOT / "bpcalc.toml").read_text().replace("depth = 3", "depth = 4")
    params_file = tmp_path / "deep.toml"
    params_file.write_text(text)
    scene = dry_run(*SCENE, tmp_path, params_file, monkeypatch)
    keys = check_every_number(scene, load_params(params_file))
    assert "dC0/dw4" in keys and "dC0/dw3" in keys


def test_the_scene_never_calls_latex(tmp_path: Path, monkeypatch) -> None:
    import manim.utils.tex_file_writing as tex

    def no_latex(*args, **kwargs):
        raise AssertionError("LaTeX was called")

    for name in ("tex_to_svg_file", "compile_tex", "generate_tex_file"):
        monkeypatch.setattr(tex, name, no_latex)
    dry_run(*SCENE, tmp_path, ROOT / "bpcalc.toml", monkeypatch)


def test_bad_parameters_stop_the_render_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[chain]\nstep = -3\n")
    earlier = tmp_path / "videos" / "chain_rule" / "480p15" / "ChainRule.mp4"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"a good render from before")
    result = manim_render(*SCENE, tmp_path, bad)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.toml: chain.step = -3" in lines[0], result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert earlier.read_bytes() == b"a good render from before"


@pytest.mark.render
def test_real_low_quality_render(tmp_path: Path) -> None:
    result = manim_render(*SCENE, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    (video,) = tmp_path.glob("videos/**/480p15/ChainRule.mp4")
    with av.open(str(video)) as container:
        seconds = container.duration / av.time_base
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (854, 480)
    assert 60 <= seconds <= 150
