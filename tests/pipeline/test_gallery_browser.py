"""The gallery in a real browser: every video, image and text track loads."""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from scene_support import CHROMIUM, CHROMIUM_FLAGS

FLAGS = CHROMIUM_FLAGS


@pytest.fixture(scope="module")
def served_once(rendered: Path):
    """renders/ on a local HTTP server, as a blog host would serve the uploaded folder."""
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(rendered / "renders")
    )
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


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
    figures = list((rendered / "renders").glob("480p15/*/*.png"))
    assert len(report["images"]) == len(figures) > 0
    for image in report["images"]:
        assert image["width"] > 0, image


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
def test_caption_and_chapter_tracks_load_with_their_cues(report: dict) -> None:
    tracks = {(Path(t["src"]).name, t["kind"]): t for t in report["tracks"]}
    assert set(tracks) == {
        ("TinyStory.vtt", "captions"),
        ("TinyChain.vtt", "captions"),
        ("TinyDigits.vtt", "captions"),
        ("Episode.vtt", "captions"),
        ("Episode.chapters.vtt", "chapters"),
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
