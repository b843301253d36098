"""How sensitive is the cost to one weight? Nudge it and watch z, a and C0 follow.

The chain stays at the top the whole time. Under it the nudged quantity, z, a and
C0 each have a number line, all at one scale, so the nudge visibly shrinks (or
grows) as it ripples down; a line it becomes too small on zooms in and says by
how much. Each link's slope is then taken from the network, the nudge shrinks on
the same lines, and the other levers on z get the same treatment.

manim render -ql --save_sections scenes/nudge_cost.py NudgeCost
"""

from __future__ import annotations

import math
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
    ShowPassingFlash,
    Succession,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    Typst,
    VGroup,
    VMobject,
    Write,
)

from bpcalc.viz import (
    ACTIVATION,
    BIAS_APART,
    COST_APART,
    HIGHLIGHT,
    MOVE_SHARE,
    NUDGE_CHANGES,
    NUDGE_STATES,
    NUDGES,
    TRAINED,
    TYPE,
    Appear,
    NeuronChain,
    NudgeField,
    NudgeLine,
    Q,
    Quantity,
    StoryScene,
    ValueSwap,
    Vanish,
    Z,
    activation,
    bias,
    figures_for_decimals,
    figures_to_tell,
    fly,
    format_value,
    gradient,
    local,
    neuron,
    nudge_run,
    nudged,
    rezoom,
    shown_value,
    sigma_prime,
    spoken,
    target,
    weight,
    weight_color,
    weighted_input,
    zoom_to_see,
)

SIZE = TYPE.number  # the rows beside the lines
FIGURES = 3  # a number's figures, unless its arithmetic needs more
LINE_X = -3.95  # the lines' centre
LINE_LENGTH = 3.6
LINE_YS = (0.75, -0.65, -2.05, -3.35)  # the nudged quantity, z, a, C0
WORKSPACE = (-0.15, 6.45)  # left and right of the rows (room for a highlight to grow)
GAP_X = -0.45  # between the lines' numbers and the rows: flights from a brace turn here
LANE = 0.12  # over a brace's text: its flights' lane, clear of the tags beside it
BAR = 2.4  # the longest sensitivity bar, either side of zero
BARS_X = -2.7  # the sensitivity bars' zero line
HOPS = (NudgeField.HOP_Z, NudgeField.HOP_A, NudgeField.HOP_C)  # Δz/Δ, Δa/Δz, ΔC0/Δa
LEVER_WORDS = {"w": "the weight", "b": "the bias", "a": "the previous activation"}


