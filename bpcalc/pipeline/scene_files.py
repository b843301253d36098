"""Every file a scene publishes, made in its scratch folder from what Manim rendered.

The video gets its voice (mixed from the captions' speech), each beat's last
frame becomes a figure and one of them the poster, the captions are cut to the
subtitle standards and each placed in the band the pictures it is read over leave
quietest, the beats become chapters, and the lines a narration script. What
is published is then recorded as a :class:`~bpcalc.pipeline.ledger.SceneRecord`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, replace
from pathlib import Path

from bpcalc.params import Params
from bpcalc.pipeline.captions import (
    CAPTION_TOPS,
    Beat,
    Cue,
    beat_title,
    caption_setting,
    narration,
    spoken,
    to_vtt,
    within,
)
from bpcalc.pipeline.catalog import SceneEntry
from bpcalc.pipeline.ledger import BeatRecord, SceneRecord
from bpcalc.pipeline.media import (
    Check,
    duration,
    grey_frames,
    last_frame,
    quietest_band,
    to_gif,
)
from bpcalc.pipeline.runner import Rendered, Run
from bpcalc.pipeline.voicing import give_voice, narrated, subtitles

__all__ = ["make_files"]

CUE_INSET = 0.05  # seconds: a caption's first and last pictures sampled, inside its cue


def make_files(
    run: Run,
    entry: SceneEntry,
    rendered: Rendered,
    work: Path,
    voices: Path,
    gif: bool,
    key: str,
    params: Params,
) -> tuple[dict[str, Path], SceneRecord]:
    """Every file the scene publishes (by its path under the quality's folder), made in
    ``work``, and its record; ``voices`` is the cache of spoken lines, ``key`` the
    scene's fingerprint."""
    name = entry.name
    with run.working():  # a stop lets this notice before the scratch goes
        lines = narrated(work.glob(f"**/{name}.voice.json"), rendered.cues, voices)
        rendered = give_voice(rendered, lines, work / "voiced")
        rendered = replace(rendered, subtitles=subtitles(rendered.cues, lines))
        out = work / "out"
        out.mkdir(parents=True)
        seconds = duration(rendered.video)
        files: dict[str, Path] = {f"{name}.mp4": rendered.video}
        if rendered.webm is not None:
            files[f"{name}.webm"] = rendered.webm
        run.check()
        figures, poster = _stills(run, entry, rendered, out)
        files |= {f"{name}/{figure}": out / figure for figure in figures}
        files[f"{name}.jpg"] = poster
        cues = within(rendered.cues, seconds)  # whole lines, for the script
        shown = within(rendered.subtitles or rendered.cues, seconds)  # cut to the standards
        said = spoken(rendered.beats, shown) if rendered.beats else [shown]
        texts = _tracks(rendered.video, rendered.beats, shown, seconds, run.check)
        texts[".md"] = narration(entry.heading, name, rendered.beats, cues)
        for suffix, text in texts.items():
            (out / f"{name}{suffix}").write_text(text, encoding="utf-8")
            files[f"{name}{suffix}"] = out / f"{name}{suffix}"
        if gif:
            to_gif(rendered.video, out / f"{name}.gif", run.check)
            files[f"{name}.gif"] = out / f"{name}.gif"
    beats = tuple(
        BeatRecord(b.name, b.start, b.end, tuple(c.text for c in lines))
        for b, lines in zip(rendered.beats, said, strict=True)
    )
    record = SceneRecord(
        file=entry.file.name,
        title=entry.heading,
        story_order=entry.story_order,
        seconds=seconds,
        figures=tuple(figures),
        beats=beats,
        poster_beat=entry.poster_beat if entry.poster_beat in {b.name for b in beats} else None,
        captions=bool(cues),
        gif=gif,
        webm=rendered.webm is not None,
        pieces=rendered.pieces,
        animations=rendered.animations,
        key=key,
        tables=entry.tables,
        params_file=params.source.name,
        made_from={t: asdict(getattr(params, t)) for t in entry.tables},  # as rendered
    )
    return files, record


def _stills(run: Run, entry: SceneEntry, rendered: Rendered, out: Path) -> tuple[list[str], Path]:
    """The figures (the last frame of every beat, ``01-<beat>.jpg``) and the poster: the
    last frame of the poster's beat, else of the video."""
    figures: list[str] = []
    poster: Path | None = None
    for number, beat in enumerate(rendered.beats, start=1):
        figure = f"{number:02d}-{beat.name}.jpg"
        last_frame(rendered.sections / beat.clip, out / figure, run.check)
        figures.append(figure)
        if beat.name == entry.poster_beat:
            poster = out / figure
    if poster is None:
        poster = out / figures[-1] if figures else out / "last.jpg"
        if not figures:
            last_frame(rendered.video, poster, run.check)
    return figures, poster


def _during(cue: Cue) -> list[float]:
    """Times a caption's pictures are sampled at: just after it comes, every second, and
    just before it goes (what it would cover at any moment it is read)."""
    first, last = cue.start + CUE_INSET, max(cue.start + CUE_INSET, cue.end - CUE_INSET)
    steps = max(1, math.ceil(last - first))
    return [first + (last - first) * n / steps for n in range(steps + 1)]


def _tracks(
    video: Path, beats: list[Beat], cues: list[Cue], seconds: float, check: Check
) -> dict[str, str]:
    """The WebVTT tracks (by suffix): each caption in the band that the pictures it is
    shown over leave quietest, staying where the one before was when that is as quiet;
    and a chapter per beat."""
    tracks = {}
    if cues:
        samples = [_during(cue) for cue in cues]
        pictures = iter(grey_frames(video, [t for times in samples for t in times], check))
        settings, top = [], None
        for times in samples:
            top = quietest_band([next(pictures) for _ in times], CAPTION_TOPS, stay=top)
            settings.append(caption_setting(top))
        tracks[".vtt"] = to_vtt(cues, settings=settings)
    if beats:
        chapters = [Cue(b.start, min(b.end, seconds), beat_title(b.name)) for b in beats]
        ids = [f"beat-{number}" for number in range(1, len(beats) + 1)]
        tracks[".chapters.vtt"] = to_vtt(chapters, ids)
    return tracks
