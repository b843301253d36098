"""The chain-rule scene: every number it shows is the core's, no LaTeX, a real render."""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys
from pathlib import Path

import av
import pytest
from manim import tempconfig

from bpcalc.numbers import ChainNumbers, chain_numbers
from bpcalc.params import Params, load_params
from bpcalc.viz import format_value

ROOT = Path(__file__).resolve().parent.parent
SCENE_FILE = ROOT / "scenes" / "chain_rule.py"


def load_scene_class():
    spec = importlib.util.spec_from_file_location("chain_rule_scene", SCENE_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ChainRule


def dry_run(tmp_path: Path, params_file: Path, monkeypatch) -> object:
    """Construct the scene without writing frames; return it for inspection."""
    monkeypatch.setenv("BPCALC_PARAMS", str(params_file))
    settings = {
        "dry_run": True,
        "media_dir": str(tmp_path),
        "verbosity": "ERROR",
        "progress_bar": "none",
        "frame_rate": 15,
        "pixel_height": 480,
        "pixel_width": 854,
    }
    with tempconfig(settings):
        scene = load_scene_class()(skip_animations=True)  # final states, no frames
        scene.section_names = []
        start_section = scene.next_section
        scene.next_section = lambda name="", *a, **k: (
            scene.section_names.append(name),
            start_section(name, *a, **k),
        )
        scene.render()
    return scene


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def chain_cost(chain: ChainNumbers, change: tuple[str, int, float] | None = None) -> float:
    """C0 of the chain from scratch, with one w, b or a nudged: an independent forward pass."""
    a = chain.x
    for layer in range(1, chain.depth + 1):
        w, b = float(chain.w[layer - 1]), float(chain.b[layer - 1])
        if change and change[1] == layer:
            name, _, h = change
            w, b = (w + h, b) if name == "w" else (w, b + h) if name == "b" else (w, b)
            a = a + h if name == "a" else a
        a = sigmoid(w * a + b)
    if change and change[0] == "a" and change[1] == chain.depth + 1:  # the output itself
        a += change[2]
    return (a - chain.y) ** 2


def central(chain: ChainNumbers, name: str, layer: int, h: float = 1e-6) -> float:
    return (chain_cost(chain, (name, layer, h)) - chain_cost(chain, (name, layer, -h))) / (2 * h)


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
    assert scene.book.shown, "the scene showed no numbers"
    for shown in scene.book.shown:
        want = expected_value(shown.key, chain, params)
        assert shown.value == pytest.approx(want, rel=1e-5, abs=1e-9), shown.key
        assert shown.text == format_value(want) or math.isclose(
            float(shown.text), want, rel_tol=5e-3
        ), (shown.key, shown.text, want)
    return {shown.key for shown in scene.book.shown}


def test_every_number_on_screen_is_the_cores(tmp_path: Path, monkeypatch) -> None:
    params_file = ROOT / "bpcalc.toml"
    scene = dry_run(tmp_path, params_file, monkeypatch)
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
    scene = dry_run(tmp_path, params_file, monkeypatch)
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
    scene = dry_run(tmp_path, params_file, monkeypatch)
    keys = check_every_number(scene, load_params(params_file))
    assert "dC0/dw4" in keys and "dC0/dw3" in keys


def test_the_scene_never_calls_latex(tmp_path: Path, monkeypatch) -> None:
    import manim.utils.tex_file_writing as tex

    def no_latex(*args, **kwargs):
        raise AssertionError("LaTeX was called")

    for name in ("tex_to_svg_file", "compile_tex", "generate_tex_file"):
        monkeypatch.setattr(tex, name, no_latex)
    dry_run(tmp_path, ROOT / "bpcalc.toml", monkeypatch)


def manim_render(media: Path, params_file: Path | None = None):
    """`manim render -ql` of the scene, as a user types it, into ``media``."""
    env = dict(os.environ)
    if params_file is not None:
        env["BPCALC_PARAMS"] = str(params_file)
    manim = Path(sys.executable).parent / "manim"
    return subprocess.run(
        [manim, "render", "-ql", "--media_dir", str(media), str(SCENE_FILE), "ChainRule"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


def test_bad_parameters_stop_the_render_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[chain]\nstep = -3\n")
    earlier = tmp_path / "videos" / "chain_rule" / "480p15" / "ChainRule.mp4"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"a good render from before")
    result = manim_render(tmp_path, bad)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.toml: chain.step = -3" in lines[0], result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert earlier.read_bytes() == b"a good render from before"


@pytest.mark.render
def test_real_low_quality_render(tmp_path: Path) -> None:
    result = manim_render(tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    (video,) = tmp_path.glob("videos/**/480p15/ChainRule.mp4")
    with av.open(str(video)) as container:
        seconds = container.duration / av.time_base
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (854, 480)
    assert 60 <= seconds <= 150
