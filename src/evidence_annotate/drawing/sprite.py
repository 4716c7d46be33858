"""The [Sprite][]: an RGBA image and where its top-left corner goes on the frame.

Every drawn overlay kind rasterizes into a [Canvas][] and crops it to a sprite; every
renderer composites sprites the same way (ffmpeg ``overlay``, Pillow ``paste``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from ..geometry import even_down

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
    """A transparent full-frame RGBA image that crops itself to a [Sprite][].

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
        from PIL import ImageDraw

        self.frame = frame
        self.image = Image.new("RGBA", frame, (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.image)

    def sprite(self) -> Sprite:
        """Crop to the non-transparent pixels (a 1x1 clear sprite when nothing was drawn).

        The crop starts on even coordinates: ffmpeg's overlay rounds positions down to the
        chroma grid of 4:2:0 video, so an odd offset would shift the sprite by one pixel.
        """
        box = self.image.getchannel("A").getbbox()
        if box is None:
            return Sprite(Image.new("RGBA", (1, 1), (0, 0, 0, 0)), 0, 0)
        left, top = even_down(box[0]), even_down(box[1])
        return Sprite(self.image.crop((left, top, box[2], box[3])), left, top)
