"""Captions drawn with Pillow for previews (exports burn them with libass instead).

The preview follows the caption style (size, colours, box, bottom margin) closely enough to
judge placement and timing; libass in the export is the reference for exact glyph layout.
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageDraw

from ..captions.style import CaptionStyle
from ..styles import TextStyle
from .text import layout_text, paint_text

__all__ = ["draw_caption_lines"]


def draw_caption_lines(image: Image.Image, lines: Sequence[str],
                       style: CaptionStyle | None = None) -> Image.Image:
    """Draw caption lines bottom-centred on a copy of ``image``.

    Example:
        >>> from PIL import Image
        >>> out = draw_caption_lines(Image.new("RGB", (320, 180)), ["Cracked lid"])
        >>> out.getbbox() is not None
        True
    """
    style = style or CaptionStyle()
    out = image.convert("RGB")
    if not lines:
        return out
    width, height = out.size
    size = max(8, round(style.fontsize(width, height)))
    text_style = TextStyle(size=size, color=style.color,
                           background=style.box_color if style.box else None,
                           outline=None if style.box else style.outline_color,
                           outline_width=None if style.box else round(style.outline_width * size),
                           padding=style.box_padding, radius=0.0, bold=style.bold)
    blocks = [layout_text(line, text_style, out.size) for line in lines]
    draw = ImageDraw.Draw(out, "RGBA")
    y = height - round(style.margin_v * height) - sum(b.height for b in blocks)
    for block in blocks:
        paint_text(draw, block, text_style, ((width - block.width) // 2, y))
        y += block.height
    return out
