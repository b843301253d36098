"""Count a scene's animations without drawing a frame, to split its render.

Run as ``python -m bpcalc.pipeline.probe FILE SCENE FPS MEDIA_DIR``; prints
JSON with every animation's duration, what drawing it costs, and the sections
(beats) as Manim will cut them. What Manim writes while it counts (typeset
math) goes into ``MEDIA_DIR``, a scratch folder, never into the project's
``renders/``.
It runs in its own process because it imports Manim, which the rest of the
pipeline avoids (a run with nothing to render stays quick).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bpcalc.pipeline.catalog import load_scene_class

__all__ = ["probe"]


def probe(file: Path, name: str, fps: float, media: Path) -> dict[str, Any]:
    """``{"durations": [...], "costs": [...], "sections": [[name, [index, ...]], ...]}``.

    A cost is the seconds of video to draw: the duration, except that a held
    picture (a ``wait`` with nothing moving) is drawn once, one frame.
    Sections mirror Manim's SceneFileWriter: an empty section is dropped when
    the next one starts, and plays before the first ``next_section`` belong to
    one called ``autocreated``.
    """
    from manim import tempconfig

    scene_class = load_scene_class(file, name)
    durations: list[float] = []
    costs: list[float] = []
    sections: list[list[Any]] = [["autocreated", []]]
    settings = {
        "dry_run": True,
        "progress_bar": "none",
        "verbosity": "ERROR",
        "frame_rate": fps,
        "media_dir": str(media),
    }
    with tempconfig(settings):
        scene = scene_class(skip_animations=True)
        renderer = scene.renderer
        play = renderer.play

        def recorded_play(*args: Any, **kwargs: Any) -> None:
            before = renderer.time
            sections[-1][1].append(len(durations))
            try:
                play(*args, **kwargs)
            finally:
                durations.append(renderer.time - before)
                held = scene.animations and scene.is_current_animation_frozen_frame()
                costs.append(1 / fps if held else durations[-1])

        renderer.play = recorded_play
        start_section = scene.next_section

        def recorded_section(title: str = "unnamed", *args: Any, **kwargs: Any) -> None:
            if not sections[-1][1]:
                sections.pop()
            sections.append([title, []])
            start_section(title, *args, **kwargs)

        scene.next_section = recorded_section
        scene.render()
    return {
        "durations": durations,
        "costs": costs,
        "sections": [s for s in sections if s[1]],
    }


if __name__ == "__main__":
    file, scene_name, rate, media_dir = sys.argv[1:5]
    print(json.dumps(probe(Path(file), scene_name, float(rate), Path(media_dir))))
