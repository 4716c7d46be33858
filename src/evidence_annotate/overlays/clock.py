"""``clock``: the source timecode (and the recording's date and time) burned in a corner.

A reviewer who sees the clock run on without jumps knows the footage is continuous and
unedited; cuts, freezes and speed changes show as jumps. The first line is the time on the
SOURCE clip (``00:00:03.120``); when the file records when it was made (iPhones and most
cameras do), a second line shows that moment plus the source time, as wall-clock time where
it was recorded.

The export draws the digits with ffmpeg's ``drawtext`` from each frame's own timestamp (no
frame passes through Python); previews draw the same text with Pillow from the same time,
with the same font, size and place.

Example:
    >>> from evidence_annotate.overlays.base import Context
    >>> clock = Clock.create(Context((320, 240), 9.0, captured="2026-11-20T11:00:00+0100"))
    >>> clock.lines(62.5)
    ('00:01:02.500', '2026-11-20 11:01:02')
"""

from __future__ import annotations

import calendar
import datetime as _dt
import math
from dataclasses import dataclass
from typing import Literal, get_args

from PIL import Image, ImageDraw

from ..colors import Color, ColorLike
from ..drawing.sprite import Canvas, Sprite
from ..filtergraph import FilterGraph, enable_expr, escape_filter_value
from ..fonts import bundled_font, font_for
from ..geometry import even_down
from ..timing import Span, TimeLike
from ..validate import check_color, positive_int
from .base import TOP, Context, Overlay

__all__ = ["Clock", "Corner"]

Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
_TIMECODE = "00:00:00.000"
_DATE = "0000-00-00 00:00:00"
# drawtext expansions: the time in whole milliseconds, then its parts (no leading sign).
_MS = "round(t*1000)"
_FF_TIMECODE = (f"%{{eif:trunc({_MS}/3600000):d:2}}:%{{eif:mod(trunc({_MS}/60000),60):d:2}}:"
                f"%{{eif:mod(trunc({_MS}/1000),60):d:2}}.%{{eif:mod({_MS},1000):d:3}}")


