"""Speech for :class:`~evidence_annotate.Evidence`: transcription and captions."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .evidence_base import EvidenceBase, Self

if TYPE_CHECKING:
    import pysubs2

    from .captions import CaptionRules, CaptionStyle

__all__ = ["SpeechMixin"]


class SpeechMixin(EvidenceBase):
    """Transcribe the narration and turn it (or a subtitle file) into captions."""

    def transcribe(self, model: str | None = None, *, language: str | None = None,
                   device: str = "auto", compute_type: str = "auto", vad: bool = True,
                   hotwords: str | None = None, initial_prompt: str | None = None,
                   cache: bool = True, progress: bool = True) -> Self:
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
        return self._evolve(transcript=transcript, speech_model=used)

    def captions(self, *, source: str | os.PathLike[str] | pysubs2.SSAFile | None = None,
                 rules: CaptionRules | None = None, style: CaptionStyle | None = None,
                 karaoke: bool = False) -> Self:
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
            return self._evolve(plan=replace(self.plan, captions=track))
        ev = self if self.transcript is not None else self.transcribe()
        assert ev.transcript is not None
        track = track_from_transcript(ev.transcript, self.info, rules=rules, style=style,
                                      karaoke=karaoke)
        return ev._evolve(plan=replace(ev.plan, captions=track))

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
