"""Progress of long work (exports, transcription) in seconds, readable in terminals and logs."""

from __future__ import annotations

import contextlib
import contextvars
import sys
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, TextIO

from tqdm import tqdm

__all__ = ["Progress", "listen"]

Listener = Callable[[str, float, float], None]
"""Called with ``(description, seconds done, total seconds)`` whenever progress moves."""
_LISTENER: contextvars.ContextVar[Listener | None] = contextvars.ContextVar(
    "evidence_annotate_progress_listener", default=None)


@contextlib.contextmanager
def listen(listener: Listener) -> Iterator[None]:
    """Report every [Progress][] made in this thread (context) to ``listener`` too.

    Example:
        >>> seen = []
        >>> with listen(lambda name, done, total: seen.append(done)):
        ...     with Progress(2.0, "x", enabled=False) as bar:
        ...         bar.advance_to(1.0)
        >>> seen
        [1.0]
    """
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)

_BAR_FORMAT = "{l_bar}{bar}| {n:.1f}/{total:.1f} s [{elapsed}<{remaining}]"


class Progress:
    """Progress in seconds: a bar on a terminal, a few plain lines anywhere else.

    On a terminal this is a tqdm bar that reaches 100 % when [finish][] is called and
    disappears when closed. When the stream is not a terminal (a log file, a pipe, a notebook)
    it prints one plain line per quarter reached, never a carriage return.

    Args:
        total: The number of seconds that make 100 %.
        description: The label (an output name, ``"Transcribing"``).
        enabled: ``False`` shows nothing.
        stream: Where to write (default: ``sys.stderr`` at the time of the call).

    Example:
        >>> import io
        >>> log = io.StringIO()
        >>> with Progress(4.0, "clip.mp4", stream=log) as bar:
        ...     bar.advance_to(2.2)
        ...     bar.finish()
        >>> print(log.getvalue(), end="")
        clip.mp4: 50% (2.2/4.0 s)
        clip.mp4: 100% (4.0/4.0 s)
    """

    def __init__(self, total: float, description: str, *, enabled: bool = True,
                 stream: TextIO | None = None) -> None:
        self.total = max(0.0, round(total, 2))
        self.description = description
        self.n = 0.0
        self._stream = stream if stream is not None else sys.stderr
        self._bar: tqdm[Any] | None = None
        self._plain = False
        self._quarter = 0
        if not enabled:
            return
        if _is_terminal(self._stream):
            self._bar = tqdm(total=self.total, unit="s", desc=description, leave=False,
                             disable=False, file=self._stream, bar_format=_BAR_FORMAT)
        else:
            self._plain = True

    def advance_to(self, seconds: float) -> None:
        """Move to ``seconds`` (clamped into ``[0, total]``; never backwards)."""
        target = min(max(seconds, 0.0), self.total)
        if target <= self.n:
            return
        step, self.n = target - self.n, target
        listener = _LISTENER.get()
        if listener is not None:
            listener(self.description, self.n, self.total)
        if self._bar is not None:
            self._bar.update(step)
        elif self._plain:
            quarter = 4 if self.total <= 0 else int(4 * self.n / self.total + 1e-9)
            if quarter > self._quarter:
                self._quarter = quarter
                print(f"{self.description}: {25 * quarter}% ({self.n:.1f}/{self.total:.1f} s)",
                      file=self._stream, flush=True)

    def finish(self) -> None:
        """Show 100 %: the work is done."""
        if self.total <= 0 and self._plain and self._quarter < 4:
            self._quarter = 4
            print(f"{self.description}: 100% (0.0/0.0 s)", file=self._stream, flush=True)
        self.advance_to(self.total)
        if self._bar is not None:
            self._bar.refresh()

    def close(self) -> None:
        """Remove the bar from the terminal (plain lines stay)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False
