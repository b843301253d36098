"""``bpcalc check --scenes``: dry-run every scene and check what it would show.

Each scene is built to its last frame without drawing (Manim's dry run). Then
every number it put on screen or said is compared with the core's value
computed again, independently of the scene (:func:`recomputed_story`: from the
parameter file, every cache bypassed), its text must read as that value (no
rounding to falsehood), and every row that states an equation, such as
``= (w)(a) + b = z`` or ``(a − y)² = c``, is evaluated on the exact values of
its numbers: both sides must agree, as must the relations a layout states
(a column of chain-rule factors and their product) on the recomputed values.
Over time, the frames the viewer would see are checked too
(:mod:`bpcalc.pipeline.frames`): nothing off the safe area, no text over text,
no number of another run than the one drawn, no held or blank picture.
"""

from __future__ import annotations

import math
import os
import re
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from manim import tempconfig
from manim.mobject.svg.svg_mobject import SVG_HASH_TO_MOB_MAP

from bpcalc.core.cache import CACHE_ENV
from bpcalc.core.network import sigmoid, sigmoid_prime
from bpcalc.numbers.values import Story
from bpcalc.params import PARAMS_ENV, Params
from bpcalc.pipeline.catalog import SceneEntry, load_scene_class
from bpcalc.pipeline.frames import Finding, watched
from bpcalc.viz import NumberBook, story_of

__all__ = [
    "SceneCheck",
    "dry_run",
    "check_scene",
    "check_built",
    "read_number",
    "recomputed_story",
    "row_equations",
    "shown_equations",
    "shown_mismatches",
    "scientific",
]

TOLERANCE = 1e-9  # relative, for equations on exact values (float rounding only)
COMBINE = {  # relations
    "product": math.prod,
    "sum": math.fsum,
    "mean": statistics.fmean,
    "quotient": lambda terms: terms[0] / terms[1],
}


@dataclass
class SceneCheck:
    """What one scene shows and whether all of it is true."""

    name: str
    file: str
    sections: list[str] = field(default_factory=list)
    numbers: list[dict[str, Any]] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    equations: int = 0
    narration: list[dict[str, Any]] = field(default_factory=list)
    frames: list[Finding] = field(default_factory=list)  # what a viewer would see wrong
    plain: bool = False  # not a StoryScene: nothing of bpcalc's to check
    failures: list[str] = field(default_factory=list)

    @property
    def scientific_share(self) -> float:
        """The share of numbers on screen written in scientific notation."""
        if not self.numbers:
            return 0.0
        return sum(scientific(n["text"]) for n in self.numbers) / len(self.numbers)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "sections": self.sections,
            "numbers": self.numbers,
            "rows": self.rows,
            "equations": self.equations,
            "narration": self.narration,
            "scientific_share": self.scientific_share,
            "frames": [finding.as_json() for finding in self.frames],
            "failures": self.failures,
        }


def scientific(text: str) -> bool:
    return "times 10^" in text


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """``$name`` set to ``value`` for a while, then as it was."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@contextmanager
def _svgs_forgotten() -> Iterator[None]:
    """Manim keeps a copy of every SVG it reads (typeset math among them) by its file
    name, and a dry run's files are in a folder of its own, gone after it: forget the
    copies it made, or every dry run of a process would keep all of its formulas."""
    known = set(SVG_HASH_TO_MOB_MAP)
    try:
        yield
    finally:
        for key in set(SVG_HASH_TO_MOB_MAP) - known:
            del SVG_HASH_TO_MOB_MAP[key]


def dry_run(file: Path, name: str, params: Params) -> Any:
    """Build the scene ``name`` of ``file`` to its final state without writing frames,
    looking at the picture at every animation's middle and end (a StoryScene's
    ``findings``)."""
    scene_class = load_scene_class(file, name)
    with (
        tempfile.TemporaryDirectory() as media,
        _environment(PARAMS_ENV, str(params.source)),
        _svgs_forgotten(),
    ):
        settings = {
            "dry_run": True,
            "media_dir": media,
            "verbosity": "ERROR",
            "progress_bar": "none",
            "frame_rate": 15,
            "pixel_height": 480,
            "pixel_width": 854,
            "disable_caching": True,
        }
        with tempconfig(settings):
            scene = watched(scene_class)(skip_animations=True)
            scene.render()
    return scene


_NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)(?: times 10\^\((-?\d+)\))?$")


def read_number(text: str) -> tuple[float, float]:
    """The value a number's Typst text states and half a unit of its last digit."""
    match = _NUMBER.match(text.replace("−", "-"))
    if not match:
        raise ValueError(f"not a number: {text!r}")
    mantissa, exponent = match.group(1), int(match.group(2) or 0)
    decimals = len(mantissa.partition(".")[2])
    scale = 10.0**exponent
    return float(mantissa) * scale, 0.5 * 10.0**-decimals * scale


