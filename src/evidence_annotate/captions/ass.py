r"""ASS text: the one place captions become what libass burns (escaping, karaoke, documents).

Text is always shown literally. In ASS event text libass reads ``{...}`` as override tags and
``\N``, ``\n``, ``\h``, ``\{``, ``\}`` as escapes; nothing else is special (a backslash
before any other character is drawn as is). So [escape_ass][] writes braces as ``\{`` and
``\}`` (libass draws them as plain braces) and puts an invisible WORD JOINER (U+2060) between a
backslash and a following ``N``, ``n``, ``h`` or U+2060; [ass_plain_text][] undoes exactly
that, so ``ass_plain_text(escape_ass(s)) == s`` for any ``s`` with ``\n`` line breaks.

Times: pysubs2 works in integer milliseconds; every time is rounded half up to the nearest
millisecond by one function (ASS then keeps centiseconds, rounded half up by pysubs2).

Example:
    >>> escape_ass(r"{\pos(0,0)} 50% off")
    '\\{\\pos(0,0)\\} 50% off'
    >>> ass_plain_text(escape_ass("a\\Nb\nnext line")) == "a\\Nb\nnext line"
    True
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence

import pysubs2

from ..colors import Color
from .runs import Run
from .segmentation import Cue
from .style import CaptionStyle

__all__ = ["TOP_STYLE", "ass_plain_text", "cue_text", "cues_to_ssafile", "escape_ass",
           "new_ssafile", "protect", "runs_to_ass", "seconds_to_ms", "span_ms", "unprotect"]

_JOINER = "\u2060"
_PROTECT = re.compile(r"\\(?=[Nnh\u2060])")
_UNPROTECT = re.compile(r"\\\u2060(?=[Nnh\u2060])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ASS_TOKEN = re.compile(r"\\[Nn]|\\h|\\\{|\\\}|\\\u2060(?=[Nnh\u2060])|\{[^}]*\}|.", re.DOTALL)
_ASS_PLAIN = {"\\N": "\n", "\\n": "\n", "\\h": "\u00a0", "\\{": "{", "\\}": "}",
              "\\" + _JOINER: "\\"}


def protect(line: str) -> str:
    """Put a WORD JOINER between a backslash and a following N, n, h or WORD JOINER."""
    return _PROTECT.sub(lambda _: "\\" + _JOINER, line)


def escape_ass(text: str) -> str:
    r"""Turn plain text into ASS event text that libass shows literally.

    Args:
        text: Plain text; ``\n``, ``\r\n`` and ``\r`` are line breaks.

    Returns:
        Event text with lines joined by ``\N``.

    Example:
        >>> print(escape_ass("{\\b1}bold?\nno"))
        \{\b1\}bold?\Nno
    """
    return r"\N".join(protect(line).replace("{", r"\{").replace("}", r"\}")
                      for line in _LINE_BREAK.split(text))


def ass_plain_text(text: str) -> str:
    r"""Return what libass shows for ASS event text, as plain text with ``\n`` line breaks.

    Override blocks are dropped, ``\N``/``\n`` become line breaks, ``\h`` a no-break space,
    ``\{``/``\}`` braces; this inverts [escape_ass][].

    Args:
        text: ASS event text.

    Returns:
        The plain text.

    Example:
        >>> ass_plain_text(r"{\i1}Hello{\i0}\Nworld \{ok\}")
        'Hello\nworld {ok}'
    """
    out: list[str] = []
    for token in _ASS_TOKEN.findall(text):
        if token in _ASS_PLAIN:
            out.append(_ASS_PLAIN[token])
        elif not (token.startswith("{") and token.endswith("}") and len(token) > 1):
            out.append(token)
    return "".join(out)


def seconds_to_ms(seconds: float) -> int:
    """Seconds to integer milliseconds, rounding half up (the one rounding rule)."""
    return math.floor(seconds * 1000 + 0.5)


def span_ms(start: float, end: float) -> tuple[int, int]:
    """Start and end in milliseconds; the end at least 1 ms after the start."""
    first = seconds_to_ms(start)
    return first, max(seconds_to_ms(end), first + 1)


def _karaoke(cue: Cue) -> str | None:
    r"""Event text with ``{\kNN}`` before each word, or ``None`` if words and lines disagree."""
    if not cue.words or " ".join(w.text for w in cue.words) != cue.text:
        return None
    breaks, offset = set(), 0
    for line in cue.lines[:-1]:
        offset += len(line) + 1
        breaks.add(offset)
    bounds = [cue.start] + [min(max(w.start, cue.start), cue.end) for w in cue.words[1:]]
    bounds.append(cue.end)
    cs = list(itertools.accumulate((math.floor((b - cue.start) * 100 + 0.5) for b in bounds), max))
    parts, offset = [], 0
    for i, word in enumerate(cue.words):
        if i:
            parts.append(r"\N" if offset in breaks else " ")
        parts.append(f"{{\\k{cs[i + 1] - cs[i]}}}{escape_ass(word.text)}")
        offset += len(word.text) + 1
    return "".join(parts)


def new_ssafile(width: int, height: int, style: CaptionStyle | None) -> pysubs2.SSAFile:
    """An empty ASS document with PlayRes set to the frame and a ``Default`` style."""
    if width <= 0 or height <= 0:
        raise ValueError(f"frame size {width}x{height} must be positive")
    subs = pysubs2.SSAFile()
    subs.info.update({"PlayResX": str(width), "PlayResY": str(height),
                      "ScaledBorderAndShadow": "yes", "WrapStyle": "0"})
    subs.styles = {"Default": (style or CaptionStyle()).to_ssa_style(width, height)}
    return subs


def runs_to_ass(line: Sequence[Run]) -> str:
    r"""ASS event text of one line of runs: override tags for the formatting, text escaped.

    A formatted run opens with its tags and ends with ``{\r}`` (back to the event's style),
    so nothing leaks into the next run.

    Example:
        >>> runs_to_ass([Run("{x}", bold=True, color="#ffd400"), Run(" ok")])
        '{\\b1\\c&H00D4FF&}\\{x\\}{\\r} ok'
    """
    parts: list[str] = []
    for run in line:
        text = escape_ass(run.text)
        if run.plain:
            parts.append(text)
            continue
        tags = "".join(tag for on, tag in ((run.italic, r"\i1"), (run.bold, r"\b1"),
                                           (run.underline, r"\u1"), (run.strike, r"\s1"))
                       if on)
        if run.color:
            c = Color.parse(run.color)
            tags += f"\\c&H{c.b:02X}{c.g:02X}{c.r:02X}&"
        parts.append(f"{{{tags}}}{text}{{\\r}}")
    return "".join(parts)


def cue_text(cue: Cue) -> str:
    """ASS event text of a cue without karaoke: its runs if styled, else its escaped lines."""
    if cue.styled:
        return r"\N".join(runs_to_ass(line) for line in cue.runs)
    return escape_ass("\n".join(cue.lines))


TOP_STYLE = "Top"
"""The style of cues moved to the top of the frame (the caption style, top-centred)."""


def cues_to_ssafile(cues: Iterable[Cue], *, width: int, height: int,
                    style: CaptionStyle | None = None, karaoke: bool = False,
                    shift: float = 0.0, top: Sequence[bool] = ()) -> pysubs2.SSAFile:
    r"""Build the ASS document libass burns in: one event per cue, text shown literally.

    Args:
        cues: The cues (times in seconds).
        width: Frame width in pixels (PlayResX).
        height: Frame height in pixels (PlayResY).
        style: The caption look; ``None`` = [CaptionStyle][] defaults.
        karaoke: Add ``{\kNN}`` word timing (centiseconds) for cues that have words.
        shift: Seconds added to every time (e.g. the title card's length).
        top: Per cue, whether it is moved to the top of the frame (style ``Top``) to keep
            clear of annotations (see [evidence_annotate.captions.placement][]).

    Returns:
        A new [pysubs2.SSAFile][] with a ``Default`` style (and ``Top`` if used).

    Example:
        >>> subs = cues_to_ssafile([Cue(1.0, 2.0, ("{a}", "b"))], width=640, height=360)
        >>> subs.info["PlayResY"], subs.events[0].text, subs.events[0].start
        ('360', '\\{a\\}\\Nb', 1000)
    """
    subs = new_ssafile(width, height, style)
    if any(top):
        subs.styles[TOP_STYLE] = subs.styles["Default"].copy()
        subs.styles[TOP_STYLE].alignment = pysubs2.Alignment.TOP_CENTER
    for index, cue in enumerate(cues):
        start, end = span_ms(cue.start + shift, cue.end + shift)
        text = (_karaoke(cue) if karaoke else None) or cue_text(cue)
        moved = index < len(top) and top[index]
        subs.append(pysubs2.SSAEvent(start=start, end=end, text=text,
                                     style=TOP_STYLE if moved else "Default"))
    return subs


def unprotect(line: str) -> str:
    """Undo [protect][]: drop the WORD JOINER after a backslash that it inserted."""
    return _UNPROTECT.sub(lambda _: "\\", line)
