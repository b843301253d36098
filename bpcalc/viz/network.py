"""The digits network drawn as 3Blue1Brown draws it, and the digit as a pixel grid.

Neurons are circles filled white by activation; edges are blue (positive) or
red (negative) and thicker and brighter for larger weights. The 64 inputs are
drawn as a column of small pixels, the flattened image. Everything is built
once; scenes animate between prebuilt states, never rebuild per frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    BLACK,
    DOWN,
    GREY_B,
    GREY_D,
    LEFT,
    ORIGIN,
    RIGHT,
    WHITE,
    Animation,
    Circle,
    Line,
    MathTypst,
    MoveToTarget,
    Square,
    Typst,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
)

from bpcalc.core.network import Network
from bpcalc.numbers.quantities import Layer, activation, grey_level
from bpcalc.viz.book import NumberBook
from bpcalc.viz.palette import BRIGHT, weight_color
from bpcalc.viz.states import Stroke
from bpcalc.viz.typography import TYPE

__all__ = ["PixelGrid", "NetworkDiagram", "edge_style", "edge_width", "WeightLegend"]

STYLE_LEVELS = 8  # bundled edges: this many widths per sign
# An edge's width and opacity grow with the square root of its size (|w| over the largest
# drawn): the smallest weights keep a visible hairline, and sizes still compare, as the
# eye reads a line's area rather than its width.
EDGE_WIDTH_LEAST, EDGE_WIDTH_GAIN = 0.5, 1.8
EDGE_OPACITY_LEAST, EDGE_OPACITY_GAIN = 0.2, 0.6
PIXEL_EDGES_SHOWN = 0.3  # share of the pixel-to-first-layer edges drawn, the strongest


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
                    level = book.number(grey_level(row, col), color, font_size)
                    self.levels.add(level.move_to(square))
        super().__init__(self.cells, self.levels)
        self.center()


def edge_width(size: float) -> float:
    """The stroke width of an edge whose weight is ``size`` times the largest drawn: a
    square-root map with a visible least width, so no edge vanishes."""
    return EDGE_WIDTH_LEAST + EDGE_WIDTH_GAIN * float(np.sqrt(size))


def edge_opacity(size: float) -> float:
    """The opacity of an edge whose weight is ``size`` times the largest drawn (as its width)."""
    return EDGE_OPACITY_LEAST + EDGE_OPACITY_GAIN * float(np.sqrt(size))


def edge_style(weight: float, largest: float) -> dict[str, float | str]:
    """Stroke of an edge for a weight: colour by sign, width and opacity by size."""
    size = min(abs(weight) / largest, 1.0)
    return {"color": weight_color(weight), "width": edge_width(size), "opacity": edge_opacity(size)}


class NetworkDiagram(VGroup):
    """Layers of neurons and the weighted edges between them.

    ``layers[0]`` is the input column (one small square per pixel),
    ``layers[l]`` the circles of layer l, ``edges[l - 1]`` the lines into layer
    l with ``edges[l - 1][j][k]`` from neuron k to neuron j. Neurons start
    empty; :meth:`light` fills them with a run's activations.

    Edges come in bundles by style (fast); ``individual_edges=True`` makes
    them separate Lines that :meth:`into` can address one by one.
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
        individual_edges: bool = False,
        scale: Sequence[Network] = (),
    ) -> None:
        self.book, self.net, self.first_layer = book, net, first_layer
        # each layer's widest edge: the largest |w| of that layer over ``scale`` (networks
        # drawn one after another share one scale), else over ``net`` alone
        self.largest = [
            float(max(np.abs(n.weights[layer]).max() for n in (*scale, net)))
            for layer in range(len(net.weights))
        ]
        sizes = net.sizes
        self.layers: list[VGroup] = [VGroup() for _ in range(first_layer)]  # not drawn
        for layer in range(first_layer, len(sizes)):
            self.layers.append(
                self._column(sizes[layer], layer == 0, height, radius).move_to(
                    RIGHT * (layer - first_layer) * layer_gap
                )
            )
        self.individual_edges = individual_edges
        self.edges = self.edges_for(net)
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
        """The edges into ``layer``: ``into(layer)[j][k]`` from k to j (individual edges only)."""
        if not self.individual_edges:
            raise ValueError("edges are bundled; build with individual_edges=True")
        return self.edges[layer - self.first_layer - 1]

    def edges_for(self, net: Network) -> VGroup:
        """Edges styled by ``net``'s weights: the diagram's own, or another network's
        (to cross-fade from untrained to trained weights)."""
        build = self._lines if self.individual_edges else self._bundles
        return VGroup(*(build(layer, net) for layer in range(self.first_layer + 1, len(net.sizes))))

    def crossfade_edges(self, net: Network, own_scale: bool = False) -> Animation:
        """Fade the edges over to ``net``'s weights (e.g. untrained to trained);
        ``own_scale``: drawn to ``net``'s own largest |w| (a step, not weights).

        The new edges join :attr:`edges`, so they stay behind the neurons, and
        the fade only sets opacities: no copies of a thousand lines per frame.
        """
        old_edges = list(self.edges.submobjects)
        if own_scale:
            self.largest = [float(np.abs(w).max()) for w in net.weights]
        new_edges = self.edges_for(net)
        olds = self.edges.family_members_with_points()
        news = new_edges.family_members_with_points()
        old_opacity = [m.get_stroke_opacity() for m in olds]
        new_opacity = [m.get_stroke_opacity() for m in news]
        for mobject in news:
            mobject.set_stroke(opacity=0)
        self.edges.add(*new_edges.submobjects)

        def fade(edges: VGroup, alpha: float) -> None:
            for mobject, opacity in zip(olds, old_opacity, strict=True):
                mobject.set_stroke(opacity=opacity * (1 - alpha))
            for mobject, opacity in zip(news, new_opacity, strict=True):
                mobject.set_stroke(opacity=opacity * alpha)
            if alpha >= 1:
                edges.remove(*old_edges)

        return UpdateFromAlphaFunc(self.edges, fade)

    def edge_strokes(self, net: Network) -> list[Stroke]:
        """The stroke of every edge line (individual edges, in the order of
        ``edges.family_members_with_points()``) for ``net``'s weights, as the diagram
        draws them: to morph the edges from one network's weights to another's."""
        strokes: list[Stroke] = []
        for layer in range(self.first_layer + 1, len(net.sizes)):
            weights, largest = net.weights[layer - 1], self.largest[layer - 1]
            for weight in weights.flat:
                style = edge_style(float(weight), largest)
                strokes.append((style["color"], style["width"], style["opacity"]))
        return strokes

    def edge(self, layer: int, j: int, k: int) -> Line:
        """A line over the edge from neuron k of ``layer`` − 1 to neuron j of ``layer``,
        to single it out (bundled edges have none of their own)."""
        return Line(*self._ends(layer, j, k))

    def _ends(self, layer: int, j: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.layers[layer - 1][k].get_right(), self.layers[layer][j].get_left()

    def _lines(self, layer: int, net: Network) -> VGroup:
        """One Line per edge, addressable as ``[j][k]``, for scenes that single edges out."""
        weights, largest = net.weights[layer - 1], self.largest[layer - 1]
        into = VGroup()
        for j in range(weights.shape[0]):
            row = VGroup()
            for k in range(weights.shape[1]):
                style = edge_style(float(weights[j, k]), largest)
                row.add(
                    Line(
                        *self._ends(layer, j, k),
                        stroke_color=style["color"],
                        stroke_width=style["width"],
                        stroke_opacity=style["opacity"],
                    )
                )
            into.add(row)
        return into

    def _bundles(self, layer: int, net: Network) -> VGroup:
        """Edges grouped by sign and size into a few multi-path mobjects.

        A thousand separate Lines cost a thousand draws and copies a frame; a
        dozen bundles look the same and keep whole-network animations fast. From
        the pixels, only the strongest share of the connections is drawn
        (:data:`PIXEL_EDGES_SHOWN`): all 1,024 are a grey fog and slow to paint.
        """
        weights, largest = net.weights[layer - 1], self.largest[layer - 1]
        floor = np.quantile(np.abs(weights), 1 - PIXEL_EDGES_SHOWN) if layer == 1 else 0.0
        bundles: dict[tuple[bool, int], VMobject] = {}
        for (j, k), weight in np.ndenumerate(weights):
            if abs(weight) < floor:
                continue
            level = min(int(abs(weight) / largest * STYLE_LEVELS), STYLE_LEVELS - 1)
            bundle = bundles.setdefault((weight >= 0, level), VMobject())
            start, end = self._ends(layer, j, k)
            bundle.start_new_path(start)
            bundle.add_line_to(end)
        for (positive, level), bundle in bundles.items():
            typical = (level + 0.5) / STYLE_LEVELS * largest * (1 if positive else -1)
            style = edge_style(typical, largest)
            bundle.set_stroke(style["color"], style["width"], style["opacity"]).set_fill(opacity=0)
        return VGroup(*(bundles[key] for key in sorted(bundles)))

    def activation(self, run: str, layer: int, j: int) -> float:
        """a_j of the drawn ``layer`` (its number from the input) in ``run``."""
        named = Layer.numbered(layer, len(self.net.weights))
        return self.book.value(activation(named, j, run))

    def light(self, run: str, layer: int) -> list:
        """An animation filling ``layer`` with the activations of ``run`` (trained, untrained).

        One target for the whole column, so a layer costs one copy, not one per neuron.
        """
        column = self.layers[layer]
        column.generate_target()
        for j, neuron in enumerate(column.target):
            neuron.set_fill(WHITE, opacity=self.activation(run, layer, j))
        return [MoveToTarget(column)]

    def light_neuron(self, run: str, layer: int, j: int) -> Animation:
        """Neuron ``j`` of ``layer`` alone lit for ``run``: a column lit one neuron at a
        time, each with what is written beside it."""
        neuron = self.layers[layer][j]
        return neuron.animate.set_fill(WHITE, opacity=self.activation(run, layer, j))

    def digit_labels(self, font_size: float = TYPE.dense) -> VGroup:
        """The digit each output neuron stands for, right of it: which output is which."""
        outputs = self.layers[-1]
        return VGroup(
            *(
                MathTypst(str(j), font_size=font_size).next_to(neuron, RIGHT, buff=0.12)
                for j, neuron in enumerate(outputs)
            )
        )

    def darken(self) -> list[Animation]:
        """Every neuron after the inputs back to dark: a network not yet run on its input."""
        animations = []
        for column in self.layers[max(self.first_layer, 1) :]:
            column.generate_target()
            column.target.set_fill(WHITE, opacity=0)
            animations.append(MoveToTarget(column))
        return animations


class WeightLegend(VGroup):
    """What an edge says: its colour the weight's sign, its width and brightness its size.

    ``shared``: the networks drawn share one scale (the largest |w| of any of them), so
    widths compare across them; else each network is drawn to its own largest |w|.
    """

    def __init__(
        self,
        font_size: float = TYPE.label,
        length: float = 0.8,
        shared: bool = False,
        widths: bool = True,
    ) -> None:
        rows = []
        largest = "largest |w| of all shown" if shared else "the largest |w|"
        samples = [(0.8, True, "positive weight"), (-0.8, True, "negative weight")]
        if widths:  # a picture that reads only the signs leaves the widths out
            samples += [(0.1, False, "small |w|: thin, faint"), (1.0, False, f"{largest}: thick")]
        for share, by_sign, words in samples:  # drawn as edges are: a share of the largest
            style = edge_style(share, 1.0)
            color = style["color"] if by_sign else GREY_B
            line = Line(ORIGIN, RIGHT * length, stroke_color=color, stroke_width=style["width"])
            line.set_stroke(opacity=style["opacity"])
            rows.append(VGroup(line, Typst(words, font_size=font_size)).arrange(RIGHT, buff=0.2))
        super().__init__(*rows)
        self.arrange(DOWN, aligned_edge=LEFT, buff=0.18)
