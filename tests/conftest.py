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
