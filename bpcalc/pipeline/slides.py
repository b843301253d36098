"""`bpcalc slides`: every beat of every scene a slide, presented in a browser, offline.

The scenes are not changed: for each scene class a small generated module
mixes manim-slides' ``Slide`` into it (:func:`load_as_slide`), and
``StoryScene.beat`` then ends a slide where it starts a section. A scene is
rendered again only when its render fingerprint (see
:func:`bpcalc.pipeline.catalog.fingerprint`) or this module changed (recorded in
``renders/slides/state.json`` by :class:`~bpcalc.pipeline.ledger.SlidesLedger`). Its slides
are kept in manim-slides' own layout under ``renders/slides/manim-slides``
(``manim-slides present --folder renders/slides/manim-slides SCENE`` plays
them in the Qt presenter), and manim-slides' reveal.js converter writes
``renders/slides/<Scene>.html`` and ``renders/slides/index.html`` (every
scene, in story order). reveal.js is copied next to them from the npm
package that ``scripts/setup.sh`` unpacks, so the folder works with no
network at all: copy it to a USB stick and open ``index.html``. The pages
are manim-slides' own, made accessible (:data:`ACCESSIBLE`): in English, zoom
allowed, a main landmark and a heading, and each beat's narration on its
slide (and in the speaker view) as text a screen reader reads (reveal.js
announces the slide's text as it changes), hidden from the eye, which has
the video.

Like ``render``, nothing here imports Manim or manim-slides until a scene is
rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from bpcalc.params import PARAMS_ENV, Params
from bpcalc.pipeline.catalog import (
    RenderError,
    SceneEntry,
    discover,
    fingerprint,
    load_scene_class,
    select,
)
from bpcalc.pipeline.jobs import render_lock
from bpcalc.pipeline.ledger import QUALITIES, SlideRecord, SlidesLedger
from bpcalc.pipeline.media import duration, publish
from bpcalc.pipeline.runner import last_line, manim_command
from bpcalc.speech.track import cut, decode, fit, mux

__all__ = ["REVEAL_VERSION", "load_as_slide", "reveal_js", "slides_all"]

REVEAL_VERSION = "6.0.1"  # manim-slides 5.7's default; scripts/setup.sh unpacks this one
STORE = "manim-slides"  # renders/slides/manim-slides/<Scene>.json and files/<Scene>/*.mp4
REVEAL_FILES = (
    "LICENSE",
    "dist/reveal.css",
    "dist/reveal.js",
    "dist/theme/black.css",
    "dist/plugin/highlight/zenburn.css",
    "dist/plugin/notes.js",
    "dist/plugin/markdown.js",
)
# Options of manim-slides' RevealJS converter (`manim-slides convert --show-config`).
REVEAL_OPTIONS = {
    "cdn_url": "reveal.js",  # the local copy, relative to the HTML: no CDN
    "progress": "true",
    "slide_number": "true",
    "hash": "true",  # a reload stays on its slide
}
STORY_TITLE = "The calculus of backpropagation"
HIDDEN = (
    "main { height: 100%; } .narration { position: absolute; width: 1px; height: 1px; "
    "overflow: hidden; clip-path: inset(50%); white-space: nowrap; }"
)
# What changes in manim-slides' reveal.js template (its text before, after): the
# notes move from an <aside> (a landmark each) to the slide's data-notes, which
# reveal.js reads the same; the presentation (an "application" to reveal.js) sits
# in the page's <main>.
NOTES = '{% if slide_config.notes != "" %}'
ACCESSIBLE = (
    ("<html>", '<html lang="en">'),
    (
        '<meta name="viewport" content="width=device-width, initial-scale=1.0, '
        'maximum-scale=1.0, user-scalable=no">',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    ),
    ('<!-- <link rel="stylesheet" href="index.css"> -->', f"<style>{HIDDEN}</style>"),
    (
        '<div class="reveal">\n      <div class="slides">',
        '<main>\n    <h1 class="narration">{{ title | e }}</h1>\n'
        '    <div class="reveal">\n      <div class="slides">',
    ),
    ("      </div>\n    </div>\n", "      </div>\n    </div>\n    </main>\n"),
    (
        f"          >\n          {NOTES}\n"
        '            <aside class="notes" data-markdown>{{ slide_config.notes }}</aside>',
        f'          {NOTES}data-notes="{{{{ slide_config.notes | e }}}}"{{% endif %}}\n'
        f"          >\n          {NOTES}\n"
        '            <p class="narration">{{ slide_config.notes | e }}</p>',
    ),
)


# ---------------------------------------------------------------- scene side


def _slide_base() -> type:
    """manim-slides' ``Slide``, fitted to this Manim build (imported only when rendering)."""
    from manim import Scene, config
    from manim_slides import Slide
    from manim_slides.slide.base import BaseSlide

    class BeatSlide(Slide):
        """A ``Slide`` whose slides end where the story's beats do (``StoryScene.beat``)."""

        skip_reversing = True  # the browser never plays a slide backwards
        slides_folder = Path("slides")

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Slide.__init__ sets config["write_to_movie"], which Manim 0.22 no longer
            # has (it always writes the movie); the rest of its set-up is BaseSlide's.
            # Keep every partial movie file: the slides are cut from them, and the file
            # writer (made with the scene) would otherwise delete all but the last 100.
            config.max_files_cached = -1
            BaseSlide.__init__(self, *args, output_folder=self.slides_folder, **kwargs)

        def render(self, *args: Any, **kwargs: Any) -> bool:
            # As Slide.render, without the settings Manim 0.22 rejects, then save the slides.
            rerun = Scene.render(self, *args, **kwargs)
            self._save_slides(use_cache=False, flush_cache=False, skip_reversing=True)
            return rerun

        def say(self, *parts: Any) -> None:
            """Narrate as usual; the line is also the slide's speaker note (key S)."""
            super().say(*parts)
            line = self._line[0].caption if self._line else ""
            config_ = self._base_slide_config
            config_.notes = f"{config_.notes}\n\n{line}" if config_.notes else line

    return BeatSlide


