"""Rows whose arithmetic a viewer can redo: the figures chosen make the digits shown add
up, by the check's own reading of the text, and no fewer figures would."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from bpcalc.numbers.quantities import (
    OUTPUT,
    NudgeField,
    activation,
    cost,
    cost_term,
    nudged,
    target,
)
from bpcalc.pipeline.check import relation_mismatches, shown_mismatches
from bpcalc.viz.book import NumberBook, Q


def book_of(values: dict) -> NumberBook:
    return NumberBook(SimpleNamespace(value=lambda quantity: values[quantity]))


def square_row(book: NumberBook, figures: int, term_figures: int) -> tuple:
    book.row(
        "(",
        Q(activation(OUTPUT, 0), significant=figures),
        "-",
        target(0),
        ")^2 =",
        Q(cost_term(0), significant=term_figures),
        composes=True,
    )
    return book.composing[-1]


@pytest.mark.parametrize(
    ("a", "y", "term_figures"),
    [
        (0.9794870236, 1.0, 3),
        (0.4873889308, 0.0, 3),
        (0.1290999916, 1.0, 4),
        (3.2049841e-4, 0.0, 3),
    ],
)
def test_each_activation_gets_the_fewest_figures_that_square_to_its_term(a, y, term_figures):
    values = {activation(OUTPUT, 0): a, target(0): y, cost_term(0): (a - y) ** 2}
    book = book_of(values)
    figures = book.figures_to_compose(
        [activation(OUTPUT, 0), target(0)], lambda v: (v[0] - v[1]) ** 2, cost_term(0), term_figures
    )
    assert shown_mismatches(square_row(book, figures, term_figures)) == []
    if figures > 3:
        assert shown_mismatches(square_row(book, figures - 1, term_figures)) != []


def test_terms_get_the_figures_that_add_up_to_the_total() -> None:
    terms = [
        0.013441962,
        0.007982511,
        0.010405316,
        0.758466825,
        0.002987778,
        0.007210022,
        0.005663871,
        0.015110141,
        0.006820758,
        0.021810069,
    ]
    quantities = [cost_term(j) for j in range(len(terms))]
    values = dict(zip(quantities, terms, strict=True)) | {cost(): math.fsum(terms)}
    book = book_of(values)
    figures = book.figures_to_compose(quantities, math.fsum, cost())
    shown = [book.number(q, significant=figures) for q in quantities]
    total = book.number(cost())
    by_hand = math.fsum(float(number.text) for number in shown)
    assert f"{by_hand:.3f}" == total.text == "0.850"
    assert figures == 4  # at three figures the terms add to 0.849


def test_a_column_gets_one_count_of_figures_at_which_every_row_composes() -> None:
    """0.287616 needs four figures to square to its term; 0.222834 squares right at three
    and at five but not at four, so the column's count is five, not the rows' largest."""
    values = {activation(OUTPUT, 0): 0.28761592408148384, activation(OUTPUT, 1): 0.2228342588194353}
    for j in (0, 1):
        values[target(j)] = 0.0
        values[cost_term(j)] = values[activation(OUTPUT, j)] ** 2
    book = book_of(values)
    square = lambda v: (v[0] - v[1]) ** 2  # noqa: E731
    rows = [([activation(OUTPUT, j), target(j)], cost_term(j)) for j in (0, 1)]
    fewest = [book.figures_to_compose(inputs, square, result) for inputs, result in rows]
    assert fewest == [4, 3]
    figures = book.column_figures_to_compose(rows, square)
    assert figures == 5
    for j in (0, 1):
        book.row(
            "(",
            Q(activation(OUTPUT, j), significant=figures),
            "-",
            target(j),
            ")^2 =",
            cost_term(j),
            composes=True,
        )
        assert shown_mismatches(book.composing[-1]) == []
    book.row(
        "(",
        Q(activation(OUTPUT, 1), significant=4),
        "-",
        target(1),
        ")^2 =",
        cost_term(1),
        composes=True,
    )
    assert shown_mismatches(book.composing[-1]) != []


def test_a_ratio_gets_the_figures_that_divide_to_it_as_written() -> None:
    # the nudge the first review caught: -0.0110 / 0.500 read as -0.0220, shown -0.0219
    change, nudge = nudged(NudgeField.DC), nudged(NudgeField.DELTA)
    ratio = nudged(NudgeField.RATIO)
    book = book_of({change: -0.010966, nudge: 0.5, ratio: -0.010966 / 0.5})

    def written(figures: int) -> list[str]:
        terms = [book.number(change, significant=figures), book.number(nudge, significant=figures)]
        book.relation_on_screen("quotient", terms, book.number(ratio))
        return relation_mismatches(book.composing_relations[-1:])

    figures = book.figures_to_compose([change, nudge], lambda v: v[0] / v[1], ratio)
    assert figures > 3 and written(figures) == []
    assert written(3) != []
