"""The chain rule on a chain of one neuron per layer, with every value real.

manim render scenes/chain_rule.py ChainRule          # 1080p60 into renders/
manim render -ql --save_sections scenes/chain_rule.py  # 480p, a clip per beat
"""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Animation,
    AnimationGroup,
    Create,
    GrowFromCenter,
    Indicate,
    LaggedStart,
    MathTypst,
    Mobject,
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
    BIAS,
    COST,
    DEPTH,
    HIGHLIGHT,
    NUDGE_CHANGES,
    NUDGE_STATES,
    OUTPUT,
    RIPPLE,
    STEP,
    TARGET,
    THRESHOLD,
    TRAINED,
    TYPE,
    Activation,
    Appear,
    Bias,
    NeuronChain,
    NudgeField,
    PieceFraction,
    Q,
    Quantity,
    RippleLine,
    StoryScene,
    TreeDiagram,
    Vanish,
    Weight,
    Z,
    activation,
    bias,
    cost,
    detour,
    fly,
    glyphs,
    gradient,
    local,
    local_formula,
    rippled,
    target,
    weight,
    weighted_input,
)

WORKSPACE_CENTER = [-3.0, -0.8, 0]  # formulas live left of the tree, under the corner network
WORKSPACE_WIDTH = 7.6
WORKSPACE_HEIGHT = 5.4
L = OUTPUT
CLEARANCE = 0.15  # between a detouring flight and the text it goes round
STAGGER = 0.2  # share of a flight between the first of a row of flights leaving and the last
ASIDE = 0.2  # share of a flight by which the labels in its way are gone
GROW = 1.15  # a lever shown in the formula grows by this much, clear of its neighbours
CORNER_SCALE = 0.9  # the last two neurons, in the corner while the formulas are written


def labelled(*parts: str | tuple[str, str]) -> MathTypst:
    """One Typst formula whose ``(typst, label)`` parts can be selected by label."""
    text = " ".join(p if isinstance(p, str) else f"{{{{ {p[0]} : {p[1]} }}}}" for p in parts)
    return MathTypst(text, font_size=TYPE.formula)


def rest_of(formula: MathTypst, *labels: str) -> VGroup:
    """The glyphs of ``formula`` outside the labelled parts."""
    taken = {id(g) for label in labels for g in glyphs(formula.select(label))}
    return VGroup(*(g for g in glyphs(formula) if id(g) not in taken))


