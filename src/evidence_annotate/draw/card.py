"""The title card: order number, date, title and extra fields on a full-frame image."""

from __future__ import annotations

from PIL import Image, ImageDraw

from ..colors import Color
from ..fonts import font_for
from ..layers import TitleCard
from .text import wrap

__all__ = ["draw_title_card"]


def draw_title_card(card: TitleCard, frame: tuple[int, int]) -> Image.Image:
    """Render the card as an RGB image of exactly ``frame`` size.

    Layout scales with the frame's shorter side, so portrait and landscape cards both fit;
    long titles wrap, and the text block is centred vertically.

    Example:
        >>> from evidence_annotate.layers import TitleCard
        >>> draw_title_card(TitleCard("8123", "2026-11-20"), (640, 360)).size
        (640, 360)
    """
    width, height = frame
    style = card.style
    bg, ink, accent = (Color.parse(c) for c in (style.background, style.color, style.accent))
    image = Image.new("RGB", frame, bg.rgba[:3])
    draw = ImageDraw.Draw(image)
    unit = min(width, height) * style.scale
    margin = round(width * 0.08)
    text_width = width - 2 * margin
    rows = list(card.rows())
    if card.part is not None:
        rows.append(("Part", f"{card.part[0]} of {card.part[1]}"))
    heading = "DISPUTE EVIDENCE"
    heading_font = font_for(heading, max(10, round(unit * 0.045)), bold=True)
    title_font = font_for(card.title or "", max(12, round(unit * 0.085)), bold=True,
                          preferred=style.font)
    title_lines = wrap(card.title, title_font, text_width) if card.title else []
    label_size = max(10, round(unit * 0.05))
    value_size = max(12, round(unit * 0.07))
    row_gap = round(value_size * 0.45)
    blocks_height = (heading_font.size * 2
                     + len(title_lines) * round(title_font.size * 1.2)
                     + (round(title_font.size * 0.6) if title_lines else 0)
                     + len(rows) * (label_size + value_size + row_gap))
    y = max(margin // 2, (height - blocks_height) // 2)
    draw.rectangle((margin, y, margin + round(unit * 0.12), y + max(3, round(unit * 0.012))),
                   fill=accent.rgba[:3])
    y += heading_font.size
    draw.text((margin, y), heading, font=heading_font, fill=accent.rgba[:3])
    y += heading_font.size
    for line in title_lines:
        draw.text((margin, y), line, font=title_font, fill=ink.rgba[:3])
        y += round(title_font.size * 1.2)
    if title_lines:
        y += round(title_font.size * 0.6)
    for name, value in rows:
        label_font = font_for(name, label_size, preferred=style.font)
        draw.text((margin, y), name.upper(), font=label_font, fill=accent.rgba[:3])
        y += label_size + round(label_size * 0.2)
        value_font = font_for(value, value_size, bold=True, preferred=style.font)
        for line in wrap(value, value_font, text_width)[:2]:
            draw.text((margin, y), line, font=value_font, fill=ink.rgba[:3])
            y += value_size
        y += row_gap
    return image
