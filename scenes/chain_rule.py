"""The chain rule on a chain of one neuron per layer, with every value real.

manim render scenes/chain_rule.py ChainRule          # 1080p60 into renders/
manim render -ql --save_sections scenes/chain_rule.py  # 480p, a clip per beat
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DL,
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Animation,
    AnimationGroup,
    Circle,
    Circumscribe,
    Create,
    GrowFromCenter,
    Indicate,
    LaggedStart,
    MathTypst,
    Mobject,
    MoveToTarget,
    ShowPassingFlash,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    VGroup,
    Write,
    config,
    smooth,
    squish_rate_func,
)

from bpcalc.viz import (
    ACTIVATION,
    BIAS_APART,
    COST_APART,
    DEPTH,
    HIGHLIGHT,
    MOST_FIGURES,
    MOVE_SHARE,
    NUDGE_CHANGES,
    NUDGE_STATES,
    OUTPUT,
    RIPPLE,
    STEP,
    TARGET,
    THRESHOLD,
    TRAINED,
    TYPE,
    Appear,
    NeuronChain,
    NudgeField,
    NudgeLine,
    PieceFraction,
    Q,
    Quantity,
    Row,
    StoryScene,
    TreeDiagram,
    Vanish,
    Z,
    activation,
    bias,
    cost,
    cost_slope_of,
    cost_term_of,
    detour,
    fly,
    format_value,
    glyphs,
    gradient,
    local,
    rezoom,
    rippled,
    seen_line,
    shown_value,
    sigmoid_of,
    sigmoid_slope_of,
    target,
    weight,
    weighted_input,
    weighted_input_of,
)

WORKSPACE_CENTER = [-3.0, -0.8, 0]  # formulas live left of the tree, under the corner network
WORKSPACE_WIDTH = 7.6
WORKSPACE_HEIGHT = 5.4
L = OUTPUT
COST = COST_APART  # the cost, and what it asks of each quantity: never a weight's red
BIAS = BIAS_APART  # the bias beside that pink: maroon is too near it
CLEARANCE = 0.15  # between a detouring flight and the text it goes round
STAGGER = 0.2  # share of a flight between the first of a row of flights leaving and the last
ASIDE = 0.2  # share of a flight by which the labels in its way are gone
GROW = 1.15  # a lever shown in the formula grows by this much, clear of its neighbours
HOPS = {
    "z": NudgeField.HOP_Z,
    "a": NudgeField.HOP_A,
    "C0": NudgeField.HOP_C,
}  # each hop's ratio, by where it lands
CORNER_SCALE = 0.9  # the last two neurons, in the corner while the formulas are written
LINE_LENGTH = 3.4  # the ripple's number lines: long enough for a zoomed move to fit
LINE_DROP = 0.25  # a line beside its node sits this much lower: its brace clears the top
GAP_X = -1.25  # left of the ripple's lines and their zoom tags: flights from braces turn here
TOP = config.frame_height / 2 - 0.3  # no brace above this
LINE_ROOM = 0.85  # the weight's line this far under its node: room for its brace
FORWARD_GAP = 0.6  # the forward pass, alone: this far from the frame's edges and the network
FORWARD_ASIDE = 0.8  # the formulas shrink by this much, clear of the lines
STRIP_Y = -3.75  # the bottom of the formulas' strip, under the chain rule
BLOCK_CENTER = [-3.85, -0.45, 0]  # the chain rule left of the lines, above the strip
BLOCK_WIDTH = 5.8
BLOCK_HEIGHT = 4.6
WIDE_CENTER = [-2.7, -0.55, 0]  # ... and once the lines have gone, up to the tree
WIDE_WIDTH = 8.2
WIDE_HEIGHT = 4.9
DROP = 0.6  # the weight, the previous activation and the bias come down this far onto z's formula
BOX_BUFF = 0.12  # round a product's value: its "=" stands this much further off
LEVERS_BLOCK_HEIGHT = 2.3  # the chain rule, closed up over the hops, over the levers' rows


def labelled(*parts: str | tuple[str, str]) -> MathTypst:
    """One Typst formula whose ``(typst, label)`` parts can be selected by label."""
    text = " ".join(p if isinstance(p, str) else f"{{{{ {p[0]} : {p[1]} }}}}" for p in parts)
    return MathTypst(text, font_size=TYPE.formula)


def rest_of(formula: MathTypst, *labels: str) -> VGroup:
    """The glyphs of ``formula`` outside the labelled parts."""
    taken = {id(g) for label in labels for g in glyphs(formula.select(label))}
    return VGroup(*(g for g in glyphs(formula) if id(g) not in taken))


class Factor(VGroup):
    """One column of the chain rule, one link of the tree: ``fraction`` ∂parent/∂child,
    ``hop`` (the ripple's ratio of nudges, if shown), ``formula``, ``values`` (the
    formula with numbers in; ``result`` is its value, ``sources`` the (tree node's
    quantity, number in the row) pairs that fly in)."""

    def __init__(
        self,
        fraction: PieceFraction,
        hop: VGroup | None,
        formula: MathTypst,
        values: VGroup,
        sources: list,
        result: Mobject,
    ) -> None:
        self.fraction, self.hop, self.formula, self.values = fraction, hop, formula, values
        self.sources, self.result = sources, result
        super().__init__(fraction, *([hop] if hop is not None else []), formula, values)
        self.arrange(DOWN, buff=0.35)

    @property
    def child(self) -> Quantity:
        return self.result.quantity.child

    @property
    def parent(self) -> Quantity:
        return self.result.quantity.parent


class ChainRule(StoryScene):
    """Ten beats: network, cost of everything, focus, forward formulas, tree, the ripple,
    chain rule, other levers, one layer back."""

    story = "nudge"  # the chain, and the ripple: w^(L) nudged by [nudge] delta
    story_order = 2
    title = "The chain rule, one neuron per layer"
    poster_beat = "chain-rule"  # its last frame is the poster: the ripple and its product

    def construct(self) -> None:
        # red is a negative weight's: the cost is pink, and the bias orange, apart from it
        self.book.recolored.update({"C0": COST, "b": BIAS})
        self.chain = self.book.chain
        self.show_network()
        self.cost_of_everything()
        self.focus_on_last_two()
        self.write_forward_pass()
        self.grow_tree()
        self.ripple()
        self.write_chain_rule()
        self.bias_and_previous_activation()
        self.one_layer_back()

    # helpers -----------------------------------------------------------------

    def fit_left(self, block: VGroup) -> VGroup:
        """Fit a block into the space left of the tree and under the corner network."""
        block.scale(min(1.0, WORKSPACE_WIDTH / block.width, WORKSPACE_HEIGHT / block.height))
        return block.move_to(WORKSPACE_CENTER)

    def fit_wide(self, block: VGroup) -> VGroup:
        """Fit a block across the whole frame under the corner network, at most at the
        typography's own sizes: the forward pass has the frame to itself until the tree."""
        top = self.focus.get_bottom()[1] - FORWARD_GAP
        bottom = -config.frame_height / 2 + FORWARD_GAP
        width = config.frame_width - 2 * FORWARD_GAP
        block.scale(min(1.0, width / block.width, (top - bottom) / block.height))
        return block.move_to([0, (top + bottom) / 2, 0])

    @staticmethod
    def laid_out(chain: NeuronChain) -> NeuronChain:
        """The chain across the frame: deep chains shrink to fit."""
        whole = VGroup(chain, chain.layer_labels)
        whole.scale(min(1.0, (config.frame_width - 0.8) / whole.width)).shift(DOWN * 0.2)
        return chain

    def grow_network(self) -> tuple[VGroup, Animation]:
        """The layer before joins the corner network: its neuron, weight and bias, placed
        as the focus was moved, the whole shrunk to stay left of the tree. Returns the new
        pieces (neuron, edge, weight label, bias label, layer label), in place, and the
        focus's move that makes room for them."""
        fresh = self.laid_out(NeuronChain(self.chain, self.book))
        back = VGroup(
            fresh.neurons[-3],
            fresh.edges[-2],
            fresh.weight_labels[-2],
            fresh.bias_labels[-2],
            fresh.layer_labels[-3],
        )
        back.scale(CORNER_SCALE, about_point=self.corner_home).shift(self.corner_shift)
        whole = VGroup(back, self.focus)
        # room left of the first neuron for its label to go down round it into the tree
        margin = back[4].width + 2 * CLEARANCE
        corner = [-config.frame_width / 2 + 0.35 + margin, config.frame_height / 2 - 0.35, 0]
        room = self.tree.get_left()[0] - CLEARANCE - corner[0]
        factor, anchor = min(1.0, room / whole.width), whole.get_corner(UL)
        back.scale(factor, about_point=anchor).shift(corner - anchor)
        return back, self.focus.animate.scale(factor, about_point=anchor).shift(corner - anchor)

    def into_tree(
        self, symbol: Mobject, value: Mobject, node: VGroup, bottom: float, around=None
    ) -> list:
        """A network label's symbol and value fly into their new tree node: down under the
        network (round the left of the neuron ``around``, whose label it is), along under
        it to the gap left of the tree, down it and in along the node's row, the value
        under the symbol as in the node, the two in step."""
        drop = node[0].get_y() - node[1].get_y()
        lane = bottom - CLEARANCE - symbol.height / 2
        widest = max(symbol.width, value.width, node[0].width, node[1].width)
        gap = self.tree.get_left()[0] - CLEARANCE - widest / 2
        high, low = (
            [[gap, lane, 0], [gap, node[0].get_y(), 0]],
            [
                [gap, lane - drop, 0],
                [gap, node[1].get_y(), 0],
            ],
        )
        if around is not None:
            x = around.get_left()[0] - symbol.width / 2 - CLEARANCE
            ups = [[x, symbol.get_y(), 0], [x, lane, 0]]
            downs = [value.get_center(), [value.get_x(), lane - drop, 0]]
        else:
            ups = [[symbol.get_x(), lane, 0]]
            downs = [[value.get_x(), lane - drop, 0]]
        return [fly(symbol, node[0], stops=ups + high), fly(value, node[1], stops=downs + low)]

    def settle(self, *mobjects: Mobject) -> None:
        """After flights into parts of formulas: each formula on screen once, whole."""
        self.remove(*(m for mobject in mobjects for m in mobject.get_family()))
        self.add(*mobjects)

    def color(self, quantity: Quantity):
        """The palette colour of a chain quantity (weights by sign)."""
        return self.book.color(quantity)

    def round_left(self, source: Mobject, target: Mobject, obstacle: Mobject):
        """A path from ``source`` to ``target`` out to the left of ``obstacle``, along it
        and in again (its stops): clear of its text."""
        x = obstacle.get_left()[0] - max(source.width, target.width) / 2 - CLEARANCE
        return [[x, source.get_y(), 0], [x, target.get_y(), 0]]

    @staticmethod
    def name_change(node: VGroup, brace: VGroup) -> AnimationGroup:
        """The node's symbol flies into its brace's ``Δ… =``; the Δ and = are written. A
        brace under its node: the symbol goes down round the left of the node's value."""
        text = glyphs(brace[1][0])
        symbol, value = node
        stops = []
        if brace.get_top()[1] < value.get_bottom()[1]:
            x = value.get_left()[0] - symbol.width / 2 - CLEARANCE
            stops = [[x, symbol.get_y(), 0], [x, value.get_y(), 0]]
        return AnimationGroup(
            fly(symbol, VGroup(*text[1:-1]), stops=stops),
            Write(VGroup(text[0], text[-1])),
            run_time=1.0,
        )

    @staticmethod
    def from_brace(source: Mobject, target: Mobject) -> AnimationGroup:
        """A brace's text flies to the chain rule: left along its own height, clear of the
        lines' zoom tags and tick labels under it, to the gap left of them, then on."""
        return fly(source, target, stops=[[GAP_X, source.get_y(), 0]])

    def light_path(self, start: Quantity) -> list:
        return [edge.animate.set_stroke(HIGHLIGHT, width=6) for edge in self.tree.path(start)]

    def dim_path(self, start: Quantity) -> list:
        return [
            edge.animate.set_stroke(self.edge_color, width=2.5) for edge in self.tree.path(start)
        ]

    def rises(self, change: Quantity) -> str:
        return "rises" if self.book.value(change) > 0 else "falls"

    def advice(self, start: Quantity) -> str:
        """What the sign of ∂C0/∂start says to do, in words."""
        way = "increase" if self.book.value(gradient(start)) < 0 else "decrease"
        sign = "Negative" if way == "increase" else "Positive"
        return f"{sign}: to lower the cost, {way} it."

    def factor_formula(self, child: Quantity, parent: Quantity) -> MathTypst:
        """The local derivative ∂parent/∂child written out, its symbols labelled by the
        tree nodes they come from: a, σ′(z), w, 1 or 2(a − y)."""
        if parent.symbol == "C0":
            formula = labelled("2(", (self.sym(child), "a"), "-", ("y", "y"), ")")
            formula.select("y").set_color(TARGET)
        elif parent.symbol == "a":
            formula = labelled("sigma'(", (self.sym(child), "z"), ")")
            formula.select("z").set_color(Z)
        elif (feeding := self.feeding(child, parent)) is not None:
            formula = labelled((self.sym(feeding), "f"))
            formula.select("f").set_color(self.color(feeding))
        else:
            formula = labelled("1")
        return formula.scale(TYPE.body / TYPE.formula)

    @staticmethod
    def feeding(child: Quantity, parent: Quantity) -> Quantity | None:
        """What ∂z/∂child equals, for z's children: the activation a weight multiplies, the
        weight an activation is multiplied by; none for the bias (its slope is 1)."""
        if child.symbol == "w":
            return activation(parent.layer - 1)
        if child.symbol == "a":
            return weight(parent.layer)
        return None

    def factor_values(
        self, child: Quantity, parent: Quantity, figures: int
    ) -> tuple[VGroup, list, Mobject]:
        """The factor's formula with the network's values in it, and its value (with
        ``figures``, for the product to be redone on screen): the row, the (tree node's
        quantity, number in the row) pairs that fly in, and the result."""
        slope = Q(local(parent, child), significant=figures)
        size = TYPE.body
        if parent.symbol in ("C0", "a"):  # the row is redone on its digits: as many as that takes
            inputs, combine = (
                ([child, target()], cost_slope_of)
                if parent.symbol == "C0"
                else ([child], sigmoid_slope_of)
            )
            needed = self.book.figures_to_compose(
                inputs, combine, slope.quantity, result_figures=figures, least=figures
            )
            given = Q(child, significant=needed)
        if parent.symbol == "C0":
            row = self.book.row("2(", given, "-", target(), ") =", slope, font_size=size)
            result = row.of(slope.quantity)
            return row, [(child, row.of(child)), (target(), row.of(target()))], result
        if parent.symbol == "a":
            row = self.book.row("sigma'(", given, ") =", slope, font_size=size)
            return row, [(child, row.of(child))], row.of(slope.quantity)
        row = self.book.row(slope, font_size=size)
        feeding, result = self.feeding(child, parent), row.of(slope.quantity)
        return row, [(feeding, result)] if feeding is not None else [], result

    def fraction(self, top: Quantity, bottom: Quantity, delta: bool = False) -> PieceFraction:
        """∂top/∂bottom, or the ratio of nudges Δtop/Δbottom, smaller."""
        mark, size = ("Delta", TYPE.number) if delta else ("partial", TYPE.formula)
        return PieceFraction(
            f"{mark} {self.sym(top)}",
            f"{mark} {self.sym(bottom)}",
            font_size=size,
            colors=(self.color(top), self.color(bottom)),
        )

    def lever_figures(self, *levers: Quantity) -> int:
        """One count of figures for the factors of each lever's chain rule, so that each
        product, redone on the factors as shown, gives its derivative as shown."""
        rows = [
            ([local(p, c) for c, p in self.tree.path_quantities(lever)], gradient(lever))
            for lever in levers
        ]
        return self.book.column_figures_to_compose(rows, math.prod)

    def chain_rule_block(
        self, start: Quantity, hops: bool = False, figures: int | None = None
    ) -> VGroup:
        """∂C0/∂start = fractions (over their hops' ratios of nudges, if ``hops``), over
        their formulas, over their values, then the product.

        One :class:`Factor` per edge of the tree's path from ``start`` up to C0. Parts:
        ``[0]`` the left side (fraction, ``=``), ``[1]`` the factors, ``[2]`` the product
        from backprop, ``[3]`` its box.
        """
        columns = VGroup()
        figures = figures or self.lever_figures(start)
        hop_figures = self.hop_figures  # the braces' changes divided, as shown
        for child, parent in self.tree.path_quantities(start):
            hop = None
            if hops:
                number = self.book.number(
                    rippled(HOPS[parent.symbol]), None, TYPE.number, hop_figures
                )
                equals = MathTypst("=", font_size=TYPE.number)
                hop = VGroup(self.fraction(parent, child, delta=True), equals, number)
                hop.arrange(RIGHT, buff=0.12)
            values, sources, result = self.factor_values(child, parent, figures)
            columns.add(
                Factor(
                    self.fraction(parent, child),
                    hop,
                    self.factor_formula(child, parent),
                    values,
                    sources,
                    result,
                )
            )
        columns.arrange(RIGHT, buff=0.45, aligned_edge=UP)
        for row in range(len(columns[0].submobjects)):  # each row on one line
            for column in columns:
                column[row].match_y(columns[0][row])
        head = VGroup(self.fraction(cost(), start), MathTypst("=", font_size=TYPE.formula))
        head.arrange(RIGHT, buff=0.25).next_to(columns[0].fraction, LEFT, buff=0.3)
        product = self.product_row(columns, start)
        product.next_to(columns, RIGHT, buff=0.4).match_y(columns[-1].values)
        width = WIDE_WIDTH if hops else WORKSPACE_WIDTH  # hops: it grows once the lines go
        # long chains: the product under; the left side stays on the fractions' line, and
        # the whole shrinks to fit
        if VGroup(head, columns, product).width > width:
            # clear of the box round the reused factors over it, and of its own
            product.next_to(columns, DOWN, buff=0.75).align_to(columns, RIGHT)
        box = SurroundingRectangle(product.of(gradient(start)), color=HIGHLIGHT, buff=BOX_BUFF)
        self.book.relation(
            "product",
            [local(parent, child) for child, parent in self.tree.path_quantities(start)],
            gradient(start),
        )
        self.book.relation_on_screen(
            "product",
            [product.of(c.result.quantity) for c in columns],
            product.of(gradient(start)),
        )
        block = VGroup(head, columns, product, box)
        return block if hops else self.fit_left(block)

    def product_row(self, columns: VGroup, start: Quantity) -> Row:
        """``= f1 · f2 · … = ∂C0/∂start``: the factors' values written out, as the levers'
        rows write theirs, each with the figures its column shows (negatives bracketed)."""
        parts: list[str | Q] = ["="]
        for k, column in enumerate(columns):
            value = column.result
            negative = self.book.value(value.quantity) < 0
            if k:
                parts.append("dot (" if negative else "dot")
            parts.append(Q(value.quantity, significant=value.significant))
            if k and negative:
                parts.append(")")
        parts += ["=", Q(gradient(start), COST)]
        merged: list[str | Q] = []
        for part in parts:  # neighbouring text as one piece: ") =" as the levers' rows have it
            if merged and isinstance(part, str) and isinstance(merged[-1], str):
                merged[-1] = f"{merged[-1]} {part}"
            else:
                merged.append(part)
        row = self.book.row(*merged, font_size=TYPE.body)
        row[-1].shift(RIGHT * BOX_BUFF)  # room for its box clear of the "="
        return row

    def measured_ratio(self, block: VGroup) -> Row:
        """ΔC0/Δw^(L) = the ratio of the ripple's nudges (the hops' product), under the
        product of the derivatives it is compared with."""
        row = self.book.row(
            f"(Delta {self.sym(cost())})/(Delta {self.sym(weight(L))}) =",
            Q(rippled(NudgeField.RATIO), COST, significant=self.ratio_figures),
            font_size=TYPE.body,
        )
        # under the product it is compared with
        row.next_to(block[2], DOWN, buff=0.4).align_to(block[2], RIGHT)
        whole = VGroup(block, row)
        whole.scale(min(1.0, BLOCK_WIDTH / whole.width, BLOCK_HEIGHT / whole.height))
        whole.move_to(BLOCK_CENTER)
        return row

    def figures_of_ripple(self) -> tuple[int, int, bool]:
        """Figures for the ripple's changes Δw, Δz, Δa, ΔC0 on the braces and for its hops'
        ratios: the fewest for the hops, then for the braces (as many or more), at which
        each hop is its two braces' quotient as shown, and the hops' product and ΔC0 over
        Δw both the measured ratio as shown (three figures); and whether such counts were
        found (else the fewest at which the hops give the ratio, for both)."""
        book = self.book
        changes, hops = list(NUDGE_CHANGES), list(HOPS.values())
        whole = format_value(book.value(rippled(NudgeField.RATIO)))
        for hop_figures in range(3, MOST_FIGURES + 1):
            hop_read = [shown_value(book.value(rippled(h)), hop_figures) for h in hops]
            if format_value(math.prod(hop_read)) != whole:
                continue
            hop_text = [format_value(book.value(rippled(h)), hop_figures) for h in hops]
            for figures in range(hop_figures, MOST_FIGURES + 1):
                read = [shown_value(book.value(rippled(c)), figures) for c in changes]
                quotients = [
                    format_value(read[k + 1] / read[k], hop_figures) for k in range(len(hops))
                ]
                if quotients == hop_text and format_value(read[-1] / read[0]) == whole:
                    return figures, hop_figures, True
        figures = book.figures_to_compose(
            [rippled(h) for h in hops], math.prod, rippled(NudgeField.RATIO)
        )
        return figures, figures, False

    def forward_figures(self) -> tuple[int, int, int]:
        """Figures for the forward rows, from the cost back: the output with enough for
        (a − y)² as shown to give the cost as shown, z with enough for σ(z) to give the
        output as shown, and w, a^(L−1), b with enough for w·a + b to give z as shown."""
        book = self.book
        z, a = weighted_input(L), activation(L)
        f3 = book.figures_to_compose([a, target()], cost_term_of, cost())
        f2 = book.figures_to_compose([z], sigmoid_of, a, result_figures=f3, least=f3)
        f1 = book.figures_to_compose(
            [weight(L), activation(L - 1), bias(L)],
            weighted_input_of,
            z,
            result_figures=f2,
            least=f2,
        )
        return f1, f2, f3

    def factor_words(self, child: Quantity, parent: Quantity) -> str:
        """What a factor's formula says, in words, before its value."""
        if parent.symbol == "C0":
            return "The cost's slope in the output is twice the miss,"
        if parent.symbol == "a":
            return "The sigmoid's slope at z,"
        lever = {"w": "weight", "a": "previous activation", "b": "bias"}[child.symbol]
        what = {"w": "the activation it multiplies", "a": "the weight", "b": "one"}[child.symbol]
        return f"z's slope in its {lever} is {what},"

    def from_tree(self, quantity: Quantity, landing: Mobject, part: int = 1) -> AnimationGroup:
        """A tree node's value (``part`` 1; 0: its symbol) flies into the chain rule, clear
        of the other nodes: out of the tree along a lane (left at its own height; a node
        with one left of it in its row: a value under its row, a symbol over it; y over
        a's head), to the gap left of the tree, along it to the landing's height, then
        into place."""
        nodes = self.tree.nodes
        value = nodes[quantity][part]
        gap = self.tree.get_left()[0] - value.width / 2 - CLEARANCE
        x, y = value.get_x(), value.get_y()
        row = [q for q, n in nodes.items() if abs(n[0].get_y() - nodes[quantity][0].get_y()) < 0.01]
        if quantity == target():  # out to its right, up over a's head, then left
            lane = (nodes[cost()][1].get_bottom()[1] + nodes[activation(L)][0].get_top()[1]) / 2
            out = value.get_right()[0] + value.width / 2 + CLEARANCE
            stops = [[out, y, 0], [out, lane, 0], [gap, lane, 0]]
        elif any(nodes[q].get_x() < nodes[quantity].get_x() - 0.1 for q in row):
            if part == 1:  # under its row
                lane = nodes[quantity].get_bottom()[1] - value.height / 2 - CLEARANCE
            else:  # over its row
                lane = value.get_top()[1] + value.height / 2 + CLEARANCE / 2
            stops = [[x, lane, 0], [gap, lane, 0]]
        else:
            stops = [[gap, y, 0]]
        return fly(value, landing, stops=[*stops, [gap, landing.get_y(), 0]])

    def round_measured(self, source: Mobject, landing: Mobject) -> list:
        """Stops for a formula flying up from the strip into the chain rule past the
        measured ratio under it: out right of the ratio, over it (where the product will
        be written), then up into place. None if its way is clear."""
        measured = getattr(self, "measured", None)
        if measured is None:
            return []
        half = max(source.width, landing.width) / 2
        low, high = sorted((source.get_x(), landing.get_x()))
        if high + half < measured.get_left()[0] or low - half > measured.get_right()[0]:
            return []
        x = measured.get_right()[0] + half + CLEARANCE
        lane = measured.get_top()[1] + source.height / 2 + CLEARANCE
        return [[x, source.get_y(), 0], [x, lane, 0], [landing.get_x(), lane, 0]]

    def show_factors(
        self,
        block: VGroup,
        sources: dict[Quantity, Mobject] | None,
        told: set | None = None,
        product_words: tuple[str | Quantity | Q, ...] = (),
    ) -> None:
        """Each factor, then their product, each derived: its formula written from
        ``sources[parent]`` (the right side of the formula it differentiates) or, without
        ``sources`` (the layer before: the same formulas again), from the tree's symbols
        flying into it; the tree's values flying into it, then its value. Factors in
        ``told`` (all if None) are said one by one, the others (known already) in one line;
        ``product_words`` are said as the factors fly into their product."""
        _, columns, product, box = block
        again = [c for c in columns if told is not None and (c.child, c.parent) not in told]
        for column in columns:
            child, parent = column.child, column.parent
            said = told is None or (child, parent) in told
            # with the figures the screen shows them with
            if said:
                slope = Q(local(parent, child), significant=column.result.significant)
                self.say(self.factor_words(child, parent), slope, ".")
            elif column is again[0]:
                values = [Q(c.result.quantity, significant=c.result.significant) for c in again]
                listed: list[str | Quantity | Q] = [values[0]]
                for k, value in enumerate(values[1:], start=2):
                    listed += [" and" if k == len(values) else ",", value]
                self.say("The boxed factors are the last weight's again:", *listed, ".")
            formula = column.formula
            if sources is None:
                self.formula_from_tree(column)
            else:
                self.formula_from(column, sources[parent])
            self.settle(formula)
            moved = {id(landing) for _, landing in column.sources}
            text = VGroup(
                *(p for p in column.values if id(p) not in moved and p is not column.result)
            )
            self.play(
                LaggedStart(*(self.from_tree(q, t) for q, t in column.sources), lag_ratio=0.2),
                *([Write(text)] if len(text) else []),
                *([] if column.sources else [Appear(column.result)]),
                run_time=1.3 if said else 1.0,
            )
            if column.sources and any(column.result is not t for _, t in column.sources):
                self.play(Appear(column.result, shift=RIGHT * 0.15), run_time=0.5)
            self.settle(column.values)
            self.wait(0.6 if said else 0.2)
        if product_words:
            self.say(*product_words)
        self.into_product(columns, product, box)

    def formula_from_tree(self, column: Factor) -> None:
        """A factor's formula from the tree: the symbols it names fly out of their nodes
        (2(a − y): a and y; σ′(z): z; a weight's or activation's: that one), the rest is
        written."""
        formula, child, parent = column.formula, column.child, column.parent
        if parent.symbol == "C0":
            named = {"a": child, "y": target()}
        elif parent.symbol == "a":
            named = {"z": child}
        elif (feeding := self.feeding(child, parent)) is not None:
            named = {"f": feeding}
        else:
            named = {}
        rest = rest_of(formula, *named)
        self.play(
            *(self.from_tree(q, formula.select(label), part=0) for label, q in named.items()),
            *([Write(rest)] if len(rest) else []),
            run_time=1.0,
        )

    def formula_from(self, column: Factor, source: Mobject) -> None:
        """A factor's formula from the right side of the formula it differentiates."""
        formula, parent = column.formula, column.parent
        theirs = glyphs(formula)
        ours = glyphs(source)
        if parent.symbol == "C0":  # the square's 2 comes down in front
            ours = [ours[-1], *ours[:-1]]
        if parent.symbol == "a":  # σ(z) becomes σ′(z): the prime is new
            landing, extra = VGroup(theirs[0], *theirs[2:]), VGroup(theirs[1])
        else:
            landing, extra = formula, VGroup()
        self.play(
            fly(VGroup(*ours), landing, stops=self.round_measured(VGroup(*ours), landing)),
            *([Appear(extra)] if len(extra) else []),
            run_time=1.0,
        )

    def into_product(self, columns: VGroup, product: Row, box: Mobject) -> None:
        """Every factor's value flies into its place in the product, which is then
        written out and boxed."""
        slots = [product.of(c.result.quantity) for c in columns]
        value = product[-1]
        # down under its line's row of values first (the factors may take two lines),
        # never across another factor's: a line over another goes round its right
        lines = sorted({round(c.values.get_y(), 2) for c in columns}, reverse=True)
        near = product.get_top()[1] + CLEARANCE + product.height / 2  # over the product

        def lane(column: Factor) -> float:
            line = [c for c in columns if abs(c.values.get_y() - column.values.get_y()) < 0.01]
            return min(c.values.get_bottom()[1] for c in line) - CLEARANCE - product.height / 2

        def stops(column: Factor, slot: Mobject) -> list:
            source, low = column.result, lane(column)
            if product.get_top()[1] > low or round(column.values.get_y(), 2) == lines[-1]:
                return [[source.get_x(), low, 0], [slot.get_x(), low, 0]]
            x = VGroup(columns, product).get_right()[0] + source.width / 2 + 2 * CLEARANCE
            return [
                [source.get_x(), low, 0],
                [x, low, 0],
                [x, near, 0],
                [slot.get_x(), near, 0],
            ]

        text = VGroup(*(p for p in product if p is not value and all(p is not s for s in slots)))
        # each copy leaves from over its value: the two may overlap as it goes
        with self.replacing(VGroup(*(c.result for c in columns)), VGroup(*slots)):
            self.play(
                LaggedStart(
                    *(
                        fly(c.result, slot, stops=stops(c, slot))
                        # the nearest the product first: none passes where one still waits
                        for c, slot in reversed(list(zip(columns, slots, strict=True)))
                    ),
                    lag_ratio=0.4,
                ),
                Write(text),
                run_time=1.8,
            )
        self.play(Appear(value, shift=RIGHT * 0.15), run_time=0.5)
        self.settle(product)
        self.play(Create(box), run_time=0.6)

    # beats -------------------------------------------------------------------

    def show_network(self) -> None:
        self.beat("network")
        depth = self.book.count(DEPTH)
        self.net = chain = self.laid_out(NeuronChain(self.chain, self.book))
        self.heading = self.caption(
            "One neuron per layer, after",
            STEP,
            "steps of learning to fire when $x >=$",
            THRESHOLD,
        ).shift(DOWN * 0.2)
        self.say(
            "One neuron per layer, after",
            STEP,
            "steps of learning to fire when its input reaches",
            THRESHOLD,
            ".",
        )
        self.play(Appear(self.heading))
        self.play(LaggedStart(*(Appear(n) for n in chain.neurons), lag_ratio=0.3))
        self.play(*(Create(e) for e in chain.edges), Appear(chain.weight_labels))
        self.say(
            "Fed the input",
            activation(L - depth),
            ", it outputs",
            activation(L),
            "; the desired output is",
            target(),
            ".",
        )
        # each named as it is said: the input's neuron, the output's, then the target
        self.play(Appear(chain.bias_labels), run_time=0.8)
        self.until_word("input")
        self.play(Indicate(chain.neurons[0], color=HIGHLIGHT, scale_factor=1.2), run_time=1.0)
        self.until_word("outputs")
        self.play(Indicate(chain.neurons[-1], color=HIGHLIGHT, scale_factor=1.2), run_time=1.0)
        self.until_word("desired")
        self.play(Appear(chain.y_label), run_time=0.8)
        self.play(Indicate(chain.y_label, color=HIGHLIGHT), run_time=1.0)

    def cost_of_everything(self) -> None:
        self.beat("cost-of-everything")
        chain, depth = self.net, self.book.count(DEPTH)
        layers = [L - back for back in reversed(range(depth))]  # first to last
        levers = [q for layer in layers for q in (weight(layer), bias(layer))]
        parts: list[str | tuple[str, str]] = [("C_0", "c"), "("]
        for i, q in enumerate(levers):
            parts += [(self.sym(q), f"p{i}"), "," if i < len(levers) - 1 else ")"]
        formula = labelled(*parts)
        formula.select("c").set_color(COST)
        for i, q in enumerate(levers):
            formula.select(f"p{i}").set_color(self.color(q))
        # weights' values on one line, biases' on the next: wide numbers never touch
        values = VGroup(
            *(
                self.book.number(q, font_size=TYPE.label).next_to(
                    formula.select(f"p{i}"), DOWN, buff=0.25 if q.symbol == "w" else 0.6
                )
                for i, q in enumerate(levers)
            )
        )
        for value in values:
            value.set_y(formula.get_bottom()[1] - (0.3 if value.quantity.symbol == "w" else 0.7))
        equals = self.book.row("=", Q(cost(), COST), font_size=TYPE.formula)
        equals.next_to(formula, RIGHT, buff=0.2)
        whole = VGroup(formula, values, equals)
        whole.scale(min(1.0, (config.frame_width - 1) / whole.width)).move_to(UP * 1.9)
        labels = [
            chain.weight_labels[i // 2] if q.symbol == "w" else chain.bias_labels[i // 2]
            for i, q in enumerate(levers)
        ]
        rest = rest_of(formula, *(f"p{i}" for i in range(len(levers))))

        # the labels fly up as their dependence is said, the cost written as it is said
        self.say("The cost depends on every weight and bias: on this input it is", cost(), ".")
        pairs = [
            [(formula.select(f"p{i}"), label[0]), (values[i], label[1])]
            for i, label in enumerate(labels)
        ]
        # the biases come up from under the network through the gaps beside their neurons,
        # the weights' labels (gone up into the formula) out of their way
        routes = [
            self.under_the_network(pair, label, chain.edges[i // 2])
            if q.symbol == "b"
            else [[], []]
            for i, (q, pair, label) in enumerate(zip(levers, pairs, labels, strict=True))
        ]
        signs = {  # each label's "=": its symbol and value leave it, and it goes
            kind: VGroup(
                *(
                    g
                    for i, (q, label) in enumerate(zip(levers, labels, strict=True))
                    if q.symbol == kind
                    for g in glyphs(label[0])[len(glyphs(formula.select(f"p{i}"))) :]
                )
            )
            for kind in ("w", "b")
        }
        for kind in ("w", "b"):
            # the labels themselves lift off (never a copy left behind): gone from the
            # network, their "=" fades while the symbols and values fly
            self.remove(
                *(label for q, label in zip(levers, labels, strict=True) if q.symbol == kind)
            )
            self.add(signs[kind])
            self.play(
                Vanish(signs[kind], rate_func=squish_rate_func(smooth, 0, ASIDE)),
                LaggedStart(
                    *(
                        AnimationGroup(
                            *(
                                fly(home, piece, stops=stops[::-1])
                                for (piece, home), stops in zip(pair, route, strict=True)
                            )
                        )
                        for q, pair, route in zip(levers, pairs, routes, strict=True)
                        if q.symbol == kind
                    ),
                    # however many levers, the last leaves its label before the middle
                    lag_ratio=STAGGER / max(1, depth - 1),
                ),
                run_time=1.8,
            )
        self.play(Write(rest))
        self.until_word(cost())
        self.play(Write(equals))
        self.settle(formula, values, equals)
        self.say("Each of them is an input of the cost: it is a function of all of them.")
        arguments = [VGroup(formula.select(f"p{i}"), values[i]) for i in range(len(levers))]
        self.play(
            LaggedStart(*(Indicate(a, scale_factor=GROW) for a in arguments), lag_ratio=0.15),
            run_time=2.5,
        )
        self.wait(0.5)
        self.say("Back they go: first, how the cost feels the last weight.")
        # the biases first, while the weights are still up: down through the gap beside
        # their neuron, under the network and up into place; then the weights
        back: dict[str, list] = {"w": [], "b": []}
        for i, (q, label) in enumerate(zip(levers, labels, strict=True)):
            symbol = formula.select(f"p{i}")
            home = VGroup(*glyphs(label[0])[: len(glyphs(symbol))]).copy()
            pair = [(symbol, home), (values[i], label[1].copy())]
            back[q.symbol] += [
                Transform(piece, place, remover=True, path_func=detour(piece, place, stops))
                for (piece, place), stops in zip(pair, routes[i], strict=True)
            ]
        self.play(*back["b"], Appear(signs["b"]), Vanish(rest), Vanish(equals), run_time=2)
        self.remove(signs["b"])
        self.add(chain.bias_labels)
        self.play(*back["w"], Appear(signs["w"]), run_time=1)
        self.remove(formula, values, signs["w"])
        self.add(chain.weight_labels)
        self.wait(0.5)

    def under_the_network(self, pair: list, label: VGroup, edge: Mobject) -> list[list]:
        """Stops for a bias's symbol and value from the formula back to ``label`` under
        its neuron: down through the gap of ``edge`` (its weight's label out of the way),
        on under the bias labels, and up into place, stacked as in the formula until
        under it. Reversed, the way up."""
        stack = VGroup(*(piece for piece, _ in pair))
        low = label.get_bottom()[1] - stack.height / 2 - CLEARANCE
        gap = [edge.get_center()[0], edge.get_center()[1], 0]
        routes = []
        for piece, place in pair:
            offset = piece.get_center() - stack.get_center()
            under = place.get_center() + [0, low - label.get_y(), 0]
            # first straight down, the symbol to its value's line: clear of the weights'
            drop = piece.get_center() + [0, pair[1][0].get_y() - pair[0][0].get_y(), 0]
            stops = [drop, gap + offset, [gap[0], low, 0] + offset, under]
            routes.append(stops)
        return routes

    def focus_on_last_two(self) -> None:
        self.beat("focus")
        chain = self.net
        earlier = VGroup(
            *chain.neurons[:-2],
            *chain.edges[:-1],
            *chain.weight_labels[:-1],
            *chain.bias_labels[:-1],
            *chain.layer_labels[:-2],
        )
        self.say("Look at the last two neurons. The superscripts name layers, not powers.")
        self.play(earlier.animate.set_opacity(0.2), Appear(chain.layer_labels[-2:]))
        # each superscript lights in turn, the layer it names with it: (L−1), then (L)
        edge = chain.edges[-1].copy().set_stroke(HIGHLIGHT, width=6)
        ring = {"shape": Circle, "color": HIGHLIGHT, "fade_out": True}
        supers = [
            (VGroup(*glyphs(chain.layer_labels[-2])[1:]), Circumscribe(chain.neurons[-2], **ring)),
            (
                VGroup(*glyphs(chain.weight_labels[-1][0])[1:-1]),
                ShowPassingFlash(edge, time_width=0.6),
            ),
            (VGroup(*glyphs(chain.layer_labels[-1])[1:]), Circumscribe(chain.neurons[-1], **ring)),
            (
                VGroup(*glyphs(chain.bias_labels[-1][0])[1:-1]),
                Circumscribe(chain.neurons[-1], **ring),
            ),
        ]
        self.play(
            LaggedStart(
                *(
                    AnimationGroup(
                        Indicate(sup, color=HIGHLIGHT, scale_factor=1.4),
                        part,
                    )
                    for sup, part in supers
                ),
                lag_ratio=0.6,
            ),
            run_time=3.5,
        )
        a, y = self.book.value(activation(L)), self.book.value(target())
        self.say(
            "The output",
            activation(L),
            "is",
            "below" if a < y else "above",
            "the desired",
            target(),
            ".",
        )
        self.play(
            LaggedStart(
                Indicate(chain.neurons[-1][1], color=HIGHLIGHT, scale_factor=1.3),
                Indicate(chain.y_label, color=HIGHLIGHT, scale_factor=1.2),
                lag_ratio=0.6,
            ),
            run_time=2.5,
        )
        self.focus = VGroup(
            *chain.last_two(),
            *chain.layer_labels[-2:],
            chain.weight_labels[-1],
            chain.bias_labels[-1],
        )
        home = self.focus.get_center()
        # the heading and the earlier layers are gone before the focus rises through them
        self.play(
            Vanish(self.heading, rate_func=squish_rate_func(smooth, 0, 0.35)),
            Vanish(earlier, rate_func=squish_rate_func(smooth, 0, 0.35)),
            self.focus.animate(rate_func=squish_rate_func(smooth, 0.35, 1))
            .scale(CORNER_SCALE)
            .to_corner(UL, buff=0.35),
            run_time=1.6,
        )
        self.corner_shift = self.focus.get_center() - home
        self.corner_home = home
        self.wait(0.5)  # a settled frame to end the section on

    def write_forward_pass(self) -> None:
        self.beat("forward-pass")
        chain = self.net
        z, w, a_prev, b, a, y, c = (
            weighted_input(L),
            weight(L),
            activation(L - 1),
            bias(L),
            activation(L),
            target(),
            cost(),
        )
        size = TYPE.body
        formulas = [
            labelled(
                (self.sym(z), "z"),
                "=",
                (self.sym(w), "w"),
                (self.sym(a_prev), "ap"),
                "+",
                (self.sym(b), "b"),
            ),
            labelled((self.sym(a), "a"), "= sigma(", (self.sym(z), "z"), ")"),
            labelled(("C_0", "c"), "= (", (self.sym(a), "a"), "-", ("y", "y"), ")^2"),
        ]
        colors = ({"z": Z, "w": self.color(w), "b": BIAS}, {"z": Z}, {"y": TARGET, "c": COST})
        for formula, coloring in zip(formulas, colors, strict=True):
            for label, color in coloring.items():
                formula.select(label).set_color(color)
        f1, f2, f3 = figures = self.forward_figures()
        rows = [
            self.book.row(
                "= (",
                Q(w, significant=f1),
                ")(",
                Q(a_prev, significant=f1),
                ") +",
                Q(b, significant=f1),
                "=",
                Q(z, significant=f2),
                font_size=size,
            ),
            self.book.row(
                "= sigma(",
                Q(z, significant=f2),
                ") =",
                Q(a, significant=f3),
                font_size=size,
            ),
            self.book.row("= (", Q(a, significant=f3), "-", y, ")^2 =", c, font_size=size),
        ]
        self.forward = VGroup()
        for symbolic, numbers in zip(formulas, rows, strict=True):
            # one line each: the numbers come down from the network beside the symbols,
            # never across them
            self.forward.add(VGroup(symbolic, numbers).arrange(RIGHT, buff=0.16))
        self.fit_wide(self.forward.arrange(DOWN, aligned_edge=LEFT, buff=0.6))
        (f1, f2, f3), (r1, r2, r3) = formulas, rows
        # where each symbol and number comes from: the network, then the formula above
        flights = [
            (
                [
                    (chain.weight_labels[-1][0], f1.select("w")),
                    (chain.layer_labels[-2], f1.select("ap")),
                    (chain.bias_labels[-1][0], f1.select("b")),
                ],
                [
                    (chain.weight_labels[-1][1], r1.of(w)),
                    (chain.neurons[-2][1], r1.of(a_prev)),
                    (chain.bias_labels[-1][1], r1.of(b)),
                ],
            ),
            (
                [(chain.layer_labels[-1], f2.select("a")), (f1.select("z"), f2.select("z"))],
                [(r1.of(z), r2.of(z))],
            ),
            (
                [(f2.select("a"), f3.select("a")), (chain.y_label[0], f3.select("y"))],
                [
                    (r2.of(a), r3.of(a)),
                    (chain.y_label[1], r3.of(y)),
                ],
            ),
        ]
        lines = [
            (
                "The weight times the previous activation, plus the bias, gives the weighted input",
                Q(z, significant=figures[1]),  # said with the figures its row shows
            ),
            ("The sigmoid squashes it into the output", Q(a, significant=figures[2])),
            ("The cost is the squared miss from the desired output:", c),
        ]
        labels = (("w", "ap", "b"), ("a", "z"), ("a", "y"))
        for formula, numbers, (symbols, values), words, taken in zip(
            formulas, rows, flights, lines, labels, strict=True
        ):
            self.say(*words, ".")
            if formula is f1:  # from the network: each comes down onto its place, in turn
                # (the previous activation starts left of the weight and lands right of it)
                self.play(
                    LaggedStart(
                        *(
                            fly(s, t, stops=[[t.get_x(), t.get_top()[1] + DROP, 0]])
                            if s is chain.layer_labels[-2]
                            else fly(s, t)
                            for s, t in symbols
                        ),
                        lag_ratio=STAGGER,
                    ),
                    run_time=1.5,
                )
            else:
                self.play(*(fly(s, t) for s, t in symbols), run_time=1.2)
            self.play(Write(rest_of(formula, *taken)), run_time=0.8)
            self.settle(formula)
            moved = {id(t) for _, t in values}
            self.play(
                # staggered in the row's order: their paths cross (the neuron's value,
                # left in the network, lands right of the weight's), never at one time
                LaggedStart(*(fly(s, t) for s, t in values), lag_ratio=STAGGER),
                Appear(VGroup(*(p for p in numbers if id(p) not in moved)), shift=RIGHT * 0.2),
                run_time=1.2,
            )
            self.settle(numbers)
            self.wait(1.2)
        self.formulas, self.rows = formulas, rows

    def grow_tree(self) -> None:
        self.beat("tree")
        self.tree = TreeDiagram(self.book.tree(), self.book, self.book.count(DEPTH), step_y=1.25)
        # high enough for a value of its bottom row to leave under it, inside the frame
        self.tree.move_to([3.7, 0, 0]).align_to([0, 3.65, 0], UP)
        self.edge_color = next(iter(self.tree.edges.values())).get_color()
        (f1, f2, f3), (r1, r2, r3) = self.formulas, self.rows
        z, w, a_prev, b, a = (
            weighted_input(L),
            weight(L),
            activation(L - 1),
            bias(L),
            activation(L),
        )
        sources = {
            w: (f1.select("w"), r1.of(w)),
            a_prev: (f1.select("ap"), r1.of(a_prev)),
            b: (f1.select("b"), r1.of(b)),
            z: (f1.select("z"), r1.of(z)),
            a: (f2.select("a"), r2.of(a)),
            # the desired output comes from the network's corner, over the formulas'
            # heads rather than across their lines
            target(): (self.net.y_label[0], self.net.y_label[1]),
            cost(): (f3.select("c"), r3.of(cost())),
        }
        edges_of = dict(self.tree.growth(0))
        self.first_row_label = {w: "w", a_prev: "ap", b: "b", z: "z"}
        groups = [[w, a_prev, b], [z], [a], [target(), cost()]]
        words = [
            "The weight, the previous activation and the bias make z.",
            "z makes the output a.",
            "The output and the desired output make the cost: a tree of dependencies.",
        ]
        self.say(words[0])
        # the formulas make room for the tree: into the space left of it
        aside = self.fit_left(self.forward.copy())
        self.play(
            self.forward.animate.scale(aside.width / self.forward.width).move_to(aside),
            run_time=1.0,
        )
        for step, group in enumerate(groups):
            if 0 < step < len(words):
                self.say(words[step])
            nodes = [self.tree.nodes[q] for q in group]
            self.play(
                *(
                    fly(sources[q][part], node[part], stops=self.over_first_row(q, node, part))
                    for q, node in zip(group, nodes, strict=True)
                    for part in (0, 1)
                ),
                *(Create(e) for q in group for e in edges_of[q]),
                run_time=1.1,
            )
            self.settle(*nodes)
            self.wait(0.8)
        self.wait(1)

    def over_first_row(self, quantity: Quantity, node: VGroup, part: int) -> list:
        """Stops for a symbol (``part`` 0) or value (1) of z's formula flying into its tree
        node: up over the formula's line (the value's lane under the symbol's, as in the
        node), along to over its node, then down: never across that line's numbers."""
        f1, r1 = self.formulas[0], self.rows[0]
        if quantity not in (weight(L), activation(L - 1), bias(L), weighted_input(L)):
            return []
        source = (f1.select(self.first_row_label[quantity]), r1.of(quantity))[part]
        value = max(r1.numbers, key=lambda n: n.height)
        lane = VGroup(f1, r1).get_top()[1] + CLEARANCE + value.height / 2
        lane += (node[0].get_y() - node[1].get_y()) * (1 - part)
        return [[source.get_x(), lane, 0], [node[part].get_x(), lane, 0]]

    def ripple(self) -> None:
        self.beat("ripple")
        self.showing(TRAINED, RIPPLE)  # the chain, and its last weight nudged
        self.ripple_figures, self.hop_figures, self.hops_divide = self.figures_of_ripple()
        self.ratio_figures = 3  # the measured ratio, a result: the product's figures
        quantities = [weight(L), weighted_input(L), activation(L), cost()]
        colors = [self.color(weight(L)), Z, ACTIVATION, COST]
        moves = [abs(self.book.value(rippled(change))) for change in NUDGE_CHANGES]
        span = max(moves) / MOVE_SHARE  # one scale: the weight's nudge spans its share
        plain = [
            NudgeLine(
                self.book,
                self.sym(q),
                color,
                rippled(before),
                rippled(after),
                span,
                length=LINE_LENGTH,
                named=False,  # the node beside it names it and shows its value
            )
            for q, (before, after), color in zip(quantities, NUDGE_STATES, colors, strict=True)
        ]
        nodes = [self.tree.nodes[q] for q in quantities]
        # the weight's line under its node, the others left of theirs: room for each
        # brace over its line and the tick labels under it
        under = nodes[0][1].get_bottom()[1] - LINE_ROOM
        plain[0].shift([nodes[0].get_x(), under, 0] - plain[0].line.get_center())
        for line, node in zip(plain[1:], nodes[1:], strict=True):
            right = node[0].get_left()[0] - 0.3
            line.shift(
                [right - LINE_LENGTH / 2, node[0].get_y() - LINE_DROP, 0] - line.line.get_center()
            )
        seen = [seen_line(line, steps=(1, 2, 5)) for line in plain]
        self.braces = [
            line.brace(f"Delta {self.sym(q)}", rippled(change), self.ripple_figures)
            for line, q, change in zip(seen, quantities, NUDGE_CHANGES, strict=True)
        ]
        for line, zoomed, brace in zip(plain, seen, self.braces, strict=True):
            over = brace.get_top()[1] - TOP  # the cost's brace: under the frame's top
            if over > 0:
                VGroup(*{id(m): m for m in (line, zoomed, brace)}.values()).shift(DOWN * over)
        self.say(
            "Give the last weight, z, the output and the cost each a number line,"
            " all at one scale.",
        )
        self.play(
            self.forward.animate.scale(FORWARD_ASIDE, about_edge=LEFT),
            LaggedStart(
                *(
                    AnimationGroup(
                        Create(VGroup(line.line, line.ticks)),
                        Appear(line.tick_labels),
                        GrowFromCenter(line.dot),
                    )
                    for line, node in zip(plain, nodes, strict=True)
                ),
                lag_ratio=0.3,
            ),
            run_time=2,
        )
        self.add(*(line.ghost for line in plain))
        self.say(
            "Nudge the weight by",
            Q(rippled(NudgeField.DELTA), significant=self.ripple_figures),
            ".",
        )
        first = self.braces[0]
        self.play(*plain[0].slide(), GrowFromCenter(first[0]), self.name_change(nodes[0], first))
        self.play(Appear(first[1][1], shift=UP * 0.1), run_time=0.5)
        names = ("z", "the output", "the cost")
        self.lines = [seen[0]]
        zoomed_before = False
        for k in range(1, len(quantities)):
            brace = self.braces[k]
            change = rippled(NUDGE_CHANGES[k])
            zoomed = seen[k] is not plain[k]
            # said in the order it is seen: the rise, the zoom, then the move read off
            if zoomed:
                zoom = "too" if zoomed_before else "to read the move"
                words = f"So {names[k - 1]} {self.rises(change)}; its line zooms in {zoom}:"
            else:
                words = f"So {names[k - 1]} {self.rises(change)}: it moves by"
            zoomed_before = zoomed_before or zoomed
            self.say(words, Q(change, significant=self.ripple_figures), ".")
            # the nudge travels up the tree's edge, and moves the next dot
            edge = self.tree.edges[quantities[k - 1], quantities[k]]
            flash = edge.copy().set_stroke(HIGHLIGHT, width=6)
            self.play(ShowPassingFlash(flash, time_width=0.6), run_time=0.7)
            self.play(*plain[k].slide(), run_time=1.0)
            if zoomed:
                self.until_word("zooms")
                rezoom(self, [plain[k]], [seen[k]])
                seen[k].dot.move_to(seen[k].point(1))
            self.lines.append(seen[k])
            self.play(GrowFromCenter(brace[0]), self.name_change(nodes[k], brace), run_time=1.0)
            self.until_word(change)
            self.play(Appear(brace[1][1], shift=UP * 0.1), run_time=0.5)
            self.wait(0.6)
        self.wait(1)

    def write_chain_rule(self) -> None:
        self.beat("chain-rule")
        # one format for the factors of all three levers on z: they are reused for each
        self.figures = self.lever_figures(weight(L), bias(L), activation(L - 1))
        block = self.chain_rule_block(weight(L), hops=True, figures=self.figures)
        head, columns, _, _ = block
        measured = self.measured_ratio(block)
        (f1, f2, f3), rows = self.formulas, self.rows
        strip = VGroup(*(f.copy() for f in self.formulas)).arrange(RIGHT, buff=0.8)
        strip.scale(min(1.0, WORKSPACE_WIDTH / strip.width))
        strip.align_to([WORKSPACE_CENTER[0] - WORKSPACE_WIDTH / 2, STRIP_Y, 0], DL)
        # the formulas' numbers leave; the formulas stay below, to derive each factor from
        self.play(
            Vanish(VGroup(*rows)),
            *(
                f.animate.scale(s.width / f.width).move_to(s)
                for f, s in zip(self.formulas, strip, strict=True)
            ),
            run_time=0.9,
        )
        self.say("What we want is the cost's change over the weight's, as the nudge shrinks.")
        changes = [brace[1][0] for brace in self.braces]  # Δw, Δz, Δa, ΔC0 on the lines
        self.play(
            self.from_brace(changes[-1], head[0].top),
            self.from_brace(changes[0], head[0].bottom),
            Create(head[0].bar),
            Write(head[1]),
            run_time=1.3,
        )
        hops = (
            ("Hop by hop: z's change over the weight's is", NudgeField.HOP_Z),
            ("Then the output's over z's,", NudgeField.HOP_A),
            ("And the cost's over the output's,", NudgeField.HOP_C),
        )
        for k, (column, words) in enumerate(zip(columns, hops, strict=True)):
            said = Q(rippled(words[1]), significant=self.hop_figures)
            self.say(words[0], said, "." if k < 2 else ": as the nudges shrink, three derivatives.")
            ratio, equals, number = column.hop
            self.play(
                self.from_brace(changes[k + 1], ratio.top),
                self.from_brace(changes[k], ratio.bottom),
                Create(ratio.bar),
                *self.light_path(weight(L))[k : k + 1],
                run_time=1.1,
            )
            self.play(Write(equals), Appear(number, shift=DOWN * 0.1), run_time=0.6)
        ratios, fractions = (
            VGroup(*(c.hop[0] for c in columns)),
            VGroup(*(c.fraction for c in columns)),
        )
        with self.replacing(ratios, fractions):  # each ratio of nudges becomes its derivative
            self.play(
                *(TransformFromCopy(c.hop[0], c.fraction) for c in columns),
                run_time=1.3,
            )
        self.settle(head, *(c.fraction for c in columns), *(c.hop for c in columns))
        self.book.relation(
            "product", [rippled(hop) for hop in HOPS.values()], rippled(NudgeField.RATIO)
        )
        # each hop is its braces' quotient, and so is the whole ratio, on the digits shown
        told = [
            b[1].of(rippled(change)) for b, change in zip(self.braces, NUDGE_CHANGES, strict=True)
        ]
        pairs = [(told[k + 1], told[k], c.hop[2]) for k, c in enumerate(columns)]
        pairs.append((told[-1], told[0], measured.of(rippled(NudgeField.RATIO))))
        for top, bottom, result in pairs:
            self.book.relation("quotient", [top.quantity, bottom.quantity], result.quantity)
            if self.hops_divide:
                self.book.relation_on_screen("quotient", [top, bottom], result)
        self.book.relation_on_screen(
            "product", [c.hop[2] for c in columns], measured.of(rippled(NudgeField.RATIO))
        )
        self.say(
            "Multiplied, the hops give the cost's change over the nudge,",
            Q(rippled(NudgeField.RATIO), significant=self.ratio_figures),
            ".",
        )
        hops_shown = [c.hop[2] for c in columns]
        ratio_shown = measured.of(rippled(NudgeField.RATIO))
        landings = VGroup(*(ratio_shown.copy() for _ in columns))
        with self.replacing(VGroup(*hops_shown), landings):
            self.play(
                Write(measured.lead),
                LaggedStart(
                    *(fly(h, t) for h, t in zip(hops_shown, landings, strict=True)),
                    lag_ratio=0.15,
                ),
                run_time=1.4,
            )
        self.remove(*landings.get_family())
        self.add(measured)
        self.wait(0.5)
        # the ripple has said its piece: the factors come from the formulas and the tree
        # ... and leaves: the chain rule grows into the room it had
        whole = VGroup(block, measured)
        factor = min(WIDE_WIDTH / whole.width, WIDE_HEIGHT / whole.height)
        centre, shift = whole.get_center(), np.array(WIDE_CENTER) - whole.get_center()
        shown = VGroup(head, *(VGroup(c.fraction, c.hop) for c in columns), measured)
        hidden = VGroup(*(VGroup(c.formula, c.values) for c in columns), block[2], block[3])
        hidden.scale(factor, about_point=centre).shift(shift)
        # the lines gone before the chain rule grows over where they were
        self.play(Vanish(VGroup(*self.lines, *self.braces)), run_time=0.5)
        self.play(shown.animate.scale(factor, about_point=centre).shift(shift), run_time=0.9)
        self.settle(*shown)
        sources_of = {  # where each factor's formula is written: the formulas below
            weighted_input(L): f1.select("ap"),
            activation(L): VGroup(*glyphs(f2)[len(glyphs(f2.select("a"))) + 1 :]),
            cost(): VGroup(*glyphs(f3)[len(glyphs(f3.select("c"))) + 1 :]),
        }
        self.measured = measured
        self.show_factors(block, sources_of)
        self.measured = None
        ratio, slope = (
            self.book.value(rippled(NudgeField.RATIO)),
            self.book.value(gradient(weight(L))),
        )
        near = abs(ratio - slope) <= 0.1 * abs(slope)
        self.say(
            "Their product,",
            gradient(weight(L)),
            ", is " + ("close to" if near else "only roughly") + " the ratio of nudges.",
            self.advice(weight(L)),
        )
        # the factors lit in turn into their product, then the product beside the ratio
        self.play(
            LaggedStart(
                *(Indicate(c.result, color=HIGHLIGHT) for c in columns),
                Indicate(block[2].of(gradient(weight(L))), color=HIGHLIGHT),
                lag_ratio=0.5,
            ),
            run_time=2.2,
        )
        self.play(
            Indicate(measured.of(rippled(NudgeField.RATIO)), color=HIGHLIGHT),
            Indicate(block[2].of(gradient(weight(L))), color=HIGHLIGHT),
        )
        # its sign says which way to move the weight: the weight's node in the tree lit
        self.until_word("Negative" if "Negative" in self.advice(weight(L)) else "Positive")
        self.play(
            Circumscribe(block[3], color=HIGHLIGHT, fade_out=True),
            Circumscribe(self.tree.nodes[weight(L)], color=HIGHLIGHT, fade_out=True),
            run_time=1.5,
        )
        self.wait(1)
        self.chain_rule = VGroup(block, measured)

    def bias_and_previous_activation(self) -> None:
        self.beat("other-levers")
        z, a = weighted_input(L), activation(L)
        block, measured = self.chain_rule
        head, columns, product, box = block
        f1 = self.formulas[0]
        # the ripple's hops and its measured ratio have said their piece: the chain rule
        # closes up over their room and moves up, the formulas stay below it
        keep = VGroup(head, *(VGroup(c.fraction, c.formula, c.values) for c in columns))
        keep.add(product, box)
        keep.generate_target()
        rise = columns[0].hop.get_top()[1] - columns[0].formula.get_top()[1]
        moved = keep.target
        for column in moved[1 : 1 + len(columns)]:
            VGroup(column[1], column[2]).shift(UP * rise)
        VGroup(moved[-2], moved[-1]).shift(UP * rise)
        top = self.focus.get_bottom()[1] - 0.25
        left = WORKSPACE_CENTER[0] - WORKSPACE_WIDTH / 2
        moved.scale(min(1.0, LEVERS_BLOCK_HEIGHT / moved.height, WIDE_WIDTH / moved.width))
        moved.align_to([left, top, 0], UL)
        # each lever's own factor, then its chain rule with the two factors it shares
        levers = VGroup()
        for lever in (bias(L), activation(L - 1)):
            # ∂z/∂a^(L−1) is the weight itself: name it before its value
            named = f" {self.sym(weight(L))} =" if lever.symbol == "a" else ""
            local_row = self.book.row(
                f"{self.d(z, lever)} ={named}",
                Q(local(z, lever), significant=self.figures),
                font_size=TYPE.body,
            )
            total = self.book.row(
                f"{self.d(cost(), lever)} =",
                Q(local(z, lever), significant=self.figures),
                "dot",
                Q(local(a, z), significant=self.figures),
                "dot (",
                Q(local(cost(), a), significant=self.figures),
                ") =",
                Q(gradient(lever), COST),
                font_size=TYPE.body,
            )
            self.book.relation_on_screen(
                "product",
                [total.of(local(z, lever)), total.of(local(a, z)), total.of(local(cost(), a))],
                total.of(gradient(lever)),
            )
            levers.add(VGroup(local_row, total).arrange(RIGHT, buff=0.7))
        levers.arrange(DOWN, aligned_edge=LEFT, buff=0.45)
        room = moved.get_bottom()[1] - 0.4 - (f1.get_top()[1] + 0.35)
        levers.scale(min(1.0, room / levers.height, WIDE_WIDTH / levers.width))
        levers.align_to([left, moved.get_bottom()[1] - 0.4, 0], UL)
        f2, f3 = self.formulas[1:]  # z's formula stays: the levers' own slopes are read off it
        self.play(Vanish(VGroup(measured, *(c.hop for c in columns), f2, f3)), run_time=0.6)
        self.play(MoveToTarget(keep), *self.dim_path(weight(L)), run_time=1.2)
        # the factors shared with the weight's chain rule: the first lever takes them from
        # it, the second from the row above, straight down
        # (its written-out product, nearest the levers' rows)
        shared = {c.result.quantity: product.of(c.result.quantity) for c in columns}
        words = (
            ("The bias feeds z with slope", Q(local(z, bias(L)), significant=self.figures)),
            (
                "The previous activation feeds z with the weight's slope,",
                Q(local(z, activation(L - 1)), significant=self.figures),  # as its row shows it
            ),
        )
        sources = {bias(L): f1.select("b"), activation(L - 1): f1.select("w")}
        for lever, pair, line in zip((bias(L), activation(L - 1)), levers, words, strict=True):
            local_row, total = pair
            self.say(*line, ". Up the same path, the cost's slope is", gradient(lever), ".")
            # its slope is read off z's formula: the term it sits in lights up
            self.play(
                *self.light_path(lever),
                Indicate(sources[lever], color=HIGHLIGHT),
                Write(local_row.lead),
                run_time=1.2,
            )
            value = local_row.of(local(z, lever))
            if lever.symbol == "a":  # the weight's value, from its node in the tree
                self.play(self.from_tree(weight(L), value), run_time=1.0)
            else:
                self.play(Write(value), run_time=0.6)
            # the three factors travel into its chain rule: its own, and the two it
            # shares with the weight's, out of the chain rule above
            factors = [local(z, lever), local(a, z), local(cost(), a)]
            pieces = [total.of(q) for q in factors]
            text = VGroup(*(p for p in total if p not in pieces and p is not total[-1]))
            low = total.get_bottom()[1] - CLEARANCE - value.height / 2  # under the lead
            self.play(
                Write(text),
                LaggedStart(
                    fly(
                        value,
                        pieces[0],
                        stops=[[value.get_x(), low, 0], [pieces[0].get_x(), low, 0]],
                    ),
                    fly(shared[local(a, z)], pieces[1]),
                    fly(shared[local(cost(), a)], pieces[2]),
                    lag_ratio=STAGGER / 2,  # the last has left its original by the middle
                ),
                run_time=1.8,
            )
            self.settle(*total[:-1])
            shared = {q: total.of(q) for q in factors[1:]}
            # ... and multiply into its derivative: under the row, then up into it
            result = total.of(gradient(lever))
            landings = VGroup(*(result.copy() for _ in pieces))
            lane = total.get_bottom()[1] - CLEARANCE - result.height / 2
            with self.replacing(VGroup(*pieces), landings):
                self.play(
                    LaggedStart(
                        *(
                            fly(p, t, stops=[[p.get_x(), lane, 0], [t.get_x(), lane, 0]])
                            for p, t in zip(pieces, landings, strict=True)
                        ),
                        lag_ratio=0.4,
                    ),
                    run_time=1.5,
                )
            self.remove(*landings.get_family())
            self.add(result)
            self.play(*self.dim_path(lever), Indicate(result, color=HIGHLIGHT), run_time=1.0)
        names = {"w": "the weight", "b": "the bias", "a": "the previous activation"}
        strongest = max(
            (weight(L), bias(L), activation(L - 1)),
            key=lambda q: abs(self.book.value(gradient(q))),
        )
        totals = {
            weight(L): product.of(gradient(weight(L))),
            bias(L): levers[0][1].of(gradient(bias(L))),
            activation(L - 1): levers[1][1].of(gradient(activation(L - 1))),
        }
        self.say(f"Of the three levers on z, {names[strongest.symbol]} moves the cost most.")
        # the three derivatives side by side: each lit in turn, the largest kept boxed
        self.play(
            LaggedStart(*(Indicate(totals[q], color=HIGHLIGHT) for q in totals), lag_ratio=0.4),
            run_time=1.8,
        )
        mark = SurroundingRectangle(totals[strongest], color=HIGHLIGHT, buff=0.1)
        if strongest == weight(L):
            mark = box
            self.play(Indicate(box, color=HIGHLIGHT))
        else:
            self.play(Create(mark))
        self.wait(1)
        self.levers = VGroup(keep, levers, *([mark] if mark is not box else []))

    def one_layer_back(self) -> None:
        self.beat("one-layer-back")
        self.say("The previous activation has its own weight and bias: the tree grows a layer.")
        back, room_for_it = self.grow_network()
        self.play(Vanish(VGroup(self.levers, self.formulas[0])), room_for_it, run_time=1.2)
        self.play(Appear(back), run_time=0.8)
        neuron, _, weight_label, bias_label, layer_label = back
        sources = {  # symbol and value of each new node, where the network shows them
            weight(L - 1): (weight_label[0], weight_label[1]),
            activation(L - 2): (layer_label, neuron[1]),
            bias(L - 1): (bias_label[0], bias_label[1]),
        }
        # each node comes in from the left along its own row: the bias (rightmost) first,
        # then the activation, then the weight, so no flight crosses a node landed
        steps = dict(self.tree.growth(1))
        order = [weighted_input(L - 1), bias(L - 1), activation(L - 2), weight(L - 1)]
        bottom = VGroup(self.focus, back).get_bottom()[1]
        for quantity in order:
            node, edges = self.tree.nodes[quantity], steps[quantity]
            arrive = (
                self.into_tree(
                    *sources[quantity], node, bottom, neuron if quantity.symbol == "a" else None
                )
                if quantity in sources
                else [Appear(node, shift=DOWN * 0.15)]
            )
            self.play(*arrive, *(Create(e) for e in edges), run_time=0.9)
            if quantity in sources:
                self.settle(node)
        self.wait(0.5)
        start = weight(L - 1)
        block = self.chain_rule_block(start)
        head, columns, product, box = block
        # two lines, each half as wide, so the whole is larger: the layer before's own
        # factors, then under them the last weight's (boxed, once they are named) and the
        # product
        known = set(self.tree.path_quantities(weight(L)))
        pairs = list(self.tree.path_quantities(start))
        own = VGroup(*(c for pair, c in zip(pairs, columns, strict=True) if pair not in known))
        reused = VGroup(*(c for pair, c in zip(pairs, columns, strict=True) if pair in known))
        reused.next_to(own, DOWN, buff=0.7).align_to(head, LEFT)
        # under them, written out; the first line's values come down to it round the
        # second line's right, so room is kept there
        product.next_to(reused, DOWN, buff=0.6).align_to(head, LEFT)
        box.move_to(product.of(gradient(start)))
        # the whole room under the network and left of the tree
        lane = max(c.result.width for c in own) + 3 * CLEARANCE
        left, right = -config.frame_width / 2 + 0.45, self.tree.get_left()[0] - 0.45 - lane
        top, low = VGroup(self.focus, back).get_bottom()[1] - 0.45, -config.frame_height / 2 + 0.5
        # the factors as large as the room allows; the product, the longest line, shrinks
        # on its own to fit if it must
        block.scale(min((right - left) / VGroup(head, columns).width, (top - low) / block.height))
        written = VGroup(product, box)
        written.scale(min(1.0, (right - left) / written.width), about_edge=LEFT)
        block.move_to([(left + right) / 2, (top + low) / 2, 0])
        glyph = {q: node[0] for q, node in self.tree.nodes.items()}
        self.say(
            "Multiply along the longer path: one ratio for each link,",
            "from the cost down to the earlier weight.",
        )
        self.play(
            fly(glyph[cost()], head[0].top),
            fly(glyph[start], head[0].bottom),
            Create(head[0].bar),
            Write(head[1]),
            *self.light_path(start),
        )
        for (child, parent), column in zip(self.tree.path_quantities(start), columns, strict=True):
            fraction = column[0]
            self.play(
                fly(glyph[parent], fraction.top),
                fly(glyph[child], fraction.bottom),
                Create(fraction.bar),
                run_time=0.9,
            )
        self.settle(head, *(c[0] for c in columns))
        self.say(
            "The boxed factors were already worked out for the last weight;",
            "the others belong to the layer before.",
        )
        box = SurroundingRectangle(reused, color=HIGHLIGHT, buff=0.15)
        self.play(Create(box), Indicate(VGroup(*(c[0] for c in reused)), color=HIGHLIGHT))
        self.show_factors(
            block,
            None,
            told=set(pairs) - known,
            product_words=(
                "Multiplied, they give the earlier weight's derivative,",
                gradient(start),
                ".",
                self.advice(start),
            ),
        )
        # its value lit, then its sign read off: the weight's node in the tree circled
        self.play(
            Indicate(block[2].of(gradient(start)), color=HIGHLIGHT),
            *self.light_path(start),
            run_time=1.2,
        )
        self.until_word("Negative" if "Negative" in self.advice(start) else "Positive")
        self.play(
            Circumscribe(block[3], color=HIGHLIGHT, fade_out=True),
            Circumscribe(self.tree.nodes[start], color=HIGHLIGHT, fade_out=True),
            run_time=1.5,
        )
        self.wait(1)
