"""The visual vocabulary: mobjects built from the core's numbers, never computing calculus.

Scenes import from here only: the scene base, the mobjects, the palette, the
typography scale, and (re-exported) the quantities they ask the book for.
"""

from bpcalc.numbers.quantities import *  # noqa: F403  (the quantities a scene names)
from bpcalc.numbers.quantities import __all__ as _quantities
from bpcalc.viz.book import NumberBook, Q, Shown, format_value, typeset
from bpcalc.viz.chain import NeuronChain
from bpcalc.viz.charts import Chart
from bpcalc.viz.loop import LoopDiagram
from bpcalc.viz.motion import Appear, Vanish, detour, lift_off
from bpcalc.viz.network import NetworkDiagram, PixelGrid, WeightLegend, edge_style
from bpcalc.viz.nudge import MOVE_SHARE, NudgeLine, zoom_text, zoom_to_see
from bpcalc.viz.outputs import OutputBars
from bpcalc.viz.palette import (
    ACTIVATION,
    BIAS,
    COST,
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
from bpcalc.viz.ripple import PieceFraction, RippleLine, fly, glyphs
from bpcalc.viz.running import RunningAxes
from bpcalc.viz.states import StateBar, StateReadout, between, restroke
from bpcalc.viz.story import STORY_TABLES, StoryScene, neuron, scene_params, story_of
from bpcalc.viz.symbols import partial, spoken, symbol
from bpcalc.viz.tree import TreeDiagram
from bpcalc.viz.typography import TYPE, Typography
from bpcalc.viz.vector import ColumnVector

__all__ = [
    *_quantities,
    "NumberBook",
    "Q",
    "Shown",
    "format_value",
    "typeset",
    "NeuronChain",
    "Chart",
    "Appear",
    "Vanish",
    "detour",
    "lift_off",
    "NetworkDiagram",
    "PixelGrid",
    "edge_style",
    "WeightLegend",
    "MOVE_SHARE",
    "NudgeLine",
    "zoom_text",
    "zoom_to_see",
    "ACTIVATION",
    "BIAS",
    "COST",
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
    "spoken",
    "symbol",
    "TreeDiagram",
    "TYPE",
    "Typography",
    "PieceFraction",
    "RippleLine",
    "fly",
    "glyphs",
    "StateReadout",
    "StateBar",
    "between",
    "restroke",
    "ColumnVector",
    "RunningAxes",
    "OutputBars",
    "LoopDiagram",
    "PixelImage",
]
