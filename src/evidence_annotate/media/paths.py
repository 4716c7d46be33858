"""Paths handed to media libraries, made unambiguous.

Relative paths go to PyAV and ffmpeg as plain strings, where anything before a ``:`` is a
protocol (``file:decoy.mp4``, ``a:b.mp4``). Every path handed to PyAV, ffmpeg or MoviePy goes
through [media_url][].
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["media_url"]


def media_url(path: str | os.PathLike[str]) -> str:
    """The path as PyAV, ffmpeg and MoviePy must be given it: absolute, never a protocol.

    ffmpeg reads anything before a ``:`` as a protocol (``file:a.mp4`` is ``a.mp4``,
    ``a:b.mp4`` asks for protocol ``a``) and a leading ``-`` as an option. An absolute path
    starts with ``/`` (or a drive letter, which ffmpeg recognises), so it is always read as a
    local file, by ffmpeg's protocols and by plain file functions (``-passlogfile``) alike.

    Args:
        path: A file path, relative to the current folder or absolute.

    Returns:
        The absolute path as a string (symbolic links are kept).

    Example:
        >>> import os
        >>> media_url("a:b.mp4") == os.path.join(os.getcwd(), "a:b.mp4")
        True
    """
    return str(Path(path).absolute())
