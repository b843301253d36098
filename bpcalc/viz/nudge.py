"""Nudge pictures: a quantity on its own number line, and a curve with its tangent."""

from __future__ import annotations

from collections.abc import Callable

from manim import (
    DOWN,
    GREY_B,
    LEFT,
    RIGHT,
    UP,
    Axes,
    BraceBetweenPoints,
    Dot,
    Line,
    ManimColor,
    MathTypst,
    NumberLine,
    ReplacementTransform,
    VGroup,
)

from bpcalc.numbers.quantities import Quantity
from bpcalc.viz.book import NumberBook, Q
from bpcalc.viz.palette import HIGHLIGHT

__all__ = ["NudgeLine", "CurveWithTangent"]

MOVE_SHARE = 0.4  # the nudge moves the dot this share of its line's length


class NudgeLine(VGroup):
    """A quantity on its own number line, zoomed so that its nudge is plain to see.

    ``before``/``after`` are the quantities of its value before and after the nudge;
    the dot starts at ``before`` and :meth:`nudge` moves it to ``after``. Give
    two lines the same ``span`` (the width of values they show) to compare moves.
    """

    def __init__(
        self,
        book: NumberBook,
        name: str,
        color: ManimColor,
        before: Quantity,
        after: Quantity,
        length: float = 4.6,
        font_size: float = 32,
        span: float | None = None,
    ) -> None:
        self.book, self.tint, self.font_size = book, color, font_size
        v0, v1 = book.value(before), book.value(after)
        span = span or abs(v1 - v0) / MOVE_SHARE or 1.0
        middle = (v0 + v1) / 2
        self.line = NumberLine(
            x_range=[middle - span / 2, middle + span / 2, span / 10],
            length=length,
            color=GREY_B,
            include_numbers=False,
            tick_size=0.06,
        )
        self.symbol_label = MathTypst(name, font_size=font_size, color=color)
        self.symbol_label.next_to(self.line, LEFT, buff=0.35)
        self.values = (v0, v1)
        self.dot = Dot(self.line.n2p(v0), radius=0.09, color=color)
        self.value = book.number(before, color, font_size - 6).next_to(self.dot, UP, buff=0.15)
        self.new_value = book.number(after, color, font_size - 6)
        super().__init__(self.line, self.symbol_label, self.dot, self.value)

    def nudge(self) -> list:
        """The dot slides to its new value; its label becomes the new number."""
        end = self.line.n2p(self.values[1])
        self.new_value.next_to(end, UP, buff=0.24)
        return [self.dot.animate.move_to(end), ReplacementTransform(self.value, self.new_value)]

    def brace(self, label: str, change: Quantity) -> VGroup:
        """A brace under the move, naming it: ``Δz = 0.0939``."""
        left, right = sorted((self.line.n2p(v) for v in self.values), key=lambda p: p[0])
        brace = BraceBetweenPoints(left, right, direction=DOWN, buff=0.12, color=self.tint)
        text = self.book.row(f"{label} =", Q(change, self.tint), font_size=self.font_size - 8)
        text.next_to(brace, DOWN, buff=0.1)
        return VGroup(brace, text)


class CurveWithTangent(VGroup):
    """A function's graph with the tangent at the network's real point.

    The slope comes from the core (``slope``); the graph is only drawn.
    """

    def __init__(
        self,
        book: NumberBook,
        function: Callable[[float], float],
        x_range: tuple[float, float],
        y_range: tuple[float, float],
        point: tuple[Quantity, Quantity],
        slope: Quantity,
        color: ManimColor,
        labels: tuple[str, str],
        size: tuple[float, float] = (4.6, 2.3),
        font_size: float = 26,
    ) -> None:
        self.axes = Axes(
            x_range=[*x_range, (x_range[1] - x_range[0]) / 4],
            y_range=[*y_range, (y_range[1] - y_range[0]) / 2],
            x_length=size[0],
            y_length=size[1],
            tips=False,
            axis_config={"include_numbers": False, "color": GREY_B, "tick_size": 0.05},
        )
        self.graph = self.axes.plot(function, x_range=list(x_range), color=color)
        x, y = book.value(point[0]), book.value(point[1])
        rise = book.value(slope)  # per unit of x
        self.dot = Dot(self.axes.c2p(x, y), radius=0.07, color=HIGHLIGHT)
        reach = (x_range[1] - x_range[0]) / 5
        if rise:  # keep the tangent inside the axes' height
            reach = min(reach, (y_range[1] - y) / abs(rise), (y - y_range[0]) / abs(rise))
        self.tangent = Line(
            self.axes.c2p(x - reach, y - rise * reach),
            self.axes.c2p(x + reach, y + rise * reach),
            color=HIGHLIGHT,
            stroke_width=3,
        )
        x_label = MathTypst(labels[0], font_size=font_size).next_to(self.axes.x_axis, RIGHT, 0.1)
        y_label = MathTypst(labels[1], font_size=font_size).next_to(self.axes.y_axis, UP, 0.1)
        self.labels = VGroup(x_label, y_label)
        super().__init__(self.axes, self.labels, self.graph, self.dot, self.tangent)
