"""What the :class:`~evidence_annotate.Evidence` mixins share: the fields they read.

:class:`Evidence` is one frozen dataclass assembled from small parts: the layer and edit
methods (:mod:`.evidence`), speech (:mod:`.evidence_speech`) and output
(:mod:`.evidence_output`). Each mixin reads the fields declared here and returns new objects
through :meth:`EvidenceBase._evolve`, so the receiver is never changed.
"""

from __future__ import annotations

import sys
from typing import Any

from .media import MediaInfo
from .plan import Plan, Timeline
from .transcript import Transcript

if sys.version_info >= (3, 11):
    from typing import Self
else:  # pragma: no cover - Python 3.10
    from typing_extensions import Self

__all__ = ["EvidenceBase", "Self"]


class EvidenceBase:
    """Fields and helpers every part of :class:`~evidence_annotate.Evidence` relies on."""

    info: MediaInfo
    plan: Plan
    transcript: Transcript | None
    speech_model: str | None

    def _evolve(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied (``dataclasses.replace``)."""
        raise NotImplementedError

    @property
    def timeline(self) -> Timeline:
        """How source times map onto the output (title card first, cuts removed)."""
        return self.plan.timeline(self.info.frame_rate, self.info.duration)

    @property
    def duration(self) -> float:
        """Duration of the OUTPUT in seconds (title card included, cuts removed)."""
        return self.timeline.duration
