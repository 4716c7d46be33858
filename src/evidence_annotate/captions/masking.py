"""Captions that do not show spoken personal data: masked words, lines and tracks.

Cues made from a transcript carry its words with their times: the words inside a redacted
span's times become one word with the masked text (karaoke timing included) and the lines are
broken again from the words. Every line (the English of ``show="both"``, cues read from a
subtitle file, a styled ASS document) is also searched for the found values themselves (digits,
addresses, phrases; see
[find_values][evidence_annotate.speech.pii_match.find_values]), so a number split over two
cues or translated is masked too.

Example:
    >>> from evidence_annotate.speech.transcript import Word
    >>> cue = Cue(1.0, 3.0, ("Call 0812 3456 7890",), (Word(1.0, 1.4, "Call"),
    ...     Word(1.5, 1.9, "0812"), Word(2.0, 2.4, "3456"), Word(2.5, 2.9, "7890")))
    >>> mask_cues([cue], [(1.5, 2.9, "0812-••••-7890")], [("phone", "081234567890")],
    ...           "partial")[0].lines
    ('Call 0812-••••-7890',)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pysubs2

from ..speech.pii_mask import mask_text, masked_words, spans_in_time
from ..speech.pii_match import find_values, mask_line_words
from .runs import Run
from .segmentation import Cue, break_lines
from .track import CaptionTrack

__all__ = ["mask_cues", "mask_track"]

Window = tuple[float, float, str]
"""A redacted span on the source timeline and its masked text."""


def _mask_cue(cue: Cue, windows: Sequence[Window], values: Sequence[tuple[str, str]],
              mask: str, keep: Sequence[str]) -> Cue:
    words, lines = cue.words, cue.lines
    if words and windows:
        spans = spans_in_time(words, windows)
        if spans:
            plain = " ".join(cue.lines) == " ".join(w.text for w in words)
            words = tuple(masked_words(words, spans))
            if plain:
                lines = break_lines([w.text for w in words])
    if words and values:
        found = find_values([w.text for w in words], values, keep)
        words = tuple(masked_words(words, [(lo, hi, mask_text(kind, value, mask))
                                           for lo, hi, kind, value in found]))
    lines = mask_line_words(lines, values, mask, keep)
    if lines == cue.lines and words == cue.words:
        return cue
    runs = cue.runs
    if runs and len(runs) == len(lines):
        runs = tuple(old if "".join(r.text for r in old) == line else
                     ((replace(old[0], text=line),) if old else (Run(line),))
                     for old, line in zip(runs, lines, strict=True))
    elif runs:
        runs = ()
    return Cue(cue.start, cue.end, lines, words, runs)


def mask_cues(cues: Sequence[Cue], windows: Sequence[Window],
              values: Sequence[tuple[str, str]], mask: str,
              keep: Sequence[str] = ()) -> tuple[Cue, ...]:
    """Cues with the redacted words (by time) and the found values (by text) masked.

    Args:
        cues: The cues (source timeline).
        windows: ``(start, end, masked text)`` of each redacted span (source seconds).
        values: ``(kind, value)`` of each finding, searched for in every line.
        mask: The mask style for values found in lines.
        keep: Numbers and phrases never masked (the order number).
    """
    return tuple(_mask_cue(cue, windows, values, mask, keep) for cue in cues)


def _mask_styled(document: str, values: Sequence[tuple[str, str]], mask: str,
                 keep: Sequence[str]) -> str:
    subs = pysubs2.SSAFile.from_string(document, format_="ass")
    for event in subs.events:
        event.text = "\\N".join(mask_line_words(event.text.split("\\N"), values, mask, keep))
    return str(subs.to_string("ass"))


def mask_track(track: CaptionTrack, windows: Sequence[Window],
               values: Sequence[tuple[str, str]], mask: str,
               keep: Sequence[str] = ()) -> CaptionTrack:
    """A caption track (and its language tracks) with spoken personal data masked.

    Word times are used for the spoken language only; the English machine translation's
    words are matched by their text.
    """
    def spoken(label: str) -> Sequence[Window]:
        return () if label == "en" and track.tracks and track.tracks[0][0] != "en" else windows
    burned = () if "english" in track.origin else windows
    tracks = tuple((label, mask_cues(cues, spoken(label), values, mask, keep))
                   for label, cues in track.tracks)
    styled = _mask_styled(track.styled, values, mask, keep) if track.styled else None
    return replace(track, cues=mask_cues(track.cues, burned, values, mask, keep),
                   tracks=tracks, styled=styled)
