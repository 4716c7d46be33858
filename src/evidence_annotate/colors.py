"""Colours: names and ``#rrggbb[aa]`` parsed once, at the public edge.

Example:
    >>> from evidence_annotate.colors import Color
    >>> Color.parse("red")
    Color(r=255, g=0, b=0, a=255)
    >>> Color.parse("#00ff0080").a
    128
    >>> Color.parse((0, 0, 255)).hex
    '#0000ffff'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from PIL import ImageColor

__all__ = ["Color", "ColorLike"]

ColorLike = Union["Color", str, tuple[int, int, int], tuple[int, int, int, int]]
"""Anything [Color.parse][] accepts: a name, ``#rgb``, ``#rrggbb[aa]``, or an RGB(A) tuple."""


@dataclass(frozen=True)
class Color:
    """An sRGB colour with alpha, each channel an int in [0, 255].

    Attributes:
        r: Red.
        g: Green.
        b: Blue.
        a: Alpha (255 = opaque).
    """

    r: int
    g: int
    b: int
    a: int = 255

    def __post_init__(self) -> None:
        for name in ("r", "g", "b", "a"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 0 <= value <= 255:
                raise ValueError(f"colour channel {name}={value!r} is outside 0..255; "
                                 "give integers from 0 to 255")

    @classmethod
    def parse(cls, value: ColorLike) -> Color:
        """Convert a colour name, hex string or tuple into a [Color][].

        Args:
            value: ``"red"``, ``"#f00"``, ``"#ff0000"``, ``"#ff000080"`` (alpha last),
                ``(255, 0, 0)``, ``(255, 0, 0, 128)`` or a [Color][].

        Returns:
            The colour.

        Raises:
            ValueError: The value is not a known colour name or a valid hex/tuple.

        Example:
            >>> Color.parse("#FFCC00").g
            204
        """
        if isinstance(value, Color):
            return value
        if isinstance(value, tuple):
            if len(value) not in (3, 4):
                raise ValueError(f"colour tuple {value!r} must have 3 or 4 channels (r, g, b[, a])")
            return cls(*(int(v) for v in value))
        if not isinstance(value, str):
            raise ValueError(f"colour {value!r} must be a name, '#rrggbb[aa]' or an "
                             "(r, g, b[, a]) tuple")
        text = value.strip()
        if text.startswith("#") and len(text) == 9:
            try:
                channels = tuple(int(text[i:i + 2], 16) for i in (1, 3, 5, 7))
            except ValueError:
                raise ValueError(f"colour {value!r} is not valid hex; use '#rrggbb' or "
                                 "'#rrggbbaa'") from None
            return cls(*channels)
        try:
            rgb = ImageColor.getrgb(text)
        except ValueError:
            raise ValueError(
                f"unknown colour {value!r}; use a CSS colour name such as 'red' or 'yellow', "
                "or hex '#rrggbb' / '#rrggbbaa'") from None
        return cls(*rgb) if len(rgb) == 4 else cls(rgb[0], rgb[1], rgb[2])

    @property
    def rgba(self) -> tuple[int, int, int, int]:
        """The channels as a tuple, as Pillow wants them."""
        return (self.r, self.g, self.b, self.a)

    @property
    def hex(self) -> str:
        """``#rrggbbaa`` form."""
        return f"#{self.r:02x}{self.g:02x}{self.b:02x}{self.a:02x}"

    def with_alpha(self, a: int) -> Color:
        """Return the same colour with another alpha."""
        return Color(self.r, self.g, self.b, a)

    def luminance(self) -> float:
        """Relative luminance in [0, 1] (sRGB, Rec. 709 weights)."""
        def lin(c: int) -> float:
            v = c / 255
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)

    def contrasting(self) -> Color:
        """Black or white, whichever reads best on this colour."""
        return Color(0, 0, 0) if self.luminance() > 0.3 else Color(255, 255, 255)
