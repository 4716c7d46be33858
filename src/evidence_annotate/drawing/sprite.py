"""The [Sprite][]: an RGBA image and where its top-left corner goes on the frame.

Every drawn overlay kind rasterizes into a [Canvas][] and crops it to a sprite; every
renderer composites sprites the same way (ffmpeg ``overlay``, Pillow ``paste``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from ..geometry import even_down
from .record import Recorder, bounds, replay

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
        """
        width, height = self.frame
        area = bounds(self.draw.calls, self.frame)
        if area is None:
            return _clear()
        image = replay(self.draw.calls, area)
        box = image.getbbox(alpha_only=True)
        if box is None:
            return _clear()
        x0, y0, x1, y1 = area
        if ((box[0] == 0 and x0 > 0) or (box[1] == 0 and y0 > 0)
                or (box[2] == image.width and x1 < width)
                or (box[3] == image.height and y1 < height)):
            # Something reached the edge of the picture (the estimate was short): the frame
            x0, y0 = 0, 0
            image = replay(self.draw.calls, (0, 0, width, height))
            box = image.getbbox(alpha_only=True)
            assert box is not None
        left, top = even_down(box[0]), even_down(box[1])
        return Sprite(image.crop((left, top, box[2], box[3])), x0 + left, y0 + top)


def _clear() -> Sprite:
    return Sprite(Image.new("RGBA", (1, 1), (0, 0, 0, 0)), 0, 0)
