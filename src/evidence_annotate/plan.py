"""The plan: what the output is made of, as immutable data.

A [Plan][] holds the timed overlays (any registered kind), the title card, the captions
(as cues and a style) and the kept source ranges. It knows the title card's exact length in
frames and builds the [Timeline][evidence_annotate.timing.Timeline] every renderer maps time with.

Example:
    >>> from fractions import Fraction
    >>> from evidence_annotate.cards import TitleCard
    >>> plan = Plan(title_card=TitleCard("8123", "2026-11-20", seconds=3.0))
    >>> plan.card_duration(Fraction(30000, 1001))
    3.003
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .captions.placement import Obstacle
from .captions.track import CaptionTrack
from .cards import TitleCard
from .overlays.base import Overlay, sprite_of
from .speech.pii_record import SpeechRedaction
from .timing import Edit, Timeline

__all__ = ["Plan"]


@dataclass(frozen=True)
class Plan:
    """Everything an export draws, in order: timed overlays, captions, the title card and cuts.

    Attributes:
        layers: The overlays (boxes, arrows, texts, blurs, ...), in the order they were added.
        title_card: A card prepended to the clip, if any.
        captions: Captions burned in on top of the overlays, if any.
        keep: The source ranges kept after [trim][evidence_annotate.Evidence.trim] /
            [cut][evidence_annotate.Evidence.cut] (``None`` = the whole clip).
        speech_redactions: Spans of the narration masked in the captions and bleeped or
            muted in the audio ([redact_speech][evidence_annotate.Evidence.redact_speech]).
        edits: Speed changes and freezes ([Speed][evidence_annotate.timing.Speed],
            [Freeze][evidence_annotate.timing.Freeze]) on the source timeline.
    """

    layers: tuple[Overlay, ...] = ()
    title_card: TitleCard | None = None
    captions: CaptionTrack | None = None
    keep: tuple[tuple[float, float], ...] | None = None
    speech_redactions: tuple[SpeechRedaction, ...] = ()
    edits: tuple[Edit, ...] = ()

    def card_frames(self, rate: Fraction) -> int:
        """Number of frames of the title card at frame rate ``rate`` (0 without a card)."""
        if self.title_card is None:
            return 0
        return max(1, round(self.title_card.seconds * rate))

    def card_duration(self, rate: Fraction) -> float:
        """Exact length of the title card in seconds: a whole number of frames."""
        frames = self.card_frames(rate)
        return round(float(frames / rate), 6) if frames else 0.0

    def caption_obstacles(self, frame: tuple[int, int]) -> tuple[Obstacle, ...]:
        """What captions must keep clear of: every drawn overlay's bounds and time window.

        Kinds that only change footage (blur) have no bounds and are not obstacles.
        """
        obstacles = []
        for layer in self.layers:
            rect = layer.bounds(frame)
            if rect is None:
                continue
            ink = None  # kinds with their own graph chain (an inset, a clock) count whole
            if layer.mergeable:
                ink = sprite_of(layer, frame).image.getchannel("A").tobytes()
            obstacles.append(Obstacle(layer.span, rect, ink))
        return tuple(obstacles)

    def timeline(self, rate: Fraction, duration: float) -> Timeline:
        """The source-to-output mapping for a source of ``duration`` seconds at ``rate``."""
        segments = self.keep if self.keep is not None else ((0.0, duration),)
        return Timeline(self.card_duration(rate), segments, self.edits)
