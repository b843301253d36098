"""The scenes in scenes/: what each is, what its video depends on, and how to load one.

Scenes are found and ordered without importing them (importing one imports
Manim, and a run with nothing to do stays quick): each class says
``story_order``, ``title``, ``poster_beat`` and ``story`` as literals, read
here from the source, the one place that reads them. A scene's fingerprint
hashes everything its video depends on: its source, the bpcalc code it
imports, the parameter tables its numbers come from, its voice, Manim's
configuration and version, the quality, and how the pipeline renders. When
a scene must run (a render, a dry run, the probe, slides), :func:`load_scene_class`
is the one way its file is imported.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import sys
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from bpcalc.numbers.stories import STORY_TABLES
from bpcalc.params import Params
from bpcalc.pipeline.captions import CAPTION_TOPS
from bpcalc.pipeline.runner import MANIM_OPTIONS
from bpcalc.speech.voice import Voice

__all__ = [
    "RenderError",
    "SceneEntry",
    "bpcalc_closure",
    "discover",
    "fingerprint",
    "load_scene_class",
    "select",
    "story_sorted",
]

PACKAGE = Path(__file__).resolve().parent.parent  # the bpcalc package
ALL_TABLES = ("digits", "example", "weight", "chain", "nudge", "snapshot")
# The code that makes a scene's captions, narration script and stills from what Manim
# wrote (and places the captions): an edit renders again.
PUBLISHING_SOURCES = tuple(
    PACKAGE / "pipeline" / name for name in ("captions.py", "media.py", "scene_files.py")
)
# How the pipeline turns a scene into files; a change here renders everything again.
RECIPE = " ".join(("sections", "captions", "fast-start", "jpeg", "voice", *MANIM_OPTIONS))
RECIPE += " caption tops " + " ".join(map(str, CAPTION_TOPS))
# bpcalc modules a scene may import without reading any numbers
NUMBERLESS = {"bpcalc.viz.renderer"}
# The class attributes that place a scene in the story, and the type each must have.
STORY_ATTRIBUTES = {"story_order": int, "title": str, "poster_beat": str, "story": str}


class RenderError(ValueError):
    """A request that cannot be carried out; ``str()`` is the one-line message."""


@dataclass(frozen=True)
class SceneEntry:
    """One Scene class in one file of scenes/."""

    file: Path
    name: str
    story_order: int | None = None
    title: str | None = None
    poster_beat: str | None = None
    story: str | None = None  # which numbers it tells: "chain", "nudge" or "digits"

    @property
    def heading(self) -> str:
        """The title a viewer reads, or the class name when the scene has none."""
        return self.title or self.name

    @property
    def sort_key(self) -> tuple:
        """Story order first; then file and class name (scenes without one come last)."""
        order = self.story_order
        return (order is None, order if order is not None else 0, self.file.name, self.name)

    @property
    def tables(self) -> tuple[str, ...]:
        """The parameter tables whose numbers the scene shows."""
        if self.story is not None:
            return STORY_TABLES.get(self.story, ALL_TABLES)
        tree = ast.parse(self.file.read_text())
        if not any(_imports_bpcalc(node) for node in ast.walk(tree)):
            return ()  # a scene that reads no numbers depends on no table
        return ALL_TABLES


def _imports_bpcalc(node: ast.AST) -> bool:
    """Whether ``node`` imports bpcalc code that may read the parameters."""

    def reads(module: str) -> bool:
        return module.split(".")[0] == "bpcalc" and module not in NUMBERLESS

    if isinstance(node, ast.Import):
        return any(reads(alias.name) for alias in node.names)
    return isinstance(node, ast.ImportFrom) and reads(node.module or "")


def _story_attributes(node: ast.ClassDef) -> dict[str, int | str]:
    """The class's :data:`STORY_ATTRIBUTES` that are literals of their type."""
    found: dict[str, int | str] = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in STORY_ATTRIBUTES:
            kind = STORY_ATTRIBUTES[target.id]
            if isinstance(value, ast.Constant) and type(value.value) is kind:
                found[target.id] = value.value
    return found


