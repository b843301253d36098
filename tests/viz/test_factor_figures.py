"""One factor written once, times a column of others: the figures chosen make every
product as shown round to its result as shown, the column in one format."""

from __future__ import annotations

from types import SimpleNamespace

from bpcalc.numbers.quantities import OUTPUT, activation, cost, cost_term
from bpcalc.pipeline.check import shown_mismatches
from bpcalc.viz.book import NumberBook, Q

FACTOR = cost()  # any quantity: the book only reads values
OTHERS = [activation(OUTPUT, j) for j in range(4)]
PRODUCTS = [cost_term(j) for j in range(4)]


def book_of(factor: float, others: list[float]) -> NumberBook:
    values = {FACTOR: factor}
    for other, product, value in zip(OTHERS, PRODUCTS, others, strict=True):
        values[other] = value
        values[product] = value * factor
    return NumberBook(SimpleNamespace(value=lambda quantity: values[quantity]))


def mismatches(book: NumberBook, figures: int, count: int) -> list[str]:
    """What the check finds wrong in the rows ``other · factor = product`` as written."""
    found = []
    for other, product in zip(OTHERS, PRODUCTS, strict=True):
        book.row(
            Q(other, significant=count),
            "dot",
            Q(FACTOR, significant=figures),
            "=",
            product,
            composes=True,
        )
        found += shown_mismatches(book.composing[-1])
    return found


def test_one_count_for_the_column_makes_every_product_compose() -> None:
    book = book_of(-0.0484771, [0.9981234, 0.1004562, 0.4995311, 0.0312777])
    figures, counts = book.figures_of_factor(FACTOR, [list(zip(OTHERS, PRODUCTS, strict=True))])
    assert len(counts) == 1
    assert mismatches(book, figures, counts[0]) == []
    assert counts[0] > 3  # three figures of these a do not give every product
    assert mismatches(book, figures, counts[0] - 1) != []  # no fewer would do


def test_the_factor_has_at_least_the_figures_asked_for() -> None:
    book = book_of(-0.0484771, [0.9981234, 0.1004562, 0.4995311, 0.0312777])
    figures, counts = book.figures_of_factor(
        FACTOR, [list(zip(OTHERS, PRODUCTS, strict=True))], least=5
    )
    assert figures >= 5
    assert mismatches(book, figures, counts[0]) == []
