"""How sensitive is the cost to one weight? Nudge it and watch z, a and C0 follow.

manim render -ql --save_sections scenes/nudge_cost.py NudgeCost
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    LaggedStart,
    ManimColor,
    MathTypst,
    Rectangle,
    SurroundingRectangle,
    Typst,
    VGroup,
    Write,
)

from bpcalc.viz import (
    ACTIVATION,
    BIAS,
    COST,
    HIGHLIGHT,
    MOVE_SHARE,
    TRAINED,
    TYPE,
    Appear,
    CurveWithTangent,
    Layer,
    NudgeLine,
    Q,
    Quantity,
    StoryScene,
    Vanish,
    Z,
    activation,
    bias,
    cost,
    cost_curve,
    format_value,
    gradient,
    local,
    nudge_run,
    nudged,
    sigma_prime,
    sigmoid_curve,
    spoken,
    weight,
    weight_color,
    weighted_input,
)

FONT = TYPE.formula - 2
SMALL = TYPE.number
LEVERS = ("w", "b", "a")  # what feeds z: the weight, the bias, the previous activation


class NudgeCost(StoryScene):
    """Six beats: number lines, the nudge, why the slopes, shrinking Δ, other levers, verdict."""

    story = "nudge"
    story_order = 3
    title = "Nudge a weight, watch the cost"
    poster_beat = "nudge"  # its last frame is the poster

    def construct(self) -> None:
        self.chain, self.nudges = self.book.story.chain, self.book.story.nudges
        main = self.nudges.main
        self.layer = Layer.numbered(main.layer, self.chain.depth)  # the nudged layer
        self.quantity = main.quantity
        self.show_number_lines()
        self.nudge_the_weight()
        self.explain_the_slopes()
        self.shrink_the_nudge()
        self.other_levers()
        self.compare_sensitivities()

    # names ---------------------------------------------------------------------

    def lever(self, name: str) -> Quantity:
        """w^(l), b^(l) or a^(l−1): the quantity feeding z^(l) that ``name`` names."""
        return {"w": weight, "b": bias, "a": lambda layer: activation(layer - 1)}[name](self.layer)

    def lever_symbol(self, name: str) -> str:
        return self.sym(self.lever(name))

    def lever_color(self, name: str) -> ManimColor:
        """The palette colour of a lever: the weight by its sign, b maroon, a white."""
        return {
            "w": weight_color(self.book.value(weight(self.layer))),
            "b": BIAS,
            "a": ACTIVATION,
        }[name]

    def dz_dq(self, name: str) -> str:
        """∂z/∂(lever) as a formula: a^(l−1), 1 or w^(l)."""
        return {"w": self.lever_symbol("a"), "b": "1", "a": self.lever_symbol("w")}[name]

    def states(self, state: str, lever: str | None = None) -> tuple[Quantity, Quantity]:
        """A nudge's before and after values of the lever (q), z, a or C0 (c)."""
        return nudged(f"before_{state}", lever=lever), nudged(f"after_{state}", lever=lever)

    def dc_da(self) -> str:
        """∂C0/∂a^(l): 2(a^(L) − y) for the last layer, the symbol otherwise."""
        a = self.sym(activation(self.layer))
        return f"2({a} - y)" if self.layer.back == 0 else f"(partial C_0)/(partial {a})"

    # beats ---------------------------------------------------------------------

    def show_number_lines(self) -> None:
        self.beat("number-lines")
        self.showing(TRAINED, nudge_run())  # the chain, before and after its nudge
        q, layer, book = self.quantity, self.layer, self.book
        color = self.lever_color(q)
        self.lines = VGroup(
            NudgeLine(book, self.lever_symbol(q), color, *self.states("q")),
            NudgeLine(book, self.sym(weighted_input(layer)), Z, *self.states("z")),
            NudgeLine(book, self.sym(activation(layer)), ACTIVATION, *self.states("a")),
            NudgeLine(book, "C_0", COST, *self.states("c")),
        )
        for nudge_line in self.lines:
            nudge_line.symbol_label.set_color(nudge_line.dot.get_color())
        self.lines.arrange(DOWN, buff=0.95, aligned_edge=RIGHT).to_edge(LEFT, buff=0.6)
        self.lines.shift(DOWN * 0.3)
        caption = Typst("Each quantity on its own line, zoomed in", font_size=SMALL)
        caption.to_edge(UP, buff=0.35)
        lever = spoken(self.lever(q))
        self.say(
            "How sensitive is the cost to the",
            {"w": "weight", "b": "bias"}[q],
            lever,
            "? Put",
            lever,
            ", z, a and C₀ each on a number line of its own,",
        )
        self.play(Appear(caption))
        # one line at a time, as the sentence names them
        self.play(LaggedStart(*(Appear(line) for line in self.lines), lag_ratio=0.4), run_time=4)
        self.say("each zoomed so that a small change is plain to see.")
        self.wait(2)
        self.heading = caption

    def nudge_the_weight(self) -> None:
        self.beat("nudge")
        q, layer = self.quantity, self.layer
        a, z = self.sym(activation(layer)), self.sym(weighted_input(layer))
        names = [f"Delta {self.lever_symbol(q)}", f"Delta {z}", f"Delta {a}", "Delta C_0"]
        keys = [nudged(field) for field in ("delta", "dz", "da", "dC")]
        braces = VGroup(
            *(line.brace(n, k) for line, n, k in zip(self.lines, names, keys, strict=True))
        )
        change = self.book.value(nudged("dC"))
        self.say(
            "Nudge",
            spoken(self.lever(q)),
            "by",
            nudged("delta"),
            ": z moves, so a moves,",
            "so the cost changes by",
            nudged("dC"),
            ": it rises." if change > 0 else ": it falls.",
        )
        for nudge_line, brace in zip(self.lines, braces, strict=True):
            self.play(*nudge_line.nudge(), run_time=1.5)
            self.play(Appear(brace, shift=UP * 0.1))
        self.wait(1)
        self.say(
            "The chain rule predicts each change from the one before it,",
            "one link at a time: the slopes multiply.",
        )

        estimates = VGroup(
            self.book.row(
                f"Delta {z} = {self.dz_dq(q)} Delta {self.lever_symbol(q)} =",
                Q(nudged("dz_linear"), Z),
                font_size=SMALL,
            ),
            self.book.row(
                f"Delta {a} approx sigma'({z}) Delta {z} =", nudged("da_linear"), font_size=SMALL
            ),
            self.book.row(
                f"Delta C_0 approx {self.dc_da()} Delta {a} =",
                Q(nudged("dC_linear"), COST),
                font_size=SMALL,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.7)
        lever = self.lever(q)
        self.book.relation(
            "product", [local(weighted_input(layer), lever), nudged("delta")], nudged("dz_linear")
        )
        self.book.relation("product", [sigma_prime(layer), nudged("dz")], nudged("da_linear"))
        self.book.relation(
            "product", [gradient(activation(layer)), nudged("da")], nudged("dC_linear")
        )
        heading = Typst("The chain rule, one link at a time:", font_size=SMALL)
        panel = VGroup(heading, estimates).arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        panel.to_edge(RIGHT, buff=0.5).match_y(self.lines)
        self.play(Appear(heading))
        readings = (
            ("So z changes by its link's slope times the nudge,", nudged("dz_linear"), ";"),
            ("the output by about the sigmoid's slope times that,", nudged("da_linear"), ";"),
            ("and the cost by about its slope times the output's,", nudged("dC_linear"), "."),
        )
        for row, reading in zip(estimates, readings, strict=True):
            self.say(*reading)
            self.play(Write(row))
            self.wait(1)
        self.braces, self.panel = braces, panel

    def explain_the_slopes(self) -> None:
        self.beat("slopes")
        layer = self.layer
        z, a = self.sym(weighted_input(layer)), self.sym(activation(layer))
        self.say("Why those slopes? The sigmoid's slope at the real z is", sigma_prime(layer), ".")
        self.play(Vanish(self.panel))
        sigmoid_panel = CurveWithTangent(
            self.book,
            sigmoid_curve,
            (-6, 6),
            (0, 1),
            (weighted_input(layer), activation(layer)),
            sigma_prime(layer),
            Z,
            ("z", "sigma(z)"),
        )
        sigmoid_text = self.book.row(
            f'"slope" = sigma\'({z}) =', sigma_prime(layer), font_size=SMALL
        )
        panels = VGroup(VGroup(sigmoid_panel, sigmoid_text).arrange(DOWN, buff=0.25))
        if layer.back == 0:  # the cost is a parabola in the output activation
            parabola = CurveWithTangent(
                self.book,
                cost_curve(self.chain.y),
                (0, 1),
                (0, 1),
                (activation(layer), cost()),
                local(cost(), activation(layer)),
                COST,
                ("a", "(a - y)^2"),
            )
            parabola_text = self.book.row(
                f'"slope" = 2({a} - y) =', local(cost(), activation(layer)), font_size=SMALL
            )
            panels.add(VGroup(parabola, parabola_text).arrange(DOWN, buff=0.25))
        panels.arrange(DOWN, buff=0.5).to_edge(RIGHT, buff=0.6).shift(DOWN * 0.2)
        for number, panel in enumerate(panels):
            curve, text = panel
            if number == 1:
                self.say(
                    "The cost is a parabola in the output; its slope there is",
                    local(cost(), activation(layer)),
                    ".",
                )
            self.play(Create(curve.axes), Appear(curve.labels), Create(curve.graph))
            self.play(Appear(curve.dot), Create(curve.tangent))
            self.play(Write(text))
            self.wait(2.5)
        self.slopes = panels

    def shrink_the_nudge(self) -> None:
        self.beat("shrinking")
        q = self.lever_symbol(self.quantity)
        self.play(Vanish(self.slopes), Vanish(self.lines), Vanish(self.braces))  # heading stays
        header = VGroup(
            MathTypst(f"Delta {q}", font_size=FONT),
            MathTypst("Delta C_0", font_size=FONT, color=COST),
            MathTypst(f"(Delta C_0)/(Delta {q})", font_size=FONT),
        )
        rows = [
            [
                self.book.number(nudged(field, shrink=i), font_size=SMALL)
                for field in ("delta", "dC", "ratio")
            ]
            for i in range(len(self.nudges.shrinking))
        ]
        for i in range(len(rows)):  # each ratio is ΔC0 / Δ
            shrink = [nudged(field, shrink=i) for field in ("ratio", "delta")]
            self.book.relation("product", shrink, nudged("dC", shrink=i))
        table = VGroup(*header, *(cell for row in rows for cell in row))
        table.arrange_in_grid(rows=len(rows) + 1, cols=3, buff=(1.2, 0.35))
        rule = Rectangle(width=table.width + 0.4, height=0.01).next_to(header, DOWN, buff=0.18)
        rule.match_x(table)
        limit = self.book.row(
            f"(partial C_0)/(partial {q}) =", Q(nudged("gradient"), COST), font_size=FONT
        )
        VGroup(table, rule, limit).arrange(DOWN, buff=0.5).move_to(DOWN * 0.1)
        rule.next_to(VGroup(*header), DOWN, buff=0.18).match_x(table)
        self.say(
            "Make the nudge smaller and smaller: the ratio of the cost's change to the nudge",
            "settles on the derivative,",
            nudged("gradient"),
            ".",
        )
        shrinks = (nudge_run(shrink=i) for i in range(len(rows)))
        self.showing(TRAINED, nudge_run(), *shrinks)  # every nudge side by side in a table
        self.replace_with(self.heading, VGroup(*header), Appear(VGroup(*header)), Create(rule))
        target = format_value(self.book.value(nudged("gradient")))
        reached = None
        for row in rows:
            self.play(LaggedStart(*(Appear(cell, shift=LEFT * 0.2) for cell in row), lag_ratio=0.3))
            self.wait(0.8)
            if reached is None and row[2].text == target:
                reached = row[2]
        self.say("Backpropagation gives the limit itself:", nudged("gradient"), ".")
        self.play(Write(limit))
        if reached is not None:  # the first ratio that agrees to three figures
            self.say("This nudge's ratio already agrees with it to three figures.")
            self.play(
                Create(SurroundingRectangle(reached, color=HIGHLIGHT, buff=0.1)),
                Create(SurroundingRectangle(limit[-1], color=HIGHLIGHT, buff=0.1)),
            )
        self.wait(3)

    def other_levers(self) -> None:
        self.beat("other-levers")
        levers = [nudge_run(lever=name) for name in "ba"]
        layer, book = self.layer, self.book
        z = self.sym(weighted_input(layer))
        # a heading first, which stays while the table gives way: no blank frame between
        heading = self.caption(
            f"Other levers on ${z}$: ${self.lever_symbol('b')}$ and ${self.lever_symbol('a')}$",
            font_size=SMALL,
        )
        self.play(Appear(heading))
        self.play(*(Vanish(m) for m in self.mobjects if m is not heading))
        self.showing(TRAINED, *levers)
        blocks = VGroup()
        for quantity in ("b", "a"):
            # one scale for both lines, so z visibly moves ∂z/∂(lever) times as far
            moves = [book.value(nudged(f, lever=quantity)) for f in ("delta", "dz")]
            span = max(abs(m) for m in moves) / MOVE_SHARE
            lever = NudgeLine(
                book,
                self.lever_symbol(quantity),
                self.lever_color(quantity),
                *self.states("q", quantity),
                length=4.0,
                span=span,
            )
            z_line = NudgeLine(book, z, Z, *self.states("z", quantity), length=4.0, span=span)
            lines = VGroup(lever, z_line).arrange(DOWN, buff=1.0, aligned_edge=RIGHT)
            # ∂z/∂a^(l−1) is the weight: name it; ∂z/∂b is plainly 1
            named = f" {self.dz_dq(quantity)} =" if quantity == "a" else ""
            rule = book.row(
                f"(partial {z})/(partial {self.lever_symbol(quantity)}) ={named}",
                local(weighted_input(layer), self.lever(quantity)),
                font_size=SMALL,
            )
            moved = book.row(f"Delta {z} =", Q(nudged("dz", lever=quantity), Z), font_size=SMALL)
            text = VGroup(rule, moved).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            blocks.add(VGroup(lines, text.next_to(lines, DOWN, buff=0.45)))
        blocks.arrange(RIGHT, buff=1.2).move_to(DOWN * 0.1)
        self.say(
            "The weight is not the only lever on z. Nudge the bias and z moves just as much;",
        )
        for number, (lines, text) in enumerate(blocks):
            if number == 1:
                self.say(
                    "nudge the previous activation and z moves",
                    local(weighted_input(layer), self.lever("a")),
                    "times as far: the weight.",
                )
            self.play(Appear(lines))
            self.play(*lines[0].nudge(), *lines[1].nudge(), run_time=1.5)
            self.play(Write(text))
            self.wait(2.5)
        self.levers = VGroup(heading, blocks)

    def compare_sensitivities(self) -> None:
        self.beat("sensitivity")
        levers = {name: gradient(self.lever(name)) for name in LEVERS}
        ranked = sorted(levers, key=lambda name: -abs(self.book.value(levers[name])))
        largest = abs(self.book.value(levers[ranked[0]]))
        rows = VGroup()
        for quantity in ranked:
            key = levers[quantity]
            label = self.book.row(
                f"(partial C_0)/(partial {self.lever_symbol(quantity)}) =",
                Q(key, COST),
                font_size=FONT,
            )
            width = 5.0 * abs(self.book.value(key)) / largest
            bar = Rectangle(width=max(width, 0.04), height=0.35, stroke_width=0)
            bar.set_fill(self.lever_color(quantity), opacity=0.85)
            rows.add(VGroup(label, bar))
        for label, bar in rows:
            bar.next_to(label, RIGHT, buff=0.4)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.6)
        for _, bar in rows:
            bar.align_to(rows[0][1], LEFT)
        order = ' ", then " '.join(self.lever_symbol(q) for q in ranked)
        verdict = VGroup(
            Typst("How much does", font_size=SMALL),
            MathTypst("C_0", font_size=SMALL, color=COST),
            Typst("care? Most about", font_size=SMALL),
            MathTypst(order, font_size=SMALL),
        ).arrange(RIGHT, buff=0.15)
        VGroup(rows, verdict).arrange(DOWN, buff=0.8).move_to(DOWN * 0.1)
        first, second, third = (spoken(self.lever(name)) for name in ranked)
        self.say(
            "Side by side, the three derivatives of the cost say how much it cares about each:",
        )
        (label, bar), *rest = rows  # the first derivative is written as the levers go
        self.replace_with(self.levers, label, Write(label), Appear(bar, shift=RIGHT * 0.3))
        self.showing(TRAINED)
        self.wait(1)
        for label, bar in rest:
            self.play(Write(label), Appear(bar, shift=RIGHT * 0.3))
            self.wait(1)
        self.say("most about", first, ", then", second, ", then", third, ".")
        self.play(Appear(verdict))
        self.wait(4)
