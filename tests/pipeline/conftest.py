"""Fixtures of the pipeline's tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def project(rendered: Path, tmp_path: Path) -> Path:
    """A copy of the rendered fixture project, for a test to change and render again."""
    copy = tmp_path / "project"
    shutil.copytree(rendered, copy)
    return copy
