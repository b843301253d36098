"""Video files after Manim: length, stills, a WebM for the web, a GIF when asked.

PyAV (which Manim already needs) does the work, so no FFmpeg install is
required. Every output is written to a temporary name beside its destination
and moved into place only when complete: a crash never leaves half a file
where a good one was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import av

__all__ = ["atomic_path", "duration", "last_frame", "to_webm", "to_gif"]

GIF_FPS = 10
GIF_WIDTH = 480


@contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """A temporary path to write; on success it replaces ``destination`` in one step."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=destination.suffix
    )
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(0o644)  # mkstemp makes it private; published files are for the web
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def publish(destination: Path, write: Callable[[Path], None]) -> None:
    """Write ``destination`` through :func:`atomic_path`."""
    with atomic_path(destination) as temporary:
        write(temporary)


def duration(video: Path) -> float:
    """Length in seconds."""
    with av.open(str(video)) as container:
        return container.duration / av.time_base


def last_frame(video: Path, png: Path) -> None:
    """The final frame as a PNG (a poster, or a section's figure)."""
    with av.open(str(video)) as container:
        frame = None
        for frame in container.decode(video=0):  # noqa: B007 - only the last is kept
            pass
    if frame is None:
        raise ValueError(f"{video}: no frames")
    frame.to_image().save(png, format="PNG")


def to_webm(video: Path, webm: Path) -> None:
    """Re-encode as VP9 WebM, the format every browser plays."""
    with av.open(str(video)) as source, av.open(str(webm), "w", format="webm") as target:
        incoming = source.streams.video[0]
        rate = Fraction(incoming.average_rate or 30)
        stream = target.add_stream("libvpx-vp9", rate=rate)
        stream.codec_context.time_base = 1 / rate
        stream.width, stream.height = incoming.width, incoming.height
        stream.pix_fmt = "yuv420p"
        stream.options = {
            "crf": "34",
            "b": "0",
            "deadline": "realtime",
            "cpu-used": "8",
            "row-mt": "1",
        }
        for index, frame in enumerate(source.decode(incoming)):
            picture = frame.reformat(format="yuv420p")
            picture.pts, picture.time_base = index, 1 / rate
            target.mux(stream.encode(picture))
        target.mux(stream.encode(None))


def to_gif(video: Path, gif: Path) -> None:
    """A small looping GIF (fewer frames, narrower) for places that take no video."""
    with av.open(str(video)) as source:
        incoming = source.streams.video[0]
        rate = float(incoming.average_rate or 30)
        step = max(1, round(rate / GIF_FPS))
        frames = []
        for index, frame in enumerate(source.decode(incoming)):
            if index % step == 0:
                image = frame.to_image()
                if image.width > GIF_WIDTH:
                    image = image.resize((GIF_WIDTH, round(image.height * GIF_WIDTH / image.width)))
                frames.append(image.quantize(colors=128))
    frames[0].save(
        gif,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=round(1000 * step / rate),
        loop=0,
        optimize=False,
    )
