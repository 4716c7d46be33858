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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from .colors import ColorLike
from .export import ExportResult
from .layers import BLUR_METHODS, Arrow, Blur, BlurMethod, Box, Layer, Span, Text, TitleCard
from .media import MediaInfo, probe
from .plan import Plan, Timeline
from .render.graph import EncodeSettings, ExportJob, compile_export
from .styles import ArrowStyle, BoxStyle, TextStyle, TitleCardStyle
from .transcript import Transcript
from .units import PointLike, RectLike, TimeLike, parse_time, resolve_point, resolve_rect

if TYPE_CHECKING:
    import pysubs2

    from .captions import CaptionRules, CaptionStyle
    from .deliver import Fit
    from .platforms import Platform

__all__ = ["Evidence", "open"]


@dataclass(frozen=True)
class Evidence:
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
    @property
    def timeline(self) -> Timeline:
        """How source times map onto the output (title card first, cuts removed)."""
        return self.plan.timeline(self.info.frame_rate, self.info.duration)

    @property
    def duration(self) -> float:
        """Duration of the OUTPUT in seconds (title card included, cuts removed)."""
        return self.timeline.duration

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

    # ---------------------------------------------------------------- speech
    def transcribe(self, model: str | None = None, *, language: str | None = None,
                   device: str = "auto", compute_type: str = "auto", vad: bool = True,
                   hotwords: str | None = None, initial_prompt: str | None = None,
                   cache: bool = True, progress: bool = True) -> Evidence:
        """Transcribe the narration with faster-whisper (word times, VAD, cached).

        Uses the same audio stream the export uses; times are on the source timeline. A clip
        without audio gets an empty transcript.

        Args:
            model: A Whisper size (``"small"``, ``"base.en"``, ...), a local CTranslate2
                folder, or ``None`` for ``$EVIDENCE_ANNOTATE_MODEL`` else ``"small"``.
            language: ISO code such as ``"en"``; ``None`` detects it.
            device: ``"auto"``, ``"cpu"`` or ``"cuda"``.
            compute_type: CTranslate2 compute type (``"auto"``, ``"int8"``, ``"float16"``, ...).
            vad: Skip non-speech with the Silero VAD (recommended: no captions on noise).
            hotwords: Words to favour, e.g. brand or product names.
            initial_prompt: Text that primes spelling and style.
            cache: Reuse a stored result for the same file, model and options.
            progress: Show a progress bar in audio seconds.

        Returns:
            A new Evidence whose :attr:`transcript` is set.

        Raises:
            ModelError: The model cannot be found or loaded (the message says how to work
                offline with a local folder).

        Example:
            >>> ev.transcribe(model="/models/whisper-tiny.en").transcript.text  # doctest: +SKIP
            'The phone case arrived with a crack along the left edge.'
        """
        from .transcribe import TranscribeOptions, transcribe_media

        options = TranscribeOptions(model=model, language=language, device=device,
                                    compute_type=compute_type, vad=vad, hotwords=hotwords,
                                    initial_prompt=initial_prompt)
        transcript = transcribe_media(self.info.path, audio_stream=self.info.audio_stream,
                                      audio_start=self.info.audio_start,
                                      duration=self.info.duration, options=options,
                                      cache=cache, progress=progress)
        from .models import DEFAULT_MODEL, MODEL_ENV

        used = model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
        return replace(self, transcript=transcript, speech_model=used)

    def captions(self, *, source: str | os.PathLike[str] | pysubs2.SSAFile | None = None,
                 rules: CaptionRules | None = None, style: CaptionStyle | None = None,
                 karaoke: bool = False) -> Evidence:
        r"""Burn captions into the export: from the transcript, or from a subtitle file.

        Without ``source`` the transcript is used (transcribing first with the defaults when
        there is none). SRT and VTT text is shown literally; ASS files keep their styling.

        Args:
            source: A ``.srt``, ``.vtt`` or ``.ass`` file (source timeline), or a
                ``pysubs2.SSAFile``.
            rules: Segmentation rules (line length, cue duration, reading speed, ...).
            style: Look of the captions.
            karaoke: Highlight each word as it is spoken (ASS ``\k`` timing).

        Returns:
            A new Evidence with captions in its plan.

        Example:
            >>> ev.transcribe().captions(rules=ea.CaptionRules(max_cps=20))  # doctest: +SKIP
        """
        from .captions.track import track_from_source, track_from_transcript

        if source is not None:
            src = source if not isinstance(source, (str, os.PathLike)) else Path(source)
            track = track_from_source(src, self.info, style=style)
            return replace(self, plan=replace(self.plan, captions=track))
        ev = self if self.transcript is not None else self.transcribe()
        assert ev.transcript is not None
        track = track_from_transcript(ev.transcript, self.info, rules=rules, style=style,
                                      karaoke=karaoke)
        return replace(ev, plan=replace(ev.plan, captions=track))

    def write_captions(self, path: str | os.PathLike[str]) -> Path:
        """Write the captions as ``.srt``, ``.ass``, ``.vtt`` or ``.json`` (by suffix).

        Times are on the OUTPUT timeline (shifted by the title card), matching the export.
        Without :meth:`captions`, the transcript is segmented with the default rules.

        Args:
            path: The file to write (atomically; its folder is created).

        Returns:
            The path written.

        Raises:
            ValueError: Nothing to write (no captions and no transcript), or unknown suffix.

        Example:
            >>> ev.transcribe().write_captions("unboxing.srt")  # doctest: +SKIP
        """
        from .captions.track import track_from_transcript, write_track

        track = self.plan.captions
        if track is None:
            if self.transcript is None:
                raise ValueError("there are no captions to write; call .transcribe() or "
                                 ".captions(source=...) first")
            track = track_from_transcript(self.transcript, self.info)
        return write_track(track, Path(path), self.info, self.timeline)

    # --------------------------------------------------------------- rendering
    def preview(self, t: TimeLike = 0.0) -> Image.Image:
        """The output frame at OUTPUT time ``t`` (title card first) as a ``PIL.Image``.

        Example:
            >>> ev.preview(3.5).save("frame.png")  # doctest: +SKIP
        """
        from .render.preview import output_frame

        seconds = parse_time(t, name="t")
        if seconds >= self.duration:
            raise ValueError(f"t={t!r} is past the end of the output ({self.duration:.3f} s)")
        return output_frame(self.plan, self.info, seconds)

    def to_moviepy(self) -> Any:
        """The same composition as a MoviePy clip (title card and overlays; no captions).

        Example:
            >>> clip = ev.to_moviepy(); clip.duration  # doctest: +SKIP
        """
        from .render.moviepy import to_moviepy

        return to_moviepy(self.plan, self.info)

    def compile(self, path: str | os.PathLike[str], workdir: str | os.PathLike[str], *,
                crf: int = 20, speed: str = "medium") -> ExportJob:
        """Compile the export without running it: the exact ffmpeg argv and filter graph.

        Args:
            path: The output ffmpeg would write.
            workdir: A folder for the sprites and the graph file.
            crf: See :meth:`export`.
            speed: See :meth:`export`.

        Returns:
            The :class:`~evidence_annotate.render.graph.ExportJob`.
        """
        from .render.run import ffmpeg_exe

        return compile_export(self.plan, self.info, Path(path), Path(workdir),
                              settings=EncodeSettings(crf=crf, preset=speed), ffmpeg=ffmpeg_exe())

    def export(self, path: str | os.PathLike[str], *, platform: str | Platform | None = None,
               fit: Fit | None = None, crf: int = 20, speed: str = "medium",
               audio_bitrate: str = "128k", keep_metadata: Sequence[str] = (),
               manifest: bool = True, progress: bool = True) -> ExportResult:
        """Render the evidence video with ONE ffmpeg filter graph (H.264 + AAC).

        The output appears atomically (temp file + rename); on any failure nothing is left
        behind. The written file is probed and its duration checked against the plan. GPS,
        device and software tags are never copied; 10-bit/HDR footage becomes 8-bit bt709.

        Args:
            path: Output file (``.mp4``, ``.m4v``, ``.mov`` or ``.mkv``); its folder is created.
            platform: ``"aliexpress"``, ``"shopee"``, ``"generic"`` or an
                :class:`~evidence_annotate.platforms.Platform`: the export then meets its
                size limit (two-pass encoding, lower resolution when needed) and is refused
                when longer than allowed unless ``fit`` is given.
            fit: ``"split"`` writes numbered parts ``<name>_part1.mp4``, ... each within the
                limits, cut between words; ``"trim"`` keeps the first allowed seconds.
            crf: x264 quality (0-51, lower = better and bigger).
            speed: x264 preset, ``"ultrafast"`` ... ``"veryslow"``.
            audio_bitrate: AAC bitrate.
            keep_metadata: Source tags to keep, e.g. ``("creation_time",)``.
            manifest: Write ``<output>.manifest.json`` with SHA-256 hashes and the plan.
            progress: Show progress bars.

        Returns:
            An :class:`~evidence_annotate.export.ExportResult` (``paths`` lists every part,
            ``manifest`` the manifest).

        Raises:
            OutputError: ``path`` is the input (also via a link), a folder, or not writable.
            PlatformLimitError: Too long for the platform and no ``fit`` given.
            RenderError: ffmpeg failed (its stderr is attached) or wrote a wrong file.

        Example:
            >>> ev.export("evidence.mp4", platform="aliexpress", fit="split")  # doctest: +SKIP
        """
        from .deliver import deliver

        settings = EncodeSettings(crf=crf, preset=speed, audio_bitrate=audio_bitrate)
        return deliver(self.plan, self.info, self.transcript, path, settings=settings,
                       platform=platform, fit=fit, keep_metadata=keep_metadata,
                       manifest=manifest, progress=progress, speech_model=self.speech_model)

    def stills(self, directory: str | os.PathLike[str],
               times: Sequence[TimeLike] | None = None) -> list[Path]:
        """Write PNG frames of the annotated output (title card included).

        Args:
            directory: Folder for the PNGs (created).
            times: OUTPUT times; ``None`` = the title card plus the middle of every box,
                arrow and text window.

        Returns:
            The PNG paths, in the order of ``times``.

        Example:
            >>> ev.stills("stills", times=[1.5, 6.0])  # doctest: +SKIP
        """
        from .stills import write_stills

        return write_stills(self.plan, self.info, directory, times)

    def report(self, path: str | os.PathLike[str], *,
               manifest: str | os.PathLike[str] | None = None) -> Path:
        """Write a PDF for platforms that take documents or images.

        It holds the title card fields, stills with their times, the transcript (output
        times) and, given an export's manifest, the SHA-256 of every file.

        Example:
            >>> result = ev.export("evidence.mp4")                    # doctest: +SKIP
            >>> ev.report("evidence.pdf", manifest=result.manifest)   # doctest: +SKIP
        """
        from .stills import write_report_for

        return write_report_for(self.plan, self.info, self.transcript, path,
                                manifest=Path(manifest) if manifest is not None else None)

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
