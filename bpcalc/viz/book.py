"""Numbers on screen, each tied to the core quantity it shows.

A scene never types a value: it asks its :class:`NumberBook` for a
:class:`~bpcalc.numbers.quantities.Quantity` and gets a mobject that remembers
the quantity, its value and the text it displays. The book keeps every number
and every row it handed out, so ``bpcalc check --scenes`` and the tests can
check each number against the core and each row's equation on exact values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from manim import LEFT, RIGHT, ManimColor, MathTypst, Mobject, VGroup

from bpcalc.core.choices import Choices
from bpcalc.core.many import ManyExamples
from bpcalc.core.network import Network, cost_slope, cost_terms, sigmoid, sigmoid_prime
from bpcalc.core.tree import DerivativeTree
from bpcalc.numbers.quantities import TRAINED, Bias, CostTerm, Layer, Quantity, Run, Weight
from bpcalc.numbers.stories import ChainNumbers, DigitsNumbers, NudgeNumbers, WishChoices
from bpcalc.numbers.values import DigitsStory, Story
from bpcalc.speech.spoken import Line, speak_line
from bpcalc.viz.palette import ACTIVATION, COST, color_of, weight_color
from bpcalc.viz.typography import TYPE

__all__ = [
    "align_leads",
    "format_value",
    "plain_value",
    "shown_value",
    "typeset",
    "Shown",
    "RunningSum",
    "Spoken",
    "NumberBook",
    "Q",
    "Part",
    "Row",
    "quantity_color",
    "cost_term_of",
    "output_error_of",
    "sigmoid_of",
    "weighted_input_of",
]

SIGNIFICANT = 3
MOST_FIGURES = 8  # past this a row's arithmetic is not worth redoing on screen
SCIENTIFIC_BELOW = 1e-4  # 0.000123 still reads at a glance; smaller needs 10^n
OPERATORS = set("=+-:")
RELATIONS = ("product", "sum", "mean", "quotient")  # quotient: the first term over the second
FACTOR_AFTER = ("+", "-", "dot", "times")  # a negative number after these gets parentheses
# the gaps of a row at TYPE.number: around an operator, Typst's own (what it leaves inside a
# piece such as "dot 2(", so that both sides of every ⋅ and = match), and tight otherwise
WIDE_GAP = 0.105
TIGHT_GAP = 0.05


def format_value(
    value: float,
    significant: int = SIGNIFICANT,
    scientific: bool | None = None,
    decimals: int | None = None,
) -> str:
    """Three significant figures (or ``significant``) as Typst math: ``-0.0231``, ``1``,
    ``-4.89``, and ``-1.16 times 10^(-6)`` below a ten-thousandth, where zeros would hide
    the digits; ``scientific`` True or False writes any value (but 0 and whole numbers)
    in that notation instead, so that a column of numbers reads in one; ``decimals``
    writes it with that many decimals instead (``0.000421``), for a column whose numbers
    add up on screen digit by digit."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    if float(value).is_integer() and abs(value) < 1000:
        return str(int(value))
    if decimals is not None:
        return f"{value:.{decimals}f}"
    if abs(value) < SCIENTIFIC_BELOW if scientific is None else scientific:
        mantissa, exponent = f"{value:.{significant - 1}e}".split("e")
        return f"{mantissa} times 10^({int(exponent)})"
    places = max(significant - 1 - math.floor(math.log10(abs(value))), 0)
    text = f"{value:.{places}f}"
    return "0" if float(text) == 0 else text


def shown_value(
    value: float,
    significant: int = SIGNIFICANT,
    scientific: bool | None = None,
    decimals: int | None = None,
) -> float:
    """What a viewer reads from ``value`` written with ``significant`` figures (or
    ``decimals``): the number to redo the arithmetic on screen with (``0.97949`` for
    0.979487…)."""
    return _read(format_value(value, significant, scientific, decimals))


def _read(text: str) -> float:
    """The number a Typst text from :func:`format_value` states."""
    mantissa, _, exponent = text.partition(" times 10^(")
    return float(mantissa) * 10.0 ** int(exponent.rstrip(")") or 0)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def plain_value(
    value: float, significant: int = SIGNIFICANT, scientific: bool | None = None
) -> str:
    """The same number as :func:`format_value`, as plain text for captions:
    ``−0.0231``, ``1.16 × 10⁻⁶``."""
    text = format_value(value, significant, scientific)
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


