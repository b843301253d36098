"""Training's loop as a cycle: stations on a circle, curved arrows between them, each labelled."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    GREY_B,
    ORIGIN,
    RIGHT,
    UP,
    WHITE,
    ArcBetweenPoints,
    CurvedArrow,
    RoundedRectangle,
    VGroup,
    VMobject,
)

__all__ = ["LoopDiagram"]


class LoopDiagram(VGroup):
    """``names`` (mobjects) boxed at stations around a circle of ``radius``, clockwise
    from the top left; ``arrows[i]`` runs from station i to the next, ``labels[i]`` sits
    outside it, each arrow ``gap`` clear of the boxes it joins. :meth:`path` is the whole
    cycle, for a dot to travel."""

    def __init__(
        self,
        names: list[VMobject],
        labels: list[VMobject],
        radius: float = 2.2,
        color=WHITE,
        gap: float = 0.12,
    ) -> None:
        count = len(names)
        angles = [np.pi / 2 + np.pi / count - 2 * np.pi * i / count for i in range(count)]
        self.centers = [radius * np.array([np.cos(a), np.sin(a), 0.0]) for a in angles]
        self.stations = VGroup()
        for name, center in zip(names, self.centers, strict=True):
            box = RoundedRectangle(
                corner_radius=0.15, width=name.width + 0.5, height=name.height + 0.4
            ).set_stroke(GREY_B, 2)
            self.stations.add(VGroup(box, name.move_to(ORIGIN)).move_to(center))
        self.arrows = VGroup()
        self.arcs = VGroup()  # the runner's track, unseen, moved with the rest
        for i in range(count):
            start, end = self.stations[i], self.stations[(i + 1) % count]
            a, b = self._rim(start, end, gap), self._rim(end, start, gap)
            self.arrows.add(CurvedArrow(a, b, angle=-2 * np.pi / count * 0.6, color=color))
            self.arcs.add(ArcBetweenPoints(a, b, angle=-2 * np.pi / count * 0.6))
        self.labels = VGroup()
        for arrow, label in zip(self.arrows, labels, strict=True):
            middle = arrow.point_from_proportion(0.5)
            outward = middle / (np.linalg.norm(middle) or 1.0)
            label.next_to(middle, outward, buff=0.2)
            self.labels.add(label)
        self.arcs.set_stroke(opacity=0)
        super().__init__(self.arrows, self.stations, self.labels, self.arcs)

    @staticmethod
    def _rim(box: VMobject, toward: VMobject, gap: float) -> np.ndarray:
        """Where the line from ``box``'s centre to ``toward``'s leaves ``box``, ``gap``
        out from its side: an arrow from or to there stops short of the box."""
        direction = toward.get_center() - box.get_center()
        horizontal = abs(direction[0]) * box.height > abs(direction[1]) * box.width
        side = (
            (RIGHT if direction[0] > 0 else -RIGHT)
            if horizontal
            else (UP if direction[1] > 0 else DOWN)
        )
        return box.get_boundary_point(side) + side * gap

    def path(self) -> VMobject:
        """The arcs of the cycle end to end."""
        cycle = VMobject()
        for arc in self.arcs:
            cycle.append_points(arc.points)
        return cycle
