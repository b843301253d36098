"""What is published, as typed records: the only reader and writer of the state files.

``renders/<480p15>/state.json`` records each published scene (its fingerprint,
what it was made from, its beats, which files it has), ``episode.json`` beside it
the episode joined from them, and ``renders/slides/state.json`` the scenes
rendered as slides. Every record is a frozen dataclass written as JSON in field
order; a state file that is missing or unreadable reads as nothing published,
and a record that does not read as one is left out (its scene renders again).
"""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from bpcalc.pipeline.media import publish
from bpcalc.pipeline.runner import Run

__all__ = [
    "QUALITIES",
    "BeatRecord",
    "ChapterRecord",
    "EpisodeRecord",
    "Ledger",
    "SceneRecord",
    "SlideRecord",
    "SlidesLedger",
]

QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "k": "2160p60"}
# What a scene publishes only sometimes (or published before: PNG posters), removed
# when a newer render of it does not make them.
OPTIONAL_SUFFIXES = (".vtt", ".chapters.vtt", ".gif", ".webm", ".png")


@dataclass(frozen=True)
class BeatRecord:
    """One beat of a published scene: where it is in the video and the lines said in it."""

    name: str
    start: float
    end: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class SceneRecord:
    """One published scene: what its files are and what they were made from."""

    file: str  # its file in scenes/
    title: str
    story_order: int | None
    seconds: float
    figures: tuple[str, ...]  # each beat's last frame, ``01-<beat>.jpg``
    beats: tuple[BeatRecord, ...]
    poster_beat: str | None  # the beat the poster shows, if the scene has it
    captions: bool
    gif: bool
    webm: bool
    pieces: int  # Manim processes it was rendered in
    animations: int
    key: str  # its fingerprint when rendered
    tables: tuple[str, ...]  # the parameter tables its numbers come from
    params_file: str
    made_from: dict[str, dict[str, Any]]  # those tables, as they were

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SceneRecord:
        beats = tuple(BeatRecord(**{**b, "lines": tuple(b["lines"])}) for b in data["beats"])
        sequences = {"figures": tuple(data["figures"]), "tables": tuple(data["tables"])}
        return cls(**{**_known(cls, data), **sequences, "beats": beats})


@dataclass(frozen=True)
class ChapterRecord:
    """One scene of the episode: where its chapter starts and ends."""

    name: str
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class EpisodeRecord:
    """The episode joined at one quality, and the scenes (by fingerprint) it is made of."""

    key: str
    seconds: float
    chapters: tuple[ChapterRecord, ...]
    captions: bool
    webm: bool
    scenes: dict[str, str]  # scene name: its fingerprint when joined

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EpisodeRecord:
        chapters = tuple(ChapterRecord(**chapter) for chapter in data["chapters"])
        return cls(**{**_known(cls, data), "chapters": chapters, "scenes": dict(data["scenes"])})


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``data`` that are fields of ``cls`` (others were written by
    another version)."""
    return {f.name: data[f.name] for f in fields(cls) if f.name in data}


def _read(path: Path) -> Any:
    """The JSON in ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write(path: Path, data: Any) -> None:
    text = json.dumps(data, indent=1)
    publish(path, lambda p: p.write_text(text))


class Ledger:
    """What is published at one quality, in ``renders/<480p15>/``: ``<Scene>.mp4`` and
    its friends, their records in ``state.json``, the episode's in ``episode.json``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state_file = folder / "state.json"
        self.episode_file = folder / "episode.json"
        self._lock = threading.Lock()  # workers record their scenes one at a time

    def scenes(self) -> dict[str, SceneRecord]:
        """Every scene recorded, by name."""
        state = _read(self.state_file)
        records = {}
        for name, data in state.items() if isinstance(state, dict) else ():
            try:
                records[name] = SceneRecord.from_json(data)
            except (KeyError, TypeError):
                continue  # not a record this version reads: rendered again
        return records

    def outputs(self, name: str, record: SceneRecord) -> list[Path]:
        """The files a scene published (per its record)."""
        suffixes = [".mp4", ".jpg", ".md"] + [".chapters.vtt"] * bool(record.beats)
        suffixes += [".gif"] * record.gif + [".vtt"] * record.captions
        suffixes += [".webm"] * record.webm
        return [self.folder / f"{name}{suffix}" for suffix in suffixes]

    def is_current(
        self, name: str, record: SceneRecord | None, key: str, gif: bool, webm: bool
    ) -> bool:
        """Whether ``record`` says the scene is published with fingerprint ``key``, with
        a GIF and a WebM if asked for, and all its files are there."""
        if record is None or record.key != key or record.gif < gif or record.webm < webm:
            return False
        return all(path.is_file() for path in self.outputs(name, record))

    def published(self) -> dict[str, SceneRecord]:
        """The recorded scenes whose video is there."""
        return {
            name: record
            for name, record in self.scenes().items()
            if (self.folder / f"{name}.mp4").is_file()
        }

    def record(self, name: str, record: SceneRecord) -> None:
        """Record one scene, keeping the others' records."""
        with self._lock:
            state = _read(self.state_file)
            state = state if isinstance(state, dict) else {}
            state[name] = asdict(record)
            _write(self.state_file, state)

    def commit(self, run: Run, name: str, files: dict[str, Path], record: SceneRecord) -> None:
        """Move one scene's finished files into place and record it: all of it or (on a
        stop) none. Files it published before and does not make now are removed."""
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
            self.record(name, record)

    def episode(self) -> EpisodeRecord | None:
        """The episode recorded here, if any."""
        data = _read(self.episode_file)
        try:
            return EpisodeRecord.from_json(data) if isinstance(data, dict) else None
        except (KeyError, TypeError):
            return None

    def episode_is_current(self, episode: EpisodeRecord) -> bool:
        """Whether the episode is made of the scenes published here now."""
        scenes = self.scenes()
        return bool(episode.scenes) and all(
            name in scenes and scenes[name].key == key for name, key in episode.scenes.items()
        )

    def record_episode(self, episode: EpisodeRecord) -> None:
        _write(self.episode_file, asdict(episode))


@dataclass(frozen=True)
class SlideRecord:
    """One scene rendered as slides."""

    key: str  # its render fingerprint with what only slides depend on
    file: str
    slides: int


class SlidesLedger:
    """The scenes rendered as slides and the index presentation made of them, in
    ``renders/slides/state.json``."""

    def __init__(self, folder: Path) -> None:
        self.state_file = folder / "state.json"
        state = _read(self.state_file)
        state = state if isinstance(state, dict) else {}
        self.scenes: dict[str, SlideRecord] = {}
        for name, data in dict(state.get("scenes", {})).items():
            try:
                self.scenes[name] = SlideRecord(**_known(SlideRecord, data))
            except TypeError:
                continue  # rendered again
        index = state.get("index")
        # the scenes (name, key) the index presentation shows, when it was made
        self.index: list[list[str]] | None = index if isinstance(index, list) else None

    def save(self) -> None:
        state: dict[str, Any] = {"scenes": {n: asdict(r) for n, r in self.scenes.items()}}
        if self.index is not None:
            state["index"] = self.index
        _write(self.state_file, state)
