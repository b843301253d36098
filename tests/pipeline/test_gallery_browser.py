"""The gallery in a real browser: every video loads its metadata, every image loads."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def served(rendered: Path):
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


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
def test_every_video_and_image_loads(served: str, rendered: Path) -> None:
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
    report = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    scenes = {"TinyChain", "TinyDigits"}
    assert {Path(v["src"]).stem for v in report["videos"]} == scenes
    for video in report["videos"]:
        assert video["duration"] and video["duration"] > 0, video
    figures = list((rendered / "renders").glob("480p15/*/*.png"))
    assert len(report["images"]) == len(figures) > 0
    for image in report["images"]:
        assert image["width"] > 0, image
