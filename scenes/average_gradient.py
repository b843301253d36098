"""One example is not enough: average the gradient over a mini-batch, then step.

manim render -ql --save_sections scenes/average_gradient.py AverageGradient
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    LaggedStart,
    MathTypst,
    Rectangle,
    Scene,
    SurroundingRectangle,
    VGroup,
    Write,
)

from bpcalc.viz import (
    COST,
    HIGHLIGHT,
    TARGET,
    Appear,
    PixelGrid,
    Q,
    Vanish,
    digits_book,
    scene_params,
)

FONT = 30
SMALL = 22


class AverageGradient(Scene):
    """Four beats: per-example gradients, the average and ∇C, one step, mini-batches."""

    story_order = 5
    title = "Average over the examples: the gradient"
    poster_beat = "average"  # its last frame is the poster

    def construct(self) -> None:
        params = scene_params()
        self.digits, self.book = digits_book(params)
        weight = self.digits.weight
        self.w = f"w_({weight.j},{weight.k})^(({weight.layer}))"
        self.per_example()
        self.average()
        self.one_step()
        self.mini_batches()

    def per_example(self) -> None:
        self.next_section("examples")
        batch = self.digits.batch
        self.title = self.book.caption(
            "Training's first step: a mini-batch of",
            Q("batch.size"),
            "real training examples, untrained network",
            font_size=SMALL + 4,
        )
        tiles = VGroup()
        for i, pixels in enumerate(batch.x):
            image = PixelGrid(self.book, pixels.reshape(8, 8), cell=0.13, show_levels=False)
            label = self.book.number(f"batch.label_{i}", TARGET, SMALL)
            gradient = self.book.number(f"batch.grad_{i}", font_size=SMALL)
            tiles.add(VGroup(label, image, gradient).arrange(DOWN, buff=0.15))
        tiles.arrange(RIGHT, buff=0.3).next_to(self.title, DOWN, buff=0.5)
        heading = MathTypst(f"(partial C_i)/(partial {self.w})", font_size=SMALL + 2)
        heading.next_to(tiles, LEFT, buff=0.25).match_y(tiles[0][2])
        self.tiles = VGroup(tiles, heading)
        if self.tiles.width > 13.4:
            self.tiles.scale_to_fit_width(13.4)
        self.tiles.next_to(self.title, DOWN, buff=0.5)
        self.play(Appear(self.title))
        self.play(LaggedStart(*(Appear(t[:2]) for t in tiles), lag_ratio=0.1))
        self.play(
            Appear(heading),
            LaggedStart(*(Appear(t[2], shift=UP * 0.1) for t in tiles), lag_ratio=0.1),
        )
        self.wait(3)

    def average(self) -> None:
        self.next_section("average")
        mean = self.book.row(
            f"(partial C)/(partial {self.w}) = 1/n sum_(i=1)^n (partial C_i)/(partial {self.w}) =",
            Q("batch.avg", COST),
            font_size=FONT,
        )
        count = self.book.row("n =", Q("batch.size"), font_size=FONT)
        line = VGroup(mean, count).arrange(RIGHT, buff=0.8).next_to(self.tiles, DOWN, buff=0.6)
        self.play(Write(mean), Appear(count))
        self.play(Create(SurroundingRectangle(mean[-1], color=HIGHLIGHT, buff=0.08)))
        self.wait(2)
        nabla = MathTypst("nabla C", font_size=FONT)
        size = self.book.caption(
            "has", Q("batch.components"), "components; the largest:", font_size=SMALL + 2
        )
        top = VGroup(
            *(
                self.book.row(
                    f"(partial C)/(partial {self.component(kind, layer, index)}) =",
                    Q(f"batch.top{rank}"),
                    font_size=SMALL,
                )
                for rank, (kind, layer, index, _) in enumerate(self.digits.batch.largest(5))
            )
        ).arrange(RIGHT, buff=0.5)
        gradient = VGroup(VGroup(nabla, size).arrange(RIGHT, buff=0.3), top)
        gradient.arrange(DOWN, buff=0.35).next_to(line, DOWN, buff=0.6)
        if gradient.width > 13.4:
            gradient.scale_to_fit_width(13.4)
        self.play(Appear(gradient[0]))
        self.play(LaggedStart(*(Appear(t, shift=DOWN * 0.1) for t in top), lag_ratio=0.2))
        self.wait(4)

    @staticmethod
    def component(kind: str, layer: int, index: tuple[int, ...]) -> str:
        """Typst name of a weight or bias: ``w_(3,7)^((2))``, ``b_7^((3))``."""
        return f"{kind}_({','.join(map(str, index))})^(({layer}))"

    def one_step(self) -> None:
        self.next_section("one-step")
        self.play(*(Vanish(m) for m in self.mobjects if m is not self.title))
        rule = self.book.row("w <- w - eta nabla C, quad eta =", Q("batch.eta"), font_size=FONT)
        before = self.book.row('C "before" =', Q("batch.cost_before", COST), font_size=FONT)
        after = self.book.row('C "after" =', Q("batch.cost_after", COST), font_size=FONT)
        note = self.book.caption(
            "the mean cost of the same", Q("batch.size"), "examples", font_size=SMALL
        )
        scale = 4.0 / self.book.quantities["batch.cost_before"]
        bars = VGroup(
            *(
                Rectangle(
                    width=self.book.quantities[key] * scale, height=0.4, stroke_width=0
                ).set_fill(COST, 0.8)
                for key in ("batch.cost_before", "batch.cost_after")
            )
        )
        rows = VGroup(
            *(
                VGroup(text, bar).arrange(RIGHT, buff=0.4)
                for text, bar in zip((before, after), bars, strict=True)
            )
        )
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.5)
        for row in rows:
            row[1].align_to(rows[0][1], LEFT)
        block = VGroup(rule, rows, note).arrange(DOWN, buff=0.6).move_to(DOWN * 0.3)
        self.play(Write(rule))
        self.wait(1.5)
        self.play(Appear(rows[0]))
        self.play(Appear(rows[1][0]), Create(rows[1][1]))
        self.play(Appear(note))
        self.wait(4)
        self.step = block

    def mini_batches(self) -> None:
        self.next_section("mini-batches")
        self.play(Vanish(self.step))
        lines = (
            VGroup(
                self.book.caption(
                    "Each step averages one mini-batch of",
                    Q("batch.size"),
                    "examples, not all",
                    Q("train_size"),
                    font_size=FONT,
                ),
                self.book.caption(
                    "so a pass over the training set takes",
                    Q("steps_per_epoch"),
                    "quick, noisy steps;",
                    font_size=FONT,
                ),
                self.book.caption(
                    "the network trained for", Q("epochs"), "passes.", font_size=FONT
                ),
            )
            .arrange(DOWN, buff=0.5)
            .move_to(DOWN * 0.2)
        )
        for line in lines:
            self.play(Appear(line, shift=UP * 0.1))
            self.wait(1.5)
        self.wait(3)
