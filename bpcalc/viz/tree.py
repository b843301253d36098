"""The derivative tree as a picture, built from the core's tree data.

C0 at the top, y joining it; below, a^(L), z^(L), then the row w^(L),
a^(L−1), b^(L) that feeds z^(L). Each further layer hangs below a^(L−1) the
same way, so the tree grows by a layer to reach the earlier weights.
Each node shows its symbol and, under it, its value from the core.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, GREY_B, Line, MathTypst, VGroup

from bpcalc.core.tree import DerivativeTree
from bpcalc.numbers.quantities import (
    OUTPUT,
    Quantity,
    activation,
    bias,
    cost,
    target,
    weight,
    weighted_input,
)
from bpcalc.numbers.values import node_quantity
from bpcalc.viz.book import NumberBook
from bpcalc.viz.symbols import symbol
from bpcalc.viz.typography import TYPE

__all__ = ["TreeDiagram"]


class TreeDiagram(VGroup):
    """Nodes and edges of the chain's derivative tree for the last ``layers`` layers.

    ``nodes[quantity]`` is a node (its symbol over its value); ``edges[child, parent]``
    the line between two. Everything is built up front (positions fixed, so
    growing never shifts what is on screen); scenes reveal it with :meth:`growth`.
    """

    def __init__(
        self,
        tree: DerivativeTree,
        book: NumberBook,
        depth: int,
        layers: int = 2,
        step_x: float = 1.45,
        step_y: float = 1.15,
        font_size: float = TYPE.formula,
        value_size: float = TYPE.label,
    ) -> None:
        self.tree = tree
        self.quantity_of = {key: node_quantity(node, depth) for key, node in tree.nodes.items()}
        self.key_of = {quantity: key for key, quantity in self.quantity_of.items()}
        places = {cost(): (0.5, 0), target(): (1, -1)}
        for back in range(layers):
            layer = OUTPUT - back
            top = -1 - 2 * back
            places |= {
                activation(layer): (0, top),
                weighted_input(layer): (0, top - 1),
                weight(layer): (-1, top - 2),
                activation(layer - 1): (0, top - 2),
                bias(layer): (1, top - 2),
            }
        self.nodes: dict[Quantity, VGroup] = {}
        for quantity, (col, row) in places.items():
            color = book.color(quantity)
            glyph = MathTypst(symbol(quantity), font_size=font_size, color=color)
            number = book.number(quantity, color, value_size).next_to(glyph, DOWN, buff=0.08)
            node = VGroup(glyph, number)
            node.shift(np.array([col * step_x, row * step_y, 0]) - glyph.get_center())
            self.nodes[quantity] = node
        self.edges: dict[tuple[Quantity, Quantity], Line] = {}
        for edge in tree.edges:
            child, parent = self.quantity_of[edge.child], self.quantity_of[edge.parent]
            if child in self.nodes and parent in self.nodes:
                self.edges[child, parent] = Line(
                    self.nodes[child].get_top(),
                    self.nodes[parent].get_bottom(),
                    buff=0.12,
                    color=GREY_B,
                    stroke_width=2.5,
                )
        super().__init__(*self.edges.values(), *self.nodes.values())

    def growth(self, back: int) -> list[tuple[Quantity, list[Line]]]:
        """Order in which layer ``L − back`` appears: each node with the edges it completes."""
        layer = OUTPUT - back
        order = [weighted_input(layer), weight(layer), activation(layer - 1), bias(layer)]
        if back == 0:
            order = [*order[1:], order[0], activation(layer), target(), cost()]
        shown = {quantity for earlier in range(back) for quantity, _ in self.growth(earlier)}
        steps = []
        for quantity in order:
            shown.add(quantity)
            completed = [
                line
                for (child, parent), line in self.edges.items()
                if quantity in (child, parent) and child in shown and parent in shown
            ]
            steps.append((quantity, completed))
        return steps

    def path(self, start: Quantity) -> list[Line]:
        """The edges of the (single) path from ``start`` up to C0."""
        (path,) = self.tree.paths(self.key_of[start])
        return [self.edges[self.quantity_of[e.child], self.quantity_of[e.parent]] for e in path]

    def path_quantities(self, start: Quantity) -> list[tuple[Quantity, Quantity]]:
        """The (child, parent) pairs along the path from ``start`` up to C0."""
        (path,) = self.tree.paths(self.key_of[start])
        return [(self.quantity_of[e.child], self.quantity_of[e.parent]) for e in path]
