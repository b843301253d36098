"""FrugalRenderer: a held picture is one frame for its whole hold; skipped animations cost nothing.

The frugal video is checked against Manim's own renderer drawing the same
scene: the same length, the same picture at every moment.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import av
import numpy as np
import pytest
from manim import RIGHT, Camera, Circle, Create, Scene, Square, tempconfig

from bpcalc.viz.renderer import FrugalScene

pytestmark = pytest.mark.render

SCENES = textwrap.dedent(
    """
    from manim import RIGHT, Create, Scene, Square
    from bpcalc.viz.renderer import FrugalScene

    class Moves:
        def construct(self):
            square = Square()
            self.play(Create(square), run_time=1)
            self.wait(2)
            self.play(square.animate.shift(RIGHT), run_time=1)
            self.wait(1)

    class Stock(Moves, Scene):
        pass

    class Frugal(Moves, FrugalScene):
        pass
    """
)


def shown(video: Path, moments: list[float]) -> list[np.ndarray]:
    """The picture on screen at each moment: the last frame that started by then."""
    with av.open(str(video)) as container:
        frames = [(float(f.time), f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    return [[image for start, image in frames if start <= t + 1e-9][-1] for t in moments]


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
