"""The gallery in a real browser: every video, image and text track loads."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from importlib.util import find_spec
from pathlib import Path

import pytest
from scene_support import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    HAVE_WEB_CHECKS,
    axe_violations,
    bpcalc_render,
    chromium,
    fast_start,
    html_errors,
    served,
    top_level_boxes,
)

TITLE = "A square becomes a circle"  # TinyStory's

FLAGS = CHROMIUM_FLAGS


@pytest.fixture(scope="module")
def served_once(rendered: Path):
    """renders/ on a local HTTP server, as a blog host would serve the uploaded folder."""
    with served(rendered / "renders") as url:
        yield url


def check_report(served: str) -> dict:
    """The page's own ``?check`` report, read from Chromium's DOM dump."""
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--virtual-time-budget=20000",
                "--dump-dom",
                f"{served}/index.html?check",
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    found = re.search(r'<pre id="check">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.fixture(scope="module")
def report(served_once: str) -> dict:
    return check_report(served_once)


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
def test_every_video_and_image_loads(report: dict, rendered: Path) -> None:
    scenes = {"Episode", "TinyStory", "TinyChain", "TinyDigits"}
    assert {Path(v["src"]).stem for v in report["videos"]} == scenes
    for video in report["videos"]:
        assert video["duration"] and video["duration"] > 0, video
    figures = list((rendered / "renders").glob("480p15/*/*.jpg"))
    assert len(report["images"]) == len(figures) > 0
    for image in report["images"]:
        assert image["width"] > 0, image


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
def test_caption_and_chapter_tracks_load_with_their_cues(report: dict) -> None:
    tracks = {(Path(t["src"]).name, t["kind"]): t for t in report["tracks"]}
    assert set(tracks) == {
        (f"{name}{suffix}", kind)
        for name in ("TinyStory", "TinyChain", "TinyDigits", "Episode")
        for suffix, kind in ((".vtt", "captions"), (".chapters.vtt", "chapters"))
    }
    for track in tracks.values():
        assert track["readyState"] == 2, track  # LOADED
    assert tracks["TinyStory.vtt", "captions"]["cues"][0] == "A blue square appears."
    assert len(tracks["TinyStory.vtt", "captions"]["cues"]) == 4
    chain_cues = tracks["TinyChain.vtt", "captions"]["cues"]
    assert chain_cues[0].startswith("The last weight is ") and chain_cues[1] == "That is all."
    chapters = tracks["Episode.chapters.vtt", "chapters"]["cues"]
    assert chapters == [
        "A square becomes a circle",
        "One number of the chain",
        "One number of the digits",
    ]  # one cue per scene, in story order
    beats = tracks["TinyStory.chapters.vtt", "chapters"]["cues"]
    assert beats == ["Square", "Turn", "Label"]  # one per beat


# ------------------------------------------------- what a blog and a reader get

needs_web_checks = pytest.mark.skipif(
    CHROMIUM is None or not HAVE_WEB_CHECKS or find_spec("websocket") is None,
    reason="chromium, axe-core or html-validate missing (scripts/setup.sh, .ci/run)",
)


def test_every_published_mp4_is_fast_start(rendered: Path) -> None:
    videos = sorted((rendered / "renders").rglob("*.mp4"))
    assert {v.stem for v in videos} == {"Episode", "TinyStory", "TinyChain", "TinyDigits"}
    for video in videos:
        assert top_level_boxes(video)[:2] == ["ftyp", "moov"], video
        assert fast_start(video)


def test_fast_start_is_told_from_an_index_at_the_end(tmp_path: Path) -> None:
    """The check itself can fail: Manim's own MP4 has its index last."""
    import av
    import numpy as np

    video = tmp_path / "plain.mp4"
    with av.open(str(video), "w") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for _ in range(3):
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 64, 3), np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    assert not fast_start(video)
    assert top_level_boxes(video)[-1] == "moov"


def _pages(folder: Path) -> Path:
    """Where screenshots go: $BPCALC_SCREENSHOTS (for a person to look at), else a temp folder."""
    target = Path(os.environ.get("BPCALC_SCREENSHOTS") or folder)
    target.mkdir(parents=True, exist_ok=True)
    return target


