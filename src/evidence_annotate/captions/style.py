"""How burned-in captions look: one frozen dataclass that becomes a libass (ASS) style.

Sizes are fractions of the frame, so one style reads the same on 480p and 4K. The default is
white DejaVu Sans (the bundled font) on a semi-transparent dark box, which reads on bright and
dark footage alike.

Example:
    >>> style = CaptionStyle(box=False, outline_width=0.12)
    >>> ssa = style.to_ssa_style(1920, 1080)
    >>> round(ssa.fontsize), ssa.borderstyle
    (59, 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pysubs2

from ..colors import Color, ColorLike

__all__ = ["CaptionStyle"]


def _ssa_color(value: ColorLike) -> pysubs2.Color:
    """Our colour (alpha 255 = opaque) as an ASS colour (alpha 0 = opaque)."""
    c = Color.parse(value)
    return pysubs2.Color(c.r, c.g, c.b, 255 - c.a)


@dataclass(frozen=True)
class CaptionStyle:
    """The look of burned-in captions.

    Attributes:
        font: Font family name as fontconfig knows it (the bundled font is ``"DejaVu Sans"``).
        size: Font size as a fraction of the frame's shorter side (the height of landscape
            video, the width of portrait video, so portrait captions are not oversized).
        color: Text colour.
        outline_color: Colour of the text outline (used when ``box`` is off).
        outline_width: Outline thickness as a fraction of the font size (when ``box`` is off).
        shadow: Shadow offset as a fraction of the font size (0 = none).
        shadow_color: Shadow colour.
        box: Draw an opaque box behind each line (libass ``BorderStyle=3``) instead of an
            outline.
        box_color: Box colour; its alpha sets how much footage shows through.
        box_padding: Space between text and box edge, as a fraction of the font size.
        bold: Use the bold face.
        margin_v: Distance of the text from the bottom edge (the top edge for top alignment)
            as a fraction of the frame height.
        margin_h: Smallest distance of the text from the left and right edges, as a fraction
            of the frame width.
        alignment: Where the text sits (numpad layout; default bottom centre). A value other
            than bottom centre is the user's choice and is never moved.
        avoid_overlays: With the default bottom-centre alignment, move a cue to the top
            centre while boxes, arrows or labels drawn during it would sit under it (and the
            top is freer); ``False`` keeps every cue at the bottom.

    Example:
        >>> CaptionStyle(color="#ffd400", box_color="#000000cc").color
        '#ffd400'
    """

    font: str = "DejaVu Sans"
    size: float = 0.055
    color: ColorLike = "white"
    outline_color: ColorLike = "black"
    outline_width: float = 0.08
    shadow: float = 0.0
    shadow_color: ColorLike = "#00000080"
    box: bool = True
    box_color: ColorLike = "#000000a6"
    box_padding: float = 0.15
    bold: bool = False
    margin_v: float = 0.06
    margin_h: float = 0.05
    alignment: pysubs2.Alignment = pysubs2.Alignment.BOTTOM_CENTER
    avoid_overlays: bool = True

    def __post_init__(self) -> None:
        if not self.font.strip():
            raise ValueError("CaptionStyle.font must name a font family, e.g. 'DejaVu Sans'")
        if not (math.isfinite(self.size) and 0 < self.size <= 1):
            raise ValueError(f"CaptionStyle.size={self.size!r} is a fraction of the frame height "
                             "and must be in (0, 1], e.g. 0.055")
        for name in ("outline_width", "shadow", "box_padding", "margin_v", "margin_h"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0 <= value < 1):
                raise ValueError(f"CaptionStyle.{name}={value!r} must be a fraction in [0, 1)")
        for name in ("color", "outline_color", "shadow_color", "box_color"):
            try:
                Color.parse(getattr(self, name))
            except ValueError as err:
                raise ValueError(f"CaptionStyle.{name}: {err}") from None
        if not isinstance(self.alignment, pysubs2.Alignment):
            raise ValueError(f"CaptionStyle.alignment={self.alignment!r} must be a "
                             "pysubs2.Alignment, e.g. Alignment.BOTTOM_CENTER")

    def fontsize(self, width: int, height: int) -> float:
        """Font size in pixels on a ``width`` x ``height`` frame.

        Example:
            >>> CaptionStyle().fontsize(1080, 1920)
            59.4
        """
        return round(self.size * min(width, height), 2)

    def max_chars(self, width: int, height: int) -> int:
        """How many characters fit on one line of this frame (DejaVu Sans averages ~0.55 em).

        Segmentation uses the smaller of this and ``CaptionRules.max_chars_per_line`` so libass
        never has to re-wrap a line (portrait video fits fewer characters).

        Example:
            >>> CaptionStyle().max_chars(1920, 1080), CaptionStyle().max_chars(1080, 1920)
            (52, 29)
        """
        size = self.fontsize(width, height)
        usable = width * (1 - 2 * self.margin_h) - 2 * self.box_padding * size
        return max(8, int(usable // (size * (0.6 if self.bold else 0.55))))

    def to_ssa_style(self, width: int, height: int) -> pysubs2.SSAStyle:
        """Return the libass style for a script whose PlayResX/PlayResY is ``width`` x ``height``.

        Args:
            width: Frame width in pixels.
            height: Frame height in pixels.

        Returns:
            A new ``pysubs2.SSAStyle`` (pixel sizes, ASS colours).

        Raises:
            ValueError: ``width`` or ``height`` is not positive.

        Example:
            >>> CaptionStyle().to_ssa_style(1280, 720).marginv
            43
        """
        if width <= 0 or height <= 0:
            raise ValueError(f"frame size {width}x{height} must be positive")
        fontsize = self.fontsize(width, height)
        border = self.box_padding if self.box else self.outline_width
        return pysubs2.SSAStyle(
            fontname=self.font,
            fontsize=round(fontsize, 2),
            primarycolor=_ssa_color(self.color),
            secondarycolor=_ssa_color(self.color),
            outlinecolor=_ssa_color(self.box_color if self.box else self.outline_color),
            backcolor=_ssa_color(self.shadow_color),
            bold=self.bold,
            borderstyle=3 if self.box else 1,
            outline=round(border * fontsize, 2),
            shadow=round(self.shadow * fontsize, 2),
            alignment=self.alignment,
            marginl=round(self.margin_h * width),
            marginr=round(self.margin_h * width),
            marginv=round(self.margin_v * height),
        )
