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
from ..tracks import Track
from .base import PRIVACY, Context, Overlay
from .blur_track import region_at, tracked_blur_apply, tracked_blur_chain
from .gate import PASS, gate
from .moving import moving_bounds, region, tracked_span

__all__ = ["BLUR_FILL", "Blur", "BlurMethod"]

BlurMethod = Literal["gaussian", "pixelate", "fill"]
BLUR_FILL = Color(24, 24, 24)
"""Colour of ``method="fill"`` privacy regions."""


def _smooth(block: int) -> str:
    """The ``gblur`` that smooths enlarged blocks of ``block`` pixels (colour planes only)."""
    return f"gblur=sigma={num(block / 2)}:planes=7:threads=1"


@dataclass(frozen=True)
class Blur(Overlay):
    """A privacy region: detail inside ``rect`` is destroyed while the span is active.

    Attributes:
        rect: The region.
        span: When it applies.
        method: ``"pixelate"`` (coarse blocks), ``"gaussian"`` (coarse blocks smoothed, so no
            detail survives) or ``"fill"`` (solid colour).
        blocks: Number of blocks across the region's shorter side (fewer = stronger).
        track: The region's keyframes when it moves (``rect`` is then the first one).
        reason: What it hides when found automatically (``"face"``, ``"text"``), else ``None``.
        automatic: Whether a detector placed it (``ev.redact``) rather than the user.
    """

    kind = "blur"
    order = PRIVACY
    still = False

    rect: Rect
    span: Span = Span()
    method: BlurMethod = "gaussian"
    blocks: int = 8
    track: Track | None = None
    reason: str | None = None
    automatic: bool = False

    @classmethod
    def create(cls, ctx: Context, rect: RectLike | Track, start: TimeLike | None = None,
               end: TimeLike | None = None, *, method: BlurMethod = "gaussian",
               blocks: int = 8, reason: str | None = None, automatic: bool = False) -> Blur:
        """Hide personal data (address labels, faces, screens) inside a rectangle.

        The region is reduced to ``blocks`` blocks across its shorter side before it is
        enlarged again, so detail is gone whatever the region's size; blurs apply to the
        footage beneath every drawn layer.

        Args:
            ctx: The frame and clip the region is on.
            rect: ``(x, y, w, h)`` in displayed pixels, ``ea.rel(x, y, w, h)``, or a
                [Track][evidence_annotate.tracks.Track] (``ea.track``, ``ev.follow``): the
                region moves, and the window defaults to the track's keyframes.
            start: When it starts; ``None`` = from the start (whole clip when both are None).
            end: When it ends; ``None`` = until the end.
            method: ``"gaussian"``, ``"pixelate"`` or ``"fill"`` (solid dark box).
            blocks: Blocks across the shorter side (2..64; fewer = stronger).
            reason: What it hides, in a word (``"face"``, ``"text"``, ``"screen"``), recorded
                in the manifest and report (never the content itself).
            automatic: Whether a detector found the region (``ev.redact`` sets it).

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
        if reason is not None and (not isinstance(reason, str) or not 0 < len(reason) <= 40
                                   or not reason.isprintable()):
            raise ValueError(f"reason={reason!r} must be a word or two (1..40 printable "
                             "characters), e.g. 'face'")
        if not isinstance(automatic, bool):
            raise ValueError(f"automatic={automatic!r} must be True or False")
        fixed, path = region(ctx, rect)
        return cls(fixed, tracked_span(ctx, path, start, end), method, blocks, path, reason,
                   automatic)

    def block_size(self) -> int:
        """Edge of one block in pixels: sized to the region, at least 2."""
        return max(2, min(self.rect.w, self.rect.h) // max(1, self.blocks))

    def region(self) -> Rect:
        """The rectangle actually processed: ``rect`` on the 4:2:0 grid (never smaller)."""
        return snap_rect(self.rect)

    def chain(self, graph: FilterGraph, pad: str, frame: tuple[int, int]) -> str:
        """Crop the stage's footage, reduce to blocks, enlarge (and smooth), overlay it."""
        if self.track is not None:
            fill = f"0x{BLUR_FILL.hex[1:7]}" if self.method == "fill" else None
            return tracked_blur_chain(graph, pad, self.track, self.span, frame, self._filters,
                                      fill)
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
        # one thread (waking threads for a small region costs more than it saves), and on
        # the colour planes only (``overlay`` takes its picture with an alpha plane, opaque
        # everywhere: smoothing it changed nothing and cost as much as the rest).
        smooth = "" if self.method == "pixelate" else \
            f",{_smooth(block)}{enable}"
        graph.add([region], f"{gate([self.span])}crop=w={r.w}:h={r.h}:x={r.x}:y={r.y}:exact=1,"
                  f"scale={small_w}:{small_h}:flags=area,scale={r.w}:{r.h}:flags={up}{smooth}",
                  [blurred])
        graph.add([pad, blurred], f"overlay=x={r.x}:y={r.y}:{PASS}{enable}", [out])
        return out

    def switch_key(self) -> Hashable | None:
        """Regions of one size and method share a chain (a solid fill draws its own box).

        A region that moves has its own chain of pieces (``None``: never shared).
        """
        if self.method == "fill" or self.track is not None:
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
            f",{_smooth(block)}{enable}"
        graph.add([region], f"{gate([o.span for o in regions])}"
                  f"crop=w={r.w}:h={r.h}:x='{x}':y='{y}':exact=1,"
                  f"scale={small_w}:{small_h}:flags=area,scale={r.w}:{r.h}:flags={up}{smooth}",
                  [blurred])
        graph.add([pad, blurred], f"overlay=x='{x}':y='{y}':{PASS}{enable}", [out])
        return out

    def apply(self, image: Image.Image, t: float,
              footage: Image.Image | None = None) -> Image.Image:
        """The same on a PIL image: blocks sized to the region, hard edges or smoothed."""
        source = footage if footage is not None else image
        if self.track is not None:
            return tracked_blur_apply(image, source, t, self.track, self._destroy)
        out = image.copy()
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

    def _filters(self, w: int, h: int) -> str:
        """The filters that destroy detail in a ``w`` x ``h`` region (tracked pieces)."""
        block = max(2, min(w, h) // max(1, self.blocks))
        up = "neighbor" if self.method == "pixelate" else "bilinear"
        smooth = "" if self.method == "pixelate" else f",{_smooth(block)}"
        return (f"scale={max(1, w // block)}:{max(1, h // block)}:flags=area,"
                f"scale={w}:{h}:flags={up}{smooth}")

    def _destroy(self, region: Image.Image) -> Image.Image:
        """The same on a PIL region (tracked pieces)."""
        if self.method == "fill":
            return Image.new("RGB", region.size, BLUR_FILL.rgba[:3])
        w, h = region.size
        block = max(2, min(w, h) // max(1, self.blocks))
        small = region.resize((max(1, w // block), max(1, h // block)), Image.Resampling.BOX)
        if self.method == "pixelate":
            return small.resize((w, h), Image.Resampling.NEAREST)
        return small.resize((w, h), Image.Resampling.BILINEAR).filter(
            ImageFilter.GaussianBlur(radius=block / 2))

    def at(self, t: float, frame: tuple[int, int]) -> Rect:
        """The rectangle processed at source time ``t`` (moving with a track)."""
        return self.region() if self.track is None else region_at(self.track, t, frame)

    def covered(self, frame: tuple[int, int]) -> Rect:
        """Everywhere the region goes (the whole rectangle for a fixed one)."""
        if self.track is None:
            return self.region()
        return moving_bounds(self.track, [], frame)

    def describe(self) -> str:
        """``(x, y) wxh method`` (a track instead of a moving region's corner), and why."""
        r = self.rect
        where = self.track.describe() if self.track is not None else f"({r.x}, {r.y}) {r.w}x{r.h}"
        why = f" (automatic: {self.reason})" if self.automatic else ""
        return f"{where} {self.method}{why}"
