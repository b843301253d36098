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


def test_every_row_is_redone_on_its_digits_unless_it_says_it_cannot() -> None:
    """(0.188)(0.5000) = 0.0939 is false on its digits (they give 0.0940): a row is
    checked on them without asking; one that says it cannot compose is left out."""
    book = book_of(0.5, [0.1878216, 0.0, 0.0, 0.0])  # 0.1878216 × 0.5 = 0.0939108
    book.row("(", OTHERS[0], ")(", Q(FACTOR, significant=4), ") =", PRODUCTS[0])
    assert shown_mismatches(book.composing[-1]) != []
    book.row("(", Q(OTHERS[0], significant=4), ")(", Q(FACTOR, significant=4), ") =", PRODUCTS[0])
    assert shown_mismatches(book.composing[-1]) == []
    count = len(book.composing)
    book.row("(", OTHERS[0], ") =", PRODUCTS[0], composes=False)
    assert len(book.composing) == count


def test_numbers_morphing_into_one_are_redone_on_their_digits() -> None:
    """2(0.704 − 1) is −0.592: it cannot become −0.591; 2(0.7044 − 1) can."""
    a, y, slope = 0.7044161, 1.0, 2 * (0.7044161 - 1.0)
    values = {OTHERS[0]: a, OTHERS[1]: y, PRODUCTS[0]: slope}
    book = NumberBook(SimpleNamespace(value=lambda quantity: values[quantity]))
    for figures, wrong in ((3, True), (4, False)):
        shown_a, shown_y = book.number(OTHERS[0], significant=figures), book.number(OTHERS[1])
        book.morph("2(", shown_a, "-", shown_y, ")", result=book.number(PRODUCTS[0]))
        assert (shown_mismatches(book.morphs[-1]) != []) is wrong
