"""`bpcalc render`: render what changed, publish under stable names, write the gallery.

Each scene renders in its own Manim process and scratch folder; its
published files (video, WebM, poster, section figures, GIF when asked) only
replace older ones once complete. A scene is rendered again only when
something it depends on changed: its source, the bpcalc code it imports, the
parameter tables its numbers come from, Manim's configuration or version, or
the quality. Nothing here imports Manim, so a run with nothing to do is quick.
"""

from __future__ import annotations

import ast
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from bpcalc.numbers.stories import STORY_TABLES
from bpcalc.params import Params

__all__ = ["QUALITIES", "SceneEntry", "discover", "fingerprint", "render_all", "RenderError"]

QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "k": "2160p60"}
PACKAGE = Path(__file__).resolve().parent.parent  # the bpcalc package
ALL_TABLES = ("digits", "example", "weight", "chain", "nudge", "snapshot")


class RenderError(ValueError):
    """A request that cannot be carried out; ``str()`` is the one-line message."""


@dataclass(frozen=True)
class SceneEntry:
    """One Scene class in one file of scenes/."""

    file: Path
    name: str

    @property
    def tables(self) -> tuple[str, ...]:
        """The parameter tables whose numbers the scene shows."""
        story = _story(ast.parse(self.file.read_text()), self.name)
        return STORY_TABLES.get(story, ALL_TABLES)


