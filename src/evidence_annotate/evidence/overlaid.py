"""What every annotatable thing shares: its overlays, its timeline and ``.<kind>(...)``.

[Evidence][evidence_annotate.evidence.Evidence] (a clip) and
[Still][evidence_annotate.evidence.still.Still] (a photo or slide) both hold a source
([MediaInfo][evidence_annotate.media.MediaInfo]) and a [Plan][evidence_annotate.plan.Plan];
this mixin gives both the same [add][Overlaid.add] and the fluent ``ev.box(...)``,
``ev.arrow(...)``, ... of every kind in [KINDS][evidence_annotate.overlays.KINDS].
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast

from ..media import MediaInfo
from ..overlays import KINDS, Context, Overlay, fluent
from ..plan import Plan
from ..timing import Timeline

if sys.version_info >= (3, 11):
    from typing import Self
else:  # pragma: no cover - Python 3.10
    from typing_extensions import Self

__all__ = ["Overlaid"]


class Overlaid:
    """The overlay half of a clip or a still (a mixin for frozen dataclasses)."""

    info: MediaInfo
    plan: Plan

    @property
    def context(self) -> Context:  # pragma: no cover - every user defines it
        """What overlay kinds resolve users' values against (frame size, duration, ...)."""
        raise NotImplementedError

    @property
    def layers(self) -> tuple[Overlay, ...]:
        """The overlays, in the order they were added."""
        return self.plan.layers

    @property
    def timeline(self) -> Timeline:
        """How source times map onto the output (title card first, cuts and edits applied)."""
        return self.plan.timeline(self.info.frame_rate, self.info.duration)

    def add(self, overlay: Overlay) -> Self:
        """Add an overlay built elsewhere (any registered kind), on top of the others.

        Example:
            >>> ev.add(ea.Box(ea.Rect(10, 10, 80, 60)))                  # doctest: +SKIP
        """
        if not isinstance(overlay, Overlay) or KINDS.get(overlay.kind) is not type(overlay):
            raise ValueError(f"{overlay!r} is not an overlay of a registered kind; use one of "
                             f"{', '.join(KINDS)}")
        plan = replace(self.plan, layers=(*self.plan.layers, overlay))
        return cast(Self, replace(cast(Any, self), plan=plan))

    def __getattr__(self, name: str) -> Callable[..., Self]:
        if name not in KINDS or name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        template = _builder(name, type(self).__name__)

        def method(*args: Any, **kwargs: Any) -> Any:
            return self.add(template(*args, **kwargs)(self.context))

        functools.update_wrapper(method, template)  # its name, docstring and signature
        return method

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *KINDS})


@functools.cache
def _builder(name: str, returns: str) -> Callable[..., Callable[[Context], Overlay]]:
    """``.<name>(...)`` without its receiver: returns what builds the overlay from a context.

    Made once per kind (reading a signature costs more than adding an overlay).
    """
    return fluent(KINDS[name], lambda make: make, returns=returns)