class ChainRule(StoryScene):
    """Ten beats: network, cost of everything, focus, forward formulas, tree, the ripple,
    chain rule, other levers, one layer back."""

    story = "nudge"  # the chain, and the ripple: w^(L) nudged by [nudge] delta
    story_order = 2
    title = "The chain rule, one neuron per layer"
    poster_beat = "chain-rule"  # its last frame is the poster: the ripple and its product

    def construct(self) -> None:
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
        corner = [-config.frame_width / 2 + 0.35, config.frame_height / 2 - 0.35, 0]
        room = self.tree.get_left()[0] - CLEARANCE - corner[0]
        factor, anchor = min(1.0, room / whole.width), whole.get_corner(UL)
        back.scale(factor, about_point=anchor).shift(corner - anchor)
        return back, self.focus.animate.scale(factor, about_point=anchor).shift(corner - anchor)

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

    def factor_formula(self, child: Quantity, parent: Quantity) -> str:
        """The local derivative ∂parent/∂child written out: a, σ′(z), w, 1 or 2(a − y)."""
        return local_formula(parent, child)

    def fraction(self, top: Quantity, bottom: Quantity) -> PieceFraction:
        return PieceFraction(
            f"partial {self.sym(top)}",
            f"partial {self.sym(bottom)}",
            colors=(self.color(top), self.color(bottom)),
        )

    def chain_rule_block(self, start: Quantity) -> VGroup:
        """∂C0/∂start = fractions, over their formulas, over their numbers, then the product.

        One column per edge of the tree's path from ``start`` up to C0. Parts: ``[0]``
        the left side (fraction, ``=``), ``[1]`` the columns (fraction, formula,
        number), ``[2]`` the product from backprop, ``[3]`` its box.
        """
        columns = VGroup(
            *(
                VGroup(
                    self.fraction(parent, child),
                    MathTypst(self.factor_formula(child, parent), font_size=TYPE.body),
                    self.book.number(local(parent, child), font_size=TYPE.body),
                ).arrange(DOWN, buff=0.45)
                for child, parent in self.tree.path_quantities(start)
            )
        ).arrange(RIGHT, buff=0.4)
        for row in range(3):  # fractions, formulas, numbers: each on one line
            for column in columns:
                column[row].match_y(columns[0][row])
        head = VGroup(self.fraction(cost(), start), MathTypst("=", font_size=TYPE.formula))
        head.arrange(RIGHT, buff=0.25).next_to(columns[0][0], LEFT, buff=0.3)
        product = self.book.row("=", Q(gradient(start), COST), font_size=TYPE.formula)
        product.next_to(columns, RIGHT, buff=0.4).match_y(columns[-1][2])
        if VGroup(head, columns, product).width > WORKSPACE_WIDTH:  # long chains: stack
            head.next_to(columns, UP, buff=0.4).align_to(columns, LEFT)
            product.next_to(columns, DOWN, buff=0.4).align_to(columns, RIGHT)
        box = SurroundingRectangle(product[1], color=HIGHLIGHT, buff=0.12)
        self.book.relation(
            "product",
            [local(parent, child) for child, parent in self.tree.path_quantities(start)],
            gradient(start),
        )
        return self.fit_left(VGroup(head, columns, product, box))

    def measured_ratio(self, block: VGroup) -> VGroup:
        """ΔC0/Δw^(L) = ΔC0 ÷ Δw = the ratio, from the ripple, under the chain rule's
        block: what the product of the derivatives predicts. Parts: ``[0]`` the
        fraction and ``=``, ``[1]`` ΔC0, ``[2]`` ``÷``, ``[3]`` Δw, ``[4]`` ``=``,
        ``[5]`` the ratio."""
        w = weight(L)
        row = self.book.row(
            f"(Delta {self.sym(cost())})/(Delta {self.sym(w)}) =",
            Q(rippled(NudgeField.DC), COST),
            "div",
            Q(rippled(NudgeField.DELTA), self.color(w)),
            "=",
            Q(rippled(NudgeField.RATIO), COST),
            font_size=TYPE.body,
        )
        row.next_to(block, DOWN, buff=0.5).align_to(block, LEFT)
        self.fit_left(VGroup(block, row))
        return row

    def show_factors(self, block: VGroup) -> None:
        """Under the fractions, their formulas, then their numbers, then the product."""
        _, columns, product, box = block
        self.play(LaggedStart(*(Appear(c[1], shift=DOWN * 0.2) for c in columns), lag_ratio=0.4))
        self.wait(1.5)
        self.play(LaggedStart(*(Appear(c[2], shift=DOWN * 0.2) for c in columns), lag_ratio=0.4))
        self.wait(1)
        self.play(Write(product), Create(box))

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
        self.play(Appear(chain.bias_labels), Appear(chain.y_label))
        self.wait(2)

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
                    formula.select(f"p{i}"), DOWN, buff=0.25 if isinstance(q, Weight) else 0.6
                )
                for i, q in enumerate(levers)
            )
        )
        for value in values:
            value.set_y(
                formula.get_bottom()[1] - (0.3 if isinstance(value.quantity, Weight) else 0.7)
            )
        equals = self.book.row("=", Q(cost(), COST), font_size=TYPE.formula)
        equals.next_to(formula, RIGHT, buff=0.2)
        whole = VGroup(formula, values, equals)
        whole.scale(min(1.0, (config.frame_width - 1) / whole.width)).move_to(UP * 1.9)
        labels = [
            chain.weight_labels[i // 2] if isinstance(q, Weight) else chain.bias_labels[i // 2]
            for i, q in enumerate(levers)
        ]
        rest = rest_of(formula, *(f"p{i}" for i in range(len(levers))))

        self.say("On this input the cost is", cost(), ". It depends on every weight and bias.")
        pairs = [
            [(formula.select(f"p{i}"), label[0]), (values[i], label[1])]
            for i, label in enumerate(labels)
        ]
        # the biases come up from under the network through the gaps beside their neurons,
        # the weights' labels (gone up into the formula) out of their way
        routes = [
            self.under_the_network(pair, label, chain.edges[i // 2])
            if isinstance(q, Bias)
            else [[], []]
            for i, (q, pair, label) in enumerate(zip(levers, pairs, labels, strict=True))
        ]
        for kind in ("w", "b"):
            self.play(
                *(
                    [Vanish(chain.weight_labels, rate_func=squish_rate_func(smooth, 0, ASIDE))]
                    if kind == "b"
                    else []
                ),
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
        self.play(Write(rest), Write(equals))
        self.settle(formula, values, equals)
        self.say("Each of them is an input of the cost: it is a function of all of them.")
        arguments = [VGroup(formula.select(f"p{i}"), values[i]) for i in range(len(levers))]
        self.play(
            LaggedStart(*(Indicate(a, scale_factor=GROW) for a in arguments), lag_ratio=0.15),
            run_time=2.5,
        )
        self.wait(0.5)
        self.say("Back they go: first, how the cost feels the last weight.")
        # the biases first, while the weights' labels step aside: down through the gap
        # beside their neuron, under the labels and up into place; then the weights
        back: dict[str, list] = {"w": [], "b": []}
        for i, (q, label) in enumerate(zip(levers, labels, strict=True)):
            symbol = formula.select(f"p{i}")
            home = VGroup(*glyphs(label[0])[: len(glyphs(symbol))]).copy()
            pair = [(symbol, home), (values[i], label[1].copy())]
            back[q.symbol] += [
                Transform(piece, place, remover=True, path_func=detour(piece, place, stops))
                for (piece, place), stops in zip(pair, routes[i], strict=True)
            ]
        self.play(*back["b"], Vanish(rest), Vanish(equals), run_time=2)
        signs = VGroup(  # the labels' "=": the weights bring back the rest
            *(
                g
                for i, (q, label) in enumerate(zip(levers, labels, strict=True))
                if isinstance(q, Weight)
                for g in glyphs(label[0])[len(glyphs(formula.select(f"p{i}"))) :]
            )
        )
        self.play(*back["w"], Appear(signs), run_time=1)
        self.remove(formula, values, signs)
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
        self.wait(1.5)
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
        self.play(Indicate(chain.y_label[0], color=HIGHLIGHT))
        self.wait(1.5)
        self.focus = VGroup(
            *chain.last_two(),
            *chain.layer_labels[-2:],
            chain.weight_labels[-1],
            chain.bias_labels[-1],
        )
        home = self.focus.get_center()
        self.play(
            Vanish(self.heading),
            Vanish(earlier),
            self.focus.animate.scale(CORNER_SCALE).to_corner(UL, buff=0.35),
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
        size = TYPE.number + 2
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
        rows = [
            self.book.row("= (", w, ")(", a_prev, ") +", b, "=", z, font_size=size),
            self.book.row("= sigma(", z, ") =", a, font_size=size),
            self.book.row("= (", a, "-", y, ")^2 =", c, font_size=size),
        ]
        self.forward = VGroup()
        for symbolic, numbers in zip(formulas, rows, strict=True):
            # one line each: the numbers come down from the network beside the symbols,
            # never across them
            self.forward.add(VGroup(symbolic, numbers).arrange(RIGHT, buff=0.16))
        self.fit_left(self.forward.arrange(DOWN, aligned_edge=LEFT, buff=0.6))
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
                z,
            ),
            ("The sigmoid squashes it into the output", a),
            ("The cost is the squared miss from the desired output:", c),
        ]
        labels = (("w", "ap", "b"), ("a", "z"), ("a", "y"))
        for formula, numbers, (symbols, values), words, taken in zip(
            formulas, rows, flights, lines, labels, strict=True
        ):
            self.say(*words, ".")
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
        self.tree = TreeDiagram(self.book.tree(), self.book, self.book.count(DEPTH), step_y=1.3)
        self.tree.move_to([3.7, 0, 0]).align_to([0, 3.55, 0], UP)
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
        groups = [[w, a_prev, b], [z], [a], [target(), cost()]]
        words = [
            "The weight, the previous activation and the bias make z.",
            "z makes the output a.",
            "The output and the desired output make the cost: a tree of dependencies.",
        ]
        self.say(words[0])
        for step, group in enumerate(groups):
            if 0 < step < len(words):
                self.say(words[step])
            nodes = [self.tree.nodes[q] for q in group]
            self.play(
                *(fly(sources[q][0], node[0]) for q, node in zip(group, nodes, strict=True)),
                *(fly(sources[q][1], node[1]) for q, node in zip(group, nodes, strict=True)),
                *(Create(e) for q in group for e in edges_of[q]),
                run_time=1.1,
            )
            self.settle(*nodes)
            self.wait(0.8)
        self.wait(1)

    def ripple(self) -> None:
        self.beat("ripple")
        self.showing(TRAINED, RIPPLE)  # the chain, and its last weight nudged
        quantities = [weight(L), weighted_input(L), activation(L), cost()]
        colors = [self.color(weight(L)), Z, ACTIVATION, COST]
        self.lines = [
            RippleLine(self.book, rippled(before), rippled(after), color, 1.8)
            for (before, after), color in zip(NUDGE_STATES, colors, strict=True)
        ]
        nodes = [self.tree.nodes[q] for q in quantities]
        self.lines[0].next_to(nodes[0], DOWN, buff=0.3)
        for line, node in zip(self.lines[1:], nodes[1:], strict=True):
            line.next_to(node[0], LEFT, buff=0.3)
        self.braces = [
            line.brace(f"partial {self.sym(q)}", rippled(change))
            for line, q, change in zip(self.lines, quantities, NUDGE_CHANGES, strict=True)
        ]
        for brace, line in zip(self.braces[1:], self.lines[1:], strict=True):
            VGroup(brace[1], brace[2]).align_to(line, RIGHT)  # clear of the node's value
        self.say("Give the last weight, z, the output and the cost each a small number line.")
        self.play(
            LaggedStart(
                *(
                    AnimationGroup(Create(line.line), TransformFromCopy(node[0], line.dot))
                    for line, node in zip(self.lines, nodes, strict=True)
                ),
                lag_ratio=0.3,
            ),
            run_time=2,
        )
        self.say("Nudge the weight by", rippled(NudgeField.DELTA), ".")
        first = self.braces[0]
        self.play(self.lines[0].slide(), GrowFromCenter(first[0]), Write(first[1]), run_time=1.2)
        self.play(Appear(first[2], shift=UP * 0.1), run_time=0.5)
        names = ("z", "the output", "the cost")
        for k in range(1, len(quantities)):
            previous, brace = self.braces[k - 1], self.braces[k]
            change = rippled(NUDGE_CHANGES[k])
            self.say(f"So {names[k - 1]} {self.rises(change)}: it moves by", change, ".")
            # the first hop climbs from under w's node: round its left, not across it
            self.play(
                self.lines[k].slide(),
                *(
                    fly(old, new, stops=self.round_left(old, new, nodes[0]) if k == 1 else ())
                    for old, new in zip(previous[:2], brace[:2], strict=True)
                ),
                run_time=1.3,
            )
            self.play(Appear(brace[2], shift=UP * 0.1), run_time=0.5)
            self.wait(0.8)
        self.wait(1)

    def write_chain_rule(self) -> None:
        self.beat("chain-rule")
        block = self.chain_rule_block(weight(L))
        head, columns, _, _ = block
        symbols = [brace[1] for brace in self.braces]  # ∂w, ∂z, ∂a, ∂C0 on the tree
        self.play(Vanish(self.forward), run_time=0.6)
        self.say(
            "Each hop is a ratio of nudges. Multiplied, they give how the cost feels the weight."
        )
        self.play(
            fly(symbols[-1], head[0].top),
            fly(symbols[0], head[0].bottom),
            Create(head[0].bar),
            Write(head[1]),
            run_time=1.3,
        )
        for k, column in enumerate(columns):
            fraction = column[0]
            self.play(
                fly(symbols[k + 1], fraction.top),
                fly(symbols[k], fraction.bottom),
                Create(fraction.bar),
                *self.light_path(weight(L))[k : k + 1],
                run_time=1.1,
            )
        self.settle(head, *(c[0] for c in columns))
        self.wait(0.5)
        ratio, slope = (
            self.book.value(rippled(NudgeField.RATIO)),
            self.book.value(gradient(weight(L))),
        )
        near = abs(ratio - slope) <= 0.1 * abs(slope)
        self.say(
            "The cost's change over the nudge,",
            rippled(NudgeField.RATIO),
            ", is " + ("close to" if near else "only a rough guess of") + " their product.",
        )
        measured = self.measured_ratio(block)
        changes = (self.braces[-1][2][1], self.braces[0][2][1])  # ΔC0 and Δw, on the lines
        self.play(
            Write(VGroup(measured[0], measured[2], measured[4])),
            LaggedStart(
                *(fly(c, m) for c, m in zip(changes, (measured[1], measured[3]), strict=True))
            ),
            run_time=1.4,
        )
        self.play(Appear(measured[5]), run_time=0.5)
        self.show_factors(block)
        self.play(Indicate(measured[5], color=HIGHLIGHT), Indicate(block[2][1], color=HIGHLIGHT))
        self.say("Backpropagation's", gradient(weight(L)), ".", self.advice(weight(L)))
        self.wait(2.5)
        self.chain_rule = VGroup(block, measured)

    def bias_and_previous_activation(self) -> None:
        self.beat("other-levers")
        z, a = weighted_input(L), activation(L)
        ripple = VGroup(*self.lines, *self.braces)
        known = self.book.row(  # the weight's answer stays, the first of three levers
            f"{self.d(cost(), weight(L))} =",
            Q(gradient(weight(L)), COST),
            font_size=TYPE.number + 2,
        )
        levers = VGroup()
        for lever in (bias(L), activation(L - 1)):
            # ∂z/∂a^(L−1) is the weight itself: name it before its value
            named = f" {self.sym(weight(L))} =" if isinstance(lever, Activation) else ""
            local_row = self.book.row(
                f"{self.d(z, lever)} ={named}", local(z, lever), font_size=TYPE.formula
            )
            total = self.book.row(
                f"{self.d(cost(), lever)} =",
                local(z, lever),
                "dot",
                local(a, z),
                "dot (",
                local(cost(), a),
                ") =",
                Q(gradient(lever), COST),
                font_size=TYPE.number + 2,
            )
            levers.add(VGroup(local_row, total).arrange(DOWN, aligned_edge=LEFT, buff=0.4))
        levers = VGroup(known, *levers).arrange(DOWN, aligned_edge=LEFT, buff=0.9)
        self.fit_left(levers)
        product = self.chain_rule[0][2][1]  # the boxed product
        with self.replacing(self.chain_rule, known):
            self.play(
                Vanish(self.chain_rule),
                Vanish(ripple),
                *self.dim_path(weight(L)),
                fly(product, known[1]),
                Write(known[0]),
                run_time=1.4,
            )
        words = (
            ("The bias feeds z with slope", local(z, bias(L))),
            (
                "The previous activation feeds z with the weight's slope,",
                local(z, activation(L - 1)),
            ),
        )
        for lever, pair, line in zip((bias(L), activation(L - 1)), levers[1:], words, strict=True):
            self.say(*line, ". Up the same path, the cost's slope is", gradient(lever), ".")
            self.play(*self.light_path(lever))
            self.play(Write(pair[0]))
            self.wait(1.2)
            self.play(Appear(pair[1], shift=DOWN * 0.2))
            self.wait(2)
            self.play(*self.dim_path(lever))
        names = {"w": "the weight", "b": "the bias", "a": "the previous activation"}
        strongest = max(
            (weight(L), bias(L), activation(L - 1)),
            key=lambda q: abs(self.book.value(gradient(q))),
        )
        totals = {weight(L): known, bias(L): levers[1][1], activation(L - 1): levers[2][1]}
        self.say(f"Of the three levers on z, {names[strongest.symbol]} moves the cost most.")
        mark = SurroundingRectangle(totals[strongest][-1], color=HIGHLIGHT, buff=0.1)
        self.play(Create(mark))
        self.wait(1)
        self.levers = VGroup(levers, mark)

    def one_layer_back(self) -> None:
        self.beat("one-layer-back")
        self.say("The previous activation has its own weight and bias: the tree grows a layer.")
        back, room_for_it = self.grow_network()
        self.play(Vanish(self.levers), room_for_it, run_time=1.2)
        self.play(Appear(back), run_time=0.8)
        neuron, _, weight_label, bias_label, layer_label = back
        sources = {  # symbol and value of each new node, where the network shows them
            weight(L - 1): (weight_label[0], weight_label[1]),
            activation(L - 2): (layer_label, neuron[1]),
            bias(L - 1): (bias_label[0], bias_label[1]),
        }
        for quantity, edges in self.tree.growth(1):
            node = self.tree.nodes[quantity]
            arrive = (
                [fly(sources[quantity][0], node[0]), fly(sources[quantity][1], node[1])]
                if quantity in sources
                else [Appear(node, shift=DOWN * 0.15)]
            )
            self.play(*arrive, *(Create(e) for e in edges), run_time=0.9)
            if quantity in sources:
                self.settle(node)
        self.wait(0.5)
        start = weight(L - 1)
        block = self.chain_rule_block(start)
        head, columns, _, _ = block
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
        known = set(self.tree.path_quantities(weight(L)))
        reused = VGroup(
            *(
                column
                for pair, column in zip(self.tree.path_quantities(start), columns, strict=True)
                if pair in known
            )
        )
        self.say(
            "The boxed ratios were already worked out for the last weight;",
            "the others belong to the layer before.",
        )
        box = SurroundingRectangle(reused, color=HIGHLIGHT, buff=0.15)
        self.play(Create(box), Indicate(VGroup(*(c[0] for c in reused)), color=HIGHLIGHT))
        self.show_factors(block)
        self.say("The earlier weight's", gradient(start), ".", self.advice(start))
        self.wait(3)
