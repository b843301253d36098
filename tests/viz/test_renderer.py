"""FrugalRenderer: a held picture is one frame for its whole hold; skipped animations cost nothing.

The frugal video is checked against Manim's own renderer drawing the same
scene: the same length, the same picture at every moment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import av
import numpy as np
import pytest
from manim import LEFT, RIGHT, Camera, Circle, Create, Scene, Square, tempconfig

from bpcalc.speech.subtitles import CAPTION_HEIGHT
from bpcalc.viz.renderer import WEBM_CLIPS, CaptionStripCamera, FrugalScene

pytestmark = pytest.mark.render

SCENES = textwrap.dedent(
    """
    from manim import RIGHT, Create, Scene, Square
    from bpcalc.viz.renderer import CaptionStripCamera, FrugalScene

    class Moves:
        def construct(self):
            square = Square()
            self.play(Create(square), run_time=1)
            self.wait(2)
            self.play(square.animate.shift(RIGHT), run_time=1)
            self.wait(1)

    class Stock(Moves, Scene):
        def __init__(self, **kwargs):
            super().__init__(camera_class=CaptionStripCamera, **kwargs)

    class Frugal(Moves, FrugalScene):
        pass
    """
)


def shown(video: Path, moments: list[float]) -> list[np.ndarray]:
    """The picture on screen at each moment: the last frame that started by then."""
    with av.open(str(video)) as container:
        frames = [(float(f.time), f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    return [[image for start, image in frames if start <= t + 1e-9][-1] for t in moments]


def decoded(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def frame_times(video: Path) -> list[tuple[float, float]]:
    """When each stored frame starts, and how long it is shown."""
    with av.open(str(video)) as container:
        packets = [p for p in container.demux(video=0) if p.size]
        return [(float(p.pts * p.time_base), float(p.duration * p.time_base)) for p in packets]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float("inf") if error == 0 else 10 * np.log10(255**2 / error)


def test_a_held_picture_is_one_frame_shown_for_the_whole_hold(tmp_path: Path) -> None:
    file = tmp_path / "moves.py"
    file.write_text(SCENES)
    videos = {}
    for name in ("Stock", "Frugal"):
        command = [sys.executable, "-m", "manim", "render", "-ql", "--media_dir", str(tmp_path)]
        result = subprocess.run([*command, str(file), name], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        (videos[name],) = tmp_path.glob(f"videos/moves/480p15/{name}.mp4")
    counts = {}
    for name, video in videos.items():
        with av.open(str(video)) as container:
            assert container.duration / av.time_base == pytest.approx(5.0, abs=1e-6)
            counts[name] = sum(1 for p in container.demux(video=0) if p.size)
    assert counts == {"Stock": 15 + 30 + 15 + 15, "Frugal": 15 + 1 + 15 + 1}
    moments = [round(0.1 * step, 1) for step in range(50)]
    for moment, ours, theirs in zip(
        moments, shown(videos["Frugal"], moments), shown(videos["Stock"], moments), strict=True
    ):
        assert psnr(ours, theirs) >= 40, moment


class Three:
    def construct(self) -> None:
        square = Square()
        self.play(Create(square))
        self.play(square.animate.shift(RIGHT))
        self.play(Create(Circle()))


@pytest.mark.parametrize(("base", "drawn_while_skipping"), [(Scene, True), (FrugalScene, False)])
def test_skipped_animations_are_not_drawn(
    base: type, drawn_while_skipping: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene_class = type("ThreeOf" + base.__name__, (Three, base), {})
    draws: list[int] = []
    capture = Camera.capture_mobjects

    def counted(camera: Camera, *args, **kwargs) -> None:
        draws.append(scene.renderer.num_plays)
        capture(camera, *args, **kwargs)

    monkeypatch.setattr(Camera, "capture_mobjects", counted)
    settings = {"dry_run": True, "progress_bar": "none", "from_animation_number": 2}
    with tempconfig({**settings, "pixel_width": 160, "pixel_height": 90}):
        scene = scene_class()
        scene.render()
    skipped = [play for play in draws if play < 2]
    assert bool(skipped) == drawn_while_skipping
    assert 2 in draws  # the animation asked for is drawn either way


def test_with_webm_clips_asked_every_clip_has_a_webm_twin_of_the_same_pictures(
    tmp_path: Path,
) -> None:
    file = tmp_path / "moves.py"
    file.write_text(SCENES)
    command = [sys.executable, "-m", "manim", "render", "-ql", "--media_dir", str(tmp_path)]
    for folder, asked in (("plain", {}), ("twinned", {WEBM_CLIPS: "1"})):
        media = ["--media_dir", str(tmp_path / folder)]
        environment = {k: v for k, v in os.environ.items() if k != WEBM_CLIPS} | asked
        result = subprocess.run(
            [*command, *media, str(file), "Frugal"], capture_output=True, text=True, env=environment
        )
        assert result.returncode == 0, result.stderr
    plain = tmp_path / "plain" / "videos" / "moves" / "480p15" / "partial_movie_files"
    assert len(list(plain.glob("*/*.mp4"))) == 4
    assert not list(plain.glob("*/*.webm"))  # not asked, none made
    clips = sorted((tmp_path / "twinned").glob("videos/moves/480p15/partial_movie_files/*/*.mp4"))
    assert len(clips) == 4  # two animations, two waits
    frames = 0
    for clip in clips:
        twin = clip.with_suffix(".webm")
        with av.open(str(twin)) as container:
            assert container.streams.video[0].codec_context.name == "vp9"
        times, expected = frame_times(twin), frame_times(clip)
        assert np.array(times) == pytest.approx(np.array(expected), abs=0.001)  # WebM: ms clock
        frames += len(times)
        pictures, originals = decoded(twin), decoded(clip)
        for index, picture in enumerate(pictures):  # the same picture, not a neighbour
            likeness = [psnr(picture, original) for original in originals]
            assert likeness[index] >= 40 and likeness[index] == max(likeness), index
    assert frames == 15 + 1 + 15 + 1  # a hold is one frame here too


LONG = textwrap.dedent(
    """
    from manim import RIGHT, Create, Square
    from bpcalc.viz.renderer import FrugalScene

    class Long(FrugalScene):
        def construct(self):
            square = Square()
            self.play(Create(square), run_time=5.3)
            self.play(square.animate.shift(RIGHT), run_time=1.9)
            self.wait(4)
            self.play(square.animate.shift(RIGHT), run_time=3)
    """
)


def keyframe_gaps(video: Path) -> list[float]:
    """For every frame, how long after the last keyframe's start it ends (0 for a keyframe)."""
    with av.open(str(video)) as container:
        packets = sorted((p for p in container.demux(video=0) if p.size), key=lambda p: p.pts)
        gaps, key = [], 0.0
        for p in packets:
            start, end = float(p.pts * p.time_base), float((p.pts + p.duration) * p.time_base)
            key = start if p.is_keyframe else key
            gaps.append(0.0 if p.is_keyframe else end - key)
        assert packets[0].is_keyframe
        return gaps


