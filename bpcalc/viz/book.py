"""Numbers on screen, each tied by name to the core quantity it shows.

A scene never types a value: it asks its :class:`NumberBook` for a quantity
by key (``"w3"``, ``"dz3/dw3"``, ``"dC0/dw3"``) and gets a mobject that
remembers the key, the value and the text it displays. The book keeps every
number it handed out, so a test can check them all against the core.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from manim import RIGHT, UP, ManimColor, MathTypst, Typst, VGroup

from bpcalc.core.network import sigmoid_prime
from bpcalc.core.nudge import Nudge
from bpcalc.numbers import (
    ChainNumbers,
    DigitsNumbers,
    NudgeNumbers,
    chain_numbers,
    digits_numbers,
    nudge_numbers,
)
from bpcalc.params import Params, ParamsError, load_params
from bpcalc.viz.palette import ACTIVATION, color_of, weight_color

__all__ = [
    "format_value",
    "typeset",
    "Shown",
    "NumberBook",
    "Q",
    "key_color",
    "chain_book",
    "chain_quantities",
    "scene_params",
    "layer_name",
    "VALUE_SIZE",
    "nudge_book",
    "nudge_quantities",
    "digits_book",
    "digits_quantities",
]

VALUE_SIZE = 28
SIGNIFICANT = 3
SCIENTIFIC_BELOW = 1e-3
TOP_COMPONENTS = 5  # the largest components of ∇C a scene may name
OPERATORS = set("=+-:")


def format_value(value: float) -> str:
    """Three significant figures as Typst math: ``-0.0231``, ``1``, ``-4.89``, and
    ``-1.16 times 10^(-6)`` below a thousandth, where zeros would hide the digits."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    if float(value).is_integer() and abs(value) < 1000:
        return str(int(value))
    if abs(value) < SCIENTIFIC_BELOW:
        mantissa, exponent = f"{value:.{SIGNIFICANT - 1}e}".split("e")
        return f"{mantissa} times 10^({int(exponent)})"
    decimals = max(SIGNIFICANT - 1 - math.floor(math.log10(abs(value))), 0)
    text = f"{value:.{decimals}f}"
    return "0" if float(text) == 0 else text


def layer_name(layer: int, depth: int) -> str:
    """The video's name for a layer: ``L`` for the last, ``L-1`` before it, and so on."""
    return "L" if layer == depth else f"L-{depth - layer}"


@lru_cache(maxsize=2048)
def _typeset(typst: str, font_size: float) -> MathTypst:
    return MathTypst(typst, font_size=font_size)


def typeset(
    typst: str, font_size: float = VALUE_SIZE, color: ManimColor | None = None
) -> MathTypst:
    """Typst math, typeset once per string and size and copied after: a grid of 64
    grey levels needs only 17 typesettings."""
    mobject = _typeset(typst, font_size).copy()
    return mobject.set_color(color) if color is not None else mobject


class Shown(VGroup):
    """A number on screen that remembers which core quantity it shows."""

    def __init__(self, key: str, value: float, color: ManimColor, font_size: float) -> None:
        self.key = key
        self.value = value
        self.text = format_value(value)
        super().__init__(typeset(self.text, font_size, color))


@dataclass
class NumberBook:
    """Core quantities by key, and a record of every number put on screen."""

    quantities: dict[str, float]
    shown: list[Shown] = field(default_factory=list)

    def number(
        self, key: str, color: ManimColor | None = None, font_size: float = VALUE_SIZE
    ) -> Shown:
        """The quantity ``key`` as a number mobject, in its quantity's colour by default."""
        value = self.quantities[key]
        shown = Shown(key, value, color or key_color(key, value), font_size)
        self.shown.append(shown)
        return shown

    def row(self, *parts: str | Q, font_size: float = VALUE_SIZE) -> VGroup:
        """Typst pieces and quantities side by side: ``row("= (", Q("w3"), ")")``.

        Gaps follow the math: wide around =, +, − and ⋅, tight inside parentheses.
        """
        pieces = [
            self.number(part.key, part.color, font_size)
            if isinstance(part, Q)
            else typeset(_balanced(part), font_size)
            for part in parts
        ]
        texts = [part if isinstance(part, str) else "0" for part in parts]
        group = VGroup(pieces[0])
        for left, right, piece in zip(texts, texts[1:], pieces[1:], strict=False):
            wide = left.rstrip()[-1:] in OPERATORS or right.lstrip()[:1] in OPERATORS
            wide = wide or left.endswith("dot") or right.startswith("dot")
            piece.next_to(group, RIGHT, buff=(0.16 if wide else 0.05) * font_size / VALUE_SIZE)
            group.add(piece)
        return group

    def caption(self, *parts: str | Q, font_size: float = 28) -> VGroup:
        """Words (Typst text) with quantities in them, at the top of the frame:
        ``caption("A real handwritten", Q("label"), "from the test set")``."""
        pieces = [
            self.number(part.key, part.color, font_size)
            if isinstance(part, Q)
            else Typst(part, font_size=font_size)
            for part in parts
        ]
        return VGroup(*pieces).arrange(RIGHT, buff=0.15).to_edge(UP, buff=0.3)


