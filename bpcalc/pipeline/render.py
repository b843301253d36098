"""`bpcalc render`: render what changed, publish under stable names, write the gallery.

It plans (which scenes are out of date, :mod:`bpcalc.pipeline.catalog` and
:mod:`bpcalc.pipeline.ledger`; how many Manim processes each gets), runs
(each scene in its own scratch folder, in one Manim process or in several,
:mod:`bpcalc.pipeline.runner`; on worker threads, :mod:`bpcalc.pipeline.jobs`),
and reports. A scene's published files (:mod:`bpcalc.pipeline.scene_files`)
only replace older ones once all are complete. Then the episode, when asked
for or joined before, and the gallery follow. Nothing here imports Manim, so a
run with nothing to do is quick.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from bpcalc.params import PARAMS_ENV, Params
from bpcalc.pipeline.catalog import RenderError, SceneEntry, discover, fingerprint, select
from bpcalc.pipeline.episode import build_episode
from bpcalc.pipeline.gallery import write_gallery
from bpcalc.pipeline.jobs import (
    Progress,
    ignore_stops,
    next_outcome,
    render_lock,
    stoppable,
    workers,
)
from bpcalc.pipeline.ledger import QUALITIES, Ledger, SceneRecord
from bpcalc.pipeline.runner import RenderFailed, Run, Stopped, render_scene
from bpcalc.pipeline.scene_files import make_files
from bpcalc.speech.track import MIXED_BY_PIPELINE
from bpcalc.speech.voice import CACHE_ENV

__all__ = ["QUALITIES", "RenderError", "plan_pieces", "render_all"]


@dataclass(frozen=True)
class Outcome:
    entry: SceneEntry
    status: str  # rendered, skipped, failed, stopped
    seconds: float
    detail: str = ""


@dataclass(frozen=True)
class Job:
    """One scene to render, how, and what it rendered as last time."""

    entry: SceneEntry
    key: str
    pieces: int
    webm: bool
    before: SceneRecord | None


@dataclass(frozen=True)
class Settings:
    """What every scene of one run is rendered with."""

    root: Path
    params: Params
    quality: str
    gif: bool
    webm: bool


def render_all(
    root: Path,
    params: Params,
    wanted: list[str],
    quality: str,
    gif: bool,
    jobs: int,
    force: bool,
    episode: bool = False,
    split: int | None = None,
    webm: bool = False,
    base_url: str = "",
) -> int:
    """The whole command: choose, render in parallel, publish, report; exit status.

    ``webm`` adds a VP9 WebM of each scene; ``base_url`` makes the gallery's and
    EMBED.md's snippets link there (where renders/ is uploaded) instead of relatively.
    """
    started = time.perf_counter()
    everything = discover(root)
    if episode and wanted:
        raise RenderError("--episode joins every scene in scenes/: leave out the scene names")
    entries = select(everything, wanted)
    if not entries:
        raise RenderError(f"no scenes found in {root / 'scenes'}")
    renders = root / "renders"
    ledger = Ledger(renders / QUALITIES[quality])
    settings = Settings(root, params, quality, gif, webm)
    run = Run()
    scratch: Path | None = None
    try:
        with stoppable(), render_lock(renders):
            (renders / ".work").mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix="run-", dir=renders / ".work"))
            try:
                todo = _plan(settings, ledger, entries, jobs, force, split)
                outcomes = _run(run, settings, ledger, todo, entries, jobs, scratch)
                failed = sum(o.status == "failed" for o in outcomes)
                extra = ""
                # an episode joined before at this quality is kept in step with its scenes
                if episode or ledger.episode_file.is_file():
                    built, extra = build_episode(run, ledger, everything, scratch)
                    failed += episode and not built
                write_gallery(renders, params, [e.name for e in everything], base_url)
            finally:  # still holding the lock: a waiting run's scratch is not yet made
                _remove_scratch(renders, scratch)
    except Stopped as stop:
        ignore_stops()
        run.stop(stop.signum)
        _remove_scratch(renders, scratch)
        print(
            f"bpcalc render: interrupted by {signal.Signals(stop.signum).name}; "
            "Manim stopped, published files untouched",
            file=sys.stderr,
            flush=True,
        )
        return 128 + stop.signum
    _report(outcomes, ledger.folder, extra, time.perf_counter() - started, renders)
    return 1 if failed else 0


def _plan(
    settings: Settings,
    ledger: Ledger,
    entries: list[SceneEntry],
    jobs: int,
    force: bool,
    split: int | None,
) -> list[Job]:
    """The scenes out of date (all with ``force``), longest first (the last to finish is
    a short one), each with the Manim processes it gets."""
    recorded = ledger.scenes()
    todo = []
    for entry in entries:
        key = fingerprint(entry, settings.params, settings.quality, settings.root)
        before = recorded.get(entry.name)
        if force or not ledger.is_current(entry.name, before, key, settings.gif, settings.webm):
            todo.append(Job(entry, key, 1, settings.webm, before))
    todo.sort(key=lambda job: -_seconds(job))
    pieces = plan_pieces(jobs, [_seconds(job) for job in todo], settings.quality, split)
    return [Job(j.entry, j.key, p, j.webm, j.before) for j, p in zip(todo, pieces, strict=True)]


def _seconds(job: Job) -> float:
    """How long the scene's video was when last rendered (0 if never)."""
    return job.before.seconds if job.before else 0.0