def cost_term_of(values: Sequence[float]) -> float:
    """(a − y)² of the two numbers ``[a, y]`` as shown: one output's share of the cost, for
    :meth:`NumberBook.figures_to_compose` (the formula is the core's)."""
    a, y = values
    return float(cost_terms(a, y))


def sigmoid_of(values: Sequence[float]) -> float:
    """σ(z) of the one number ``[z]`` as shown: a neuron's activation, for
    :meth:`NumberBook.figures_to_compose` (the sigmoid is the core's)."""
    (z,) = values
    return float(sigmoid(z))


def sigmoid_slope_of(values: Sequence[float]) -> float:
    """σ′(z) of the one number ``[z]`` as shown, for :meth:`NumberBook.figures_to_compose`
    (a row "σ′(z) = …" redone on the digits shown)."""
    (z,) = values
    return float(sigmoid_prime(z))


def activation_slope_of(values: Sequence[float]) -> float:
    """σ′ as a(1 − a) of the one number ``[a]`` as shown, for
    :meth:`NumberBook.figures_to_compose` (a row "σ′(z) = a(1 − a) = …")."""
    (a,) = values
    return a * (1 - a)


def cost_slope_of(values: Sequence[float]) -> float:
    """2(a − y) of the two numbers ``[a, y]`` as shown, for
    :meth:`NumberBook.figures_to_compose`."""
    a, y = values
    return float(cost_slope(a, y))


def weighted_input_of(values: Sequence[float]) -> float:
    """w·a + b of the three numbers ``[w, a, b]`` as shown: a neuron's weighted input, for
    :meth:`NumberBook.figures_to_compose`."""
    w, a, b = values
    return w * a + b


def output_error_of(values: Sequence[float]) -> float:
    """σ′ · ∂C0/∂a of the three numbers ``[σ′, a, y]`` as shown: an output's δ, for
    :meth:`NumberBook.figures_to_compose` (the cost's slope is the core's)."""
    sigma_slope, a, y = values
    return float(sigma_slope * cost_slope(a, y))


def quantity_color(quantity: Quantity, value: float) -> ManimColor:
    """The palette colour of a quantity: weights by sign, w b z a y C0 by symbol, the rest white."""
    if isinstance(quantity, Weight):
        return weight_color(value)
    if isinstance(quantity, CostTerm):
        return COST
    return color_of(quantity.symbol) if quantity.symbol else ACTIVATION


class Shown(VGroup):
    """A number on screen that remembers which core quantity it shows."""

    def __init__(
        self,
        quantity: Quantity,
        value: float,
        color: ManimColor,
        font_size: float,
        significant: int = SIGNIFICANT,
        scientific: bool | None = None,
        decimals: int | None = None,
    ) -> None:
        self.quantity = quantity
        self.value = value
        self.significant = significant
        self.text = format_value(value, significant, scientific, decimals)
        self.font_size = font_size
        super().__init__(typeset(self.text, font_size, color))

    def parenthesize(self) -> None:
        """Wrap in parentheses, as a negative factor after an operator is written."""
        number = self.submobjects[0]
        left = typeset("\\(", self.font_size).next_to(number, LEFT, buff=0.03)
        right = typeset("\\)", self.font_size).next_to(number, RIGHT, buff=0.03)
        self.submobjects = [left, number, right]

    @property
    def bare(self) -> VGroup:
        """The number itself, without the parentheses a negative factor is written in."""
        return self.submobjects[1] if len(self.submobjects) == 3 else self.submobjects[0]

    @property
    def parentheses(self) -> VGroup:
        """The parentheses around a negative factor (none otherwise)."""
        return VGroup(*self.submobjects[::2]) if len(self.submobjects) == 3 else VGroup()


class RunningSum(VGroup):
    """A sum of numbers on screen as they are shown, part way through adding them: not a
    quantity of the core but arithmetic on its numbers (checked as such)."""

    def __init__(self, text: str, font_size: float, color: ManimColor) -> None:
        self.text = text
        super().__init__(typeset(text, font_size, color))


@dataclass(frozen=True)
class Spoken:
    """A number in the narration: the quantity, its value and the words that say it."""

    quantity: Quantity
    value: float
    text: str  # the Typst form, as on screen
    words: str  # the plain-text form, as in the captions


