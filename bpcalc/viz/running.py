"""A running average on a log axis of counts: each example's value as a dot, the mean as a line.

Built once with the axes; the scene adds a dot and a segment per example, so
nothing is rebuilt per frame.
"""

from __future__ import annotations

import math

from manim import GREY_B, WHITE, Axes, DashedLine, Dot, LogBase, ManimColor, VGroup, VMobject

from bpcalc.viz.palette import HIGHLIGHT

__all__ = ["RunningAxes"]


class RunningAxes(VGroup):
    """Axes with counts 1…``total`` on a log scale across and values from ``low`` to
    ``high`` up; :meth:`dot` for one example's value, :meth:`segment` for the mean's path."""

    def __init__(
        self,
        total: int,
        low: float,
        high: float,
        x_length: float = 7.6,
        y_length: float = 4.0,
    ) -> None:
        span = high - low
        self.axes = Axes(
            x_range=[0, math.log10(total), 1],
            y_range=[low, high, span / 4],
            x_length=x_length,
            y_length=y_length,
            tips=False,
            x_axis_config={"scaling": LogBase(custom_labels=False), "include_ticks": True},
            axis_config={"include_numbers": False, "color": GREY_B, "tick_size": 0.05},
        )
        super().__init__(self.axes)

    def point(self, count: float, value: float):
        return self.axes.c2p(count, value)

    def dot(self, count: int, value: float, color: ManimColor = WHITE) -> Dot:
        """One example's value at its count: a small dot."""
        return Dot(self.point(count, value), radius=0.045, color=color, fill_opacity=0.7)

    def segment(
        self, counts: list[int], values: list[float], color: ManimColor = HIGHLIGHT
    ) -> VMobject:
        """The running mean's path through ``(counts[i], values[i])``: one polyline."""
        path = VMobject(stroke_width=4, stroke_color=color)
        path.set_points_as_corners([self.point(c, v) for c, v in zip(counts, values, strict=True)])
        return path

    def level(self, value: float, color: ManimColor = HIGHLIGHT) -> DashedLine:
        """A dashed line across the axes at ``value``."""
        left = self.axes.c2p(1, value)
        right = self.axes.x_axis.get_right()
        right[1] = left[1]
        return DashedLine(left, right, color=color, stroke_width=2.5, dash_length=0.12)
