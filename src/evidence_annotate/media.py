"""Probing media with PyAV: displayed size, rotation, real timestamps, streams and tags.

The SOURCE timeline that every public time refers to starts at 0 = the first moment a player
shows, which is the container's start time (this is also what ffmpeg does with an input unless
told ``-copyts``). Probing reads every video packet once (no decoding), so variable frame rate
and the true end of the video are measured rather than guessed from header fields.

Size and duration are those the renderers produce, not raw header fields:

* A clean-aperture box (``clap``, written by iPhones) hides the frame's edges. ffmpeg's mov
  demuxer turns it into crop side data that the ffmpeg command line applies with an inexact
  ``crop`` filter, while PyAV ignores it. :func:`probe` reads the box itself
  (:func:`clap_crop` follows ffmpeg's arithmetic); the export applies that crop exactly and
  switches ffmpeg's own off, and previews crop the same pixels.
* A last frame stored as lasting far longer than the frame interval (a Live Photo's held
  frame) ends the video one frame interval after it starts; exports cap it the same way.

Every path handed to PyAV, ffmpeg or MoviePy goes through :func:`media_url`, so a name such as
``a:b.mp4`` is never read as a protocol.

Example:
    >>> import evidence_annotate as ea
    >>> info = ea.probe("clip.mp4")          # doctest: +SKIP
    >>> (info.width, info.height, info.rotation, info.vfr)   # doctest: +SKIP
    (1080, 1920, 90, True)
"""

from __future__ import annotations

import itertools
import math
import os
import statistics
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import av
import av.container

from .errors import InputError

__all__ = ["MediaInfo", "clap_crop", "media_url", "probe"]

# Transfer characteristics (AVColorTransferCharacteristic) that mean HDR.
_HDR_TRANSFERS = {16: "smpte2084", 18: "arib-std-b67"}
_MAX_AUDIO_PACKETS_TRIED = 16
_HELD_FRAME_FACTOR = 2.0
"""A last frame stored as lasting more than this many frame intervals is a held frame."""
_MOV_DEMUXER = "mov,mp4,m4a,3gp,3g2,mj2"
_MAX_MOOV_BYTES = 256 << 20
Crop = tuple[int, int, int, int]
"""Pixels cut from the (left, top, right, bottom) edges of a frame."""


def media_url(path: str | os.PathLike[str]) -> str:
    """The path as PyAV, ffmpeg and MoviePy must be given it: absolute, never a protocol.

    ffmpeg reads anything before a ``:`` as a protocol (``file:a.mp4`` is ``a.mp4``,
    ``a:b.mp4`` asks for protocol ``a``) and a leading ``-`` as an option. An absolute path
    starts with ``/`` (or a drive letter, which ffmpeg recognises), so it is always read as a
    local file, by ffmpeg's protocols and by plain file functions (``-passlogfile``) alike.

    Args:
        path: A file path, relative to the current folder or absolute.

    Returns:
        The absolute path as a string (symbolic links are kept).

    Example:
        >>> import os
        >>> media_url("a:b.mp4") == os.path.join(os.getcwd(), "a:b.mp4")
        True
    """
    return str(Path(path).absolute())


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


def _check_path(path: Path) -> None:
    if not path.exists():
        raise InputError(f"input {str(path)!r} does not exist; check the path "
                         f"(current folder: {Path.cwd()})", path)
    if path.is_dir():
        raise InputError(f"input {str(path)!r} is a folder; pass the video file inside it", path)
    if not path.is_file():
        raise InputError(f"input {str(path)!r} is not a regular file", path)
    if path.stat().st_size == 0:
        raise InputError(f"input {str(path)!r} is empty (0 bytes); the copy or download "
                         "probably failed, copy the video from the phone again", path)
    if not os.access(path, os.R_OK):
        raise InputError(f"input {str(path)!r} is not readable; check its permissions", path)


def _unreadable(path: Path, err: Exception) -> InputError:
    return InputError(
        f"input {str(path)!r} cannot be read as video ({err}). If it plays on the phone, copy "
        "it again: a recording cut off during transfer has no index (mp4 'moov' atom) and "
        "cannot be opened; otherwise convert it to MP4 first", path)


