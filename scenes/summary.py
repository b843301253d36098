"""Backpropagation in four equations, each pointed at the digits network with its numbers.

manim render -ql --save_sections scenes/summary.py Summary
"""

from __future__ import annotations

import math

from manim import (
    DOWN,
    GREY_B,
    LEFT,
    RIGHT,
    UP,
    WHITE,
    BackgroundRectangle,
    Brace,
    Circumscribe,
    Create,
    Dot,
    Indicate,
    LaggedStart,
    Line,
    MathTypst,
    Mobject,
    MoveAlongPath,
    MoveToTarget,
    ReplacementTransform,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    Typst,
    VGroup,
    Write,
)

from bpcalc.viz import (
    BATCH_COST_AFTER,
    BATCH_COST_BEFORE,
    BATCH_SIZE,
    COST_APART,
    DEPTH,
    GRADIENT,
    GRADIENT_COMPONENTS,
    HIGHLIGHT,
    LABEL,
    LEARNING_RATE,
    OUTPUT,
    OUTPUTS,
    SNAPSHOT,
    SNAPSHOT_EPOCH,
    TYPE,
    Appear,
    LoopDiagram,
    NetworkDiagram,
    Q,
    StoryScene,
    Vanish,
    WeightLegend,
    activation,
    align_leads,
    bias,
    detour,
    gradient,
    lift_off,
    output_error_of,
    path_term,
    sigma_prime,
    target,
    weight,
    weighted_input,
)

L = OUTPUT
RUN = SNAPSHOT  # partway through training: every δ is readable
FONT = TYPE.body
ROW = TYPE.label
NETWORK_LEFT = -6.7  # the digit's left edge: the frame's margin
CONTENT_BOTTOM = -2.3  # above the band at the bottom, where the captions go
DIGIT_SIZE = 0.8  # the example, left of the layers it feeds
DIGIT_ROOM = 0.75  # between the digit and layer L−2: room for a neuron's index label
FORMULAS_X = 2.9  # the formulas' column, right of the network, its digit labels and their tags
FORMULAS_WIDTH = 7.2
ROW_GAP = 0.22  # between a block's rows
LAYERS_DRAWN = 3  # L−2, L−1 and L
# the four equations, in the order the beats derive them (the summary numbers them so)
OUTPUT_ERROR = (  # its parts named, so the picture can point at them
    "delta^((L)) = {{ sigma'(z^((L))) : slope }} {{ dot.o : pairs }} {{ 2(a^((L)) - y) : cost }}"
)
BACKWARD = (
    "delta^((l)) = sigma'(z^((l))) dot.o {{ (W^((l+1)))^T : weights }} {{ delta^((l+1)) : later }}"
)
WEIGHTS = "(partial C_0)/(partial w_(j k)^((l))) = a_k^((l-1)) delta_j^((l))"
BIASES = "(partial C_0)/(partial b_j^((l))) = delta_j^((l))"
DEFINITION = "delta_j^((l)) = (partial {{ C_0 : cost }})/(partial {{ z_j^((l)) : z }})"


