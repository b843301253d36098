"""Symbols that travel and nudges that ripple, as in 3Blue1Brown's chapter 4.

:func:`fly` sends a copy of one symbol's glyphs into another's place (a label on
the network into a formula, a formula's symbol into a tree node); a glyph never
crumples into a line. :class:`PieceFraction` is a fraction built from separate
numerator and denominator, so ∂ symbols can fly into either. :class:`RippleLine`
is a small number line hung on a tree node: its dot moves from the core's value
before a nudge to its value after, and a brace names the change with its real Δ.
"""

from __future__ import annotations

from collections.abc import Sequence

from manim import (
    DOWN,
    GREY_B,
    LEFT,
    RIGHT,
    WHITE,
    AnimationGroup,
    BraceBetweenPoints,
    Dot,
    Line,
    ManimColor,
    MathTypst,
    Mobject,
    NumberLine,
    TransformFromCopy,
    VGroup,
)

from bpcalc.numbers.quantities import Quantity
from bpcalc.viz.book import NumberBook, Q
from bpcalc.viz.motion import Appear, detour
from bpcalc.viz.nudge import MOVE_SHARE
from bpcalc.viz.typography import TYPE

__all__ = ["glyphs", "fly", "PieceFraction", "RippleLine"]


def glyphs(mobject: Mobject) -> list[Mobject]:
    """The drawn pieces (glyphs, strokes) of a mobject, in reading order."""
    return mobject.family_members_with_points()


def rest_of(formula: Mobject, *labels: str) -> VGroup:
    """The glyphs of ``formula`` (a MathTypst) outside its labelled parts ``labels``: what
    is written around the parts that fly into it."""
    taken = {id(g) for label in labels for g in glyphs(formula.select(label))}
    return VGroup(*(g for g in glyphs(formula) if id(g) not in taken))


def fly(source: Mobject, target: Mobject, stops: Sequence = (), **kwargs) -> AnimationGroup:
    """A copy of ``source`` flies into ``target``, glyph for glyph, through ``stops``
    (points its centre passes, see :func:`detour`) if any.

    A label ``w^((L)) =`` gives its first glyphs to ``w^((L))`` (the ``=`` stays);
    a symbol ``z^((L))`` flies into the last glyphs of ``partial z^((L))`` while the
    ``∂`` fades in before it. ``target`` is left on screen, ``source`` untouched.
    """
    ours, theirs = glyphs(source), glyphs(target)
    # glyph to glyph, flat on both sides: nested groups would pair a glyph with a whole word
    flying = VGroup(*ours[: len(theirs)]) if len(ours) >= len(theirs) else VGroup(*ours)
    landing = VGroup(*theirs[len(theirs) - len(flying) :])
    # TransformFromCopy runs backwards, from the target to the copy: so does its path
    bend = {"path_func": detour(landing, flying, list(stops)[::-1])} if stops else {}
    moving = TransformFromCopy(flying, landing, **kwargs, **bend)
    extra = VGroup(*theirs[: len(theirs) - len(flying)])
    return AnimationGroup(moving, *([Appear(extra, **kwargs)] if len(extra) else []))


class PieceFraction(VGroup):
    """``top`` over ``bottom`` (Typst math) as three parts: ``top``, ``bar``, ``bottom``."""

    def __init__(
        self,
        top: str,
        bottom: str,
        font_size: float = TYPE.formula,
        colors: tuple[ManimColor, ManimColor] = (WHITE, WHITE),
    ) -> None:
        self.top = MathTypst(top, font_size=font_size, color=colors[0])
        self.bottom = MathTypst(bottom, font_size=font_size, color=colors[1])
        width = max(self.top.width, self.bottom.width) + 0.12
        self.bar = Line(LEFT * width / 2, RIGHT * width / 2, stroke_width=2, color=WHITE)
        super().__init__(self.top, self.bar, self.bottom)
        self.arrange(DOWN, buff=0.09)


class RippleLine(VGroup):
    """A short number line for one node of the tree, zoomed so that a nudge shows.

    The dot starts at the value of ``before`` and :meth:`slide` moves it to the
    value of ``after`` (both quantities from the core); the dot moves
    :data:`~bpcalc.viz.nudge.MOVE_SHARE` of the line, left or right as the value
    really goes. :meth:`brace` names the move: ``∂z^((L))`` over ``Δ = 0.0939``.
    """

    def __init__(
        self,
        book: NumberBook,
        before: Quantity,
        after: Quantity,
        color: ManimColor,
        length: float = 1.3,
    ) -> None:
        self.book, self.tint = book, color
        v0, v1 = book.value(before), book.value(after)
        span = abs(v1 - v0) / MOVE_SHARE or 1.0
        middle = (v0 + v1) / 2
        self.values = (v0, v1)
        self.line = NumberLine(
            x_range=[middle - span / 2, middle + span / 2, span / 8],
            length=length,
            color=GREY_B,
            include_numbers=False,
            tick_size=0.05,
            stroke_width=2,
        )
        self.dot = Dot(self.line.n2p(v0), radius=0.07, color=color)
        super().__init__(self.line, self.dot)

    def point(self, which: int):
        """Where the dot is before (0) or after (1) the nudge."""
        return self.line.n2p(self.values[which])

    def slide(self):
        """The dot moves to its value after the nudge."""
        return self.dot.animate.move_to(self.point(1))

    def brace(self, name: str, change: Quantity, font_size: float = TYPE.label) -> VGroup:
        """A brace under the move; under it the ∂ symbol ``name`` and the real Δ.

        Parts: ``[0]`` the brace, ``[1]`` the symbol (it flies on into fractions),
        ``[2]`` the row ``Δ = value``.
        """
        left, right = sorted((self.point(0), self.point(1)), key=lambda p: p[0])
        brace = BraceBetweenPoints(left, right, direction=DOWN, buff=0.1, color=self.tint)
        symbol = MathTypst(name, font_size=font_size, color=self.tint)
        value = self.book.row("Delta =", Q(change, self.tint), font_size=font_size - 4)
        label = VGroup(symbol, value).arrange(RIGHT, buff=0.15)
        label.next_to(brace, DOWN, buff=0.06)
        return VGroup(brace, symbol, value)
