"""Many neurons per layer: the indices j and k, sums, and the sum over paths.

manim render -ql --save_sections scenes/general_formulas.py GeneralFormulas
"""

from __future__ import annotations

import math

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    Brace,
    Circumscribe,
    Create,
    GrowFromCenter,
    Indicate,
    LaggedStart,
    Line,
    MathTypst,
    Point,
    ReplacementTransform,
    ShowPassingFlash,
    SurroundingRectangle,
    TransformFromCopy,
    Typst,
    VGroup,
    VMobject,
    Write,
)

from bpcalc.viz import (
    BIAS_APART,
    COST_APART,
    GRADIENT,
    HIGHLIGHT,
    LABEL,
    OUTPUT,
    OUTPUTS,
    SNAPSHOT,
    SNAPSHOT_EPOCH,
    SNAPSHOT_PREDICTION,
    TARGET,
    TYPE,
    Appear,
    Q,
    Quantity,
    Row,
    StoryScene,
    Vanish,
    activation,
    activation_slope_of,
    bias,
    cost,
    cost_slope_of,
    detour,
    edge_style,
    fly,
    gradient,
    path_term,
    rest_of,
    sigma_prime,
    sigmoid_of,
    target,
    weight,
    weighted_input,
)

FONT = TYPE.body
SMALL = TYPE.label
L = OUTPUT
RUN = SNAPSHOT  # the network partway through training: its derivatives are readable
FORMULAS_WIDTH = 6.8  # the widest a row may be, right of the network
FORMULAS_AT = RIGHT * 3.3  # the formulas' column; the subset of the network is on the left
SHOWN_PREVIOUS = 3  # neurons of layer L−1 in the picture
RADIUS = 0.38  # of a neuron drawn
BEFORE_X, PREVIOUS_X, OUTPUTS_X = -6.2, -4.2, -1.5  # the columns of layers L−2, L−1, L
NETWORK_Y = -0.3
DIGIT_SIZE = 0.96  # the example, small under the network
ROW_GAP = 0.32  # between the rows of the formulas' column
COUNTED_ROOM = 0.3  # beside the table of terms, for a term growing as it is counted
UNDER = 1.5  # path_arc of a number flying down to the right: under what lies between
BOXED_ROOM = 0.1  # more room before a boxed result: its box stays clear of the "="
LARGE = 2.0  # the example and its reading, large on the right until the network is drawn