@dataclass(frozen=True)
class Q:
    """A quantity inside :meth:`NumberBook.row` in another colour than its own, or
    with more significant figures than three (to let a row's arithmetic be redone), or
    in the notation of its column (``scientific``, see :meth:`NumberBook.scientific`)."""

    quantity: Quantity
    color: ManimColor | None = None
    significant: int = SIGNIFICANT
    scientific: bool | None = None
    decimals: int | None = None  # fixed decimals instead of significant figures


Part = str | Quantity | Q


class Row(VGroup):
    """A row of :meth:`NumberBook.row`: Typst pieces and numbers side by side; its numbers
    named by their quantities (``row.of(weight(OUTPUT))``) and its text by what it says
    (``row.part("=")``), never picked by position."""

    texts: tuple[str | None, ...] = ()  # each piece's Typst text; None for a number

    @property
    def numbers(self) -> list[Shown]:
        return [m for m in self.submobjects if isinstance(m, Shown)]

    def of(self, quantity: Quantity | type) -> Shown:
        """The row's (first) number showing ``quantity``, or the first of that kind
        (``row.of(Activation)``) where the row holds one of each."""
        for number in self.numbers:
            if number.quantity == quantity or (
                isinstance(quantity, type) and isinstance(number.quantity, quantity)
            ):
                return number
        name = quantity.__name__ if isinstance(quantity, type) else quantity.key
        raise KeyError(f"the row shows no {name}")

    def every(self, quantity: Quantity) -> list[Shown]:
        """Each of the row's numbers showing ``quantity``, in order (``a(1 − a)`` has two)."""
        return [number for number in self.numbers if number.quantity == quantity]

    def part(self, text: str) -> VGroup:
        """The row's first piece typeset from ``text`` (``"="``, ``"dot"``, a label)."""
        for piece, mobject in zip(self.texts, self.submobjects, strict=False):
            if piece == text:
                return mobject
        raise KeyError(f"the row has no piece {text!r}")

    def after(self, piece: VGroup) -> VGroup:
        """The pieces that follow ``piece`` (to carry a long row's end to a second line)."""
        pieces = self.submobjects
        return VGroup(*pieces[pieces.index(piece) + 1 :])

    @property
    def lead(self) -> VGroup:
        """The text the row opens with (its label or left side), before any number."""
        if self.texts[0] is None:
            raise KeyError("the row opens with a number")
        return self.submobjects[0]


