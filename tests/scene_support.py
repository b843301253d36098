"""Shared by the tests: real renders with `manim render` and `bpcalc render`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bpcalc.params import toml_value

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Headless and quiet: no sandbox as root, no GPU, none of Chromium's own network traffic.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


def toml_text(tables: dict) -> str:
    """A parameter file's text from ``{table: {key: value}}`` (as tomllib reads one)."""
    lines = []
    for table, keys in tables.items():
        lines.append(f"[{table}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in keys.items()]
        lines.append("")
    return "\n".join(lines)
