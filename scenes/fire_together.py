"""Which weights should change most? Neurons that fire together wire together.

manim render -ql --save_sections scenes/fire_together.py FireTogether
"""

from __future__ import annotations

import math
from collections.abc import Callable

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    AnimationGroup,
    Arrow,
    Create,
    Indicate,
    LaggedStart,
    Line,
    ManimColor,
    MathTypst,
    Mobject,
    Succession,
    SurroundingRectangle,
    Typst,
    ValueTracker,
    VGroup,
    Wait,
    Write,
    linear,
    smooth,
)

from bpcalc.viz import (
    GRADIENT,
    LABEL,
    MOST_FIGURES,
    OUTPUT,
    OUTPUTS,
    SNAPSHOT,
    SNAPSHOT_EPOCH,
    SNAPSHOT_PREDICTION,
    SWEEP_STATES,
    TARGET,
    TYPE,
    W_NEGATIVE,
    W_POSITIVE,
    Appear,
    LiveNumber,
    NetworkDiagram,
    PixelGrid,
    Q,
    Quantity,
    StateBar,
    StoryScene,
    Vanish,
    activation,
    edge_style,
    edge_width,
    fixed_decimals,
    fly,
    format_value,
    glyphs,
    gradient,
    path_term,
    restroke,
    shown_value,
    sweep_activation,
    sweep_gradient,
    typeset,
    weight,
    weight_color,
    weighted_input,
)

SMALL = TYPE.label
ROW = TYPE.dense
L = OUTPUT
RUN = SNAPSHOT  # the network partway through training: its wishes are readable
TOP_RANKS = 5  # how many neurons each ranking lists
EDGE_GAIN = 2.2  # edges into the focus neuron are drawn this many times wider
WISH = GRADIENT  # δ_j and every ∂C0/∂·: what the cost asks for, one colour for all of them
BOX = WHITE  # frames round what the narration points at (yellow is the label, what we want)
BOX_PAD = 0.12  # a frame's padding round what it holds
CLEAR = 0.35  # the least space between a row of the derivation and a frame beside it
NET_HEIGHT = 5.6


