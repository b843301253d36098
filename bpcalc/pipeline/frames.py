"""What a viewer sees, checked over time in the dry run, from bounding boxes only.

:func:`watched` gives a scene class a :class:`FrameWatch`: in Manim's dry run
it looks at the picture at the end of every animation and, for moving parts,
at its middle (the dry run otherwise jumps straight to the end), and records
a :class:`Finding` for each of these faults:

- ``off-frame``: text, a number or a formula reaches into the frame's margin
  (:data:`SAFE_MARGIN` of its width and height on each side). The videos are
  watched on the web, with no overscan, so the margin is not a TV's 5 % title
  safe area but the least room that keeps a glyph from touching the edge;
- ``overlap``: two pieces of text cross by more than :data:`OVERLAP` (a glyph's
  side bearing) in both directions, unless the scene says one replaces the
  other in that animation (``with self.replacing(old, new):``), or one is a copy
  lying exactly on its original (it reads as one, until it leaves);
- ``stale``: a number of a run (``Quantity.state``: snapshot, untrained, trained,
  a nudge) the scene does not say it is showing (``self.showing(SNAPSHOT)``);
- ``held``: nothing on screen changes for more than :data:`HOLD_LIMIT` seconds;
- ``blank``: nothing is visible at all.

Nothing is drawn: pieces are Typst and MathTypst mobjects, the book's numbers
(:class:`~bpcalc.viz.book.Shown`), and glyphs flying loose (copies of pieces of
them), and a piece is on screen when any of its parts has some opacity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import Mobject, Typst, VMobject, config
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

from bpcalc.viz import Shown, State, StoryScene

__all__ = ["HOLD_LIMIT", "SAFE_MARGIN", "OVERLAP", "Finding", "FrameWatch", "watched"]

SAFE_MARGIN = 0.02  # of the frame's width and height, each side: 38 × 22 px at 1080p
OVERLAP = 0.04  # frame units (0.5 % of its height) two boxes may share, for side bearings
# A picture may hold while a line is spoken over it: a caption holds 7 s at most
# (DESIGN.md: subtitle guidelines) and the scenes pause 0.8 s to notice a new one, so
# one line and a breath fit in 9 s. Longer with nothing moving is a slide: two lines
# over one still picture, or a still picture with nothing new to hear.
HOLD_LIMIT = 9.0


@dataclass
class Finding:
    """One fault a viewer would see, from ``start`` to ``end`` (seconds), and on what."""

    rule: str
    start: float
    end: float
    what: str

    def __str__(self) -> str:
        span = (
            f"{self.start:.1f} s"
            if self.end - self.start < 0.05
            else (f"{self.start:.1f}–{self.end:.1f} s")
        )
        return f"{self.rule} at {span}: {self.what}"

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "start": self.start, "end": self.end, "what": self.what}


def describe(piece: Mobject) -> str:
    """A piece as a reader of the report finds it in the scene: a number's quantity and
    text, a formula's Typst source, or what loose glyphs were copied from."""
    if isinstance(piece, Shown):
        return f"{piece.quantity.key} {piece.text!r}"
    if isinstance(piece, Typst):
        code = " ".join(piece.typst_code.split())
        return repr(code if len(code) <= 40 else code[:39] + "…")
    return "a loose glyph"


def _visible(mobject: Mobject) -> bool:
    """Any part drawn with some opacity: transparent states of a readout are not shown."""
    for part in mobject.family_members_with_points():
        if isinstance(part, VMobject):
            if np.any(part.get_fill_opacities() > 0):
                return True
            if part.get_stroke_width() > 0 and np.any(part.get_stroke_opacities() > 0):
                return True
        else:
            return True
    return False


def pieces(mobject: Mobject) -> Iterator[Mobject]:
    """The pieces of text in ``mobject``: numbers, Typst, and loose glyphs (copies of
    glyphs flying on their own), each glyph on its own: a group of glyphs picked out of a
    formula (its commas, say) has no shape of its own to overlap with."""
    if isinstance(mobject, Shown | Typst | VMobjectFromSVGPath):
        yield mobject
        return
    for sub in mobject.submobjects:
        yield from pieces(sub)


def _drawn_once(shown: list[Mobject]) -> list[Mobject]:
    """Each piece once, and no glyph that is also part of a formula on screen: a glyph
    in two groups (a flight's target is added beside its formula) is drawn once, in place."""
    inside = {
        id(part) for p in shown if not isinstance(p, VMobjectFromSVGPath) for part in p.get_family()
    }
    seen: set[int] = set()
    once = []
    for piece in shown:
        if id(piece) not in seen and not (
            isinstance(piece, VMobjectFromSVGPath) and id(piece) in inside
        ):
            seen.add(id(piece))
            once.append(piece)
    return once


def _box(piece: Mobject) -> tuple[float, float, float, float]:
    points = np.concatenate([m.points for m in piece.family_members_with_points()])
    (left, bottom, _), (right, top, _) = points.min(axis=0), points.max(axis=0)
    return left, bottom, right, top


