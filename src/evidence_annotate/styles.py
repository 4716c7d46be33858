"""Styles of the drawn layers: plain frozen dataclasses with defaults that read on any footage.

Sizes given as ``None`` are derived from the frame when drawing (a line 0.6 % of the frame's
shorter side, text 4.5 % of it, ...), so one style works on 480p and 4K alike. Colours are
anything :meth:`~evidence_annotate.colors.Color.parse` accepts.

Example:
    >>> import evidence_annotate as ea
    >>> loud = ea.TextStyle(color="black", background="#ffd400", size=48)
    >>> loud.size
    48
"""

from __future__ import annotations

from dataclasses import dataclass

from .colors import Color, ColorLike

__all__ = ["ArrowStyle", "BoxStyle", "TextStyle", "TitleCardStyle"]


def _color(value: ColorLike | None, name: str) -> None:
    if value is not None:
        try:
            Color.parse(value)
        except ValueError as err:
            raise ValueError(f"{name}: {err}") from None


def _positive(value: float | None, name: str) -> None:
    if value is not None and not value > 0:
        raise ValueError(f"{name}={value!r} must be > 0 (or None for a size derived from "
                         "the frame)")


@dataclass(frozen=True)
class TextStyle:
    """How a callout, label or title text looks.

    Attributes:
        size: Font size in pixels; ``None`` = 4.5 % of the frame's shorter side.
        color: Text colour.
        background: Colour of the box behind the text (``None`` = no box, outline only).
        outline: Colour of the text outline (keeps it readable without a box).
        outline_width: Outline width in pixels; ``None`` = 8 % of the font size.
        padding: Space between text and box edge, as a fraction of the font size.
        radius: Corner radius of the box, as a fraction of the font size.
        bold: Use the bold face.
        font: Path to a TrueType/OpenType font; ``None`` = the bundled DejaVu Sans.
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
        _positive(self.size, "TextStyle.size")
        for name in ("color", "background", "outline"):
            _color(getattr(self, name), f"TextStyle.{name}")
        if self.padding < 0 or self.radius < 0:
            raise ValueError("TextStyle.padding and TextStyle.radius must be >= 0")


@dataclass(frozen=True)
class BoxStyle:
    """How a highlight box looks.

    Attributes:
        color: Line colour.
        thickness: Line width in pixels; ``None`` = 0.6 % of the frame's shorter side (min 3).
        outline: Colour of a thin contrasting edge on both sides of the line (``None`` = none).
        radius: Corner radius in pixels (0 = square corners).
        fill: Optional translucent fill, e.g. ``"#ff000030"``.
        label: Style of the label tag drawn on the box's top edge.
    """

    color: ColorLike = "#ff2a2a"
    thickness: int | None = None
    outline: ColorLike | None = "#00000099"
    radius: int = 0
    fill: ColorLike | None = None
    label: TextStyle = TextStyle()

    def __post_init__(self) -> None:
        _positive(self.thickness, "BoxStyle.thickness")
        for name in ("color", "outline", "fill"):
            _color(getattr(self, name), f"BoxStyle.{name}")
        if self.radius < 0:
            raise ValueError(f"BoxStyle.radius={self.radius!r} must be >= 0")


@dataclass(frozen=True)
class ArrowStyle:
    """How an arrow looks.

    Attributes:
        color: Fill colour of shaft and head.
        thickness: Shaft width in pixels; ``None`` = 1 % of the frame's shorter side (min 4).
        head: Head length in pixels; ``None`` = 4.5x the shaft width, at most 40 % of the arrow.
        outline: Outline colour that keeps the arrow visible on any background.
        outline_width: Outline width in pixels; ``None`` = a third of the shaft width (min 2).
        label: Style of the optional label drawn at the tail.
    """

    color: ColorLike = "#ffd400"
    thickness: int | None = None
    head: int | None = None
    outline: ColorLike | None = "black"
    outline_width: int | None = None
    label: TextStyle = TextStyle()

    def __post_init__(self) -> None:
        _positive(self.thickness, "ArrowStyle.thickness")
        _positive(self.head, "ArrowStyle.head")
        for name in ("color", "outline"):
            _color(getattr(self, name), f"ArrowStyle.{name}")


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
            _color(getattr(self, name), f"TitleCardStyle.{name}")
        _positive(self.scale, "TitleCardStyle.scale")
