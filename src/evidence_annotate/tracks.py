"""Regions that move: a [Track][] of keyframes ``(t, rect)``, interpolated linearly per frame.

A track is what a region-taking overlay kind accepts instead of a fixed rectangle. Build one
from keyframes with [track][] (``ea.track``), or by following an object through the clip
(``Evidence.follow``). Between two keyframes every side of the rectangle moves linearly;
before the first and after the last the nearest keyframe holds.

The export moves the region inside the ONE ffmpeg graph with per-frame expressions of the
frame's timestamp ``t`` ([Track.expr][]); previews and stills compute the same position in
Python ([Track.position][]), with the same rounding, so both agree to the pixel.

Example:
    >>> path = track((0, (10, 10, 40, 30)), (2, (110, 10, 40, 30)))
    >>> path.at(1.0)
    Rect(x=60, y=10, w=40, h=30)
    >>> path.resolve((320, 240), 5.0).end
    2.0
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from .geometry import Rect, RectLike, Rel, resolve_rect
from .timing import TimeLike, parse_time

__all__ = ["Key", "Track", "from_plain", "track"]

MAX_KEYS = 100_000
"""The most keyframes one track holds (a day of 1 fps keys; a 30 min clip at 60 fps)."""


class Key(NamedTuple):
    """One keyframe: source time in seconds and the region at that time."""

    t: float
    rect: Rect | Rel


@dataclass(frozen=True)
class Track:
    """A region that moves: keyframes sorted by time, linear in between.

    Attributes:
        keys: The keyframes (strictly increasing times).
        lost: Source times at which an automatic tracker lost the object (the track stops
            short there), empty when it never did.
    """

    keys: tuple[Key, ...]
    lost: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if not self.keys:
            raise ValueError("a track needs at least one keyframe (t, rect)")
        if len(self.keys) > MAX_KEYS:
            raise ValueError(f"a track has {len(self.keys)} keyframes, more than {MAX_KEYS}; "
                             "simplify it (Track.simplify) or split the clip")
        for index in range(1, len(self.keys)):
            if self.keys[index].t <= self.keys[index - 1].t:
                raise ValueError(f"track keyframe {index} at t={self.keys[index].t:g} s is not "
                                 f"after keyframe {index - 1} at t={self.keys[index - 1].t:g} s; "
                                 "give keyframes in increasing time order")

    @property
    def start(self) -> float:
        """Time of the first keyframe."""
        return self.keys[0].t

    @property
    def end(self) -> float:
        """Time of the last keyframe."""
        return self.keys[-1].t

    def rects(self) -> list[Rect]:
        """The keyframes' rectangles in pixels (the track must be resolved)."""
        out = []
        for key in self.keys:
            if not isinstance(key.rect, Rect):
                raise ValueError(f"the track holds rel{key.rect.values!r}; resolve it against a "
                                 "frame first (Track.resolve)")
            out.append(key.rect)
        return out

    def resolve(self, frame: tuple[int, int], duration: float, name: str = "rect") -> Track:
        """The track in pixels, checked against a clip: every rectangle inside the frame.

        Args:
            frame: The displayed ``(width, height)``.
            duration: The clip's duration in seconds (no keyframe may be later).
            name: The parameter's name, used in error messages.

        Raises:
            ValueError: A keyframe after the end of the clip, or a rectangle outside the
                frame (named by its index).
        """
        keys = []
        for index, key in enumerate(self.keys):
            if key.t > duration + 1e-6:
                raise ValueError(f"{name} keyframe {index} at t={key.t:g} s is after the end of "
                                 f"the {duration:.3f} s clip; keyframes are source seconds")
            keys.append(Key(key.t, resolve_rect(key.rect, frame, name=f"{name} keyframe {index}")))
        return replace(self, keys=tuple(keys))

    def at(self, t: float) -> Rect:
        """The region at source time ``t``: each side interpolated, rounded to pixels."""
        x, y, w, h = self.values(t)
        return Rect(_round(x), _round(y), max(1, _round(w)), max(1, _round(h)))

    def values(self, t: float) -> tuple[float, float, float, float]:
        """The unrounded ``(x, y, w, h)`` at source time ``t``."""
        rects = self.rects()
        times = [key.t for key in self.keys]
        if t <= times[0]:
            return tuple(float(v) for v in rects[0])  # type: ignore[return-value]
        if t >= times[-1]:
            return tuple(float(v) for v in rects[-1])  # type: ignore[return-value]
        index = bisect.bisect_right(times, t) - 1
        t0, t1 = times[index], times[index + 1]
        a, b = rects[index], rects[index + 1]
        f = (t - t0) / (t1 - t0)
        return tuple(a[i] + (b[i] - a[i]) * f for i in range(4))  # type: ignore[return-value]

    def position(self, t: float, size: tuple[int, int], frame: tuple[int, int],
                 offset: tuple[float, float] = (0.0, 0.0), *, even: bool = True,
                 clamp: bool = True) -> tuple[int, int]:
        """Where a ``size`` piece centred on the region at ``t`` goes (the export's rounding).

        Args:
            t: Source time.
            size: The piece's ``(width, height)``.
            frame: The frame's ``(width, height)``.
            offset: Added to the piece's top-left corner before rounding.
            even: Round down to even coordinates (the 4:2:0 grid ffmpeg's overlay uses).
            clamp: Keep the piece inside the frame (as ``crop`` does).

        Returns:
            ``(x, y)``, exactly what [expr][] evaluates to at ``t``.
        """
        x, y, w, h = self.values(t)
        out = []
        for lead, side, piece, limit, shift in ((x, w, size[0], frame[0], offset[0]),
                                                (y, h, size[1], frame[1], offset[1])):
            value = math.floor(lead + side / 2 - piece / 2 + shift + 0.5)
            if even:
                value -= value % 2
            if clamp:
                value = min(max(value, 0), max(0, limit - piece - (limit - piece) % 2 * even))
            out.append(value)
        return out[0], out[1]

    def expr(self, axis: int, size: tuple[int, int], frame: tuple[int, int],
             offset: tuple[float, float] = (0.0, 0.0), *, even: bool = True,
             clamp: bool = True) -> str:
        """The ffmpeg expression of ``t`` giving [position][]'s ``x`` (axis 0) or ``y`` (1).

        Keyframes become a balanced tree of ``if(lt(t, ...))`` (depth log2 of their number),
        so even a keyframe per frame evaluates in microseconds.
        """
        rects = self.rects()
        times = [key.t for key in self.keys]
        half = size[axis] / 2 - offset[axis] - 0.5

        def lead(i: int) -> float:
            return rects[i][axis] + rects[i][axis + 2] / 2 - half

        def segment(i: int) -> str:
            a, b = lead(i), lead(i + 1)
            if abs(b - a) < 1e-9:
                return _num(a)
            slope = (b - a) / (times[i + 1] - times[i])
            return f"{_num(a)}+{_num(slope, 9)}*(t-{_num(times[i])})"

        def tree(low: int, high: int) -> str:  # segments low..high-1, plus the holds
            if high - low == 1:
                return segment(low)
            mid = (low + high) // 2
            return f"if(lt(t,{_num(times[mid])}),{tree(low, mid)},{tree(mid, high)})"

        if len(rects) == 1:
            body = _num(lead(0))
        else:
            inner = tree(0, len(rects) - 1)
            body = (f"if(lt(t,{_num(times[0])}),{_num(lead(0))},"
                    f"if(gte(t,{_num(times[-1])}),{_num(lead(len(rects) - 1))},{inner}))")
        value = f"floor({body})"
        if even:
            value = f"2*floor(({body})/2)"
        if clamp:
            limit = frame[axis] - size[axis]
            limit = max(0, limit - limit % 2 if even else limit)
            value = f"clip({value},0,{limit})"
        return value

    def bounds(self) -> Rect:
        """The smallest rectangle holding every keyframe's region."""
        rects = self.rects()
        left, top = min(r.x for r in rects), min(r.y for r in rects)
        right, bottom = max(r.right for r in rects), max(r.bottom for r in rects)
        return Rect(left, top, right - left, bottom - top)

    def largest(self) -> tuple[int, int]:
        """The widest and the tallest the region gets."""
        rects = self.rects()
        return max(r.w for r in rects), max(r.h for r in rects)

    def grow(self, pad: float, frame: tuple[int, int]) -> Track:
        """Every keyframe's region grown by ``pad`` of its size on each side, kept in the frame.

        Example:
            >>> track((0, (100, 100, 20, 10))).grow(0.5, (320, 240)).keys[0].rect
            Rect(x=90, y=95, w=40, h=20)
        """
        keys = []
        for key, r in zip(self.keys, self.rects(), strict=True):
            dx, dy = round(r.w * pad), round(r.h * pad)
            x0, y0 = max(0, r.x - dx), max(0, r.y - dy)
            x1, y1 = min(frame[0], r.right + dx), min(frame[1], r.bottom + dy)
            keys.append(Key(key.t, Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0))))
        return replace(self, keys=tuple(keys))

    def simplify(self, tolerance: float = 1.0) -> Track:
        """Drop keyframes that interpolation recovers within ``tolerance`` pixels.

        Ramer-Douglas-Peucker on the four sides over time: the simplified track is never
        more than ``tolerance`` pixels from the original at any kept or dropped keyframe.

        Example:
            >>> line = Track(tuple(Key(i / 10, Rect(i, 0, 10, 10)) for i in range(50)))
            >>> len(line.simplify().keys)
            2
        """
        rects = self.rects()
        if len(rects) <= 2:
            return self
        keep = [False] * len(rects)
        keep[0] = keep[-1] = True
        stack = [(0, len(rects) - 1)]
        while stack:
            low, high = stack.pop()
            worst, where = 0.0, -1
            t0, t1 = self.keys[low].t, self.keys[high].t
            for i in range(low + 1, high):
                f = (self.keys[i].t - t0) / (t1 - t0)
                error = max(abs(rects[low][c] + (rects[high][c] - rects[low][c]) * f
                                - rects[i][c]) for c in range(4))
                if error > worst:
                    worst, where = error, i
            if worst > tolerance:
                keep[where] = True
                stack += [(low, where), (where, high)]
        return replace(self, keys=tuple(k for k, kept in zip(self.keys, keep, strict=True)
                                        if kept))

    def to_plain(self) -> list[dict[str, Any]]:
        """The keyframes as ``[{"t": ..., "rect": [x, y, w, h]}, ...]`` (recipes, manifests)."""
        return [{"t": key.t, "rect": list(key.rect) if isinstance(key.rect, Rect)
                 else {"rel": list(key.rect.values)}} for key in self.keys]

    def describe(self) -> str:
        """``N keyframes t0-t1 s`` (and where it was lost)."""
        lost = "".join(f", lost at {t:.2f} s" for t in self.lost)
        return f"track of {len(self.keys)} keyframes {self.start:.2f}-{self.end:.2f} s{lost}"


