"""Time, owned in one place: parsing users' times, windows of time, and the output timeline.

Times are seconds (``float``). The public API also accepts ``"ss.ms"``, ``"mm:ss.ms"`` and
``"hh:mm:ss.ms"`` strings, converted once at the edge by [parse_time][]. Overlay windows
are [Span][] values on the SOURCE timeline; [Timeline][] maps source time onto the
output (title card first, cuts removed) and is the one place that does.

Example:
    >>> parse_time("01:02.5")
    62.5
    >>> Span(2.0, 6.0).active(6.0)
    False
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Ranges", "Span", "TimeLike", "Timeline", "format_time", "intersect", "parse_time",
           "snap_to_frames", "subtract"]


TimeLike = float | int | str
"""Seconds as a number, or ``"ss.ms"`` / ``"mm:ss.ms"`` / ``"hh:mm:ss.ms"``."""

_TIME_RE = re.compile(r"^(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:\.\d*)?|\.\d+)$")


def parse_time(value: TimeLike, *, name: str = "time") -> float:
    """Convert a time given by a user into seconds.

    Args:
        value: Seconds (``12.5``), or a string ``"12.5"``, ``"00:12.5"``, ``"0:00:12.500"``.
        name: The parameter's name, used in error messages.

    Returns:
        The time in seconds, never negative.

    Raises:
        ValueError: The value is negative, not finite, or not a recognised time string.

    Example:
        >>> parse_time("1:00:01.25")
        3601.25
    """
    if isinstance(value, bool):
        raise ValueError(f"{name}={value!r} is not a time; give seconds (e.g. 2.5) or 'mm:ss.ms'")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        match = _TIME_RE.match(value.strip())
        if match is None:
            raise ValueError(f"{name}={value!r} is not a time; give seconds (e.g. 2.5) or "
                             "'mm:ss.ms' / 'hh:mm:ss.ms' (e.g. '01:02.5')")
        hours, minutes, secs = match.groups()
        if minutes is not None and int(minutes) >= 60 and hours is not None:
            raise ValueError(f"{name}={value!r} has {minutes} minutes; minutes must be below 60")
        seconds = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(secs)
    else:
        raise ValueError(f"{name}={value!r} is not a time; give seconds (e.g. 2.5) or 'mm:ss.ms'")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{name}={value!r} must be a finite time >= 0 seconds")
    return seconds


def format_time(seconds: float) -> str:
    """Format seconds as ``mm:ss.mmm`` (or ``h:mm:ss.mmm`` past an hour) for messages.

    Example:
        >>> format_time(62.5)
        '01:02.500'
    """
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    text = f"{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
    return f"{hours}:{text}" if hours else text


@dataclass(frozen=True)
class Span:
    """A half-open time window ``[start, end)`` on the source timeline.

    Attributes:
        start: First moment shown, in seconds.
        end: First moment no longer shown; ``None`` = until the end of the clip.
    """

    start: float = 0.0
    end: float | None = None

    def active(self, t: float) -> bool:
        """Whether the window contains source time ``t``."""
        return self.start <= t and (self.end is None or t < self.end)

    def bounded(self, duration: float) -> tuple[float, float]:
        """``(start, end)`` with an open end replaced by ``duration``."""
        return self.start, self.end if self.end is not None else duration

    def describe(self) -> str:
        """Human-readable window, e.g. ``"2.00-6.00 s"``."""
        end = f"{self.end:.2f}" if self.end is not None else "end"
        return f"{self.start:.2f}-{end} s"


@dataclass(frozen=True)
class Timeline:
    """How source time maps onto the output: a title card, then the kept source ranges.

    Attributes:
        card: Length of the title card in seconds (0 without one).
        segments: The kept ``[start, end)`` source ranges, in order.

    Example:
        >>> tl = Timeline(card=3.0, segments=((0.0, 4.0), (6.0, 10.0)))
        >>> tl.duration, tl.to_output(7.0), tl.to_output(5.0), tl.to_source(8.0)
        (11.0, 8.0, None, 7.0)
        >>> tl.map_span(3.0, 7.0)
        [(6.0, 7.0), (7.0, 8.0)]
    """

    card: float
    segments: tuple[tuple[float, float], ...]

    @property
    def duration(self) -> float:
        """Output duration in seconds."""
        return self.card + sum(end - start for start, end in self.segments)

    def to_output(self, t: float) -> float | None:
        """Output time of source time ``t`` (``None`` when ``t`` was cut away)."""
        offset = self.card
        for start, end in self.segments:
            if start <= t < end:
                return offset + t - start
            offset += end - start
        return None

    def to_source(self, t: float) -> float | None:
        """Source time shown at output time ``t`` (``None`` while the title card shows)."""
        if t < self.card:
            return None
        offset = self.card
        for start, end in self.segments:
            if t < offset + end - start:
                return start + t - offset
            offset += end - start
        last = self.segments[-1] if self.segments else (0.0, 0.0)
        return last[1]

    def source_ranges(self, start: float, end: float) -> tuple[tuple[float, float], ...]:
        """The source ranges shown in ``[start, end)`` of kept time (output time minus card).

        Example:
            >>> Timeline(card=1.0, segments=((0.0, 4.0), (6.0, 10.0))).source_ranges(3.0, 5.0)
            ((3.0, 4.0), (6.0, 7.0))
        """
        ranges: list[tuple[float, float]] = []
        offset = 0.0
        for seg_start, seg_end in self.segments:
            length = seg_end - seg_start
            lo, hi = max(start, offset), min(end, offset + length)
            if hi - lo > 1e-6:
                ranges.append((seg_start + lo - offset, seg_start + hi - offset))
            offset += length
        return tuple(ranges)

    def map_span(self, start: float, end: float) -> list[tuple[float, float]]:
        """The output spans a source span ``[start, end)`` becomes (clipped at cuts)."""
        spans: list[tuple[float, float]] = []
        offset = self.card
        for seg_start, seg_end in self.segments:
            a, b = max(start, seg_start), min(end, seg_end)
            if b > a:
                spans.append((offset + a - seg_start, offset + b - seg_start))
            offset += seg_end - seg_start
        return spans


Ranges = tuple[tuple[float, float], ...]
"""Half-open ``[start, end)`` time ranges, in order."""


def intersect(a: Sequence[tuple[float, float]], b: Sequence[tuple[float, float]]) -> Ranges:
    """The parts of ranges ``a`` that lie inside ranges ``b``.

    Example:
        >>> intersect([(0.0, 10.0)], [(2.0, 4.0), (6.0, 12.0)])
        ((2.0, 4.0), (6.0, 10.0))
    """
    return tuple((max(x0, y0), min(x1, y1)) for x0, x1 in a for y0, y1 in b
                 if min(x1, y1) > max(x0, y0))


def subtract(a: Sequence[tuple[float, float]], removed: Sequence[tuple[float, float]]) -> Ranges:
    """Ranges ``a`` with every range of ``removed`` taken out.

    Example:
        >>> subtract([(0.0, 10.0)], [(2.0, 4.0), (9.0, 12.0)])
        ((0.0, 2.0), (4.0, 9.0))
    """
    kept = list(a)
    for start, end in removed:
        kept = [piece for x0, x1 in kept
                for piece in ((x0, min(x1, start)), (max(x0, end), x1)) if piece[1] > piece[0]]
    return tuple(kept)


_TIME_EPSILON = 1e-6
"""Times closer than this (seconds) are the same moment (float noise in users' arithmetic)."""


def snap_to_frames(ranges: Sequence[tuple[float, float]], times: Sequence[float],
                   end: float) -> Ranges:
    """Ranges moved onto frame boundaries: a frame is kept when it STARTS inside a range.

    Each range becomes ``[start of its first frame, start of the first frame after it)``
    (``end``, the video's end, after the last frame), so a kept range lasts exactly as long
    as the frames it shows, on constant or variable frame rate video alike. Ranges holding
    no frame start disappear; ranges that touch are merged.

    Args:
        ranges: ``[start, end)`` source ranges, in order.
        times: The start time of every frame (source seconds, sorted).
        end: When the last frame stops being shown.

    Returns:
        The snapped ranges.

    Example:
        >>> frames = [i * 0.04 for i in range(75)]          # 3 s at 25 fps
        >>> [(round(a, 2), round(b, 2)) for a, b in snap_to_frames([(0.1, 0.2)], frames, 3.0)]
        [(0.12, 0.2)]
        >>> snap_to_frames([(0.13, 0.15)], frames, 3.0)     # no frame starts inside
        ()
    """
    out: list[tuple[float, float]] = []
    for start, stop in ranges:
        first = bisect.bisect_left(times, start - _TIME_EPSILON)
        after = bisect.bisect_left(times, stop - _TIME_EPSILON)
        if after <= first:
            continue
        begin = times[first]
        finish = times[after] if after < len(times) else max(end, times[-1])
        if out and abs(out[-1][1] - begin) <= _TIME_EPSILON:
            out[-1] = (out[-1][0], finish)
        elif finish > begin:
            out.append((begin, finish))
    return tuple(out)
