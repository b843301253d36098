"""`bpcalc check --scenes`: true scenes pass, a false row or a silent beat fails, bad input
gets one line; the equations a row states, read as the viewer reads them; and the frames a
viewer sees: off the safe area, text over text, stale numbers, held and blank pictures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from scene_support import ROOT

from bpcalc.pipeline.check import row_equations, shown_mismatches

pytestmark = pytest.mark.usefixtures("silent_voice")  # numbers and layout only

FALSE_SCENE = """
from bpcalc.viz import OUTPUT, StoryScene, activation, cost, target


class FalseRow(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("wrong")
        self.say("This row squares the wrong activation.")
        # a^(L-1) where a^(L) belongs: the equation on screen does not hold
        self.add(self.book.row("(", activation(OUTPUT - 1), "-", target(), ")^2 =", cost()))
        self.wait(0.2)


class SilentBeat(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("talks")
        self.say("One line.")
        self.wait(0.2)
        self.beat("silent")
        self.wait(0.2)
"""


FRAME_SCENES = """
from contextlib import nullcontext

from manim import LEFT, RIGHT, UP, MathTypst

from bpcalc.viz import (
    OUTPUT, SNAPSHOT, Appear, NudgeField, StoryScene, Vanish, bias, cost, fly, nudge_run, nudged,
    weight,
)


class Framed(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("one")
        self.say("A weight.")
        number = self.book.number(weight(OUTPUT))
        self.play(Appear(number))
        self.play(number.animate.shift(RIGHT * 3))


class OffFrame(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("one")
        self.say("Too far right.")
        self.play(Appear(self.book.number(weight(OUTPUT)).to_edge(RIGHT, buff=0.05)))


class Overlap(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("one")
        self.say("Two numbers in one place.")
        self.add(self.book.number(weight(OUTPUT)))
        self.play(Appear(self.book.number(bias(OUTPUT)).shift(RIGHT * 0.1)))


class Flight(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("one")
        self.say("A symbol flies through a formula into another.")
        source, target = MathTypst("w").shift(LEFT * 3), MathTypst("w + b").shift(RIGHT * 3)
        self.add(source, MathTypst("z = a").shift(UP * 0.05))
        self.play(fly(source, target))


class Copied(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("one")
        self.say("A copy leaves its weight: on it, it reads as one; half off, as two.")
        number = self.book.number(weight(OUTPUT))
        self.add(number, number.copy())
        self.wait(0.5)
        self.add(number.copy().shift(RIGHT * 0.2))
        self.wait(0.5)


def cross_fade(scene: StoryScene, declare: bool) -> None:
    scene.beat("one")
    scene.say("A weight, then its bias in its place.")
    old, new = scene.book.number(weight(OUTPUT)), scene.book.number(bias(OUTPUT))
    scene.add(old)
    scene.wait(0.5)
    with scene.replacing(old, new) if declare else nullcontext():
        scene.play(Vanish(old, shift=UP * 0.1), Appear(new, shift=UP * 0.1))


class CrossFade(StoryScene):
    story = "chain"

    def construct(self) -> None:
        cross_fade(self, declare=False)


class Replaced(StoryScene):
    story = "chain"

    def construct(self) -> None:
        cross_fade(self, declare=True)


def snapshot_cost(scene: StoryScene, declare: bool) -> None:
    scene.beat("one")
    scene.say("The snapshot's cost.")
    if declare:
        scene.showing(SNAPSHOT)
    scene.play(Appear(scene.book.number(cost(SNAPSHOT))))


class Stale(StoryScene):
    story = "digits"

    def construct(self) -> None:
        snapshot_cost(self, declare=False)


class Declared(StoryScene):
    story = "digits"

    def construct(self) -> None:
        snapshot_cost(self, declare=True)


class StaleNudge(StoryScene):
    story = "nudge"

    def construct(self) -> None:
        self.beat("one")
        self.say("A nudge of the bias, while the weight's is drawn.")
        self.showing(nudge_run(lever="w"))
        self.play(Appear(self.book.number(nudged(NudgeField.DZ, lever="b"))))


class Held(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("one")
        self.say("A weight, for a long time.")
        self.play(Appear(self.book.number(weight(OUTPUT))))
        self.wait(12)


class Blank(StoryScene):
    story = "chain"

    def construct(self) -> None:
        self.beat("one")
        self.say("Nothing.")
        self.wait(1)
"""


def check(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bpcalc.cli", "check", "--scenes", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "project", folder)
    shutil.copy(ROOT / "bpcalc.toml", folder)
    return folder


@pytest.mark.render
def test_true_scenes_pass_with_a_line_each(project: Path) -> None:
    result = check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "TinyStory: not a bpcalc StoryScene, no numbers to check"
    assert lines[1].startswith("TinyChain: 2 beats, 2 numbers") and lines[1].endswith("all true")
    assert lines[2].startswith("TinyDigits: 1 beats, 2 numbers")
    assert lines[-1] == "3 scenes, 4 numbers, 0 equations: all true"


@pytest.mark.render
def test_json_for_tools(project: Path) -> None:
    result = check(project, "TinyChain", "--json")
    assert result.returncode == 0, result.stderr
    (scene,) = json.loads(result.stdout)["scenes"]
    assert scene["name"] == "TinyChain" and scene["file"] == "tiny_chain.py"
    assert scene["sections"] == ["one", "two"]
    keys = {number["key"] for number in scene["numbers"]}
    assert keys == {"w(L)"}
    assert scene["rows"] == []
    assert [line["beat"] for line in scene["narration"]] == ["one", "two"]


@pytest.mark.render
def test_a_false_row_and_a_silent_beat_fail(project: Path) -> None:
    (project / "scenes" / "false_row.py").write_text(FALSE_SCENE)
    result = check(project, "FalseRow", "SilentBeat")
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert "  blank at 0.0–1.7 s: nothing on screen" in lines  # the silent beat shows nothing
    false, silent, summary = [line for line in lines if not line.startswith("  ")]
    assert false.startswith("FalseRow: FAILED") and "**2" in false
    assert silent.startswith("SilentBeat: FAILED") and "beats without narration: silent" in silent
    assert summary.endswith("2 scene(s) FAILED")


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """The frame findings of small scenes that break each rule, and of some that pass."""
    folder = tmp_path_factory.mktemp("frames") / "project"
    (folder / "scenes").mkdir(parents=True)
    shutil.copy(ROOT / "bpcalc.toml", folder)
    (folder / "scenes" / "frames.py").write_text(FRAME_SCENES)
    result = check(folder, "--json")
    assert result.returncode == 1, result.stderr
    scenes = json.loads(result.stdout)["scenes"]
    for scene in scenes:
        rules = {finding["rule"] for finding in scene["frames"]}
        assert all(f"{rule} at" in "".join(scene["failures"]) for rule in rules), scene
    return {scene["name"]: scene["frames"] for scene in scenes}


def rules(findings: list[dict]) -> list[str]:
    return sorted({finding["rule"] for finding in findings})


@pytest.mark.render
def test_frames_that_keep_every_rule_pass(frames) -> None:
    assert frames["Framed"] == [] and frames["Replaced"] == [] and frames["Declared"] == []


@pytest.mark.render
def test_text_reaching_the_margin_is_named_with_its_time(frames) -> None:
    (finding,) = frames["OffFrame"]
    assert finding["rule"] == "off-frame" and finding["what"].startswith("w(L) ")
    assert finding["start"] == pytest.approx(0.5)  # the middle of the fade in: already there


@pytest.mark.render
def test_text_over_text_fails_unless_one_replaces_the_other(frames) -> None:
    (finding,) = frames["Overlap"]
    assert finding["rule"] == "overlap" and "w(L)" in finding["what"] and "b(L)" in finding["what"]
    (crossing,) = frames["CrossFade"]  # seen at the middle of the cross-fade only
    assert crossing["rule"] == "overlap" and crossing["start"] == crossing["end"] == 1.0
    (flying,) = frames["Flight"]  # through the formula in its way; into its target, as one
    assert flying["what"] == "'$ z = a $' and a loose glyph overlap" and flying["start"] == 0.5
    (leaving,) = frames["Copied"]  # the copy exactly on its original is not seen as two
    assert leaving["rule"] == "overlap" and leaving["start"] == pytest.approx(0.5)


@pytest.mark.render
def test_a_number_of_a_run_the_picture_does_not_show_is_stale(frames) -> None:
    (snapshot,) = frames["Stale"]
    assert snapshot["rule"] == "stale" and "C0@snapshot" in snapshot["what"]
    assert "the picture shows trained" in snapshot["what"]
    (nudge,) = frames["StaleNudge"]
    assert "of the lever-b run" in nudge["what"] and "shows lever-w" in nudge["what"]


@pytest.mark.render
def test_a_long_hold_and_a_blank_frame_fail(frames) -> None:
    (held,) = frames["Held"]
    assert held["rule"] == "held" and held["start"] == pytest.approx(1.0)
    assert held["end"] == pytest.approx(13.0) and "12.0 s" in held["what"]
    (blank,) = frames["Blank"]
    assert blank["rule"] == "blank" and blank["start"] == 0.0 and blank["end"] >= 1.0


def test_a_bad_parameter_file_gets_one_line(project: Path) -> None:
    (project / "bpcalc.toml").write_text("[snapshot]\nepoch = 99\n")
    result = check(project)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert "bpcalc.toml: snapshot.epoch = 99 is not allowed: an integer from 1 to" in line


def test_an_unknown_scene_is_named(project: Path) -> None:
    result = check(project, "NoSuchScene")
    assert result.returncode == 2 and "no scene named 'NoSuchScene'" in result.stderr


def shown(value: float) -> SimpleNamespace:
    return SimpleNamespace(value=value)


@pytest.mark.parametrize(
    ("row", "left", "right"),
    [
        (("= (", shown(2.0), ")(", shown(3.0), ") +", shown(1.0), "=", shown(7.0)), 7.0, 7.0),
        (("= sigma(", shown(0.0), ") =", shown(0.5)), 0.5, 0.5),
        # σ′(0) = σ(0)(1 − σ(0)) = 1/4, and σ′(2) = e⁻² / (1 + e⁻²)² = 0.104994…
        (("sigma'(", shown(0.0), ") =", shown(0.25)), 0.25, 0.25),
        (("sigma'(", shown(2.0), ") =", shown(0.105)), 0.10499358540350662, 0.105),
        (("(", shown(0.9), "-", shown(1.0), ")^2 =", shown(0.02)), 0.01, 0.02),
        (("j = 3:", shown(2.0), "dot", shown(-1.5), "=", shown(-3.0)), -3.0, -3.0),
        (("= 2(", shown(0.75), "-", shown(1.0), ") =", shown(-0.5)), -0.5, -0.5),
    ],
)
def test_rows_state_equations(row, left: float, right: float) -> None:
    ((_, found_left, found_right),) = row_equations(row)
    assert (found_left, found_right) == pytest.approx((left, right))


@pytest.mark.parametrize(
    "row",
    [
        ("C_0 = scripts(sum)_j (a_j - y_j)^2 =", shown(0.85)),
        ("z_3 =", shown(1.0), "dot", shown(2.0), "+ dots.c +", shown(0.1), "=", shown(9.0)),
        ("Delta a approx sigma'(z) Delta z =", shown(0.2)),
        ("(partial C_0)/(partial w^((L))) =", shown(-0.02)),
    ],
)
def test_rows_with_words_or_hidden_terms_state_no_equation(row) -> None:
    assert row_equations(row) == []


def written(text: str) -> SimpleNamespace:
    return SimpleNamespace(text=text)


@pytest.mark.parametrize(
    ("row", "composes"),
    [
        # 0.979 − 1 = −0.021 and 0.021² = 0.000441: not the 0.000421 written
        (("(", written("0.979"), "-", written("1"), ")^2 =", written("0.000421")), False),
        # 0.97949 − 1 = −0.02051, squared 0.00042066: written as 0.000421
        (("(", written("0.97949"), "-", written("1"), ")^2 =", written("0.000421")), True),
        (("(", written("0.487"), "-", written("0"), ")^2 =", written("0.238")), False),
        (("(", written("0.4874"), "-", written("0"), ")^2 =", written("0.238")), True),
        # 3.2 × 10⁻⁴ squared is 1.024 × 10⁻⁷
        (("(", written("3.2 times 10^(-4)"), ")^2 =", written("1.02 times 10^(-7)")), True),
        (("(", written("3.2 times 10^(-4)"), ")^2 =", written("1.03 times 10^(-7)")), False),
        # the lone number may stand on the left: 2 + 0.5 = 2.5 is read as 3
        ((written("3"), "=", written("2"), "+", written("0.5")), True),
        ((written("3"), "=", written("2"), "+", written("0.4")), False),
    ],
)
def test_a_row_composes_only_if_its_digits_redo_its_arithmetic(row, composes: bool) -> None:
    assert (shown_mismatches(row) == []) is composes
