"""``blur``: a privacy region whose detail is destroyed (pixelate, gaussian or a solid fill).

Blur changes footage pixels, so it contributes its own filter chain to the ffmpeg graph and
the same operation on PIL images; it runs before every drawn kind, so an annotation over a
blurred region stays crisp and nothing private shows through a later stage.

Example:
    >>> from PIL import Image
    >>> from evidence_annotate.overlays.base import Context
    >>> blur = Blur.create(Context((64, 64), 5.0), (8, 8, 32, 32), method="fill")
    >>> blur.apply(Image.new("RGB", (64, 64), "white"), 0.0).getpixel((20, 20))
    (24, 24, 24)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from PIL import Image, ImageFilter

from ..colors import Color
from ..filtergraph import FilterGraph, enable_expr, num
from ..geometry import Rect, RectLike, snap_rect
from ..timing import Span, TimeLike
from .base import PRIVACY, Context, Overlay

__all__ = ["BLUR_FILL", "Blur", "BlurMethod"]

BlurMethod = Literal["gaussian", "pixelate", "fill"]
BLUR_FILL = Color(24, 24, 24)
"""Colour of ``method="fill"`` privacy regions."""


@dataclass(frozen=True)
class Blur(Overlay):
    """A privacy region: detail inside ``rect`` is destroyed while the span is active.

    Attributes:
        rect: The region.
        span: When it applies.
        method: ``"pixelate"`` (coarse blocks), ``"gaussian"`` (coarse blocks smoothed, so no
            detail survives) or ``"fill"`` (solid colour).
        blocks: Number of blocks across the region's shorter side (fewer = stronger).
    """

    kind = "blur"
    order = PRIVACY
    still = False

    rect: Rect
    span: Span = Span()
    method: BlurMethod = "gaussian"
    blocks: int = 8

    @classmethod
    def create(cls, ctx: Context, rect: RectLike, start: TimeLike | None = None,
               end: TimeLike | None = None, *, method: BlurMethod = "gaussian",
               blocks: int = 8) -> Blur:
        """Hide personal data (address labels, faces, screens) inside a rectangle.

        The region is reduced to ``blocks`` blocks across its shorter side before it is
        enlarged again, so detail is gone whatever the region's size; blurs apply to the
        footage beneath every drawn layer.

        Args:
            ctx: The frame and clip the region is on.
            rect: ``(x, y, w, h)`` in displayed pixels, or ``ea.rel(x, y, w, h)``.
            start: When it starts; ``None`` = from the start (whole clip when both are None).
            end: When it ends; ``None`` = until the end.
            method: ``"gaussian"``, ``"pixelate"`` or ``"fill"`` (solid dark box).
            blocks: Blocks across the shorter side (2..64; fewer = stronger).

        Returns:
            The blur region.

        Raises:
            ValueError: Unknown method, rectangle outside the frame, bad times.
        """
        methods = get_args(BlurMethod)
        if method not in methods:
            raise ValueError(f"method={method!r} is not a blur method; use one of "
                             f"{', '.join(methods)}")
        if isinstance(blocks, bool) or not isinstance(blocks, int) or not 2 <= blocks <= 64:
            raise ValueError(f"blocks={blocks!r} must be an integer 2..64 (8 is the default)")
        return cls(ctx.rect(rect), ctx.span(start, end), method, blocks)

    def block_size(self) -> int:
        """Edge of one block in pixels: sized to the region, at least 2."""
        return max(2, min(self.rect.w, self.rect.h) // max(1, self.blocks))

    def region(self) -> Rect:
        """The rectangle actually processed: ``rect`` on the 4:2:0 grid (never smaller)."""
        return snap_rect(self.rect)

    def chain(self, graph: FilterGraph, pad: str, frame: tuple[int, int]) -> str:
        """Crop the stage's footage, reduce to blocks, enlarge (and smooth), overlay it."""
        r = self.region()
        out = graph.label("v")
        enable = enable_expr(self.span)
        if self.method == "fill":
            graph.add([pad], f"drawbox=x={r.x}:y={r.y}:w={r.w}:h={r.h}:"
                      f"color=0x{BLUR_FILL.hex[1:7]}@1:t=fill{enable}", [out])
            return out
        block = self.block_size()
        small_w, small_h = max(1, r.w // block), max(1, r.h // block)
        region, blurred = graph.tap(), graph.label("b")
        up = "neighbor" if self.method == "pixelate" else "bilinear"
        # The smoothing is most of a region's cost: it runs only while the region shows, on
        # one thread (waking threads for a small region costs more than it saves).
        smooth = "" if self.method == "pixelate" else \
            f",gblur=sigma={num(block / 2)}:threads=1{enable}"
        graph.add([region], f"crop=w={r.w}:h={r.h}:x={r.x}:y={r.y}:exact=1,"
                  f"scale={small_w}:{small_h}:flags=area,scale={r.w}:{r.h}:flags={up}{smooth}",
                  [blurred])
        graph.add([pad, blurred], f"overlay=x={r.x}:y={r.y}{enable}", [out])
        return out

    def switch_key(self) -> Hashable | None:
        """Regions of one size and method share a chain (a solid fill draws its own box)."""
        if self.method == "fill":
            return None
        r = self.region()
        return (r.w, r.h, self.method, self.blocks)

    @classmethod
    def chain_switched(cls, graph: FilterGraph, pad: str, overlays: Sequence[Overlay],
                       place: Callable[[Sequence[str]], str]) -> str:
        """One crop, reduction, enlargement and overlay, moved from region to region."""
        regions = [overlay for overlay in overlays if isinstance(overlay, Blur)]
        first = regions[0]
        r, block = first.region(), first.block_size()
        x = place([str(o.region().x) for o in regions])
        y = place([str(o.region().y) for o in regions])
        enable = f":enable='{place([])}'"
        small_w, small_h = max(1, r.w // block), max(1, r.h // block)
        region, blurred, out = graph.tap(), graph.label("b"), graph.label("v")
        up = "neighbor" if first.method == "pixelate" else "bilinear"
        smooth = "" if first.method == "pixelate" else \
            f",gblur=sigma={num(block / 2)}:threads=1{enable}"
        graph.add([region], f"crop=w={r.w}:h={r.h}:x='{x}':y='{y}':exact=1,"
                  f"scale={small_w}:{small_h}:flags=area,scale={r.w}:{r.h}:flags={up}{smooth}",
                  [blurred])
        graph.add([pad, blurred], f"overlay=x='{x}':y='{y}'{enable}", [out])
        return out

    def apply(self, image: Image.Image, t: float,
              footage: Image.Image | None = None) -> Image.Image:
        """The same on a PIL image: blocks sized to the region, hard edges or smoothed."""
        out = image.copy()
        source = footage if footage is not None else image
        r = self.region()
        if self.method == "fill":
            out.paste(BLUR_FILL.rgba[:3], (r.x, r.y, r.right, r.bottom))
            return out
        region = source.crop((r.x, r.y, r.right, r.bottom))
        block = self.block_size()
        small = region.resize((max(1, r.w // block), max(1, r.h // block)),
                              Image.Resampling.BOX)
        if self.method == "pixelate":
            region = small.resize((r.w, r.h), Image.Resampling.NEAREST)
        else:
            region = small.resize((r.w, r.h), Image.Resampling.BILINEAR)
            region = region.filter(ImageFilter.GaussianBlur(radius=block / 2))
        out.paste(region, (r.x, r.y))
        return out

    def describe(self) -> str:
        """``(x, y) wxh method``."""
        r = self.rect
        return f"({r.x}, {r.y}) {r.w}x{r.h} {self.method}"
