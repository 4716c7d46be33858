r"""WebVTT (``.vtt``): a ``WEBVTT`` header, then blocks: cues, ``NOTE``, ``STYLE``, ``REGION``.

Read as the WebVTT specification (W3C) describes, and leniently where real files differ:

* a cue is an optional identifier line, a timing line (``00:01.000 --> 00:02.500``, hours
  optional, then cue settings such as ``align:start position:0%``, which are read past and
  never shown) and text lines up to a blank line; a line holding only spaces counts as blank;
* a timing line always starts a new cue, even with no blank line before it (as in YouTube's
  files), so it is never shown as text;
* ``NOTE``, ``STYLE`` and ``REGION`` blocks are not shown; ``::cue(.name) { color: ... }``
  rules in ``STYLE`` blocks (or the header) give colour classes;
* text after a blank line inside a cue, with no timing line, belongs to that cue;
* a byte order mark, CRLF or CR line ends, and a missing ``WEBVTT`` header are accepted
  (the last with a [CaptionWarning][evidence_annotate.errors.CaptionWarning]).

Cue text markup is read by [.vtt_text][]. The writer escapes ``&``, ``<`` and ``>``,
writes bold, italic, underline and colour (a ``STYLE`` block defines classes for colours
that are not the specification's own) and keeps milliseconds exactly; strike-through has no
WebVTT tag and is written plain. A literal ``\N`` gets an invisible WORD JOINER after its
backslash (ffmpeg's decoder would pass it to libass as a line break); reading removes it.

Example:
    >>> from evidence_annotate.captions.segmentation import Cue
    >>> text = WebVTT().write([Cue(1.0, 2.0, ("a < b",))], None, WriteOptions())
    >>> "a &lt; b" in text, WebVTT().read(text).cues[0].lines
    (True, ('a < b',))
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

from ...errors import CaptionWarning
from ..ass import protect, span_ms
from ..runs import Line, Run
from ..segmentation import Cue
from .base import CaptionFormat, Captions, WriteOptions
from .plain import RawCue, checked_cues, ms_timestamp, shorten
from .vtt_text import CLASS_COLORS, style_classes, vtt_markup

__all__ = ["WebVTT"]

_TS = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"[ \t]*{_TS}[ \t]*-->[ \t]*{_TS}(?:[ \t].*)?")
_SPECIAL = re.compile(r"(NOTE|STYLE|REGION)(?:[ \t].*)?")
_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))

Block = list[tuple[int, str]]


def _ms(groups: Sequence[str | None]) -> int:
    hours, minutes, seconds, fraction = groups
    return ((int(hours or 0) * 60 + int(minutes or 0)) * 60 + int(seconds or 0)) * 1000 \
        + int((fraction or "0").ljust(3, "0"))


def _blocks(lines: Sequence[str], first: int) -> list[Block]:
    """Blank-line separated blocks, split again before a timing line that starts a new cue."""
    blocks: list[Block] = []
    current: Block = []
    for number, line in enumerate(lines[first:], first + 1):
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
            continue
        if _TIMING.fullmatch(line) and (len(current) >= 2 or any(
                _TIMING.fullmatch(text) for _, text in current)):
            blocks.append(current)
            current = []
        current.append((number, line))
    if current:
        blocks.append(current)
    return blocks


def _header(lines: Sequence[str]) -> tuple[int, str, bool]:
    """Index of the first line after the header, the header's text, whether it has one."""
    if not lines or not _HEADER.fullmatch(lines[0].lstrip("\ufeff")):
        return 0, "", False
    end = 1
    while end < len(lines) and lines[end].strip() and not _TIMING.fullmatch(lines[end]):
        end += 1
    return end, "\n".join(lines[1:end]), True


class WebVTT(CaptionFormat):
    """WebVTT ``.vtt``."""

    name = "vtt"
    suffixes = (".vtt",)

    def read(self, text: str) -> Captions:
        """Cues of a WebVTT document (``ValueError`` if none can be shown)."""
        lines = re.split(r"\r\n|\r|\n", text)
        first, css, has_header = _header(lines)
        timed: list[tuple[int, int, list[str], str]] = []
        dropped: list[str] = []
        previous_was_cue = False
        for block in _blocks(lines, first):
            texts = [line for _, line in block]
            at = 0 if _TIMING.fullmatch(texts[0]) else \
                1 if len(texts) > 1 and _TIMING.fullmatch(texts[1]) else None
            if at is None:
                special = _SPECIAL.fullmatch(texts[0])
                if special is not None:
                    css += "\n" + "\n".join(texts[1:]) if special.group(1) == "STYLE" else ""
                elif any("-->" in line for line in texts[:2]):
                    timing = next(line for line in texts[:2] if "-->" in line)
                    dropped.append(f"the cue at line {block[0][0]} has a timing line that "
                                   f"cannot be read ({shorten(timing)!r})")
                elif previous_was_cue:  # text after a blank line inside a cue
                    timed[-1][2].extend(texts)
                    continue
                else:
                    dropped.append(f"the text at line {block[0][0]} is not a cue "
                                   f"({shorten(' '.join(texts))!r})")
                previous_was_cue = False
                continue
            timing_match = _TIMING.fullmatch(texts[at])
            assert timing_match is not None
            groups = timing_match.groups()
            timed.append((_ms(groups[:4]), _ms(groups[4:]), texts[at + 1:],
                          f"the cue at line {block[at][0]}"))
            previous_was_cue = True
        classes = style_classes(css)
        raws = [RawCue(start, end, vtt_markup("\n".join(body), classes), where)
                for start, end, body, where in timed]
        if not has_header and raws:
            warnings.warn(CaptionWarning("the WebVTT file does not start with 'WEBVTT' (read "
                                         "anyway); add that line to make it valid"),
                          stacklevel=5)
        return Captions(checked_cues(raws, "WebVTT", dropped))

    def write(self, cues: Sequence[Cue], styled: str | None, options: WriteOptions) -> str:
        """WebVTT text: entities escaped, formatting as tags, times in milliseconds."""
        classes: dict[str, str] = {}
        blocks = []
        for cue in cues:
            start, end = span_ms(cue.start, cue.end)
            runs = cue.runs or tuple((Run(line),) for line in cue.lines)
            body = "\n".join(_line_markup(line, classes) for line in runs)
            blocks.append(f"{ms_timestamp(start, '.')} --> {ms_timestamp(end, '.')}\n{body}")
        head = ["WEBVTT"]
        if classes:
            rules = "\n".join(f"::cue(.{name}) {{ color: {color}; }}"
                              for name, color in classes.items())
            head.append(f"STYLE\n{rules}")
        return "\n\n".join(head + blocks) + "\n"


def _escape(text: str) -> str:
    text = protect(text)  # ffmpeg's WebVTT decoder would pass a literal \N on to libass
    for char, entity in _ESCAPES:
        text = text.replace(char, entity)
    return text


def _line_markup(line: Line, classes: dict[str, str]) -> str:
    parts = []
    for run in line:
        tags = [tag for tag, on in (("b", run.bold), ("i", run.italic), ("u", run.underline))
                if on]
        opening = "".join(f"<{tag}>" for tag in tags)
        closing = "".join(f"</{tag}>" for tag in reversed(tags))
        if run.color:
            name = next((n for n, c in CLASS_COLORS.items() if c == run.color),
                        f"color{run.color[1:]}")
            if name not in CLASS_COLORS:
                classes[name] = run.color
            opening, closing = f"<c.{name}>{opening}", f"{closing}</c>"
        parts.append(opening + _escape(run.text) + closing)
    return "".join(parts)
