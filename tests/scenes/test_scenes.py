"""Every scene over a matrix of parameter files: each number it shows or says is what
first principles give (tests/oracle.py), every equation holds, every beat is narrated."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from oracle import Oracle
from scene_support import ROOT, toml_text

from bpcalc.params import Params, load_params
from bpcalc.pipeline.catalog import SceneEntry, discover
from bpcalc.pipeline.check import check_built, dry_run

pytestmark = pytest.mark.usefixtures("silent_voice")  # numbers and layout only

# Valid parameter files, as overrides of the defaults, and the stories they vary.
MATRIX: dict[str, tuple[str, dict]] = {
    "default": ("all", {}),
    "one-hidden-layer": ("digits", {"digits": {"layers": [64, 32, 10]}}),
    "three-hidden-layers": ("digits", {"digits": {"layers": [64, 20, 16, 12, 10]}}),
    "four-hidden-layers": (
        "digits",
        {"digits": {"layers": [64, 24, 20, 16, 12, 10], "epochs": 20}, "snapshot": {"epoch": 3}},
    ),
    "a-seven-first-layer-weight": (
        "digits",
        {"example": {"digit": 7, "index": 2}, "weight": {"layer": 1, "j": 5, "k": 20}},
    ),
    "barely-trained": (
        "digits",
        {"digits": {"epochs": 1, "batch_size": 7}, "weight": {"layer": 3, "j": 2, "k": 7}},
    ),
    "later-snapshot": ("digits", {"snapshot": {"epoch": 3}, "example": {"digit": 0, "index": 4}}),
    "short-chain-bias": ("chain", {"chain": {"depth": 2}, "nudge": {"layer": 2, "parameter": "b"}}),
    "long-chain-early-nudge": (
        "chain",
        {"chain": {"depth": 6, "step": 800, "x": 0.35}, "nudge": {"layer": 4, "delta": 0.8}},
    ),
}


def cases() -> list:
    found = []
    for entry in discover(ROOT):
        story = "chain" if entry.story in ("chain", "nudge") else "digits"
        for name, (varies, _) in MATRIX.items():
            if varies in ("all", story):
                found.append(pytest.param(entry, name, id=f"{entry.name}-{name}"))
    return found


@pytest.fixture(scope="module")
def params_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Params]:
    folder = tmp_path_factory.mktemp("matrix")
    loaded = {}
    for name, (_, tables) in MATRIX.items():
        path = folder / f"{name}.toml"
        path.write_text(toml_text(tables))
        loaded[name] = load_params(path)
    return loaded


_oracles: dict[str, Oracle] = {}


@pytest.mark.render
@pytest.mark.parametrize(("entry", "file"), cases())
def test_scene_is_true_for_the_parameter_file(entry: SceneEntry, file: str, params_files) -> None:
    params = params_files[file]
    scene = dry_run(entry.file, entry.name, params)
    report = check_built(scene, entry, params)
    assert not report.failures, report.failures[:5]
    assert report.numbers, "the scene shows no numbers"
    assert scene.beats and all(report.narration), "beats and narration"
    oracle = _oracles.setdefault(file, Oracle(params))
    for number in [*scene.book.shown, *scene.book.spoken()]:
        want = oracle.value(number.quantity, scene.story)
        assert number.value == pytest.approx(want, rel=1e-5, abs=1e-9), number.quantity.key


def test_the_matrix_files_are_valid_and_differ_from_the_default(params_files) -> None:
    default = params_files["default"]
    for name, params in params_files.items():
        if name != "default":
            assert params != default.__class__(source=params.source), name


def test_every_scene_file_is_in_the_matrix() -> None:
    names = {entry.name for entry in discover(ROOT)}
    tested = {case.values[0].name for case in cases()}
    assert names == tested and len(names) >= 7


def test_scenes_import_only_the_viz_layer() -> None:
    """The import contract's last arrow: scene files use bpcalc.viz and nothing below it."""
    for file in (ROOT / "scenes").glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bpcalc"):
                assert node.module == "bpcalc.viz", f"{file.name} imports {node.module}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("bpcalc") for a in node.names), file.name


@pytest.mark.render
def test_the_scenes_never_call_latex(monkeypatch, params: Params) -> None:
    import manim.utils.tex_file_writing as tex

    def no_latex(*args, **kwargs):
        raise AssertionError("LaTeX was called")

    for name in ("tex_to_svg_file", "compile_tex", "generate_tex_file"):
        monkeypatch.setattr(tex, name, no_latex)
    for entry in discover(ROOT):
        dry_run(entry.file, entry.name, params)


def test_a_scene_refuses_a_file_it_cannot_tell(tmp_path: Path) -> None:
    """A network with no hidden layer has no L−2 for the sum over paths: refused up front."""
    bad = tmp_path / "flat.toml"
    bad.write_text("[digits]\nlayers = [64, 10]\n")
    from bpcalc.params import ParamsError

    with pytest.raises(ParamsError, match=r"flat\.toml: digits\.layers = \[64, 10\]"):
        load_params(bad)
