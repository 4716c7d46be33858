"""Test media for the benchmarks, generated with the bundled ffmpeg's lavfi sources."""

from __future__ import annotations

import subprocess
from pathlib import Path

from evidence_annotate.render.run import ffmpeg_exe

SOURCES = {
    # x264 ultrafast: no CABAC, no B-frames; the cheapest decode, so the graph weighs most
    "ultrafast": ["-preset", "ultrafast"],
    # what phones write: High profile with CABAC, no B-frames, a key frame every second, at
    # about 17 Mbit/s for 1080p30 (scaled by the picture's area)
    "phone": ["-profile:v", "high", "-preset", "medium", "-bf", "0", "-g", "30"],
}
"""How a benchmark clip's picture is encoded."""


def make_clip(path: Path, seconds: float, *, size: str = "1920x1080", source: str = "ultrafast",
              grain: int = 0, crf: int = 18, sample_rate: int | None = 48000) -> None:
    """A 30 fps testsrc2 clip with a 440 Hz tone (``sample_rate=None``: lavfi's own rate).

    ``grain`` adds camera-like noise; ``source`` picks [SOURCES][] (``"phone"`` sets a
    bitrate instead of ``crf``).
    """
    picture = f"testsrc2=s={size}:r=30:d={seconds}"
    if grain:
        picture += f",noise=alls={grain}:allf=t"
    tone = f"sine=f=440:d={seconds}" + (f":sample_rate={sample_rate}" if sample_rate else "")
    width, height = (int(v) for v in size.split("x"))
    quality = ["-b:v", f"{round(17_000 * width * height / (1920 * 1080))}k"] \
        if source == "phone" else ["-crf", str(crf)]
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", tone,
                    "-c:v", "libx264", *SOURCES[source], *quality,
                    "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)], check=True)


def make_1080p_clip(path: Path, seconds: float, *, grain: int = 0, crf: int = 18) -> None:
    """A 1920x1080 30 fps testsrc2 clip with a 440 Hz tone; ``grain`` adds camera-like noise."""
    make_clip(path, seconds, grain=grain, crf=crf)
