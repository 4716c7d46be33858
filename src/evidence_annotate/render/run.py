"""Running ffmpeg: the binary, a progress bar fed by ``-progress``, errors with ffmpeg's stderr.

Example:
    >>> from evidence_annotate.render.run import ffmpeg_exe
    >>> ffmpeg_exe().endswith(("ffmpeg", ".exe")) or "ffmpeg" in ffmpeg_exe()
    True
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
from collections.abc import Sequence
from typing import IO

from tqdm import tqdm

from ..errors import RenderError

__all__ = ["ffmpeg_exe", "run_ffmpeg"]

_STDERR_TAIL = 6000


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The ffmpeg binary from imageio-ffmpeg (honours ``IMAGEIO_FFMPEG_EXE``)."""
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _tail(handle: IO[bytes]) -> str:
    handle.flush()
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(max(0, size - _STDERR_TAIL))
    return handle.read().decode("utf-8", "replace").strip()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_ffmpeg(argv: Sequence[str], *, duration: float, progress: bool = True,
               description: str = "export") -> None:
    """Run ffmpeg with a progress bar in output seconds.

    Args:
        argv: The command, starting with the ffmpeg binary.
        duration: Expected output duration (the bar's total).
        progress: Show a tqdm bar.
        description: The bar's label.

    Raises:
        RenderError: ffmpeg could not start or exited with an error; carries its stderr.
        KeyboardInterrupt: Re-raised after ffmpeg has been stopped.
    """
    command = [argv[0], *argv[1:-1], "-progress", "pipe:1", "-nostats", argv[-1]]
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=errors)
        except OSError as err:
            raise RenderError(f"cannot start ffmpeg at {argv[0]!r} ({err.strerror}); set "
                              "IMAGEIO_FFMPEG_EXE to a working ffmpeg", argv=tuple(argv)) from None
        bar = tqdm(total=round(duration, 2), unit="s", desc=description, disable=not progress,
                   leave=False,
                   bar_format="{l_bar}{bar}| {n:.1f}/{total:.1f} s [{elapsed}<{remaining}]")
        try:
            _follow(proc, bar)
            code = proc.wait()
        except BaseException:
            _stop(proc)
            raise
        finally:
            bar.close()
            if proc.stdout is not None:
                proc.stdout.close()
        if code != 0:
            raise RenderError(f"ffmpeg failed with exit code {code}", _tail(errors), tuple(argv))


def _follow(proc: subprocess.Popen[bytes], bar: tqdm) -> None:  # type: ignore[type-arg]
    """Advance the bar from ffmpeg's ``-progress`` key=value lines."""
    assert proc.stdout is not None
    for raw in proc.stdout:
        key, _, value = raw.decode("ascii", "replace").strip().partition("=")
        if key == "out_time_us" and value.lstrip("-").isdigit():
            seconds = max(0.0, int(value) / 1_000_000)
            total = float(bar.total or 0.0)
            bar.update(max(0.0, min(seconds, total) - float(bar.n)))
