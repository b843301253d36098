"""Which weights should change most? Neurons that fire together wire together.

manim render -ql --save_sections scenes/fire_together.py FireTogether
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    Indicate,
    LaggedStart,
    MathTypst,
    SurroundingRectangle,
    Typst,
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
    TARGET,
    TYPE,
    Appear,
    NetworkDiagram,
    Q,
    Quantity,
    StoryScene,
    Vanish,
    activation,
    edge_style,
    gradient,
    path_term,
    weight,
    weighted_input,
)

SMALL = TYPE.label
ROW = TYPE.dense
L = OUTPUT
RUN = SNAPSHOT  # the network partway through training: its wishes are readable
TOP_RANKS = 5  # how many neurons each ranking lists


class FireTogether(StoryScene):
    """Five beats: last two layers, wishes, fire together, the chain-rule link, backwards."""

    story = "digits"
    story_order = 4
    title = "Neurons that fire together wire together"
    poster_beat = "fire-together"  # its last frame is the poster

    def construct(self) -> None:
        self.digits = self.book.story.digits
        self.fire = self.digits.snapshot.fire
        self.last = self.fire.layer
        self.show_last_layers()
        self.show_wishes()
        self.fire_together()
        self.link_to_chain_rule()
        self.propagate_backwards()

    def arrows(self, column: VGroup, sizes: list[float], x_shift: float) -> VGroup:
        """Up or down arrows beside neurons, length by size (signed), the largest 0.6 long."""
        largest = max(abs(s) for s in sizes) or 1.0
        group = VGroup()
        for neuron, size in zip(column, sizes, strict=True):
            start = neuron.get_center() + RIGHT * x_shift
            length = 0.08 + 0.52 * abs(size) / largest
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
        self.heading = self.caption(
            "The last two layers, after",
            SNAPSHOT_EPOCH,
            "epoch(s) of training, reading a",
            Q(LABEL, TARGET),
        )
        self.net = NetworkDiagram(
            self.book,
            self.digits.snapshot.network,
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
        self.play(Appear(self.heading))
        self.add(self.net.edges)
        self.play(Create(self.net.edges), Appear(previous), Appear(outputs), run_time=2)
        self.play(
            *self.net.light(RUN, self.last - 1),
            *self.net.light(RUN, self.last),
            Appear(heads),
            Appear(self.digit_labels),
        )
        self.wait(3.5)

    def show_wishes(self) -> None:
        self.beat("wishes")
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
        self.wait(2)
        label = self.fire.focus
        self.play(
            Indicate(self.wish_arrows[label], color=TARGET),
            Indicate(self.deltas[label], color=TARGET),
        )
        self.wait(4)

    def fire_together(self) -> None:
        self.beat("fire-together")
        focus = self.fire.focus
        self.retitle("Neurons that fire together wire together")
        into = self.net.into(self.last)
        terms = self.fire.focus_terms
        largest = float(abs(terms).max())
        restyle = []
        for k, line in enumerate(into[focus]):
            style = edge_style(float(self.fire.weight_wishes[k]), largest)  # blue: w grows
            restyle.append(
                line.animate.set_stroke(
                    style["color"], style["width"] * 2.2, min(1.0, style["opacity"] + 0.2)
                )
            )
        others = VGroup(*(row for j, row in enumerate(into) if j != focus))
        self.play(
            others.animate.set_stroke(opacity=0.04),
            Vanish(VGroup(*(d for j, d in enumerate(self.deltas) if j != focus))),
            Vanish(VGroup(*(a for j, a in enumerate(self.wish_arrows) if j != focus))),
            *restyle,
            run_time=2,
        )
        self.rankings = self.ranking_tables()
        self.play(Appear(self.rankings[0], shift=LEFT * 0.2))
        self.wait(1.5)
        self.play(Appear(self.rankings[1], shift=LEFT * 0.2))
        self.wait(8)

    def ranking_tables(self) -> VGroup:
        """Brightest previous neurons beside the largest weight gradients, top few of each."""
        focus = self.fire.focus
        bright = VGroup(
            MathTypst("a_k", font_size=SMALL + 2),
            *(
                self.book.row(f"k = {k}:", activation(L - 1, k, RUN), font_size=ROW)
                for k in self.digits.snapshot.choices.brightest_few(TOP_RANKS)
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
        previous = self.net.layers[self.last - 1][top]
        self.play(
            Indicate(previous, color=HIGHLIGHT),
            Indicate(self.net.into(self.last)[focus][top], color=HIGHLIGHT),
        )
        self.play(Write(numbers))
        self.wait(6)
        self.link = block

    def propagate_backwards(self) -> None:
        self.beat("backwards")
        k = self.fire.back_neuron
        self.retitle("Or change the previous activations, in proportion to the weights")
        previous = self.net.layers[self.last - 1]
        back_arrows = self.arrows(previous, list(self.fire.previous_wishes), -0.45)
        self.play(Vanish(self.link), Vanish(self.wish_arrows), Vanish(self.deltas))
        self.play(LaggedStart(*(Create(a) for a in back_arrows), lag_ratio=0.05))
        self.wait(3.5)

        self.retitle("Every output's wish, summed for one previous neuron: propagate backwards")
        into = self.net.into(self.last)
        outgoing = VGroup(*(row[k] for row in into))
        self.play(
            Vanish(back_arrows),
            into.animate.set_stroke(opacity=0.04),
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
            Q(gradient(activation(L - 1, k, RUN)), COST),
            font_size=SMALL,
        )
        block = VGroup(rows, formula).arrange(DOWN, buff=0.4, aligned_edge=LEFT)
        if block.width > 7.0:
            block.scale_to_fit_width(7.0)
        block.to_edge(RIGHT, buff=0.3).shift(DOWN * 0.25)
        self.play(LaggedStart(*(Appear(r, shift=LEFT * 0.2) for r in rows), lag_ratio=0.15))
        self.wait(5)
        self.play(Write(formula))
        self.play(Create(SurroundingRectangle(formula[-1], color=HIGHLIGHT, buff=0.08)))
        self.wait(8)
