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

__all__ = ["CaptionTrack", "Plan"]


@dataclass(frozen=True)
class CaptionTrack:
    """Captions to burn in: a complete ASS document on the SOURCE timeline.

    Attributes:
        ass: The ASS text (styles, PlayRes and events), times on the source timeline.
        origin: Where the captions came from (``"transcript"`` or a source file's name).
        cues: The cues with their words, when made from a transcript (empty for files).
        style: The caption style used, if any.
        karaoke: Whether word-by-word karaoke timing was written.
    """

    ass: str
    origin: str = "transcript"
    cues: tuple[Cue, ...] = ()
    style: CaptionStyle | None = None
    karaoke: bool = False


@dataclass(frozen=True)
class Plan:
    """Everything an export draws, in order: timed layers, captions and the title card.

    Attributes:
        layers: Boxes, arrows, texts and blurs, bottom first.
        title_card: A card prepended to the clip, if any.
        captions: Captions burned in on top of the layers, if any.
    """

    layers: tuple[Layer, ...] = ()
    title_card: TitleCard | None = None
    captions: CaptionTrack | None = None

    def card_frames(self, rate: Fraction) -> int:
        """Number of frames of the title card at frame rate ``rate`` (0 without a card)."""
        if self.title_card is None:
            return 0
        return max(1, round(self.title_card.seconds * rate))

    def card_duration(self, rate: Fraction) -> float:
        """Exact length of the title card in seconds: a whole number of frames."""
        frames = self.card_frames(rate)
        return round(float(frames / rate), 6) if frames else 0.0

    def to_output(self, t: float, rate: Fraction) -> float:
        """Map a source time to the output timeline (the card comes first)."""
        return t + self.card_duration(rate)

    def to_source(self, t: float, rate: Fraction) -> float | None:
        """Map an output time to the source timeline (``None`` while the card shows)."""
        offset = self.card_duration(rate)
        return None if t < offset else t - offset
