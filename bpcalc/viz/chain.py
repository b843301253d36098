"""The chain network drawn as 3Blue1Brown draws it: circles lit by activation."""

from __future__ import annotations

from manim import DOWN, RIGHT, UP, Line, MathTypst, VGroup

from bpcalc.numbers import ChainNumbers
from bpcalc.numbers.quantities import OUTPUT, Layer, activation, bias, target, weight
from bpcalc.viz.book import NumberBook
from bpcalc.viz.palette import TARGET, weight_color
from bpcalc.viz.story import neuron
from bpcalc.viz.symbols import symbol
from bpcalc.viz.typography import TYPE

__all__ = ["NeuronChain"]


class NeuronChain(VGroup):
    """One neuron per layer, with weights on the edges and biases under the neurons.

    Parts by layer index (0 = input): ``neurons[l]``, ``edges[l - 1]``,
    ``weight_labels[l - 1]``, ``bias_labels[l - 1]``, ``layer_labels[l]``; and
    ``y_label``, the desired output y beside the last neuron.
    """

    def __init__(
        self,
        chain: ChainNumbers,
        book: NumberBook,
        spacing: float = 2.7,
        radius: float = 0.42,
        font_size: float = TYPE.label + 2,
    ) -> None:
        depth = chain.depth
        layers = [Layer.numbered(number, depth) for number in range(depth + 1)]
        self.neurons = VGroup(
            *(neuron(book, activation(layer), radius, font_size) for layer in layers)
        ).arrange(RIGHT, buff=spacing)
        top = max(abs(w) for w in chain.w)
        self.edges = VGroup(
            *(
                Line(
                    self.neurons[layer - 1][0].get_right(),
                    self.neurons[layer][0].get_left(),
                    color=weight_color(chain.w[layer - 1]),
                    stroke_width=1.5 + 6 * abs(chain.w[layer - 1]) / top,
                )
                for layer in range(1, depth + 1)
            )
        )
        self.weight_labels = VGroup(
            *(
                book.row(f"{symbol(weight(layer))} =", weight(layer), font_size=font_size).next_to(
                    edge, UP, buff=0.2
                )
                for layer, edge in zip(layers[1:], self.edges, strict=True)
            )
        )
        for label, edge in zip(self.weight_labels, self.edges, strict=True):
            label[0].set_color(edge.get_color())
        self.bias_labels = VGroup(
            *(
                book.row(f"{symbol(bias(layer))} =", bias(layer), font_size=font_size).next_to(
                    circle, DOWN, buff=0.25
                )
                for layer, circle in zip(layers[1:], self.neurons[1:], strict=True)
            )
        )
        for label in self.bias_labels:
            label[0].set_color(book.color(bias(OUTPUT)))
        self.layer_labels = VGroup(
            *(
                MathTypst(symbol(activation(layer)), font_size=font_size + 6).next_to(
                    circle, UP, buff=0.2
                )
                for layer, circle in zip(layers, self.neurons, strict=True)
            )
        )
        self.y_label = book.row("y =", target(), font_size=font_size + 6)
        self.y_label[0].set_color(TARGET)
        self.y_label.next_to(self.neurons[-1], RIGHT, buff=0.45)
        super().__init__(
            self.edges, self.neurons, self.weight_labels, self.bias_labels, self.y_label
        )
        # The layer labels are shown later, on their own, but move with the chain.
        offset = -VGroup(*self.submobjects, self.layer_labels).get_center()
        self.shift(offset)
        self.layer_labels.shift(offset)

    def last_two(self) -> VGroup:
        """The focus of the chain rule: a^(L−1), the edge w^(L), a^(L), and y."""
        return VGroup(self.neurons[-2], self.edges[-1], self.neurons[-1], self.y_label)
