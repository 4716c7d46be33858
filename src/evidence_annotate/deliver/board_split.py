"""``fit="split"`` for a storyboard: numbered parts, each within a platform's duration.

The program's time (after the title card) is cut with
[split_points][evidence_annotate.deliver.fit.split_points]: preferably at a join between
segments, else in a pause of a clip (between caption cues or words, or in a stretch with
no speech and no annotation), never inside a word when it can be helped. Each part is a
program of its own: the segments (or the pieces of segments) it holds, and the title card
marked "part i of n". Pure arithmetic: tested without encoding.

Example:
    >>> from evidence_annotate.deliver.board_split import split_program  # doctest: +SKIP
    >>> [p.duration for p in split_program(program, platform)]            # doctest: +SKIP
    [14.9, 14.8, 6.0]
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import PlatformLimitError
from ..platforms import Platform
from ..render.frames import snap_ranges
from ..render.program import Part, Program
from .fit import SAFETY, Spans, cut_candidates, split_points
from .speedfit import quiet_stretches

__all__ = ["program_cuts", "split_program"]


def _spans(program: Program) -> list[tuple[float, float]]:
    """Every part's span in program time after the card."""
    card = float(program.card_frames / program.rate)
    return [(start - card, start - card + float(count / program.rate))
            for start, count in zip(program.starts, program.frames, strict=True)]


def program_cuts(program: Program) -> tuple[list[float], Spans]:
    """Places worth cutting at (program time after the card) and the words not to cut.

    Joins between segments, pauses between caption cues and words, and the middle of
    every quiet stretch of a clip.
    """
    candidates: list[float] = []
    words: Spans = []
    for part, (start, _) in zip(program.parts, _spans(program), strict=True):
        candidates.append(start)
        if part.picture is not None:
            continue
        timeline = part.timeline
        pauses, spoken = cut_candidates(part.plan, part.transcript)
        pauses += [(a + b) / 2 for a, b in quiet_stretches(part)]
        candidates += [start + t for s in pauses if (t := timeline.to_output(s)) is not None]
        for a, b in spoken:
            first, last = timeline.to_output(a), timeline.to_output(max(a, b - 1e-3))
            if first is not None and last is not None:
                words.append((start + first, start + last))
    return sorted({c for c in candidates if c > 0}), sorted(words)


def _piece(part: Part, low: float, high: float, length: float) -> Part | None:
    """The part cut to ``[low, high)`` of its own output time (whole when it covers it)."""
    if low <= 1e-6 and high >= length - 1e-6:
        return part
    ranges = part.timeline.source_ranges(low, high)
    kept = snap_ranges(part.info, ranges) if part.picture is None else ranges
    return replace(part, plan=replace(part.plan, keep=kept)) if kept else None


def split_program(program: Program, platform: Platform) -> list[Program]:
    """The program as numbered parts of at most ``platform.max_seconds`` each.

    Raises:
        PlatformLimitError: The title card leaves no room, or a part cannot be made short
            enough (a freeze longer than the limit); the message says which and by how much.
    """
    limit = platform.max_seconds
    if limit is None or program.duration <= limit:
        return [program]
    card = float(program.card_frames / program.rate)
    room = limit - card - SAFETY
    if room < 1.0:
        raise PlatformLimitError(
            f"the title card ({card:.1f} s) leaves no room under {platform.name}'s "
            f"{limit:g} s limit; use title_card(..., seconds=2) or less",
            platform.name, "max_seconds", card, limit)
    spans = _spans(program)
    candidates, words = program_cuts(program)
    frame = float(1 / program.rate)
    pieces = split_points(spans[-1][1], room, candidates, words)
    built: list[tuple[Part, ...]] = []
    for a, b in pieces:
        parts = []
        for part, (start, end) in zip(program.parts, spans, strict=True):
            low, high = max(a, start), min(b, end)
            if high - low >= frame / 2 and (cut := _piece(part, low - start, high - start,
                                                          end - start)) is not None:
                parts.append(cut)
        if parts:
            built.append(tuple(parts))
    out = []
    for index, chosen in enumerate(built, start=1):
        numbered = replace(program.card, part=(index, len(built))) if program.card else None
        made = replace(program, parts=chosen, card=numbered)
        if made.duration > limit:
            raise PlatformLimitError(
                f"part {index} of the split lasts {made.duration:.1f} s, over {platform.name}'s "
                f"{limit:g} s limit, because a frozen frame or a still cannot be cut there; "
                "shorten the freeze or the still, or use fit='speed' or fit='trim'",
                platform.name, "max_seconds", made.duration, limit)
        out.append(made)
    return out
