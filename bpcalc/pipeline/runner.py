"""Manim processes: one scene in one go, or split across cores; and a clean stop.

Every Manim process starts in its own process group, so a stop (Ctrl-C,
SIGTERM) reaches it and everything it started. A scene split into pieces is
rendered as several ``manim render -n START,END`` processes over consecutive
ranges of its animations: Manim runs the animations before START without
drawing them, so each piece starts from the right state. Manim writes one
clip per animation (``uncached_00012.mp4``, numbered across the whole
scene), and the pieces' clips are joined exactly as Manim joins its own:
without re-encoding, once for the video and once per section.

Manim's own joined MP4 keeps its index at the end; it is remuxed with the
index first (fast start), as every join here writes it.

The WebM, when asked for, is made clip by clip too: Manim, given ``$BPCALC_WEBM_CLIPS``,
encodes each animation's pictures a second time, as VP9, beside its MP4 clip
(see ``bpcalc.viz.renderer``), and the WebM clips are joined like the MP4
ones. So the WebM does not depend on how the scene was split, and it costs
no decoding and no pass after the last piece.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bpcalc.params import WEBM_CLIPS
from bpcalc.pipeline.captions import EDGE, Beat, Cue, beats_from_index, read_srt
from bpcalc.pipeline.media import concat, duration, fast_start

__all__ = [
    "ANIMATIONS_FILE",
    "Rendered",
    "Run",
    "Stopped",
    "cut",
    "last_line",
    "manim_command",
    "render_scene",
]

# Passed to every `manim render`: x264's veryfast preset costs about a fifth
# less time than its default at the same quality (CRF 23); its quickest
# sub-pixel search (subme=1) takes another quarter off for 5 % more bytes
# (measured on ChainRule's 1080p frames: 50.9 dB PSNR instead of 52.4). A
# second encoder in flight lets Manim draw the next animation while the last
# one is being encoded.
MANIM_OPTIONS = (
    "--encoder-option",
    "preset=veryfast",
    "--encoder-option",
    "x264-params=subme=1",
    "--max-inflight-encoders",
    "2",
)
# Every render keeps its clips, one per animation, named by their index.
CLIPS_CONFIG = "[CLI]\ndisable_caching = True\nmax_files_cached = -1\n"
FPS = {"l": 15, "m": 30, "h": 60, "k": 60}
STOP_GRACE = 2.0  # seconds between SIGTERM and SIGKILL for a process group
# A file holding the last animation the first piece draws, once the probe knows
# it; the scenes' renderer (bpcalc.viz.renderer.FrugalRenderer) reads it.
UPTO_FILE = "BPCALC_UPTO_FILE"
# In a split render's folder, once the probe has counted them: how many animations
# the scene has (for the progress `bpcalc render` prints).
ANIMATIONS_FILE = "animations"


class Stopped(Exception):
    """The run was asked to stop by a signal; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Run:
    """One `bpcalc render`: its children, and the line between working and publishing.

    Publishing (moving finished files into renders/) happens under
    :attr:`lock` and only while no stop was asked for, so a stop never lands
    half-way through one scene's files.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.stopping: int | None = None
        self._children: set[subprocess.Popen] = set()
        self._working = 0  # in-process jobs writing into the scratch folder
        self._idle = threading.Condition(self.lock)

    def check(self) -> None:
        """Raise :class:`Stopped` once a stop was asked for."""
        if self.stopping is not None:
            raise Stopped(self.stopping)

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Around in-process work on scratch files: a stop waits for it to notice."""
        with self.lock:
            self.check()
            self._working += 1
        try:
            yield
        finally:
            with self.lock:
                self._working -= 1
                self._idle.notify_all()

    def run(self, command: Sequence[str], cwd: Path, env: dict[str, str], log: Path) -> int:
        """Run a child in its own process group, its output in ``log``; its exit status."""
        with open(log, "wb") as out:
            with self.lock:
                self.check()
                child = subprocess.Popen(
                    list(command),
                    cwd=cwd,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
                self._children.add(child)
            try:
                code = child.wait()
            finally:
                with self.lock:
                    self._children.discard(child)
        self.check()
        return code

    def stop(self, signum: int) -> None:
        """Ask everything to stop: no more publishing, every child group ended."""
        with self.lock:
            self.stopping = signum
            children = list(self._children)
        for child in children:
            _signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(max(0.0, deadline - time.monotonic()))
            _signal_group(child, signal.SIGKILL)  # whatever is left of the group
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(1.0)
        with self.lock:  # in-process work checks often; then the scratch can go
            self._idle.wait_for(lambda: self._working == 0, timeout=STOP_GRACE)


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signum)


@dataclass(frozen=True)
class Rendered:
    """What Manim made for one scene, wherever it came from."""

    video: Path
    webm: Path | None  # when asked for
    beats: list[Beat]  # in order, with their clip's path relative to ``sections``
    sections: Path  # the folder of the section clips
    cues: list[Cue]  # the captions as Manim wrote them: whole lines
    pieces: int = 1
    subtitles: list[Cue] | None = None  # the captions cut to the subtitle standards
    animations: int = 0  # how many animations (a clip each) the scene has


