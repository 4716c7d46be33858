r"""SubRip (``.srt``): numbered blocks of a timing line and text lines.

Read as plain text (what you typed is what is shown: ``{\pos(0,0)}``, ``\N`` and a last line
that is only a number, such as an order number, all stay text); written by pysubs2 with
milliseconds kept exactly.

Example:
    >>> from evidence_annotate.captions.segmentation import Cue
    >>> text = SubRip().write([Cue(0.5, 2.0, ("Hi.",))], None, WriteOptions())
    >>> print(text.rstrip())
    1
    00:00:00,500 --> 00:00:02,000
    Hi.
    >>> SubRip().read(text).cues[0].lines
    ('Hi.',)
"""

from __future__ import annotations

from collections.abc import Sequence

from pysubs2.formats.subrip import SubripFormat

from ..segmentation import Cue
from .base import CaptionFormat, Captions, WriteOptions
from .plain import parse_blocks, write_plain

__all__ = ["SubRip"]


class SubRip(CaptionFormat):
    """SubRip ``.srt``."""

    name = "srt"
    suffixes = (".srt",)

    def read(self, text: str) -> Captions:
        """Cues of an SRT document (a blank line inside a cue keeps the text)."""
        return Captions(parse_blocks(text, SubripFormat, vtt=False))

    def write(self, cues: Sequence[Cue], styled: str | None, options: WriteOptions) -> str:
        """SRT text; styling is not kept (SRT has none that every player reads)."""
        return write_plain(cues, "srt")
