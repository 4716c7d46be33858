"""The moving branch of ``blur``: a privacy region that follows a track.

The track is a [Track][evidence_annotate.tracks.Track].

Per [Piece][evidence_annotate.overlays.moving.Piece] of the track, one ``crop`` whose ``x``/``y``
are expressions of the frame's time takes a fixed-size region of the stage's footage around
the track, reduces it to blocks, enlarges it again and lays it back with ``overlay`` at the
same position, all inside the export graph. The region is the piece's largest size plus one
[quantum][] (2 pixels on small frames, 8 at 720p), kept inside the frame. The region stays
put while the track stays inside it and otherwise jumps, by whole quanta where it has the
room: jitter does not move it, and the encoder codes a region that stays as unchanged
blocks. The crop and blur take a new
picture every [REFRESH][] seconds; the ``overlay`` moves the last one with the track on
every frame, so the region always covers the track while the encoder mostly sees a picture
it already has.

Example:
    >>> from PIL import Image
    >>> from evidence_annotate.tracks import track
    >>> path = track((0, (0, 0, 20, 20)), (1, (40, 0, 20, 20))).resolve((64, 64), 2.0)
    >>> region_at(path, 0.5, (64, 64))
    Rect(x=18, y=0, w=22, h=22)
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Callable

import numpy as np
from PIL import Image

from ..filtergraph import FilterGraph, num
from ..geometry import Rect
from ..timing import Span
from ..tracks import Track
from .gate import PASS, gate
from .moving import Piece, piece_at, piece_span, pieces, window

__all__ = ["quantum", "region_at", "tracked_blur_apply", "tracked_blur_chain"]

STEP = 1 / 90
"""A blurred region is grown by about this fraction of the frame's height (even, at least 2
pixels: 8 at 720p) and moves in steps of it where it has the room: it stays put while the
track stays inside it, which the encoder codes as unchanged blocks."""
TOLERANCE = 0.2
"""How much a blurred region's size may vary within one piece: each piece is a chain of
its own in the graph, and a little more blur costs less than another chain."""
SHORTEST = 0.5
"""Seconds: a blurred piece lasts at least this long (detector boxes jitter in size)."""
REFRESH = 0.5
"""Seconds between the frames whose footage a moving blurred region shows (every
fourteenth frame at 30 fps): in between, the region keeps moving with its track on every
frame but shows the last blurred picture, which the encoder finds again instead of coding
a new one. Only blurred pixels are ever shown, so no detail of the footage gets through."""
FINE = 1 / 120
"""Seconds between the times at which a blurred region's position is decided (plus every
keyframe): finer than any frame rate, so the position is the same whatever the clip's."""
EARLY = 1e-4
"""Seconds by which a blurred region's move precedes the time that needs it."""


def quantum(frame: tuple[int, int]) -> int:
    """The step, in pixels, a blurred region of a ``frame``-sized clip moves by."""
    return max(2, 2 * round(frame[1] * STEP / 2))


def _size(part: Piece, frame: tuple[int, int]) -> tuple[int, int]:
    grow = quantum(frame)
    return min(frame[0], part.size[0] + grow), min(frame[1], part.size[1] + grow)


def region_at(path: Track, t: float, frame: tuple[int, int]) -> Rect:
    """The rectangle a tracked blur processes at source time ``t`` (what the export crops)."""
    part = piece_at(pieces(path, TOLERANCE, SHORTEST), t)
    size = _size(part, frame)
    return Rect(_lookup(_stops(path, part, size, frame, 0), t),
                _lookup(_stops(path, part, size, frame, 1), t), *size)


Stops = tuple[tuple[float, ...], tuple[int, ...]]
"""``(times, positions)``: position ``positions[i]`` from ``times[i]`` (the first from always)."""


def _lookup(stops: Stops, t: float) -> int:
    return stops[1][max(0, bisect.bisect_right(stops[0], t) - 1)]