def load_as_slide(file: str, name: str, folder: str, module: str) -> type:
    """Scene class ``name`` of ``file`` with manim-slides' ``Slide`` mixed in; its slides
    are saved in ``folder``. ``module`` is the generated module that holds the class."""
    scene = load_scene_class(Path(file), name)
    namespace = {"__module__": module, "__doc__": scene.__doc__, "slides_folder": Path(folder)}
    return type(name, (_slide_base(), scene), namespace)


# ------------------------------------------------------------- pipeline side


def reveal_js() -> Path:
    """The unpacked reveal.js npm package: ``$BPCALC_REVEALJS`` or ``.venv/share/reveal.js``."""
    folder = Path(os.environ.get("BPCALC_REVEALJS") or Path(sys.prefix) / "share" / "reveal.js")
    missing = [name for name in REVEAL_FILES if not (folder / name).is_file()]
    if missing:
        raise RenderError(
            f"reveal.js {REVEAL_VERSION} is not in {folder} (missing {missing[0]}); "
            "run scripts/setup.sh, which unpacks it from the npm registry"
        )
    return folder


def _manim_slides_version() -> str:
    try:
        return metadata.version("manim-slides")
    except metadata.PackageNotFoundError:
        raise RenderError(
            "bpcalc slides needs manim-slides: pip install 'bpcalc[slides]'"
        ) from None


