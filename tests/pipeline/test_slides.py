"""`bpcalc slides`: one slide per beat, offline reveal.js presentations, driven in Chromium.

The fixture project's scenes have 2 beats (TinyChain) and 1 beat (TinyDigits),
so the story is 3 slides. The browser test serves renders/slides on 127.0.0.1,
blocks every other host in Chromium, presses the right arrow key through the
DevTools protocol, and watches the next slide's video play.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from importlib.util import find_spec
from pathlib import Path

import pytest
from scene_support import CHROMIUM, HAVE_WEB_CHECKS, DevTools, axe_violations, chromium, html_errors
from scene_support import served as serve

ROOT = Path(__file__).resolve().parents[2]
HAVE_SLIDES = find_spec("manim_slides") is not None
REVEAL = Path(os.environ.get("BPCALC_REVEALJS") or Path(sys.prefix) / "share" / "reveal.js")

needs_slides = pytest.mark.skipif(
    not HAVE_SLIDES or not (REVEAL / "dist" / "reveal.js").is_file(),
    reason="manim-slides or reveal.js missing (scripts/setup.sh installs both)",
)
needs_browser = pytest.mark.skipif(
    CHROMIUM is None or find_spec("websocket") is None,
    reason="Debian's chromium or websocket-client is missing (.ci/run, the test extra)",
)


def bpcalc_slides(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bpcalc.cli", "slides", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )


@pytest.fixture(scope="module")
def slides(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project after `bpcalc slides`; returns its renders/slides."""
    if not HAVE_SLIDES or not (REVEAL / "dist" / "reveal.js").is_file():
        pytest.skip("manim-slides or reveal.js missing (scripts/setup.sh installs both)")
    project = tmp_path_factory.mktemp("slides") / "project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "project", project)
    (project / "scenes" / "tiny_story.py").unlink()  # a plain Scene: these tests are on beats
    shutil.copy(ROOT / "bpcalc.toml", project)
    shutil.copy(ROOT / "manim.cfg", project)
    result = bpcalc_slides(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "renders" / "slides"


def test_a_plain_scene_is_no_slide() -> None:
    """Without manim-slides' Slide mixed in, a beat is only a section, as before."""
    from bpcalc.viz import StoryScene

    assert not hasattr(StoryScene, "next_slide")


@needs_slides
def test_without_reveal_js_it_says_how_to_get_it(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "tests" / "fixtures" / "project", tmp_path / "project")
    shutil.copy(ROOT / "bpcalc.toml", tmp_path / "project")
    result = bpcalc_slides(tmp_path / "project", BPCALC_REVEALJS=str(tmp_path / "none"))
    assert result.returncode == 2
    assert "scripts/setup.sh" in result.stderr and "reveal.js" in result.stderr
    assert not (tmp_path / "project" / "renders").exists()


class _Attributes(HTMLParser):
    """Every (tag, attribute, value) of a page, comments left out."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs]


def _attributes(page: Path) -> list[tuple[str, str, str]]:
    parser = _Attributes()
    parser.feed(page.read_text())
    return parser.found


@pytest.mark.render
@needs_slides
def test_one_slide_per_beat_and_every_file_is_local(slides: Path) -> None:
    pages = {"TinyChain.html": 2, "TinyDigits.html": 1, "index.html": 3}
    for name, beats in pages.items():
        attributes = _attributes(slides / name)
        videos = [v for tag, a, v in attributes if a == "data-background-video"]
        assert len(videos) == beats, name
        linked = [v for tag, a, v in attributes if a in ("src", "href", "data-background-video")]
        for link in linked:
            assert "://" not in link and not link.startswith("//"), (name, link)
            assert (slides / link).is_file(), (name, link)
    # The story in order: TinyChain (story_order 1) before TinyDigits (2).
    index = [v for _, a, v in _attributes(slides / "index.html") if a == "data-background-video"]
    assert [Path(v).name[:3] for v in index] == ["s0_", "s0_", "s1_"]
    # The narration is each slide's speaker note.
    assert "That is all." in (slides / "TinyChain.html").read_text()


@pytest.mark.render
@needs_slides
def test_every_slide_carries_its_beats_voice_to_its_end(slides: Path) -> None:
    from bpcalc.pipeline.media import duration
    from bpcalc.speech.track import audio_length, decode

    clips = sorted((slides / "index_assets").glob("*.mp4"))
    assert len(clips) == 3
    for clip in clips:  # an AAC stream ends on whole frames of 1024 samples
        assert audio_length(clip) == pytest.approx(duration(clip), abs=1024 / 22_050), clip
        assert abs(decode(clip).astype(float)).max() > 1000, clip  # speech, not silence


@pytest.mark.render
@needs_slides
def test_manim_slides_reads_the_kept_slides(slides: Path) -> None:
    """`manim-slides present --folder renders/slides/manim-slides` finds every video."""
    from manim_slides.config import PresentationConfig

    for name, beats in (("TinyChain", 2), ("TinyDigits", 1)):
        presentation = PresentationConfig.from_file(slides / "manim-slides" / f"{name}.json")
        assert len(presentation.slides) == beats
        assert all(slide.file.is_file() for slide in presentation.slides)


@pytest.mark.render
@needs_slides
def test_nothing_to_do_renders_nothing(slides: Path) -> None:
    before = (slides / "index.html").stat().st_mtime_ns
    result = bpcalc_slides(slides.parent.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("up to date") == 2, result.stdout
    assert "rendering" not in result.stdout
    assert (slides / "index.html").stat().st_mtime_ns == before


@pytest.mark.render
@needs_slides
def test_an_edited_scene_renders_again_alone(slides: Path) -> None:
    project = slides.parent.parent
    scene = project / "scenes" / "tiny_digits.py"
    scene.write_text(scene.read_text().replace("self.wait(2)", "self.wait(2.5)"))
    before = (slides / "TinyChain.html").stat().st_mtime_ns
    result = bpcalc_slides(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TinyChain: up to date" in result.stdout
    assert "rendering 1 scene(s) as slides at 480p15: TinyDigits" in result.stdout
    assert (slides / "TinyChain.html").stat().st_mtime_ns == before
    from bpcalc.pipeline.media import duration

    (video,) = (slides / "TinyDigits_assets").glob("*.mp4")
    assert duration(video) == pytest.approx(2.5, abs=0.1)  # the edit is in the slide
    assert len(list((slides / "index_assets").glob("*.mp4"))) == 3


# ------------------------------------------------------------------ in Chromium


@pytest.fixture
def served(slides: Path):
    """renders/slides on 127.0.0.1, as a classroom laptop would serve (or open) it."""
    with serve(slides) as url:
        yield url


@pytest.fixture
def browser():
    """Headless Chromium that can reach 127.0.0.1 only; yields a DevTools page client.
    Sound may play without a click: a classroom clicks, a test has no hands."""
    with chromium(1280, 720, "--autoplay-policy=no-user-gesture-required") as tools:
        yield tools


CURRENT_VIDEO = """(() => {
  const video = Reveal.getCurrentSlide().slideBackgroundContentElement
    ?.querySelector('video');
  return video && {src: video.currentSrc, time: video.currentTime, paused: video.paused,
                   ready: video.readyState, width: video.videoWidth, muted: video.muted,
                   heard: video.webkitAudioDecodedByteCount};
})()"""


@pytest.mark.render
@needs_slides
@needs_browser
def test_present_the_story_with_the_keyboard(served: str, browser: DevTools, tmp_path) -> None:
    browser.send("Network.enable")
    browser.send("Page.enable")
    browser.send("Page.navigate", url=f"{served}/index.html")

    def outside() -> list[str]:
        """Every request that left for a host other than this machine."""
        requested = [
            e["params"]["request"]["url"]
            for e in browser.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        return [u for u in requested if not u.startswith((served + "/", "data:", "blob:"))]

    try:
        browser.wait_for("typeof Reveal !== 'undefined' && Reveal.isReady()")
    except AssertionError as error:
        raise AssertionError(f"{error}; requests to other hosts: {outside()}") from None
    assert browser.evaluate("Reveal.getTotalSlides()") == 3  # 2 beats + 1 beat

    # The first slide's video plays by itself (reveal.js starts it muted).
    first = browser.wait_for(f"(v => v && v.time > 0.2 && v)({CURRENT_VIDEO})")
    assert first["src"].endswith("/index_assets/s0_" + Path(first["src"]).name[3:])
    assert first["width"] == 854  # 480p15

    # The right arrow key moves to the second beat, whose video then plays.
    browser.key("ArrowRight", 39)
    browser.wait_for("Reveal.getIndices().h === 1")
    second = browser.wait_for(f"(v => v && v.time > 0.2 && v.heard > 0 && v)({CURRENT_VIDEO})")
    assert second["src"] != first["src"]
    assert not second["muted"]  # the beat's narration is heard
    shot = browser.send("Page.captureScreenshot", format="png")["data"]
    (tmp_path / "slide-2.png").write_bytes(base64.b64decode(shot))
    if os.environ.get("BPCALC_SLIDES_SCREENSHOT"):  # for a person to look at
        shutil.copy(tmp_path / "slide-2.png", os.environ["BPCALC_SLIDES_SCREENSHOT"])

    # And once more into the next scene; then no further slide.
    browser.key("ArrowRight", 39)
    browser.wait_for("Reveal.getIndices().h === 2")
    browser.wait_for(f"(v => v && v.time > 0.2 && v)({CURRENT_VIDEO})")
    assert browser.evaluate("Reveal.isLastSlide()")

    # Nothing was asked of any host but this machine, and reveal.js came from it.
    requested = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert f"{served}/reveal.js/dist/reveal.js" in requested, requested
    assert outside() == []


@pytest.mark.render
@needs_slides
@needs_browser
@pytest.mark.skipif(not HAVE_WEB_CHECKS, reason="axe-core or html-validate missing (setup.sh)")
def test_the_slides_are_valid_and_accessible(
    slides: Path, served: str, browser: DevTools, tmp_path: Path
) -> None:
    page = slides / "index.html"
    text = page.read_text()
    assert '<html lang="en">' in text and "user-scalable" not in text  # zoom allowed
    assert html_errors(page, slides / "TinyChain.html") == ""
    browser.open(f"{served}/index.html", "typeof Reveal !== 'undefined' && Reveal.isReady()")
    assert axe_violations(browser) == []
    said = browser.evaluate(
        "[...document.querySelectorAll('.slides section p.narration')].map(p => p.textContent)"
    )
    assert len(said) == 3 and said[0].startswith("The last weight is ")  # each beat's narration
    assert (
        browser.evaluate("getComputedStyle(document.querySelector('p.narration')).clipPath")
        == "inset(50%)"
    )  # for a screen reader, not the eye
    shots = Path(os.environ.get("BPCALC_SCREENSHOTS") or tmp_path)
    browser.screenshot(shots / "slide-1.png", 1280, 720)