def plan_pieces(jobs: int, lengths: list[float], quality: str, split: int | None) -> list[int]:
    """How many Manim processes each scene gets, given the scenes' expected lengths.

    Cores left idle by too few scenes go to the longest ones; at 480p a scene
    renders in seconds, so splitting it (which costs a count of its
    animations, and Manim's start-up, per piece) does not pay.
    """
    if split is not None:
        return [split] * len(lengths)
    count = len(lengths)
    if quality == "l" or not 0 < count < jobs:
        return [1] * count
    base, extra = divmod(jobs, count)
    longest = sorted(range(count), key=lambda i: -lengths[i])[:extra]
    return [base + (i in longest) for i in range(count)]


def _run(
    run: Run,
    settings: Settings,
    ledger: Ledger,
    todo: list[Job],
    entries: list[SceneEntry],
    jobs: int,
    scratch: Path,
) -> list[Outcome]:
    """List the scenes in story order, render the ones out of date, report each."""
    marks = {
        job.entry.name: "to render" + (f" in {job.pieces} pieces" * (job.pieces > 1))
        for job in todo
    }
    print(f"scenes at {QUALITIES[settings.quality]}, in story order:", flush=True)
    width = max(len(e.name) for e in entries)
    for entry in entries:
        order = f"{entry.story_order}." if entry.story_order is not None else "-"
        mark = marks.get(entry.name, "up to date")
        print(f"  {order:>3} {entry.name:<{width}}  {entry.heading}  ({mark})")
    outcomes = [Outcome(e, "skipped", 0.0) for e in entries if e.name not in marks]
    if not todo:
        return outcomes
    count = max(1, min(len(todo), jobs // max(job.pieces for job in todo)))
    names = ", ".join(job.entry.name for job in todo)
    print(
        f"rendering {len(todo)} scene(s) at {QUALITIES[settings.quality]} "
        f"with {count} job(s): {names}",
        flush=True,
    )

    def task(job: Job) -> Callable[[], Outcome]:
        return lambda: _render_one(run, job, settings, ledger, scratch)

    done = workers([task(job) for job in todo], count)
    totals = {job.entry.name: job.before.animations if job.before else 0 for job in todo}
    progress = Progress(scratch, totals)
    for number in range(1, len(todo) + 1):
        outcome = next_outcome(done, progress)
        totals.pop(outcome.entry.name, None)
        outcomes.append(outcome)
        mark = "ok" if outcome.status == "rendered" else "FAILED"
        print(
            f"  [{number}/{len(todo)}] {outcome.entry.name}: {mark} in "
            f"{outcome.seconds:.1f} s ({outcome.detail})",
            flush=True,
        )
    return outcomes


def _render_one(run: Run, job: Job, settings: Settings, ledger: Ledger, scratch: Path) -> Outcome:
    """Render in a scratch folder, make every file there, then publish them together."""
    entry, root, params = job.entry, settings.root, settings.params
    start = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f"{entry.name}-", dir=scratch))
    try:
        voices = Path(os.environ.get(CACHE_ENV) or root / "renders" / "voice")
        env = {**os.environ, PARAMS_ENV: str(params.source.resolve())}
        env |= {MIXED_BY_PIPELINE: "1", CACHE_ENV: str(voices)}
        rendered = render_scene(
            run, entry.file, entry.name, settings.quality, root, env, work, job.pieces, job.webm
        )
        files, record = make_files(
            run, entry, rendered, work, voices, settings.gif, job.key, params
        )
        ledger.commit(run, entry.name, files, record)
        pieces = f", {rendered.pieces} pieces" if rendered.pieces > 1 else ""
        detail = f"{record.seconds:.1f} s of video{pieces}"
        return Outcome(entry, "rendered", time.perf_counter() - start, detail)
    except Stopped:
        return Outcome(entry, "stopped", time.perf_counter() - start)
    except RenderFailed as exc:
        return Outcome(entry, "failed", time.perf_counter() - start, str(exc))
    except Exception as exc:  # one scene's trouble must not stop the others
        return Outcome(entry, "failed", time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _report(
    outcomes: list[Outcome], folder: Path, extra: str, seconds: float, renders: Path
) -> None:
    """The videos made (when few), the episode's line, and the counts."""
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "skipped", "failed")}
    made = [o for o in outcomes if o.status == "rendered"]
    if 0 < len(made) <= 3:
        for outcome in made:
            print(f"video: {folder / (outcome.entry.name + '.mp4')}", flush=True)
    if extra:
        print(extra, flush=True)
    print(
        f"rendered {counts['rendered']}, skipped {counts['skipped']}, failed "
        f"{counts['failed']} in {seconds:.1f} s; gallery: {renders / 'index.html'}",
        flush=True,
    )


def _remove_scratch(renders: Path, scratch: Path | None) -> None:
    """Remove this run's scratch folder, and renders/.work when nothing else is in it."""
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
    with suppress(OSError):
        (renders / ".work").rmdir()
