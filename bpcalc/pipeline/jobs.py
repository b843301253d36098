"""Scenes rendered at once: one run per renders/ folder, worker threads, stops, progress.

A second ``bpcalc render`` (or ``slides``) in the same folder waits for the
first (:func:`render_lock`). Scenes render on daemon threads (:func:`workers`);
the main thread waits for their outcomes, waking often enough to run a signal
handler and to print how far each scene has drawn (:class:`Progress`). SIGINT
and SIGTERM raise :class:`~bpcalc.pipeline.runner.Stopped` there
(:func:`stoppable`).
"""

from __future__ import annotations

import fcntl
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from bpcalc.pipeline.runner import ANIMATIONS_FILE, Stopped

__all__ = ["Progress", "ignore_stops", "next_outcome", "render_lock", "stoppable", "workers"]

PROGRESS_EVERY = 5.0  # seconds between two progress lines while scenes draw
Outcome = TypeVar("Outcome")


@contextmanager
def render_lock(renders: Path) -> Iterator[None]:
    """One `bpcalc render` at a time per renders/ folder; a second one waits its turn."""
    renders.mkdir(parents=True, exist_ok=True)
    with open(renders / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("bpcalc render: another render is running here; waiting for it", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def workers(tasks: list[Callable[[], Outcome]], count: int) -> queue.Queue[Outcome]:
    """Run the tasks on daemon threads, ``count`` at a time; outcomes arrive on the queue.

    Daemon threads, so that a stop does not wait for a still or GIF half-way
    through a scene: the stop has already made sure nothing gets published.
    """
    todo: queue.Queue[Callable[[], Outcome]] = queue.Queue()
    for task in tasks:
        todo.put(task)
    done: queue.Queue[Outcome] = queue.Queue()

    def work() -> None:
        while True:
            try:
                task = todo.get_nowait()
            except queue.Empty:
                return
            done.put(task())

    for _ in range(count):
        threading.Thread(target=work, daemon=True).start()
    return done


def next_outcome(done: queue.Queue[Outcome], tick: Callable[[], None]) -> Outcome:
    """The next outcome, waking twice a second (to ``tick``): the kernel may hand SIGINT
    or SIGTERM to a worker thread, and Python runs the handler only when the main
    thread wakes."""
    while True:
        try:
            return done.get(timeout=0.5)
        except queue.Empty:
            tick()


class Progress:
    """While scenes draw, a line every few seconds: how many animations each has drawn
    (Manim leaves a clip per animation), of how many it has (as a split render's probe
    counted them, else as many as it had when last rendered)."""

    def __init__(self, scratch: Path, totals: dict[str, int]) -> None:
        self.scratch, self.totals = scratch, totals
        self._last_line, self._last_time = "", time.monotonic()

    def drawn(self, name: str) -> int:
        clips = f"{name}-*/**/partial_movie_files/*/uncached_*.mp4"
        try:
            return sum(1 for _ in self.scratch.glob(clips))
        except OSError:  # a folder removed while counting: the scene is being published
            return 0

    def total(self, name: str) -> int:
        for counted in self.scratch.glob(f"{name}-*/{ANIMATIONS_FILE}"):
            with suppress(OSError, ValueError):
                return int(counted.read_text())
        return self.totals[name]

    def __call__(self) -> None:
        if time.monotonic() - self._last_time < PROGRESS_EVERY:
            return
        self._last_time = time.monotonic()
        counts = []
        for name in self.totals:
            count, total = self.drawn(name), self.total(name)
            if count and (not total or count < total):
                counts.append(f"{name} {count}/{total}" if total else f"{name} {count}")
        line = "  drawing: " + ", ".join(counts) + " animations" if counts else ""
        if line and line != self._last_line:
            print(line, flush=True)
            self._last_line = line


def _raise_stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


@contextmanager
def stoppable() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Stopped` in the main thread while rendering."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def ignore_stops() -> None:
    """After a stop: one is enough, the next SIGINT or SIGTERM is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
