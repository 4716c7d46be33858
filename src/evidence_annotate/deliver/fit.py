"""Fitting an export to a platform: byte budgets, resolution, and where to split or trim.

Everything here is pure arithmetic on the plan, the probed source and the transcript, so the
choices can be tested without encoding. [evidence_annotate.deliver][] carries them out.

Example:
    >>> from evidence_annotate.deliver.fit import split_points
    >>> split_points(30.0, 12.0, candidates=[9.5, 20.0], words=[])
    [(0.0, 9.5), (9.5, 20.0), (20.0, 30.0)]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..errors import PlatformLimitError
from ..geometry import even_down, even_up, output_size
from ..media import MediaInfo
from ..plan import Plan
from ..platforms import Platform
from ..render.frames import snap_ranges
from ..render.settings import EncodeSettings
from ..speech.transcript import Transcript
from ..timing import Timeline

__all__ = ["Budget", "budget_settings", "cut_candidates", "part_plans", "split_points",
           "trimmed_plan"]

BPP_MIN = 0.05
"""Bits per pixel per frame below which H.264 looks blocky: the frame is scaled down instead."""
BPP_CRF = 0.12
"""Bits per pixel per frame a CRF encode of phone footage rarely exceeds."""
TARGET = 0.94
"""Fraction of the byte budget a two-pass encode aims at (lands within 85-100 %)."""
SAFETY = 0.1
"""Seconds kept free under a duration limit (frame and audio-packet rounding)."""
MIN_VIDEO_BPS = 60_000


@dataclass(frozen=True)
class Budget:
    """The encode a byte budget allows.

    Attributes:
        settings: Encoder settings (two-pass bitrate, or CRF capped by ``maxrate``).
        video_bps: Video bitrate the budget leaves, in bit/s.
        two_pass: Whether a two-pass encode is needed to land close to the budget.
    """

    settings: EncodeSettings
    video_bps: int
    two_pass: bool


def budget_settings(base: EncodeSettings, platform: Platform, info: MediaInfo,
                    duration: float, *, scale_bits: float = 1.0) -> Budget:
    """Encoder settings that keep a ``duration``-second export under ``platform.max_bytes``.

    Args:
        base: The caller's settings (preset, CRF, audio bitrate).
        platform: The target platform.
        info: The probed source.
        duration: Output duration in seconds.
        scale_bits: Multiplier on the bitrate (a retry after an overshoot uses < 1).

    Returns:
        The [Budget][]. Without a byte limit, ``base`` unchanged.

    Raises:
        PlatformLimitError: Even a very low bitrate cannot fit the budget.
    """
    if platform.max_bytes is None:
        return Budget(base, 0, False)
    audio_bps = base.audio_bps if info.has_audio else 0
    overhead_bytes = 8192 + 0.004 * platform.max_bytes
    usable_bps = (platform.max_bytes * TARGET - overhead_bytes) * 8 / max(duration, 0.1)
    if info.has_audio and usable_bps - audio_bps < 2 * audio_bps and audio_bps > 64_000:
        base, audio_bps = replace(base, audio_bitrate="64k"), 64_000
    video_bps = int((usable_bps - audio_bps) * scale_bits)
    if video_bps < MIN_VIDEO_BPS:
        raise PlatformLimitError(
            f"{duration:.1f} s of video cannot fit {platform.name}'s {platform.max_bytes:,} "
            f"byte limit (it would leave {max(video_bps, 0) // 1000} kbit/s for the picture); "
            "export fewer seconds with fit='split' or Evidence.trim()",
            platform.name, "max_bytes", duration, float(platform.max_bytes))
    width, height = output_size(info.size)
    fps = info.fps if info.fps > 0 else float(info.frame_rate)
    size: tuple[int, int] | None = None
    bpp = video_bps / (width * height * fps)
    if bpp < BPP_MIN:
        short = min(width, height)
        floor = min(short, platform.min_resolution or 240)
        new_short = max(floor, int(short * math.sqrt(bpp / BPP_MIN)))
        target = even_up(new_short)  # and never below the platform's minimum
        if target < short:
            long_side = max(2, even_down(round(max(width, height) * target / short)))
            size = (target, long_side) if width <= height else (long_side, target)
            width, height = size
    two_pass = video_bps < BPP_CRF * width * height * fps
    if two_pass:
        settings = replace(base, video_bitrate=video_bps, maxrate=None, size=size)
    else:
        settings = replace(base, video_bitrate=None, maxrate=video_bps, size=size)
    return Budget(settings, video_bps, two_pass)


Spans = list[tuple[float, float]]


def cut_candidates(plan: Plan, transcript: Transcript | None,
                   silences: Sequence[tuple[float, float]] = ()) -> tuple[list[float], Spans]:
    """Good places to cut (source seconds) and the spoken words that must not be cut.

    Caption cue boundaries come first, then pauses between words, then detected silences.
    """
    words = [(w.start, w.end) for w in transcript.words] if transcript is not None else []
    cues = plan.captions.cues if plan.captions is not None else ()
    if not words:
        words = [(w.start, w.end) for cue in cues for w in cue.words]
    candidates = [(a.end + b.start) / 2 for a, b in itertools.pairwise(cues) if b.start > a.end]
    candidates += [(a_end + b_start) / 2
                   for (_, a_end), (b_start, _) in itertools.pairwise(words)
                   if b_start - a_end >= 0.2]
    candidates += [(start + end) / 2 for start, end in silences]
    return sorted(set(candidates)), words


def split_points(total: float, length: float, candidates: Sequence[float],
                 words: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Split ``[0, total)`` into pieces of at most ``length``, at candidates where possible.

    A piece ends at the latest candidate in the second half of its window; without one, at the
    window's end, moved back to the start of a word it would cut (never mid-word).

    Example:
        >>> split_points(10.0, 4.0, candidates=[], words=[(3.5, 4.5)])
        [(0.0, 3.5), (3.5, 7.5), (7.5, 10.0)]
    """
    if length <= 0:
        raise ValueError(f"length={length!r} must be > 0")
    pieces: list[tuple[float, float]] = []
    start = 0.0
    while total - start > length + 1e-6:
        limit = start + length
        inside = [c for c in candidates if start + length / 2 <= c <= limit]
        cut = max(inside) if inside else limit
        if not inside:
            for w_start, w_end in words:
                if w_start < cut < w_end and w_start > start + length / 4:
                    cut = w_start
                    break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, total))
    return pieces


