"""Fades that change opacity in place instead of copying, and paths around obstacles.

Manim's FadeIn and FadeOut deep-copy the mobject to build their start and
end states; for a block of typeset numbers (hundreds of glyphs) that copy,
and the point interpolation every frame, cost more than the drawing. These
set the opacity of each part directly, so a fade costs next to nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import ORIGIN, Animation, Group, Mobject, linear

__all__ = ["Appear", "Vanish", "detour", "lift_off"]


class _Fade(Animation):
    """Opacity from each part's own value to zero (or back), with an optional drift."""

    def __init__(
        self, *mobjects: Mobject, fade_in: bool, shift: np.ndarray = ORIGIN, **kwargs: Any
    ) -> None:
        self.parts = list(mobjects)
        group = mobjects[0] if len(mobjects) == 1 else Group(*mobjects)
        self.fade_in = fade_in
        self.shift_vector = np.asarray(shift, dtype=float)
        self.members = [
            (m, m.get_fill_opacity(), m.get_stroke_opacity())
            for m in group.family_members_with_points()
        ]
        self.applied = 0.0
        kwargs.setdefault("rate_func", linear)  # evenly, unless told (a fade out of the way)
        super().__init__(group, introducer=fade_in, remover=not fade_in, **kwargs)

    def create_starting_mobject(self) -> Mobject:
        return Mobject()  # nothing to copy: every frame is set from the stored opacities

    def interpolate_mobject(self, alpha: float) -> None:
        alpha = self.rate_func(alpha)
        visible = alpha if self.fade_in else 1 - alpha
        for mobject, fill, stroke in self.members:
            mobject.set_fill(opacity=fill * visible, family=False)
            mobject.set_stroke(opacity=stroke * visible, family=False)
        # in: drift from −shift to the place; out: from the place to +shift
        offset = (alpha - 1) if self.fade_in else alpha
        self.mobject.shift(self.shift_vector * (offset - self.applied))
        self.applied = offset

    def clean_up_from_scene(self, scene: Any) -> None:
        super().clean_up_from_scene(scene)
        if not self.fade_in:
            # the whole family: parts may have entered the scene one by one
            scene.remove(*self.mobject.get_family())
            for mobject, fill, stroke in self.members:  # gone, but whole if shown again
                mobject.set_fill(opacity=fill, family=False)
                mobject.set_stroke(opacity=stroke, family=False)
            self.mobject.shift(-self.shift_vector * self.applied)


class Appear(_Fade):
    """Like FadeIn, without copies."""

    def __init__(self, *mobjects: Mobject, shift: np.ndarray = ORIGIN, **kwargs: Any) -> None:
        super().__init__(*mobjects, fade_in=True, shift=shift, **kwargs)


class Vanish(_Fade):
    """Like FadeOut, without copies."""

    def __init__(self, *mobjects: Mobject, shift: np.ndarray = ORIGIN, **kwargs: Any) -> None:
        super().__init__(*mobjects, fade_in=False, shift=shift, **kwargs)


def _bends(
    start: np.ndarray, end: np.ndarray, stops: Sequence[np.ndarray]
) -> Callable[[float], np.ndarray]:
    """How far the way through ``stops`` lies off the straight line from ``start`` to
    ``end`` at each share of the motion, straight between them, each leg an equal share."""
    legs = len(stops) + 1
    bends = [np.zeros(3)]
    bends += [np.asarray(s) - (start + (end - start) * (k + 1) / legs) for k, s in enumerate(stops)]
    bends.append(np.zeros(3))

    def bend(alpha: float) -> np.ndarray:
        leg = min(int(alpha * legs), legs - 1)
        share = alpha * legs - leg
        return bends[leg] + (bends[leg + 1] - bends[leg]) * share

    return bend


def detour(
    source: Mobject, target: Mobject, stops: Sequence[np.ndarray]
) -> Callable[[np.ndarray, np.ndarray, float], np.ndarray]:
    """A ``path_func`` that takes ``source``'s centre through ``stops`` on its way to
    ``target``'s, straight between them, each leg an equal share of the motion.

    The shape still morphs evenly from the one to the other; only the place bends,
    so a flight can go round text it would otherwise cross.
    """
    bend = _bends(source.get_center(), target.get_center(), stops)

    def path(points: np.ndarray, targets: np.ndarray, alpha: float) -> np.ndarray:
        return points + (targets - points) * alpha + bend(alpha)

    return path


def lift_off(
    source: Mobject, target: Mobject, stops: Sequence[np.ndarray], morph: float = 0.25
) -> Callable[[np.ndarray, np.ndarray, float], np.ndarray]:
    """A :func:`detour` whose shape takes its end form (a copy shrunk, say) in the first
    ``morph`` share of the motion: it lifts off its original small, and passes between
    the lines of text it travels by instead of smearing across them."""
    start, end = source.get_center(), target.get_center()
    bend = _bends(start, end, stops)

    def path(points: np.ndarray, targets: np.ndarray, alpha: float) -> np.ndarray:
        centre = start + (end - start) * alpha + bend(alpha)
        shaped = min(alpha / morph, 1.0)
        return centre + (points - start) + ((targets - end) - (points - start)) * shaped

    return path