def _rotation(container: av.container.InputContainer,
              stream: av.VideoStream) -> tuple[int, int, int]:
    """Decode the first frame: its display-matrix rotation and stored size."""
    for frame in container.decode(stream):
        raw = round(getattr(frame, "rotation", 0) or 0)
        return raw % 360, frame.width, frame.height
    raise ValueError("no video frame could be decoded")


def clap_crop(width: int, height: int, clap: tuple[int, ...]) -> Crop:
    """The crop a clean-aperture box asks for, worked out as ffmpeg's mov demuxer does.

    The aperture is centred on the frame's centre plus the box's offsets; its edges are
    truncated to whole pixels. A box that is invalid (zero or negative denominators, an
    aperture larger than the frame or reaching past an edge) is ignored, as ffmpeg does.

    Args:
        width: Width of the stored frame, as the sample entry gives it.
        height: Height of the stored frame, as the sample entry gives it.
        clap: The box's eight signed 32-bit fields: aperture width and height, horizontal and
            vertical offset, each as numerator and denominator.

    Returns:
        Pixels to cut from the (left, top, right, bottom) edges; all 0 = nothing to cut.

    Example:
        >>> clap_crop(1440, 1080, (1308, 1, 980, 1, 0, 1, 0, 1))
        (66, 50, 66, 50)
        >>> clap_crop(320, 240, (400, 1, 240, 1, 0, 1, 0, 1))  # wider than the frame
        (0, 0, 0, 0)
    """
    nothing = (0, 0, 0, 0)
    aw_num, aw_den, ah_num, ah_den, x_num, x_den, y_num, y_den = clap
    if min(aw_num, aw_den, ah_num, ah_den, x_den, y_den) < 0 or 0 in (aw_den, ah_den, x_den,
                                                                     y_den):
        return nothing
    aperture_w, aperture_h = Fraction(aw_num, aw_den), Fraction(ah_num, ah_den)
    if width <= 0 or height <= 0 or aperture_w > width or aperture_h > height:
        return nothing
    centre_x = Fraction(width - 1, 2) + Fraction(x_num, x_den)
    centre_y = Fraction(height - 1, 2) + Fraction(y_num, y_den)
    half_w, half_h = (aperture_w - 1) / 2, (aperture_h - 1) / 2
    edges = (centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h)
    if min(edges) <= -1:
        return nothing
    left, top, right, bottom = (math.trunc(float(edge)) for edge in edges)
    if right > width - 1 or bottom > height - 1:
        return nothing
    right, bottom = width - 1 - right, height - 1 - bottom
    if left + right >= width or top + bottom >= height:
        return nothing
    return (left, top, right, bottom)


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """``(type, payload start, payload end)`` of the ISO-BMFF boxes in ``data[start:end]``."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        head = 8
        if size == 1 and pos + 16 <= end:
            size, head = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        if size < head or pos + size > end:
            return
        yield kind, pos + head, pos + size
        pos += size


def _child(data: bytes, span: tuple[int, int], kind: bytes) -> tuple[int, int] | None:
    return next(((a, b) for k, a, b in _boxes(data, *span) if k == kind), None)


def _read_moov(path: Path) -> bytes | None:
    """The payload of the file's ``moov`` box, seeking over the media data."""
    with path.open("rb") as handle:
        total = os.fstat(handle.fileno()).st_size
        pos = 0
        while pos + 8 <= total:
            handle.seek(pos)
            header = handle.read(16)
            size, kind = struct.unpack_from(">I4s", header)
            head = 8
            if size == 1 and len(header) == 16:
                size, head = struct.unpack_from(">Q", header, 8)[0], 16
            elif size == 0:
                size = total - pos
            if size < head:
                return None
            if kind == b"moov":
                if size > _MAX_MOOV_BYTES:
                    return None
                handle.seek(pos + head)
                return handle.read(size - head)
            pos += size
    return None


