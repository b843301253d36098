"""The cost of one example: a real handwritten digit through three networks.

manim render -ql --save_sections scenes/digit_cost.py DigitCost
"""

from __future__ import annotations

import math

from manim import (
    DOWN,
    GREY_B,
    LEFT,
    PINK,
    RIGHT,
    UP,
    WHITE,
    AnimationGroup,
    Brace,
    Circle,
    Create,
    FadeIn,
    GrowFromCenter,
    GrowFromEdge,
    LaggedStart,
    Line,
    MathTypst,
    Mobject,
    Rectangle,
    ReplacementTransform,
    Succession,
    SurroundingRectangle,
    TransformFromCopy,
    Typst,
    VGroup,
    Write,
    config,
    smooth,
    squish_rate_func,
)

from bpcalc.viz import (
    EPOCHS,
    LABEL,
    OUTPUT,
    SNAPSHOT,
    SNAPSHOT_EPOCH,
    TARGET,
    TRAINED,
    TYPE,
    UNTRAINED,
    W_NEGATIVE,
    W_POSITIVE,
    Activation,
    Appear,
    Cost,
    CostTerm,
    NetworkDiagram,
    PixelGrid,
    Q,
    Quantity,
    Row,
    StoryScene,
    Target,
    Vanish,
    activation,
    cost,
    cost_term,
    cost_term_of,
    detour,
    format_value,
    prediction,
    target,
)

HISTORY_DRIFT = 0.2  # how far each row of the cost's history drifts in from the right
NET_HEIGHT = 5.4  # the network's columns, leaving a line for headers and one for the legend
INPUTS_X, OUTPUTS_X = -4.75, -0.35  # the pixel column and the output column, at any depth
DIGIT_WIDTH = 1.3  # the example, kept at the left for the whole scene
HEADER_GAP = 0.3  # from the output column's top to the headers' baseline
SAFE = 0.4  # text keeps this far from the frame's edges
RIGHT_EDGE = config.frame_width / 2 - SAFE
TARGETS_X = RIGHT_EDGE - 0.3  # the column of what we want
COST_HERE = PINK  # not the palette's red: here red is a negative weight on the edges
BOX = WHITE  # not the palette's yellow highlight: here yellow is what we want, y
HALF_LIT = (0.25, 0.75)  # outputs all in this range are "half lit": the network cannot tell
BOX_BUFF = 0.1  # between a framed number and its frame
# s: a term's flight into C₀'s place (without a voice; with one, paced to the line, at
# the quickest and the slowest), its landing there, and the sum's last rounding
FLIGHT, FLIGHTS, LANDING, SETTLE = 0.5, (0.25, 0.8), 0.15, 0.5


class ActivationBars(VGroup):
    """Each output's activation as a bar over a faint track from 0 to 1, an axis under them."""

    def __init__(self, values: list[float], neurons: VGroup, left: float, length: float) -> None:
        self.tracks, self.bars = VGroup(), VGroup()
        for value, neuron in zip(values, neurons, strict=True):
            y = neuron.get_y()
            track = Line([left, y, 0], [left + length, y, 0], stroke_width=12)
            self.tracks.add(track.set_stroke(WHITE, opacity=0.12))
            bar = Rectangle(width=max(value * length, 0.02), height=0.2, stroke_width=0)
            self.bars.add(bar.set_fill(WHITE, 0.85).move_to([left, y, 0], aligned_edge=LEFT))
        bottom = neurons.get_bottom()[1] - 0.2
        self.axis = VGroup(
            *(
                MathTypst(text, font_size=TYPE.dense, color=GREY_B).move_to(
                    [left + length * at, bottom, 0], aligned_edge=UP
                )
                for text, at in (("0", 0), ("1", 1))
            )
        )
        super().__init__(self.tracks, self.bars, self.axis)


