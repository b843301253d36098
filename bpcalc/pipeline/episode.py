"""The episode: every scene in story order as one video, joined without re-rendering.

``renders/<quality>/Episode.mp4`` is the scenes' published MP4s joined
packet by packet (no re-encode, index first), with a chapter per scene;
``Episode.webm`` is their WebMs joined the same way, when every scene has
one. The voice is the scenes' tracks end to end, each cut or padded to its
scene's length, so it stays with its pictures over the whole episode.
``Episode.jpg``, its poster, shows the first four scenes' posters.
``Episode.chapters.vtt`` names the chapters for the browser, and
``Episode.vtt`` holds every scene's captions at its place, ``Episode.md``
every scene's narration script under its chapter. ``episode.json``
records what it was made from, so it is joined again only when one of its
scenes changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np

from bpcalc.pipeline.captions import Cue, clock, read_vtt, read_vtt_settings, shift, to_vtt
from bpcalc.pipeline.catalog import SceneEntry
from bpcalc.pipeline.ledger import ChapterRecord, EpisodeRecord, Ledger, SceneRecord
from bpcalc.pipeline.media import concat, duration, pictures_only, publish, tile
from bpcalc.pipeline.runner import Run
from bpcalc.speech.track import decode, fit, mux

__all__ = ["EPISODE", "build_episode"]

EPISODE = "Episode"
RECIPE = "episode 7: mp4 fast start, webm if all, chapters, held end, tiled poster, script, voice"


def _script(folder: Path, entries: list[SceneEntry], chapters: list[tuple]) -> str:
    """Every scene's narration script under its chapter (its times count from the
    chapter's start), one heading level down."""
    lines = ["# The whole episode", "", f"{len(entries)} scenes, in story order.", ""]
    for number, (entry, (start, _, title)) in enumerate(zip(entries, chapters, strict=True), 1):
        script = (folder / f"{entry.name}.md").read_text(encoding="utf-8").splitlines()
        lines.append(f"## {number}. {title} (from {clock(start)})")
        lines += [f"#{line}" if line.startswith("#") else line for line in script[1:]]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def build_episode(
    run: Run, ledger: Ledger, entries: list[SceneEntry], scratch: Path
) -> tuple[bool, str]:
    """Join the scenes if one changed; whether the episode is there, and a line saying so."""
    folder = ledger.folder
    published = ledger.published()
    missing = [e.name for e in entries if e.name not in published]
    if missing:
        return False, f"episode: not joined, not rendered at {folder.name}: {', '.join(missing)}"
    scenes = [published[e.name] for e in entries]
    parts = [[e.name, e.heading, s.key, s.captions] for e, s in zip(entries, scenes, strict=True)]
    webm = all(scene.webm for scene in scenes)
    key = hashlib.sha256(json.dumps([RECIPE, parts, webm]).encode()).hexdigest()[:20]
    target = folder / f"{EPISODE}.mp4"
    names = [f"{EPISODE}{s}" for s in (".mp4", ".jpg", ".chapters.vtt", ".md")]
    names += [f"{EPISODE}.webm"] * webm
    names += [f"{EPISODE}.vtt"] * any(scene.captions for scene in scenes)
    known = ledger.episode()
    if known is not None and known.key == key and all((folder / n).is_file() for n in names):
        return True, f"episode: up to date: {target}"
    work = scratch / "episode"
    work.mkdir()
    chapters = _chapters(folder, entries)
    run.check()
    voice = _voice(folder, entries, chapters)
    for suffix in (".mp4", ".webm") if webm else (".mp4",):
        run.check()
        _join(folder, entries, chapters, voice, suffix, work)
    captions = _write_texts(folder, entries, scenes, chapters, work)
    episode = EpisodeRecord(
        key=key,
        seconds=chapters[-1][1] if chapters else 0.0,
        chapters=tuple(
            ChapterRecord(e.name, title, s, end)
            for e, (s, end, title) in zip(entries, chapters, strict=True)
        ),
        captions=captions,
        webm=webm,
        scenes={e.name: scene.key for e, scene in zip(entries, scenes, strict=True)},
    )
    with run.lock:
        run.check()
        for name in names:
            publish(folder / name, lambda p, n=name: shutil.copyfile(work / n, p))
        for stale in {f"{EPISODE}{s}" for s in (".vtt", ".webm", ".png")} - set(names):
            (folder / stale).unlink(missing_ok=True)
        ledger.record_episode(episode)
    return True, f"episode: {target} ({len(entries)} scenes, {clock(episode.seconds)})"


def _chapters(folder: Path, entries: list[SceneEntry]) -> list[tuple[float, float, str]]:
    """Where each scene starts and ends in the episode (its video's length), and its title."""
    chapters, start = [], 0.0
    for entry in entries:
        length = duration(folder / f"{entry.name}.mp4")
        chapters.append((start, start + length, entry.heading))
        start += length
    return chapters


def _voice(
    folder: Path, entries: list[SceneEntry], chapters: list[tuple[float, float, str]]
) -> np.ndarray | None:
    """The scenes' voices end to end, each cut or padded to its scene's length (None
    when every scene is silent)."""
    scene_tracks = [decode(folder / f"{e.name}.mp4") for e in entries]
    if not any(len(samples) for samples in scene_tracks):
        return None
    lengths = [end - begin for begin, end, _ in chapters]
    return np.concatenate([fit(s, n) for s, n in zip(scene_tracks, lengths, strict=True)])


def _join(
    folder: Path,
    entries: list[SceneEntry],
    chapters: list[tuple[float, float, str]],
    voice: np.ndarray | None,
    suffix: str,
    work: Path,
) -> None:
    """``Episode<suffix>`` in ``work``: the scenes' pictures joined, with chapters, and
    the voice."""
    joined = work / f"silent{suffix}"
    pictures = [
        pictures_only(folder / f"{e.name}{suffix}", work / f"{e.name}{suffix}") for e in entries
    ]
    concat(pictures, joined, chapters)
    if voice is not None:
        mux(joined, voice, work / f"{EPISODE}{suffix}")
    else:
        joined.replace(work / f"{EPISODE}{suffix}")


def _write_texts(
    folder: Path,
    entries: list[SceneEntry],
    scenes: list[SceneRecord],
    chapters: list[tuple[float, float, str]],
    work: Path,
) -> bool:
    """The episode's chapters, captions (every scene's, at its place), poster and script
    in ``work``; whether it has captions."""
    chapter_cues = [Cue(s, e, title) for s, e, title in chapters]
    ids = [f"chapter-{number}" for number in range(1, len(chapters) + 1)]
    (work / f"{EPISODE}.chapters.vtt").write_text(to_vtt(chapter_cues, ids), encoding="utf-8")
    cues: list[Cue] = []
    places: list[str] = []
    for entry, scene, (start, _, _) in zip(entries, scenes, chapters, strict=True):
        if scene.captions:
            cues += shift(read_vtt(folder / f"{entry.name}.vtt"), start)
            places += read_vtt_settings(folder / f"{entry.name}.vtt")  # where each sits
    if cues:
        (work / f"{EPISODE}.vtt").write_text(to_vtt(cues, settings=places), encoding="utf-8")
    tile([folder / f"{e.name}.jpg" for e in entries[:4]], work / f"{EPISODE}.jpg")
    (work / f"{EPISODE}.md").write_text(_script(folder, entries, chapters), encoding="utf-8")
    return bool(cues)
