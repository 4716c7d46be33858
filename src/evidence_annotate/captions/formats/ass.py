"""Advanced SubStation Alpha (``.ass``) and SubStation Alpha (``.ssa``): styled captions.

Read by pysubs2; a file keeps its own styling when burned. Cues written by this library use the
caption style and, optionally, karaoke timing.

Example:
    >>> from evidence_annotate.captions.segmentation import Cue
    >>> text = AdvancedSubStation().write([Cue(1.0, 2.0, ("{b}",))], None, WriteOptions(640, 360))
    >>> "PlayResY: 360" in text, AdvancedSubStation().read(text).cues[0].lines
    (True, ('{b}',))
"""

from __future__ import annotations

from collections.abc import Sequence

import pysubs2

from ..ass import ass_plain_text, cues_to_ssafile
from ..segmentation import Cue
from .base import CaptionFormat, Captions, WriteOptions

__all__ = ["AdvancedSubStation", "SubStation"]


class AdvancedSubStation(CaptionFormat):
    """``.ass`` (libass's own format)."""

    name = "ass"
    suffixes = (".ass",)

    def read(self, text: str) -> Captions:
        """The document (kept for burning) and its events as plain cues."""
        try:
            subs = pysubs2.SSAFile.from_string(text, format_=self.name)
        except (pysubs2.Pysubs2Error, ValueError, KeyError) as err:
            raise ValueError(f"not a valid .{self.name} file: {err}") from None
        cues = tuple(Cue(e.start / 1000, e.end / 1000, tuple(ass_plain_text(e.text).split("\n")))
                     for e in subs.get_text_events() if e.end > e.start)
        return Captions(cues, styled=str(subs.to_string("ass")))

    def write(self, cues: Sequence[Cue], styled: str | None, options: WriteOptions) -> str:
        """A styled source document as is, or cues in the caption style."""
        if styled is not None:
            subs = pysubs2.SSAFile.from_string(styled, format_="ass")
        else:
            subs = cues_to_ssafile(cues, width=options.width, height=options.height,
                                   style=options.style, karaoke=options.karaoke)
        return str(subs.to_string(self.name))


class SubStation(AdvancedSubStation):
    """``.ssa`` (SubStation Alpha v4, read and written by pysubs2)."""

    name = "ssa"
    suffixes = (".ssa",)