def _stored_clap(path: Path, track: int) -> tuple[int, int, tuple[int, ...]] | None:
    """Sample-entry size and ``clap`` fields of the ``track``-th track of a MOV/MP4 file.

    ffmpeg's mov demuxer makes one stream per ``trak`` box, in file order, so PyAV's stream
    index is the track's position.
    """
    moov = _read_moov(path)
    if moov is None:
        return None
    tracks = [(a, b) for kind, a, b in _boxes(moov, 0, len(moov)) if kind == b"trak"]
    if track >= len(tracks):
        return None
    span: tuple[int, int] | None = tracks[track]
    for kind in (b"mdia", b"minf", b"stbl", b"stsd"):
        span = _child(moov, span, kind) if span is not None else None
    if span is None:
        return None
    # stsd: version, flags and entry count, then the sample entries; a visual sample entry
    # has 78 bytes of fields (the size at bytes 24-27) before its child boxes.
    for _kind, start, end in _boxes(moov, span[0] + 8, span[1]):
        if start + 78 > end:
            return None
        width, height = struct.unpack_from(">HH", moov, start + 24)
        clap = _child(moov, (start + 78, end), b"clap")
        if clap is None or clap[1] - clap[0] < 32:
            return None
        return width, height, struct.unpack_from(">8i", moov, clap[0])
    return None


def _crop(source: Path, container: av.container.InputContainer, video: av.VideoStream,
          coded: tuple[int, int]) -> Crop:
    """The clean-aperture crop ffmpeg would apply to the video stream (MOV/MP4 only)."""
    if str(container.format.name) != _MOV_DEMUXER:
        return (0, 0, 0, 0)
    try:
        stored = _stored_clap(source, video.index)
    except (OSError, struct.error):
        return (0, 0, 0, 0)
    if stored is None:
        return (0, 0, 0, 0)
    crop = clap_crop(*stored)
    left, top, right, bottom = crop
    if left + right >= coded[0] or top + bottom >= coded[1]:
        return (0, 0, 0, 0)
    return crop


def _timing(times: list[float]) -> tuple[bool, float]:
    """Whether frame durations vary (VFR), and the median frame duration."""
    deltas = [b - a for a, b in itertools.pairwise(times) if b > a]
    if not deltas:
        return False, 0.0
    median = statistics.median(deltas)
    irregular = sum(1 for d in deltas if abs(d - median) > 0.1 * median)
    return irregular > max(1, 0.01 * len(deltas)), median


def _end(times: list[float], median: float, last: tuple[Fraction, Fraction]) -> tuple[float, bool]:
    """When the last frame stops being shown, and whether its stored duration was cut.

    The last frame lasts its stored duration unless that is more than twice the usual frame
    interval (the larger of the median and the last one, so a clip that slows down at its end
    keeps its long frames); then it lasts the usual interval, as a held frame is not footage.
    """
    begins, stored = last
    recent = next((b - a for b, a in itertools.pairwise(reversed(times)) if b > a), 0.0)
    usual = max(median, recent)
    if stored > 0 and (usual <= 0 or stored <= _HELD_FRAME_FACTOR * usual):
        return float(begins + stored), False
    return float(begins) + usual, stored > 0 and usual > 0


def probe(path: str | os.PathLike[str]) -> MediaInfo:
    """Read a media file's streams, displayed geometry, real timing and tags.

    Args:
        path: A video file.

    Returns:
        The file's :class:`MediaInfo`.

    Raises:
        InputError: Missing, a folder, empty, unreadable, truncated without an index, or no
            decodable video.

    Example:
        >>> probe("missing.mp4")
        Traceback (most recent call last):
        ...
        evidence_annotate.errors.InputError: input 'missing.mp4' does not exist; ...
    """
    source = Path(path)
    _check_path(source)
    try:
        container = av.open(media_url(source), mode="r", timeout=10.0)
    except (av.FFmpegError, OSError, UnicodeDecodeError) as err:
        raise _unreadable(source, err) from None
    with container:
        return _probe_open(source, container)


