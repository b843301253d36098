"""Many neurons per layer: the indices j and k, sums, and the sum over paths.

manim render -ql --save_sections scenes/general_formulas.py GeneralFormulas
"""

from __future__ import annotations

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
    ReplacementTransform,
    ShowPassingFlash,
    SurroundingRectangle,
    VGroup,
    VMobject,
    Write,
)

from bpcalc.viz import (
    COST,
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
    PixelGrid,
    Q,
    StoryScene,
    Vanish,
    activation,
    bias,
    cost,
    edge_style,
    gradient,
    path_term,
    sigma_prime,
    target,
    weight,
    weighted_input,
)

FONT = TYPE.body
SMALL = TYPE.label
L = OUTPUT
RUN = SNAPSHOT  # the network partway through training: its derivatives are readable
FORMULAS_WIDTH = 7.6  # the widest a row may be, right of the network
FORMULAS_AT = RIGHT * 2.9  # the formulas' column; the subset of the network is on the left
SHOWN_PREVIOUS = 3  # neurons of layer L−1 in the picture
DIGIT = {"cell": 0.12, "show_levels": False}  # the example, small in the corner
COUNTED_ROOM = 0.3  # beside the table of terms, for a term growing as it is counted
UNDER = 1.5  # path_arc of a number flying down to the right: under what lies between


