"""The title card: order number, date, title and extra fields on a full-frame image.

A card is not an overlay: it is a still segment PREPENDED to the clip, so everything after
it shifts. This module holds its data, its style and how it is drawn, and draws text
slides (a storyboard's explanation between shots) in the same look.

Example:
    >>> draw_title_card(TitleCard("8123", "2026-11-20"), (640, 360)).size
    (640, 360)
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from .colors import Color, ColorLike
from .drawing.text import wrap
from .fonts import font_for
from .validate import check_color, check_font, fraction

__all__ = ["MAX_SLIDE_TEXT", "TitleCard", "TitleCardStyle", "draw_slide", "draw_title_card"]


@dataclass(frozen=True)
class TitleCardStyle:
    """How the title card looks.

    Attributes:
        background: Card background colour.
        color: Text colour.
        accent: Colour of the accent bar and field names.
        font: Path to a font; ``None`` = the bundled DejaVu Sans.
        scale: Multiplier on the automatic text size.
    """

    background: ColorLike = "#101418"
    color: ColorLike = "white"
    accent: ColorLike = "#ffd400"
    font: str | None = None
    scale: float = 1.0

    def __post_init__(self) -> None:
        for name in ("background", "color", "accent"):
            check_color(getattr(self, name), f"TitleCardStyle.{name}")
        fraction(self.scale, "TitleCardStyle.scale", low=0.0, high=4.0, open_low=True)
        check_font(self.font, "TitleCardStyle.font")


@dataclass(frozen=True)
class TitleCard:
    """A full-frame card PREPENDED to the clip (everything after it shifts).

    Attributes:
        order: The order number.
        date: The order or delivery date as shown.
        title: A one-line summary of the problem.
        seconds: Requested length.
        fields: Extra ``(name, value)`` rows, in order.
        style: Look of the card.
        part: ``(i, n)`` when the card opens part i of n of a split export.
    """

    order: str
    date: str
    title: str | None = None
    seconds: float = 3.0
    fields: tuple[tuple[str, str], ...] = ()
    style: TitleCardStyle = field(default_factory=TitleCardStyle)
    part: tuple[int, int] | None = None

    @classmethod
    def create(cls, order: str, date: str | _dt.date, title: str | None = None,
               seconds: float = 3.0, fields: Mapping[str, str] | None = None,
               style: TitleCardStyle | None = None) -> TitleCard:
        """Validate users' values (see [evidence_annotate.Evidence.title_card][]).

        Raises:
            ValueError: A missing order or date, a bad length, fields or style.

        Example:
            >>> TitleCard.create("8123", "2026-11-20", seconds=2).rows()
            (('Order', '8123'), ('Date', '2026-11-20'))
        """
        if isinstance(order, bool) or not isinstance(order, (str, int)):
            raise ValueError(f"order={order!r} must be text such as '8123456789012' (the "
                             "marketplace's order number)")
        if not isinstance(date, (str, _dt.date)):
            raise ValueError(f"date={date!r} must be text such as '2026-11-20' or a "
                             "datetime.date")
        if not str(order).strip():
            raise ValueError(f"order must not be empty (got {order!r}); give the marketplace's "
                             "order number")
        date_text = "" if date is None else (
            date.isoformat() if isinstance(date, _dt.date) else str(date).strip())
        if not date_text:
            raise ValueError(f"date must not be empty (got {date!r}); give the order or delivery "
                             "date")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
                or not 0 < seconds <= 30:
            raise ValueError(f"seconds={seconds!r} must be > 0 and <= 30 (3 is typical)")
        if fields is not None and not isinstance(fields, Mapping):
            raise ValueError(f"fields={fields!r} must be a mapping of names to values, e.g. "
                             "{'Seller': 'Acme Store'}")
        if title is not None and not isinstance(title, str):
            raise ValueError(f"title={title!r} must be text")
        if style is not None and not isinstance(style, TitleCardStyle):
            raise ValueError(f"style={style!r} must be an ea.TitleCardStyle")
        for key, value in (fields or {}).items():
            if not isinstance(key, str) or not key.strip() \
                    or not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise ValueError(f"fields[{key!r}]={value!r}: every field needs a name (text) "
                                 "and a value (text or a number), e.g. {'Seller': 'Acme Store'}")
        rows = tuple((str(k), str(v)) for k, v in (fields or {}).items())
        return cls(str(order).strip(), date_text, title, float(seconds), rows,
                   style or TitleCardStyle())

    def rows(self) -> tuple[tuple[str, str], ...]:
        """Every ``(name, value)`` row shown, order and date first."""
        return (("Order", self.order), ("Date", self.date), *self.fields)



def draw_title_card(card: TitleCard, frame: tuple[int, int]) -> Image.Image:
    """Render the card as an RGB image of exactly ``frame`` size.

    Layout scales with the frame's shorter side, so portrait and landscape cards both fit;
    long titles wrap, and the text block is centred vertically.

    Example:
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


MAX_SLIDE_TEXT = 600
"""The most characters a text slide holds (a reviewer reads it in a few seconds)."""


def draw_slide(text: str, frame: tuple[int, int],
               style: TitleCardStyle | None = None) -> Image.Image:
    """Draw a text slide in the title card's look: wrapped, centred lines under an accent bar.

    The text size follows the frame's shorter side and shrinks until every line fits.

    Example:
        >>> draw_slide("The seller refused a refund", (640, 360)).size
        (640, 360)
    """
    style = style or TitleCardStyle()
    width, height = frame
    bg, ink, accent = (Color.parse(c) for c in (style.background, style.color, style.accent))
    image = Image.new("RGB", frame, bg.rgba[:3])
    draw = ImageDraw.Draw(image)
    unit = min(width, height) * style.scale
    margin = round(width * 0.08)
    size = max(12, round(unit * 0.085))
    while True:
        font = font_for(text, size, bold=True, preferred=style.font)
        lines = wrap(text, font, width - 2 * margin)
        step = round(size * 1.25)
        if len(lines) * step <= height - 2 * margin or size <= 12:
            break
        size = max(12, round(size * 0.85))
    bar = max(3, round(unit * 0.012))
    y = max(margin // 2, (height - len(lines) * step) // 2)
    draw.rectangle((width // 2 - round(unit * 0.06), y - 3 * bar,
                    width // 2 + round(unit * 0.06), y - 2 * bar), fill=accent.rgba[:3])
    for line in lines:
        line_width = draw.textlength(line, font=font)
        draw.text(((width - line_width) / 2, y), line, font=font, fill=ink.rgba[:3])
        y += step
    return image