class Summary(StoryScene):
    """Four beats: the output's δ, δ backwards, the weights' and biases' gradients, the loop."""

    story = "digits"
    story_order = 8
    title = "Backpropagation in four equations"
    poster_beat = "loop"  # its last frame is the poster

    def construct(self) -> None:
        self.showing(SNAPSHOT)  # the story is told on the snapshot network
        choices = self.book.choices(SNAPSHOT)
        self.j, self.rival = choices.label, choices.rival
        self.k, self.i = choices.back_neuron, choices.brightest_before
        self.outputs = self.book.count(OUTPUTS)
        self.numbered = 0  # equations numbered so far
        self.choose_figures()
        self.show_output_error()
        self.send_back()
        self.weights_and_biases()
        self.loop()

    # -- helpers ---------------------------------------------------------------------------

    def choose_figures(self) -> None:
        """Figures at which every worked row's arithmetic can be redone from its digits:
        σ′ · 2(a − y) = δ for the outputs; a_i · δ_k for the weight, which fixes δ_k's
        figures wherever it is written; σ′ · ∂C₀/∂a_k = δ_k back a layer."""
        book, k, i = self.book, self.k, self.i
        self.output_figures = book.column_figures_to_compose(
            [
                (
                    [sigma_prime(L, o, RUN), activation(L, o, RUN), target(o)],
                    gradient(weighted_input(L, o, RUN)),
                )
                for o in (self.j, self.rival)
            ],
            output_error_of,
        )
        delta = gradient(weighted_input(L - 1, k, RUN))
        self.delta_figures = book.figures_to_compose(
            [activation(L - 2, i, RUN), delta], math.prod, gradient(weight(L - 1, k, i, RUN))
        )
        self.wants_figures = book.figures_to_compose(
            [sigma_prime(L - 1, k, RUN), gradient(activation(L - 1, k, RUN))],
            math.prod,
            delta,
            result_figures=self.delta_figures,
        )

    def place(self, *rows, aligned: bool = True) -> VGroup:
        """Rows stacked under the formulas above them, the worked ones lined up at the
        ``=`` their leads end in (if ``aligned``), fitted to the formulas' column."""
        block = VGroup(*rows).arrange(DOWN, buff=ROW_GAP, aligned_edge=LEFT)
        if aligned:
            align_leads(rows)
        if block.width > FORMULAS_WIDTH:
            block.scale_to_fit_width(FORMULAS_WIDTH)
        return block

    def equation(self, typst: str, font_size: float = TYPE.formula) -> VGroup:
        """One of the four equations with its number on its right, as the summary lists it."""
        self.numbered += 1
        return self.numbered_equation(typst, self.numbered, font_size)

    @staticmethod
    def numbered_equation(typst: str, number: int, font_size: float) -> VGroup:
        """``typst`` and ``(number)`` side by side: [0] the equation, [1] its number."""
        formula = MathTypst(typst, font_size=font_size)
        tag = MathTypst(f"({number})", font_size=TYPE.label, color=GREY_B)
        return VGroup(formula, tag.next_to(formula, RIGHT, buff=0.35))

    def circle(self, layer, index: int):
        """The drawn neuron ``index`` of ``layer`` (named from the output)."""
        return self.net.layers[self.book.layer_number(layer)][index]

    def index_label(self, layer, index: int, letter: str, side=LEFT) -> VGroup:
        """``letter = index`` beside a drawn neuron, on a dark ground over the edges, so the
        neuron the narration names can be found: on the ``side`` whose edges are not the
        ones lit, and right of an output's digit."""
        label = MathTypst(f"{letter} = {index}", font_size=ROW, color=HIGHLIGHT)
        if layer == L:
            label.next_to(self.digits[index], RIGHT, buff=0.12)
        else:
            label.next_to(self.circle(layer, index), side, buff=0.1)
        tag = VGroup(BackgroundRectangle(label, fill_opacity=0.85, buff=0.05), label)
        return tag.set_z_index(2)  # over the highlighted edges, which would strike it through

    def edge(self, layer, j: int, k: int) -> Line:
        """A highlighted copy of the edge into neuron j of ``layer`` from neuron k."""
        return Line(
            self.circle(layer - 1, k).get_right(),
            self.circle(layer, j).get_left(),
            stroke_color=HIGHLIGHT,
            stroke_width=5,
        )

    def every_output(self) -> VGroup:
        """A brace down the outputs' digits labelled j: the sum over j takes every one."""
        brace = Brace(self.digits, RIGHT, buff=0.12, color=HIGHLIGHT)
        letter = MathTypst("j", font_size=ROW, color=HIGHLIGHT).next_to(brace, RIGHT, buff=0.1)
        return VGroup(brace, letter)

    def weight_edge(self, j: int, k: int) -> Line:
        """The edge into output ``j`` from neuron ``k``, thick, in its weight's colour: it
        becomes that weight's number."""
        return Line(
            self.circle(L - 1, k).get_right(),
            self.circle(L, j).get_left(),
            stroke_color=self.book.color(weight(L, j, k, RUN)),
            stroke_width=6,
        ).set_z_index(3)

    def under_row(self, edge: Line, slot: Mobject, row: Mobject):
        """A path for ``edge`` to become its number in ``row``: it shrinks to a number
        early, goes down between the layers to the first gap between the outputs below
        ``row``, right under it, and up into its ``slot``."""
        outputs = self.net.layers[-1]
        gaps = [(a.get_y() + b.get_y()) / 2 for a, b in zip(outputs, outputs[1:], strict=False)]
        clear = row.get_bottom()[1] - 0.2
        low = max((g for g in gaps if g < clear), default=outputs.get_bottom()[1] - 0.3)
        return lift_off(edge, slot, [[edge.get_x(), low, 0], [slot.get_x(), low, 0]])

    def round_labels(self, source: Mobject, slot: Mobject, row: Mobject):
        """A path for ``source`` (a neuron) to fly into ``slot`` (in ``row``) through a gap
        between the outputs' digits under the row, clear of the index labels on its way,
        and up into its slot (past no text of its row), for a TransformFromCopy (which runs
        from the slot back to the source)."""
        outputs = self.net.layers[-1]
        gaps = [(a.get_y() + b.get_y()) / 2 for a, b in zip(outputs, outputs[1:], strict=False)]
        taken = [index.get_y() for index in self.indices]
        free = [g for g in gaps if all(abs(g - t) > 0.35 for t in taken)] or gaps
        clear = row.get_bottom()[1] - 0.2
        gap = max((g for g in free if g < clear), default=outputs.get_bottom()[1] - 0.3)
        stops = [[slot.get_x(), gap, 0], [source.get_x(), gap, 0]]  # from the slot's end
        return detour(slot, source, stops)

    # -- beats -----------------------------------------------------------------------------

    def output_row(self, j: int) -> VGroup:
        """δ of output ``j`` from its σ′, its activation and its target."""
        figures = self.output_figures
        return self.book.row(
            f"delta_{j}^((L)) =",
            Q(sigma_prime(L, j, RUN), significant=figures),
            "dot 2(",
            Q(activation(L, j, RUN), significant=figures),
            "-",
            Q(target(j), WHITE),  # white: yellow only marks where to look
            ") =",
            Q(gradient(weighted_input(L, j, RUN)), GRADIENT),
            font_size=ROW,
        )

    def from_neuron(self, row: VGroup, j: int) -> None:
        """a_j leaves output ``j`` for its row, in at the row's left end (under the formulas
        above it); the rest of the row comes around it."""
        neuron = self.circle(L, j)
        shown = row.of(activation(L, j, RUN))
        entry = [row.get_left()[0] - 0.2, shown.get_y(), 0]
        path = detour(shown, neuron, [entry])  # TransformFromCopy runs from the target
        self.play(TransformFromCopy(neuron, shown, path_func=path), run_time=1.2)
        formula = self.general[0]  # the row is (1) for this neuron: its two parts light
        self.play(
            Appear(VGroup(*(part for part in row if part is not shown))),
            Indicate(formula.select("slope"), color=HIGHLIGHT, scale_factor=1),
            Indicate(formula.select("cost"), color=HIGHLIGHT, scale_factor=1),
            run_time=1.2,
        )
        self.play(Circumscribe(row.of(gradient(weighted_input(L, j, RUN))), color=HIGHLIGHT))

    def show_output_error(self) -> None:
        self.beat("output-error")
        j, rival = self.j, self.rival
        delta = gradient(weighted_input(L, j, RUN))
        brighter = self.book.value(delta) < 0  # −δ is the direction that lowers the cost
        depth = self.book.count(DEPTH)
        network = self.book.network(SNAPSHOT)
        self.net = NetworkDiagram(
            self.book,
            network,
            height=4.9,
            layer_gap=1.45,
            first_layer=max(depth + 1 - LAYERS_DRAWN, 0),
        )
        self.digit = self.example_digit(DIGIT_SIZE)
        self.digit.next_to(self.net, LEFT, buff=DIGIT_ROOM)
        picture = VGroup(self.digit, self.net)
        picture.shift(RIGHT * (NETWORK_LEFT - picture.get_left()[0]))
        picture.shift(UP * (CONTENT_BOTTOM - self.net.get_bottom()[1]))
        self.digits = self.net.digit_labels()
        names = VGroup(
            *(
                MathTypst(f"({layer.name})", font_size=ROW).next_to(
                    self.net.layers[self.book.layer_number(layer)], UP, buff=0.15
                )
                for layer in (L - 2, L - 1, L)
            )
        )
        self.heading = self.caption(
            "The network after",
            SNAPSHOT_EPOCH,
            self.plural(SNAPSHOT_EPOCH, "epoch") + " of training, on the handwritten",
            Q(LABEL, WHITE),
            font_size=TYPE.label,
        )
        self.legend = WeightLegend(font_size=ROW, widths=False).arrange(RIGHT, buff=0.5)
        self.legend.to_edge(DOWN, buff=0.25).align_to(self.digit, LEFT)  # under the captions
        # the network is there from the first frame: the story starts on it
        self.add(self.heading, self.digit, self.net, names, self.digits, self.legend)
        self.say("Backpropagation starts at the output, for the", LABEL, "on the left.")
        lit = [self.net.light(RUN, number) for number in range(self.net.first_layer, depth + 1)]
        self.play(*(a for animations in lit for a in animations), run_time=1.2)
        definition = MathTypst(DEFINITION, font_size=TYPE.formula)
        general = self.equation(OUTPUT_ERROR)
        row, rival_row = self.output_row(j), self.output_row(rival)
        block = self.place(definition, general, row, rival_row)
        block.move_to(RIGHT * FORMULAS_X + UP * 3.0, aligned_edge=UP).set_x(FORMULAS_X)
        self.names = names
        self.say(
            "Call δ a neuron's error: how the cost changes with its weighted input z,",
            "in any layer l.",
        )
        self.play(Write(definition))
        # each part lights as it is said: the cost, the weighted input, the layers l runs over
        self.until_word("cost")
        self.play(Indicate(definition.select("cost"), color=HIGHLIGHT))
        self.until_word("weighted")
        self.play(Indicate(definition.select("z"), color=HIGHLIGHT))
        self.until_word("layer")
        self.play(
            LaggedStart(*(Indicate(n, color=HIGHLIGHT) for n in self.names), lag_ratio=0.3),
            run_time=1.5,
        )
        self.say(
            "At the output it is σ′ of z times 2(a − y), neuron by neuron:",
            "the circled dot multiplies them one pair at a time.",
        )
        self.play(Write(general))
        formula = general[0]
        self.until_word("sigma")
        self.play(Indicate(formula.select("slope"), color=HIGHLIGHT, scale_factor=1))
        self.until_word("times")
        self.play(Indicate(formula.select("cost"), color=HIGHLIGHT, scale_factor=1))
        self.until_word("circled")
        self.play(Circumscribe(formula.select("pairs"), color=HIGHLIGHT))
        self.play(  # ⊙: one product per output neuron, in turn, as it is said
            LaggedStart(
                *(Indicate(c, color=HIGHLIGHT) for c in self.net.layers[-1]), lag_ratio=0.3
            ),
            run_time=2.4,
        )
        self.general = general
        self.say(
            "For output",
            LABEL,
            ", the error δ is",
            delta,
            ": the cost wants it",
            "brighter." if brighter else "dimmer.",
        )
        index = self.index_label(L, j, "j")
        self.play(Indicate(self.circle(L, j), color=HIGHLIGHT, scale_factor=1.6), Appear(index))
        self.from_neuron(row, j)
        rival_delta = gradient(weighted_input(L, rival, RUN))
        self.say(
            f"Every output has its own; output {rival}, the strongest wrong one, has",
            rival_delta,
            ".",
        )
        rival_index = self.index_label(L, rival, "j")  # j moves on to the output worked
        self.play(
            Indicate(self.circle(L, rival), color=HIGHLIGHT, scale_factor=1.6),
            ReplacementTransform(index, rival_index),
        )
        self.from_neuron(rival_row, rival)
        self.wait(1)
        self.blocks = [block]
        self.indices = VGroup(rival_index)

    def send_back(self) -> None:
        self.beat("backward")
        j, rival, k = self.j, self.rival, self.k
        wants = gradient(activation(L - 1, k, RUN))
        delta = gradient(weighted_input(L - 1, k, RUN))
        self.say(
            "Every output sends its δ back along its weight: W transposed, times δ,",
            "adds them up for each neuron of layer L−1.",
        )
        general = self.equation(BACKWARD)
        terms = self.book.row(
            f"sum_j w_(j,{k}) delta_j =",
            weight(L, j, k, RUN),
            "dot (",
            Q(gradient(weighted_input(L, j, RUN)), GRADIENT),
            ") +",
            weight(L, rival, k, RUN),
            "dot (",
            Q(gradient(weighted_input(L, rival, RUN)), GRADIENT),
            ") + dots.c =",
            Q(wants, GRADIENT, self.wants_figures),
            font_size=ROW,
        )
        self.book.relation("sum", [path_term(L, o, k, RUN) for o in range(self.outputs)], wants)
        row = self.book.row(
            f"delta_{k}^((L-1)) =",
            Q(sigma_prime(L - 1, k, RUN), significant=self.wants_figures),
            "dot (",
            Q(wants, GRADIENT, self.wants_figures),
            ") =",
            Q(delta, GRADIENT, self.delta_figures),
            font_size=ROW,
        )
        block = self.place(general, terms, row)
        block.next_to(self.blocks[-1], DOWN, buff=0.4).set_x(FORMULAS_X)
        back = VGroup(*(self.edge(L, o, k) for o in range(self.outputs)))
        for line in back:  # drawn from the output back to neuron k
            line.put_start_and_end_on(line.get_end(), line.get_start())
        self.play(Write(general))
        formula = general[0]
        index = self.index_label(L - 1, k, "k")
        self.until_word("back")
        self.play(
            LaggedStart(*(Create(line) for line in back), lag_ratio=0.08),
            Appear(index),
            run_time=1.5,
        )
        self.indices.add(index)
        self.until_word("transposed")
        self.play(Indicate(formula.select("weights"), color=HIGHLIGHT, scale_factor=1))
        self.play(  # δ of layer l + 1: the outputs' δs, worked above
            Indicate(formula.select("later"), color=HIGHLIGHT, scale_factor=1),
            *(
                Indicate(r.of(gradient(weighted_input(L, o, RUN))), color=HIGHLIGHT)
                for r, o in zip(self.blocks[0][2:], (j, rival), strict=True)
            ),
        )
        self.until_word("adds")
        every = self.every_output()  # Σ_j: the one output's tag becomes all of them
        self.play(ReplacementTransform(self.indices[0], every), run_time=1.2)
        self.indices = VGroup(every, index)
        self.say(
            f"Into neuron {k}: each output's weight times its δ,",
            "the two drawn and the rest, summed to",
            wants,
            ".",
        )
        # each term's weight leaves its edge and its δ its row (round the right of the
        # formulas between), the two meeting in the sum
        right = max(m.get_right()[0] for m in (*self.blocks[0], general)) + 0.3
        deltas = [gradient(weighted_input(L, o, RUN)) for o in (j, rival)]
        weights = [weight(L, o, k, RUN) for o in (j, rival)]
        slots = [terms.of(d) for d in deltas]
        sources = [self.blocks[0][2].of(deltas[0]), self.blocks[0][3].of(deltas[1])]
        travelling = {*slots, *(terms.of(w) for w in weights), terms.of(wants)}
        self.play(Appear(terms.lead), run_time=0.6)
        later = [p for p in terms if p not in travelling and p is not terms.lead]
        for o, w, source, slot in zip((j, rival), weights, sources, slots, strict=True):
            stops = [[right, slot.get_y(), 0], [right, source.get_y(), 0]]
            path = detour(slot, source, stops)  # TransformFromCopy runs from the target
            edge = self.weight_edge(o, k)
            self.add(edge)
            self.play(
                ReplacementTransform(
                    edge, terms.of(w), path_func=self.under_row(edge, terms.of(w), terms)
                ),
                TransformFromCopy(source, slot, path_func=path),
                run_time=1.4,
            )
        self.play(Appear(VGroup(*later)), run_time=0.6)
        self.play(Appear(terms.of(wants), shift=LEFT * 0.1), run_time=0.6)  # the sum, said
        self.say(f"For neuron {k}, the sum, times its own σ′, is", delta, ".")
        self.play(Indicate(self.circle(L - 1, k), color=HIGHLIGHT, scale_factor=1.6))
        self.play(
            Appear(VGroup(*(p for p in row if p is not row.of(wants)))),
            TransformFromCopy(terms.of(wants), row.of(wants)),
            run_time=1.2,
        )
        self.play(Circumscribe(row.of(delta), color=HIGHLIGHT))
        self.wait(2)
        self.play(Vanish(back), run_time=0.5)
        self.blocks.append(block)

    def keep_the_equations(self) -> VGroup:
        """The worked rows but δ_k's go; the definition and equations (1) and (2) close up
        under the top, dimmed, with δ_k's row and its value bright: it is used next."""
        (definition, output_error, *outputs), (backward, terms, row) = self.blocks
        self.play(Vanish(*outputs, terms), run_time=0.5)  # gone before the rest moves up
        kept = VGroup(definition, output_error, backward, row)
        for mobject in kept:
            mobject.generate_target()
        targets = VGroup(*(m.target for m in kept)).arrange(DOWN, buff=ROW_GAP, aligned_edge=LEFT)
        targets.move_to(self.blocks[0].get_top(), aligned_edge=UP).align_to(definition, LEFT)
        for mobject in (definition, output_error, backward):
            mobject.target.set_opacity(0.35)
        self.play(*(MoveToTarget(m) for m in kept), run_time=0.8)
        return kept

    def weights_and_biases(self) -> None:
        self.beat("weights-biases")
        k, i = self.k, self.i
        delta = gradient(weighted_input(L - 1, k, RUN))
        w_gradient = gradient(weight(L - 1, k, i, RUN))
        self.say(
            f"One layer back, l is L−1: here j is neuron {k} of layer L−1,",
            f"and k is neuron {i} of layer L−2.",
        )
        self.kept = self.keep_the_equations()
        delta_row = self.kept[-1]  # δ_k's, which both rows below use
        weights = self.equation(WEIGHTS)
        biases = self.equation(BIASES)
        general = VGroup(weights, biases).arrange(RIGHT, buff=0.6)
        w_row = self.book.row(
            f"(partial C_0)/(partial w_({k},{i})^((L-1))) =",
            Q(activation(L - 2, i, RUN), significant=self.delta_figures),
            "dot (",
            Q(delta, GRADIENT, self.delta_figures),
            ") =",
            Q(w_gradient, GRADIENT),
            font_size=ROW,
        )
        b_row = self.book.row(  # (4) for this neuron: δ's value written once, as its own
            f"(partial C_0)/(partial b_{k}^((L-1))) = delta_{k}^((L-1)) =",
            Q(gradient(bias(L - 1, k, RUN)), GRADIENT, self.delta_figures),
            font_size=ROW,
        )
        block = self.place(general, w_row, b_row, aligned=False)  # b's lead holds two =
        block.next_to(self.kept, DOWN, buff=0.3).set_x(FORMULAS_X)
        edge = self.edge(L - 1, k, i)
        source = self.circle(L - 2, i)
        self.play(Write(weights))
        # (3) and (4) name layer l's neuron j and layer l−1's k: with l = L−1, layer L−1's
        # tag becomes j (right of it: the lit edge comes from the left), the output's j
        # goes, and layer L−2's neuron is k
        output_tag, back_tag = self.indices
        renamed = self.index_label(L - 1, k, "j", side=RIGHT)
        index = self.index_label(L - 2, i, "k")
        later, earlier = self.names[1], self.names[0]
        self.play(
            Vanish(output_tag),
            ReplacementTransform(back_tag, renamed),
            Indicate(later, color=HIGHLIGHT),
            run_time=1.5,
        )
        self.play(Indicate(earlier, color=HIGHLIGHT), Appear(index), run_time=1.2)
        self.indices = VGroup(renamed, index)
        self.say(
            "Each weight's derivative is the activation feeding it times the δ it feeds:",
            w_gradient,
            ".",
        )
        self.play(Create(edge), Indicate(source, color=HIGHLIGHT, scale_factor=1.6))
        shown = w_row.of(activation(L - 2, i, RUN))
        self.play(
            Appear(VGroup(*(p for p in w_row if p is not shown))),
            TransformFromCopy(source, shown, path_func=self.round_labels(source, shown, w_row)),
            # the δ it feeds, from above: lit, not grown (its row's ") =" is close by)
            Indicate(delta_row.of(delta), color=HIGHLIGHT, scale_factor=1),
            run_time=1.4,
        )
        self.play(Circumscribe(w_row.of(w_gradient), color=HIGHLIGHT))
        self.say("A bias's is δ itself.")
        self.play(Write(biases))
        b_gradient = b_row.of(gradient(bias(L - 1, k, RUN)))
        self.play(Appear(b_row.lead, shift=DOWN * 0.1), run_time=0.8)
        # δ's value, lit where it was worked, beside it (the weight's row lies between: a
        # flight would cross it)
        self.play(
            Indicate(delta_row.of(delta), color=HIGHLIGHT, scale_factor=1),
            Appear(b_gradient, shift=LEFT * 0.1),
            run_time=1.2,
        )
        self.wait(0.5)
        self.blocks.append(block)
        self.edge_shown = edge

    def loop(self) -> None:
        self.beat("loop")
        fell = self.book.value(BATCH_COST_AFTER) < self.book.value(BATCH_COST_BEFORE)
        self.say(
            "Training repeats one loop: forward, backward, step. Training's first turn took",
            "the mean cost of its",
            BATCH_SIZE,
            "examples",
            "down" if fell else "up",
            "from",
            BATCH_COST_BEFORE,
            "to",
            BATCH_COST_AFTER,
            ".",
        )
        definition, output_error, backward, _ = self.kept
        weights, biases = self.blocks[2][0]
        shown = [definition, output_error, backward, weights, biases]
        summary = VGroup(
            MathTypst(DEFINITION, font_size=TYPE.body),
            *(
                self.numbered_equation(typst, number, TYPE.body)
                for number, typst in enumerate((OUTPUT_ERROR, BACKWARD, WEIGHTS, BIASES), 1)
            ),
        )
        summary.arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        for equation in summary[1:]:  # the numbers in one column
            equation[1].set_x(summary.get_right()[0] - equation[1].width / 2)
        summary.to_edge(LEFT, buff=0.6).shift(UP * (CONTENT_BOTTOM + 0.2 - summary.get_bottom()[1]))
        rest = [m for m in self.mobjects if m is not self.heading and m not in shown]
        self.play(*(Vanish(m) for m in rest), run_time=0.8)
        self.retitle("Backpropagation in four equations, and the loop they drive")
        # the four, with δ's definition, close up into one column, each where it is
        self.play(*(Transform(f, t) for f, t in zip(shown[:4], summary[:4], strict=True)))
        self.play(Transform(shown[4], summary[4]), run_time=0.8)  # from beside (3)
        names = [Typst(text, font_size=FONT) for text in ("forward pass", "backward pass", "step")]
        labels = [
            self.book.row("C =", Q(BATCH_COST_BEFORE, COST_APART), font_size=ROW),
            VGroup(
                self.book.row("nabla C:", GRADIENT_COMPONENTS, font_size=ROW),
                Typst("components", font_size=ROW),
            ).arrange(DOWN, buff=0.1),
            VGroup(
                self.book.row("eta =", LEARNING_RATE, font_size=ROW),
                self.book.row('C "after" =', Q(BATCH_COST_AFTER, COST_APART), font_size=ROW),
            ).arrange(DOWN, buff=0.1, aligned_edge=LEFT),
        ]
        cycle = LoopDiagram(names, labels, radius=1.8).move_to(RIGHT * 3.6 + UP * 0.5)
        note = self.caption(
            "one turn: training's first step, on a mini-batch of", BATCH_SIZE, font_size=ROW
        )
        note.next_to(cycle, DOWN, buff=0.35)
        self.play(LaggedStart(*(Appear(s) for s in cycle.stations), lag_ratio=0.3))
        for arrow, label in zip(cycle.arrows, cycle.labels, strict=True):
            self.play(Create(arrow), Appear(label), run_time=0.9)
        runner = Dot(color=HIGHLIGHT, radius=0.1).move_to(cycle.path().get_start())
        self.add(runner)
        self.play(MoveAlongPath(runner, cycle.path()), Appear(note), run_time=3)
        self.play(Vanish(runner), Circumscribe(cycle.labels[-1][-1], color=HIGHLIGHT))
        box = SurroundingRectangle(summary, color=HIGHLIGHT, buff=0.2)
        self.say(
            "These four equations are the backward pass:",
            "every step runs them on each example of its mini-batch.",
        )
        self.play(Create(box))
        self.play(Indicate(cycle.stations[1], color=HIGHLIGHT))
        self.wait(1)
