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
from bpcalc.viz.book import NumberBook
from bpcalc.viz.palette import color_of, weight_color
from bpcalc.viz.symbols import split_key, symbol

__all__ = ["TreeDiagram"]


class TreeDiagram(VGroup):
    """Nodes and edges of the chain's derivative tree for the last ``layers`` layers.

    Everything is built up front (positions fixed, so growing never shifts
    what is on screen); scenes reveal it with :meth:`growth`.
    """

    def __init__(
        self,
        tree: DerivativeTree,
        book: NumberBook,
        depth: int,
        layers: int = 2,
        step_x: float = 1.45,
        step_y: float = 1.15,
        font_size: float = 34,
        value_size: float = 24,
    ) -> None:
        self.tree, self.chain_depth = tree, depth
        self.nodes: dict[str, VGroup] = {}
        places = {"C0": (0.5, 0), "y": (1, -1)}
        for back in range(layers):
            layer = depth - back
            top = -1 - 2 * back
            places |= {
                f"a{layer}": (0, top),
                f"z{layer}": (0, top - 1),
                f"w{layer}": (-1, top - 2),
                f"a{layer - 1}": (0, top - 2),
                f"b{layer}": (1, top - 2),
            }
        for key, (col, row) in places.items():
            name, _ = split_key(key)
            value = tree.nodes[key].value
            color = weight_color(value) if name == "w" else color_of(name)
            glyph = MathTypst(symbol(key, depth), font_size=font_size, color=color)
            number = book.number(key, color, value_size).next_to(glyph, DOWN, buff=0.08)
            node = VGroup(glyph, number)
            node.shift(np.array([col * step_x, row * step_y, 0]) - glyph.get_center())
            self.nodes[key] = node
        self.edges: dict[tuple[str, str], Line] = {}
        for edge in tree.edges:
            if edge.child in self.nodes and edge.parent in self.nodes:
                self.edges[edge.child, edge.parent] = Line(
                    self.nodes[edge.child].get_top(),
                    self.nodes[edge.parent].get_bottom(),
                    buff=0.12,
                    color=GREY_B,
                    stroke_width=2.5,
                )
        super().__init__(*self.edges.values(), *self.nodes.values())

    def growth(self, back: int) -> list[tuple[str, list[Line]]]:
        """Order in which layer ``L − back`` appears: each node with the edges it completes."""
        layer = self.chain_depth - back
        if back == 0:
            order = [f"w{layer}", f"a{layer - 1}", f"b{layer}", f"z{layer}", f"a{layer}", "y", "C0"]
        else:
            order = [f"z{layer}", f"w{layer}", f"a{layer - 1}", f"b{layer}"]
        shown = {key for earlier in range(back) for key, _ in self.growth(earlier)}
        steps = []
        for key in order:
            shown.add(key)
            steps.append(
                (
                    key,
                    [
                        line
                        for (c, p), line in self.edges.items()
                        if key in (c, p) and c in shown and p in shown
                    ],
                )
            )
        return steps

    def path(self, start: str) -> list[Line]:
        """The edges of the (single) path from ``start`` up to C0."""
        (path,) = self.tree.paths(start)
        return [self.edges[edge.child, edge.parent] for edge in path]
