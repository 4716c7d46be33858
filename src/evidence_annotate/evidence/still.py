"""Still segments: photos, screenshots ([image][]) and text slides ([slide][]).

A [Still][] behaves like a clip of identical frames ``seconds`` long: it takes overlays
(``still.box(...)``, ``still.text(...)``, any registered kind) with times on its OWN clock,
time edits (``freeze``, ``speed``) and every output through a one-segment storyboard.
A photo keeps only its upright pixels (EXIF orientation applied; EXIF, GPS and other
metadata never copied).

Example:
    >>> import evidence_annotate as ea
    >>> shot = ea.image("listing.png", seconds=3).box(ea.rel(0.1, 0.6, 0.5, 0.1),
    ...                                               label="Listed: black")  # doctest: +SKIP
    >>> ea.slide("The seller refused a refund", seconds=3).duration
    3.0
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from ..cards import MAX_SLIDE_TEXT, TitleCardStyle, draw_slide
from ..media import MediaInfo
from ..media.still import Picture, picture_of, read_still, still_info
from ..overlays import Context
from ..plan import Plan
from ..render.program import Part, Program, make_program
from ..validate import path_like
from .overlaid import Overlaid
from .program_outputs import ProgramOutputs
from .timeedits import TimeEdits

__all__ = ["MAX_STILL_SECONDS", "SLIDE_SIZE", "Still", "image", "slide"]

MAX_STILL_SECONDS = 60.0
"""Longest a still segment may show."""
SLIDE_SIZE = (1920, 1080)
"""Default size a slide is drawn at (a storyboard redraws an unannotated slide at its canvas)."""
_RATE = Fraction(30)


@dataclass(frozen=True)
class Still(Overlaid, TimeEdits, ProgramOutputs):
    """A photo, screenshot or text slide shown for a number of seconds.

    Attributes:
        info: What it measures as a source (size, ``duration`` = its seconds, no sound).
        picture: Its upright pixels, free of metadata.
        plan: Overlays and time edits on its own clock.
        message: The slide's text (``None`` for a photo).
        style: The slide's look.
    """

    info: MediaInfo
    picture: Picture
    plan: Plan = Plan()
    message: str | None = None
    style: TitleCardStyle | None = None

    @property
    def kind(self) -> str:
        """``"image"`` or ``"slide"``."""
        return "image" if self.message is None else "slide"

    @property
    def context(self) -> Context:
        """What overlays resolve users' values against (its size and seconds)."""
        return Context(self.info.size, self.info.duration, self.info.fps)

    def _frame_times(self) -> Sequence[float]:
        count = round(self.info.duration * _RATE)
        return tuple(float(i / _RATE) for i in range(count))

    def part(self, canvas: tuple[int, int] | None = None) -> Part:
        """The still as a program part; a slide without overlays is redrawn at ``canvas``."""
        if canvas is not None and self.message is not None and not self.plan.layers \
                and canvas != self.info.size:
            picture = _slide_picture(self.message, canvas, self.style)
            info = replace(self.info, width=canvas[0], height=canvas[1],
                           coded_width=canvas[0], coded_height=canvas[1])
            return Part(info, self.plan, picture, self.kind)
        return Part(self.info, self.plan, self.picture, self.kind)

    def program(self) -> Program:
        """A one-segment program of this still."""
        return make_program([self.part()])

    def __repr__(self) -> str:
        what = repr(self.message[:30]) if self.message is not None else repr(self.info.path.name)
        parts = [f"{self.kind} {what} {self.info.width}x{self.info.height} "
                 f"{self.info.duration:g}s",
                 *(f"{layer.kind} {layer.span.describe()}" for layer in self.plan.layers)]
        return f"<Still {', '.join(parts)}>"


@functools.lru_cache(maxsize=32)
def _slide_picture(text: str, size: tuple[int, int], style: TitleCardStyle | None) -> Picture:
    return picture_of(draw_slide(text, size, style))


def _seconds(seconds: float) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
            or not 0 < seconds <= MAX_STILL_SECONDS:
        raise ValueError(f"seconds={seconds!r} must be > 0 and <= {MAX_STILL_SECONDS:g} "
                         "(3 is typical)")
    return float(seconds)


def image(path: str | os.PathLike[str], seconds: float = 3.0) -> Still:
    """A photo or screenshot shown for ``seconds``: a still segment for a storyboard.

    Args:
        path: A PNG, JPEG or WebP file (HEIC if the installed Pillow reads it).
        seconds: How long it shows (0 < seconds <= 60).

    Raises:
        InputError: Missing or not a readable image.
        ValueError: Bad ``seconds``.

    Example:
        >>> ea.image("chat.png", seconds=4).text("Seller: no refund", at=(20, 20))  # doctest: +SKIP
    """
    length = _seconds(seconds)
    source = path_like(path, "path")
    picture = read_still(source)
    return Still(still_info(source, picture.size, length, _RATE), picture)


def slide(text: str, seconds: float = 3.0, *, size: tuple[int, int] | None = None,
          style: TitleCardStyle | None = None) -> Still:
    r"""A text slide in the title card's look, shown for ``seconds``.

    Args:
        text: What it says (``\n`` starts a new line); long text wraps and shrinks to fit.
        seconds: How long it shows (0 < seconds <= 60).
        size: Its frame size; ``None`` = 1920x1080, and a storyboard draws a slide without
            overlays at its canvas size instead.
        style: Colours and font ([TitleCardStyle][evidence_annotate.cards.TitleCardStyle]).

    Raises:
        ValueError: Empty or too long text, bad seconds, size or style.

    Example:
        >>> import evidence_annotate as ea
        >>> ea.slide("The seller refused a refund on 2026-11-21", seconds=3).info.size
        (1920, 1080)
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text={text!r} must be non-empty text, e.g. 'The box arrived "
                         "crushed'")
    if len(text) > MAX_SLIDE_TEXT:
        raise ValueError(f"text has {len(text)} characters, more than {MAX_SLIDE_TEXT}; "
                         "split it over several slides")
    if style is not None and not isinstance(style, TitleCardStyle):
        raise ValueError(f"style={style!r} must be an ea.TitleCardStyle")
    if size is not None and not (isinstance(size, tuple) and len(size) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) and 16 <= v <= 7680 for v in size)):
        raise ValueError(f"size={size!r} must be (width, height) in pixels, each 16-7680, "
                         "e.g. (1080, 1920)")
    length = _seconds(seconds)
    frame = size or SLIDE_SIZE
    picture = _slide_picture(text.strip(), frame, style)
    return Still(still_info(Path("slide.png"), frame, length, _RATE), picture,
                 message=text.strip(),
                 style=style)
