"""Numbers on screen, each tied to the core quantity it shows.

A scene never types a value: it asks its :class:`NumberBook` for a
:class:`~bpcalc.numbers.quantities.Quantity` and gets a mobject that remembers
the quantity, its value and the text it displays. The book keeps every number
and every row it handed out, so ``bpcalc check --scenes`` and the tests can
check each number against the core and each row's equation on exact values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from manim import LEFT, RIGHT, ManimColor, MathTypst, VGroup

from bpcalc.numbers.quantities import Quantity
from bpcalc.numbers.values import Story
from bpcalc.speech.spoken import Line, speak_line
from bpcalc.viz.palette import ACTIVATION, COST, color_of, weight_color
from bpcalc.viz.typography import TYPE

__all__ = [
    "format_value",
    "plain_value",
    "typeset",
    "Shown",
    "Spoken",
    "NumberBook",
    "Q",
    "Part",
    "quantity_color",
]

SIGNIFICANT = 3
SCIENTIFIC_BELOW = 1e-4  # 0.000123 still reads at a glance; smaller needs 10^n
OPERATORS = set("=+-:")
RELATIONS = ("product", "sum", "mean")
FACTOR_AFTER = ("+", "-", "dot", "times")  # a negative number after these gets parentheses


def format_value(value: float) -> str:
    """Three significant figures as Typst math: ``-0.0231``, ``1``, ``-4.89``, and
    ``-1.16 times 10^(-6)`` below a ten-thousandth, where zeros would hide the digits."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    if float(value).is_integer() and abs(value) < 1000:
        return str(int(value))
    if abs(value) < SCIENTIFIC_BELOW:
        mantissa, exponent = f"{value:.{SIGNIFICANT - 1}e}".split("e")
        return f"{mantissa} times 10^({int(exponent)})"
    decimals = max(SIGNIFICANT - 1 - math.floor(math.log10(abs(value))), 0)
    text = f"{value:.{decimals}f}"
    return "0" if float(text) == 0 else text


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain_value(value: float) -> str:
    """The same number as :func:`format_value`, as plain text for captions:
    ``−0.0231``, ``1.16 × 10⁻⁶``."""
    text = format_value(value)
    mantissa, _, exponent = text.partition(" times 10^(")
    if exponent:
        text = f"{mantissa} × 10{exponent.rstrip(')').translate(_SUPERSCRIPT)}"
    return text.replace("-", "−", 1) if text.startswith("-") else text


@lru_cache(maxsize=2048)
def _typeset(typst: str, font_size: float) -> MathTypst:
    return MathTypst(typst, font_size=font_size)


def typeset(
    typst: str, font_size: float = TYPE.number, color: ManimColor | None = None
) -> MathTypst:
    """Typst math, typeset once per string and size and copied after: a grid of 64
    grey levels needs only 17 typesettings."""
    mobject = _typeset(typst, font_size).copy()
    return mobject.set_color(color) if color is not None else mobject


def quantity_color(quantity: Quantity, value: float) -> ManimColor:
    """The palette colour of a quantity: weights by sign, w b z a y C0 by symbol, the rest white."""
    if quantity.kind == "w":
        return weight_color(value)
    if quantity.kind == "cost_term":
        return COST
    return color_of(quantity.symbol) if quantity.symbol else ACTIVATION


class Shown(VGroup):
    """A number on screen that remembers which core quantity it shows."""

    def __init__(
        self, quantity: Quantity, value: float, color: ManimColor, font_size: float
    ) -> None:
        self.quantity = quantity
        self.value = value
        self.text = format_value(value)
        self.font_size = font_size
        super().__init__(typeset(self.text, font_size, color))

    def parenthesize(self) -> None:
        """Wrap in parentheses, as a negative factor after an operator is written."""
        number = self.submobjects[0]
        left = typeset("\\(", self.font_size).next_to(number, LEFT, buff=0.03)
        right = typeset("\\)", self.font_size).next_to(number, RIGHT, buff=0.03)
        self.submobjects = [left, number, right]


@dataclass(frozen=True)
class Spoken:
    """A number in the narration: the quantity, its value and the words that say it."""

    quantity: Quantity
    value: float
    text: str  # the Typst form, as on screen
    words: str  # the plain-text form, as in the captions


@dataclass(frozen=True)
class Q:
    """A quantity inside :meth:`NumberBook.row` in another colour than its own."""

    quantity: Quantity
    color: ManimColor | None = None


