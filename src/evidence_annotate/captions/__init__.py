"""Captions: segmentation of timed words into cues, caption styles, and subtitle files.

Example:
    >>> from evidence_annotate.captions import segment
    >>> from evidence_annotate.transcript import Word
    >>> segment([Word(0.0, 0.6, "Cracked"), Word(0.6, 1.2, "screen.")])[0].text
    'Cracked screen.'
"""

from .segmentation import (
    ENGLISH_BIND_FORWARD,
    ENGLISH_BREAK_BEFORE,
    CaptionRules,
    Cue,
    break_lines,
    segment,
)
from .style import CaptionStyle
from .subs import (
    SUFFIXES,
    ass_plain_text,
    cues_to_ssafile,
    escape_ass,
    load_cues,
    load_source,
    write_captions,
)

__all__ = [
    "ENGLISH_BIND_FORWARD",
    "ENGLISH_BREAK_BEFORE",
    "SUFFIXES",
    "CaptionRules",
    "CaptionStyle",
    "Cue",
    "ass_plain_text",
    "break_lines",
    "cues_to_ssafile",
    "escape_ass",
    "load_cues",
    "load_source",
    "segment",
    "write_captions",
]
