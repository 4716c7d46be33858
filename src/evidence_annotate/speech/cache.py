"""The on-disk transcript cache: one JSON file per key, written atomically, read leniently.

Keys are built by [.transcribe][] from the file's content hash ([file_digest][]), the
model and every option that changes the result. A missing or corrupt entry is a miss; a
folder that cannot be written gives a warning, never an error.

Example:
    >>> cache_dir().name
    'transcripts'
"""

from __future__ import annotations

import functools
import os
import tempfile
import warnings
from pathlib import Path

import platformdirs

from ..output import sha256_file
from .transcript import Transcript

__all__ = ["CACHE_ENV", "cache_dir", "cache_root", "file_digest", "read_cached", "write_cached"]

CACHE_ENV = "EVIDENCE_ANNOTATE_CACHE"
"""Environment variable naming the cache folder (a shared folder works for several workers)."""


def cache_root() -> Path:
    """Return the library's cache folder (``$EVIDENCE_ANNOTATE_CACHE`` or the user cache).

    Example:
        >>> (cache_root() / "transcripts") == cache_dir()
        True
    """
    root = os.environ.get(CACHE_ENV) or platformdirs.user_cache_dir("evidence_annotate")
    return Path(root).expanduser()


def cache_dir() -> Path:
    """Return the folder of cached transcripts (``$EVIDENCE_ANNOTATE_CACHE/transcripts``).

    Example:
        >>> cache_dir().name
        'transcripts'
    """
    return cache_root() / "transcripts"


def file_digest(path: Path, stat: os.stat_result) -> str:
    """SHA-256 of a file, remembered per process while its size, mtime and inode hold."""
    return _content_digest(str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@functools.lru_cache(maxsize=64)
def _content_digest(path: str, size: int, mtime_ns: int, inode: int) -> str:
    """SHA-256 of a file, remembered per process while its size, mtime and inode hold."""
    del size, mtime_ns, inode  # part of the memo key only
    return sha256_file(Path(path))


def read_cached(key: str) -> Transcript | None:
    """The cached transcript of ``key``, or ``None`` (missing or unreadable)."""
    try:
        return Transcript.from_json((cache_dir() / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing or corrupt: transcribe again and overwrite it


def write_cached(key: str, transcript: Transcript) -> None:
    """Store a transcript under ``key`` atomically (a warning if the folder is not writable)."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(transcript.to_json())
            Path(tmp).replace(folder / f"{key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as err:
        warnings.warn(f"Cannot write the transcript cache in {str(folder)!r} ({err}); set "
                      f"{CACHE_ENV} to a writable folder or pass cache=False", stacklevel=3)
