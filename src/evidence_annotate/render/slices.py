"""Time slices: the pure logic behind an export whose cost follows what is shown.

An ffmpeg ``overlay`` costs time on EVERY frame, even while its ``enable`` window is closed,
so a graph with one overlay per annotation gets slower with every annotation in the plan.
The export can instead cut the timeline into slices ([cut][]) and show ONE picture per
slice through ONE overlay. Its windows and positions are piecewise-constant functions of the
frame's real timestamp ``t``, written as balanced ``if(lt(t,...))`` trees ([piecewise][]),
and each picture is stamped with the first timestamp of its slice ([first_pts][]): all
three change on exactly the frames where the plain ``enable`` windows change, on variable
frame rate video too.

Example:
    >>> [(s.start, s.end, s.members) for s in cut([(0.0, 2.0), (1.0, None)])]
    [(-inf, 1.0, (0,)), (1.0, 2.0, (0, 1)), (2.0, None, (1,))]
    >>> piecewise([1.0, 2.0], ["0", "5", "0"])
    'if(lt(t,1),0,if(lt(t,2),5,0))'
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..filtergraph import num

__all__ = ["Slice", "cut", "first_pts", "merging", "piecewise", "snapped", "unmerged"]

Window = tuple[float, "float | None"]

_MERGE: contextvars.ContextVar[bool] = contextvars.ContextVar("merge", default=True)


def merging() -> bool:
    """Whether exports merge overlays into tracks (see [unmerged][])."""
    return _MERGE.get()


@contextlib.contextmanager
def unmerged() -> Iterator[None]:
    """Compile exports with one ``overlay`` per annotation, as straightforwardly as possible.

    Tests compare the frames of both graphs; the merged one must show the same pixels.
    """
    token = _MERGE.set(False)
    try:
        yield
    finally:
        _MERGE.reset(token)


def snapped(value: float | None) -> float | None:
    """A window bound as the graph writes it (6 decimals), so slices agree with ``enable``.

    Example:
        >>> snapped(1 / 3), snapped(None)
        (0.333333, None)
    """
    return None if value is None else float(num(value))


@dataclass(frozen=True)
class Slice:
    """A stretch of time during which the same windows are open.

    Attributes:
        start: First moment (s); ``-inf`` when it starts with the clip.
        end: First moment after it (s); ``None`` = until the end.
        members: Indices of the open windows, in the order given.
    """

    start: float
    end: float | None
    members: tuple[int, ...]


def cut(windows: Sequence[Window]) -> list[Slice]:
    """Cut the timeline at every start and end; the slices where something is open.

    Bounds are compared as written in the graph ([snapped][]); a window starting at or
    before 0 is open from the first frame.
    """
    opened: dict[float, list[int]] = {}
    closed: dict[float, list[int]] = {}
    for index, (start, end) in enumerate(windows):
        begin = snapped(start) if start > 0 else -math.inf
        finish = snapped(end)
        assert begin is not None
        if finish is not None and finish <= begin:
            continue
        opened.setdefault(begin, []).append(index)
        if finish is not None:
            closed.setdefault(finish, []).append(index)
    bounds = sorted(set(opened) | set(closed))
    open_now: set[int] = set()
    slices: list[Slice] = []
    for position, bound in enumerate(bounds):
        open_now.difference_update(closed.get(bound, ()))
        open_now.update(opened.get(bound, ()))
        if open_now:
            end = bounds[position + 1] if position + 1 < len(bounds) else None
            slices.append(Slice(bound, end, tuple(sorted(open_now))))
    return slices


def piecewise(bounds: Sequence[float], values: Sequence[str], var: str = "t") -> str:
    """A balanced ``if`` tree: ``values[i]`` while ``bounds[i-1] <= var < bounds[i]``.

    Args:
        bounds: Increasing break points (one fewer than ``values``).
        values: Expressions for each piece.
        var: The variable compared (``t`` in seconds, ``N`` for a frame index).
    """
    if len(values) != len(bounds) + 1:
        raise ValueError(f"{len(values)} values need {len(values) - 1} bounds, "
                         f"not {len(bounds)}")
    merged_bounds: list[float] = []
    merged: list[str] = [values[0]]
    for bound, value in zip(bounds, values[1:], strict=False):
        if value == merged[-1]:
            continue
        merged_bounds.append(bound)
        merged.append(value)

    def tree(low: int, high: int) -> str:
        if low == high:
            return merged[low]
        middle = (low + high + 1) // 2
        return (f"if(lt({var},{num(merged_bounds[middle - 1])}),{tree(low, middle - 1)},"
                f"{tree(middle, high)})")

    return tree(0, len(merged) - 1)


def first_pts(bound: float, time_base: Fraction) -> int:
    """The first timestamp (in ``time_base`` units) whose ``t`` is at or after ``bound``.

    ``t`` is computed as ffmpeg computes it for ``enable`` (``pts * (num / den)`` in
    doubles), so a picture stamped with this timestamp becomes current on exactly the frame
    where ``gte(t,bound)`` turns true.

    Example:
        >>> first_pts(0.1, Fraction(1, 15360)), first_pts(0.166667, Fraction(1, 30))
        (1536, 6)
    """
    step = time_base.numerator / time_base.denominator
    pts = math.ceil(bound / step)
    while (pts - 1) * step >= bound:
        pts -= 1
    while pts * step < bound:
        pts += 1
    return pts
