"""Boxes, arrows and callouts rasterized with Pillow, each into a cropped :class:`Sprite`.

Every shape carries a thin contrasting outline so it stays visible on bright and dark footage.
A box's line is drawn just OUTSIDE its rectangle, so the highlighted region itself is never
covered.
"""

from __future__ import annotations

import math
from dataclasses import replace

from ..colors import Color
from ..layers import Arrow, Box, Text
from ..styles import TextStyle
from .sprite import Canvas, Sprite
from .text import layout_text, paint_text

__all__ = ["arrow_sizes", "box_thickness", "draw_arrow", "draw_box", "draw_text"]


def box_thickness(box: Box, frame: tuple[int, int]) -> int:
    """The line width of a box: its style's, or 0.6 % of the frame's shorter side (min 3)."""
    return box.style.thickness or max(3, round(min(frame) * 0.006))


def arrow_sizes(arrow: Arrow, frame: tuple[int, int]) -> tuple[int, int, int]:
    """``(shaft width, head length, outline width)`` of an arrow on a frame of this size."""
    length = math.dist(arrow.tail, arrow.head)
    shaft = arrow.style.thickness or max(4, round(min(frame) * 0.01))
    head = arrow.style.head or round(shaft * 4.5)
    head = max(2, min(head, round(length * 0.4))) if length > 0 else head
    outline = arrow.style.outline_width or max(2, round(shaft / 3))
    return shaft, head, outline


def _tag(canvas: Canvas, text: str, style: TextStyle, anchor: tuple[int, int],
         fill: Color, above: bool) -> None:
    """A label tag whose bottom-left (above) or top-left (below) corner is at ``anchor``."""
    width, height = canvas.frame
    style = replace(style, outline=None)  # solid tag: no outline needed
    block = layout_text(text, style, canvas.frame)
    x = min(max(0, anchor[0]), max(0, width - block.width))
    y = anchor[1] - block.height if above else anchor[1]
    y = min(max(0, y), max(0, height - block.height))
    paint_text(canvas.draw, block, style, (x, y), background=fill, color=fill.contrasting())


def draw_box(box: Box, frame: tuple[int, int]) -> Sprite:
    """Rasterize a highlight box (line outside the rectangle, optional label tag)."""
    canvas = Canvas(frame)
    t = box_thickness(box, frame)
    x0, y0, x1, y1 = box.rect.x, box.rect.y, box.rect.right - 1, box.rect.bottom - 1
    color = Color.parse(box.style.color)
    if box.style.fill is not None:
        canvas.draw.rounded_rectangle((x0, y0, x1, y1), radius=box.style.radius,
                                      fill=Color.parse(box.style.fill).rgba)
    edge = max(1, t // 3)
    if box.style.outline is not None:
        o = t + edge
        canvas.draw.rounded_rectangle((x0 - o, y0 - o, x1 + o, y1 + o),
                                      radius=box.style.radius + o if box.style.radius else 0,
                                      outline=Color.parse(box.style.outline).rgba,
                                      width=t + 2 * edge)
    canvas.draw.rounded_rectangle((x0 - t, y0 - t, x1 + t, y1 + t),
                                  radius=box.style.radius + t if box.style.radius else 0,
                                  outline=color.rgba, width=t)
    if box.label:
        above = box.rect.y - t >= layout_text(box.label, box.style.label, frame).height
        anchor = (x0 - t, y0 - t) if above else (x0, y0)
        _tag(canvas, box.label, box.style.label, anchor, color, above)
    return canvas.sprite()


def _arrow_polygon(arrow: Arrow, shaft: float, head: float) -> list[tuple[float, float]]:
    (tx, ty), (hx, hy) = arrow.tail, arrow.head
    length = math.hypot(hx - tx, hy - ty) or 1.0
    ux, uy = (hx - tx) / length, (hy - ty) / length
    nx, ny = -uy, ux
    bx, by = hx - ux * head, hy - uy * head
    half, wing = shaft / 2, max(shaft * 1.6, head * 0.55)
    return [
        (tx + nx * half, ty + ny * half),
        (bx + nx * half, by + ny * half),
        (bx + nx * wing, by + ny * wing),
        (hx, hy),
        (bx - nx * wing, by - ny * wing),
        (bx - nx * half, by - ny * half),
        (tx - nx * half, ty - ny * half),
    ]


def draw_arrow(arrow: Arrow, frame: tuple[int, int]) -> Sprite:
    """Rasterize an arrow: shaft, a head sized to the frame, and a contrasting outline."""
    canvas = Canvas(frame)
    shaft, head, outline = arrow_sizes(arrow, frame)
    polygon = _arrow_polygon(arrow, shaft, head)
    if arrow.style.outline is not None:
        ink = Color.parse(arrow.style.outline).rgba
        canvas.draw.line([*polygon, polygon[0]], fill=ink, width=2 * outline, joint="curve")
        canvas.draw.polygon(polygon, fill=ink)
    canvas.draw.polygon(polygon, fill=Color.parse(arrow.style.color).rgba)
    if arrow.label:
        block = layout_text(arrow.label, arrow.style.label, frame)
        tx, ty = arrow.tail
        dx, dy = arrow.head[0] - tx, arrow.head[1] - ty
        x = tx - block.width if dx > 0 else tx
        above = dy > 0
        _tag(canvas, arrow.label, arrow.style.label, (round(x), round(ty)),
             Color.parse(arrow.style.color), above)
    return canvas.sprite()


def draw_text(text: Text, frame: tuple[int, int]) -> Sprite:
    """Rasterize a callout: literal text on a readable rounded background, kept inside the frame."""
    canvas = Canvas(frame)
    block = layout_text(text.text, text.style, frame)
    x = min(text.at.x, max(0, frame[0] - block.width))
    y = min(text.at.y, max(0, frame[1] - block.height))
    paint_text(canvas.draw, block, text.style, (x, y))
    return canvas.sprite()
