"""What a storyboard says, on its OUTPUT timeline: [program_transcript][] and [program_cues][].

Each clip's transcript and captions live on that clip's own clock. Here every word, segment
and cue is mapped through its part's [Timeline][evidence_annotate.timing.Timeline] (cuts
drop it, sped-up pieces shorten it, a freeze inside it holds it) and moved to where the part
starts in the program, after the title card and the parts before it.

Example:
    >>> from evidence_annotate.timing import Timeline, Speed
    >>> map_span(Timeline(0.0, ((0.0, 4.0),), (Speed(0.0, 2.0, 2.0),)), 2.0, 3.0, 5.0, 9.0)
    (6.0, 7.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..captions.segmentation import Cue
from ..captions.track import remap_cues, track_from_transcript
from ..render.program import Part, Program
from ..speech.transcript import Segment, Transcript, Word, joiner
from ..timing import Timeline

__all__ = ["map_span", "program_cues", "program_transcript"]


def map_span(timeline: Timeline, start: float, end: float, offset: float,
             limit: float) -> tuple[float, float] | None:
    """Where a source span of a part shows in the program, or ``None`` when cut away.

    Args:
        timeline: The part's timeline (starting at 0).
        start: Source start.
        end: Source end.
        offset: Output time at which the part starts.
        limit: Output time at which the part ends (spans are clipped to it).
    """
    spans = timeline.map_span(start, max(end, start + 1e-3))
    if not spans:
        return None
    first, last = offset + spans[0][0], min(limit, offset + spans[-1][1])
    if first >= limit:
        return None
    return round(first, 6), round(max(last, first), 6)


def _segments(transcript: Transcript, timeline: Timeline, offset: float,
              limit: float) -> list[Segment]:
    out = []
    glue = joiner(transcript.language)
    for segment in transcript.segments:
        where = map_span(timeline, segment.start, segment.end, offset, limit)
        if where is None:
            continue
        words = []
        for word in segment.words:
            spot = map_span(timeline, word.start, word.end, offset, limit)
            if spot is not None:
                words.append(Word(spot[0], spot[1], word.text, word.probability))
        if segment.words and not words:
            continue
        text = segment.text if len(words) == len(segment.words) \
            else glue.join(w.text for w in words)
        out.append(replace(segment, start=where[0], end=where[1], text=text,
                           words=tuple(words)))
    return out


def _bounds(program: Program) -> list[tuple[float, float]]:
    rate = program.rate
    return [(start, start + float(count / rate))
            for start, count in zip(program.starts, program.frames, strict=True)]


def _mapped(program: Program, pick: Sequence[Transcript | None]) -> Transcript | None:
    found = [t for t in pick if t is not None]
    if not found:
        return None
    segments: list[Segment] = []
    for transcript, part, (start, end) in zip(pick, program.parts, _bounds(program),
                                              strict=True):
        if transcript is not None:
            segments += _segments(transcript, part.timeline, start, end)
    first = found[0]
    return Transcript(
        first.language, min(t.language_probability for t in found), program.duration,
        tuple(segments), model=first.model, task=first.task,
        source_language=first.source_language,
        issues=tuple(dict.fromkeys(i for t in found for i in t.issues)),
        dropped=sum(t.dropped for t in found), reviewed=all(t.reviewed for t in found))


def program_transcript(program: Program) -> Transcript | None:
    """The clips' transcripts joined on the program's OUTPUT timeline (``None``: none has one).

    Words and segments are mapped through each part's timeline; a segment whose words were
    all cut away is dropped, one partly cut keeps the words still heard. The language is the
    first transcript's; issues of every transcript are kept; the English translation is
    mapped too when every transcribed clip has one.
    """
    transcripts = [part.transcript for part in program.parts]
    mapped = _mapped(program, transcripts)
    if mapped is None:
        return None
    translations = [t.translation if t is not None else None for t in transcripts]
    if all(t is None or t.translation is not None for t in transcripts):
        mapped = replace(mapped, translation=_mapped(program, translations))
    return mapped


def _part_cues(part: Part) -> tuple[Cue, ...]:
    track = part.plan.captions
    if track is None and part.transcript is not None and part.transcript.segments:
        track = track_from_transcript(part.transcript, part.size, part.info.fps,
                                      part.info.duration, allow_low_confidence=True)
    if track is None:
        return ()
    return remap_cues(track.cues, part.timeline)


def program_cues(program: Program) -> tuple[Cue, ...]:
    """Every clip's captions on the program's OUTPUT timeline, clipped to its part.

    A clip gives its caption track (``captions()``), else cues made from its transcript.
    """
    out: list[Cue] = []
    for part, (start, end) in zip(program.parts, _bounds(program), strict=True):
        for cue in _part_cues(part):
            first, last = start + cue.start, min(end, start + cue.end)
            if last - first <= 1e-3:
                continue
            words = tuple(Word(w.start + start, min(last, w.end + start), w.text,
                               w.probability) for w in cue.words if w.start + start < last)
            out.append(replace(cue, start=round(first, 6), end=round(last, 6), words=words))
    return tuple(out)
