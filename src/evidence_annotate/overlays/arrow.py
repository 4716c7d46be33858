"""``arrow``: a filled arrow from a tail to a head, with a head sized to the frame.

Example:
    >>> from evidence_annotate.overlays.base import Context
    >>> arrow = Arrow.create(Context((640, 360), 10.0), (20, 20), (300, 200))
    >>> arrow.sizes((640, 360))
    (4, 18, 2)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..colors import Color, ColorLike  # noqa: F401  # Color: for ColorLike hints read at run time
from ..drawing.sprite import Canvas, Sprite
from ..drawing.text import TextStyle, color_of, draw_tag, layout_text
from ..geometry import Point, PointLike, Rect
from ..timing import Span, TimeLike
from ..tracks import Track
from ..validate import MAX_PIXELS, check_color, frame_bound, positive_int, text_or_none
from .base import DRAWN, Context, sprite_of, styled
from .box import MAX_LINE
from .moving import Moving, Piece, region, tracked_span

__all__ = ["Arrow", "ArrowStyle"]


@dataclass(frozen=True)
class ArrowStyle:
    """How an arrow looks.

    Attributes:
        color: Fill colour of shaft and head.
        thickness: Shaft width in pixels (1..500); ``None`` = 1 % of the frame's shorter side
            (min 4).
        head: Head length in pixels; ``None`` = 4.5x the shaft width, at most 40 % of the arrow.
        outline: Outline colour that keeps the arrow visible on any background.
        outline_width: Outline width in pixels; ``None`` = a third of the shaft width (min 2).
        label: Style of the optional label drawn at the tail.
    """

    color: ColorLike = "#ffd400"
    thickness: int | None = None
    head: int | None = None
    outline: ColorLike | None = "black"
    outline_width: int | None = None
    label: TextStyle = TextStyle()

    def __post_init__(self) -> None:
        for name, most in (("thickness", MAX_LINE), ("head", MAX_PIXELS),
                           ("outline_width", MAX_LINE)):
            value = getattr(self, name)
            if value is not None:
                positive_int(value, f"ArrowStyle.{name}", maximum=most)
        for name in ("color", "outline"):
            check_color(getattr(self, name), f"ArrowStyle.{name}")


@dataclass(frozen=True)
class Arrow(Moving):
    """An arrow from ``tail`` to ``head`` with an optional label at the tail.

    With a ``track`` the head is the centre of the track's first region and the whole arrow
    moves with the region's centre (its shape stays as drawn).
    """

    kind = "arrow"
    order = DRAWN

    tail: Point
    head: Point
    span: Span = Span()
    style: ArrowStyle = ArrowStyle()
    label: str | None = None
    track: Track | None = None

    @classmethod
    def create(cls, ctx: Context, tail: PointLike, head: PointLike | Track,
               start: TimeLike | None = None, end: TimeLike | None = None, *,
               color: ColorLike | None = None, thickness: int | None = None,
               label: str | None = None, style: ArrowStyle | None = None) -> Arrow:
        """Draw an arrow pointing from ``tail`` to ``head``.

        Args:
            ctx: The frame and clip the arrow goes on.
            tail: Start point ``(x, y)`` in displayed pixels, or ``ea.rel(x, y)``.
            head: The point the arrow points at, or a
                [Track][evidence_annotate.tracks.Track] (``ea.track``, ``ev.follow``): the
                head points at the region's centre and the arrow follows it (the window
                defaults to the track's keyframes).
            start: When it appears; ``None`` = from the start.
            end: When it disappears; ``None`` = until the end.
            color: Fill colour (overrides the style's).
            thickness: Shaft width in pixels, 1..500 (overrides the style's).
            label: A tag shown at the tail.
            style: Everything else ([ArrowStyle][]).

        Returns:
            The arrow.

        Raises:
            ValueError: Points outside the frame or equal, bad times, colour, a thickness over
                a quarter of the frame's shorter side, or a label that does not fit the frame.
        """
        path = None
        if isinstance(head, Track):
            first, path = region(ctx, head, "head")
            head = Point(first.x + first.w // 2, first.y + first.h // 2)
        p_tail, p_head = ctx.point(tail, "tail"), ctx.point(head, "head")
        if p_tail == p_head:
            raise ValueError(f"tail and head are the same point {tuple(p_tail)}; an arrow "
                             "needs two different points")
        chosen = styled(style, ArrowStyle, color=color, thickness=thickness)
        shown = text_or_none(label, "label")
        ctx.line(chosen.thickness, "thickness")
        ctx.line(chosen.outline_width, "outline_width")
        frame_bound(chosen.head, "head", max(ctx.size), "the frame's longer side")
        ctx.text(shown, chosen.label, "label")
        return cls(p_tail, p_head, tracked_span(ctx, path, start, end), chosen, shown, path)

    def parts(self) -> list[Piece]:
        """One piece: the arrow keeps its shape while it moves."""
        return [Piece(None, None, (1, 1))]

    def piece(self, part: Piece, frame: tuple[int, int]) -> tuple[Sprite, Rect]:
        """The arrow as drawn and the region its head points at (the track's first)."""
        assert self.track is not None
        return sprite_of(replace(self, track=None), frame), self.track.rects()[0]

    def sizes(self, frame: tuple[int, int]) -> tuple[int, int, int]:
        """``(shaft width, head length, outline width)`` on a frame of this size."""
        length = math.dist(self.tail, self.head)
        shaft = self.style.thickness or max(4, round(min(frame) * 0.01))
        head = self.style.head or round(shaft * 4.5)
        head = max(2, min(head, round(length * 0.4))) if length > 0 else head
        outline = self.style.outline_width or max(2, round(shaft / 3))
        return shaft, head, outline

    def polygon(self, shaft: float, head: float) -> list[tuple[float, float]]:
        """The arrow's outline points: shaft, wings and tip."""
        (tx, ty), (hx, hy) = self.tail, self.head
        length = math.hypot(hx - tx, hy - ty) or 1.0
        ux, uy = (hx - tx) / length, (hy - ty) / length
        nx, ny = -uy, ux
        bx, by = hx - ux * head, hy - uy * head
        half, wing = shaft / 2, max(shaft * 1.6, head * 0.55)
        return [
            (tx + nx * half, ty + ny * half),
            (bx + nx * half, by + ny * half),
            (bx + nx * wing, by + ny * wing),
            (hx, hy),
            (bx - nx * wing, by - ny * wing),
            (bx - nx * half, by - ny * half),
            (tx - nx * half, ty - ny * half),
        ]

    def draw(self, frame: tuple[int, int]) -> Sprite:
        """Rasterize shaft, head, a contrasting outline and the label at the tail."""
        canvas = Canvas(frame)
        shaft, head, outline = self.sizes(frame)
        polygon = self.polygon(shaft, head)
        if self.style.outline is not None:
            ink = color_of(self.style.outline).rgba
            canvas.draw.line([*polygon, polygon[0]], fill=ink, width=2 * outline, joint="curve")
            canvas.draw.polygon(polygon, fill=ink)
        canvas.draw.polygon(polygon, fill=color_of(self.style.color).rgba)
        if self.label:
            block = layout_text(self.label, self.style.label, frame)
            tx, ty = self.tail
            x = tx - block.width if self.head[0] - tx > 0 else tx
            draw_tag(canvas.draw, frame, self.label, self.style.label, (round(x), round(ty)),
                     color_of(self.style.color), self.head[1] - ty > 0)
        return canvas.sprite()

    def describe(self) -> str:
        """``(x, y) -> (x, y)`` (and the track the head follows)."""
        follows = f" following a {self.track.describe()}" if self.track is not None else ""
        return f"({self.tail.x}, {self.tail.y}) -> ({self.head.x}, {self.head.y}){follows}"