def test_keyframes_at_most_two_seconds_apart_in_the_mp4_and_the_webm(tmp_path: Path) -> None:
    file = tmp_path / "long.py"
    file.write_text(LONG)
    command = [sys.executable, "-m", "manim", "render", "-ql", "--media_dir", str(tmp_path)]
    environment = {**os.environ, WEBM_CLIPS: "1"}
    result = subprocess.run(
        [*command, str(file), "Long"], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    (video,) = tmp_path.glob("videos/long/480p15/Long.mp4")
    clips = sorted(tmp_path.glob("videos/long/480p15/partial_movie_files/*/*.webm"))
    for made in (video, *clips):
        gaps = keyframe_gaps(made)
        assert max(gaps) <= 2 + 1e-6, made  # a seek decodes at most 2 s of pictures
    with av.open(str(video)) as container:
        keys = [float(p.pts * p.time_base) for p in container.demux(video=0) if p.is_keyframe]
    # 5.3 s of drawing: keys at 0, 2, 4; the next clip at 5.33 (a whole frame); the hold
    # (1.9 s: 29 frames) starts its own clip; the last animation keys at its start and 2 s later
    assert keys == pytest.approx([0, 2, 4, 5.333, 7.267, 11.267, 13.267], abs=0.01)


def test_the_frame_fills_the_picture_above_a_clear_strip_for_the_captions() -> None:
    """A square from the frame's bottom edge to its top edge, at the left edge: drawn
    from the picture's top to the strip's top, the strip below it left clear."""
    with tempconfig({"pixel_height": 480, "pixel_width": 854}):
        camera = CaptionStripCamera()
        side = camera.frame_height * (1 - CAPTION_HEIGHT)  # the scene's own frame height
        square = Square(side_length=side, fill_opacity=1, stroke_width=0).to_edge(LEFT, buff=0)
        camera.capture_mobject(square)
        drawn = camera.pixel_array[:, :, :3].max(axis=2) > 128
    rows = np.flatnonzero(drawn.any(axis=1))
    columns = np.flatnonzero(drawn.any(axis=0))
    strip_top = round(480 * (1 - CAPTION_HEIGHT))
    assert rows[0] <= 1 and abs(rows[-1] + 1 - strip_top) <= 1
    assert not drawn[strip_top + 1 :].any()  # the captions' strip
    margin = 854 * CAPTION_HEIGHT / 2  # the width shrinks with the height, centred
    assert abs(columns[0] - margin) <= 1.5
