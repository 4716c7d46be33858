"""Time edits of a segment: [TimeEdits.freeze][] and [TimeEdits.speed][] (a mixin).

Both record a [Freeze][evidence_annotate.timing.Freeze] or [Speed][evidence_annotate.timing.Speed]
in the plan; the segment's [Timeline][evidence_annotate.timing.Timeline] applies them, so
overlays and captions (on the source clock) follow every edit. Times snap to the source's
frames, as trims and cuts do.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar, cast

from ..media import MediaInfo
from ..overlays import Context
from ..plan import Plan
from ..render.frames import frame_times
from ..render.retime import MAX_SPEED, MIN_SPEED
from ..timing import Freeze, Speed, TimeLike, Timeline, parse_time, snap_to_frames

__all__ = ["MAX_FREEZE", "TimeEdits"]

MAX_FREEZE = 60.0
"""Longest freeze in seconds."""

T = TypeVar("T", bound="TimeEdits")


class TimeEdits:
    """Freeze frames and change speed (a mixin of clips and stills)."""

    info: MediaInfo
    plan: Plan

    @property
    def context(self) -> Context:  # pragma: no cover - every segment class defines it
        """What users' times and places resolve against."""
        raise NotImplementedError

    @property
    def timeline(self) -> Timeline:  # pragma: no cover - every segment class defines it
        """How source time maps onto the output."""
        raise NotImplementedError

    def _frame_times(self) -> Sequence[float]:
        """Start time of every source frame (a still: a frame every 1/30 s)."""
        return frame_times(self.info)

    def _edited(self: T, edit: Freeze | Speed) -> T:
        plan = replace(self.plan, edits=(*self.plan.edits, edit))
        return cast(T, replace(cast(Any, self), plan=plan))

    def freeze(self: T, at: TimeLike, seconds: float = 2.0) -> T:
        """Hold the frame shown at source time ``at`` for ``seconds``, annotations and all.

        The output shows that frame, holds it (with silence), then carries on; everything
        later moves back by ``seconds``. Freezing the same frame twice holds it twice as long.

        Args:
            at: Source time (seconds or ``"mm:ss.ms"``) of the frame to hold.
            seconds: How long to hold it (0 < seconds <= 60).

        Raises:
            ValueError: ``at`` outside the clip or in a part cut away, bad ``seconds``.

        Example:
            >>> ev.box((420, 260, 300, 220), start=3, end=5).freeze(4.0, 2)  # doctest: +SKIP
        """
        when = parse_time(at, name="at")
        duration = self.info.duration
        if when >= duration:
            raise ValueError(f"at={at!r} ({when:.3f} s) is at or past the end of the clip "
                             f"({duration:.3f} s); give a source time inside it")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
                or not 0 < seconds <= MAX_FREEZE:
            raise ValueError(f"seconds={seconds!r} must be > 0 and <= {MAX_FREEZE:g} "
                             "(2 is typical)")
        times = self._frame_times()
        index = max(0, bisect.bisect_right(times, when + 1e-6) - 1)
        shown = times[index]
        after = times[index + 1] if index + 1 < len(times) else duration
        if self.timeline.to_output(shown) is None:
            raise ValueError(f"at={at!r} ({when:.3f} s) was cut away by trim()/cut(); "
                             "freeze a moment that is kept")
        return self._edited(Freeze(after, float(seconds), shown))

    def speed(self: T, factor: float, start: TimeLike | None = None,
              end: TimeLike | None = None) -> T:
        """Play ``[start, end)`` of the source ``factor`` times as fast (sound keeps its pitch).

        Overlays and captions in that stretch speed up with it. The sound is stretched with
        ``atempo`` (pitch kept) for every factor; speech above about 3x is hard to follow.

        Args:
            factor: 0.25 (four times slower) to 8 (eight times faster).
            start: Source start; ``None`` = the clip's start.
            end: Source end; ``None`` = the clip's end.

        Raises:
            ValueError: Factor out of range, bad times, no frame inside, or a range that
                overlaps one already given a speed.

        Example:
            >>> ev.speed(4, "00:03", "00:11")  # doctest: +SKIP
        """
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) \
                or not MIN_SPEED <= factor <= MAX_SPEED:
            raise ValueError(f"factor={factor!r} must be from {MIN_SPEED:g} to {MAX_SPEED:g} "
                             "(2 = twice as fast, 0.5 = half speed)")
        first, last = self.context.span(start, end).bounded(self.info.duration)
        snapped = snap_to_frames([(first, last)], self._frame_times(), self.info.duration)
        if not snapped:
            raise ValueError(f"start={start!r}, end={end!r} holds no frame; widen the range")
        (low, high), = snapped[:1]
        for edit in self.plan.edits:
            if isinstance(edit, Speed) and edit.start < high and low < edit.end:
                raise ValueError(f"speed range {low:.3f}-{high:.3f} s overlaps the range "
                                 f"{edit.start:.3f}-{edit.end:.3f} s already at {edit.factor:g}x;"
                                 " give ranges that do not overlap")
        return self._edited(Speed(low, high, float(factor)))
