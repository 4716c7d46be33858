"""Text shared by callouts, labels, captions previews and cards: its style, layout and paint.

Text is always drawn literally: nothing in it is interpreted as markup. Right-to-left scripts
are shaped by Pillow's raqm layout engine.

Example:
    >>> import evidence_annotate as ea
    >>> loud = ea.TextStyle(color="black", background="#ffd400", size=48)
    >>> layout_text("Crack", loud, (640, 360)).height > 48
    True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from PIL import ImageDraw, ImageFont

from ..colors import Color, ColorLike
from ..fonts import font_for
from ..validate import check_color, check_font, fraction, positive_int
from .record import text_box

__all__ = ["TextBlock", "TextStyle", "color_of", "default_text_size", "draw_tag",
           "layout_text", "paint_text", "wrap"]

MAX_TEXT_SIZE = 1000
"""The largest font size in pixels a style accepts."""


@dataclass(frozen=True)
class TextStyle:
    """How a callout, label or title text looks.

    Attributes:
        size: Font size in pixels; ``None`` = 4.5 % of the frame's shorter side.
        color: Text colour.
        background: Colour of the box behind the text (``None`` = no box, outline only).
        outline: Colour of the text outline (keeps it readable without a box).
        outline_width: Outline width in pixels; ``None`` = 8 % of the font size.
        padding: Space between text and box edge, as a fraction of the font size (0..2).
        radius: Corner radius of the box, as a fraction of the font size (0..2).
        bold: Use the bold face.
        font: Path to a TrueType/OpenType font; ``None`` = the bundled DejaVu Sans.

    Example:
        >>> TextStyle(size=48).size
        48
        >>> TextStyle(padding=float("nan"))
        Traceback (most recent call last):
        ...
        ValueError: TextStyle.padding=nan must be a number in [0, 2]
    """

    size: int | None = None
    color: ColorLike = "white"
    background: ColorLike | None = "#000000c0"
    outline: ColorLike | None = "black"
    outline_width: int | None = None
    padding: float = 0.35
    radius: float = 0.25
    bold: bool = True
    font: str | None = None

    def __post_init__(self) -> None:
        if self.size is not None:
            positive_int(self.size, "TextStyle.size", maximum=MAX_TEXT_SIZE)
        if self.outline_width is not None:
            positive_int(self.outline_width, "TextStyle.outline_width", minimum=0,
                         maximum=MAX_TEXT_SIZE)
        for name in ("color", "background", "outline"):
            check_color(getattr(self, name), f"TextStyle.{name}")
        fraction(self.padding, "TextStyle.padding", high=2.0)
        fraction(self.radius, "TextStyle.radius", high=2.0)
        if not isinstance(self.bold, bool):
            raise ValueError(f"TextStyle.bold={self.bold!r} must be True or False")
        check_font(self.font, "TextStyle.font")


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
    """Measure ``text`` in ``style`` and compute its box (remembered: labels repeat).

    Args:
        text: The text, drawn literally.
        style: Its style.
        frame: The displayed frame size (for the default size).
        size: Overrides the style's size.

    Returns:
        The laid-out block.
    """
    px = size or style.size or default_text_size(frame)
    try:
        hash(style)
    except TypeError:  # a colour given as a list
        return _layout.__wrapped__(text, style, px)
    return _layout(text, style, px)


@functools.lru_cache(maxsize=1024)
def _layout(text: str, style: TextStyle, px: int) -> TextBlock:
    font = font_for(text, px, bold=style.bold, preferred=style.font)
    stroke = style.outline_width if style.outline_width is not None else max(1, round(px * 0.08))
    if style.outline is None:
        stroke = 0
    # measured with the options paint_text() draws with: the canvas finds it remembered
    left, top, right, bottom = text_box(text or " ", {"font": font, "stroke_width": stroke,
                                                      "spacing": px // 4})
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
        color_of(style.background) if style.background is not None else None)
    if fill is not None:
        radius = round(block.font.size * style.radius)
        draw.rounded_rectangle((x, y, x + block.width - 1, y + block.height - 1),
                               radius=radius, fill=fill.rgba)
    ink = color if color is not None else color_of(style.color)
    outline = color_of(style.outline).rgba if style.outline is not None else None
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


def draw_tag(draw: ImageDraw.ImageDraw, frame: tuple[int, int], text: str, style: TextStyle,
             anchor: tuple[int, int], fill: Color, above: bool) -> None:
    """A solid label tag whose bottom-left (``above``) or top-left corner is at ``anchor``.

    The tag is kept inside the frame, filled with ``fill`` and written in its contrasting
    colour (labels of boxes and arrows).
    """
    width, height = frame
    style = _solid(style)
    block = layout_text(text, style, frame)
    x = min(max(0, anchor[0]), max(0, width - block.width))
    y = anchor[1] - block.height if above else anchor[1]
    y = min(max(0, y), max(0, height - block.height))
    paint_text(draw, block, style, (x, y), background=fill, color=fill.contrasting())


def _solid(style: TextStyle) -> TextStyle:
    """The style without its outline (a solid tag needs none); remembered, styles repeat."""
    try:
        return _solid_cached(style)
    except TypeError:  # a colour given as a list
        return replace(style, outline=None)


@functools.lru_cache(maxsize=256)
def _solid_cached(style: TextStyle) -> TextStyle:
    return replace(style, outline=None)


def color_of(value: ColorLike) -> Color:
    """``Color.parse``, remembered: kinds draw the same few colours again and again.

    Example:
        >>> color_of("red").rgba
        (255, 0, 0, 255)
    """
    try:
        return _color(value)
    except TypeError:  # unhashable: a list
        return Color.parse(value)


@functools.lru_cache(maxsize=256)
def _color(value: ColorLike) -> Color:
    return Color.parse(value)