def _tokens(piece: str) -> list[str]:
    """Typst math pieces of a row as tokens: operators, parentheses, sigma, ^2, words."""
    tokens: list[str] = []
    for word in re.findall(r"dots\.c|[A-Za-z_]+'?|\^2|\d+(?:\.\d+)?|[=+\-−()]|\S", piece):
        tokens.append({"−": "-", "times": "dot", "div": "/"}.get(word, word))
    return tokens


_ARITHMETIC = {"+", "-", "/", "(", ")", "dot", "^2", "sigma", "sigma'"}
_FUNCTIONS = {"sigma": "_sigma", "sigma'": "_slope"}


def _parts(pieces: tuple[Any, ...], number: Any) -> tuple[list[list[Any]], list[str]]:
    """A row split at ``=``, ``approx`` and ``:``: its parts, each a list of tokens with
    ``number(piece)`` for each number, and what joins each part to the one before."""
    parts: list[list[Any]] = [[]]
    joiners: list[str] = [""]
    for piece in pieces:
        if isinstance(piece, str):
            for token in _tokens(piece):
                if token in ("=", "approx", ":"):
                    parts.append([])
                    joiners.append(token)
                else:
                    parts[-1].append(token)
        else:
            parts[-1].append(number(piece))
    return parts, joiners


def row_equations(pieces: tuple[Any, ...]) -> list[tuple[str, float, float]]:
    """The equations a row states, each as (expression, left value, right value).

    A row is split at ``=``; a part made only of numbers, + − ⋅, parentheses,
    σ(…), σ′(…) and squares is evaluated on the exact values; each pair of evaluable
    neighbours across an ``=`` is an equation. Parts with words (names,
    ``dots.c`` for terms not drawn) are not evaluated; ``approx`` and a label's ``:``
    separate parts without equating them.
    """
    parts, joiners = _parts(pieces, lambda piece: piece.value)
    values = [_evaluate(part) for part in parts]
    equations = []
    for i in range(1, len(parts)):
        left, right = values[i - 1], values[i]
        if joiners[i] == "=" and left is not None and right is not None:
            equations.append((_expression(parts[i - 1]), left, right))
    return equations


def shown_equations(pieces: tuple[Any, ...]) -> list[tuple[str, float, float, float]]:
    """The equations of :func:`row_equations`, redone as a viewer would, on the numbers as
    their text reads: (expression, left, right, leeway). The leeway is half a unit of the
    last digit of the side that is one number written out (the larger if both are; 0 if
    neither is): within it, the other side rounds to what is written."""
    parts, joiners = _parts(pieces, lambda piece: read_number(piece.text)[0])
    halves, _ = _parts(pieces, lambda piece: read_number(piece.text)[1])
    values = [_evaluate(part) for part in parts]
    equations = []
    for i in range(1, len(parts)):
        left, right = values[i - 1], values[i]
        if joiners[i] == "=" and left is not None and right is not None:
            lone = [half[0] for half in (halves[i], halves[i - 1]) if len(half) == 1]
            # one number equal to another reads true if either rounds the other
            leeway = max((h for h in lone if isinstance(h, float)), default=0.0)
            equations.append((_expression(parts[i - 1]), left, right, leeway))
    return equations


def shown_mismatches(pieces: tuple[Any, ...]) -> list[str]:
    """The equations of a row that a viewer, redoing them on the digits shown, finds false."""
    return [
        f"on screen, {expression.replace('**2', '²')} = {left!r}, which is not {right!r}"
        for expression, left, right, leeway in shown_equations(pieces)
        if not _composes(left, right, leeway)
    ]


def relation_mismatches(relations: list[tuple[str, tuple[Any, ...], Any]]) -> list[str]:
    """The relations between numbers on screen (kind, terms, result) that a viewer, redoing
    them on the digits shown, finds false."""
    failures = []
    for kind, shown_terms, shown_result in relations:
        stated, leeway = read_number(shown_result.text)
        combined = COMBINE[kind]([read_number(term.text)[0] for term in shown_terms])
        if not _composes(combined, stated, leeway):
            texts = ", ".join(term.text for term in shown_terms)
            failures.append(
                f"on screen, the {kind} of {texts} is {combined!r}, not {shown_result.text}"
            )
    return failures


def _composes(left: float, right: float, leeway: float) -> bool:
    return abs(left - right) <= leeway * (1 + 1e-9) + 1e-15


def _expression(part: list[Any]) -> str:
    """Python arithmetic for a part of a row, with its implicit products made explicit."""
    out: list[str] = []
    for token in part:
        if isinstance(token, float):
            text = repr(token)
        elif token in _ARITHMETIC or token[0].isdigit():
            text = {"dot": "*", "^2": "**2", **_FUNCTIONS}.get(token, token)
        else:
            raise ValueError(f"not arithmetic: {token!r}")
        operand_ended = bool(out) and (out[-1][-1].isdigit() or out[-1][-1] in ")")
        operand_starts = text[0].isdigit() or text == "(" or text in _FUNCTIONS.values()
        if operand_ended and operand_starts:
            out.append("*")
        out.append(text)
    return " ".join(out)


