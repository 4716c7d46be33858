"""Geometry, owned in one place: rectangles, points, fractions of the frame, the 4:2:0 grid.

Geometry is in pixels of the frame as DISPLAYED (after the rotation a phone stored in the
file); [rel][] gives fractions of the frame instead. Users' values are converted once, at
the public edge, by [resolve_rect][] / [resolve_point][].

4:2:0 video keeps colour per 2x2 pixels, and ffmpeg's overlay snaps positions down to that
grid: [even_down][], [snap_rect][] and [output_size][] are the only places that
know it.

Example:
    >>> from evidence_annotate.geometry import rel, resolve_rect
    >>> resolve_rect(rel(0.5, 0.25, 0.25, 0.5), (1920, 1080), name="rect")
    Rect(x=960, y=270, w=480, h=540)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "Point",
    "PointLike",
    "Rect",
    "RectLike",
    "Rel",
    "even_down",
    "even_up",
    "output_size",
    "rel",
    "resolve_point",
    "resolve_rect",
    "snap_rect",
]

class Rect(NamedTuple):
    """A rectangle in displayed pixels: top-left corner, width and height."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        """X + w."""
        return self.x + self.w

    @property
    def bottom(self) -> int:
        """Y + h."""
        return self.y + self.h


class Point(NamedTuple):
    """A point in displayed pixels."""

    x: int
    y: int


@dataclass(frozen=True)
class Rel:
    """Fractions of the frame, resolved against the displayed size when a layer is added.

    Build it with [rel][]. Two values are a point, four a rectangle ``(x, y, w, h)``.
    """

    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.values, tuple) or len(self.values) not in (2, 4):
            raise ValueError(f"rel{self.values!r} needs 2 values (a point) or 4 (x, y, w, h)")
        for v in self.values:
            if _real(v) is None or not 0.0 <= v <= 1.0:
                raise ValueError(f"rel{self.values!r}: every fraction must be within 0..1, "
                                 f"got {v!r}")


def rel(*values: float) -> Rel:
    """Give a point or rectangle as fractions of the displayed frame.

    Args:
        *values: ``x, y`` for a point or ``x, y, w, h`` for a rectangle, each in [0, 1].

    Returns:
        A [Rel][] that any geometry parameter accepts.

    Example:
        >>> rel(0.1, 0.2)
        Rel(values=(0.1, 0.2))
    """
    for v in values:
        if _real(v) is None:
            raise ValueError(f"rel{values!r}: every value must be a fraction 0..1, got {v!r}")
    return Rel(tuple(float(v) for v in values))


def _real(value: object) -> float | None:
    """``value`` as a finite float, or ``None`` (not a real number, nan, inf, too big)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError, TypeError):
        return None
    return number if math.isfinite(number) else None


RectLike = Rect | Rel | Sequence[float]
"""``(x, y, w, h)`` in displayed pixels, or [rel][] fractions."""
PointLike = Point | Rel | Sequence[float]
"""``(x, y)`` in displayed pixels, or [rel][] fractions."""


