"""The visual vocabulary: mobjects built from the core's numbers, never computing calculus.

Scenes import from here only: the scene base, the mobjects, the palette, the
typography scale, and (re-exported) the quantities they ask the book for.
"""

from bpcalc.numbers.quantities import *  # noqa: F403  (the quantities a scene names)
from bpcalc.numbers.quantities import __all__ as _quantities
from bpcalc.viz.book import (
    MOST_FIGURES,
    SIGNIFICANT,
    NumberBook,
    Q,
    Row,
    Shown,
    activation_slope_of,
    align_leads,
    cost_slope_of,
    cost_term_of,
    format_value,
    output_error_of,
    shown_value,
    sigmoid_of,
    sigmoid_slope_of,
    typeset,
    weighted_input_of,
)
from bpcalc.viz.chain import NeuronChain
from bpcalc.viz.charts import Chart, keep_apart
from bpcalc.viz.loop import LoopDiagram
from bpcalc.viz.motion import Appear, Vanish, detour, lift_off
from bpcalc.viz.network import NetworkDiagram, PixelGrid, WeightLegend, edge_style, edge_width
from bpcalc.viz.nudge import (
    MOVE_SHARE,
    NudgeLine,
    ValueSwap,
    figures_for_decimals,
    figures_to_tell,
    rezoom,
    seen_line,
    zoom_text,
    zoom_to_see,
)
from bpcalc.viz.outputs import OutputBars
from bpcalc.viz.palette import (
    ACCURACY,
    ACTIVATION,
    BIAS,
    BIAS_APART,
    COST,
    COST_APART,
    GRADIENT,
    HIGHLIGHT,
    SIGMA,
    TARGET,
    W_NEGATIVE,
    W_POSITIVE,
    Z,
    color_of,
    weight_color,
)
from bpcalc.viz.pixels import PixelImage
from bpcalc.viz.ripple import PieceFraction, RippleLine, fly, glyphs, rest_of
from bpcalc.viz.running import RunningAxes
from bpcalc.viz.states import (
    LiveNumber,
    StateBar,
    StateReadout,
    between,
    fixed_decimals,
    restroke,
)
from bpcalc.viz.story import STORY_TABLES, StoryScene, neuron, scene_params, story_of
from bpcalc.viz.symbols import local_formula, partial, spoken, symbol
from bpcalc.viz.tree import TreeDiagram
from bpcalc.viz.typography import TYPE, Typography
from bpcalc.viz.vector import ColumnVector

__all__ = [
    *_quantities,
    "NumberBook",
    "Q",
    "Shown",
    "Row",
    "align_leads",
    "cost_term_of",
    "shown_value",
    "sigmoid_of",
    "sigmoid_slope_of",
    "activation_slope_of",
    "cost_slope_of",
    "weighted_input_of",
    "output_error_of",
    "format_value",
    "MOST_FIGURES",
    "SIGNIFICANT",
    "typeset",
    "NeuronChain",
    "Chart",
    "keep_apart",
    "Appear",
    "Vanish",
    "detour",
    "lift_off",
    "NetworkDiagram",
    "PixelGrid",
    "edge_style",
    "edge_width",
    "WeightLegend",
    "MOVE_SHARE",
    "NudgeLine",
    "ValueSwap",
    "rezoom",
    "seen_line",
    "zoom_text",
    "zoom_to_see",
    "ACCURACY",
    "ACTIVATION",
    "BIAS",
    "BIAS_APART",
    "COST",
    "COST_APART",
    "figures_for_decimals",
    "figures_to_tell",
    "GRADIENT",
    "HIGHLIGHT",
    "SIGMA",
    "TARGET",
    "W_NEGATIVE",
    "W_POSITIVE",
    "Z",
    "color_of",
    "weight_color",
    "STORY_TABLES",
    "StoryScene",
    "neuron",
    "scene_params",
    "story_of",
    "partial",
    "local_formula",
    "spoken",
    "symbol",
    "TreeDiagram",
    "TYPE",
    "Typography",
    "PieceFraction",
    "RippleLine",
    "fly",
    "glyphs",
    "rest_of",
    "StateReadout",
    "StateBar",
    "LiveNumber",
    "fixed_decimals",
    "between",
    "restroke",
    "ColumnVector",
    "RunningAxes",
    "OutputBars",
    "LoopDiagram",
    "PixelImage",
]
