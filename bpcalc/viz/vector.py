"""A column vector drawn as 3Blue1Brown draws ∇C: entries stacked between square brackets."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, WHITE, VGroup, VMobject

__all__ = ["ColumnVector"]


class ColumnVector(VGroup):
    """``entries`` (mobjects, e.g. rows of the book or ``dots.v``) stacked and centred,
    between square brackets; ``entries`` and ``brackets`` are its parts."""

    def __init__(self, *entries: VMobject, buff: float = 0.22, pad: float = 0.18) -> None:
        self.entries = VGroup(*entries).arrange(DOWN, buff=buff)
        self.brackets = VGroup(self._bracket(LEFT, pad), self._bracket(RIGHT, pad)).set_stroke(
            WHITE, 2.5
        )
        super().__init__(self.entries, self.brackets)

    def _bracket(self, side, pad: float) -> VMobject:
        """A square bracket on ``side`` (LEFT or RIGHT) of the entries."""
        top = self.entries.get_corner(UP + side) + (UP + side) * pad
        bottom = self.entries.get_corner(DOWN + side) + (DOWN + side) * pad
        serif = -side * 0.18
        bracket = VMobject()
        bracket.set_points_as_corners([top + serif, top, bottom, bottom + serif])
        return bracket
