"""How sensitive is the cost to one weight? Nudge it and watch z, a and C0 follow.

The chain stays at the top the whole time. Under it the nudged quantity, z, a and
C0 each have a number line, all at one scale, so the nudge visibly shrinks (or
grows) as it ripples down; a line it becomes too small on zooms in and says by
how much. Each link's slope is then taken from the network, the nudge shrinks on
the same lines, and the other levers on z get the same treatment.

manim render -ql --save_sections scenes/nudge_cost.py NudgeCost
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

from manim import (
    DOWN,
    GREY_B,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Create,
    GrowFromCenter,
    Indicate,
    LaggedStart,
    Line,
    ManimColor,
    Mobject,
    Rectangle,
    ReplacementTransform,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    Typst,
    VGroup,
    Write,
)

from bpcalc.viz import (
    ACTIVATION,
    BIAS,
    COST,
    DEPTH,
    HIGHLIGHT,
    MOVE_SHARE,
    NUDGE_CHANGES,
    NUDGE_STATES,
    NUDGES,
    TRAINED,
    TYPE,
    Appear,
    Layer,
    NeuronChain,
    NudgeField,
    NudgeLine,
    Q,
    Quantity,
    StoryScene,
    Vanish,
    Z,
    activation,
    bias,
    fly,
    format_value,
    gradient,
    local,
    neuron,
    nudge_run,
    nudged,
    rezoom,
    sigma_prime,
    spoken,
    target,
    weight,
    weight_color,
    weighted_input,
    zoom_to_see,
)

SIZE = TYPE.number  # the rows beside the lines
LINE_X = -3.7  # the lines' centre
LINE_LENGTH = 4.0
LINE_YS = (0.75, -0.65, -2.05, -3.35)  # the nudged quantity, z, a, C0
WORKSPACE = (-0.5, 6.8)  # left and right of the rows
GAP_X = -0.9  # between the lines' numbers and the rows: flights from a brace turn here
BAR = 2.4  # the longest sensitivity bar, either side of zero
LEVER_WORDS = {"w": "the weight", "b": "the bias", "a": "the previous activation"}


class NudgeCost(StoryScene):
    """Six beats: the lines under the chain, the nudge, each link's slope from the network,
    the nudge shrinking to the derivative, the other levers, how much the cost cares."""

    story = "nudge"
    story_order = 3
    title = "Nudge a weight, watch the cost"
    poster_beat = "nudge"  # its last frame is the poster

    def construct(self) -> None:
        self.chain, self.nudges = self.book.chain, self.book.nudges
        main = self.nudges.main
        self.layer = Layer.numbered(main.layer, self.book.count(DEPTH))  # the nudged layer
        self.number = main.layer  # its place among the chain's neurons (0: the input)
        self.quantity = main.quantity
        self.show_network_and_lines()
        self.nudge_the_weight()
        self.derive_the_slopes()
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

    def lever_home(self, name: str) -> Mobject:
        """Where the lever is drawn on the network: its label, or the previous neuron."""
        net, n = self.net, self.number
        return {"w": net.weight_labels, "b": net.bias_labels, "a": net.neurons}[name][n - 1]

    # the lines -----------------------------------------------------------------

    def span_of(self, *levers: str | None) -> float:
        """One scale for the nudges of ``levers`` (None: the ``[nudge]`` one): the largest
        move of all spans :data:`MOVE_SHARE` of a line."""
        moves = [self.book.value(nudged(c, lever=lever)) for lever in levers for c in NUDGE_CHANGES]
        return max(map(abs, moves)) / MOVE_SHARE

    def lines_for(
        self, lever: str | None, span: float, shrink: int | None = None, zoom: float = 1.0
    ) -> tuple[VGroup, VGroup]:
        """The four lines of a nudge at one scale (``span`` values, zoomed ``zoom`` times),
        and the same lines with each move too short to see zoomed by a power of ten."""
        name = lever or self.quantity
        layer, kwargs = self.layer, {"shrink": shrink, "lever": lever}
        symbols = [self.lever_symbol(name), self.sym(weighted_input(layer))]
        symbols += [self.sym(activation(layer)), "C_0"]
        colors = [self.lever_color(name), Z, ACTIVATION, COST]
        plain, seen = VGroup(), VGroup()
        for (was, now), symbol, color, y in zip(
            NUDGE_STATES, symbols, colors, LINE_YS, strict=True
        ):
            before, after = nudged(was, **kwargs), nudged(now, **kwargs)
            line = NudgeLine(self.book, symbol, color, before, after, span, zoom, LINE_LENGTH)
            line.shift([LINE_X - line.line.get_x(), y - line.line.get_y(), 0])
            move = self.book.value(after) - self.book.value(before)
            more = zoom_to_see(move * zoom, span, LINE_LENGTH)
            plain.add(line)
            seen.add(line.rescaled(span, zoom * more) if more != 1 else line)
        return plain, seen

    def braces_for(self, lines: VGroup, shrink: int | None = None, lever: str | None = None):
        return [
            line.brace(f"Delta {line.symbol}", nudged(change, shrink=shrink, lever=lever))
            for line, change in zip(lines, NUDGE_CHANGES, strict=True)
        ]

    def ripple(self, plain: VGroup, seen: VGroup, braces: list, extras: dict) -> VGroup:
        """The nudge goes down the lines one at a time: each dot slides on the common
        scale (with ``extras[k]`` beside it); a line whose move is too short to see then
        zooms in, ticks relabelled; its brace names the move. Returns the lines shown."""
        shown = VGroup()
        for k, (line, zoomed, brace) in enumerate(zip(plain, seen, braces, strict=True)):
            self.play_lines([line], *line.slide(), *extras.get(k, []), run_time=1.0)
            if zoomed is not line:
                rezoom(self, [line], [zoomed])
                zoomed.dot.move_to(zoomed.point(1))
            shown.add(zoomed)
            self.play(GrowFromCenter(brace[0]), Appear(brace[1], shift=UP * 0.1), run_time=0.6)
        return shown

    def play_lines(self, lines, *animations, **kwargs) -> None:
        """Play animations that change the numbers beside ``lines``: each old number may
        cross the new one taking its place; after, each line is on screen once, whole."""
        with ExitStack() as stack:
            for old, new in swaps(animations):
                stack.enter_context(self.replacing(old, new))
            self.play(*animations, **kwargs)
        self.remove(*(m for line in lines for m in line.get_family()))
        self.add(*lines)

    @staticmethod
    def from_brace(source: Mobject, target: Mobject):
        """A brace's symbol or number flies into the rows: right along its own height to
        the gap beside the lines, then on: never across a line or a row on the way."""
        return fly(source, target, stops=[[GAP_X, source.get_y(), 0]])

    def workspace(self, block: Mobject, y: float) -> Mobject:
        """``block`` left-aligned right of the lines at height ``y``, shrunk to fit."""
        width = WORKSPACE[1] - WORKSPACE[0]
        if block.width > width:
            block.scale_to_fit_width(width)
        return block.move_to([0, y, 0]).align_to([WORKSPACE[0], 0, 0], LEFT)

    # beats ---------------------------------------------------------------------

    def show_network_and_lines(self) -> None:
        self.beat("number-lines")
        self.showing(TRAINED, nudge_run())  # the chain, before and after its nudge
        q, n = self.quantity, self.number
        self.net = net = NeuronChain(self.chain, self.book)
        whole = VGroup(net, net.layer_labels)
        whole.scale(min(1.0, 12.8 / whole.width, 2.15 / whole.height)).to_edge(UP, buff=0.22)
        lever = spoken(self.lever(q))
        self.say(
            "How sensitive is the cost to",
            LEVER_WORDS[q],
            lever,
            "? Here is the chain, one neuron per layer, fed its input.",
        )
        self.play(
            LaggedStart(*(Appear(c) for c in net.neurons), lag_ratio=0.2),
            *(Create(e) for e in net.edges),
            run_time=1.5,
        )
        self.play(*(Appear(m) for m in (net.weight_labels, net.bias_labels, net.y_label)))
        self.play(Appear(net.layer_labels), Indicate(self.lever_home(q), color=HIGHLIGHT))
        self.span = self.span_of(None)
        self.plain, self.seen = self.lines_for(None, self.span)
        self.say(
            "Put",
            lever,
            ", z, a and C₀ each on a number line of its own, all at one scale:"
            " the ticks say what each step is worth.",
        )
        sources = {0: self.lever_home(q)[1] if q != "a" else None, 2: net.neurons[n][1]}
        for k, line in enumerate(self.plain):
            source = sources.get(k)
            dot = TransformFromCopy(source, line.dot) if source is not None else Appear(line.dot)
            self.play(
                Create(line.line),
                Create(line.ticks),
                Appear(line.tick_labels, line.symbol_label, line.value, line.ghost),
                dot,
                run_time=1.1,
            )
        qs = self.lever_symbol(q)
        self.want = self.book.row(
            f"(partial C_0)/(partial {qs}) approx", f"(Delta C_0)/(Delta {qs})", font_size=SIZE + 2
        )
        self.workspace(self.want, LINE_YS[0] + 0.1)
        self.say(
            "What we want is how much C₀ moves for a tiny nudge of",
            lever,
            ": the ratio of the two nudges.",
        )
        self.play(Write(self.want))
        self.wait(0.5)

    def nudge_the_weight(self) -> None:
        self.beat("nudge")
        q, n = self.quantity, self.number
        change = self.book.value(nudged(NudgeField.DC))
        self.say(
            "Nudge",
            spoken(self.lever(q)),
            "by",
            nudged(NudgeField.DELTA),
            ": z moves, so a moves, so the cost changes by",
            nudged(NudgeField.DC),
            ": it rises." if change > 0 else ": it falls.",
        )
        # the network takes the nudge: the lever's label, then the nudged neuron
        label, cell = self.lever_home(q), self.net.neurons[n]
        color = self.lever_color(q)
        after_label = self.book.number(nudged(NudgeField.AFTER_Q), color, label[1].font_size)
        after_label.move_to(label[1], aligned_edge=LEFT)
        after_cell = neuron(
            self.book, nudged(NudgeField.AFTER_A), cell[0].radius, cell[1].font_size
        )
        after_cell.move_to(cell)
        self.braces = self.braces_for(self.seen)
        self.lines = self.ripple(
            self.plain,
            self.seen,
            self.braces,
            {0: [Transform(label[1], after_label)], 2: [Transform(cell, after_cell)]},
        )
        self.write_ratio()
        zoomed = [line for line in self.lines if line.zoom != 1]
        self.say(
            "On one scale, the nudge shrinks down the chain. Where it gets too small to see,"
            " the line zooms in and says by how much."
            if zoomed
            else "On one scale, each move shows its real size."
        )
        self.play(
            LaggedStart(
                *(Indicate(line.zoom_tag, color=HIGHLIGHT) for line in zoomed),
                *(Indicate(brace[1], color=HIGHLIGHT) for brace in self.braces),
                lag_ratio=0.25,
            ),
            run_time=2.5,
        )
        self.wait(0.5)

    def write_ratio(self) -> None:
        """ΔC0 over Δ, each flying in from its brace, beside what we want."""
        book, size = self.book, SIZE + 2
        top = book.number(nudged(NudgeField.DC), COST, size)
        bottom = book.number(nudged(NudgeField.DELTA), self.lever_color(self.quantity), size)
        bar = Line(LEFT, RIGHT, stroke_width=2).set_width(max(top.width, bottom.width) + 0.1)
        fraction = VGroup(top, bar, bottom).arrange(DOWN, buff=0.08)
        result = book.row("=", Q(nudged(NudgeField.RATIO), COST), font_size=size)
        book.relation(
            "product", [nudged(NudgeField.RATIO), nudged(NudgeField.DELTA)], nudged(NudgeField.DC)
        )
        equals = book.row("=", font_size=size)
        whole = VGroup(equals, fraction, result).arrange(RIGHT, buff=0.15)
        whole.next_to(self.want, RIGHT, buff=0.15)
        if self.room_right(whole) < 0:  # too wide: the numbers under what we want
            whole.next_to(self.want, DOWN, buff=0.2).align_to(self.want, LEFT)
        self.say("Their ratio here:", nudged(NudgeField.RATIO), ".")
        self.play(
            self.from_brace(self.braces[3][1][1], top),
            self.from_brace(self.braces[0][1][1], bottom),
            Create(bar),
            Appear(equals),
            run_time=1.3,
        )
        self.play(Write(result))
        self.want.add(whole)

    def derive_the_slopes(self) -> None:
        self.beat("slopes")
        q, n, layer, book = self.quantity, self.number, self.layer, self.book
        net, braces = self.net, self.braces
        z, a, qs = (
            self.sym(weighted_input(layer)),
            self.sym(activation(layer)),
            self.lever_symbol(q),
        )
        self.say(
            "The chain rule predicts each change from the one before, by the slope of its"
            " link, taken where the network really is."
        )
        label, cell = self.lever_home(q), net.neurons[n]
        before_label = book.number(self.lever(q), self.lever_color(q), label[1].font_size)
        before_label.move_to(label[1], aligned_edge=LEFT)
        before_cell = neuron(book, activation(layer), cell[0].radius, cell[1].font_size)
        self.play(
            Vanish(self.want),
            Transform(label[1], before_label),
            Transform(cell, before_cell.move_to(cell)),
            Indicate(net.neurons[n - 1], color=HIGHLIGHT, scale_factor=1.1),
            run_time=1.2,
        )
        rows = []

        # Δz = (∂z/∂q) Δq: a^(l−1) from its neuron for the weight, 1 for the bias
        factor = activation(layer - 1) if q == "w" else local(weighted_input(layer), self.lever(q))
        symbolic = book.row(
            f"Delta {z} =",
            self.sym(activation(layer - 1)) if q == "w" else "1",
            "dot",
            f"Delta {qs}",
            font_size=SIZE,
        )
        numbers = book.row(
            "= (",
            factor,
            ")(",
            nudged(NudgeField.DELTA),
            ") =",
            Q(nudged(NudgeField.DZ_LINEAR), Z),
            font_size=SIZE,
        )
        rows.append(VGroup(symbolic, numbers))
        self.say(
            "z is the weight times the previous activation, plus the bias: so z moves by",
            "the previous activation times the nudge," if q == "w" else "exactly the nudge,",
            nudged(NudgeField.DZ_LINEAR),
            ".",
        )
        self.write_row(
            rows[-1],
            LINE_YS[1],
            symbols=[(net.layer_labels[n - 1], symbolic[1])] if q == "w" else [],
            values=[(net.neurons[n - 1][1], numbers.of(factor))] if q == "w" else [],
            change=(braces[0][1], [symbolic[3]], numbers.of(nudged(NudgeField.DELTA))),
            result=numbers.of(nudged(NudgeField.DZ_LINEAR)),
            real=braces[1][1],
        )

        # Δa ≈ σ′(z) Δz, σ′(z) = a(1 − a) with a from its neuron
        symbolic = book.row(
            f"Delta {a} approx",
            f"sigma'({z})",
            f"Delta {z} =",
            a,
            "(1 -",
            a,
            ")",
            f"Delta {z}",
            font_size=SIZE,
        )
        numbers = book.row(
            "= (",
            activation(layer),
            ")(1 -",
            activation(layer),
            ")(",
            nudged(NudgeField.DZ),
            ") =",
            nudged(NudgeField.DA_LINEAR),
            font_size=SIZE,
        )
        book.relation(
            "product", [sigma_prime(layer), nudged(NudgeField.DZ)], nudged(NudgeField.DA_LINEAR)
        )
        rows.append(VGroup(symbolic, numbers))
        self.say(
            "a is the sigmoid of z, whose slope is a times one minus a: so a moves by about",
            nudged(NudgeField.DA_LINEAR),
            ".",
        )
        inside = cell[1]  # the neuron's value
        self.write_row(
            rows[-1],
            LINE_YS[2],
            # a and Δz come once each; their second places are written
            symbols=[(net.layer_labels[n], symbolic[3])],
            values=[(inside, numbers.of(activation(layer)))],
            change=(braces[1][1], [symbolic[2]], numbers.of(nudged(NudgeField.DZ))),
            result=numbers.of(nudged(NudgeField.DA_LINEAR)),
            real=braces[2][1],
        )

        # ΔC0 ≈ (∂C0/∂a) Δa: 2(a − y) from the network for the output, backprop before it
        result = Q(nudged(NudgeField.DC_LINEAR), COST)
        if layer.back == 0:
            symbolic = book.row(
                "Delta C_0 approx 2(", a, "-", "y", ")", f"Delta {a}", font_size=SIZE
            )
            numbers = book.row(
                "= 2(",
                activation(layer),
                "-",
                target(),
                ")(",
                nudged(NudgeField.DA),
                ") =",
                result,
                font_size=SIZE,
            )
            symbols = [(net.layer_labels[n], symbolic[1]), (net.y_label[0], symbolic[3])]
            values = [
                (inside, numbers.of(activation(layer))),
                (net.y_label[1], numbers.of(target())),
            ]
            change = (braces[2][1], [symbolic[5]], numbers.of(nudged(NudgeField.DA)))
            said = "The cost is the squared miss, whose slope is two times a minus y: about"
        else:
            symbolic = book.row(
                "Delta C_0 approx", f"(partial C_0)/(partial {a})", f"Delta {a}", font_size=SIZE
            )
            numbers = book.row(
                "= (",
                gradient(activation(layer)),
                ")(",
                nudged(NudgeField.DA),
                ") =",
                result,
                font_size=SIZE,
            )
            symbols, values = [], []
            change = (braces[2][1], [symbolic[2]], numbers.of(nudged(NudgeField.DA)))
            said = "The cost feels a through the later layers, at the slope backpropagation gives:"
        book.relation(
            "product",
            [gradient(activation(layer)), nudged(NudgeField.DA)],
            nudged(NudgeField.DC_LINEAR),
        )
        rows.append(VGroup(symbolic, numbers))
        self.say(said, nudged(NudgeField.DC_LINEAR), ", close to the real change.")
        self.write_row(
            rows[-1],
            LINE_YS[3],
            symbols=symbols,
            values=values,
            change=change,
            result=numbers.of(result.quantity),
            real=braces[3][1],
        )
        self.rows = VGroup(*rows)
        self.wait(1)

    def write_row(
        self,
        row: VGroup,
        y: float,
        symbols: list,
        values: list,
        change: tuple[VGroup, list, Mobject],
        result: Mobject,
        real: VGroup,
    ) -> None:
        """A link beside its line: its formula, the network's symbols flying in; under it
        the numbers, the network's values and the change before (from its brace) flying
        in; then the result, beside the brace of the real change it predicts."""
        symbolic, numbers = row
        numbers.next_to(symbolic, DOWN, buff=0.22).align_to(symbolic, LEFT).shift(RIGHT * 0.4)
        self.workspace(row, y + 0.15)
        brace_text, change_symbols, change_value = change
        landed = {id(t) for _, t in symbols} | {id(t) for t in change_symbols}
        self.play(
            *(fly(s, t) for s, t in symbols),
            *(self.from_brace(brace_text[0], t) for t in change_symbols),
            Write(VGroup(*(p for p in symbolic if id(p) not in landed))),
            run_time=1.4,
        )
        landed = {id(t) for _, t in values} | {id(change_value), id(result)}
        self.play(  # one value after another: two copies of one neuron's value part ways
            *([LaggedStart(*(fly(s, t) for s, t in values), lag_ratio=0.6)] if values else []),
            self.from_brace(brace_text[1], change_value),
            Appear(VGroup(*(p for p in numbers if id(p) not in landed)), shift=RIGHT * 0.1),
            run_time=1.6,
        )
        self.play(Write(result), run_time=0.6)
        self.play(Indicate(result, color=HIGHLIGHT), Indicate(real[1], color=HIGHLIGHT))

    def shrink_the_nudge(self) -> None:
        self.beat("shrinking")
        qs, book = self.lever_symbol(self.quantity), self.book
        count = self.book.count(NUDGES)
        self.say(
            "Now make the nudge smaller and smaller, zooming in as it shrinks:",
            "the ratio of the cost's change to the nudge settles on the derivative.",
        )
        self.showing(TRAINED, nudge_run(), *(nudge_run(shrink=i) for i in range(count)))
        header = VGroup(
            book.row(f"Delta {qs}", font_size=SIZE),
            book.row("Delta C_0", font_size=SIZE).set_color(COST),
            book.row(f"(Delta C_0)/(Delta {qs})", font_size=SIZE),
        )
        fields = (NudgeField.DELTA, NudgeField.DC, NudgeField.RATIO)
        cells = [
            [book.number(nudged(f, shrink=i), font_size=SIZE) for f in fields] for i in range(count)
        ]
        for i in range(count):  # each ratio is ΔC0 / Δ
            terms = [nudged(field, shrink=i) for field in (NudgeField.RATIO, NudgeField.DELTA)]
            book.relation("product", terms, nudged(NudgeField.DC, shrink=i))
        grid = VGroup(*header, *(c for row in cells for c in row))
        grid.arrange_in_grid(rows=count + 1, cols=3, buff=(0.6, 0.3))
        rule = Line(LEFT, RIGHT, stroke_width=1.5, color=GREY_B).set_width(grid.width + 0.2)
        limit = book.row(
            f"(partial C_0)/(partial {qs}) =",
            Q(nudged(NudgeField.GRADIENT), COST),
            font_size=SIZE + 2,
        )
        limit.next_to(grid, DOWN, buff=0.45).align_to(grid, LEFT)
        self.workspace(VGroup(grid, limit), -0.9)
        rule.next_to(header, DOWN, buff=0.12).match_x(grid)
        with self.replacing(self.rows, header):
            self.play(Vanish(self.rows), Appear(header), Create(rule))
        self.fill_row(cells[0], self.braces)
        lines, braces = list(self.lines), self.braces
        for i in range(1, count):
            zoom = book.value(nudged(NudgeField.DELTA)) / book.value(
                nudged(NudgeField.DELTA, shrink=i)
            )
            if i == 1:
                self.say(
                    "Each nudge is",
                    f"{format_value(zoom)} times",
                    "smaller than the last; the lines zoom in by as much.",
                )
            else:
                self.say(
                    "Smaller again, zoomed again: the ratio now reads",
                    nudged(NudgeField.RATIO, shrink=i),
                    ".",
                )
            _, seen = self.lines_for(None, self.span, shrink=i, zoom=zoom)
            new = list(seen)
            new_braces = self.braces_for(seen, shrink=i)
            # back to the start; the smaller nudge, first on the old scale: visibly smaller
            back = []
            for old, line in zip(lines, new, strict=True):
                back += [old.dot.animate.move_to(old.point(0)), old.take_value(line.value)]
            self.play_lines(lines, *(Vanish(b) for b in braces), *back, run_time=0.8)
            first = lines[0]
            self.play(first.dot.animate.move_to(first.line.n2p(new[0].values[1])), run_time=0.8)
            rezoom(self, lines, new)
            self.play_lines(
                new,
                new[0].show_value(new[0].after),
                GrowFromCenter(new_braces[0][0]),
                Appear(new_braces[0][1]),
                run_time=0.8,
            )
            self.play_lines(
                new,
                LaggedStart(
                    *(
                        AnimationGroup(*line.slide(), GrowFromCenter(brace[0]), Appear(brace[1]))
                        for line, brace in zip(new[1:], new_braces[1:], strict=True)
                    ),
                    lag_ratio=0.5,
                ),
                run_time=2.0,
            )
            lines, braces = new, new_braces
            self.fill_row(cells[i], braces)
        self.lines, self.braces = VGroup(*lines), braces
        self.say("Backpropagation gives the limit itself:", nudged(NudgeField.GRADIENT), ".")
        self.play(Write(limit))
        wanted = format_value(book.value(nudged(NudgeField.GRADIENT)))
        reached = next((row[2] for row in cells if row[2].text == wanted), None)
        if reached is not None:  # the first ratio that agrees to three figures
            self.say("The small nudges' ratio already agrees with it to three figures.")
            self.play(
                Create(SurroundingRectangle(reached, color=HIGHLIGHT, buff=0.08)),
                Create(SurroundingRectangle(limit[-1], color=HIGHLIGHT, buff=0.08)),
            )
        self.wait(1)
        boxes = [m for m in self.mobjects if isinstance(m, SurroundingRectangle)]
        self.table, self.limit = VGroup(grid, rule, *boxes), limit

    def fill_row(self, cells: list, braces: list) -> None:
        """A row of the table: Δ and ΔC0 fly in from their braces, then their ratio."""
        self.play(
            self.from_brace(braces[0][1][1], cells[0]),
            self.from_brace(braces[3][1][1], cells[1]),
            run_time=1.2,
        )
        self.play(Write(cells[2]), run_time=0.6)

    def other_levers(self) -> None:
        self.beat("other-levers")
        layer, book = self.layer, self.book
        z, a = weighted_input(layer), activation(layer)
        levers = [name for name in ("w", "b", "a") if name != self.quantity]
        self.say(
            f"{LEVER_WORDS[self.quantity].capitalize()} is not the only lever on z. Nudge",
            f"{LEVER_WORDS[levers[0]]} or {LEVER_WORDS[levers[1]]} by the same amount,"
            " on one scale again.",
        )
        self.play(Vanish(self.table), *(Vanish(b) for b in self.braces))
        last = nudge_run(shrink=self.book.count(NUDGES) - 1)  # the lines, until replaced
        self.showing(TRAINED, nudge_run(), last, *(nudge_run(lever=name) for name in levers))
        self.play(self.limit.animate.move_to(self.workspace(self.limit.copy(), LINE_YS[0] + 0.3)))
        through = book.row(
            f"(partial C_0)/(partial {self.sym(z)}) = {self.sym(sigma_prime(layer))}",
            f"(partial C_0)/(partial {self.sym(a)})",
            "= (",
            sigma_prime(layer),
            ")(",
            gradient(a),
            ") =",
            Q(gradient(z), COST),
            font_size=SIZE,
        )
        self.workspace(through, LINE_YS[1] + 0.45)
        self.say(
            "Each reaches the cost through z: the sigmoid's slope times the cost's slope in a,"
            " that is",
            gradient(z),
            ".",
        )
        self.play(Write(through))
        span = self.span_of(*levers)
        self.results: dict[str, Mobject] = {self.quantity: self.limit[-1]}
        self.totals: list[VGroup] = []
        old_lines, old_braces = self.lines, []
        for number, name in enumerate(levers):
            lever = self.lever(name)
            plain, seen = self.lines_for(name, span)
            braces = self.braces_for(seen, lever=name)
            total = book.row(
                f"(partial C_0)/(partial {self.lever_symbol(name)}) =",
                f"(partial {self.sym(z)})/(partial {self.lever_symbol(name)})",
                f"(partial C_0)/(partial {self.sym(z)})",
                "= (",
                local(z, lever),
                ")(",
                gradient(z),
                ") =",
                Q(gradient(lever), COST),
                font_size=SIZE,
            )
            self.workspace(total, (LINE_YS[2] + 0.2, LINE_YS[3] - 0.05)[number])
            factor = {
                "w": "moves z by the previous activation,",
                "b": "moves z exactly as much as itself,",
                "a": "moves z by the weight,",
            }[name]
            self.say(LEVER_WORDS[name].capitalize(), factor, local(z, lever), ", times the nudge.")
            # the tick labels give way to new ones rather than morph (a morph can split one
            # label into two copies of itself)
            old_ticks = VGroup(*(o.tick_labels for o in old_lines))
            new_ticks = VGroup(*(n.tick_labels for n in plain))
            with self.replacing(VGroup(*old_lines), VGroup(*plain)):
                self.play(
                    Indicate(self.lever_home(name), color=HIGHLIGHT),
                    *(Vanish(b) for b in old_braces),
                    Vanish(old_ticks, run_time=0.6),
                    *(
                        ReplacementTransform(o.without_tick_labels(), n.without_tick_labels())
                        for o, n in zip(old_lines, plain, strict=True)
                    ),
                    Appear(new_ticks),
                    run_time=1.2,
                )
                self.remove(*(m for line in (*old_lines, *plain) for m in line.get_family()))
                self.add(*plain)
            old_lines, old_braces = self.ripple(plain, seen, braces, {}), braces
            self.say("Times the cost's slope in z, the cost's slope in it:", gradient(lever), ".")
            self.play(Write(total), run_time=1.5)
            self.results[name] = total[-1]
            self.totals.append(total)
            self.wait(0.5)
        self.lines, self.braces = old_lines, old_braces
        self.through = through

    def compare_sensitivities(self) -> None:
        self.beat("sensitivity")
        book = self.book
        levers = {name: gradient(self.lever(name)) for name in ("w", "b", "a")}
        ranked = sorted(levers, key=lambda name: -abs(book.value(levers[name])))
        largest = abs(book.value(levers[ranked[0]]))
        self.say(
            "Side by side, the three derivatives say how much the cost cares about each,"
            " and which way to push it: it cares"
        )
        self.play(*(Vanish(m) for m in (*self.lines, *self.braces)), run_time=0.8)
        self.showing(TRAINED, nudge_run())  # the derivative the shrinking nudges settled on
        zero_x, top, bottom = LINE_X + 0.6, LINE_YS[0] + 0.3, LINE_YS[3] + 0.35
        axis = Line([zero_x, top, 0], [zero_x, bottom, 0], color=GREY_B, stroke_width=2)
        scale = Line([zero_x - BAR, bottom, 0], [zero_x + BAR, bottom, 0], color=GREY_B)
        zero = Typst("0", font_size=TYPE.label, color=GREY_B).next_to(axis, DOWN, buff=0.1)
        ways = VGroup(
            Typst("negative: increase it", font_size=TYPE.label - 2, color=GREY_B),
            Typst("positive: decrease it", font_size=TYPE.label - 2, color=GREY_B),
        )
        ways[0].next_to(scale, DOWN, buff=0.1).align_to(scale, LEFT)
        ways[1].next_to(scale, DOWN, buff=0.1).align_to(scale, RIGHT)
        ways.shift(DOWN * 0.3)
        derivations = [self.limit, *self.totals]  # their results stay, to fly to the bars
        self.play(
            Create(axis),
            Create(scale),
            Appear(zero),
            Appear(ways),
            Vanish(self.through),
            *(Vanish(VGroup(*row[:-1])) for row in derivations),
        )
        for i, name in enumerate(ranked):
            value = book.value(levers[name])
            length = max(BAR * abs(value) / largest, 0.03)
            y = top - 0.55 - 1.0 * i
            bar = Rectangle(width=length, height=0.4, stroke_width=0)
            bar.set_fill(self.lever_color(name), opacity=0.85)
            bar.move_to([zero_x + (length / 2 if value > 0 else -length / 2), y, 0])
            label = book.row(f"(partial C_0)/(partial {self.lever_symbol(name)})", font_size=SIZE)
            label.next_to([zero_x - BAR, y, 0], LEFT, buff=0.3)
            number = book.number(levers[name], COST, SIZE)
            number.next_to(bar, RIGHT if value > 0 else LEFT, buff=0.12)
            if number.get_left()[0] < zero_x - BAR:  # a long negative bar: its number inside
                number.next_to([zero_x, y, 0], RIGHT, buff=0.12)
            start = bar.copy().stretch(0.01, 0, about_point=[zero_x, y, 0])
            self.play(
                Write(label),
                TransformFromCopy(start, bar),
                fly(self.results[name], number),
                run_time=1.2,
            )
        first, second, third = (spoken(self.lever(name)) for name in ranked)
        self.say("most about", first, ", then", second, ", then", third, ".")
        self.wait(3)


def swaps(animations) -> Iterator[tuple]:
    """The (old, new) mobjects of every ReplacementTransform among ``animations``."""
    for animation in animations:
        if isinstance(animation, ReplacementTransform):
            yield animation.mobject, animation.target_mobject
        yield from swaps(getattr(animation, "animations", ()))
