"""A row's pieces are found by what they show, never by position: a scene that picks the
wrong piece gets an error naming what is missing, not a silently wrong mobject."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bpcalc.numbers.quantities import (
    OUTPUT,
    Activation,
    Bias,
    CostTerm,
    Target,
    activation,
    cost_term,
    target,
)
from bpcalc.viz.book import NumberBook, Row


def cost_row() -> tuple[Row, dict]:
    values = {activation(OUTPUT, 0): 0.25, target(0): 1.0, cost_term(0): 0.5625}
    book = NumberBook(SimpleNamespace(value=lambda quantity: values[quantity]))
    return book.row("(", activation(OUTPUT, 0), "-", target(0), ")^2 =", cost_term(0)), values


def test_numbers_are_found_by_quantity_and_by_kind() -> None:
    row, values = cost_row()
    a = row.of(activation(OUTPUT, 0))
    assert a.value == values[activation(OUTPUT, 0)]
    assert row.of(Activation) is a
    assert row.of(Target).value == 1.0
    assert row.of(CostTerm).text == "0.562"
    with pytest.raises(KeyError, match="Bias"):
        row.of(Bias)


def test_text_is_found_by_what_it_says() -> None:
    row, _ = cost_row()
    assert row.lead is row.submobjects[0]
    assert row.part("-") is row.submobjects[2]
    assert row.part(")^2 =") is row.submobjects[4]
    with pytest.raises(KeyError, match="'='"):
        row.part("=")


def test_a_row_opening_with_a_number_has_no_lead() -> None:
    values = {activation(OUTPUT, 0): 0.5}
    book = NumberBook(SimpleNamespace(value=lambda quantity: values[quantity]))
    row = book.row(activation(OUTPUT, 0), "dot", activation(OUTPUT, 0))
    assert len(row.every(activation(OUTPUT, 0))) == 2
    with pytest.raises(KeyError, match="opens with a number"):
        _ = row.lead


def test_a_negative_factor_keeps_its_digits_apart_from_its_parentheses() -> None:
    values = {activation(OUTPUT, 0): 0.5, target(0): -2.0}
    book = NumberBook(SimpleNamespace(value=lambda quantity: values[quantity]))
    row = book.row(activation(OUTPUT, 0), "dot", target(0))
    negative, positive = row.of(target(0)), row.of(activation(OUTPUT, 0))
    assert len(negative.parentheses) == 2 and negative.bare not in negative.parentheses
    assert len(positive.parentheses) == 0 and positive.bare is positive.submobjects[0]
