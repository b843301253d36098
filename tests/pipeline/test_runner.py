"""The runner's children: work done while a child runs, and no orphan when that work fails."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

import bpcalc.pipeline.media as media
from bpcalc.pipeline.runner import Run, Stopped, WebmClips


def test_work_meanwhile_runs_while_the_child_does(tmp_path: Path) -> None:
    calls: list[float] = []
    command = [sys.executable, "-c", "import time; time.sleep(1.6)"]
    code = Run().run(
        command, tmp_path, dict(os.environ), tmp_path / "log", lambda: calls.append(1.0)
    )
    assert code == 0
    assert len(calls) >= 2  # every half second while the child sleeps


def test_a_failure_meanwhile_ends_the_child(tmp_path: Path) -> None:
    marker = tmp_path / "still-running"
    script = f"import time, pathlib; time.sleep(3); pathlib.Path({str(marker)!r}).touch()"

    def fail() -> None:
        raise RuntimeError("transcode failed")

    start = time.monotonic()
    with pytest.raises(RuntimeError, match="transcode failed"):
        Run().run([sys.executable, "-c", script], tmp_path, dict(os.environ), tmp_path / "l", fail)
    assert time.monotonic() - start < 2.5
    time.sleep(3)
    assert not marker.exists()  # the child was ended, not left running


def test_a_clip_is_transcoded_once_the_one_after_next_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = tmp_path / "videos" / "scene" / "480p15" / "partial_movie_files" / "Scene"
    clips.mkdir(parents=True)
    made: list[str] = []
    monkeypatch.setattr(media, "to_webm", lambda clip, target, check=None: made.append(clip.name))
    webm = WebmClips(Run(), tmp_path, "Scene")
    for index in range(3):
        (clips / f"uncached_{index:05d}.mp4").touch()
        webm.finished()
    assert made == ["uncached_00000.mp4"]  # Manim finished clip 0 before opening clip 2
    webm.all()
    assert made == ["uncached_00000.mp4", "uncached_00001.mp4", "uncached_00002.mp4"]


def test_a_stop_waits_for_work_in_process_to_notice() -> None:
    run = Run()
    started, left = threading.Event(), threading.Event()

    def transcode() -> None:
        with contextlib.suppress(Stopped), run.working():
            started.set()
            while True:  # a transcode checks once per frame
                time.sleep(0.2)
                run.check()
        left.set()

    worker = threading.Thread(target=transcode)
    worker.start()
    assert started.wait(5)
    run.stop(signal.SIGTERM)
    assert left.wait(0.05)  # stop returned only once the work had let go
    worker.join(5)