@dataclass
class NumberBook:
    """A story's quantities, and a record of every number and row put on screen."""

    story: Story
    shown: list[Shown] = field(default_factory=list)
    rows: list[tuple[str | Shown, ...]] = field(default_factory=list)
    # rows, and (kind, terms, result) of numbers, whose arithmetic holds on the digits shown
    composing: list[tuple[str | Shown, ...]] = field(default_factory=list)
    # numbers on screen that morph into one (a row's fragment into a factor): pieces as a row
    morphs: list[tuple[str | Shown, ...]] = field(default_factory=list)
    composing_relations: list[tuple[str, tuple[Shown, ...], Shown | RunningSum]] = field(
        default_factory=list
    )
    relations: list[tuple[str, tuple[Quantity, ...], Quantity]] = field(default_factory=list)
    narration: list[tuple[str, tuple[str | Spoken, ...]]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # narration[i] as caption and speech
    measured: list[tuple[Quantity, float]] = field(default_factory=list)  # pictures' values
    # a scene's own colour for a symbol ("C0", "b"), where the palette's would mean two things
    recolored: dict[str, ManimColor] = field(default_factory=dict)

    def measure(self, quantity: Quantity) -> float:
        """A value a picture is drawn from though not written (a curve's point, a bar's
        height), kept in :attr:`measured` so ``bpcalc check --scenes`` compares it with the
        core's like a number on screen."""
        value = self.value(quantity)
        self.measured.append((quantity, value))
        return value

    def count(self, quantity: Quantity) -> int:
        """A count a picture is laid out by (the outputs, the layers, the batch's examples),
        measured like :meth:`measure`."""
        value = self.measure(quantity)
        if not value.is_integer():
            raise ValueError(f"{quantity.key} = {value} is no count")
        return int(value)

    # what the pictures are drawn from ------------------------------------------------

    @property
    def digits(self) -> DigitsNumbers:
        """The digits story's numbers (pixels, the snapshot's choices, the first batch)."""
        return self.story.digits_numbers()

    @property
    def chain(self) -> ChainNumbers:
        return self.story.chain_numbers()

    @property
    def nudges(self) -> NudgeNumbers:
        return self.story.nudge_numbers()

    def network(self, run: Run = TRAINED) -> Network:
        """The weights and biases of the network drawn for ``run``."""
        return self.story.run(run).network

    def image(self) -> np.ndarray:
        """The followed example's 8×8 pixels in [0, 1] (the same in every run)."""
        return self.digits.example.image

    def tree(self) -> DerivativeTree:
        """The derivative tree of the story (the chain's, or downstream of ``[weight]``)."""
        numbers = self.digits if isinstance(self.story, DigitsStory) else self.chain
        return numbers.tree

    def layer_number(self, layer: Layer) -> int:
        """The position from the input of a layer named from the output (for drawing)."""
        return self.story.layer_number(layer)

    def choices(self, run: Run) -> Choices:
        """The neurons the digits story looks at in ``run`` (label, rival, brightest, …)."""
        if not isinstance(self.story, DigitsStory):
            raise TypeError("only the digits story chooses neurons")
        return self.story.choices(run)

    def nudged_parameter(self) -> Weight | Bias:
        """The ``[nudge]`` weight or bias of the chain, its layer named from the output."""
        main = self.nudges.main
        layer = Layer.numbered(main.layer, self.story.depth())
        return Weight(layer) if main.quantity == "w" else Bias(layer)

    def wish_choices(self) -> WishChoices:
        """The neurons the wishes story looks at on the snapshot network (indices only)."""
        return self.digits.snapshot.wish_choices

    def epoch_networks(self) -> tuple[Network, ...]:
        """The network after each epoch of training, 0 = untrained: to draw them on one scale."""
        return self.digits.epoch_networks

    def batch_image(self, i: int) -> np.ndarray:
        """The 8×8 pixels of example ``i`` of training's first mini-batch."""
        return self.digits.batch.x[i].reshape(8, 8)

    def batch_step(self) -> Network:
        """The first mini-batch's step, −η∇C for every weight and bias, as a network to draw."""
        return self.digits.batch.step

    def _many(self) -> ManyExamples:
        many = self.digits.many
        if many is None:
            raise TypeError("this story has no first epoch's examples")
        return many

    def epoch_image(self, i: int) -> np.ndarray:
        """The 8×8 pixels of example ``i`` of the first epoch (one of the shown ones)."""
        return self._many().x[i].reshape(8, 8)

    def epoch_positions(self, count: int) -> list[int]:
        """Where the first ``count`` examples of the first epoch sit in the training set."""
        return [int(i) for i in self._many().indices[:count]]

    def average_readings(self) -> tuple[int, ...]:
        """The counts of examples after the shown ones at which the running mean is read."""
        return self._many().checkpoints

    def followed_weight(self) -> Weight:
        """The ``[weight]`` weight of the digits story."""
        if not isinstance(self.story, DigitsStory):
            raise TypeError("only the digits story follows a weight")
        return self.story.followed_weight()

    def gradient_column(self, first: int) -> list[Weight | Bias | None]:
        """∇C's components as a column: the ``first``, the followed weight's, the last."""
        if not isinstance(self.story, DigitsStory):
            raise TypeError("only the digits story has a gradient to list")
        return self.story.gradient_column(first)

    def value(self, quantity: Quantity) -> float:
        """The exact value, for layout decisions (sizes, brightness), never for display."""
        return self.story.value(quantity)

    def color(self, quantity: Quantity) -> ManimColor:
        """The palette colour of ``quantity`` (a weight's by its sign), or the scene's own
        for its symbol (:attr:`recolored`)."""
        symbol = "C0" if isinstance(quantity, CostTerm) else quantity.symbol
        if symbol in self.recolored:
            return self.recolored[symbol]
        return quantity_color(quantity, self.value(quantity))

    def number(
        self,
        quantity: Quantity,
        color: ManimColor | None = None,
        font_size: float = TYPE.number,
        significant: int = SIGNIFICANT,
        scientific: bool | None = None,
        decimals: int | None = None,
    ) -> Shown:
        """The quantity as a number mobject, in its quantity's colour by default."""
        value = self.value(quantity)
        color = color or self.color(quantity)
        shown = Shown(quantity, value, color, font_size, significant, scientific, decimals)
        self.shown.append(shown)
        return shown

    def relation(self, kind: str, terms: list[Quantity], result: Quantity) -> None:
        """Record that a layout not written as one row states ``result = `` the ``kind``
        (``"product"``, ``"sum"``, ``"mean"`` or ``"quotient"``) of ``terms``, e.g.
        columns of chain-rule factors; ``bpcalc check --scenes`` verifies it on exact values."""
        if kind not in RELATIONS:
            raise ValueError(f"unknown relation {kind!r}; known: {', '.join(RELATIONS)}")
        self.relations.append((kind, tuple(terms), result))

    def relation_on_screen(
        self, kind: str, terms: Sequence[Shown], result: Shown | RunningSum
    ) -> None:
        """Record that ``result`` as shown is the ``kind`` of ``terms`` as shown, to the
        last digit written: a viewer who adds the numbers on screen gets the one on screen
        (``bpcalc check --scenes`` checks it)."""
        if kind not in RELATIONS:
            raise ValueError(f"unknown relation {kind!r}; known: {', '.join(RELATIONS)}")
        self.composing_relations.append((kind, tuple(terms), result))

    def morph(self, *pieces: str | Shown, result: Shown) -> None:
        """Record that the numbers on screen ``pieces`` (with Typst text between them, as
        in a row: ``"2(", a, "-", y, ")"``) turn into ``result``: what they read as must
        round to it, as a row ``pieces = result`` would (``bpcalc check --scenes``)."""
        self.morphs.append((*pieces, "=", result))

    def scientific(self, column: Sequence[Quantity]) -> bool:
        """The notation of a column of numbers, one for all of it: scientific if any of
        them is below a ten-thousandth (whose zeros would hide its digits), else fixed;
        a column that mixes ``0.00032`` and ``6.66 times 10^(-5)`` does not read at a
        glance. Whole numbers and 0 stay as they are."""
        return any(0 < abs(self.value(q)) < SCIENTIFIC_BELOW for q in column)

    def figures_to_compose(
        self,
        inputs: Sequence[Quantity],
        combine: Callable[[list[float]], float],
        result: Quantity,
        result_figures: int = SIGNIFICANT,
        least: int = SIGNIFICANT,
    ) -> int:
        """The fewest significant figures (``least`` or more) to write ``inputs`` with so
        that ``combine`` of them, as shown, rounds to ``result`` as shown: the arithmetic on
        screen can be redone by the viewer, with no number rounded to a falsehood."""
        wanted = format_value(self.value(result), result_figures)
        for figures in range(least, MOST_FIGURES + 1):
            shown = [shown_value(self.value(q), figures) for q in inputs]
            if format_value(combine(shown), result_figures) == wanted:
                return figures
        names = ", ".join(q.key for q in inputs)
        raise ValueError(f"{names} do not give {result.key} on screen at {MOST_FIGURES} figures")

    def column_figures_to_compose(
        self,
        rows: Sequence[tuple[Sequence[Quantity], Quantity]],
        combine: Callable[[list[float]], float],
        result_figures: int = SIGNIFICANT,
    ) -> int:
        """One count of figures for a column whose rows each combine ``inputs`` into their
        ``result``: the fewest at which every row composes as shown, so that the column
        reads in one format rather than a different number of figures on each line."""
        figures = SIGNIFICANT
        while True:
            needed = max(
                self.figures_to_compose(inputs, combine, result, result_figures, least=figures)
                for inputs, result in rows
            )
            if needed == figures:
                return figures
            figures = needed

    def decimals_to_compose(
        self,
        rows: Sequence[tuple[Sequence[Quantity], Quantity]],
        combine: Callable[[list[float]], float],
        result_decimals: int | None = None,
        least: int = 1,
    ) -> int:
        """The fewest decimals (``least`` or more) to write every input of ``rows`` with,
        so that each row's ``combine`` of its inputs as shown rounds to its result as shown
        (in ``result_decimals``, or three significant figures): one fixed-decimal column
        whose arithmetic the viewer can redo, with no number rounded to a falsehood."""

        def written(value: float) -> str:  # as the result is shown; 0 too ("0.000000")
            if result_decimals is None:
                return format_value(value)
            return f"{value:.{result_decimals}f}".replace("-", "")

        for places in range(least, MOST_FIGURES + 3):
            if all(
                written(combine([shown_value(self.value(q), decimals=places) for q in inputs]))
                == written(self.value(result))
                for inputs, result in rows
            ):
                return places
        raise ValueError(f"{rows[0][1].key} and its column do not compose on screen")

    def partial_sums(
        self, terms: Sequence[Shown], font_size: float, color: ManimColor
    ) -> list[RunningSum]:
        """The sums of the first 1, 2, … of ``terms`` as shown, digit for digit (in the
        decimals of the most precise of them): what a viewer adding them one by one gets.
        Each is recorded as the sum on screen of the terms before it."""
        places = max(len(term.text.partition(".")[2]) for term in terms)
        sums = []
        for count in range(1, len(terms) + 1):
            total = math.fsum(_read(shown.text) for shown in terms[:count])
            shown = RunningSum(f"{total:.{places}f}", font_size, color)
            self.relation_on_screen("sum", terms[:count], shown)
            sums.append(shown)
        return sums

    def column_figures_beside(
        self,
        rows: Sequence[tuple[Sequence[Quantity], Quantity]],
        combine: Callable[[list[float]], float],
        result_figures: int,
        fixed: Mapping[Quantity, int],
    ) -> int | None:
        """One count of figures for the inputs of ``rows`` not in ``fixed`` (whose counts
        are given: a column written elsewhere), the fewest at which every row's
        ``combine`` of its inputs as shown rounds to its result as shown; None if no count
        up to :data:`MOST_FIGURES` does. Two columns of one row, each in its own count."""
        wanted = [format_value(self.value(result), result_figures) for _, result in rows]
        for figures in range(SIGNIFICANT, MOST_FIGURES + 1):
            if all(
                format_value(
                    combine([shown_value(self.value(q), fixed.get(q, figures)) for q in inputs]),
                    result_figures,
                )
                == text
                for (inputs, _), text in zip(rows, wanted, strict=True)
            ):
                return figures
        return None

    def figures_for(
        self,
        conditions: Sequence[
            tuple[Sequence[Quantity], Callable[[list[float]], float], Quantity, int]
        ],
        fixed: Mapping[Quantity, int],
        least: int = SIGNIFICANT,
    ) -> int:
        """One count of figures for every input of ``conditions`` not in ``fixed`` (their
        counts given: a number flown in from elsewhere), the fewest (``least`` or more) at which
        each condition's ``combine`` of its inputs as shown rounds to its result as shown
        with its count of figures: ``([a, dz], lambda v: v[0] * (1 - v[0]) * v[1], da, 3)``
        for a row ``a(1 − a)(Δz) = Δa``; one quantity read the same in several rows."""
        for figures in range(least, MOST_FIGURES + 1):
            if all(
                format_value(
                    combine([shown_value(self.value(q), fixed.get(q, figures)) for q in inputs]),
                    result_figures,
                )
                == format_value(self.value(result), result_figures)
                for inputs, combine, result, result_figures in conditions
            ):
                return figures
        names = ", ".join(result.key for _, _, result, _ in conditions)
        raise ValueError(f"{names} do not compose on screen at any figures")

    def narrate(self, beat: str, *parts: str | Quantity | Q) -> str:
        """Record a line of narration for ``beat`` and return its caption: words with
        the quantities' values in them (``narrate("cost", "It costs", cost())``); a
        ``Q(quantity, significant=4)`` is said with the figures (and notation) the screen
        shows it with.
        Its spoken form, for the voice, is kept beside it in :attr:`lines`."""
        pieces: list[str | Spoken] = []
        for part in parts:
            if isinstance(part, Quantity | Q):
                quantity, figures, notation = (
                    (part.quantity, part.significant, part.scientific)
                    if isinstance(part, Q)
                    else (part, SIGNIFICANT, None)
                )
                value = self.value(quantity)
                text = format_value(value, figures, notation)
                plain = plain_value(value, figures, notation)
                pieces.append(Spoken(quantity, value, text, plain))
            else:
                pieces.append(part)
        line = speak_line(pieces)
        self.narration.append((beat, tuple(pieces)))
        self.lines.append(line)
        return line.caption

    def spoken(self) -> list[Spoken]:
        """Every number said in the narration."""
        return [p for _, pieces in self.narration for p in pieces if isinstance(p, Spoken)]

    def figures_of_factor(
        self,
        factor: Quantity,
        columns: Sequence[Sequence[tuple[Quantity, Quantity]]],
        least: int = SIGNIFICANT,
    ) -> tuple[int, list[int]]:
        """Significant figures for ``factor``, written once, and one count for each column
        of ``(other, product)`` pairs, so that the factor as shown times each other as shown
        rounds to its product as shown: one factor used in many rows on screen, each column
        in one format. The factor gets the fewest figures (``least`` or more) that allow
        this, then each column the fewest."""
        for figures in range(least, MOST_FIGURES + 1):
            read = shown_value(self.value(factor), figures)
            counts = [self._column_times(read, column) for column in columns]
            if None not in counts:
                return figures, [c for c in counts if c is not None]
        raise ValueError(f"{factor.key} does not give its products on screen at any figures")

    def _column_times(self, read: float, column: Sequence[tuple[Quantity, Quantity]]) -> int | None:
        """The fewest figures for every ``other`` of ``column`` so that ``read`` times each
        rounds to its product."""
        for figures in range(SIGNIFICANT, MOST_FIGURES + 1):
            if all(
                format_value(read * shown_value(self.value(other), figures))
                == format_value(self.value(product))
                for other, product in column
            ):
                return figures
        return None

    def piece(self, part: Part, font_size: float) -> str | Shown:
        """A Typst piece stays text; a quantity becomes its number on screen."""
        if isinstance(part, Q):
            return self.number(
                part.quantity,
                part.color,
                font_size,
                part.significant,
                part.scientific,
                part.decimals,
            )
        if isinstance(part, Quantity):
            return self.number(part, None, font_size)
        return part

    def row(self, *parts: Part, font_size: float = TYPE.number, composes: bool = True) -> Row:
        """Typst pieces and quantities side by side: ``row("= (", weight(OUTPUT), ")")``.

        Gaps follow the math: Typst's own around =, +, − and ⋅, tight inside parentheses.
        The row is recorded: if it states an equation, ``bpcalc check --scenes``
        checks it on the exact values and on the digits shown too, unless it does not
        ``composes`` (a row no count of figures makes true as shown: say so).
        """
        pieces = [self.piece(part, font_size) for part in parts]
        for before, piece in zip(pieces, pieces[1:], strict=False):
            after_operator = isinstance(before, str) and before.rstrip().endswith(FACTOR_AFTER)
            if isinstance(piece, Shown) and piece.value < 0 and after_operator:
                piece.parenthesize()  # "a · (−b)", "a + (−b)": never "a · −b"
        self.rows.append(tuple(pieces))
        if composes:
            self.composing.append(tuple(pieces))
        mobjects = [p if isinstance(p, Shown) else typeset(_balanced(p), font_size) for p in pieces]
        texts = [p if isinstance(p, str) else "0" for p in pieces]
        group = Row(mobjects[0])
        group.texts = tuple(p if isinstance(p, str) else None for p in pieces)
        for left, right, mobject in zip(texts, texts[1:], mobjects[1:], strict=False):
            wide = left.rstrip()[-1:] in OPERATORS or right.lstrip()[:1] in OPERATORS
            wide = wide or left.endswith(("dot", "div")) or right.startswith(("dot", "div"))
            gap = WIDE_GAP if wide else TIGHT_GAP
            mobject.next_to(group, RIGHT, buff=gap * font_size / TYPE.number)
            group.add(mobject)
        return group


def align_leads(rows: Sequence[Mobject]) -> None:
    """Shift the rows among ``rows`` that open with text right, so that their leads end in
    one column: stacked rows then read as one table, their ``=`` (and products) lined up."""
    leads = [r for r in rows if isinstance(r, Row) and r.texts and r.texts[0] is not None]
    if not leads:
        return
    column = max(r.lead.get_right()[0] for r in leads)
    for row in leads:
        row.shift(RIGHT * (column - row.lead.get_right()[0]))


def _balanced(typst: str) -> str:
    """Typst math rejects a lone parenthesis; pieces of a row may hold one, so escape it."""
    if typst.count("(") == typst.count(")"):
        return typst
    return typst.replace("(", "\\(").replace(")", "\\)")
