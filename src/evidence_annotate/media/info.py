"""What a probe measured: [MediaInfo][], and the capture time its tags state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .clap import Crop

__all__ = ["MediaInfo", "capture_time"]


@dataclass(frozen=True)
class MediaInfo:
    """What a media file holds, as a player would show it.

    Attributes:
        path: The file.
        width: Width in pixels AS DISPLAYED (rotation applied).
        height: Height in pixels AS DISPLAYED (rotation applied).
        coded_width: Width of the stored frames, before cropping and rotation.
        coded_height: Height of the stored frames, before cropping and rotation.
        rotation: Counter-clockwise display rotation in degrees (0, 90, 180 or 270).
        duration: End of the video on the source timeline, in seconds: when the last frame
            starts plus ``last_frame_duration``.
        fps: Average frame rate (frames / duration).
        frame_rate: The nominal frame rate as a fraction (used for generated frames).
        vfr: True when frame durations vary (typical for phone video).
        frame_count: Number of video frames.
        video_codec: Codec name of the video stream (e.g. ``"h264"``).
        pix_fmt: Pixel format of the video stream (e.g. ``"yuv420p"``).
        bit_depth: Bits per colour component.
        hdr: Transfer function name when the video is HDR (``"smpte2084"``/``"arib-std-b67"``).
        has_audio: True when a decodable audio stream exists.
        audio_codec: Codec of the chosen audio stream, if any.
        audio_stream: Absolute index of the chosen audio stream (first decodable one).
        audio_start: Seconds from the source timeline's zero to the chosen audio's first sample.
        audio_streams: Number of audio streams in the file.
        video_stream: Absolute index of the video stream used.
        start_time: The container's start time in the file's own clock (seconds).
        size_bytes: File size.
        tags: Container metadata tags (may include GPS ``location`` and device make/model).
        stream_tags: Metadata tags of every stream, by absolute stream index.
        crop: Pixels of the STORED frame hidden at its (left, top, right, bottom) edges by
            a clean-aperture box (``clap``); ``width``/``height`` are what remains.
        last_frame_duration: How long the last frame is shown, in seconds.
        held_last_frame: True when the file stores a much longer duration for its last frame
            (a Live Photo's held frame); it is shown for ``last_frame_duration`` instead.
    """

    path: Path
    width: int
    height: int
    coded_width: int
    coded_height: int
    rotation: int
    duration: float
    fps: float
    frame_rate: Fraction
    vfr: bool
    frame_count: int
    video_codec: str
    pix_fmt: str
    bit_depth: int
    hdr: str | None
    has_audio: bool
    audio_codec: str | None
    audio_stream: int | None
    audio_start: float
    audio_streams: int
    video_stream: int
    start_time: float
    size_bytes: int
    tags: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stream_tags: Mapping[int, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}))
    crop: Crop = (0, 0, 0, 0)
    last_frame_duration: float = 0.0
    held_last_frame: bool = False

    def __getstate__(self) -> dict[str, Any]:
        """Tags as plain dictionaries: read-only views do not pickle (jobs ship probes)."""
        state = dict(self.__dict__)
        state["tags"] = dict(self.tags)
        state["stream_tags"] = {index: dict(tags) for index, tags in self.stream_tags.items()}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild the read-only tag views of [__getstate__][]'s plain dictionaries."""
        values = dict(state)
        values["tags"] = MappingProxyType(dict(values["tags"]))
        values["stream_tags"] = MappingProxyType(
            {index: MappingProxyType(dict(tags)) for index, tags in values["stream_tags"].items()})
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def size(self) -> tuple[int, int]:
        """Displayed ``(width, height)``."""
        return (self.width, self.height)

    @property
    def portrait(self) -> bool:
        """True when the displayed frame is taller than wide."""
        return self.height > self.width

    @property
    def displayed_crop(self) -> Crop:
        """``crop`` as (left, top, right, bottom) of the frame turned upright by ``rotation``.

        Example:
            >>> from dataclasses import replace
            >>> replace(info, rotation=90, crop=(1, 2, 3, 4)).displayed_crop  # doctest: +SKIP
            (2, 3, 4, 1)
        """
        left, top, right, bottom = self.crop
        turns = {0: self.crop, 90: (top, right, bottom, left), 180: (right, bottom, left, top),
                 270: (bottom, left, top, right)}
        return turns.get(self.rotation, self.crop)


# Tags phones and cameras use for the moment of recording, best first.
_CAPTURE_TAGS = ("com.apple.quicktime.creationdate", "creation_time", "date")


def capture_time(info: MediaInfo) -> str | None:
    """The moment the input was recorded, as its tags state it (``None`` when absent).

    Looks at the container tags, then the video stream's, then any stream's, for
    ``com.apple.quicktime.creationdate`` (iPhones, local time with offset), ``creation_time``
    (most cameras and ffmpeg, UTC) and ``date``.

    Example:
        >>> capture_time(ea.probe("IMG_0042.MOV"))                     # doctest: +SKIP
        '2026-11-20T11:00:00+0100'
    """
    layers: list[Mapping[str, str]] = [info.tags]
    layers.append(info.stream_tags.get(info.video_stream, {}))
    layers.extend(tags for index, tags in sorted(info.stream_tags.items())
                  if index != info.video_stream)
    for key in _CAPTURE_TAGS:
        for tags in layers:
            for name, value in tags.items():
                if name.lower() == key and str(value).strip():
                    return str(value).strip()
    return None
