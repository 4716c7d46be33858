"""Drawing calls recorded, then replayed on a picture no larger than what they cover.

A [Canvas][evidence_annotate.drawing.sprite.Canvas] hands out a [Recorder][]: an
``ImageDraw`` that draws nothing but remembers each call. [bounds][] estimates, from the
calls' coordinates (and the text's measured box), which part of the frame they may touch;
[replay][] then draws them on a picture of that part only, every coordinate moved by the
picture's (even) offset. Drawing there sets the very pixels drawing on the whole frame sets:
Pillow clips what falls outside the picture and every shape and glyph keeps its position
relative to the pixel grid.

Example:
    >>> recorder = Recorder()
    >>> recorder.rectangle((10, 10, 19, 19), fill="red")
    >>> bounds(recorder.calls, (100, 50))
    (0, 0, 30, 30)
"""

from __future__ import annotations

import io
import math
import pickle
from collections.abc import Hashable
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from ..geometry import even_down

__all__ = ["Call", "Recorder", "bounds", "draw_calls", "frozen", "replay", "shifted",
           "text_box"]

Call = tuple[str, tuple[Any, ...], dict[str, Any]]
"""A recorded call: the ``ImageDraw`` method's name, its arguments, its keyword arguments."""

_Box = tuple[int, int, int, int]
_MARGIN = 8
"""Pixels beyond a shape's coordinates that its line width, joints or antialiasing may reach
(besides the width itself)."""
_SHAPES = ("point", "line", "polygon", "rectangle", "rounded_rectangle", "ellipse")
_TEXTS = ("text", "multiline_text")
_FONTS = (ImageFont.FreeTypeFont, ImageFont.ImageFont, ImageFont.TransposedFont)
_MEASURED = ("font", "anchor", "spacing", "align", "direction", "features", "language",
             "stroke_width", "embedded_color", "font_size")


def _recording(name: str) -> Any:
    def record(self: Recorder, *args: Any, **kwargs: Any) -> None:
        self.calls.append((name, args, kwargs))

    record.__name__ = name
    record.__doc__ = f"Record a call to ``ImageDraw.{name}``."
    return record


def _unsupported(name: str) -> Any:
    def refuse(self: Recorder, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"a Canvas does not record ImageDraw.{name}(); draw "
                                  f"with one of {', '.join(_SHAPES + _TEXTS)}")

    refuse.__name__ = name
    return refuse


class Recorder(ImageDraw.ImageDraw):
    """An ``ImageDraw`` that records its drawing calls (see [replay][]) and draws nothing."""

    def __init__(self) -> None:
        super().__init__(Image.new("RGBA", (1, 1)))
        self.calls: list[Call] = []


for _name in _SHAPES + _TEXTS:
    setattr(Recorder, _name, _recording(_name))
for _name in ("arc", "bitmap", "chord", "pieslice", "regular_polygon", "shape", "circle"):
    setattr(Recorder, _name, _unsupported(_name))


def _points(xy: Any) -> list[tuple[float, float]]:
    """The points of a coordinate argument: ``(x, y, ...)`` or ``((x, y), ...)``."""
    items = list(xy)
    if items and isinstance(items[0], (tuple, list)):
        return [(float(p[0]), float(p[1])) for p in items]
    return [(float(items[i]), float(items[i + 1])) for i in range(0, len(items) - 1, 2)]


def _shifted(xy: Any, dx: int, dy: int) -> Any:
    """``xy`` (same shape and number types) moved by ``(-dx, -dy)``."""
    items = list(xy)
    if items and isinstance(items[0], (tuple, list)):
        moved: list[Any] = [type(p)((p[0] - dx, p[1] - dy, *p[2:])) for p in items]
    else:
        moved = [value - (dy if i % 2 else dx) for i, value in enumerate(items)]
    return moved if isinstance(xy, list) else tuple(moved)


def text_box(text: str, options: dict[str, Any]) -> tuple[float, float, float, float]:
    """``multiline_textbbox((0, 0), text, **options)``, remembered (labels repeat).

    The same box moves with the text: drawn at ``(x, y)``, it is this box moved by that.
    """
    key = frozen((text, options))
    found = _TEXT_BOXES.get(key) if key is not None else None
    if found is None:
        measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
        found = measure.multiline_textbbox((0, 0), text, **options)
        if key is not None:
            if len(_TEXT_BOXES) >= 1024:
                _TEXT_BOXES.clear()
            _TEXT_BOXES[key] = found
    return found


