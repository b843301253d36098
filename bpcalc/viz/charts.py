"""Charts a viewer can read: ticks with their values, axes with names, a log scale
where the values span decades.

Tick values are the scale of the drawing, picked from the data's range (round
steps, powers of ten), not numbers of the story: they are written as plain text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from manim import DOWN, GREY_B, LEFT, UP, Axes, LogBase, ManimColor, Typst, VGroup, VMobject

from bpcalc.viz.typography import TYPE

__all__ = ["Chart", "round_step", "decades", "tick_text", "keep_apart"]

TICK_SIZE = TYPE.tiny


def round_step(span: float, most: int = 6) -> float:
    """The smallest of 1, 2, 5 times a power of ten that cuts ``span`` into at most
    ``most`` steps: ticks a reader counts at a glance."""
    if span <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(span / most))
    for factor in (1, 2, 5, 10):
        if span / (factor * power) <= most:
            return factor * power
    return 10 * power


def decades(low: float, high: float) -> list[int]:
    """The exponents e with 10^e from just below ``low`` to just above ``high``."""
    return list(range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1))


def tick_text(value: float) -> str:
    """A tick's value as written: ``0.001``, ``0.5``, ``10``, without trailing zeros."""
    if value == 0:
        return "0"
    if float(value).is_integer():
        return f"{int(value):,}"
    decimals = max(0, -math.floor(math.log10(abs(value))) + 2)
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".")


def keep_apart(labels: Sequence[VMobject], gap: float) -> None:
    """Spreads labels in one column, in the order of their heights, so each clears the
    next by ``gap``: labels that would touch move apart about their middle, as little
    as they must, so each stays as near its own line as the others allow."""
    wanted = {id(label): label.get_y() for label in labels}
    stacks: list[list[VMobject]] = []

    def settle(stack: list[VMobject]) -> None:
        """The stack's labels one above another, centred where they want to be on average."""
        height = sum(label.height for label in stack) + gap * (len(stack) - 1)
        bottom = np.mean([wanted[id(label)] for label in stack]) - height / 2
        for label in stack:
            label.set_y(bottom + label.height / 2)
            bottom += label.height + gap

    for label in sorted(labels, key=lambda label: wanted[id(label)]):
        stacks.append([label])
        settle(stacks[-1])
        while len(stacks) > 1 and stacks[-2][-1].get_top()[1] + gap > stacks[-1][0].get_bottom()[1]:
            stacks[-2:] = [stacks[-2] + stacks[-1]]
            settle(stacks[-1])


class Chart(VGroup):
    """A history against steps: ``x`` from 0 to ``x_max`` in round steps, ``y`` over
    ``values`` (a log scale of decades when ``log``), ticks labelled, axes named.

    ``point(x, y)`` places things on it; ``graph`` is the history's line.
    """

    def __init__(
        self,
        values: Sequence[float],
        x_name: str,
        y_name: str,
        color: ManimColor,
        log: bool = False,
        y_max: float | None = None,
        x_length: float = 4.6,
        y_length: float = 4.8,
    ) -> None:
        self.log = log
        self.values = values = [float(v) for v in values]
        x_max = len(values) - 1
        x_step = round_step(max(x_max, 1), 6)
        if log:
            exponents = decades(min(values), max(values))
            y_range = [exponents[0], exponents[-1], 1]
            y_ticks = [10.0**e for e in exponents]
            y_axis = {"scaling": LogBase(custom_labels=False)}
        else:
            top = y_max if y_max is not None else max(values)
            step = round_step(top, 4)
            y_range = [0, top, step]
            y_ticks = list(np.arange(0, top + step / 2, step))
            y_axis = {}
        self.axes = Axes(
            x_range=[0, max(x_max, 1), x_step],
            y_range=y_range,
            x_length=x_length,
            y_length=y_length,
            tips=False,
            axis_config={"include_numbers": False, "color": GREY_B, "tick_size": 0.05},
            y_axis_config=y_axis,
        )
        x_ticks = np.arange(0, x_max + x_step / 2, x_step)
        self.x_labels = VGroup(
            *(
                Typst(tick_text(float(x)), font_size=TICK_SIZE, fill_color=GREY_B).next_to(
                    self.axes.c2p(float(x), y_ticks[0]), DOWN, buff=0.12
                )
                for x in x_ticks
            )
        )
        self.y_labels = VGroup(
            *(
                Typst(tick_text(y), font_size=TICK_SIZE, fill_color=GREY_B).next_to(
                    self.axes.c2p(0, y), LEFT, buff=0.12
                )
                for y in y_ticks
            )
        )
        self.x_name = Typst(x_name, font_size=TYPE.label - 2).next_to(
            self.x_labels, DOWN, buff=0.12
        )
        self.y_name = Typst(y_name, font_size=TYPE.label - 2).next_to(self.axes, UP, buff=0.25)
        self.y_name.align_to(self.y_labels, LEFT)
        self.graph = VMobject(stroke_color=color, stroke_width=4)
        self.graph.set_points_as_corners([self.point(x, v) for x, v in enumerate(values)])
        self.frame = VGroup(self.axes, self.x_labels, self.y_labels, self.x_name, self.y_name)
        super().__init__(self.frame, self.graph)

    def point(self, x: float, y: float) -> np.ndarray:
        return self.axes.c2p(x, y)

    def path(self, start: int, end: int) -> VMobject:
        """The history's line from step ``start`` to step ``end``: a path to travel along."""
        path = VMobject()
        path.set_points_as_corners([self.point(x, self.values[x]) for x in range(start, end + 1)])
        return path
