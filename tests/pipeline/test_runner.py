"""The runner's stop: in-process work on scratch files is let finish noticing first."""

from __future__ import annotations

import contextlib
import signal
import threading
import time

from bpcalc.pipeline.runner import Run, Stopped


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
