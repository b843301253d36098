"""The voice and the subtitles of a rendered scene, on its captions' final clock.

Each narrated scene says, beside its video, what each caption is as speech
(``<Scene>.voice.json``, written by ``StoryScene.after_movie``): the spoken
words, their cached speech, and which spoken words say each caption word.
The captions already sit on the final clock however the scene was split, so
one track mixed from them starts each line exactly when its caption does,
and the subtitles are cut to the standards by the words as they are spoken.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bpcalc.pipeline.captions import Cue
from bpcalc.pipeline.media import duration
from bpcalc.pipeline.runner import Rendered
from bpcalc.speech.spoken import Line
from bpcalc.speech.subtitles import line_cues
from bpcalc.speech.track import Placed, mix, mux
from bpcalc.speech.voice import Speech, cached

__all__ = ["VoicedCaption", "give_voice", "narrated", "subtitles"]


@dataclass(frozen=True)
class VoicedCaption:
    """A whole-line caption, the line it shows, and the speech that says it (if any)."""

    cue: Cue
    line: Line
    speech: Speech | None


def narrated(sidecars: Iterable[Path], cues: Sequence[Cue], cache_dir: Path) -> list[VoicedCaption]:
    """The captions that are narration lines, each with its spoken form and speech."""
    named: dict[str, dict] = {}
    for sidecar in sidecars:  # a split render writes one per piece; they agree
        named |= json.loads(sidecar.read_text(encoding="utf-8"))
    found = []
    for cue in cues:
        entry = named.get(cue.text)
        if entry is None:
            continue
        line = Line(cue.text, entry["spoken"], tuple((w, n) for w, n in entry["spans"]))
        speech = cached(cache_dir, entry["key"], entry["spoken"]) if entry["key"] else None
        found.append(VoicedCaption(cue, line, speech))
    return found


def give_voice(rendered: Rendered, lines: Sequence[VoicedCaption], out: Path) -> Rendered:
    """The same render with its voice: new files in ``out``, the pictures untouched."""
    spoken = [Placed(n.cue.start, n.speech) for n in lines if n.speech is not None]
    if not spoken:
        return rendered
    track = mix(spoken, duration(rendered.video))
    out.mkdir(parents=True, exist_ok=True)
    video = out / rendered.video.name
    mux(rendered.video, track, video)
    webm = rendered.webm
    if webm is not None and webm.is_file():
        webm = out / webm.name
        mux(rendered.webm, track, webm)
    # the section clips stay silent: only their last pictures (the figures) are published
    return replace(rendered, video=video, webm=webm)


def subtitles(cues: Sequence[Cue], lines: Sequence[VoicedCaption]) -> list[Cue]:
    """The captions as a viewer reads them: each narration line cut to the standards,
    timed by its spoken words; any other caption as it is."""
    fitted = {n.cue: line_cues(n.line, n.cue.start, n.cue.end, n.speech) for n in lines}
    return [piece for cue in cues for piece in fitted.get(cue, [cue])]
