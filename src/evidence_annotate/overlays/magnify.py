"""``magnify``: a zoomed inset of a small region, framed and linked to where it comes from.

A scratch a few pixels wide is invisible at 480p; the inset shows the region's own footage
enlarged ``zoom`` times elsewhere on the frame, inside a frame, with a line from the region to
the inset so a reviewer sees what is enlarged. The inset takes footage after privacy blurs
(nothing hidden reappears enlarged) and after a spotlight (the inset stays bright).

Example:
    >>> from PIL import Image
    >>> from evidence_annotate.overlays.base import Context
    >>> lens = Magnify.create(Context((320, 240), 5.0), (40, 40, 20, 20), zoom=3)
    >>> lens.inset()                                    # placed in the corner farthest away
    Rect(x=252, y=172, w=60, h=60)
    >>> frame = Image.new("RGB", (320, 240), "gray")
    >>> frame.paste((255, 0, 0), (40, 40, 60, 60))
    >>> lens.apply(frame, 0.0).getpixel((282, 202))     # the inset shows the red region
    (255, 0, 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from ..colors import Color, ColorLike
from ..drawing.sprite import Canvas, Sprite
from ..filtergraph import FilterGraph, enable_expr
from ..geometry import Point, PointLike, Rect, RectLike, even_down, even_up, snap_rect
from ..timing import Span, TimeLike
from ..tracks import Track
from ..validate import check_color, fraction, positive_int
from .base import FOOTAGE, Context, Overlay, sprite_of, styled
from .gate import PASS, gate
from .moving import Piece, moving_apply, moving_chain, region, tracked_span

__all__ = ["Magnify", "MagnifyStyle"]

_MARGIN = 0.03
"""Distance of an automatically placed inset from the frame's edges (fraction of the short side)."""


@dataclass(frozen=True)
class MagnifyStyle:
    """How the inset's frame and link look.

    Attributes:
        color: Colour of the inset's frame, the region's outline and the link.
        thickness: Frame width in pixels (1..100); ``None`` = 0.5 % of the short side (min 2).
        outline: A thin contrasting edge around every line (``None`` = none).
        link: Draw the line from the region to the inset.
    """

    color: ColorLike = "#ffd400"
    thickness: int | None = None
    outline: ColorLike | None = "black"
    link: bool = True

    def __post_init__(self) -> None:
        if self.thickness is not None:
            positive_int(self.thickness, "MagnifyStyle.thickness", maximum=100)
        for name in ("color", "outline"):
            check_color(getattr(self, name), f"MagnifyStyle.{name}")
        if not isinstance(self.link, bool):
            raise ValueError(f"MagnifyStyle.link={self.link!r} must be True or False")


