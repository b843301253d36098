"""A Manim scene may render only in a test marked ``render``.

Python loads this module at the start of every process a test starts
(tests/conftest.py puts its folder on ``PYTHONPATH``), and the test process
loads it too. While a test that is not marked ``render`` runs,
``$BPCALC_UNMARKED_TEST`` names a file: a scene asked to render then (a video,
a dry run, the probe's count, slides) writes its name there and refuses, and
the test fails, named. So ``pytest -m "not render"`` touches no Manim render,
and a new test that renders cannot forget its mark.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
from typing import Any

GUARD_ENV = "BPCALC_UNMARKED_TEST"
SCENE_MODULE = "manim.scene.scene"


def guard(scene_class: type) -> None:
    """Make ``scene_class.render`` refuse while an unmarked test runs."""
    render = scene_class.render

    def render_if_marked(self: Any, *args: Any, **kwargs: Any) -> Any:
        log = os.environ.get(GUARD_ENV)
        if log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{type(self).__name__} (process {os.getpid()})\n")
            raise RuntimeError(f"{type(self).__name__} rendered in a test not marked render")
        return render(self, *args, **kwargs)

    scene_class.render = render_if_marked


class _GuardOnImport(importlib.abc.MetaPathFinder):
    """Guards Manim's ``Scene`` as its module is imported."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != SCENE_MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            execute(module)
            guard(module.Scene)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def install() -> None:
    """Guard ``Scene`` now if Manim is imported, else as soon as it is."""
    if SCENE_MODULE in sys.modules:
        guard(sys.modules[SCENE_MODULE].Scene)
    else:
        sys.meta_path.insert(0, _GuardOnImport())


if __name__ == "sitecustomize" and os.environ.get(GUARD_ENV):
    install()  # a process started by a test not marked render
