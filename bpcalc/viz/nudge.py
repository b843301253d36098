"""Nudge pictures: a quantity on its own number line, at a scale the viewer can read.

Lines built with the same ``span`` show their moves in true proportion, so a
nudge that shrinks down the chain visibly shrinks; a line zoomed further says by
how much (its tag ``×10``), and its labelled ticks say what one step is worth.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from manim import (
    DOWN,
    GREY_B,
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    BraceBetweenPoints,
    Dot,
    Line,
    ManimColor,
    MathTypst,
    Mobject,
    NumberLine,
    ReplacementTransform,
    Succession,
    Typst,
    VGroup,
    smooth,
)

from bpcalc.numbers.quantities import Quantity
from bpcalc.viz.book import MOST_FIGURES, SIGNIFICANT, NumberBook, Q, format_value, typeset
from bpcalc.viz.motion import Appear, Vanish
from bpcalc.viz.typography import TYPE

if TYPE_CHECKING:
    from bpcalc.viz.story import StoryScene

__all__ = [
    "NudgeLine",
    "ValueSwap",
    "MOVE_SHARE",
    "zoom_to_see",
    "zoom_text",
    "figures_to_tell",
    "figures_for_decimals",
    "rezoom",
    "seen_line",
]

MOVE_SHARE = 0.4  # the largest move of a picture spans this share of its line's length
SEEN = 0.3  # frame units: a move shorter than this on its line is zoomed in (×10, ×100, …)
TICKS = 6  # about this many labelled ticks along a line
GHOST = 0.35  # opacity of the dot left where the value was before the nudge
ARRIVAL = 0.7  # the share of a slide after which its dot is nearly there: its number swaps


class ValueSwap(AnimationGroup):
    """The number beside a line gives way to another in place as the dot arrives (the
    last part of the animation, a short cross-fade): the number always belongs to where
    the dot is, and old and new digits never morph through each other."""

    def __init__(self, old: Mobject, new: Mobject, **kwargs) -> None:
        def late(t: float) -> float:
            return smooth(min(max((t - ARRIVAL) / (1 - ARRIVAL), 0.0), 1.0))

        super().__init__(Vanish(old, rate_func=late), Appear(new, rate_func=late), **kwargs)
        self.old, self.new = old, new


def zoom_to_see(move: float, span: float, length: float, steps: tuple[int, ...] = (1,)) -> float:
    """The least zoom (1, 10, 100, …; with ``steps`` (1, 2, 5) also 2, 5, 20, …) a line
    of ``span`` values drawn ``length`` long needs for a move of ``move`` to be at least
    :data:`SEEN` long. Finer steps keep a zoomed move short: moves that shrink down a
    chain still look smaller, line after line."""
    drawn = abs(move) / span * length
    if not drawn or drawn >= SEEN:
        return 1.0
    need = SEEN / drawn
    power = 10.0 ** math.floor(math.log10(need))
    return next(n * power for n in (*steps, 10) if n * power >= need)


def figures_to_tell(before: float, after: float) -> int:
    """The fewest significant figures (three or more) that write ``before`` and ``after``
    differently: a readout that changes whenever its dot moves."""
    return next(
        (
            figures
            for figures in range(SIGNIFICANT, MOST_FIGURES + 1)
            if format_value(before, figures) != format_value(after, figures)
        ),
        MOST_FIGURES,
    )


def figures_for_decimals(values: tuple[float, ...], decimals: int) -> int:
    """The significant figures that write each of ``values`` with at least ``decimals``
    decimals: a readout beside a line, written to its ticks' last figure, reads as the
    tick its dot sits on."""
    return max(decimals + math.floor(math.log10(abs(value))) + 1 for value in values if value)


def zoom_text(zoom: float) -> str:
    """A zoom factor as its tag reads: ``×10``, ``×1000``, ``×2.5``."""
    return f"×{format_value(zoom)}"


def _tick_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about :data:`TICKS` ticks."""
    raw = span / TICKS
    power = 10.0 ** math.floor(math.log10(raw))
    return next(n * power for n in (1, 2, 5, 10) if n * power >= raw)


def _tick_text(value: float, step: float) -> str:
    """A tick's value with as many decimals as its step needs: ``1.75``, ``-0.2``."""
    text = f"{value:.{max(0, -math.floor(math.log10(step) + 1e-9))}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


