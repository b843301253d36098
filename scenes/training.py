"""The network learns: cost and accuracy over training, the weights, the outputs.

manim render -ql --save_sections scenes/training.py Training
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circumscribe,
    Create,
    Dot,
    Indicate,
    LaggedStart,
    MoveAlongPath,
    MoveToTarget,
    ReplacementTransform,
    TransformFromCopy,
    VGroup,
    config,
    linear,
)

from bpcalc.viz import (
    ACCURACY,
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
MORPH = 3.0  # seconds for the edges to go from one stage's weights to the next's
EPOCH_AT_LEAST = 0.12  # seconds per epoch of a morph, at the least
REWIND = 3.0  # seconds for the edges and the dot to go back to the random weights
NET_HEIGHT = 5.8
NET_GAP = 2.5

PANEL_GAP = 0.25  # the outputs' panel keeps this far from the title and the frame's foot
HEADING_GAP = 0.3  # a panel's heading this far above the bars
TEST_NET_WIDTH = 5.4  # the network beside the test image, at most this wide


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
        last.next_to(chart.point(self.epochs, float(values[-1])), RIGHT, buff=0.25)
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
        accuracy = self.chart(epoch_accuracy, ACCURACY, "accuracy, test set", log=False)
        charts = VGroup(*(VGroup(*pair) for pair in (cost, accuracy)))
        charts.arrange(RIGHT, buff=1.0).next_to(self.heading, DOWN, buff=0.6)
        # from the first frame: the heading and both charts' axes, named, waiting for their lines
        self.add(self.heading, cost[0].frame, accuracy[0].frame)
        for (chart, ends), line in zip((cost, accuracy), lines, strict=True):
            self.say(*line)
            self.play(Indicate(chart.y_name, color=chart.graph.get_color()), Appear(ends[0]))
            self.play(Create(chart.graph), run_time=2)
            self.play(Appear(ends[1], shift=UP * 0.1))
            self.wait(1.5)
        self.cost, self.accuracy = cost, accuracy

    def weights_change(self) -> None:
        self.beat("weights")
        nets = self.book.epoch_networks()
        stages = [(UNTRAINED, 0)]
        if self.book.value(SNAPSHOT_EPOCH) < self.book.value(EPOCHS):
            stages.append((SNAPSHOT, int(self.book.value(SNAPSHOT_EPOCH))))
        stages.append((TRAINED, self.epochs))
        net = NetworkDiagram(
            self.book,
            self.book.network(UNTRAINED),
            height=NET_HEIGHT,
            layer_gap=NET_GAP,
            individual_edges=True,
            scale=nets,  # one scale for every epoch: the weights' growth is seen
        )
        net.to_edge(LEFT, buff=0.5).shift(DOWN * 0.35)
        legend = WeightLegend(font_size=TYPE.dense, shared=True)
        chart, ends = self.cost
        small = VGroup(chart, ends)
        small.generate_target()
        small.target.scale(0.8).to_edge(RIGHT, buff=0.4).to_edge(DOWN, buff=0.35)
        legend.next_to(small.target, UP, buff=0.5).align_to(small.target, LEFT)
        marker = Dot(chart.point(0, chart.values[0]), radius=0.07, color=HIGHLIGHT)
        self.say(
            "These are the random weights it started with. An edge's colour is its sign;",
            "its width and brightness its size, on one scale for every network shown.",
        )
        self.showing(UNTRAINED)
        self.play(Vanish(VGroup(*self.accuracy)), run_time=0.6)
        self.play(MoveToTarget(small), run_time=0.8)
        self.play(Create(net.edges), Appear(VGroup(*net.layers)), run_time=1.5)
        self.retitle("The weights before training (random)")
        self.play(LaggedStart(*(Appear(row, shift=LEFT * 0.2) for row in legend), lag_ratio=0.3))
        marker.move_to(chart.point(0, chart.values[0]))
        self.play(Appear(marker))
        self.wait(0.5)
        grew = float(np.abs(nets[-1].weights[-1]).mean()) > float(
            np.abs(nets[0].weights[-1]).mean()
        )
        for (run, epoch), (_, before) in zip(stages[1:], stages, strict=False):
            count = SNAPSHOT_EPOCH if run == SNAPSHOT else EPOCHS
            words = ("after", count, self.plural(count, "epoch"))
            if before == 0:
                self.say(
                    "Training moves them, one step per mini-batch,",
                    STEPS_PER_EPOCH,
                    "steps an epoch. The dot is on the cost curve at the epoch drawn.",
                )
            else:
                self.say(
                    "On to",
                    *words[1:],
                    ": the weights grow, the edges widen and brighten."
                    if grew
                    else ": the edges change as the cost falls.",
                )
            self.retitle("The weights while training:", STEPS_PER_EPOCH, "steps an epoch")
            per_epoch = max(MORPH / (epoch - before), EPOCH_AT_LEAST)
            self.travel(net, marker, chart, range(before + 1, epoch + 1), per_epoch)
            self.showing(run)
            self.retitle("The weights", *words, "of", STEPS_PER_EPOCH, "steps")
            if run != TRAINED:  # the last network's picture is not held: the test comes next
                self.wait(2)
        self.network, self.legend, self.marker = net, legend, marker

    def travel(
        self, net: NetworkDiagram, marker: Dot, chart: Chart, epochs: range, per_epoch: float
    ) -> None:
        """Each epoch's network in turn as the dot reaches it on the cost curve, forward
        (``range(1, 4)``) or back (``range(3, -1, -1)``): the edges and the dot in step."""
        lines = net.edges.family_members_with_points()
        nets = self.book.epoch_networks()
        for e in epochs:
            back = epochs.step < 0  # from epoch e + 1 down to e
            path = chart.path(e, e + 1).reverse_points() if back else chart.path(e - 1, e)
            self.play(
                restroke(lines, net.edge_strokes(nets[e])),
                MoveAlongPath(marker, path),
                run_time=per_epoch,
                rate_func=linear,
            )

    def outputs_before_after(self) -> None:
        self.beat("test-image")
        runs: list[tuple[str, tuple[str | Quantity, ...]]] = [(UNTRAINED, ("before training",))]
        if self.book.value(SNAPSHOT_EPOCH) < self.book.value(EPOCHS):
            runs.append((SNAPSHOT, ("after", SNAPSHOT_EPOCH, self.plural(SNAPSHOT_EPOCH, "epoch"))))
        runs.append((TRAINED, ("after", EPOCHS, self.plural(EPOCHS, "epoch"))))
        networks = {
            UNTRAINED: self.book.network(UNTRAINED),
            SNAPSHOT: self.book.network(SNAPSHOT),
            TRAINED: self.book.network(TRAINED),
        }
        net = self.network
        lines = net.edges.family_members_with_points()
        digit = PixelImage(self.book.image(), size=1.9)
        name = VGroup(
            self.caption("a test image,", font_size=SMALL),
            self.caption("never trained on", font_size=SMALL),
        ).arrange(DOWN, buff=0.12)
        self.say("Back to the random weights: the dot runs back along the cost curve.")
        chart = self.cost[0]
        self.retitle("Back to the weights before training (random)")
        # the first run is before training: the edges rewind epoch by epoch with the dot
        per_epoch = max(REWIND / self.epochs, 1 / config.frame_rate)
        self.travel(net, self.marker, chart, range(self.epochs - 1, -1, -1), per_epoch)
        self.showing(UNTRAINED)
        self.say(
            "A test image it never trained on, a",
            LABEL,
            ", goes in: its pixels light the inputs, and each layer lights the next.",
        )
        self.play(
            Vanish(VGroup(*self.cost)), Vanish(self.legend), Vanish(self.marker), run_time=0.8
        )
        self.retitle("The ten outputs for the handwritten", Q(LABEL, TARGET))
        net.generate_target()
        # a deeper network is drawn narrower, so the outputs' panel still fits beside it
        net.target.scale(min(0.72, TEST_NET_WIDTH / net.width))
        net.target.to_edge(LEFT, buff=2.6).shift(DOWN * 0.2)
        example = VGroup(name, digit).arrange(DOWN, buff=0.25)
        self.play(MoveToTarget(net), run_time=1.0)
        example.next_to(net, LEFT, buff=0.35).shift(UP * 0.2)
        if example.get_left()[0] < -6.9:
            example.shift(RIGHT * (-6.9 - example.get_left()[0]))
        name.next_to(digit, UP, buff=0.25)
        panel_at = net.get_right() + RIGHT * 0.5
        shown: VGroup | None = None
        for at, (run, title) in enumerate(runs):
            if at:  # the last run's numbers and words go; its bars wait for the new outputs
                old = shown[1]
                self.play(
                    Vanish(shown[0]),
                    Vanish(shown[2]),
                    Vanish(old.bound),
                    *(Vanish(o[2]) for o in old.rows if len(o) > 2),
                    run_time=0.6,
                )
                self.showing(run)
                self.play(
                    *net.darken(), restroke(lines, net.edge_strokes(networks[run])), run_time=1.2
                )
            else:
                self.play(Appear(example, shift=RIGHT * 0.3))
            # the pixels into the input column, then each layer lit from the one before
            pixels = digit.copy()
            self.add(pixels)
            self.play(
                pixels.animate.move_to(net.layers[0]).stretch_to_fit_width(0.1).set_opacity(0),
                *net.light(run, 0),
                run_time=1.0,
            )
            self.remove(pixels)
            for layer in range(1, len(net.layers)):
                self.play(*net.light(run, layer), run_time=0.45)
            if not at:
                self.beat("outputs")  # the answers, one run after another
            panel = self.panel(run, *title)
            self.place(panel, panel_at, net.layers[-1], None if shown is None else shown[1])
            heading, bars, answer = panel
            outputs = net.layers[-1]
            if shown is None:  # the output neurons' brightness becomes the bars
                self.play(  # a neuron's disc into its bar alone: shapes, never glyphs, morph
                    Appear(heading),
                    Appear(bars.axis),
                    *(TransformFromCopy(outputs[j], row[1]) for j, row in enumerate(bars.rows)),
                    *(Appear(row[0]) for row in bars.rows),
                    run_time=1.2,
                )
                self.play(*(Appear(row[2]) for row in bars.rows if len(row) > 2), run_time=0.5)
            else:  # the same bars grow or shrink to this run's outputs
                old = shown[1]
                self.play(
                    Appear(heading),
                    *(
                        ReplacementTransform(o[part], n[part])
                        for o, n in zip(old.rows, bars.rows, strict=True)
                        for part in (0, 1)  # the digit and its bar
                    ),
                    ReplacementTransform(old.axis, bars.axis),
                    run_time=1.2,
                )
                self.play(*(Appear(n[2]) for n in bars.rows if len(n) > 2), run_time=0.5)
            if len(bars.bound):
                self.play(Appear(bars.bound))
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
            answered = bars.rows[int(self.book.value(answer_q))]
            self.play(
                Appear(answer), Circumscribe(answered, color=HIGHLIGHT, buff=0.12), run_time=1.2
            )
            self.wait(1.5)
            shown = panel

    def place(self, panel: VGroup, left: np.ndarray, outputs: VGroup, old: VGroup | None) -> None:
        """Put a run's panel right of ``left``: its bars level with the output neurons, as
        every run's are (the bars grow or shrink in place), between the title and the
        frame's foot; its heading above its bars and the last run's (``old``), which it
        appears over while they change into these."""
        heading, bars, _ = panel
        top = self.heading.get_bottom()[1] - PANEL_GAP  # below the scene's title
        foot = -config.frame_height / 2 + PANEL_GAP
        panel.scale_to_fit_height(min(panel.height, top - foot))
        panel.next_to(left, RIGHT, buff=0)
        panel.shift(UP * (outputs.get_center()[1] - bars.rows.get_center()[1]))
        panel.shift(DOWN * max(panel.get_top()[1] - top, 0))
        panel.shift(UP * max(foot - panel.get_bottom()[1], 0))
        rows_top = max(r.rows.get_top()[1] for r in (bars, old) if r is not None)
        heading.shift(UP * max(rows_top + HEADING_GAP - heading.get_bottom()[1], 0))

    def panel(self, run: str, *title: str | Quantity) -> VGroup:
        """One run's outputs for the example: a title, the bars, and its answer."""
        choices = self.book.choices(run)
        heading = self.caption(*title, font_size=SMALL + 2)
        bars = OutputBars(self.book, run, choices.label, choices.rival, axis=True)
        right = self.book.value(prediction(run)) == self.book.value(LABEL)
        answer = self.caption(
            "answer:",
            Q(prediction(run), TARGET if right else None),
            "right" if right else "wrong",
            font_size=SMALL + 2,
        )
        return VGroup(heading, bars, answer).arrange(DOWN, buff=HEADING_GAP)
