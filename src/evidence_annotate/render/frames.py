"""The source's real frame timestamps, and cuts made exact to the frame with them.

A cut or trim keeps whole frames: each kept range is snapped to the start times of the frames
it shows ([snap_to_frames][evidence_annotate.timing.snap_to_frames]), read from the file's packets
as
ffmpeg will decode them, so the planned duration, the exported video and its audio agree on
constant and variable frame rate video alike.

Example:
    >>> import evidence_annotate as ea
    >>> info = ea.probe("clip.mp4")                              # doctest: +SKIP
    >>> frame_times(info)[:3]                                    # doctest: +SKIP
    (0.0, 0.04, 0.08)
"""

from __future__ import annotations

import bisect
import functools
import os
from collections.abc import Sequence

import av

from ..media import MediaInfo, media_url
from ..timing import Ranges, snap_to_frames

__all__ = ["frame_times", "snap_ranges", "trim_bounds"]


@functools.lru_cache(maxsize=16)
def _read(path: str, stamp: tuple[int, int], stream: int, start: float) -> tuple[float, ...]:
    times: list[float] = []
    try:
        with av.open(path, mode="r", timeout=10.0) as container:
            video = container.streams[stream]
            for packet in container.demux(video):
                if packet.pts is not None and packet.time_base is not None:
                    times.append(float(packet.pts * packet.time_base) - start)
    except (av.FFmpegError, OSError):
        pass  # a damaged tail: keep what was read, as probe() and a player do
    return tuple(sorted(times))


def frame_times(info: MediaInfo) -> tuple[float, ...]:
    """Start time of every video frame on the source timeline (cached per file version).

    Falls back to the nominal frame rate when the file cannot be read again.
    """
    try:
        status = os.stat(info.path)
        stamp = (status.st_mtime_ns, status.st_size)
    except OSError:
        stamp = (0, 0)
    times = _read(media_url(info.path), stamp, info.video_stream, info.start_time)
    if times:
        return times
    step = 1.0 / float(info.frame_rate) if info.frame_rate > 0 else 1.0 / 30.0
    return tuple(i * step for i in range(max(1, info.frame_count)))


def snap_ranges(info: MediaInfo, ranges: Sequence[tuple[float, float]]) -> Ranges:
    """``ranges`` snapped to the source's frames (see [frame_times][])."""
    return snap_to_frames(ranges, frame_times(info), info.duration)


def trim_bounds(info: MediaInfo, start: float, end: float,
                times: Sequence[float] | None = None) -> tuple[float, float]:
    """Where to trim the decoded frames so exactly the frames of ``[start, end)`` remain.

    ``start`` and ``end`` are frame start times (or the video's end); the bounds lie halfway
    between frames, so neither timestamp rounding nor the filters' microsecond options can
    move a frame across them. ``times`` are the frames' start times (default: the
    source's, see [frame_times][]).
    """
    times = frame_times(info) if times is None else times

    def between(t: float) -> float:
        index = bisect.bisect_left(times, t - 1e-6)
        if index >= len(times):
            return t
        previous = times[index - 1] if index > 0 else times[index] - 1.0
        return (previous + times[index]) / 2

    return between(start), between(end)
