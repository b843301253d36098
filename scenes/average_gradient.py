"""One example is not enough: average the gradient over many examples, then step.

manim render -ql --save_sections scenes/average_gradient.py AverageGradient
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    GREY_B,
    LEFT,
    RIGHT,
    UP,
    Circumscribe,
    Create,
    DashedLine,
    Indicate,
    LaggedStart,
    Line,
    MathTypst,
    Rectangle,
    ReplacementTransform,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    Typst,
    VGroup,
    Write,
)

from bpcalc.viz import (
    BATCH_AVERAGE,
    BATCH_COST_AFTER,
    BATCH_COST_BEFORE,
    BATCH_SIZE,
    COST,
    EPOCHS,
    EXAMPLES_SHOWN,
    GRADIENT_COMPONENTS,
    HIGHLIGHT,
    LEARNING_RATE,
    STEPS_PER_EPOCH,
    TARGET,
    TRAIN_SIZE,
    TYPE,
    UNTRAINED,
    Appear,
    ColumnVector,
    NetworkDiagram,
    PixelImage,
    Q,
    RunningAxes,
    StoryScene,
    Vanish,
    batch_component,
    batch_gradient,
    batch_label,
    epoch_gradient,
    epoch_label,
    running_average,
)

FONT = TYPE.body
SMALL = TYPE.dense
FIRST_ENTRIES = 4  # entries of ∇C written at the top of its column
SLOW = 3  # the first examples of the many go by slowly, each value flying to its dot
PLOT_AT = RIGHT * 2.1 + DOWN * 0.45
IMAGE_AT = LEFT * 5.0 + DOWN * 1.0
IMAGE_SIZE = 2.0
NETWORK_WIDTH = 4.6  # the network beside the mean, at most
COLUMN_HEIGHT = 2.4  # a full mini-batch's column
CORNER_AT = LEFT * 5.0 + UP * 2.25  # the network, small, while the examples go by


def down_across_down(start: np.ndarray, end: np.ndarray, alpha: float) -> np.ndarray:
    """A path (Manim's ``path_func``) that drops halfway, crosses, then drops into place:
    a number leaving a row passes over the formula under it, not through it."""
    x = np.clip((alpha - 0.25) * 2, 0, 1)  # across in the middle half
    y = np.clip(alpha * 2, 0, 0.5) + np.clip(alpha - 0.75, 0, 0.25) * 2  # down, then down
    return start + (end - start) * np.array([x, y, y])


class AverageGradient(StoryScene):
    """Six beats: per-example gradients, their average, many examples, ∇C, one step,
    mini-batches."""

    story = "digits"
    story_order = 5
    title = "Average over the examples: the gradient"
    poster_beat = "gradient-vector"  # its last frame is the poster

    def construct(self) -> None:
        self.showing(UNTRAINED)  # the first mini-batch and epoch: through the untrained network
        self.digits = self.book.digits
        self.many = self.digits.many
        self.followed = self.book.followed_weight()
        self.w = self.sym(self.followed)
        self.per_example()
        self.average()
        self.many_examples()
        self.gradient_vector()
        self.one_step()
        self.mini_batches()

    def per_example(self) -> None:
        self.beat("examples")
        batch = self.digits.batch
        self.say(
            "Training's first step looks at a mini-batch of",
            BATCH_SIZE,
            "real examples. Each one has its own derivative for this weight.",
        )
        self.heading = self.caption(
            "Training's first step: a mini-batch of",
            BATCH_SIZE,
            "real training examples, untrained network",
        )
        tiles = VGroup()
        for i, pixels in enumerate(batch.x):
            image = PixelImage(pixels.reshape(8, 8), size=1.04)
            label = self.book.number(batch_label(i), TARGET, SMALL)
            value = self.book.number(batch_gradient(i), font_size=SMALL)
            tiles.add(VGroup(label, image, value).arrange(DOWN, buff=0.15))
        tiles.arrange(RIGHT, buff=0.3).next_to(self.heading, DOWN, buff=0.5)
        heading = MathTypst(f"(partial C_i)/(partial {self.w})", font_size=SMALL + 2)
        heading.next_to(tiles, LEFT, buff=0.25).match_y(tiles[0][2])
        self.tiles = VGroup(tiles, heading)
        if self.tiles.width > 13.4:
            self.tiles.scale_to_fit_width(13.4)
        self.tiles.next_to(self.heading, DOWN, buff=0.5)
        self.network = self.weight_in_network()
        self.network.next_to(self.tiles, DOWN, buff=0.5).to_edge(LEFT, buff=0.5)
        net, edge, name = self.network
        self.play(Appear(self.heading), Create(net.edges), Appear(VGroup(*net.layers)))
        self.play(Create(edge), Appear(name))
        self.play(LaggedStart(*(Appear(t[:2]) for t in tiles), lag_ratio=0.1))
        self.play(
            Appear(heading),
            LaggedStart(*(Appear(t[2], shift=UP * 0.1) for t in tiles), lag_ratio=0.1),
        )
        self.wait(1.5)

    def weight_in_network(self) -> VGroup:
        """The untrained network with the followed weight's edge lit and named."""
        net = NetworkDiagram(self.book, self.book.network(UNTRAINED), height=3.2, layer_gap=1.5)
        layer = self.book.layer_number(self.followed.layer)
        edge = net.edge(layer, *self.followed.index).set_stroke(HIGHLIGHT, 6)
        name = MathTypst(self.w, font_size=SMALL, color=HIGHLIGHT)
        # under the network, clear of the numbers that fly across it, pointing up at the edge
        name.next_to(net, DOWN, buff=0.2).set_x(edge.get_center()[0])
        pointer = DashedLine(name.get_top(), edge.get_center(), color=HIGHLIGHT, stroke_width=1.5)
        drawn = VGroup(net, edge, VGroup(name, pointer))
        if drawn.width > NETWORK_WIDTH:
            drawn.scale_to_fit_width(NETWORK_WIDTH)
        return drawn

    def average(self) -> None:
        self.beat("average")
        falls = self.book.value(BATCH_AVERAGE) > 0  # the step w ← w − η·(this) lowers w
        self.say(
            "Their average is",
            BATCH_AVERAGE,
            ", so the step will",
            "lower" if falls else "raise",
            "this weight.",
        )
        mean = self.book.row(
            f"(partial C)/(partial {self.w}) ="
            f" 1/n sum_(i=0)^(n-1) (partial C_i)/(partial {self.w}) =",
            Q(BATCH_AVERAGE, COST),
            font_size=FONT,
        )
        count = self.book.row("n =", BATCH_SIZE, font_size=FONT)
        examples = [batch_gradient(i) for i in range(self.book.count(BATCH_SIZE))]
        self.book.relation("mean", examples, BATCH_AVERAGE)
        line = VGroup(mean, count).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        line.next_to(self.network, RIGHT, buff=1.0).match_y(self.network)
        room = self.room_right(line)
        if room < 0:  # a deep network leaves less room: the row shrinks to fit
            line.scale_to_fit_width(line.width + room).next_to(self.network, RIGHT, buff=1.0)
        self.play(Write(mean[0]), Appear(count))
        values = VGroup(*(tile[2] for tile in self.tiles[0])).copy()  # they leave their tiles
        self.add(values)
        with self.replacing(values, mean[-1]):  # one after another, melting into the average
            self.play(
                LaggedStart(
                    *(
                        v.animate(path_func=down_across_down).move_to(mean[-1]).set_opacity(0)
                        for v in values
                    ),
                    lag_ratio=1,
                ),
                Appear(mean[-1]),
                run_time=3,
            )
        self.remove(values)
        box = SurroundingRectangle(mean[-1], color=HIGHLIGHT, buff=0.08)
        self.play(Create(box))
        self.wait(1.5)
        self.mean = VGroup(line, box)

    def many_examples(self) -> None:
        self.beat("many-examples")
        many, total = self.many, self.book.count(TRAIN_SIZE)
        flashed, batch_size = self.book.count(EXAMPLES_SHOWN), self.book.count(BATCH_SIZE)
        settled = self.book.value(running_average(total))
        self.say(
            "Here come the first",
            EXAMPLES_SHOWN,
            "examples of the first epoch, each with its derivative, and the running mean of them.",
        )
        corner = self.network.copy().scale_to_fit_height(1.5).move_to(CORNER_AT)
        self.play(Vanish(self.tiles), Vanish(self.mean), Transform(self.network, corner))
        self.retitle(
            "The first epoch's examples in order (untrained network): each",
            f"$(partial C_i)/(partial {self.w})$",
            "and their running mean",
            font_size=TYPE.label,
        )
        values = [self.book.value(epoch_gradient(i)) for i in range(flashed)]
        means = [self.book.value(running_average(n)) for n in range(1, flashed + 1)]
        means += [self.book.value(running_average(n)) for n in many.checkpoints]
        low, high = min(0.0, *values, *means), max(0.0, *values, *means)
        margin = (high - low) * 0.08
        plot = RunningAxes(total, low - margin, high + margin).move_to(PLOT_AT)
        zero = plot.level(0.0, GREY_B).set_stroke(width=1.5)
        counts = plot.count_ticks(
            [
                (n, self.book.number(q, GREY_B, TYPE.tiny))
                for q, n in ((EXAMPLES_SHOWN, flashed), (TRAIN_SIZE, total))
            ]
        )
        values_up = plot.value_ticks()
        n_label = Typst("examples averaged, n (log scale)", font_size=TYPE.tiny, color=GREY_B)
        n_label.next_to(counts, DOWN, buff=0.2).set_x(plot.axes.x_axis.get_x())
        legend = VGroup(
            Typst(
                f"dots: each example's $partial C_i slash partial {self.w}$", font_size=TYPE.tiny
            ),
            Typst("line: their running mean", font_size=TYPE.tiny, color=HIGHLIGHT),
        ).arrange(RIGHT, buff=0.5)
        legend.next_to(plot.axes, UP, buff=0.25).align_to(plot.axes, LEFT)
        self.play(Create(plot.axes), Appear(zero), Appear(values_up))
        self.play(Appear(counts), Appear(n_label), Appear(legend))

        for n in range(1, flashed + 1):  # each mean on screen, checked on exact values
            self.book.relation("mean", [epoch_gradient(i) for i in range(n)], running_average(n))
        # a new bitmap per example, labels typeset once: only the numbers are new
        image = PixelImage(many.x[0].reshape(8, 8), size=IMAGE_SIZE).move_to(IMAGE_AT)
        prefix = MathTypst(f"(partial C_i)/(partial {self.w}) =", font_size=SMALL)
        prefix.next_to(image, DOWN, buff=0.3).shift(LEFT * 0.45)
        mean_prefix = MathTypst('"mean" =', font_size=SMALL)
        mean_prefix.next_to(plot.axes, UP, buff=0.25).align_to(plot.axes, RIGHT).shift(LEFT * 1.1)

        def example(i: int) -> VGroup:
            picture = PixelImage(many.x[i].reshape(8, 8), size=IMAGE_SIZE).move_to(IMAGE_AT)
            label = self.book.number(epoch_label(i), TARGET, TYPE.formula)
            value = self.book.number(epoch_gradient(i), font_size=SMALL)
            label.next_to(image, UP, buff=0.2)
            return VGroup(label, value.next_to(prefix, RIGHT, buff=0.12), picture)

        def mean(n: int) -> VGroup:
            number = self.book.number(running_average(n), HIGHLIGHT, SMALL)
            return number.next_to(mean_prefix, RIGHT, buff=0.12)

        flown: list = []  # copies that flew onto their dots, removed after their play

        def fly(number, dot):
            """A copy of ``number`` shrinking onto its ``dot``."""
            flown.append(number.copy())
            self.add(flown[-1])
            return flown[-1].animate.move_to(dot).scale(0.2).set_opacity(0)

        shown = example(0)
        shown_mean = mean(1)
        dot = plot.dot(1, values[0])
        self.play(Appear(shown), Appear(prefix))
        self.play(fly(shown[1], dot), Appear(dot), Appear(mean_prefix), Appear(shown_mean))
        self.remove(*flown)
        for i in range(1, flashed):
            n = i + 1
            self.remove(*shown, shown_mean)
            shown, shown_mean = example(i), mean(n)
            self.add(shown, shown_mean)
            new_dot = plot.dot(n, values[i])
            path = plot.segment([n - 1, n], [means[i - 1], means[i]])
            if i < SLOW:
                self.play(fly(shown[1], new_dot), Appear(new_dot), Create(path), run_time=1.0)
                self.remove(*flown)
            else:
                self.play(Appear(new_dot), Create(path), run_time=0.3)
            if n == batch_size:
                self.say(
                    "The first",
                    BATCH_SIZE,
                    "are the first mini-batch; their mean is",
                    shown_mean.quantity,
                    ".",
                )
                ring = SurroundingRectangle(shown_mean, color=HIGHLIGHT, buff=0.06)
                note = self.caption("the first mini-batch", font_size=TYPE.tiny)
                note.next_to(plot.point(n, means[i]), UP, buff=0.3)
                self.play(Create(ring), Appear(note), run_time=0.6)
                self.wait(0.8)
                self.play(Vanish(ring), Vanish(note), run_time=0.3)
        self.play(Vanish(shown), Vanish(prefix), run_time=0.4)
        self.say("Then the mean takes in more and more of the epoch, drawn on a log scale.")
        previous = flashed
        for n in many.checkpoints:
            counted = [previous, *range(previous + 1, n + 1)]
            path = plot.segment(counted, [self.book.value(running_average(c)) for c in counted])
            new_mean = mean(n)
            self.remove(shown_mean)
            self.add(new_mean)
            self.play(Create(path), run_time=0.7)
            shown_mean, previous = new_mean, n
        level = plot.level(settled)
        every = self.book.row(
            f"(partial C)/(partial {self.w}) =",
            Q(running_average(total), HIGHLIGHT),
            font_size=FONT,
        )
        whole = VGroup(Typst("over the whole training set:", font_size=SMALL), every).arrange(
            DOWN, buff=0.2
        )
        whole.move_to(IMAGE_AT)
        self.say("Over all", TRAIN_SIZE, "it settles on", running_average(total), ".")
        self.play(Create(level), TransformFromCopy(shown_mean, every[-1]), Appear(whole[0]))
        self.play(Write(every[0]), Circumscribe(every, color=HIGHLIGHT))
        self.wait(3)

    def gradient_vector(self) -> None:
        self.beat("gradient-vector")
        column = self.book.gradient_column(FIRST_ENTRIES)
        self.say(
            "Every weight and bias has such an average: together they make the gradient,",
            "a column of",
            GRADIENT_COMPONENTS,
            "numbers. Here it is for the first mini-batch, with our weight's",
            BATCH_AVERAGE,
            "in it.",
        )
        kept = (self.heading, self.network)
        recap = self.book.row(
            f"{self.d_cost(self.followed)} =", Q(BATCH_AVERAGE, HIGHLIGHT), font_size=SMALL
        )
        words = Typst("the first mini-batch's", font_size=SMALL)
        VGroup(words, recap).arrange(DOWN, buff=0.2).move_to(IMAGE_AT)
        self.play(*(Vanish(m) for m in self.mobjects if m not in kept))  # then the recap
        self.play(Appear(words), Appear(recap))
        self.retitle(
            "The first mini-batch's gradient: layer $L$ first, weights row by row, then biases,",
            "down to layer 1",
            font_size=TYPE.label,
        )
        entries = []
        for quantity in column:
            if quantity is None:
                entries.append(MathTypst("dots.v", font_size=SMALL))
                continue
            color = HIGHLIGHT if quantity == self.followed else None
            entries.append(
                self.book.row(
                    f"{self.d_cost(quantity)} =",
                    Q(batch_component(quantity), color),
                    font_size=SMALL,
                )
            )
        vector = ColumnVector(*entries, buff=0.16)
        if vector.height > 5.9:
            vector.scale_to_fit_height(5.9)
        nabla = MathTypst("nabla C =", font_size=TYPE.formula)
        size = self.caption(GRADIENT_COMPONENTS, "components", font_size=FONT)
        group = VGroup(nabla, vector, size).arrange(RIGHT, buff=0.4).move_to(DOWN * 0.35)
        followed = entries[column.index(self.followed)]
        others = [e for e in vector.entries if e is not followed]
        self.play(Write(nabla), Create(vector.brackets))
        self.play(
            LaggedStart(*(Appear(e, shift=DOWN * 0.1) for e in others), lag_ratio=0.12),
            run_time=2,
        )
        with self.replacing(recap, followed):  # our weight's mean travels into its slot
            self.play(ReplacementTransform(recap, followed), Vanish(words), run_time=1.5)
        self.play(Appear(size, shift=LEFT * 0.2))
        self.play(Indicate(followed, color=HIGHLIGHT, scale_factor=1.15))
        self.wait(1.5)
        self.vector = group

    def d_cost(self, quantity) -> str:
        return f"(partial C)/(partial {self.sym(quantity)})"

    def one_step(self) -> None:
        self.beat("one-step")
        fell = self.book.value(BATCH_COST_AFTER) < self.book.value(BATCH_COST_BEFORE)
        self.say(
            "One step moves every weight and bias against its component, times",
            LEARNING_RATE,
            ". The mean cost of the mini-batch",
            "falls" if fell else "rises",
            "from",
            BATCH_COST_BEFORE,
            "to",
            BATCH_COST_AFTER,
            ".",
        )
        self.play(Vanish(self.vector))  # the network and the heading stay: no blank frame
        rule = self.book.row("w <- w - eta nabla C, quad eta =", LEARNING_RATE, font_size=FONT)
        before = self.book.row('C "before" =', Q(BATCH_COST_BEFORE, COST), font_size=FONT)
        after = self.book.row('C "after" =', Q(BATCH_COST_AFTER, COST), font_size=FONT)
        note = self.caption("the mean cost of the same", BATCH_SIZE, "examples", font_size=SMALL)
        scale = 4.0 / max(self.book.value(BATCH_COST_BEFORE), self.book.value(BATCH_COST_AFTER))
        bars = VGroup(
            *(
                Rectangle(
                    width=max(self.book.value(mean_cost) * scale, 0.02), height=0.4, stroke_width=0
                ).set_fill(COST, 0.8)
                for mean_cost in (BATCH_COST_BEFORE, BATCH_COST_AFTER)
            )
        )
        rows = VGroup(
            *(
                VGroup(text, bar).arrange(RIGHT, buff=0.4)
                for text, bar in zip((before, after), bars, strict=True)
            )
        )
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        for row in rows:
            row[1].align_to(rows[0][1], LEFT)
        block = VGroup(rule, rows, note).arrange(DOWN, buff=0.6).move_to(DOWN * 0.3)
        self.retitle("One step down the gradient")
        self.play(Write(rule))
        self.play(Appear(rows[0][0]), Create(rows[0][1]))
        self.play(Appear(rows[1][0]), TransformFromCopy(rows[0][1], rows[1][1]), run_time=1.5)
        self.play(Appear(note))
        self.wait(2)
        self.step = block

    def mini_batches(self) -> None:
        self.beat("mini-batches")
        batch = int(self.book.value(BATCH_SIZE))
        total = int(self.book.value(TRAIN_SIZE))
        steps = int(self.book.value(STEPS_PER_EPOCH))
        self.say(
            "The",
            TRAIN_SIZE,
            "training examples, shuffled, are cut into mini-batches of",
            BATCH_SIZE,
            ": one column each.",
        )
        self.play(Vanish(self.step))  # the network and the heading stay
        self.retitle("Stochastic gradient descent: one mini-batch per step")
        pitch = 12.4 / steps
        columns = VGroup(
            *(
                Rectangle(
                    width=pitch * 0.7,
                    height=COLUMN_HEIGHT * min(batch, total - s * batch) / batch,
                    stroke_width=0,
                ).set_fill(GREY_B, 0.45)
                for s in range(steps)
            )
        )
        columns.arrange(RIGHT, buff=pitch * 0.3, aligned_edge=DOWN).move_to(DOWN * 1.0)
        whole = (
            self.caption(
                "the",
                TRAIN_SIZE,
                "training examples, shuffled, in columns of",
                BATCH_SIZE,
                font_size=SMALL,
            )
            .next_to(columns, UP, buff=0.35)
            .align_to(columns, RIGHT)
        )
        self.play(
            LaggedStart(*(Appear(c) for c in columns), lag_ratio=0.02),
            Appear(whole, shift=DOWN * 0.1),
            run_time=2,
        )
        first = columns[0]
        first_label = self.caption(
            "one step: the", BATCH_SIZE, "examples we averaged", font_size=SMALL
        )
        first_label.next_to(first, UP, buff=0.35).align_to(first, LEFT)
        self.say("Each step averages one mini-batch: the first is the one we followed.")
        self.play(first.animate.set_fill(HIGHLIGHT, 0.9), Appear(first_label, shift=DOWN * 0.1))
        bracket = self.bracket_under(columns)
        epoch_label = self.caption(
            STEPS_PER_EPOCH, "quick, noisy steps: one epoch", font_size=SMALL
        ).next_to(bracket, DOWN, buff=0.2)
        self.say(
            "Step after step takes the next one, so an epoch is",
            STEPS_PER_EPOCH,
            "quick, noisy steps.",
        )
        self.play(
            LaggedStart(*(c.animate.set_fill(HIGHLIGHT, 0.9) for c in columns[1:]), lag_ratio=0.05),
            Create(bracket),
            run_time=4,
        )
        self.play(Appear(epoch_label, shift=UP * 0.1))
        repeat = self.caption(
            "shuffled again, and again:",
            EPOCHS,
            f"{self.plural(EPOCHS, 'epoch')} in all",
            font_size=SMALL,
        ).next_to(epoch_label, DOWN, buff=0.3)
        self.say("Then the examples are shuffled again; the network trained for", EPOCHS, "epochs.")
        self.play(columns.animate.set_fill(GREY_B, 0.45), Appear(repeat, shift=UP * 0.1))
        self.play(
            LaggedStart(*(c.animate.set_fill(HIGHLIGHT, 0.9) for c in columns), lag_ratio=0.02),
            run_time=2,
        )
        self.wait(1)

    @staticmethod
    def bracket_under(columns: VGroup) -> VGroup:
        """A square bracket under ``columns``: they count as one."""
        left, right = columns.get_corner(DOWN + LEFT), columns.get_corner(DOWN + RIGHT)
        y = DOWN * 0.2
        return VGroup(
            Line(left + y, right + y, color=GREY_B),
            Line(left + y, left, color=GREY_B),
            Line(right + y, right, color=GREY_B),
        )
