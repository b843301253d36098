"""Benchmarks: print the figures behind the speed targets (never a timed test).

    .venv/bin/python benchmarks/bench.py            # everything
    .venv/bin/python benchmarks/bench.py numbers    # only `bpcalc numbers --json`
    .venv/bin/python benchmarks/bench.py render     # only `manim render -ql` per scene
    .venv/bin/python benchmarks/bench.py gallery    # only the `bpcalc render` pipeline
    .venv/bin/python benchmarks/bench.py split      # ChainRule at -qh: bpcalc render vs manim
    .venv/bin/python benchmarks/bench.py gallery-h  # every scene at -qh (several minutes)
    .venv/bin/python benchmarks/bench.py stages     # where -qh CPU goes, per drawn frame

Targets: cold `bpcalc numbers --json` <= 2 s including training, warm <= 0.5 s;
`manim render -ql` wall time / video length <= 0.25 for every scene; the whole
gallery at -ql <= 0.25 wall-s per video-s; a `bpcalc render` with nothing to do <= 2 s;
`bpcalc render ChainRule -q h` (one scene, split across idle cores) <= 0.6 of a plain
`manim render -qh` of the same scene in the same run; the whole gallery at -q h <= 0.6
wall-s per video-s.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def scenes() -> dict[str, str]:
    """Every scene in scenes/, in story order: file name → class name."""
    from bpcalc.pipeline.catalog import discover

    return {entry.file.name: entry.name for entry in discover(ROOT)}


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
        for file, scene in scenes().items():
            command = [
                str(BIN / "manim"),
                "render",
                "-ql",
                "--media_dir",
                str(media),
                f"scenes/{file}",
                scene,
            ]
            wall = timed(command, env)
            (video,) = media.glob(f"videos/**/{scene}.mp4")
            length = video_seconds(video)
            print(
                f"{scene:<16} render -ql: {wall:6.1f} s wall, {length:6.1f} s video, "
                f"ratio {wall / length:.3f}   target <= 0.25"
            )
    finally:
        shutil.rmtree(media, ignore_errors=True)


def bench_gallery() -> None:
    """`bpcalc render` on a copy of the project: everything, nothing, then one [chain] edit."""
    project = Path(tempfile.mkdtemp(prefix="bpcalc-bench-project-"))
    try:
        for name in ("scenes", "bpcalc.toml", "manim.cfg"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
        command = [str(BIN / "bpcalc"), "render", "--quality", "l"]

        def run(*extra: str) -> tuple[float, str]:
            start = time.perf_counter()
            result = subprocess.run(
                [*command, *extra], cwd=project, capture_output=True, text=True, check=True
            )
            return time.perf_counter() - start, result.stdout

        wall, output = run("--force")
        video_total = 0.0
        pattern = r"\] (\w+): ok in ([\d.]+) s \(([\d.]+) s of video\)"
        for name, seconds, video in re.findall(pattern, output):
            video_total += float(video)
            print(
                f"{name:<16} bpcalc render: {float(seconds):6.1f} s wall, {float(video):6.1f} s "
                f"video, ratio {float(seconds) / float(video):.3f}   (scenes run in parallel)"
            )
        print(
            f"{'gallery':<16} bpcalc render: {wall:6.1f} s wall, {video_total:6.1f} s video, "
            f"ratio {wall / video_total:.3f}   target <= 0.25"
        )
        noop, _ = run()
        print(f"no-op re-run: {noop:.2f} s   target <= 2 s")
        params = project / "bpcalc.toml"
        params.write_text(params.read_text().replace("step = 500", "step = 501", 1))
        edited, output = run()
        last = output.strip().splitlines()[-1]
        print(f"re-run after a one-key [chain] edit: {edited:.1f} s ({last})")
    finally:
        shutil.rmtree(project, ignore_errors=True)


def _project() -> Path:
    project = Path(tempfile.mkdtemp(prefix="bpcalc-bench-project-"))
    for name in ("scenes", "bpcalc.toml", "manim.cfg"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    return project


def speed_check() -> float:
    """Seconds of a fixed single-core workload (Python and numpy), timed on its own.

    The machine is shared and its speed drifts by a third from hour to hour:
    figures are comparable when their speed checks are.
    """
    import numpy as np

    start = time.process_time()
    total = 0
    for number in range(20_000_000):
        total += number % 7
    matrix = np.random.default_rng(0).random((300, 300))
    for _ in range(300):
        matrix = np.tanh(matrix @ matrix.T / 300)
    return time.process_time() - start


def _measured(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run ``command``: its wall seconds, its (children's) CPU seconds, its output."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stdout


def _high(target: float, label: str, *scenes: str) -> float:
    """`bpcalc render -q h` of ``scenes`` (all when none) in a fresh copy: wall / video;
    returns the wall seconds."""
    project = _project()
    check = speed_check()
    try:
        command = [str(BIN / "bpcalc"), "render", "-q", "h", "--force", *scenes]
        wall, cpu, stdout = _measured(command, project)
        pattern = r"\] (\w+): ok in [\d.]+ s \(([\d.]+) s of video([^)]*)\)"
        found = re.findall(pattern, stdout)
        video = sum(float(seconds) for _, seconds, _ in found)
        how = "; ".join(f"{name}{extra}" for name, _, extra in found)
        print(
            f"{label:<28} {wall:6.1f} s wall, {video:6.1f} s video, ratio {wall / video:.3f}"
            f"   target <= {target}   ({how}; {os.cpu_count()} cores)"
        )
        # On a shared machine the wall figure includes other people's work; CPU time
        # spread over the cores is what the same run would take with the cores to itself.
        cores = os.cpu_count() or 1
        print(
            f"{'':<28} {cpu:6.1f} CPU-s, {cpu / video:.3f} CPU-s per video-s; "
            f"on {cores} idle cores at best {cpu / cores / video:.3f} wall-s per video-s; "
            f"load average {os.getloadavg()[0]:.1f} at the end"
        )
        print(f"{'':<28} speed check {check:.2f} s before, {speed_check():.2f} s after")
        return wall
    finally:
        shutil.rmtree(project, ignore_errors=True)


def bench_split() -> None:
    """ChainRule at -qh: `bpcalc render` (split across the cores, every published file)
    against a plain `manim render -qh` (one process, the MP4 only), in the same run."""
    ours = _high(0.7, "ChainRule bpcalc render -qh", "ChainRule")
    project = _project()
    try:
        command = [str(BIN / "manim"), "render", "-qh", "scenes/chain_rule.py", "ChainRule"]
        wall, cpu, _ = _measured(command, project)
        (video,) = project.glob("renders/videos/chain_rule/1080p60/ChainRule.mp4")
        length = video_seconds(video)
    finally:
        shutil.rmtree(project, ignore_errors=True)
    print(
        f"{'ChainRule manim render -qh':<28} {wall:6.1f} s wall, {length:6.1f} s video, "
        f"ratio {wall / length:.3f}; {cpu:6.1f} CPU-s, {cpu / length:.3f} CPU-s per video-s"
    )
    print(
        f"{'bpcalc / manim at -qh':<28} {ours / wall:.2f}   target <= 0.6   "
        f"({ours:.1f} s against {wall:.1f} s, in the same run)"
    )


def bench_gallery_high() -> None:
    _high(0.6, "gallery bpcalc render -qh")


def bench_stages() -> None:
    """CPU per stage of 40 animations of ChainRule at -qh, as `bpcalc render` runs Manim."""
    from bpcalc.params import WEBM_CLIPS
    from bpcalc.pipeline.runner import MANIM_OPTIONS

    media = Path(tempfile.mkdtemp(prefix="bpcalc-bench-media-"))
    command = [
        str(BIN / "python"),
        str(ROOT / "benchmarks" / "stages.py"),
        "render",
        "-qh",
        *MANIM_OPTIONS,
        "--encoder-option",
        "threads=1",  # x264's work on the timed thread
        "--media_dir",
        str(media),
        "scenes/chain_rule.py",
        "ChainRule",
        "-n",
        "20,60",
    ]
    try:
        env = {**os.environ, WEBM_CLIPS: "1"}
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        report = result.stderr[result.stderr.index("process CPU") :]
        print(f"ChainRule -qh, animations 20-60, one thread per encoder: {report.rstrip()}")
    finally:
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    which = set(sys.argv[1:]) or {"numbers", "render", "gallery", "split", "gallery-h", "stages"}
    if "numbers" in which:
        bench_numbers()
    if "render" in which:
        bench_render()
    if "gallery" in which:
        bench_gallery()
    if "split" in which:
        bench_split()
    if "gallery-h" in which:
        bench_gallery_high()
    if "stages" in which:
        bench_stages()
