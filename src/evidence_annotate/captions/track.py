"""Captions attached to a plan: built from a transcript or a subtitle file, written out shifted.

This is the glue between :class:`~evidence_annotate.transcript.Transcript`, segmentation
(:mod:`.segmentation`), styles (:mod:`.style`) and subtitle files (:mod:`.subs`); the ffmpeg
renderer burns the resulting ASS document with libass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pysubs2

from ..fonts import check_glyphs
from ..media import MediaInfo
from ..plan import CaptionTrack, Timeline
from ..transcript import Transcript, Word
from .segmentation import CaptionRules, Cue, break_lines, segment
from .style import CaptionStyle
from .subs import ass_plain_text, cues_to_ssafile, load_source, write_captions

__all__ = ["cues_for", "remap_cues", "remap_events", "track_from_source",
           "track_from_transcript", "write_track"]


def _frame(info: MediaInfo) -> tuple[int, int]:
    from ..render.graph import output_size

    return output_size(info)


def cues_for(transcript: Transcript, info: MediaInfo, rules: CaptionRules | None,
             style: CaptionStyle | None) -> tuple[Cue, ...]:
    """Segment a transcript into cues that fit this video's frame and frame rate.

    The line length is the smaller of ``rules.max_chars_per_line`` and what fits the frame at
    the style's font size, so libass never re-wraps a line (portrait video fits fewer).
    """
    rules = rules or CaptionRules()
    width, height = _frame(info)
    fits = (style or CaptionStyle()).max_chars(width, height)
    if fits < rules.max_chars_per_line:
        rules = replace(rules, max_chars_per_line=fits)
    fps = info.fps if info.fps > 0 else 30.0
    return segment(transcript.words, rules, fps=fps, end_limit=info.duration)


def track_from_transcript(transcript: Transcript, info: MediaInfo, *,
                          rules: CaptionRules | None = None, style: CaptionStyle | None = None,
                          karaoke: bool = False) -> CaptionTrack:
    """Captions from a transcript, on the source timeline."""
    cues = cues_for(transcript, info, rules, style)
    check_glyphs(" ".join(cue.text for cue in cues), stacklevel=4)
    width, height = _frame(info)
    ssa = cues_to_ssafile(cues, width=width, height=height, style=style, karaoke=karaoke)
    return CaptionTrack(ass=ssa.to_string("ass"), origin="transcript", cues=cues,
                        style=style, karaoke=karaoke)


def track_from_source(source: str | Path | pysubs2.SSAFile, info: MediaInfo, *,
                      style: CaptionStyle | None = None) -> CaptionTrack:
    """Captions from a subtitle file (SRT/VTT as plain text, ASS with its own styling)."""
    width, height = _frame(info)
    ssa = load_source(source, width=width, height=height, style=style)
    text = " ".join(ass_plain_text(event.text) for event in ssa.events if not event.is_comment)
    check_glyphs(text, stacklevel=4)
    origin = source.name if isinstance(source, Path) else (
        Path(source).name if isinstance(source, str) else "SSAFile")
    styled = isinstance(source, pysubs2.SSAFile) or Path(source).suffix.lower() in (".ass",
                                                                                   ".ssa")
    return CaptionTrack(ass=ssa.to_string("ass"), origin=origin, style=style, literal=not styled)


def remap_cues(cues: Sequence[Cue], timeline: Timeline) -> tuple[Cue, ...]:
    """Move cues onto the output timeline: shifted past the card, clipped and split at cuts.

    A cue that straddles a cut becomes one cue per kept piece, each holding the words spoken
    in it (pieces without words are dropped); cues entirely inside a cut disappear.
    """
    out: list[Cue] = []
    for cue in cues:
        spans = timeline.map_span(cue.start, cue.end)
        for start, end in spans:
            words = tuple(_moved(w, timeline) for w in cue.words
                          if (t := timeline.to_output(w.start)) is not None and start <= t < end)
            if len(spans) == 1:
                out.append(Cue(start, end, cue.lines, words))
            elif words:
                out.append(Cue(start, end, break_lines([w.text for w in words]), words))
    return tuple(out)


def _moved(word: Word, timeline: Timeline) -> Word:
    start = timeline.to_output(word.start)
    assert start is not None
    return Word(start, start + (word.end - word.start), word.text, word.probability)


def remap_events(subs: pysubs2.SSAFile, timeline: Timeline) -> pysubs2.SSAFile:
    """The same subtitle file with every event moved onto the output timeline."""
    moved = pysubs2.SSAFile.from_string(subs.to_string("ass"))
    moved.events = []
    for event in subs.events:
        for start, end in timeline.map_span(event.start / 1000, event.end / 1000):
            piece = event.copy()
            piece.start, piece.end = round(start * 1000), round(end * 1000)
            moved.events.append(piece)
    return moved


def write_track(track: CaptionTrack, path: str | Path, info: MediaInfo,
                timeline: Timeline) -> Path:
    """Write captions to ``path`` (format by suffix) on the OUTPUT timeline."""
    width, height = _frame(info)
    captions: tuple[Cue, ...] | pysubs2.SSAFile = (
        remap_cues(track.cues, timeline) if track.cues
        else remap_events(pysubs2.SSAFile.from_string(track.ass), timeline))
    return write_captions(captions, path, width=width, height=height, style=track.style,
                          karaoke=track.karaoke, inputs=(info.path,))
