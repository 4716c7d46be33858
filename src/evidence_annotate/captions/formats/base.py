"""The caption format protocol: a reader and a writer per suffix, on plain [Cue][] data.

A format turns a file's text into [Captions][] (cues on the file's own timeline, plus the
original ASS document for formats that carry their own styling) and cues back into text. File
access, encodings and atomic writes are done once, in [evidence_annotate.captions.formats][].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..segmentation import Cue
from ..style import CaptionStyle

__all__ = ["CaptionFormat", "Captions", "WriteOptions"]


@dataclass(frozen=True)
class Captions:
    """What a caption file holds.

    Attributes:
        cues: The cues, plain text lines (what a viewer reads), times in seconds.
        styled: For formats with their own styling (ASS/SSA): the document as ASS text, so
            burning it keeps fonts, positions and effects; ``None`` otherwise.
    """

    cues: tuple[Cue, ...]
    styled: str | None = None


@dataclass(frozen=True)
class WriteOptions:
    r"""How a format writes cues.

    Attributes:
        width: Frame width in pixels (ASS PlayResX).
        height: Frame height in pixels (ASS PlayResY).
        style: The caption look for formats that store one (ASS).
        karaoke: Word-by-word timing for formats that support it (ASS ``\k``).
    """

    width: int = 1920
    height: int = 1080
    style: CaptionStyle | None = None
    karaoke: bool = False


class CaptionFormat:
    """One subtitle format: its name, suffixes, and how it reads and writes.

    Attributes:
        name: A short name (``"srt"``).
        suffixes: The file suffixes it owns, lower case with the dot.
    """

    name: ClassVar[str] = ""
    suffixes: ClassVar[tuple[str, ...]] = ()

    def read(self, text: str) -> Captions:
        """Parse a whole file's text.

        Raises:
            ValueError: The text is not valid in this format (the message says where).
        """
        raise NotImplementedError

    def write(self, cues: Sequence[Cue], styled: str | None, options: WriteOptions) -> str:
        """Render cues (output timeline) as this format's text.

        Args:
            cues: The cues to write.
            styled: An ASS document with its own styling, when the captions came from one
                (formats that can keep styling use it; the others write ``cues``).
            options: Frame size, style, karaoke.
        """
        raise NotImplementedError
