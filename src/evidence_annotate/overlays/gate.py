"""Let a region's chain work only around its windows, and keep its ``overlay`` from copying.

A region (blur, magnify) is cut from the footage, processed and laid back over it by an
``overlay``. Two things made such a region cost a whole frame's work on every frame:

* its own filters (crop, reduce, enlarge) run on every frame they receive. So a region
  chain starts with [gate][]: between windows only one frame in [SPARSE][] goes through (the
  ``overlay`` needs frames from both inputs to move on; without any, ffmpeg would hold every
  frame of the footage until the next window opens), and after the last window the stream
  ends. Inside a window (widened by [MARGIN][]) every frame goes through, so the pictures
  are the ones the plain chain makes.
* with its default ``eof_action=repeat``, ``overlay`` keeps every footage frame in case the
  region's next picture lands before the footage's next frame, which it cannot know until
  that picture comes: a copy of the whole frame, on every frame, enabled or not, until the
  region stream ends. Region overlays therefore use [PASS][] (the region stream does not
  hold the footage back); their windows need no repeat, as each frame inside a window has
  its own region picture (a picture refreshed now and then is followed by the first frame
  at or after the window's end, so it stays until then).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..filtergraph import num
from ..timing import Span

__all__ = ["MARGIN", "PASS", "SPARSE", "gate"]

SPARSE = 8
"""Outside its windows a region chain sees one frame in this many."""
MARGIN = 0.05
"""Seconds around each window where every frame still goes through."""
PASS = "eof_action=pass"
"""The ``overlay`` option of region chains: the footage never waits on, nor is copied for,
the region stream (ffmpeg's ``repeatlast=0``); the region shows only with a picture of its
own, so a region stream must reach every frame of its windows."""


def gate(spans: Sequence[Span]) -> str:
    """Filters (ending in ``,``) that keep the frames a region chain needs for ``spans``.

    Args:
        spans: The windows the chain's regions show in (any order).

    Example:
        >>> gate([Span(0, 2)])
        'trim=end=2.05,'
        >>> gate([Span(3, 5), Span(1, 2)])
        "select='between(t,0.95,2.05)+between(t,2.95,5.05)+not(mod(n,8))',trim=end=5.05,"
        >>> gate([Span(4)])
        "select='gte(t,3.95)+not(mod(n,8))',"
    """
    merged: list[tuple[float, float]] = []  # widened windows, an open end as infinity
    for span in sorted(spans, key=lambda s: s.start):
        start, end = span.start - MARGIN, math.inf if span.end is None else span.end + MARGIN
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    if not merged or (merged[0][0] <= 0 and merged[0][1] == math.inf):
        return ""
    out = ""
    if len(merged) > 1 or merged[0][0] > 0:
        terms = "+".join(f"gte(t,{num(start)})" if end == math.inf
                         else f"between(t,{num(start)},{num(end)})" for start, end in merged)
        out = f"select='{terms}+not(mod(n,{SPARSE}))',"
    if merged[-1][1] != math.inf:
        out += f"trim=end={num(merged[-1][1])},"
    return out
