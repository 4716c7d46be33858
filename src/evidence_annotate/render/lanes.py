"""Lanes of still pictures: pictures of one size that take turns in ONE ``overlay``.

Every ``overlay`` in a graph costs its share on every frame, whether its picture shows or
not, so a plan of a thousand annotations paid for a thousand overlays on every frame. Pictures
of one size whose windows never overlap can take turns in one lane: one switched ``overlay``
of their sequence ([sprite_chains][evidence_annotate.render.sprites.sprite_chains]), so a
frame pays for about as many overlays as pictures show at once.

Lanes are composited in order, so a picture must sit in a higher lane than every earlier
picture (in drawing order) that it covers while both show; pictures apart on the frame, or
apart in time, may go in any order. Footage regions (blur) share chains the same way
([region_chains][evidence_annotate.render.regions.region_chains]), with no boxes: any two
that show together keep their order.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import numpy as np

from ..overlays.base import Overlay
from .slices import snapped

__all__ = ["Box", "Window", "lanes", "window_of"]

Box = tuple[int, int, int, int]
"""``(left, top, right, bottom)`` in pixels."""
Window = tuple[float, "float | None"]
"""``(start, end)``: ``-inf`` from the clip's start, ``None`` to its end."""


def window_of(overlay: Overlay) -> Window:
    """An overlay's window as the graph compares it: snapped bounds, ``-inf`` from the start."""
    start = snapped(overlay.span.start) if overlay.span.start > 0 else -math.inf
    assert start is not None
    return start, snapped(overlay.span.end)


def lanes(windows: Sequence[Window], keys: Sequence[Hashable],
          boxes: Sequence[Box] | None = None) -> list[int]:
    """The lane of each picture (in drawing order): same key per lane, no overlap in time.

    Each picture goes on the lowest lane of its key that is free for its whole window and
    above every earlier picture it overlaps in both time and space.

    Args:
        windows: When each picture shows.
        keys: What must match within a lane (the picture's size).
        boxes: Where each picture is; ``None``: each covers all the others.

    Example:
        >>> lanes([(0, 2), (2, 4), (1, 3), (1, 3)], ["a", "a", "a", "a"],
        ...       [(0, 0, 10, 10), (0, 0, 10, 10), (5, 5, 15, 15), (50, 0, 60, 10)])
        [0, 0, 1, 2]
        >>> lanes([(0, 2), (1, 3), (3, 4), (0, 1)], ["a", "a", "a", "b"])
        [0, 1, 0, 2]
    """
    count = len(windows)
    starts = np.array([w[0] for w in windows], dtype=float)
    ends = np.array([math.inf if w[1] is None else w[1] for w in windows], dtype=float)
    box = np.array(boxes if boxes is not None else [(0, 0, 1, 1)] * count,
                   dtype=float).reshape(count, 4)
    chosen = np.full(count, -1)
    lane_keys: list[Hashable] = []
    for i in range(count):
        meet = (starts[:i] < ends[i]) & (starts[i] < ends[:i])  # earlier, open meanwhile
        cover = meet & (box[:i, 0] < box[i, 2]) & (box[i, 0] < box[:i, 2]) \
            & (box[:i, 1] < box[i, 3]) & (box[i, 1] < box[:i, 3])
        floor = int(chosen[:i][cover].max()) + 1 if cover.any() else 0
        busy = set(chosen[:i][meet].tolist())
        lane = next((t for t in range(floor, len(lane_keys))
                     if lane_keys[t] == keys[i] and t not in busy), len(lane_keys))
        if lane == len(lane_keys):
            lane_keys.append(keys[i])
        chosen[i] = lane
    return [int(t) for t in chosen]
