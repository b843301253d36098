"""Benchmarks: print the figures behind the speed targets (never a timed test).

    .venv/bin/python benchmarks/bench.py            # everything
    .venv/bin/python benchmarks/bench.py numbers    # only `bpcalc numbers --json`
    .venv/bin/python benchmarks/bench.py render     # only the scene render ratios

Targets: cold `bpcalc numbers --json` <= 2 s including training, warm <= 0.5 s;
`manim render -ql` wall time / video length <= 0.25 for every scene.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCENES = {
    "chain_rule.py": "ChainRule",
    "nudge_cost.py": "NudgeCost",
    "digit_cost.py": "DigitCost",
    "fire_together.py": "FireTogether",
}


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_numbers() -> None:
    cache = tempfile.mkdtemp(prefix="bpcalc-bench-cache-")
    env = {**os.environ, "BPCALC_CACHE_DIR": cache}
    command = [str(BIN / "bpcalc"), "numbers", "--json"]
    try:
        cold = timed(command, env)
        warm = min(timed(command, env) for _ in range(3))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"bpcalc numbers --json  cold (no cache): {cold:5.2f} s   target <= 2.0 s")
    print(f"bpcalc numbers --json  warm (best of 3): {warm:5.2f} s   target <= 0.5 s")


def video_seconds(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        return container.duration / av.time_base


def bench_render() -> None:
    media = Path(tempfile.mkdtemp(prefix="bpcalc-bench-media-"))
    env = dict(os.environ)
    try:
        for file, scene in SCENES.items():
            command = [str(BIN / "manim"), "render", "-ql", "--media_dir", str(media),
                       f"scenes/{file}", scene]
            wall = timed(command, env)
            (video,) = media.glob(f"videos/**/{scene}.mp4")
            length = video_seconds(video)
            print(f"{scene:<16} render -ql: {wall:6.1f} s wall, {length:6.1f} s video, "
                  f"ratio {wall / length:.3f}   target <= 0.25")
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    which = set(sys.argv[1:]) or {"numbers", "render"}
    if "numbers" in which:
        bench_numbers()
    if "render" in which:
        bench_render()
