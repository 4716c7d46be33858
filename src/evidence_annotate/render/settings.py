"""Encoder settings and output containers: what an export's ffmpeg command encodes with.

Example:
    >>> EncodeSettings(crf=23, preset="veryfast").audio_bps
    128000
    >>> EncodeSettings(audio_bitrate=128)
    Traceback (most recent call last):
    ...
    ValueError: audio_bitrate=128 must be text like '128k' (AAC bitrate in kbit/s)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from ..media import media_url

__all__ = ["AUDIO_RATE", "OUTPUT_FORMATS", "X264_PRESETS", "EncodeSettings", "auto_threads",
           "video_codec_args"]

AUDIO_RATE = 48_000
X264_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                "slower", "veryslow")
OUTPUT_FORMATS: dict[str, tuple[str, str]] = {
    ".mp4": ("mp4", "mp4"), ".m4v": ("mp4", "mp4"), ".mov": ("mov", "mov"),
    ".mkv": ("matroska", "mkv"),
}
"""Output suffix -> (ffmpeg muxer, container name as platforms list it)."""


@dataclass(frozen=True)
class EncodeSettings:
    """Encoder settings of an export.

    Attributes:
        crf: x264 constant rate factor (0-51, lower = better and bigger).
        preset: x264 preset (``"ultrafast"`` ... ``"veryslow"``): the speed/size trade-off.
        audio_bitrate: AAC bitrate, e.g. ``"128k"``.
        faststart: Put the index first so uploads can be previewed while streaming.
        video_bitrate: Target video bitrate in bit/s for a two-pass encode (replaces ``crf``).
        maxrate: Cap in bit/s on a CRF encode (VBV), so a size budget cannot be overshot.
        size: Scale the output to ``(width, height)`` (``None`` = the source's displayed size).
        metadata: Container tags written to the output (everything else is stripped).
        threads: x264's thread count (``None``: x264 chooses). The encoded bits depend on
            it, so an export records the number it used and a re-render passes it again.
    """

    crf: int = 20
    preset: str = "medium"
    audio_bitrate: str = "128k"
    faststart: bool = True
    video_bitrate: int | None = None
    maxrate: int | None = None
    size: tuple[int, int] | None = None
    metadata: tuple[tuple[str, str], ...] = ()
    threads: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.crf, bool) or not isinstance(self.crf, int) or not 0 <= self.crf <= 51:
            raise ValueError(f"crf={self.crf!r} must be an integer 0..51 (18-23 is typical; "
                             "lower is better quality and a bigger file)")
        if self.preset not in X264_PRESETS:
            raise ValueError(f"speed={self.preset!r} is not an x264 preset; use one of "
                             f"{', '.join(X264_PRESETS)}")
        if not isinstance(self.audio_bitrate, str) or not self.audio_bitrate.rstrip("k").isdigit():
            raise ValueError(f"audio_bitrate={self.audio_bitrate!r} must be text like '128k' "
                             "(AAC bitrate in kbit/s)")
        for name in ("video_bitrate", "maxrate"):
            value = getattr(self, name)
            if value is not None and value < 10_000:
                raise ValueError(f"{name}={value!r} bit/s is too low to encode video")
        if self.threads is not None and (isinstance(self.threads, bool)
                                         or not isinstance(self.threads, int)
                                         or not 1 <= self.threads <= 128):
            raise ValueError(f"threads={self.threads!r} must be an integer 1..128 (or None "
                             "for x264's own choice)")
        if self.size is not None and (self.size[0] % 2 or self.size[1] % 2 or min(self.size) < 2):
            raise ValueError(f"size={self.size!r} must be two even numbers")

    @property
    def audio_bps(self) -> int:
        """The audio bitrate in bit/s."""
        text = self.audio_bitrate
        return int(text[:-1]) * 1000 if text.endswith("k") else int(text)


def auto_threads() -> int:
    """The thread count x264 chooses by itself here: 1.5 per usable CPU (at most 128).

    An export passes it explicitly and records it, so another machine can encode the same
    bits.

    Example:
        >>> 1 <= auto_threads() <= 128
        True
    """
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(128, cpus * 3 // 2))


def video_codec_args(settings: EncodeSettings, pass_number: int | None, workdir: Path) -> list[str]:
    """The video encoder's arguments (x264; CRF, capped CRF or one pass of a two-pass encode)."""
    args = ["-c:v", "libx264", "-preset", settings.preset]
    if settings.threads is not None:
        args += ["-threads:v", str(settings.threads)]
    if settings.video_bitrate is not None:
        args += ["-b:v", str(settings.video_bitrate)]
        if pass_number is not None:
            args += ["-pass", str(pass_number), "-passlogfile", media_url(workdir / "x264pass")]
    else:
        args += ["-crf", str(settings.crf)]
        if settings.maxrate is not None:
            args += ["-maxrate", str(settings.maxrate), "-bufsize", str(settings.maxrate)]
    # Colour tags come from the frames (the tone-mapping chain labels them bt709): forcing
    # them on the encoder makes ffmpeg insert a colour conversion and costs ~10 % speed.
    args += ["-pix_fmt", "yuv420p", "-fps_mode", "vfr"]
    return args


def prepare_encode(output: Path, workdir: Path, settings: EncodeSettings | None,
                   pass_number: int | None) -> tuple[EncodeSettings, str]:
    """Check an encode's output suffix and pass number and create its work folder.

    Returns:
        The settings (defaults when ``None``) and the container ffmpeg writes (``"mp4"``...).

    Raises:
        ValueError: The output suffix has no known container, or a bad pass number.
        OutputError: ``workdir`` cannot be created.
    """
    settings = settings or EncodeSettings()
    if output.suffix.lower() not in OUTPUT_FORMATS:
        raise ValueError(f"output suffix {output.suffix!r} is not supported; use "
                         f"{', '.join(sorted(OUTPUT_FORMATS))}")
    if pass_number not in (None, 1, 2) or (pass_number and settings.video_bitrate is None):
        raise ValueError(f"pass_number={pass_number!r} needs 1 or 2 and a video_bitrate")
    try:
        workdir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError.from_os_error(err, workdir, "the work folder ") from None
    return settings, OUTPUT_FORMATS[output.suffix.lower()][0]


def output_args(settings: EncodeSettings, fmt: str, output: Path, *, with_audio: bool,
                first_pass: bool) -> list[str]:
    """The argv after the video codec: audio codec, metadata stripped, and the output.

    Every source tag, chapter, data and subtitle stream is dropped (``-map_metadata -1``)
    except the ``settings.metadata`` tags; pass 1 of a two-pass encode writes no file.
    """
    argv = ["-c:a", "aac", "-b:a", settings.audio_bitrate] if with_audio else []
    argv += ["-map_metadata", "-1", "-map_chapters", "-1", "-dn", "-sn", "-fflags", "+bitexact"]
    for key, value in settings.metadata:
        argv += ["-metadata", f"{key}={value}"]
    if first_pass:
        return [*argv, "-f", "null", os.devnull]
    if settings.faststart and fmt in ("mp4", "mov"):
        argv += ["-movflags", "+faststart"]
    return [*argv, "-f", fmt, media_url(output)]