class NudgeCost(StoryScene):
    """Six beats: the lines under the chain, the nudge, each link's slope from the network,
    the nudge shrinking to the derivative, the other levers, how much the cost cares."""

    story = "nudge"
    story_order = 3
    title = "Nudge a weight, watch the cost"
    poster_beat = "nudge"  # its last frame is the poster

    def construct(self) -> None:
        self.chain = self.book.chain
        nudged_parameter = self.book.nudged_parameter()
        self.layer = nudged_parameter.layer  # the nudged layer
        self.number = self.book.layer_number(self.layer)  # its place in the chain (0: input)
        self.quantity = nudged_parameter.symbol  # "w" or "b"
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
        """The palette colour of a lever: the weight by its sign, b orange (apart from the
        cost's pink), a white."""
        return {
            "w": weight_color(self.book.value(weight(self.layer))),
            "b": BIAS_APART,
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
        colors = [self.lever_color(name), Z, ACTIVATION, COST_APART]
        plain, seen = VGroup(), VGroup()
        for (was, now), symbol, color, y in zip(
            NUDGE_STATES, symbols, colors, LINE_YS, strict=True
        ):
            before, after = nudged(was, **kwargs), nudged(now, **kwargs)
            values = (self.book.value(before), self.book.value(after))
            move = values[1] - values[0]
            more = zoom_to_see(move * zoom, span, LINE_LENGTH)
            # the readout as finely as the ticks of the line it ends on: on a tick, it
            # reads as the tick
            ticks = NudgeLine(self.book, symbol, color, before, after, span, zoom * more)
            figures = max(
                figures_to_tell(*values), figures_for_decimals(values, ticks.tick_decimals)
            )
            line = NudgeLine(
                self.book,
                symbol,
                color,
                before,
                after,
                span,
                zoom,
                LINE_LENGTH,
                significant=figures,
            )
            line.shift([LINE_X - line.line.get_x(), y - line.line.get_y(), 0])
            plain.add(line)
            seen.add(line.rescaled(span, zoom * more) if more != 1 else line)
        return plain, seen

    def braces_for(self, lines: VGroup, shrink: int | None = None, lever: str | None = None):
        """Each line's move named over it, in its change's one format (:meth:`form`);
        each brace after the first with its hop, the move over the one before."""
        if not hasattr(self, "links"):  # the first nudge's lines fix every format
            self.links = self.link_figures(max(line.significant for line in lines[1:3]))
        for k, hop in enumerate(HOPS):  # each hop: the move over the one before it
            terms = [nudged(NUDGE_CHANGES[j], shrink, lever) for j in (k + 1, k)]
            self.book.relation("quotient", terms, nudged(hop, shrink, lever))
        return [
            line.brace(
                f"Delta {line.symbol}",
                nudged(change, shrink=shrink, lever=lever),
                **self.form(change, shrink, lever),
                hop=nudged(HOPS[k - 1], shrink, lever) if k else None,
            )
            for k, (line, change) in enumerate(zip(lines, NUDGE_CHANGES, strict=True))
        ]

    def nudges(self) -> list[tuple[int | None, str | None]]:
        """Every nudge the scene shows, as (shrink, lever): the first, the shrinking ones,
        the other levers'."""
        count = self.book.count(NUDGES)
        others = [name for name in ("w", "b", "a") if name != self.quantity]
        return [(None, None), *((i, None) for i in range(count)), *((None, n) for n in others)]

    def form(self, change: NudgeField, shrink: int | None = None, lever: str | None = None) -> dict:
        """One count of figures for a change through the whole scene, whichever nudge it
        is of: the figures every nudge's ratio needs (ΔC0), the links' rows' (Δz and Δa),
        or for the nudge itself as few as write it exactly (0.5, not 0.5000). And one
        notation per nudge, for the moves it compares on its braces, its ratio and its
        row of the table: fixed decimals, unless one of its moves is too small for them."""
        if change is NudgeField.DELTA:
            nudges = [nudged(change, s, lever) for s, other in self.nudges() if other == lever]
            figures = self.nudge_figures(nudges)
        elif change is NudgeField.DC:
            figures = max(self.ratio_figures(s, other) for s, other in self.nudges())
        else:
            figures = self.links
        moves = [nudged(c, shrink, lever) for c in NUDGE_CHANGES]
        return {"significant": figures, "scientific": self.book.scientific(moves)}

    def nudge_figures(self, nudges: list[Quantity]) -> int:
        """The fewest figures that write every one of ``nudges`` exactly, or the ratios'
        figures if some needs more: a nudge is a chosen round number."""
        enough = max(self.ratio_figures(s, other) for s, other in self.nudges())
        values = [self.book.value(q) for q in nudges]
        for figures in range(1, enough):
            if all(math.isclose(shown_value(v, figures), v, rel_tol=1e-9) for v in values):
                return figures
        return enough

    def told(self, change: NudgeField, shrink: int | None = None, lever: str | None = None) -> Q:
        """A change of a nudge to say as its brace writes it."""
        return Q(nudged(change, shrink, lever), **self.form(change, shrink, lever))

    def link_figures(self, least: int) -> int:
        """One count of figures (``least`` or more) for the links' rows: the first slope,
        a, Δz and Δa (on their braces), so that each row's product as shown rounds to its
        prediction as shown, and each slope as shown to the derivative's factor it becomes;
        Δ keeps the figures of its ratio, y is 1."""
        layer, book, prod = self.layer, self.book, math.prod
        factors, into = self.product_figures()
        act = activation(layer)
        changes = (nudged(NudgeField.DELTA), nudged(NudgeField.DZ), nudged(NudgeField.DA))
        conditions = [
            ([factors[0], changes[0]], prod, nudged(NudgeField.DZ_LINEAR), FIGURES),
            ([factors[0]], prod, factors[0], into),
            ([act, changes[1]], sigmoid_change, nudged(NudgeField.DA_LINEAR), FIGURES),
            ([act], sigmoid_change, sigma_prime(layer), into),
        ]
        if layer.back == 0:
            conditions += [
                (
                    [act, target(), changes[2]],
                    miss_change,
                    nudged(NudgeField.DC_LINEAR),
                    FIGURES,
                ),
                ([act, target()], miss_change, gradient(act), into),
            ]
        else:
            conditions += [
                ([gradient(act), changes[2]], prod, nudged(NudgeField.DC_LINEAR), FIGURES),
                ([gradient(act)], prod, gradient(act), into),
            ]
        fixed = {changes[0]: self.form(NudgeField.DELTA)["significant"], target(): FIGURES}
        return book.figures_for(conditions, fixed, least)

    def ratio_figures(self, shrink: int | None = None, lever: str | None = None) -> int:
        """The figures to write a nudge's ΔC0 and Δ with for their ratio, as shown, to
        divide to the ratio shown."""
        terms = [
            nudged(field, shrink=shrink, lever=lever) for field in (NudgeField.DC, NudgeField.DELTA)
        ]
        return self.book.figures_to_compose(terms, over, nudged(NudgeField.RATIO, shrink, lever))

    def ratio_row(
        self, shrink: int | None = None, lever: str | None = None, size: float = SIZE
    ) -> list:
        """ΔC0, Δ and their ratio as numbers whose division can be redone on screen,
        recorded as such: [ΔC0, Δ, ratio]."""
        book, name = self.book, lever or self.quantity
        top = book.number(
            nudged(NudgeField.DC, shrink, lever),
            COST_APART,
            size,
            **self.form(NudgeField.DC, shrink, lever),
        )
        bottom = book.number(
            nudged(NudgeField.DELTA, shrink, lever),
            self.lever_color(name),
            size,
            **self.form(NudgeField.DELTA, shrink, lever),
        )
        ratio = book.number(nudged(NudgeField.RATIO, shrink, lever), COST_APART, size)
        book.relation_on_screen("quotient", [top, bottom], ratio)
        terms = [nudged(NudgeField.DC, shrink, lever), nudged(NudgeField.DELTA, shrink, lever)]
        book.relation("quotient", terms, nudged(NudgeField.RATIO, shrink, lever))
        return [top, bottom, ratio]

    def network_to(
        self, name: str, *, after: bool, shrink: int | None = None, lever: str | None = None
    ) -> tuple[Transform, Transform]:
        """The network takes a nudge's state, ``after`` it or before, as the lines show it
        at that moment: the lever's label (or neuron), then the nudged neuron."""
        book, net, n = self.book, self.net, self.number
        q_field, a_field = (
            (NudgeField.AFTER_Q, NudgeField.AFTER_A)
            if after
            else (NudgeField.BEFORE_Q, NudgeField.BEFORE_A)
        )
        q, a = nudged(q_field, shrink, lever), nudged(a_field, shrink, lever)
        if name == "a":
            home = net.neurons[n - 1]
            new = neuron(book, q, home[0].radius, home[1].font_size).move_to(home)
        else:
            home = self.lever_home(name)[1]
            values = (
                book.value(nudged(field, shrink, lever))
                for field in (NudgeField.BEFORE_Q, NudgeField.AFTER_Q)
            )
            figures = {"significant": figures_to_tell(*values)} if after else {}
            new = book.number(q, self.lever_color(name), home.font_size, **figures)
            new.move_to(home, aligned_edge=LEFT)
        cell = net.neurons[n]
        new_cell = neuron(book, a, cell[0].radius, cell[1].font_size).move_to(cell)
        return Transform(home, new), Transform(cell, new_cell)

    def ripple(self, plain: VGroup, seen: VGroup, braces: list, extras: dict) -> VGroup:
        """The nudge goes down the lines one at a time: each dot slides on the common
        scale (with ``extras[k]`` beside it); a line whose move is too short to see then
        zooms in, ticks relabelled; its brace names the move. Returns the lines shown."""
        shown = VGroup()
        for k, (line, zoomed) in enumerate(zip(plain, seen, strict=True)):
            if zoomed is line:
                self.play_lines([line], *line.slide(swap=True), *extras.get(k, []), run_time=1.0)
            else:  # its number changes once the zoom shows the dot where it says
                slide = line.dot.animate.move_to(line.point(1))
                self.play_lines([line], slide, *extras.get(k, []), run_time=1.0)
                swap = line.show_value(line.after, swap=True)
                with self.replacing(swap.old, swap.new):
                    rezoom(self, [line], [zoomed], also=[swap])
                zoomed.dot.move_to(zoomed.point(1))
            shown.add(zoomed)
            self.play(*self.grow_brace(braces, k), run_time=0.8 if k else 0.6)
        return shown

    @staticmethod
    def grow_brace(braces: list, k: int) -> list:
        """A brace grows over its move; after the first, its hop (the move over the one
        before) comes beside it."""
        brace = braces[k]
        if not k:
            return [GrowFromCenter(brace[0]), Appear(brace[1], shift=UP * 0.1)]
        return [
            GrowFromCenter(brace[0]),
            Appear(brace[1], shift=UP * 0.1),
            Appear(brace[2], shift=DOWN * 0.1),
        ]

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
        """A brace's symbol or number flies into the rows: up clear of the tags beside it,
        right to the gap beside the lines, then on: never across a line or a row on the way."""
        lane = source.get_top()[1] + LANE
        return fly(source, target, stops=[[source.get_x(), lane, 0], [GAP_X, lane, 0]])

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
        for label in net.bias_labels:  # the cost is pink here: the bias takes its own colour
            label.set_color(BIAS_APART)
        whole = VGroup(net, net.layer_labels)
        whole.scale(min(1.0, 12.8 / whole.width, 2.15 / whole.height)).to_edge(UP, buff=0.22)
        lever = spoken(self.lever(q))
        self.say(
            "How sensitive is the cost to",
            LEVER_WORDS[q],
            lever,
            "? Here is the chain, one neuron per layer, fed its input.",
        )
        # the chain is there from the first frame; its numbers come, then the lever is lit
        self.add(net.edges, net.neurons, net.layer_labels)
        self.play(*(Appear(m) for m in (net.weight_labels, net.bias_labels, net.y_label)))
        self.play(Indicate(self.lever_home(q), color=HIGHLIGHT), run_time=1.2)
        # one neuron per layer, fed its input: the input's signal runs down the chain
        self.until_word("chain")
        runs = [Indicate(net.neurons[0], color=HIGHLIGHT, scale_factor=1.1)]
        for edge, cell in zip(net.edges, net.neurons[1:], strict=True):
            runs += [ShowPassingFlash(edge.copy().set_color(HIGHLIGHT), time_width=0.6)]
            runs += [Indicate(cell, color=HIGHLIGHT, scale_factor=1.1)]
        self.play(LaggedStart(*runs, lag_ratio=0.45), run_time=2.6)
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
        q = self.quantity
        change = self.book.value(nudged(NudgeField.DC))
        self.say(
            "Nudge",
            spoken(self.lever(q)),
            "by",
            self.told(NudgeField.DELTA),
            ": z moves, so a moves, so the cost changes by",
            self.told(NudgeField.DC),
            ": it rises." if change > 0 else ": it falls.",
        )
        # the network takes the nudge with the lines: the lever's label, the nudged neuron
        home, cell = self.network_to(q, after=True)
        self.braces = self.braces_for(self.seen)
        self.lines = self.ripple(self.plain, self.seen, self.braces, {0: [home], 2: [cell]})
        self.write_ratio()
        zoomed = [line for line in self.lines if line.zoom != 1]
        self.say(
            "On one scale, the nudge shrinks down the chain. Where it gets too small to see,"
            " the line zooms in and says by how much."
            if zoomed
            else "On one scale, each move shows its real size."
        )
        # each move lit as the words reach it: the braces down the chain, then the zooms
        self.until_word("scale")
        self.play(
            LaggedStart(
                *(Indicate(brace, color=HIGHLIGHT) for brace in self.braces), lag_ratio=0.6
            ),
            run_time=3.0,
        )
        if zoomed:
            self.until_word("zooms")
            self.play(
                LaggedStart(
                    *(
                        Indicate(VGroup(line.zoom_tag, line.tick_labels), color=HIGHLIGHT)
                        for line in zoomed
                    ),
                    lag_ratio=0.5,
                ),
                run_time=2.0,
            )
            self.until_word("much")
            self.play(
                *(Indicate(line.zoom_tag, color=HIGHLIGHT, scale_factor=1.6) for line in zoomed),
                run_time=1.0,
            )

    def write_ratio(self) -> None:
        """ΔC0 over Δ, each flying in from its brace, beside what we want."""
        book = self.book
        top, bottom, ratio = self.ratio_row(size=SIZE + 2)
        bar = Line(LEFT, RIGHT, stroke_width=2).set_width(max(top.width, bottom.width) + 0.1)
        fraction = VGroup(top, bar, bottom).arrange(DOWN, buff=0.08)
        result = VGroup(book.row("=", font_size=SIZE + 2), ratio).arrange(RIGHT, buff=0.16)
        equals = book.row("=", font_size=SIZE + 2)
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
            " link, taken where the network really is: before the nudge, so undo it."
        )
        # each change from the one before: the braces lit down the chain, link by link
        self.play(
            LaggedStart(*(Indicate(brace[1], color=HIGHLIGHT) for brace in braces), lag_ratio=0.7),
            run_time=2.8,
        )
        # the network and the lines go back together as the words say so; the braces
        # keep the measured moves
        self.until_word("undo")
        back = [
            a
            for line in self.lines
            for a in (
                line.dot.animate.move_to(line.point(0)),
                line.show_value(line.before, swap=True),
            )
        ]
        self.play_lines(
            self.lines,
            Vanish(self.want),
            *self.network_to(q, after=False),
            *back,
            run_time=1.2,
        )
        self.play(Indicate(net.neurons[n - 1], color=HIGHLIGHT, scale_factor=1.1))
        rows = []
        # each row's numbers as the braces and the network write them, in one count of
        # figures (:meth:`link_figures`): every product, and every slope's morph into the
        # derivative's factors, can be redone on screen
        self.factors, self.figures = self.product_figures()
        changes = (nudged(NudgeField.DELTA), nudged(NudgeField.DZ), nudged(NudgeField.DA))
        moves = {c: self.form(field) for c, field in zip(changes, NUDGE_CHANGES, strict=False)}
        factor = self.factors[0]  # a^(l−1) for the weight, 1 for the bias
        factor_figures = a_figures = slope_figures = self.links

        # Δz = (∂z/∂q) Δq: a^(l−1) from its neuron for the weight, 1 for the bias
        symbolic = book.row(
            f"Delta {z} =",
            self.sym(activation(layer - 1)) if q == "w" else "1",
            "dot",
            f"Delta {qs}",
            font_size=SIZE,
        )
        numbers = book.row(
            "= (",
            Q(factor, significant=factor_figures),
            ")(",
            Q(changes[0], **moves[changes[0]]),
            ") =",
            Q(nudged(NudgeField.DZ_LINEAR), Z),
            font_size=SIZE,
        )
        rows.append(VGroup(symbolic, numbers))
        slopes = [fragment(numbers, numbers.of(factor), numbers.of(factor))]  # each link's
        # each link's words, and how its row is written: all three rows are set first, in
        # one type size
        links: list[tuple[tuple, float, dict]] = []
        said = (
            "z is the weight times the previous activation, plus the bias: so z moves by",
            "the previous activation times the nudge," if q == "w" else "exactly the nudge,",
            nudged(NudgeField.DZ_LINEAR),
            ".",
        )
        written = dict(
            symbols=[(net.layer_labels[n - 1], symbolic.part(self.sym(activation(layer - 1))))]
            if q == "w"
            else [],
            values=[(net.neurons[n - 1][1], numbers.of(factor))] if q == "w" else [],
            change=(braces[0][1], [symbolic.part(f"Delta {qs}")], numbers.of(changes[0])),
            result=numbers.of(nudged(NudgeField.DZ_LINEAR)),
            real=braces[1][1],
        )
        links.append((said, LINE_YS[1], written))

        act = activation(layer)
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
            "=",
            "(",
            Q(act, significant=a_figures),
            ")",
            "(1 -",
            Q(act, significant=a_figures),
            ")",
            "(",
            Q(changes[1], **moves[changes[1]]),
            ") =",
            nudged(NudgeField.DA_LINEAR),
            font_size=SIZE,
        )
        book.relation("product", [sigma_prime(layer), changes[1]], nudged(NudgeField.DA_LINEAR))
        rows.append(VGroup(symbolic, numbers))
        first_a, second_a = numbers.every(act)
        slopes.append(fragment(numbers, numbers.submobjects[1], numbers.submobjects[6]))
        said = (
            "a is the sigmoid of z, whose slope is a times one minus a: so a moves by about",
            nudged(NudgeField.DA_LINEAR),
            ".",
        )
        inside = net.neurons[n][1]  # the neuron's value
        written = dict(
            # a and Δz come once each; their second places are written
            symbols=[(net.layer_labels[n], symbolic.part(a))],
            values=[(inside, first_a)],
            change=(braces[1][1], [symbolic.part(f"Delta {z} =")], numbers.of(changes[1])),
            result=numbers.of(nudged(NudgeField.DA_LINEAR)),
            real=braces[2][1],
        )
        links.append((said, LINE_YS[2], written))

        # ΔC0 ≈ (∂C0/∂a) Δa: 2(a − y) from the network for the output, backprop before it
        result = Q(nudged(NudgeField.DC_LINEAR), COST_APART)
        da = Q(changes[2], **moves[changes[2]])
        if layer.back == 0:
            symbolic = book.row(
                "Delta C_0 approx 2(", a, "-", "y", ")", f"Delta {a}", font_size=SIZE
            )
            numbers = book.row(
                "=",
                "2(",
                Q(act, significant=a_figures),
                "-",
                target(),
                ")",
                "(",
                da,
                ") =",
                result,
                font_size=SIZE,
            )
            symbols = [
                (net.layer_labels[n], symbolic.part(a)),
                (net.y_label[0], symbolic.part("y")),
            ]
            values = [(inside, numbers.of(act)), (net.y_label[1], numbers.of(target()))]
            slope = fragment(numbers, numbers.submobjects[1], numbers.submobjects[5])
            words = "The cost is the squared miss, whose slope is two times a minus y: about"
        else:
            symbolic = book.row(
                "Delta C_0 approx", f"(partial C_0)/(partial {a})", f"Delta {a}", font_size=SIZE
            )
            numbers = book.row(
                "= (",
                Q(gradient(act), significant=slope_figures),
                ")(",
                da,
                ") =",
                result,
                font_size=SIZE,
            )
            symbols, values = [], []
            slope = fragment(numbers, numbers.of(gradient(act)), numbers.of(gradient(act)))
            words = "The cost feels a through the later layers, at the slope backpropagation gives:"
        change = (braces[2][1], [symbolic.part(f"Delta {a}")], numbers.of(changes[2]))
        book.relation("product", [gradient(act), changes[2]], nudged(NudgeField.DC_LINEAR))
        rows.append(VGroup(symbolic, numbers))
        said = (words, nudged(NudgeField.DC_LINEAR), ", close to the real change.")
        written = dict(
            symbols=symbols,
            values=values,
            change=change,
            result=numbers.of(nudged(NudgeField.DC_LINEAR)),
            real=braces[3][1],
        )
        links.append((said, LINE_YS[3], written))
        self.set_rows(rows, [w["result"] for _, _, w in links])
        for row, (said, y, written) in zip(rows, links, strict=True):
            self.say(*said)
            self.write_row(row, y, **written)
        self.rows = VGroup(*rows)
        self.multiply_the_slopes([*slopes, slope])

    def product_figures(self) -> tuple[list[Quantity], int]:
        """The three links' slopes and one count of figures for them: their product, and
        the cost's slope in z (which takes two of them over later), compose as shown."""
        layer, book = self.layer, self.book
        z, a = weighted_input(layer), activation(layer)
        factors = [local(z, self.lever(self.quantity)), sigma_prime(layer), gradient(a)]
        figures = book.column_figures_to_compose(
            [(factors, gradient(self.lever(self.quantity))), (factors[1:], gradient(z))],
            math.prod,
        )
        return factors, figures

    def multiply_the_slopes(self, sources: list[tuple[VGroup, tuple]]) -> None:
        """The three links' slopes, each from its row, multiplied: the derivative itself,
        written with the figures its product needs to be redone on screen."""
        q, layer, book = self.quantity, self.layer, self.book
        z, a = weighted_input(layer), activation(layer)
        qs, zs, as_ = self.lever_symbol(q), self.sym(z), self.sym(a)
        factors, figures = self.factors, self.figures
        self.product = book.row(
            f"(partial C_0)/(partial {qs}) =",
            f"(partial {zs})/(partial {qs})",
            f"(partial {as_})/(partial {zs})",
            f"(partial C_0)/(partial {as_})",
            "= (",
            Q(factors[0], significant=figures),
            ")(",
            Q(factors[1], significant=figures),
            ")(",
            Q(factors[2], significant=figures),
            ") =",
            Q(gradient(self.lever(q)), COST_APART),
            font_size=SIZE,
        )
        self.workspace(self.product, LINE_YS[0] + 0.25)
        values = [self.product[5], self.product[7], self.product[9]]
        self.say(
            "Multiply the three slopes, and the chain rule gives the derivative itself:",
            gradient(self.lever(q)),
            ".",
        )
        # each slope moves from its row into the product, top row first; each row stays
        # until its slope has landed (no fragment alone), then gives way as the next
        # one leaves, so no flight crosses a row still there
        written = VGroup(*self.product[:5], self.product[6], self.product[8], self.product[10])
        self.play(Write(written), run_time=1.2)
        for (_, pieces), value in zip(sources, values, strict=True):
            book.morph(*pieces, result=value)
        left: list[Mobject] = []  # the row whose slope has just landed
        for row, (source, _), value in zip(self.rows, sources, values, strict=True):
            slope, outline = fused(source), fused(value)  # one outline into one outline
            self.remove(*source.get_family())
            self.add(slope)
            self.play(
                ReplacementTransform(slope, outline), *(Vanish(m) for m in left), run_time=0.9
            )
            self.remove(outline, *(m for gone in left for m in gone.get_family()))
            self.add(value)
            kept = {id(m) for m in source.get_family()}
            left = [VGroup(*(m for m in row.family_members_with_points() if id(m) not in kept))]
        self.play(*(Vanish(m) for m in left), Write(self.product[-1]), run_time=0.6)
        self.remove(*self.rows.get_family())  # however each piece came on screen
        self.wait(0.5)

    def set_rows(self, rows: list[VGroup], results: list[Mobject]) -> None:
        """The links' rows laid out, each its numbers under its formula and its result
        tagged "predicted", then shrunk by one factor to fit the workspace: one type size
        for the three."""
        for row, result in zip(rows, results, strict=True):
            symbolic, numbers = row
            numbers.next_to(symbolic, DOWN, buff=0.22).align_to(symbolic, LEFT).shift(RIGHT * 0.4)
            predicted = tag("predicted")  # which Δ is which: the row predicts, the brace measured
            predicted.next_to(result, RIGHT, buff=0.12).align_to(result, DOWN)
            row.add(predicted)
        widest = max(row.width for row in rows)
        factor = min(1.0, (WORKSPACE[1] - WORKSPACE[0]) / widest)
        for row in rows:
            row.scale(factor)

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
        symbolic, numbers, predicted = row  # with its tag (:meth:`set_rows`)
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
        measured = tag("real").next_to(real, RIGHT, buff=0.2).align_to(real, DOWN)
        real.add(measured)
        self.play(Write(result), Appear(predicted), run_time=0.6)
        self.play(
            Indicate(result, color=HIGHLIGHT, scale_factor=1),
            Indicate(real[1], color=HIGHLIGHT, scale_factor=1),
            Appear(measured),
        )

    def shrink_the_nudge(self) -> None:
        self.beat("shrinking")
        q, qs, book = self.quantity, self.lever_symbol(self.quantity), self.book
        count = self.book.count(NUDGES)
        self.say(
            "Now make the nudge smaller and smaller, zooming in as it shrinks:",
            "the ratio of the cost's change to the nudge settles on the derivative.",
        )
        self.showing(TRAINED, nudge_run(), *(nudge_run(shrink=i) for i in range(count)))
        header = VGroup(
            book.row(f"Delta {qs}", font_size=SIZE),
            book.row("Delta C_0", font_size=SIZE).set_color(COST_APART),
            book.row(f"(Delta C_0)/(Delta {qs})", font_size=SIZE),
        )
        cells = []
        for i in range(count):  # Δ, ΔC0 and their ratio, which divides as written
            change, nudge, ratio = self.ratio_row(shrink=i)
            cells.append([nudge, change, ratio])
        grid = VGroup(*header, *(c for row in cells for c in row))
        grid.arrange_in_grid(rows=count + 1, cols=3, buff=(0.6, 0.3))
        rule = Line(LEFT, RIGHT, stroke_width=1.5, color=GREY_B).set_width(grid.width + 0.2)
        self.workspace(grid, -0.6)
        rule.next_to(header, DOWN, buff=0.12).match_x(grid)
        # the derivative stays, in the corner: the nudges' flights pass where it was
        product = self.product
        # the product's factors stay with it: two of them are the cost's slope in z later
        factors, figures = self.factors, self.figures
        self.known = known = book.row(
            f"(partial C_0)/(partial {qs}) =",
            "(",
            Q(factors[0], significant=figures),
            ")(",
            Q(factors[1], significant=figures),
            ")(",
            Q(factors[2], significant=figures),
            ") =",
            Q(gradient(self.lever(q)), COST_APART),
            font_size=SIZE,
        )
        known.move_to([0, product.get_y(), 0]).align_to([WORKSPACE[1], 0, 0], RIGHT)
        grid.shift(UP * (known.get_bottom()[1] - 0.3 - grid.get_top()[1]))
        rule.next_to(header, DOWN, buff=0.12).match_x(grid)
        # the symbolic chain gives way; the numbers close up to its right, in their order
        self.play(Vanish(VGroup(*product[1:4])), Appear(header), Create(rule))
        self.play(
            *(
                ReplacementTransform(old, new)
                for old, new in zip((product[0], *product[4:]), known, strict=True)
            ),
            run_time=0.9,
        )
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
                    "Smaller again, zoomed again: the ratio now reads"
                    if i == 2
                    else "Once more: the ratio reads",
                    nudged(NudgeField.RATIO, shrink=i),
                    ".",
                )
            _, seen = self.lines_for(None, self.span, shrink=i, zoom=zoom)
            new = list(seen)
            new_braces = self.braces_for(seen, shrink=i)
            # back to the start, the network too; the smaller nudge, first on the old
            # scale: visibly smaller
            back = []
            for old, line in zip(lines, new, strict=True):
                back += [
                    old.dot.animate.move_to(old.point(0)),
                    old.take_value(line.value, swap=True),
                ]
            before = self.network_to(q, after=False, shrink=i - 1) if i > 1 else ()
            self.play_lines(lines, *(Vanish(b) for b in braces), *back, *before, run_time=0.8)
            home, cell = self.network_to(q, after=True, shrink=i)
            first = lines[0]
            self.play(first.dot.animate.move_to(first.line.n2p(new[0].values[1])), run_time=0.8)
            rezoom(self, lines, new)
            self.play_lines(
                new,
                new[0].show_value(new[0].after, swap=True),
                home,
                *self.grow_brace(new_braces, 0),
                run_time=0.8,
            )
            self.play_lines(
                new,
                LaggedStart(
                    *(
                        AnimationGroup(*line.slide(swap=True), *self.grow_brace(new_braces, k))
                        for k, line in enumerate(new[1:], start=1)
                    ),
                    lag_ratio=0.5,
                ),
                cell,
                run_time=2.0,
            )
            lines, braces = new, new_braces
            self.fill_row(cells[i], braces)
        self.lines, self.braces = VGroup(*lines), braces
        wanted = self.known[-1].text
        reached = next((row[2] for row in cells if row[2].text == wanted), None)
        if reached is not None:  # the first ratio that agrees to the figures shown
            self.say(
                "The small nudges' ratio already reads as the product of the slopes:",
                gradient(self.lever(q)),
                ".",
            )
            self.play(
                Create(SurroundingRectangle(reached, color=HIGHLIGHT, buff=0.08)),
                Create(SurroundingRectangle(self.known[-1], color=HIGHLIGHT, buff=0.08)),
            )
        else:
            self.say(
                "The ratios close in on the product of the slopes,", gradient(self.lever(q)), "."
            )
            self.play(Indicate(self.known[-1], color=HIGHLIGHT))
        self.wait(1)
        boxes = [m for m in self.mobjects if isinstance(m, SurroundingRectangle)]
        self.table = VGroup(grid, rule, *boxes)

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
        q, layer, book = self.quantity, self.layer, self.book
        z, a = weighted_input(layer), activation(layer)
        levers = [name for name in ("w", "b", "a") if name != q]
        count = self.book.count(NUDGES)
        shrinks = [nudge_run(shrink=i) for i in range(count)]  # the table, until it leaves
        self.showing(TRAINED, nudge_run(), *shrinks, *(nudge_run(lever=name) for name in levers))
        # the derivative stays, its derivation gives way; rows for the other two levers
        known = self.known
        through = book.row(
            f"(partial C_0)/(partial {self.sym(z)}) = {self.sym(sigma_prime(layer))}",
            f"(partial C_0)/(partial {self.sym(a)})",
            "= (",
            Q(sigma_prime(layer), significant=self.figures),
            ")(",
            Q(gradient(a), significant=self.figures),
            ") =",
            Q(gradient(z), COST_APART),
            font_size=SIZE,
        )
        totals, ratios = [], []
        for name in levers:
            lever = self.lever(name)
            # the lever's slope on z with the figures its product, as shown, needs; the
            # cost's slope in z as the row above writes it, or with as many if none do
            slope = local(z, lever)
            condition = [([slope, gradient(z)], math.prod, gradient(lever), FIGURES)]
            try:
                slope_figures = book.figures_for(condition, {gradient(z): FIGURES})
                z_figures = FIGURES
            except ValueError:
                slope_figures = z_figures = book.figures_for(condition, {})
            totals.append(
                book.row(
                    f"(partial C_0)/(partial {self.lever_symbol(name)}) =",
                    f"(partial {self.sym(z)})/(partial {self.lever_symbol(name)})",
                    f"(partial C_0)/(partial {self.sym(z)})",
                    "= (",
                    Q(slope, significant=slope_figures),
                    ")(",
                    Q(gradient(z), significant=z_figures),
                    ") =",
                    Q(gradient(lever), COST_APART),
                    font_size=SIZE,
                )
            )
            change, nudge, ratio = self.ratio_row(lever=name)
            words = book.row(f"(Delta C_0)/(Delta {self.lever_symbol(name)}) =", font_size=SIZE)
            ratios.append(
                VGroup(
                    words,
                    change,
                    book.row("div", font_size=SIZE),
                    nudge,
                    book.row("=", font_size=SIZE),
                    ratio,
                ).arrange(RIGHT, buff=0.14)
            )
        spot = known.copy()  # where the derivative moves to, at the column's head
        column = VGroup(
            spot,
            through,
            *(  # each lever's measured ratio, then its derivative
                VGroup(r, t).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
                for t, r in zip(totals, ratios, strict=True)
            ),
        )
        column.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        VGroup(*column[1:]).shift(DOWN * 0.25)  # a lane under the derivative for its factors
        room = self.net.get_bottom()[1] - 0.25 - (-3.85)
        if column.height > room:
            column.scale_to_fit_height(room)
        self.workspace(column, 0)
        column.shift(UP * (self.net.get_bottom()[1] - 0.25 - column.get_top()[1]))
        self.say(
            f"{LEVER_WORDS[q].capitalize()} is not the only lever on z. Nudge",
            f"{LEVER_WORDS[levers[0]]} or {LEVER_WORDS[levers[1]]},"
            " each just enough for its ratio to settle.",
        )
        # the last nudge undone on the lines as on the network: one state for both
        back = [
            a
            for line in self.lines
            for a in (
                line.dot.animate.move_to(line.point(0)),
                line.show_value(line.before, swap=True),
            )
        ]
        self.play_lines(
            self.lines,
            Vanish(self.table),
            *(Vanish(b) for b in self.braces),
            *self.network_to(q, after=False, shrink=count - 1),
            *back,
            *(Indicate(self.lever_home(name), color=HIGHLIGHT) for name in levers),
            run_time=1.2,
        )
        last = nudge_run(shrink=count - 1)  # the lines, until replaced
        self.showing(TRAINED, nudge_run(), last, *(nudge_run(lever=name) for name in levers))
        self.play(known.animate.move_to(spot), run_time=0.8)
        self.say(
            "Each reaches the cost through z: the sigmoid's slope times the cost's slope in a,"
            " that is",
            gradient(z),
            ".",
        )
        # σ′ and ∂C0/∂a are the derivative's last two factors: they come down from it,
        # under its row and along the gap between the rows, then the product is written
        moved = [(known.of(sigma_prime(layer)), through.of(sigma_prime(layer)))]
        moved += [(known.of(gradient(a)), through.of(gradient(a)))]
        result = through[-1]
        landed = {id(t) for _, t in moved} | {id(result)}
        self.play(Write(VGroup(*(p for p in through if id(p) not in landed))), run_time=1.2)
        gap = (known.get_bottom()[1] + through.get_top()[1]) / 2
        self.play(
            LaggedStart(
                *(
                    fly(source, target, stops=[[source.get_x(), gap, 0], [target.get_x(), gap, 0]])
                    for source, target in moved
                ),
                lag_ratio=0.4,
            ),
            run_time=1.4,
        )
        self.play(Write(result), run_time=0.6)
        # the other levers' nudges are smaller: their lines keep the first scale, zoomed
        # in by a power of ten and tagged so, rather than a new scale untold
        base = 10.0 ** math.floor(math.log10(self.span / self.span_of(*levers)))
        self.results: dict[str, Mobject] = {q: known[-1]}
        self.derivations = [known, through, *totals, *ratios]
        old_lines, old_braces, old_name = self.lines, [], None
        for name, total, ratio in zip(levers, totals, ratios, strict=True):
            lever = self.lever(name)
            plain, seen = self.lines_for(name, self.span, zoom=base)
            braces = self.braces_for(seen, lever=name)
            factor = {
                "w": "moves z by the previous activation,",
                "b": "moves z exactly as much as itself,",
                "a": "moves z by the weight,",
            }[name]
            self.say(
                LEVER_WORDS[name].capitalize(),
                ", nudged by",
                self.told(NudgeField.DELTA, lever=name),
                ",",
                factor,
                local(z, lever),
                ", times the nudge.",
            )
            # the tick labels give way to new ones rather than morph (a morph can split one
            # label into two copies of itself)
            old_ticks = VGroup(*(o.tick_labels for o in old_lines))
            new_ticks = VGroup(*(n.tick_labels for n in plain))
            undo = self.network_to(old_name, after=False, lever=old_name) if old_name else ()
            with self.replacing(VGroup(*old_lines), VGroup(*plain)):
                self.play(
                    Indicate(self.lever_home(name), color=HIGHLIGHT),
                    *(Vanish(b) for b in old_braces),
                    *undo,
                    Succession(Vanish(old_ticks), Appear(new_ticks)),  # in turn
                    *(
                        ReplacementTransform(o.without_tick_labels(), n.without_tick_labels())
                        for o, n in zip(old_lines, plain, strict=True)
                    ),
                    run_time=1.2,
                )
                self.remove(*(m for line in (*old_lines, *plain) for m in line.get_family()))
                self.add(*plain)
            home, cell = self.network_to(name, after=True, lever=name)
            old_lines = self.ripple(plain, seen, braces, {0: [home], 2: [cell]})
            old_braces, old_name = braces, name
            self.say("Their ratio reads", nudged(NudgeField.RATIO, lever=name), ".")
            # the two moves, lit on their braces, are written as the ratio's terms
            self.play(
                Indicate(braces[3][1][1], color=HIGHLIGHT, scale_factor=1),
                Indicate(braces[0][1][1], color=HIGHLIGHT, scale_factor=1),
                Write(VGroup(*ratio[:5])),
                run_time=1.3,
            )
            self.play(Write(ratio[5]), run_time=0.6)
            settled = ratio[5].text == total[-1].text
            self.say(
                "The chain rule: times the cost's slope in z,",
                gradient(lever),
                ", the same to three figures." if settled else ", close to it.",
            )
            self.play(Write(total), run_time=1.5)
            self.play(Indicate(ratio[5], color=HIGHLIGHT), Indicate(total[-1], color=HIGHLIGHT))
            self.results[name] = total[-1]
        self.lines, self.braces, self.last_lever = old_lines, old_braces, old_name

    def compare_sensitivities(self) -> None:
        self.beat("sensitivity")
        book = self.book
        levers = {name: gradient(self.lever(name)) for name in ("w", "b", "a")}
        ranked = sorted(levers, key=lambda name: -abs(book.value(levers[name])))
        largest = abs(book.value(levers[ranked[0]]))
        self.say(
            "Side by side, the three derivatives say how much the cost cares about each,"
            " and which way it moves."
        )
        name = self.last_lever
        self.play(
            *(Vanish(m) for m in (*self.lines, *self.braces)),
            *self.network_to(name, after=False, lever=name),
            run_time=0.8,
        )
        zero_x, top, bottom = BARS_X, LINE_YS[0] + 0.3, LINE_YS[3] + 0.35
        axis = Line([zero_x, top, 0], [zero_x, bottom, 0], color=GREY_B, stroke_width=2)
        scale = Line([zero_x - BAR, bottom, 0], [zero_x + BAR, bottom, 0], color=GREY_B)
        zero = Typst("0", font_size=TYPE.label, color=GREY_B).next_to(axis, DOWN, buff=0.1)
        ways = VGroup(
            Typst("C₀ falls as it grows", font_size=TYPE.label - 2, color=GREY_B),
            Typst("C₀ rises as it grows", font_size=TYPE.label - 2, color=GREY_B),
        )
        ways[0].next_to(scale, DOWN, buff=0.1).align_to(scale, LEFT)
        ways[1].next_to(scale, DOWN, buff=0.1).align_to(scale, RIGHT)
        ways.shift(DOWN * 0.3)
        results = set(map(id, self.results.values()))  # they stay, and move to the bars
        self.play(  # the derivations leave before the axis comes where they were
            *(
                Vanish(VGroup(*(p for p in row if id(p) not in results)))
                for row in self.derivations
            ),
            run_time=0.6,
        )
        self.play(Create(axis), Create(scale), Appear(zero), Appear(ways), run_time=0.8)
        self.showing(TRAINED, nudge_run())  # the derivatives alone
        rows: dict[str, VGroup] = {}  # each lever's label, bar and number
        for i, name in enumerate(ranked):
            value = book.value(levers[name])
            length = max(BAR * abs(value) / largest, 0.03)
            y = top - 0.55 - 1.0 * i
            bar = Rectangle(width=length, height=0.4, stroke_width=0)
            bar.set_fill(self.lever_color(name), opacity=0.85)
            bar.move_to([zero_x + (length / 2 if value > 0 else -length / 2), y, 0])
            label = book.row(f"(partial C_0)/(partial {self.lever_symbol(name)})", font_size=SIZE)
            label.next_to([zero_x - BAR, y, 0], LEFT, buff=0.3)
            number = book.number(levers[name], COST_APART, SIZE)
            number.next_to(bar, RIGHT if value > 0 else LEFT, buff=0.12)
            if number.get_left()[0] < zero_x - BAR:  # a long negative bar: its number inside
                number.next_to([zero_x, y, 0], RIGHT, buff=0.12)
            rows[name] = VGroup(label, bar, number)
            start = bar.copy().stretch(0.01, 0, about_point=[zero_x, y, 0])
            self.play(
                Write(label),
                TransformFromCopy(start, bar),
                ReplacementTransform(self.results[name], number),
                run_time=1.2,
            )
        first, second, third = (spoken(self.lever(name)) for name in ranked)
        self.say("It cares most about", first, ", then", second, ", then", third, ".")
        # each bar lit as it is named, largest first
        self.play(
            LaggedStart(
                *(Indicate(rows[name], color=HIGHLIGHT, scale_factor=1) for name in ranked),
                lag_ratio=0.9,
            ),
            run_time=3.6,
        )
        self.say(
            "The weight and the bias can be changed directly; the previous activation only"
            " through the weights and biases before it."
        )
        n, net = self.number, self.net
        # the two levers in reach, on their bars and on the network
        self.play(
            *(Indicate(rows[name], color=HIGHLIGHT, scale_factor=1.08) for name in ("w", "b")),
            *(Indicate(self.lever_home(name), color=HIGHLIGHT) for name in ("w", "b")),
            run_time=1.5,
        )
        self.until_word("activation")
        self.play(
            Indicate(rows["a"], color=HIGHLIGHT, scale_factor=1.08),
            Indicate(self.lever_home("a"), color=HIGHLIGHT),
            run_time=1.2,
        )
        earlier = VGroup(*net.weight_labels[: n - 1], *net.bias_labels[: n - 1])
        self.play(
            LaggedStart(
                *(Indicate(m, color=HIGHLIGHT) for m in (earlier if n > 1 else [])),
                lag_ratio=0.3,
            )
            if n > 1
            else Indicate(self.lever_home("a"), color=HIGHLIGHT),
            run_time=2.0,
        )
        self.wait(1)


