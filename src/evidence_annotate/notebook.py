"""Rich display in Jupyter: a preview strip and a plan summary for Evidence.

``Evidence._repr_html_`` / ``_repr_png_`` call these functions with themselves; they only need
what ``Displayable`` describes, so this module sits below the fluent API. (A transcript
renders its own table: ``evidence_annotate.speech.transcript.transcript_html``.)
Every piece of user text (labels, titles, file names, transcript words) is HTML-escaped, so a
label such as ``<b>`` shows literally and cannot inject markup.

Example:
    >>> from evidence_annotate.tables import html_table
    >>> "a &lt;b&gt;" in html_table(("text",), [("a <b>",)])
    True
"""

from __future__ import annotations

import base64
import html
import io
from typing import Protocol

from PIL import Image

from .media import MediaInfo
from .plan import Plan
from .speech.transcript import Transcript
from .tables import html_table
from .timing import TimeLike, format_time

__all__ = ["Displayable", "evidence_html", "evidence_png", "preview_strip"]


class Displayable(Protocol):
    """What a notebook display reads of an [Evidence][evidence_annotate.Evidence]."""

    @property
    def info(self) -> MediaInfo:
        """The probed source."""

    @property
    def plan(self) -> Plan:
        """The plan."""

    @property
    def transcript(self) -> Transcript | None:
        """The transcript, if any."""

    @property
    def duration(self) -> float:
        """The output's duration in seconds."""

    def preview(self, t: TimeLike = 0.0) -> Image.Image:
        """The output frame at output time ``t``."""

STRIP_FRAMES = 4
"""Frames in the preview strip, spread evenly over the output."""
THUMB_WIDTH = 240
"""Width of each thumbnail in pixels."""


def preview_strip(ev: Displayable, frames: int = STRIP_FRAMES,
                  width: int = THUMB_WIDTH) -> list[tuple[float, Image.Image]]:
    """Thumbnails of the output at evenly spaced OUTPUT times (title card included).

    Args:
        ev: The evidence.
        frames: How many thumbnails.
        width: Width of each thumbnail in pixels (height keeps the aspect ratio).

    Returns:
        ``(output time, thumbnail)`` pairs.

    Example:
        >>> [t for t, _ in preview_strip(ev)]              # doctest: +SKIP
        [1.625, 4.875, 8.125, 11.375]
    """
    if frames < 1 or width < 16:
        raise ValueError(f"frames={frames} must be >= 1 and width={width} >= 16")
    out = []
    for i in range(frames):
        t = round(ev.duration * (i + 0.5) / frames, 3)
        image = ev.preview(t).convert("RGB")
        height = max(1, round(image.height * width / image.width))
        out.append((t, image.resize((width, height), Image.Resampling.LANCZOS)))
    return out


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def evidence_png(ev: Displayable) -> bytes:
    """The preview strip as ONE PNG (thumbnails side by side), for ``_repr_png_``.

    Example:
        >>> evidence_png(ev)[1:4]                          # doctest: +SKIP
        b'PNG'
    """
    thumbs = [image for _, image in preview_strip(ev)]
    gap = 4
    strip = Image.new("RGB", (sum(i.width for i in thumbs) + gap * (len(thumbs) - 1),
                              max(i.height for i in thumbs)), "white")
    x = 0
    for image in thumbs:
        strip.paste(image, (x, 0))
        x += image.width + gap
    return _png(strip)


def evidence_html(ev: Displayable) -> str:
    """A preview strip and a summary of the plan, for ``Evidence._repr_html_``.

    Example:
        >>> "<table>" in evidence_html(ev)                 # doctest: +SKIP
        True
    """
    info = ev.info
    images = "".join(
        f"<figure style='display:inline-block;margin:0 4px 0 0'>"
        f"<img src='data:image/png;base64,{base64.b64encode(_png(image)).decode('ascii')}' "
        f"width='{image.width}' alt='output at {t:.2f} s'/>"
        f"<figcaption style='text-align:center'>{format_time(t)}</figcaption></figure>"
        for t, image in preview_strip(ev))
    lines = [f"{info.path.name}: {info.width}x{info.height}, {info.duration:.2f} s source, "
             f"{ev.duration:.2f} s output"]
    card = ev.plan.title_card
    if card is not None:
        lines.append(f"Title card ({card.seconds:g} s): order {card.order}, date {card.date}"
                     + (f", {card.title}" if card.title else ""))
    captions = ev.plan.captions
    if captions is not None:
        lines.append(f"Captions from {captions.origin}" +
                     (f": {len(captions.cues)} cues" if captions.cues else ""))
    if ev.transcript is not None:
        lines.append(f"Transcript: {len(ev.transcript.segments)} segments, language "
                     f"{ev.transcript.language or 'none'}")
    rows = [(layer.kind, layer.describe(), layer.span.describe()) for layer in ev.plan.layers]
    summary = "".join(f"<div>{html.escape(line)}</div>" for line in lines)
    table = html_table(("layer", "what", "when (source)"), rows) if rows else ""
    return f"<div class='evidence-annotate'><div>{images}</div>{summary}{table}</div>"