def track(*keys: tuple[TimeLike, RectLike] | Key) -> Track:
    """A region that moves, from keyframes ``(t, rect)`` (``ea.track``).

    Pass the result wherever a kind takes a rectangle (``box``, ``ellipse``, ``blur``,
    ``magnify``, ``spotlight``, and ``arrow``'s ``head``); the region is interpolated
    linearly per frame between keyframes and holds before the first and after the last.

    Args:
        *keys: ``(t, rect)`` pairs: source seconds (or ``"mm:ss.ms"``) and ``(x, y, w, h)`` in
            displayed pixels or ``ea.rel(x, y, w, h)``, in increasing time order.

    Returns:
        The track (checked against the frame when a kind uses it).

    Raises:
        ValueError: No keyframe, a pair that is not ``(t, rect)``, a bad time, a rectangle
            that is not 4 numbers, or times out of order.

    Example:
        >>> track((0, (10, 10, 40, 30)), ("00:02", (110, 10, 40, 30))).end
        2.0
    """
    out = []
    for index, pair in enumerate(keys):
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(f"track keyframe {index}={pair!r} must be a (t, rect) pair, e.g. "
                             "(1.5, (100, 80, 40, 30))")
        t = parse_time(pair[0], name=f"track keyframe {index} t")
        out.append(Key(t, _shape(pair[1], index)))
    return Track(tuple(out))


