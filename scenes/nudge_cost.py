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
    Scene,
    SurroundingRectangle,
    Typst,
    VGroup,
    Write,
)

from bpcalc.core.network import sigmoid
from bpcalc.viz import (
    ACTIVATION,
    BIAS,
    COST,
    HIGHLIGHT,
    MOVE_SHARE,
    Appear,
    CurveWithTangent,
    NudgeLine,
    Q,
    Vanish,
    Z,
    format_value,
    nudge_book,
    scene_params,
    symbol,
    weight_color,
)

FONT = 32
SMALL = 28


class NudgeCost(Scene):
    """Six beats: number lines, the nudge, why the slopes, shrinking Δ, other levers, verdict."""

    story_order = 3
    title = "Nudge a weight, watch the cost"
    poster_beat = "nudge"  # its last frame is the poster

    def construct(self) -> None:
        params = scene_params()
        self.chain, self.nudges, self.book = nudge_book(params)
        self.layer, self.quantity = self.nudges.main.layer, self.nudges.main.quantity
        self.show_number_lines()
        self.nudge_the_weight()
        self.explain_the_slopes()
        self.shrink_the_nudge()
        self.other_levers()
        self.compare_sensitivities()

    # names ---------------------------------------------------------------------

    def sym(self, name: str, layer: int | None = None) -> str:
        return symbol(name if layer is None else f"{name}{layer}", self.chain.depth)

    def lever_key(self, quantity: str) -> str:
        """w3, b3 or a2: the quantity feeding z^(l) that ``quantity`` names."""
        return f"{quantity}{self.layer - 1 if quantity == 'a' else self.layer}"

    def lever_symbol(self, quantity: str) -> str:
        """w^(l), b^(l) or a^(l−1)."""
        return self.sym(self.lever_key(quantity))

    def lever_color(self, quantity: str) -> ManimColor:
        """The palette colour of a lever: the weight by its sign, b maroon, a white."""
        weight = weight_color(self.chain.w[self.layer - 1])
        return {"w": weight, "b": BIAS, "a": ACTIVATION}[quantity]

    def dz_dq(self, quantity: str) -> str:
        """∂z/∂(quantity) as a formula: a^(l−1), 1 or w^(l)."""
        return {"w": self.sym("a", self.layer - 1), "b": "1", "a": self.sym("w", self.layer)}[
            quantity
        ]

    def dc_da(self) -> str:
        """∂C0/∂a^(l): 2(a^(L) − y) for the last layer, the symbol otherwise."""
        a = self.sym("a", self.layer)
        return f"2({a} - y)" if self.layer == self.chain.depth else f"(partial C_0)/(partial {a})"

    # beats ---------------------------------------------------------------------

    def show_number_lines(self) -> None:
        self.next_section("number-lines")
        q, layer, book = self.quantity, self.layer, self.book
        color = self.lever_color(q)
        self.lines = VGroup(
            NudgeLine(book, self.lever_symbol(q), color, "nudge.q0", "nudge.q1"),
            NudgeLine(book, self.sym("z", layer), Z, "nudge.z0", "nudge.z1"),
            NudgeLine(book, self.sym("a", layer), ACTIVATION, "nudge.a0", "nudge.a1"),
            NudgeLine(book, "C_0", COST, "nudge.c0", "nudge.c1"),
        )
        for nudge_line in self.lines:
            nudge_line.symbol_label.set_color(nudge_line.dot.get_color())
        self.lines.arrange(DOWN, buff=0.95, aligned_edge=RIGHT).to_edge(LEFT, buff=0.6)
        self.lines.shift(DOWN * 0.3)
        caption = Typst("Each quantity on its own line, zoomed in", font_size=SMALL)
        caption.to_edge(UP, buff=0.35)
        self.play(Appear(caption))
        self.play(LaggedStart(*(Appear(line) for line in self.lines), lag_ratio=0.4))
        self.wait(2)
        self.caption = caption

    def nudge_the_weight(self) -> None:
        self.next_section("nudge")
        q, layer = self.quantity, self.layer
        a, z = self.sym("a", layer), self.sym("z", layer)
        names = [f"Delta {self.lever_symbol(q)}", f"Delta {z}", f"Delta {a}", "Delta C_0"]
        keys = ["nudge.delta", "nudge.dz", "nudge.da", "nudge.dC"]
        braces = VGroup(
            *(line.brace(n, k) for line, n, k in zip(self.lines, names, keys, strict=True))
        )
        for nudge_line, brace in zip(self.lines, braces, strict=True):
            self.play(*nudge_line.nudge(), run_time=1.5)
            self.play(Appear(brace, shift=UP * 0.1))
        self.wait(1)

        estimates = VGroup(
            self.book.row(
                f"Delta {z} = {self.dz_dq(q)} Delta {self.lever_symbol(q)} =",
                Q("nudge.dz_linear", Z),
                font_size=SMALL,
            ),
            self.book.row(
                f"Delta {a} approx sigma'({z}) Delta {z} =", Q("nudge.da_linear"), font_size=SMALL
            ),
            self.book.row(
                f"Delta C_0 approx {self.dc_da()} Delta {a} =",
                Q("nudge.dC_linear", COST),
                font_size=SMALL,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.7)
        heading = Typst("The chain rule, one link at a time:", font_size=SMALL)
        panel = VGroup(heading, estimates).arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        panel.to_edge(RIGHT, buff=0.5).match_y(self.lines)
        self.play(Appear(heading))
        for row in estimates:
            self.play(Write(row))
            self.wait(2)
        self.wait(1)
        self.braces, self.panel = braces, panel

    def explain_the_slopes(self) -> None:
        self.next_section("slopes")
        layer = self.layer
        z, a = self.sym("z", layer), self.sym("a", layer)
        self.play(Vanish(self.panel))
        sigmoid_panel = CurveWithTangent(
            self.book,
            lambda t: float(sigmoid(t)),
            (-6, 6),
            (0, 1),
            (f"z{layer}", f"a{layer}"),
            f"sigma_prime{layer}",
            Z,
            ("z", "sigma(z)"),
        )
        sigmoid_text = self.book.row(
            f'"slope" = sigma\'({z}) =', Q(f"sigma_prime{layer}"), font_size=SMALL
        )
        panels = VGroup(VGroup(sigmoid_panel, sigmoid_text).arrange(DOWN, buff=0.25))
        if layer == self.chain.depth:  # the cost is a parabola in the output activation
            y = self.chain.y
            parabola = CurveWithTangent(
                self.book,
                lambda t: (t - y) ** 2,
                (0, 1),
                (0, 1),
                (f"a{layer}", "C0"),
                f"dC0/da{layer}",
                COST,
                ("a", "(a - y)^2"),
            )
            parabola_text = self.book.row(
                f'"slope" = 2({a} - y) =', Q(f"dC0/da{layer}"), font_size=SMALL
            )
            panels.add(VGroup(parabola, parabola_text).arrange(DOWN, buff=0.25))
        panels.arrange(DOWN, buff=0.5).to_edge(RIGHT, buff=0.6).shift(DOWN * 0.2)
        for panel in panels:
            curve, text = panel
            self.play(Create(curve.axes), Appear(curve.labels), Create(curve.graph))
            self.play(Appear(curve.dot), Create(curve.tangent))
            self.play(Write(text))
            self.wait(2.5)
        self.slopes = panels

    def shrink_the_nudge(self) -> None:
        self.next_section("shrinking")
        q = self.lever_symbol(self.quantity)
        self.play(
            Vanish(self.slopes), Vanish(self.lines), Vanish(self.braces), Vanish(self.caption)
        )
        header = VGroup(
            MathTypst(f"Delta {q}", font_size=FONT),
            MathTypst("Delta C_0", font_size=FONT, color=COST),
            MathTypst(f"(Delta C_0)/(Delta {q})", font_size=FONT),
        )
        rows = [
            [
                self.book.number(f"shrink{i}.{name}", font_size=SMALL)
                for name in ("delta", "dC", "ratio")
            ]
            for i in range(len(self.nudges.shrinking))
        ]
        table = VGroup(*header, *(cell for row in rows for cell in row))
        table.arrange_in_grid(rows=len(rows) + 1, cols=3, buff=(1.2, 0.35))
        rule = Rectangle(width=table.width + 0.4, height=0.01).next_to(header, DOWN, buff=0.18)
        rule.match_x(table)
        gradient = self.book.row(
            f"(partial C_0)/(partial {q}) =", Q("nudge.gradient", COST), font_size=FONT
        )
        VGroup(table, rule, gradient).arrange(DOWN, buff=0.5).move_to(DOWN * 0.1)
        rule.next_to(VGroup(*header), DOWN, buff=0.18).match_x(table)
        self.play(Appear(VGroup(*header)), Create(rule))
        target = format_value(self.book.quantities["nudge.gradient"])
        reached = None
        for row in rows:
            self.play(LaggedStart(*(Appear(cell, shift=LEFT * 0.2) for cell in row), lag_ratio=0.3))
            self.wait(0.8)
            if reached is None and row[2].text == target:
                reached = row[2]
        self.play(Write(gradient))
        if reached is not None:  # the first ratio that agrees to three figures
            self.play(
                Create(SurroundingRectangle(reached, color=HIGHLIGHT, buff=0.1)),
                Create(SurroundingRectangle(gradient[-1], color=HIGHLIGHT, buff=0.1)),
            )
        self.wait(3)

    def other_levers(self) -> None:
        self.next_section("other-levers")
        self.play(*(Vanish(mobject) for mobject in self.mobjects))
        layer, book = self.layer, self.book
        z = self.sym("z", layer)
        blocks = VGroup()
        for quantity in ("b", "a"):
            prefix = f"lever.{quantity}"
            # one scale for both lines, so z visibly moves ∂z/∂(lever) times as far
            moves = (book.quantities[f"{prefix}.delta"], book.quantities[f"{prefix}.dz"])
            span = max(abs(m) for m in moves) / MOVE_SHARE
            lever = NudgeLine(
                book,
                self.lever_symbol(quantity),
                self.lever_color(quantity),
                f"{prefix}.q0",
                f"{prefix}.q1",
                length=4.0,
                span=span,
            )
            z_line = NudgeLine(book, z, Z, f"{prefix}.z0", f"{prefix}.z1", length=4.0, span=span)
            lines = VGroup(lever, z_line).arrange(DOWN, buff=1.0, aligned_edge=RIGHT)
            # ∂z/∂a^(l−1) is the weight: name it; ∂z/∂b is plainly 1
            named = f" {self.dz_dq(quantity)} =" if quantity == "a" else ""
            rule = book.row(
                f"(partial {z})/(partial {self.lever_symbol(quantity)}) ={named}",
                Q(f"dz{layer}/d{self.lever_key(quantity)}"),
                font_size=SMALL,
            )
            moved = book.row(f"Delta {z} =", Q(f"{prefix}.dz", Z), font_size=SMALL)
            text = VGroup(rule, moved).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            blocks.add(VGroup(lines, text.next_to(lines, DOWN, buff=0.45)))
        blocks.arrange(RIGHT, buff=1.2).move_to(DOWN * 0.1)
        for lines, text in blocks:
            self.play(Appear(lines))
            self.play(*lines[0].nudge(), *lines[1].nudge(), run_time=1.5)
            self.play(Write(text))
            self.wait(2.5)
        self.levers = blocks

    def compare_sensitivities(self) -> None:
        self.next_section("sensitivity")
        self.play(Vanish(self.levers))
        levers = {q: f"dC0/d{self.lever_key(q)}" for q in ("w", "b", "a")}
        ranked = sorted(levers, key=lambda q: -abs(self.book.quantities[levers[q]]))
        largest = abs(self.book.quantities[levers[ranked[0]]])
        rows = VGroup()
        for quantity in ranked:
            key = levers[quantity]
            label = self.book.row(
                f"(partial C_0)/(partial {self.lever_symbol(quantity)}) =",
                Q(key, COST),
                font_size=FONT,
            )
            width = 5.0 * abs(self.book.quantities[key]) / largest
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
        for label, bar in rows:
            self.play(Write(label), Appear(bar, shift=RIGHT * 0.3))
            self.wait(1)
        self.play(Appear(verdict))
        self.wait(4)
