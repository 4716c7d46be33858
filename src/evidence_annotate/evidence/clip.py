"""The immutable, fluent [Evidence][]: a source clip plus a plan of what to draw.

Every chained call returns a NEW ``Evidence``; nothing renders until an export or preview.
``ev.box(...)``, ``ev.arrow(...)``, ... come from [KINDS][evidence_annotate.overlays.KINDS]:
each calls its kind's ``create`` (parameters in the kind's module) and [Evidence.add][].

Example:
    >>> import evidence_annotate as ea
    >>> out = (ea.open("unboxing.mp4").title_card("8123456789012", "2026-11-20")
    ...          .box((420, 260, 300, 220), start=2.0, end=6.0, label="Crack")
    ...          .export("evidence.mp4"))                               # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pysubs2

from ..captions import CaptionRules, CaptionStyle
from ..captions.track import track_from_source, track_from_transcript, write_track
from ..cards import TitleCard, TitleCardStyle
from ..deliver.export import plan_inputs
from ..geometry import output_size
from ..media import MediaInfo, capture_time, probe
from ..notebook import evidence_html, evidence_png
from ..overlays import Context
from ..plan import Plan
from ..render.frames import snap_ranges
from ..speech.pii_mask import mask_redacted
from ..speech.transcribe import TranscribeOptions, transcribe_media
from ..speech.transcript import Transcript
from ..timing import TimeLike, intersect, subtract
from ..validate import instance_of, path_like
from .outputs import Outputs
from .overlaid import Overlaid
from .privacy import Privacy
from .spoken import Spoken
from .timeedits import TimeEdits

if TYPE_CHECKING:
    from ..captions.bilingual import Show

__all__ = ["Evidence", "open"]


@dataclass(frozen=True)
class Evidence(Overlaid, Outputs, Spoken, TimeEdits, Privacy):
    """A source clip and an immutable plan of annotations. Build one with [open][].

    Attributes:
        info: The probed source ([MediaInfo][evidence_annotate.media.MediaInfo]).
        plan: The overlays, captions and title card drawn over it.
        transcript: What was said (source timeline), once [transcribe][] has run.
        speech_model: The speech model that made the transcript (for the manifest).
    """

    info: MediaInfo
    plan: Plan = Plan()
    transcript: Transcript | None = None
    speech_model: str | None = None

    @property
    def context(self) -> Context:
        """What overlay kinds resolve users' values against (frame size, duration, ...)."""
        return Context(self.info.size, self.info.duration, self.info.fps, capture_time(self.info))

    def title_card(self, order: str, date: str | _dt.date, title: str | None = None,
                   seconds: float = 3.0, fields: Mapping[str, str] | None = None,
                   style: TitleCardStyle | None = None) -> Evidence:
        """Prepend a full-frame card with the order number, date and title.

        Everything after the card (sound included) shifts by its length, a whole number of
        frames. Calling it again replaces the card.

        Args:
            order: The order number, shown as given.
            date: Order or delivery date (a ``datetime.date`` is shown as ``YYYY-MM-DD``).
            title: One line on what is wrong.
            seconds: How long the card shows (0 < seconds <= 30).
            fields: Extra rows, e.g. ``{"Seller": "Acme Store"}``.
            style: Colours and font of the card.

        Raises:
            ValueError: Empty order or date, seconds out of range, bad fields or style.

        Example:
            >>> ev.title_card("8123456789012", "2026-11-20", "Cracked case")  # doctest: +SKIP
        """
        card = TitleCard.create(order, date, title, seconds, fields, style)
        return replace(self, plan=replace(self.plan, title_card=card))

    def trim(self, start: TimeLike | None = None, end: TimeLike | None = None) -> Evidence:
        """Keep only ``[start, end)`` of the source (overlays and captions follow).

        Example:
            >>> ev.trim(2.0, "00:14")  # doctest: +SKIP
        """
        span = self.context.span(start, end)
        return self._keep(intersect(self.timeline.segments, [span.bounded(self.info.duration)]))

    def cut(self, ranges: Sequence[tuple[TimeLike, TimeLike]]) -> Evidence:
        """Remove source ranges (e.g. a long pause or a private moment) from the output.

        Args:
            ranges: ``[(start, end), ...]`` in source seconds or ``"mm:ss.ms"``.

        Example:
            >>> ev.cut([(4.0, 9.5), ("00:20", "00:22")])  # doctest: +SKIP
        """
        kept = subtract([(0.0, self.info.duration)], self.context.ranges(ranges))
        return self._keep(intersect(self.timeline.segments, kept))

    def _keep(self, segments: Sequence[tuple[float, float]]) -> Evidence:
        kept = snap_ranges(self.info, segments)
        if not kept:
            raise ValueError("nothing of the clip would remain; keep at least one frame")
        return replace(self, plan=replace(self.plan, keep=kept))

    def transcribe(self, model: str | None = None, *,
                   language: str | tuple[str, ...] | None = None, translate: bool = False,
                   device: str = "auto", compute_type: str = "auto", vad: bool = True,
                   hotwords: str | None = None, initial_prompt: str | None = None,
                   cache: bool = True, progress: bool = True) -> Evidence:
        """Transcribe the narration (source times; language checked; doubtful text flagged).

        Args:
            model: A Whisper size, hub id or CTranslate2 folder; ``None`` =
                ``$EVIDENCE_ANNOTATE_MODEL``, else the offline model package, else ``"small"``.
            language: ISO code such as ``"id"``, candidates such as ``("id", "en")``, or
                ``None`` to identify it on the speech.
            translate: Also make a time-aligned English machine translation.
            device: ``"auto"``, ``"cpu"`` or ``"cuda"``.
            compute_type: CTranslate2 compute type (``"auto"``, ``"int8"``, ``"float16"``, ...).
            vad: Skip non-speech with the Silero VAD (recommended: no captions on noise).
            hotwords: Words to favour, e.g. brand or product names.
            initial_prompt: Text that primes spelling and style.
            cache: Reuse a stored result for the same file, model and options.
            progress: Show a progress bar in audio seconds.

        Raises:
            ModelError: No such model, or an English-only one for non-English speech.

        Example:
            >>> ev.transcribe(language=("id", "en"), translate=True)  # doctest: +SKIP
        """
        info, options = self.info, TranscribeOptions(
            model=model, language=language, translate=translate, device=device,
            compute_type=compute_type, vad=vad, hotwords=hotwords, initial_prompt=initial_prompt)
        transcript = transcribe_media(info.path, audio_stream=info.audio_stream, cache=cache,
                                      audio_start=info.audio_start, duration=info.duration,
                                      options=options, progress=progress)
        # Spans redacted earlier stay masked in a new transcript (and its translation).
        transcript = mask_redacted(transcript, self.plan.speech_redactions)
        return replace(self, transcript=transcript, speech_model=transcript.model or None)

    def captions(self, *, source: str | os.PathLike[str] | pysubs2.SSAFile | None = None,
                 rules: CaptionRules | None = None, style: CaptionStyle | None = None,
                 karaoke: bool = False, show: Show = "original",
                 allow_low_confidence: bool = False) -> Evidence:
        r"""Burn captions into the export: from the transcript, or from a subtitle file.

        Without ``source``, the transcript (transcribing first with the defaults if needed).
        SRT/VTT formatting (italic, bold, colours) is kept and every other character is shown
        literally; ASS/SSA files keep their own styling.

        Args:
            source: A ``.srt``, ``.vtt``, ``.ass``, ``.ssa`` or ``.json`` file (source
                timeline), or a ``pysubs2.SSAFile``.
            rules: Segmentation rules (line length, cue duration, reading speed, ...).
            style: Look of the captions.
            karaoke: Highlight each word as it is spoken (ASS ``\k`` timing).
            show: ``"original"``, ``"english"`` (the machine translation) or ``"both"``.
            allow_low_confidence: Burn a transcript that failed the checks anyway (else
                [LowConfidenceError][evidence_annotate.errors.LowConfidenceError]).

        Example:
            >>> ev.transcribe().captions(rules=ea.CaptionRules(max_cps=20))  # doctest: +SKIP
        """
        for name, given, kinds in (("source", source, (str, os.PathLike, pysubs2.SSAFile)),
                                   ("rules", rules, CaptionRules), ("style", style, CaptionStyle),
                                   ("karaoke", karaoke, bool)):
            instance_of(given, name, kinds)
        if source is not None:
            src = source if not isinstance(source, (str, os.PathLike)) else Path(source)
            track = track_from_source(src, style=style, duration=self.info.duration)
            return replace(self, plan=replace(self.plan, captions=track))
        ev = self if self.transcript is not None else self.transcribe()
        assert ev.transcript is not None
        track = track_from_transcript(ev.transcript, output_size(self.info.size), self.info.fps,
                                      self.info.duration, rules=rules, style=style,
                                      karaoke=karaoke, show=show,
                                      allow_low_confidence=allow_low_confidence)
        return replace(ev, plan=replace(ev.plan, captions=track))

    def write_captions(self, path: str | os.PathLike[str]) -> Path:
        """Write the captions in the format of ``path``'s suffix (``.srt``, ``.vtt``, ...).

        Times are on the OUTPUT timeline, matching the export; the file is written atomically.
        With an English translation, ``x.srt`` becomes ``x.<lang>.srt`` and ``x.en.srt``
        (``.ass``: one file, two tracks); the first path is returned. Example:
        ``ev.transcribe().write_captions("unboxing.srt")``.

        Raises:
            ValueError: Nothing to write (no captions and no transcript), or unknown suffix.
        """
        size, track = output_size(self.info.size), self.plan.captions
        if track is None:
            if self.transcript is None:
                raise ValueError("there are no captions to write; call .transcribe() or "
                                 ".captions(source=...) first")
            track = track_from_transcript(self.transcript, size, self.info.fps,
                                          self.info.duration, allow_low_confidence=True)
        return write_track(track, path_like(path, "path"), size, self.timeline,
                           plan_inputs(self.plan, self.info))

    def edit(self) -> Any:
        """An editor widget for Jupyter: edits make new evidences (see ``widget``)."""
        from ..widget import EvidenceEditor
        return EvidenceEditor(self)

    def _repr_html_(self) -> str:
        return evidence_html(self)

    def _repr_png_(self) -> bytes:
        return evidence_png(self)

    def __repr__(self) -> str:
        info = self.info
        parts = [f"{info.path.name!r} {info.width}x{info.height} {info.duration:.2f}s",
                 *(["title card"] if self.plan.title_card is not None else []),
                 *(f"{layer.kind} {layer.span.describe()}" for layer in self.plan.layers)]
        return f"<Evidence {', '.join(parts)}>"


def open(path: str | os.PathLike[str]) -> Evidence:
    """Open a video clip as [Evidence][] (probing it; nothing is decoded yet).

    Args:
        path: The phone video.

    Raises:
        InputError: Missing, a folder, empty, unreadable or no video stream.

    Example:
        >>> import evidence_annotate as ea
        >>> ea.open("unboxing.mp4").info.size   # doctest: +SKIP
        (1080, 1920)
    """
    return Evidence(probe(path_like(path, "path")))
