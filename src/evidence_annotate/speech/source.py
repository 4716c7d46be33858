"""Audio-only input for transcription: a voice memo or an exported narration track.

[probe][evidence_annotate.probe] (and so [evidence_annotate.open][]) refuses files without
video, since evidence is a video. Transcribing needs only sound, so [audio_source][] finds
the audio stream of any media file, with or without video, for
[transcribe_media][evidence_annotate.speech.transcribe.transcribe_media].

Example:
    >>> source = audio_source("tests/data/narration/lamp.ogg")
    >>> source.stream, source.has_video, round(source.duration, 1)
    (0, False, 7.6)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import av

from ..errors import InputError
from ..media import media_url

__all__ = ["AudioSource", "audio_source"]


@dataclass(frozen=True)
class AudioSource:
    """The audio stream to transcribe in a media file.

    Attributes:
        path: The file.
        stream: Absolute index of its first audio stream.
        start: Seconds from the file's start to the stream's first sample.
        duration: Length of the file in seconds (at least the audio's).
        has_video: Whether the file also has a video stream.
    """

    path: Path
    stream: int
    start: float
    duration: float
    has_video: bool


def audio_source(path: str | os.PathLike[str]) -> AudioSource:
    """Find the first audio stream of ``path`` (any media file, video or not).

    Raises:
        InputError: Missing, a folder, unreadable, or without an audio stream.
    """
    source = Path(path)
    if not source.is_file():
        what = "is a folder" if source.is_dir() else "does not exist"
        raise InputError(f"input {str(source)!r} {what}; check the path (current folder: "
                         f"{Path.cwd()})", source)
    try:
        with av.open(media_url(source), mode="r", timeout=10.0) as container:
            if not container.streams.audio:
                kinds = ", ".join(s.type for s in container.streams) or "none"
                raise InputError(f"input {str(source)!r} has no audio stream (streams: "
                                 f"{kinds}); there is nothing to transcribe", source)
            stream = container.streams.audio[0]
            zero = (container.start_time or 0) / 1_000_000
            start = float(stream.start_time * stream.time_base) - zero \
                if stream.start_time is not None and stream.time_base is not None else 0.0
            length = (container.duration or 0) / 1_000_000
            if length <= 0 and stream.duration is not None and stream.time_base is not None:
                length = float(stream.duration * stream.time_base)
            has_video, index = bool(container.streams.video), stream.index
    except (av.FFmpegError, OSError, UnicodeDecodeError) as err:
        raise InputError(f"input {str(source)!r} cannot be read as audio or video ({err}); "
                         "convert it to .m4a, .mp3, .ogg or .wav first", source) from None
    return AudioSource(source, index, max(0.0, start), max(length, 0.0), has_video)