def _key(entry: SceneEntry, params: Params, quality: str, root: Path, version: str) -> str:
    """The render fingerprint, and what only slides depend on: this module, manim-slides."""
    digest = hashlib.sha256(fingerprint(entry, params, quality, root).encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(version.encode())
    return digest.hexdigest()[:20]


def _render_one(entry: SceneEntry, quality: str, root: Path, params_file: Path, store: Path) -> str:
    """Render the scene as slides in a scratch folder and move them into ``store``; the
    reason it failed, or ``""``."""
    work = Path(tempfile.mkdtemp(prefix=f"slides-{entry.name}-", dir=root / "renders" / ".work"))
    try:
        module = work / f"slides_{entry.name}.py"
        module.write_text(
            f'"""Generated by `bpcalc slides`: {entry.name}, every beat a slide."""\n\n'
            "from bpcalc.pipeline.slides import load_as_slide\n\n"
            f"{entry.name} = load_as_slide(\n"
            f"    {str(entry.file.resolve())!r},\n"
            f"    {entry.name!r},\n"
            f"    {str(work / 'slides')!r},\n"
            "    __name__,\n"
            ")\n"
        )
        # manim-slides reads each animation's clip as soon as the scene ends: no encoders
        # still in flight, so none of the render pipeline's encoder options
        command = manim_command(module, entry.name, quality, work / "media", options=())
        env = {**os.environ, PARAMS_ENV: str(params_file)}
        result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        (work / "render.log").write_text(result.stdout + result.stderr)
        made = work / "slides" / f"{entry.name}.json"
        if result.returncode != 0 or not made.is_file():
            return last_line(result.stderr, f"manim exited {result.returncode}")
        # Into manim-slides' layout under store/, paths relative to store's parent.
        presentation = json.loads(made.read_text())
        files = store / "files" / entry.name
        files.mkdir(parents=True, exist_ok=True)
        names = []
        movie = next((work / "media").glob(f"videos/**/{entry.name}.mp4"), None)
        track = decode(movie) if movie is not None else np.zeros(0, dtype=np.int16)
        start = 0.0
        for slide in presentation["slides"]:
            video = Path(slide["file"])
            length = duration(video)
            if len(track):  # the scene's voice, cut where its slide starts and ends
                voiced = work / "voiced" / video.name
                voiced.parent.mkdir(exist_ok=True)
                mux(video, fit(cut(track, start, start + length), length), voiced)
                video = voiced
            start += length
            publish(files / video.name, lambda p, video=video: shutil.copyfile(video, p))
            slide["file"] = slide["rev_file"] = f"{STORE}/files/{entry.name}/{video.name}"
            names.append(video.name)
        text = json.dumps(presentation, indent=2)
        publish(store / f"{entry.name}.json", lambda p: p.write_text(text))
        for stale in files.iterdir():
            if stale.name not in names:
                stale.unlink()
        return ""
    except Exception as exc:  # one scene's trouble must not stop the others
        return f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _template(folder: Path) -> Path:
    """manim-slides' reveal.js template with the :data:`ACCESSIBLE` changes, in ``folder``."""
    from importlib import resources

    from manim_slides import templates

    text = (resources.files(templates) / "revealjs.html").read_text(encoding="utf-8")
    for before, after in ACCESSIBLE:
        if before not in text:
            raise RenderError(f"manim-slides' reveal.js template has changed: no {before!r}")
        text = text.replace(before, after)
    template = folder / "revealjs.html"
    template.write_text(text, encoding="utf-8")
    return template


def _convert(store: Path, names: list[str], title: str, destination: Path) -> None:
    """manim-slides' reveal.js converter, into a scratch folder, then published with its
    ``<name>_assets`` folder of videos."""
    with tempfile.TemporaryDirectory(prefix=".convert-", dir=destination.parent) as scratch:
        made = Path(scratch) / destination.name
        options = {**REVEAL_OPTIONS, "title": title}
        template = _template(Path(scratch))
        command = [
            sys.executable,
            "-m",
            "manim_slides",
            "convert",
            "--to",
            "html",
            "--use-template",
            str(template),
            "--folder",
            str(store),
            *names,
            str(made),
            *(f"-c{key}={value}" for key, value in options.items()),
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 or not made.is_file():
            raise RenderError(
                f"manim-slides convert failed for {destination.name}: "
                + last_line(result.stderr or result.stdout, f"exit {result.returncode}")
            )
        assets = destination.parent / f"{destination.stem}_assets"
        old = destination.parent / f".{assets.name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if assets.exists():
            assets.rename(old)
        (Path(scratch) / assets.name).rename(assets)
        made.chmod(0o644)
        os.replace(made, destination)
        shutil.rmtree(old, ignore_errors=True)


def _copy_reveal(source: Path, folder: Path) -> None:
    for name in REVEAL_FILES:
        target = folder / "reveal.js" / name
        if not target.is_file() or target.read_bytes() != (source / name).read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            publish(target, lambda p, name=name: shutil.copyfile(source / name, p))


def slides_all(root: Path, params: Params, wanted: list[str], quality: str, force: bool) -> int:
    """The whole command: render what changed as slides, write the presentations."""
    started = time.perf_counter()
    version = _manim_slides_version()
    reveal = reveal_js()
    everything = discover(root)
    entries = select(everything, wanted)
    if not entries:
        raise RenderError(f"no scenes found in {root / 'scenes'}")
    renders = root / "renders"
    folder = renders / "slides"
    store = folder / STORE
    with render_lock(renders):
        store.mkdir(parents=True, exist_ok=True)
        ledger = SlidesLedger(folder)
        todo = []
        for entry in entries:
            key = _key(entry, params, quality, root, version)
            known = ledger.scenes.get(entry.name)
            current = known is not None and known.key == key
            if current and (store / f"{entry.name}.json").is_file() and not force:
                print(f"  = {entry.name}: up to date", flush=True)
            else:
                todo.append((entry, key))
        if todo:
            (renders / ".work").mkdir(parents=True, exist_ok=True)
            names = ", ".join(entry.name for entry, _ in todo)
            print(f"rendering {len(todo)} scene(s) as slides at {QUALITIES[quality]}: {names}")
        failed = _render_all(todo, ledger, quality, root, params, store)
        _copy_reveal(reveal, folder)
        rendered = {entry.name for entry, _ in todo} - set(failed)
        ready = [
            e
            for e in everything
            if e.name in ledger.scenes and (store / f"{e.name}.json").is_file()
        ]
        index = _present(ledger, ready, rendered, folder, store)
        missing = [e.name for e in everything if e not in ready]
    total = sum(ledger.scenes[e.name].slides for e in ready)
    print(
        f"{len(ready)} scene(s), {total} slides in {index}"
        + (f"; not in it yet: {', '.join(missing)}" if missing else "")
        + f" ({time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    return 1 if failed else 0


def _render_all(
    todo: list[tuple[SceneEntry, str]],
    ledger: SlidesLedger,
    quality: str,
    root: Path,
    params: Params,
    store: Path,
) -> list[str]:
    """Render each scene (with its key) as slides, one after the other, recording each as
    it is done; the names of those that failed."""
    failed = []
    for done, (entry, key) in enumerate(todo, start=1):
        began = time.perf_counter()
        reason = _render_one(entry, quality, root, params.source.resolve(), store)
        seconds = time.perf_counter() - began
        if reason:
            failed.append(entry.name)
            ledger.scenes.pop(entry.name, None)
            print(f"  [{done}/{len(todo)}] {entry.name}: FAILED in {seconds:.1f} s ({reason})")
        else:
            slides = len(json.loads((store / f"{entry.name}.json").read_text())["slides"])
            ledger.scenes[entry.name] = SlideRecord(key, entry.file.name, slides)
            print(f"  [{done}/{len(todo)}] {entry.name}: {slides} slide(s) in {seconds:.1f} s")
        ledger.save()
    return failed


def _present(
    ledger: SlidesLedger, ready: list[SceneEntry], rendered: set[str], folder: Path, store: Path
) -> Path:
    """Each ready scene's presentation (again when it was rendered now) and the index of
    them all (again when its scenes changed); the index's path."""
    for entry in ready:
        page = folder / f"{entry.name}.html"
        if entry.name in rendered or not page.is_file():
            _convert(store, [entry.name], entry.heading, page)
    index = folder / "index.html"
    index_key = [[e.name, ledger.scenes[e.name].key] for e in ready]
    if ready and (ledger.index != index_key or not index.is_file()):
        _convert(store, [e.name for e in ready], STORY_TITLE, index)
        ledger.index = index_key
        ledger.save()
    return index
