"""A running average on a log axis of counts: each example's value as a dot, the mean as a line.

Built once with the axes; the scene adds a dot and a segment per example, so
nothing is rebuilt per frame.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    GREY_B,
    RIGHT,
    UP,
    WHITE,
    Axes,
    DashedLine,
    Dot,
    Line,
    LogBase,
    ManimColor,
    Mobject,
    Typst,
    VGroup,
    VMobject,
)

from bpcalc.viz.charts import round_step, tick_text
from bpcalc.viz.palette import HIGHLIGHT
from bpcalc.viz.typography import TYPE

TICK_ROOM = 0.55  # a power of ten's label gives way to a marked count closer than this

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
            y_axis_config={"include_ticks": False},  # value_ticks draws them, labelled
            axis_config={"include_numbers": False, "color": GREY_B, "tick_size": 0.05},
        )
        self.low, self.high, self.total = low, high, total
        super().__init__(self.axes)

    def value_ticks(self) -> VGroup:
        """The values up the right side (the examples fly in at the left), at round
        steps, written beside short ticks."""
        step = round_step(self.high - self.low, 4)
        first = math.ceil(self.low / step) * step
        ticks = VGroup()
        for value in np.arange(first, self.high + step / 1e6, step):
            value = 0.0 if abs(value) < step / 1e6 else float(value)
            end = self.point(self.total, value)
            mark = Line(end, end + RIGHT * 0.1, color=GREY_B)
            label = Typst(tick_text(value), font_size=TYPE.tiny, fill_color=GREY_B)
            ticks.add(VGroup(mark, label.next_to(mark, RIGHT, buff=0.08)))
        return ticks

    def count_ticks(self, marked: list[tuple[int, Mobject]]) -> VGroup:
        """The powers of ten along the bottom written under their ticks, and the
        ``marked`` counts (a count, its label) each with a tick of its own; a power of
        ten too close to a marked count gives way to it."""
        bottom = self.low
        labels = VGroup()
        places = [count for count, _ in marked]
        power = 1
        while power <= self.total:
            near = any(
                abs(self.point(power, bottom)[0] - self.point(c, bottom)[0]) < TICK_ROOM
                for c in places
            )
            if not near:
                text = Typst(tick_text(power), font_size=TYPE.tiny, fill_color=GREY_B)
                labels.add(text.next_to(self.point(power, bottom), DOWN, buff=0.15))
            power *= 10
        for count, label in marked:
            foot = self.point(count, bottom)
            tick = Line(foot + UP * 0.08, foot + DOWN * 0.08, color=GREY_B, stroke_width=2)
            labels.add(VGroup(tick, label.next_to(foot, DOWN, buff=0.15)))
        return labels

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
