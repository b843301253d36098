"""The neurons the wishes story is drawn around, found again from first principles: the
label's output, the output with the largest |∂C0/∂z_j| by finite differences, the
previous neurons ranked by |a_k ∂C0/∂z_label|, the brightest of them, and the sweep's
state that is the swept neuron's real brightness."""

from __future__ import annotations

import numpy as np
from oracle import Oracle, forward, input_slope

from bpcalc.numbers import digits_numbers
from bpcalc.numbers.quantities import SNAPSHOT, SweepActivation
from bpcalc.numbers.values import DigitsStory
from bpcalc.params import Params


def test_the_wishes_story_looks_at_the_neurons_first_principles_pick(params: Params) -> None:
    story = DigitsStory(digits_numbers(params))
    chosen = story.digits_numbers().snapshot.wish_choices
    oracle = Oracle(params)
    net = oracle.digits_network(SNAPSHOT)
    x, y = oracle.example
    number = len(net.weights)
    deltas = np.array([input_slope(net, x, y, number, j) for j in range(len(y))])
    previous = forward(net, x)[1][-2]
    label = params.example.digit

    assert chosen.focus == label
    assert chosen.strongest == int(np.argmax(np.abs(deltas)))
    by_gradient = np.argsort(-np.abs(previous * deltas[label]), kind="stable")
    assert chosen.by_gradient[:3] == tuple(int(k) for k in by_gradient[:3])
    assert chosen.back_neuron == int(np.argmax(previous))
    assert chosen.swept == chosen.by_gradient[0]
    real = story.value(SweepActivation(chosen.actual_state))
    assert np.isclose(real, previous[chosen.swept], atol=1e-9)
