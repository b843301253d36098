"""Captions, beats and the narration script of a scene, from what Manim wrote.

Manim writes a scene's subcaptions (``add_subcaption``, ``play(...,
subcaption=...)``) as ``<Scene>.srt`` beside the video, and with
``--save_sections`` a JSON index of its sections (beats), one clip each.
Browsers want WebVTT, readers want a script: both are made here, as plain
text, so nothing in this module touches video.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bpcalc.speech.subtitles import Cue, stamp

# SubRip keeps milliseconds and a section's times are sums of clip lengths: a
# caption this close to a cut (a beat's start, a split piece's) begins after it.
EDGE = 0.002  # seconds
# Where a caption may sit (the top of its box, a share of the picture's height): in the
# band the frames it is read over leave quietest, so that it covers no formula. The last
# is the players' own place at the bottom, the strip the scenes leave clear for it
# (bpcalc.viz.renderer's camera), so in practice every caption sits there; the bands
# above it keep a caption clear of whatever a picture does draw at the bottom (a joined
# poster, a scene of another camera). A WebVTT `line:` setting moves it (:func:`to_vtt`).
CAPTION_TOPS = (0.04, 0.12, 0.2, 0.28, 0.36, 0.44, 0.52, 0.6, 0.68, 0.88)

__all__ = [
    "CAPTION_TOPS",
    "EDGE",
    "Beat",
    "Cue",
    "beat_title",
    "beats_from_index",
    "caption_setting",
    "clock",
    "narration",
    "read_srt",
    "read_vtt",
    "read_vtt_settings",
    "shift",
    "spoken",
    "to_vtt",
    "within",
]


@dataclass(frozen=True)
class Beat:
    """One section of a scene, where it starts and ends in the video, and its clip."""

    name: str
    start: float
    end: float
    clip: str = ""


def _seconds(text: str) -> float:
    """``00:01:02,500`` or ``00:01:02.500`` (or ``01:02.500``) in seconds."""
    parts = text.strip().replace(",", ".").split(":")
    return sum(float(part) * 60**power for power, part in enumerate(reversed(parts)))


def _blocks(text: str) -> Iterable[list[str]]:
    block: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _parse(text: str) -> list[Cue]:
    cues = []
    for block in _blocks(text):
        timing = next((i for i, line in enumerate(block) if "-->" in line), None)
        if timing is None:
            continue  # the WEBVTT header, a cue number on its own, a NOTE
        start, end = block[timing].split("-->")
        cues.append(Cue(_seconds(start), _seconds(end.split()[0]), "\n".join(block[timing + 1 :])))
    return cues


def read_srt(path: Path) -> list[Cue]:
    """Manim's SubRip file as cues, in time order."""
    return sorted(_parse(path.read_text(encoding="utf-8")), key=lambda cue: cue.start)


def read_vtt(path: Path) -> list[Cue]:
    """A WebVTT file (as written by :func:`to_vtt`) as cues."""
    return _parse(path.read_text(encoding="utf-8"))


def read_vtt_settings(path: Path) -> list[str]:
    """Each cue's WebVTT cue settings (what follows its end time), in the file's order."""
    timings = (line for block in _blocks(path.read_text(encoding="utf-8")) for line in block)
    return [" ".join(t.split("-->")[1].split()[1:]) for t in timings if "-->" in t]


def within(cues: Sequence[Cue], length: float) -> list[Cue]:
    """The cues in time order, cut to the video's length; a cue after the end is dropped."""
    kept = []
    for cue in sorted(cues, key=lambda cue: cue.start):
        start, end = max(0.0, cue.start), min(cue.end, length)
        if end > start and cue.text.strip():
            kept.append(Cue(start, end, cue.text))
    return kept


def shift(cues: Sequence[Cue], offset: float) -> list[Cue]:
    """The same cues, ``offset`` seconds later (a scene's place in the episode)."""
    return [Cue(cue.start + offset, cue.end + offset, cue.text) for cue in cues]


def caption_setting(top: float) -> str:
    """The WebVTT cue setting that puts a caption's box at ``top`` ("": the default)."""
    return "" if top == CAPTION_TOPS[-1] else f"line:{round(top * 100)}%"


def to_vtt(cues: Sequence[Cue], ids: Sequence[str] = (), settings: Sequence[str] = ()) -> str:
    """WebVTT text; ``ids`` name the cues (chapters use them); ``settings`` are each
    cue's WebVTT cue settings (``line:5%``: where it sits, clear of the formulas)."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(cues):
        if number < len(ids):
            lines.append(ids[number])
        text = cue.text.replace("-->", "->")  # the one sequence a cue's text must not hold
        after = f" {settings[number]}" if number < len(settings) and settings[number] else ""
        lines += [f"{stamp(cue.start, '.')} --> {stamp(cue.end, '.')}{after}", text, ""]
    return "\n".join(lines)


def beats_from_index(index: Path) -> list[Beat]:
    """Sections with their times, from the clips' durations in Manim's JSON index."""
    beats, start = [], 0.0
    for section in json.loads(index.read_text()):
        end = start + float(section["duration"])
        beats.append(Beat(section["name"], start, end, section["video"]))
        start = end
    return beats


def beat_title(name: str) -> str:
    """A beat's name as a chapter title: ``cost-of-everything`` → ``Cost of everything``."""
    return name.replace("-", " ").replace("_", " ").capitalize()


def spoken(beats: Sequence[Beat], cues: Sequence[Cue]) -> list[list[Cue]]:
    """The lines said in each beat (the first beat takes any line before it, the last
    any after it)."""
    return [
        [
            c
            for c in cues
            if (number == 0 or c.start >= beat.start - EDGE)
            and (number == len(beats) - 1 or c.start < beat.end - EDGE)
        ]
        for number, beat in enumerate(beats)
    ]


def clock(seconds: float, tenths: bool = False) -> str:
    """``m:ss``, the whole seconds gone, as a player shows a length (71.6 s is 1:11);
    with ``tenths``, ``m:ss.s``, as the narration script times its lines (1:11.6)."""
    if tenths:
        return f"{int(seconds // 60)}:{seconds % 60:04.1f}"
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def narration(title: str, name: str, beats: Sequence[Beat], cues: Sequence[Cue]) -> str:
    """A script to read aloud: each beat, when it starts, and the lines spoken in it."""

    def at(seconds: float) -> str:
        return clock(seconds, tenths=True)

    length = beats[-1].end if beats else max((cue.end for cue in cues), default=0.0)
    lines = [
        f"# {title}",
        "",
        f"`{name}`, {at(length)} long, {len(beats)} beat(s). Each line is shown as a "
        "caption from the time in brackets.",
        "",
    ]
    for number, (beat, said) in enumerate(zip(beats, spoken(beats, cues), strict=True), start=1):
        lines += [f"## {number}. {beat.name} ({at(beat.start)}–{at(beat.end)})", ""]
        lines += [f"- [{at(c.start)}] {' '.join(c.text.split())}" for c in said] or [
            "_(no narration)_"
        ]
        lines.append("")
    if not beats:
        lines += [f"- [{at(c.start)}] {' '.join(c.text.split())}" for c in cues]
    return "\n".join(lines).rstrip() + "\n"