class RenderFailed(Exception):
    """Manim failed; ``str()`` is the reason, one line."""


def manim_command(
    file: Path,
    name: str,
    quality: str,
    media: Path,
    *extra: str,
    options: tuple[str, ...] = MANIM_OPTIONS,
) -> list[str]:
    """`manim render` of one scene into ``media``, with the pipeline's encoder ``options``."""
    return [
        sys.executable,
        "-m",
        "manim",
        "render",
        f"-q{quality}",
        "--progress_bar",
        "none",
        *options,
        *extra,
        "--media_dir",
        str(media),
        str(file),
        name,
    ]


def last_line(text: str, fallback: str) -> str:
    """The last line of a failed process's output that says something: its reason, in
    at most 300 characters (``fallback`` when it said nothing)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[-1] if lines else fallback)[:300]


def _reason(log: Path, code: int) -> str:
    return last_line(log.read_text(errors="replace"), f"manim exited {code}")


def cut(costs: Sequence[float], pieces: int) -> list[tuple[int, int]]:
    """Consecutive ranges of animation indices, of about equal cost each.

    >>> cut([1, 1, 1, 1], 2)
    [(0, 1), (2, 3)]
    """
    pieces = max(1, min(pieces, len(costs)))
    total = sum(costs) or 1.0
    ranges, start, elapsed = [], 0, 0.0
    for index, cost in enumerate(costs):
        elapsed += cost
        remaining_pieces = pieces - len(ranges) - 1
        if (
            remaining_pieces > 0
            and elapsed >= total * (len(ranges) + 1) / pieces
            and len(costs) - index - 1 >= remaining_pieces
        ):
            ranges.append((start, index))
            start = index + 1
    ranges.append((start, len(costs) - 1))
    return [r for r in ranges if r[0] <= r[1]]


def render_scene(
    run: Run,
    file: Path,
    name: str,
    quality: str,
    root: Path,
    env: dict[str, str],
    work: Path,
    pieces: int,
    webm: bool = False,
) -> Rendered:
    """Render one scene into ``work``, in one process or in ``pieces`` at once; with
    ``webm``, a WebM too."""
    config = work / "clips.cfg"
    config.write_text(CLIPS_CONFIG)
    env = {**env, WEBM_CLIPS: "1"} if webm else {k: v for k, v in env.items() if k != WEBM_CLIPS}
    if pieces > 1:
        return _render_pieces(run, file, name, quality, root, env, work, pieces, webm)
    media = work / "media"
    log = work / "render.log"
    extra = ("-c", str(config), "--save_sections")
    command = manim_command(file, name, quality, media, *extra)
    code = run.run(command, root, env, log)
    videos = list(media.glob(f"videos/**/{name}.mp4"))
    if code != 0 or not videos:
        raise RenderFailed(_reason(log, code))
    made = videos[0]
    video = work / "joined" / made.name
    video.parent.mkdir()
    fast_start(made, video)
    clips = _clips(media, name)
    joined_webm = None
    if webm:
        joined_webm = video.with_suffix(".webm")
        concat([clips[i].with_suffix(".webm") for i in sorted(clips)], joined_webm)
    sections = made.parent / "sections"
    index = sections / f"{name}.json"
    beats = beats_from_index(index) if index.is_file() else []
    srt = made.with_suffix(".srt")
    cues = read_srt(srt) if srt.is_file() else []
    return Rendered(video, joined_webm, beats, sections, cues, animations=len(clips))


def _clips(media: Path, name: str) -> dict[int, Path]:
    """The per-animation clips Manim left in ``media``, by animation index."""
    found = media.glob(f"videos/**/partial_movie_files/{name}/uncached_*.mp4")
    return {int(clip.stem.split("_")[-1]): clip for clip in found}


def _in_thread(task: Callable[[], None]) -> Callable[[], None]:
    """Start ``task`` on a thread; the returned call waits for it and re-raises its error."""
    errors: list[BaseException] = []

    def guarded() -> None:
        try:
            task()
        except BaseException as exc:  # handed to the caller
            errors.append(exc)

    thread = threading.Thread(target=guarded, daemon=True)
    thread.start()

    def join() -> None:
        thread.join()
        if errors:
            raise errors[0]

    return join


def _in_threads(tasks: Sequence[Callable[[], None]]) -> None:
    """Run the tasks at once (each one mostly waits for its process); re-raise the
    first error, a stop before any other."""
    errors: list[BaseException] = []
    for join in [_in_thread(task) for task in tasks]:
        try:
            join()
        except BaseException as exc:  # handed on below, once all are done
            errors.append(exc)
    stops = [e for e in errors if isinstance(e, Stopped)]
    if stops or errors:
        raise (stops or errors)[0]


def _render_pieces(
    run: Run,
    file: Path,
    name: str,
    quality: str,
    root: Path,
    env: dict[str, str],
    work: Path,
    pieces: int,
    webm: bool,
) -> Rendered:
    """Render in pieces: the first starts at once, the probe beside it says where
    it stops and where the others start (``UPTO_FILE``, read by the scene's renderer)."""
    config = work / "clips.cfg"
    folders = [work / f"piece{number}" for number in range(pieces)]
    stop_first = work / "piece0.upto"
    ranges: list[tuple[int, int]] = []

    def piece(number: int) -> Callable[[], None]:
        log = work / f"piece{number}.log"

        def render() -> None:
            first = ranges[number][0] if number else 0
            bounds = f"{first},{ranges[number][1]}" if 0 < number < len(ranges) - 1 else f"{first}"
            extra = ("-c", str(config), "-n", bounds)
            command = manim_command(file, name, quality, folders[number], *extra)
            piece_env = {**env, UPTO_FILE: str(stop_first)} if number == 0 else env
            code = run.run(command, root, piece_env, log)
            if code != 0:
                raise RenderFailed(f"piece {number + 1}: {_reason(log, code)}")

        return render

    first_piece = _in_thread(piece(0))
    try:
        probe_log = work / "probe.log"
        command = [sys.executable, "-m", "bpcalc.pipeline.probe", str(file), name]
        command += [str(FPS[quality]), str(work / "probe-media")]
        code = run.run(command, root, env, probe_log)
        if code != 0:
            raise RenderFailed(_reason(probe_log, code))
        plan = json.loads(probe_log.read_text().strip().splitlines()[-1])
        (work / ANIMATIONS_FILE).write_text(str(len(plan["durations"])))
        ranges[:] = cut(plan["costs"], pieces)
        if len(ranges) > 1:
            temporary = stop_first.with_suffix(".tmp")
            temporary.write_text(str(ranges[0][1]))
            temporary.replace(stop_first)  # whole, never half-written
        _in_threads([piece(number) for number in range(1, len(ranges))])
    finally:
        first_piece()  # its error (or stop) wins: it started first
    clips: dict[int, Path] = {}
    for folder, (first, last) in zip(folders, ranges, strict=False):
        clips |= {i: c for i, c in _clips(folder, name).items() if first <= i <= last}
    missing = [i for i in range(len(plan["durations"])) if i not in clips]
    if missing:
        raise RenderFailed(f"no clip for animation(s) {missing[:5]} after the split render")
    out = work / "joined"
    sections = out / "sections"
    sections.mkdir(parents=True)
    video = out / f"{name}.mp4"
    ordered = [clips[i] for i in sorted(clips)]
    concat(ordered, video)
    if webm:
        concat([clip.with_suffix(".webm") for clip in ordered], video.with_suffix(".webm"))
    beats, start = [], 0.0
    for number, (title, indices) in enumerate(plan["sections"]):
        clip = f"{name}_{number:04d}_{title}.mp4"
        concat([clips[i] for i in indices], sections / clip)
        length = duration(sections / clip)
        beats.append(Beat(title, start, start + length, clip))
        start += length
    return Rendered(
        video,
        video.with_suffix(".webm") if webm else None,
        beats,
        sections,
        _piece_cues(folders, name, plan, ranges, clips),
        len(ranges),
        len(clips),
    )


def _piece_cues(
    folders: list[Path],
    name: str,
    plan: dict,
    ranges: list[tuple[int, int]],
    clips: dict[int, Path],
) -> list[Cue]:
    """Each caption from the piece that drew it, moved to the joined video's clock.

    Every piece also writes the captions of the animations it skipped, timed
    by their exact lengths, while drawn animations last a whole number of
    frames. So a piece's clock runs exact up to its first animation and
    drawn after it: a caption of piece j at time t sits at
    t - (exact time before its first animation) + (drawn time before it).
    """
    drawn = [duration(clips[i]) for i in sorted(clips)]
    pieces = []  # each piece's captions, where its clock is its own, and its offset
    for folder, (first, last) in zip(folders, ranges, strict=True):
        srts = list(folder.glob(f"videos/**/{name}.srt"))
        exact_start, drawn_start = sum(plan["durations"][:first]), sum(drawn[:first])
        end = exact_start + sum(drawn[first : last + 1])
        pieces.append(
            (read_srt(srts[0]) if srts else [], exact_start, end, drawn_start - exact_start)
        )
    cues: list[Cue] = []
    for number, (own, exact_start, end, offset) in enumerate(pieces):
        final = number == len(pieces) - 1
        for cue in own:
            if cue.start >= exact_start - EDGE and (final or cue.start < end - EDGE):
                finish = cue.end + offset
                if not final and cue.end >= end - EDGE:  # cut where this piece stopped
                    finish = _true_end(cue, pieces[number + 1 :], finish)
                cues.append(Cue(cue.start + offset, finish, cue.text))
    return cues


def _true_end(cue: Cue, later: list[tuple[list[Cue], float, float, float]], cut: float) -> float:
    """Where a caption cut at the end of its piece really ends: in the later piece whose
    drawn part holds its end (every piece writes every caption said before it stops)."""
    for number, (own, _, end, offset) in enumerate(later):
        same = [c for c in own if c.text == cue.text and abs(c.start - cue.start) < 0.5]
        if same and (number == len(later) - 1 or same[0].end < end - EDGE):
            return same[0].end + offset
    return cut
