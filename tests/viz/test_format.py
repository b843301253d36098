"""How numbers read on screen and in captions: literal cases, written out by hand."""

from __future__ import annotations

import pytest

from bpcalc.pipeline.check import read_number
from bpcalc.viz.book import format_value, plain_value


@pytest.mark.parametrize(
    ("value", "typst", "plain"),
    [
        (0.0, "0", "0"),
        (1.0, "1", "1"),
        (-4.0, "-4", "−4"),
        (12.0, "12", "12"),
        (0.5, "0.500", "0.500"),
        (-0.0231, "-0.0231", "−0.0231"),
        (-4.894, "-4.89", "−4.89"),
        (0.96667, "0.967", "0.967"),
        (123.456, "123", "123"),
        (1234.5, "1234", "1234"),
        (4567.0, "4567", "4567"),
        (0.000116, "0.000116", "0.000116"),
        (-1.16e-5, "-1.16 times 10^(-5)", "−1.16 × 10⁻⁵"),
        (6.6e-15, "6.60 times 10^(-15)", "6.60 × 10⁻¹⁵"),
        (0.00999, "0.00999", "0.00999"),
    ],
)
def test_numbers_read_as_written_here(value: float, typst: str, plain: str) -> None:
    assert format_value(value) == typst
    assert plain_value(value) == plain


@pytest.mark.parametrize(
    ("text", "value", "half_unit"),
    [
        ("0.0231", 0.0231, 0.00005),
        ("-4.89", -4.89, 0.005),
        ("12", 12.0, 0.5),
        ("-1.16 times 10^(-5)", -1.16e-5, 0.005e-5),
    ],
)
def test_the_check_reads_numbers_back(text: str, value: float, half_unit: float) -> None:
    stated, half = read_number(text)
    assert stated == pytest.approx(value) and half == pytest.approx(half_unit)


def test_the_check_refuses_what_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="not a number"):
        read_number("about 3")
