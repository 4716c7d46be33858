"""``fit="speed"``: meet a duration limit by playing the quiet stretches faster.

A stretch is quiet when nobody speaks in it (transcript words or caption cues, with a
margin) and no annotation shows; stills, slides, held frames and stretches already given
a speed are left alone. Every quiet stretch gets the SAME factor, the smallest that brings
the program under the limit (at most [MAX_SPEED][evidence_annotate.render.retime.MAX_SPEED]);
narration and annotated moments stay at normal speed. The arithmetic is pure, so it is
tested without encoding; [deliver_program][evidence_annotate.deliver.board.deliver_program]
renders the result.

Example:
    >>> speed_factor(excess=6.0, quiet=8.0)
    4.0
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import PlatformLimitError
from ..platforms import Platform
from ..render.frames import snap_ranges
from ..render.program import Part, Program
from ..render.retime import MAX_SPEED
from ..timing import Ranges, Speed, subtract
from .fit import SAFETY

__all__ = ["MARGIN", "MIN_STRETCH", "quiet_stretches", "speed_factor", "speed_to_fit",
           "trimmed_program"]

MARGIN = 0.25
"""Seconds kept at normal speed before and after every word and caption."""
MIN_STRETCH = 0.5
"""Shortest quiet stretch worth speeding up (shorter ones would flicker)."""


def quiet_stretches(part: Part) -> Ranges:
    """The source ranges of a clip part with no speech and no annotation, snapped to frames."""
    if part.picture is not None:
        return ()
    duration = part.info.duration
    busy = [(max(0.0, a - MARGIN), b + MARGIN) for a, b in part.speech]
    busy += [layer.span.bounded(duration) for layer in part.plan.layers if layer.still]
    if part.plan.captions is not None:
        busy += [(max(0.0, c.start - MARGIN), c.end + MARGIN) for c in part.plan.captions.cues]
    normal = [(p.start, p.end) for p in part.timeline.pieces if not p.hold and p.factor == 1.0]
    quiet = snap_ranges(part.info, subtract(normal, sorted(busy)))
    return tuple((a, b) for a, b in quiet if b - a >= MIN_STRETCH)


def speed_factor(excess: float, quiet: float) -> float:
    """The factor that saves ``excess`` seconds by speeding up ``quiet`` seconds."""
    if excess <= 0:
        return 1.0
    if excess >= quiet:
        return float("inf")
    return 1.0 / (1.0 - excess / quiet)


def _sped(program: Program, stretches: list[Ranges], factor: float) -> Program:
    parts = []
    for part, quiet in zip(program.parts, stretches, strict=True):
        edits = tuple(Speed(a, b, factor) for a, b in quiet)
        parts.append(replace(part, plan=replace(part.plan, edits=(*part.plan.edits, *edits))))
    return replace(program, parts=tuple(parts))


def speed_to_fit(program: Program, platform: Platform, *, alternatives: str) -> Program:
    """The program with its quiet stretches sped up to last at most ``platform.max_seconds``.

    Args:
        program: The program.
        platform: The platform (its ``max_seconds``).
        alternatives: The other fit modes to suggest when speeding up cannot reach the limit.

    Raises:
        PlatformLimitError: Even 8x on every quiet stretch leaves it too long (the message
            says by how much).
    """
    limit = platform.max_seconds
    if limit is None or program.duration <= limit:
        return program
    stretches = [quiet_stretches(part) for part in program.parts]
    quiet = sum(b - a for ranges in stretches for a, b in ranges)
    excess = program.duration - (limit - SAFETY)
    saving = quiet * (1 - 1 / MAX_SPEED)
    factor = speed_factor(excess, quiet)
    for _attempt in range(6):
        if factor > MAX_SPEED:
            break
        sped = _sped(program, stretches, factor)
        if sped.duration <= limit:
            return sped
        factor = min(MAX_SPEED, factor * 1.05) if factor < MAX_SPEED else MAX_SPEED + 1
    raise PlatformLimitError(
        f"the video lasts {program.duration:.1f} s but {platform.name} accepts at most "
        f"{limit:g} s; it has {quiet:.1f} s without speech or annotations, and playing them "
        f"{MAX_SPEED:g}x saves only {saving:.1f} s, {excess - saving:.1f} s short; use "
        f"{alternatives}, or shorten segments with trim()/cut()",
        platform.name, "max_seconds", program.duration, limit)


def trimmed_program(program: Program, platform: Platform) -> Program:
    """The program cut to the first ``platform.max_seconds`` (later parts dropped)."""
    limit = platform.max_seconds
    if limit is None or program.duration <= limit:
        return program
    room = limit - SAFETY - program.card_frames / program.rate
    parts: list[Part] = []
    for part in program.parts:
        length = part.timeline.duration
        if length <= room:
            parts.append(part)
            room -= length
            continue
        if room >= 0.5:
            ranges = part.timeline.source_ranges(0.0, float(room))
            kept = snap_ranges(part.info, ranges) if part.picture is None else ranges
            if kept:
                parts.append(replace(part, plan=replace(part.plan, keep=kept)))
        break
    if not parts:
        raise PlatformLimitError(
            f"the title card leaves no room under {platform.name}'s {limit:g} s limit; "
            "shorten the card (title_card(..., seconds=2))", platform.name, "max_seconds",
            program.duration, limit)
    return replace(program, parts=tuple(parts))
