"""The plan: what the output is made of, and the one place that maps source to output time.

Example:
    >>> from fractions import Fraction
    >>> from evidence_annotate.layers import TitleCard
    >>> plan = Plan(title_card=TitleCard("8123", "2026-11-20", seconds=3.0))
    >>> plan.card_duration(Fraction(30000, 1001))
    3.003
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from .layers import Layer, TitleCard

if TYPE_CHECKING:
    from .captions.segmentation import Cue
    from .captions.style import CaptionStyle

__all__ = ["CaptionTrack", "Plan", "Timeline"]


@dataclass(frozen=True)
class CaptionTrack:
    """Captions to burn in: a complete ASS document on the SOURCE timeline.

    Attributes:
        ass: The ASS text (styles, PlayRes and events), times on the source timeline.
        origin: Where the captions came from (``"transcript"`` or a source file's name).
        cues: The cues with their words, when made from a transcript (empty for files).
        style: The caption style used, if any.
        karaoke: Whether word-by-word karaoke timing was written.
        literal: The event texts are escaped plain text (transcript, SRT, VTT), not ASS
            markup of the user's own.
    """

    ass: str
    origin: str = "transcript"
    cues: tuple[Cue, ...] = ()
    style: CaptionStyle | None = None
    karaoke: bool = False
    literal: bool = True


@dataclass(frozen=True)
class Timeline:
    """How source time maps onto the output: a title card, then the kept source ranges.

    Attributes:
        card: Length of the title card in seconds (0 without one).
        segments: The kept ``[start, end)`` source ranges, in order.

    Example:
        >>> tl = Timeline(card=3.0, segments=((0.0, 4.0), (6.0, 10.0)))
        >>> tl.duration, tl.to_output(7.0), tl.to_output(5.0), tl.to_source(8.0)
        (11.0, 8.0, None, 7.0)
        >>> tl.map_span(3.0, 7.0)
        [(6.0, 7.0), (7.0, 8.0)]
    """

    card: float
    segments: tuple[tuple[float, float], ...]

    @property
    def duration(self) -> float:
        """Output duration in seconds."""
        return self.card + sum(end - start for start, end in self.segments)

    def to_output(self, t: float) -> float | None:
        """Output time of source time ``t`` (``None`` when ``t`` was cut away)."""
        offset = self.card
        for start, end in self.segments:
            if start <= t < end:
                return offset + t - start
            offset += end - start
        return None

    def to_source(self, t: float) -> float | None:
        """Source time shown at output time ``t`` (``None`` while the title card shows)."""
        if t < self.card:
            return None
        offset = self.card
        for start, end in self.segments:
            if t < offset + end - start:
                return start + t - offset
            offset += end - start
        last = self.segments[-1] if self.segments else (0.0, 0.0)
        return last[1]

    def source_ranges(self, start: float, end: float) -> tuple[tuple[float, float], ...]:
        """The source ranges shown in ``[start, end)`` of kept time (output time minus card).

        Example:
            >>> Timeline(card=1.0, segments=((0.0, 4.0), (6.0, 10.0))).source_ranges(3.0, 5.0)
            ((3.0, 4.0), (6.0, 7.0))
        """
        ranges: list[tuple[float, float]] = []
        offset = 0.0
        for seg_start, seg_end in self.segments:
            length = seg_end - seg_start
            lo, hi = max(start, offset), min(end, offset + length)
            if hi - lo > 1e-6:
                ranges.append((seg_start + lo - offset, seg_start + hi - offset))
            offset += length
        return tuple(ranges)

    def map_span(self, start: float, end: float) -> list[tuple[float, float]]:
        """The output spans a source span ``[start, end)`` becomes (clipped at cuts)."""
        spans: list[tuple[float, float]] = []
        offset = self.card
        for seg_start, seg_end in self.segments:
            a, b = max(start, seg_start), min(end, seg_end)
            if b > a:
                spans.append((offset + a - seg_start, offset + b - seg_start))
            offset += seg_end - seg_start
        return spans


@dataclass(frozen=True)
class Plan:
    """Everything an export draws, in order: timed layers, captions, the title card and cuts.

    Attributes:
        layers: Boxes, arrows, texts and blurs, bottom first.
        title_card: A card prepended to the clip, if any.
        captions: Captions burned in on top of the layers, if any.
        keep: The source ranges kept after :meth:`~evidence_annotate.Evidence.trim` /
            :meth:`~evidence_annotate.Evidence.cut` (``None`` = the whole clip).
    """

    layers: tuple[Layer, ...] = ()
    title_card: TitleCard | None = None
    captions: CaptionTrack | None = None
    keep: tuple[tuple[float, float], ...] | None = None

    def card_frames(self, rate: Fraction) -> int:
        """Number of frames of the title card at frame rate ``rate`` (0 without a card)."""
        if self.title_card is None:
            return 0
        return max(1, round(self.title_card.seconds * rate))

    def card_duration(self, rate: Fraction) -> float:
        """Exact length of the title card in seconds: a whole number of frames."""
        frames = self.card_frames(rate)
        return round(float(frames / rate), 6) if frames else 0.0

    def timeline(self, rate: Fraction, duration: float) -> Timeline:
        """The source-to-output mapping for a source of ``duration`` seconds at ``rate``."""
        segments = self.keep if self.keep is not None else ((0.0, duration),)
        return Timeline(self.card_duration(rate), segments)
