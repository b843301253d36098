"""The ten outputs of one run as bars: lengths true, numbers where they are readable.

The label's output and the brightest other output carry their values. When the
other outputs are all so small that their value would need scientific notation,
a readable bound stands for them instead (``every other output < 0.01``): true,
and readable, without rounding anything to falsehood.
"""

from __future__ import annotations

from manim import DOWN, GREY_B, LEFT, RIGHT, UP, WHITE, Line, MathTypst, Rectangle, Typst, VGroup

from bpcalc.numbers.quantities import OUTPUT, activation, output_bound
from bpcalc.viz.book import SCIENTIFIC_BELOW, NumberBook
from bpcalc.viz.palette import TARGET
from bpcalc.viz.typography import TYPE

__all__ = ["OutputBars"]

LENGTH = 2.2  # the bar of an output of 1


class OutputBars(VGroup):
    """Bars for the outputs of ``run``; ``rows[j]`` is output j (digit, bar, number or not),
    ``bound`` the row that bounds the unnumbered outputs (empty when all are numbered)."""

    def __init__(
        self,
        book: NumberBook,
        run: str,
        label: int,
        rival: int,
        outputs: int = 10,
        font_size: float = TYPE.dense,
        axis: bool = False,
    ) -> None:
        self.rows = VGroup()
        rival_readable = book.value(activation(OUTPUT, rival, run)) >= SCIENTIFIC_BELOW
        numbered = {label, rival} if rival_readable else {label}
        for j in range(outputs):
            value = book.value(activation(OUTPUT, j, run))
            color = TARGET if j == label else WHITE
            digit = MathTypst(str(j), font_size=font_size, color=color)
            bar = Rectangle(width=max(LENGTH * value, 0.02), height=0.22, stroke_width=0)
            bar.set_fill(color, 0.85)
            bar.next_to(digit, RIGHT, buff=0.2)
            row = VGroup(digit, bar)
            if j in numbered:
                number = book.number(activation(OUTPUT, j, run), font_size=font_size)
                row.add(number.next_to(bar, RIGHT, buff=0.15))
            self.rows.add(row)
        self.rows.arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        self.axis = VGroup()
        if axis:  # a named value axis under the bars (an output runs from 0 to 1), j over them
            start = self.rows[-1][1].get_corner(DOWN + LEFT) + DOWN * 0.12
            line = Line(start, start + RIGHT * LENGTH, stroke_color=GREY_B, stroke_width=1.5)
            ticks = VGroup(
                *(
                    Typst(text, font_size=font_size - 2, fill_color=GREY_B).next_to(
                        line.point_from_proportion(at), DOWN, buff=0.08
                    )
                    for text, at in (("0", 0.0), ("1", 1.0))
                )
            )
            marks = VGroup(
                *(
                    Line(UP * 0.05, DOWN * 0.05, stroke_color=GREY_B, stroke_width=1.5).move_to(
                        line.point_from_proportion(at)
                    )
                    for at in (0.0, 1.0)
                )
            )
            # what a bar's length is, under the axis; over the digits, that they are j
            name = Typst(
                "activation $a_j^((L))$, 0 to 1", font_size=font_size - 2, fill_color=GREY_B
            ).next_to(ticks, DOWN, buff=0.1)
            name.set_x(line.get_center()[0])
            digits = VGroup(*(row[0] for row in self.rows))
            index = MathTypst("j", font_size=font_size - 2, color=GREY_B)
            index.next_to(digits, UP, buff=0.08).set_x(digits.get_center()[0])
            self.axis = VGroup(line, marks, ticks, name, index)
        self.bound = VGroup()
        if not rival_readable:
            self.bound = book.row(
                '"every other" <', output_bound(run), font_size=font_size
            ).next_to(VGroup(self.rows, self.axis), DOWN, buff=0.2)
        super().__init__(self.rows, self.axis, self.bound)