@dataclass(frozen=True)
class Magnify(Overlay):
    """The footage inside ``rect`` enlarged ``zoom`` times, its top-left corner at ``at``."""

    kind = "magnify"
    order = FOOTAGE + 5

    rect: Rect
    at: Point
    span: Span = Span()
    zoom: float = 2.0
    style: MagnifyStyle = MagnifyStyle()
    track: Track | None = None

    @classmethod
    def create(cls, ctx: Context, rect: RectLike | Track, at: PointLike | None = None,
               start: TimeLike | None = None, end: TimeLike | None = None, *,
               zoom: float = 2.0, color: ColorLike | None = None,
               style: MagnifyStyle | None = None) -> Magnify:
        """Show the region enlarged in an inset, so a small defect is readable.

        Args:
            ctx: The frame and clip it goes on.
            rect: The region ``(x, y, w, h)`` in displayed pixels, ``ea.rel(...)``, or a
                [Track][evidence_annotate.tracks.Track]: the source region follows it (at
                its largest size; the inset stays put and no link is drawn).
            at: The inset's top-left corner; ``None`` = the frame corner farthest from
                the region.
            start: When it shows (source seconds or ``"mm:ss.ms"``); ``None`` = the start.
            end: When it disappears; ``None`` = until the end.
            zoom: Enlargement, 1.25..8.
            color: Colour of the frame and link (overrides the style's).
            style: Frame width, outline, link ([MagnifyStyle][]).

        Returns:
            The inset.

        Raises:
            ValueError: Region outside the frame, an inset that does not fit, bad zoom,
                times or colour.

        Example:
            >>> ev.magnify((300, 150, 40, 30), zoom=3, start=2, end=6)   # doctest: +SKIP
        """
        zoom = fraction(zoom, "zoom", low=1.25, high=8.0)
        base = styled(style, MagnifyStyle, color=color)
        ctx.line(base.thickness, "thickness")
        fixed, path = region(ctx, rect)
        if path is not None:
            largest = path.largest()
            fixed = Rect(fixed.x, fixed.y, min(ctx.size[0], even_up(largest[0])),
                         min(ctx.size[1], even_up(largest[1])))
            hull = path.bounds()
            corner_of = Rect(hull.x, hull.y, hull.w, hull.h)
        area = snap_rect(fixed)
        size = _inset_size(area, zoom)
        width, height = ctx.size
        if size[0] > width or size[1] > height:
            most = math.floor(min(width / area.w, height / area.h) * 10) / 10
            raise ValueError(f"zoom={zoom:g} makes the inset {size[0]}x{size[1]}, larger than "
                             f"the {width}x{height} frame; use zoom <= {most:g} or a smaller "
                             "region")
        far = corner_of if path is not None else area
        corner = _corner(far, size, ctx.size) if at is None else ctx.point(at, "at")
        corner = Point(even_down(corner.x), even_down(corner.y))
        if corner.x + size[0] > width or corner.y + size[1] > height:
            raise ValueError(f"at={tuple(corner)}: the {size[0]}x{size[1]} inset would end at "
                             f"({corner.x + size[0]}, {corner.y + size[1]}), outside the "
                             f"{width}x{height} frame; move it up/left or leave at=None")
        return cls(area, corner, tracked_span(ctx, path, start, end), zoom, base, path)

    def inset(self) -> Rect:
        """Where the enlarged footage goes."""
        w, h = _inset_size(self.rect, self.zoom)
        return Rect(self.at.x, self.at.y, w, h)

    def chain(self, graph: FilterGraph, pad: str, frame: tuple[int, int]) -> str:
        """Crop the region, enlarge it (Lanczos), overlay it, then the frame and link."""
        if self.track is not None:
            return self._moving_chain(graph, pad, frame)
        r, inset = self.rect, self.inset()
        region, zoomed, out = graph.tap(), graph.label("z"), graph.label("v")
        graph.add([region], f"{gate([self.span])}crop=w={r.w}:h={r.h}:x={r.x}:y={r.y}:exact=1,"
                  f"scale={inset.w}:{inset.h}:flags=lanczos", [zoomed])
        graph.add([pad, zoomed], f"overlay=x={inset.x}:y={inset.y}:{PASS}"
                  f"{enable_expr(self.span)}",
                  [out])
        return super().chain(graph, out, frame)

    def apply(self, image: Image.Image, t: float,
              footage: Image.Image | None = None) -> Image.Image:
        """The same on a PIL image: crop, enlarge (Lanczos), paste, draw the frame and link."""
        if self.track is not None:
            return self._moving_apply(image, t, footage)
        r, inset = self.rect, self.inset()
        out = image.copy()
        piece = (footage if footage is not None else image).crop((r.x, r.y, r.right, r.bottom))
        out.paste(piece.resize((inset.w, inset.h), Image.Resampling.LANCZOS), (inset.x, inset.y))
        return super().apply(out, t)

    def draw(self, frame: tuple[int, int]) -> Sprite:
        """The inset's frame (outside it), the region's outline and the link between them."""
        canvas = Canvas(frame)
        t = self.style.thickness or max(2, round(min(frame) * 0.005))
        thin = max(1, t // 2)
        inset, r = self.inset(), self.rect
        strokes = [(Color.parse(self.style.color).rgba, 0)]
        if self.style.outline is not None:  # a contrasting edge first, one pixel wider
            strokes.insert(0, (Color.parse(self.style.outline).rgba, 1))
        for colour, extra in strokes:
            if self.style.link:
                canvas.draw.line(_link(r, inset), fill=colour, width=thin + 2 * extra)
            grow = t + extra
            canvas.draw.rectangle((inset.x - grow, inset.y - grow, inset.right - 1 + grow,
                                   inset.bottom - 1 + grow), outline=colour, width=t + 2 * extra)
            grow = thin + extra
            canvas.draw.rectangle((r.x - grow, r.y - grow, r.right - 1 + grow,
                                   r.bottom - 1 + grow), outline=colour, width=thin + 2 * extra)
        # the enlarged footage shows through the inset; the region itself stays visible
        canvas.draw.rectangle((inset.x, inset.y, inset.right - 1, inset.bottom - 1),
                              fill=(0, 0, 0, 0))
        canvas.draw.rectangle((r.x, r.y, r.right - 1, r.bottom - 1), fill=(0, 0, 0, 0))
        return canvas.sprite()

    def _outline(self, part: Piece, frame: tuple[int, int]) -> tuple[Sprite, Rect]:
        """A tracked region's outline, drawn around a region of its size mid-frame."""
        w, h = self.rect.w, self.rect.h
        ref = Rect(max(0, (frame[0] - w) // 2), max(0, (frame[1] - h) // 2), w, h)
        return sprite_of(_Outline(ref, self.span, self.style, False), frame), ref

    def _frame(self) -> _Outline:
        """The inset's frame alone (a tracked inset draws no link)."""
        return _Outline(self.inset(), self.span, self.style, True)

    def _moving_chain(self, graph: FilterGraph, pad: str, frame: tuple[int, int]) -> str:
        assert self.track is not None
        r, inset, size = self.rect, self.inset(), (self.rect.w, self.rect.h)
        x, y = self.track.expr(0, size, frame), self.track.expr(1, size, frame)
        region, zoomed, out = graph.tap(), graph.label("z"), graph.label("v")
        graph.add([region], f"{gate([self.span])}crop=w={r.w}:h={r.h}:x='{x}':y='{y}':exact=1,"
                  f"scale={inset.w}:{inset.h}:flags=lanczos", [zoomed])
        graph.add([pad, zoomed], f"overlay=x={inset.x}:y={inset.y}:{PASS}"
                  f"{enable_expr(self.span)}",
                  [out])
        framed = self._frame().chain(graph, out, frame)
        return moving_chain(graph, framed, self.track, self.span, frame,
                            lambda part: self._outline(part, frame), "magnify",
                            [Piece(None, None, size)])

    def _moving_apply(self, image: Image.Image, t: float,
                      footage: Image.Image | None) -> Image.Image:
        assert self.track is not None
        inset, size = self.inset(), (self.rect.w, self.rect.h)
        x, y = self.track.position(t, size, image.size)
        piece = (footage if footage is not None else image).crop((x, y, x + size[0],
                                                                  y + size[1]))
        out = image.copy()
        out.paste(piece.resize((inset.w, inset.h), Image.Resampling.LANCZOS), (inset.x, inset.y))
        out = self._frame().apply(out, t)
        return moving_apply(out, t, self.track, lambda part: self._outline(part, image.size),
                            [Piece(None, None, size)])

    def bounds(self, frame: tuple[int, int]) -> Rect | None:
        """Where it draws (the inset; a moving region's outline is not counted)."""
        if self.track is None:
            return super().bounds(frame)
        inset = self.inset()
        grow = max(4, round(min(frame) * 0.02))
        return Rect(max(0, inset.x - grow), max(0, inset.y - grow), inset.w + 2 * grow,
                    inset.h + 2 * grow)

    def describe(self) -> str:
        """``(x, y) wxh x zoom -> (x, y)``."""
        r = self.rect
        where = (f"following a {self.track.describe()}, {r.w}x{r.h}" if self.track is not None
                 else f"({r.x}, {r.y}) {r.w}x{r.h}")
        return f"{where} x{self.zoom:g} -> ({self.at.x}, {self.at.y})"


@dataclass(frozen=True)
class _Outline(Overlay):
    """An outline a tracked inset draws: its frame (``thick``) or its moving source region."""

    rect: Rect
    span: Span
    style: MagnifyStyle
    thick: bool

    def draw(self, frame: tuple[int, int]) -> Sprite:
        canvas = Canvas(frame)
        t = self.style.thickness or max(2, round(min(frame) * 0.005))
        thin, r = (t if self.thick else max(1, t // 2)), self.rect
        strokes = [(Color.parse(self.style.color).rgba, 0)]
        if self.style.outline is not None:
            strokes.insert(0, (Color.parse(self.style.outline).rgba, 1))
        for colour, extra in strokes:
            grow = thin + extra
            canvas.draw.rectangle((r.x - grow, r.y - grow, r.right - 1 + grow,
                                   r.bottom - 1 + grow), outline=colour, width=thin + 2 * extra)
        canvas.draw.rectangle((r.x, r.y, r.right - 1, r.bottom - 1), fill=(0, 0, 0, 0))
        return canvas.sprite()


def _inset_size(region: Rect, zoom: float) -> tuple[int, int]:
    return (max(2, 2 * round(region.w * zoom / 2)), max(2, 2 * round(region.h * zoom / 2)))


def _corner(region: Rect, size: tuple[int, int], frame: tuple[int, int]) -> Point:
    """The frame corner (inset margin away from the edges) farthest from the region."""
    margin = round(min(frame) * _MARGIN)
    xs = (margin, frame[0] - size[0] - margin)
    ys = (margin, frame[1] - size[1] - margin)
    centre = (region.x + region.w / 2, region.y + region.h / 2)
    corners = [(max(0, x), max(0, y)) for y in ys for x in xs]
    x, y = max(corners, key=lambda c: math.dist((c[0] + size[0] / 2, c[1] + size[1] / 2),
                                                 centre))
    return Point(x, y)


def _link(region: Rect, inset: Rect) -> list[tuple[float, float]]:
    """The line between the nearest points of the two rectangles' edges."""
    def clamp(value: float, low: float, high: float) -> float:
        return min(max(value, low), high)
    centre = (inset.x + inset.w / 2, inset.y + inset.h / 2)
    start = (clamp(centre[0], region.x, region.right), clamp(centre[1], region.y, region.bottom))
    end = (clamp(start[0], inset.x, inset.right), clamp(start[1], inset.y, inset.bottom))
    return [start, end]