class FrameWatch(StoryScene):
    """Mixed into a scene's class by :func:`watched`: the frame checks."""

    findings: list[Finding]

    def setup(self) -> None:
        super().setup()
        self.findings = []
        self._open: dict[tuple[str, str], Finding] = {}  # faults seen at the last look
        self._picture: bytes | None = None
        self._still_since = 0.0
        self._held: Finding | None = None  # the hold over the limit now going on
        self._play_start = 0.0

    def play(self, *args: Any, **kwargs: Any) -> None:
        self._play_start = self.renderer.time
        super().play(*args, **kwargs)
        self._look(self.renderer.time, middle=False)

    def get_time_progression(self, run_time: float, *args: Any, **kwargs: Any) -> Any:
        """The dry run visits only an animation's end; visit its middle too."""
        progression = super().get_time_progression(run_time, *args, **kwargs)
        progression.iterable = [run_time / 2, run_time]
        return progression

    def update_to_time(self, t: float) -> None:
        super().update_to_time(t)
        if t < self.duration:
            self._look(self._play_start + t, middle=True)

    def _look(self, now: float, middle: bool) -> None:
        """Check the picture at ``now``: the middle or the end of an animation."""
        visible = [m for m in self.mobjects if _visible(m)]
        # a still wait shows the picture made before it all along: seen since it began
        still_wait = not middle and self.is_current_animation_frozen_frame()
        since = self._play_start if still_wait else now
        self._hold(now, since, visible)
        seen: dict[tuple[str, str], str] = {}
        if not visible:
            seen["blank", ""] = "nothing on screen"
        shown = _drawn_once([p for m in visible for p in pieces(m) if _visible(p)])
        stale: dict[State, list[str]] = {}
        for piece in shown:
            if not self._inside(piece):
                seen["off-frame", describe(piece)] = f"{describe(piece)} reaches the margin"
            state = piece.quantity.state if isinstance(piece, Shown) else None
            if state is not None and state not in self.picture_runs:
                stale.setdefault(state, []).append(describe(piece))
        showing = ", ".join(sorted(map(str, self.picture_runs)))
        for state, numbers in stale.items():
            listed = ", ".join(numbers[:3]) + (f", {len(numbers) - 3} more" if numbers[3:] else "")
            what = f"{len(numbers)} number(s) of the {state} run ({listed})"
            seen["stale", str(state)] = f"{what}, the picture shows {showing}"
        for a, b in self._overlaps(shown):
            pair = f"{describe(a)} and {describe(b)}"
            seen["overlap", pair] = f"{pair} overlap"
        self._record(since, now, seen)

    def _inside(self, piece: Mobject) -> bool:
        left, bottom, right, top = _box(piece)
        x = config.frame_width / 2 * (1 - 2 * SAFE_MARGIN)
        y = config.frame_height / 2 * (1 - 2 * SAFE_MARGIN)
        return left >= -x and right <= x and bottom >= -y and top <= y

    def _overlaps(self, shown: list[Mobject]) -> Iterator[tuple[Mobject, Mobject]]:
        """Pairs of pieces whose boxes cross, except those declared as replacing each other."""
        if len(shown) < 2:
            return
        boxes = np.array([_box(p) for p in shown])
        width = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(
            boxes[:, None, 0], boxes[None, :, 0]
        )
        height = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(
            boxes[:, None, 1], boxes[None, :, 1]
        )
        crossing = np.triu((width > OVERLAP) & (height > OVERLAP), k=1)
        replaced = [
            ({id(m) for m in old.get_family()}, {id(m) for m in new.get_family()})
            for old, new in self.replacements
        ]
        for i, j in zip(*np.nonzero(crossing), strict=True):
            a, b = shown[i], shown[j]
            declared = any(
                (id(a) in old and id(b) in new) or (id(a) in new and id(b) in old)
                for old, new in replaced
            )
            # a copy exactly over its original (about to leave it) reads as one
            twins = describe(a) == describe(b) and np.allclose(boxes[i], boxes[j], atol=OVERLAP)
            if not (declared or twins):
                yield a, b

    def _hold(self, now: float, since: float, visible: list[Mobject]) -> None:
        """Follow how long the picture stays the same (since ``since`` when it changed)."""
        picture = _fingerprint(visible)
        if picture != self._picture:
            self._still_since = since
            self._picture = picture
            self._held = None
        held = now - self._still_since
        if held > HOLD_LIMIT:
            if self._held is None:
                self._held = Finding("held", self._still_since, now, "")
                self.findings.append(self._held)
            self._held.end, self._held.what = now, f"the picture holds {held:.1f} s"

    def _record(self, since: float, now: float, seen: dict[tuple[str, str], str]) -> None:
        """Extend the faults still seen, open new ones (seen ``since``), close the rest."""
        still = {}
        for key, what in seen.items():
            finding = self._open.get(key)
            if finding is None:
                finding = Finding(key[0], since, now, what)
                self.findings.append(finding)
            finding.end = now
            still[key] = finding
        self._open = still


def _fingerprint(visible: list[Mobject]) -> bytes:
    """A digest of everything drawn: where each part is and its colours and opacities."""
    digest = hashlib.blake2b(digest_size=16)
    for mobject in visible:
        for part in mobject.family_members_with_points():
            digest.update(np.ascontiguousarray(part.points).tobytes())
            if isinstance(part, VMobject):
                digest.update(part.fill_rgbas.tobytes())
                digest.update(part.stroke_rgbas.tobytes())
                digest.update(np.float64(part.get_stroke_width()).tobytes())
    return digest.digest()


def watched(scene_class: type) -> type:
    """``scene_class`` with the frame checks mixed in (a StoryScene), else unchanged."""
    if not issubclass(scene_class, StoryScene):
        return scene_class
    return type(scene_class.__name__, (FrameWatch, scene_class), {})
