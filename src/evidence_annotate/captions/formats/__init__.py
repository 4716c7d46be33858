"""Caption file formats: one module each, registered by suffix in [FORMATS][].

Every readable suffix is writable. [read_captions][] and [write_captions][] are the
only places that touch files: they pick the format by suffix, decode text, and write
atomically without ever overwriting an input.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from evidence_annotate.captions.segmentation import Cue
    >>> target = Path(tempfile.mkdtemp()) / "c.json"
    >>> _ = write_captions([Cue(0.5, 2.0, ("Hi.",))], target)
    >>> read_captions(target).cues[0].lines
    ('Hi.',)
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from ...errors import InputError
from ...output import atomic_output
from ..segmentation import Cue
from ..style import CaptionStyle
from .ass import AdvancedSubStation, SubStation
from .base import CaptionFormat, Captions, WriteOptions
from .json import CaptionJSON
from .srt import SubRip
from .vtt import WebVTT

__all__ = ["FORMATS", "SUFFIXES", "CaptionFormat", "Captions", "WriteOptions",
           "decode_caption_bytes", "format_for", "read_captions", "write_captions"]

FORMATS: dict[str, CaptionFormat] = {
    ".srt": SubRip(),
    ".vtt": WebVTT(),
    ".ass": AdvancedSubStation(),
    ".ssa": SubStation(),
    ".json": CaptionJSON(),
}
"""Suffix -> format. Each format reads and writes its suffixes."""

SUFFIXES = tuple(FORMATS)
"""Every caption suffix read and written."""


def format_for(path: str | os.PathLike[str]) -> CaptionFormat:
    """The format of a caption file, by its suffix.

    Raises:
        ValueError: No format owns the suffix (the message lists those that do).

    Example:
        >>> format_for("clip.SRT").name
        'srt'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"caption file {str(path)!r} has suffix {suffix or '(none)'!r}; use "
                         f"one of {', '.join(SUFFIXES)}")
    return FORMATS[suffix]


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode_caption_bytes(data: bytes, path: str | Path = "<bytes>") -> str:
    r"""Text of a caption file: UTF-8, or UTF-8/UTF-16/UTF-32 with a byte order mark.

    Legacy encodings (Windows-1252, GB2312, ...) are not guessed: on short subtitle text
    detectors confuse them (a Portuguese cp1252 file reads as cp1257), and a wrong guess
    burns wrong letters into evidence. They raise a clear error instead.

    Raises:
        InputError: Not UTF-8 and no byte order mark (the message quotes the line).

    Example:
        >>> decode_caption_bytes("caf\u00e9".encode("utf-16"))
        'café'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                raise InputError(f"caption file {str(path)!r} starts with a {encoding.upper()} "
                                 f"byte order mark but is not {encoding.upper()} text "
                                 f"({err.reason} at byte {err.start}); save it as UTF-8 and "
                                 "try again", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        kind = ("UTF-16 without a byte order mark" if b"\x00" in data[:200]
                else "a legacy encoding such as Windows-1252 or GB2312")
        raise InputError(f"caption file {str(path)!r} is not UTF-8 text (byte "
                         f"0x{data[err.start]:02x} on line {line}; it looks like {kind}); save "
                         "it as UTF-8 or UTF-16 with a byte order mark (Notepad: Save as > "
                         "Encoding: UTF-8) and try again", path) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(f"caption file {str(path)!r} is not UTF-8 text (NUL bytes from line "
                         f"{line}; it looks like UTF-16 without a byte order mark); save it as "
                         "UTF-8 or UTF-16 with a byte order mark and try again", path)
    return text


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"caption file {str(path)!r} does not exist", path) from None
    except IsADirectoryError:
        raise InputError(f"caption file {str(path)!r} is a folder; give a file", path) from None
    except OSError as err:
        raise InputError(f"cannot read caption file {str(path)!r} ({err.strerror})",
                         path) from None
    return decode_caption_bytes(data, path)


def read_captions(path: str | os.PathLike[str]) -> Captions:
    """Read a caption file of any registered format.

    Args:
        path: A ``.srt``, ``.vtt``, ``.ass``, ``.ssa`` or ``.json`` file.

    Returns:
        Its [Captions][] (times on the file's own timeline).

    Raises:
        ValueError: The suffix is not a caption format.
        InputError: Missing, unreadable, not UTF-8 (nor UTF-16/32 with a byte order mark),
            or not valid in its format (SRT/WebVTT: no cue that can be shown).

    Warns:
        CaptionWarning: Some cues or text cannot be shown and were dropped (the message
            lists them).
    """
    source = Path(path)
    fmt = format_for(source)
    try:
        return fmt.read(_read_text(source))
    except ValueError as err:
        raise InputError(f"{str(source)!r} is not a valid {source.suffix} file: {err}",
                         source) from None


def write_captions(cues: Sequence[Cue], path: str | os.PathLike[str], *,
                   styled: str | None = None, width: int = 1920, height: int = 1080,
                   style: CaptionStyle | None = None, karaoke: bool = False,
                   inputs: Iterable[Path] = ()) -> Path:
    r"""Write cues in the format of ``path``'s suffix, atomically.

    Args:
        cues: The cues (times in seconds, already on the timeline wanted).
        path: The output file; its suffix picks the format.
        styled: An ASS document with its own styling (kept by ``.ass``/``.ssa``).
        width: Frame width in pixels (ASS PlayResX when writing cues).
        height: Frame height in pixels (ASS PlayResY when writing cues).
        style: The look for ASS written from cues.
        karaoke: Add ``{\kNN}`` word timing to ASS written from cues.
        inputs: Files that must never be overwritten (the source clip, caption sources).

    Returns:
        The path written.

    Raises:
        ValueError: The suffix is not a caption format.
        OutputError: The path is an input or cannot be written.

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "c.srt"
        >>> print(write_captions([Cue(0.5, 2.0, ("Hi.",))], target).read_text().rstrip())
        1
        00:00:00,500 --> 00:00:02,000
        Hi.
    """
    fmt = format_for(path)
    text = fmt.write(cues, styled, WriteOptions(width, height, style, karaoke))
    with atomic_output(path, inputs=inputs) as tmp, \
            tmp.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return Path(path)
