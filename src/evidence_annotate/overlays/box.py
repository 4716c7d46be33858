"""``box``: a highlight rectangle, its line drawn just OUTSIDE the region, with an optional tag.

Example:
    >>> from evidence_annotate.overlays.base import Context
    >>> box = Box.create(Context((640, 360), 10.0), (100, 100, 50, 40), 2, 6, label="Crack")
    >>> sprite = box.draw((640, 360))
    >>> sprite.x < 100 and sprite.image.mode == "RGBA"
    True
"""

from __future__ import annotations

from dataclasses import dataclass

from ..colors import Color, ColorLike  # noqa: F401  # Color: for ColorLike hints read at run time
from ..drawing.sprite import Canvas, Sprite
from ..drawing.text import TextStyle, color_of, draw_tag, layout_text
from ..geometry import Rect, RectLike
from ..timing import Span, TimeLike
from ..tracks import Track
from ..validate import check_color, frame_bound, positive_int, text_or_none
from .base import DRAWN, Context, styled
from .moving import Moving, region, tracked_span

__all__ = ["Box", "BoxStyle"]

MAX_LINE = 500
"""The widest line any drawn kind accepts, in pixels."""


@dataclass(frozen=True)
class BoxStyle:
    """How a highlight box looks.

    Attributes:
        color: Line colour.
        thickness: Line width in pixels (1..500); ``None`` = 0.6 % of the frame's shorter side
            (min 3).
        outline: Colour of a thin contrasting edge on both sides of the line (``None`` = none).
        radius: Corner radius in pixels (0 = square corners).
        fill: Optional translucent fill, e.g. ``"#ff000030"``.
        label: Style of the label tag drawn on the box's top edge.
    """

    color: ColorLike = "#ff2a2a"
    thickness: int | None = None
    outline: ColorLike | None = "#00000099"
    radius: int = 0
    fill: ColorLike | None = None
    label: TextStyle = TextStyle()

    def __post_init__(self) -> None:
        if self.thickness is not None:
            positive_int(self.thickness, "BoxStyle.thickness", maximum=MAX_LINE)
        positive_int(self.radius, "BoxStyle.radius", minimum=0)
        for name in ("color", "outline", "fill"):
            check_color(getattr(self, name), f"BoxStyle.{name}")


@dataclass(frozen=True)
class Box(Moving):
    """A highlight rectangle with an optional label tag on its top edge."""

    kind = "box"
    order = DRAWN

    rect: Rect
    span: Span = Span()
    style: BoxStyle = BoxStyle()
    label: str | None = None
    track: Track | None = None

    @classmethod
    def create(cls, ctx: Context, rect: RectLike | Track, start: TimeLike | None = None,
               end: TimeLike | None = None, *, color: ColorLike | None = None,
               thickness: int | None = None, label: str | None = None,
               radius: int | None = None, style: BoxStyle | None = None) -> Box:
        """Highlight a rectangle (the line is drawn just outside it).

        Args:
            ctx: The frame and clip the box goes on.
            rect: ``(x, y, w, h)`` in displayed pixels, ``ea.rel(x, y, w, h)``, or a
                [Track][evidence_annotate.tracks.Track] (``ea.track``, ``ev.follow``): the
                region moves, and the window defaults to the track's keyframes.
            start: When it appears (source seconds or ``"mm:ss.ms"``); ``None`` = from the start.
            end: When it disappears; ``None`` = until the end.
            color: Line colour (overrides the style's).
            thickness: Line width in pixels, 1..500 (overrides the style's).
            label: A tag shown on the box's top edge.
            radius: Corner radius in pixels (overrides the style's).
            style: Everything else ([BoxStyle][]).

        Returns:
            The box.

        Raises:
            ValueError: Rectangle outside the frame, bad times, colour, a thickness over a
                quarter of the frame's shorter side, or a label that does not fit the frame.
        """
        chosen = styled(style, BoxStyle, color=color, thickness=thickness, radius=radius)
        shown = text_or_none(label, "label")
        ctx.line(chosen.thickness, "thickness")
        frame_bound(chosen.radius, "radius", min(ctx.size), "the frame's shorter side")
        ctx.text(shown, chosen.label, "label")
        fixed, path = region(ctx, rect)
        return cls(fixed, tracked_span(ctx, path, start, end), chosen, shown, path)

    def thickness(self, frame: tuple[int, int]) -> int:
        """The line width: the style's, or 0.6 % of the frame's shorter side (min 3)."""
        return self.style.thickness or max(3, round(min(frame) * 0.006))

    def draw(self, frame: tuple[int, int]) -> Sprite:
        """Rasterize the line outside the rectangle, a contrasting edge and the label tag."""
        canvas = Canvas(frame)
        t = self.thickness(frame)
        style = self.style
        x0, y0, x1, y1 = self.rect.x, self.rect.y, self.rect.right - 1, self.rect.bottom - 1
        color = color_of(style.color)
        if style.fill is not None:
            canvas.draw.rounded_rectangle((x0, y0, x1, y1), radius=style.radius,
                                          fill=color_of(style.fill).rgba)
        edge = max(1, t // 3)
        if style.outline is not None:
            o = t + edge
            canvas.draw.rounded_rectangle((x0 - o, y0 - o, x1 + o, y1 + o),
                                          radius=style.radius + o if style.radius else 0,
                                          outline=color_of(style.outline).rgba,
                                          width=t + 2 * edge)
        canvas.draw.rounded_rectangle((x0 - t, y0 - t, x1 + t, y1 + t),
                                      radius=style.radius + t if style.radius else 0,
                                      outline=color.rgba, width=t)
        if self.label:
            above = self.rect.y - t >= layout_text(self.label, style.label, frame).height
            anchor = (x0 - t, y0 - t) if above else (x0, y0)
            draw_tag(canvas.draw, frame, self.label, style.label, anchor, color, above)
        return canvas.sprite()

    def describe(self) -> str:
        """``(x, y) wxh`` and the label."""
        r = self.rect
        where = self.track.describe() if self.track is not None else f"({r.x}, {r.y}) {r.w}x{r.h}"
        return where + (f" label {self.label!r}" if self.label else "")
