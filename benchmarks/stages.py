"""Where a -q h render's CPU goes, per drawn frame: run as `manim`, with timers.

    .venv/bin/python benchmarks/stages.py render -qh ... scenes/chain_rule.py ChainRule -n 20,60

`benchmarks/bench.py stages` runs it. Each stage is timed on its own thread
(``time.thread_time``), so give x264 one thread (``--encoder-option
threads=1``): its frame threads would otherwise escape the timer. What no
timer covers (start-up, typesetting, Manim's bookkeeping) is the process's
CPU time minus the stages.
"""

from __future__ import annotations

import atexit
import resource
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from manim import Scene
from manim.__main__ import main

from bpcalc.viz import renderer

seconds: Counter[str] = Counter()
calls: Counter[str] = Counter()
lock = threading.Lock()


def timed(owner: type, method: str, stage: Callable[[tuple], str]) -> None:
    """Replace ``owner.method`` by itself plus a timer that books to ``stage(args)``."""
    original = getattr(owner, method)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            with lock:
                name = stage(args)
                seconds[name] += time.thread_time() - start
                calls[name] += 1

    setattr(owner, method, wrapper)


def codec(args: tuple) -> str:
    return "encode, " + args[0].stream.codec_context.name


timed(renderer._Converter, "__call__", lambda _: "convert RGBA to YUV")
timed(renderer._HeldTrack, "encode", codec)
timed(renderer.FrugalRenderer, "update_frame", lambda _: "draw (Cairo)")
timed(Scene, "update_to_time", lambda _: "interpolate animations")


@atexit.register
def report() -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = usage.ru_utime + usage.ru_stime
    drawn = calls["convert RGBA to YUV"] or 1
    print(f"\nprocess CPU {total:.1f} s, {drawn} drawn frames", file=sys.stderr)
    for name, spent in seconds.most_common():
        print(
            f"  {name:<24} {spent:6.1f} s  {1000 * spent / drawn:5.2f} ms per drawn frame"
            f"  {100 * spent / total:4.1f} %",
            file=sys.stderr,
        )
    rest = total - sum(seconds.values())
    print(
        f"  {'the rest: start-up, typesetting':<24} {rest:6.1f} s  {100 * rest / total:4.1f} %",
        file=sys.stderr,
    )


if __name__ == "__main__":
    sys.argv = ["manim", *sys.argv[1:]]
    main()
