"""Captions drawn with Pillow for previews (exports burn them with libass instead).

The preview follows the caption style (size, colours, box, margins) and the placement of each
cue (bottom, or top when annotations are in the way) closely enough to judge placement and
timing; libass in the export is the reference for exact glyph layout. Previews draw the plain
text: italic, bold, underline and colours read from subtitle files show only in exports.
"""

from __future__ import annotations

from collections.abc import Sequence

import pysubs2
from PIL import Image

from ..drawing.sprite import Canvas, Sprite
from ..drawing.text import TextStyle, layout_text, paint_text
from .style import CaptionStyle

__all__ = ["caption_sprite", "draw_caption_lines"]


def caption_sprite(lines: Sequence[str], frame: tuple[int, int],
                   style: CaptionStyle | None = None, *, top: bool | None = None) -> Sprite:
    """Caption lines as a transparent sprite, centred on a frame of size ``frame``.

    Args:
        lines: The plain lines (formatting is not drawn in previews).
        frame: The frame size.
        style: The caption look.
        top: Put the lines at the top (``None`` = where the style's alignment says).

    Example:
        >>> caption_sprite(["Cracked lid"], (320, 180)).y > 90
        True
        >>> caption_sprite(["Cracked lid"], (320, 180), top=True).y < 20
        True
    """
    style = style or CaptionStyle()
    canvas = Canvas(frame)
    if not lines:
        return canvas.sprite()
    width, height = frame
    size = max(8, round(style.fontsize(width, height)))
    text_style = TextStyle(size=size, color=style.color,
                           background=style.box_color if style.box else None,
                           outline=None if style.box else style.outline_color,
                           outline_width=None if style.box else round(style.outline_width * size),
                           padding=style.box_padding, radius=0.0, bold=style.bold)
    blocks = [layout_text(line, text_style, frame) for line in lines]
    if top is None:
        top = style.alignment in (pysubs2.Alignment.TOP_LEFT, pysubs2.Alignment.TOP_CENTER,
                                  pysubs2.Alignment.TOP_RIGHT)
    y = round(style.margin_v * height) if top else \
        height - round(style.margin_v * height) - sum(b.height for b in blocks)
    for block in blocks:
        paint_text(canvas.draw, block, text_style, ((width - block.width) // 2, y))
        y += block.height
    return canvas.sprite()


def draw_caption_lines(image: Image.Image, lines: Sequence[str],
                       style: CaptionStyle | None = None, *,
                       top: bool | None = None) -> Image.Image:
    """Draw caption lines centred at the bottom (or ``top``) of a copy of ``image``.

    Example:
        >>> from PIL import Image
        >>> out = draw_caption_lines(Image.new("RGB", (320, 180)), ["Cracked lid"])
        >>> out.getbbox() is not None
        True
    """
    out = image.convert("RGB")
    if lines:
        sprite = caption_sprite(lines, out.size, style, top=top)
        out.paste(sprite.image, (sprite.x, sprite.y), sprite.image)
    return out
