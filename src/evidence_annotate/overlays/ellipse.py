"""``ellipse``: a ring highlight drawn just OUTSIDE an ellipse fitted to a rectangle.

For round defects (a dent, a chipped corner, a stain) a ring frames the spot without covering
it; like a box, the line lies outside the region and carries a thin contrasting edge so it
reads on bright and dark footage.

Example:
    >>> from evidence_annotate.overlays.base import Context
    >>> ring = Ellipse.create(Context((640, 360), 10.0), (300, 150, 80, 60), 1, 3)
    >>> sprite = ring.draw((640, 360))
    >>> sprite.x < 300 < sprite.x + sprite.image.width
    True
    >>> sprite.image.getpixel((340 - sprite.x, 180 - sprite.y))[3]   # the centre stays clear
    0
"""

from __future__ import annotations

from dataclasses import dataclass

from ..colors import Color, ColorLike
from ..drawing.sprite import Canvas, Sprite
from ..drawing.text import TextStyle, draw_tag, layout_text
from ..geometry import Rect, RectLike
from ..timing import Span, TimeLike
from ..tracks import Track
from ..validate import check_color, positive_int, text_or_none
from .base import DRAWN, Context, styled
from .moving import Moving, region, tracked_span

__all__ = ["Ellipse", "EllipseStyle"]


@dataclass(frozen=True)
class EllipseStyle:
    """How a ring highlight looks.

    Attributes:
        color: Line colour.
        thickness: Line width in pixels (1..500); ``None`` = 0.8 % of the frame's shorter side
            (min 3).
        outline: Colour of a thin contrasting edge on both sides of the line (``None`` = none).
        margin: Space in pixels between the region and the inside of the ring (0..500).
        label: Style of the optional label tag above the ring.
    """

    color: ColorLike = "#ff2a2a"
    thickness: int | None = None
    outline: ColorLike | None = "#00000099"
    margin: int = 2
    label: TextStyle = TextStyle()

    def __post_init__(self) -> None:
        if self.thickness is not None:
            positive_int(self.thickness, "EllipseStyle.thickness", maximum=500)
        positive_int(self.margin, "EllipseStyle.margin", minimum=0, maximum=500)
        for name in ("color", "outline"):
            check_color(getattr(self, name), f"EllipseStyle.{name}")


@dataclass(frozen=True)
class Ellipse(Moving):
    """A ring around the ellipse inscribed in ``rect``, with an optional label tag."""

    kind = "ellipse"
    order = DRAWN

    rect: Rect
    span: Span = Span()
    style: EllipseStyle = EllipseStyle()
    label: str | None = None
    track: Track | None = None

    @classmethod
    def create(cls, ctx: Context, rect: RectLike | Track, start: TimeLike | None = None,
               end: TimeLike | None = None, *, color: ColorLike | None = None,
               thickness: int | None = None, label: str | None = None,
               style: EllipseStyle | None = None) -> Ellipse:
        """Ring a round defect: an ellipse fitted to ``rect``, its line just outside it.

        Args:
            ctx: The frame and clip the ring goes on.
            rect: ``(x, y, w, h)`` of the region in displayed pixels, ``ea.rel(...)``, or a
                [Track][evidence_annotate.tracks.Track] (``ea.track``, ``ev.follow``): the
                region moves, and the window defaults to the track's keyframes.
            start: When it appears (source seconds or ``"mm:ss.ms"``); ``None`` = from the start.
            end: When it disappears; ``None`` = until the end.
            color: Line colour (overrides the style's).
            thickness: Line width in pixels, 1..500 (overrides the style's).
            label: A tag shown above the ring.
            style: Everything else ([EllipseStyle][]).

        Returns:
            The ring.

        Raises:
            ValueError: Rectangle outside the frame, bad times, colour or thickness.

        Example:
            >>> ev.ellipse((300, 150, 80, 60), start=1, end=3, label="Dent")  # doctest: +SKIP
        """
        chosen = styled(style, EllipseStyle, color=color, thickness=thickness)
        shown = text_or_none(label, "label")
        ctx.line(chosen.thickness, "thickness")
        ctx.text(shown, chosen.label, "label")
        fixed, path = region(ctx, rect)
        return cls(fixed, tracked_span(ctx, path, start, end), chosen, shown, path)

    def thickness(self, frame: tuple[int, int]) -> int:
        """The line width: the style's, or 0.8 % of the frame's shorter side (min 3)."""
        return self.style.thickness or max(3, round(min(frame) * 0.008))

    def draw(self, frame: tuple[int, int]) -> Sprite:
        """Rasterize the ring (line outside the region plus a contrasting edge) and its tag."""
        canvas = Canvas(frame)
        t = self.thickness(frame)
        m = self.style.margin
        r = self.rect
        box = (r.x - m - t, r.y - m - t, r.right - 1 + m + t, r.bottom - 1 + m + t)
        color = Color.parse(self.style.color)
        if self.style.outline is not None:
            edge = max(1, t // 3)
            canvas.draw.ellipse((box[0] - edge, box[1] - edge, box[2] + edge, box[3] + edge),
                                outline=Color.parse(self.style.outline).rgba, width=t + 2 * edge)
        canvas.draw.ellipse(box, outline=color.rgba, width=t)
        if self.label:
            height = layout_text(self.label, self.style.label, frame).height
            above = box[1] >= height
            anchor = (r.x, box[1]) if above else (r.x, box[3] + 1)
            draw_tag(canvas.draw, frame, self.label, self.style.label, anchor, color, above)
        return canvas.sprite()

    def describe(self) -> str:
        """``(x, y) wxh`` and the label."""
        r = self.rect
        where = self.track.describe() if self.track is not None else f"({r.x}, {r.y}) {r.w}x{r.h}"
        return where + (f" label {self.label!r}" if self.label else "")