def _is_scene(node: ast.ClassDef) -> bool:
    """Whether a base class's name ends in ``Scene`` (``StoryScene``, ``manim.Scene``)."""
    names = [
        base.id if isinstance(base, ast.Name) else getattr(base, "attr", "") for base in node.bases
    ]
    return any(name.endswith("Scene") for name in names)


def story_sorted(entries: list[SceneEntry]) -> list[SceneEntry]:
    """The scenes in the order the story tells them."""
    return sorted(entries, key=lambda entry: entry.sort_key)


def discover(root: Path) -> list[SceneEntry]:
    """Every class in scenes/*.py whose base class name ends in ``Scene``, in story order."""
    entries = []
    for file in sorted((root / "scenes").glob("*.py")):
        tree = ast.parse(file.read_text(), filename=str(file))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and _is_scene(node):
                entries.append(SceneEntry(file, node.name, **_story_attributes(node)))
    return story_sorted(entries)


def select(entries: list[SceneEntry], wanted: list[str]) -> list[SceneEntry]:
    """The scenes named by class (``ChainRule``) or file (``chain_rule``,
    ``scenes/chain_rule.py`` as a shell completes it), all if none."""
    if not wanted:
        return entries
    chosen = []
    for name in wanted:
        named = Path(name)
        in_scenes = named.parent in (Path("."), Path("scenes"))
        matches = [
            e
            for e in entries
            if name in (e.name, e.file.stem) or (in_scenes and named.name == e.file.name)
        ]
        if not matches:
            known = ", ".join(e.name for e in entries) or "none"
            raise RenderError(f"no scene named {name!r} in scenes/ (found: {known})")
        chosen += [m for m in matches if m not in chosen]
    return story_sorted(chosen)


def load_scene_class(file: Path, name: str) -> type:
    """The class ``name`` of the scene file ``file``, imported by its path (scenes/ is
    no package). Its module is registered in ``sys.modules``, as dataclasses and
    pickling need, under a name of its own: ``bpcalc_scene_<file stem>``."""
    spec = importlib.util.spec_from_file_location(f"bpcalc_scene_{file.stem}", file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {file}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return getattr(module, name)


def _module_file(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != "bpcalc":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def bpcalc_closure(file: Path) -> list[Path]:
    """The bpcalc source files ``file`` imports, directly or through each other."""
    seen: set[Path] = set()
    todo = [file]
    while todo:
        tree = ast.parse(todo.pop().read_text())
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for module in modules:
                found = _module_file(module)
                if found and found not in seen:
                    seen.add(found)
                    todo.append(found)
    data = PACKAGE / "core" / "data" / "digits.npz"
    return sorted(seen | {data})


def fingerprint(entry: SceneEntry, params: Params, quality: str, root: Path) -> str:
    """Hash of everything the scene's video depends on."""
    digest = hashlib.sha256()

    def add(label: str, content: bytes) -> None:
        digest.update(label.encode() + b"\0" + content + b"\0")

    add("scene", f"{entry.name}:{entry.file.name}".encode())
    add("source", entry.file.read_bytes())
    for path in bpcalc_closure(entry.file):
        add(str(path.relative_to(PACKAGE)), path.read_bytes())
    for table in entry.tables:
        add(f"[{table}]", json.dumps(asdict(getattr(params, table)), sort_keys=True).encode())
    if entry.tables and params.voice.enabled:  # a narrated scene is spoken by this voice
        add("voice", Voice(params).identity().encode())
    config = root / "manim.cfg"
    add("manim.cfg", config.read_bytes() if config.is_file() else b"")
    add("manim", metadata.version("manim").encode())
    add("quality", quality.encode())
    add("recipe", RECIPE.encode())
    for source in PUBLISHING_SOURCES:
        add(source.name, source.read_bytes())
    return digest.hexdigest()[:20]