@needs_web_checks
def test_the_gallery_is_valid_and_accessible(served_once: str, rendered: Path, tmp_path) -> None:
    page = rendered / "renders" / "index.html"
    assert html_errors(page) == ""
    text = page.read_text()
    images = re.findall(r"<img [^>]*>", text)
    assert len(images) == 6 and all('loading="lazy"' in i for i in images)  # all below a player
    with chromium() as browser:
        browser.open(f"{served_once}/index.html")
        assert axe_violations(browser) == []
        # a chapter time seeks the player; a copy is announced
        browser.evaluate(
            "document.querySelectorAll('#TinyStory .chapters a[data-seek]')[1].click()"
        )
        video = "document.querySelector('#TinyStory-player video')"
        browser.wait_for(f"{video}.readyState >= 1 && {video}.currentTime >= 1.95")
        assert browser.evaluate(f"{video}.currentTime") < 2.5  # the second beat starts at 2 s
        browser.evaluate("document.querySelector('button[data-copy=\"TinyChain-html\"]').click()")
        status = browser.wait_for("document.getElementById('status').textContent")
        assert status.startswith(("Copied: HTML snippet of One number of the chain", "Could not"))
        shots = _pages(tmp_path)
        for width in (1280, 390):
            browser.screenshot(shots / f"gallery-{width}.png", width)
            assert (shots / f"gallery-{width}.png").stat().st_size > 10_000


def _snippet(embed: str, title: str) -> str:
    """The HTML block under ``title``'s heading in EMBED.md."""
    section = embed[embed.index(f"## {title}") :]
    start = section.index("```html\n") + len("```html\n")
    return section[start : section.index("\n```", start)]


@needs_web_checks
def test_a_snippet_pasted_into_a_post_elsewhere_works(rendered: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(rendered, project)
    site = tmp_path / "site"
    (site / "blog" / "2026").mkdir(parents=True)
    with served(site) as url:
        result = bpcalc_render(project, "--base-url", f"{url}/videos")
        assert result.stdout.strip().splitlines()[-1].startswith("rendered 0"), result.stdout
        shutil.copytree(project / "renders", site / "videos")  # uploaded as it is
        snippet = _snippet((project / "renders" / "EMBED.md").read_text(), TITLE)
        assert f'src="{url}/videos/480p15/TinyStory.mp4"' in snippet
        post = site / "blog" / "2026" / "post.html"
        post.write_text(
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            "<title>A post</title>\n</head>\n<body>\n<main>\n<h1>A post</h1>\n"
            f"<p>The video:</p>\n{snippet}\n</main>\n</body>\n</html>\n"
        )
        assert html_errors(post) == ""
        with chromium() as browser:
            browser.open(f"{url}/blog/2026/post.html")
            assert axe_violations(browser) == []
            ready = """(() => { const v = document.querySelector("video");
              for (const t of v.textTracks) t.mode = "hidden";
              return v.readyState >= 1 && [...v.querySelectorAll("track")].every(
                t => t.readyState === 2) && {duration: v.duration, src: v.currentSrc,
                cues: [...v.textTracks].map(t => t.cues.length)}; })()"""
            loaded = browser.wait_for(ready, 30)
            assert loaded["src"] == f"{url}/videos/480p15/TinyStory.mp4"  # MP4 first
            assert loaded["duration"] > 5 and loaded["cues"] == [4, 3]  # captions, beats
            transcript = browser.evaluate(
                "fetch(document.querySelector('p a').href).then(r => r.status)", wait=True
            )
            assert transcript == 200


@needs_web_checks
def test_the_checks_find_what_the_old_snippets_got_wrong(tmp_path: Path) -> None:
    old = tmp_path / "old.html"
    old.write_text(
        '<!doctype html><html><head><meta name="viewport" content="user-scalable=no">'
        "<title>old</title></head><body><h1>old</h1>"
        '<video controls width="100%"><source src="a.webm" type="video/webm"></video>'
        '<img src="a.png"><button></button></body></html>'
    )
    errors = html_errors(old)
    for rule in ("attribute-allowed-values", "element-required-attributes", "wcag/h37"):
        assert rule in errors
    with served(tmp_path) as url, chromium() as browser:
        browser.open(f"{url}/old.html")
        found = {v["id"] for v in axe_violations(browser)}
    assert {"html-has-lang", "image-alt", "button-name", "meta-viewport", "region"} <= found