class NudgeLine(VGroup):
    """A quantity on its own number line; the dot moves from ``before`` to ``after``.

    The line shows ``span`` values around the move (give lines one span to compare
    their moves), or ``span / zoom`` with a ``×zoom`` tag under the name. Parts:
    ``axis`` (line, ticks, ``tick_labels``), ``symbol_label``, ``zoom_tag`` (maybe
    empty), ``ghost`` (stays at ``before``), ``dot``, ``value`` (right of the line),
    written with ``significant`` figures (see :func:`figures_to_tell`).
    A line hung beside something that already names the quantity and shows its value
    (a node of the derivative tree) is not ``named``: its name and value are empty,
    and its zoom tag is at its left end.
    """

    def __init__(
        self,
        book: NumberBook,
        name: str,
        color: ManimColor,
        before: Quantity,
        after: Quantity,
        span: float,
        zoom: float = 1.0,
        length: float = 4.4,
        font_size: float = TYPE.label,
        named: bool = True,
        significant: int = SIGNIFICANT,
    ) -> None:
        self.book, self.symbol, self.tint, self.font_size = book, name, color, font_size
        self.named, self.significant = named, significant
        self.before, self.after, self.span, self.zoom = before, after, span, zoom
        v0, v1 = book.value(before), book.value(after)
        self.values = (v0, v1)
        shown = span / zoom
        middle = (v0 + v1) / 2
        low, high = middle - shown / 2, middle + shown / 2
        self.line = NumberLine(
            x_range=[low, high, shown],
            length=length,
            color=GREY_B,
            include_ticks=False,
            include_numbers=False,
            stroke_width=2,
        )
        step = _tick_step(shown)
        self.tick_decimals = max(0, -math.floor(math.log10(step) + 1e-9))
        values = [step * n for n in range(math.ceil(low / step), math.floor(high / step) + 1)]
        self.ticks = VGroup(
            *(
                Line(UP * 0.07, DOWN * 0.07, color=GREY_B, stroke_width=2).move_to(self.line.n2p(v))
                for v in values
            )
        )
        labels = [typeset(_tick_text(v, step), font_size - 6, GREY_B) for v in values]
        room = length * step / shown  # between two ticks
        stride = next(
            (s for s in (1, 2, 5, 10) if max(m.width for m in labels) < 0.85 * room * s), None
        )
        self.tick_labels = VGroup()
        if stride is not None:
            # label every stride-th tick, the one nearest the middle among them
            middle_tick = min(range(len(values)), key=lambda i: abs(values[i] - middle))
            for i, (tick, label) in enumerate(zip(self.ticks, labels, strict=True)):
                label.next_to(tick, DOWN, buff=0.08)
                inside = self.line.get_left()[0] - 0.1 <= label.get_left()[0]
                inside = inside and label.get_right()[0] <= self.line.get_right()[0] + 0.1
                if (i - middle_tick) % stride == 0 and inside:  # never under the name
                    self.tick_labels.add(label)
        self.axis = VGroup(self.line, self.ticks, self.tick_labels)
        self.symbol_label = VGroup()
        if named:
            self.symbol_label = MathTypst(name, font_size=font_size + 2, color=color)
            self.symbol_label.next_to(self.line, LEFT, buff=0.3)
        self.zoom_tag = VGroup()
        if zoom != 1:
            self.zoom_tag.add(Typst(zoom_text(zoom), font_size=TYPE.label, color=GREY_B))
            if named:
                self.zoom_tag.next_to(self.symbol_label, DOWN, buff=0.12)
            else:
                self.zoom_tag.next_to(self.line, LEFT, buff=0.15)
        self.ghost = Dot(self.line.n2p(v0), radius=0.07, color=color).set_opacity(GHOST)
        self.dot = Dot(self.line.n2p(v0), radius=0.07, color=color)
        self.value = VGroup()
        if named:
            self.value = book.number(before, color, font_size, significant)
            self.value.next_to(self.line, RIGHT, buff=0.25)
        super().__init__(
            self.axis, self.symbol_label, self.zoom_tag, self.ghost, self.dot, self.value
        )

    def without_tick_labels(self) -> VGroup:
        """Every part but the tick labels: what may morph into another line's parts (a
        label morphed into another can split into two copies of itself)."""
        return VGroup(
            self.line,
            self.ticks,
            self.symbol_label,
            self.zoom_tag,
            self.ghost,
            self.dot,
            self.value,
        )

    def rescaled(self, span: float, zoom: float) -> NudgeLine:
        """The same line drawn at another scale, in the same place."""
        line = NudgeLine(
            self.book,
            self.symbol,
            self.tint,
            self.before,
            self.after,
            span,
            zoom,
            self.line.get_length(),
            self.font_size,
            self.named,
            self.significant,
        )
        return line.shift(self.line.get_center() - line.line.get_center())

    def point(self, which: int):
        """Where the dot is before (0) or after (1) the nudge."""
        return self.line.n2p(self.values[which])

    def drawn_move(self) -> float:
        """How long the move is on screen, in frame units."""
        return abs(self.point(1)[0] - self.point(0)[0])

    def slide(self, swap: bool = False) -> list:
        """The dot slides to its new value; the number beside the line becomes the new one
        (morphing into it, or if ``swap`` replaced as the dot arrives: :class:`ValueSwap`)."""
        if not self.named:
            return [self.dot.animate.move_to(self.point(1))]
        return [self.dot.animate.move_to(self.point(1)), self.show_value(self.after, swap)]

    def show_value(
        self, quantity: Quantity, swap: bool = False
    ) -> ReplacementTransform | ValueSwap:
        """The number beside the line becomes ``quantity``'s (its value before or after)."""
        number = self.book.number(quantity, self.tint, self.font_size, self.significant)
        return self.take_value(number, swap)

    def adopt_value(self, other: NudgeLine) -> None:
        """Show ``other``'s number beside the line instead of its own (a rescaled twin)."""
        self.submobjects[self.submobjects.index(self.value)] = other.value
        self.value = other.value

    def take_value(self, number: Mobject, swap: bool = False) -> ReplacementTransform | ValueSwap:
        """``number`` takes the place of the number beside the line, in the line's group
        (if ``swap``, as the dot arrives)."""
        number.move_to(self.value, aligned_edge=LEFT)
        old, self.value = self.value, number
        self.submobjects[self.submobjects.index(old)] = number
        return ValueSwap(old, number) if swap else ReplacementTransform(old, number)

    def brace(
        self,
        label: str,
        change: Quantity,
        significant: int = SIGNIFICANT,
        scientific: bool | None = None,
        hop: Quantity | None = None,
    ) -> VGroup:
        """A brace over the move, naming it: ``Δz = 0.0939`` (parts: brace, row); with
        ``hop`` (this move over the one before), a third part left of the row, ``×0.188``:
        how much the brace it grew from was scaled by on the way down."""
        left, right = sorted((self.point(0), self.point(1)), key=lambda p: p[0])
        brace = BraceBetweenPoints(left, right, direction=UP, buff=0.12, color=self.tint)
        number = Q(change, self.tint, significant, scientific)
        text = self.book.row(f"{label} =", number, font_size=self.font_size)
        text.next_to(brace, UP, buff=0.08)
        parts = VGroup(text)
        if hop is not None:
            ratio = self.book.row("times", Q(hop, GREY_B), font_size=TYPE.label)
            ratio.set_color(GREY_B).next_to(text, LEFT, buff=0.3)
            parts.add(ratio)
        # over its brace, but never past the ends of the line
        if parts.get_left()[0] < self.line.get_left()[0]:
            parts.align_to(self.line, LEFT)
        if parts.get_right()[0] > self.line.get_right()[0]:
            parts.align_to(self.line, RIGHT)
        return VGroup(brace, *parts)


