"""The exceptions and warnings of evidence_annotate.

Every error the library raises on purpose is an [EvidenceAnnotateError][] (or a
``ValueError`` for a bad argument), so callers can catch one base class. Each subclass
carries the data a caller needs to react (the path, ffmpeg's stderr, the limit) and a message
that says what went wrong and what to do next. All of them pickle (they keep their
constructor arguments in ``args``), so they cross process boundaries intact.

Example:
    >>> import evidence_annotate as ea
    >>> try:
    ...     ea.open("no-such-clip.mp4")
    ... except ea.InputError as err:
    ...     print(type(err).__name__, "-", err.path)
    InputError - no-such-clip.mp4
"""

from __future__ import annotations

import errno
from pathlib import Path

__all__ = [
    "WRITE_ERRNOS",
    "CaptionWarning",
    "EvidenceAnnotateError",
    "InputError",
    "LowConfidenceError",
    "LowConfidenceWarning",
    "MissingGlyphWarning",
    "ModelError",
    "NoSpaceError",
    "OutputError",
    "PlatformLimitError",
    "RenderError",
]


class EvidenceAnnotateError(Exception):
    """Base class of every error raised on purpose by evidence_annotate."""


class InputError(EvidenceAnnotateError):
    """The input media cannot be used (missing, not a file, empty, unreadable, no video).

    Attributes:
        path: The path the caller gave.
    """

    def __init__(self, message: str, path: str | Path) -> None:
        super().__init__(message, str(path))
        self.path = str(path)

    def __str__(self) -> str:
        return str(self.args[0])


WRITE_ERRNOS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("no space left on device", "free some space there or choose another folder"),
    errno.EDQUOT: ("disk quota exceeded", "free some space there or choose another folder"),
    errno.EFBIG: ("file too large for the file system or the file size limit (ulimit -f)",
                  "choose a folder on another file system or raise the limit"),
    errno.EROFS: ("read-only file system", "choose a folder you can write to"),
    errno.EACCES: ("permission denied", "choose a folder you can write to"),
    errno.EPERM: ("operation not permitted", "choose a folder you can write to"),
    errno.ENAMETOOLONG: ("file name too long", "choose a shorter name or a shorter folder path"),
}
"""The ``errno`` values that mean "this place cannot take the file": (what happened, the fix)."""


class OutputError(EvidenceAnnotateError):
    """An output cannot be written where the caller asked (input path, unwritable folder, ...).

    Attributes:
        path: The output path the caller gave.
    """

    def __init__(self, message: str, path: str | Path) -> None:
        super().__init__(message, str(path))
        self.path = str(path)

    def __str__(self) -> str:
        return str(self.args[0])

    @classmethod
    def from_os_error(cls, err: OSError, path: str | Path, what: str = "",
                      fix: str | None = None) -> OutputError:
        """The error to raise when writing ``path`` failed with ``err``.

        The first line says what happened, where, and what to do; a full disk or quota gives a
        [NoSpaceError][].

        Args:
            err: The operating system's error.
            path: The file or folder being written.
            what: What the file is, e.g. ``"the manifest "`` (ends with a space).
            fix: What to do instead of the default advice for this ``errno``.

        Returns:
            The error (not raised).

        Example:
            >>> import errno
            >>> err = OutputError.from_os_error(OSError(errno.ENOSPC, "full"), "/mnt/usb/x.mp4")
            >>> type(err).__name__
            'NoSpaceError'
            >>> str(err).split("; ")[0]
            "no space left on device writing '/mnt/usb/x.mp4'"
        """
        reason, advice = WRITE_ERRNOS.get(err.errno or 0, (
            (err.strerror or type(err).__name__).lower(), "check the folder and try again"))
        kind = NoSpaceError if err.errno in (errno.ENOSPC, errno.EDQUOT) else OutputError
        return kind(f"{reason} writing {what}{str(path)!r}; {fix or advice}", path)


class NoSpaceError(OutputError):
    """The disk (or the quota, or the temporary folder) is full.

    Attributes:
        path: The file or folder that could not be written.
    """


class RenderError(EvidenceAnnotateError):
    """ffmpeg failed, or wrote a file that does not match the plan.

    Attributes:
        stderr: The tail of ffmpeg's error output (may be empty).
        argv: The command that was run.
    """

    def __init__(self, message: str, stderr: str = "", argv: tuple[str, ...] = ()) -> None:
        super().__init__(message, stderr, tuple(argv))
        self.stderr = stderr
        self.argv = tuple(argv)

    def __str__(self) -> str:
        message = str(self.args[0])
        if self.stderr.strip():
            return f"{message}\nffmpeg said:\n{self.stderr.strip()}"
        return message


class ModelError(EvidenceAnnotateError):
    """A speech-recognition model cannot be found or loaded.

    Attributes:
        model: The model name or directory the caller asked for.
    """

    def __init__(self, message: str, model: str) -> None:
        super().__init__(message, model)
        self.model = model

    def __str__(self) -> str:
        return str(self.args[0])


class PlatformLimitError(EvidenceAnnotateError):
    """An export would break a platform's upload limit and no ``fit=`` strategy was chosen.

    Attributes:
        platform: The platform's name.
        limit: The limit's name (for example ``"max_seconds"``).
        value: The measured or planned value.
        maximum: The platform's limit.
    """

    def __init__(self, message: str, platform: str, limit: str, value: float,
                 maximum: float) -> None:
        super().__init__(message, platform, limit, value, maximum)
        self.platform = platform
        self.limit = limit
        self.value = value
        self.maximum = maximum

    def __str__(self) -> str:
        return str(self.args[0])


class MissingGlyphWarning(UserWarning):
    """Some characters have no glyph in any available font and would render as empty boxes."""


class CaptionWarning(UserWarning):
    """A caption file had parts that cannot be shown; they were dropped (the message says which).

    Raised as a warning, not an error, when the rest of the file can still be burned: a cue
    with a negative or unreadable time, one that ends before it starts or lasts past the
    100-hour limit, text outside any cue, a WebVTT file without its ``WEBVTT`` header.
    """


class LowConfidenceWarning(UserWarning):
    """A transcript failed the checks against invented text (see ``Transcript.problems``).

    Filter it like any warning, e.g.
    ``warnings.simplefilter("error", ea.LowConfidenceWarning)`` to stop on it.
    """


class LowConfidenceError(EvidenceAnnotateError, ValueError):
    """Captions were asked for from a transcript that failed the checks.

    Attributes:
        problems: What failed (``Transcript.problems``).
    """

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message, tuple(problems))
        self.problems = tuple(problems)

    def __str__(self) -> str:
        return str(self.args[0])
