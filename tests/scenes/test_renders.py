"""Every scene rendered for real at 480p, as a user types it, with its captions; and a bad
parameter file stops a render before its first frame without touching earlier videos."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
import srt
from scene_support import ROOT, manim_render

from bpcalc.pipeline.catalog import discover
from bpcalc.speech.track import audio_length

SCENES = [pytest.param(e.file.name, e.name, id=e.name) for e in discover(ROOT)]


@pytest.mark.render
@pytest.mark.parametrize(("file", "name"), SCENES)
def test_real_low_quality_render_with_captions(tmp_path: Path, file: str, name: str) -> None:
    result = manim_render(file, name, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stdout + result.stderr, result.stderr[-3000:]
    (video,) = tmp_path.glob(f"videos/**/480p15/{name}.mp4")
    with av.open(str(video)) as container:
        seconds = container.duration / av.time_base
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (854, 480)
    assert 20 <= seconds <= 300
    cues = list(srt.parse(video.with_suffix(".srt").read_text()))
    assert cues, "no captions"
    starts = [cue.start.total_seconds() for cue in cues]
    assert starts == sorted(starts)
    assert all(0 <= cue.start.total_seconds() < cue.end.total_seconds() for cue in cues)
    assert cues[-1].end.total_seconds() <= seconds + 0.1
    for cue in cues:  # subtitle standards: 2 lines of 42, 5/6 s to 7 s, 20 characters a second
        lines, shown = cue.content.split("\n"), (cue.end - cue.start).total_seconds()
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), cue.content
        assert 5 / 6 - 0.001 <= shown <= 7.001, (shown, cue.content)
        assert len("".join(lines)) / shown <= 20.01, (shown, cue.content)  # breaks don't count
    assert audio_length(video) == pytest.approx(seconds, abs=0.05)  # spoken to the end


BAD = [
    pytest.param("digit_cost.py", "DigitCost", "[chain]\nstep = -3\n", "chain.step = -3"),
    pytest.param("chain_rule.py", "ChainRule", "[chain]\nstep = -3\n", "chain.step = -3"),
    # checked against the data: the test set has fewer images of the digit
    pytest.param("digit_cost.py", "DigitCost", "[example]\nindex = 5000\n", "example.index = 5000"),
    # checked against the trained chain: nudges that move nothing beyond rounding
    pytest.param(
        "chain_rule.py",
        "ChainRule",
        "[chain]\nstep = 100000\nlearning_rate = 100\n",
        "nudge.delta = 0.5",
    ),
    pytest.param(
        "nudge_cost.py",
        "NudgeCost",
        "[nudge]\ndelta = 10\nshrink = 1000\nsteps = 12\n",
        "nudge.steps = 12",
    ),
]


@pytest.mark.render
@pytest.mark.parametrize(("file", "name", "content", "message"), BAD)
def test_bad_parameters_stop_the_render_with_one_line(
    tmp_path: Path, file: str, name: str, content: str, message: str
):
    bad = tmp_path / "bad.toml"
    bad.write_text(content)
    earlier = tmp_path / "videos" / Path(file).stem / "480p15" / f"{name}.mp4"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"a good render from before")
    result = manim_render(file, name, tmp_path, bad)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"bad.toml: {message}" in lines[0], result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert earlier.read_bytes() == b"a good render from before"
