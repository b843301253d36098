"""The voice plays in a real browser: every narrated video and the episode, MP4 and WebM."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import pytest
from scene_support import CHROMIUM, chromium, served

PLAY = """(async () => {
  const video = document.createElement('video');
  video.src = %r;
  document.body.append(video);
  await video.play();
  while (video.currentTime < 0.8) await new Promise(r => setTimeout(r, 50));
  video.pause();
  return {muted: video.muted, heard: video.webkitAudioDecodedByteCount,
          seen: video.webkitVideoDecodedByteCount, duration: video.duration};
})()"""


@pytest.mark.skipif(
    CHROMIUM is None or find_spec("websocket") is None,
    reason="Debian's chromium or websocket-client is missing (.ci/run, the test extra)",
)
def test_narrated_videos_play_with_their_voice(rendered: Path) -> None:
    with (
        served(rendered / "renders") as url,
        chromium(1280, 720, "--autoplay-policy=no-user-gesture-required") as browser,
    ):
        browser.send("Page.navigate", url=f"{url}/index.html")
        browser.wait_for("document.readyState === 'complete'")
        for name in ("TinyChain", "TinyDigits", "Episode"):
            for suffix in (".mp4", ".webm"):
                source = f"{url}/480p15/{name}{suffix}"
                result = browser.send(
                    "Runtime.evaluate",
                    expression=PLAY % source,
                    awaitPromise=True,
                    returnByValue=True,
                    timeout=30_000,
                )
                assert "exceptionDetails" not in result, (source, result)
                played = result["result"]["value"]
                assert not played["muted"] and played["heard"] > 0, (source, played)
                assert played["seen"] > 0 and played["duration"] > 0, (source, played)