def _probe_open(source: Path, container: av.container.InputContainer) -> MediaInfo:
    if not container.streams.video:
        kinds = ", ".join(s.type for s in container.streams) or "none"
        raise InputError(f"input {str(source)!r} has no video stream (streams: {kinds}); "
                         "pass a video recording", source)
    video = container.streams.video[0]
    start = container.start_time / 1_000_000 if container.start_time is not None else 0.0
    try:
        rotation, coded_w, coded_h = _rotation(container, video)
    except (av.FFmpegError, ValueError) as err:
        raise _unreadable(source, err) from None
    crop = _crop(source, container, video, (coded_w, coded_h))
    container.seek(0)
    video_times: list[float] = []
    last: tuple[Fraction, Fraction] | None = None  # start and stored duration of the last frame
    audio_ok: dict[int, bool] = {}
    audio_tries: dict[int, int] = {}
    audio_first: dict[int, float] = {}
    wanted = [video, *container.streams.audio]
    try:
        for packet in container.demux(*wanted):
            if packet.pts is None or packet.time_base is None:
                continue
            t = float(packet.pts * packet.time_base)
            if packet.stream.index == video.index:
                video_times.append(t)
                begins = packet.pts * packet.time_base
                if last is None or begins >= last[0]:
                    last = (begins, (packet.duration or 0) * packet.time_base)
                continue
            index = packet.stream.index
            audio_first[index] = min(t, audio_first.get(index, math.inf))
            if audio_ok.get(index) or audio_tries.get(index, 0) >= _MAX_AUDIO_PACKETS_TRIED:
                continue
            audio_tries[index] = audio_tries.get(index, 0) + 1
            try:
                if packet.decode():
                    audio_ok[index] = True
            except av.FFmpegError:
                pass
    except av.FFmpegError:
        pass  # a damaged tail: keep what was read, as a player would
    if not video_times or last is None:
        raise InputError(f"input {str(source)!r} has a video stream but no readable frames; "
                         "the file is damaged, copy it again", source)
    video_times.sort()
    vfr, median = _timing(video_times)
    end, held = _end(video_times, median, last)
    duration = end - start
    frame_count = len(video_times)
    fps = frame_count / (end - video_times[0]) if end > video_times[0] else 0.0
    rate = video.average_rate or video.guessed_rate or video.base_rate
    frame_rate = Fraction(rate) if rate else Fraction(round(fps * 1000), 1000)
    if vfr or frame_rate <= 0 or frame_rate > 240:
        frame_rate = Fraction(round(fps * 1000), 1000).limit_denominator(1001)
    chosen = next((s for s in container.streams.audio if audio_ok.get(s.index)), None)
    audio_start = 0.0
    if chosen is not None:
        first = audio_first.get(chosen.index, start)
        if chosen.start_time is not None and chosen.time_base is not None:
            first = float(chosen.start_time * chosen.time_base)
        audio_start = max(0.0, first - start)
    swap = rotation in (90, 270)
    shown_w, shown_h = coded_w - crop[0] - crop[2], coded_h - crop[1] - crop[3]
    fmt = video.codec_context.format
    bit_depth = fmt.components[0].bits if fmt is not None and fmt.components else 8
    return MediaInfo(
        path=source,
        width=shown_h if swap else shown_w,
        height=shown_w if swap else shown_h,
        coded_width=coded_w,
        coded_height=coded_h,
        rotation=rotation,
        duration=duration,
        fps=fps,
        frame_rate=frame_rate,
        vfr=vfr,
        frame_count=frame_count,
        video_codec=video.codec_context.name,
        pix_fmt=fmt.name if fmt is not None else "unknown",
        bit_depth=bit_depth,
        hdr=_HDR_TRANSFERS.get(int(video.codec_context.color_trc or 0)),
        has_audio=chosen is not None,
        audio_codec=chosen.codec_context.name if chosen is not None else None,
        audio_stream=chosen.index if chosen is not None else None,
        audio_start=audio_start,
        audio_streams=len(container.streams.audio),
        video_stream=video.index,
        start_time=start,
        size_bytes=source.stat().st_size,
        tags=MappingProxyType(dict(container.metadata)),
        stream_tags=MappingProxyType({s.index: MappingProxyType(dict(s.metadata))
                                      for s in container.streams}),
        crop=crop,
        last_frame_duration=end - video_times[-1],
        held_last_frame=held,
    )
