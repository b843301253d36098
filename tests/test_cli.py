"""The `bpcalc` command, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "bpcalc.toml").read_text()


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "bpcalc.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def edited(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


BAD_FILES = {
    "not toml": ("[digits\nlayers = 3", None, "not valid TOML"),
    "unknown table": (GOOD + "\n[colours]\nw = 1\n", "colours", "known tables"),
    "unknown key": (edited("seed = 0", "seed = 0\nsed = 1"), "digits.sed", "knows"),
    "wrong type": (edited("epochs = 30", 'epochs = "thirty"'), "digits.epochs", "'thirty'"),
    "float for int": (edited("epochs = 30", "epochs = 30.5"), "digits.epochs", "30.5"),
    "bool for int": (edited("epochs = 30", "epochs = true"), "digits.epochs", "true"),
    "zero-width layer": (
        edited("layers = [64, 16, 16, 10]", "layers = [64, 0, 16, 10]"),
        "digits.layers",
        "[64, 0, 16, 10]",
    ),
    "first layer": (
        edited("layers = [64, 16, 16, 10]", "layers = [63, 16, 16, 10]"),
        "digits.layers",
        "64 (pixels), one or more hidden layers, 10 (digits)",
    ),
    "no hidden layer": (
        edited("layers = [64, 16, 16, 10]", "layers = [64, 10]"),
        "digits.layers",
        "one or more hidden layers",
    ),
    "snapshot after the training": (
        edited("epoch = 1", "epoch = 31"),
        "snapshot.epoch",
        "from 1 to digits.epochs = 30",
    ),
    "learning rate": (
        edited("learning_rate = 3.0", "learning_rate = -0.5"),
        "digits.learning_rate",
        "-0.5",
    ),
    "zero epochs": (edited("epochs = 30", "epochs = 0"), "digits.epochs", "from 1"),
    "digit": (edited("digit = 3", "digit = 12"), "example.digit", "from 0 to 9"),
    "nan": (edited("learning_rate = 3.0", "learning_rate = nan"), "digits.learning_rate", "nan"),
    "inf": (edited("delta = 0.5", "delta = inf"), "nudge.delta", "finite"),
    "index past the examples": (edited("index = 0", "index = 500"), "example.index", "500"),
    "nudge layer past depth": (edited("layer = 3", "layer = 4"), "nudge.layer", "chain.depth"),
    "weight index": (edited("j = 0", "j = 16"), "weight.j", "0 to 15"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
@pytest.mark.parametrize("command", ["numbers", "check"])
def test_bad_parameter_file_gives_one_clear_line(tmp_path: Path, case: str, command: str) -> None:
    text, key, allowed = BAD_FILES[case]
    params = tmp_path / "my-params.toml"
    params.write_text(text)
    result = run(command, "--params", str(params))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "my-params.toml" in lines[0]
    if key:
        assert key in lines[0]
    assert allowed in lines[0]


def test_missing_file(tmp_path: Path) -> None:
    result = run("numbers", "--params", str(tmp_path / "nowhere.toml"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "nowhere.toml: file not found" in result.stderr


def test_environment_variable_chooses_the_file(tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text(edited("x = 0.8", "x = 0.25"))
    result = run("numbers", "--json", env={"BPCALC_PARAMS": str(other)})
    assert json.loads(result.stdout)["chain"]["x"] == 0.25


def test_found_from_a_subfolder() -> None:
    result = run("numbers", "--json", cwd=ROOT / "tests")
    assert result.returncode == 0
    assert json.loads(result.stdout)["params"] == str(ROOT / "bpcalc.toml")


def test_json_contract_shapes() -> None:
    result = run("numbers", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    d = data["digits"]
    sizes = d["sizes"]
    assert sizes == [64, 16, 16, 10]
    pairs = list(zip(sizes[1:], sizes[:-1], strict=True))
    assert [(len(w), len(w[0])) for w in d["weights"]] == pairs
    assert [len(b) for b in d["biases"]] == sizes[1:]
    assert 0.9 <= d["test_accuracy"] <= 1
    ex = d["example"]
    assert ex["label"] == 3 and ex["index"] == 0
    assert len(ex["x"]) == 64 and sum(ex["y"]) == 1 and ex["y"][3] == 1
    assert [len(z) for z in ex["z"]] == sizes[1:]
    assert [len(a) for a in ex["a"]] == sizes and ex["a"][0] == ex["x"]
    assert [(len(g), len(g[0])) for g in ex["dC_dw"]] == pairs
    assert [len(g) for g in ex["dC_db"]] == sizes[1:]
    assert [len(g) for g in ex["dC_da"]] == sizes
    assert ex["cost"] == pytest.approx(
        sum((a - y) ** 2 for a, y in zip(ex["a"][-1], ex["y"], strict=True))
    )
    c = data["chain"]
    depth = 3
    for key in ("w", "b", "z", "dC_dw", "dC_db"):
        assert len(c[key]) == depth and all(isinstance(v, float) for v in c[key])
    assert len(c["a"]) == len(c["dC_da"]) == depth + 1 and c["a"][0] == c["x"]
    assert c["cost"] == pytest.approx((c["a"][-1] - c["y"]) ** 2)


def test_summary_is_readable() -> None:
    result = run("numbers")
    assert result.returncode == 0
    for phrase in ("test accuracy", "cost C0", "chain rule", "Nudging w^(3)"):
        assert phrase in result.stdout


def test_check_passes() -> None:
    result = run("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "largest relative error" in result.stdout and "ok" in result.stdout


def test_numbers_runs_without_manim() -> None:
    """The core and CLI stay free of manim, so numbers are fast."""
    code = "import sys, bpcalc.cli, bpcalc.numbers; print('manim' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"


def test_json_without_scenes_is_refused() -> None:
    result = run("check", "--json")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "use it with --scenes" in result.stderr
    assert result.stdout == ""


def test_help_names_where_the_parameters_come_from() -> None:
    assert "$BPCALC_PARAMS" in run("render", "--help").stdout
