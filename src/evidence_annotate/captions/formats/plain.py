r"""What SRT and WebVTT share: checking the cues a file holds, and millisecond timestamps.

Both readers hand [checked_cues][] one [RawCue][] per timed block (times in integer
milliseconds, lines as styled runs). It keeps what can be shown and drops, with ONE
[CaptionWarning][evidence_annotate.errors.CaptionWarning] that lists them, the cues that cannot:
negative times, an end not after the start, times past [MAX_MS][] (100 hours; SubRip's
two-digit hours stop at 99:59:59,999). Cues with no text are dropped silently (they burn
nothing and hide nothing). A file left with no cue raises ``ValueError`` (the reader's caller
turns it into an [InputError][evidence_annotate.errors.InputError] naming the file).

Times stay integer milliseconds from file to file: SRT and WebVTT both store milliseconds,
so reading and writing them never rounds (ASS, in centiseconds, is only what libass burns).

Example:
    >>> from evidence_annotate.captions.runs import Run
    >>> checked_cues([RawCue(500, 2000, [(Run("Hi."),)], "cue 1")], "SRT")[0].lines
    ('Hi.',)
    >>> ms_timestamp(3_723_004, ",")
    '01:02:03,004'
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import CaptionWarning
from ..runs import Line, line_text, merge_runs
from ..segmentation import Cue

__all__ = ["MAX_MS", "RawCue", "checked_cues", "ms_timestamp", "shorten"]

MAX_MS = 100 * 3600 * 1000
"""The latest time a caption may have, in milliseconds (100 hours)."""


@dataclass(frozen=True)
class RawCue:
    """A timed block as read, before checking.

    Attributes:
        start: Start in milliseconds (may be anything the file said).
        end: End in milliseconds.
        lines: The text lines as styled runs.
        where: Where it is in the file, for messages (``"cue 3 (line 12)"``).
    """

    start: int
    end: int
    lines: Sequence[Line]
    where: str


def shorten(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters (for messages)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def _problem(raw: RawCue) -> str | None:
    if raw.start < 0 or raw.end < 0:
        return "has a negative time"
    if raw.end > MAX_MS:
        return f"ends after {raw.end / 3_600_000:,.0f} hours (the limit is 100)"
    if raw.end <= raw.start:
        return "does not end after it starts"
    return None


def checked_cues(raws: Sequence[RawCue], fmt: str,
                 dropped: Sequence[str] = ()) -> tuple[Cue, ...]:
    """The cues that can be shown; one [CaptionWarning][] lists everything dropped.

    Args:
        raws: The timed blocks, in file order.
        fmt: The format's name for messages (``"SRT"``).
        dropped: Descriptions of text the reader already skipped (outside any cue).

    Returns:
        The cues (plain lines plus runs when some run is formatted).

    Raises:
        ValueError: Nothing can be shown (the message says why).
    """
    cues: list[Cue] = []
    problems = list(dropped)
    for raw in raws:
        problem = _problem(raw)
        lines = [merge_runs(line) for line in raw.lines]
        lines = [line for line in lines if line_text(line).strip()]
        text = " / ".join(line_text(line) for line in lines)
        if problem is not None:
            problems.append(f"{raw.where} {problem} ({shorten(text) or 'no text'})")
        elif lines:
            styled = any(not run.plain for line in lines for run in line)
            cues.append(Cue(raw.start / 1000, raw.end / 1000,
                            tuple(line_text(line) for line in lines), (),
                            tuple(lines) if styled else ()))
    if not cues:
        found = f"; dropped: {'; '.join(problems[:3])}" if problems else ""
        raise ValueError(f"it holds no {fmt} cue with text that can be shown{found}. Check "
                         f"that it is a {fmt} subtitle file (a timing line such as "
                         "'00:00:01,000 --> 00:00:02,500' before each cue's text)")
    if problems:
        more = f" and {len(problems) - 5} more" if len(problems) > 5 else ""
        warnings.warn(CaptionWarning(f"{len(problems)} part(s) of the {fmt} file cannot be "
                                     f"shown and were dropped: {'; '.join(problems[:5])}{more}"),
                      stacklevel=6)
    return tuple(cues)


def ms_timestamp(ms: int, separator: str) -> str:
    """``HH:MM:SS<separator>mmm`` for a time in integer milliseconds (hours may exceed 99)."""
    seconds, millis = divmod(max(0, ms), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"
