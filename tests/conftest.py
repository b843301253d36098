"""Shared fixtures: a private training cache and the repository's parameters; and the
``render`` mark, kept honest: a test not marked ``render`` cannot render with Manim."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bpcalc.params import Params, load_params

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "render_guard"  # its sitecustomize.py guards Manim's Scene.render


def _load_guard():
    spec = importlib.util.spec_from_file_location("render_guard", GUARD / "sitecustomize.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render_guard = _load_guard()
_guard_log = Path(tempfile.mkdtemp(prefix="bpcalc-render-guard-")) / "unmarked-renders"


def pytest_configure(config: pytest.Config) -> None:
    """Guard Manim's scenes here and in every process a test starts."""
    render_guard.install()
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(GUARD), *filter(None, [os.environ.get("PYTHONPATH")])]
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_guard_log.parent, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the rendered fixture project renders: it is marked ``render``."""
    for item in items:
        if "rendered" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.render)


def _unmarked_renders() -> str:
    return _guard_log.read_text() if _guard_log.is_file() else ""


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """While a test not marked ``render`` is set up and runs, a scene that renders says so
    in the guard's log (and refuses); a marked one renders freely."""
    _guard_log.unlink(missing_ok=True)
    if item.get_closest_marker("render") is None:
        os.environ[render_guard.GUARD_ENV] = str(_guard_log)
    else:
        os.environ.pop(render_guard.GUARD_ENV, None)
    result = yield
    _fail_if_rendered(item)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    _fail_if_rendered(item)
    return result


def _fail_if_rendered(item: pytest.Item) -> None:
    if rendered := _unmarked_renders():
        scenes = ", ".join(line.split(" (")[0] for line in rendered.splitlines())
        pytest.fail(f"{item.nodeid} renders with Manim ({scenes}): mark it render", False)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keep the tests' training cache out of the user's home (subprocesses inherit it)."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["BPCALC_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session", autouse=True)
def voice_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of spoken lines for the whole run: each line is synthesized once."""
    folder = tmp_path_factory.mktemp("voice")
    os.environ["BPCALC_VOICE_CACHE"] = str(folder)
    return folder


@pytest.fixture(scope="module")
def silent_voice():
    """For a module that dry-runs scenes over many parameter files to check numbers and
    layout: no speech to synthesize for each file's lines (the voice is tested on its
    own, and on the default file, in tests/speech and the renders)."""
    before = os.environ.get("BPCALC_VOICE")
    os.environ["BPCALC_VOICE"] = "off"
    yield
    if before is None:
        os.environ.pop("BPCALC_VOICE", None)
    else:
        os.environ["BPCALC_VOICE"] = before


@pytest.fixture(scope="session")
def params() -> Params:
    return load_params(ROOT / "bpcalc.toml")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project's tiny scenes rendered once by `bpcalc render --episode --webm`."""
    from scene_support import bpcalc_render

    project = tmp_path_factory.mktemp("rendered") / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "project", project)
    shutil.copy(ROOT / "bpcalc.toml", project)
    result = bpcalc_render(project, "--episode", "--webm")
    assert result.returncode == 0, result.stdout + result.stderr
    return project
