"""The [Sprite][]: an RGBA image and where its top-left corner goes on the frame.

Every drawn overlay kind rasterizes into a [Canvas][] and crops it to a sprite; every
renderer composites sprites the same way (ffmpeg ``overlay``, Pillow ``paste``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from PIL import Image

from ..geometry import even_down
from .record import Call, Recorder, bounds, draw_calls, frozen, shifted

__all__ = ["Canvas", "Sprite"]


@dataclass(frozen=True)
class Sprite:
    """A rasterized layer, cropped to its visible pixels.

    Attributes:
        image: RGBA pixels.
        x: Left edge on the frame, in displayed pixels.
        y: Top edge on the frame, in displayed pixels.
    """

    image: Image.Image
    x: int
    y: int


class Canvas:
    """A transparent frame to draw on (``canvas.draw``) that crops itself to a [Sprite][].

    Its ``draw`` records the calls ([Recorder][evidence_annotate.drawing.record.Recorder]);
    [sprite][evidence_annotate.drawing.sprite.Canvas.sprite] draws them on a picture only as
    large as what they cover, and sets the same pixels drawing on the whole frame sets.

    Example:
        >>> canvas = Canvas((100, 50))
        >>> canvas.draw.rectangle((10, 10, 19, 19), fill="red")
        >>> sprite = canvas.sprite()
        >>> (sprite.x, sprite.y, sprite.image.size)
        (10, 10, (10, 10))
        >>> canvas.draw.point((3, 7), fill="blue")
        >>> (canvas.sprite().x, canvas.sprite().y)
        (2, 6)
    """

    def __init__(self, frame: tuple[int, int]) -> None:
        self.frame = frame
        self.draw = Recorder()

    def sprite(self) -> Sprite:
        """Crop to the non-transparent pixels (a 1x1 clear sprite when nothing was drawn).

        The crop starts on even coordinates: ffmpeg's overlay rounds positions down to the
        chroma grid of 4:2:0 video, so an odd offset would shift the sprite by one pixel.
        The same calls drawn before at the same place on a picture of the same size (a
        label met again elsewhere on the frame) reuse that picture.
        """
        width, height = self.frame
        area = bounds(self.draw.calls, self.frame)
        if area is None:
            return _clear()
        image, box = _drawn(self.draw.calls, area)
        if box is None:
            return _clear()
        x0, y0, x1, y1 = area
        if ((box[0] == 0 and x0 > 0) or (box[1] == 0 and y0 > 0)
                or (box[2] == image.width and x1 < width)
                or (box[3] == image.height and y1 < height)):
            # Something reached the edge of the picture (the estimate was short): the frame
            x0, y0 = 0, 0
            image, box = _drawn(self.draw.calls, (0, 0, width, height))
            assert box is not None
        left, top = even_down(box[0]), even_down(box[1])
        return Sprite(image.crop((left, top, box[2], box[3])), x0 + left, y0 + top)


_Drawn = tuple[Image.Image, tuple[int, int, int, int] | None]


class _Pictures:
    """Pictures already drawn, by their calls (moved to the picture) and size.

    The least recently used go first once they hold more than ``budget`` pixels in all.
    A picture handed out is never changed (it is only cropped).
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.hits = self.misses = 0
        self._items: OrderedDict[Hashable, _Drawn] = OrderedDict()
        self._pixels = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> _Drawn | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: Hashable, drawn: _Drawn) -> None:
        pixels = drawn[0].width * drawn[0].height
        if pixels > self.budget:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = drawn
            self._pixels += pixels
            while self._pixels > self.budget:
                _, (old, _) = self._items.popitem(last=False)
                self._pixels -= old.width * old.height


_PICTURES = _Pictures(budget=8_000_000)  # 32 MB of RGBA


def _drawn(calls: list[Call], area: tuple[int, int, int, int]) -> _Drawn:
    """The calls drawn on the ``area`` of the frame, and the box of what they drew.

    The same calls moved by the same distance as their picture draw the same pixels (the
    same labels, boxes, callouts at other places): those are drawn once.
    """
    left, top, right, bottom = area
    moved = shifted(calls, left, top)
    size = (right - left, bottom - top)
    key = frozen((size, moved))
    found = _PICTURES.get(key) if key is not None else None
    if found is not None:
        return found
    image = draw_calls(moved, size)
    drawn = (image, image.getbbox(alpha_only=True))
    if key is not None:
        _PICTURES.put(key, drawn)
    return drawn


def _clear() -> Sprite:
    return Sprite(Image.new("RGBA", (1, 1), (0, 0, 0, 0)), 0, 0)
