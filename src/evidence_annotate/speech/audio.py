"""Audio for speech: one stream decoded to 16 kHz mono samples, and where the speech is.

Example:
    >>> samples = decode_audio("tests/data/narration/lamp.ogg", 0)
    >>> round(samples.size / SAMPLE_RATE, 1)
    7.6
    >>> speech_spans(samples)[0][0] < SAMPLE_RATE
    True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt

from ..errors import InputError
from ..media import media_url

__all__ = ["SAMPLE_RATE", "VAD_PARAMETERS", "decode_audio", "speech_spans"]

SAMPLE_RATE = 16_000
"""Samples per second Whisper listens to."""

VAD_PARAMETERS: dict[str, Any] = {"threshold": 0.5, "min_speech_duration_ms": 250,
                                  "min_silence_duration_ms": 500, "speech_pad_ms": 200}
"""Silero VAD: ignore blips under 250 ms, split on 500 ms pauses, pad speech by 200 ms (enough
not to clip words, small enough that a word after a long silence does not start early)."""


def speech_spans(audio: npt.NDArray[np.float32]) -> list[tuple[int, int]]:
    """Where voice detection (Silero VAD) hears speech: ``(start, end)`` sample indices."""
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")  # before onnxruntime is imported
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if audio.size == 0:
        return []
    found = get_speech_timestamps(audio, VadOptions(**VAD_PARAMETERS))
    return [(int(s["start"]), int(s["end"])) for s in found]


def decode_audio(path: str | Path, stream_index: int) -> npt.NDArray[np.float32]:
    """Decode one audio stream to 16 kHz mono float32 samples."""
    try:
        container = av.open(media_url(Path(path)))
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