def _balanced(typst: str) -> str:
    """Typst math rejects a lone parenthesis; pieces of a row may hold one, so escape it."""
    if typst.count("(") == typst.count(")"):
        return typst
    return typst.replace("(", "\\(").replace(")", "\\)")


@dataclass(frozen=True)
class Q:
    """A quantity by key inside :meth:`NumberBook.row`, optionally in another colour."""

    key: str
    color: ManimColor | None = None


def key_color(key: str, value: float) -> ManimColor:
    """The palette colour of a quantity key: weights by sign, derivatives and the rest white."""
    symbol = re.match(r"[a-zA-Z_]+", key)
    name = symbol.group(0) if symbol else ""
    if key.startswith("d") and "/" in key or name in ("sigma_prime", "step", "threshold"):
        return ACTIVATION
    if name == "w":
        return weight_color(value)
    if key == "C0":
        return color_of("C0")
    return color_of(name) if name in ("b", "z", "a", "y", "x") else ACTIVATION


def chain_quantities(chain: ChainNumbers) -> dict[str, float]:
    """Every chain quantity a scene may show, by key.

    Node keys come from the derivative tree (``w3``, ``a2``, ``z3``, ``y``,
    ``C0``); ``"dP/dC"`` is the local derivative on the edge from C to P;
    ``"dC0/dQ"`` is the full gradient from backprop; ``"sigma_prime3"`` is σ′(z^(3)).
    """
    quantities = {node.key: node.value for node in chain.tree.nodes.values()}
    for edge in chain.tree.edges:
        quantities[f"d{edge.parent}/d{edge.child}"] = edge.value
    for layer in range(1, chain.depth + 1):
        i = layer - 1
        quantities[f"dC0/dw{layer}"] = float(chain.dC_dw[i])
        quantities[f"dC0/db{layer}"] = float(chain.dC_db[i])
        quantities[f"dC0/dz{layer}"] = float(chain.dC_dz[i])
        quantities[f"dC0/da{i}"] = float(chain.dC_da[i])
        quantities[f"sigma_prime{layer}"] = float(chain.sigma_prime[i])
    quantities[f"dC0/da{chain.depth}"] = float(chain.dC_da[chain.depth])
    quantities["x"] = chain.x
    quantities["step"] = float(chain.step)
    quantities["threshold"] = chain.threshold
    return quantities


