"""The visual vocabulary: mobjects built from the core's numbers, never computing calculus."""

from bpcalc.viz.book import (
    NumberBook,
    Q,
    Shown,
    chain_book,
    chain_quantities,
    digits_book,
    format_value,
    layer_name,
    nudge_book,
    scene_params,
)
from bpcalc.viz.chain import NeuronChain, neuron
from bpcalc.viz.motion import Appear, Vanish
from bpcalc.viz.network import NetworkDiagram, PixelGrid, edge_style
from bpcalc.viz.nudge import MOVE_SHARE, CurveWithTangent, NudgeLine
from bpcalc.viz.palette import (
    ACTIVATION,
    BIAS,
    COST,
    HIGHLIGHT,
    SIGMA,
    TARGET,
    W_NEGATIVE,
    W_POSITIVE,
    Z,
    color_of,
    weight_color,
)
from bpcalc.viz.symbols import partial, symbol
from bpcalc.viz.tree import TreeDiagram

__all__ = [
    "NumberBook",
    "Q",
    "Shown",
    "chain_book",
    "chain_quantities",
    "format_value",
    "layer_name",
    "scene_params",
    "MOVE_SHARE",
    "digits_book",
    "NetworkDiagram",
    "PixelGrid",
    "edge_style",
    "Appear",
    "Vanish",
    "NeuronChain",
    "neuron",
    "ACTIVATION",
    "BIAS",
    "COST",
    "HIGHLIGHT",
    "SIGMA",
    "TARGET",
    "W_NEGATIVE",
    "W_POSITIVE",
    "Z",
    "color_of",
    "weight_color",
    "partial",
    "symbol",
    "TreeDiagram",
    "nudge_book",
    "CurveWithTangent",
    "NudgeLine",
]