def _shape(rect: object, index: int) -> Rect | Rel:
    """A keyframe's rectangle: ``rel`` fractions, or 4 numbers, at least a pixel wide and tall.

    Whether it lies inside the frame is checked when a kind uses the track.
    """
    if isinstance(rect, Rel):
        return rect
    ok = (not isinstance(rect, (str, bytes)) and isinstance(rect, Sequence) and len(rect) == 4
          and all(not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)
                  and abs(v) <= 1e9 for v in rect))
    if not ok:
        raise ValueError(f"track keyframe {index} rect={rect!r} must be 4 numbers (x, y, w, h) "
                         "in displayed pixels, or ea.rel(x, y, w, h)")
    assert isinstance(rect, Sequence)
    x, y, w, h = (_round(float(v)) for v in rect)
    if w < 1 or h < 1:
        raise ValueError(f"track keyframe {index} rect={tuple(rect)!r}: width and height must "
                         f"be at least 1 pixel, got {w}x{h}")
    return Rect(x, y, w, h)


def from_plain(value: object, name: str = "track") -> Track:
    """A track from ``[{"t": ..., "rect": [x, y, w, h]}, ...]`` (the form [Track.to_plain][] gives).

    Raises:
        ValueError: Not a list of such tables (the bad entry is named by its index).
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValueError(f"{name}={value!r} must be a list of {{t = ..., rect = [x, y, w, h]}} "
                         "keyframes")
    pairs: list[tuple[TimeLike, RectLike]] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {"t", "rect"}:
            raise ValueError(f"{name}[{index}]={item!r} must be a table with exactly t and rect")
        rect = item["rect"]
        if isinstance(rect, dict) and set(rect) == {"rel"}:
            rect = Rel(tuple(float(v) for v in rect["rel"]))
        pairs.append((item["t"], rect))
    return track(*pairs)


def _round(value: float) -> int:
    return math.floor(value + 0.5)


def _num(value: float, digits: int = 6) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
