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
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Edit", "Freeze", "Piece", "Ranges", "Span", "Speed", "TimeLike", "Timeline",
           "format_time", "intersect", "parse_time", "snap_to_frames", "subtract"]


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
class Speed:
    """Play the source range ``[start, end)`` ``factor`` times as fast (0.5 = half speed).

    Example:
        >>> Speed(2.0, 6.0, 4.0).length
        1.0
    """

    start: float
    end: float
    factor: float

    @property
    def length(self) -> float:
        """Output seconds the range lasts."""
        return (self.end - self.start) / self.factor


@dataclass(frozen=True)
class Freeze:
    """Hold the source frame starting at ``shown`` for ``seconds``, inserted at source ``at``.

    ``at`` is where the held frame stops showing (the next frame's start, or the clip's
    end): the output shows the frame, then holds it, then carries on from ``at``.
    """

    at: float
    seconds: float
    shown: float


Edit = Speed | Freeze
"""A time edit a [Timeline][] applies to its kept ranges."""


@dataclass(frozen=True)
class Piece:
    """One stretch of the output: a source range at a speed, or a held frame.

    Attributes:
        start: First source moment (a hold: where it is inserted).
        end: First source moment no longer shown (a hold: ``start``).
        factor: Speed factor (1 = real time).
        hold: Seconds a held frame shows (0 = not a hold).
        shown: The source time of the held frame (holds only).
    """

    start: float
    end: float
    factor: float = 1.0
    hold: float = 0.0
    shown: float = 0.0

    @property
    def length(self) -> float:
        """Output seconds of the piece."""
        return self.hold if self.hold else (self.end - self.start) / self.factor


_EDGE = 1e-6


def _pieces(segments: Sequence[tuple[float, float]], edits: Sequence[Edit]) -> tuple[Piece, ...]:
    speeds = [e for e in edits if isinstance(e, Speed)]
    freezes = [e for e in edits if isinstance(e, Freeze)]
    out: list[Piece] = []
    for a, b in segments:
        cuts = sorted({a, b, *(x for s in speeds for x in (s.start, s.end) if a < x < b),
                       *(f.at for f in freezes if a + _EDGE < f.at < b - _EDGE)})
        for lo, hi in itertools.pairwise(cuts):
            middle = (lo + hi) / 2
            factor = next((s.factor for s in speeds if s.start <= middle < s.end), 1.0)
            out.append(Piece(lo, hi, factor))
            out += [Piece(hi, hi, hold=f.seconds, shown=f.shown) for f in freezes
                    if abs(f.at - hi) <= _EDGE and a - _EDGE <= f.shown < b]
    return tuple(out)


@dataclass(frozen=True)
class Timeline:
    """How source time maps onto the output: a title card, then the kept source ranges.

    Time edits ([Speed][], [Freeze][]) change how fast kept ranges play and hold frames;
    overlays and captions, which live on the source timeline, follow them through this
    mapping.

    Attributes:
        card: Length of the title card in seconds (0 without one).
        segments: The kept ``[start, end)`` source ranges, in order.
        edits: Speed changes and freezes applied to the kept ranges.

    Example:
        >>> tl = Timeline(card=3.0, segments=((0.0, 4.0), (6.0, 10.0)))
        >>> tl.duration, tl.to_output(7.0), tl.to_output(5.0), tl.to_source(8.0)
        (11.0, 8.0, None, 7.0)
        >>> tl.map_span(3.0, 7.0)
        [(6.0, 7.0), (7.0, 8.0)]
        >>> fast = Timeline(0.0, ((0.0, 4.0),), (Speed(0.0, 2.0, 2.0), Freeze(3.0, 1.5, 2.9)))
        >>> fast.duration, fast.to_output(3.5), fast.to_source(2.5)
        (4.5, 4.0, 2.9)
    """

    card: float
    segments: tuple[tuple[float, float], ...]
    edits: tuple[Edit, ...] = ()

    @property
    def pieces(self) -> tuple[Piece, ...]:
        """The output, piece by piece, after the card (a piece per kept range without edits)."""
        if not self.edits:
            return tuple(Piece(start, end) for start, end in self.segments)
        return _pieces(self.segments, self.edits)

    @property
    def duration(self) -> float:
        """Output duration in seconds."""
        if not self.edits:
            return self.card + sum(end - start for start, end in self.segments)
        return self.card + sum(piece.length for piece in self.pieces)

    def to_output(self, t: float) -> float | None:
        """Output time of source time ``t`` (``None`` when ``t`` was cut away)."""
        offset = self.card
        for piece in self.pieces:
            if not piece.hold and piece.start <= t < piece.end:
                return offset + (t - piece.start) / piece.factor
            offset += piece.length
        return None

    def to_source(self, t: float) -> float | None:
        """Source time shown at output time ``t`` (``None`` while the title card shows).

        During a freeze, the held frame's time.
        """
        if t < self.card:
            return None
        offset = self.card
        for piece in self.pieces:
            if t < offset + piece.length:
                return piece.shown if piece.hold else piece.start + (t - offset) * piece.factor
            offset += piece.length
        last = self.segments[-1] if self.segments else (0.0, 0.0)
        return last[1]

    def source_ranges(self, start: float, end: float) -> tuple[tuple[float, float], ...]:
        """The source ranges shown in ``[start, end)`` of kept time (output time minus card).

        Held frames add no source range.

        Example:
            >>> Timeline(card=1.0, segments=((0.0, 4.0), (6.0, 10.0))).source_ranges(3.0, 5.0)
            ((3.0, 4.0), (6.0, 7.0))
        """
        ranges: list[tuple[float, float]] = []
        offset = 0.0
        for piece in self.pieces:
            length = piece.length
            lo, hi = max(start, offset), min(end, offset + length)
            if hi - lo > 1e-6 and not piece.hold:
                ranges.append((piece.start + (lo - offset) * piece.factor,
                               piece.start + (hi - offset) * piece.factor))
            offset += length
        merged: list[tuple[float, float]] = []
        for lo, hi in ranges:
            if merged and abs(merged[-1][1] - lo) <= _EDGE:
                merged[-1] = (merged[-1][0], hi)
            else:
                merged.append((lo, hi))
        return tuple(merged)

    def map_span(self, start: float, end: float) -> list[tuple[float, float]]:
        """The output spans a source span ``[start, end)`` becomes (clipped at cuts).

        A held frame inside the span holds the span too.
        """
        spans: list[tuple[float, float]] = []
        offset = self.card
        for piece in self.pieces:
            if piece.hold:
                if start <= piece.shown < end:
                    spans.append((offset, offset + piece.hold))
            else:
                a, b = max(start, piece.start), min(end, piece.end)
                if b > a:
                    spans.append((offset + (a - piece.start) / piece.factor,
                                  offset + (b - piece.start) / piece.factor))
            offset += piece.length
        if not self.edits:
            return spans
        merged: list[tuple[float, float]] = []
        for a, b in spans:
            if merged and abs(merged[-1][1] - a) <= _EDGE:
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        return merged


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
