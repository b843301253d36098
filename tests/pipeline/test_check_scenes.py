"""`bpcalc check --scenes`: true scenes pass, a false row or a silent beat fails, bad input
gets one line; and the equations a row states, read as the viewer reads them."""

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

from bpcalc.pipeline.check import row_equations

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


def test_true_scenes_pass_with_a_line_each(project: Path) -> None:
    result = check(project)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "TinyStory: not a bpcalc StoryScene, no numbers to check"
    assert lines[1].startswith("TinyChain: 2 beats, 2 numbers") and lines[1].endswith("all true")
    assert lines[2].startswith("TinyDigits: 1 beats, 2 numbers")
    assert lines[-1] == "3 scenes, 4 numbers, 0 equations: all true"


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


def test_a_false_row_and_a_silent_beat_fail(project: Path) -> None:
    (project / "scenes" / "false_row.py").write_text(FALSE_SCENE)
    result = check(project, "FalseRow", "SilentBeat")
    assert result.returncode == 1
    false, silent, summary = result.stdout.strip().splitlines()
    assert false.startswith("FalseRow: FAILED") and "**2" in false
    assert silent.startswith("SilentBeat: FAILED") and "beats without narration: silent" in silent
    assert summary.endswith("2 scene(s) FAILED")


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
