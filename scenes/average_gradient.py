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
    SurroundingRectangle,
    VGroup,
    Write,
)

from bpcalc.viz import (
    BATCH_AVERAGE,
    BATCH_COST_AFTER,
    BATCH_COST_BEFORE,
    BATCH_SIZE,
    COST,
    EPOCHS,
    GRADIENT_COMPONENTS,
    HIGHLIGHT,
    LEARNING_RATE,
    STEPS_PER_EPOCH,
    TARGET,
    TRAIN_SIZE,
    TYPE,
    Appear,
    PixelGrid,
    Q,
    StoryScene,
    Vanish,
    batch_gradient,
    batch_label,
    top_component,
)

FONT = TYPE.body
SMALL = TYPE.dense
TOP_SHOWN = 5  # components of ∇C named on screen


class AverageGradient(StoryScene):
    """Four beats: per-example gradients, the average and ∇C, one step, mini-batches."""

    story = "digits"
    story_order = 5
    title = "Average over the examples: the gradient"
    poster_beat = "average"  # its last frame is the poster

    def construct(self) -> None:
        self.digits = self.book.story.digits
        self.w = self.sym(self.book.story.followed_weight())
        self.per_example()
        self.average()
        self.one_step()
        self.mini_batches()

    def per_example(self) -> None:
        self.beat("examples")
        batch = self.digits.batch
        self.heading = self.caption(
            "Training's first step: a mini-batch of",
            BATCH_SIZE,
            "real training examples, untrained network",
        )
        tiles = VGroup()
        for i, pixels in enumerate(batch.x):
            image = PixelGrid(self.book, pixels.reshape(8, 8), cell=0.13, show_levels=False)
            label = self.book.number(batch_label(i), TARGET, SMALL)
            value = self.book.number(batch_gradient(i), font_size=SMALL)
            tiles.add(VGroup(label, image, value).arrange(DOWN, buff=0.15))
        tiles.arrange(RIGHT, buff=0.3).next_to(self.heading, DOWN, buff=0.5)
        heading = MathTypst(f"(partial C_i)/(partial {self.w})", font_size=SMALL + 2)
        heading.next_to(tiles, LEFT, buff=0.25).match_y(tiles[0][2])
        self.tiles = VGroup(tiles, heading)
        if self.tiles.width > 13.4:
            self.tiles.scale_to_fit_width(13.4)
        self.tiles.next_to(self.heading, DOWN, buff=0.5)
        self.play(Appear(self.heading))
        self.play(LaggedStart(*(Appear(t[:2]) for t in tiles), lag_ratio=0.1))
        self.play(
            Appear(heading),
            LaggedStart(*(Appear(t[2], shift=UP * 0.1) for t in tiles), lag_ratio=0.1),
        )
        self.wait(3)

    def average(self) -> None:
        self.beat("average")
        mean = self.book.row(
            f"(partial C)/(partial {self.w}) = 1/n sum_(i=1)^n (partial C_i)/(partial {self.w}) =",
            Q(BATCH_AVERAGE, COST),
            font_size=FONT,
        )
        count = self.book.row("n =", BATCH_SIZE, font_size=FONT)
        examples = [batch_gradient(i) for i in range(len(self.digits.batch.indices))]
        self.book.relation("mean", examples, BATCH_AVERAGE)
        line = VGroup(mean, count).arrange(RIGHT, buff=0.8).next_to(self.tiles, DOWN, buff=0.6)
        self.play(Write(mean), Appear(count))
        self.play(Create(SurroundingRectangle(mean[-1], color=HIGHLIGHT, buff=0.08)))
        self.wait(2)
        nabla = MathTypst("nabla C", font_size=FONT)
        size = self.caption(
            "has", GRADIENT_COMPONENTS, "components; the largest:", font_size=TYPE.label
        )
        top = VGroup(
            *(
                self.book.row(
                    f"(partial C)/(partial {self.sym(component)}) =",
                    top_component(rank),
                    font_size=SMALL,
                )
                for rank, component in enumerate(self.book.story.top_components(TOP_SHOWN))
            )
        ).arrange(RIGHT, buff=0.5)
        vector = VGroup(VGroup(nabla, size).arrange(RIGHT, buff=0.3), top)
        vector.arrange(DOWN, buff=0.35).next_to(line, DOWN, buff=0.6)
        if vector.width > 13.4:
            vector.scale_to_fit_width(13.4)
        self.play(Appear(vector[0]))
        self.play(LaggedStart(*(Appear(t, shift=DOWN * 0.1) for t in top), lag_ratio=0.2))
        self.wait(4)

    def one_step(self) -> None:
        self.beat("one-step")
        self.play(*(Vanish(m) for m in self.mobjects if m is not self.heading))
        rule = self.book.row("w <- w - eta nabla C, quad eta =", LEARNING_RATE, font_size=FONT)
        before = self.book.row('C "before" =', Q(BATCH_COST_BEFORE, COST), font_size=FONT)
        after = self.book.row('C "after" =', Q(BATCH_COST_AFTER, COST), font_size=FONT)
        note = self.caption("the mean cost of the same", BATCH_SIZE, "examples", font_size=SMALL)
        scale = 4.0 / self.book.value(BATCH_COST_BEFORE)
        bars = VGroup(
            *(
                Rectangle(
                    width=self.book.value(mean_cost) * scale, height=0.4, stroke_width=0
                ).set_fill(COST, 0.8)
                for mean_cost in (BATCH_COST_BEFORE, BATCH_COST_AFTER)
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
        self.beat("mini-batches")
        self.play(Vanish(self.step))
        lines = (
            VGroup(
                self.caption(
                    "Each step averages one mini-batch of",
                    BATCH_SIZE,
                    "examples, not all",
                    TRAIN_SIZE,
                    font_size=FONT,
                ),
                self.caption(
                    "so a pass over the training set takes",
                    STEPS_PER_EPOCH,
                    "quick, noisy steps;",
                    font_size=FONT,
                ),
                self.caption("the network trained for", EPOCHS, "passes.", font_size=FONT),
            )
            .arrange(DOWN, buff=0.5)
            .move_to(DOWN * 0.2)
        )
        for line in lines:
            self.play(Appear(line, shift=UP * 0.1))
            self.wait(1.5)
        self.wait(3)