@dataclass(frozen=True)
class Clock(Overlay):
    """The source timecode (and capture date and time) in a corner.

    Attributes:
        corner: Where it goes.
        span: When it shows.
        captured: The recording's start as wall-clock time where it was made
            (``"2026-11-20T11:00:00"``); ``None`` = unknown or not shown.
        size: Font size in pixels.
        color: Text colour.
        background: Colour of the box behind the text.
    """

    kind = "clock"
    order = TOP
    still = False

    corner: Corner = "top-left"
    span: Span = Span()
    captured: str | None = None
    size: int = 16
    color: ColorLike = "white"
    background: ColorLike = "#000000a0"

    @classmethod
    def create(cls, ctx: Context, corner: Corner = "top-left", start: TimeLike | None = None,
               end: TimeLike | None = None, *, date: bool = True, size: int | None = None,
               color: ColorLike = "white", background: ColorLike = "#000000a0") -> Clock:
        """Burn the source timecode, and the capture date and time when known, in a corner.

        Args:
            ctx: The frame and clip (its recorded capture time, if any).
            corner: ``"top-left"``, ``"top-right"``, ``"bottom-left"`` or ``"bottom-right"``.
            start: When it shows (source seconds or ``"mm:ss.ms"``); ``None`` = the start.
            end: When it disappears; ``None`` = until the end.
            date: Add the capture date and time when the file records it.
            size: Font size in pixels (8..200); ``None`` = 4 % of the frame's shorter side.
            color: Text colour.
            background: Box colour behind the text (its alpha sets how much shows through).

        Returns:
            The clock.

        Raises:
            ValueError: Unknown corner, bad times, size or colours.

        Example:
            >>> ev.clock("bottom-right")   # doctest: +SKIP
        """
        corners = get_args(Corner)
        if corner not in corners:
            raise ValueError(f"corner={corner!r} is not a corner; use one of {', '.join(corners)}")
        if not isinstance(date, bool):
            raise ValueError(f"date={date!r} must be True or False")
        px = max(10, round(min(ctx.size) * 0.04)) if size is None else \
            positive_int(size, "size", minimum=8, maximum=200)
        check_color(color, "color")
        check_color(background, "background")
        captured = _wall_clock(ctx.captured) if date else None
        return cls(corner, ctx.span(start, end), captured, px, color, background)

    def lines(self, t: float) -> tuple[str, ...]:
        """The text shown at source time ``t``, line by line."""
        ms = math.floor(t * 1000 + 0.5)  # ffmpeg's round(): halves away from zero
        hours, rest = divmod(ms, 3_600_000)
        timecode = f"{hours:02d}:{rest // 60_000 % 60:02d}:{rest // 1000 % 60:02d}.{ms % 1000:03d}"
        if self.captured is None:
            return (timecode,)
        moment = _dt.datetime.fromisoformat(self.captured) + _dt.timedelta(
            seconds=math.floor(self._epoch() + t) - self._epoch())
        return timecode, moment.strftime("%Y-%m-%d %H:%M:%S")

    def _epoch(self) -> int:
        assert self.captured is not None
        return calendar.timegm(_dt.datetime.fromisoformat(self.captured).timetuple())

    def _layout(self, frame: tuple[int, int]) -> tuple[tuple[int, int, int, int],
                                                        list[tuple[int, int]]]:
        """The box ``(x0, y0, x1, y1)`` and the top-left origin of each line."""
        font = font_for(_TIMECODE, self.size)
        templates = [_TIMECODE] + ([_DATE] if self.captured is not None else [])
        width = max(round(font.getlength(text)) for text in templates)
        ascent, descent = font.getmetrics()
        line = ascent + descent
        pad = max(2, round(self.size * 0.3))
        box_w, box_h = width + 2 * pad, line * len(templates) + 2 * pad
        margin = max(4, round(min(frame) * 0.02))
        x0 = margin if self.corner.endswith("left") else frame[0] - margin - box_w
        y0 = margin if self.corner.startswith("top") else frame[1] - margin - box_h
        x0, y0 = even_down(x0), even_down(y0)
        origins = [(x0 + pad, y0 + pad + i * line) for i in range(len(templates))]
        return (x0, y0, x0 + box_w - 1, y0 + box_h - 1), origins

    def draw(self, frame: tuple[int, int]) -> Sprite:
        """The background box (the digits change every frame and are drawn per frame)."""
        canvas = Canvas(frame)
        box, _ = self._layout(frame)
        canvas.draw.rectangle(box, fill=Color.parse(self.background).rgba)
        return canvas.sprite()

    def chain(self, graph: FilterGraph, pad: str, frame: tuple[int, int]) -> str:
        """The box as a sprite, then one ``drawtext`` per line reading each frame's time."""
        current = super().chain(graph, pad, frame)
        _, origins = self._layout(frame)
        texts = [_FF_TIMECODE]
        if self.captured is not None:
            texts.append(f"%{{pts:gmtime:{self._epoch()}:%Y-%m-%d %H\\:%M\\:%S}}")
        font = escape_filter_value(str(bundled_font()))
        ink = Color.parse(self.color)
        for (x, y), text in zip(origins, texts, strict=True):
            source = graph.file(f"{graph.label('clock')}.txt", text)
            out = graph.label("v")
            graph.add([current], f"drawtext=fontfile={font}:"
                      f"textfile={escape_filter_value(str(source))}:x={x}:y={y}:y_align=font:"
                      f"fontsize={self.size}:fontcolor=0x{ink.hex[1:7]}@{ink.a / 255:.3f}"
                      f"{enable_expr(self.span)}", [out])
            current = out
        return current

    def apply(self, image: Image.Image, t: float,
              footage: Image.Image | None = None) -> Image.Image:
        """The same on a PIL image: the box, then the text of time ``t``."""
        out = super().apply(image, t, footage)
        _, origins = self._layout(out.size)
        pen = ImageDraw.Draw(out)
        font = font_for(_TIMECODE, self.size)
        for (x, y), text in zip(origins, self.lines(t), strict=True):
            pen.text((x, y), text, font=font, fill=Color.parse(self.color).rgba, anchor="la")
        return out

    def describe(self) -> str:
        """The corner and, if shown, the capture time."""
        return self.corner + (f", recorded {self.captured}" if self.captured else "")


def _wall_clock(captured: str | None) -> str | None:
    """A capture tag as wall-clock time where it was recorded, or ``None`` if unreadable."""
    if not captured:
        return None
    text = captured.strip().replace("Z", "+00:00")
    moment = None
    try:
        moment = _dt.datetime.fromisoformat(text)
    except ValueError:  # Python 3.10 reads no "+0100" offsets
        for layout in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"):
            try:
                moment = _dt.datetime.strptime(text, layout)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return moment.replace(tzinfo=None, microsecond=0).isoformat()
