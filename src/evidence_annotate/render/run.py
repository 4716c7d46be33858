"""Running ffmpeg: the binary, progress fed by ``-progress``, errors with ffmpeg's stderr.

ffmpeg never outlives the Python process that started it: on Linux it gets SIGKILL when its
parent dies, even by SIGKILL; on any exception (Ctrl+C, SIGTERM handled by
[cleanup_on_signals][evidence_annotate.output.cleanup_on_signals]) it is killed before the error
propagates. A disk that fills up, a file size limit or a read-only folder give an
[OutputError][evidence_annotate.errors.OutputError] that says so, not an exit code.

Example:
    >>> from evidence_annotate.render.run import ffmpeg_exe
    >>> ffmpeg_exe().endswith(("ffmpeg", ".exe")) or "ffmpeg" in ffmpeg_exe()
    True
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from ..errors import WRITE_ERRNOS, OutputError, RenderError
from ..progress import Progress

__all__ = ["die_with_parent", "ffmpeg_exe", "run_ffmpeg", "temp_folder_error"]

_STDERR_TAIL = 6000
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_DISK_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # only ever mean "cannot write"


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The ffmpeg binary from imageio-ffmpeg (honours ``IMAGEIO_FFMPEG_EXE``)."""
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def temp_folder_error(err: OSError) -> OutputError:
    """The error for a temporary folder (``TMPDIR``) that is full, read-only or unusable.

    Example:
        >>> import errno
        >>> str(temp_folder_error(OSError(errno.EROFS, "ro"))).startswith("read-only file")
        True
    """
    try:
        folder = Path(tempfile.gettempdir())
    except OSError:  # no usable temporary folder at all
        folder = Path(os.environ.get("TMPDIR") or "/tmp")
    fix = "free some space there or set TMPDIR to a writable folder with free space"
    if err.errno not in WRITE_ERRNOS:
        return OutputError(f"cannot write temporary files in {str(folder)!r} ({err.strerror}); "
                           f"{fix}", folder)
    return OutputError.from_os_error(err, folder, "temporary files in ", fix=fix)


@functools.lru_cache(maxsize=1)
def _prctl() -> Any:
    """The C library's ``prctl`` on Linux, else ``None``."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes a child get SIGKILL when this process dies (Linux).

    ``None`` elsewhere. The child checks its parent after ``prctl`` so that a parent dying
    in between is noticed too.

    Example:
        >>> import subprocess, sys
        >>> subprocess.run([sys.executable, "-c", "pass"], preexec_fn=die_with_parent(),
        ...                check=True).returncode
        0
    """
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()
    kill = int(signal.SIGKILL)

    def setup() -> None:  # in the child, between fork and exec: no imports, no allocations
        prctl(_PR_SET_PDEATHSIG, kill, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return setup


def _tail(handle: IO[bytes]) -> str:
    handle.flush()
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - _STDERR_TAIL))
    return handle.read().decode("utf-8", "replace").strip()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Kill ffmpeg at once: its output is discarded, so a graceful finish is wasted time."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _write_errno(code: int, stderr: str, output: str) -> int | None:
    """The ``errno`` behind a failed ffmpeg, when it could not write its output."""
    if code < 0 and -code == getattr(signal, "SIGXFSZ", -1):
        return errno.EFBIG  # killed for passing the file size limit
    if 128 < code < 256 and 256 - code in _DISK_ERRNOS:
        return 256 - code  # ffmpeg exits with AVERROR(errno) & 0xff
    for number in WRITE_ERRNOS:
        text = os.strerror(number)
        if number in _DISK_ERRNOS and text in stderr:
            return number
        if any(text in line and output in line for line in stderr.splitlines()):
            return number
    return None


def _failure(code: int, stderr: str, argv: Sequence[str], target: Path | None) -> Exception:
    output = argv[-1]
    number = _write_errno(code, stderr, output)
    if number is not None:
        where = target if target is not None else Path(output)
        return OutputError.from_os_error(OSError(number, os.strerror(number)), where)
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
        return RenderError(f"ffmpeg was killed by {name} (out of memory, or stopped by another "
                           "program); try again, or export fewer seconds at a time", stderr,
                           tuple(argv))
    return RenderError(f"ffmpeg failed with exit code {code}", stderr, tuple(argv))


def run_ffmpeg(argv: Sequence[str], *, duration: float, progress: bool = True,
               description: str = "export", target: Path | None = None) -> None:
    """Run ffmpeg with progress in output seconds.

    Args:
        argv: The command, starting with the ffmpeg binary and ending with its output.
        duration: Expected output duration (100 %).
        progress: Show progress (see [Progress][]).
        description: The progress label.
        target: The file the user asked for, named in errors instead of a temporary file.

    Raises:
        OutputError: The output's disk is full, a size limit was hit, or it cannot be written
            ([NoSpaceError][evidence_annotate.errors.NoSpaceError] for a full disk); or no
            temporary file can be made for ffmpeg's messages.
        RenderError: ffmpeg could not start, exited with an error or was killed; carries
            its stderr.
        KeyboardInterrupt: Re-raised after ffmpeg has been stopped.
    """
    command = [argv[0], *argv[1:-1], "-progress", "pipe:1", "-nostats", argv[-1]]
    with contextlib.ExitStack() as stack:
        try:
            errors = stack.enter_context(tempfile.TemporaryFile())
        except OSError as err:
            raise temp_folder_error(err) from None
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=errors, preexec_fn=die_with_parent())
        except OSError as err:
            raise RenderError(f"cannot start ffmpeg at {argv[0]!r} ({err.strerror}); set "
                              "IMAGEIO_FFMPEG_EXE to a working ffmpeg", argv=tuple(argv)) from None
        try:
            with Progress(duration, description, enabled=progress) as bar:
                _follow(proc, bar)
                code = proc.wait()
                if code == 0:
                    bar.finish()
        except BaseException:
            _stop(proc)
            raise
        finally:
            if proc.stdout is not None:
                proc.stdout.close()
        if code != 0:
            stderr = _tail(errors)
            failure = _failure(code, stderr, argv, target)
            if isinstance(failure, RenderError):
                raise failure
            raise failure from RenderError(f"ffmpeg failed with exit code {code}", stderr,
                                           tuple(argv))


def _follow(proc: subprocess.Popen[bytes], bar: Progress) -> None:
    """Advance the progress from ffmpeg's ``-progress`` key=value lines."""
    assert proc.stdout is not None
    for raw in proc.stdout:
        key, _, value = raw.decode("ascii", "replace").strip().partition("=")
        if key == "out_time_us" and value.lstrip("-").isdigit():
            bar.advance_to(int(value) / 1_000_000)