def seen_line(line: NudgeLine, steps: tuple[int, ...] = (1,)) -> NudgeLine:
    """``line``, or the same line zoomed as much as its move needs to be seen
    (:func:`zoom_to_see`): what it becomes after its dot has slid at the common scale."""
    move = line.values[1] - line.values[0]
    more = zoom_to_see(move * line.zoom, line.span, line.line.get_length(), steps)
    return line.rescaled(line.span, line.zoom * more) if more != 1 else line


def rezoom(
    scene: StoryScene,
    old: list[NudgeLine],
    new: list[NudgeLine],
    run_time: float = 1.0,
    also: Sequence[Animation] = (),
):
    """Zoom lines into their rescaled selves: axes stretch, the dots ride along, tick
    labels and zoom tags give way to new ones (a label morphed into another can split
    into two copies of itself); the numbers beside them stay, or change with ``also``
    (played alongside: a number that only reads true once the zoom shows the move)."""
    for before, after in zip(old, new, strict=True):
        after.dot.move_to(after.line.n2p(before.line.p2n(before.dot.get_center())))
        after.adopt_value(before)
    old_labels = VGroup(*(VGroup(o.tick_labels, o.zoom_tag, o.symbol_label) for o in old))
    new_labels = VGroup(*(VGroup(n.tick_labels, n.zoom_tag, n.symbol_label) for n in new))
    with scene.replacing(old_labels, new_labels):
        scene.play(
            *(
                ReplacementTransform(
                    VGroup(o.line, o.ticks, o.ghost, o.dot),
                    VGroup(n.line, n.ticks, n.ghost, n.dot),
                )
                for o, n in zip(old, new, strict=True)
            ),
            Succession(Vanish(old_labels), Appear(new_labels)),  # in turn, never overlaid
            *also,
            run_time=run_time,
        )
    scene.remove(*(m for line in (*old, *new) for m in line.get_family()))
    scene.add(*new)
