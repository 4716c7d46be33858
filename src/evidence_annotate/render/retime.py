"""Time edits in the graph: kept ranges, speed changes and freezes of one part, and its sound.

The picture is retimed with ONE ``select`` + ``setpts``: every kept frame moves to the
output time the part's [Timeline][evidence_annotate.timing.Timeline] gives its
timestamp (pieces played faster or slower scale, later pieces shift by the held seconds).
A freeze is a gap after the held frame, which the ``fps`` filter that follows fills by
repeating it, with its annotations, since they were drawn before. The sound is cut into
the same pieces, each stretched without changing pitch (``atempo``), held frames get
silence, and every piece is padded or cut to its exact length so sync holds to the sample.

Example:
    >>> atempo(8.0), atempo(0.25), atempo(1.0)
    ('atempo=2,atempo=2,atempo=2', 'atempo=0.5,atempo=0.5', '')
"""

from __future__ import annotations

from collections.abc import Sequence

from ..filtergraph import FilterGraph, num
from ..timing import Piece
from .audio import audio_chain
from .settings import AUDIO_RATE

__all__ = ["MAX_SPEED", "MIN_SPEED", "atempo", "part_audio", "retime_video", "silence"]

MIN_SPEED = 0.25
"""Slowest speed factor (four times slower)."""
MAX_SPEED = 8.0
"""Fastest speed factor; ``atempo`` keeps speech pitch (words blur together above ~3x)."""

_FORMAT = "aformat=sample_fmts=fltp:channel_layouts=stereo"


def atempo(factor: float) -> str:
    """A pitch-preserving ``atempo`` chain for ``factor`` (each stage within 0.5-2)."""
    stages: list[float] = []
    while factor > 2.0 + 1e-9:
        stages.append(2.0)
        factor /= 2.0
    while factor < 0.5 - 1e-9:
        stages.append(0.5)
        factor /= 0.5
    if abs(factor - 1.0) > 1e-9:
        stages.append(factor)
    return ",".join(f"atempo={num(s)}" for s in stages)


def silence(seconds: float) -> str:
    """A source chain of ``seconds`` of stereo silence at the export's sample rate."""
    return f"anullsrc=r={AUDIO_RATE}:cl=stereo,{_FORMAT},atrim=end={num(seconds)}"


def retime_video(graph: FilterGraph, pad: str, pieces: Sequence[Piece],
                 bounds: Sequence[tuple[float, float]]) -> str:
    """Keep the frames of the pieces and move each to its output time (one select + setpts).

    Args:
        graph: The graph.
        pad: The part's video, on its source clock.
        pieces: The part's timeline pieces (holds included).
        bounds: For every non-hold piece, the timestamps between which its frames lie
            (halfway between frames, see
            [trim_bounds][evidence_annotate.render.frames.trim_bounds]).

    Returns:
        The retimed pad (variable frame rate; an ``fps`` filter must follow).
    """
    keep: list[str] = []
    terms: list[str] = []
    offset = 0.0
    spans = iter(bounds)
    for piece in pieces:
        if piece.hold:
            offset += piece.hold
            continue
        low, high = next(spans)
        inside = f"gte(T,{num(low)})*lt(T,{num(high)})"
        moved = f"(T-{num(piece.start)})"
        if piece.factor != 1.0:
            moved += f"/{num(piece.factor)}"
        keep.append(f"gte(t,{num(low)})*lt(t,{num(high)})")
        terms.append(f"{inside}*({num(offset)}+{moved})")
        offset += piece.length
    out = graph.label("rt")
    graph.add([pad], f"select='{'+'.join(keep)}',setpts='round(({'+'.join(terms)})/TB)'",
              [out])
    return out


def part_audio(graph: FilterGraph, source: str | None, *, duration: float,
               pieces: Sequence[Piece], length: float) -> str:
    """The sound of one part, exactly ``length`` seconds long.

    Args:
        graph: The graph.
        source: The part's audio stream pad (``"2:1"``), or ``None`` for silence.
        duration: The source clip's duration (its sound is padded or cut to it first).
        pieces: The part's timeline pieces.
        length: The part's output length (whole frames).
    """
    out = graph.label("pa")
    end = f"apad=whole_dur={num(length)},atrim=end={num(length)}"
    if source is None:
        graph.add([], silence(length), [out])
        return out
    base = audio_chain(duration=duration, segments=((0.0, duration),), cut=False, card=0.0)
    whole = len(pieces) == 1 and not pieces[0].hold and pieces[0].factor == 1.0 \
        and pieces[0].start <= 0.0 and pieces[0].end >= duration
    if whole:
        graph.add([source], f"{base},{end}", [out])
        return out
    played = [p for p in pieces if not p.hold]
    names = [graph.label("as") for _ in played]
    graph.add([source], f"{base},asplit={len(names)}" if len(names) > 1 else base, names)
    inputs, spans = [], iter(names)
    for piece in pieces:
        label = graph.label("ap")
        size = num(piece.length)
        if piece.hold:
            graph.add([], silence(piece.hold), [label])
        else:
            tempo = atempo(piece.factor)
            graph.add([next(spans)], f"atrim=start={num(piece.start)}:end={num(piece.end)},"
                      f"asetpts=PTS-STARTPTS,{tempo + ',' if tempo else ''}"
                      f"apad=whole_dur={size},atrim=end={size}", [label])
        inputs.append(label)
    joined = f"concat=n={len(inputs)}:v=0:a=1," if len(inputs) > 1 else "anull,"
    graph.add(inputs, f"{joined}{end}", [out])
    return out
