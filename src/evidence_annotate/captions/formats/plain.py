r"""What SRT and WebVTT share: blocks of a timing line and text, read and written as plain text.

pysubs2's own SubRip reader is lossy for literal text (it turns line breaks into ``\N``, drops
a last line that is only a number, strips ``<...>`` and starts a new event at any line with two
timestamps), so cues are split here and only pysubs2's timestamp grammar is reused. Writing
goes through pysubs2 with ``keep_ssa_tags`` so braces pass through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pysubs2
from pysubs2.formats.subrip import SubripFormat
from pysubs2.formats.webvtt import WebVTTFormat

from ..ass import protect, span_ms, unprotect
from ..segmentation import Cue

__all__ = ["parse_blocks", "write_plain"]

_TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)")
_VTT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_VTT_ENTITY = re.compile(r"&(amp|lt|gt|nbsp|lrm|rlm);")
_VTT_CHARS = {"amp": "&", "lt": "<", "gt": ">", "nbsp": "\u00a0", "lrm": "\u200e",
              "rlm": "\u200f"}


def parse_blocks(text: str, fmt: type[SubripFormat] | type[WebVTTFormat],
                 vtt: bool) -> tuple[Cue, ...]:
    r"""Cues of an SRT or VTT document, each line plain text.

    A cue is a blank-line separated block whose first or second line is the timing line; a
    lone ``\r`` is a line break inside its cue.
    """
    text = text.replace("\r\n", "\n") if "\n" in text else text.replace("\r", "\n")
    cues: list[tuple[int, int, list[str]]] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = block.strip("\n").split("\n")
        timing = next((k for k, line in enumerate(lines[:2]) if "-->" in line), None)
        match = _TIMING.match(lines[timing]) if timing is not None else None
        stamps = [fmt.TIMESTAMP.fullmatch(s) for s in match.groups()] if match else []
        if timing is None or not (stamps and stamps[0] and stamps[1]):
            if cues and not vtt:  # a blank line inside an SRT cue: keep the text
                cues[-1][2].extend(line for line in lines if line.strip())
            continue
        start, end = (fmt.timestamp_to_ms(s.groups()) for s in stamps if s)
        body = [part for line in lines[timing + 1:] for part in line.split("\r")]
        body = [unprotect(line) for line in body]
        if vtt:
            body = [_VTT_ENTITY.sub(lambda m: _VTT_CHARS[m.group(1)], line) for line in body]
        cues.append((start, end, body))
    return tuple(Cue(a / 1000, b / 1000, tuple(lines)) for a, b, lines in cues
                 if b > a and any(line.strip() for line in lines))


def write_plain(cues: Sequence[Cue], fmt: str) -> str:
    """SRT (``fmt="srt"``) or WebVTT (``"vtt"``) text of plain cues."""
    plain = pysubs2.SSAFile()
    for cue in cues:
        lines = [protect(line) for line in cue.lines]
        if fmt == "vtt":
            for char, entity in _VTT_ESCAPES:
                lines = [line.replace(char, entity) for line in lines]
        start, end = span_ms(cue.start, cue.end)
        plain.append(pysubs2.SSAEvent(start=start, end=end, text=r"\N".join(lines)))
    return str(plain.to_string(fmt, keep_ssa_tags=True))
