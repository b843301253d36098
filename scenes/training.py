"""The network learns: cost and accuracy over training, the weights, the outputs.

manim render -ql --save_sections scenes/training.py Training
"""

from __future__ import annotations

from collections.abc import Callable

from manim import (
    DOWN,
    GREY_B,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    LaggedStart,
    MathTypst,
    Rectangle,
    Typst,
    VGroup,
)

from bpcalc.viz import (
    COST,
    EPOCHS,
    LABEL,
    OUTPUT,
    TARGET,
    TRAINED,
    TYPE,
    UNTRAINED,
    W_POSITIVE,
    Appear,
    NetworkDiagram,
    Q,
    Quantity,
    StoryScene,
    Vanish,
    activation,
    cost,
    epoch_accuracy,
    epoch_cost,
)

SMALL = TYPE.label


class Training(StoryScene):
    """Three beats: the learning curves, the weights changing, the outputs before and after."""

    story = "digits"
    story_order = 7
    title = "Training: every step downhill"
    poster_beat = "outputs"  # its last frame is the poster

    def construct(self) -> None:
        self.digits = self.book.story.digits
        self.epochs = len(self.digits.epoch_cost) - 1
        self.learning_curves()
        self.weights_change()
        self.outputs_before_after()

    def curve(self, history: Callable[[int], Quantity], values, color, label: str) -> VGroup:
        """A history against epochs, with its first and last values written at its ends."""
        top = max(1.0, float(max(values)))
        axes = Axes(
            x_range=[0, self.epochs, max(1, self.epochs // 6)],
            y_range=[0, top, top / 4],
            x_length=5.2,
            y_length=3.0,
            tips=False,
            axis_config={"include_numbers": False, "color": GREY_B, "tick_size": 0.04},
        )
        graph = axes.plot_line_graph(
            list(range(self.epochs + 1)),
            [float(v) for v in values],
            line_color=color,
            add_vertex_dots=False,
            stroke_width=4,
        )
        first = self.book.number(history(0), color, SMALL)
        last = self.book.number(history(self.epochs), color, SMALL)
        first.next_to(axes.c2p(0, float(values[0])), RIGHT + UP, buff=0.1)
        last.next_to(axes.c2p(self.epochs, float(values[-1])), UP, buff=0.15)
        x_label = Typst("epoch", font_size=SMALL).next_to(axes.x_axis, DOWN, buff=0.15)
        title = Typst(label, font_size=SMALL + 4).next_to(axes, UP, buff=0.35)
        return VGroup(axes, graph, first, last, x_label, title)

    def learning_curves(self) -> None:
        self.beat("curves")
        caption = self.caption(
            "Training on the real digits:", EPOCHS, "passes of mini-batch gradient descent"
        )
        costs = self.curve(epoch_cost, self.digits.epoch_cost, COST, "mean cost on training set")
        accuracy = self.curve(
            epoch_accuracy, self.digits.epoch_accuracy, W_POSITIVE, "accuracy on test set"
        )
        charts = VGroup(costs, accuracy).arrange(RIGHT, buff=1.2).shift(DOWN * 0.4)
        self.play(Appear(caption))
        for chart in charts:
            axes, graph, first, last, x_label, title = chart
            self.play(Create(axes), Appear(x_label), Appear(title), Appear(first))
            self.play(Create(graph), run_time=2)
            self.play(Appear(last, shift=UP * 0.1))
            self.wait(1.5)
        self.wait(2.5)
        self.charts, self.heading = charts, caption

    def weights_change(self) -> None:
        self.beat("weights")
        self.play(Vanish(self.charts), Vanish(self.heading))
        net = NetworkDiagram(self.book, self.digits.untrained, height=6.0, layer_gap=2.6)
        net.move_to(DOWN * 0.3)
        before = Typst("the untrained weights (random)", font_size=SMALL + 4).to_edge(UP, 0.3)
        after = Typst("the trained weights", font_size=SMALL + 4).to_edge(UP, 0.3)
        self.add(net.edges)
        self.play(Appear(before), Create(net.edges), Appear(VGroup(*net.layers)), run_time=1.5)
        self.wait(2)
        self.play(
            net.crossfade_edges(self.digits.network), Vanish(before), Appear(after), run_time=1.2
        )
        self.wait(3)
        self.network, self.network_title = net, after

    def bars(self, run: str, title: str) -> VGroup:
        """The ten outputs for the example as bars, each with its value."""
        rows = VGroup()
        for j in range(len(self.digits.example.y)):
            value = self.book.value(activation(OUTPUT, j, run))
            digit = MathTypst(str(j), font_size=SMALL, color=TARGET if j == self.label else None)
            bar = Rectangle(width=max(3.0 * value, 0.02), height=0.3, stroke_width=0)
            bar.set_fill(TARGET if j == self.label else "#FFFFFF", 0.85)
            number = self.book.number(activation(OUTPUT, j, run), font_size=SMALL)
            row = VGroup(digit, bar, number).arrange(RIGHT, buff=0.2)
            bar.align_to(digit, LEFT).shift(RIGHT * 0.4)
            number.next_to(bar, RIGHT, buff=0.2)
            rows.add(row)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        heading = Typst(title, font_size=SMALL + 2).next_to(rows, UP, buff=0.3)
        return VGroup(heading, rows)

    def outputs_before_after(self) -> None:
        self.beat("outputs")
        self.label = self.digits.example.label
        self.play(
            Vanish(self.network.edges),
            Vanish(VGroup(*self.network.layers)),
            Vanish(self.network_title),
        )
        caption = self.caption("The outputs for the handwritten", Q(LABEL, TARGET))
        before = self.bars(UNTRAINED, "before training")
        after = self.bars(TRAINED, "after training")
        costs = [
            self.book.row("C_0 =", cost(run), font_size=TYPE.number) for run in (UNTRAINED, TRAINED)
        ]
        panels = VGroup(
            *(
                VGroup(b, c).arrange(DOWN, buff=0.35)
                for b, c in zip((before, after), costs, strict=True)
            )
        )
        panels.arrange(RIGHT, buff=1.6, aligned_edge=UP).next_to(caption, DOWN, buff=0.35)
        self.play(Appear(caption))
        for panel in panels:
            bars, total = panel
            self.play(
                Appear(bars[0]),
                LaggedStart(*(Appear(r, shift=RIGHT * 0.2) for r in bars[1]), lag_ratio=0.08),
            )
            self.play(Appear(total))
            self.wait(2)
        self.wait(4)
