"""The loop diagram's runner follows its arrows wherever the diagram is put."""

from __future__ import annotations

import numpy as np
from manim import RIGHT, UP, Typst

from bpcalc.viz import LoopDiagram


def test_the_runners_path_moves_with_the_diagram() -> None:
    names = [Typst(text) for text in ("forward", "backward", "step")]
    labels = [Typst("x") for _ in names]
    loop = LoopDiagram(names, labels, radius=2.0).move_to(RIGHT * 3.6 + UP * 1.0)
    assert np.allclose(loop.path().get_start(), loop.arrows[0].get_start(), atol=0.05)
    for arc, arrow in zip(loop.arcs, loop.arrows, strict=True):
        assert np.allclose(arc.get_start(), arrow.get_start(), atol=0.05)