_TEXT_BOXES: dict[Hashable, tuple[float, float, float, float]] = {}


def frozen(value: Any) -> Hashable | None:
    """A key equal only for values that draw alike (``None``: not one to compare).

    Built-in values compare by value and type (``1`` and ``1.0`` are different keys, so
    are a list and a tuple), named tuples too, fonts by identity (the key holds them);
    anything else makes the value one not to compare.

    Example:
        >>> frozen([(1, 2.0), {"fill": "red"}]) == frozen([(1, 2.0), {"fill": "red"}])
        True
        >>> frozen((1, 2)) == frozen((1.0, 2)), frozen(object())
        (False, None)
    """
    buffer = io.BytesIO()
    pickler = _Pickler(buffer)
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    return (buffer.getvalue(), tuple(pickler.fonts))


def _font(index: int) -> None:
    """Stands for the ``index``-th font of a [frozen][] key (never called)."""


class _Pickler(pickle.Pickler):
    """Pickles built-in values as usual, fonts as a reference to the key's fonts."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=5)
        self.fonts: list[Any] = []

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, _FONTS):
            for index, font in enumerate(self.fonts):
                if font is obj:
                    return (_font, (index,))
            self.fonts.append(obj)
            return (_font, (len(self.fonts) - 1,))
        if obj is _font or (isinstance(obj, tuple) and hasattr(type(obj), "_fields")):
            return NotImplemented  # by name; a named tuple: its class and items
        raise pickle.PicklingError(f"{type(obj).__name__} values are not compared")


def _call_box(call: Call) -> tuple[float, float, float, float] | None:
    """What a call may touch, or ``None`` when it cannot tell (then: the whole frame)."""
    name, args, kwargs = call
    xy = args[0] if args else kwargs.get("xy")
    if xy is None:
        return None
    if name in _TEXTS:
        if len(args) != 2:
            return None
        if not isinstance(args[1], str):
            return None
        x, y = _points(xy)[0]
        measured = {key: value for key, value in kwargs.items() if key in _MEASURED}
        left, top, right, bottom = text_box(args[1], measured)
        box = (left + x, top + y, right + x, bottom + y)
        reach = _MARGIN
    else:
        points = _points(xy)
        if not points:
            return None
        box = (min(p[0] for p in points), min(p[1] for p in points),
               max(p[0] for p in points), max(p[1] for p in points))
        if len(args) > 1:  # options given by position: not worth reading
            return None
        width = kwargs.get("width", 1)
        reach = _MARGIN + 2 * int(width or 1)
    return (box[0] - reach, box[1] - reach, box[2] + reach, box[3] + reach)


def bounds(calls: list[Call], frame: tuple[int, int]) -> _Box | None:
    """The part of ``frame`` the calls may touch (left and top even), ``None`` when empty."""
    boxes = [_call_box(call) for call in calls]
    if not boxes:
        return None
    if any(box is None for box in boxes):
        return (0, 0, frame[0], frame[1])
    left = min(box[0] for box in boxes if box is not None)
    top = min(box[1] for box in boxes if box is not None)
    right = max(box[2] for box in boxes if box is not None)
    bottom = max(box[3] for box in boxes if box is not None)
    x0, y0 = even_down(max(0, math.floor(left))), even_down(max(0, math.floor(top)))
    x1, y1 = min(frame[0], math.ceil(right) + 1), min(frame[1], math.ceil(bottom) + 1)
    if x1 <= x0 or y1 <= y0:
        return (0, 0, 1, 1)
    return (x0, y0, x1, y1)


def shifted(calls: list[Call], left: int, top: int) -> list[Call]:
    """The calls with every coordinate moved by ``(-left, -top)`` (what [replay][] draws)."""
    moved: list[Call] = []
    for name, args, kwargs in calls:
        if args:
            args = (_shifted(args[0], left, top), *args[1:])
        else:
            kwargs = {**kwargs, "xy": _shifted(kwargs["xy"], left, top)}
        moved.append((name, args, kwargs))
    return moved


def replay(calls: list[Call], box: _Box) -> Image.Image:
    """The calls drawn on a clear picture covering ``box`` of the frame."""
    left, top, right, bottom = box
    return draw_calls(shifted(calls, left, top), (right - left, bottom - top))


def draw_calls(calls: list[Call], size: tuple[int, int]) -> Image.Image:
    """The calls drawn as they are on a clear picture of ``size``."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for name, args, kwargs in calls:
        getattr(draw, name)(*args, **kwargs)
    return image
