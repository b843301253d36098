"""One typography scale: font sizes by the role of the text, for every scene."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Typography", "TYPE"]


@dataclass(frozen=True)
class Typography:
    """Font sizes (Manim units) by role; scenes and mobjects name a role, never a size."""

    title: float = 30  # the caption line at the top of the frame
    formula: float = 34  # a symbolic equation, the star of its beat
    body: float = 30  # a secondary equation or a sentence of math
    number: float = 28  # a row of numbers under its formula
    label: float = 24  # names beside neurons, axes, small rows
    dense: float = 22  # tables with a row per neuron
    tiny: float = 18  # numbers inside pixels


TYPE = Typography()