class DigitCost(StoryScene):
    """Five beats: the digit, the forward pass, its cost, before training, after training.

    The digit stays at the left and the network in the middle; each network's numbers
    appear beside the output neuron they come from, as it lights, and leave before the
    next network is run, so every number on screen belongs to the network drawn.
    """

    story = "digits"
    story_order = 1
    title = "The cost of one handwritten digit"
    poster_beat = "cost"  # its last frame is the poster

    def construct(self) -> None:
        self.show_digit()
        self.feed_forward()
        self.cost_of_example()
        self.untrained_contrast()
        self.trained_contrast()

    def verdict(self, run: str) -> tuple[str | Quantity, ...]:
        """How the network in ``run`` reads the example, in words chosen from its answer."""
        if self.book.value(prediction(run)) == self.book.value(LABEL):
            return ("reads it correctly as a", LABEL, ".")
        return ("reads it as a", prediction(run), ", not a", LABEL, ".")

    def how_lit(self, run: str) -> str:
        """The outputs of ``run`` at a glance, in words chosen from their activations."""
        values = sorted(
            self.book.value(activation(OUTPUT, j, run)) for j in range(len(self.outputs))
        )
        if values[-1] < HALF_LIT[0]:
            return "Every output is dim"
        if HALF_LIT[0] <= values[0] and values[-1] <= HALF_LIT[1]:
            return "Every output is half lit"
        if values[-1] > HALF_LIT[1] and values[-2] < 1 - HALF_LIT[1]:
            return "One output is lit, the rest are dark"
        return "Its outputs are lit unevenly"

    def epochs(self, count: Quantity) -> str:
        return self.plural(count, "epoch")

    # the digit

    def show_digit(self) -> None:
        self.beat("digit")
        self.grid = PixelGrid(self.book, self.book.image()).shift(DOWN * 0.3)
        self.heading = self.caption(
            "A real handwritten",
            Q(LABEL, TARGET),
            "from the test set, pixel by pixel, with its grey levels",
        )
        self.say("This is a real handwritten", LABEL, "from the test set, pixel by pixel,")
        self.add(self.heading)  # the first frame already has its title
        self.play(Appear(self.grid.cells, shift=UP * 0.2))
        self.say("each with its grey level. Every pixel is one input of the network.")
        self.play(Appear(self.grid.levels))

    # the network and its forward pass

    def build_network(self) -> None:
        """The network laid out once between two fixed columns, whatever its depth, with
        room on the right for the cost; it never moves."""
        network = self.book.network(SNAPSHOT)
        gap = (OUTPUTS_X - INPUTS_X) / (len(network.sizes) - 1)
        self.net = NetworkDiagram(self.book, network, height=NET_HEIGHT, layer_gap=gap)
        self.net.shift(RIGHT * (INPUTS_X - self.net.layers[0].get_x()) + DOWN * 0.05)
        self.last = len(self.net.layers) - 1
        self.outputs = VGroup(
            *(
                MathTypst(str(j), font_size=TYPE.dense).next_to(neuron, RIGHT, buff=0.15)
                for j, neuron in enumerate(self.net.layers[self.last])
            )
        )
        self.inputs_header = self.header(
            Typst(f"{network.sizes[0]} pixels", font_size=TYPE.label, color=GREY_B),
            self.net.layers[0].get_x(),
        )
        self.legend = self.edge_legend()

    def header(self, name: Mobject, x: float) -> Mobject:
        """A column's name above it, on one line with the other columns' names."""
        top = self.net.layers[self.last].get_top()[1]
        return name.move_to([x, top + HEADER_GAP, 0], aligned_edge=DOWN)

    def edge_legend(self) -> VGroup:
        """What an edge's colour says, under the network: red is a sign only on edges."""
        entries = VGroup()
        for color, words in ((W_POSITIVE, "positive weight"), (W_NEGATIVE, "negative weight")):
            stroke = Line(LEFT * 0.25, RIGHT * 0.25, color=color, stroke_width=4)
            entries.add(VGroup(stroke, Typst(words, font_size=TYPE.label)).arrange(RIGHT))
        entries.arrange(RIGHT, buff=0.5)
        return entries.move_to(
            [-config.frame_width / 2 + SAFE, self.net.get_bottom()[1] - 0.35, 0],
            aligned_edge=LEFT + UP,
        )

    def feed_forward(self) -> None:
        self.beat("forward-pass")
        self.build_network()
        self.showing(SNAPSHOT)
        self.say(
            "Flattened into a column, the pixels feed a network that has trained for",
            SNAPSHOT_EPOCH,
            self.epochs(SNAPSHOT_EPOCH) + "; an epoch is one pass over the whole training set.",
        )
        digit_place = [-config.frame_width / 2 + SAFE + DIGIT_WIDTH / 2, 0, 0]
        self.play(Vanish(self.grid.levels), run_time=0.5)  # the levels leave before the cells go
        self.retitle(
            "A network after", SNAPSHOT_EPOCH, self.epochs(SNAPSHOT_EPOCH) + " of training"
        )
        self.play(self.grid.cells.animate.scale_to_fit_width(DIGIT_WIDTH).move_to(digit_place))
        lit = self.net.layers[0].copy()
        for j, square in enumerate(lit):
            square.set_fill(opacity=self.net.activation(SNAPSHOT, 0, j))
        # a copy of the digit slides out whole into the empty middle, then unrolls into
        # the column: no pixel passes over the digit left behind
        pixels = self.grid.cells.copy()
        self.play(pixels.animate.set_x(self.net.layers[1].get_x()), run_time=0.8)
        self.play(ReplacementTransform(pixels, lit), Appear(self.inputs_header), run_time=2)
        self.remove(lit)
        self.add(self.net.edges, *self.net.layers)
        self.net.layers[0].become(lit)
        self.rows = self.cost_rows(SNAPSHOT)
        values = [self.book.value(activation(OUTPUT, j, SNAPSHOT)) for j in range(len(self.rows))]
        left = max(row.of(Activation).get_right()[0] for row in self.rows) + 0.35
        length = RIGHT_EDGE - 0.2 - left  # the "1" under the track's end stays inside
        self.bars = ActivationBars(values, self.net.layers[self.last], left, length)
        self.a_header = self.header(
            MathTypst("a_j", font_size=TYPE.label), self.rows[0].of(Activation).get_x()
        )
        self.play(
            Create(self.net.edges),
            Appear(VGroup(*self.net.layers[1:]), self.outputs, self.legend),
            Appear(self.bars.tracks, self.bars.axis),
            run_time=1.2,
        )
        self.say(
            "Layer by layer, each neuron lights up with its activation: aⱼ for output j,"
            " from dark to fully lit."
        )
        self.light_hidden(SNAPSHOT)
        self.until_word("activation")
        self.play(
            Appear(self.a_header),
            LaggedStart(
                *(
                    AnimationGroup(
                        self.net.light_neuron(SNAPSHOT, self.last, j),
                        self.rise(self.net.layers[self.last][j], row.of(Activation)),
                        GrowFromEdge(bar, LEFT),
                    )
                    for j, (row, bar) in enumerate(zip(self.rows, self.bars.bars, strict=True))
                ),
                lag_ratio=0.12,
            ),
            run_time=2.5,
        )
        self.say(
            self.how_lit(SNAPSHOT) + "; its brightest output is its answer: it",
            *self.verdict(SNAPSHOT),
        )
        self.until_word("answer")
        answer = self.answer(SNAPSHOT)
        self.pick = self.answer_box(
            answer, VGroup(self.rows[answer].of(Activation), self.bars.bars[answer])
        )
        self.play(Create(self.pick))

    def rise(self, neuron: Mobject, number: Mobject) -> FadeIn:
        """The number comes out of its neuron, over the output's digit and down into
        its place in the row, between the rows above and below."""
        above = neuron.get_y() + (self.outputs[0].get_y() - self.outputs[1].get_y()) / 2
        stops = [[neuron.get_x(), above, 0], [number.get_x(), above, 0]]
        path = detour(neuron, number, stops)
        return FadeIn(number, target_position=neuron, scale=0.4, path_func=path)

    def light_hidden(self, run: str) -> None:
        """Light the layers between the inputs and the outputs for ``run``, one by one."""
        for layer in range(1, self.last):
            self.bring_to_front(self.net.layers[layer])  # only the moving column is redrawn
            self.play(*self.net.light(run, layer), run_time=0.6)

    def answer(self, run: str) -> int:
        return int(self.book.value(prediction(run)))

    def answer_box(self, answer: int, beside: Mobject) -> SurroundingRectangle:
        """The answer's neuron, digit and what is written beside it, framed."""
        group = VGroup(self.net.layers[self.last][answer], self.outputs[answer], beside)
        return SurroundingRectangle(group, color=BOX, buff=0.08)

    # the cost

    def cost_rows(self, run: str) -> VGroup:
        """(a_j − y_j)² = value, one row beside each output neuron, a_j first in line.

        Every number in fixed decimals, one count for each column: the terms as many as
        they need to add up to C₀ as shown (and no fewer than C₀ has), each a_j as many as
        it needs to square to its term; so every network's rows read alike and a viewer
        can redo their arithmetic, with no number rounded to a falsehood."""
        book, rows = self.book, VGroup()
        left = self.outputs.get_right()[0] + 0.3
        terms = [cost_term(j, run) for j in range(len(self.outputs))]
        term_decimals = self.term_decimals(run)
        a_decimals = book.decimals_to_compose(
            [([activation(OUTPUT, j, run), target(j)], term) for j, term in enumerate(terms)],
            cost_term_of,
            term_decimals,
        )
        for j, label in enumerate(self.outputs):
            a, y = activation(OUTPUT, j, run), target(j)
            row = book.row(
                "(",
                Q(a, decimals=a_decimals),
                "-",
                y,
                ")^2 =",
                Q(terms[j], COST_HERE, decimals=term_decimals),
                font_size=TYPE.dense,
            )
            rows.add(row.move_to([left, label.get_y(), 0], aligned_edge=LEFT))
        book.relation("sum", terms, cost(run))
        return rows

    def term_decimals(self, run: str) -> int:
        """The decimals of ``run``'s terms: the fewest at which they add up to C₀ as
        shown, and at least as many as C₀ is shown with."""
        total = format_value(self.book.value(cost(run)))  # as C₀ is shown
        terms = [cost_term(j, run) for j in range(len(self.outputs))]
        least = len(total.partition(".")[2])
        return self.book.decimals_to_compose([(terms, cost(run))], math.fsum, least=least)

    @staticmethod
    def squared(row: Row) -> VGroup:
        """The square and its value, which come after the difference is written."""
        return VGroup(row.part(")^2 ="), row.of(CostTerm))

    def targets(self) -> VGroup:
        """What we want of each output: a column of neurons, lit only for the label."""
        column = VGroup()
        for neuron in self.net.layers[self.last]:
            circle = Circle(radius=neuron.width / 2, color=TARGET, stroke_width=1.5)
            column.add(circle.move_to([TARGETS_X, neuron.get_y(), 0]))
        for j, circle in enumerate(column):
            circle.set_fill(TARGET, opacity=self.book.value(target(j)))
        return column

    def cost_of_example(self) -> None:
        self.beat("cost")
        self.say(
            "How wrong is it? Compare each output with what we want, y: fully lit for the",
            LABEL,
            ", dark for the rest, and square each difference.",
        )
        wanted = self.targets()
        y_header = self.header(MathTypst("y_j", font_size=TYPE.label, color=TARGET), TARGETS_X)
        self.play(Vanish(self.bars, self.pick))
        self.picks: list[Mobject] = []  # the answer, framed while it is on screen
        self.until_word("want")
        self.play(Appear(wanted, y_header))
        self.play(
            LaggedStart(
                *(
                    AnimationGroup(
                        Appear(VGroup(row.part("("), row.part("-"))),
                        TransformFromCopy(circle, row.of(Target)),
                    )
                    for row, circle in zip(self.rows, wanted, strict=True)
                ),
                lag_ratio=0.1,
            ),
            run_time=2,
        )
        self.until_word("square")
        self.play(
            LaggedStart(*(Appear(self.squared(row), shift=LEFT * 0.15) for row in self.rows)),
            lag_ratio=0.1,
            run_time=1.5,
        )
        self.say(
            "Add them up, term by term: their sum is the cost of this one example, C₀:",
            cost(SNAPSHOT),
            ".",
        )
        self.definition = MathTypst(
            "C_0 = scripts(sum)_j (a_j - {{ y_j : y }})^2", font_size=TYPE.body
        )
        self.definition.select("y").set_color(TARGET)
        self.definition.to_corner(DOWN + RIGHT, buff=SAFE)
        self.play(Vanish(wanted, y_header), Write(self.definition))
        self.sum_up(SNAPSHOT)

    def sum_up(self, run: str) -> None:
        """C₀ = is written beside the rows as their terms lift off one after another, at
        their own size, travel between the rows and land in C₀'s place: as each comes the
        sum so far leaves, and the term turns into the next (the sum of the terms landed,
        as shown), so C₀'s place never holds more than two numbers; the last lands as the
        line says C₀. A brace then gathers the column the terms came from; C₀ is framed."""
        terms = [row.of(CostTerm) for row in self.rows]
        self.brace = Brace(VGroup(*terms), RIGHT, buff=0.15)
        self.total = self.book.row("C_0 =", Q(cost(run), COST_HERE), font_size=TYPE.formula)
        self.book.relation_on_screen("sum", terms, self.total.of(Cost))
        self.total.next_to(self.brace, RIGHT, buff=0.2)
        sums = self.book.partial_sums(terms, TYPE.formula, COST_HERE)
        widest = max(m.width for m in [*sums, self.total[1]])
        room = RIGHT_EDGE - BOX_BUFF - (self.total[1].get_left()[0] + widest)
        if room < 0:  # a long number in a long row: shrink the total (and sums) to fit
            shrink = (self.total.width + room) / self.total.width
            self.total.scale(shrink).next_to(self.brace, RIGHT)
            for partial in sums:
                partial.scale(shrink)
        value = self.total[1]
        for partial in sums:
            partial.move_to(value, aligned_edge=LEFT)
        settle = SETTLE if sums[-1].text != value.text else 0.0  # 3.290 is 3.29, 0.8499 0.850
        past = self.brace.get_right()[0] + 0.2  # out of the rows before they close in
        lift = (self.rows[0].get_y() - self.rows[1].get_y()) / 2  # half the rows' pitch
        copies = [term.copy() for term in terms]
        shown: Mobject | None = None
        with self.replacing(VGroup(*copies, *sums), VGroup(*sums, value)):  # landings
            for k, (term, copy, partial) in enumerate(zip(terms, copies, sums, strict=True)):
                # paced afresh before each term: each play is a whole number of frames
                flight = self.flight_time(cost(run), len(terms) - k, settle)
                # up out of its row into the gap above it (below it, under the total's
                # line), right past the column, along the gap to C₀'s place, onto it
                lane = term.get_y() + (lift if term.get_y() > value.get_y() else -lift)
                stops = [[term.get_right()[0] + 0.25, lane, 0], [past, lane, 0]]
                stops.append([partial.get_center()[0], lane, 0])
                scale = max(partial.height / copy.height, 0.7)
                path = detour(copy, partial, stops)
                arrive = copy.animate(path_func=path, run_time=flight).scale(scale)
                # the sum so far leaves as the term comes, which then turns into the new sum
                landing = Succession(
                    arrive.move_to(partial), ReplacementTransform(copy, partial, run_time=LANDING)
                )
                if shown is None:  # "C₀ =" is written as the first term comes
                    self.play(landing, Write(self.total[0], run_time=flight + LANDING))
                else:
                    leave = Vanish(shown, run_time=flight, rate_func=squish_rate_func(smooth, 0.5))
                    self.play(landing, leave)
                shown = partial
            if settle:
                self.play(ReplacementTransform(shown, value), run_time=settle)
            else:
                self.remove(*sums)
                self.add(value)
        self.box = SurroundingRectangle(value, color=BOX, buff=BOX_BUFF)
        self.play(GrowFromCenter(self.brace), Create(self.box))

    def flight_time(self, total: Quantity, count: int, settle: float) -> float:
        """The flight of each of the ``count`` terms still to land, so that the last
        landing (and the rounding after it) ends as the line being said reaches
        ``total``: the running sums keep pace with the words, never behind them; a line
        with time to spare waits first."""
        ahead = self.ahead_of(total)
        if ahead is None:
            return FLIGHT
        flight = min(max((ahead - settle) / count - LANDING, FLIGHTS[0]), FLIGHTS[1])
        spare = ahead - settle - count * (flight + LANDING)
        if spare >= 1 / config.frame_rate:
            self.wait(spare)
        return flight

    # the other networks

    def swap_network(self, run: str, network, *title: str | Quantity | Q) -> None:
        """Run the example through another network: the numbers of the last one leave
        with its lit neurons, the edges fade to the new weights under a new title, and
        the layers light one by one, each output bringing its row."""
        self.play(
            Vanish(self.rows, self.brace, self.total, self.box, *self.picks),
            Vanish(self.heading, shift=UP * 0.2),
            *self.net.darken(),
        )
        self.heading = self.caption(*title)
        self.play(
            Appear(self.heading, shift=UP * 0.2), self.net.crossfade_edges(network), run_time=1
        )
        self.showing(run)
        self.light_hidden(run)
        self.rows = self.cost_rows(run)
        outputs = self.net.layers[self.last]
        self.play(
            LaggedStart(
                *(
                    AnimationGroup(
                        self.net.light_neuron(run, self.last, j),
                        Succession(
                            self.rise(outputs[j], row.of(Activation)),
                            Appear(VGroup(*(m for m in row if m is not row.of(Activation)))),
                        ),
                    )
                    for j, row in enumerate(self.rows)
                ),
                lag_ratio=0.12,
            ),
            run_time=2.5,
        )

    def untrained_contrast(self) -> None:
        self.beat("untrained")
        self.say("Before any training, the network had the random weights it started from.")
        self.swap_network(
            UNTRAINED,
            self.book.network(UNTRAINED),
            "The same",
            Q(LABEL, TARGET),
            "through the untrained network",
        )
        self.say(self.how_lit(UNTRAINED) + ": it", *self.verdict(UNTRAINED))
        self.box_answer(UNTRAINED)
        self.say(
            "Add up its terms once more, one after another: the cost of the same",
            LABEL,
            "is",
            cost(UNTRAINED),
            ".",
        )
        self.sum_up(UNTRAINED)

    def box_answer(self, run: str) -> None:
        """Frame the answer of ``run`` as the line being said names it ("reads it ...")."""
        answer = self.answer(run)
        self.picks = [self.answer_box(answer, self.rows[answer])]
        self.until_word("reads")
        self.play(Create(self.picks[0]))

    def trained_contrast(self) -> None:
        self.beat("trained")
        self.say("And after all", EPOCHS, self.epochs(EPOCHS) + " of training?")
        self.swap_network(
            TRAINED,
            self.book.network(TRAINED),
            "After all",
            EPOCHS,
            self.epochs(EPOCHS) + " of training",
        )
        self.say(self.how_lit(TRAINED) + ": it", *self.verdict(TRAINED))
        self.box_answer(TRAINED)
        fell = self.book.value(cost(TRAINED)) < self.book.value(cost(SNAPSHOT))
        self.say(
            "Add them up one last time, term by term: its cost for this example",
            "has fallen to" if fell else "is now",
            cost(TRAINED),
            ".",
        )
        self.sum_up(TRAINED)
        self.say(
            "So the cost is small when the network is confidently right, and large when it is"
            " unsure or wrong: it is what training drives down."
        )
        history = self.cost_history()
        self.play(Vanish(self.rows, self.brace, self.box, self.a_header, *self.picks))
        self.retitle("The cost: small when sure and right, large when unsure or wrong")
        self.showing(UNTRAINED, SNAPSHOT, TRAINED)
        slot = self.total[1].get_center()  # C₀'s place, where each cost was summed
        self.play(  # C₀ slides into its line, and the line's words come at once
            Succession(
                ReplacementTransform(self.total, history[2][1]),
                Appear(history[2][0], run_time=0.4),
            ),
            run_time=1.2,
        )
        earlier = [row[1].of(Cost) for row in history[:2]]
        # each rises from C₀'s place just right of the column, up its side, then left into
        # its own line: it crosses neither the line below it nor the number left in the slot
        side = [
            min(history.get_right()[0] + 0.2 + n.width / 2, RIGHT_EDGE - n.width / 2)
            for n in earlier
        ]
        flyers = [
            n.copy().scale(0.6).move_to([x, slot[1], 0]).set_opacity(0)
            for n, x in zip(earlier, side, strict=True)
        ]
        with self.replacing(VGroup(*earlier), history[2]):  # they rise out of C₀'s place
            self.play(
                LaggedStart(
                    *(
                        AnimationGroup(
                            ReplacementTransform(
                                flyer,
                                number,
                                path_func=detour(flyer, number, [[x, number.get_y(), 0]]),
                            ),
                            Appear(
                                row[0],
                                *(m for m in row[1] if m is not number),
                                shift=LEFT * HISTORY_DRIFT,
                            ),
                        )
                        for row, number, flyer, x in zip(
                            history[:2], earlier, flyers, side, strict=True
                        )
                    ),
                    lag_ratio=0.4,
                ),
                run_time=1.6,
            )
        self.play(Create(SurroundingRectangle(history[2][1].of(Cost), color=BOX, buff=BOX_BUFF)))
        self.wait(3)

    def after(self, count: Quantity, size: float) -> VGroup:
        return self.line("after", count, self.epochs(count) + " of training:", font_size=size)

    def cost_notation(self) -> bool:
        """One notation for the three costs, which end in one column (the history)."""
        return self.book.scientific([cost(run) for run in (UNTRAINED, SNAPSHOT, TRAINED)])

    def cost_history(self) -> VGroup:
        """The example's cost before training, at the snapshot, and after training."""
        size = TYPE.number
        stages = [
            (self.line("before training:", font_size=size), UNTRAINED),
            (self.after(SNAPSHOT_EPOCH, size), SNAPSHOT),
            (self.after(EPOCHS, size), TRAINED),
        ]
        rows = VGroup(
            *(
                VGroup(
                    words,
                    self.book.row(
                        "C_0 =",
                        Q(cost(run), COST_HERE, scientific=self.cost_notation()),
                        font_size=size,
                    ),
                ).arrange(RIGHT, buff=0.1)
                for words, run in stages
            )
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.45)
        room = RIGHT_EDGE - BOX_BUFF - self.outputs.get_right()[0] - 0.9 - HISTORY_DRIFT
        if rows.width > room:  # a long number: shrink the history to fit
            rows.scale_to_fit_width(room)
        rows.next_to(self.outputs, RIGHT, buff=0.9)
        # the last line level with the total on screen, which slides into it
        return rows.shift(UP * (self.total.get_y() - rows[-1].get_y()))
