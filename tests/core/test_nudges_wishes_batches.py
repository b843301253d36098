"""Nudges converge to the gradient; Hebbian terms and batch averages match the calculus."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bpcalc.core.network import cost, forward, sigmoid
from bpcalc.core.nudge import nudge_chain, shrinking_nudges
from bpcalc.numbers import chain_numbers, digits_numbers, nudge_numbers
from bpcalc.params import Params, ParamsError


@pytest.mark.parametrize("quantity", ["w", "b", "a"])
@pytest.mark.parametrize("layer", [1, 2, 3])
def test_nudge_ratios_converge_to_the_gradient(params: Params, quantity: str, layer: int) -> None:
    chain = chain_numbers(params)
    nudges = shrinking_nudges(chain.network, chain.x, chain.y, quantity, layer, 0.5, 10.0, 5)
    gradient = {"w": chain.dC_dw, "b": chain.dC_db, "a": chain.dC_da}[quantity][layer - 1]
    errors = [abs(n.ratio - gradient) for n in nudges]
    assert all(later < earlier for earlier, later in zip(errors, errors[1:], strict=False))
    # a one-sided difference: the error shrinks like Δ, four factors of ten here
    assert errors[-1] < errors[0] / 1000
    assert errors[-1] < 1e-3 * max(abs(gradient), 1e-3)


def test_nudge_exact_changes_come_from_a_second_forward_pass(params: Params) -> None:
    chain = chain_numbers(params)
    L, delta = chain.depth, 0.3
    n = nudge_chain(chain.network, chain.x, chain.y, "w", L, delta)
    z_new = (chain.w[L - 1] + delta) * chain.a[L - 1] + chain.b[L - 1]
    assert n.dz == pytest.approx(z_new - chain.z[L - 1], rel=1e-12)
    assert n.da == pytest.approx(sigmoid(z_new) - chain.a[L], rel=1e-12)
    assert n.dC == pytest.approx((sigmoid(z_new) - chain.y) ** 2 - chain.cost, rel=1e-12)
    # z is linear in w, so its estimate is exact; a and C0 are not
    assert n.dz_linear == pytest.approx(n.dz, rel=1e-12)
    assert n.da_linear != pytest.approx(n.da, rel=1e-6)


def test_first_order_error_shrinks_quadratically(params: Params) -> None:
    chain = chain_numbers(params)
    nudges = shrinking_nudges(chain.network, chain.x, chain.y, "w", 1, 0.1, 10.0, 3)
    errors = [abs(n.dC - n.dC_first_order) for n in nudges]
    assert errors[1] < errors[0] / 50 and errors[2] < errors[1] / 50


def test_configured_nudge_follows_the_parameters(params: Params) -> None:
    nudge = nudge_numbers(params)
    assert nudge.main.quantity == params.nudge.parameter
    assert nudge.main.layer == params.nudge.layer
    assert [n.delta for n in nudge.shrinking] == pytest.approx(
        [params.nudge.delta / params.nudge.shrink**i for i in range(params.nudge.steps)]
    )


def test_each_lever_is_nudged_just_enough_for_its_ratio_to_read_as_the_gradient(
    params: Params,
) -> None:
    p, chain = params.nudge, chain_numbers(params)
    for quantity, lever in nudge_numbers(params).levers.items():
        # the gradient from the chain's own backward pass, not from the nudge
        gradient = {"w": chain.dC_dw, "b": chain.dC_db, "a": chain.dC_da}[quantity][p.layer - 1]
        assert f"{lever.ratio:.2e}" == f"{gradient:.2e}", quantity
        powers = round(np.log(p.delta / lever.delta) / np.log(p.shrink))
        assert lever.delta == pytest.approx(p.delta / p.shrink**powers)
        if powers:  # the nudge one step larger would not have read as the gradient
            larger = nudge_chain(
                chain.network, chain.x, chain.y, quantity, p.layer, lever.delta * p.shrink
            )
            assert f"{larger.ratio:.2e}" != f"{gradient:.2e}", quantity


def relative_change_of_output(params: Params, delta: float) -> float:
    """|Δa^(L)| / a^(L) when the last weight grows by ``delta``, from the chain's values."""
    chain = chain_numbers(params)
    L = chain.depth
    nudged = sigmoid(chain.z[L - 1] + delta * chain.a[L - 1])
    return abs(nudged - chain.a[L]) / chain.a[L]


def test_a_shrinking_nudge_lost_in_rounding_is_refused(params: Params) -> None:
    # Δ = 10, 1e-2, 1e-5, 1e-8, 1e-11, ... on the last weight
    assert (params.nudge.parameter, params.nudge.layer) == ("w", chain_numbers(params).depth)
    assert relative_change_of_output(params, 1e-8) > 1e-10  # the fourth still tells
    assert relative_change_of_output(params, 1e-11) < 1e-10  # the fifth is rounding
    many = replace(params, nudge=replace(params.nudge, delta=10.0, shrink=1000.0, steps=12))
    with pytest.raises(ParamsError, match=r"nudge\.steps = 12 is not allowed: at most 4 "):
        nudge_numbers(many)
    # a second nudge of 1e-9 is rounding too, and no file may ask for fewer than two
    assert relative_change_of_output(params, 1e-9) < 1e-10
    tiny = replace(params, nudge=replace(params.nudge, delta=1e-6, shrink=1000.0, steps=2))
    with pytest.raises(ParamsError, match=r"nudge\.shrink = 1000\.0 is not allowed"):
        nudge_numbers(tiny)
    four = replace(many, nudge=replace(many.nudge, steps=4))
    assert nudge_numbers(four).shrinking[-1].ratio == pytest.approx(
        chain_numbers(params).dC_dw[-1], rel=1e-5
    )


