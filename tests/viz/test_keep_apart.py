"""Labels beside a chart's lines: pushed apart only as far as they must be."""

from __future__ import annotations

import pytest
from manim import Square

from bpcalc.viz import keep_apart


def test_labels_closer_than_the_gap_move_apart_about_their_middle_in_height_order():
    low, middle, high = (Square(side_length=1).set_y(y) for y in (0.0, 0.5, 0.7))
    keep_apart([high, low, middle], gap=0.2)
    assert middle.get_bottom()[1] == pytest.approx(low.get_top()[1] + 0.2)
    assert high.get_bottom()[1] == pytest.approx(middle.get_top()[1] + 0.2)
    assert (low.get_y() + middle.get_y() + high.get_y()) / 3 == pytest.approx(0.4)


def test_a_label_far_from_the_others_stays_on_its_line():
    low, high, far = (Square(side_length=1).set_y(y) for y in (0.0, 0.2, 5.0))
    keep_apart([low, high, far], gap=0.1)
    assert (low.get_y(), high.get_y(), far.get_y()) == pytest.approx((-0.45, 0.65, 5.0))


def test_labels_already_apart_stay_where_they_are():
    low, high = Square(side_length=1).set_y(-2.0), Square(side_length=1).set_y(2.0)
    keep_apart([low, high], gap=0.2)
    assert (low.get_y(), high.get_y()) == pytest.approx((-2.0, 2.0))
