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
from typing import TYPE_CHECKING

import numpy as np

from bpcalc.pipeline.captions import Cue, read_vtt, read_vtt_settings, shift, to_vtt
from bpcalc.pipeline.media import concat, duration, pictures_only, publish, tile
from bpcalc.speech.track import decode, fit, mux

if TYPE_CHECKING:
    from bpcalc.pipeline.render import SceneEntry
    from bpcalc.pipeline.runner import Run

__all__ = ["EPISODE", "build_episode", "episode_info", "is_current"]

EPISODE = "Episode"
RECIPE = "episode 7: mp4 fast start, webm if all, chapters, held end, tiled poster, script, voice"


def episode_info(folder: Path) -> dict:
    """What ``episode.json`` in a quality's folder says, or ``{}``."""
    try:
        return json.loads((folder / "episode.json").read_text())
    except (OSError, ValueError):
        return {}


def is_current(folder: Path, info: dict) -> bool:
    """Whether the episode joined in ``folder`` is made of the scenes published there now."""
    try:
        state = json.loads((folder / "state.json").read_text())
    except (OSError, ValueError):
        return False
    joined = info.get("scenes", {})
    return bool(joined) and all(state.get(name, {}).get("key") == k for name, k in joined.items())


def clock(seconds: float) -> str:
    """``m:ss``, the whole seconds gone, as a player shows the length (71.6 s is 1:11)."""
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


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
    run: Run, renders: Path, quality_folder: str, entries: list[SceneEntry], scratch: Path
) -> tuple[bool, str]:
    """Join the scenes if one changed; whether the episode is there, and a line saying so."""
    folder = renders / quality_folder
    try:
        state = json.loads((folder / "state.json").read_text())
    except (OSError, ValueError):
        state = {}
    missing = [
        e.name for e in entries if e.name not in state or not (folder / f"{e.name}.mp4").is_file()
    ]
    if missing:
        return False, f"episode: not joined, not rendered at {quality_folder}: {', '.join(missing)}"
    parts = [
        [e.name, e.heading, state[e.name]["key"], bool(state[e.name].get("captions"))]
        for e in entries
    ]
    webm = all(state[e.name].get("webm") for e in entries)
    key = hashlib.sha256(json.dumps([RECIPE, parts, webm]).encode()).hexdigest()[:20]
    target = folder / f"{EPISODE}.mp4"
    known = episode_info(folder)
    names = [f"{EPISODE}{s}" for s in (".mp4", ".jpg", ".chapters.vtt", ".md")]
    names += [f"{EPISODE}.webm"] * webm
    names += [f"{EPISODE}.vtt"] * any(captions for *_, captions in parts)
    if known.get("key") == key and all((folder / n).is_file() for n in names):
        return True, f"episode: up to date: {target}"
    work = scratch / "episode"
    work.mkdir()
    chapters, cues, places, start = [], [], [], 0.0
    for entry, (*_, captions) in zip(entries, parts, strict=True):
        length = duration(folder / f"{entry.name}.mp4")
        chapters.append((start, start + length, entry.heading))
        if captions:
            cues += shift(read_vtt(folder / f"{entry.name}.vtt"), start)
            places += read_vtt_settings(folder / f"{entry.name}.vtt")  # where each sits
        start += length
    run.check()
    scene_tracks = [decode(folder / f"{e.name}.mp4") for e in entries]
    lengths = [end - begin for begin, end, _ in chapters]
    track = np.concatenate([fit(s, n) for s, n in zip(scene_tracks, lengths, strict=True)])
    for suffix in (".mp4", ".webm") if webm else (".mp4",):
        run.check()
        joined = work / f"silent{suffix}"
        pictures = [
            pictures_only(folder / f"{e.name}{suffix}", work / f"{e.name}{suffix}") for e in entries
        ]
        concat(pictures, joined, chapters)
        if any(len(samples) for samples in scene_tracks):
            mux(joined, track, work / f"{EPISODE}{suffix}")
        else:
            joined.replace(work / f"{EPISODE}{suffix}")
    chapter_cues = [Cue(s, e, title) for s, e, title in chapters]
    ids = [f"chapter-{number}" for number in range(1, len(chapters) + 1)]
    (work / f"{EPISODE}.chapters.vtt").write_text(to_vtt(chapter_cues, ids), encoding="utf-8")
    if cues:
        (work / f"{EPISODE}.vtt").write_text(to_vtt(cues, settings=places), encoding="utf-8")
    tile([folder / f"{e.name}.jpg" for e in entries[:4]], work / f"{EPISODE}.jpg")
    (work / f"{EPISODE}.md").write_text(_script(folder, entries, chapters), encoding="utf-8")
    info = {
        "key": key,
        "seconds": start,
        "chapters": [
            {"name": e.name, "title": title, "start": s, "end": end}
            for e, (s, end, title) in zip(entries, chapters, strict=True)
        ],
        "captions": bool(cues),
        "webm": webm,
        "scenes": {name: scene_key for name, _, scene_key, _ in parts},
    }
    with run.lock:
        run.check()
        for name in names:
            publish(folder / name, lambda p, n=name: shutil.copyfile(work / n, p))
        for stale in {f"{EPISODE}{s}" for s in (".vtt", ".webm", ".png")} - set(names):
            (folder / stale).unlink(missing_ok=True)
        publish(folder / "episode.json", lambda p: p.write_text(json.dumps(info, indent=1)))
    return True, f"episode: {target} ({len(entries)} scenes, {clock(start)})"
