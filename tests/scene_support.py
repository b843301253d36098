"""Shared by the scene tests: dry runs, real renders, and the chain from first principles."""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from manim import tempconfig

from bpcalc.numbers import ChainNumbers
from bpcalc.viz import format_value

ROOT = Path(__file__).resolve().parent.parent


def load_scene_class(file: str, name: str) -> type:
    spec = importlib.util.spec_from_file_location(f"scene_{name}", ROOT / "scenes" / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def dry_run(file: str, name: str, tmp_path: Path, params_file: Path, monkeypatch):
    """Construct a scene to its final state without writing frames; return it."""
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
        scene = load_scene_class(file, name)(skip_animations=True)
        scene.section_names = []
        start_section = scene.next_section
        scene.next_section = lambda title="", *a, **k: (
            scene.section_names.append(title),
            start_section(title, *a, **k),
        )
        scene.render()
    return scene


def manim_render(file: str, name: str, media: Path, params_file: Path | None = None):
    """`manim render -ql` of a scene, as a user types it, into ``media``."""
    env = dict(os.environ)
    if params_file is not None:
        env["BPCALC_PARAMS"] = str(params_file)
    manim = Path(sys.executable).parent / "manim"
    return subprocess.run(
        [manim, "render", "-ql", "--media_dir", str(media), str(ROOT / "scenes" / file), name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


Change = tuple[str, int, float]  # ("w" | "b" | "a", layer, h); ("a", l) nudges a^(l−1)


def chain_forward(chain: ChainNumbers, change: Change | None = None):
    """z and a of every layer and C0, from the chain's w, b and x, with one nudge."""
    a, zs, activations = chain.x, [], [chain.x]
    for layer in range(1, chain.depth + 1):
        w, b = float(chain.w[layer - 1]), float(chain.b[layer - 1])
        if change and change[1] == layer:
            name, _, h = change
            w, b = (w + h, b) if name == "w" else (w, b + h) if name == "b" else (w, b)
            a = a + h if name == "a" else a
        zs.append(w * a + b)
        a = sigmoid(zs[-1])
        activations.append(a)
    if change and change[0] == "a" and change[1] == chain.depth + 1:  # the output itself
        a += change[2]
    return zs, activations, (a - chain.y) ** 2


def chain_cost(chain: ChainNumbers, change: Change | None = None) -> float:
    return chain_forward(chain, change)[2]


def central(chain: ChainNumbers, name: str, layer: int, h: float = 1e-6) -> float:
    """∂C0 by central differences; for "a", ``layer`` is the layer it feeds."""
    return (chain_cost(chain, (name, layer, h)) - chain_cost(chain, (name, layer, -h))) / (2 * h)


def check_shown(scene, expected) -> set[str]:
    """Every number the scene put on screen equals ``expected(key)`` and reads as it."""
    assert scene.book.shown, "the scene showed no numbers"
    for shown in scene.book.shown:
        want = expected(shown.key)
        assert shown.value == pytest.approx(want, rel=1e-5, abs=1e-9), shown.key
        assert shown.text == format_value(shown.value), shown.key
    return {shown.key for shown in scene.book.shown}


def bpcalc_render(project: Path, *args: str, env: dict[str, str] | None = None):
    """`bpcalc render ARGS` run in ``project``, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bpcalc.cli", "render", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
