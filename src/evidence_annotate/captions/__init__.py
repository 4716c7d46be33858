"""Captions: segmentation of timed words into cues, styles, file formats, and the plan's track.

Example:
    >>> from evidence_annotate.captions import segment
    >>> from evidence_annotate.speech.transcript import Word
    >>> segment([Word(0.0, 0.6, "Cracked"), Word(0.6, 1.2, "screen.")])[0].text
    'Cracked screen.'
"""

from .ass import ass_plain_text, cues_to_ssafile, escape_ass
from .formats import FORMATS, SUFFIXES, read_captions, write_captions
from .segmentation import (
    ENGLISH_BIND_FORWARD,
    ENGLISH_BREAK_BEFORE,
    CaptionRules,
    Cue,
    break_lines,
    segment,
)
from .style import CaptionStyle
from .track import CaptionTrack

__all__ = [
    "ENGLISH_BIND_FORWARD",
    "ENGLISH_BREAK_BEFORE",
    "FORMATS",
    "SUFFIXES",
    "CaptionRules",
    "CaptionStyle",
    "CaptionTrack",
    "Cue",
    "ass_plain_text",
    "break_lines",
    "cues_to_ssafile",
    "escape_ass",
    "read_captions",
    "segment",
    "write_captions",
]