def _story(tree: ast.AST, name: str) -> str | None:
    """The ``story = "..."`` class attribute of scene class ``name``, read without importing."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == name:
            for item in node.body:
                if (
                    isinstance(item, ast.Assign)
                    and [getattr(t, "id", None) for t in item.targets] == ["story"]
                    and isinstance(item.value, ast.Constant)
                ):
                    return item.value.value
    return None


def discover(root: Path) -> list[SceneEntry]:
    """Every class in scenes/*.py whose base class name ends in ``Scene``, in file order."""
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
                entries.append(SceneEntry(file, node.name))
    return entries


def select(entries: list[SceneEntry], wanted: list[str]) -> list[SceneEntry]:
    """The scenes named by class (``ChainRule``) or file (``chain_rule``), all if none."""
    if not wanted:
        return entries
    chosen = []
    for name in wanted:
        matches = [e for e in entries if name in (e.name, e.file.stem, e.file.name)]
        if not matches:
            known = ", ".join(e.name for e in entries) or "none"
            raise RenderError(f"no scene named {name!r} in scenes/ (found: {known})")
        chosen += [m for m in matches if m not in chosen]
    return chosen


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
    config = root / "manim.cfg"
    add("manim.cfg", config.read_bytes() if config.is_file() else b"")
    add("manim", metadata.version("manim").encode())
    add("quality", quality.encode())
    return digest.hexdigest()[:20]


@dataclass(frozen=True)
class Outcome:
    entry: SceneEntry
    status: str  # rendered, skipped, failed
    seconds: float
    detail: str = ""


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

    def outputs(self, name: str, gif: bool) -> list[Path]:
        suffixes = [".mp4", ".webm", ".png"] + ([".gif"] if gif else [])
        return [self.folder / f"{name}{suffix}" for suffix in suffixes]


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


def _render_one(
    entry: SceneEntry,
    quality: str,
    root: Path,
    params_file: Path,
    publisher: Publisher,
    gif: bool,
    key: str,
) -> Outcome:
    """Render in a scratch folder, then publish each file atomically."""
    from bpcalc.pipeline.media import duration, last_frame, publish, to_gif, to_webm

    start = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=f"{entry.name}-", dir=root / "renders" / ".work"))
    try:
        command = [
            sys.executable,
            "-m",
            "manim",
            "render",
            f"-q{quality}",
            "--save_sections",
            "--progress_bar",
            "none",
            "--media_dir",
            str(work),
            str(entry.file),
            entry.name,
        ]
        env = {**os.environ, "BPCALC_PARAMS": str(params_file)}
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        (work / "render.log").write_text(result.stdout + result.stderr)
        videos = list(work.glob(f"videos/**/{QUALITIES[quality]}/{entry.name}.mp4"))
        if result.returncode != 0 or not videos:
            lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
            reason = lines[-1].strip() if lines else f"manim exited {result.returncode}"
            return Outcome(entry, "failed", time.perf_counter() - start, reason[:300])
        video = videos[0]
        folder = publisher.folder
        publish(folder / f"{entry.name}.mp4", lambda p: shutil.copyfile(video, p))
        publish(folder / f"{entry.name}.webm", lambda p: to_webm(video, p))
        publish(folder / f"{entry.name}.png", lambda p: last_frame(video, p))
        if gif:
            publish(folder / f"{entry.name}.gif", lambda p: to_gif(video, p))
        figures = _section_figures(video, folder / entry.name)
        seconds = duration(video)
        publisher.record(
            entry.name,
            {
                "key": key,
                "file": entry.file.name,
                "seconds": seconds,
                "figures": figures,
                "tables": list(entry.tables),
                "gif": gif,
            },
        )
        return Outcome(entry, "rendered", time.perf_counter() - start, f"{seconds:.1f} s of video")
    except Exception as exc:  # one scene's trouble must not stop the others
        return Outcome(entry, "failed", time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _section_figures(video: Path, folder: Path) -> list[str]:
    """A PNG of the last frame of every section, named ``01-network.png`` …"""
    from bpcalc.pipeline.media import last_frame, publish

    sections = sorted((video.parent / "sections").glob(f"{video.stem}_*.mp4"))
    names = []
    for number, clip in enumerate(sections, start=1):
        title = clip.stem.split("_", 2)[-1]
        name = f"{number:02d}-{title}.png"
        publish(folder / name, lambda p, clip=clip: last_frame(clip, p))
        names.append(name)
    for stale in folder.glob("*.png"):
        if stale.name not in names:
            stale.unlink()
    return names


def render_all(
    root: Path, params: Params, wanted: list[str], quality: str, gif: bool, jobs: int, force: bool
) -> int:
    """The whole command: choose, render in parallel, publish, report; exit status."""
    started = time.perf_counter()
    entries = select(discover(root), wanted)
    if not entries:
        raise RenderError(f"no scenes found in {root / 'scenes'}")
    renders = root / "renders"
    with render_lock(renders):
        publisher = Publisher(renders, quality)
        state = publisher.state()
        todo, outcomes = [], []
        for entry in entries:
            key = fingerprint(entry, params, quality, root)
            known = state.get(entry.name, {})
            current = known.get("key") == key and all(
                p.is_file() for p in publisher.outputs(entry.name, gif)
            )
            if current and not force:
                outcomes.append(Outcome(entry, "skipped", 0.0))
                print(f"  = {entry.name}: up to date", flush=True)
            else:
                todo.append((entry, key))
        if todo:
            (renders / ".work").mkdir(parents=True, exist_ok=True)
            workers = max(1, min(jobs, len(todo)))
            names = ", ".join(entry.name for entry, _ in todo)
            print(
                f"rendering {len(todo)} scene(s) at {QUALITIES[quality]} "
                f"with {workers} job(s): {names}",
                flush=True,
            )
            params_file = params.source.resolve()
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [
                    pool.submit(_render_one, entry, quality, root, params_file, publisher, gif, key)
                    for entry, key in todo
                ]
                for done, future in enumerate(as_completed(futures), start=1):
                    outcome = future.result()
                    outcomes.append(outcome)
                    mark = "ok" if outcome.status == "rendered" else "FAILED"
                    print(
                        f"  [{done}/{len(todo)}] {outcome.entry.name}: {mark} in "
                        f"{outcome.seconds:.1f} s ({outcome.detail})",
                        flush=True,
                    )
        from bpcalc.pipeline.gallery import write_gallery

        write_gallery(renders, params)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("rendered", "skipped", "failed")}
    print(
        f"rendered {counts['rendered']}, skipped {counts['skipped']}, failed "
        f"{counts['failed']} in {time.perf_counter() - started:.1f} s; "
        f"gallery: {renders / 'index.html'}",
        flush=True,
    )
    return 1 if counts["failed"] else 0