def _numbers(value: object, count: int, name: str) -> tuple[float, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != count:
        raise ValueError(f"{name}={value!r}: expected {count} numbers")
    out = []
    for v in value:
        number = _real(v)
        if number is None or abs(number) > _LIMIT:
            raise ValueError(f"{name}={_brief(value)}: expected {count} numbers of pixels, "
                             f"each finite and at most 1e9 in size, got {_brief(v)}; use "
                             "ea.rel(...) for fractions of the frame")
        out.append(number)
    return tuple(out)


_LIMIT = 1e9
"""No coordinate in pixels is larger (any frame is far smaller)."""


def _brief(value: object) -> str:
    """``repr(value)`` shortened for messages (a 400-digit number stays readable)."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:40]}…{text[-10:]}"


def resolve_rect(value: RectLike, frame: tuple[int, int], *, name: str = "rect") -> Rect:
    """Turn a user's rectangle into whole displayed pixels, checking it lies inside the frame.

    Args:
        value: ``(x, y, w, h)`` in pixels, or a [rel][] rectangle.
        frame: The displayed ``(width, height)``.
        name: The parameter's name, used in error messages.

    Returns:
        The rectangle in pixels.

    Raises:
        ValueError: Wrong shape, zero or negative size, or any part outside the frame.

    Example:
        >>> resolve_rect((10, 20, 30, 40), (100, 100))
        Rect(x=10, y=20, w=30, h=40)
    """
    width, height = frame
    if isinstance(value, Rel):
        if len(value.values) != 4:
            raise ValueError(f"{name}: rel{value.values!r} is a point; a rectangle needs "
                             "rel(x, y, w, h)")
        fx, fy, fw, fh = value.values
        x, y = round(fx * width), round(fy * height)
        w, h = round((fx + fw) * width) - x, round((fy + fh) * height) - y
    else:
        fx, fy, fw, fh = _numbers(value, 4, name)
        x, y, w, h = round(fx), round(fy), round(fw), round(fh)
    if w < 1 or h < 1:
        raise ValueError(f"{name}={_show(value)}: width and height must be at least 1 pixel, "
                         f"got {w}x{h}")
    problems = []
    if x < 0 or y < 0:
        problems.append(f"its top-left corner ({x}, {y}) is above or left of the frame")
    if x + w > width:
        problems.append(f"x + w = {x + w} exceeds the frame width {width}")
    if y + h > height:
        problems.append(f"y + h = {y + h} exceeds the frame height {height}")
    if problems:
        raise ValueError(f"{name}={_show(value)} is outside the {width}x{height} frame: "
                         f"{'; '.join(problems)}. Coordinates are displayed pixels (portrait "
                         "video is taller than wide); use ea.rel(x, y, w, h) for fractions")
    return Rect(x, y, w, h)


def resolve_point(value: PointLike, frame: tuple[int, int], *, name: str = "point") -> Point:
    """Turn a user's point into whole displayed pixels, checking it lies inside the frame.

    Args:
        value: ``(x, y)`` in pixels, or a [rel][] point.
        frame: The displayed ``(width, height)``.
        name: The parameter's name, used in error messages.

    Returns:
        The point in pixels.

    Raises:
        ValueError: Wrong shape or outside the frame.

    Example:
        >>> resolve_point(rel(0.5, 0.5), (640, 480))
        Point(x=320, y=240)
    """
    width, height = frame
    if isinstance(value, Rel):
        if len(value.values) != 2:
            raise ValueError(f"{name}: rel{value.values!r} is a rectangle; a point needs rel(x, y)")
        x, y = round(value.values[0] * width), round(value.values[1] * height)
    else:
        fx, fy = _numbers(value, 2, name)
        x, y = round(fx), round(fy)
    if not (0 <= x <= width and 0 <= y <= height):
        raise ValueError(f"{name}={_show(value)} is outside the {width}x{height} frame; "
                         "coordinates are displayed pixels, or use ea.rel(x, y) for fractions")
    return Point(x, y)


def _show(value: object) -> str:
    if isinstance(value, Rel):
        return f"rel{value.values!r}"
    return _brief(tuple(value) if isinstance(value, Sequence) else value)


def even_down(value: int) -> int:
    """The largest even number not above ``value`` (the 4:2:0 chroma grid).

    Example:
        >>> even_down(7), even_down(8), even_down(-1)
        (6, 8, -2)
    """
    return value - value % 2


def even_up(value: int) -> int:
    """The smallest even number not below ``value``.

    Example:
        >>> even_up(7), even_up(8)
        (8, 8)
    """
    return value + value % 2


def snap_rect(rect: Rect) -> Rect:
    """``rect`` grown up and left by at most one pixel so it starts on even coordinates.

    Never less than asked is covered, and ffmpeg's overlay cannot shift it by a pixel.

    Example:
        >>> snap_rect(Rect(11, 5, 10, 10))
        Rect(x=10, y=4, w=11, h=11)
    """
    x, y = even_down(rect.x), even_down(rect.y)
    return Rect(x, y, rect.w + rect.x - x, rect.h + rect.y - y)


def output_size(size: tuple[int, int]) -> tuple[int, int]:
    """The encoded frame size for a displayed ``size``: each side rounded up to even (yuv420p).

    Example:
        >>> output_size((853, 480))
        (854, 480)
    """
    width, height = size
    return even_up(width), even_up(height)
