"""Shared fixtures: a private training cache and the repository's parameters."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bpcalc.params import Params, load_params

ROOT = Path(__file__).resolve().parent.parent


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
