"""Where each cue goes so that captions never cover the annotations shown with them.

The plan hands the captions a list of [Obstacle][]: the box of every drawn overlay
(boxes, arrows, labels, ...: their sprites' bounds and drawn pixels) with its time window.
Kinds that only change footage (blur) are not obstacles. For each cue, [place_cues][]
measures how much of the caption area at the bottom (and, if that is covered, at the top)
the obstacles visible DURING the cue would cover, using the same layout the preview draws,
and moves the cue to the top centre when the top is freer. Rules, decided once for every
renderer:

* Only the default alignment (bottom centre) moves; any other alignment is the user's choice
  and stays. ``CaptionStyle(avoid_overlays=False)`` keeps every cue at the bottom.
* A cue moves as a whole for its whole time (captions do not jump mid-cue).
* When both places are covered, the one covered less wins (bottom on a tie).
* ASS/SSA files with their own styling keep their own positions.

Example:
    >>> from evidence_annotate.captions.segmentation import Cue
    >>> from evidence_annotate.geometry import Rect
    >>> from evidence_annotate.timing import Span
    >>> low_box = Obstacle(Span(0.0, 5.0), Rect(20, 130, 280, 100))
    >>> place_cues([Cue(1.0, 2.0, ("Cracked lid",)), Cue(6.0, 7.0, ("Later",))],
    ...            (320, 240), None, [low_box])
    (True, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pysubs2

from ..geometry import Rect
from ..timing import Span
from .draw import caption_sprite
from .segmentation import Cue
from .style import CaptionStyle

__all__ = ["Obstacle", "caption_area", "place_cues"]


class Obstacle(NamedTuple):
    """Something drawn on the frame that captions must not cover.

    Attributes:
        span: When it is shown (source timeline).
        rect: Where, in displayed pixels.
        ink: Which pixels of ``rect`` are drawn, one byte per pixel row by row (non-zero =
            drawn), so a hollow box's inside is free; ``None`` = all of ``rect``.
    """

    span: Span
    rect: Rect
    ink: bytes | None = None


def caption_area(lines: Sequence[str], frame: tuple[int, int], style: CaptionStyle,
                 top: bool) -> Rect:
    """The box the lines take at the bottom (or top) of the frame, with a small clearance."""
    sprite = caption_sprite(lines, frame, style, top=top)
    pad = max(2, round(0.01 * min(frame)))
    return Rect(sprite.x - pad, sprite.y - pad, sprite.image.width + 2 * pad,
                sprite.image.height + 2 * pad)


def _covered(area: Rect, obstacles: Sequence[Obstacle]) -> int:
    """How many pixels of ``area`` the obstacles' ink covers (overlaps counted once)."""
    mask = np.zeros((max(0, area.h), max(0, area.w)), dtype=bool)
    for obstacle in obstacles:
        r = obstacle.rect
        left, top = max(area.x, r.x) - area.x, max(area.y, r.y) - area.y
        right, bottom = min(area.right, r.right) - area.x, min(area.bottom, r.bottom) - area.y
        if right > left and bottom > top:
            if obstacle.ink is None:
                mask[top:bottom, left:right] = True
            else:
                ox, oy = area.x + left - r.x, area.y + top - r.y
                ink = np.frombuffer(obstacle.ink, dtype=np.uint8).reshape(r.h, r.w) > 0
                mask[top:bottom, left:right] |= ink[oy:oy + bottom - top, ox:ox + right - left]
    return int(mask.sum())


def _during(span: Span, cue: Cue) -> bool:
    return span.start < cue.end and (span.end is None or span.end > cue.start)


def place_cues(cues: Sequence[Cue], frame: tuple[int, int], style: CaptionStyle | None,
               obstacles: Sequence[Obstacle]) -> tuple[bool, ...]:
    """For each cue, whether it goes to the top centre (``True``) or stays where it is.

    Args:
        cues: The cues (source timeline, like the obstacles' spans).
        frame: The frame size the captions are drawn on.
        style: The caption look (``None`` = defaults).
        obstacles: What is drawn, and when.

    Returns:
        One flag per cue.
    """
    style = style or CaptionStyle()
    if not obstacles or not style.avoid_overlays \
            or style.alignment != pysubs2.Alignment.BOTTOM_CENTER:
        return tuple(False for _ in cues)
    out = []
    for cue in cues:
        rects = [o for o in obstacles if _during(o.span, cue)]
        bottom = _share(caption_area(cue.lines, frame, style, False), rects) if rects else 0.0
        out.append(bool(bottom) and _share(caption_area(cue.lines, frame, style, True),
                                           rects) < bottom)
    return tuple(out)


def _share(area: Rect, rects: Sequence[Obstacle]) -> float:
    """The covered fraction of ``area``."""
    return _covered(area, rects) / max(1, area.w * area.h)
