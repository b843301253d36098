"""The cost of one example: a real handwritten digit through the trained network.

manim render -ql --save_sections scenes/digit_cost.py DigitCost
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    LaggedStart,
    MathTypst,
    SurroundingRectangle,
    TransformFromCopy,
    VGroup,
    Write,
)

from bpcalc.viz import (
    HIGHLIGHT,
    LABEL,
    OUTPUT,
    TARGET,
    TRAINED,
    TYPE,
    UNTRAINED,
    Appear,
    NetworkDiagram,
    PixelGrid,
    Q,
    StoryScene,
    Vanish,
    activation,
    cost,
    cost_term,
    target,
)


class DigitCost(StoryScene):
    """Four beats: the digit, the forward pass, the cost, and the untrained contrast."""

    story = "digits"
    story_order = 1
    title = "The cost of one handwritten digit"
    poster_beat = "cost"  # its last frame is the poster

    def construct(self) -> None:
        self.digits = self.book.story.digits
        self.show_digit()
        self.feed_forward()
        self.cost_of_example()
        self.untrained_contrast()

    def show_digit(self) -> None:
        self.beat("digit")
        example = self.digits.example
        self.grid = PixelGrid(self.book, example.image).shift(DOWN * 0.3)
        self.heading = self.caption(
            "A real handwritten",
            Q(LABEL, TARGET),
            "from the test set, pixel by pixel, with its grey levels",
        )
        self.play(Appear(self.heading))
        self.play(Appear(self.grid.cells, shift=UP * 0.2))
        self.play(Appear(self.grid.levels))
        self.wait(5)

    def feed_forward(self) -> None:
        self.beat("forward-pass")
        # laid out once, with room on the right for the cost: the network never moves
        self.net = NetworkDiagram(self.book, self.digits.network, height=5.8, layer_gap=1.8)
        self.net.move_to(LEFT * 1.8 + UP * 0.2)
        self.play(
            Vanish(self.grid.levels),
            Vanish(self.heading),
            self.grid.cells.animate.scale(0.4).to_edge(LEFT, buff=0.3),
        )
        inputs = self.net.layers[0]
        lit = inputs.copy()
        for j, square in enumerate(lit):
            square.set_fill(opacity=self.net.activation(TRAINED, 0, j))
        self.play(TransformFromCopy(self.grid.cells, lit), run_time=2)
        self.remove(lit)
        self.add(self.net.edges, *self.net.layers)
        self.net.layers[0].become(lit)
        self.play(Create(self.net.edges), Appear(VGroup(*self.net.layers[1:])), run_time=1)
        self.outputs = VGroup(
            *(
                MathTypst(str(j), font_size=TYPE.dense).next_to(neuron, RIGHT, buff=0.2)
                for j, neuron in enumerate(self.net.layers[-1])
            )
        )
        self.play(Appear(self.outputs))
        for layer in range(1, len(self.net.layers)):
            self.bring_to_front(self.net.layers[layer])  # only the moving column is redrawn
            self.play(*self.net.light(TRAINED, layer), run_time=0.8)
        guess = self.net.layers[-1][self.digits.example.prediction]
        self.pick = SurroundingRectangle(
            VGroup(guess, self.outputs[self.digits.example.prediction]), color=HIGHLIGHT, buff=0.08
        )
        self.play(Create(self.pick))
        self.wait(3)

    def cost_rows(self, run: str) -> VGroup:
        """(a_j − y_j)² = value, one row beside each output neuron."""
        rows = VGroup()
        for j, label in enumerate(self.outputs):
            row = self.book.row(
                "(",
                activation(OUTPUT, j, run),
                "-",
                target(j),
                ")^2 =",
                cost_term(j, run),
                font_size=TYPE.dense,
            )
            rows.add(row.next_to(label, RIGHT, buff=0.35))
        return rows

    def cost_of_example(self) -> None:
        self.beat("cost")
        self.play(Vanish(self.grid.cells), Vanish(self.pick))
        self.rows = self.cost_rows(TRAINED)
        for row in self.rows:
            row.align_to(self.rows[0], LEFT)
        self.play(
            LaggedStart(*(Appear(row, shift=LEFT * 0.2) for row in self.rows), lag_ratio=0.15)
        )
        self.wait(5)
        self.total = self.book.row(
            "C_0 = scripts(sum)_j (a_j - y_j)^2 =", cost(TRAINED), font_size=TYPE.formula
        )
        self.total.to_corner(DOWN + RIGHT, buff=0.35)
        self.box = SurroundingRectangle(self.total[-1], color=HIGHLIGHT, buff=0.1)
        self.play(Write(self.total), Create(self.box))
        self.wait(5)

    def untrained_contrast(self) -> None:
        self.beat("untrained")
        note = self.caption("The same", Q(LABEL, TARGET), "through the untrained network")
        self.play(Appear(note))
        self.play(self.net.crossfade_edges(self.digits.untrained), run_time=0.6)
        for layer in range(1, len(self.net.layers)):
            self.bring_to_front(self.net.layers[layer])
            self.play(*self.net.light(UNTRAINED, layer), run_time=0.6)
        untrained_rows = self.cost_rows(UNTRAINED)
        for row in untrained_rows:
            row.align_to(self.rows[0], LEFT)
        untrained_total = self.book.row(
            "C_0 = scripts(sum)_j (a_j - y_j)^2 =", cost(UNTRAINED), font_size=TYPE.formula
        ).to_corner(DOWN + RIGHT, buff=0.35)
        self.play(Vanish(self.rows, shift=UP * 0.15))
        self.play(Appear(untrained_rows, shift=UP * 0.15))
        box = SurroundingRectangle(untrained_total[-1], color=HIGHLIGHT, buff=0.1)
        self.play(Vanish(self.total, self.box, shift=UP * 0.2))
        self.play(Appear(untrained_total, shift=UP * 0.2), Create(box))
        self.wait(6)
