"""The numbers layer: quantities named by constructors, looked up for any architecture,
and a clear error for a quantity a story does not have."""

from __future__ import annotations

import math
import re

import pytest

from bpcalc.numbers import chain_numbers, digits_numbers
from bpcalc.numbers.quantities import (
    LABEL,
    OUTPUT,
    RIPPLE,
    SNAPSHOT,
    TRAINED,
    UNTRAINED,
    Layer,
    NudgeField,
    activation,
    batch_gradient,
    bias,
    cost,
    epoch_cost,
    gradient,
    grey_level,
    local,
    nudge_run,
    nudged,
    rippled,
    target,
    weight,
    weighted_input,
)
from bpcalc.numbers.values import ChainStory, DigitsStory, NoSuchQuantity
from bpcalc.params import Params


def test_a_number_knows_the_run_whose_picture_it_belongs_to() -> None:
    """The frame check fails a number of a run the picture does not show; numbers true of
    every run (the label, pixels, targets, training's curve) belong to none."""
    assert cost(SNAPSHOT).state == SNAPSHOT and gradient(weight(OUTPUT, 1, 2)).state == TRAINED
    assert batch_gradient(0).state == UNTRAINED  # averaged through the untrained network
    lever_b = nudge_run(lever="b")
    assert nudged(NudgeField.DZ, lever="b").state == lever_b and str(lever_b) == "lever-b"
    assert nudged(NudgeField.RATIO, shrink=2).state == nudge_run(shrink=2) != nudge_run()
    assert rippled(NudgeField.DELTA).state == RIPPLE and str(nudge_run(shrink=2)) == "shrink2"
    for neutral in (LABEL, grey_level(1, 2), target(3), epoch_cost(4)):
        assert neutral.state is None, neutral.key


def test_layers_are_named_from_the_output() -> None:
    assert OUTPUT.name == "L" and (OUTPUT - 2).name == "L-2"
    assert (OUTPUT - 1).number(3) == 2 and Layer.numbered(0, 3) == OUTPUT - 3
    assert (OUTPUT - 2) + 1 == OUTPUT - 1


def test_keys_are_readable_and_distinct() -> None:
    assert gradient(weight(OUTPUT, 3, 7)).key == "dC0/d[w(L)[3,7]]"
    assert activation(OUTPUT - 1, 4, run=UNTRAINED).key == "a(L-1)[4]@untrained"
    assert local(weighted_input(OUTPUT), bias(OUTPUT)).key == "d[z(L)]/d[b(L)]"
    assert activation(OUTPUT, 1) != activation(OUTPUT, 1, SNAPSHOT)


def test_the_output_layer_is_the_output_for_every_architecture(tmp_path) -> None:
    for layers in ([64, 32, 10], [64, 20, 16, 12, 10]):
        path = tmp_path / "p.toml"
        path.write_text(f"[digits]\nlayers = {layers}\nepochs = 2\n")
        from bpcalc.params import load_params

        params = load_params(path)
        digits = digits_numbers(params)
        story = DigitsStory(digits)
        outputs = [story.value(activation(OUTPUT, j)) for j in range(10)]
        assert outputs == list(digits.example.fwd.a[-1])
        first_hidden = Layer.numbered(1, len(layers) - 1)
        assert story.value(bias(first_hidden, 0)) == digits.network.biases[0][0]


def test_the_chain_needs_no_indices(params: Params) -> None:
    chain = chain_numbers(params)
    story = ChainStory(chain)
    z = story.value(weighted_input(OUTPUT))
    w, a, b = (story.value(q) for q in (weight(OUTPUT), activation(OUTPUT - 1), bias(OUTPUT)))
    assert math.isclose(z, w * a + b, rel_tol=1e-12)
    assert story.value(local(weighted_input(OUTPUT), weight(OUTPUT))) == a
    assert story.value(local(weighted_input(OUTPUT), bias(OUTPUT))) == 1.0
    assert story.value(cost()) == pytest.approx((chain.a[-1] - chain.y) ** 2)


@pytest.mark.parametrize(
    ("quantity", "why"),
    [
        (activation(OUTPUT - 9), "the network has layers L-3 to L"),
        (weight(OUTPUT - 3, 0, 0), "the input layer has no w"),
        (activation(OUTPUT, 10), "index 10"),
        (local(cost(), weight(OUTPUT)), "does not feed"),
    ],
)
def test_a_quantity_the_story_lacks_is_named(params: Params, quantity, why: str) -> None:
    story = DigitsStory(digits_numbers(params))
    with pytest.raises(NoSuchQuantity, match=f"^{re.escape(quantity.key)}: .*{why}"):
        story.value(quantity)


def test_the_chain_has_no_untrained_run(params: Params) -> None:
    with pytest.raises(NoSuchQuantity, match="no untrained run"):
        ChainStory(chain_numbers(params)).value(activation(OUTPUT, run=UNTRAINED))
