"""The English track for the reviewer: choosing, checking, merging and labelling it.

A transcript may carry a time-aligned English machine translation
([translation][evidence_annotate.speech.transcript.Transcript.translation], from
``transcribe(translate=True)``). Captions can show the original (``"original"``), the English
(``"english"``) or both (``"both"``: each cue holds its original lines first, then the
English said in the same time, italic in [ENGLISH_COLOR][]). Files of the English track
are labelled [MT_LABEL][] (WebVTT ``NOTE``, ASS title and style, JSON ``label``; SRT has
no place for a label, so its name says ``.en``).

Example:
    >>> both = merge_both((Cue(0.0, 2.0, ("Casing retak.",)),),
    ...                   (Cue(0.1, 1.9, ("Case cracked.",)),))
    >>> both[0].lines, both[0].runs[1][0].italic
    (('Casing retak.', 'Case cracked.'), True)
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

import pysubs2

from ..errors import LowConfidenceError
from ..output import atomic_output
from ..speech.transcript import Transcript
from .ass import cues_to_ssafile
from .formats import format_for
from .formats.base import WriteOptions
from .runs import Run
from .segmentation import CaptionRules, Cue, break_lines
from .style import CaptionStyle

__all__ = ["ENGLISH_COLOR", "MT_LABEL", "Show", "check_confident", "english_of", "merge_both",
           "two_track_ass", "write_labelled"]

Show = Literal["original", "english", "both"]
"""Which captions are burned: the words as spoken, the English translation, or both."""

MT_LABEL = "English (machine translation)"
"""How the English track is labelled in files, the report and the manifest."""
ENGLISH_COLOR = "#ffe680"
"""Colour of the English lines when both tracks are shown (pale yellow, italic)."""


def check_show(show: str) -> None:
    """Raise ``ValueError`` unless ``show`` is one of [Show][]."""
    if show not in get_args(Show):
        raise ValueError(f"show={show!r} is invalid: use one of {get_args(Show)}")


def english_of(transcript: Transcript) -> Transcript | None:
    """The English track: the translation, or the transcript itself when it is English."""
    if transcript.translation is not None:
        return transcript.translation
    return transcript if transcript.language == "en" else None


def check_confident(transcript: Transcript, what: str, allow: bool) -> None:
    """Refuse to burn captions from a transcript that failed the checks (unless ``allow``).

    Raises:
        LowConfidenceError: It is not confident and ``allow`` is false.
    """
    if allow or transcript.confident:
        return
    raise LowConfidenceError(
        f"the {what} is low-confidence ({'; '.join(transcript.problems)}): captions could "
        "show words that were never said. Check and correct it (transcript.correct(...), "
        "or edit the file `evidence-annotate transcribe` writes and pass it back as "
        "captions(source=...)), mark it reviewed (transcript.mark_reviewed()), or pass "
        "allow_low_confidence=True", transcript.problems)


def merge_both(original: Sequence[Cue], english: Sequence[Cue],
               rules: CaptionRules | None = None) -> tuple[Cue, ...]:
    """Cues with the original lines first, then the English said in the same time.

    Each English cue goes to the original cue it overlaps most (its words are kept in
    order); its lines are broken again with ``rules`` and drawn italic in
    [ENGLISH_COLOR][].
    """
    taken: list[list[str]] = [[] for _ in original]
    for cue in english:
        if not original:
            break
        overlap = [min(cue.end, o.end) - max(cue.start, o.start) for o in original]
        best = max(range(len(original)), key=lambda i: (overlap[i], -i))
        if overlap[best] <= 0:
            best = min(range(len(original)), key=lambda i: abs(original[i].start - cue.start))
        taken[best].extend([w.text for w in cue.words] if cue.words else cue.text.split())
    out: list[Cue] = []
    for cue, words in zip(original, taken, strict=True):
        extra = break_lines(words, rules) if words else ()
        runs = (*((Run(line),) for line in cue.lines),
                *((Run(line, italic=True, color=ENGLISH_COLOR),) for line in extra))
        out.append(Cue(cue.start, cue.end, (*cue.lines, *extra), cue.words, runs))
    return tuple(out)


def two_track_ass(original: Sequence[Cue], english: Sequence[Cue], *, width: int, height: int,
                  style: CaptionStyle | None, language: str) -> str:
    """One ASS document with both tracks, the English in a style named after the label.

    The original keeps the ``Default`` style; the English ([MT_LABEL][]) is italic, pale
    yellow and placed at the top, so players and libass show both.
    """
    subs = cues_to_ssafile(original, width=width, height=height, style=style)
    english_subs = cues_to_ssafile(english, width=width, height=height, style=style)
    label = MT_LABEL.replace(",", "")
    look = english_subs.styles["Default"].copy()
    look.italic = True
    look.primarycolor = pysubs2.Color(0xFF, 0xE6, 0x80)
    look.alignment = pysubs2.Alignment.TOP_CENTER
    subs.styles[label] = look
    for event in english_subs.events:
        event.style = label
        subs.append(event)
    subs.info["Title"] = f"{language or 'original'} + {MT_LABEL}"
    return str(subs.to_string("ass"))


def write_labelled(cues: Sequence[Cue], path: str | os.PathLike[str], *, width: int,
                   height: int, style: CaptionStyle | None, inputs: Sequence[Path] = (),
                   label: str = MT_LABEL) -> Path:
    """Write cues, labelled as machine translation.

    See [write_captions][evidence_annotate.captions.formats.write_captions].
    """
    fmt = format_for(path)
    text = fmt.write(cues, None, WriteOptions(width, height, style, False))
    if fmt.name == "json":
        data = json.loads(text)
        data["label"] = label
        text = json.dumps(data, ensure_ascii=False, indent=2)
    elif fmt.name in ("vtt", "webvtt"):
        head, _, rest = text.partition("\n")
        text = f"{head}\n\nNOTE {label}\n{rest}"
    elif fmt.name in ("ass", "ssa"):
        text = text.replace("[Script Info]\n", f"[Script Info]\nTitle: {label}\n", 1)
    with atomic_output(path, inputs=inputs) as tmp, \
            tmp.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return Path(path)
