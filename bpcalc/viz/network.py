"""The digits network drawn as 3Blue1Brown draws it, and the digit as a pixel grid.

Neurons are circles filled white by activation; edges are blue (positive) or
red (negative) and thicker and brighter for larger weights. The 64 inputs are
drawn as a column of small pixels, the flattened image. Everything is built
once; scenes animate between prebuilt states, never rebuild per frame.
"""

from __future__ import annotations

import numpy as np
from manim import BLACK, DOWN, GREY_B, GREY_D, RIGHT, WHITE, Circle, Line, Square, VGroup

from bpcalc.network import Network
from bpcalc.viz.book import NumberBook
from bpcalc.viz.palette import weight_color

__all__ = ["PixelGrid", "NetworkDiagram", "edge_style"]

BRIGHT = 0.5  # above this a pixel's or neuron's label turns black


class PixelGrid(VGroup):
    """The 8×8 image: squares lit by their input, the grey level (0–16) written inside."""

    def __init__(
        self,
        book: NumberBook,
        image: np.ndarray,
        cell: float = 0.55,
        font_size: float = 18,
        show_levels: bool = True,
    ) -> None:
        self.cells = VGroup()
        self.levels = VGroup()
        rows, cols = image.shape
        for row in range(rows):
            for col in range(cols):
                square = Square(side_length=cell, stroke_color=GREY_D, stroke_width=1)
                square.set_fill(WHITE, opacity=float(image[row, col]))
                square.move_to([col * cell, -row * cell, 0])
                self.cells.add(square)
                if show_levels:
                    color = BLACK if image[row, col] > BRIGHT else GREY_B
                    level = book.number(f"level_{row}_{col}", color, font_size)
                    self.levels.add(level.move_to(square))
        super().__init__(self.cells, self.levels)
        self.center()


def edge_style(weight: float, largest: float) -> dict[str, float | str]:
    """Stroke of an edge for a weight: colour by sign, width and opacity by size."""
    size = min(abs(weight) / largest, 1.0)
    return {"color": weight_color(weight), "width": 0.3 + 2.2 * size, "opacity": 0.1 + 0.7 * size}


class NetworkDiagram(VGroup):
    """Layers of neurons and the weighted edges between them.

    ``layers[0]`` is the input column (one small square per pixel),
    ``layers[l]`` the circles of layer l, ``edges[l - 1]`` the lines into layer
    l with ``edges[l - 1][j][k]`` from neuron k to neuron j. Neurons start
    empty; :meth:`light` fills them with a run's activations.

    ``first_layer`` draws only the layers from there on (all circles), e.g.
    ``first_layer=2`` for the last two layers of 64-16-16-10; indices into
    ``layers`` and :meth:`light` stay the network's own layer numbers.
    """

    def __init__(
        self,
        book: NumberBook,
        net: Network,
        height: float = 6.6,
        layer_gap: float = 2.3,
        radius: float = 0.16,
        first_layer: int = 0,
    ) -> None:
        self.book, self.net, self.first_layer = book, net, first_layer
        sizes = net.sizes
        self.layers: list[VGroup] = [VGroup() for _ in range(first_layer)]  # not drawn
        for layer in range(first_layer, len(sizes)):
            self.layers.append(
                self._column(sizes[layer], layer == 0, height, radius).move_to(
                    RIGHT * (layer - first_layer) * layer_gap
                )
            )
        self.edges = VGroup(
            *(self._edges(layer, net) for layer in range(first_layer + 1, len(sizes)))
        )
        super().__init__(self.edges, *self.layers[first_layer:])
        self.center()

    @staticmethod
    def _column(size: int, pixels: bool, height: float, radius: float) -> VGroup:
        """Small squares for the flattened pixels, circles for neurons; all start dark."""
        if pixels:
            cell = height / size
            squares = VGroup(
                *(
                    Square(side_length=cell * 0.9, stroke_width=0.5, stroke_color=GREY_D)
                    for _ in range(size)
                )
            )
            return squares.set_fill(WHITE, opacity=0).arrange(DOWN, buff=cell * 0.1)
        circles = VGroup(
            *(Circle(radius=radius, color=WHITE, stroke_width=1.5) for _ in range(size))
        )
        circles.set_fill(WHITE, opacity=0)
        return circles.arrange(DOWN, buff=min(height / size - 2 * radius, 0.5))

    def into(self, layer: int) -> VGroup:
        """The edges into ``layer``: ``into(layer)[j][k]`` from k to j."""
        return self.edges[layer - self.first_layer - 1]

    def _edges(self, layer: int, net: Network) -> VGroup:
        weights = net.weights[layer - 1]
        largest = float(np.abs(weights).max())
        into = VGroup()
        for j, target in enumerate(self.layers[layer]):
            row = VGroup()
            for k, source in enumerate(self.layers[layer - 1]):
                style = edge_style(float(weights[j, k]), largest)
                row.add(
                    Line(
                        source.get_right(),
                        target.get_left(),
                        stroke_color=style["color"],
                        stroke_width=style["width"],
                        stroke_opacity=style["opacity"],
                    )
                )
            into.add(row)
        return into

    def restyled_edges(self, net: Network) -> VGroup:
        """A copy of the edges styled by another network's weights (to transform into)."""
        edges = self.edges.copy()
        for layer, into in enumerate(edges, start=self.first_layer + 1):
            weights = net.weights[layer - 1]
            largest = float(np.abs(weights).max())
            for j, row in enumerate(into):
                for k, line in enumerate(row):
                    style = edge_style(float(weights[j, k]), largest)
                    line.set_stroke(style["color"], style["width"], style["opacity"])
        return edges

    def activation(self, tag: str, layer: int, j: int) -> float:
        return self.book.quantities[f"{tag}.a{layer}_{j}"]

    def light(self, tag: str, layer: int) -> list:
        """Animations filling ``layer`` with the activations of run ``tag`` (``d`` or ``u``)."""
        return [
            neuron.animate.set_fill(WHITE, opacity=self.activation(tag, layer, j))
            for j, neuron in enumerate(self.layers[layer])
        ]
