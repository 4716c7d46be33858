"""Test media for the benchmarks, generated with the bundled ffmpeg's lavfi sources."""

from __future__ import annotations

import subprocess
from pathlib import Path

from evidence_annotate.render.run import ffmpeg_exe


def make_1080p_clip(path: Path, seconds: float, *, grain: int = 0, crf: int = 18) -> None:
    """A 1920x1080 30 fps testsrc2 clip with a 440 Hz tone; ``grain`` adds camera-like noise."""
    picture = f"testsrc2=s=1920x1080:r=30:d={seconds}"
    if grain:
        picture += f",noise=alls={grain}:allf=t"
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", picture,
                    "-f", "lavfi", "-i", f"sine=f=440:d={seconds}:sample_rate=48000",
                    "-c:v", "libx264", "-preset", "ultrafast", "-crf", str(crf),
                    "-pix_fmt", "yuv420p", "-c:a", "aac", str(path)], check=True)
