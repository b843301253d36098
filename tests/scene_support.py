"""Shared by the tests: real renders with `manim render` and `bpcalc render`."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bpcalc.params import toml_value

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Headless and quiet: no sandbox as root, no GPU, none of Chromium's own network traffic.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def manim_render(file: str, name: str, media: Path, params_file: Path | None = None):
    """`manim render -ql` of a scene, as a user types it, into ``media``."""
    env = dict(os.environ)
    if params_file is not None:
        env["BPCALC_PARAMS"] = str(params_file)
    manim = Path(sys.executable).parent / "manim"
    return subprocess.run(
        [manim, "render", "-ql", "--media_dir", str(media), str(ROOT / "scenes" / file), name],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


def bpcalc_render(project: Path, *args: str, env: dict[str, str] | None = None):
    """`bpcalc render ARGS` run in ``project``, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bpcalc.cli", "render", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


class DevTools:
    """A minimal Chrome DevTools protocol client over one page's websocket."""

    def __init__(self, url: str) -> None:
        import websocket

        self.socket = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, **params) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression: str, wait: bool = False):
        """The expression's value (``wait``: the value its promise resolves to)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=wait
        )
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def wait_for(self, expression: str, seconds: float = 20.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"still false after {seconds} s: {expression}")

    def key(self, key: str, code: int) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code
            )

    def open(self, url: str, ready: str = "document.readyState === 'complete'") -> None:
        """Go to ``url`` and wait until ``ready`` is true there."""
        self.send("Page.enable")
        self.send("Page.navigate", url=url)
        self.wait_for(ready, 60)

    def screenshot(self, target: Path, width: int, height: int | None = None) -> None:
        """The page at ``width`` CSS pixels wide, whole (or ``height`` tall), as a PNG."""
        import base64

        full = height is None
        if full:
            height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=full)
        target.write_bytes(base64.b64decode(shot["data"]))


@contextmanager
def chromium(width: int = 1280, height: int = 720, *flags: str) -> Iterator[DevTools]:
    """Headless Chromium that can reach 127.0.0.1 only; yields a DevTools page client."""
    profile = tempfile.mkdtemp(prefix="bpcalc-chromium-")
    process = subprocess.Popen(
        [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            f"--window-size={width},{height}",
            "--remote-debugging-port=0",
            "--remote-allow-origins=*",
            f"--user-data-dir={profile}",
            *flags,
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.is_file() or not port_file.read_text().strip():
            assert time.monotonic() < deadline, "Chromium did not open its DevTools port"
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
            pages = [t for t in json.load(reply) if t["type"] == "page"]
        tools = DevTools(pages[0]["webSocketDebuggerUrl"])
        yield tools
        tools.socket.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


class _Ranges(http.server.SimpleHTTPRequestHandler):
    """Python's file server, answering ``Range: bytes=A-B`` as web hosts do (a browser
    seeks a video only when its server serves parts of it)."""

    def send_head(self):  # type: ignore[override]
        asked = self.headers.get("Range", "")
        path = Path(self.translate_path(self.path))
        if not asked.startswith("bytes=") or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first_text, _, last_text = asked[6:].split(",")[0].partition("-")
        first = int(first_text) if first_text else max(0, size - int(last_text))
        last = min(int(last_text), size - 1) if first_text and last_text else size - 1
        if first >= size:
            self.send_error(416)
            return None
        handle = path.open("rb")
        handle.seek(first)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.send_header("Content-Length", str(last - first + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._left = last - first + 1
        return handle

    def copyfile(self, source, outputfile) -> None:  # type: ignore[override]
        left = getattr(self, "_left", None)
        if left is None:
            return super().copyfile(source, outputfile)
        while left > 0:
            chunk = source.read(min(left, 64 * 1024))
            if not chunk:
                break
            outputfile.write(chunk)
            left -= len(chunk)


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """``folder`` on a local HTTP server, as a web host serves an uploaded folder; its URL."""
    handler = functools.partial(_Ranges, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


# axe-core and html-validate, installed from npm by scripts/setup.sh into the venv.
WEB_CHECK = Path(sys.prefix) / "share" / "web-check" / "node_modules"
AXE = WEB_CHECK / "axe-core" / "axe.min.js"
HTML_VALIDATE = WEB_CHECK / ".bin" / "html-validate"
HTML_VALIDATE_CONFIG = ROOT / "tests" / "htmlvalidate.json"
HAVE_WEB_CHECKS = AXE.is_file() and HTML_VALIDATE.is_file() and shutil.which("node") is not None


def axe_violations(page: DevTools) -> list[dict]:
    """Every axe-core violation on the open page (all its rules but the experimental)."""
    page.evaluate(AXE.read_text())
    return page.evaluate(
        """axe.run(document).then(r => r.violations.map(v => ({
             id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)})))""",
        wait=True,
    )


def html_errors(*pages: Path) -> str:
    """What html-validate finds wrong in ``pages`` ("" when nothing)."""
    result = subprocess.run(
        [str(HTML_VALIDATE), "--config", str(HTML_VALIDATE_CONFIG), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


def top_level_boxes(video: Path) -> list[str]:
    """The types of an MP4's top-level boxes, in file order (``moov`` is the index)."""
    import struct

    boxes, data, at = [], video.read_bytes(), 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        if size == 1:  # a 64-bit size follows the type
            (size,) = struct.unpack(">Q", data[at + 8 : at + 16])
        elif size == 0:  # to the end of the file
            size = len(data) - at
        assert size >= 8, (video, at, size)
        boxes.append(kind.decode("latin-1"))
        at += size
    assert at == len(data), f"{video}: boxes end at {at}, the file at {len(data)}"
    return boxes


def fast_start(video: Path) -> bool:
    """Whether a player can start ``video`` from its first bytes: the index before the data."""
    boxes = top_level_boxes(video)
    return "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat")


def toml_text(tables: dict) -> str:
    """A parameter file's text from ``{table: {key: value}}`` (as tomllib reads one)."""
    lines = []
    for table, keys in tables.items():
        lines.append(f"[{table}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in keys.items()]
        lines.append("")
    return "\n".join(lines)


def edited_params(
    folder: Path, changes: dict[str, dict[str, Any]], name: str = "bpcalc.toml"
) -> Path:
    """The repository's bpcalc.toml with ``changes`` ({table: {key: value}}) made, written
    in ``folder`` as ``name``; every key changed is one the file has."""
    tables = tomllib.loads((ROOT / "bpcalc.toml").read_text())
    for table, values in changes.items():
        unknown = set(values) - set(tables[table])
        assert not unknown, f"[{table}] of bpcalc.toml has no {', '.join(sorted(unknown))}"
        tables[table].update(values)
    path = folder / name
    path.write_text(toml_text(tables))
    return path


def published_folder(project: Path, quality: str = "480p15") -> Path:
    """Where `bpcalc render` publishes a quality's files in ``project``."""
    return project / "renders" / quality
