"""The cost of one example: a real handwritten digit through the trained network.

manim render -ql --save_sections scenes/digit_cost.py DigitCost
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
    SurroundingRectangle,
    TransformFromCopy,
    VGroup,
    Write,
)

from bpcalc.viz import (
    EPOCHS,
    HIGHLIGHT,
    LABEL,
    OUTPUT,
    SNAPSHOT,
    SNAPSHOT_EPOCH,
    TARGET,
    TRAINED,
    TYPE,
    UNTRAINED,
    Appear,
    NetworkDiagram,
    PixelGrid,
    Q,
    Quantity,
    StoryScene,
    Vanish,
    activation,
    cost,
    cost_term,
    prediction,
    target,
)

HISTORY_DRIFT = 0.2  # how far each row of the cost's history drifts in from the right


class DigitCost(StoryScene):
    """Five beats: the digit, the forward pass, its cost, before training, after training."""

    story = "digits"
    story_order = 1
    title = "The cost of one handwritten digit"
    poster_beat = "cost"  # its last frame is the poster

    def construct(self) -> None:
        self.digits = self.book.story.digits
        self.show_digit()
        self.feed_forward()
        self.cost_of_example()
        self.untrained_contrast()
        self.trained_contrast()

    def verdict(self, run: str) -> tuple[str | Quantity, ...]:
        """How the network in ``run`` reads the example, in words chosen from its answer."""
        if self.book.value(prediction(run)) == self.book.value(LABEL):
            return ("reads it correctly as a", LABEL, ".")
        return ("reads it as a", prediction(run), ", not a", LABEL, ".")

    def show_digit(self) -> None:
        self.beat("digit")
        example = self.digits.example
        self.grid = PixelGrid(self.book, example.image).shift(DOWN * 0.3)
        self.heading = self.caption(
            "A real handwritten",
            Q(LABEL, TARGET),
            "from the test set, pixel by pixel, with its grey levels",
        )
        self.say("This is a real handwritten", LABEL, "from the test set, pixel by pixel,")
        self.play(Appear(self.heading))
        self.play(Appear(self.grid.cells, shift=UP * 0.2))
        self.say("each with its grey level. Every pixel is one input of the network.")
        self.play(Appear(self.grid.levels))
        self.wait(4)

    def feed_forward(self) -> None:
        self.beat("forward-pass")
        # laid out once, with room on the right for the cost: the network never moves
        self.net = NetworkDiagram(
            self.book, self.digits.snapshot.network, height=5.8, layer_gap=1.8
        )
        self.net.move_to(LEFT * 1.8 + UP * 0.2)
        self.run, self.costs = SNAPSHOT, VGroup()  # the network drawn, and its cost on screen
        self.showing(SNAPSHOT)
        self.say(
            "Flattened into a column, the pixels feed a network that has trained for",
            SNAPSHOT_EPOCH,
            self.plural(SNAPSHOT_EPOCH, "pass", "passes") + " over the training set.",
        )
        self.play(
            Vanish(self.grid.levels),
            Vanish(self.heading),
            self.grid.cells.animate.scale(0.4).to_edge(LEFT, buff=0.3),
        )
        inputs = self.net.layers[0]
        lit = inputs.copy()
        for j, square in enumerate(lit):
            square.set_fill(opacity=self.net.activation(SNAPSHOT, 0, j))
        self.play(TransformFromCopy(self.grid.cells, lit), run_time=2)
        self.remove(lit)
        self.add(self.net.edges, *self.net.layers)
        self.net.layers[0].become(lit)
        self.play(Create(self.net.edges), Appear(VGroup(*self.net.layers[1:])), run_time=1)
        self.outputs = VGroup(
            *(
                MathTypst(str(j), font_size=TYPE.dense).next_to(neuron, RIGHT, buff=0.2)
                for j, neuron in enumerate(self.net.layers[-1])
            )
        )
        self.play(Appear(self.outputs))
        self.say("Layer by layer, each neuron lights up with its activation.")
        self.light(SNAPSHOT, run_time=0.8)
        self.say("Its brightest output is its answer: it", *self.verdict(SNAPSHOT))
        self.pick = self.answer_box(SNAPSHOT)
        self.play(Create(self.pick))
        self.wait(3)

    def light(self, run: str, run_time: float) -> None:
        """Light the network for ``run`` layer by layer; the cost rows and total on screen
        change with the output layer, so they always tell the network drawn."""
        last = len(self.net.layers) - 1
        for layer in range(1, last + 1):
            self.bring_to_front(self.net.layers[layer])  # only the moving column is redrawn
            old = self.costs
            new = self.cost_block(run) if layer == last and old else old
            with self.replacing(old, new):
                swap = (Vanish(old), Appear(new)) if new is not old else ()
                self.play(*self.net.light(run, layer), *swap, run_time=run_time)
            self.costs = new

    def answer_box(self, run: str) -> SurroundingRectangle:
        answer = int(self.book.value(prediction(run)))
        return SurroundingRectangle(
            VGroup(self.net.layers[-1][answer], self.outputs[answer]), color=HIGHLIGHT, buff=0.08
        )

    def cost_rows(self, run: str) -> VGroup:
        """(a_j − y_j)² = value, one row beside each output neuron."""
        rows = VGroup()
        for j, label in enumerate(self.outputs):
            row = self.book.row(
                "(",
                activation(OUTPUT, j, run),
                "-",
                target(j),
                ")^2 =",
                cost_term(j, run),
                font_size=TYPE.dense,
            )
            rows.add(row.next_to(label, RIGHT, buff=0.35))
        for row in rows:
            row.align_to(rows[0], LEFT)
        return rows

    def cost_block(self, run: str) -> VGroup:
        """The cost rows of ``run`` (when shown) and its total."""
        rows = [self.cost_rows(run)] if len(self.costs) == 2 else []
        return VGroup(*rows, self.cost_total(run))

    def cost_total(self, run: str) -> VGroup:
        total = self.book.row(
            "C_0 = scripts(sum)_j (a_j - y_j)^2 =", cost(run), font_size=TYPE.formula
        )
        return total.to_corner(DOWN + RIGHT, buff=0.35)

    def cost_of_example(self) -> None:
        self.beat("cost")
        self.say(
            "How wrong is it? Compare each output with what we want, y: fully lit for the",
            LABEL,
            ", dark for the rest, and square each difference.",
        )
        self.play(Vanish(self.grid.cells), Vanish(self.pick))
        rows = self.cost_rows(SNAPSHOT)
        self.play(LaggedStart(*(Appear(row, shift=LEFT * 0.2) for row in rows), lag_ratio=0.15))
        self.wait(4)
        self.say("Their sum is the cost of this one example,", cost(SNAPSHOT), ".")
        total = self.cost_total(SNAPSHOT)
        self.box = SurroundingRectangle(total[-1], color=HIGHLIGHT, buff=0.1)
        self.play(Write(total), Create(self.box))
        self.costs = VGroup(rows, total)
        self.wait(5)

    def swap_network(self, run: str, network, note: VGroup) -> None:
        """Cross-fade to another network's weights and light it with the same example;
        until it is lit, the picture is between the two networks."""
        self.showing(self.run, run)
        self.play(Appear(note), Vanish(self.box), self.net.crossfade_edges(network), run_time=0.6)
        self.light(run, run_time=0.6)
        self.run = run
        self.showing(run)

    def box_cost(self) -> None:
        """Frame the total on screen, as the narration says it."""
        self.box = SurroundingRectangle(self.costs[-1][-1], color=HIGHLIGHT, buff=0.1)
        self.play(Create(self.box))

    def untrained_contrast(self) -> None:
        self.beat("untrained")
        note = self.caption("The same", Q(LABEL, TARGET), "through the untrained network")
        self.say("Before any training, the network had the random weights it started from;")
        self.swap_network(UNTRAINED, self.digits.untrained, note)
        self.say("the cost of the same", LABEL, "is", cost(UNTRAINED), ".")
        self.box_cost()
        self.wait(2)
        self.heading = note

    def trained_contrast(self) -> None:
        self.beat("trained")
        note = self.caption("After all", EPOCHS, "passes of training")
        self.say("After all", EPOCHS, "passes of training, the network", *self.verdict(TRAINED))
        self.play(Vanish(self.heading))
        self.swap_network(TRAINED, self.digits.network, note)
        pick = self.answer_box(TRAINED)
        self.play(Create(pick))
        fell = self.book.value(cost(TRAINED)) < self.book.value(cost(SNAPSHOT))
        self.say(
            "Its cost for this example", "has fallen to" if fell else "is now", cost(TRAINED), "."
        )
        self.box_cost()
        self.say("Three networks, one example: the cost is what training drives down.")
        history = self.cost_history()
        self.play(Vanish(self.costs[0], shift=UP * 0.15))  # the history takes the rows' room
        self.showing(UNTRAINED, SNAPSHOT, TRAINED)
        self.play(
            LaggedStart(
                *(Appear(row, shift=LEFT * HISTORY_DRIFT) for row in history), lag_ratio=0.3
            )
        )
        self.wait(4)

    def cost_history(self) -> VGroup:
        """The example's cost before training, at the snapshot, and after training."""
        size = TYPE.number
        passes = {
            run: self.plural(count, "pass", "passes")
            for run, count in ((SNAPSHOT, SNAPSHOT_EPOCH), (TRAINED, EPOCHS))
        }
        stages = [
            (self.line("before training", font_size=size), UNTRAINED),
            (self.line("after", SNAPSHOT_EPOCH, passes[SNAPSHOT], font_size=size), SNAPSHOT),
            (self.line("after", EPOCHS, passes[TRAINED], font_size=size), TRAINED),
        ]
        rows = VGroup(
            *(
                VGroup(words, self.book.row(": C_0 =", cost(run), font_size=size)).arrange(
                    RIGHT, buff=0.1
                )
                for words, run in stages
            )
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.45)
        rows.next_to(self.outputs, RIGHT, buff=0.9)
        room = self.room_right(rows) - HISTORY_DRIFT  # a wide network leaves less
        if room < 0:
            rows.scale_to_fit_width(rows.width + room).next_to(self.outputs, RIGHT, buff=0.9)
        return rows
