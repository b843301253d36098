"""The voice in what `bpcalc render` publishes: every video to its end, each line inside
its beat, split renders alike, nothing synthesized twice, a silent render on request."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest
from scene_support import bpcalc_render as bpcalc
from scene_support import published_folder as out

from bpcalc.pipeline.captions import read_vtt
from bpcalc.pipeline.media import duration
from bpcalc.speech.track import audio_length, decode
from bpcalc.speech.voice import RATE

ROOT = Path(__file__).resolve().parents[2]
NARRATED = ["TinyChain", "TinyDigits"]
AAC_FRAME = 1024 / RATE  # an audio stream ends on whole frames


def _loudness(samples: np.ndarray, start: float, end: float) -> float:
    part = samples[round(start * RATE) : round(end * RATE)].astype(float)
    return float(np.sqrt(np.mean(part**2))) if len(part) else 0.0


@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_every_published_video_is_heard_to_its_end(rendered: Path, suffix: str) -> None:
    folder = out(rendered)
    for name in [*NARRATED, "Episode"]:
        video = folder / f"{name}{suffix}"
        with av.open(str(video)) as container:
            kinds = [stream.type for stream in container.streams if stream.type != "data"]
            assert (kinds, len(container.streams.audio)) == (["video", "audio"], 1), name
        assert audio_length(video) == pytest.approx(duration(video), abs=AAC_FRAME), name
    with av.open(str(folder / f"TinyStory{suffix}")) as container:
        assert not container.streams.audio  # a scene with no narration stays silent


def test_the_episode_sounds_each_scene_at_its_place(rendered: Path) -> None:
    folder = out(rendered)
    episode = decode(folder / "Episode.mp4")
    chapters = json.loads((folder / "episode.json").read_text())["chapters"]
    for chapter in chapters:
        own = decode(folder / f"{chapter['name']}.mp4")
        if not len(own):
            assert _loudness(episode, chapter["start"], chapter["end"]) < 50
            continue
        length = min(len(own), round((chapter["end"] - chapter["start"]) * RATE))
        start = round(chapter["start"] * RATE)
        there = episode[start : start + length].astype(float)
        assert np.corrcoef(there, own[:length].astype(float))[0, 1] > 0.95, chapter["name"]


def test_each_cue_is_heard_and_each_line_ends_inside_its_beat(rendered: Path) -> None:
    folder = out(rendered)
    for name in NARRATED:
        samples = decode(folder / f"{name}.mp4")
        state = json.loads((folder / "state.json").read_text())[name]
        for cue in read_vtt(folder / f"{name}.vtt"):  # each cue shown while its words are said
            assert _loudness(samples, cue.start, min(cue.end, cue.start + 0.6)) > 500, (name, cue)
        for beat in state["beats"]:  # the picture held until the line was said, and a breath
            assert _loudness(samples, beat["end"] - 0.2, beat["end"]) < 50, (name, beat)


def test_a_split_render_sounds_like_one_process(rendered: Path, project: Path) -> None:
    # 3 pieces: the first ends inside the first line's hold, which it writes cut short
    result = bpcalc(project, "--force", "--split", "3", "TinyChain")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 pieces" in result.stdout
    cues = [read_vtt(out(p) / "TinyChain.vtt") for p in (rendered, project)]
    assert [c.text for c in cues[1]] == [c.text for c in cues[0]]
    for ours, theirs in zip(*cues, strict=True):  # SubRip's milliseconds
        assert theirs.start == pytest.approx(ours.start, abs=0.002), theirs
        assert theirs.end == pytest.approx(ours.end, abs=0.002), theirs
    single, split = (decode(out(p) / "TinyChain.mp4") for p in (rendered, project))
    # a split StoryScene may end a frame apart (its holds are timed on the piece's own
    # clock); each track lasts as long as its own video
    assert audio_length(out(project) / "TinyChain.mp4") == pytest.approx(
        duration(out(project) / "TinyChain.mp4"), abs=AAC_FRAME
    )
    # one track from the same captions, line by line: the same sound at the same times,
    # to SubRip's millisecond (a piece's captions come back through it)
    for cue in read_vtt(out(project) / "TinyChain.vtt"):
        most = round(0.002 * RATE)
        start, end = round(cue.start * RATE) + most, round(cue.end * RATE) - most
        ours = single[start:end].astype(float)
        best = max(
            np.corrcoef(ours, split[start + shift : end + shift].astype(float))[0, 1]
            for shift in range(-most, most + 1)
        )
        assert best > 0.99, cue


def test_unchanged_words_are_not_spoken_again(project: Path, voice_cache: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in voice_cache.iterdir()}
    result = bpcalc(project, "--force", *NARRATED)
    assert result.returncode == 0, result.stdout + result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in voice_cache.iterdir()} == before


def test_no_voice_renders_silent_videos_and_renders_again_with_it(project: Path) -> None:
    result = bpcalc(project, "--no-voice", "TinyChain")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TinyChain: ok" in result.stdout  # silent is another video: rendered again
    with av.open(str(out(project) / "TinyChain.mp4")) as container:
        assert not container.streams.audio
    assert len(read_vtt(out(project) / "TinyChain.vtt")) == 2  # the captions stay
    again = bpcalc(project, "TinyChain")
    assert "TinyChain: ok" in again.stdout
    assert audio_length(out(project) / "TinyChain.mp4") is not None


def test_a_bad_voice_file_stops_before_any_render(project: Path) -> None:
    params = project / "bpcalc.toml"
    params.write_text(params.read_text().replace('model = ""', 'model = "voices/gone.onnx"'))
    published = {p: p.read_bytes() for p in (project / "renders").rglob("*") if p.is_file()}
    result = bpcalc(project, "--force")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "voice.model = 'voices/gone.onnx' is not allowed" in lines[0]
    assert "Traceback" not in result.stderr
    now = {p: p.read_bytes() for p in (project / "renders").rglob("*") if p.is_file()}
    assert now == published


def test_captions_meet_the_subtitle_standards(rendered: Path) -> None:
    for name in NARRATED:
        for cue in read_vtt(out(rendered) / f"{name}.vtt"):
            lines, shown = cue.text.split("\n"), cue.end - cue.start
            assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), cue
            assert 5 / 6 - 0.001 <= shown <= 7.001, cue
            assert len("".join(lines)) / shown <= 20.01, cue  # a line break is no character
