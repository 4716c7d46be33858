"""Captions in the plan as data: cues and a style, turned into ASS only by the renderer.

A [CaptionTrack][] holds the cues on the SOURCE timeline (from a transcript, with word
times, or from a subtitle file), the style and karaoke flag, and, for ASS/SSA files that carry
their own styling, that document. [CaptionTrack.to_ass][] is the one place a track becomes
what libass burns; [CaptionTrack.shown_at][] is what previews draw, placed by the same
[CaptionTrack.placements][]; [write_track][] writes any registered format on the
OUTPUT timeline.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pysubs2

from ..errors import CaptionWarning
from ..fonts import check_glyphs
from ..output import atomic_output
from ..speech.transcript import NO_SPACE_LANGUAGES, Segment, Transcript, Word, joiner
from ..timing import Timeline
from .ass import cues_to_ssafile, seconds_to_ms
from .bilingual import (
    MT_LABEL,
    check_confident,
    check_show,
    english_of,
    merge_both,
    two_track_ass,
    write_labelled,
)
from .formats import read_captions, write_captions
from .languages import rules_for
from .placement import Obstacle, place_cues
from .segmentation import CaptionRules, Cue, break_lines, segment
from .style import CaptionStyle

__all__ = ["CaptionTrack", "cues_for", "read_transcript", "remap_cues", "track_from_source",
           "track_from_transcript", "write_track"]


@dataclass(frozen=True)
class CaptionTrack:
    """Captions to burn in, as data, on the SOURCE timeline.

    Attributes:
        cues: The cues: plain text lines (shown literally) and, from a transcript, words.
        origin: Where they came from (``"transcript"`` or a source file's name).
        style: The caption look (``None`` = [CaptionStyle][] defaults).
        karaoke: Highlight each word as it is spoken (cues with words only).
        styled: An ASS document with the user's own styling (from an ``.ass``/``.ssa``
            file), burned as is; ``None`` for captions in ``style``.
        source: The subtitle file they were read from: an input no output may overwrite.
        tracks: For subtitle files, when there is an English machine translation: ``(label,
            cues)`` of the original (its language code) and of the English (``"en"``).
    """

    cues: tuple[Cue, ...]
    origin: str = "transcript"
    style: CaptionStyle | None = None
    karaoke: bool = False
    styled: str | None = None
    source: Path | None = None
    tracks: tuple[tuple[str, tuple[Cue, ...]], ...] = ()

    def lines_at(self, t: float) -> list[str]:
        """The lines shown at source time ``t``, as plain text.

        Example:
            >>> CaptionTrack((Cue(1.0, 2.0, ("Hi.",)),)).lines_at(1.5)
            ['Hi.']
        """
        return [line for cue in self.cues if cue.start <= t < cue.end for line in cue.lines]

    def placements(self, frame: tuple[int, int],
                   obstacles: Sequence[Obstacle] = ()) -> tuple[bool, ...]:
        """Per cue, whether it is moved to the top to keep clear of ``obstacles``.

        Every renderer asks this one method (see ``placement``);
        tracks from styled ASS files are never moved.
        """
        if self.styled is not None:
            return tuple(False for _ in self.cues)
        return _placements(self, frame, tuple(obstacles))

    def shown_at(self, t: float, frame: tuple[int, int],
                 obstacles: Sequence[Obstacle] = ()) -> tuple[list[str], list[str]]:
        """The plain lines shown at source time ``t``: ``(at the bottom, at the top)``.

        Previews draw these (the export burns the same placement with libass).

        Example:
            >>> CaptionTrack((Cue(1.0, 2.0, ("Hi.",)),)).shown_at(1.5, (320, 240))
            (['Hi.'], [])
        """
        bottom: list[str] = []
        top: list[str] = []
        for cue, moved in zip(self.cues, self.placements(frame, obstacles), strict=True):
            if cue.start <= t < cue.end:
                (top if moved else bottom).extend(cue.lines)
        return bottom, top

    def to_ass(self, width: int, height: int, obstacles: Sequence[Obstacle] = ()) -> str:
        """The ASS document libass burns on a ``width`` x ``height`` frame (source times).

        Cues go to the top where ``obstacles`` (annotations shown with them) would sit
        under them; a styled ASS source is burned as it is.
        """
        if self.styled is not None:
            return self.styled
        return str(cues_to_ssafile(self.cues, width=width, height=height, style=self.style,
                                   karaoke=self.karaoke,
                                   top=self.placements((width, height), obstacles))
                   .to_string("ass"))


@functools.lru_cache(maxsize=32)
def _placements(track: CaptionTrack, frame: tuple[int, int],
                obstacles: tuple[Obstacle, ...]) -> tuple[bool, ...]:
    return place_cues(track.cues, frame, track.style, obstacles)


def cues_for(transcript: Transcript, size: tuple[int, int], fps: float, duration: float,
             rules: CaptionRules | None, style: CaptionStyle | None) -> tuple[Cue, ...]:
    """Segment a transcript into cues that fit a frame of ``size`` and its frame rate.

    The line length is the smaller of ``rules.max_chars_per_line`` and what fits the frame at
    the style's font size, so libass never re-wraps a line (portrait video fits fewer).
    """
    if rules is None:
        rules = rules_for(transcript.language)
    elif transcript.language in NO_SPACE_LANGUAGES:
        rules = replace(rules, word_joiner="")
    fits = (style or CaptionStyle()).max_chars(*size)
    if fits < rules.max_chars_per_line:
        rules = replace(rules, max_chars_per_line=fits)
    return segment(transcript.words, rules, fps=fps if fps > 0 else 30.0, end_limit=duration)


def track_from_transcript(transcript: Transcript, size: tuple[int, int], fps: float,
                          duration: float, *, rules: CaptionRules | None = None,
                          style: CaptionStyle | None = None, karaoke: bool = False,
                          show: str = "original",
                          allow_low_confidence: bool = False) -> CaptionTrack:
    """Captions from a transcript, on the source timeline.

    Args:
        transcript: The transcript (with its English translation, if any).
        size: The output frame size.
        fps: The frame rate.
        duration: The clip's length.
        rules: Segmentation rules (``None`` = the transcript language's rules).
        style: The caption look.
        karaoke: Highlight each word as it is spoken (not with ``show="both"``).
        show: ``"original"``, ``"english"`` or ``"both"`` (see [.bilingual][]).
        allow_low_confidence: Burn a transcript that failed the checks anyway.

    Raises:
        ValueError: Bad ``show``, or no English track for ``"english"``/``"both"``.
        LowConfidenceError: A transcript to burn failed the checks.
    """
    check_show(show)
    english = english_of(transcript)
    if show != "original" and english is None:
        raise ValueError(f"show={show!r} needs an English track, and the transcript "
                         f"({transcript.language or 'no speech'}) has none: call "
                         "transcribe(..., translate=True)")
    if show != "english":
        check_confident(transcript, "transcript", allow_low_confidence)
    if english is not None and show != "original":
        check_confident(english, MT_LABEL, allow_low_confidence)
    original = cues_for(transcript, size, fps, duration, rules, style)
    english_cues = () if english is None or english is transcript else cues_for(
        english, size, fps, duration, None, style)
    burned = {"original": original, "english": english_cues or original,
              "both": merge_both(original, english_cues) if english_cues else original}[show]
    tracks = ((transcript.language, original), ("en", english_cues)) if english_cues else ()
    check_glyphs(" ".join(cue.text for cue in burned), stacklevel=5)
    origin = "transcript" if show == "original" else f"transcript ({show}: {MT_LABEL})"
    return CaptionTrack(burned, origin, style, karaoke and show != "both", None, tracks=tracks)


def read_transcript(path: str | Path, *, language: str = "") -> Transcript:
    """A transcript from a subtitle file a person checked (e.g. edited after ``transcribe``).

    Cue times are kept. Words keep their times where the file has them and the text still
    matches (JSON written by this library); otherwise each cue's words share its span in
    proportion to their length. The transcript is marked reviewed.

    Args:
        path: An ``.srt``, ``.vtt``, ``.ass``, ``.ssa`` or ``.json`` file.
        language: The language of the text (ISO 639-1), if known.

    Example:
        >>> import tempfile
        >>> from evidence_annotate.captions.formats import write_captions
        >>> f = Path(tempfile.mkdtemp()) / "a.srt"
        >>> f = write_captions([Cue(1.0, 3.0, ("Tutup retak",))], f)
        >>> t = read_transcript(f, language="id")
        >>> [(w.text, w.start, w.end) for w in t.words], t.reviewed
        ([('Tutup', 1.0, 2.0), ('retak', 2.0, 3.0)], True)
    """
    glue = joiner(language)
    segments: list[Segment] = []
    for cue in read_captions(path).cues:
        text = glue.join(cue.lines)
        if not text.strip():
            continue
        rough = Transcript(language, 1.0, cue.end, (Segment(cue.start, cue.end, text, (
            Word(cue.start, cue.end, text),)),))
        kept = cue.words if cue.words and glue.join(w.text for w in cue.words) == text \
            else rough.replace(0, text).words
        segments.append(Segment(cue.start, cue.end, text, tuple(kept), ("corrected",)))
    end = max((s.end for s in segments), default=0.0)
    return Transcript(language, 1.0, end, tuple(segments), reviewed=True)


def track_from_source(source: str | Path | pysubs2.SSAFile, *,
                      style: CaptionStyle | None = None,
                      duration: float | None = None) -> CaptionTrack:
    """Captions from a subtitle file (SRT/VTT/JSON with their formatting, ASS/SSA styled).

    Args:
        source: The file, or a ``pysubs2.SSAFile``.
        style: The caption look (not used by styled ASS/SSA sources).
        duration: The clip's length in seconds: cues that start after it are reported with
            a [CaptionWarning][evidence_annotate.errors.CaptionWarning] (they would never show).

    Raises:
        InputError: The file cannot be read or shows nothing.
    """
    if isinstance(source, pysubs2.SSAFile):
        from .formats.ass import AdvancedSubStation

        read = AdvancedSubStation().read(str(source.to_string("ass")))
        origin = "SSAFile"
    else:
        read = read_captions(source)
        origin = Path(source).name
    check_glyphs(" ".join(cue.text for cue in read.cues), stacklevel=5)
    late = [cue for cue in read.cues if duration is not None and cue.start >= duration]
    if late:
        warnings.warn(CaptionWarning(
            f"{len(late)} of {len(read.cues)} cues of {origin!r} start after the clip ends "
            f"({duration:.3f} s) and will not be shown; the first starts at "
            f"{late[0].start:.3f} s. Caption times are seconds on the source clip"),
            stacklevel=3)
    path = None if isinstance(source, pysubs2.SSAFile) else Path(source)
    return CaptionTrack(read.cues, origin, style, False, read.styled, path)


def remap_cues(cues: Sequence[Cue], timeline: Timeline) -> tuple[Cue, ...]:
    """Move cues onto the output timeline: shifted past the card, clipped and split at cuts.

    A cue that straddles a cut becomes one cue per kept piece, each holding the words spoken
    in it (pieces without words are dropped when the cue has words); cues entirely inside a
    cut disappear.
    """
    out: list[Cue] = []
    for cue in cues:
        spans = timeline.map_span(cue.start, cue.end)
        for start, end in spans:
            words = tuple(_moved(w, timeline) for w in cue.words
                          if (t := timeline.to_output(w.start)) is not None and start <= t < end)
            if len(spans) == 1 or not cue.words:
                out.append(replace(cue, start=start, end=end, words=words))
            elif words:
                out.append(Cue(start, end, break_lines([w.text for w in words]), words))
    return tuple(out)


def _moved(word: Word, timeline: Timeline) -> Word:
    start = timeline.to_output(word.start)
    assert start is not None
    return Word(start, start + (word.end - word.start), word.text, word.probability)


def _remap_styled(document: str, timeline: Timeline) -> str:
    """A styled ASS document with every event moved onto the output timeline."""
    subs = pysubs2.SSAFile.from_string(document, format_="ass")
    events = []
    for event in subs.events:
        for start, end in timeline.map_span(event.start / 1000, event.end / 1000):
            piece = event.copy()
            piece.start, piece.end = seconds_to_ms(start), seconds_to_ms(end)
            events.append(piece)
    subs.events = events
    return str(subs.to_string("ass"))


def write_track(track: CaptionTrack, path: str | Path, size: tuple[int, int],
                timeline: Timeline, inputs: Sequence[Path] = ()) -> Path:
    """Write captions to ``path`` (format by suffix) on the OUTPUT timeline.

    With an English track ([CaptionTrack.tracks][]), ``.ass``/``.ssa`` get both tracks
    in one file; other formats get one file per track, ``<stem>.<language><suffix>`` and
    ``<stem>.en<suffix>`` (labelled as machine translation where the format allows), and
    the original's path is returned.
    """
    target = Path(path)
    if len(track.tracks) > 1 and track.styled is None:
        (language, original), (_, english) = track.tracks[:2]
        if target.suffix.lower() in (".ass", ".ssa"):
            text = two_track_ass(remap_cues(original, timeline), remap_cues(english, timeline),
                                 width=size[0], height=size[1], style=track.style,
                                 language=language)
            with atomic_output(target, inputs=inputs) as tmp:
                tmp.write_text(text, encoding="utf-8")
            return target
        first = target.with_name(f"{target.stem}.{language or 'orig'}{target.suffix}")
        write_captions(remap_cues(original, timeline), first, width=size[0], height=size[1],
                       style=track.style, inputs=inputs)
        write_labelled(remap_cues(english, timeline),
                       target.with_name(f"{target.stem}.en{target.suffix}"), width=size[0],
                       height=size[1], style=track.style, inputs=inputs)
        return first
    styled = _remap_styled(track.styled, timeline) if track.styled is not None else None
    return write_captions(remap_cues(track.cues, timeline), path, styled=styled,
                          width=size[0], height=size[1], style=track.style,
                          karaoke=track.karaoke, inputs=inputs)