def _evaluate(part: list[Any]) -> float | None:
    if not part:
        return None
    if any(isinstance(t, str) and t not in _ARITHMETIC and not t[0].isdigit() for t in part):
        return None
    try:
        functions = {"_sigma": sigmoid, "_slope": sigmoid_prime}
        return float(eval(_expression(part), {"__builtins__": {}, **functions}))  # noqa: S307
    except (SyntaxError, ValueError, ZeroDivisionError):
        return None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=1e-12)


def check_scene(entry: SceneEntry, params: Params) -> SceneCheck:
    """Dry-run one scene and check every number and equation it shows."""
    return check_built(dry_run(entry.file, entry.name, params), entry, params)


_RECOMPUTED: dict[tuple[str, Params], Story] = {}


def _clear_memory_caches() -> None:
    """Forget every value the core and the numbers keep in memory (their lru caches)."""
    modules = [
        m for n, m in list(sys.modules.items()) if n.startswith(("bpcalc.core", "bpcalc.numbers"))
    ]
    for module in modules:
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def recomputed_story(name: str, params: Params) -> Story:
    """The numbers of the story ``name`` computed again from the parameter file, sharing
    nothing with what a scene was built from: every cache the core and the numbers keep
    in memory is emptied before and after, and training runs afresh into an empty disk
    cache, thrown away after. A number on screen that differs from these is not the
    core's for this file (read from a stale or altered cache, or changed after it was
    looked up). Computed once per story and parameter file."""
    if (name, params) not in _RECOMPUTED:
        with tempfile.TemporaryDirectory() as empty, _environment(CACHE_ENV, empty):
            _clear_memory_caches()
            try:
                _RECOMPUTED[name, params] = story_of(name, params)
            finally:
                _clear_memory_caches()
    return _RECOMPUTED[name, params]


def _check_numbers(report: SceneCheck, book: NumberBook, story: Story) -> None:
    """Every number shown or said, and every value a picture is drawn from, against the
    core's numbers computed again; and each number's text against its value."""
    for number in [*book.shown, *book.spoken()]:
        key, value = number.quantity.key, number.value
        report.numbers.append({"key": key, "value": value, "text": number.text})
        truth = story.value(number.quantity)
        if not _close(value, truth):
            report.failures.append(f"{key}: shows {value!r}, the core says {truth!r}")
        stated, half_unit = read_number(number.text)
        if abs(stated - value) > half_unit * (1 + 1e-9) + 1e-15:
            report.failures.append(f"{key}: the text {number.text!r} does not read as {value!r}")
    for quantity, measured in book.measured:  # values and counts a picture is drawn from
        truth = story.value(quantity)
        if not _close(measured, truth):
            report.failures.append(
                f"{quantity.key}: drawn at {measured!r}, the core says {truth!r}"
            )


def check_built(scene: Any, entry: SceneEntry, params: Params) -> SceneCheck:
    """Check every number, equation and line of narration of a scene built by :func:`dry_run`."""
    if not hasattr(scene, "book"):  # a plain Manim scene: it shows no numbers of ours
        return SceneCheck(entry.name, entry.file.name, plain=True)
    report = SceneCheck(entry.name, entry.file.name, list(getattr(scene, "beats", [])))
    book = scene.book
    story = recomputed_story(scene.story, params)
    _check_numbers(report, book, story)
    for beat, pieces in book.narration:
        words = [
            p if isinstance(p, str) else {"key": p.quantity.key, "text": p.words} for p in pieces
        ]
        report.narration.append({"beat": beat, "parts": words})
    silent = [beat for beat in report.sections if beat not in {n["beat"] for n in report.narration}]
    if silent:
        report.failures.append(f"beats without narration: {', '.join(silent)}")
    for pieces in book.rows:
        report.rows.append(
            [
                p
                if isinstance(p, str)
                else {"key": p.quantity.key, "value": p.value, "text": p.text}
                for p in pieces
            ]
        )
        for expression, left, right in row_equations(pieces):
            report.equations += 1
            if not _close(left, right):
                report.failures.append(f"{expression} = {left!r}, not {right!r}")
    # every row that states an equation (but those a scene says cannot: no count of
    # figures makes them), and every morph of numbers into one (a fragment of a row
    # flying into a factor), must hold on the digits shown: a viewer can redo any of them
    for pieces in [*book.composing, *book.morphs]:
        report.equations += len(shown_equations(pieces))
        report.failures.extend(shown_mismatches(pieces))
    report.equations += len(book.composing_relations)
    report.failures.extend(relation_mismatches(book.composing_relations))
    report.frames = scene.findings
    report.failures.extend(str(finding) for finding in scene.findings)
    for kind, terms, result in book.relations:
        report.equations += 1
        values = [story.value(term) for term in terms]
        combined = COMBINE[kind](values)
        if not _close(combined, story.value(result)):
            names = ", ".join(term.key for term in terms)
            report.failures.append(f"{kind} of {names} = {combined!r}, not {result.key}")
    return report