class GeneralFormulas(StoryScene):
    """Four beats: indices, the sums, one weight's chain rule, the sum over paths."""

    story = "digits"
    story_order = 6
    title = "Many neurons per layer: indices and sums"
    poster_beat = "sum-over-paths"  # its last frame is the poster

    def construct(self) -> None:
        self.showing(SNAPSHOT)  # the story is told on the snapshot network
        choices = self.book.choices(SNAPSHOT)
        self.ks = list(choices.brightest_few(SHOWN_PREVIOUS))  # ks[0] is the back neuron
        self.js = [choices.label, choices.rival]
        self.before = choices.brightest_before  # in layer L−2
        self.show_indices()
        self.write_sums()
        self.one_weight()
        self.sum_over_paths()

    # words chosen from values ----------------------------------------------------

    def is_right(self) -> bool:
        """Does the snapshot network read the example as its label?"""
        return self.book.value(SNAPSHOT_PREDICTION) == self.book.value(LABEL)

    @staticmethod
    def travel(source: VMobject, target: VMobject, **kwargs) -> ReplacementTransform:
        """A copy of a number on screen flies into its place in a formula, taking on the
        target's colour at once (a neuron's black digits would vanish on the way)."""
        color = target.family_members_with_points()[0].get_fill_color()
        flier = source.copy().set_color(color)
        return ReplacementTransform(flier, target, **kwargs)

    def flash(self, j: int, k: int) -> ShowPassingFlash:
        """A light running along the edge to j from k: the path a change travels."""
        return ShowPassingFlash(
            self.edges[j, k].copy().set_stroke(HIGHLIGHT, width=9, opacity=1), time_width=0.6
        )

    # beats ---------------------------------------------------------------------

    def show_indices(self) -> None:
        self.beat("indices")
        ks, js = self.ks, self.js
        self.previous = VGroup(*(self.neuron(activation(L - 1, k, RUN)) for k in ks))
        self.previous.arrange(DOWN, buff=1.0)
        self.outputs = VGroup(*(self.neuron(activation(L, j, RUN)) for j in js)).arrange(
            DOWN, buff=2.0
        )
        self.previous.move_to(LEFT * 5.4 + DOWN * 0.3)
        self.outputs.move_to(LEFT * 2.2 + DOWN * 0.3)
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
                MathTypst(f"a_({k})^((L-1))", font_size=SMALL).next_to(n, LEFT, buff=0.15)
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
            row[0].set_color(TARGET)
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
        digit = PixelGrid(self.book, self.book.image(), **DIGIT)
        # under the edges, between the columns: clear of the neurons' names
        digit.next_to(VGroup(self.previous, self.outputs), DOWN, buff=0.2)
        # drawn in the order the line names them: the digit and layer L−1's neurons, then
        # the outputs
        self.play(
            Appear(note),
            Appear(digit),
            Appear(self.previous),
            Appear(names[: len(ks)]),
            run_time=1.5,
        )
        self.add(*self.edges.values())
        self.play(
            Appear(self.outputs),
            Appear(names[len(ks) :]),
            *(Create(e) for e in self.edges.values()),
            run_time=1.5,
        )
        self.play(Appear(self.targets))
        legend = VGroup(
            MathTypst('k: "a neuron of layer" L-1', font_size=FONT + 4),
            MathTypst('j: "a neuron of layer" L', font_size=FONT + 4),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        reading = MathTypst('w_(j k): "to" j "from" k', font_size=FONT + 12)
        right_side = VGroup(legend, reading).arrange(DOWN, buff=0.8)
        right_side.move_to(FORMULAS_AT + UP * 0.4)
        self.say("With many neurons per layer, k names a neuron of layer L−1, j one of layer L.")
        self.play(Write(legend[0]), Indicate(self.previous, color=HIGHLIGHT, scale_factor=1.1))
        self.play(Write(legend[1]), Indicate(self.outputs, color=HIGHLIGHT, scale_factor=1.1))
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

    def write_sums(self) -> None:
        self.beat("sums")
        j, ks = self.js[0], self.ks
        general = MathTypst(
            "z_j^((L)) = sum_k {{ w_(j k)^((L)) : w }} {{ a_k^((L-1)) : a }} + b_j^((L))",
            font_size=FONT,
        )
        products = [
            piece
            for k in ks
            for piece in (weight(L, j, k, RUN), "dot", activation(L - 1, k, RUN), "+")
        ]
        terms = self.book.row(
            f"z_{j} =",
            *products[:-1],
            "+ dots.c +",
            bias(L, j, RUN),
            "=",
            weighted_input(L, j, RUN),
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
            "the dots stand for the terms of the neurons not drawn", font_size=SMALL - 2
        )
        block = VGroup(general, terms, cost_sum, cost_terms, note)
        for part in block:  # only a row too wide shrinks, not the whole block with it
            part.scale_to_fit_width(min(part.width, FORMULAS_WIDTH))
        block.arrange(DOWN, buff=0.45).move_to(FORMULAS_AT + DOWN * 0.3)

        self.say(
            f"The weighted input of neuron {j} sums over every k: weight times activation,",
            "plus the bias.",
        )
        self.play(Write(general))
        self.play(Indicate(general.select("w"), color=HIGHLIGHT))
        # the named weight travels from its edge into the sum; the activations leave the neurons
        a_at = [3 + 4 * i for i in range(len(ks))]  # the row's pieces: z_j =, w, dot, a, +, ...
        w_at = [1 + 4 * i for i in range(len(ks))]
        w_first, a_slots, w_slots = terms[1], [terms[n] for n in a_at], [terms[n] for n in w_at]
        scaffold = VGroup(*(p for n, p in enumerate(terms) if n not in (*a_at, *w_at)))
        # under the neuron, into a row still empty: it crosses no text on its way
        self.play(
            self.travel(self.named[1], w_first, path_arc=UNDER),
            Vanish(self.named),
            self.edges[j, ks[0]].animate.set_stroke(*self.edge_look, opacity=0.8),
            run_time=1.5,
        )
        self.play(
            *(
                self.travel(self.previous[i][1], slot, path_arc=-0.4)
                for i, slot in enumerate(a_slots)
            ),
            *(self.flash(j, k) for k in ks[1:]),
            run_time=1.8,
        )
        self.play(Appear(scaffold), *(Appear(slot) for slot in w_slots[1:]))  # around them
        self.wait(1.5)
        self.say(
            "The cost sums over every output j: the squared distance of each to its target,",
            "here",
            cost(RUN),
            "in all.",
        )
        self.play(Write(cost_sum))
        a_outputs = [cost_terms[1], cost_terms[5]]  # C_0 = (, a, -, y, )^2 + (, a, -, y, ...
        ys = [cost_terms[3], cost_terms[7]]
        rest = VGroup(*(p for n, p in enumerate(cost_terms) if n not in (1, 3, 5, 7)))
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
        j, k = self.js[0], self.ks[0]
        dw = gradient(weight(L, j, k, RUN))
        general = MathTypst(
            f"(partial C_0)/(partial w_({j},{k})^((L))) = (partial z_{j})/(partial w_({j},{k}))"
            f" (partial a_{j})/(partial z_{j}) (partial C_0)/(partial a_{j})"
            f" = a_({k})^((L-1)) sigma'(z_{j}) 2(a_{j} - y_{j})",
            font_size=FONT,
        )
        numbers = self.book.row(
            "=",
            activation(L - 1, k, RUN),
            "dot",
            sigma_prime(L, j, RUN),
            "dot (",
            gradient(activation(L, j, RUN)),
            ") =",
            Q(dw, COST),
            font_size=FONT,
        )
        block = VGroup(general, numbers).arrange(DOWN, buff=0.5, aligned_edge=RIGHT)
        block.scale_to_fit_width(min(block.width, 7.6)).move_to(FORMULAS_AT)
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
        self.play(Write(general), self.flash(j, k))
        self.wait(1)
        self.say(
            "In numbers:",
            activation(L - 1, k, RUN),
            "times",
            sigma_prime(L, j, RUN),
            "times",
            gradient(activation(L, j, RUN)),
            "is",
            dw,
            f": this weight should {'increase' if self.book.value(dw) < 0 else 'decrease'}.",
        )
        shown = numbers.of(activation(L - 1, k, RUN))
        scaffold = VGroup(*(p for p in numbers if p is not shown))
        self.play(self.travel(self.previous[0][1], shown), run_time=1.5)  # lands first
        self.play(Appear(scaffold, shift=DOWN * 0.2))
        box = SurroundingRectangle(numbers.of(dw), color=HIGHLIGHT, buff=0.08)
        self.play(Create(box))
        self.wait(3)
        self.one = VGroup(box, block)

    def sum_over_paths(self) -> None:
        self.beat("sum-over-paths")
        k = self.ks[0]
        total_q = gradient(activation(L - 1, k, RUN))
        self.say(
            f"Neuron {k} of layer L−1 feeds every output,",
            "so its gradient is a sum with one term for each path.",
        )
        self.play(
            Vanish(self.one),
            self.edges[self.js[0], k].animate.set_stroke(width=3, opacity=0.6),
            self.outputs[0].animate.set_stroke(WHITE),
            Circumscribe(self.previous[0], color=HIGHLIGHT),
        )
        general = MathTypst(
            f"(partial C_0)/(partial a_({k})^((L-1))) = sum_j w_(j,{k})^((L)) sigma'(z_j)"
            f" 2(a_j - y_j)",
            font_size=FONT,
        ).move_to(FORMULAS_AT + UP * 2.2)
        self.play(Write(general))
        rows = VGroup()
        for j in self.js:
            rows.add(
                self.book.row(
                    f"j = {j}:",
                    weight(L, j, k, RUN),
                    "dot",
                    sigma_prime(L, j, RUN),
                    "dot (",
                    gradient(activation(L, j, RUN)),
                    ") =",
                    path_term(L, j, k, RUN),
                    font_size=SMALL,
                )
            )
        block = rows.arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        block.next_to(general, DOWN, buff=0.45)
        for j, row in zip(self.js, rows, strict=True):
            edge = self.edges[j, k]
            self.play(
                edge.animate.set_stroke(HIGHLIGHT, width=5, opacity=1),
                self.flash(j, k),
                Appear(row, shift=LEFT * 0.2),
            )
            self.wait(1)
        terms = [path_term(L, o, k, RUN) for o in range(self.book.count(OUTPUTS))]
        cells = VGroup(
            *(
                VGroup(
                    MathTypst(f"j = {o}", font_size=SMALL - 4),
                    self.book.number(term, font_size=SMALL),
                ).arrange(DOWN, buff=0.1)
                for o, term in enumerate(terms)
            )
        )
        cells.arrange_in_grid(rows=2, buff=(0.3, 0.3))
        cells.scale_to_fit_width(min(cells.width, FORMULAS_WIDTH))
        cells.next_to(block, DOWN, buff=0.45).set_x(FORMULAS_AT[0])
        # wide numbers come in from the edge, with room to grow as each is counted
        cells.shift(LEFT * max(0.0, COUNTED_ROOM - self.room_right(cells)))
        brace = Brace(cells, DOWN, buff=0.15)
        total = self.book.row("sum_j =", Q(total_q, COST), font_size=FONT)
        total.next_to(brace, DOWN, buff=0.15)
        self.book.relation("sum", terms, total_q)
        drawn = {j: row[-1] for j, row in zip(self.js, rows, strict=True)}
        self.say(
            "Every output adds a term, and the two drawn are only two of them:",
            "here is the term of each path.",
        )
        # the drawn paths' terms travel into an empty table, then the others join them
        self.play(*(self.travel(drawn[o], cells[o][1]) for o in drawn), run_time=1.2)
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
        self.play(Create(SurroundingRectangle(total[-1], color=HIGHLIGHT, buff=0.08)))
        self.wait(1.5)
        self.play(Vanish(VGroup(rows, cells, brace)), run_time=0.6)
        i = self.before
        back = gradient(weight(L - 1, k, i, RUN))
        recursion = MathTypst(
            f"(partial C_0)/(partial w_({k},{i})^((L-1))) = a_({i})^((L-2)) sigma'(z_({k})^((L-1)))"
            f" (partial C_0)/(partial a_({k})^((L-1)))",
            font_size=FONT,
        )
        numbers = self.book.row(
            "=",
            activation(L - 2, i, RUN),
            "dot",
            sigma_prime(L - 1, k, RUN),
            "dot",
            gradient(activation(L - 1, k, RUN)),
            "=",
            Q(back, COST),
            font_size=FONT,
        )
        tail = VGroup(recursion, numbers).arrange(DOWN, buff=0.35, aligned_edge=RIGHT)
        tail.scale_to_fit_width(min(tail.width, 7.6)).next_to(general, DOWN, buff=0.6)
        tail.set_x(FORMULAS_AT[0])
        self.say(
            "One layer back the same pattern repeats: this sum takes the place of 2(a − y),",
            f"and a weight into neuron {k} gets",
            back,
            ".",
        )
        # the sum travels to its place first, then the formula that uses it is written
        arrived = numbers.of(gradient(activation(L - 1, k, RUN)))
        self.play(self.travel(total[-1], arrived), run_time=1.5)
        self.play(Write(recursion))
        scaffold = VGroup(*(p for p in numbers if p is not arrived))
        self.play(Appear(scaffold, shift=DOWN * 0.2))
        self.wait(4)
