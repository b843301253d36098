"""The picture paced by the voice: a line holds the picture until it is said, and a scene
can wait for a word of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bpcalc.params import Params
from bpcalc.pipeline.check import dry_run

SCENE = """
from manim import Dot, FadeIn

from bpcalc.viz import OUTPUT, StoryScene, weight


class Paced(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("one")
        self.say("The last weight is", weight(OUTPUT), ", and this dot lands on the word dot.")
        self.until_word("dot")
        self.landed = self.time
        self.play(FadeIn(Dot()), run_time=0.2)
        self.beat("two")
        self.say("Done.")
"""


@pytest.mark.render
def test_a_scene_waits_for_a_word_and_for_the_end_of_its_line(
    tmp_path: Path, params: Params
) -> None:
    file = tmp_path / "paced.py"
    file.write_text(SCENE)
    scene = dry_run(file, "Paced", params)
    first, second = scene.narrated
    words = first.line.spoken.split()
    dot = words.index("dot")  # after the spoken weight: "minus four point eight nine"
    assert dot > 8
    frame = 1 / 15  # the dry run's frame rate
    assert abs(scene.landed - (first.start + first.speech.words[dot][0])) < frame
    assert scene.landed - first.start > 1.5  # well into the line, not at its start
    assert first.end >= first.start + first.speech.duration + 0.3  # said, then a breath
    assert second.start == first.end  # the next beat starts once the line is over
    assert scene.time >= second.start + second.speech.duration
