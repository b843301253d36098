"""Precomputed states played back by a tracker: numbers swap, shapes glide.

A sweep in a scene (a neuron's brightness from 0 to 1, say) is a list of
states the core computed. :class:`StateReadout` shows the book's number
mobjects of one state at a time, the state nearest a ``ValueTracker``; the
drawing in between (a fill, a stroke width, a bar) follows :func:`between`,
a plain linear interpolation of the states' values. Nothing is rebuilt per
frame: the readout makes one prebuilt state visible, a bar moves its two ends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    LEFT,
    ORIGIN,
    RIGHT,
    Animation,
    Line,
    ManimColor,
    Mobject,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    VMobject,
)

from bpcalc.viz.book import typeset

__all__ = ["StateReadout", "StateBar", "LiveNumber", "between", "fixed_decimals", "restroke"]


def between(values: Sequence[float], t: float) -> float:
    """The value at fractional state ``t``: states' values joined by straight lines."""
    return float(np.interp(t, np.arange(len(values)), values))


class StateReadout(VGroup):
    """Prebuilt mobjects, one per state, shown one at a time: the state nearest ``tracker``.

    All states stay in the family (the renderer redraws every frame only what
    was there when an animation began); all but the current one are
    transparent. Every state's left edge sits where the first state's is, so
    the readout stays put while its digits change.
    """

    def __init__(self, states: Sequence[Mobject], tracker: ValueTracker, start: int = 0) -> None:
        self.states = list(states)
        self.tracker = tracker
        for state in self.states[1:]:
            state.move_to(self.states[0], aligned_edge=LEFT)
        super().__init__(*self.states)
        self.opacities = [
            [(m, m.get_fill_opacity(), m.get_stroke_opacity()) for m in state.get_family()]
            for state in self.states
        ]
        self.current = start
        for state in range(len(self.states)):
            self._set_visible(state, state == start)
        self.add_updater(lambda readout: readout.show(round(readout.tracker.get_value())))

    def _set_visible(self, state: int, visible: bool) -> None:
        for mobject, fill, stroke in self.opacities[state]:
            mobject.set_fill(opacity=fill if visible else 0, family=False)
            mobject.set_stroke(opacity=stroke if visible else 0, family=False)

    def show(self, state: int) -> None:
        state = min(max(state, 0), len(self.states) - 1)
        if state != self.current:
            self._set_visible(self.current, False)
            self._set_visible(state, True)
            self.current = state


class StateBar(VGroup):
    """A horizontal bar whose length follows the states' sizes (``abs`` of their values),
    over a faint track as long as ``full`` (the size that fills the track).

    ``stepped``: the bar shows the state nearest the tracker, as a :class:`StateReadout`
    does, so bar and number agree at every frame; otherwise it glides between states."""

    def __init__(
        self,
        values: Sequence[float],
        full: float,
        tracker: ValueTracker,
        color: ManimColor,
        length: float = 3.0,
        width: float = 10,
        stepped: bool = False,
    ) -> None:
        self.sizes = [abs(v) / full for v in values]
        self.tracker, self.length = tracker, length
        self.stepped = stepped  # jump from state to state with a readout, never in between
        self.track = Line(ORIGIN, ORIGIN + RIGHT * length, stroke_width=width)
        self.track.set_stroke(color, opacity=0.18)
        self.bar = Line(ORIGIN, ORIGIN + RIGHT * 0.01, stroke_width=width, color=color)
        super().__init__(self.track, self.bar)
        self.update_bar()
        self.bar.add_updater(lambda _: self.update_bar())

    def update_bar(self) -> None:
        start, end = self.track.get_start(), self.track.get_end()
        length = end[0] - start[0]  # the track's own, once the bar is scaled with a panel
        t = self.tracker.get_value()
        size = between(self.sizes, round(t) if self.stepped else t)
        self.bar.put_start_and_end_on(start, start + RIGHT * max(size * length, 0.01))


def fixed_decimals(value: float, decimals: int) -> str:
    """``value`` as Typst math with exactly ``decimals`` places (``0.5959``, ``-0.117``);
    a value that rounds to zero is written without a sign."""
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


class LiveNumber(VMobject):
    """A number typeset again whenever ``text`` of the tracker's value changes: a readout
    that glides with a swept value, each frame showing the value of that frame.

    It is one path (the glyphs' outlines joined), so the renderer, which redraws the
    family it found when an animation began, always draws what it shows now."""

    def __init__(
        self,
        text: Callable[[float], str],
        tracker: ValueTracker,
        font_size: float,
        color: ManimColor,
    ) -> None:
        super().__init__()
        self.text, self.tracker, self.font_size, self.color_of = text, tracker, font_size, color
        self.shown = text(tracker.get_value())
        self.set_points(self._outline(self.shown).points)
        self.set_fill(color, opacity=1).set_stroke(width=0)
        self.add_updater(lambda number: number.refresh())

    def _outline(self, text: str) -> VMobject:
        glyphs = typeset(text, self.font_size)
        outline = VMobject()
        for part in glyphs.family_members_with_points():
            outline.append_points(part.points)
        return outline

    def refresh(self) -> None:
        """Typeset the tracker's value if its text changed, left edge and middle kept."""
        text = self.text(self.tracker.get_value())
        if text == self.shown:
            return
        scale = self.height / self._outline(self.shown).height  # the panel may be scaled
        new = self._outline(text).scale(scale)
        new.move_to(self.get_left(), aligned_edge=LEFT).set_y(self.get_y())
        self.set_points(new.points)
        self.shown = text


Stroke = tuple[ManimColor | None, float | None, float | None]  # colour, width, opacity


def restroke(lines: Sequence[VMobject], targets: Sequence[Stroke], **kwargs) -> Animation:
    """Strokes of many lines eased to new colours, widths and opacities in place.

    ``line.animate.set_stroke(...)`` copies every line to build its target; for a
    network's hundred edges the copies cost more than the drawing. This sets each
    line's stroke directly from its start and end values (``None`` keeps one).
    """
    starts = [
        (ManimColor(line.get_stroke_color()), line.get_stroke_width(), line.get_stroke_opacity())
        for line in lines
    ]
    ends = [
        (
            ManimColor(start[0] if color is None else color),
            start[1] if width is None else width,
            start[2] if opacity is None else opacity,
        )
        for start, (color, width, opacity) in zip(starts, targets, strict=True)
    ]

    def ease(group: VGroup, alpha: float) -> None:
        for line, start, end in zip(lines, starts, ends, strict=True):
            line.set_stroke(
                start[0].interpolate(end[0], alpha),
                start[1] + (end[1] - start[1]) * alpha,
                start[2] + (end[2] - start[2]) * alpha,
                family=False,
            )

    return UpdateFromAlphaFunc(VGroup(*lines), ease, **kwargs)
