"""Output safety: never write onto an input, write atomically, leave nothing partial behind.

Every output is first written under a hidden temporary name beside its target. An
[OutputSet][] validates ALL the targets of one export (video, parts, manifest) before
anything is written, and renames the finished files into place together at the end: if any
step fails, every previous file is left exactly as it was. [cleanup_on_signals][] turns
SIGTERM and SIGHUP into the same orderly clean-up as Ctrl+C.

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
import signal
import threading
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from .errors import WRITE_ERRNOS, OutputError

__all__ = ["OutputSet", "atomic_output", "check_output_path", "cleanup_on_signals", "sha256_file"]

_DEFAULT_NAME_MAX = 255
_TEMP_STEM_BYTES = 64


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _shown(name: str) -> str:
    """A long name shortened for messages."""
    return name if len(name) <= 48 else f"{name[:30]}…{name[-14:]}"


def _name_max(folder: Path) -> int:
    """The longest file name (in bytes) the file system of ``folder`` (or its parent) takes."""
    for candidate in (folder, *folder.parents):
        try:
            return int(os.pathconf(candidate, "PC_NAME_MAX"))
        except (OSError, ValueError, AttributeError):  # missing folder, or no pathconf
            continue
    return _DEFAULT_NAME_MAX


def _check_name_lengths(path: Path) -> None:
    limit = _name_max(path.parent)
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > limit:
            raise OutputError(f"output name {_shown(part)!r} is {size} bytes long but file names "
                              f"there can have at most {limit} bytes; choose a shorter name",
                              path)


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
        OutputError: The path is an input (also via a symlink or hard link), a folder, a name
            too long for the file system, or its folder cannot be created or written.
        ValueError: The suffix is not one of ``suffixes``.
    """
    path = Path(target)
    allowed = tuple(suffixes) if suffixes is not None else None
    _check_name_lengths(path)
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
        if err.errno in WRITE_ERRNOS:
            raise OutputError.from_os_error(err, path.parent, "the output folder ") from None
        raise OutputError(f"cannot create the output folder {str(path.parent)!r} ({err.strerror}); "
                          "choose a folder you can write to", path) from None
    if not os.access(path.parent, os.W_OK):
        raise OutputError(f"the output folder {str(path.parent)!r} is not writable; choose a "
                          "folder you can write to", path)
    return path


def _hidden_name(path: Path, tag: str) -> Path:
    """A hidden name beside ``path``, never much longer than 80 bytes, same suffix."""
    stem = path.stem.encode("utf-8", "surrogateescape")[:_TEMP_STEM_BYTES]
    short = stem.decode("utf-8", "ignore")
    return path.with_name(f".{short}.{uuid.uuid4().hex[:10]}.{tag}{path.suffix}")


class OutputSet:
    """Files that appear together or not at all.

    [add][] validates a target and returns the temporary path to write instead;
    [commit][] renames every temporary file onto its target once ALL are written (and
    puts the previous files back if a rename fails); [discard][] removes what was not
    committed. As a context manager it commits on success and discards on any exception,
    with SIGTERM and SIGHUP handled like Ctrl+C (see [cleanup_on_signals][]).

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> with OutputSet(inputs=()) as outputs:
        ...     video = outputs.add(folder / "a.mp4")
        ...     manifest = outputs.add(folder / "a.mp4.manifest.json")
        ...     _ = video.write_bytes(b"video"), manifest.write_text("{}")
        >>> sorted(p.name for p in folder.iterdir())
        ['a.mp4', 'a.mp4.manifest.json']
    """

    def __init__(self, *, inputs: Iterable[Path]) -> None:
        self._inputs = tuple(Path(p) for p in inputs)
        self._entries: list[tuple[Path, Path]] = []  # (temporary, target)
        self._context: contextlib.AbstractContextManager[OutputSet] | None = None

    @property
    def targets(self) -> tuple[Path, ...]:
        """The targets added so far, in order."""
        return tuple(target for _, target in self._entries)

    def add(self, target: str | os.PathLike[str], *,
            suffixes: Iterable[str] | None = None) -> Path:
        """Validate ``target`` and return the temporary path to write it under.

        Args:
            target: The final path.
            suffixes: Accepted suffixes, or ``None`` for any.

        Returns:
            A hidden path beside ``target`` with the same suffix (nothing is created).

        Raises:
            OutputError: See [check_output_path][]; or the same target was added twice.
            ValueError: The suffix is not one of ``suffixes``.
        """
        path = check_output_path(target, inputs=self._inputs, suffixes=suffixes)
        for other in self.targets:
            if path.resolve() == other.resolve() or (path.exists() and _same_file(path, other)):
                raise OutputError(f"output {str(path)!r} would be written twice in one export "
                                  f"(also as {str(other)!r}); choose another name", path)
        tmp = _hidden_name(path, "partial")
        self._entries.append((tmp, path))
        return tmp

    def commit(self) -> None:
        """Rename every temporary file onto its target; all or nothing.

        Raises:
            OutputError: A rename failed; the targets renamed before it are rolled back (as
                they are on any exception).
        """
        done: list[tuple[Path, Path | None]] = []  # (target, hard link to its previous file)
        target = Path()
        try:
            for tmp, target in self._entries:
                done.append((target, _keep_previous(target)))
                os.replace(tmp, target)
        except BaseException as err:  # a failed rename, Ctrl+C, SIGTERM: all or nothing
            _roll_back(done)
            if isinstance(err, OSError):
                raise OutputError.from_os_error(err, target, fix="nothing was changed; free "
                                                "some space or choose another folder") from None
            raise
        finally:
            for _, backup in done:
                if backup is not None:
                    with contextlib.suppress(OSError):
                        backup.unlink()
        self._entries = []

    def discard(self) -> None:
        """Remove the temporary files not committed (targets stay as they were)."""
        for tmp, _ in self._entries:
            with contextlib.suppress(OSError):
                tmp.unlink()
        self._entries = []

    def __enter__(self) -> OutputSet:
        self._context = self._managed()
        return self._context.__enter__()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> bool | None:
        assert self._context is not None
        return self._context.__exit__(kind, error, trace)

    @contextlib.contextmanager
    def _managed(self) -> Iterator[OutputSet]:
        with cleanup_on_signals():
            try:
                yield self
                self.commit()
            finally:
                self.discard()


