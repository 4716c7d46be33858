"""This library's own caption JSON: cues with their lines and word times (``.json``).

Example:
    >>> from evidence_annotate.captions.segmentation import Cue
    >>> text = CaptionJSON().write([Cue(0.5, 2.0, ("Hi.",))], None, WriteOptions())
    >>> CaptionJSON().read(text).cues[0].lines
    ('Hi.',)
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..segmentation import Cue
from .base import CaptionFormat, Captions, WriteOptions

__all__ = ["FORMAT_ID", "CaptionJSON"]

FORMAT_ID = "evidence_annotate.captions"
"""The ``format`` value of the JSON documents this module writes and reads."""


class CaptionJSON(CaptionFormat):
    """``.json`` written by [write_captions][evidence_annotate.captions.formats.write_captions]."""

    name = "json"
    suffixes = (".json",)

    def read(self, text: str) -> Captions:
        """Cues with words, from a document with ``format`` = [FORMAT_ID][]."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != FORMAT_ID:
                found = data.get("format") if isinstance(data, dict) else None
                raise ValueError(f"'format' is {found!r}, not {FORMAT_ID!r}")
            return Captions(tuple(Cue.from_dict(c) for c in data["cues"]))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
            raise ValueError(f"not a caption JSON file written by evidence_annotate "
                             f"({err})") from None

    def write(self, cues: Sequence[Cue], styled: str | None, options: WriteOptions) -> str:
        """Pretty JSON (UTF-8, not ASCII-escaped)."""
        return json.dumps({"format": FORMAT_ID, "version": 1,
                           "cues": [c.to_dict() for c in cues]}, ensure_ascii=False, indent=2)
