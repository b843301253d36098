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

A drawn picture goes from the camera to the encoder's format in one step:
Manim copies the whole RGBA frame for its encoder thread, which copies it
again and then converts it; here the conversion reads the camera's pixels in
place and hands the encoder thread the (smaller) converted picture. With
``$BPCALC_WEBM_CLIPS`` set (``bpcalc render`` sets it) each MP4 segment gets a
VP9 WebM twin from the same pictures, so the web version costs no decoding
and no second conversion.

A keyframe starts every clip and follows at most ``KEYFRAME_SECONDS`` of
video later (a picture held longer is one keyframe), in the MP4 and the
WebM alike: a browser seeking to a chapter or a time decodes from the
keyframe before it, so that is never more than two seconds of pictures.

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
from av.codec.context import Flags as CodecFlags
from av.container import Flags as ContainerFlags
from av.video.frame import PictureType
from av.video.reformatter import VideoReformatter
from manim import Camera, Scene, config
from manim._config.video_encoder import VideoEncoderSpec
from manim.constants import RendererType
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim.typing import RGBAPixelArray

from bpcalc.params import WEBM_CLIPS  # set: every MP4 segment gets a VP9 WebM twin
from bpcalc.speech.subtitles import CAPTION_HEIGHT

# VP9 at libvpx's fastest (realtime, speed 8); CRF 34 looks like the MP4 at a
# similar size. No look-ahead (libvpx buffers 25 frames by default, which
# realtime mode barely uses: the same size to 0.1 %, an eighth less CPU). One
# thread: the bytes never depend on the machine.
WEBM_OPTIONS = {
    "crf": "34",
    "b": "0",
    "deadline": "realtime",
    "cpu-used": "8",
    "lag-in-frames": "0",
    "row-mt": "1",
    "threads": "1",
}

KEYFRAME_SECONDS = 2  # the most video between two keyframes (a longer hold is one frame)

__all__ = [
    "KEYFRAME_SECONDS",
    "CaptionStripCamera",
    "WEBM_CLIPS",
    "FrugalRenderer",
    "FrugalScene",
    "HeldFrameEncoder",
    "HeldFrameWriter",
]


class _HeldTrack:
    """One stream of a segment: each packet is given the hold of the frame it encodes
    (the encoder leaves durations unset, and the muxer would give the segment's
    last frame one frame time)."""

    def __init__(self, container: Any, stream: Any) -> None:
        self.container, self.stream = container, stream
        self.held: dict[int, int] = {}  # frame time → how many frame times it is shown

    def encode(self, picture: av.VideoFrame | None, repeat: int = 0) -> None:
        if picture is not None:
            self.held[picture.pts] = repeat
        for packet in self.stream.encode(picture):
            packet.duration = self.held.pop(packet.pts)
            self.container.mux(packet)


def _open_webm(target: Path, spec: VideoEncoderSpec) -> _HeldTrack:
    """A VP9 WebM beside an MP4 segment, the format every browser plays.

    Reproducible: the muxer's bitexact flag drops the random segment UID and
    the library version strings, and libvpx runs one thread, so the bytes
    never depend on the machine or on how a scene was split.
    """
    container = av.open(str(target), "w", format="webm")
    try:
        container.flags |= ContainerFlags.bitexact.value
        stream = container.add_stream("libvpx-vp9", rate=spec.frame_rate)
        stream.codec_context.time_base = Fraction(1, 1) / spec.frame_rate
        stream.width, stream.height, stream.pix_fmt = spec.width, spec.height, "yuv420p"
        stream.options = WEBM_OPTIONS
        stream.codec_context.flags |= CodecFlags.bitexact.value
    except BaseException:
        container.close()
        target.unlink(missing_ok=True)
        raise
    return _HeldTrack(container, stream)


class _Converter:
    """RGBA pixels to a new frame in the encoder's format, read in place (no RGBA copy).

    One thread, one scaler kept from frame to frame, and each 2×2 block's
    colour taken from one pixel instead of a weighted mean: at 1080p about
    3.3 ms of CPU a frame instead of 6.5. (libswscale's slice threads and a
    new scaler each frame cost more than they save when every core is
    drawing; the colour sampling differs from the mean by 56 dB PSNR, far
    below what the encoders discard.)
    """

    def __init__(self, pixel_format: str) -> None:
        self.pixel_format = pixel_format
        self._scaler = VideoReformatter()

    def __call__(self, pixels: RGBAPixelArray) -> av.VideoFrame:
        frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
        return self._scaler.reformat(
            frame, format=self.pixel_format, interpolation="POINT", threads=1
        )


class HeldFrameEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, except that a repeated frame is encoded once, held;
    and, when asked, the same pictures are encoded again into a WebM twin
    (``uncached_00012.webm`` beside ``uncached_00012.mp4``).

    It takes frames already in the encoder's format from :meth:`HeldFrameWriter.picture`
    (or RGBA arrays, as Manim's encoder does).
    """

    def __init__(self, *, target: Path, spec: VideoEncoderSpec, webm: bool = False) -> None:
        super().__init__(target=target, spec=spec)
        self._key_every = KEYFRAME_SECONDS * spec.frame_rate  # in frame times
        self._last_key: int | None = None  # when the last keyframe starts, in frame times
        self._convert = _Converter(spec.pixel_format)
        self._tracks = [_HeldTrack(self._container, self._stream)]
        if webm:
            try:
                self._tracks.append(_open_webm(target.with_suffix(".webm"), spec))
            except BaseException as error:
                with suppress(Exception):
                    super().abort()
                raise self._operation_error("open", error) from error

    def write_frame(self, picture: av.VideoFrame | RGBAPixelArray, *, repeat: int = 1) -> None:
        if isinstance(picture, np.ndarray):
            self._validate_frame(picture, repeat)
            picture = self._convert(picture)
        else:
            self._validate_picture(picture, repeat)
        try:
            picture.pts = self._next_pts
            picture.time_base = Fraction(1, 1) / self.spec.frame_rate
            self._next_pts += repeat
            picture.pict_type = self._picture_type(picture.pts, repeat)
            for track in self._tracks:
                track.encode(picture, repeat)
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    def _picture_type(self, start: int, repeat: int) -> PictureType:
        """A keyframe when this picture would end more than ``KEYFRAME_SECONDS`` after the
        last one began (the encoders keep a forced picture type as a keyframe)."""
        if self._last_key is None or start + repeat - self._last_key > self._key_every:
            self._last_key = start
            return PictureType.I
        return PictureType.NONE

    def _validate_picture(self, picture: av.VideoFrame, repeat: int) -> None:
        size = (picture.width, picture.height, picture.format.name)
        if size != (self.spec.width, self.spec.height, self.spec.pixel_format) or repeat < 1:
            raise ValueError(f"Video segment pictures must be {self._profile_description()}.")

    def finish(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            for track in self._tracks:
                track.encode(None)
        except Exception as error:
            self._close_all()
            raise self._operation_error("finish", error) from error
        try:
            for track in self._tracks:
                track.container.close()
        except Exception as error:
            raise self._operation_error("finish", error) from error

    def abort(self) -> None:
        for track in self._tracks[1:]:
            with suppress(Exception):
                track.container.close()
            Path(track.container.name).unlink(missing_ok=True)
        super().abort()

    def _close_all(self) -> None:
        for track in self._tracks:
            with suppress(Exception):
                track.container.close()


class HeldFrameWriter(SceneFileWriter):
    """Manim's file writer with :class:`HeldFrameEncoder` for MP4 segments."""

    _convert: _Converter | None = None

    def _holds(self) -> bool:
        spec = self.video_encoder
        return spec is not None and spec.container_format == "mp4" and not self.output_spec.is_gif

    def picture(self, pixels: RGBAPixelArray) -> av.VideoFrame | RGBAPixelArray:
        """What to hand :meth:`write_frame` for the camera's pixels, which are redrawn
        next: for an MP4 segment the picture converted straight from them (Manim
        copies the whole RGBA frame, then converts the copy); otherwise that copy."""
        if not self._holds():
            return pixels.copy()
        if self._convert is None:
            self._convert = _Converter(self.video_encoder.pixel_format)  # type: ignore[union-attr]
        return self._convert(pixels)

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        spec = self.video_encoder
        if spec is not None and self._holds():
            # Without B-frames every frame is stored in the order it is shown, so
            # the joins (which recompute decode times) keep every hold exactly;
            # with them, a join shortened the video by the last holds.
            options = (*(o for o in spec.options if o[0] != "bf"), ("bf", "0"))
            webm = bool(os.environ.get(WEBM_CLIPS))
            return HeldFrameEncoder(target=target, spec=replace(spec, options=options), webm=webm)
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
            self.update_frame(scene, moving_mobjects)
            self.add_frame(self.file_writer.picture(self.camera.pixel_array))

    def freeze_current_frame(self, duration: float) -> None:
        if not self.skip_animations:
            frames = int(duration / (1 / self.camera.frame_rate))  # Manim's count, exactly
            self.add_frame(self.file_writer.picture(self.camera.pixel_array), num_frames=frames)

    def scene_finished(self, scene: Any) -> None:
        super().scene_finished(scene)
        after_movie = getattr(scene, "after_movie", None)
        if after_movie is not None and self.num_plays and self.file_writer.output_spec.is_video:
            after_movie(Path(self.file_writer.movie_file_path))

    def save_static_frame_data(self, scene: Any, static_mobjects: Any) -> Any:
        if self.skip_animations:
            self.static_image = None
            return None
        return super().save_static_frame_data(scene, static_mobjects)


class CaptionStripCamera(Camera):
    """Manim's camera, looking a little further out and down: the scene's frame fills
    the top of the picture and a strip ``CAPTION_HEIGHT`` of its height stays clear at
    the bottom, where the player draws the captions, so no caption covers a formula."""

    def __init__(self, **kwargs: Any) -> None:
        scale = 1 / (1 - CAPTION_HEIGHT)
        height = config.frame_height * scale
        kwargs.setdefault("frame_height", height)
        kwargs.setdefault("frame_width", config.frame_width * scale)
        kwargs.setdefault("frame_center", np.array([0.0, (config.frame_height - height) / 2, 0.0]))
        super().__init__(**kwargs)


class FrugalScene(Scene):
    """A Manim scene drawn and written by :class:`FrugalRenderer` (Cairo only)."""

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("renderer") is None and config.renderer == RendererType.CAIRO:
            kwargs["renderer"] = FrugalRenderer(
                camera_class=kwargs.get("camera_class", CaptionStripCamera),
                skip_animations=kwargs.get("skip_animations", False),
            )
        super().__init__(**kwargs)
