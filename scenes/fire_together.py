"""Which weights should change most? Neurons that fire together wire together.

manim render -ql --save_sections scenes/fire_together.py FireTogether
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    Arrow,
    Create,
    Indicate,
    LaggedStart,
    MathTypst,
    SurroundingRectangle,
    Typst,
    ValueTracker,
    VGroup,
    Write,
)

from bpcalc.viz import (
    COST,
    HIGHLIGHT,
    LABEL,
    OUTPUT,
    SIGMA,
    SNAPSHOT,
    SNAPSHOT_EPOCH,
    SNAPSHOT_PREDICTION,
    TARGET,
    TYPE,
    Appear,
    NetworkDiagram,
    PixelGrid,
    Q,
    Quantity,
    StateBar,
    StateReadout,
    StoryScene,
    Vanish,
    activation,
    between,
    edge_style,
    gradient,
    path_term,
    restroke,
    sweep_activation,
    sweep_gradient,
    weight,
    weighted_input,
)

SMALL = TYPE.label
ROW = TYPE.dense
L = OUTPUT
RUN = SNAPSHOT  # the network partway through training: its wishes are readable
TOP_RANKS = 5  # how many neurons each ranking lists
EDGE_GAIN = 2.2  # edges into the focus neuron are drawn this many times wider


class FireTogether(StoryScene):
    """Six beats: last two layers, wishes, fire together, the chain-rule link, a neuron's
    brightness swept, backwards."""

    story = "digits"
    story_order = 4
    title = "Neurons that fire together wire together"
    poster_beat = "fire-together"  # its last frame is the poster

    def construct(self) -> None:
        self.showing(SNAPSHOT)  # the story is told on the snapshot network
        self.digits = self.book.story.digits
        self.snapshot = self.digits.snapshot
        self.fire = self.snapshot.fire
        self.last = self.fire.layer
        self.show_last_layers()
        self.show_wishes()
        self.fire_together()
        self.link_to_chain_rule()
        self.sweep_brightness()
        self.propagate_backwards()

    # words chosen from values ----------------------------------------------------

    def epochs_word(self) -> str:
        return "epoch" if self.book.value(SNAPSHOT_EPOCH) == 1 else "epochs"

    def is_right(self) -> bool:
        """Does the snapshot network read the example as its label?"""
        return self.book.value(SNAPSHOT_PREDICTION) == self.book.value(LABEL)

    @staticmethod
    def up_down(wish_gradient: float) -> str:
        """Against the gradient: a negative ∂C0/∂z means the output should go up."""
        return "up" if wish_gradient < 0 else "down"

    @staticmethod
    def grow_shrink(weight_gradient: float) -> str:
        return "increase" if weight_gradient < 0 else "decrease"

    # pieces ------------------------------------------------------------------------

    def arrows(
        self, column: VGroup, sizes: list[float], x_shift: float, longest: float = 0.6
    ) -> VGroup:
        """Up or down arrows beside neurons, length by size (signed), the largest ``longest``."""
        largest = max(abs(s) for s in sizes) or 1.0
        group = VGroup()
        for neuron, size in zip(column, sizes, strict=True):
            start = neuron.get_center() + RIGHT * x_shift
            length = 0.08 + (longest - 0.08) * abs(size) / largest
            direction = UP if size > 0 else DOWN
            group.add(
                Arrow(
                    start - direction * length / 2,
                    start + direction * length / 2,
                    buff=0,
                    color=SIGMA,
                    stroke_width=4,
                    max_tip_length_to_length_ratio=0.35,
                )
            )
        return group

    @staticmethod
    def delta(j: int) -> Quantity:
        """δ_j = ∂C0/∂z_j of the output layer: output j's wish."""
        return gradient(weighted_input(L, j, RUN))

    # beats ---------------------------------------------------------------------

    def show_last_layers(self) -> None:
        self.beat("last-layers")
        right = self.is_right()
        self.heading = self.caption(
            "The last two layers, after",
            SNAPSHOT_EPOCH,
            f"{self.epochs_word()} of training, reading a",
            Q(LABEL, TARGET),
        )
        self.net = NetworkDiagram(
            self.book,
            self.snapshot.network,
            height=6.2,
            layer_gap=3.8,
            radius=0.17,
            first_layer=self.last - 1,
            individual_edges=True,
        )
        self.net.to_edge(LEFT, buff=1.0).shift(DOWN * 0.25)
        previous, outputs = self.net.layers[self.last - 1], self.net.layers[self.last]
        self.digit_labels = VGroup(
            *(
                MathTypst(str(j), font_size=ROW).next_to(n, RIGHT, buff=0.15)
                for j, n in enumerate(outputs)
            )
        )
        heads = VGroup(
            MathTypst("a_k^((L-1))", font_size=SMALL + 4).next_to(previous, UP, buff=0.15),
            MathTypst("a_j^((L))", font_size=SMALL + 4).next_to(outputs, UP, buff=0.15),
        )
        grid = PixelGrid(self.book, self.snapshot.example.image, cell=0.36, show_levels=False)
        verdict = VGroup(
            Typst("read as", font_size=SMALL + 8),
            self.book.number(SNAPSHOT_PREDICTION, TARGET, SMALL + 8),
            Typst(": right" if right else ": wrong", font_size=SMALL + 8),
        ).arrange(RIGHT, buff=0.12)
        verdict[1].align_to(verdict[0], DOWN)
        verdict[-1].set_color(TARGET if right else COST).align_to(verdict[0], DOWN)
        verdict[-1].next_to(verdict[1], RIGHT, buff=0.04)
        self.example = VGroup(grid, verdict).arrange(DOWN, buff=0.35)
        self.example.move_to(RIGHT * 4.4 + DOWN * 0.25)
        self.say(
            "The last two layers of the network after",
            SNAPSHOT_EPOCH,
            f"{self.epochs_word()} of training, shown a handwritten",
            LABEL,
            ".",
        )
        self.play(Appear(self.heading), Appear(grid))
        self.add(self.net.edges)
        self.play(Create(self.net.edges), Appear(previous), Appear(outputs), run_time=2)
        self.bring_to_front(self.heading)  # retitles then redraw the heading only
        self.say(
            "The brightest output is its answer:",
            SNAPSHOT_PREDICTION,
            ".",
            "That is right." if right else "That is wrong.",
        )
        predicted = int(self.book.value(SNAPSHOT_PREDICTION))
        self.play(
            *self.net.light(RUN, self.last - 1),
            *self.net.light(RUN, self.last),
            Appear(heads),
            Appear(self.digit_labels),
        )
        self.play(
            Indicate(outputs[predicted], color=TARGET),
            Indicate(self.digit_labels[predicted], color=TARGET),
            Appear(verdict, shift=UP * 0.2),
        )
        self.wait(2.5)

    def show_wishes(self) -> None:
        self.beat("wishes")
        label, strongest = self.fire.focus, self.snapshot.strongest_wish
        self.say(
            "Each output wants to move against its gradient δ_j:",
            "up if it is too dim, down if it is too bright.",
        )
        self.retitle("What each output wants: up if too dim, down if too bright")
        outputs = self.net.layers[self.last]
        wishes = list(self.fire.wishes)
        self.wish_arrows = self.arrows(outputs, wishes, 0.8)
        self.deltas = VGroup(
            *(
                self.book.row(f"delta_{j} =", Q(self.delta(j), SIGMA), font_size=ROW)
                .next_to(arrow, RIGHT, buff=0.2)
                .match_y(outputs[j])
                for j, arrow in enumerate(self.wish_arrows)
            )
        )
        for row in self.deltas:
            row.align_to(self.deltas[0], LEFT)
        self.play(LaggedStart(*(Create(a) for a in self.wish_arrows), lag_ratio=0.1))
        self.play(Appear(self.deltas))
        self.wait(1)
        self.say(
            f"Output {strongest} wants to move most:",
            self.up_down(self.book.value(self.delta(strongest))) + ", with δ =",
            self.delta(strongest),
            ".",
        )
        self.play(
            Indicate(self.wish_arrows[strongest], color=HIGHLIGHT),
            Indicate(self.deltas[strongest], color=HIGHLIGHT),
        )
        self.wait(1.5)
        if strongest == label:
            self.say("That is output", LABEL, ", the right answer: we follow it.")
        else:
            self.say(
                "We follow output",
                LABEL,
                ", the right answer: it wants to go",
                self.up_down(self.book.value(self.delta(label))) + ".",
            )
        self.play(
            Indicate(self.wish_arrows[label], color=TARGET),
            Indicate(self.deltas[label], color=TARGET),
        )
        self.wait(2.5)

    def fire_together(self) -> None:
        self.beat("fire-together")
        focus = self.fire.focus
        top = int(self.fire.rank_by_gradient[0])
        direction = self.grow_shrink(self.book.value(gradient(weight(L, focus, top, RUN))))
        self.say(
            "Now only the weights into output",
            LABEL,
            f". Blue: the weight should increase, red: decrease; here they all {direction},",
            "the wider the more.",
        )
        self.retitle("Neurons that fire together wire together")
        into = self.net.into(self.last)
        terms = self.fire.focus_terms
        largest = float(abs(terms).max())
        lines, strokes = [], []
        for j, row in enumerate(into):
            for k, line in enumerate(row):
                lines.append(line)
                if j != focus:
                    strokes.append((None, None, 0.04))
                    continue
                style = edge_style(float(self.fire.weight_wishes[k]), largest)  # blue: w grows
                strokes.append(
                    (style["color"], style["width"] * EDGE_GAIN, min(1.0, style["opacity"] + 0.2))
                )
        self.play(
            restroke(lines, strokes),
            Vanish(VGroup(*(d for j, d in enumerate(self.deltas) if j != focus))),
            Vanish(VGroup(*(a for j, a in enumerate(self.wish_arrows) if j != focus))),
            Vanish(self.example),
            run_time=2,
        )
        brightest = list(self.snapshot.choices.brightest_few(TOP_RANKS))
        ranked = [int(k) for k in self.fire.rank_by_gradient[:TOP_RANKS]]
        self.say(
            "Rank the neurons of the layer before by brightness, and their weights by gradient:",
            "the same order." if brightest == ranked else "nearly the same order.",
        )
        self.rankings = self.ranking_tables()
        self.play(Appear(self.rankings[0], shift=LEFT * 0.2))
        self.wait(1.5)
        self.play(Appear(self.rankings[1], shift=LEFT * 0.2))
        self.say("The weights from the brightest neurons change the most.")
        self.wait(6)

    def ranking_tables(self) -> VGroup:
        """Brightest previous neurons beside the largest weight gradients, top few of each."""
        focus = self.fire.focus
        bright = VGroup(
            MathTypst("a_k", font_size=SMALL + 2),
            *(
                self.book.row(f"k = {k}:", activation(L - 1, k, RUN), font_size=ROW)
                for k in self.snapshot.choices.brightest_few(TOP_RANKS)
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        strong = VGroup(
            MathTypst(f"(partial C_0)/(partial w_({focus},k))", font_size=SMALL),
            *(
                self.book.row(
                    f"k = {k}:", Q(gradient(weight(L, focus, k, RUN)), COST), font_size=ROW
                )
                for k in self.fire.rank_by_gradient[:TOP_RANKS]
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        tables = VGroup(bright, strong).arrange(RIGHT, buff=0.7, aligned_edge=DOWN)
        for mine, theirs in zip(strong[1:], bright[1:], strict=True):  # rank by rank
            mine.match_y(theirs)
        bright[0].match_y(strong[0])
        return tables.to_edge(RIGHT, buff=0.4).shift(DOWN * 0.3)

    def link_to_chain_rule(self) -> None:
        self.beat("chain-rule-link")
        focus, top = self.fire.focus, int(self.fire.rank_by_gradient[0])
        self.say(
            "Why? By the chain rule, the first factor of a weight's gradient",
            "is the brightness of the neuron it comes from.",
        )
        self.play(Vanish(self.rankings))
        general = MathTypst(
            f"(partial C_0)/(partial w_({focus},k)) = (partial z_{focus})/(partial w_({focus},k))"
            f" (partial C_0)/(partial z_{focus}) = a_k delta_{focus}",
            font_size=SMALL + 4,
        )
        note = Typst(
            "the first factor of the chain rule is the previous activation", font_size=SMALL - 2
        )
        numbers = self.book.row(
            f"(partial C_0)/(partial w_({focus},{top})) =",
            activation(L - 1, top, RUN),
            "dot",
            Q(self.delta(focus), SIGMA),
            "=",
            Q(gradient(weight(L, focus, top, RUN)), COST),
            font_size=SMALL + 2,
        )
        block = VGroup(general, note, numbers).arrange(DOWN, buff=0.5)
        block.to_edge(RIGHT, buff=0.35).shift(DOWN * 0.3)
        if block.width > 7.4:
            block.scale_to_fit_width(7.4).to_edge(RIGHT, buff=0.35)
        self.play(Write(general))
        self.play(Appear(note))
        self.wait(1.5)
        self.say(
            f"For neuron {top}, the brightest:",
            activation(L - 1, top, RUN),
            "times",
            self.delta(focus),
            "is",
            gradient(weight(L, focus, top, RUN)),
            ".",
        )
        previous = self.net.layers[self.last - 1][top]
        self.play(
            Indicate(previous, color=HIGHLIGHT),
            Indicate(self.net.into(self.last)[focus][top], color=HIGHLIGHT),
        )
        self.play(Write(numbers))
        self.wait(5)
        self.general, self.link = general, VGroup(note, numbers)

    def sweep_brightness(self) -> None:
        """Neuron k's brightness swings from 0 to 1 with δ held: its weight's gradient
        a_k δ_j follows in proportion, its edge thickens and thins with it."""
        self.beat("brightness-sweep")
        sweep = self.snapshot.sweep
        focus, k, count = sweep.focus, sweep.neuron, len(sweep.a)
        states = range(count)
        a_values = [self.book.value(sweep_activation(i)) for i in states]
        g_values = [self.book.value(sweep_gradient(i)) for i in states]
        held = Q(self.delta(focus), SIGMA)
        self.say(
            "Hold the wish of output",
            LABEL,
            "at",
            self.delta(focus),
            f"and swing the brightness of neuron {k} from",
            sweep_activation(0),
            "to",
            sweep_activation(count - 1),
            ".",
        )
        self.retitle("Swing one neuron's brightness: its weight's gradient follows")
        tracker = ValueTracker(sweep.actual)
        a_rows = [
            self.book.row(f"a_{k} =", Q(sweep_activation(i), WHITE), font_size=SMALL + 4)
            for i in states
        ]
        g_rows = [
            self.book.row(
                f"(partial C_0)/(partial w_({focus},{k})) =",
                Q(sweep_activation(i), WHITE),
                "dot",
                held,
                "=",
                Q(sweep_gradient(i), COST),
                font_size=SMALL + 4,
            )
            for i in states
        ]
        a_readout = StateReadout(a_rows, tracker, sweep.actual)
        g_readout = StateReadout(g_rows, tracker, sweep.actual)
        a_bar = StateBar(a_values, 1.0, tracker, WHITE, length=4.0)
        g_bar = StateBar(g_values, max(abs(g) for g in g_values), tracker, COST, length=4.0)
        held_note = self.book.row(f'"held:" delta_{focus} =', held, font_size=SMALL)
        panel = VGroup(
            VGroup(a_readout, a_bar).arrange(DOWN, buff=0.25, aligned_edge=LEFT),
            VGroup(g_readout, g_bar).arrange(DOWN, buff=0.25, aligned_edge=LEFT),
            held_note,
        ).arrange(DOWN, buff=0.6, aligned_edge=LEFT)
        panel.next_to(self.general, DOWN, buff=0.6).align_to(self.general, LEFT)
        if self.room_right(panel) < 0:  # the widest row stays in the frame
            panel.scale_to_fit_width(panel.width + self.room_right(panel))
            panel.align_to(self.general, LEFT)
        # stand-ins on top do the moving (only what lies above a moving mobject is redrawn)
        original_neuron = self.net.layers[self.last - 1][k]
        original_edge = self.net.into(self.last)[focus][k]
        neuron, edge = original_neuron.copy(), original_edge.copy()
        original_neuron.set_opacity(0)
        original_edge.set_stroke(opacity=0)
        self.add(edge, neuron)
        largest = abs(g_values[sweep.actual])  # the widest edge of the last beat

        def follow_neuron(circle) -> None:
            circle.set_fill(WHITE, opacity=between(a_values, tracker.get_value()))

        def follow_edge(line) -> None:
            g = between(g_values, tracker.get_value())
            size = abs(g) / largest  # past 1 when brighter than now: wider than any edge yet
            line.set_stroke(width=(0.3 + 2.2 * size) * EDGE_GAIN, opacity=min(1.0, 0.3 + size))

        box = SurroundingRectangle(neuron, color=HIGHLIGHT, buff=0.06)
        self.play(Vanish(self.link), Create(box))
        self.play(Appear(panel))
        neuron.add_updater(follow_neuron)
        edge.add_updater(follow_edge)
        self.say(
            "The gradient follows in proportion, from",
            sweep_gradient(0),
            "for a dark neuron to",
            sweep_gradient(count - 1),
            "for a fully lit one.",
        )
        self.play(tracker.animate.set_value(count - 1), run_time=2.5)
        self.wait(0.5)
        self.play(tracker.animate.set_value(0), run_time=4)
        self.wait(0.5)
        direction = self.grow_shrink(g_values[-1])
        self.say(
            f"The brighter neuron {k} fires, the more its weight should {direction}:",
            "neurons that fire together wire together.",
        )
        self.play(tracker.animate.set_value(sweep.actual), run_time=2.5)
        neuron.clear_updaters()
        edge.clear_updaters()
        original_neuron.become(neuron)
        original_edge.become(edge)
        self.remove(edge, neuron)
        a_readout.clear_updaters()
        g_readout.clear_updaters()
        a_bar.bar.clear_updaters()
        g_bar.bar.clear_updaters()
        self.wait(3)
        self.sweep_shown = VGroup(self.general, panel, box)

    def propagate_backwards(self) -> None:
        self.beat("backwards")
        focus, k = self.fire.focus, self.fire.back_neuron
        self.say(
            "Output",
            LABEL,
            "could also change the neurons before it, in proportion to its weights:",
            "up where a weight is positive, down where negative.",
        )
        self.retitle("Or change the previous activations, in proportion to the weights")
        previous = self.net.layers[self.last - 1]
        back_arrows = self.arrows(previous, list(self.fire.previous_wishes), -0.4, longest=0.38)
        self.play(
            Vanish(self.sweep_shown), Vanish(self.wish_arrows[focus]), Vanish(self.deltas[focus])
        )
        self.play(LaggedStart(*(Create(a) for a in back_arrows), lag_ratio=0.05))
        self.wait(3.5)

        total = gradient(activation(L - 1, k, RUN))
        self.say(
            f"Every output has such wishes. Summed for neuron {k}, they make its gradient",
            total,
            ":",
            f"it should get {'brighter' if self.book.value(total) < 0 else 'dimmer'}.",
        )
        self.retitle("Every output's wish, summed for one previous neuron: propagate backwards")
        into = self.net.into(self.last)
        outgoing = VGroup(*(row[k] for row in into))
        self.play(
            Vanish(back_arrows),
            restroke(
                [line for row in into for line in row],
                [(None, None, 0.04)] * len(into) * len(into[0]),
            ),
            Create(SurroundingRectangle(previous[k], color=HIGHLIGHT, buff=0.06)),
        )
        self.play(outgoing.animate.set_stroke(HIGHLIGHT, width=2.5, opacity=0.9))
        rows = VGroup(
            *(
                self.book.row(
                    f"j = {j}:",
                    weight(L, j, k, RUN),
                    "dot",
                    Q(self.delta(j), SIGMA),
                    "=",
                    path_term(L, j, k, RUN),
                    font_size=ROW,
                )
                for j in range(len(self.fire.back_terms))
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.16)
        formula = self.book.row(
            f"(partial C_0)/(partial a_{k}^((L-1))) = "
            f"scripts(sum)_j w_(j,{k}) sigma'(z_j) 2(a_j - y_j) =",
            Q(total, COST),
            font_size=SMALL,
        )
        block = VGroup(rows, formula).arrange(DOWN, buff=0.4, aligned_edge=LEFT)
        if block.width > 7.0:
            block.scale_to_fit_width(7.0)
        block.to_edge(RIGHT, buff=0.3).shift(DOWN * 0.25)
        self.say(f"One row for each output j: its weight from neuron {k}, times its δ.")
        self.play(LaggedStart(*(Appear(r, shift=LEFT * 0.2) for r in rows), lag_ratio=0.15))
        self.wait(2)
        self.say("Added up over j, they are the chain rule's sum:", total, ".")
        self.play(Write(formula))
        self.play(Create(SurroundingRectangle(formula[-1], color=HIGHLIGHT, buff=0.08)))
        self.wait(3)