def _kept(timeline: Timeline, times: Sequence[float]) -> list[float]:
    """Source times as kept time (output time without the card); cut-away times dropped."""
    return [t - timeline.card for s in times if (t := timeline.to_output(s)) is not None]


def _kept_words(timeline: Timeline, words: Spans) -> Spans:
    """Word spans in kept time (words that start inside a cut are dropped)."""
    spans = [(a, b) for (s, e) in words
             if (a := timeline.to_output(s)) is not None
             and (b := timeline.to_output(max(s, e - 1e-3))) is not None]
    return [(a - timeline.card, b - timeline.card) for a, b in spans]


def _room(plan: Plan, info: MediaInfo, platform: Platform) -> tuple[Timeline, float]:
    assert platform.max_seconds is not None
    timeline = plan.timeline(info.frame_rate, info.duration)
    room = platform.max_seconds - timeline.card - SAFETY
    if room < 1.0:
        raise PlatformLimitError(
            f"the title card ({timeline.card:.1f} s) leaves no room under {platform.name}'s "
            f"{platform.max_seconds:g} s limit; use title_card(..., seconds=2) or less",
            platform.name, "max_seconds", timeline.card, platform.max_seconds)
    return timeline, room


def part_plans(plan: Plan, info: MediaInfo, platform: Platform, transcript: Transcript | None,
               silences: Sequence[tuple[float, float]] = ()) -> list[Plan]:
    """Plans for numbered parts that each fit ``platform.max_seconds``, cut between words.

    Each part keeps its share of the source and opens with the title card marked
    "part i of n" (when the plan has a card).
    """
    timeline, room = _room(plan, info, platform)
    candidates, words = cut_candidates(plan, transcript, silences)
    pieces = split_points(timeline.duration - timeline.card, room,
                          _kept(timeline, candidates), _kept_words(timeline, words))
    keeps = [kept for a, b in pieces if (kept := snap_ranges(info, timeline.source_ranges(a, b)))]
    plans = []
    for index, kept in enumerate(keeps, start=1):
        card = plan.title_card
        if card is not None:
            card = replace(card, part=(index, len(keeps)))
        plans.append(replace(plan, keep=kept, title_card=card))
    return plans


def trimmed_plan(plan: Plan, info: MediaInfo, platform: Platform,
                 transcript: Transcript | None) -> Plan:
    """The plan cut down to the first seconds ``platform.max_seconds`` allows (not mid-word).

    The cut is the first piece [split_points][] would make, without preferring pauses:
    as late as the limit allows, moved back to the start of a word it would split.
    """
    timeline, room = _room(plan, info, platform)
    _, words = cut_candidates(plan, transcript)
    _, end = split_points(timeline.duration - timeline.card, room, [],
                          _kept_words(timeline, words))[0]
    return replace(plan, keep=snap_ranges(info, timeline.source_ranges(0.0, end)))