class FireTogether(StoryScene):
    """Six beats: last two layers, wishes, fire together, the chain-rule link, a neuron's
    brightness swept, backwards."""

    story = "digits"
    story_order = 4
    title = "Neurons that fire together wire together"
    poster_beat = "fire-together"  # its last frame is the poster

    def construct(self) -> None:
        self.showing(SNAPSHOT)  # the story is told on the snapshot network
        self.chosen = self.book.wish_choices()
        self.last = self.book.layer_number(L)
        self.show_last_layers()
        self.show_wishes()
        self.fire_together()
        self.link_to_chain_rule()
        self.sweep_brightness()
        self.propagate_backwards()

    # words chosen from values ----------------------------------------------------

    def epochs_word(self) -> str:
        """The project's word for a pass over the training set, which DigitCost introduces."""
        return self.plural(SNAPSHOT_EPOCH, "epoch")

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
        self,
        column: VGroup,
        sizes: list[float],
        x_shift: float,
        longest: float = 0.6,
        colors: list | None = None,
    ) -> VGroup:
        """Up or down arrows beside neurons, length by size (signed), the largest ``longest``;
        in the wish colour unless ``colors`` gives one per arrow."""
        largest = max(abs(s) for s in sizes) or 1.0
        group = VGroup()
        for i, (neuron, size) in enumerate(zip(column, sizes, strict=True)):
            start = neuron.get_center() + RIGHT * x_shift
            length = 0.08 + (longest - 0.08) * abs(size) / largest
            direction = UP if size > 0 else DOWN
            group.add(
                Arrow(
                    start - direction * length / 2,
                    start + direction * length / 2,
                    buff=0,
                    color=WISH if colors is None else colors[i],
                    stroke_width=4,
                    max_tip_length_to_length_ratio=0.35,
                )
            )
        return group

    @staticmethod
    def delta(j: int) -> Quantity:
        """δ_j = ∂C0/∂z_j of the output layer: output j's wish."""
        return gradient(weighted_input(L, j, RUN))

    def legend(self, samples: list[tuple], note: str) -> VGroup:
        """What the edges' colours and widths mean: a short stroke of each colour beside
        its meaning (Typst math), then what the width says."""
        items = VGroup()
        for color, meaning in samples:
            stroke = Line(LEFT * 0.2, RIGHT * 0.2, color=color, stroke_width=5)
            items.add(VGroup(stroke, MathTypst(meaning, font_size=ROW)).arrange(RIGHT, buff=0.12))
        items.add(MathTypst(note, font_size=ROW))
        items.arrange(RIGHT, buff=0.4)
        return items.next_to(self.net, DOWN, buff=0.3).align_to(self.net, LEFT)

    def weight_legend(self) -> VGroup:
        return self.legend(
            [(W_POSITIVE, "w > 0"), (W_NEGATIVE, "w < 0")], '"width: size of" abs(w)'
        )

    def swap_legend(self, new: VGroup, *animations) -> None:
        """The legend changes with the edges it explains: the old one leaves, then the new."""
        with self.replacing(self.edge_legend, new):
            self.play(
                AnimationGroup(Vanish(self.edge_legend), Appear(new), lag_ratio=1.0),
                *animations,
                run_time=2,
            )
        self.edge_legend = new

    def index_labels(self, column: VGroup) -> VGroup:
        """k beside each neuron of L−1, as small as the column is dense."""
        spacing = abs(column[1].get_y() - column[0].get_y()) if len(column) > 1 else 1.0
        size = min(ROW, ROW * 0.7 * spacing / 0.153)  # a digit at ROW is 0.153 tall
        return VGroup(
            *(
                MathTypst(str(k), font_size=size, color=WHITE)
                .set_opacity(0.75)
                .next_to(neuron, LEFT, buff=0.18)  # room for a frame round the neuron
                for k, neuron in enumerate(column)
            )
        )

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
        sizes = self.book.network(SNAPSHOT).sizes
        densest = max(sizes[self.last - 1], sizes[self.last])
        self.net = NetworkDiagram(
            self.book,
            self.book.network(SNAPSHOT),
            height=NET_HEIGHT,
            layer_gap=3.5,
            radius=min(0.17, 0.3 * NET_HEIGHT / densest),  # a frame fits between neurons
            first_layer=self.last - 1,
            individual_edges=True,
        )
        previous, outputs = self.net.layers[self.last - 1], self.net.layers[self.last]
        self.net.shift(LEFT * (5.55 + previous.get_x()) + DOWN * (0.45 + self.net.get_y()))
        self.k_labels = self.index_labels(previous)
        self.digit_labels = VGroup(
            *(
                MathTypst(str(j), font_size=ROW).next_to(n, RIGHT, buff=0.15)
                for j, n in enumerate(outputs)
            )
        )
        self.output_values = VGroup(
            *(
                self.book.number(activation(L, j, RUN), WHITE, ROW)
                .next_to(outputs[j], RIGHT, buff=0.55)  # a frame fits after the label
                .match_y(outputs[j])
                for j in range(len(outputs))
            )
        )
        for value in self.output_values:
            value.align_to(self.output_values[0], LEFT)
        self.heads = VGroup(
            MathTypst("a_k^((L-1))", font_size=SMALL + 4).next_to(previous, UP, buff=0.18),
            MathTypst("a_j^((L))", font_size=SMALL + 4).next_to(outputs, UP, buff=0.18),
        )
        self.heads[1].align_to(self.output_values, LEFT)
        grid = PixelGrid(self.book, self.book.image(), cell=0.34, show_levels=False)
        verdict = VGroup(
            Typst("read as", font_size=SMALL + 8),
            self.book.number(SNAPSHOT_PREDICTION, WHITE, SMALL + 8),
            Typst(": right" if right else ": wrong", font_size=SMALL + 8),
        ).arrange(RIGHT, buff=0.12)
        verdict[1].align_to(verdict[0], DOWN)
        verdict[-1].align_to(verdict[0], DOWN)
        verdict[-1].next_to(verdict[1], RIGHT, buff=0.04)
        self.example = VGroup(grid, verdict).arrange(DOWN, buff=0.35)
        self.example.move_to(RIGHT * 4.5 + DOWN * 0.3)
        self.edge_legend = self.weight_legend()
        self.say(
            "The last two layers of the network after",
            SNAPSHOT_EPOCH,
            f"{self.epochs_word()} of training, shown a handwritten",
            LABEL,
            ".",
        )
        self.add(self.heading)  # the first frame already has its title
        self.play(Appear(grid))
        self.add(self.net.edges)
        self.play(
            Create(self.net.edges),
            Appear(previous),
            Appear(outputs),
            Appear(self.k_labels),
            Appear(self.digit_labels),
            run_time=2,
        )
        self.play(Appear(self.edge_legend))
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
            Appear(self.heads),
            Appear(self.output_values),
        )
        self.until_word("answer")
        self.play(
            Indicate(outputs[predicted], color=WHITE),
            Indicate(self.output_values[predicted], color=WHITE),
            Appear(verdict, shift=UP * 0.2),
        )
        self.wait(1.5)

    def show_wishes(self) -> None:
        self.beat("wishes")
        label, strongest = self.chosen.focus, self.chosen.strongest
        outputs = self.net.layers[self.last]
        self.retitle("What each output wants: up if too dim, down if too bright")
        self.say(
            "Call each output's gradient δ_j: δ_j = ∂C₀/∂z_j,",
            "how the cost C₀ changes with its z_j.",
        )
        wishes = [-self.book.measure(self.delta(j)) for j in range(len(outputs))]
        self.figures = self.delta_figures()  # every δ_j, as the worked rows need them
        pitch = abs(outputs[1].get_y() - outputs[0].get_y())
        # the longest short enough that a frame round it stays clear of the next rows
        self.wish_arrows = self.arrows(outputs, wishes, 0.0, longest=min(0.6, 0.75 * pitch))
        for arrow, value in zip(self.wish_arrows, self.output_values, strict=True):
            arrow.next_to(value, RIGHT, buff=0.25)
        self.deltas = VGroup(
            *(
                self.book.row(
                    f"delta_{j} =",
                    Q(self.delta(j), WISH, self.figures),
                    font_size=ROW,
                )
                .next_to(self.wish_arrows, RIGHT, buff=0.25)
                .match_y(outputs[j])
                for j in range(len(outputs))
            )
        )
        for row in self.deltas:
            row.align_to(self.deltas[0], LEFT)
        definition = MathTypst("delta_j = (partial C_0)/(partial z_j)", font_size=SMALL + 2)
        definition.next_to(self.deltas, UP, buff=0.2).align_to(self.deltas, LEFT)
        definition[0][:2].set_color(WISH)  # δ_j in the wish colour, like its numbers
        self.play(Write(definition))
        self.play(LaggedStart(*(Appear(d) for d in self.deltas), lag_ratio=0.1), run_time=1.5)
        # the chain rule of ChainRule, written out: what the sum over outputs will multiply
        expansion = MathTypst("= sigma'(z_j) dot 2(a_j - {{ y_j }})", font_size=SMALL + 2)
        expansion.select(0).set_color(TARGET)
        expansion.next_to(definition, RIGHT, buff=0.15)
        self.say("By the chain rule it is σ′(z_j) times 2(a_j − y_j).")
        self.play(Write(expansion))
        self.definition = VGroup(definition, expansion)
        self.say("Each output wants to move against it: up if it is too dim, down if too bright.")
        self.play(LaggedStart(*(Create(a) for a in self.wish_arrows), lag_ratio=0.1), run_time=2)
        self.say(
            f"Output {strongest} wants to move most:",
            self.up_down(self.book.value(self.delta(strongest))) + ", with δ =",
            Q(self.delta(strongest), significant=self.figures),
            ".",
        )
        self.play(
            Indicate(self.wish_arrows[strongest], color=WHITE),
            Indicate(self.deltas[strongest], color=WHITE),
        )
        self.wait(1)
        if strongest == label:
            self.say("That is output", LABEL, ", the right answer: we follow it.")
        else:
            self.say(
                "We follow output",
                LABEL,
                ", the right answer: it wants to go",
                self.up_down(self.book.value(self.delta(label))) + ".",
            )
        self.focus_box = SurroundingRectangle(  # round the arrow too: it pokes out of none
            VGroup(outputs[label], self.wish_arrows[label], self.deltas[label]),
            color=BOX,
            buff=0.12,
        )
        self.play(Create(self.focus_box))
        self.wait(1.5)
        # the frame that will hold the followed output's value, arrow and δ fixed in the
        # sweep; the derivation's rows keep clear of it from the chain-rule link on
        self.held_box = SurroundingRectangle(
            VGroup(self.output_values[label], self.wish_arrows[label], self.deltas[label]),
            color=WHITE,
            buff=BOX_PAD,
        ).set_stroke(opacity=0.5)

    def fire_together(self) -> None:
        self.beat("fire-together")
        focus, top = self.chosen.focus, self.chosen.by_gradient[0]
        direction = self.grow_shrink(self.book.value(gradient(weight(L, focus, top, RUN))))
        self.retitle("Neurons that fire together wire together")
        self.say(
            "Now only the weights into output",
            LABEL,
            f". Each, w_({focus},k), goes to output {focus} from neuron k.",
        )
        into = self.net.into(self.last)
        wanted = [
            -self.book.measure(gradient(weight(L, focus, k, RUN))) for k in range(len(into[0]))
        ]
        largest = max(abs(w) for w in wanted)
        lines, strokes = [], []
        for j, row in enumerate(into):
            for k, line in enumerate(row):
                lines.append(line)
                if j != focus:
                    strokes.append((None, None, 0.04))
                    continue
                style = edge_style(wanted[k], largest)
                strokes.append((WISH, style["width"] * EDGE_GAIN, min(1.0, style["opacity"] + 0.2)))
        others = [j for j in range(len(into)) if j != focus]
        wish_legend = self.legend(
            [(WISH, f'w_({focus},k) "should {direction}"')],
            f'"width: size of" abs(partial C_0 \\/ partial w_({focus},k))',
        )
        self.rankings = self.ranking_tables()
        # the index order, where it is first used: to output j from neuron k
        self.index_note = VGroup(
            MathTypst(f"w_({focus},k):", font_size=SMALL + 2),
            Typst(f"the weight to output {focus} from neuron k", font_size=SMALL),
        ).arrange(RIGHT, buff=0.15)
        self.index_note.next_to(self.rankings, UP, buff=0.7).to_edge(RIGHT, buff=1.0)
        self.swap_legend(
            wish_legend,
            restroke(lines, strokes),
            Vanish(
                VGroup(*(self.deltas[j] for j in others)),
                VGroup(*(self.wish_arrows[j] for j in others)),
                VGroup(*(self.output_values[j] for j in others)),
                self.example,
                self.focus_box,
            ),
        )
        self.play(Appear(self.index_note, shift=LEFT * 0.2))
        self.say(f"Each should {direction}: the wider its edge, the more.")
        self.play(Indicate(self.edge_legend, color=WHITE, scale_factor=1.05))
        brightest = list(self.book.choices(SNAPSHOT).brightest_few(TOP_RANKS))
        ranked = list(self.chosen.by_gradient[:TOP_RANKS])
        self.say(
            "Rank the neurons of the layer before by brightness, and their weights by gradient:",
            "the same order." if brightest == ranked else "nearly the same order.",
        )
        previous = self.net.layers[self.last - 1]
        self.play(
            Appear(self.rankings[0], shift=LEFT * 0.2),
            LaggedStart(*(Indicate(previous[k], color=WHITE) for k in brightest), lag_ratio=0.2),
            LaggedStart(*(Indicate(self.k_labels[k], color=WHITE) for k in brightest)),
            run_time=2,
        )
        self.play(
            Appear(self.rankings[1], shift=LEFT * 0.2),
            LaggedStart(*(Indicate(into[focus][k], color=WHITE) for k in ranked), lag_ratio=0.2),
            run_time=2,
        )
        self.say("The weights from the brightest neurons change the most.")
        self.wait(2)

    def delta_figures(self) -> int:
        """Figures for every δ_j, on the network and in the path rows of the last beat, so
        that each reads the same wherever it is written; the δ of the focus also
        multiplies each a_k of the rankings, the worked row and the sweep, written in one
        count (:attr:`a_figures`): every product as shown rounds to its gradient as shown."""
        focus = self.chosen.focus
        brightest = self.book.choices(SNAPSHOT).brightest_few(TOP_RANKS)
        products = [
            (activation(L - 1, k, RUN), gradient(weight(L, focus, k, RUN)))
            for k in self.chosen.by_gradient[:TOP_RANKS]
            if k in brightest
        ]
        states = range(self.book.count(SWEEP_STATES))
        products += [(sweep_activation(i), sweep_gradient(i)) for i in states]
        k = self.chosen.back_neuron
        terms = [path_term(L, j, k, RUN) for j in range(self.book.count(OUTPUTS))]
        self.term_figures = self.book.figures_to_compose(
            terms, math.fsum, gradient(activation(L - 1, k, RUN))
        )
        paths = [([weight(L, j, k, RUN), self.delta(j)], term) for j, term in enumerate(terms)]
        # the fewest figures for the δ column at which the weights' column (its own count)
        # lets every path row compose, and the a_k column (its own) every product
        for figures in range(self.term_figures, MOST_FIGURES + 1):
            deltas = {self.delta(j): figures for j in range(len(terms))}
            w_figures = self.book.column_figures_beside(paths, math.prod, self.term_figures, deltas)
            if w_figures is None:
                continue
            try:
                shared, (a_figures,) = self.book.figures_of_factor(
                    self.delta(focus), [products], figures
                )
            except ValueError:
                continue
            if shared == figures:
                self.w_figures, self.a_figures = w_figures, a_figures
                return figures
        raise ValueError("no count of figures lets the δ column compose its rows")

    def a_shown(self, a: Quantity, color: ManimColor | None = None) -> Q:
        """An activation k of the layer before, in the one count of the a_k column."""
        return Q(a, color, self.a_figures)

    def ranking_tables(self) -> VGroup:
        """Brightest previous neurons beside the largest weight gradients, top few of each;
        a neuron in both has its a_k written so that a_k times δ, as shown, gives its
        gradient as shown (the check redoes each product)."""
        focus = self.chosen.focus
        brightest = self.book.choices(SNAPSHOT).brightest_few(TOP_RANKS)
        bright = VGroup(
            MathTypst("a_k^((L-1))", font_size=SMALL + 2),
            *(
                self.book.row(
                    f"k = {k}:",
                    self.a_shown(activation(L - 1, k, RUN)),
                    font_size=ROW,
                )
                for k in brightest
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        strong = VGroup(
            MathTypst(f"(partial C_0)/(partial w_({focus},k))", font_size=SMALL),
            *(
                self.book.row(
                    f"k = {k}:", Q(gradient(weight(L, focus, k, RUN)), WISH), font_size=ROW
                )
                for k in self.chosen.by_gradient[:TOP_RANKS]
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        tables = VGroup(bright, strong).arrange(RIGHT, buff=0.9, aligned_edge=DOWN)
        ranked = list(self.chosen.by_gradient[:TOP_RANKS])
        for i, k in enumerate(ranked):
            if k in brightest:
                a_shown = bright[1 + list(brightest).index(k)].of(activation(L - 1, k, RUN))
                self.book.relation_on_screen(
                    "product",
                    [a_shown, self.deltas[focus].of(self.delta(focus))],
                    strong[1 + i].of(gradient(weight(L, focus, k, RUN))),
                )
        for mine, theirs in zip(strong[1:], bright[1:], strict=True):  # rank by rank
            mine.match_y(theirs)
        bright[0].match_y(strong[0])
        return tables.to_edge(RIGHT, buff=1.0).shift(DOWN * 0.2)

    def link_to_chain_rule(self) -> None:
        """Why the rankings agree: z_j is a sum of w_jk a_k, so ∂z_j/∂w_jk picks out a_k;
        the chain rule then makes a_k the first factor of the weight's gradient."""
        self.beat("chain-rule-link")
        focus, top = self.chosen.focus, self.chosen.by_gradient[0]
        bright, strong = self.rankings
        kept = VGroup(bright[0], bright[1], strong[0], strong[1])  # each row under its heading
        z_sum, slope, general, numbers = self.derivation_rows()
        self.say(
            "Why? Each weight enters the weighted input of output",
            LABEL,
            f": z_{focus} sums w_({focus},k) times a_k over the neurons k, plus b_{focus}.",
        )
        self.play(
            Vanish(VGroup(*bright[2:], *strong[2:], self.index_note)),
            run_time=0.8,
        )
        self.play(kept.animate.shift(UP * (-2.75 - bright[1].get_y())), run_time=0.8)
        term = VGroup(*z_sum.select("w"), *z_sum.select("a"))
        rest = VGroup(*(m for m in glyphs(z_sum) if m not in glyphs(term)))
        self.play(
            Write(rest),
            fly(self.edge_legend[0][1], z_sum.select("w")),  # w_(j,k) of the legend
            fly(bright[0], z_sum.select("a")),  # the a_k heading, up a clear lane
            run_time=2,
        )
        self.say(
            f"Nudge w_({focus},k) and only its own term moves, by a_k for each unit:",
            f"∂z_{focus}/∂w_({focus},k) = a_k.",
        )
        term_box = SurroundingRectangle(term, color=BOX, buff=0.08)
        self.play(rest.animate.set_opacity(0.35), Create(term_box))
        slope_rest = VGroup(*(m for m in glyphs(slope) if m not in glyphs(slope.select("a"))))
        self.play(Write(slope_rest), fly(z_sum.select("a"), slope.select("a")), run_time=1.5)
        slope_box = SurroundingRectangle(slope, color=BOX, buff=BOX_PAD)
        self.play(Create(slope_box))
        self.say(
            "By the chain rule, the weight's gradient is that slope times ∂C₀/∂z,",
            f"δ_{focus}: a_k times δ_{focus}.",
        )
        flying = VGroup(*general.select("a"), *general.select("d"))
        general_rest = VGroup(*(m for m in glyphs(general) if m not in glyphs(flying)))
        self.play(Write(general_rest), run_time=1.5)
        delta_label = self.deltas[focus].lead  # δ of the focus, on the network
        self.play(  # the δ comes in under the row, clear of the a_k coming down into it
            fly(slope.select("a"), general.select("a")),
            fly(
                delta_label,
                general.select("d"),
                stops=self.under(general, delta_label, general.select("d")),
            ),
            run_time=1.5,
        )
        self.say(
            f"For neuron {top}, the brightest:",
            self.a_shown(activation(L - 1, top, RUN)),
            "times",
            Q(self.delta(focus), significant=self.figures),
            "is",
            gradient(weight(L, focus, top, RUN)),
            ".",
        )
        self.neuron_box = self.neuron_frame(top)
        self.play(  # the tables' headings leave the line's place: their rows feed it
            Create(self.neuron_box),
            Indicate(self.net.into(self.last)[focus][top], color=WHITE),
            Vanish(VGroup(bright[0], strong[0])),
        )
        a_shown = numbers.of(activation(L - 1, top, RUN))
        delta_in_row = numbers.of(self.delta(focus))
        delta_shown = delta_in_row.bare  # inside its parentheses
        source = self.deltas[focus].of(self.delta(focus))
        source_a = bright[1].of(activation(L - 1, top, RUN))
        self.play(  # the a_k rises from its row into the line
            Appear(numbers.lead),
            fly(source_a, a_shown),
            Appear(VGroup(numbers.part("dot"), delta_in_row.parentheses)),
            run_time=1.2,
        )
        lane = (general.get_bottom()[1] + numbers.get_top()[1]) / 2  # the a_k heading stays below
        self.play(  # after the a_k: the δ comes in between the general row and this one
            fly(
                source,
                delta_shown,
                stops=[[source.get_x(), lane, 0], [delta_shown.get_x(), lane, 0]],
            ),
            run_time=1.2,
        )
        product = numbers.of(gradient(weight(L, focus, top, RUN)))
        ranked_first = strong[1].of(gradient(weight(L, focus, top, RUN)))
        self.play(Write(numbers.part("=")), fly(ranked_first, product))  # the ranked gradient
        self.play(
            Indicate(product, color=WHITE, scale_factor=1),
            Vanish(VGroup(bright[1], strong[1])),
        )
        self.wait(1)
        self.general, self.numbers = general, numbers
        self.derivation = VGroup(z_sum, term_box, slope, slope_box)

    def derivation_rows(self) -> tuple[MathTypst, MathTypst, MathTypst, VGroup]:
        """The chain-rule link's rows, one column at the right: z as a sum, its slope in
        w, the weight's gradient as a_k δ, and that on the brightest neuron's digits;
        each clear of the followed output's frame, and the slope's frame too."""
        focus, top = self.chosen.focus, self.chosen.by_gradient[0]
        font = SMALL + 6
        z_sum = MathTypst(
            f"z_{focus} = w_({focus},0) a_0^((L-1)) + dots.c + thick {{{{ w_({focus},k) : w }}}}"
            f" {{{{ a_k^((L-1)) : a }}}} thick + dots.c + b_{focus}",
            font_size=font,
        )
        slope = MathTypst(
            f"(partial z_{focus})/(partial w_({focus},k)) = {{{{ a_k^((L-1)) : a }}}}",
            font_size=font,
        )
        general = MathTypst(
            f"(partial C_0)/(partial w_({focus},k)) = (partial z_{focus})/(partial w_({focus},k))"
            f" (partial C_0)/(partial z_{focus}) = {{{{ a_k^((L-1)) : a }}}}"
            f" {{{{ delta_{focus} : d }}}}",
            font_size=font,
        )
        general.select("d").set_color(WISH)
        numbers = self.book.row(
            f"(partial C_0)/(partial w_({focus},{top})) =",
            self.a_shown(activation(L - 1, top, RUN)),
            "dot",
            Q(self.delta(focus), WISH, self.figures),
            "=",
            Q(gradient(weight(L, focus, top, RUN)), WISH),
            font_size=SMALL + 4,
        )
        z_sum.to_edge(RIGHT, buff=0.8).set_y(2.0)
        self.keep_clear(z_sum, 0.8, CLEAR + 0.08)  # and its term's frame
        slope.next_to(z_sum, DOWN, buff=0.45).align_to(z_sum, LEFT)
        general.next_to(slope, DOWN, buff=0.45 + BOX_PAD).align_to(z_sum, LEFT)
        numbers.next_to(general, DOWN, buff=0.45).align_to(z_sum, LEFT)
        # the rows derived from the sum, one column (room right to indicate the last)
        self.keep_clear(VGroup(slope, general, numbers), 0.5, CLEAR + BOX_PAD)
        return z_sum, slope, general, numbers

    def keep_clear(self, row: Mobject, room: float, buff: float = CLEAR) -> None:
        """Place ``row`` clear of what is left on the network: ``buff`` right of the output
        labels, and of the followed output's frame where the row is level with it (from
        their bounds, so for every digit and network); then, if it would reach within
        ``room`` of the frame's right edge, back left as far as that allows, and narrowed
        about its left edge for the rest."""
        box = self.held_box
        level = (
            row.get_bottom()[1] < box.get_top()[1] + buff
            and row.get_top()[1] > box.get_bottom()[1] - buff
        )
        least = max(self.digit_labels.get_right()[0], box.get_right()[0] if level else -math.inf)
        least += buff
        row.shift(RIGHT * max(0.0, least - row.get_left()[0]))
        over = room - self.room_right(row)
        if over > 0:
            row.shift(LEFT * min(over, row.get_left()[0] - least))
            over = room - self.room_right(row)
        if over > 0:
            row.scale_to_fit_width(row.width - over, about_edge=LEFT)

    def neuron_frame(self, k: int) -> SurroundingRectangle:
        """A frame round neuron k of layer L−1, its edges halfway to the neighbouring
        circles: padding round the neuron, and never through another."""
        column = self.net.layers[self.last - 1]
        neuron = column[k]
        spacing = abs(column[1].get_y() - column[0].get_y()) if len(column) > 1 else 1.0
        pad = min(BOX_PAD, (spacing - neuron.height) / 2)
        return SurroundingRectangle(neuron, color=BOX, buff=pad, stroke_width=3)

    @staticmethod
    def under(row: VGroup, source: VGroup, target: VGroup) -> list:
        """Stops for a flight from ``source`` into ``row`` that passes under the row, clear
        of the text beside and in it: down (or up) to below the row, along, then up."""
        below = row.get_bottom()[1] - 0.4
        return [[source.get_x(), below, 0], [target.get_x(), below, 0]]

    def sweep_brightness(self) -> None:
        """Neuron k's brightness glides from its own value to 1, to 0 and back with δ held:
        its weight's gradient a_k δ_j follows in proportion, its edge thickens and thins
        with it. Every frame is true: the readouts write the frame's a_k, and a_k δ_j
        computed by the core from the digits written."""
        self.beat("brightness-sweep")
        focus, k = self.chosen.focus, self.chosen.swept
        count, actual = self.book.count(SWEEP_STATES), self.chosen.actual_state
        sweep = self.book.digits.snapshot.sweep
        own = self.book.value(sweep_activation(actual))
        self.retitle("Swing one neuron's brightness: its weight's gradient follows")
        self.say(
            "Hold the wish of output",
            LABEL,
            "at",
            Q(self.delta(focus), significant=self.figures),
            f"and swing the brightness of neuron {k} from",
            sweep_activation(0),
            "to",
            sweep_activation(count - 1),
            ".",
        )
        tracker = ValueTracker(own)  # the brightness itself
        font = SMALL + 4
        # the digits as written at the neuron's own brightness set the places all along
        a_places = _places(format_value(own, self.a_figures))
        g_places = _places(format_value(self.book.value(sweep_gradient(actual))))
        delta_read = shown_value(self.book.value(self.delta(focus)), self.figures)

        def a_text(a: float) -> str:
            return fixed_decimals(a, a_places)

        def g_text(a: float) -> str:  # the product of the digits on screen, rounded
            return fixed_decimals(sweep.gradient_at(float(a_text(a)), delta_read), g_places)

        gap = 0.16 * font / TYPE.number
        a_readout = VGroup(
            typeset(f"a_{k}^((L-1)) =", font), LiveNumber(a_text, tracker, font, WHITE)
        ).arrange(RIGHT, buff=gap)
        held = self.book.number(self.delta(focus), WISH, font, self.figures)
        held.parenthesize()
        g_readout = VGroup(
            typeset(f"(partial C_0)/(partial w_({focus},{k})) =", font),
            LiveNumber(a_text, tracker, font, WHITE),
            typeset("dot", font),
            held,
            typeset("=", font),
            LiveNumber(g_text, tracker, font, WISH),
        ).arrange(RIGHT, buff=gap)
        full = sweep.gradient_at(1.0)
        a_bar = StateBar([0.0, 1.0], 1.0, tracker, WHITE, length=4.0)  # length a_k
        g_bar = StateBar([0.0, full], abs(full), tracker, WISH, length=4.0)  # a_k δ over δ
        a_ends = self.bar_ends(a_bar, sweep_activation(0), sweep_activation(count - 1), WHITE)
        g_ends = self.bar_ends(g_bar, sweep_gradient(0), sweep_gradient(count - 1), WISH)
        a_ticks = self.ticks(a_bar, [own])  # the neuron's own brightness, marked on both
        g_ticks = self.ticks(g_bar, [own])
        panel = VGroup(
            VGroup(a_readout, VGroup(a_bar, a_ticks, a_ends)).arrange(
                DOWN, buff=0.2, aligned_edge=LEFT
            ),
            VGroup(g_readout, VGroup(g_bar, g_ticks, g_ends)).arrange(
                DOWN, buff=0.2, aligned_edge=LEFT
            ),
        ).arrange(DOWN, buff=0.5, aligned_edge=LEFT)
        general_top = self.general.copy()  # up where the derivation began, under δ's definition
        general_top.next_to(self.definition, DOWN, buff=0.4).align_to(self.general, LEFT)
        self.keep_clear(general_top, 0.3)
        panel.next_to(general_top, DOWN, buff=0.5).align_to(general_top, LEFT)
        self.keep_clear(panel, 0.3)  # the widest row stays well inside the frame
        # what stays fixed while the neuron swings: the output's wish, and so its a and z
        held_box = self.held_box
        held_tag = Typst("held", font_size=SMALL, color=WHITE).set_opacity(0.75)
        held_tag.next_to(held_box, DOWN, buff=0.1)
        held_tag.align_to(held_box, RIGHT)  # under δ, clear of the output labels
        # the worked row of the last beat becomes the gradient's readout
        self.play(Vanish(self.derivation), run_time=0.8)
        self.play(
            self.general.animate.match_width(general_top).move_to(general_top),
            Create(held_box),
            Appear(held_tag),
            self.numbers.animate.scale(g_readout.height / self.numbers.height).move_to(g_readout),
            run_time=1.5,
        )
        self.remove(self.numbers)
        self.add(g_readout)
        self.play(Appear(a_readout, a_bar, a_ticks, a_ends, g_bar, g_ticks, g_ends))
        # stand-ins on top do the moving (only what lies above a moving mobject is redrawn)
        original_neuron = self.net.layers[self.last - 1][k]
        original_edge = self.net.into(self.last)[focus][k]
        neuron, edge = original_neuron.copy(), original_edge.copy()
        original_neuron.set_opacity(0)
        original_edge.set_stroke(opacity=0)
        self.add(edge, neuron)
        largest = abs(sweep.gradient_at(own))  # the widest edge of the last beat

        def follow_neuron(circle) -> None:
            circle.set_fill(WHITE, opacity=tracker.get_value())

        def follow_edge(line) -> None:  # past 1: wider than yet
            size = abs(sweep.gradient_at(tracker.get_value())) / largest
            line.set_stroke(width=edge_width(size) * EDGE_GAIN, opacity=min(1.0, 0.3 + size))

        neuron.add_updater(follow_neuron)
        edge.add_updater(follow_edge)
        self.say(
            "The gradient follows in proportion, from",
            sweep_gradient(0),
            "for a dark neuron to",
            sweep_gradient(count - 1),
            "for a fully lit one.",
        )
        self.glide(tracker, 1.0)
        self.glide(tracker, 0.0)
        direction = self.grow_shrink(full)
        self.say(
            f"The brighter neuron {k} fires, the more its weight should {direction}:",
            "neurons that fire together wire together.",
        )
        self.glide(tracker, own)
        for mobject in (neuron, edge, a_bar.bar, g_bar.bar, a_readout[1], *g_readout[1::4]):
            mobject.clear_updaters()
        original_neuron.become(neuron)
        original_edge.become(edge)
        self.remove(edge, neuron)
        self.wait(1.5)
        self.sweep_shown = VGroup(self.general, panel, held_box, held_tag)

    def glide(self, tracker: ValueTracker, end: float) -> None:
        """Swing the brightness smoothly to ``end``, slower the farther it goes."""
        span = abs(end - tracker.get_value())
        if span > 0:
            self.play(tracker.animate.set_value(end), run_time=1.0 + 3.0 * span, rate_func=smooth)
            self.wait(0.4)

    def bar_ends(self, bar: StateBar, low: Quantity, high: Quantity, color) -> VGroup:
        """The values at the bar's two ends, under them: its axis."""
        start, end = bar.track.get_start(), bar.track.get_end()
        left = self.book.number(low, color, ROW).next_to(start, DOWN, buff=0.15)
        right = self.book.number(high, color, ROW).next_to(end, DOWN, buff=0.15)
        return VGroup(left, right)

    @staticmethod
    def ticks(bar: StateBar, shares: list[float]) -> VGroup:
        """A small mark on the track at each state the bar can take."""
        start = bar.track.get_start()
        return VGroup(
            *(
                Line(UP * 0.09, DOWN * 0.09, stroke_width=1.5, color=WHITE)
                .set_opacity(0.6)
                .move_to(start + RIGHT * share * bar.length)
                for share in shares
            )
        )

    def propagate_backwards(self) -> None:
        self.beat("backwards")
        focus, k = self.chosen.focus, self.chosen.back_neuron
        self.retitle("Or change the previous activations, in proportion to the weights")
        self.say(
            "Output",
            LABEL,
            "could also change the neurons before it, in proportion to its weights:",
            "up where a weight is positive, down where negative.",
        )
        previous = self.net.layers[self.last - 1]
        into = self.net.into(self.last)
        focus_weights = [self.book.measure(weight(L, focus, i, RUN)) for i in range(len(previous))]
        widest = max(abs(w) for w in focus_weights)
        strokes = [
            (style["color"], style["width"] * EDGE_GAIN, min(1.0, style["opacity"] + 0.2))
            for style in (edge_style(w, widest) for w in focus_weights)
        ]
        back_arrows = self.arrows(
            previous,
            [-w * self.book.measure(self.delta(focus)) for w in focus_weights],
            0.0,
            longest=0.38,
            colors=[weight_color(w) for w in focus_weights],
        )
        for arrow in back_arrows:
            arrow.set_x(self.k_labels.get_left()[0] - 0.22)
        self.swap_legend(
            self.weight_legend(),
            Vanish(self.sweep_shown, self.neuron_box),
            restroke(list(into[focus]), strokes),
        )
        share = VGroup(
            Typst(f"what output {focus} asks of neuron k:", font_size=SMALL),
            MathTypst(
                f"-(partial z_{focus})/(partial a_k) delta_{focus} = -w_({focus},k) delta_{focus}",
                font_size=SMALL + 6,
            ),
        ).arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        share.to_edge(RIGHT, buff=1.0).set_y(0.3)
        self.play(
            LaggedStart(*(Create(a) for a in back_arrows), lag_ratio=0.05),
            Write(share),
            run_time=2,
        )
        self.say(
            f"Now z_{focus} changes by w_({focus},k) for each unit of a_k:",
            "the arrow is the weight times the wish, against the gradient.",
        )
        self.play(Indicate(share[1], color=WHITE, scale_factor=1.05))

        total = gradient(activation(L - 1, k, RUN))
        self.retitle(
            "Every output's wish, summed for one previous neuron: propagate backwards",
        )
        self.say(
            f"Every output has such wishes. For neuron {k}, one row for each output j:",
            "its weight from the neuron, times its δ.",
        )
        outgoing = [row[k] for row in into]
        column = [self.book.measure(weight(L, j, k, RUN)) for j in range(len(into))]
        widest = max(abs(w) for w in column)
        rest = [line for j, row in enumerate(into) for i, line in enumerate(row) if i != k]
        box = self.neuron_frame(k)
        self.play(
            Vanish(back_arrows, self.wish_arrows[focus], self.deltas[focus], share),
            Vanish(self.output_values[focus]),
            restroke(rest, [(None, None, 0.04)] * len(rest)),
            restroke(
                outgoing,
                [
                    (s["color"], s["width"] * EDGE_GAIN, min(1.0, s["opacity"] + 0.2))
                    for s in (edge_style(w, widest) for w in column)
                ],
            ),
            Create(box),
        )
        outputs = range(self.book.count(OUTPUTS))
        terms = [path_term(L, j, k, RUN) for j in outputs]
        # the terms as written add up to the total as written, each product to its term;
        # the δ_j as on the network, the weights in one count with them
        term_figures, figures = self.term_figures, self.figures
        rows = VGroup()
        for j in outputs:
            rows.add(
                self.book.row(
                    f"j = {j}:",
                    Q(weight(L, j, k, RUN), significant=self.w_figures),
                    "dot",
                    Q(self.delta(j), WISH, figures),
                    "=",
                    Q(terms[j], WISH, term_figures),
                    font_size=ROW,
                )
            )
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.13)
        formula = self.book.row(
            f"(partial C_0)/(partial a_{k}^((L-1))) = scripts(sum)_j w_(j,{k}) delta_j =",
            Q(total, WISH),
            font_size=SMALL + 2,
        )
        self.book.relation_on_screen("sum", [r[-1] for r in rows], formula[-1])
        room = formula[-1].get_left()[0] - formula[-2].get_right()[0]  # for its frame
        formula[-1].shift(RIGHT * max(0.0, 2 * BOX_PAD + 0.08 - room))  # clear of the "="
        block = VGroup(rows, formula).arrange(DOWN, buff=0.45, aligned_edge=LEFT)
        overhang = rows.get_right()[0] + 0.3 - formula[-1].get_left()[0]
        if overhang > 0:  # the terms fly down a lane right of every row, into the total
            formula.shift(RIGHT * overhang)
        if block.width > 6.6:
            block.scale_to_fit_width(6.6)
        block.to_edge(RIGHT, buff=1.0).shift(DOWN * 0.5)  # its heading clear of δ's row
        # the rows are gradients, not wishes: their signs are the arrows' turned round
        heading = MathTypst(
            f'"gradient terms" w_(j,{k}) delta_j "of" partial C_0 \\/ partial a_{k}^((L-1))',
            font_size=SMALL,
        )
        heading.next_to(rows, UP, buff=0.25).align_to(rows, LEFT)
        self.play(
            Appear(heading),
            LaggedStart(*(Appear(r, shift=LEFT * 0.2) for r in rows), lag_ratio=0.15),
        )
        self.wait(1)
        way = "brighter" if self.book.value(total) < 0 else "dimmer"
        self.say(
            f"Summed for neuron {k}, they make its gradient",
            total,
            ":",
            f"it should get {way}.",
        )
        self.play(
            Write(formula[0]),
            Indicate(self.definition, color=WHITE, scale_factor=1.05),
            run_time=2,
        )
        self.until_word("gradient")
        total_shown = formula[-1]
        lane = max(rows.get_right()[0] + 0.15, total_shown.get_left()[0])
        # the terms step right into one lane, then drop down it together and merge into the
        # total one after another, each shrinking and fading as it lands: one sum, no copies
        travelling = [r[-1].copy() for r in rows]
        merge = ValueTracker(0.0)
        for term in travelling:
            term.save_state()
            term.add_updater(_into_total(merge, term, lane, rows, total_shown))
        self.add(*travelling)
        run_time = 3.0
        pitch, drop = _lane_steps(rows, total_shown)
        landing = run_time * (1 - SLIDE) * pitch / drop  # the last term's landing: the total's
        with self.replacing(VGroup(*travelling), total_shown):
            self.play(
                merge.animate(rate_func=linear).set_value(1.0),
                Succession(Wait(run_time - landing), Appear(total_shown, run_time=landing)),
                run_time=run_time,
            )
        for term in travelling:
            term.clear_updaters()
        self.remove(*travelling)
        gap = formula[-1].get_left()[0] - formula[-2].get_right()[0]  # clear of the "="
        frame = SurroundingRectangle(formula[-1], color=BOX, buff=min(BOX_PAD, gap / 2 - 0.04))
        self.play(Create(frame))
        self.show_wish(k, total, formula)
        self.wait(2)

    def show_wish(self, k: int, total: Quantity, formula: VGroup) -> None:
        """The sum's sign turned round into neuron k's wish: an arrow on the neuron, up to
        get brighter, and its value, minus the gradient."""
        up = self.book.value(total) < 0
        wish = self.book.row(
            f'"wish" -partial C_0 \\/ partial a_{k}^((L-1))',  # its parentheses kept whole
            "= -(",
            Q(total, WISH),
            ") > 0" if up else ") < 0",
            font_size=ROW,
        )
        wish.next_to(formula, DOWN, buff=0.4).align_to(formula, LEFT)
        neuron = self.net.layers[self.last - 1][k]
        way = UP if up else DOWN
        start = [self.k_labels.get_left()[0] - 0.22, neuron.get_y(), 0]
        arrow = Arrow(
            start - way * 0.3,
            start + way * 0.3,
            buff=0,
            color=WISH,
            stroke_width=5,
            max_tip_length_to_length_ratio=0.35,
        )
        self.play(Create(arrow), Appear(wish, shift=DOWN * 0.15), run_time=1.2)


SLIDE = 0.15  # share of the merge spent stepping right into the lane


def _lane_steps(rows: VGroup, total: Mobject) -> tuple[float, float]:
    """The rows' pitch, over which a term lands, and how far the top term drops to the total."""
    pitch = rows[0].get_y() - rows[1].get_y() if len(rows) > 1 else 0.4
    return pitch, rows[0].get_y() - total.get_y()


def _into_total(
    merge: ValueTracker, term: Mobject, lane: float, rows: VGroup, total: Mobject
) -> Callable[[Mobject], None]:
    """Where a term of the sum is as ``merge`` goes from 0 to 1: it steps right into the
    lane beside the rows, drops down it (every term at the same speed, so they keep their
    spacing and land in turn, the lowest first), then, within a row's pitch of the total,
    slides onto it, shrinking and fading, gone as it lies exactly on it."""
    start = term.get_center()
    lane_x = lane + term.width / 2
    end = total.get_center()
    pitch, drop = _lane_steps(rows, total)  # the top term lands last, as merge reaches 1

    def place(mobject: Mobject) -> None:
        s = merge.get_value()
        mobject.restore()
        if s < SLIDE:
            mobject.set_x(start[0] + (lane_x - start[0]) * smooth(s / SLIDE))
            return
        above = start[1] - drop * (s - SLIDE) / (1 - SLIDE) - end[1]
        share = min(max(above / pitch, 0.0), 1.0)  # 1 in the lane, 0 on the total
        mobject.move_to([end[0] + (lane_x - end[0]) * share, end[1] + max(above, 0.0), 0])
        if share < 1:
            mobject.scale(0.3 + 0.7 * share).set_opacity(share**2)  # mostly gone as it lands

    return place


def _places(text: str) -> int:
    """How many decimal places a number written as ``text`` has."""
    return len(text.partition(".")[2])
