"""Pillow rasterization of the plan's layers, shared by every renderer.

Each drawable layer kind has one function in a plain registry dict; blur is a pixel operation
here (for previews) and a filter chain in the ffmpeg renderer.

Example:
    >>> from evidence_annotate.draw import draw_layer
    >>> from evidence_annotate.layers import Box
    >>> from evidence_annotate.units import Rect
    >>> sprite = draw_layer(Box(Rect(100, 100, 50, 40)), (640, 360))
    >>> sprite.x < 100 and sprite.image.mode == "RGBA"
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PIL import Image, ImageFilter

from ..colors import Color
from ..layers import Arrow, Blur, Box, Drawable, Layer, Text
from .card import draw_title_card
from .shapes import draw_arrow, draw_box, draw_text
from .sprite import Canvas, Sprite

__all__ = ["BLUR_FILL", "Canvas", "Sprite", "apply_blur", "compose", "draw_layer",
           "draw_title_card"]

BLUR_FILL = Color(24, 24, 24)
"""Colour of ``method="fill"`` privacy regions."""

_DRAWERS: dict[type[Any], Callable[[Any, tuple[int, int]], Sprite]] = {
    Box: draw_box,
    Arrow: draw_arrow,
    Text: draw_text,
}


def draw_layer(layer: Drawable, frame: tuple[int, int]) -> Sprite:
    """Rasterize one drawable layer for a frame of displayed size ``frame``."""
    return _DRAWERS[type(layer)](layer, frame)


def apply_blur(image: Image.Image, blur: Blur) -> Image.Image:
    """Destroy detail inside ``blur.rect`` of an RGB image (returns a new image).

    The region is reduced to blocks sized to the region (so even tiny regions lose detail),
    then enlarged with hard edges (pixelate) or smoothed (gaussian), or filled.
    """
    out = image.copy()
    r = blur.region()
    if blur.method == "fill":
        out.paste(BLUR_FILL.rgba[:3], (r.x, r.y, r.right, r.bottom))
        return out
    region = out.crop((r.x, r.y, r.right, r.bottom))
    block = blur.block_size()
    small = region.resize((max(1, r.w // block), max(1, r.h // block)), Image.Resampling.BOX)
    if blur.method == "pixelate":
        region = small.resize((r.w, r.h), Image.Resampling.NEAREST)
    else:
        region = small.resize((r.w, r.h), Image.Resampling.BILINEAR)
        region = region.filter(ImageFilter.GaussianBlur(radius=block / 2))
    out.paste(region, (r.x, r.y))
    return out


def compose(frame: Image.Image, layers: Iterable[Layer], t: float,
            sprites: dict[int, Sprite] | None = None) -> Image.Image:
    """Draw the layers active at source time ``t`` onto a frame.

    Blurs apply to the footage first; boxes, arrows and texts are then drawn on top in plan
    order, so an annotation over a blurred region stays crisp.

    Args:
        frame: The displayed source frame (RGB).
        layers: The plan's layers, bottom first.
        t: Source time in seconds.
        sprites: Optional cache of rasterized sprites keyed by ``id(layer)``.

    Returns:
        A new RGB image.
    """
    out = frame.convert("RGB")
    active = [layer for layer in layers if layer.span.active(t)]
    for layer in active:  # privacy first: blur the footage beneath every drawn layer
        if isinstance(layer, Blur):
            out = apply_blur(out, layer)
    for layer in active:
        if isinstance(layer, Blur):
            continue
        sprite = sprites.get(id(layer)) if sprites is not None else None
        if sprite is None:
            sprite = draw_layer(layer, out.size)
        out.paste(sprite.image, (sprite.x, sprite.y), sprite.image)
    return out