@functools.lru_cache(maxsize=256)
def _stops(path: Track, part: Piece, size: tuple[int, int], frame: tuple[int, int],
           axis: int) -> Stops:
    """Where a piece's region stands along ``axis`` over time: it moves only when it must.

    The region is one [quantum][] larger than the track, so for each stretch of time there
    is a range of corners at which it holds the track; the region keeps its corner while it
    can and otherwise moves to the grid point (a multiple of the quantum) nearest the middle
    of the range it must be in (the even corner nearest it when the range is narrower than a
    quantum). Jitter smaller than the quantum therefore never moves it, and most moves are
    whole quanta (the encoder finds the blurred picture again one motion vector away).
    Times are a fine grid plus the keyframes, so the track moves linearly between two of
    them and holding it at both ends holds it in between; a stretch whose range is empty is
    halved until it is not. A move is made [EARLY][] seconds before
    the stretch that needs it (and holds the track then too), so a frame at that very time
    sees it whatever the rounding of times.
    """
    step = quantum(frame)
    extent, limit = size[axis], _limit(frame, size, axis)
    times = [key.t for key in path.keys]
    lead = [float(r[axis]) for r in path.rects()]
    side = [float(r[axis + 2]) for r in path.rects()]
    begin = part.start if part.start is not None else times[0]
    end = part.end if part.end is not None else times[-1]
    grid = sorted({*np.arange(begin, end, FINE).tolist(), end,
                   *(t for t in times if begin < t < end)})

    def allowed(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, w = np.interp(t, times, lead), np.interp(t, times, side)
        return (np.maximum(0.0, np.ceil(x + w - 1e-6) - extent),
                np.minimum(float(limit), np.floor(x + 1e-6)))

    at = np.asarray(grid)
    (lows, highs), (early_lows, early_highs) = allowed(at), allowed(at - EARLY)

    out_t: list[float] = []
    out_p: list[int] = []
    where: int | None = None

    def visit(t0: float, t1: float, depth: int, index: int = -1) -> None:
        nonlocal where
        if index >= 0:
            low = max(early_lows[index], lows[index], lows[index + 1])
            high = min(early_highs[index], highs[index], highs[index + 1])
        else:
            ranges = allowed(np.array([t0 - EARLY, t0, t1]))
            low, high = float(ranges[0].max()), float(ranges[1].min())
        if low > high and depth < 12:
            mid = (t0 + t1) / 2
            visit(t0, mid, depth + 1)
            visit(mid, t1, depth + 1)
            return
        if where is not None and low <= where <= high:
            return
        middle = (low + high) / 2
        grid_point = step * round(middle / step)
        if low <= grid_point <= high:
            where = int(grid_point)
        else:  # a range narrower than a quantum: the even corner nearest its middle
            where = int(min(max(2 * math.ceil(low / 2), 2 * round(middle / 2)),
                            max(0, 2 * math.floor(high / 2))))
        out_t.append(round(t0 - EARLY, 6))  # as the graph reads it, just before any frame at t0
        out_p.append(where)

    for index, (t0, t1) in enumerate(itertools.pairwise(grid)):
        visit(t0, t1, 0, index)
    if not out_p:  # a piece of one instant
        high = float(allowed(np.array([begin]))[1][0])
        out_t, out_p = [begin], [int(min(max(0, 2 * math.floor(high / 2)), limit))]
    return tuple(out_t), tuple(out_p)


def _limit(frame: tuple[int, int], size: tuple[int, int], axis: int) -> int:
    limit = frame[axis] - size[axis]
    return max(0, limit - limit % 2)


def _expr(path: Track, part: Piece, axis: int, size: tuple[int, int],
          frame: tuple[int, int]) -> str:
    """[region_at][]'s ``x`` (axis 0) or ``y`` (1) as an ffmpeg expression of ``t``."""
    times, places = _stops(path, part, size, frame, axis)

    def tree(low: int, high: int) -> str:  # stops low..high-1, a balanced if(lt(t,..)) tree
        if high - low == 1:
            return str(places[low])
        mid = (low + high) // 2
        return f"if(lt(t,{num(times[mid])}),{tree(low, mid)},{tree(mid, high)})"

    return tree(0, len(places))


def tracked_blur_chain(graph: FilterGraph, pad: str, path: Track, span: Span,
                       frame: tuple[int, int], process: Callable[[int, int], str],
                       fill: str | None) -> str:
    """Add a tracked blur: per piece, crop around the track, ``process`` it, overlay it back.

    Args:
        graph: The export graph.
        pad: The video pad so far.
        path: The resolved track.
        span: When the blur applies.
        frame: The displayed frame size.
        process: The filters that destroy detail in a ``(w, h)`` region.
        fill: ``drawbox`` colour for solid regions (``None``: blur the footage).
    """
    current = pad
    for part in pieces(path, TOLERANCE, SHORTEST):
        size = _size(part, frame)
        keep, end = _trim(span, part, 0.0 if fill is not None else _TAIL)
        x, y = _expr(path, part, 0, size, frame), _expr(path, part, 1, size, frame)
        out = graph.label("v")
        if fill is not None:  # a solid piece, moved like the others
            region, solid = graph.tap(), graph.label("f")
            graph.add([region], f"{keep}crop=w={size[0]}:h={size[1]}:x=0:y=0:exact=1,"
                      f"drawbox=x=0:y=0:w={size[0]}:h={size[1]}:color={fill}@1:t=fill",
                      [solid])
            graph.add([current, solid], f"overlay=x='{x}':y='{y}':{PASS}"
                      f"{window(span, part)}", [out])
        else:
            region, blurred = graph.tap(), graph.label("b")
            graph.add([region], f"{keep}{_refresh(end)}crop=w={size[0]}:h={size[1]}:x='{x}':"
                      f"y='{y}':exact=1,{process(*size)},{_HOLD}", [blurred])
            graph.add([current, blurred], f"overlay=x='{x}':y='{y}':{PASS}"
                      f"{window(span, part)}", [out])
        current = out
    return current


def _trim(span: Span, part: Piece, tail: float) -> tuple[str, float | None]:
    """Keep the frames of the piece's window, so its crop and blur work only while it shows.

    The shared region [gate][evidence_annotate.overlays.gate.gate]: before the window one
    frame in [SPARSE][evidence_annotate.overlays.gate.SPARSE] still goes through (the
    piece's ``overlay`` needs frames from both inputs to move on), and ``tail`` seconds after
    the window the branch ends (the ``overlay`` then passes the footage on).

    Returns:
        The filters, and when the window ends (``None``: with the clip).
    """
    shown = piece_span(span, part)
    end = shown.end
    return gate([Span(shown.start, None if end is None else end + tail)]), end


_TAIL = 1.0
"""Seconds after a refreshed piece's window that its branch still sees every frame, so the
first frame at or after the window's end reaches the ``overlay`` (see [_refresh][])."""
_HOLD = f"tpad=stop_mode=clone:stop_duration={num(REFRESH)}"
"""Repeats a piece's last blurred picture for [REFRESH][] seconds after its stream ends: a
second guard (after [_TAIL][]) for footage with a gap longer than the tail after a window."""


def _refresh(end: float | None) -> str:
    """Pass a frame to the blur once [REFRESH][] seconds have gone since the last one passed.

    The first frame always passes, so the region's ``overlay`` has a blurred picture from its
    first frame on; in between it repeats the last one at the region's current position. The
    first frame at or after the window's ``end`` passes too: it is never shown, but the
    ``overlay`` ([PASS][evidence_annotate.overlays.gate.PASS]) shows a picture only until
    the region stream's next one or its end, so every frame of the window keeps the last
    picture taken, however long the footage waits before its next frame.
    """
    after = "" if end is None else f"+gte(t,{num(end)})*lt(prev_selected_t,{num(end)})"
    return (f"select='isnan(prev_selected_t)+gte(t-prev_selected_t,{num(REFRESH * 0.9)})"
            f"{after}',")


def tracked_blur_apply(image: Image.Image, source: Image.Image, t: float, path: Track,
                       process: Callable[[Image.Image], Image.Image]) -> Image.Image:
    """The same on one frame: crop the region at ``t`` from ``source``, process, paste."""
    r = region_at(path, t, image.size)
    out = image.copy()
    out.paste(process(source.crop((r.x, r.y, r.right, r.bottom))), (r.x, r.y))
    return out
