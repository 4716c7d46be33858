"""The plan's layers: pure, frozen data with resolved geometry and a time span.

Layers never draw themselves (that is :mod:`evidence_annotate.draw`) and never touch ffmpeg
(that is :mod:`evidence_annotate.render`). Geometry is in displayed pixels, already checked
against the frame; times are seconds on the SOURCE timeline.

Example:
    >>> from evidence_annotate.layers import Box, Span
    >>> from evidence_annotate.units import Rect
    >>> box = Box(Rect(10, 10, 100, 50), Span(2.0, 6.0))
    >>> box.span.active(3.0), box.span.active(6.0)
    (True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .styles import ArrowStyle, BoxStyle, TextStyle, TitleCardStyle
from .units import Point, Rect

__all__ = [
    "Arrow",
    "Blur",
    "BlurMethod",
    "Box",
    "Drawable",
    "Layer",
    "Span",
    "Text",
    "TitleCard",
]

BlurMethod = Literal["gaussian", "pixelate", "fill"]
BLUR_METHODS: tuple[BlurMethod, ...] = ("gaussian", "pixelate", "fill")


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
        """Whether the layer shows at source time ``t``."""
        return self.start <= t and (self.end is None or t < self.end)

    def bounded(self, duration: float) -> tuple[float, float]:
        """``(start, end)`` with an open end replaced by ``duration``."""
        return self.start, self.end if self.end is not None else duration

    def describe(self) -> str:
        """Human-readable window, e.g. ``"2.00-6.00 s"``."""
        end = f"{self.end:.2f}" if self.end is not None else "end"
        return f"{self.start:.2f}-{end} s"


@dataclass(frozen=True)
class Box:
    """A highlight rectangle with an optional label tag on its top edge."""

    rect: Rect
    span: Span = Span()
    style: BoxStyle = BoxStyle()
    label: str | None = None


@dataclass(frozen=True)
class Arrow:
    """An arrow from ``tail`` to ``head`` with an optional label at the tail."""

    tail: Point
    head: Point
    span: Span = Span()
    style: ArrowStyle = ArrowStyle()
    label: str | None = None


@dataclass(frozen=True)
class Text:
    """A callout label whose top-left corner is at ``at``."""

    text: str
    at: Point
    span: Span = Span()
    style: TextStyle = TextStyle()


@dataclass(frozen=True)
class Blur:
    """A privacy region: detail inside ``rect`` is destroyed while the span is active.

    Attributes:
        rect: The region.
        span: When it applies.
        method: ``"pixelate"`` (coarse blocks), ``"gaussian"`` (coarse blocks smoothed, so no
            detail survives) or ``"fill"`` (solid colour).
        blocks: Number of blocks across the region's shorter side (fewer = stronger).
    """

    rect: Rect
    span: Span = Span()
    method: BlurMethod = "gaussian"
    blocks: int = 8

    def block_size(self) -> int:
        """Edge of one block in pixels: sized to the region, at least 2."""
        return max(2, min(self.rect.w, self.rect.h) // max(1, self.blocks))

    def region(self) -> Rect:
        """The rectangle actually processed: ``rect`` grown to start on even coordinates.

        4:2:0 video keeps colour per 2x2 pixels and ffmpeg's overlay snaps to that grid, so
        the region grows by at most one pixel up and left (never less than asked is hidden).
        """
        x, y = self.rect.x - self.rect.x % 2, self.rect.y - self.rect.y % 2
        return Rect(x, y, self.rect.w + self.rect.x - x, self.rect.h + self.rect.y - y)


@dataclass(frozen=True)
class TitleCard:
    """A full-frame card PREPENDED to the clip (everything after it shifts).

    Attributes:
        order: The order number.
        date: The order or delivery date as shown.
        title: A one-line summary of the problem.
        seconds: Requested length.
        fields: Extra ``(name, value)`` rows, in order.
        style: Look of the card.
        part: ``(i, n)`` when the card opens part i of n of a split export.
    """

    order: str
    date: str
    title: str | None = None
    seconds: float = 3.0
    fields: tuple[tuple[str, str], ...] = ()
    style: TitleCardStyle = field(default_factory=TitleCardStyle)
    part: tuple[int, int] | None = None

    def rows(self) -> tuple[tuple[str, str], ...]:
        """Every ``(name, value)`` row shown, order and date first."""
        return (("Order", self.order), ("Date", self.date), *self.fields)


Drawable = Box | Arrow | Text
"""Layers rasterized to an RGBA sprite."""
Layer = Box | Arrow | Text | Blur
"""Every timed layer of a plan."""
