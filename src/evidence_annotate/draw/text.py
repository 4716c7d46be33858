"""Text rendering shared by callouts, labels and the title card (one place for fonts and sizes).

Text is always drawn literally: nothing in it is interpreted as markup. Right-to-left scripts
are shaped by Pillow's raqm layout engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from ..colors import Color
from ..fonts import font_for
from ..styles import TextStyle

__all__ = ["TextBlock", "default_text_size", "layout_text", "paint_text", "wrap"]


def default_text_size(frame: tuple[int, int]) -> int:
    """4.5 % of the frame's shorter side, at least 12 px."""
    return max(12, round(min(frame) * 0.045))


@dataclass(frozen=True)
class TextBlock:
    r"""A laid-out piece of text with its background box size.

    Attributes:
        text: The text (``\n`` separates lines).
        font: The font chosen for it.
        width: Box width in pixels, padding included.
        height: Box height in pixels, padding included.
        pad: Padding in pixels.
        stroke: Outline width in pixels.
        offset: ``(dx, dy)`` from the box's corner to where Pillow must anchor the text.
    """

    text: str
    font: ImageFont.FreeTypeFont
    width: int
    height: int
    pad: int
    stroke: int
    offset: tuple[int, int]


def layout_text(text: str, style: TextStyle, frame: tuple[int, int],
                size: int | None = None) -> TextBlock:
    """Measure ``text`` in ``style`` and compute its box.

    Args:
        text: The text, drawn literally.
        style: Its style.
        frame: The displayed frame size (for the default size).
        size: Overrides the style's size.

    Returns:
        The laid-out block.
    """
    px = size or style.size or default_text_size(frame)
    font = font_for(text, px, bold=style.bold, preferred=style.font)
    stroke = style.outline_width if style.outline_width is not None else max(1, round(px * 0.08))
    if style.outline is None:
        stroke = 0
    probe = ImageDraw.Draw(_scratch())
    left, top, right, bottom = probe.multiline_textbbox((0, 0), text or " ", font=font,
                                                        stroke_width=stroke, spacing=px // 4)
    pad = round(px * style.padding)
    width = round(right - left) + 2 * pad
    height = round(bottom - top) + 2 * pad
    return TextBlock(text, font, width, height, pad, stroke,
                     (pad - round(left), pad - round(top)))


def paint_text(draw: ImageDraw.ImageDraw, block: TextBlock, style: TextStyle,
               xy: tuple[int, int], background: Color | None = None,
               color: Color | None = None) -> None:
    """Draw a laid-out block with its background box at ``xy`` (the box's top-left corner)."""
    x, y = xy
    fill = background if background is not None else (
        Color.parse(style.background) if style.background is not None else None)
    if fill is not None:
        radius = round(block.font.size * style.radius)
        draw.rounded_rectangle((x, y, x + block.width - 1, y + block.height - 1),
                               radius=radius, fill=fill.rgba)
    ink = color if color is not None else Color.parse(style.color)
    outline = Color.parse(style.outline).rgba if style.outline is not None else None
    draw.multiline_text((x + block.offset[0], y + block.offset[1]), block.text, font=block.font,
                        fill=ink.rgba, stroke_width=block.stroke, stroke_fill=outline,
                        spacing=block.font.size // 4)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap of ``text`` so each line fits ``width`` pixels (never splits words).

    Example:
        >>> from evidence_annotate.fonts import font_for
        >>> wrap("one two three", font_for("x", 20), 10_000)
        ['one two three']
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            trial = f"{current} {word}" if current else word
            if current and font.getlength(trial) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    return lines


def _scratch() -> Image.Image:
    return Image.new("RGBA", (1, 1))
