"""The network learns: cost and accuracy over training, the weights, the outputs.

manim render -ql --save_sections scenes/training.py Training
"""

from __future__ import annotations

from collections.abc import Callable

from manim import (
    DOWN,
    GREY_B,
    RIGHT,
    UP,
    Axes,
    Circumscribe,
    Create,
    LaggedStart,
    Typst,
    VGroup,
)

from bpcalc.viz import (
    COST,
    EPOCHS,
    HIGHLIGHT,
    LABEL,
    SNAPSHOT,
    SNAPSHOT_EPOCH,
    STEPS_PER_EPOCH,
    TARGET,
    TRAINED,
    TYPE,
    UNTRAINED,
    W_POSITIVE,
    Appear,
    NetworkDiagram,
    OutputBars,
    Q,
    Quantity,
    StoryScene,
    Vanish,
    epoch_accuracy,
    epoch_cost,
    prediction,
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
        last = self.epochs
        fell = self.book.value(epoch_cost(last)) < self.book.value(epoch_cost(0))
        rose = self.book.value(epoch_accuracy(last)) > self.book.value(epoch_accuracy(0))
        lines = (
            (
                "Over",
                EPOCHS,
                "passes the mean cost on the training set",
                "falls" if fell else "rises",
                "from",
                epoch_cost(0),
                "to",
                epoch_cost(last),
                ".",
            ),
            (
                "The share of test digits it gets right",
                "rises" if rose else "falls",
                "from",
                epoch_accuracy(0),
                "to",
                epoch_accuracy(last),
                ".",
            ),
        )
        caption = self.caption(
            "Training on the real digits:", EPOCHS, "passes of mini-batch gradient descent"
        )
        costs = self.curve(epoch_cost, self.digits.epoch_cost, COST, "mean cost on training set")
        accuracy = self.curve(
            epoch_accuracy, self.digits.epoch_accuracy, W_POSITIVE, "accuracy on test set"
        )
        charts = VGroup(costs, accuracy).arrange(RIGHT, buff=1.2).shift(DOWN * 0.4)
        self.play(Appear(caption))
        for chart, line in zip(charts, lines, strict=True):
            self.say(*line)
            axes, graph, first, last, x_label, title = chart
            self.play(Create(axes), Appear(x_label), Appear(title), Appear(first))
            self.play(Create(graph), run_time=2)
            self.play(Appear(last, shift=UP * 0.1))
            self.wait(1.5)
        self.wait(2.5)
        self.charts, self.heading = charts, caption

    def weights_change(self) -> None:
        self.beat("weights")
        self.say(
            "Every step moved every weight a little. These are the random weights it started",
            "with: blue positive, red negative.",
        )
        net = NetworkDiagram(self.book, self.digits.untrained, height=6.0, layer_gap=2.6)
        net.move_to(DOWN * 0.3)
        before = Typst("the untrained weights (random)", font_size=SMALL + 4).to_edge(UP, 0.3)
        after = Typst("the trained weights", font_size=SMALL + 4).to_edge(UP, 0.3)
        self.play(Vanish(self.charts))  # the title stays: no blank frame
        self.add(net.edges)
        self.replace_with(
            self.heading,
            before,
            Appear(before),
            Create(net.edges),
            Appear(VGroup(*net.layers)),
            run_time=1.5,
        )
        self.wait(2)
        self.say("And these are the weights after", EPOCHS, "passes of", STEPS_PER_EPOCH, "steps.")
        self.replace_with(
            before, after, net.crossfade_edges(self.digits.network), Appear(after), run_time=1.2
        )
        self.wait(3)
        self.network, self.network_title = net, after

    def panel(self, run: str, *title: str | Quantity) -> VGroup:
        """One run's outputs for the example: a title, the bars, and its answer."""
        choices = self.book.story.choices(run)
        heading = self.caption(*title, font_size=SMALL + 2)
        bars = OutputBars(self.book, run, choices.label, choices.rival)
        right = self.book.value(prediction(run)) == self.book.value(LABEL)
        answer = self.caption(
            "answer:",
            Q(prediction(run), TARGET if right else COST),
            "right" if right else "wrong",
            font_size=SMALL + 2,
        )
        return VGroup(heading, bars, answer).arrange(DOWN, buff=0.3)

    def outputs_before_after(self) -> None:
        self.beat("outputs")
        caption = self.caption("The ten outputs for the handwritten", Q(LABEL, TARGET))
        runs: list[tuple[str, tuple[str | Quantity, ...]]] = [(UNTRAINED, ("before training",))]
        if self.book.value(SNAPSHOT_EPOCH) < self.book.value(EPOCHS):
            one = self.book.value(SNAPSHOT_EPOCH) == 1
            runs.append((SNAPSHOT, ("after", SNAPSHOT_EPOCH, "epoch" if one else "epochs")))
        once = self.book.value(EPOCHS) == 1
        runs.append((TRAINED, ("after", EPOCHS, "epoch" if once else "epochs")))
        panels = VGroup(*(self.panel(run, *title) for run, title in runs))
        panels.arrange(RIGHT, buff=1.0, aligned_edge=UP).scale(1.2)
        if panels.width > 13.4:
            panels.scale_to_fit_width(13.4)
        panels.next_to(caption, DOWN, buff=0.6)
        self.showing(*(run for run, _ in runs))  # the runs side by side
        network = VGroup(self.network.edges, *self.network.layers)
        self.play(Vanish(network))  # the title stays: no blank frame
        self.replace_with(self.network_title, caption, Appear(caption))
        for (run, title), panel in zip(runs, panels, strict=True):
            answer_q = prediction(run)
            right = self.book.value(answer_q) == self.book.value(LABEL)
            when = ("Before training",) if run == UNTRAINED else ("After", *title[1:])
            self.say(
                *when,
                "it answers",
                answer_q,
                "for the",
                LABEL,
                ":",
                "right." if right else "wrong.",
            )
            heading, bars, answer = panel
            self.play(
                Appear(heading),
                LaggedStart(*(Appear(r, shift=RIGHT * 0.2) for r in bars.rows), lag_ratio=0.08),
            )
            if len(bars.bound):
                self.play(Appear(bars.bound))
            answered = bars.rows[int(self.book.value(answer_q))]
            self.play(Appear(answer), Circumscribe(answered, color=HIGHLIGHT))
            self.wait(2)
        self.wait(3)
