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
    Scene,
    SurroundingRectangle,
    VGroup,
    Write,
)

from bpcalc.viz import (
    COST,
    HIGHLIGHT,
    Appear,
    NeuronChain,
    Q,
    TreeDiagram,
    Vanish,
    chain_book,
    partial,
    scene_params,
    symbol,
)

FORMULA_SIZE = 34
NUMBER_SIZE = 30
WORKSPACE_CENTER = [-3.0, -0.8, 0]  # formulas live left of the tree, under the corner network
WORKSPACE_WIDTH = 7.6
WORKSPACE_HEIGHT = 5.4


class ChainRule(Scene):
    """Six beats: network, forward formulas, tree, chain rule, other levers, one layer back."""

    story_order = 2
    title = "The chain rule, one neuron per layer"
    poster_beat = "one-layer-back"  # its last frame is the poster

    def construct(self) -> None:
        self.chain, self.book = chain_book(scene_params())
        self.depth = self.chain.depth
        self.show_network()
        self.write_forward_pass()
        self.grow_tree()
        self.write_chain_rule()
        self.bias_and_previous_activation()
        self.one_layer_back()

    # helpers -----------------------------------------------------------------

    def sym(self, key: str) -> str:
        return symbol(key, self.depth)

    def d(self, top: str, bottom: str) -> str:
        return partial(top, bottom, self.depth)

    def fit_left(self, block: VGroup) -> VGroup:
        """Fit a block into the space left of the tree and under the corner network."""
        block.scale(min(1.0, WORKSPACE_WIDTH / block.width, WORKSPACE_HEIGHT / block.height))
        return block.move_to(WORKSPACE_CENTER)

    def light_path(self, start: str) -> list:
        return [edge.animate.set_stroke(HIGHLIGHT, width=6) for edge in self.tree.path(start)]

    def dim_path(self, start: str) -> list:
        return [
            edge.animate.set_stroke(self.edge_color, width=2.5) for edge in self.tree.path(start)
        ]

    def chain_rule_block(self, start: str, factors: list[tuple[str, str, str]]) -> VGroup:
        """∂C0/∂start = fractions, over their formulas, over their numbers, then the product.

        Parts: ``[0]`` the left side, ``[1]`` the columns (fraction, formula,
        number), ``[2]`` the product from backprop, ``[3]`` its box.
        """
        columns = VGroup(
            *(
                VGroup(
                    MathTypst(fraction, font_size=FORMULA_SIZE),
                    MathTypst(formula, font_size=FORMULA_SIZE - 4),
                    self.book.number(key, font_size=NUMBER_SIZE),
                ).arrange(DOWN, buff=0.45)
                for fraction, formula, key in factors
            )
        ).arrange(RIGHT, buff=0.4)
        for row in range(1, 3):  # formulas on one line, numbers on the next
            for column in columns:
                column[row].match_y(columns[0][row])
        head = MathTypst(f"{self.d('C0', start)} =", font_size=FORMULA_SIZE)
        head.next_to(columns[0][0], LEFT, buff=0.3)
        product = self.book.row("=", Q(f"dC0/d{start}", COST), font_size=FORMULA_SIZE)
        product.next_to(columns, RIGHT, buff=0.4).match_y(columns[-1][2])
        if VGroup(head, columns, product).width > WORKSPACE_WIDTH:  # long chains: stack
            head.next_to(columns, UP, buff=0.4).align_to(columns, LEFT)
            product.next_to(columns, DOWN, buff=0.4).align_to(columns, RIGHT)
        box = SurroundingRectangle(product[1], color=HIGHLIGHT, buff=0.12)
        return self.fit_left(VGroup(head, columns, product, box))

    def play_chain_rule(self, start: str, block: VGroup) -> None:
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
        self.next_section("network")
        chain = NeuronChain(self.chain, self.book).shift(DOWN * 0.2)
        caption = self.book.caption(
            "One neuron per layer, after",
            Q("step"),
            "steps of learning to fire when $x >=$",
            Q("threshold"),
            font_size=30,
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
        self.next_section("forward-pass")
        L, prev = self.depth, self.depth - 1
        z, w, a_prev, b = (
            self.sym(f"z{L}"),
            self.sym(f"w{L}"),
            self.sym(f"a{prev}"),
            self.sym(f"b{L}"),
        )
        a = self.sym(f"a{L}")
        lines = [
            (
                f"{z} = {w} {a_prev} + {b}",
                self.book.row(
                    "= (",
                    Q(f"w{L}"),
                    ")(",
                    Q(f"a{prev}"),
                    ") +",
                    Q(f"b{L}"),
                    "=",
                    Q(f"z{L}"),
                    font_size=NUMBER_SIZE,
                ),
            ),
            (
                f"{a} = sigma({z})",
                self.book.row("= sigma(", Q(f"z{L}"), ") =", Q(f"a{L}"), font_size=NUMBER_SIZE),
            ),
            (
                f"C_0 = ({a} - y)^2",
                self.book.row(
                    "= (", Q(f"a{L}"), "-", Q("y"), ")^2 =", Q("C0"), font_size=NUMBER_SIZE
                ),
            ),
        ]
        self.forward = VGroup()
        for formula, numbers in lines:
            symbolic = MathTypst(formula, font_size=FORMULA_SIZE)
            pair = VGroup(symbolic, numbers).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
            numbers.shift(RIGHT * 0.6)
            self.forward.add(pair)
        self.fit_left(self.forward.arrange(DOWN, aligned_edge=LEFT, buff=0.6))
        for symbolic, numbers in self.forward:
            self.play(Write(symbolic))
            self.play(Appear(numbers, shift=RIGHT * 0.2))
            self.wait(2)
        self.forward[-1][1][-1].set_color(COST)
        self.wait(1)

    def grow_tree(self) -> None:
        self.next_section("tree")
        self.tree = TreeDiagram(self.chain.tree, self.book, self.depth).move_to([3.7, 0, 0])
        self.tree.align_to([0, 3.55, 0], UP)
        self.edge_color = next(iter(self.tree.edges.values())).get_color()
        for key, edges in self.tree.growth(0):
            self.play(
                Appear(self.tree.nodes[key], shift=UP * 0.15),
                *(Create(e) for e in edges),
                run_time=0.8,
            )
        self.wait(2)

    def write_chain_rule(self) -> None:
        self.next_section("chain-rule")
        L, prev = self.depth, self.depth - 1
        self.play(Vanish(self.forward))
        block = self.chain_rule_block(
            f"w{L}",
            [
                (self.d(f"z{L}", f"w{L}"), self.sym(f"a{prev}"), f"dz{L}/dw{L}"),
                (self.d(f"a{L}", f"z{L}"), f"sigma'({self.sym(f'z{L}')})", f"da{L}/dz{L}"),
                (self.d("C0", f"a{L}"), f"2({self.sym(f'a{L}')} - y)", f"dC0/da{L}"),
            ],
        )
        self.play_chain_rule(f"w{L}", block)
        self.chain_rule = block

    def bias_and_previous_activation(self) -> None:
        self.next_section("other-levers")
        L, prev = self.depth, self.depth - 1
        self.play(Vanish(self.chain_rule), *self.dim_path(f"w{L}"))
        levers = VGroup()
        for lever, shown in ((f"b{L}", f"dz{L}/db{L}"), (f"a{prev}", f"dz{L}/da{prev}")):
            # ∂z/∂a^(L−1) is the weight itself: name it before its value
            named = f" {self.sym(f'w{L}')} =" if lever.startswith("a") else ""
            local = self.book.row(
                f"{self.d(f'z{L}', lever)} ={named}", Q(shown), font_size=FORMULA_SIZE
            )
            total = self.book.row(
                f"{self.d('C0', lever)} =",
                Q(shown),
                "dot",
                Q(f"da{L}/dz{L}"),
                "dot (",
                Q(f"dC0/da{L}"),
                ") =",
                Q(f"dC0/d{lever}", COST),
                font_size=NUMBER_SIZE,
            )
            pair = VGroup(local, total).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
            levers.add(pair)
        levers.arrange(DOWN, aligned_edge=LEFT, buff=0.9)
        self.fit_left(levers)
        for lever, pair in zip((f"b{L}", f"a{prev}"), levers, strict=True):
            self.play(*self.light_path(lever))
            self.play(Write(pair[0]))
            self.wait(1.5)
            self.play(Appear(pair[1], shift=DOWN * 0.2))
            self.wait(2.5)
            self.play(*self.dim_path(lever))
        self.wait(1)
        self.levers = levers

    def one_layer_back(self) -> None:
        self.next_section("one-layer-back")
        L, prev, before = self.depth, self.depth - 1, self.depth - 2
        self.play(Vanish(self.levers))
        for key, edges in self.tree.growth(1):
            self.play(
                Appear(self.tree.nodes[key], shift=DOWN * 0.15),
                *(Create(e) for e in edges),
                run_time=0.8,
            )
        self.wait(1)
        block = self.chain_rule_block(
            f"w{prev}",
            [
                (self.d(f"z{prev}", f"w{prev}"), self.sym(f"a{before}"), f"dz{prev}/dw{prev}"),
                (
                    self.d(f"a{prev}", f"z{prev}"),
                    f"sigma'({self.sym(f'z{prev}')})",
                    f"da{prev}/dz{prev}",
                ),
                (self.d(f"z{L}", f"a{prev}"), self.sym(f"w{L}"), f"dz{L}/da{prev}"),
                (self.d(f"a{L}", f"z{L}"), f"sigma'({self.sym(f'z{L}')})", f"da{L}/dz{L}"),
                (self.d("C0", f"a{L}"), f"2({self.sym(f'a{L}')} - y)", f"dC0/da{L}"),
            ],
        )
        self.play_chain_rule(f"w{prev}", block)
        self.wait(2)
