"""One example is not enough: average the gradient over many examples, then step.

manim render -ql --save_sections scenes/average_gradient.py AverageGradient
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    GREY_A,
    GREY_B,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    Animation,
    AnimationGroup,
    Arrow,
    Circumscribe,
    Create,
    DashedLine,
    Dot,
    FadeTransform,
    GrowArrow,
    Indicate,
    LaggedStart,
    MathTypst,
    Rectangle,
    ReplacementTransform,
    Succession,
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
    COST_APART,
    EPOCHS,
    EXAMPLES_SHOWN,
    GRADIENT_COMPONENTS,
    HIGHLIGHT,
    LEARNING_RATE,
    SIGNIFICANT,
    STEPPED_WEIGHT,
    STEPS_PER_EPOCH,
    TRAIN_SIZE,
    TYPE,
    UNTRAINED,
    Appear,
    ColumnVector,
    NetworkDiagram,
    PixelImage,
    Q,
    Quantity,
    RunningAxes,
    StoryScene,
    Vanish,
    batch_component,
    batch_gradient,
    batch_label,
    batch_mean,
    detour,
    epoch_gradient,
    epoch_label,
    keep_apart,
    running_average,
    weight,
)

FONT = TYPE.body
SMALL = TYPE.dense
FIRST_ENTRIES = 4  # entries of ∇C written at the top of its column
SLOW = 3  # the first examples of the many go by slowly, each value flying to its dot
PLOT_AT = RIGHT * 2.1 + DOWN * 0.45
IMAGE_AT = LEFT * 5.0 + DOWN * 0.75
IMAGE_SIZE = 2.0
NETWORK_WIDTH = 4.6  # the network beside the mean, at most
COLUMN_HEIGHT = 1.6  # a full mini-batch's column
CORNER_AT = LEFT * 5.0 + UP * 2.1  # the network, small, while the examples go by
CORNER_HEIGHT = 1.9
PARKED_AT = LEFT * 4.7 + DOWN * 3.3  # the mini-batch's mean, kept while the epoch goes by
SHUFFLED = 3  # mini-batches whose examples are drawn as the shuffle deals them
THUMB = 0.36  # a thumbnail's side in the shuffle
BATCH_COST = 'C_"batch"'  # the mean cost over the mini-batch, as Typst
BOX_BUFF = 0.08  # between a framed number and its frame, at any size
STEP_AT = RIGHT * 3.6 + DOWN * 1.85  # the network while it takes the step
USED = (GREY_A, 0.8)  # a mini-batch's column once its step is taken: gold is only ours


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
        for i in range(self.book.count(BATCH_SIZE)):
            image = PixelImage(self.book.batch_image(i), size=1.04)
            label = self.book.number(batch_label(i), font_size=SMALL)
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
        self.add(self.heading, *net.layers)  # the first frame already shows the network's neurons
        self.play(Create(net.edges))
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
        mean = self.book.row(
            f"(partial {BATCH_COST})/(partial {self.w}) ="
            f" 1/n sum_(i=0)^(n-1) (partial C_i)/(partial {self.w}) =",
            Q(BATCH_AVERAGE, HIGHLIGHT),
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
        self.play(Write(mean.lead), Appear(count), run_time=0.8)
        values = VGroup(*(tile[2] for tile in self.tiles[0])).copy()  # they leave their tiles
        self.add(values)
        average = mean.of(BATCH_AVERAGE)

        def flights(some: VGroup) -> LaggedStart:
            """``some`` of the values, one after another into the mean."""
            return LaggedStart(
                *(
                    v.animate(path_func=down_across_down).move_to(average).set_opacity(0)
                    for v in some
                ),
                lag_ratio=1.0,
            )

        early = len(values) * 2 // 3  # these go in before the line: its number is its start
        tiles = VGroup(*(tile[2] for tile in self.tiles[0]))  # each value leaves its own
        with self.replacing(values, average), self.replacing(tiles, values):
            self.play(flights(values[:early]), run_time=0.25 * early)
            self.say(
                "Their average is",
                BATCH_AVERAGE,
                ": the slope of the mini-batch's mean cost. The step will",
                "lower" if falls else "raise",
                "this weight.",
            )
            self.land_on(  # the last values in, and the mean as it is said
                BATCH_AVERAGE,
                Succession(flights(values[early:]), Appear(average, run_time=0.3)),
                run_time=1.2,
            )
        self.remove(values)
        box = SurroundingRectangle(average, color=HIGHLIGHT, buff=BOX_BUFF)
        self.play(Create(box))
        self.wait(1.0)
        self.mean = VGroup(mean, box)
        self.count = count

    def many_examples(self) -> None:
        self.beat("many-examples")
        total = self.book.count(TRAIN_SIZE)
        flashed, batch_size = self.book.count(EXAMPLES_SHOWN), self.book.count(BATCH_SIZE)
        settled = self.book.value(running_average(total))
        self.say(
            "Here come the first",
            EXAMPLES_SHOWN,
            "examples of the first epoch, each with its derivative, and the running mean of them.",
        )
        corner = self.network.copy().scale_to_fit_height(CORNER_HEIGHT).move_to(CORNER_AT)
        parked = self.mean.copy().scale(0.6)
        # the frame drawn afresh round the smaller number: scaled with it, its padding
        # would shrink under a stroke that does not, and the stroke would cross the digits
        parked[1].become(
            SurroundingRectangle(parked[0].of(BATCH_AVERAGE), color=HIGHLIGHT, buff=BOX_BUFF)
        )
        kept = self.caption("the first mini-batch:", font_size=TYPE.tiny)
        VGroup(kept, parked).arrange(DOWN, buff=0.12, aligned_edge=LEFT).move_to(PARKED_AT)
        self.play(Vanish(self.count), Vanish(self.tiles), run_time=0.5)
        self.play(  # the mean is kept: it is compared with the whole set's below
            Transform(self.network, corner), Transform(self.mean, parked), run_time=1.0
        )
        self.play(Appear(kept), run_time=0.4)
        self.kept = kept
        self.retitle(
            "The first epoch's examples in order (untrained network): each",
            f"$(partial C_i)/(partial {self.w})$",
            "and their running mean",
            font_size=TYPE.label,
        )
        values = [self.book.value(epoch_gradient(i)) for i in range(flashed)]
        means = [self.book.value(running_average(n)) for n in range(1, flashed + 1)]
        means += [self.book.value(running_average(n)) for n in self.book.average_readings()]
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
        axes_drawn = (
            Create(plot.axes),
            Appear(zero),
            Appear(values_up),
            Appear(counts),
            Appear(n_label),
        )

        for n in range(1, flashed + 1):  # each mean on screen, checked on exact values
            self.book.relation("mean", [epoch_gradient(i) for i in range(n)], running_average(n))
        # a new bitmap per example, labels typeset once: only the numbers are new
        image = PixelImage(self.book.epoch_image(0), size=IMAGE_SIZE).move_to(IMAGE_AT)
        prefix = MathTypst(f"(partial C_i)/(partial {self.w}) =", font_size=SMALL)
        prefix.next_to(image, DOWN, buff=0.3).shift(LEFT * 0.45)
        mean_prefix = MathTypst('"mean" =', font_size=SMALL)
        mean_prefix.next_to(plot.axes, UP, buff=0.25).align_to(plot.axes, RIGHT).shift(LEFT * 1.1)

        def example(i: int) -> VGroup:
            picture = PixelImage(self.book.epoch_image(i), size=IMAGE_SIZE).move_to(IMAGE_AT)
            label = self.book.number(epoch_label(i), font_size=TYPE.formula)
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
        self.play(*axes_drawn, Appear(shown), Appear(prefix))
        self.play(fly(shown[1], dot), Appear(dot), Appear(mean_prefix), Appear(legend))
        self.play(Appear(shown_mean), run_time=0.3)  # the first mean: the first dot itself
        self.remove(*flown)
        for i in range(1, flashed):
            n = i + 1
            self.remove(*shown)
            shown = example(i)
            self.add(shown)
            new_dot = plot.dot(n, values[i])
            path = plot.segment([n - 1, n], [means[i - 1], means[i]])
            if i < SLOW:
                self.play(fly(shown[1], new_dot), Appear(new_dot), Create(path), run_time=1.0)
                self.remove(*flown)
            else:
                self.play(Appear(new_dot), Create(path), run_time=0.3)
            self.remove(shown_mean)  # the mean of n once its line has reached the n-th dot
            shown_mean = mean(n)
            self.add(shown_mean)
            if n == batch_size:
                self.say(
                    "The first",
                    BATCH_SIZE,
                    "are the first mini-batch: their mean is the",
                    shown_mean.quantity,
                    "we found.",
                )
                ring = SurroundingRectangle(shown_mean, color=HIGHLIGHT, buff=0.06)
                band = self.span_band(plot, n)
                self.play(
                    Create(ring),
                    Appear(band),
                    Indicate(self.mean[0].of(BATCH_AVERAGE), color=HIGHLIGHT),
                    run_time=0.8,
                )
                self.wait(0.8)
                self.play(Vanish(ring), Vanish(band), run_time=0.3)
        self.play(Vanish(shown), Vanish(prefix), run_time=0.4)
        self.say("Then the mean takes in more and more of the epoch, drawn on a log scale.")
        previous = flashed
        for n in self.book.average_readings():
            counted = [previous, *range(previous + 1, n + 1)]
            path = plot.segment(counted, [self.book.value(running_average(c)) for c in counted])
            new_mean = mean(n)
            self.play(Create(path), run_time=0.7)
            self.remove(shown_mean)
            self.add(new_mean)
            shown_mean, previous = new_mean, n
        level = plot.level(settled)
        every = self.book.row(
            f"(partial C)/(partial {self.w}) =",
            Q(running_average(total), HIGHLIGHT),
            font_size=FONT,
        )
        whole = VGroup(
            self.caption("all", TRAIN_SIZE, "training examples:", font_size=SMALL), every
        ).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        whole.move_to(IMAGE_AT + UP * 0.6)
        self.say("Over all", TRAIN_SIZE, "it settles on", running_average(total), ".")
        self.play(Create(level))
        copy = shown_mean.copy()
        stops = [shown_mean.get_center() + UP * 0.45, CORNER_AT + RIGHT * 2.0 + UP * 0.55]
        settled_shown = every.of(running_average(total))
        self.play(Appear(whole[0]), Write(every.lead))
        with self.replacing(copy, settled_shown):  # round the legend and the dots, not through
            self.play(
                ReplacementTransform(
                    copy, settled_shown, path_func=detour(copy, settled_shown, stops)
                ),
                run_time=1.5,
            )
        self.play(Circumscribe(every, color=HIGHLIGHT))
        self.say(
            "The mini-batch's",
            BATCH_AVERAGE,
            "is a cheap estimate of it: close, not equal.",
            BATCH_SIZE,
            "examples instead of",
            TRAIN_SIZE,
            ".",
        )
        kept = self.kept
        arrow = Arrow(kept.get_top(), every.get_bottom(), buff=0.1, color=GREY_B, stroke_width=3)
        estimate = Typst("estimates", font_size=TYPE.tiny, fill_color=GREY_B)
        estimate.next_to(arrow, RIGHT, buff=0.15)
        self.until_word(BATCH_AVERAGE)  # the one, then the other it estimates
        self.play(Indicate(self.mean[0].of(BATCH_AVERAGE), color=HIGHLIGHT), run_time=1.0)
        self.until_word("estimate")
        self.play(GrowArrow(arrow), Appear(estimate))
        self.until_word("close")
        self.play(Indicate(settled_shown, color=HIGHLIGHT), run_time=1.0)
        # the examples each mean is over: the mini-batch's few, then the whole set
        few = self.span_band(plot, batch_size)
        self.until_word(BATCH_SIZE)
        self.play(Appear(few), run_time=0.5)
        self.until_word(TRAIN_SIZE)
        self.play(Transform(few, self.span_band(plot, total)), run_time=1.0)
        self.play(Vanish(few), run_time=0.4)
        self.plot = VGroup(plot, zero, counts, values_up, n_label, legend, level)
        self.whole = VGroup(whole, arrow, estimate)

    @staticmethod
    def span_band(plot: RunningAxes, count: int) -> Rectangle:
        """A faint gold band over the plot's first ``count`` examples: what a mean is over."""
        band = Rectangle(
            width=plot.point(count, 0)[0] - plot.point(1, 0)[0] + 0.2,
            height=plot.axes.height,
            stroke_width=0,
        ).set_fill(HIGHLIGHT, 0.12)
        return band.move_to(plot.axes).align_to(plot.point(1, 0) + LEFT * 0.1, LEFT)

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
        kept = (self.heading, self.network, self.mean, self.kept)
        gone = [Vanish(m) for m in self.mobjects if m not in kept]
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
        if vector.height > 5.5:  # room beneath for our weight's mean to pass
            vector.scale_to_fit_height(5.5)
        nabla = MathTypst(f"nabla {BATCH_COST} =", font_size=TYPE.formula)
        size = self.caption(GRADIENT_COMPONENTS, "components", font_size=FONT)
        group = VGroup(nabla, vector, size).arrange(RIGHT, buff=0.4).move_to(DOWN * 0.35)
        followed = entries[column.index(self.followed)]
        others = [e for e in vector.entries if e is not followed]
        self.play(  # the chart leaves first, then ∇C is written where it was: never over it
            AnimationGroup(
                AnimationGroup(*gone),
                AnimationGroup(Write(nabla), Create(vector.brackets)),
                lag_ratio=1.0,
            ),
            run_time=1.6,
        )
        self.retitle(
            "The first mini-batch's gradient: layer $L$'s weights row by row, then its biases,",
            "back to the first layer's",
            font_size=TYPE.label,
        )
        self.land_on(  # the count comes with the entries, as it is said
            GRADIENT_COMPONENTS,
            LaggedStart(
                *(Appear(e, shift=DOWN * 0.1) for e in others),
                Appear(size, shift=LEFT * 0.2),
                lag_ratio=0.12,
            ),
            run_time=2,
        )
        number, rest = self.mean[0].of(BATCH_AVERAGE), VGroup(self.mean[0].lead, self.mean[1])
        self.play(Vanish(rest), Vanish(self.kept), run_time=0.5)
        beside = number.copy().next_to(vector, RIGHT, buff=0.6).match_y(followed)
        under = [beside.get_x(), number.get_y(), 0]  # under the column, then up its right side
        self.play(
            number.animate(path_func=detour(number, beside, [under])).move_to(beside),
            run_time=1.2,
        )
        with self.replacing(number, followed):  # our weight's mean travels into its slot
            self.play(ReplacementTransform(number, followed), run_time=1.0)
        self.play(Indicate(followed, color=HIGHLIGHT, scale_factor=1.15))
        self.wait(1.0)
        self.vector, self.nabla, self.size = group, nabla, size

    def d_cost(self, quantity) -> str:
        return f"(partial {BATCH_COST})/(partial {self.sym(quantity)})"

    def step_figures(self, before: Quantity) -> dict[Quantity, int]:
        """Figures for the step's row ``w − η·mean = stepped`` so that it holds on the
        digits shown: the weight before the step gets more first, then the mean (also in
        ∇C with three), and the learning rate (a setting, whole as a rule) only if need be."""
        inputs = [before, LEARNING_RATE, BATCH_AVERAGE]

        def step(values: list[float]) -> float:
            w, eta, mean = values
            return w - eta * mean

        rows = [(inputs, STEPPED_WEIGHT)]
        rate = {LEARNING_RATE: SIGNIFICANT}
        found = self.book.column_figures_beside(
            rows, step, SIGNIFICANT, rate | {BATCH_AVERAGE: SIGNIFICANT}
        )
        if found is not None:
            return {before: found, BATCH_AVERAGE: SIGNIFICANT, **rate}
        found = self.book.column_figures_beside(rows, step, SIGNIFICANT, rate)
        if found is not None:
            return {before: found, BATCH_AVERAGE: found, **rate}
        found = self.book.figures_to_compose(inputs, step, STEPPED_WEIGHT)
        return dict.fromkeys(inputs, found)

    def one_step(self) -> None:
        self.beat("one-step")
        fell = self.book.value(BATCH_COST_AFTER) < self.book.value(BATCH_COST_BEFORE)
        before = weight(self.followed.layer, *self.followed.index, run=UNTRAINED)
        figures = self.step_figures(before)
        self.say(
            "One step moves every weight and bias against its component, times the learning",
            "rate",
            Q(LEARNING_RATE, significant=figures[LEARNING_RATE]),
            ". Our weight goes from",
            Q(before, significant=figures[before]),
            "to",
            STEPPED_WEIGHT,
            ".",
        )
        self.retitle("One step down the gradient")
        # the network comes forward to take the step, over ∇C rather than across it: it
        # shrinks into the strip above the column, crosses there while ∇C makes room, and
        # grows into place on the right, which the column never reaches
        aside = self.vector[1].get_top()[1] + 0.15  # the strip's floor
        small = self.network.copy().scale_to_fit_height(0.6)
        small.move_to(self.network).align_to([0, aside, 0], DOWN)
        self.play(Transform(self.network, small), Vanish(self.size), run_time=0.3)
        self.vector.remove(self.size)  # gone: neither moved back in nor laid out beside
        self.play(
            self.vector.animate.scale(0.85).to_edge(LEFT, buff=0.35),
            self.network.animate.set_x(STEP_AT[0]),
            run_time=0.5,
        )
        self.play(self.network.animate.scale_to_fit_height(2.9).move_to(STEP_AT), run_time=0.4)
        rule = self.book.row(
            f"{self.w} <- {self.w} - eta",
            self.d_cost(self.followed),
            ", quad eta =",
            LEARNING_RATE,
            font_size=FONT,
        )
        numbers = self.book.row(  # its arithmetic holds on the digits it shows
            f"{self.w} =",
            Q(before, WHITE, figures[before]),  # neutral: blue would read as "steps up"
            "-",
            Q(LEARNING_RATE, significant=figures[LEARNING_RATE]),
            "dot",
            Q(BATCH_AVERAGE, HIGHLIGHT, figures[BATCH_AVERAGE]),
            "=",
            STEPPED_WEIGHT,
            font_size=FONT,
        )
        block = VGroup(rule, numbers).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        block.next_to(self.vector, RIGHT, buff=0.5).to_edge(UP, buff=1.1)
        if block.get_right()[0] > 6.7:  # narrower, inside the safe area, beside ∇C
            block.scale((6.7 - block.get_left()[0]) / block.width, about_edge=LEFT)
        entry = self.vector[1].entries[
            self.book.gradient_column(FIRST_ENTRIES).index(self.followed)
        ]
        # our weight's component of ∇C comes into its update, each part as it is said
        self.play(Write(rule[0]), run_time=0.6)
        self.play(TransformFromCopy(entry[0], rule[1]), run_time=0.9)
        self.land_on(LEARNING_RATE, Appear(rule[2:]), run_time=0.6)
        average = numbers.of(BATCH_AVERAGE)
        at = list(numbers).index(average)
        self.land_on(before, Appear(numbers[: at - 1]), run_time=0.6)
        # under the row and up into its place: clear of the row's text on its way
        under = numbers.get_bottom()[1] - 0.35
        stops = [[average.get_x(), under, 0], [entry[-1].get_x(), under, 0]]
        path = detour(average, entry[-1], stops)  # TransformFromCopy runs from the target
        self.play(
            TransformFromCopy(entry[-1], average, path_func=path),
            Appear(numbers[at - 1]),
            run_time=1.0,
        )
        self.land_on(STEPPED_WEIGHT, Appear(numbers[at + 1 :]), run_time=0.6)
        net = self.network[0]
        self.say(
            "Every other weight and bias steps the same way. The edges now show each step:",
            "blue up, red down. The mean cost of the mini-batch",
            "falls" if fell else "rises",
            "from",
            BATCH_COST_BEFORE,
            "to",
            BATCH_COST_AFTER,
            ".",
        )
        costs = VGroup(
            self.book.row(f"{BATCH_COST} =", Q(BATCH_COST_BEFORE, COST_APART), font_size=SMALL),
            self.book.row(f"{BATCH_COST} =", Q(BATCH_COST_AFTER, COST_APART), font_size=SMALL),
        )
        words = VGroup(Typst("before the step:", font_size=SMALL), Typst("after:", font_size=SMALL))
        rows = VGroup(
            *(VGroup(w, c).arrange(RIGHT, buff=0.25) for w, c in zip(words, costs, strict=True))
        ).arrange(DOWN, buff=0.25, aligned_edge=RIGHT)
        rows.next_to(block, DOWN, buff=0.5).align_to(block, LEFT)
        legend = Typst(
            "edges: each weight's step (blue: up, red: down)",
            font_size=TYPE.tiny,
            fill_color=GREY_B,
        ).next_to(self.network, UP, buff=0.15)
        # every other component of ∇C steps its own weight or bias the same way
        self.play(Indicate(self.vector[1].entries, color=HIGHLIGHT, scale_factor=1.0), run_time=1.6)
        self.until_word("edges")
        self.play(
            net.crossfade_edges(self.book.batch_step(), own_scale=True),
            Appear(legend),
            run_time=1.5,
        )
        self.until_word("mean")
        self.play(Appear(rows[0]))
        self.until_word("from")
        self.play(Indicate(costs[0].of(BATCH_COST_BEFORE), color=COST_APART), run_time=0.8)
        self.until_word("to")  # and after the step, under it
        self.play(Appear(rows[1], shift=DOWN * 0.1))
        self.play(Indicate(costs[1].of(BATCH_COST_AFTER), color=COST_APART), run_time=0.8)
        # ∇C without its count of components, which left to make room: not back as a ghost
        self.step = VGroup(self.nabla, self.vector[1], block, rows, legend)

    def shuffle(self, *along: Animation) -> VGroup:
        """The first few mini-batches' examples, dealt by the shuffle: drawn in the order
        the training set keeps them, then moved to the epoch's order, then stacked in
        columns of a mini-batch each (the first column: the tiles averaged at the start)."""
        batch = self.book.count(BATCH_SIZE)
        shown = min(self.book.count(EXAMPLES_SHOWN), SHUFFLED * batch)
        thumbs = [PixelImage(self.book.epoch_image(i), size=THUMB) for i in range(shown)]
        positions = self.book.epoch_positions(shown)
        stored = np.argsort(np.argsort(positions))  # rank in the order the training set keeps
        pitch = min(THUMB * 1.15, 13.0 / shown)
        for i, thumb in enumerate(thumbs):
            thumb.move_to(RIGHT * (stored[i] - (shown - 1) / 2) * pitch + UP * 1.6)
        order = Typst("as the training set stores them", font_size=TYPE.tiny, fill_color=GREY_B)
        order.next_to(VGroup(*thumbs), UP, buff=0.2).align_to(VGroup(*thumbs), LEFT)
        dealt = Typst("shuffled", font_size=TYPE.tiny, fill_color=GREY_B).move_to(order, LEFT)
        self.play(
            LaggedStart(*(Appear(t) for t in thumbs), lag_ratio=0.03),
            Appear(order),
            *along,
            run_time=1.2,
        )
        self.play(Vanish(order), run_time=0.3)
        self.play(Appear(dealt), run_time=0.3)
        self.play(
            *(
                t.animate.move_to(RIGHT * (i - (shown - 1) / 2) * pitch + UP * 1.6)
                for i, t in enumerate(thumbs)
            ),
            run_time=1.8,
        )
        self.play(Vanish(dealt), run_time=0.3)
        return VGroup(*thumbs)

    def mini_batches(self) -> None:
        self.beat("mini-batches")
        batch = int(self.book.value(BATCH_SIZE))
        total = int(self.book.value(TRAIN_SIZE))
        steps = int(self.book.value(STEPS_PER_EPOCH))
        self.say(
            "Training shuffles its",
            TRAIN_SIZE,
            "examples, then cuts them into mini-batches of",
            BATCH_SIZE,
            ". The first is the one we followed.",
        )
        self.play(Vanish(self.step))
        self.retitle(
            "Stochastic gradient descent: shuffle, then one mini-batch per step",
            font_size=TYPE.label,
        )
        thumbs = self.shuffle(Vanish(self.network))
        pitch = 11.0 / steps
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
        columns.arrange(RIGHT, buff=pitch * 0.3, aligned_edge=DOWN)
        columns.move_to(DOWN * 2.1 + RIGHT * 1.2)
        dealt = range(0, len(thumbs), batch)  # the first mini-batches, as drawn
        whole = self.caption(
            "all", TRAIN_SIZE, "examples, shuffled, in columns of", BATCH_SIZE, font_size=SMALL
        )
        whole.next_to(columns, DOWN, buff=0.25)
        first = thumbs[:batch]
        ring = SurroundingRectangle(VGroup(*first), color=HIGHLIGHT, buff=0.05)
        ours = self.caption("the", BATCH_SIZE, "we averaged", font_size=TYPE.tiny)
        ours.set_color(HIGHLIGHT).next_to(ring, UP, buff=0.12).align_to(ring, LEFT)
        self.play(Create(ring), Appear(ours))
        self.wait(0.5)
        # the ring goes with its examples into their column, which fades in gold as they
        # fade out, in their place: the box is never empty
        columns[0].set_fill(HIGHLIGHT, 0.9)
        ring_column = SurroundingRectangle(columns[0], color=HIGHLIGHT, buff=0.05)
        self.play(
            *(
                FadeTransform(VGroup(*thumbs[s : s + batch]), column)
                for s, column in zip(dealt, columns, strict=False)
            ),
            ReplacementTransform(ring, ring_column),
            ours.animate.next_to(columns[0], UP, buff=0.15).align_to(columns[0], LEFT),
            LaggedStart(*(Appear(c) for c in columns[len(dealt) :]), lag_ratio=0.01, run_time=1.6),
            Appear(whole, shift=UP * 0.1),
            run_time=1.8,
        )
        self.play(Vanish(ring_column), run_time=0.5)  # the gold column stays: ours
        # above the columns: each mini-batch's own mean, scattered round the whole set's
        means = [self.book.value(batch_mean(s)) for s in range(steps)]
        settled = self.book.value(running_average(total))
        low, high = min(0.0, *means), max(*means, settled)
        top, height = 1.5, 2.3

        def y_of(value: float) -> float:
            return top - height + (value - low) / (high - low) * height

        zero = DashedLine(
            [columns.get_left()[0], y_of(0.0), 0],
            [columns.get_right()[0], y_of(0.0), 0],
            color=GREY_B,
            stroke_width=1,
            dash_length=0.06,
        )
        level = DashedLine(
            [columns.get_left()[0], y_of(settled), 0],
            [columns.get_right()[0], y_of(settled), 0],
            color=HIGHLIGHT,
            stroke_width=2.5,
            dash_length=0.12,
        )
        level_label = self.line(
            "all examples:", Q(running_average(total), HIGHLIGHT), font_size=TYPE.tiny
        ).next_to(level, LEFT, buff=0.15)
        zero_label = Typst("0", font_size=TYPE.tiny, fill_color=GREY_B).next_to(
            zero, LEFT, buff=0.15
        )
        dots = VGroup(
            *(
                Dot([column.get_x(), y_of(m), 0], radius=0.04, color=WHITE)
                for column, m in zip(columns, means, strict=True)
            )
        )
        first_value = self.line(
            "first mini-batch:", Q(batch_mean(0), HIGHLIGHT), font_size=TYPE.tiny
        )
        first_value.match_y(dots[0]).align_to(level_label, RIGHT)
        keep_apart([zero_label, level_label, first_value], gap=0.12)
        name = (
            self.caption(
                f"each mini-batch's own $(partial {BATCH_COST})/(partial {self.w})$,",
                "at the starting weights",
                font_size=TYPE.tiny,
            )
            .next_to(VGroup(dots, level), UP, buff=0.25)  # the labels are left of the columns
            .align_to(columns, LEFT)
        )
        self.say(
            "Each mini-batch gives its own estimate: they scatter round the whole set's",
            running_average(total),
            ", so each step is quick but noisy.",
        )
        self.play(
            Appear(name), Create(zero), Appear(zero_label), Create(level), Appear(level_label)
        )
        self.play(Appear(dots[0]), Appear(first_value))
        self.play(
            LaggedStart(
                *(
                    AnimationGroup(c.animate.set_fill(*USED), Appear(d))
                    for c, d in zip(columns[1:], dots[1:], strict=True)
                ),
                lag_ratio=0.05,
            ),
            run_time=5,
        )
        epoch_label = self.caption(
            STEPS_PER_EPOCH, "quick, noisy steps: one epoch", font_size=SMALL
        ).move_to(whole)
        self.say("Then the examples are shuffled again; the network trained for", EPOCHS, "epochs.")
        self.play(Vanish(whole), run_time=0.4)
        self.play(Appear(epoch_label, shift=UP * 0.1))
        repeat = self.caption(
            "shuffled again, and again:",
            EPOCHS,
            f"{self.plural(EPOCHS, 'epoch')} in all",
            font_size=SMALL,
        ).move_to(epoch_label)
        self.play(Vanish(epoch_label), run_time=0.4)
        # a new shuffle: the mini-batch we followed is no longer the first column, and the
        # dots (the first epoch's mini-batches at the starting weights) belong to no column
        # now; only the whole set's mean stays true
        self.play(
            columns.animate.set_fill(GREY_B, 0.45),
            Vanish(ours),
            Vanish(dots),
            Vanish(first_value),
            Vanish(name),
            Appear(repeat),
        )
        self.play(
            LaggedStart(*(c.animate.set_fill(*USED) for c in columns), lag_ratio=0.02),
            run_time=2,
        )
        self.wait(1)
