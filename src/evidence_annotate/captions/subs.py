r"""Subtitle files: cues to a libass-ready :class:`pysubs2.SSAFile`, and SRT / ASS / VTT / JSON.

Text is always shown literally. In ASS event text libass reads ``{...}`` as override tags and
``\N``, ``\n``, ``\h``, ``\{``, ``\}`` as escapes; nothing else is special (a backslash
before any other character is drawn as is). So :func:`escape_ass` writes braces as ``\{`` and
``\}`` (libass draws them as plain braces) and puts an invisible WORD JOINER (U+2060) between a
backslash and a following ``N``, ``n``, ``h`` or U+2060; :func:`ass_plain_text` undoes exactly
that, so ``ass_plain_text(escape_ass(s)) == s`` for any ``s`` with ``\n`` line breaks.

SRT and VTT are read as plain text by this module rather than by pysubs2, whose SubRip reader
is lossy for literal text: it turns line breaks into ``\N`` (indistinguishable from a typed
``\N``), removes a last line that is only a number (an order number!), strips ``<...>`` and
starts a new event at any line with two timestamps, including one after a lone ``\r``.
Here a cue is a blank-line separated block whose first or second line is the timing line; a
lone ``\r`` is a line break inside its cue. They are written by pysubs2 with ``keep_ssa_tags``
so braces pass through; the WORD JOINER rule keeps a typed ``\N`` from becoming a line break,
and VTT text escapes ``&``, ``<`` and ``>`` as the WebVTT spec requires. Leading and trailing
spaces of a cue and empty lines inside it do not survive SRT/VTT (pysubs2 strips them).

Times: pysubs2 works in integer milliseconds; every time is rounded half up to the nearest
millisecond by one function (ASS then keeps centiseconds, rounded half up by pysubs2).

Example:
    >>> escape_ass(r"{\pos(0,0)} 50% off")
    '\\{\\pos(0,0)\\} 50% off'
    >>> ass_plain_text(escape_ass("a\\Nb\nnext line")) == "a\\Nb\nnext line"
    True
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pysubs2
from pysubs2.formats.subrip import SubripFormat
from pysubs2.formats.webvtt import WebVTTFormat

from ..errors import InputError
from ..output import atomic_output
from ..transcript import Word
from .segmentation import Cue
from .style import CaptionStyle

__all__ = ["SUFFIXES", "ass_plain_text", "cues_to_ssafile", "escape_ass", "load_cues",
           "load_source", "write_captions"]

SUFFIXES = (".srt", ".ass", ".vtt", ".json")
"""The caption file types :func:`write_captions` writes, chosen by suffix."""

_JOINER = "\u2060"
_PROTECT = re.compile(r"\\(?=[Nnh\u2060])")
_UNPROTECT = re.compile(r"\\\u2060(?=[Nnh\u2060])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ASS_TOKEN = re.compile(r"\\[Nn]|\\h|\\\{|\\\}|\\\u2060(?=[Nnh\u2060])|\{[^}]*\}|.", re.DOTALL)
_ASS_PLAIN = {"\\N": "\n", "\\n": "\n", "\\h": "\u00a0", "\\{": "{", "\\}": "}",
              "\\" + _JOINER: "\\"}
_TIMING = re.compile(r"^\s*(\S+)\s*-->\s*(\S+)")
_VTT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_VTT_ENTITY = re.compile(r"&(amp|lt|gt|nbsp|lrm|rlm);")
_VTT_CHARS = {"amp": "&", "lt": "<", "gt": ">", "nbsp": "\u00a0", "lrm": "\u200e", "rlm": "\u200f"}
_JSON_FORMAT = "evidence_annotate.captions"


def _protect(line: str) -> str:
    """Put a WORD JOINER between a backslash and a following N, n, h or WORD JOINER."""
    return _PROTECT.sub(lambda _: "\\" + _JOINER, line)


def escape_ass(text: str) -> str:
    r"""Turn plain text into ASS event text that libass shows literally.

    Args:
        text: Plain text; ``\n``, ``\r\n`` and ``\r`` are line breaks.

    Returns:
        Event text with lines joined by ``\N``.

    Example:
        >>> print(escape_ass("{\\b1}bold?\nno"))
        \{\b1\}bold?\Nno
    """
    return r"\N".join(_protect(line).replace("{", r"\{").replace("}", r"\}")
                      for line in _LINE_BREAK.split(text))


def ass_plain_text(text: str) -> str:
    r"""Return what libass shows for ASS event text, as plain text with ``\n`` line breaks.

    Override blocks are dropped, ``\N``/``\n`` become line breaks, ``\h`` a no-break space,
    ``\{``/``\}`` braces; this inverts :func:`escape_ass`.

    Args:
        text: ASS event text.

    Returns:
        The plain text.

    Example:
        >>> ass_plain_text(r"{\i1}Hello{\i0}\Nworld \{ok\}")
        'Hello\nworld {ok}'
    """
    out: list[str] = []
    for token in _ASS_TOKEN.findall(text):
        if token in _ASS_PLAIN:
            out.append(_ASS_PLAIN[token])
        elif not (token.startswith("{") and token.endswith("}") and len(token) > 1):
            out.append(token)
    return "".join(out)


def _ms(seconds: float) -> int:
    """Seconds to integer milliseconds, rounding half up (the one rounding rule)."""
    return math.floor(seconds * 1000 + 0.5)


def _span_ms(start: float, end: float) -> tuple[int, int]:
    first = _ms(start)
    return first, max(_ms(end), first + 1)


def _karaoke(cue: Cue) -> str | None:
    r"""Event text with ``{\kNN}`` before each word, or ``None`` if words and lines disagree."""
    if not cue.words or " ".join(w.text for w in cue.words) != cue.text:
        return None
    breaks, offset = set(), 0
    for line in cue.lines[:-1]:
        offset += len(line) + 1
        breaks.add(offset)
    bounds = [cue.start] + [min(max(w.start, cue.start), cue.end) for w in cue.words[1:]]
    bounds.append(cue.end)
    cs = list(itertools.accumulate((math.floor((b - cue.start) * 100 + 0.5) for b in bounds), max))
    parts, offset = [], 0
    for i, word in enumerate(cue.words):
        if i:
            parts.append(r"\N" if offset in breaks else " ")
        parts.append(f"{{\\k{cs[i + 1] - cs[i]}}}{escape_ass(word.text)}")
        offset += len(word.text) + 1
    return "".join(parts)


def _new_ssafile(width: int, height: int, style: CaptionStyle | None) -> pysubs2.SSAFile:
    if width <= 0 or height <= 0:
        raise ValueError(f"frame size {width}x{height} must be positive")
    subs = pysubs2.SSAFile()
    subs.info.update({"PlayResX": str(width), "PlayResY": str(height),
                      "ScaledBorderAndShadow": "yes", "WrapStyle": "0"})
    subs.styles = {"Default": (style or CaptionStyle()).to_ssa_style(width, height)}
    return subs


def cues_to_ssafile(cues: Iterable[Cue], *, width: int, height: int,
                    style: CaptionStyle | None = None, karaoke: bool = False,
                    shift: float = 0.0) -> pysubs2.SSAFile:
    r"""Build the ASS document libass burns in: one event per cue, text shown literally.

    Args:
        cues: The cues (times in seconds).
        width: Frame width in pixels (PlayResX).
        height: Frame height in pixels (PlayResY).
        style: The caption look; ``None`` = :class:`CaptionStyle` defaults.
        karaoke: Add ``{\kNN}`` word timing (centiseconds) for cues that have words.
        shift: Seconds added to every time (e.g. the title card's length).

    Returns:
        A new :class:`pysubs2.SSAFile` with a ``Default`` style.

    Example:
        >>> subs = cues_to_ssafile([Cue(1.0, 2.0, ("{a}", "b"))], width=640, height=360)
        >>> subs.info["PlayResY"], subs.events[0].text, subs.events[0].start
        ('360', '\\{a\\}\\Nb', 1000)
    """
    subs = _new_ssafile(width, height, style)
    for cue in cues:
        start, end = _span_ms(cue.start + shift, cue.end + shift)
        text = (_karaoke(cue) if karaoke else None) or escape_ass("\n".join(cue.lines))
        subs.append(pysubs2.SSAEvent(start=start, end=end, text=text))
    return subs


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"caption file {str(path)!r} does not exist", path) from None
    except UnicodeDecodeError as err:
        raise InputError(f"caption file {str(path)!r} is not UTF-8 text ({err.reason} at byte "
                         f"{err.start}); save it as UTF-8 and try again", path) from None
    except OSError as err:
        raise InputError(f"cannot read caption file {str(path)!r} ({err.strerror})", path) from None


def _parse_plain(text: str, vtt: bool) -> list[tuple[int, int, list[str]]]:
    """Cues of an SRT or VTT document as (start ms, end ms, plain lines)."""
    fmt = WebVTTFormat if vtt else SubripFormat
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
        body = [_UNPROTECT.sub(lambda _: "\\", line) for line in body]
        if vtt:
            body = [_VTT_ENTITY.sub(lambda m: _VTT_CHARS[m.group(1)], line) for line in body]
        cues.append((start, end, body))
    return cues


def load_source(source: str | Path | pysubs2.SSAFile, *, width: int, height: int,
                style: CaptionStyle | None = None) -> pysubs2.SSAFile:
    r"""Read captions to burn in from a file (or take an SSAFile) as a libass-ready document.

    SRT and VTT text is plain text: markup-looking text (``{\b1}``, ``<i>``, ``\N``) is shown
    literally and ``style`` gives the look. ASS (``.ass``/``.ssa``) and an SSAFile keep their
    own styling and tags (a copy is returned). ``.json`` is this module's own format.

    Args:
        source: A path to ``.srt``, ``.vtt``, ``.ass``, ``.ssa`` or ``.json``, or an SSAFile.
        width: Frame width in pixels (PlayResX for SRT/VTT/JSON).
        height: Frame height in pixels (PlayResY for SRT/VTT/JSON).
        style: The look for SRT/VTT/JSON; ``None`` = :class:`CaptionStyle` defaults.

    Returns:
        A new :class:`pysubs2.SSAFile`.

    Raises:
        InputError: The file is missing, unreadable, not UTF-8 or not valid.
        ValueError: The suffix is not one of the accepted ones.

    Example:
        >>> subs = load_source(pysubs2.SSAFile(), width=640, height=360)
        >>> len(subs)
        0
    """
    if isinstance(source, pysubs2.SSAFile):
        return copy.deepcopy(source)
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix in (".srt", ".vtt"):
        subs = _new_ssafile(width, height, style)
        for start, end, lines in _parse_plain(_read_text(path), suffix == ".vtt"):
            subs.append(pysubs2.SSAEvent(start=start, end=end, text=escape_ass("\n".join(lines))))
        return subs
    if suffix in (".ass", ".ssa"):
        try:
            return pysubs2.SSAFile.from_string(_read_text(path), format_=suffix[1:])
        except (pysubs2.Pysubs2Error, ValueError) as err:
            raise InputError(f"{str(path)!r} is not a valid {suffix} file: {err}", path) from None
    if suffix == ".json":
        return cues_to_ssafile(load_cues(path), width=width, height=height, style=style)
    raise ValueError(f"caption source {str(path)!r} has suffix {suffix!r}; use one of "
                     ".srt, .vtt, .ass, .ssa, .json")


def load_cues(path: str | Path) -> tuple[Cue, ...]:
    """Read cues written by :func:`write_captions` as ``.json``.

    Args:
        path: The JSON file.

    Returns:
        The cues with their lines and words.

    Raises:
        InputError: The file is missing, unreadable or not this module's JSON format.

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "c.json"
        >>> _ = write_captions([Cue(0.5, 2.0, ("Hi.",))], target)
        >>> load_cues(target)[0].lines
        ('Hi.',)
    """
    path = Path(path)
    try:
        data = json.loads(_read_text(path))
        if data.get("format") != _JSON_FORMAT:
            raise ValueError(f"'format' is {data.get('format')!r}, not {_JSON_FORMAT!r}")
        return tuple(Cue.from_dict(c) for c in data["cues"])
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise InputError(f"{str(path)!r} is not a caption JSON file written by "
                         f"evidence_annotate ({err})", path) from None


def _as_cues(captions: Sequence[Cue] | pysubs2.SSAFile, shift: float) -> list[Cue]:
    """Cues on the shifted timeline; SSA events become cues without words."""
    if not isinstance(captions, pysubs2.SSAFile):
        return [Cue(c.start + shift, c.end + shift, c.lines,
                    tuple(Word(w.start + shift, w.end + shift, w.text, w.probability)
                          for w in c.words)) for c in captions]
    return [Cue(e.start / 1000 + shift, e.end / 1000 + shift,
                tuple(ass_plain_text(e.text).split("\n")))
            for e in captions.get_text_events() if e.end > e.start]


def _render(captions: Sequence[Cue] | pysubs2.SSAFile, suffix: str, width: int, height: int,
            style: CaptionStyle | None, karaoke: bool, shift: float) -> str:
    if suffix == ".ass":
        if isinstance(captions, pysubs2.SSAFile):
            subs = copy.deepcopy(captions)
            subs.shift(ms=_ms(shift))
        else:
            subs = cues_to_ssafile(captions, width=width, height=height, style=style,
                                   karaoke=karaoke, shift=shift)
        return str(subs.to_string("ass"))
    cues = _as_cues(captions, shift)
    if suffix == ".json":
        return json.dumps({"format": _JSON_FORMAT, "version": 1,
                           "cues": [c.to_dict() for c in cues]}, ensure_ascii=False, indent=2)
    plain = pysubs2.SSAFile()
    for cue in cues:
        lines = [_protect(line) for line in cue.lines]
        if suffix == ".vtt":
            for char, entity in _VTT_ESCAPES:
                lines = [line.replace(char, entity) for line in lines]
        start, end = _span_ms(cue.start, cue.end)
        plain.append(pysubs2.SSAEvent(start=start, end=end, text=r"\N".join(lines)))
    return str(plain.to_string(suffix[1:], keep_ssa_tags=True))


def write_captions(captions: Sequence[Cue] | pysubs2.SSAFile, path: str | Path, *,
                   width: int = 1920, height: int = 1080, style: CaptionStyle | None = None,
                   karaoke: bool = False, shift: float = 0.0,
                   inputs: Iterable[Path] = ()) -> Path:
    r"""Write captions as ``.srt``, ``.ass``, ``.vtt`` or ``.json`` (by suffix), atomically.

    Args:
        captions: Cues, or an SSAFile (its events become plain cues for SRT/VTT/JSON; written
            as is, with its styling, for ASS).
        path: The output file; its suffix picks the format.
        width: Frame width in pixels (ASS PlayResX when writing cues).
        height: Frame height in pixels (ASS PlayResY when writing cues).
        style: The look for ASS written from cues; ``None`` = :class:`CaptionStyle` defaults.
        karaoke: Add ``{\kNN}`` word timing to ASS written from cues.
        shift: Seconds added to every time.
        inputs: Files that must never be overwritten (e.g. the source clip).

    Returns:
        The path written.

    Raises:
        ValueError: The suffix is not one of :data:`SUFFIXES`.
        OutputError: The path is an input or cannot be written.

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "c.srt"
        >>> print(write_captions([Cue(0.5, 2.0, ("Hi.",))], target).read_text().rstrip())
        1
        00:00:00,500 --> 00:00:02,000
        Hi.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"caption file {str(path)!r} has suffix {suffix or '(none)'!r}; "
                         f"use one of {', '.join(SUFFIXES)}")
    text = _render(captions, suffix, width, height, style, karaoke, shift)
    with atomic_output(path, inputs=inputs) as tmp, \
            tmp.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return Path(path)

