"""A digit drawn cheaply: one path per grey level instead of one square per pixel.

:class:`~bpcalc.viz.network.PixelGrid` draws 64 squares and can write each grey
level inside; when only the picture matters (a row of tiles, examples flashing
by), the pixels of one grey level share a single multi-path mobject, so a digit
costs at most a score of draws per frame instead of 64 (the data have 17 levels).
"""

from __future__ import annotations

import numpy as np
from manim import GREY_D, WHITE, VGroup, VMobject

__all__ = ["PixelImage"]


class PixelImage(VGroup):
    """The ``image`` (inputs in [0, 1], rows × columns) ``size`` wide: ``levels`` holds one
    white multi-path per distinct non-zero value, filled at that opacity; ``grid`` the lines."""

    def __init__(self, image: np.ndarray, size: float = 1.0) -> None:
        image = np.asarray(image, dtype=float)
        rows, cols = image.shape
        cell = size / cols
        self.levels = VGroup()
        for value in np.unique(image):
            if value <= 0:
                continue  # black: the background shows through
            level = VMobject(stroke_width=0).set_fill(WHITE, opacity=float(min(value, 1.0)))
            for row, col in zip(*np.nonzero(image == value), strict=True):
                x, y = col * cell, -row * cell
                corners = [[x, y, 0], [x + cell, y, 0], [x + cell, y - cell, 0], [x, y - cell, 0]]
                level.start_new_path(np.array(corners[0], dtype=float))
                for corner in (*corners[1:], corners[0]):
                    level.add_line_to(np.array(corner, dtype=float))
            self.levels.add(level)
        self.grid = VMobject(stroke_color=GREY_D, stroke_width=1).set_fill(opacity=0)
        for i in range(rows + 1):
            self.grid.start_new_path(np.array([0.0, -i * cell, 0.0]))
            self.grid.add_line_to(np.array([cols * cell, -i * cell, 0.0]))
        for j in range(cols + 1):
            self.grid.start_new_path(np.array([j * cell, 0.0, 0.0]))
            self.grid.add_line_to(np.array([j * cell, -rows * cell, 0.0]))
        super().__init__(self.levels, self.grid)
        self.center()
