"""The derivative tree as data: the graph the chain rule walks.

Nodes are quantities (w, b, a, z, y, C0) with their values; an edge from an
input to the quantity it feeds carries the local derivative ∂parent/∂child.
The derivative of C0 with respect to a node is the sum, over every path from
that node up to C0, of the product of the edges along the path. That is the
chain rule, and the tests check that it equals backpropagation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bpcalc.core.network import Forward, Network, cost_slope, cost_terms, sigmoid_prime

__all__ = ["Node", "Edge", "DerivativeTree", "node_key", "chain_tree", "digits_tree", "COST"]

COST = "C0"


def node_key(symbol: str, layer: int | None = None, *index: int) -> str:
    """A node's name: ``w3`` in the chain, ``w2_4_7`` for w_47^(2) in the digits network."""
    if layer is None:
        return symbol
    return f"{symbol}{layer}" + "".join(f"_{i}" for i in index)


@dataclass(frozen=True)
class Node:
    """A quantity in the network: ``symbol`` (w, b, a, z, y, C0), its layer and indices."""

    key: str
    symbol: str
    layer: int | None
    index: tuple[int, ...]
    value: float


@dataclass(frozen=True)
class Edge:
    """``child`` feeds ``parent``; ``value`` is the local derivative ∂parent/∂child."""

    child: str
    parent: str
    value: float


@dataclass(frozen=True)
class DerivativeTree:
    """Nodes by key and the edges between them, ending at C0."""

    nodes: dict[str, Node]
    edges: tuple[Edge, ...]

    def paths(self, start: str, end: str = COST) -> list[tuple[Edge, ...]]:
        """Every path of edges from ``start`` up to ``end``."""
        if start == end:
            return [()]
        found: list[tuple[Edge, ...]] = []
        for edge in self.edges:
            if edge.child == start:
                found.extend((edge, *rest) for rest in self.paths(edge.parent, end))
        return found

    @staticmethod
    def path_product(path: tuple[Edge, ...]) -> float:
        """The chain rule along one path: the product of its local derivatives."""
        return math.prod(edge.value for edge in path)

    def derivative(self, start: str, end: str = COST) -> float:
        """∂end/∂start: the sum over paths of the products along them."""
        return sum(self.path_product(path) for path in self.paths(start, end))


def _add_neuron_edges(
    nodes: dict[str, Node],
    edges: list[Edge],
    net: Network,
    fwd: Forward,
    layer: int,
    j: int,
    inputs: list[int],
) -> None:
    """z_j^(layer) ← w_jk, a_k, b_j for the given k, then a_j ← z_j."""
    w, b = net.weights[layer - 1], net.biases[layer - 1]
    z_key, a_key = node_key("z", layer, j), node_key("a", layer, j)
    nodes[z_key] = Node(z_key, "z", layer, (j,), float(fwd.z[layer - 1][j]))
    nodes[a_key] = Node(a_key, "a", layer, (j,), float(fwd.a[layer][j]))
    b_key = node_key("b", layer, j)
    nodes[b_key] = Node(b_key, "b", layer, (j,), float(b[j]))
    edges.append(Edge(b_key, z_key, 1.0))
    for k in inputs:
        w_key, prev_key = node_key("w", layer, j, k), node_key("a", layer - 1, k)
        nodes[w_key] = Node(w_key, "w", layer, (j, k), float(w[j, k]))
        nodes.setdefault(prev_key, Node(prev_key, "a", layer - 1, (k,), float(fwd.a[layer - 1][k])))
        edges.append(Edge(w_key, z_key, float(fwd.a[layer - 1][k])))
        edges.append(Edge(prev_key, z_key, float(w[j, k])))
    edges.append(Edge(z_key, a_key, float(sigmoid_prime(fwd.z[layer - 1][j]))))


def _add_cost(
    nodes: dict[str, Node], edges: list[Edge], fwd: Forward, y: np.ndarray, outputs: list[int]
) -> None:
    """C0 = Σ_i (a_i − y_i)², with an edge from each output in ``outputs`` and its y_i."""
    a_out, last = fwd.a[-1], len(fwd.z)
    nodes[COST] = Node(COST, COST, None, (), float(np.sum(cost_terms(a_out, y))))
    for i in outputs:
        y_key = f"y_{i}"
        nodes[y_key] = Node(y_key, "y", None, (i,), float(y[i]))
        slope = float(cost_slope(a_out[i], y[i]))
        edges.append(Edge(node_key("a", last, i), COST, slope))
        edges.append(Edge(y_key, COST, -slope))


def chain_tree(net: Network, fwd: Forward, y: np.ndarray) -> DerivativeTree:
    """The whole tree of a one-neuron-per-layer chain: keys ``w3``, ``a2``, ``C0``, ``y``."""
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    for layer in range(1, len(net.weights) + 1):
        _add_neuron_edges(nodes, edges, net, fwd, layer, 0, [0])
    _add_cost(nodes, edges, fwd, np.atleast_1d(y), [0])
    # The chain has one neuron per layer, so drop the "_0" indices from its keys.
    rename = {key: key.split("_")[0] for key in nodes}
    nodes = {rename[k]: Node(rename[k], n.symbol, n.layer, (), n.value) for k, n in nodes.items()}
    edges = [Edge(rename[e.child], rename[e.parent], e.value) for e in edges]
    return DerivativeTree(nodes, tuple(edges))


def digits_tree(
    net: Network, fwd: Forward, y: np.ndarray, layer: int, j: int, k: int
) -> DerivativeTree:
    """Everything downstream of w_jk^(layer) in the digits network, up to C0.

    From z_j^(layer) onwards every neuron of every later layer is included, so
    the sum over paths from ``w{layer}_{j}_{k}`` (or from ``a{layer-1}_{k}``
    through this one neuron) is the full chain rule.
    """
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    _add_neuron_edges(nodes, edges, net, fwd, layer, j, [k])
    reached = [j]
    for later in range(layer + 1, len(net.weights) + 1):
        for i in range(net.sizes[later]):
            _add_neuron_edges(nodes, edges, net, fwd, later, i, reached)
        reached = list(range(net.sizes[later]))
    _add_cost(nodes, edges, fwd, y, reached)
    return DerivativeTree(nodes, tuple(edges))
