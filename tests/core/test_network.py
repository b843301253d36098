"""Backpropagation against central differences, on random networks."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bpcalc.core.gradcheck import gradient_check
from bpcalc.core.network import Network, backward, forward, init_network, sigmoid, sigmoid_prime


def mean_cost(net: Network, x: np.ndarray, y: np.ndarray) -> float:
    """C written out by hand, independent of bpcalc.core.network.cost."""
    a = x
    for w, b in zip(net.weights, net.biases, strict=True):
        a = 1.0 / (1.0 + np.exp(-(a @ w.T + b)))
    return float(np.mean(np.sum((a - y) ** 2, axis=-1)))


def finite_differences(net: Network, x: np.ndarray, y: np.ndarray, h: float = 1e-6):
    """Central differences of every weight and bias."""
    result = []
    for group in (net.weights, net.biases):
        grads = []
        for param in group:
            g = np.zeros_like(param)
            for i in np.ndindex(param.shape):
                keep = param[i]
                param[i] = keep + h
                up = mean_cost(net, x, y)
                param[i] = keep - h
                down = mean_cost(net, x, y)
                param[i] = keep
                g[i] = (up - down) / (2 * h)
            grads.append(g)
        result.append(grads)
    return result


networks = st.tuples(
    st.lists(st.integers(1, 5), min_size=2, max_size=5),
    st.integers(0, 2**32 - 1),
    st.integers(1, 4),
)


@settings(max_examples=40, deadline=None)
@given(networks)
def test_backprop_matches_finite_differences(case: tuple[list[int], int, int]) -> None:
    sizes, seed, batch = case
    rng = np.random.default_rng(seed)
    net = init_network(tuple(sizes), rng)
    net = Network(net.weights, tuple(rng.normal(size=b.shape) for b in net.biases))
    x = rng.uniform(0, 1, size=(batch, sizes[0]))
    y = rng.uniform(0, 1, size=(batch, sizes[-1]))
    grads = backward(net, forward(net, x), y)
    numeric_w, numeric_b = finite_differences(net, x, y)
    for analytic, numeric in zip(grads.dC_dw + grads.dC_db, numeric_w + numeric_b, strict=True):
        assert np.allclose(analytic, numeric, rtol=1e-5, atol=1e-9)


@settings(max_examples=20, deadline=None)
@given(networks)
def test_single_example_gradients_of_activations(case: tuple[list[int], int, int]) -> None:
    """dC_da of the input layer against nudging the input itself."""
    sizes, seed, _ = case
    rng = np.random.default_rng(seed)
    net = init_network(tuple(sizes), rng)
    x, y = rng.uniform(0, 1, sizes[0]), rng.uniform(0, 1, sizes[-1])
    grads = backward(net, forward(net, x), y)
    h = 1e-6
    for k in range(sizes[0]):
        step = np.eye(sizes[0])[k] * h
        numeric = (mean_cost(net, x + step, y) - mean_cost(net, x - step, y)) / (2 * h)
        assert abs(grads.dC_da[0][k] - numeric) < 1e-7


def test_sigmoid_prime_is_the_slope() -> None:
    z = np.linspace(-8, 8, 33)
    h = 1e-6
    assert np.allclose(sigmoid_prime(z), (sigmoid(z + h) - sigmoid(z - h)) / (2 * h), atol=1e-9)


def test_sigmoid_does_not_overflow() -> None:
    assert sigmoid(-1000.0) == 0.0 and sigmoid(1000.0) == 1.0


def test_gradient_check_catches_a_wrong_gradient(monkeypatch) -> None:
    """The checker behind `bpcalc check` must fail when backprop is wrong."""
    import bpcalc.core.gradcheck as gc

    rng = np.random.default_rng(0)
    net = init_network((3, 2, 2), rng)
    x, y = rng.uniform(size=3), np.array([0.0, 1.0])
    assert gradient_check(net, x, y).max_relative_error < 1e-6

    def wrong_backward(*args):
        g = backward(*args)
        return type(g)(tuple(w * 1.01 for w in g.dC_dw), g.dC_db, g.dC_dz, g.dC_da)

    monkeypatch.setattr(gc, "backward", wrong_backward)
    assert gradient_check(net, x, y).max_relative_error > 5e-3
