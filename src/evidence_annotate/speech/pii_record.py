"""What the plan keeps of a spoken redaction: the kind and the times, never the content.

Example:
    >>> SpeechRedaction("phone", 7.42, 12.06).to_dict()["audio"]
    'bleep'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["AUDIO_MODES", "SpeechRedaction"]

AUDIO_MODES = ("bleep", "mute", "keep")
"""What happens to the sound of a redacted span: a 1 kHz tone, silence, or nothing."""


@dataclass(frozen=True)
class SpeechRedaction:
    """A span of the narration that is masked in the captions and bleeped or muted.

    Attributes:
        kind: ``"phone"``, ``"email"``, ``"card"`` or ``"words"``.
        start: Start in seconds on the SOURCE timeline: the first word's start, or earlier
            when the sound of the words starts before it (see
            [snap_to_pauses][evidence_annotate.speech.pii_audio.snap_to_pauses]).
        end: End in seconds on the source timeline: the last word's end, or later.
        automatic: Found automatically (``False``: a span the user gave).
        mask: The caption mask style (``"partial"``, ``"full"``, ``"label"``).
        audio: ``"bleep"``, ``"mute"`` or ``"keep"`` (captions only).
        pad: Seconds added before and after the span in the audio.
    """

    kind: str
    start: float
    end: float
    automatic: bool = True
    mask: str = "partial"
    audio: str = "bleep"
    pad: float = 0.05

    def window(self, duration: float | None = None) -> tuple[float, float]:
        """The audio window (padded, clipped at 0 and at ``duration``), source seconds."""
        start, end = max(0.0, self.start - self.pad), self.end + self.pad
        return (start, min(end, duration) if duration is not None else end)

    def to_dict(self) -> dict[str, Any]:
        """The manifest's record: kind, times, how it was found and masked; no content."""
        return {"kind": self.kind, "start": self.start, "end": self.end,
                "automatic": self.automatic, "mask": self.mask, "audio": self.audio,
                "pad": self.pad}
