"""The episode: every scene in story order as one video, joined without re-rendering.

``renders/<quality>/Episode.mp4`` is the scenes' published MP4s joined
packet by packet (no re-encode), with a chapter per scene; ``Episode.webm``
is their WebMs joined the same way. The voice is the scenes' tracks end to end,
each cut or padded to its scene's length, so it stays with its pictures over
the whole episode. ``Episode.chapters.vtt`` names the
chapters for the browser, and ``Episode.vtt`` holds every scene's captions
at its place. ``episode.json`` records what it was made from, so it is
joined again only when one of its scenes changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bpcalc.pipeline.captions import Cue, read_vtt, shift, to_vtt
from bpcalc.pipeline.media import concat, duration, pictures_only, publish
from bpcalc.speech.track import decode, fit, mux

if TYPE_CHECKING:
    from bpcalc.pipeline.render import SceneEntry
    from bpcalc.pipeline.runner import Run

__all__ = ["EPISODE", "build_episode", "episode_info", "is_current"]

EPISODE = "Episode"
RECIPE = "episode 4: mp4 and webm joined, chapters, the last picture held, scene keys kept, voice"


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


def _length(seconds: float) -> str:
    return f"{int(seconds // 60)}:{round(seconds % 60):02d}"


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
        e.name
        for e in entries
        if e.name not in state
        or not all((folder / f"{e.name}{suffix}").is_file() for suffix in (".mp4", ".webm"))
    ]
    if missing:
        return False, f"episode: not joined, not rendered at {quality_folder}: {', '.join(missing)}"
    parts = [
        [e.name, e.heading, state[e.name]["key"], bool(state[e.name].get("captions"))]
        for e in entries
    ]
    key = hashlib.sha256(json.dumps([RECIPE, parts]).encode()).hexdigest()[:20]
    target = folder / f"{EPISODE}.mp4"
    known = episode_info(folder)
    names = [f"{EPISODE}{s}" for s in (".mp4", ".webm", ".png", ".chapters.vtt")]
    names += [f"{EPISODE}.vtt"] * any(captions for *_, captions in parts)
    if known.get("key") == key and all((folder / n).is_file() for n in names):
        return True, f"episode: up to date: {target}"
    work = scratch / "episode"
    work.mkdir()
    chapters, cues, start = [], [], 0.0
    for entry, (*_, captions) in zip(entries, parts, strict=True):
        length = duration(folder / f"{entry.name}.mp4")
        chapters.append((start, start + length, entry.heading))
        if captions:
            cues += shift(read_vtt(folder / f"{entry.name}.vtt"), start)
        start += length
    run.check()
    scene_tracks = [decode(folder / f"{e.name}.mp4") for e in entries]
    lengths = [end - begin for begin, end, _ in chapters]
    track = np.concatenate([fit(s, n) for s, n in zip(scene_tracks, lengths, strict=True)])
    for suffix in (".mp4", ".webm"):
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
        (work / f"{EPISODE}.vtt").write_text(to_vtt(cues), encoding="utf-8")
    shutil.copyfile(folder / f"{entries[0].name}.png", work / f"{EPISODE}.png")
    info = {
        "key": key,
        "seconds": start,
        "chapters": [
            {"name": e.name, "title": title, "start": s, "end": end}
            for e, (s, end, title) in zip(entries, chapters, strict=True)
        ],
        "captions": bool(cues),
        "scenes": {name: scene_key for name, _, scene_key, _ in parts},
    }
    with run.lock:
        run.check()
        for name in names:
            publish(folder / name, lambda p, n=name: shutil.copyfile(work / n, p))
        if not cues:
            (folder / f"{EPISODE}.vtt").unlink(missing_ok=True)
        publish(folder / "episode.json", lambda p: p.write_text(json.dumps(info, indent=1)))
    return True, f"episode: {target} ({len(entries)} scenes, {_length(start)})"