def test_a_chain_trained_to_saturation_is_refused(params: Params) -> None:
    saturated = replace(params, chain=replace(params.chain, step=100_000, learning_rate=100.0))
    # its output barely moves when the last weight is nudged by the whole Δ
    assert relative_change_of_output(saturated, params.nudge.delta) < 1e-10
    with pytest.raises(ParamsError, match=r"nudge\.delta = 0\.5 is not allowed"):
        nudge_numbers(saturated)


def test_fire_together_terms_match_finite_differences(params: Params) -> None:
    digits = digits_numbers(params)
    snap = digits.snapshot
    fire, net, ex = snap.fire, snap.network, snap.example
    assert fire.focus == ex.label
    last = len(net.weights) - 1
    h = 1e-6
    for k in fire.rank_by_gradient[:3]:
        w = net.weights[last]
        keep = w[fire.focus, k]
        w[fire.focus, k] = keep + h
        up = cost(forward(net, ex.x).a[-1], ex.y)
        w[fire.focus, k] = keep - h
        down = cost(forward(net, ex.x).a[-1], ex.y)
        w[fire.focus, k] = keep
        assert fire.focus_terms[k] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-10)
    activations = fire.a_prev[list(snap.choices.brightest)]
    assert np.all(np.diff(activations) <= 0)
    assert snap.choices.back_neuron == int(np.argmax(fire.a_prev))
    before = forward(net, ex.x).a[-3]
    other = [i for i in range(len(before)) if i != snap.choices.back_neuron]
    assert snap.choices.brightest_before == max(other, key=lambda i: before[i])
    sizes = np.abs(fire.focus_terms[fire.rank_by_gradient])
    assert np.all(np.diff(sizes) <= 0)


def test_backward_wishes_sum_to_the_activation_gradient(params: Params) -> None:
    digits = digits_numbers(params)
    snap = digits.snapshot
    fire, net, ex = snap.fire, snap.network, snap.example
    k, h = fire.back_neuron, 1e-6
    w, b = net.weights[-1], net.biases[-1]

    def cost_from(a_prev: np.ndarray) -> float:
        return float(np.sum((sigmoid(w @ a_prev + b) - ex.y) ** 2))

    step = np.eye(len(fire.a_prev))[k] * h
    numeric = (cost_from(fire.a_prev + step) - cost_from(fire.a_prev - step)) / (2 * h)
    assert fire.back_sum == pytest.approx(numeric, rel=1e-5)
    assert len(fire.back_terms) == net.sizes[-1]


def test_batch_average_and_step(params: Params) -> None:
    digits = digits_numbers(params)
    batch, net = digits.batch, digits.network
    assert len(batch.per_example) == params.digits.batch_size
    mean_of_examples = np.mean([g.dC_dw[0] for g in batch.per_example], axis=0)
    assert np.allclose(batch.average.dC_dw[0], mean_of_examples)
    assert batch.gradient_size == sum(
        w.size + b.size for w, b in zip(net.weights, net.biases, strict=True)
    )
    assert batch.cost_after < batch.cost_before


def test_wishes_point_against_the_gradient(params: Params) -> None:
    """The arrows of FireTogether: −δ_j, and −w_focus,k δ_focus for the previous layer."""
    digits = digits_numbers(params)
    snap = digits.snapshot
    fire, net, ex = snap.fire, snap.network, snap.example
    h, focus = 1e-6, fire.focus

    def cost_with_bias(shift: float) -> float:
        biases = [b.copy() for b in net.biases]
        biases[-1][focus] += shift
        moved = type(net)(net.weights, tuple(biases))
        return float(cost(forward(moved, ex.x).a[-1], ex.y))

    delta = (cost_with_bias(h) - cost_with_bias(-h)) / (2 * h)  # ∂C0/∂b_focus = δ_focus
    assert fire.wishes[focus] == pytest.approx(-delta, rel=1e-5)
    expected = -net.weights[-1][focus] * delta
    assert np.allclose(fire.previous_wishes, expected, rtol=1e-5, atol=1e-12)
    assert np.allclose(fire.weight_wishes, -fire.focus_terms)


def test_mini_batch_means_average_to_the_whole_sets_and_the_step_is_the_change(
    params: Params,
) -> None:
    """Each mini-batch's mean of ∂C_k/∂w, weighted by its size, gives the training set's
    mean; and the first step, drawn as a network, is the weights after minus before."""
    numbers = digits_numbers(params)
    many, batch = numbers.many, numbers.batch
    size = many.batch_size
    sizes = [min(size, len(many.gradients) - s) for s in range(0, len(many.gradients), size)]
    assert len(many.batch_means) == len(sizes) == numbers.steps_per_epoch
    assert np.dot(many.batch_means, sizes) / sum(sizes) == pytest.approx(np.mean(many.gradients))
    assert many.batch_means[0] == pytest.approx(np.mean(many.gradients[:size]))
    for step, after, before in zip(
        batch.step.weights, batch.after.weights, numbers.untrained.weights, strict=True
    ):
        assert np.allclose(step, after - before, atol=1e-12)
