"""What rendered an export: the ffmpeg build and the drawing libraries, as the manifest records.

Re-rendering an edit reproduces the delivered frames bit for bit only with the same ffmpeg
build (its x264, libass and filters), the same Pillow and FreeType (which draw sprites and
the title card) and the same evidence_annotate. [render_environment][] says which were used;
[environment_differences][] names what differs between a recorded environment and this one.

Example:
    >>> env = render_environment()
    >>> sorted(env)
    ['evidence_annotate', 'ffmpeg', 'freetype', 'pillow']
    >>> environment_differences(env, env)
    []
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Mapping
from typing import Any

import PIL
from PIL import features

from .._version import __version__
from ..render.run import die_with_parent, ffmpeg_exe

__all__ = ["ENVIRONMENT_KEYS", "environment_differences", "ffmpeg_build", "render_environment"]

ENVIRONMENT_KEYS = ("ffmpeg", "pillow", "freetype", "evidence_annotate")
"""What the manifest records about the renderer, in the order differences are named."""


@functools.lru_cache(maxsize=4)
def _version_line(exe: str) -> str:
    try:
        proc = subprocess.run([exe, "-hide_banner", "-version"], capture_output=True, text=True,
                              check=False, timeout=60, preexec_fn=die_with_parent())
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    first = (proc.stdout or proc.stderr).strip().splitlines()
    line = first[0] if first else "unknown"
    return line.split(" Copyright")[0].strip()


def ffmpeg_build(exe: str | None = None) -> str:
    """The first line of ``ffmpeg -version`` without its copyright, e.g. ``ffmpeg version 7.1``.

    Example:
        >>> ffmpeg_build().startswith("ffmpeg version")
        True
    """
    return _version_line(exe or ffmpeg_exe())


def render_environment() -> dict[str, str]:
    """The versions that decide an export's pixels: ffmpeg build, Pillow, FreeType, library."""
    return {"ffmpeg": ffmpeg_build(), "pillow": str(PIL.__version__),
            "freetype": str(features.version("freetype2") or "none"),
            "evidence_annotate": __version__}


def environment_differences(recorded: Mapping[str, Any], current: Mapping[str, str]
                            ) -> list[str]:
    """What differs between a recorded environment and ``current``, one sentence each.

    Example:
        >>> environment_differences({"pillow": "10.0.0"}, {"pillow": "11.3.0"})
        ["pillow: recorded '10.0.0', here '11.3.0'"]
    """
    return [f"{key}: recorded {recorded[key]!r}, here {current.get(key)!r}"
            for key in ENVIRONMENT_KEYS
            if key in recorded and recorded[key] != current.get(key)]
