r"""SubRip (``.srt``): numbered blocks of a timing line and text, with a little HTML-like markup.

Blocks are split by the ``srt`` library (blank lines inside a cue, missing blank lines between
cues, ``.`` or ``,`` before the milliseconds, coordinates after the timing line); whatever it
cannot read is dropped with a [CaptionWarning][evidence_annotate.errors.CaptionWarning] that quotes
it.

The format's own formatting is read as formatting, as ffmpeg's SubRip decoder and players do:
``<b>``, ``<i>``, ``<u>``, ``<s>`` (any case; each a switch, so badly nested tags still work),
``<font color="...">`` (nested fonts restore the outer colour) and ``<br>``. Everything else
is text shown literally: ``{\pos(0,0)}``, ``\N``, ``&amp;``, a last line that is only a
number (an order number), and tags SubRip does not define (``<Order 12>`` stays text; ffmpeg
would drop it). The writer writes the same tags back and keeps milliseconds exactly; a literal
``<b>`` and ``\N`` in text get an invisible WORD JOINER (U+2060) so no reader takes them as
markup, and reading removes it again.

Example:
    >>> from evidence_annotate.captions.segmentation import Cue
    >>> cue = SubRip().read("1\n00:00:00,500 --> 00:00:02,000\n<i>Hi</i> <b>there</b>\n").cues[0]
    >>> cue.lines, [run.italic for run in cue.runs[0]]
    (('Hi there',), [True, False, False])
    >>> print(SubRip().write([cue], None, WriteOptions()).rstrip())
    1
    00:00:00,500 --> 00:00:02,000
    <i>Hi</i> <b>there</b>
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

import srt

from ...colors import Color
from ..ass import protect, span_ms, unprotect
from ..runs import Line, Run, merge_runs
from ..segmentation import Cue
from .base import CaptionFormat, Captions, WriteOptions
from .plain import RawCue, checked_cues, shorten

__all__ = ["SubRip", "srt_markup"]

_JOINER = "\u2060"
_TAG = re.compile(r"<(/?)([A-Za-z]+)(/?)((?:\s[^<>]*)?)>")
_SWITCHES = {"b": "bold", "i": "italic", "u": "underline", "s": "strike"}
_BLANK = re.compile(r"\r?\n[ \t]*\r?\n")
_KNOWN = frozenset((*_SWITCHES, "font", "br"))
_COLOR_ATTR = re.compile(r"""color\s*=\s*["']?#*([^"'\s>]+)""", re.IGNORECASE)
_PROTECT_TAG = re.compile(r"<(?=/?(?:[bius]|font|br)(?:[\s/>]|$)|\u2060)", re.IGNORECASE)


def _font_color(attributes: str, current: str | None) -> str | None:
    match = _COLOR_ATTR.search(attributes)
    if match is None:
        return current
    value = match.group(1)
    for candidate in (value, "#" + value):
        try:
            return Color.parse(candidate).hex[:7]
        except ValueError:
            continue
    return current


def srt_markup(content: str) -> list[Line]:
    r"""The lines of an SRT cue's text as styled runs (``\n`` or a lone ``\r`` breaks lines).

    Example:
        >>> [[(r.text, r.color) for r in line] for line in srt_markup(
        ...     '<font color="red">red <font color=#00ff00>green</font> red</font>')]
        [[('red ', '#ff0000'), ('green', '#00ff00'), (' red', '#ff0000')]]
    """
    lines: list[list[Run]] = [[]]
    look = dict.fromkeys(_SWITCHES.values(), False)
    colors: list[str | None] = []
    pos = 0
    text = content.replace("\r\n", "\n").replace("\r", "\n")

    def add(chunk: str) -> None:
        for index, part in enumerate(unprotect(chunk).split("\n")):
            if index:
                lines.append([])
            lines[-1].append(Run(part, color=colors[-1] if colors else None, **look))

    while pos < len(text):
        start = text.find("<", pos)
        if start < 0:
            add(text[pos:])
            break
        add(text[pos:start])
        if text.startswith("<" + _JOINER, start):  # a literal '<' written by write()
            add("<")
            pos = start + 2
            continue
        match = _TAG.match(text, start)
        name = match.group(2).lower() if match else ""
        if match is None or name not in _KNOWN:
            add("<")
            pos = start + 1
            continue
        closing = bool(match.group(1))
        if name in _SWITCHES:
            look[_SWITCHES[name]] = not closing
        elif name == "br":
            lines.append([])
        elif closing:
            if colors:
                colors.pop()
        else:
            colors.append(_font_color(match.group(4), colors[-1] if colors else None))
        pos = match.end()
    return [merge_runs(line) for line in lines]


def _protect_text(text: str) -> str:
    return _PROTECT_TAG.sub("<" + _JOINER, protect(text))


def _line_markup(line: Sequence[Run]) -> str:
    parts = []
    for run in line:
        tags = [tag for tag, name in _SWITCHES.items() if getattr(run, name)]
        opening = "".join(f"<{tag}>" for tag in tags)
        closing = "".join(f"</{tag}>" for tag in reversed(tags))
        if run.color:
            opening, closing = f'<font color="{run.color}">{opening}', f"{closing}</font>"
        parts.append(opening + _protect_text(run.text) + closing)
    return "".join(parts)


class SubRip(CaptionFormat):
    """SubRip ``.srt``."""

    name = "srt"
    suffixes = (".srt",)

    def read(self, text: str) -> Captions:
        """Cues of an SRT document (``ValueError`` if none can be shown)."""
        subtitles: list[srt.Subtitle] = []
        dropped: list[str] = []
        pos = 0
        while pos < len(text):
            try:
                subtitles.extend(srt.parse(text[pos:]))
                break
            except srt.SRTParseError as err:
                skipped = str(err.unmatched_content)
                line = text.count("\n", 0, pos + err.expected_start) + 1
                pos += err.actual_start
                if skipped.rstrip(" \t").endswith("-"):  # srt read "-00:00:01,000" unsigned
                    end = _block_end(text, pos)
                    dropped.append(f"the cue at line {line} has a negative time "
                                   f"({shorten(text[pos:end])!r})")
                    pos = end
                elif skipped.strip():
                    dropped.append(f"the text at line {line} is not a cue "
                                   f"({shorten(skipped)!r})")
        raws = [RawCue(_ms(s.start), _ms(s.end), srt_markup(s.content),
                       f"cue {s.index if s.index is not None else k + 1}")
                for k, s in enumerate(subtitles)]
        return Captions(checked_cues(raws, "SRT", dropped))

    def write(self, cues: Sequence[Cue], styled: str | None, options: WriteOptions) -> str:
        """SRT text with the cues' formatting as SRT tags and times in milliseconds."""
        subtitles = []
        for index, cue in enumerate(cues, 1):
            start, end = span_ms(cue.start, cue.end)
            runs = cue.runs or tuple((Run(line),) for line in cue.lines)
            content = "\n".join(_line_markup(line) for line in runs)
            subtitles.append(srt.Subtitle(index, timedelta(milliseconds=start),
                                          timedelta(milliseconds=end), content))
        return str(srt.compose(subtitles, reindex=False))


def _ms(value: timedelta) -> int:
    return round(value / timedelta(milliseconds=1))


def _block_end(text: str, pos: int) -> int:
    """The position after the block starting at ``pos`` (after its next blank line)."""
    match = _BLANK.search(text, pos)
    return match.end() if match else len(text)
