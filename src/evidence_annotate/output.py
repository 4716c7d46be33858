"""Output safety: never write onto an input, write atomically, leave nothing partial behind.

Example:
    >>> from pathlib import Path
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_output(folder / "out.txt", inputs=()) as tmp:
    ...     _ = tmp.write_text("done")
    >>> (folder / "out.txt").read_text()
    'done'
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_output", "check_output_path", "sha256_file"]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output_path(target: str | os.PathLike[str], *, inputs: Iterable[Path],
                      suffixes: Iterable[str] | None = None) -> Path:
    """Validate an output path and create its folder.

    Args:
        target: Where the caller wants the file.
        inputs: Files that must never be overwritten (the source clip, caption sources, ...).
        suffixes: Accepted suffixes (lower case, with dot), or ``None`` for any.

    Returns:
        The output path.

    Raises:
        OutputError: The path is an input (also via a symlink or hard link), a folder, or its
            folder cannot be created.
        ValueError: The suffix is not one of ``suffixes``.
    """
    path = Path(target)
    allowed = tuple(suffixes) if suffixes is not None else None
    for source in inputs:
        if (path.exists() and _same_file(path, source)) or path.resolve() == source.resolve():
            raise OutputError(f"output {str(path)!r} is the input file {str(source)!r}; the "
                              "input is never overwritten, choose another output name", path)
    if path.is_dir():
        raise OutputError(f"output {str(path)!r} is a folder; give a file name inside it, "
                          f"e.g. {str(path / ('evidence' + (allowed[0] if allowed else '')))!r}",
                          path)
    if allowed is not None and path.suffix.lower() not in allowed:
        raise ValueError(f"output {str(path)!r} has suffix {path.suffix!r}; "
                         f"use one of {', '.join(allowed)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot create the output folder {str(path.parent)!r} ({err.strerror}); "
                          "choose a folder you can write to", path) from None
    if not os.access(path.parent, os.W_OK):
        raise OutputError(f"the output folder {str(path.parent)!r} is not writable; choose a "
                          "folder you can write to", path)
    return path


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike[str], *, inputs: Iterable[Path],
                  suffixes: Iterable[str] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On any exception (including ``KeyboardInterrupt``) the temporary file is removed and the
    target is left as it was.

    Args:
        target: The final path.
        inputs: Files that must never be overwritten.
        suffixes: Accepted suffixes, or ``None`` for any.

    Yields:
        The temporary path to write (same folder, same suffix, hidden name).

    Raises:
        OutputError: See :func:`check_output_path`, or the final rename failed.
    """
    path = check_output_path(target, inputs=inputs, suffixes=suffixes)
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex[:10]}.partial{path.suffix}")
    try:
        yield tmp
        try:
            os.replace(tmp, path)
        except OSError as err:
            raise OutputError(f"cannot move the finished file onto {str(path)!r} "
                              f"({err.strerror})", path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"
        >>> _ = p.write_bytes(b"abc")
        >>> sha256_file(p)[:16]
        'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
