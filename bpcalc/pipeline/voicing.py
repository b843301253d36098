"""The voice of a rendered scene: one track mixed from its captions' clock, muxed into
its video, its WebM and each section's clip.

Each scene names, beside its video, which cached speech each caption is
(``<Scene>.voice.json``, written by ``StoryScene.after_movie``); the captions
already sit on the final clock however the scene was split, so a line's
speech starts exactly when its caption does, and the audio of a split render
is the same as that of a render in one go.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bpcalc.pipeline.captions import Cue
from bpcalc.pipeline.media import duration
from bpcalc.pipeline.runner import Rendered
from bpcalc.speech.track import Placed, cut, mix, mux
from bpcalc.speech.voice import Speech, cached

__all__ = ["Line", "give_voice", "spoken_lines"]


@dataclass(frozen=True)
class Line:
    """A caption as shown (whole line) and the speech that says it."""

    cue: Cue
    speech: Speech


def spoken_lines(sidecars: Iterable[Path], cues: Sequence[Cue], cache_dir: Path) -> list[Line]:
    """The captions that are spoken, each with its speech from the cache."""
    named: dict[str, dict[str, str]] = {}
    for sidecar in sidecars:  # a split render writes one per piece; they agree
        named |= json.loads(sidecar.read_text(encoding="utf-8"))
    lines = []
    for cue in cues:
        entry = named.get(cue.text)
        speech = cached(cache_dir, entry["key"], entry["text"]) if entry else None
        if speech is not None:
            lines.append(Line(cue, speech))
    return lines


def give_voice(rendered: Rendered, lines: Sequence[Line], out: Path) -> Rendered:
    """The same render with its voice: new files in ``out``, the pictures untouched."""
    if not lines:
        return rendered
    length = duration(rendered.video)
    track = mix([Placed(line.cue.start, line.speech) for line in lines], length)
    out.mkdir(parents=True, exist_ok=True)
    video = out / rendered.video.name
    mux(rendered.video, track, video)
    webm = rendered.webm
    if webm.is_file():
        webm = out / rendered.webm.name
        mux(rendered.webm, track, webm)
    sections = out / "sections"
    sections.mkdir(exist_ok=True)
    for beat in rendered.beats:
        clip = rendered.sections / beat.clip
        mux(clip, cut(track, beat.start, beat.start + duration(clip)), sections / beat.clip)
    return replace(rendered, video=video, webm=webm, sections=sections)
