"""`bpcalc render`: render what changed, publish under stable names, write the gallery.

Each scene renders in its own scratch folder, in one Manim process or, when
cores would otherwise idle, in several (see :mod:`bpcalc.pipeline.runner`);
its published files (video, poster, section figures, captions, chapters,
narration; WebM and GIF when asked) only replace older ones once all are complete. A
scene is rendered again only when something it depends on changed: its
source, the bpcalc code it imports, the parameter tables its numbers come
from, Manim's configuration or version, the quality, or how the pipeline
renders. Nothing here imports Manim, so a run with nothing to do is quick.
Scenes are listed in story order: each class says ``story_order``,
``title`` and ``poster_beat``, read from the source (never imported).
"""

from __future__ import annotations

import ast
import fcntl
import hashlib
import json
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from pathlib import Path

from bpcalc.numbers.stories import STORY_TABLES
from bpcalc.params import Params
from bpcalc.pipeline.captions import Beat, Cue, beat_title, to_vtt
from bpcalc.pipeline.runner import (
    ANIMATIONS_FILE,
    MANIM_OPTIONS,
    RenderFailed,
    Run,
    Stopped,
    render_scene,
)
from bpcalc.pipeline.voicing import give_voice, narrated, subtitles
from bpcalc.speech.track import MIXED_BY_PIPELINE
from bpcalc.speech.voice import CACHE_ENV, Voice

__all__ = [
    "QUALITIES",
    "RenderError",
    "SceneEntry",
    "discover",
    "fingerprint",
    "render_all",
    "story_sorted",
]

QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "k": "2160p60"}
PACKAGE = Path(__file__).resolve().parent.parent  # the bpcalc package
ALL_TABLES = ("digits", "example", "weight", "chain", "nudge", "snapshot")
# The code that makes a scene's captions, narration script and stills from what Manim
# wrote (and places the captions): an edit renders again.
PUBLISHING_SOURCES = (PACKAGE / "pipeline" / "captions.py", PACKAGE / "pipeline" / "media.py")
# Where a caption may sit (the top of its box, a share of the picture's height): in the
# band its beat's last picture leaves quietest, so that it covers no formula the beat
# builds. The last is the players' own place at the bottom, whose box starts about 80 %
# down while the controls show (Chromium lifts it above them); a WebVTT `line:` setting
# moves it elsewhere (see bpcalc.pipeline.captions.to_vtt).
CAPTION_TOPS = (0.04, 0.12, 0.2, 0.28, 0.36, 0.44, 0.52, 0.6, 0.68, 0.8)
# How the pipeline turns a scene into files; a change here renders everything again.
RECIPE = " ".join(("sections", "captions", "fast-start", "jpeg", "voice", *MANIM_OPTIONS))
RECIPE += " caption tops " + " ".join(map(str, CAPTION_TOPS))
PROGRESS_EVERY = 5.0  # seconds between two progress lines while scenes draw


class RenderError(ValueError):
    """A request that cannot be carried out; ``str()`` is the one-line message."""


@dataclass(frozen=True)
class SceneEntry:
    """One Scene class in one file of scenes/."""

    file: Path
    name: str
    story_order: int | None = None
    title: str | None = None
    poster_beat: str | None = None
    story: str | None = None  # which numbers it tells: "chain", "nudge" or "digits"

    @property
    def heading(self) -> str:
        """The title a viewer reads, or the class name when the scene has none."""
        return self.title or self.name

    @property
    def sort_key(self) -> tuple:
        """Story order first; then file and class name (scenes without one come last)."""
        order = self.story_order
        return (order is None, order if order is not None else 0, self.file.name, self.name)

    @property
    def tables(self) -> tuple[str, ...]:
        """The parameter tables whose numbers the scene shows."""
        if self.story is not None:
            return STORY_TABLES.get(self.story, ALL_TABLES)
        tree = ast.parse(self.file.read_text())
        if not any(_imports_bpcalc(node) for node in ast.walk(tree)):
            return ()  # a scene that reads no numbers depends on no table
        return ALL_TABLES


