"""Published media for the web: fast start keeps every stream, posters are JPEG."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from scene_support import fast_start, top_level_boxes

from bpcalc.pipeline.media import fast_start as remux
from bpcalc.pipeline.media import last_frame, tile


def _with_sound(video: Path) -> None:
    """A second of pictures and AAC sound, muxed the way Manim does (index at the end)."""
    with av.open(str(video), "w") as container:
        picture = container.add_stream("libx264", rate=15)
        picture.width, picture.height, picture.pix_fmt = 64, 64, "yuv420p"
        sound = container.add_stream("aac", rate=48000)
        for index in range(15):
            pixels = np.full((64, 64, 3), index * 16, np.uint8)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            for packet in picture.encode(frame):
                container.mux(packet)
        samples = np.zeros((1, 1024), np.float32)
        for index in range(47):
            chunk = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            chunk.sample_rate, chunk.pts = 48000, index * 1024
            chunk.time_base = Fraction(1, 48000)
            for packet in sound.encode(chunk):
                container.mux(packet)
        for stream in (picture, sound):
            for packet in stream.encode(None):
                container.mux(packet)


def _packets(video: Path) -> dict[str, list[bytes]]:
    with av.open(str(video)) as container:
        found: dict[str, list[bytes]] = {}
        for packet in container.demux():
            if packet.size:
                found.setdefault(packet.stream.type, []).append(bytes(packet))
        return found


def test_fast_start_moves_the_index_first_and_keeps_the_sound(tmp_path: Path) -> None:
    made, published = tmp_path / "made.mp4", tmp_path / "published.mp4"
    _with_sound(made)
    assert not fast_start(made)  # as Manim leaves it
    remux(made, published)
    assert top_level_boxes(published)[:2] == ["ftyp", "moov"] and fast_start(published)
    before, after = _packets(made), _packets(published)
    assert set(after) == {"video", "audio"} and after == before  # copied, not re-encoded


def test_posters_are_jpeg_and_the_episode_poster_tiles_its_scenes(tmp_path: Path) -> None:
    video = tmp_path / "made.mp4"
    _with_sound(video)
    last_frame(video, tmp_path / "poster.jpg")
    last_frame(video, tmp_path / "print.png")
    assert (tmp_path / "poster.jpg").read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG
    assert (tmp_path / "print.png").read_bytes()[:4] == b"\x89PNG"  # PNG when asked by name
    from PIL import Image

    for shade, name in ((0, "a"), (255, "b"), (128, "c")):
        Image.new("RGB", (64, 36), (shade,) * 3).save(tmp_path / f"{name}.jpg")
    tile([tmp_path / f"{n}.jpg" for n in "abc"], tmp_path / "episode.jpg")
    sheet = np.asarray(Image.open(tmp_path / "episode.jpg").convert("L"), dtype=int)
    assert sheet.shape == (36, 64)
    assert sheet[9, 16] < 20 and sheet[9, 48] > 235 and abs(sheet[27, 16] - 128) < 20


def test_the_picture_at_a_time_is_the_one_on_screen_then_held_pictures_included(tmp_path):
    from bpcalc.pipeline.media import grey_frames

    video = tmp_path / "held.mp4"
    shades, starts = (0, 128, 255), (0, 5, 30)  # in fifteenths of a second: a long hold
    with av.open(str(video), "w") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for shade, start in zip(shades, starts, strict=True):
            frame = av.VideoFrame.from_ndarray(np.full((64, 64, 3), shade, np.uint8), "rgb24")
            frame.pts = start
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    pictures = grey_frames(video, [1.9, 0.1, 0.34, 5.0])
    means = [float(picture.mean()) for picture in pictures]
    expected = [128, 0, 128, 255]  # inside the hold, before it, its first moment, past the end
    assert np.allclose(means, expected, atol=6), means
