"""Rich display in Jupyter: a preview strip and plan summary for Evidence, a table for Transcript.

``Evidence._repr_html_`` / ``_repr_png_`` and ``Transcript._repr_html_`` call these functions.
Every piece of user text (labels, titles, file names, transcript words) is HTML-escaped, so a
label such as ``<b>`` shows literally and cannot inject markup.

Example:
    >>> from evidence_annotate.transcript import Transcript, Segment
    >>> html = transcript_html(Transcript("en", 0.99, 2.0, (Segment(0.5, 1.4, "a <b>"),)))
    >>> "a &lt;b&gt;" in html
    True
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PIL import Image

from .layers import Arrow, Blur, Box, Layer, Text
from .units import format_time

if TYPE_CHECKING:
    from .evidence import Evidence
    from .transcript import Transcript

__all__ = ["evidence_html", "evidence_png", "preview_strip", "transcript_html"]

STRIP_FRAMES = 4
"""Frames in the preview strip, spread evenly over the output."""
THUMB_WIDTH = 240
"""Width of each thumbnail in pixels."""
_ROWS_SHOWN = 50


def preview_strip(ev: Evidence, frames: int = STRIP_FRAMES,
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


def evidence_png(ev: Evidence) -> bytes:
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


def _describe(layer: Layer) -> tuple[str, str]:
    """A layer's kind and a short description of what and where."""
    if isinstance(layer, Box):
        r = layer.rect
        what = f"({r.x}, {r.y}) {r.w}x{r.h}" + (f" label {layer.label!r}" if layer.label else "")
    elif isinstance(layer, Arrow):
        what = f"({layer.tail.x}, {layer.tail.y}) -> ({layer.head.x}, {layer.head.y})"
    elif isinstance(layer, Text):
        what = repr(layer.text)
    elif isinstance(layer, Blur):
        r = layer.rect
        what = f"({r.x}, {r.y}) {r.w}x{r.h} {layer.method}"
    else:  # pragma: no cover - a layer kind added later
        what = ""
    return type(layer).__name__.lower(), what


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{html.escape(c)}</td>"
                                    for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def evidence_html(ev: Evidence) -> str:
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
    rows = [(*_describe(layer), layer.span.describe()) for layer in ev.plan.layers]
    summary = "".join(f"<div>{html.escape(line)}</div>" for line in lines)
    table = _table(("layer", "what", "when (source)"), rows) if rows else ""
    return f"<div class='evidence-annotate'><div>{images}</div>{summary}{table}</div>"


def transcript_html(t: Transcript) -> str:
    """The transcript as a table of segments (start, end, text), for ``_repr_html_``.

    Example:
        >>> from evidence_annotate.transcript import Transcript, Segment
        >>> "<td style='text-align:left'>00:00.500</td>" in transcript_html(
        ...     Transcript("en", 1.0, 2.0, (Segment(0.5, 1.4, "Cracked lid."),)))
        True
    """
    rows = [(format_time(s.start), format_time(s.end), s.text.strip())
            for s in t.segments[:_ROWS_SHOWN]]
    more = len(t.segments) - len(rows)
    title = (f"Transcript: language {t.language or 'none'}, {len(t.segments)} segments, "
             f"{len(t.words)} words")
    tail = f"<div>... {more} more segments</div>" if more > 0 else ""
    return (f"<div class='evidence-annotate'><div>{html.escape(title)}</div>"
            f"{_table(('start', 'end', 'text'), rows)}{tail}</div>")