class GeneralFormulas(StoryScene):
    """Four beats: indices, the sums, one weight's chain rule, the sum over paths."""

    story = "digits"
    story_order = 6
    title = "Many neurons per layer: indices and sums"
    poster_beat = "sum-over-paths"  # its last frame is the poster

    def construct(self) -> None:
        self.showing(SNAPSHOT)  # the story is told on the snapshot network
        # the cost and the bias beside red negative weights: one meaning per colour
        self.book.recolored.update({"C0": COST_APART, "b": BIAS_APART})
        choices = self.book.choices(SNAPSHOT)
        self.ks = list(choices.brightest_few(SHOWN_PREVIOUS))  # ks[0] is the back neuron
        self.js = [choices.label, choices.rival]
        self.before = choices.brightest_before  # in layer L−2
        self.choose_figures()
        self.show_indices()
        self.write_sums()
        self.one_weight()
        self.sum_over_paths()

    # words chosen from values ----------------------------------------------------

    def is_right(self) -> bool:
        """Does the snapshot network read the example as its label?"""
        return self.book.value(SNAPSHOT_PREDICTION) == self.book.value(LABEL)

    @staticmethod
    def travel(
        source: VMobject, target: VMobject, stops: list | None = None, **kwargs
    ) -> ReplacementTransform:
        """A copy of a number on screen flies into its place in a formula, taking on the
        target's colour at once (a neuron's black digits would vanish on the way), through
        ``stops`` if any (round the text it would cross)."""
        color = target.family_members_with_points()[0].get_fill_color()
        flier = source.copy().set_color(color)
        if stops:
            kwargs["path_func"] = detour(flier, target, stops)
        return ReplacementTransform(flier, target, **kwargs)

    def clear_of_targets(self) -> float:
        """Where the formulas' column may start: right of the targets beside the outputs."""
        return max(t.get_right()[0] for t in self.targets) + 0.25

    def fit(self, group: VMobject) -> None:
        """Keep ``group`` between the targets beside the outputs and the frame's right
        margin: moved left or right, and made smaller only if it is wider than the room."""
        clear = self.clear_of_targets()
        right = group.get_right()[0] + self.room_right(group) - 0.05
        if group.width > right - clear:
            group.scale_to_fit_width(right - clear)
        group.shift(LEFT * max(0.0, group.get_right()[0] - right))
        group.shift(RIGHT * max(0.0, clear - group.get_left()[0]))

    @staticmethod
    def tag(letter: str, index: int) -> MathTypst:
        """``k = 5`` beside a neuron: which neuron an index names, on the network."""
        return MathTypst(f"{{{{ {letter} : i }}}} = {index}", font_size=SMALL, color=HIGHLIGHT)

    def flash(self, j: int, k: int) -> ShowPassingFlash:
        """A light running along the edge to j from k: the path a change travels."""
        return ShowPassingFlash(
            self.edges[j, k].copy().set_stroke(HIGHLIGHT, width=9, opacity=1), time_width=0.6
        )

    def choose_figures(self) -> None:
        """Figures at which every product and sum on screen composes: the viewer who redoes
        the arithmetic on the digits shown gets the result shown. The last product (one
        layer back) fixes the figures of the sum over paths it takes in, the sum those of
        its terms, and the terms those of the factors of every path's row (the weight's row
        among them: the same σ′ and 2(a − y) of output j, written alike in both)."""
        book, j, k, i = self.book, self.js[0], self.ks[0], self.before
        total = gradient(activation(L - 1, k, RUN))
        self.back_figures = book.figures_to_compose(
            [activation(L - 2, i, RUN), sigma_prime(L - 1, k, RUN), total],
            math.prod,
            gradient(weight(L - 1, k, i, RUN)),
        )
        terms = [path_term(L, o, k, RUN) for o in range(self.book.count(OUTPUTS))]
        self.term_figures = book.figures_to_compose(terms, math.fsum, total, self.back_figures)

        rows = [
            (
                [weight(L, o, k, RUN), sigma_prime(L, o, RUN), gradient(activation(L, o, RUN))],
                path_term(L, o, k, RUN),
                {"result_figures": self.term_figures},
            )
            for o in self.js
        ]
        rows.append(
            (
                [
                    activation(L - 1, k, RUN),
                    sigma_prime(L, j, RUN),
                    gradient(activation(L, j, RUN)),
                ],
                gradient(weight(L, j, k, RUN)),
                {},
            )
        )

        # one count for every row if there is one; else each row its own fewest
        def fewest(f: list, r, kw: dict) -> int | None:
            try:
                return book.figures_to_compose(f, math.prod, r, **kw)
            except ValueError:  # no count does: the row is written at three, not composing
                return None

        each = {r: fewest(f, r, kw) for f, r, kw in rows}
        if None in each.values():
            rows = [(f, r, kw) for f, r, kw in rows if each[r] is not None]
        figures = 0
        needed = max((n for n in each.values() if n is not None), default=3)
        try:
            while needed != figures:  # the fewest at which every row composes
                figures = needed
                needed = max(
                    book.figures_to_compose(f, math.prod, r, least=figures, **kw)
                    for f, r, kw in rows
                )
            self.factor_figures = {r: figures if n is not None else None for r, n in each.items()}
        except ValueError:
            self.factor_figures = each

    # the rules of the last beat, as lines that change ------------------------------

    def weight_rule(self) -> MathTypst:
        """∂C₀/∂w_jk = a_k σ′(z_j) 2(a_j − y_j) for the weight followed: the chain's line
        once its factors have taken the fractions' places."""
        j, k = self.js[0], self.ks[0]
        return MathTypst(
            f"{{{{ (partial C_0)/(partial w_({j},{k})^((L))) : lhs }}}} ="
            f" {{{{ a_({k})^((L-1)) : a }}}} {{{{ sigma'(z_{j}) : s }}}}"
            f" {{{{ 2(a_{j} - y_{j}) : c }}}}",
            font_size=FONT,
        )

    @staticmethod
    def sum_typst(k: int, tag: str = "2") -> str:
        """Σ_j w_jk σ′(z_j) 2(a_j − y_j) as Typst, its parts labelled sig, w, s, c (with
        ``tag`` after each but the first): the sum over the paths out of neuron k."""
        return (
            "{{ sum_j : sig }}"
            f" {{{{ w_(j,{k})^((L)) : w{tag} }}}} {{{{ sigma'(z_j) : s{tag} }}}}"
            f" {{{{ 2(a_j - y_j) : c{tag} }}}}"
        )

    def general_rule(self) -> MathTypst:
        """∂C₀/∂a_k = Σ_j w_jk σ′(z_j) 2(a_j − y_j) for the neuron k followed."""
        k = self.ks[0]
        return MathTypst(
            f"{{{{ (partial C_0)/(partial a_({k})^((L-1))) : lhs }}}} = "
            + self.sum_typst(k, tag=""),
            font_size=FONT,
        )

    def from_output(self, i: int, slope: VMobject, error: VMobject) -> list:
        """Copies of output ``i``'s activation fly into σ′ and 2(a − y) of its row while its
        target is marked: out of the neuron downwards, then up from under the row (past
        nothing yet written)."""
        neuron, value = self.outputs[i], self.outputs[i][1]
        low = min(neuron.get_bottom()[1], self.targets[i].get_bottom()[1]) - 0.25
        clear = self.clear_of_targets()
        moves = []
        for slot in (slope, error):
            stops = [[OUTPUTS_X, low, 0], [clear, low, 0], [slot.get_x(), low, 0]]
            moves.append(self.travel(value, slot, stops=stops))
        moves.append(Indicate(self.targets[i], color=HIGHLIGHT))  # 2(a − y) needs y too
        return moves

    def slope_row(self, z: str, a: str, shown: Quantity, slope: Quantity, figures: int) -> Row:
        """σ′(z) = a(1 − a) = … worked on a neuron's activation ``shown``, to ``slope`` at
        ``figures``: where a σ′ in a product comes from, its activation written twice."""
        fa = self.book.figures_to_compose([shown], activation_slope_of, slope, figures)
        return self.book.row(
            f"sigma'({z})",
            f"= {a}(1 - {a}) =",
            Q(shown, significant=fa),
            "(1 -",
            Q(shown, significant=fa),
            ") =",
            Q(slope, significant=figures),
            font_size=SMALL,
        )

    # beats ---------------------------------------------------------------------

    def show_indices(self) -> None:
        self.beat("indices")
        ks, js = self.ks, self.js
        self.previous = VGroup(*(self.neuron(activation(L - 1, k, RUN), RADIUS) for k in ks))
        self.previous.arrange(DOWN, buff=1.0)
        self.outputs = VGroup(*(self.neuron(activation(L, j, RUN), RADIUS) for j in js))
        self.outputs.arrange(DOWN, buff=2.0)
        self.previous.move_to([PREVIOUS_X, NETWORK_Y, 0])
        self.outputs.move_to([OUTPUTS_X, NETWORK_Y, 0])
        largest = max(abs(self.book.value(weight(L, j, k, RUN))) for j in js for k in ks)
        self.edges = {}
        for j, output in zip(js, self.outputs, strict=True):
            for k, source in zip(ks, self.previous, strict=True):
                style = edge_style(self.book.value(weight(L, j, k, RUN)), largest)
                self.edges[j, k] = Line(
                    source.get_right(),
                    output.get_left(),
                    buff=0.05,
                    stroke_color=style["color"],
                    stroke_width=style["width"] + 1,
                    stroke_opacity=style["opacity"] + 0.2,
                )
        names = VGroup(
            *(
                MathTypst(f"a_({k})^((L-1))", font_size=SMALL).next_to(n, UP, buff=0.1)
                for k, n in zip(ks, self.previous, strict=True)
            ),
            *(
                MathTypst(f"a_({j})^((L))", font_size=SMALL).next_to(n, UP, buff=0.12)
                for j, n in zip(js, self.outputs, strict=True)
            ),
        )
        self.targets = VGroup(
            *(
                self.book.row(f"y_({j}) =", target(j), font_size=SMALL).next_to(n, RIGHT, 0.2)
                for j, n in zip(js, self.outputs, strict=True)
            )
        )
        for row in self.targets:
            row.lead.set_color(TARGET)
        note = self.caption(
            "A few neurons, after",
            SNAPSHOT_EPOCH,
            self.plural(SNAPSHOT_EPOCH, "epoch") + " of training: the",
            Q(LABEL, TARGET),
            "example, the brightest of layer $L-1$, two outputs",
        )
        j, k = js[0], ks[0]
        rival = "its strongest rival," if self.is_right() else "the answer it wrongly gives,"
        self.say(
            "After",
            SNAPSHOT_EPOCH,
            self.plural(SNAPSHOT_EPOCH, "epoch"),
            "of training the network reads this",
            LABEL,
            "as a",
            SNAPSHOT_PREDICTION,
            ":",
            "right." if self.is_right() else "wrong.",
            f"We draw its three brightest neurons of layer L−1, output {j} and {rival} {js[1]}.",
        )
        digit = self.example_digit(DIGIT_SIZE)
        # under the edges, between the columns: clear of the neurons' names
        digit.next_to(VGroup(self.previous, self.outputs), DOWN, buff=0.2)
        verdict = VGroup(  # what the narration says the network makes of it
            Typst("read as a", font_size=SMALL),
            self.book.number(SNAPSHOT_PREDICTION, font_size=SMALL),
            Typst(": right" if self.is_right() else ": wrong", font_size=SMALL),
        ).arrange(RIGHT, buff=0.1)
        verdict[1].align_to(verdict[0], DOWN)
        verdict[2].next_to(verdict[1], RIGHT, buff=0.04)  # the colon against the number
        verdict.next_to(digit, RIGHT, buff=0.3)
        # drawn in the order the line names them: the example and what the network reads,
        # large on the right while the neurons are drawn (layer L−1's first, then the
        # outputs), then small under the network
        example = VGroup(digit, verdict)
        small = example.get_center()
        example.scale(LARGE).move_to(FORMULAS_AT + UP * NETWORK_Y)
        self.play(Appear(note), Appear(example), run_time=1.5)
        self.land_on("draw", Appear(self.previous), Appear(names[: len(ks)]), run_time=1.2)
        self.add(*self.edges.values())
        self.play(
            Appear(self.outputs),
            Appear(names[len(ks) :]),
            *(Create(e) for e in self.edges.values()),
            run_time=1.5,
        )
        self.play(Appear(self.targets))
        self.play(example.animate.scale(1 / LARGE).move_to(small), run_time=1.2)
        legend = VGroup(
            MathTypst('{{ k : i }}: "a neuron of layer" L-1', font_size=FONT + 4),
            MathTypst('{{ j : i }}: "a neuron of layer" L', font_size=FONT + 4),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        # the indices marked on the network, where they stay while they are used: k left
        # of its neuron, j above its name (right of it lies the way to the formulas)
        # (k's tag stands high: the edges from layer L−2, drawn later, come in from below)
        k_tag = self.tag("k", ks[0]).next_to(self.previous[0], LEFT, buff=0.2)
        k_tag.shift(UP * (self.previous[0].get_y() + 0.06 - k_tag.get_bottom()[1]))
        self.tags = {
            "k": k_tag,
            js[0]: self.tag("j", js[0]).next_to(names[len(ks)], UP, buff=0.12),
        }
        reading = MathTypst('w_(j k): "to" j "from" k', font_size=FONT + 12)
        right_side = VGroup(legend, reading).arrange(DOWN, buff=0.8)
        right_side.move_to(FORMULAS_AT + UP * 0.4)
        self.say("With many neurons per layer, k names a neuron of layer L−1, j one of layer L.")
        self.play(Write(legend[0]), Indicate(self.previous, color=HIGHLIGHT, scale_factor=1.1))
        self.play(  # the letter of the legend, and the neuron it names marked with it
            Indicate(legend[0].select("i"), color=HIGHLIGHT),
            Write(self.tags["k"]),
            Circumscribe(self.previous[0], color=HIGHLIGHT),
            run_time=1.2,
        )
        self.play(Write(legend[1]), Indicate(self.outputs, color=HIGHLIGHT, scale_factor=1.1))
        self.play(
            Indicate(legend[1].select("i"), color=HIGHLIGHT),
            Write(self.tags[js[0]]),
            Circumscribe(self.outputs[0], color=HIGHLIGHT),
            run_time=1.2,
        )
        edge = self.edges[j, k]
        self.edge_look = (edge.get_stroke_color(), edge.get_stroke_width())
        self.named = self.book.row(
            f"{self.sym(weight(L, j, k, RUN))} =", weight(L, j, k, RUN), font_size=SMALL
        )
        self.named.next_to(edge.get_center(), UP, buff=0.25)
        self.say(
            f"A weight carries both: w_({j},{k}) goes to neuron {j} from neuron {k}.",
            "Here it is",
            weight(L, j, k, RUN),
            ".",
        )
        self.play(edge.animate.set_stroke(HIGHLIGHT, width=5, opacity=1), Write(reading))
        self.play(self.flash(j, k), Appear(self.named, shift=UP * 0.2))
        self.wait(2.5)
        self.play(Vanish(legend), Vanish(reading))
        self.caption_note = note
        self.names = names

    @staticmethod
    def wrap(row: Row, after: VGroup) -> None:
        """Carry the pieces of ``row`` that follow ``after`` on to a second line, under its
        first piece after the ``=``: a long sum stays at the row's size, in two lines."""
        tail = row.after(after)
        tail.next_to(row.lead, DOWN, buff=0.18, aligned_edge=UP)
        tail.shift(RIGHT * (row.after(row.lead)[0].get_left()[0] - tail.get_left()[0]))

    def write_sums(self) -> None:
        self.beat("sums")
        j, ks = self.js[0], self.ks
        general = MathTypst(
            "{{ z_j^((L)) : z }} = sum_k {{ w_(j k)^((L)) : w }} {{ a_k^((L-1)) : a }} + b_j^((L))",
            font_size=FONT,
        )
        products = [
            piece
            for k in ks
            for piece in (weight(L, j, k, RUN), "dot", activation(L - 1, k, RUN), "+")
        ]
        z, a = weighted_input(L, j, RUN), activation(L, j, RUN)
        # z with the figures at which σ(z), redone on the digits shown, gives a as shown
        z_shown = Q(z, significant=self.book.figures_to_compose([z], sigmoid_of, a))
        terms = self.book.row(
            f"z_{j} =",
            *products[:-1],
            "+ dots.c +",
            bias(L, j, RUN),
            "=",
            z_shown,
            font_size=SMALL,
        )
        # the last weight's term starts the second line
        self.wrap(terms, after=terms.of(activation(L - 1, ks[-2], RUN)))
        squash = MathTypst("{{ a_j^((L)) : a }} = sigma({{ z_j^((L)) : z }})", font_size=FONT)
        squashed = self.book.row(
            f"a_{j} = sigma(",
            z_shown,
            ") =",
            a,
            font_size=SMALL,
        )
        cost_sum = MathTypst("C_0 = sum_j (a_j^((L)) - y_j)^2", font_size=FONT)
        j1, j2 = self.js
        cost_terms = self.book.row(
            "C_0 = (",
            activation(L, j1, RUN),
            "-",
            target(j1),
            ")^2 + (",
            activation(L, j2, RUN),
            "-",
            target(j2),
            ")^2 + dots.c =",
            cost(RUN),
            font_size=SMALL,
        )
        note = self.caption(
            "the dots stand for the terms of the neurons not drawn", font_size=TYPE.label
        )
        # the two general rules first, then their numbers: each flies to its neighbour
        block = VGroup(general, squash, terms, squashed, cost_sum, cost_terms, note)
        block.arrange(DOWN, buff=ROW_GAP).move_to(FORMULAS_AT + DOWN * 0.3)
        # under the caption at the top
        block.shift(UP * min(0.0, self.caption_note.get_bottom()[1] - 0.25 - block.get_top()[1]))
        a_name, w_name = self.names[0], self.named[0]

        self.say(
            f"The weighted input of neuron {j} sums over every k: weight times activation,",
            "plus the bias.",
        )
        # the weight's name and an activation's leave the picture for the general sum
        # up over the tags and the row, under the caption, and down into their places
        top = max(self.tags[j].get_top()[1], general.get_top()[1], a_name.get_top()[1])
        band = (self.caption_note.get_bottom()[1] + top) / 2
        for name, slot in ((w_name, general.select("w")), (a_name, general.select("a"))):
            stops = [[name.get_x(), band, 0], [slot.get_x(), band, 0]]
            self.play(fly(name, slot, stops=stops), run_time=0.9)
        self.play(Write(rest_of(general, "w", "a")))
        # the named weight travels from its edge into the sum; the activations leave the neurons
        a_slots = [terms.of(activation(L - 1, k, RUN)) for k in ks]
        w_slots = [terms.of(weight(L, j, k, RUN)) for k in ks]
        w_first = w_slots[0]
        scaffold = VGroup(*(p for p in terms if p not in (*a_slots, *w_slots)))
        # under the neuron, into a row still empty: it crosses no text on its way
        self.play(
            self.travel(self.named[1], w_first, path_arc=UNDER),
            Vanish(self.named),
            self.edges[j, ks[0]].animate.set_stroke(*self.edge_look, opacity=0.8),
            run_time=1.5,
        )
        # the activations go between the columns, along the band under output j, and up
        # into their places from under the row; one after the other along the one band
        middle = (PREVIOUS_X + OUTPUTS_X) / 2
        under_j = (self.outputs[0].get_bottom()[1] + self.names[-1].get_top()[1]) / 2
        for i, slot in enumerate(a_slots):
            stops = [
                [middle, self.previous[i].get_y(), 0],
                [middle, under_j, 0],
                [slot.get_x(), under_j, 0],
            ]
            self.play(
                self.travel(self.previous[i][1], slot, stops=stops),
                *([self.flash(j, ks[i])] if i else []),
                run_time=0.8,
            )
        self.play(Appear(scaffold), *(Appear(slot) for slot in w_slots[1:]))  # around them
        self.wait(1)
        self.say(
            f"Then σ squashes it into neuron {j}'s activation,",
            activation(L, j, RUN),
            ".",
        )
        between = (general.get_bottom()[1] + squash.get_top()[1]) / 2
        self.play(
            fly(self.names[len(ks)], squash.select("a")),
            fly(  # down under its row first: it never crosses the row's "="
                general.select("z"),
                squash.select("z"),
                stops=[
                    [general.select("z").get_x(), between, 0],
                    [squash.select("z").get_x(), between, 0],
                ],
            ),
            run_time=1.2,
        )
        self.play(Write(rest_of(squash, "a", "z")), run_time=0.8)
        z_shown = squashed.of(weighted_input(L, j, RUN))
        self.play(self.travel(terms.of(weighted_input(L, j, RUN)), z_shown), run_time=1.2)
        self.play(Appear(VGroup(*(p for p in squashed if p is not z_shown))))
        self.play(
            Indicate(squashed.of(activation(L, j, RUN)), color=HIGHLIGHT),
            Indicate(self.outputs[0], color=HIGHLIGHT),
        )
        self.wait(1)
        self.say(
            "The cost sums over every output j: the squared distance of each to its target,",
            "here",
            cost(RUN),
            "in all.",
        )
        self.play(Write(cost_sum))
        a_outputs = [cost_terms.of(activation(L, o, RUN)) for o in self.js]
        ys = [cost_terms.of(target(o)) for o in self.js]
        rest = VGroup(*(p for p in cost_terms if p not in (*a_outputs, *ys)))
        self.play(  # the numbers land first, the brackets and signs come around them
            *(
                self.travel(self.outputs[i][1], slot, path_arc=UNDER)
                for i, slot in enumerate(a_outputs)
            ),
            *(self.travel(self.targets[i][1], slot, path_arc=UNDER) for i, slot in enumerate(ys)),
            run_time=1.8,
        )
        self.play(Appear(rest))
        self.play(Appear(note, shift=DOWN * 0.1))
        self.wait(3)
        self.sums = block

    def one_weight(self) -> None:
        self.beat("one-weight")
        book, j, k = self.book, self.js[0], self.ks[0]
        dw = gradient(weight(L, j, k, RUN))
        a_j, slope_j, error_j = (
            activation(L, j, RUN),
            sigma_prime(L, j, RUN),
            gradient(activation(L, j, RUN)),
        )
        chain = MathTypst(
            f"{{{{ (partial C_0)/(partial w_({j},{k})^((L))) : lhs }}}} ="
            f" {{{{ (partial z_{j})/(partial w_({j},{k})) : dz }}}}"
            f" {{{{ (partial a_{j})/(partial z_{j}) : da }}}}"
            f" {{{{ (partial C_0)/(partial a_{j}) : dc }}}}",
            font_size=FONT,
        )
        factors = MathTypst(
            f"= {{{{ a_({k})^((L-1)) : a }}}} {{{{ sigma'(z_{j}) : s }}}}"
            f" {{{{ 2(a_{j} - y_{j}) : c }}}}",
            font_size=FONT,
        )
        composing = self.factor_figures[dw] is not None
        f = self.factor_figures[dw] or Q.significant  # the default when no count composes
        numbers = book.row(
            "=",
            Q(activation(L - 1, k, RUN), significant=f),
            "dot",
            Q(slope_j, significant=f),
            "dot (",
            Q(error_j, significant=f),
            ") =",
            Q(dw, GRADIENT),
            font_size=TYPE.number,
            composes=composing,
        )
        numbers.of(dw).shift(RIGHT * BOXED_ROOM)
        # σ′ and 2(a − y) worked out from the output neuron and its target, as shown
        slope = self.slope_row(f"z_{j}", f"a_{j}", a_j, slope_j, f)
        fe = book.figures_to_compose([a_j, target(j)], cost_slope_of, error_j, f)
        error = book.row(
            f"2(a_{j} - y_{j})",
            "= 2(",
            Q(a_j, significant=fe),
            "-",
            Q(target(j), significant=fe),
            ") =",
            Q(error_j, significant=f),
            font_size=SMALL,
        )
        # the lower helper is worked out first: its result flies up past an empty place
        helpers = VGroup(error, slope).arrange(DOWN, buff=0.3)
        block = VGroup(chain, factors, numbers, helpers).arrange(DOWN, buff=0.45)
        equals = chain.select("lhs").get_right()[0] + 0.12  # the rows below line up at its =
        for row in (factors, numbers):
            row.shift(RIGHT * (equals - row.get_left()[0]))
        for row in helpers:  # under the product, ending where it ends
            row.shift(RIGHT * (numbers.get_right()[0] - row.get_right()[0]))
        block.move_to(FORMULAS_AT)
        block.shift(UP * min(0.0, self.caption_note.get_bottom()[1] - 0.3 - block.get_top()[1]))
        self.fit(block)
        self.say(
            f"One weight, w_({j},{k}): the chain rule is the one of a single neuron per layer,",
            "with indices on every letter.",
        )
        self.play(Vanish(self.sums))
        edge = self.edges[j, k]
        self.play(
            edge.animate.set_stroke(HIGHLIGHT, width=5, opacity=1),
            self.outputs[0].animate.set_stroke(HIGHLIGHT),
        )
        self.play(Write(chain), self.flash(j, k))
        # each factor of the chain becomes what it is: the activation the weight multiplies,
        # the slope of σ, the slope of the cost
        self.play(Write(rest_of(factors, "a", "s", "c")), run_time=0.6)
        for frac, value in (("dz", "a"), ("da", "s"), ("dc", "c")):
            self.play(
                Circumscribe(chain.select(frac), color=HIGHLIGHT),
                Write(factors.select(value)),
                run_time=0.9,
            )
        self.wait(0.5)
        self.say(
            f"σ′ of z_{j} is a_{j} times one minus a_{j}, and the cost's slope is 2(a − y):",
            f"both come from output {j} and its target.",
        )
        a_k = numbers.of(activation(L - 1, k, RUN))  # from its neuron, under output j's
        under_j = (self.outputs[0].get_bottom()[1] + self.names[-1].get_top()[1]) / 2
        self.play(
            self.travel(
                self.previous[0][1],
                a_k,
                stops=[
                    [(PREVIOUS_X + OUTPUTS_X) / 2, under_j, 0],
                    [OUTPUTS_X, under_j, 0],
                    [numbers.get_left()[0] - 0.4, a_k.get_y(), 0],
                ],
            ),
            run_time=1.5,
        )
        self.play(  # the factor it works out
            Circumscribe(factors.select("s"), color=HIGHLIGHT), Write(slope.lead), run_time=0.9
        )
        below = [[OUTPUTS_X, under_j, 0]]  # out of the neuron downwards, under the product
        for slot in slope.every(a_j):  # one after the other: side by side they would touch
            self.play(self.travel(self.outputs[0][1], slot, stops=below), run_time=0.9)
        worked = slope.of(slope_j)
        self.play(Appear(VGroup(*(p for p in slope[1:] if p not in (*slope.every(a_j), worked)))))
        self.play(Appear(worked, shift=RIGHT * 0.15))
        self.play(self.travel(worked, numbers.of(slope_j)), run_time=1.0)
        self.play(
            Circumscribe(factors.select("c"), color=HIGHLIGHT), Write(error.lead), run_time=0.9
        )
        self.play(
            self.travel(self.outputs[0][1], error.of(a_j), stops=below),
            self.travel(
                self.targets[0][1],
                error.of(target(j)),
                stops=[[self.clear_of_targets(), under_j, 0]],
            ),
            run_time=1.2,
        )
        landed = (error.of(a_j), error.of(target(j)), error.of(error_j))
        self.play(Appear(VGroup(*(p for p in error[1:] if p not in landed))))
        self.play(Appear(error.of(error_j), shift=RIGHT * 0.15))
        self.play(self.travel(error.of(error_j), numbers.of(error_j)), run_time=1.0)
        self.say(  # the figures as the product shows them
            "In numbers:",
            Q(activation(L - 1, k, RUN), significant=f),
            "times",
            Q(slope_j, significant=f),
            "times",
            Q(error_j, significant=f),
            "is",
            dw,
            f": this weight should {'increase' if self.book.value(dw) < 0 else 'decrease'}.",
        )
        arrived = (numbers.of(activation(L - 1, k, RUN)), numbers.of(slope_j), numbers.of(error_j))
        for factor in arrived:  # each as it is said
            self.play(Circumscribe(factor, color=HIGHLIGHT), run_time=0.9)
        self.play(Appear(VGroup(*(p for p in numbers if p not in arrived)), shift=DOWN * 0.2))
        box = SurroundingRectangle(numbers.of(dw), color=HIGHLIGHT, buff=0.08)
        self.play(Create(box))
        self.wait(1)
        self.chain, self.factors, self.numbers = chain, factors, numbers
        self.helpers, self.box = helpers, box

    def sum_over_paths(self) -> None:
        self.beat("sum-over-paths")
        k = self.ks[0]
        total_q = gradient(activation(L - 1, k, RUN))
        self.say(
            f"Neuron {k} of layer L−1 feeds every output,",
            "so its gradient is a sum with one term for each path;",
            "z_j changes with a_k at the rate w_jk.",
        )
        self.play(
            Vanish(VGroup(self.numbers, self.helpers, self.box)),
            self.edges[self.js[0], k].animate.set_stroke(width=3, opacity=0.6),
            self.outputs[0].animate.set_stroke(WHITE),
            Circumscribe(self.previous[0], color=HIGHLIGHT),
        )
        rule = self.weight_rule()
        general = self.general_rule()
        VGroup(rule, general).arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        VGroup(rule, general).move_to(FORMULAS_AT)
        VGroup(rule, general).shift(
            UP * (self.caption_note.get_bottom()[1] - 0.25 - rule.get_top()[1])
        )
        self.fit(VGroup(rule, general))
        chain, factors = self.chain, self.factors
        # the chain's factors take the place of the fractions they are: one line stays
        self.play(Vanish(VGroup(*(chain.select(x) for x in ("dz", "da", "dc")))), run_time=0.6)
        self.play(
            ReplacementTransform(chain.select("lhs"), rule.select("lhs")),
            ReplacementTransform(
                rest_of(chain, "lhs", "dz", "da", "dc"), rest_of(rule, "lhs", "a", "s", "c")
            ),
            *(ReplacementTransform(factors.select(x), rule.select(x)) for x in ("a", "s", "c")),
            Vanish(rest_of(factors, "a", "s", "c")),
            run_time=1.2,
        )
        # the neuron's rule grows from the weight's: a_k turns into w_jk (∂z_j/∂a_k), σ′
        # and 2(a − y) come down as they are, and the sum over j is written before them
        with self.replacing(rule, general):  # each copy leaves its original for its line
            self.play(
                TransformFromCopy(rule.select("lhs"), general.select("lhs")),
                TransformFromCopy(
                    rest_of(rule, "lhs", "a", "s", "c"),
                    rest_of(general, "lhs", "sig", "w", "s", "c"),
                ),
                TransformFromCopy(rule.select("a"), general.select("w")),
                TransformFromCopy(rule.select("s"), general.select("s")),
                TransformFromCopy(rule.select("c"), general.select("c")),
                run_time=1.4,
            )
        self.play(Write(general.select("sig")), run_time=0.8)
        self.rule = rule
        rows = VGroup()
        for j in self.js:
            composing = self.factor_figures[path_term(L, j, k, RUN)] is not None
            figures = self.factor_figures[path_term(L, j, k, RUN)] or Q.significant
            rows.add(
                self.book.row(
                    f"j = {j}:",
                    Q(weight(L, j, k, RUN), significant=figures),
                    "dot",
                    Q(sigma_prime(L, j, RUN), significant=figures),
                    "dot (",
                    Q(gradient(activation(L, j, RUN)), significant=figures),
                    ") =",
                    Q(path_term(L, j, k, RUN), significant=self.term_figures),
                    font_size=SMALL,
                    composes=composing,
                )
            )
        block = rows.arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        block.next_to(general, DOWN, buff=0.3)
        self.fit(block)  # long numbers (many figures) make the rows smaller, never off frame
        # room right of the lower row for the upper row's term to pass on its way to the
        # table: the rows move left for it, as far as the targets allow
        wanted = rows[0][-1].width + 0.15 - self.room_right(rows[1])
        rows.shift(LEFT * max(0.0, min(wanted, rows.get_left()[0] - self.clear_of_targets())))
        rival = self.js[1]
        self.tags[rival] = self.tag("j", rival).next_to(self.names[-1], UP, buff=0.12)
        for i, (j, row) in enumerate(zip(self.js, rows, strict=True)):
            edge = self.edges[j, k]
            slope, error = row.of(sigma_prime(L, j, RUN)), row.of(gradient(activation(L, j, RUN)))
            term = row.of(path_term(L, j, k, RUN))
            frame = VGroup(*(p for p in row if p not in (slope, error, term)))
            self.say(f"Through output {j}: its weight, times σ′ of its z, times 2(a − y).")
            self.play(
                edge.animate.set_stroke(HIGHLIGHT, width=5, opacity=1),
                self.flash(j, k),
                Appear(frame, shift=LEFT * 0.2),
                *([Appear(self.tags[rival])] if j == rival else []),
            )
            # σ′ and 2(a − y) of output j come from its neuron, one after the other (on one
            # way, side by side they would touch), as its target is marked; then the product
            self.play(LaggedStart(*self.from_output(i, slope, error), lag_ratio=0.45), run_time=2)
            self.play(Appear(term, shift=RIGHT * 0.15), run_time=0.6)
            self.wait(0.3)
        terms = [path_term(L, o, k, RUN) for o in range(self.book.count(OUTPUTS))]
        cells = VGroup(
            *(
                VGroup(
                    MathTypst(f"j = {o}", font_size=SMALL - 4),
                    self.book.number(term, font_size=SMALL, significant=self.term_figures),
                ).arrange(DOWN, buff=0.1)
                for o, term in enumerate(terms)
            )
        )
        cells.arrange_in_grid(rows=2, buff=(0.3, 0.22))
        # between the targets and the frame's edge, with room to grow as each is counted
        clear = self.clear_of_targets()
        room = self.room_right(Point([clear, 0, 0])) - COUNTED_ROOM
        cells.scale_to_fit_width(min(cells.width, FORMULAS_WIDTH, room))
        cells.next_to(block, DOWN, buff=0.3).set_x(FORMULAS_AT[0])
        cells.shift(LEFT * max(0.0, COUNTED_ROOM - self.room_right(cells)))
        cells.shift(RIGHT * max(0.0, clear - cells.get_left()[0]))
        brace = Brace(cells, DOWN, buff=0.15)
        total = self.book.row(
            "sum_j =", Q(total_q, GRADIENT, significant=self.back_figures), font_size=FONT
        )
        total.lead[-1].shift(RIGHT * BOXED_ROOM / 2)  # the "=" clear of the Σ
        total.of(total_q).shift(RIGHT * BOXED_ROOM * 1.5)
        total.next_to(brace, DOWN, buff=0.15)
        self.book.relation("sum", terms, total_q)
        self.book.relation_on_screen("sum", [cell[1] for cell in cells], total.of(total_q))
        drawn = {j: row.of(path_term(L, j, k, RUN)) for j, row in zip(self.js, rows, strict=True)}
        self.say(
            "Every output adds a term, and the two drawn are only two of them:",
            "here is the term of each path.",
        )
        # the drawn paths' terms travel into an empty table, then the others join them; the
        # upper row's goes round the right of the rows below it
        upper, lower = drawn[self.js[0]], rows[1]
        aside = min(  # right of the lower row, inside the frame
            lower.get_right()[0] + 0.1 + upper.width / 2,
            lower.get_right()[0] + self.room_right(lower) - upper.width / 2 - 0.05,
        )
        # one after the other: the two may cross on their ways to their cells
        self.play(self.travel(drawn[self.js[1]], cells[self.js[1]][1]), run_time=0.7)
        self.play(
            self.travel(  # down the right, then in along its own cell's line
                upper,
                cells[self.js[0]][1],
                stops=[[aside, lower.get_y(), 0], [aside, cells[self.js[0]][1].get_y(), 0]],
            ),
            run_time=0.8,
        )
        self.play(
            *(Appear(cell[1]) for o, cell in enumerate(cells) if o not in drawn),
            Appear(VGroup(*(cell[0] for cell in cells))),
            run_time=0.8,
        )
        self.wait(0.5)
        self.say(
            "Over all the outputs the terms add up to",
            total_q,
            f": neuron {k} should get {'brighter' if self.book.value(total_q) < 0 else 'dimmer'}.",
        )
        self.play(  # the brace gathers the terms as each is counted in
            GrowFromCenter(brace),
            LaggedStart(*(Indicate(cell[1], color=HIGHLIGHT) for cell in cells), lag_ratio=0.1),
            Write(total),
            run_time=2,
        )
        total_box = SurroundingRectangle(total.of(total_q), color=HIGHLIGHT, buff=0.08)
        self.play(Create(total_box))
        self.wait(1.5)
        self.play(Vanish(VGroup(rows, cells, brace)), run_time=0.6)
        i = self.before
        back = gradient(weight(L - 1, k, i, RUN))
        before = self.neuron(activation(L - 2, i, RUN), RADIUS).move_to([BEFORE_X, NETWORK_Y, 0])
        before_name = MathTypst(f"a_({i})^((L-2))", font_size=SMALL).next_to(before, DOWN, 0.12)
        largest = max(abs(self.book.value(weight(L - 1, o, i, RUN))) for o in self.ks)
        into = {}
        for o, neuron in zip(self.ks, self.previous, strict=True):
            style = edge_style(self.book.value(weight(L - 1, o, i, RUN)), largest)
            into[o] = Line(
                before.get_right(),
                neuron.get_left(),
                buff=0.05,
                stroke_color=style["color"],
                stroke_width=style["width"] + 1,
                stroke_opacity=style["opacity"] + 0.2,
            )
        recursion = MathTypst(
            f"{{{{ (partial C_0)/(partial w_({k},{i})^((L-1))) : lhs }}}} ="
            f" {{{{ a_({i})^((L-2)) : a }}}} {{{{ sigma'(z_({k})^((L-1))) : s }}}} "
            + self.sum_typst(k),
            font_size=FONT,
        )
        f = self.back_figures
        numbers = self.book.row(
            "=",
            Q(activation(L - 2, i, RUN), significant=f),
            "dot",
            Q(sigma_prime(L - 1, k, RUN), significant=f),
            "dot",
            Q(gradient(activation(L - 1, k, RUN)), GRADIENT, significant=f),
            "=",
            Q(back, GRADIENT),
            font_size=TYPE.number,
        )
        numbers.of(back).shift(RIGHT * BOXED_ROOM)
        a_shown = numbers.of(activation(L - 2, i, RUN))
        tail = VGroup(recursion, numbers).arrange(DOWN, buff=0.35)
        numbers.shift(
            RIGHT * (recursion.select("lhs").get_right()[0] + 0.12 - numbers.get_left()[0])
        )
        # in the weight's line: the rule stays and changes
        tail.align_to(self.rule, UP).set_x(FORMULAS_AT[0])
        self.fit(tail)
        # inside the frame and clear of the targets; long numbers put the result below
        if self.room_right(numbers) < 0:
            result = numbers.after(numbers.of(gradient(activation(L - 1, k, RUN))))
            result.next_to(a_shown, DOWN, buff=0.2).align_to(numbers.lead, LEFT)
        # σ′ of neuron k worked under the product from its activation, as σ′ of output j was
        slope_k = sigma_prime(L - 1, k, RUN)
        helper = self.slope_row(
            f"z_({k})^((L-1))", f"a_({k})^((L-1))", activation(L - 1, k, RUN), slope_k, f
        )
        # neuron k's activation leaves it for the helper along a band under output j, clear
        # of output j's name and tag; the helper lies under that band (a row beside the
        # targets would read as one with them), and the copies come down into it
        above = max(self.names[-1].get_top()[1], self.tags[self.js[1]].get_top()[1])
        low = (self.outputs[0].get_bottom()[1] + above) / 2
        helper.next_to(numbers, DOWN, buff=0.35).align_to(numbers, RIGHT)
        helper.shift(DOWN * max(0.0, helper.get_top()[1] - (low - 0.2)))
        self.fit(helper)
        self.say(
            "One layer back the same pattern repeats: this sum takes the place of 2(a − y),",
            f"for a weight into neuron {k} from neuron {i} of layer L−2.",
        )
        self.play(GrowFromCenter(before), Appear(before_name), run_time=1.0)
        self.play(*(Create(line) for line in into.values()), run_time=1.0)
        self.play(into[k].animate.set_stroke(HIGHLIGHT, width=5, opacity=1))
        rule = self.rule
        # the weight's line becomes the weight's one layer back: its indices change, and
        # 2(a − y) leaves its place to the sum over j, which moves up into it
        sums = [general.select(x) for x in ("sig", "w", "s", "c")]
        slots = [recursion.select(x) for x in ("sig", "w2", "s2", "c2")]
        self.play(Vanish(rule.select("c"), shift=UP * 0.4), run_time=0.7)
        self.play(  # the indices move one layer back, left to right: neighbours never meet
            LaggedStart(
                ReplacementTransform(rule.select("lhs"), recursion.select("lhs")),
                ReplacementTransform(
                    rest_of(rule, "lhs", "a", "s", "c"),
                    rest_of(recursion, "lhs", "a", "s", "sig", "w2", "s2", "c2"),
                ),
                ReplacementTransform(rule.select("a"), recursion.select("a")),
                ReplacementTransform(rule.select("s"), recursion.select("s")),
                lag_ratio=0.6,
            ),
            run_time=1.6,
        )
        with self.replacing(general, recursion):  # the sum moves into the place left empty
            self.play(
                *(ReplacementTransform(a, b) for a, b in zip(sums, slots, strict=True)),
                Vanish(
                    VGroup(general.select("lhs"), rest_of(general, "lhs", "sig", "w", "s", "c"))
                ),
                run_time=1.4,
            )
        self.say("Its activation, times σ′ of neuron", str(k), ", times the sum, is", back, ".")
        # the activation leaves its neuron between the neurons and their names; the sum
        # moves up from below
        band = (self.previous[0].get_bottom()[1] + self.names[1].get_top()[1]) / 2
        stops = [
            [PREVIOUS_X - RADIUS - 0.4, band, 0],
            [(PREVIOUS_X + OUTPUTS_X) / 2, band, 0],
            [OUTPUTS_X, (self.outputs[0].get_bottom()[1] + self.names[-1].get_top()[1]) / 2, 0],
        ]
        flier = before[1].copy().set_color(a_shown.get_color())
        self.play(
            ReplacementTransform(flier, a_shown, path_func=detour(flier, a_shown, stops)),
            ReplacementTransform(
                total.of(total_q), numbers.of(gradient(activation(L - 1, k, RUN)))
            ),
            Vanish(total.lead),
            Vanish(total_box),
            run_time=1.8,
        )
        self.play(
            Circumscribe(recursion.select("s"), color=HIGHLIGHT), Write(helper.lead), run_time=0.9
        )
        for slot in helper.every(activation(L - 1, k, RUN)):  # one after the other
            stops = [[(PREVIOUS_X + OUTPUTS_X) / 2, low, 0], [slot.get_x(), low, 0]]
            self.play(self.travel(self.previous[0][1], slot, stops=stops), run_time=0.9)
        worked = helper.of(slope_k)
        landed = (*helper.every(activation(L - 1, k, RUN)), worked)
        self.play(Appear(VGroup(*(p for p in helper[1:] if p not in landed))))
        self.play(Appear(worked, shift=RIGHT * 0.15))
        self.play(self.travel(worked, numbers.of(slope_k)), run_time=1.0)
        arrived = (a_shown, numbers.of(slope_k), numbers.of(gradient(activation(L - 1, k, RUN))))
        scaffold = VGroup(*(p for p in numbers if p not in (*arrived, numbers.of(back))))
        self.play(Appear(scaffold, shift=DOWN * 0.2))
        self.play(Appear(numbers.of(back), shift=RIGHT * 0.15))  # the product, its factors in
        self.play(Create(SurroundingRectangle(numbers.of(back), color=HIGHLIGHT, buff=0.08)))
        self.wait(2.5)
