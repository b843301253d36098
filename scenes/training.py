"""The network learns: cost and accuracy over training, the weights, the outputs.

manim render -ql --save_sections scenes/training.py Training
"""

from __future__ import annotations

from collections.abc import Callable

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circumscribe,
    Create,
    Dot,
    LaggedStart,
    MoveAlongPath,
    MoveToTarget,
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
    Chart,
    NetworkDiagram,
    OutputBars,
    PixelImage,
    Q,
    Quantity,
    StoryScene,
    Vanish,
    WeightLegend,
    epoch_accuracy,
    epoch_cost,
    prediction,
    restroke,
)

SMALL = TYPE.label
PANELS_TOP = 2.9  # under the title; with PANELS_HEIGHT the answers stay above the bottom
PANELS_HEIGHT = 5.9
MORPH = 3.0  # seconds for the edges to go from one network's weights to the next's


class Training(StoryScene):
    """Three beats: the learning curves, the weights changing, the outputs before and after."""

    story = "digits"
    story_order = 7
    title = "Training: every step downhill"
    poster_beat = "outputs"  # its last frame is the poster

    def construct(self) -> None:
        self.epochs = self.book.count(EPOCHS)
        self.learning_curves()
        self.weights_change()
        self.outputs_before_after()

    def chart(self, history: Callable[[int], Quantity], color, name: str, log: bool):
        """A history against epochs, ticks labelled, its first and last values at its ends."""
        values = [self.book.measure(history(epoch)) for epoch in range(self.epochs + 1)]
        chart = Chart(values, "epoch", name, color, log=log, y_max=None if log else 1.0)
        first = self.book.number(history(0), color, SMALL)
        last = self.book.number(history(self.epochs), color, SMALL)
        first.next_to(chart.point(0, float(values[0])), UP + RIGHT, buff=0.12)
        last.next_to(chart.point(self.epochs, float(values[-1])), RIGHT, buff=0.15)
        return chart, VGroup(first, last)

    def learning_curves(self) -> None:
        self.beat("curves")
        last = self.epochs
        fell = self.book.value(epoch_cost(last)) < self.book.value(epoch_cost(0))
        rose = self.book.value(epoch_accuracy(last)) > self.book.value(epoch_accuracy(0))
        lines = (
            (
                "Over",
                EPOCHS,
                f"{self.plural(EPOCHS, 'epoch')}, passes over the training set, its mean cost",
                "falls" if fell else "rises",
                "from",
                epoch_cost(0),
                "to",
                epoch_cost(last),
                ", drawn on a log scale.",
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
        self.heading = self.caption(
            "Training on the real digits:",
            EPOCHS,
            f"{self.plural(EPOCHS, 'epoch')} of mini-batch gradient descent",
        )
        cost = self.chart(epoch_cost, COST, "mean cost, training set (log)", log=True)
        accuracy = self.chart(epoch_accuracy, W_POSITIVE, "accuracy, test set", log=False)
        charts = VGroup(*(VGroup(*pair) for pair in (cost, accuracy)))
        charts.arrange(RIGHT, buff=1.0).next_to(self.heading, DOWN, buff=0.6)
        self.play(Appear(self.heading))
        for (chart, ends), line in zip((cost, accuracy), lines, strict=True):
            self.say(*line)
            self.play(Create(chart.axes), Appear(VGroup(*chart.frame[1:])), Appear(ends[0]))
            self.play(Create(chart.graph), run_time=2)
            self.play(Appear(ends[1], shift=UP * 0.1))
            self.wait(1.5)
        self.cost, self.accuracy = cost, accuracy

    def weights_change(self) -> None:
        self.beat("weights")
        stages = [(UNTRAINED, self.book.network(UNTRAINED), 0)]
        if self.book.value(SNAPSHOT_EPOCH) < self.book.value(EPOCHS):
            stages.append((SNAPSHOT, self.book.network(SNAPSHOT), self.book.count(SNAPSHOT_EPOCH)))
        stages.append((TRAINED, self.book.network(TRAINED), self.epochs))
        net = NetworkDiagram(
            self.book,
            self.book.network(UNTRAINED),
            height=5.8,
            layer_gap=2.5,
            individual_edges=True,
        )
        lines = net.edges.family_members_with_points()
        net.to_edge(LEFT, buff=0.5).shift(DOWN * 0.35)
        legend = WeightLegend(font_size=TYPE.dense)
        chart, ends = self.cost
        small = VGroup(chart, ends)
        small.generate_target()
        small.target.scale(0.8).to_edge(RIGHT, buff=0.4).to_edge(DOWN, buff=0.35)
        legend.next_to(small.target, UP, buff=0.5).align_to(small.target, LEFT)
        marker = Dot(chart.point(0, chart.values[0]), radius=0.08, color=HIGHLIGHT)
        self.say(
            "Every step moved every weight a little. These are the random weights it started",
            "with: an edge's colour is its sign, its width and brightness its size.",
        )
        self.showing(UNTRAINED)
        self.play(Vanish(VGroup(*self.accuracy)), MoveToTarget(small))
        self.retitle("The weights before training (random)")
        self.play(Create(net.edges), Appear(VGroup(*net.layers)), run_time=1.5)
        self.play(LaggedStart(*(Appear(row, shift=LEFT * 0.2) for row in legend), lag_ratio=0.3))
        marker.move_to(chart.point(0, chart.values[0]))
        self.play(Appear(marker))
        for (run, network, epoch), (_, _, before) in zip(stages[1:], stages, strict=False):
            words = (
                "after",
                SNAPSHOT_EPOCH if run == SNAPSHOT else EPOCHS,
                self.plural(SNAPSHOT_EPOCH if run == SNAPSHOT else EPOCHS, "epoch"),
            )
            self.say(
                "Training moves them:",
                *words,
                "of",
                STEPS_PER_EPOCH,
                "steps each, the cost where the dot is.",
            )
            targets = net.edge_strokes(network)
            self.play(
                restroke(lines, targets),
                MoveAlongPath(marker, chart.path(before, epoch)),
                run_time=MORPH,
            )
            self.showing(run)
            self.retitle("The weights", *words)
        self.wait(1.5)
        self.network, self.legend, self.marker = net, legend, marker

    def panel(self, run: str, *title: str | Quantity) -> VGroup:
        """One run's outputs for the example: a title, the bars, and its answer."""
        choices = self.book.choices(run)
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
        runs: list[tuple[str, tuple[str | Quantity, ...]]] = [(UNTRAINED, ("before training",))]
        if self.book.value(SNAPSHOT_EPOCH) < self.book.value(EPOCHS):
            runs.append((SNAPSHOT, ("after", SNAPSHOT_EPOCH, self.plural(SNAPSHOT_EPOCH, "epoch"))))
        runs.append((TRAINED, ("after", EPOCHS, self.plural(EPOCHS, "epoch"))))
        digit = PixelImage(self.book.image(), size=2.6)
        name = self.caption("a test image, never trained on:", Q(LABEL, TARGET), font_size=SMALL)
        example = VGroup(name, digit).arrange(DOWN, buff=0.25).to_edge(LEFT, buff=0.5).set_y(-0.4)
        panels = VGroup(*(self.panel(run, *title) for run, title in runs))
        panels.arrange(RIGHT, buff=0.9, aligned_edge=UP).scale_to_fit_height(PANELS_HEIGHT)
        room = 13.4 - example.width - 0.6
        if panels.width > room:
            panels.scale_to_fit_width(room)
        panels.next_to(example, RIGHT, buff=0.6).set_y(PANELS_TOP - panels.height / 2)
        network = VGroup(self.network.edges, *self.network.layers, self.legend, self.marker)
        for shown, ((run, title), panel) in enumerate(zip(runs, panels, strict=True)):
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
            if not shown:  # the network gives way to the test image it is run on
                self.play(
                    Vanish(network), Vanish(VGroup(*self.cost)), Appear(example, shift=RIGHT * 0.3)
                )
                self.showing(*(run for run, _ in runs))  # the runs side by side
                self.retitle("The ten outputs for the handwritten", Q(LABEL, TARGET))
            heading, bars, answer = panel
            self.play(
                Appear(heading),
                LaggedStart(*(Appear(r, shift=RIGHT * 0.2) for r in bars.rows), lag_ratio=0.08),
            )
            if len(bars.bound):
                self.play(Appear(bars.bound))
            answered = bars.rows[int(self.book.value(answer_q))]
            self.play(Appear(answer), Circumscribe(answered, color=HIGHLIGHT))
            self.wait(1.5)