def fused(group: Mobject) -> VMobject:
    """A group's glyphs as one outline, in its first glyph's style: it can morph into one
    number without its pieces crossing each other on the way."""
    parts = group.family_members_with_points()
    one = VMobject()
    for part in parts:
        one.append_points(part.points)
    return one.match_style(parts[0])


def tag(text: str) -> Typst:
    """A small grey word beside a number, saying what kind of number it is."""
    return Typst(text, font_size=TYPE.label, color=GREY_B)


def fragment(row: Mobject, first: Mobject, last: Mobject) -> tuple[VGroup, tuple]:
    """The pieces of ``row`` from ``first`` to ``last``: as mobjects, and as a row's parts
    (text or number), for the check to redo what they read as."""
    pieces = row.submobjects
    start, end = pieces.index(first), pieces.index(last) + 1
    parts = tuple(
        text if text is not None else piece
        for text, piece in zip(row.texts[start:end], pieces[start:end], strict=True)
    )
    return VGroup(*pieces[start:end]), parts


def sigmoid_change(values: list[float]) -> float:
    """a(1 − a), times the change before if given: the sigmoid's slope as a viewer redoes it."""
    return values[0] * (1 - values[0]) * math.prod(values[1:])


def miss_change(values: list[float]) -> float:
    """2(a − y), times the change before if given: the squared miss's slope, redone."""
    return 2 * (values[0] - values[1]) * math.prod(values[2:])


def over(values: list[float]) -> float:
    """The first number over the second: a ratio, as a viewer redoes it."""
    return values[0] / values[1]


def swaps(animations) -> Iterator[tuple]:
    """The (old, new) mobjects of every ReplacementTransform or ValueSwap among
    ``animations``."""
    for animation in animations:
        if isinstance(animation, ReplacementTransform):
            yield animation.mobject, animation.target_mobject
        if isinstance(animation, ValueSwap):
            yield animation.old, animation.new
        yield from swaps(getattr(animation, "animations", ()))
