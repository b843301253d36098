"""One sound track per video, mixed from the timeline of spoken lines, muxed beside
the pictures without touching them.

Manim's ``add_sound`` loses sound after skipped or cached animations and places
it late after ``-n`` ranges; a track made afterwards from the lines' final
times (the captions' clock) cannot drift from the captions, however the video
was cut, split or joined.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from av.container import Flags as ContainerFlags

from bpcalc.speech.voice import RATE, Speech, read_samples

__all__ = ["MIXED_BY_PIPELINE", "Placed", "audio_length", "cut", "decode", "fit", "mix", "mux"]

# Set by `bpcalc render`, which mixes one track from the joined captions' clock: a
# scene then only writes which speech each caption is (``<Scene>.voice.json``).
MIXED_BY_PIPELINE = "BPCALC_VOICE_MIXED_BY_PIPELINE"
OPUS_RATE = 48_000  # the only rate a WebM's Opus plays everywhere
OPUS_FRAME = 960  # samples of one 20 ms Opus frame
OPUS_DELAY = 312  # samples libopus puts before the sound (its pre-skip)
BITRATE = {".mp4": 64_000, ".webm": 48_000}  # mono speech: well above transparent


@dataclass(frozen=True)
class Placed:
    """A line's speech, starting at ``start`` seconds on the video's clock."""

    start: float
    speech: Speech


def mix(lines: Sequence[Placed], length: float) -> np.ndarray:
    """The whole track: silence, each line's samples from its start, cut at ``length``."""
    track = np.zeros(round(length * RATE), dtype=np.int32)
    for line in lines:
        samples = read_samples(line.speech.wav)
        at = max(0, round(line.start * RATE))
        end = min(len(track), at + len(samples))
        if end > at:
            track[at:end] += samples[: end - at]
    return np.clip(track, -32768, 32767).astype(np.int16)


def fit(track: np.ndarray, length: float) -> np.ndarray:
    """A track cut or padded with silence to ``length`` seconds (a scene in the episode)."""
    samples = round(length * RATE)
    return np.pad(track[:samples], (0, max(0, samples - len(track))))


def cut(track: np.ndarray, start: float, end: float) -> np.ndarray:
    """The part of a track between two times (a section's clip)."""
    return track[round(start * RATE) : round(end * RATE)]


def _frames(track: np.ndarray, rate: int) -> Iterator[av.AudioFrame]:
    """The track as frames at ``rate`` (resampled for Opus)."""
    resampler = None if rate == RATE else av.AudioResampler("s16", "mono", rate)
    step = 4096
    for at in range(0, len(track), step):
        frame = av.AudioFrame.from_ndarray(track[None, at : at + step], format="s16", layout="mono")
        frame.sample_rate, frame.pts = RATE, at
        yield from resampler.resample(frame) if resampler else [frame]
    if resampler is not None:
        yield from resampler.resample(None)


def mux(video: Path, track: np.ndarray, target: Path) -> None:
    """``video``'s pictures (packets copied) and chapters, with ``track`` as its sound:
    AAC in an MP4 (index first, so a player starts at once), Opus in a WebM."""
    suffix = target.suffix
    options = {"movflags": "+faststart"} if suffix == ".mp4" else {}
    fmt = {".mp4": "mp4", ".webm": "webm"}[suffix]
    with (
        av.open(str(video)) as source,
        av.open(str(target), "w", format=fmt, options=options) as out,
    ):
        out.flags |= ContainerFlags.bitexact.value  # same pictures and track, same bytes
        incoming = source.streams.video[0]
        pictures = out.add_stream_from_template(template=incoming)
        chapters = source.chapters()
        if chapters:
            out.set_chapters(chapters)
        rate = RATE if suffix == ".mp4" else OPUS_RATE
        if suffix == ".webm":  # Opus ends on whole frames after its delay: end by the pictures
            frames = len(track) * OPUS_RATE // RATE // OPUS_FRAME
            track = track[: (frames * OPUS_FRAME - OPUS_DELAY) * RATE // OPUS_RATE]
        sound = out.add_stream("aac" if suffix == ".mp4" else "libopus", rate=rate, layout="mono")
        sound.bit_rate = BITRATE[suffix]
        packets = [p for f in _frames(track, rate) for p in sound.encode(f)]
        packets += list(sound.encode(None))
        heard = iter(packets)
        pending = next(heard, None)
        for packet in source.demux(incoming):
            if packet.dts is None:
                continue
            at = float(packet.dts * packet.time_base)
            while pending is not None and float(pending.pts * pending.time_base) <= at:
                out.mux(pending)  # interleaved by time: a player streams both at once
                pending = next(heard, None)
            packet.stream = pictures
            out.mux(packet)
        while pending is not None:
            out.mux(pending)
            pending = next(heard, None)


def decode(video: Path) -> np.ndarray:
    """A video's sound as samples at :data:`RATE` (silence if it has none)."""
    with av.open(str(video)) as source:
        if not source.streams.audio:
            return np.zeros(0, dtype=np.int16)
        resampler = av.AudioResampler("s16", "mono", RATE)
        chunks = [
            r.to_ndarray().reshape(-1)
            for frame in source.decode(source.streams.audio[0])
            for r in resampler.resample(frame)
        ]
        chunks += [r.to_ndarray().reshape(-1) for r in resampler.resample(None)]
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


def audio_length(video: Path) -> float | None:
    """Seconds of the audio stream, by its packets (None: no sound)."""
    with av.open(str(video)) as source:
        if not source.streams.audio:
            return None
        stream = source.streams.audio[0]
        end = 0.0
        for packet in source.demux(stream):
            if packet.pts is not None and packet.duration:
                end = max(end, float((packet.pts + packet.duration) * packet.time_base))
        start = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
        return end - start
