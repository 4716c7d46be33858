r"""``text``: a callout label drawn literally on a readable background, kept inside the frame.

Example:
    >>> from evidence_annotate.overlays.base import Context
    >>> callout = Text.create(Context((640, 360), 10.0), "{\\b1} 50% off", at=(600, 10))
    >>> sprite = callout.draw((640, 360))
    >>> sprite.x + sprite.image.width <= 640
    True
"""

from __future__ import annotations

from dataclasses import dataclass

from ..drawing.sprite import Canvas, Sprite
from ..drawing.text import TextStyle, layout_text, paint_text
from ..geometry import Point, PointLike
from ..timing import Span, TimeLike
from ..validate import text_or_none
from .base import DRAWN, Context, Overlay

__all__ = ["Text", "TextStyle"]


@dataclass(frozen=True)
class Text(Overlay):
    """A callout label whose top-left corner is at ``at``."""

    kind = "text"
    order = DRAWN

    text: str
    at: Point
    span: Span = Span()
    style: TextStyle = TextStyle()

    @classmethod
    def create(cls, ctx: Context, text: str, at: PointLike = (24, 24),
               start: TimeLike | None = None, end: TimeLike | None = None, *,
               style: TextStyle | None = None) -> Text:
        r"""Show a callout label (drawn literally on a readable background).

        Args:
            ctx: The frame and clip the callout goes on.
            text: The text; ``\n`` starts a new line; nothing is interpreted as markup.
            at: Top-left corner in displayed pixels, or ``ea.rel(x, y)``; kept inside the frame.
            start: When it appears; ``None`` = from the start.
            end: When it disappears; ``None`` = until the end.
            style: Font size, colours, background ([TextStyle][]).

        Returns:
            The callout.

        Raises:
            ValueError: Empty text, point outside the frame, bad times, or text larger than
                the frame (see the style's size).
        """
        content = text_or_none(text, "text")
        if content is None:
            raise ValueError("text must not be empty")
        if style is not None and not isinstance(style, TextStyle):
            raise ValueError(f"style={style!r} must be an ea.TextStyle")
        chosen = style or TextStyle()
        ctx.text(content, chosen, "text")
        return cls(content, ctx.point(at, "at"), ctx.span(start, end), chosen)

    def draw(self, frame: tuple[int, int]) -> Sprite:
        """Rasterize the text on its background, moved inside the frame if it would overflow."""
        canvas = Canvas(frame)
        block = layout_text(self.text, self.style, frame)
        x = min(self.at.x, max(0, frame[0] - block.width))
        y = min(self.at.y, max(0, frame[1] - block.height))
        paint_text(canvas.draw, block, self.style, (x, y))
        return canvas.sprite()

    def describe(self) -> str:
        """The text, quoted."""
        return repr(self.text)
