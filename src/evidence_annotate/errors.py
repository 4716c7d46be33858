"""The exceptions and warnings of evidence_annotate.

Every error the library raises on purpose is an :class:`EvidenceAnnotateError` (or a
:class:`ValueError` for a bad argument), so callers can catch one base class. Each subclass
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

from pathlib import Path

__all__ = [
    "EvidenceAnnotateError",
    "InputError",
    "MissingGlyphWarning",
    "ModelError",
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
