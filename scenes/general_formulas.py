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
    Create,
    Line,
    MathTypst,
    SurroundingRectangle,
    VGroup,
    Write,
)

from bpcalc.viz import (
    COST,
    HIGHLIGHT,
    LABEL,
    OUTPUT,
    SNAPSHOT,
    SNAPSHOT_EPOCH,
    TARGET,
    TYPE,
    Appear,
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
FORMULAS_AT = RIGHT * 2.9  # the formulas' column; the subset of the network is on the left
SHOWN_PREVIOUS = 3  # neurons of layer L−1 in the picture


class GeneralFormulas(StoryScene):
    """Four beats: indices, the sums, one weight's chain rule, the sum over paths."""

    story = "digits"
    story_order = 6
    title = "Many neurons per layer: indices and sums"
    poster_beat = "sum-over-paths"  # its last frame is the poster

    def construct(self) -> None:
        choices = self.book.story.digits.snapshot.choices
        self.ks = list(choices.brightest_few(SHOWN_PREVIOUS))  # ks[0] is the back neuron
        self.js = [choices.label, choices.rival]
        self.before = choices.brightest_before  # in layer L−2
        self.show_indices()
        self.write_sums()
        self.one_weight()
        self.sum_over_paths()

    def show_indices(self) -> None:
        self.beat("indices")
        ks, js = self.ks, self.js
        self.previous = VGroup(*(self.neuron(activation(L - 1, k, RUN)) for k in ks))
        self.previous.arrange(DOWN, buff=0.7)
        self.outputs = VGroup(*(self.neuron(activation(L, j, RUN)) for j in js)).arrange(
            DOWN, buff=1.4
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
        targets = VGroup(
            *(
                self.book.row(f"y_({j}) =", target(j), font_size=SMALL).next_to(n, RIGHT, 0.2)
                for j, n in zip(js, self.outputs, strict=True)
            )
        )
        for row in targets:
            row[0].set_color(TARGET)
        note = self.caption(
            "A few neurons, after",
            SNAPSHOT_EPOCH,
            "epoch(s) of training: the",
            Q(LABEL, TARGET),
            "example, the brightest of layer $L-1$, two outputs",
        )
        self.add(*self.edges.values())
        self.play(
            Appear(note),
            Appear(self.previous),
            Appear(self.outputs),
            Appear(names),
            *(Create(e) for e in self.edges.values()),
        )
        self.play(Appear(targets))
        j, k = js[0], ks[0]
        edge = self.edges[j, k]
        color, width = edge.get_stroke_color(), edge.get_stroke_width()
        named = self.book.row(
            f"{self.sym(weight(L, j, k, RUN))} =", weight(L, j, k, RUN), font_size=SMALL
        )
        named.next_to(edge.get_center(), UP, buff=0.25)
        reading = MathTypst('w_(j k): "to" j "from" k', font_size=FONT).move_to(FORMULAS_AT + UP)
        self.play(
            edge.animate.set_stroke(HIGHLIGHT, width=5, opacity=1), Appear(named), Write(reading)
        )
        self.wait(3)
        self.play(
            Vanish(named),
            Vanish(reading),
            edge.animate.set_stroke(color, width=width),
        )
        self.wait(1)
        self.caption_note = note

    def write_sums(self) -> None:
        self.beat("sums")
        j = self.js[0]
        general = MathTypst(
            "z_j^((L)) = sum_k w_(j k)^((L)) a_k^((L-1)) + b_j^((L))", font_size=FONT
        )
        products = [
            piece
            for k in self.ks
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
        block = VGroup(general, terms, cost_sum, cost_terms, note).arrange(DOWN, buff=0.45)
        block.scale_to_fit_width(min(block.width, 7.6)).move_to(FORMULAS_AT + DOWN * 0.3)
        for part in block:
            self.play(
                Write(part) if isinstance(part, MathTypst) else Appear(part, shift=DOWN * 0.1)
            )
            self.wait(1.5)
        self.wait(2)
        self.sums = block

    def one_weight(self) -> None:
        self.beat("one-weight")
        j, k = self.js[0], self.ks[0]
        self.play(Vanish(self.sums))
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
            Q(gradient(weight(L, j, k, RUN)), COST),
            font_size=FONT,
        )
        block = VGroup(general, numbers).arrange(DOWN, buff=0.5, aligned_edge=RIGHT)
        block.scale_to_fit_width(min(block.width, 7.6)).move_to(FORMULAS_AT)
        path = [self.edges[j, k]]
        self.play(
            *(e.animate.set_stroke(HIGHLIGHT, width=5, opacity=1) for e in path),
            self.outputs[0].animate.set_stroke(HIGHLIGHT),
        )
        self.play(Write(general))
        self.wait(2)
        self.play(Appear(numbers, shift=DOWN * 0.2))
        box = SurroundingRectangle(numbers[-1], color=HIGHLIGHT, buff=0.08)
        self.play(Create(box))
        self.wait(3)
        self.one = (VGroup(box, block), path)

    def sum_over_paths(self) -> None:
        self.beat("sum-over-paths")
        shown, path = self.one
        self.play(
            Vanish(shown),
            *(e.animate.set_stroke(width=3, opacity=0.6) for e in path),
            self.outputs[0].animate.set_stroke(WHITE),
        )
        k = self.ks[0]
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
        total = self.book.row(
            "+ dots.c =", Q(gradient(activation(L - 1, k, RUN)), COST), font_size=FONT
        )
        block = VGroup(*rows, total).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        block.next_to(general, DOWN, buff=0.5)
        for j, row in zip(self.js, rows, strict=True):
            edge = self.edges[j, k]
            self.play(
                edge.animate.set_stroke(HIGHLIGHT, width=5, opacity=1),
                Appear(row, shift=LEFT * 0.2),
            )
            self.wait(1.5)
        self.play(Write(total), Create(SurroundingRectangle(total[-1], color=HIGHLIGHT, buff=0.08)))
        self.wait(2.5)
        i = self.before
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
            Q(gradient(weight(L - 1, k, i, RUN)), COST),
            font_size=FONT,
        )
        tail = VGroup(recursion, numbers).arrange(DOWN, buff=0.35, aligned_edge=RIGHT)
        tail.scale_to_fit_width(min(tail.width, 7.6)).next_to(block, DOWN, buff=0.6)
        tail.set_x(FORMULAS_AT[0])
        self.play(Write(recursion))
        self.play(Appear(numbers, shift=DOWN * 0.2))
        self.wait(4)
