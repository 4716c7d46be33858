r"""WebVTT (``.vtt``): a ``WEBVTT`` header, then cues; ``&``, ``<`` and ``>`` are entities.

Example:
    >>> from evidence_annotate.captions.segmentation import Cue
    >>> text = WebVTT().write([Cue(1.0, 2.0, ("a < b",))], None, WriteOptions())
    >>> "a &lt; b" in text, WebVTT().read(text).cues[0].lines
    (True, ('a < b',))
"""

from __future__ import annotations

from collections.abc import Sequence

from pysubs2.formats.webvtt import WebVTTFormat

from ..segmentation import Cue
from .base import CaptionFormat, Captions, WriteOptions
from .plain import parse_blocks, write_plain

__all__ = ["WebVTT"]


class WebVTT(CaptionFormat):
    """WebVTT ``.vtt``."""

    name = "vtt"
    suffixes = (".vtt",)

    def read(self, text: str) -> Captions:
        """Cues of a WebVTT document, entities decoded."""
        return Captions(parse_blocks(text, WebVTTFormat, vtt=True))

    def write(self, cues: Sequence[Cue], styled: str | None, options: WriteOptions) -> str:
        """WebVTT text with ``&``, ``<`` and ``>`` escaped."""
        return write_plain(cues, "vtt")
