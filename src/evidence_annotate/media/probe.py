"""Probing media with PyAV: displayed size, rotation, real timestamps, streams and tags.

The SOURCE timeline that every public time refers to starts at 0 = the first moment a player
shows, which is the container's start time (this is also what ffmpeg does with an input unless
told ``-copyts``). Probing reads every video packet once (no decoding), so variable frame rate
and the true end of the video are measured rather than guessed from header fields.

Size and duration are those the renderers produce, not raw header fields:

* A clean-aperture box (``clap``, written by iPhones) hides the frame's edges. ffmpeg's mov
  demuxer turns it into crop side data that the ffmpeg command line applies with an inexact
  ``crop`` filter, while PyAV ignores it. [probe][] reads the box itself
  ([clap_crop][] follows ffmpeg's arithmetic); the export applies that crop exactly and
  switches ffmpeg's own off, and previews crop the same pixels.
* A last frame stored as lasting far longer than the frame interval (a Live Photo's held
  frame) ends the video one frame interval after it starts; exports cap it the same way.


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
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import av
import av.container

from ..errors import InputError
from .clap import clap_of
from .info import MediaInfo
from .paths import media_url

__all__ = ["probe"]

# Transfer characteristics (AVColorTransferCharacteristic) that mean HDR.
_HDR_TRANSFERS = {16: "smpte2084", 18: "arib-std-b67"}
_MAX_AUDIO_PACKETS_TRIED = 16
_HELD_FRAME_FACTOR = 2.0
"""A last frame stored as lasting more than this many frame intervals is a held frame."""


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
        The file's [MediaInfo][].

    Raises:
        InputError: Missing, a folder, empty, unreadable, truncated without an index, or no
            decodable video.

    Example:
        >>> probe("missing.mp4")
        Traceback (most recent call last):
        ...
        evidence_annotate.errors.InputError: input 'missing.mp4' does not exist; ...
    """
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes) or not str(path):
        raise InputError(f"input {path!r} is not a file path; pass the video's path (a str or "
                         "pathlib.Path)", str(path))
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
    crop = clap_of(source, container, video, (coded_w, coded_h))
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
