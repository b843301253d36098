"""Save frames of a video at given times (or evenly spaced), to look at motion mid-way.

.venv/bin/python scripts/frames.py VIDEO OUT [SECONDS ...]      # at these times
.venv/bin/python scripts/frames.py VIDEO OUT --every 4          # every 4 seconds
"""

from __future__ import annotations

import sys
from pathlib import Path

import av


def main(video: Path, out: Path, times: list[float]) -> None:
    """Save the picture on screen at each time: the last frame that started by then
    (a held picture is one frame that lasts, see bpcalc.viz.renderer)."""
    out.mkdir(parents=True, exist_ok=True)
    wanted = sorted(times)
    shown = None
    with av.open(str(video)) as container:
        for frame in container.decode(container.streams.video[0]):
            while wanted and shown is not None and frame.time > wanted[0] + 1e-6:
                _save(shown, out / f"{video.stem}-{wanted.pop(0):07.2f}s.png")
            if not wanted:
                break
            shown = frame
    for moment in wanted:  # after the last frame started: it is still on screen
        if shown is not None:
            _save(shown, out / f"{video.stem}-{moment:07.2f}s.png")


def _save(frame: av.VideoFrame, png: Path) -> None:
    frame.to_image().save(png)
    print(png)


def every(video: Path, step: float) -> list[float]:
    with av.open(str(video)) as container:
        seconds = container.duration / av.time_base
    return [i * step for i in range(int(seconds / step) + 1)]


if __name__ == "__main__":
    source, folder = Path(sys.argv[1]), Path(sys.argv[2])
    if sys.argv[3:4] == ["--every"]:
        main(source, folder, every(source, float(sys.argv[4])))
    else:
        main(source, folder, [float(t) for t in sys.argv[3:]])
