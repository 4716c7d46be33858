"""``spotlight``: dim everything outside a region so the eye goes to the defect.

A spotlight is a full-frame translucent layer with a clear hole (a rectangle or an ellipse,
optionally with a soft edge). It sits above the footage and below every drawn annotation, so
boxes, arrows and labels stay bright; privacy blurs still apply first.

Example:
    >>> from PIL import Image
    >>> from evidence_annotate.overlays.base import Context
    >>> light = Spotlight.create(Context((64, 48), 5.0), (16, 12, 32, 24), dim=0.5)
    >>> frame = light.apply(Image.new("RGB", (64, 48), (200, 200, 200)), 0.0)
    >>> frame.getpixel((32, 24)), frame.getpixel((2, 2))
    ((200, 200, 200), (100, 100, 100))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from PIL import Image, ImageDraw, ImageFilter

from ..colors import Color, ColorLike
from ..drawing.sprite import Sprite
from ..geometry import Rect, RectLike
from ..timing import Span, TimeLike
from ..tracks import Track
from ..validate import check_color, fraction, positive_int
from .base import FOOTAGE, Context
from .moving import Moving, Piece, region, tracked_span

__all__ = ["Spotlight", "SpotlightShape"]

SpotlightShape = Literal["rect", "ellipse"]


@dataclass(frozen=True)
class Spotlight(Moving):
    """A dimmed frame with a clear hole over ``rect``.

    Attributes:
        rect: The region kept at full brightness.
        span: When it applies.
        dim: How much the rest is darkened (0 = not at all, 0.95 = almost black).
        shape: ``"rect"`` or ``"ellipse"`` (fitted to ``rect``).
        feather: Width in pixels of the soft edge around the hole (0 = sharp).
        color: The colour the rest fades towards (black by default).
        track: The hole's keyframes when it moves (``rect`` is then the first one).
    """

    kind = "spotlight"
    order = FOOTAGE

    rect: Rect
    span: Span = Span()
    dim: float = 0.6
    shape: SpotlightShape = "rect"
    feather: int = 0
    color: ColorLike = "black"
    track: Track | None = None

    @classmethod
    def create(cls, ctx: Context, rect: RectLike | Track, start: TimeLike | None = None,
               end: TimeLike | None = None, *, dim: float = 0.6,
               shape: SpotlightShape = "rect", feather: int = 0,
               color: ColorLike = "black") -> Spotlight:
        """Dim everything outside ``rect`` while the window is active.

        Args:
            ctx: The frame and clip it goes on.
            rect: ``(x, y, w, h)`` kept bright, in displayed pixels, ``ea.rel(...)``, or a
                [Track][evidence_annotate.tracks.Track]: the hole follows it.
            start: When it starts (source seconds or ``"mm:ss.ms"``); ``None`` = the start.
            end: When it ends; ``None`` = until the end.
            dim: Darkening of the rest, 0..0.95 (0.6 keeps the context readable).
            shape: ``"rect"`` or ``"ellipse"``.
            feather: Soft edge in pixels, 0..200.
            color: What the rest fades towards.

        Returns:
            The spotlight.

        Raises:
            ValueError: Rectangle outside the frame, bad times, dim, shape, feather or colour.

        Example:
            >>> ev.spotlight((300, 150, 80, 60), start=2, end=5, shape="ellipse")  # doctest: +SKIP
        """
        shapes = get_args(SpotlightShape)
        if shape not in shapes:
            raise ValueError(f"shape={shape!r} is not a spotlight shape; use one of "
                             f"{', '.join(shapes)}")
        check_color(color, "color")
        fixed, path = region(ctx, rect)
        return cls(fixed, tracked_span(ctx, path, start, end),
                   fraction(dim, "dim", high=0.95), shape,
                   positive_int(feather, "feather", minimum=0, maximum=200), color, path)

    def piece(self, part: Piece, frame: tuple[int, int]) -> tuple[Sprite, Rect]:
        """A moving hole: a layer twice the frame's size around a hole of the piece's size.

        Wherever the hole goes, the layer still covers the whole frame.
        """
        w, h = part.size
        big = self._layer((2 * frame[0] + w, 2 * frame[1] + h), Rect(frame[0], frame[1], w, h))
        return Sprite(big, -frame[0], -frame[1]), Rect(0, 0, w, h)

    def draw(self, frame: tuple[int, int]) -> Sprite:
        """The full-frame dimming layer with its (soft-edged) hole."""
        return Sprite(self._layer(frame, self.rect), 0, 0)

    def _layer(self, frame: tuple[int, int], r: Rect) -> Image.Image:
        """A dimming layer of size ``frame`` with a clear hole over ``r``."""
        mask = Image.new("L", frame, round(255 * self.dim))
        hole = (r.x, r.y, r.right - 1, r.bottom - 1)
        pen = ImageDraw.Draw(mask)
        if self.shape == "ellipse":
            pen.ellipse(hole, fill=0)
        else:
            pen.rectangle(hole, fill=0)
        if self.feather:
            mask = mask.filter(ImageFilter.GaussianBlur(radius=self.feather / 2))
        tint = Color.parse(self.color)
        image = Image.new("RGBA", frame, (tint.r, tint.g, tint.b, 0))
        image.putalpha(mask)
        return image

    def describe(self) -> str:
        """``(x, y) wxh`` of the hole (or its track), its shape and the dimming."""
        r = self.rect
        where = self.track.describe() if self.track is not None else f"({r.x}, {r.y}) {r.w}x{r.h}"
        return f"{where} {self.shape}, dim {self.dim:g}"
