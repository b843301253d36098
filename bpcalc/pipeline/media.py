"""Video files after Manim: length, joins, stills, a GIF when asked.

PyAV (which Manim already needs) does the work, so no FFmpeg install is
required. Every MP4 written here is fast start (its index, the ``moov``
box, before the pictures), so a browser can start playing and seeking
before it has the whole file. Every output is written to a temporary name beside its destination
and moved into place only when complete: a crash never leaves half a file
where a good one was.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.container import Flags as ContainerFlags

from bpcalc.speech.subtitles import CAPTION_HEIGHT

__all__ = [
    "Check",
    "atomic_path",
    "concat",
    "duration",
    "fast_start",
    "frame_count",
    "grey_frames",
    "last_frame",
    "pictures_only",
    "publish",
    "quietest_band",
    "tile",
    "to_gif",
]

GIF_FPS = 10
GIF_WIDTH = 480
JPEG_QUALITY = 88  # a fifth of the PNG's bytes; flat colours and text stay clean
# The muxer writes the index at the end, then moves it to the front (fast start).
MP4_OPTIONS = {"movflags": "+faststart"}


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


def frame_count(video: Path) -> int:
    """Number of video frames, counted by demuxing (no decoding)."""
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        return sum(1 for packet in container.demux(stream) if packet.size)


def concat(
    parts: Sequence[Path], target: Path, chapters: Sequence[tuple[float, float, str]] = ()
) -> None:
    """Join videos of one codec and size into ``target`` without re-encoding.

    This is how Manim itself joins its per-animation clips (FFmpeg's concat
    demuxer, packets copied, decode timestamps recomputed), so a scene
    rendered in pieces joins exactly like a scene rendered in one go.
    ``chapters`` are ``(start, end, title)`` in seconds, written where the
    container format supports them (MP4 and WebM do).

    The demuxer starts each part where the one before ends, by the part's
    length; but a WebM keeps no packet durations, so the last picture of the
    last part would be shown one frame instead of held to the end. It is
    given the time left to the parts' total length.
    """
    total = sum(duration(part) for part in parts)
    manifest = "".join(f"file 'file:{_quoted(Path(p).resolve())}'\n" for p in parts)
    with (
        av.open(io.BytesIO(manifest.encode()), format="concat", options={"safe": "0"}) as source,
        _open_output(target) as output,
    ):
        incoming = source.streams.video[0]
        stream = output.add_stream_from_template(template=incoming)
        if chapters:
            output.set_chapters(
                [
                    {
                        "id": number,
                        "start": round(start * 1000),
                        "end": round(end * 1000),
                        "time_base": Fraction(1, 1000),
                        "metadata": {"title": title},
                    }
                    for number, (start, end, title) in enumerate(chapters, start=1)
                ]
            )
        last = None
        for packet in source.demux(incoming):
            if packet.dts is None:  # the demuxer's flushing packets
                continue
            packet.dts = None  # consecutive files restart their clocks; let libav compute it
            if last is not None:
                last.stream = stream
                output.mux(last)
            last = packet
        if last is not None:
            until_end = round(total / last.time_base) - last.pts
            last.duration = max(last.duration or 0, until_end)
            last.stream = stream
            output.mux(last)


def _open_output(target: Path) -> av.container.OutputContainer:
    """An output container, reproducible (same packets, same bytes), MP4s fast start."""
    fmt = {".mp4": "mp4", ".webm": "webm"}.get(target.suffix)
    options = MP4_OPTIONS if fmt == "mp4" else {}
    output = av.open(str(target), "w", format=fmt, options=options)
    output.flags |= ContainerFlags.bitexact.value
    return output


def fast_start(video: Path, target: Path) -> None:
    """``video`` remuxed into ``target`` with its index first, every stream's packets copied
    (the pictures, and the sound when there is some), chapters kept."""
    with av.open(str(video)) as source, _open_output(target) as output:
        streams = {s.index: output.add_stream_from_template(template=s) for s in source.streams}
        output.set_chapters(source.chapters())
        for packet in source.demux():
            if packet.dts is None:  # the demuxer's flushing packets
                continue
            packet.stream = streams[packet.stream.index]
            output.mux(packet)


def pictures_only(video: Path, target: Path) -> Path:
    """``video`` without its sound (packets copied): FFmpeg's concat demuxer takes its
    streams from the first part, so parts with and without a voice cannot be joined."""
    with av.open(str(video)) as source:
        if not source.streams.audio:
            return video
        incoming = source.streams.video[0]
        with _open_output(target) as output:
            stream = output.add_stream_from_template(template=incoming)
            length = source.duration / av.time_base
            packets = [packet for packet in source.demux(incoming) if packet.dts is not None]
            if packets:  # a WebM keeps no packet durations: the last picture lasts to the end
                last = packets[-1]
                last.duration = max(last.duration or 0, round(length / last.time_base) - last.pts)
            for packet in packets:
                packet.stream = stream
                output.mux(packet)
    return target


def _quoted(path: Path) -> str:
    """A path inside single quotes of a concat manifest."""
    return path.as_posix().replace("'", "'\\''")


Check = Callable[[], None] | None
"""Called once per frame by the long loops; it raises to stop them (a stop was asked for)."""


def last_frame(video: Path, image: Path, check: Check = None) -> None:
    """The final frame as an image (a poster, or a section's figure), JPEG or PNG by
    ``image``'s suffix: JPEG for the web, PNG for print.

    Decoding starts at the last keyframe, the start of the final animation's
    clip (every clip starts with one), not at the start of the video.
    """
    with av.open(str(video)) as container:
        frame = None
        with suppress(av.FFmpegError):
            container.seek(container.duration or 0, backward=True)
        for frame in container.decode(video=0):  # noqa: B007 - only the last is kept
            if check:
                check()
    if frame is None:
        raise ValueError(f"{video}: no frames")
    if image.suffix == ".png":
        frame.to_image().save(image, format="PNG")
    else:
        frame.to_image().save(image, format="JPEG", quality=JPEG_QUALITY, optimize=True)


QUIET_ENOUGH = 0.002  # bands whose share of drawn pixels differs by less are as quiet


def grey_frames(video: Path, times: Sequence[float], check: Check = None) -> list[np.ndarray]:
    """The picture on screen at each of ``times`` (seconds, in any order), in grey: the
    last frame shown at or before it (a held picture is one long frame)."""
    wanted = sorted(range(len(times)), key=lambda n: times[n])
    pictures: list[np.ndarray] = [np.empty(0)] * len(times)
    position, shown = 0, None
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for frame in container.decode(stream):
            if check:
                check()
            while position < len(wanted) and (frame.time or 0.0) > times[wanted[position]]:
                pictures[wanted[position]] = (frame if shown is None else shown).to_ndarray(
                    format="gray"
                )
                position += 1
            if position == len(wanted):
                break
            shown = frame
    if shown is None:
        raise ValueError(f"{video}: no frames")
    for n in wanted[position:]:  # at or after the last frame
        pictures[n] = shown.to_ndarray(format="gray")
    return pictures


def quietest_band(
    pictures: Path | Sequence[np.ndarray], tops: Sequence[float], stay: float | None = None
) -> float:
    """Of the bands ``CAPTION_HEIGHT`` tall starting at ``tops`` (shares of the height,
    top to bottom), the one with the least drawn across the picture's middle in any of
    ``pictures`` (an image file, or the frames a caption is on screen over), where a
    caption would cover it. Of bands as quiet: ``stay`` (the previous caption's, so
    captions do not jump about), else the lowest (the bottom, where viewers expect
    captions, when nothing is in the way there)."""
    from PIL import Image

    if isinstance(pictures, Path):
        pictures = [np.asarray(Image.open(pictures).convert("L"))]
    height, width = pictures[0].shape
    drawn = np.max(
        [(p[:, width // 10 : width - width // 10] > 64).mean(axis=1) for p in pictures], 0
    )

    def ink(top: float) -> float:
        return float(drawn[round(top * height) : round((top + CAPTION_HEIGHT) * height)].mean())

    least = min(ink(top) for top in tops)
    quiet = [top for top in tops if ink(top) <= least + QUIET_ENOUGH]
    return stay if stay in quiet else quiet[-1]


def tile(images: Sequence[Path], target: Path) -> None:
    """The images side by side, two to a row, shrunk into the first one's size: a poster
    that shows what a joined video holds (JPEG, like the posters it is made of)."""
    from PIL import Image

    pictures = [Image.open(image).convert("RGB") for image in images]
    width, height = pictures[0].size
    columns = min(2, len(pictures))
    rows = -(-len(pictures) // columns)
    cell = (width // columns, height // columns)  # the frame's shape, whatever the rows
    sheet = Image.new("RGB", (width, height))
    top = (height - rows * cell[1]) // 2
    for number, picture in enumerate(pictures):
        row, column = divmod(number, columns)
        sheet.paste(picture.resize(cell), (column * cell[0], top + row * cell[1]))
    sheet.save(target, format="JPEG", quality=JPEG_QUALITY, optimize=True)


def to_gif(video: Path, gif: Path, check: Check = None) -> None:
    """A small looping GIF (fewer frames, narrower) for places that take no video.

    Frames are picked by time, every 1/GIF_FPS s, so a held picture lasts as
    long as in the video.
    """
    step = 1 / GIF_FPS
    frames = []
    with av.open(str(video)) as source:
        incoming = source.streams.video[0]
        end = source.duration / av.time_base
        shown = None
        upcoming = iter(source.decode(incoming))
        latest = next(upcoming, None)
        for index in range(max(1, round(end * GIF_FPS))):
            moment = index * step
            while latest is not None and latest.time <= moment + 1e-9:
                shown, latest = latest, next(upcoming, None)
                if check:
                    check()
            if shown is None:
                continue
            image = shown.to_image()
            if image.width > GIF_WIDTH:
                image = image.resize((GIF_WIDTH, round(image.height * GIF_WIDTH / image.width)))
            frames.append(image.quantize(colors=128))
    frames[0].save(
        gif,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=round(1000 * step),
        loop=0,
        optimize=False,
    )
