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
    Create,
    Indicate,
    LaggedStart,
    MathTypst,
    ReplacementTransform,
    SurroundingRectangle,
    VGroup,
    Write,
)

from bpcalc.viz import (
    COST,
    HIGHLIGHT,
    OUTPUT,
    STEP,
    THRESHOLD,
    TYPE,
    Appear,
    NeuronChain,
    Q,
    Quantity,
    StoryScene,
    TreeDiagram,
    Vanish,
    activation,
    bias,
    cost,
    gradient,
    local,
    target,
    weight,
    weighted_input,
)

WORKSPACE_CENTER = [-3.0, -0.8, 0]  # formulas live left of the tree, under the corner network
WORKSPACE_WIDTH = 7.6
WORKSPACE_HEIGHT = 5.4
L = OUTPUT


class ChainRule(StoryScene):
    """Six beats: network, forward formulas, tree, chain rule, other levers, one layer back."""

    story = "chain"
    story_order = 2
    title = "The chain rule, one neuron per layer"
    poster_beat = "one-layer-back"  # its last frame is the poster

    def construct(self) -> None:
        self.chain = self.book.story.chain
        self.show_network()
        self.write_forward_pass()
        self.grow_tree()
        self.write_chain_rule()
        self.bias_and_previous_activation()
        self.one_layer_back()

    # helpers -----------------------------------------------------------------

    def fit_left(self, block: VGroup) -> VGroup:
        """Fit a block into the space left of the tree and under the corner network."""
        block.scale(min(1.0, WORKSPACE_WIDTH / block.width, WORKSPACE_HEIGHT / block.height))
        return block.move_to(WORKSPACE_CENTER)

    def light_path(self, start: Quantity) -> list:
        return [edge.animate.set_stroke(HIGHLIGHT, width=6) for edge in self.tree.path(start)]

    def dim_path(self, start: Quantity) -> list:
        return [
            edge.animate.set_stroke(self.edge_color, width=2.5) for edge in self.tree.path(start)
        ]

    def factor_formula(self, child: Quantity, parent: Quantity) -> str:
        """The local derivative ∂parent/∂child written out: a, σ′(z), w, 1 or 2(a − y)."""
        if parent.kind == "C0":
            return f"2({self.sym(child)} - y)"
        if parent.kind == "a":
            return f"sigma'({self.sym(child)})"
        feeding = {"w": activation(parent.layer - 1), "a": weight(parent.layer)}
        return self.sym(feeding[child.kind]) if child.kind in feeding else "1"

    def chain_rule_block(self, start: Quantity) -> VGroup:
        """∂C0/∂start = fractions, over their formulas, over their numbers, then the product.

        One column per edge of the tree's path from ``start`` up to C0. Parts: ``[0]``
        the left side, ``[1]`` the columns (fraction, formula, number), ``[2]`` the
        product from backprop, ``[3]`` its box.
        """
        columns = VGroup(
            *(
                VGroup(
                    MathTypst(self.d(parent, child), font_size=TYPE.formula),
                    MathTypst(self.factor_formula(child, parent), font_size=TYPE.body),
                    self.book.number(local(parent, child), font_size=TYPE.body),
                ).arrange(DOWN, buff=0.45)
                for child, parent in self.tree.path_quantities(start)
            )
        ).arrange(RIGHT, buff=0.4)
        for row in range(1, 3):  # formulas on one line, numbers on the next
            for column in columns:
                column[row].match_y(columns[0][row])
        head = MathTypst(f"{self.d(cost(), start)} =", font_size=TYPE.formula)
        head.next_to(columns[0][0], LEFT, buff=0.3)
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

    def play_chain_rule(self, start: Quantity, block: VGroup) -> None:
        """Each factor lifts off its edge as a fraction, then its formula, then its number;
        the product is backprop's gradient."""
        head, columns, product, box = block
        self.play(Write(head), *self.light_path(start))
        for edge, column in zip(self.tree.path(start), columns, strict=True):
            self.play(ReplacementTransform(edge.copy(), column[0]), run_time=1.2)
        self.wait(1)
        self.play(LaggedStart(*(Appear(c[1], shift=DOWN * 0.2) for c in columns), lag_ratio=0.4))
        self.wait(1.5)
        self.play(LaggedStart(*(Appear(c[2], shift=DOWN * 0.2) for c in columns), lag_ratio=0.4))
        self.wait(1.5)
        self.play(Write(product), Create(box))
        self.wait(3)

    # beats -------------------------------------------------------------------

    def show_network(self) -> None:
        self.beat("network")
        chain = NeuronChain(self.chain, self.book).shift(DOWN * 0.2)
        caption = self.caption(
            "One neuron per layer, after",
            STEP,
            "steps of learning to fire when $x >=$",
            THRESHOLD,
        ).shift(DOWN * 0.2)
        self.play(Appear(caption))
        self.play(LaggedStart(*(Appear(n) for n in chain.neurons), lag_ratio=0.3))
        self.play(*(Create(e) for e in chain.edges), Appear(chain.weight_labels))
        self.play(Appear(chain.bias_labels), Appear(chain.y_label))
        self.wait(3)

        # focus on the last two neurons
        earlier = VGroup(
            *chain.neurons[:-2],
            *chain.edges[:-1],
            *chain.weight_labels[:-1],
            *chain.bias_labels[:-1],
            *chain.layer_labels[:-2],
        )
        self.play(earlier.animate.set_opacity(0.2), Appear(chain.layer_labels[-2:]))
        self.play(Indicate(chain.y_label[0], color=HIGHLIGHT))
        self.wait(2)
        self.focus = VGroup(
            *chain.last_two(),
            *chain.layer_labels[-2:],
            chain.weight_labels[-1],
            chain.bias_labels[-1],
        )
        self.play(
            Vanish(caption),
            Vanish(earlier),
            self.focus.animate.scale(0.9).to_corner(UL, buff=0.35),
        )
        self.wait(1)  # a settled frame to end the section on

    def write_forward_pass(self) -> None:
        self.beat("forward-pass")
        z, w, a_prev, b, a = (
            weighted_input(L),
            weight(L),
            activation(L - 1),
            bias(L),
            activation(L),
        )
        size = TYPE.number + 2
        lines = [
            (
                f"{self.sym(z)} = {self.sym(w)} {self.sym(a_prev)} + {self.sym(b)}",
                self.book.row("= (", w, ")(", a_prev, ") +", b, "=", z, font_size=size),
            ),
            (
                f"{self.sym(a)} = sigma({self.sym(z)})",
                self.book.row("= sigma(", z, ") =", a, font_size=size),
            ),
            (
                f"C_0 = ({self.sym(a)} - y)^2",
                self.book.row("= (", a, "-", target(), ")^2 =", cost(), font_size=size),
            ),
        ]
        self.forward = VGroup()
        for formula, numbers in lines:
            symbolic = MathTypst(formula, font_size=TYPE.formula)
            pair = VGroup(symbolic, numbers).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
            numbers.shift(RIGHT * 0.6)
            self.forward.add(pair)
        self.fit_left(self.forward.arrange(DOWN, aligned_edge=LEFT, buff=0.6))
        for symbolic, numbers in self.forward:
            self.play(Write(symbolic))
            self.play(Appear(numbers, shift=RIGHT * 0.2))
            self.wait(2)
        self.wait(1)

    def grow_tree(self) -> None:
        self.beat("tree")
        self.tree = TreeDiagram(self.chain.tree, self.book, self.chain.depth)
        self.tree.move_to([3.7, 0, 0]).align_to([0, 3.55, 0], UP)
        self.edge_color = next(iter(self.tree.edges.values())).get_color()
        for quantity, edges in self.tree.growth(0):
            self.play(
                Appear(self.tree.nodes[quantity], shift=UP * 0.15),
                *(Create(e) for e in edges),
                run_time=0.8,
            )
        self.wait(2)

    def write_chain_rule(self) -> None:
        self.beat("chain-rule")
        self.play(Vanish(self.forward))
        block = self.chain_rule_block(weight(L))
        self.play_chain_rule(weight(L), block)
        self.chain_rule = block

    def bias_and_previous_activation(self) -> None:
        self.beat("other-levers")
        z, a = weighted_input(L), activation(L)
        self.play(Vanish(self.chain_rule), *self.dim_path(weight(L)))
        levers = VGroup()
        for lever in (bias(L), activation(L - 1)):
            # ∂z/∂a^(L−1) is the weight itself: name it before its value
            named = f" {self.sym(weight(L))} =" if lever.kind == "a" else ""
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
        levers.arrange(DOWN, aligned_edge=LEFT, buff=0.9)
        self.fit_left(levers)
        for lever, pair in zip((bias(L), activation(L - 1)), levers, strict=True):
            self.play(*self.light_path(lever))
            self.play(Write(pair[0]))
            self.wait(1.5)
            self.play(Appear(pair[1], shift=DOWN * 0.2))
            self.wait(2.5)
            self.play(*self.dim_path(lever))
        self.wait(1)
        self.levers = levers

    def one_layer_back(self) -> None:
        self.beat("one-layer-back")
        self.play(Vanish(self.levers))
        for quantity, edges in self.tree.growth(1):
            self.play(
                Appear(self.tree.nodes[quantity], shift=DOWN * 0.15),
                *(Create(e) for e in edges),
                run_time=0.8,
            )
        self.wait(1)
        block = self.chain_rule_block(weight(L - 1))
        self.play_chain_rule(weight(L - 1), block)
        self.wait(2)
