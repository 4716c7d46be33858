"""The immutable, fluent :class:`Evidence`: a source clip plus a plan of what to draw.

Every chained call returns a NEW ``Evidence``; the receiver never changes. Nothing is rendered
until :meth:`Evidence.export`, :meth:`Evidence.preview` or :meth:`Evidence.to_moviepy`.

Example:
    >>> import evidence_annotate as ea
    >>> ev = ea.open("unboxing.mp4")                                  # doctest: +SKIP
    >>> out = (ev.title_card(order="8123456789012", date="2026-11-20")
    ...          .box((420, 260, 300, 220), start=2.0, end=6.0, label="Crack")
    ...          .blur(ea.rel(0.8, 0.0, 0.2, 0.15)))                   # doctest: +SKIP
    >>> out.export("evidence.mp4")                                     # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .colors import ColorLike
from .evidence_output import OutputMixin
from .evidence_speech import SpeechMixin
from .layers import BLUR_METHODS, Arrow, Blur, BlurMethod, Box, Layer, Span, Text, TitleCard
from .media import MediaInfo, probe
from .plan import Plan
from .styles import ArrowStyle, BoxStyle, TextStyle, TitleCardStyle
from .transcript import Transcript
from .units import PointLike, RectLike, TimeLike, parse_time, resolve_point, resolve_rect

__all__ = ["Evidence", "open"]


@dataclass(frozen=True)
class Evidence(SpeechMixin, OutputMixin):
    """A source clip and an immutable plan of annotations. Build one with :func:`open`.

    Attributes:
        info: The probed source (:class:`~evidence_annotate.media.MediaInfo`).
        plan: The layers, captions and title card drawn over it.
        transcript: What was said (source timeline), once :meth:`transcribe` has run.
        speech_model: The speech model that made the transcript (for the manifest).
    """

    info: MediaInfo
    plan: Plan = Plan()
    transcript: Transcript | None = None
    speech_model: str | None = None

    # ----------------------------------------------------------------- helpers
    def _evolve(self, **changes: Any) -> Evidence:
        return replace(self, **changes)

    @property
    def layers(self) -> tuple[Layer, ...]:
        """The timed layers, bottom first."""
        return self.plan.layers

    def _span(self, start: TimeLike | None, end: TimeLike | None) -> Span:
        begin = parse_time(start, name="start") if start is not None else 0.0
        finish = parse_time(end, name="end") if end is not None else None
        limit = self.info.duration
        if begin >= limit:
            raise ValueError(f"start={start!r} ({begin:.3f} s) is at or past the end of the clip "
                             f"({limit:.3f} s); times are seconds on the source clip")
        if finish is not None and finish <= begin:
            raise ValueError(f"end={end!r} ({finish:.3f} s) must be after start={start!r} "
                             f"({begin:.3f} s)")
        if finish is not None and finish >= limit:
            finish = None  # until the end
        return Span(begin, finish)

    def _add(self, layer: Layer) -> Evidence:
        return replace(self, plan=replace(self.plan, layers=(*self.plan.layers, layer)))

    # ------------------------------------------------------------------ layers
    def title_card(self, order: str, date: str | _dt.date, title: str | None = None,
                   seconds: float = 3.0, fields: Mapping[str, str] | None = None,
                   style: TitleCardStyle | None = None) -> Evidence:
        """Prepend a full-frame card with the order number, date and title.

        The source's audio is preceded by silence of the card's length, and everything after
        the card shifts by its length (a whole number of frames). Calling it again replaces
        the card.

        Args:
            order: The order number, shown as given.
            date: Order or delivery date (a ``datetime.date`` is shown as ``YYYY-MM-DD``).
            title: One line on what is wrong.
            seconds: How long the card shows (0 < seconds <= 30).
            fields: Extra rows, e.g. ``{"Seller": "Acme Store"}``.
            style: Colours and font of the card.

        Returns:
            A new Evidence.

        Raises:
            ValueError: Empty order, or seconds out of range.

        Example:
            >>> ev.title_card("8123456789012", "2026-11-20", "Cracked case")  # doctest: +SKIP
        """
        order_text = str(order).strip()
        if not order_text:
            raise ValueError("order must not be empty; give the marketplace's order number")
        date_text = date.isoformat() if isinstance(date, _dt.date) else str(date).strip()
        if not date_text:
            raise ValueError("date must not be empty; give the order or delivery date")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
                or not 0 < seconds <= 30:
            raise ValueError(f"seconds={seconds!r} must be > 0 and <= 30 (3 is typical)")
        rows = tuple((str(k), str(v)) for k, v in (fields or {}).items())
        card = TitleCard(order_text, date_text, title, float(seconds), rows,
                         style or TitleCardStyle())
        return replace(self, plan=replace(self.plan, title_card=card))

    def box(self, rect: RectLike, start: TimeLike | None = None, end: TimeLike | None = None, *,
            color: ColorLike | None = None, thickness: int | None = None,
            label: str | None = None, radius: int | None = None,
            style: BoxStyle | None = None) -> Evidence:
        """Highlight a rectangle (the line is drawn just outside it).

        Args:
            rect: ``(x, y, w, h)`` in displayed pixels, or ``ea.rel(x, y, w, h)``.
            start: When it appears (source seconds or ``"mm:ss.ms"``); ``None`` = from the start.
            end: When it disappears; ``None`` = until the end.
            color: Line colour (overrides the style's).
            thickness: Line width in pixels (overrides the style's).
            label: A tag shown on the box's top edge.
            radius: Corner radius in pixels (overrides the style's).
            style: Everything else (:class:`~evidence_annotate.styles.BoxStyle`).

        Returns:
            A new Evidence.

        Raises:
            ValueError: Rectangle outside the frame, bad times or colour.

        Example:
            >>> ev.box((420, 260, 300, 220), start=2, end=6, label="Crack")  # doctest: +SKIP
        """
        base = style or BoxStyle()
        changes: dict[str, Any] = {}
        if color is not None:
            changes["color"] = color
        if thickness is not None:
            changes["thickness"] = thickness
        if radius is not None:
            changes["radius"] = radius
        box_style = replace(base, **changes) if changes else base
        return self._add(Box(resolve_rect(rect, self.info.size, name="rect"),
                             self._span(start, end), box_style, _label(label)))

    def arrow(self, tail: PointLike, head: PointLike, start: TimeLike | None = None,
              end: TimeLike | None = None, *, color: ColorLike | None = None,
              thickness: int | None = None, label: str | None = None,
              style: ArrowStyle | None = None) -> Evidence:
        """Draw an arrow pointing from ``tail`` to ``head``.

        Args:
            tail: Start point ``(x, y)`` in displayed pixels, or ``ea.rel(x, y)``.
            head: The point the arrow points at.
            start: When it appears; ``None`` = from the start.
            end: When it disappears; ``None`` = until the end.
            color: Fill colour (overrides the style's).
            thickness: Shaft width in pixels (overrides the style's).
            label: A tag shown at the tail.
            style: Everything else (:class:`~evidence_annotate.styles.ArrowStyle`).

        Returns:
            A new Evidence.

        Raises:
            ValueError: Points outside the frame or equal, bad times or colour.

        Example:
            >>> ev.arrow((150, 120), (430, 300), start=2, end=6)  # doctest: +SKIP
        """
        p_tail = resolve_point(tail, self.info.size, name="tail")
        p_head = resolve_point(head, self.info.size, name="head")
        if p_tail == p_head:
            raise ValueError(f"tail and head are the same point {tuple(p_tail)}; an arrow needs "
                             "two different points")
        base = style or ArrowStyle()
        changes: dict[str, Any] = {}
        if color is not None:
            changes["color"] = color
        if thickness is not None:
            changes["thickness"] = thickness
        arrow_style = replace(base, **changes) if changes else base
        return self._add(Arrow(p_tail, p_head, self._span(start, end), arrow_style, _label(label)))

    def text(self, text: str, at: PointLike = (24, 24), start: TimeLike | None = None,
             end: TimeLike | None = None, *, style: TextStyle | None = None) -> Evidence:
        r"""Show a callout label (drawn literally on a readable background).

        Args:
            text: The text; ``\n`` starts a new line; nothing is interpreted as markup.
            at: Top-left corner in displayed pixels, or ``ea.rel(x, y)``; kept inside the frame.
            start: When it appears; ``None`` = from the start.
            end: When it disappears; ``None`` = until the end.
            style: Font size, colours, background (:class:`~evidence_annotate.styles.TextStyle`).

        Returns:
            A new Evidence.

        Raises:
            ValueError: Empty text, point outside the frame, bad times.

        Example:
            >>> ev.text("Wrong colour", at=(60, 60), start=7, end=10)  # doctest: +SKIP
        """
        content = _label(text)
        if content is None:
            raise ValueError("text must not be empty")
        return self._add(Text(content, resolve_point(at, self.info.size, name="at"),
                              self._span(start, end), style or TextStyle()))

    def blur(self, rect: RectLike, start: TimeLike | None = None, end: TimeLike | None = None,
             *, method: BlurMethod = "gaussian", blocks: int = 8) -> Evidence:
        """Hide personal data (address labels, faces, screens) inside a rectangle.

        The region is reduced to ``blocks`` blocks across its shorter side before it is
        enlarged again, so detail is gone whatever the region's size; blurs apply to the
        footage beneath every drawn layer.

        Args:
            rect: ``(x, y, w, h)`` in displayed pixels, or ``ea.rel(x, y, w, h)``.
            start: When it starts; ``None`` = from the start (whole clip when both are None).
            end: When it ends; ``None`` = until the end.
            method: ``"gaussian"``, ``"pixelate"`` or ``"fill"`` (solid dark box).
            blocks: Blocks across the shorter side (2..64; fewer = stronger).

        Returns:
            A new Evidence.

        Raises:
            ValueError: Unknown method, rectangle outside the frame, bad times.

        Example:
            >>> ev.blur((900, 40, 300, 120), method="pixelate")  # doctest: +SKIP
        """
        if method not in BLUR_METHODS:
            raise ValueError(f"method={method!r} is not a blur method; use one of "
                             f"{', '.join(BLUR_METHODS)}")
        if isinstance(blocks, bool) or not isinstance(blocks, int) or not 2 <= blocks <= 64:
            raise ValueError(f"blocks={blocks!r} must be an integer 2..64 (8 is the default)")
        return self._add(Blur(resolve_rect(rect, self.info.size, name="rect"),
                              self._span(start, end), method, blocks))

    # ------------------------------------------------------------------ edits
    def trim(self, start: TimeLike | None = None, end: TimeLike | None = None) -> Evidence:
        """Keep only ``[start, end)`` of the source (overlays and captions follow).

        Example:
            >>> ev.trim(2.0, "00:14")  # doctest: +SKIP
        """
        span = self._span(start, end)
        begin, finish = span.bounded(self.info.duration)
        return self._keep(_intersect(self.timeline.segments, [(begin, finish)]))

    def cut(self, ranges: Sequence[tuple[TimeLike, TimeLike]]) -> Evidence:
        """Remove source ranges (e.g. a long pause or a private moment) from the output.

        Args:
            ranges: ``[(start, end), ...]`` in source seconds or ``"mm:ss.ms"``.

        Example:
            >>> ev.cut([(4.0, 9.5), ("00:20", "00:22")])  # doctest: +SKIP
        """
        if isinstance(ranges, (str, bytes)) or not isinstance(ranges, Sequence):
            raise ValueError(f"ranges={ranges!r} must be a list of (start, end) pairs")
        removed = []
        for index, pair in enumerate(ranges):
            if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
                raise ValueError(f"ranges[{index}]={pair!r} must be a (start, end) pair")
            removed.append(self._span(pair[0], pair[1]).bounded(self.info.duration))
        kept = [(0.0, self.info.duration)]
        for start, end in removed:
            kept = [piece for a, b in kept
                    for piece in ((a, min(b, start)), (max(a, end), b)) if piece[1] > piece[0]]
        return self._keep(_intersect(self.timeline.segments, kept))

    def _keep(self, segments: list[tuple[float, float]]) -> Evidence:
        frame = 1.0 / max(self.info.fps, 1.0)
        segments = [(a, b) for a, b in segments if b - a >= frame]
        if not segments:
            raise ValueError("nothing of the clip would remain; keep at least one frame")
        return replace(self, plan=replace(self.plan, keep=tuple(segments)))

    def _repr_html_(self) -> str:
        from .notebook import evidence_html

        return evidence_html(self)

    def _repr_png_(self) -> bytes:
        from .notebook import evidence_png

        return evidence_png(self)

    def __repr__(self) -> str:
        info = self.info
        parts = [f"{info.path.name!r} {info.width}x{info.height} {info.duration:.2f}s"]
        if self.plan.title_card is not None:
            parts.append("title card")
        parts += [f"{type(layer).__name__.lower()} {layer.span.describe()}"
                  for layer in self.plan.layers]
        return f"<Evidence {', '.join(parts)}>"


def _intersect(a: Sequence[tuple[float, float]],
               b: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(max(x0, y0), min(x1, y1)) for x0, x1 in a for y0, y1 in b if min(x1, y1) > max(x0, y0)]


def _label(text: str | None) -> str | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise ValueError(f"expected text, got {text!r}")
    return text if text.strip() else None


def open(path: str | os.PathLike[str]) -> Evidence:
    """Open a video clip as :class:`Evidence` (probing it; nothing is decoded yet).

    Args:
        path: The phone video.

    Returns:
        An Evidence with an empty plan.

    Raises:
        InputError: Missing, a folder, empty, unreadable or no video stream.

    Example:
        >>> import evidence_annotate as ea
        >>> ea.open("unboxing.mp4").info.size   # doctest: +SKIP
        (1080, 1920)
    """
    return Evidence(probe(path))
