"""The derivative tree: products along paths and sums over paths equal backprop."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from bpcalc.core.network import backward, forward, init_network
from bpcalc.core.tree import chain_tree, digits_tree
from bpcalc.numbers import chain_numbers, digits_numbers
from bpcalc.params import Params


def test_chain_tree_paths_equal_backprop(params: Params) -> None:
    chain = chain_numbers(params)
    tree = chain.tree
    for layer in range(1, chain.depth + 1):
        i = layer - 1
        assert len(tree.paths(f"w{layer}")) == 1
        assert tree.derivative(f"w{layer}") == pytest.approx(chain.dC_dw[i], rel=1e-12)
        assert tree.derivative(f"b{layer}") == pytest.approx(chain.dC_db[i], rel=1e-12)
        assert tree.derivative(f"a{i}") == pytest.approx(chain.dC_da[i], rel=1e-12)


def test_chain_tree_last_weight_is_the_three_factor_product(params: Params) -> None:
    """∂C0/∂w^(L) = a^(L−1) · σ′(z^(L)) · 2(a^(L) − y), edge by edge."""
    chain = chain_numbers(params)
    L = chain.depth
    (path,) = chain.tree.paths(f"w{L}")
    assert [e.parent for e in path] == [f"z{L}", f"a{L}", "C0"]
    a, z, y = chain.a, chain.z, chain.y
    sig = 1 / (1 + math.exp(-z[L - 1]))
    expected = [a[L - 1], sig * (1 - sig), 2 * (a[L] - y)]
    assert [e.value for e in path] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("where", [(1, 3, 20), (2, 0, 0), (2, 5, 9), (3, 3, 7)])
def test_digits_tree_sum_over_paths_equals_backprop(params: Params, where) -> None:
    digits = digits_numbers(params)
    ex, net = digits.example, digits.network
    layer, j, k = where
    tree = digits_tree(net, ex.fwd, ex.y, layer, j, k)
    paths = tree.paths(f"w{layer}_{j}_{k}")
    assert len(paths) == math.prod(net.sizes[layer + 1 :])  # one path per later neuron choice
    assert tree.derivative(f"w{layer}_{j}_{k}") == pytest.approx(
        ex.grads.dC_dw[layer - 1][j, k], rel=1e-9, abs=1e-15
    )


def test_tree_on_a_random_wide_network() -> None:
    rng = np.random.default_rng(7)
    net = init_network((4, 3, 3, 2), rng)
    x, y = rng.uniform(size=4), np.array([1.0, 0.0])
    fwd = forward(net, x)
    grads = backward(net, fwd, y)
    tree = digits_tree(net, fwd, y, 1, 2, 3)
    assert tree.derivative("w1_2_3") == pytest.approx(grads.dC_dw[0][2, 3], rel=1e-10)
    # the path count of a chain built with the same code is one
    chain = init_network((1, 1, 1), rng)
    cfwd = forward(chain, np.array([0.3]))
    assert len(chain_tree(chain, cfwd, np.array([1.0])).paths("w1")) == 1


def test_configured_weight_tree(params: Params) -> None:
    digits = digits_numbers(params)
    wp = digits.weight
    key = f"w{wp.layer}_{wp.j}_{wp.k}"
    assert key in digits.tree.nodes
    expected = digits.example.grads.dC_dw[wp.layer - 1][wp.j, wp.k]
    assert digits.tree.derivative(key) == pytest.approx(expected, rel=1e-9, abs=1e-15)
    moved = dataclasses.replace(params, weight=dataclasses.replace(wp, j=1))
    assert f"w{wp.layer}_1_{wp.k}" in digits_numbers(moved).tree.nodes