Part = str | Quantity | Q


@dataclass
class NumberBook:
    """A story's quantities, and a record of every number and row put on screen."""

    story: Story
    shown: list[Shown] = field(default_factory=list)
    rows: list[tuple[str | Shown, ...]] = field(default_factory=list)
    relations: list[tuple[str, tuple[Quantity, ...], Quantity]] = field(default_factory=list)
    narration: list[tuple[str, tuple[str | Spoken, ...]]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # narration[i] as caption and speech

    def value(self, quantity: Quantity) -> float:
        """The exact value, for layout decisions (sizes, brightness), never for display."""
        return self.story.value(quantity)

    def number(
        self, quantity: Quantity, color: ManimColor | None = None, font_size: float = TYPE.number
    ) -> Shown:
        """The quantity as a number mobject, in its quantity's colour by default."""
        value = self.value(quantity)
        shown = Shown(quantity, value, color or quantity_color(quantity, value), font_size)
        self.shown.append(shown)
        return shown

    def relation(self, kind: str, terms: list[Quantity], result: Quantity) -> None:
        """Record that a layout not written as one row states ``result = `` the ``kind``
        (``"product"``, ``"sum"`` or ``"mean"``) of ``terms``, e.g. columns of chain-rule
        factors; ``bpcalc check --scenes`` verifies it on exact values."""
        if kind not in RELATIONS:
            raise ValueError(f"unknown relation {kind!r}; known: {', '.join(RELATIONS)}")
        self.relations.append((kind, tuple(terms), result))

    def narrate(self, beat: str, *parts: str | Quantity) -> str:
        """Record a line of narration for ``beat`` and return its caption: words with
        the quantities' values in them (``narrate("cost", "It costs", cost())``). Its
        spoken form, for the voice, is kept beside it in :attr:`lines`."""
        pieces: list[str | Spoken] = []
        for part in parts:
            if isinstance(part, Quantity):
                value = self.value(part)
                pieces.append(Spoken(part, value, format_value(value), plain_value(value)))
            else:
                pieces.append(part)
        line = speak_line(pieces)
        self.narration.append((beat, tuple(pieces)))
        self.lines.append(line)
        return line.caption

    def spoken(self) -> list[Spoken]:
        """Every number said in the narration."""
        return [p for _, pieces in self.narration for p in pieces if isinstance(p, Spoken)]

    def piece(self, part: Part, font_size: float) -> str | Shown:
        """A Typst piece stays text; a quantity becomes its number on screen."""
        if isinstance(part, Q):
            return self.number(part.quantity, part.color, font_size)
        if isinstance(part, Quantity):
            return self.number(part, None, font_size)
        return part

    def row(self, *parts: Part, font_size: float = TYPE.number) -> VGroup:
        """Typst pieces and quantities side by side: ``row("= (", weight(OUTPUT), ")")``.

        Gaps follow the math: wide around =, +, − and ⋅, tight inside parentheses.
        The row is recorded: if it states an equation, ``bpcalc check --scenes``
        checks it on the exact values.
        """
        pieces = [self.piece(part, font_size) for part in parts]
        for before, piece in zip(pieces, pieces[1:], strict=False):
            after_operator = isinstance(before, str) and before.rstrip().endswith(FACTOR_AFTER)
            if isinstance(piece, Shown) and piece.value < 0 and after_operator:
                piece.parenthesize()  # "a · (−b)", "a + (−b)": never "a · −b"
        self.rows.append(tuple(pieces))
        mobjects = [p if isinstance(p, Shown) else typeset(_balanced(p), font_size) for p in pieces]
        texts = [p if isinstance(p, str) else "0" for p in pieces]
        group = VGroup(mobjects[0])
        for left, right, mobject in zip(texts, texts[1:], mobjects[1:], strict=False):
            wide = left.rstrip()[-1:] in OPERATORS or right.lstrip()[:1] in OPERATORS
            wide = wide or left.endswith(("dot", "div")) or right.startswith(("dot", "div"))
            mobject.next_to(group, RIGHT, buff=(0.16 if wide else 0.05) * font_size / TYPE.number)
            group.add(mobject)
        return group


def _balanced(typst: str) -> str:
    """Typst math rejects a lone parenthesis; pieces of a row may hold one, so escape it."""
    if typst.count("(") == typst.count(")"):
        return typst
    return typst.replace("(", "\\(").replace(")", "\\)")