def _keep_previous(target: Path) -> Path | None:
    """A hard link to the file ``target`` names now (``None`` when there is none)."""
    if not os.path.lexists(target) or target.is_dir():
        return None
    backup = _hidden_name(target, "previous")
    try:
        os.link(target, backup, follow_symlinks=False)
    except (OSError, NotImplementedError):  # no hard links here (FAT, some shares): move it
        os.replace(target, backup)
    return backup


def _roll_back(done: list[tuple[Path, Path | None]]) -> None:
    for target, backup in reversed(done):
        with contextlib.suppress(OSError):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike[str], *, inputs: Iterable[Path],
                  suffixes: Iterable[str] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    On any exception (including ``KeyboardInterrupt``, SIGTERM and SIGHUP) the temporary file
    is removed and the target is left as it was.

    Args:
        target: The final path.
        inputs: Files that must never be overwritten.
        suffixes: Accepted suffixes, or ``None`` for any.

    Yields:
        The temporary path to write (same folder, same suffix, hidden name).

    Raises:
        OutputError: See [check_output_path][]; writing failed for lack of space or
            permission, or the final rename failed.
    """
    with OutputSet(inputs=inputs) as outputs:
        tmp = outputs.add(target, suffixes=suffixes)
        try:
            yield tmp
        except OSError as err:
            if err.errno in WRITE_ERRNOS:
                raise OutputError.from_os_error(err, Path(target)) from None
            raise


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (cleaning up), then end as the signal would have."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_active = 0  # nesting depth of cleanup_on_signals in the main thread


@contextlib.contextmanager
def cleanup_on_signals() -> Iterator[None]:
    """Handle SIGTERM and SIGHUP like Ctrl+C while files are being made.

    In the main thread, a signal whose handler is the default (end the process) raises inside
    the block, so every ``finally`` runs (ffmpeg is stopped, temporary files and folders are
    removed); then the previous handler is restored and the signal raised again, so the
    process ends exactly as it would have (exit status 128 + the signal's number). A handler
    the program installed itself is called instead (chained), and it decides; an ignored
    signal (``nohup``) stays ignored. Handlers are restored when the block ends. Outside the
    main thread, and inside another such block, this does nothing.

    Example:
        >>> import signal
        >>> before = signal.getsignal(signal.SIGTERM)
        >>> with cleanup_on_signals():
        ...     pass
        >>> signal.getsignal(signal.SIGTERM) is before
        True
    """
    global _active
    if _active or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}
    stopping: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if stopping:  # already unwinding: let the clean-up finish
            return
        chained = previous.get(signum)
        if callable(chained):
            try:
                chained(signum, frame)
            except BaseException:
                stopping.append(signum)
                raise
            return
        stopping.append(signum)
        raise _Terminated(signum)

    for signum in _SIGNALS:
        current = signal.getsignal(signum)
        if current is None or current == signal.SIG_IGN:  # ignored, or set outside Python
            continue
        previous[signum] = current
        signal.signal(signum, handler)
    _active += 1
    try:
        yield
    except _Terminated as stop:
        _restore(previous)
        previous.clear()
        signal.raise_signal(stop.signum)  # the previous (default) action: the process ends
        raise SystemExit(128 + stop.signum) from None  # only if the signal is blocked
    finally:
        _active -= 1
        _restore(previous)


def _restore(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


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