def scene_params() -> Params:
    """The scenes' parameters (``$BPCALC_PARAMS`` or ``bpcalc.toml``).

    A bad file stops the render before any frame with one line and exit 2, so
    nothing already rendered is touched.
    """
    try:
        return load_params()
    except ParamsError as exc:
        print(f"bpcalc: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def chain_book(params: Params) -> tuple[ChainNumbers, NumberBook]:
    """The chain's numbers and a book of its quantities."""
    chain = chain_numbers(params)
    return chain, NumberBook(chain_quantities(chain))


NUDGE_FIELDS = (
    "delta",
    "dz",
    "da",
    "dC",
    "dz_linear",
    "da_linear",
    "dC_linear",
    "gradient",
    "ratio",
)
STATES = ("q", "z", "a", "c")  # the nudged quantity, z, a and C0, before (0) and after (1)


def nudge_quantities(prefix: str, nudge: Nudge) -> dict[str, float]:
    """A nudge's numbers by key: ``{prefix}.dz``, ``{prefix}.ratio``, ``{prefix}.z1`` …"""
    quantities = {f"{prefix}.{name}": float(getattr(nudge, name)) for name in NUDGE_FIELDS}
    for state, before, after in zip(STATES, nudge.before, nudge.after, strict=True):
        quantities[f"{prefix}.{state}0"] = float(before)
        quantities[f"{prefix}.{state}1"] = float(after)
    return quantities


def nudge_book(params: Params) -> tuple[ChainNumbers, NudgeNumbers, NumberBook]:
    """The chain, its nudges, and a book with both: ``nudge.*`` for the configured nudge,
    ``shrink{i}.*`` for the shrinking ones, ``lever.{w,b,a}.*`` for each lever on z."""
    chain, nudges = chain_numbers(params), nudge_numbers(params)
    quantities = chain_quantities(chain) | nudge_quantities("nudge", nudges.main)
    for i, nudge in enumerate(nudges.shrinking):
        quantities |= nudge_quantities(f"shrink{i}", nudge)
    for name, nudge in nudges.levers.items():
        quantities |= nudge_quantities(f"lever.{name}", nudge)
    return chain, nudges, NumberBook(quantities)


def digits_quantities(digits: DigitsNumbers) -> dict[str, float]:
    """The digits story by key: ``d.a2_5`` is a_5^(2) of the trained network on the example
    (``u.`` the untrained one), ``d.sq_3`` is (a_3 − y_3)², ``level_r_c`` a pixel's grey
    level, and ``f.*`` the fire-together terms of the last layer (see :class:`FireTogether`)."""
    quantities: dict[str, float] = {
        "label": float(digits.example.label),
        "test_accuracy": digits.test_accuracy,
    }
    for tag, example in (("d", digits.example), ("u", digits.untrained_example)):
        for layer, activations in enumerate(example.fwd.a):
            for j, value in enumerate(activations):
                quantities[f"{tag}.a{layer}_{j}"] = float(value)
        for j, value in enumerate(example.cost_terms):
            quantities[f"{tag}.sq_{j}"] = float(value)
        quantities[f"{tag}.C0"] = example.cost
    for j, value in enumerate(digits.example.y):
        quantities[f"y_{j}"] = float(value)
    for (row, col), level in np.ndenumerate(digits.example.grey_levels):
        quantities[f"level_{row}_{col}"] = float(level)
    fire = digits.fire
    weights = digits.network.weights[fire.layer - 1]
    for j, delta in enumerate(fire.delta):
        quantities[f"f.delta_{j}"] = float(delta)
        quantities[f"f.back_{j}"] = float(fire.back_terms[j])
        quantities[f"f.w_back_{j}"] = float(weights[j, fire.back_neuron])
    for k, term in enumerate(fire.focus_terms):
        quantities[f"f.term_{k}"] = float(term)
        quantities[f"f.w_{k}"] = float(weights[fire.focus, k])
    quantities["f.back_sum"] = fire.back_sum
    quantities |= _layer_quantities(digits)
    quantities |= _batch_quantities(digits)
    return quantities


def _layer_quantities(digits: DigitsNumbers) -> dict[str, float]:
    """Weights, biases, z, σ′(z) and every gradient of the example, layer by layer:
    ``w3_1_4``, ``b3_1``, ``d.z3_1``, ``d.sp3_1``, ``d.dCda2_4``, ``d.dCdw3_1_4`` …"""
    example, net = digits.example, digits.network
    quantities: dict[str, float] = {}
    for layer in range(1, len(net.weights) + 1):
        i = layer - 1
        arrays = {
            f"w{layer}": net.weights[i],
            f"b{layer}": net.biases[i],
            f"d.z{layer}": example.fwd.z[i],
            f"d.sp{layer}": sigmoid_prime(example.fwd.z[i]),
            f"d.dCda{layer}": example.grads.dC_da[layer],
            f"d.dCdb{layer}": example.grads.dC_db[i],
            f"d.dCdw{layer}": example.grads.dC_dw[i],
        }
        for name, array in arrays.items():
            for index, value in np.ndenumerate(array):
                quantities[name + "".join(f"_{n}" for n in index)] = float(value)
    return quantities


def _batch_quantities(digits: DigitsNumbers) -> dict[str, float]:
    """Training's first mini-batch: ``batch.grad_3`` is example 3's ∂C/∂w for the
    ``[weight]`` weight, ``batch.avg`` their average, ``batch.top0`` the largest
    component of ∇C, and the sizes and costs around them."""
    batch, weight = digits.batch, digits.weight
    layer, j, k = weight.layer - 1, weight.j, weight.k
    quantities = {
        "batch.avg": float(batch.average.dC_dw[layer][j, k]),
        "batch.size": float(len(batch.indices)),
        "batch.components": float(batch.gradient_size),
        "batch.cost_before": batch.cost_before,
        "batch.cost_after": batch.cost_after,
        "batch.eta": batch.learning_rate,
        "train_size": float(digits.train_size),
        "steps_per_epoch": float(digits.steps_per_epoch),
        "epochs": float(len(digits.epoch_cost) - 1),
    }
    for i, gradients in enumerate(batch.per_example):
        quantities[f"batch.grad_{i}"] = float(gradients.dC_dw[layer][j, k])
        quantities[f"batch.label_{i}"] = float(batch.labels[i])
    for rank, (_, _, _, value) in enumerate(batch.largest(TOP_COMPONENTS)):
        quantities[f"batch.top{rank}"] = value
    for epoch, (cost, accuracy) in enumerate(
        zip(digits.epoch_cost, digits.epoch_accuracy, strict=True)
    ):
        quantities[f"epoch_cost_{epoch}"] = float(cost)
        quantities[f"epoch_accuracy_{epoch}"] = float(accuracy)
    return quantities


def digits_book(params: Params) -> tuple[DigitsNumbers, NumberBook]:
    """The digits network's numbers and a book of its quantities."""
    digits = digits_numbers(params)
    return digits, NumberBook(digits_quantities(digits))