# bpcalc modules a scene may import without reading any numbers
NUMBERLESS = {"bpcalc.viz.renderer"}


def _imports_bpcalc(node: ast.AST) -> bool:
    """Whether ``node`` imports bpcalc code that may read the parameters."""

    def reads(module: str) -> bool:
        return module.split(".")[0] == "bpcalc" and module not in NUMBERLESS

    if isinstance(node, ast.Import):
        return any(reads(alias.name) for alias in node.names)
    return isinstance(node, ast.ImportFrom) and reads(node.module or "")


STORY_ATTRIBUTES = {"story_order": int, "title": str, "poster_beat": str, "story": str}


def _story(node: ast.ClassDef) -> dict:
    """The class's ``story``, ``story_order``, ``title`` and ``poster_beat``, when literals."""
    found = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in STORY_ATTRIBUTES:
            kind = STORY_ATTRIBUTES[target.id]
            if isinstance(value, ast.Constant) and type(value.value) is kind:
                found[target.id] = value.value
    return found


def story_sorted(entries: list[SceneEntry]) -> list[SceneEntry]:
    """The scenes in the order the story tells them."""
    return sorted(entries, key=lambda entry: entry.sort_key)


def discover(root: Path) -> list[SceneEntry]:
    """Every class in scenes/*.py whose base class name ends in ``Scene``, in story order."""
    entries = []
    for file in sorted((root / "scenes").glob("*.py")):
        tree = ast.parse(file.read_text(), filename=str(file))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(
                (base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")).endswith(
                    "Scene"
                )
                for base in node.bases
            ):
                entries.append(SceneEntry(file, node.name, **_story(node)))
    return story_sorted(entries)


def select(entries: list[SceneEntry], wanted: list[str]) -> list[SceneEntry]:
    """The scenes named by class (``ChainRule``) or file (``chain_rule``,
    ``scenes/chain_rule.py`` as a shell completes it), all if none."""
    if not wanted:
        return entries
    chosen = []
    for name in wanted:
        named = Path(name)
        in_scenes = named.parent in (Path("."), Path("scenes"))
        matches = [
            e
            for e in entries
            if name in (e.name, e.file.stem) or (in_scenes and named.name == e.file.name)
        ]
        if not matches:
            known = ", ".join(e.name for e in entries) or "none"
            raise RenderError(f"no scene named {name!r} in scenes/ (found: {known})")
        chosen += [m for m in matches if m not in chosen]
    return story_sorted(chosen)


