"""Manim's Cairo renderer, minus the work nobody sees.

A held picture is one frame in the video, however long it is held. Manim
hands a ``wait`` (and every caption's reading pause) to its encoder as one
picture to repeat, and its encoder converts and encodes every repeat: at
1080p60 that is about 20 ms of CPU per frame for nothing new, and over 40 %
of a narrated scene is held pictures. MP4 stores a duration per frame, so the
writer here encodes a held picture once and gives it the whole hold. The
video looks and lasts the same and joins the same (Manim's and bpcalc's joins
keep the timestamps); players and browsers show variable-frame-rate MP4 as is.
Only MP4 segments are written this way; GIF and image outputs keep Manim's
encoder, since they count frames rather than read timestamps.

An animation Manim skips (``-n START,END``, which a split render and the
probe use) is not drawn: Manim still draws two full frames for each one and
throws them away. And a split render's first piece starts before anyone
knows where it should stop: ``bpcalc render`` writes its last animation to
the file named by ``$BPCALC_UPTO_FILE`` when it knows, and the renderer reads
it before each animation, as if it had been given ``-n 0,LAST``.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from manim import Camera, Scene, config
from manim._config.video_encoder import VideoEncoderSpec
from manim.constants import RendererType
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim.typing import RGBAPixelArray

__all__ = ["FrugalRenderer", "FrugalScene", "HeldFrameEncoder", "HeldFrameWriter"]


class HeldFrameEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, except that a repeated frame is encoded once, held.

    Frames are copied into one reused RGBA frame and converted from there
    (about half the CPU of building a new frame from the array each time).
    """

    def __init__(self, *, target: Path, spec: VideoEncoderSpec) -> None:
        super().__init__(target=target, spec=spec)
        self._held: dict[int, int] = {}  # frame time → how many frame times it is shown
        self._canvas = av.VideoFrame(spec.width, spec.height, "rgba")
        plane = self._canvas.planes[0]
        rows = np.frombuffer(plane, np.uint8).reshape(spec.height, plane.line_size)
        self._pixels = rows[:, : 4 * spec.width].reshape(spec.height, spec.width, 4)

    def write_frame(self, pixels: RGBAPixelArray, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        rate = self.spec.frame_rate
        try:
            np.copyto(self._pixels, pixels)
            # A new frame in the encoder's format: the canvas is free for the next one.
            frame = self._canvas.reformat(format=self.spec.pixel_format)
            frame.pts = self._next_pts
            frame.time_base = Fraction(rate.denominator, rate.numerator)
            self._held[self._next_pts] = repeat
            self._next_pts += repeat
            self._mux(self._stream.encode(frame))
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    def _mux(self, packets: list[av.Packet]) -> None:
        # The encoder leaves durations unset and the muxer would give the
        # segment's last frame one frame time: each packet carries its hold.
        for packet in packets:
            packet.duration = self._held.pop(packet.pts)
            self._container.mux(packet)

    def finish(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._mux(self._stream.encode(None))
        except Exception as error:
            with suppress(Exception):
                self._container.close()
            raise self._operation_error("finish", error) from error
        try:
            self._container.close()
        except Exception as error:
            raise self._operation_error("finish", error) from error


class HeldFrameWriter(SceneFileWriter):
    """Manim's file writer with :class:`HeldFrameEncoder` for MP4 segments."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        spec = self.video_encoder
        if spec is not None and spec.container_format == "mp4" and not self.output_spec.is_gif:
            # Without B-frames every frame is stored in the order it is shown, so
            # the joins (which recompute decode times) keep every hold exactly;
            # with them, a join shortened the video by the last holds.
            options = (*(o for o in spec.options if o[0] != "bf"), ("bf", "0"))
            return HeldFrameEncoder(target=target, spec=replace(spec, options=options))
        return super()._create_segment_encoder(target)


class FrugalRenderer(CairoRenderer):
    """Manim's Cairo renderer that writes held frames once and draws no skipped animation."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(file_writer_class=HeldFrameWriter, **kwargs)
        self._playing = False

    def play(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        self._playing = True
        try:
            super().play(scene, *args, **kwargs)
        finally:
            self._playing = False

    def update_skipping_status(self) -> None:
        upto = os.environ.get("BPCALC_UPTO_FILE")
        if upto:
            with suppress(OSError, ValueError):  # not written yet
                config.upto_animation_number = int(Path(upto).read_text())
        super().update_skipping_status()

    def update_frame(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        if not (self._playing and self.skip_animations):
            super().update_frame(scene, *args, **kwargs)

    def render(self, scene: Any, time: float, moving_mobjects: Any = None) -> None:
        if not self.skip_animations:
            super().render(scene, time, moving_mobjects)

    def freeze_current_frame(self, duration: float) -> None:
        if not self.skip_animations:
            super().freeze_current_frame(duration)

    def save_static_frame_data(self, scene: Any, static_mobjects: Any) -> Any:
        if self.skip_animations:
            self.static_image = None
            return None
        return super().save_static_frame_data(scene, static_mobjects)


class FrugalScene(Scene):
    """A Manim scene drawn and written by :class:`FrugalRenderer` (Cairo only)."""

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("renderer") is None and config.renderer == RendererType.CAIRO:
            kwargs["renderer"] = FrugalRenderer(
                camera_class=kwargs.get("camera_class", Camera),
                skip_animations=kwargs.get("skip_animations", False),
            )
        super().__init__(**kwargs)