def _module_file(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != "bpcalc":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def bpcalc_closure(file: Path) -> list[Path]:
    """The bpcalc source files ``file`` imports, directly or through each other."""
    seen: set[Path] = set()
    todo = [file]
    while todo:
        tree = ast.parse(todo.pop().read_text())
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for module in modules:
                found = _module_file(module)
                if found and found not in seen:
                    seen.add(found)
                    todo.append(found)
    data = PACKAGE / "core" / "data" / "digits.npz"
    return sorted(seen | {data})


def fingerprint(entry: SceneEntry, params: Params, quality: str, root: Path) -> str:
    """Hash of everything the scene's video depends on."""
    digest = hashlib.sha256()

    def add(label: str, content: bytes) -> None:
        digest.update(label.encode() + b"\0" + content + b"\0")

    add("scene", f"{entry.name}:{entry.file.name}".encode())
    add("source", entry.file.read_bytes())
    for path in bpcalc_closure(entry.file):
        add(str(path.relative_to(PACKAGE)), path.read_bytes())
    for table in entry.tables:
        add(f"[{table}]", json.dumps(asdict(getattr(params, table)), sort_keys=True).encode())
    if entry.tables and params.voice.enabled:  # a narrated scene is spoken by this voice
        add("voice", Voice(params).identity().encode())
    config = root / "manim.cfg"
    add("manim.cfg", config.read_bytes() if config.is_file() else b"")
    add("manim", metadata.version("manim").encode())
    add("quality", quality.encode())
    add("recipe", RECIPE.encode())
    for source in PUBLISHING_SOURCES:
        add(source.name, source.read_bytes())
    return digest.hexdigest()[:20]


@dataclass(frozen=True)
class Outcome:
    entry: SceneEntry
    status: str  # rendered, skipped, failed
    seconds: float
    detail: str = ""


# What a scene publishes only sometimes (or published before: PNG posters), removed
# when a newer render of it does not make them.
OPTIONAL_SUFFIXES = (".vtt", ".chapters.vtt", ".gif", ".webm", ".png")


class Publisher:
    """Where a quality's files live: ``renders/<480p15>/<Scene>.mp4`` and friends."""

    def __init__(self, renders: Path, quality: str) -> None:
        self.folder = renders / QUALITIES[quality]
        self.state_file = self.folder / "state.json"
        self._lock = threading.Lock()  # workers record their scenes one at a time

    def state(self) -> dict[str, dict]:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def record(self, name: str, info: dict) -> None:
        from bpcalc.pipeline.media import publish

        with self._lock:
            state = self.state()
            state[name] = info
            publish(self.state_file, lambda p: p.write_text(json.dumps(state, indent=1)))

    def outputs(self, name: str, info: dict) -> list[Path]:
        """The files a scene published (per the state it recorded)."""
        suffixes = [".mp4", ".jpg", ".md"] + [".chapters.vtt"] * bool(info.get("beats"))
        suffixes += [".gif"] * bool(info.get("gif")) + [".vtt"] * bool(info.get("captions"))
        suffixes += [".webm"] * bool(info.get("webm"))
        return [self.folder / f"{name}{suffix}" for suffix in suffixes]

    def commit(self, run: Run, name: str, files: dict[str, Path], info: dict) -> None:
        """Move one scene's finished files into place, all of them or (on a stop) none."""
        from bpcalc.pipeline.media import publish

        with run.lock:
            run.check()
            for relative, source in files.items():
                publish(self.folder / relative, lambda p, s=source: shutil.copyfile(s, p))
            for suffix in OPTIONAL_SUFFIXES:
                stale = self.folder / f"{name}{suffix}"
                if f"{name}{suffix}" not in files and stale.is_file():
                    stale.unlink()
            figures = self.folder / name
            if figures.is_dir():
                for stale in [*figures.glob("*.png"), *figures.glob("*.jpg")]:
                    if f"{name}/{stale.name}" not in files:
                        stale.unlink()
            self.record(name, info)


@contextmanager
def render_lock(renders: Path) -> Iterator[None]:
    """One `bpcalc render` at a time per renders/ folder; a second one waits its turn."""
    renders.mkdir(parents=True, exist_ok=True)
    with open(renders / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("bpcalc render: another render is running here; waiting for it", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@dataclass(frozen=True)
class Job:
    """One scene to render, how, and where its scratch files go."""

    entry: SceneEntry
    key: str
    pieces: int
    webm: bool = False


def _render_one(
    run: Run,
    job: Job,
    quality: str,
    root: Path,
    params: Params,
    publisher: Publisher,
    gif: bool,
    scratch: Path,
) -> Outcome:
    """Render in a scratch folder, make every file there, then publish them together."""
    entry = job.entry
    start = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f"{entry.name}-", dir=scratch))
    try:
        voices = Path(os.environ.get(CACHE_ENV) or root / "renders" / "voice")
        env = {**os.environ, "BPCALC_PARAMS": str(params.source.resolve())}
        env |= {MIXED_BY_PIPELINE: "1", CACHE_ENV: str(voices)}
        rendered = render_scene(
            run, entry.file, entry.name, quality, root, env, work, job.pieces, job.webm
        )
        with run.working():  # a stop lets this notice before the scratch goes
            sidecars = work.glob(f"**/{entry.name}.voice.json")
            lines = narrated(sidecars, rendered.cues, voices)
            rendered = give_voice(rendered, lines, work / "voiced")
            rendered = replace(rendered, subtitles=subtitles(rendered.cues, lines))
            files, info = _make_files(run, entry, rendered, work / "out", gif)
        made_from = {t: asdict(getattr(params, t)) for t in entry.tables}  # as rendered
        info |= {"key": job.key, "tables": list(entry.tables)}
        info |= {"params_file": params.source.name, "made_from": made_from}
        publisher.commit(run, entry.name, files, info)
        pieces = f", {rendered.pieces} pieces" if rendered.pieces > 1 else ""
        detail = f"{info['seconds']:.1f} s of video{pieces}"
        return Outcome(entry, "rendered", time.perf_counter() - start, detail)
    except Stopped:
        return Outcome(entry, "stopped", time.perf_counter() - start)
    except RenderFailed as exc:
        return Outcome(entry, "failed", time.perf_counter() - start, str(exc))
    except Exception as exc:  # one scene's trouble must not stop the others
        return Outcome(entry, "failed", time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _make_files(
    run: Run, entry: SceneEntry, rendered, out: Path, gif: bool
) -> tuple[dict[str, Path], dict]:
    """Every file a scene publishes, made in ``out``; and what the state records of it."""
    from bpcalc.pipeline.captions import narration, spoken, within
    from bpcalc.pipeline.media import duration, last_frame, to_gif

    name = entry.name
    out.mkdir(parents=True)
    seconds = duration(rendered.video)
    files: dict[str, Path] = {f"{name}.mp4": rendered.video}
    if rendered.webm is not None:
        files[f"{name}.webm"] = rendered.webm
    run.check()
    figures: list[str] = []
    poster: Path | None = None
    for number, beat in enumerate(rendered.beats, start=1):
        figure = f"{number:02d}-{beat.name}.jpg"
        last_frame(rendered.sections / beat.clip, out / figure, run.check)
        files[f"{name}/{figure}"] = out / figure
        figures.append(figure)
        if beat.name == entry.poster_beat:
            poster = out / figure  # the last frame of the poster's beat
    if poster is None:
        poster = out / figures[-1] if figures else out / "last.jpg"  # the video's last frame
        if not figures:
            last_frame(rendered.video, poster, run.check)
    files[f"{name}.jpg"] = poster
    beat_names = {beat.name for beat in rendered.beats}
    cues = within(rendered.cues, seconds)  # whole lines, for the script
    shown = within(rendered.subtitles or rendered.cues, seconds)  # cut to the standards
    said = spoken(rendered.beats, shown) if rendered.beats else [shown]
    stills = [out / f for f in figures] or [poster]
    for file_name, text in _tracks(rendered.beats, shown, said, stills, seconds).items():
        (out / f"{name}{file_name}").write_text(text, encoding="utf-8")
        files[f"{name}{file_name}"] = out / f"{name}{file_name}"
    script = narration(entry.heading, name, rendered.beats, cues)
    (out / f"{name}.md").write_text(script, encoding="utf-8")
    files[f"{name}.md"] = out / f"{name}.md"
    if gif:
        to_gif(rendered.video, out / f"{name}.gif", run.check)
        files[f"{name}.gif"] = out / f"{name}.gif"
    info = {
        "file": entry.file.name,
        "title": entry.heading,
        "story_order": entry.story_order,
        "seconds": seconds,
        "figures": figures,
        "beats": [
            {"name": b.name, "start": b.start, "end": b.end, "lines": [c.text for c in lines]}
            for b, lines in zip(rendered.beats, said, strict=True)
        ],
        "poster_beat": entry.poster_beat if entry.poster_beat in beat_names else None,
        "captions": bool(cues),
        "gif": gif,
        "webm": rendered.webm is not None,
        "pieces": rendered.pieces,
        "animations": rendered.animations,
    }
    return files, info


def caption_setting(top: float) -> str:
    """The WebVTT cue setting that puts a caption's box at ``top`` ("": the default)."""
    return "" if top == CAPTION_TOPS[-1] else f"line:{round(top * 100)}%"


def _tracks(
    beats: list[Beat], cues: list[Cue], said: list[list[Cue]], stills: list[Path], seconds: float
) -> dict[str, str]:
    """The WebVTT tracks (by suffix): the captions, each in the band its beat's last
    picture leaves quietest; and a chapter per beat."""
    from bpcalc.pipeline.media import quietest_band

    tracks = {}
    if cues:
        places = {
            id(cue): caption_setting(quietest_band(still, CAPTION_TOPS))
            for still, lines in zip(stills, said, strict=True)
            for cue in lines
        }
        tracks[".vtt"] = to_vtt(cues, settings=[places[id(c)] for c in cues])
    if beats:
        chapters = [Cue(b.start, min(b.end, seconds), beat_title(b.name)) for b in beats]
        ids = [f"beat-{number}" for number in range(1, len(beats) + 1)]
        tracks[".chapters.vtt"] = to_vtt(chapters, ids)
    return tracks


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


def _workers(tasks: list[Callable[[], Outcome]], workers: int) -> queue.Queue:
    """Run the tasks on daemon threads, ``workers`` at a time; outcomes arrive on the queue.

    Daemon threads, so that a stop does not wait for a still or GIF half-way
    through a scene: the stop has already made sure nothing gets published.
    """
    todo: queue.Queue = queue.Queue()
    for task in tasks:
        todo.put(task)
    done: queue.Queue = queue.Queue()

    def work() -> None:
        while True:
            try:
                task = todo.get_nowait()
            except queue.Empty:
                return
            done.put(task())

    for _ in range(workers):
        threading.Thread(target=work, daemon=True).start()
    return done


def _next(done: queue.Queue, tick: Callable[[], None]) -> Outcome:
    """The next outcome, waking twice a second (to ``tick``): the kernel may hand SIGINT
    or SIGTERM to a worker thread, and Python runs the handler only when the main
    thread wakes."""
    while True:
        try:
            return done.get(timeout=0.5)
        except queue.Empty:
            tick()


class Progress:
    """While scenes draw, a line every few seconds: how many animations each has drawn
    (Manim leaves a clip per animation), of how many it has (as a split render's probe
    counted them, else as many as it had when last rendered)."""

    def __init__(self, scratch: Path, totals: dict[str, int]) -> None:
        self.scratch, self.totals = scratch, totals
        self._last_line, self._last_time = "", time.monotonic()

    def drawn(self, name: str) -> int:
        clips = f"{name}-*/**/partial_movie_files/*/uncached_*.mp4"
        try:
            return sum(1 for _ in self.scratch.glob(clips))
        except OSError:  # a folder removed while counting: the scene is being published
            return 0

    def total(self, name: str) -> int:
        for counted in self.scratch.glob(f"{name}-*/{ANIMATIONS_FILE}"):
            with suppress(OSError, ValueError):
                return int(counted.read_text())
        return self.totals[name]

    def __call__(self) -> None:
        if time.monotonic() - self._last_time < PROGRESS_EVERY:
            return
        self._last_time = time.monotonic()
        counts = []
        for name in self.totals:
            count, total = self.drawn(name), self.total(name)
            if count and (not total or count < total):
                counts.append(f"{name} {count}/{total}" if total else f"{name} {count}")
        line = "  drawing: " + ", ".join(counts) + " animations" if counts else ""
        if line and line != self._last_line:
            print(line, flush=True)
            self._last_line = line


def _raise_stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


@contextmanager
def _stoppable() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Stopped` in the main thread while rendering."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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
    run = Run()
    scratch: Path | None = None
    try:
        with _stoppable(), render_lock(renders):
            (renders / ".work").mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix="run-", dir=renders / ".work"))
            try:
                outcomes = _render_entries(
                    run, root, params, entries, quality, gif, jobs, force, split, scratch, webm
                )
                failed = sum(o.status == "failed" for o in outcomes)
                extra = ""
                # an episode joined before at this quality is kept in step with its scenes
                if episode or (renders / QUALITIES[quality] / "episode.json").is_file():
                    from bpcalc.pipeline.episode import build_episode

                    built, extra = build_episode(
                        run, renders, QUALITIES[quality], everything, scratch
                    )
                    failed += episode and not built
                from bpcalc.pipeline.gallery import write_gallery

                write_gallery(renders, params, [e.name for e in everything], base_url)
            finally:  # still holding the lock: a waiting run's scratch is not yet made
                _remove_scratch(renders, scratch)
    except Stopped as stop:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # one stop is enough
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        run.stop(stop.signum)
        _remove_scratch(renders, scratch)
        print(
            f"bpcalc render: interrupted by {signal.Signals(stop.signum).name}; "
            "Manim stopped, published files untouched",
            file=sys.stderr,
            flush=True,
        )
        return 128 + stop.signum
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "skipped", "failed")}
    made = [o for o in outcomes if o.status == "rendered"]
    folder = renders / QUALITIES[quality]
    if 0 < len(made) <= 3:
        for outcome in made:
            print(f"video: {folder / (outcome.entry.name + '.mp4')}", flush=True)
    if extra:
        print(extra, flush=True)
    print(
        f"rendered {counts['rendered']}, skipped {counts['skipped']}, failed "
        f"{counts['failed']} in {time.perf_counter() - started:.1f} s; "
        f"gallery: {renders / 'index.html'}",
        flush=True,
    )
    return 1 if failed else 0


def _remove_scratch(renders: Path, scratch: Path | None) -> None:
    """Remove this run's scratch folder, and renders/.work when nothing else is in it."""
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
    with suppress(OSError):
        (renders / ".work").rmdir()


def _render_entries(
    run: Run,
    root: Path,
    params: Params,
    entries: list[SceneEntry],
    quality: str,
    gif: bool,
    jobs: int,
    force: bool,
    split: int | None,
    scratch: Path,
    webm: bool,
) -> list[Outcome]:
    """List the scenes in story order, render the ones out of date, report each."""
    publisher = Publisher(renders=root / "renders", quality=quality)
    state = publisher.state()
    todo, outcomes, marks = [], [], {}
    for entry in entries:
        key = fingerprint(entry, params, quality, root)
        known = state.get(entry.name, {})
        current = known.get("key") == key and known.get("gif", False) >= gif
        current = current and known.get("webm", False) >= webm
        current = current and all(p.is_file() for p in publisher.outputs(entry.name, known))
        if current and not force:
            outcomes.append(Outcome(entry, "skipped", 0.0))
            marks[entry.name] = "up to date"
        else:
            todo.append((entry, key, float(known.get("seconds", 0.0))))
    todo.sort(key=lambda item: -item[2])  # longest first: the last to finish is a short one
    pieces = plan_pieces(jobs, [length for *_, length in todo], quality, split)
    jobs_list = [Job(e, k, p, webm) for (e, k, _), p in zip(todo, pieces, strict=True)]
    for job in jobs_list:
        marks[job.entry.name] = "to render" + (f" in {job.pieces} pieces" * (job.pieces > 1))
    print(f"scenes at {QUALITIES[quality]}, in story order:", flush=True)
    width = max(len(e.name) for e in entries)
    for entry in entries:
        order = f"{entry.story_order}." if entry.story_order is not None else "-"
        print(f"  {order:>3} {entry.name:<{width}}  {entry.heading}  ({marks[entry.name]})")
    if not jobs_list:
        return outcomes
    workers = max(1, min(len(jobs_list), jobs // max(pieces)))
    names = ", ".join(job.entry.name for job in jobs_list)
    print(
        f"rendering {len(jobs_list)} scene(s) at {QUALITIES[quality]} "
        f"with {workers} job(s): {names}",
        flush=True,
    )

    def task(job: Job) -> Callable[[], Outcome]:
        return lambda: _render_one(run, job, quality, root, params, publisher, gif, scratch)

    done = _workers([task(job) for job in jobs_list], workers)
    totals = {
        job.entry.name: state.get(job.entry.name, {}).get("animations", 0) for job in jobs_list
    }
    progress = Progress(scratch, totals)
    for number in range(1, len(jobs_list) + 1):
        outcome = _next(done, progress)
        totals.pop(outcome.entry.name, None)
        outcomes.append(outcome)
        mark = "ok" if outcome.status == "rendered" else "FAILED"
        print(
            f"  [{number}/{len(jobs_list)}] {outcome.entry.name}: {mark} in "
            f"{outcome.seconds:.1f} s ({outcome.detail})",
            flush=True,
        )
    return outcomes
