"""Redaction windows that cover the sound of the words, not only their recognised times.

Word times from Whisper are estimates: on this project's test narration the first digit of a
card number started 0.2 s before its word's recognised start. [snap_to_pauses][] widens each
window to the nearest pause in the speech (at least ``min_pause`` of quiet, within ``reach``
seconds), so the first and last sounds are covered too; without such a pause nearby the window
is kept. Windows only ever grow.

Example:
    >>> rate = 16000
    >>> t = np.arange(3 * rate) / rate
    >>> speech = (np.sin(2 * np.pi * 200 * t) * ((t > 0.8) & (t < 2.2))).astype(np.float32)
    >>> snap_to_pauses(speech, [(1.0, 2.0)])
    [(0.8, 2.2)]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .audio import SAMPLE_RATE

__all__ = ["snap_to_pauses"]

_FRAME = 0.01


def _levels(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    size = int(_FRAME * SAMPLE_RATE)
    count = samples.size // size
    frames = samples[:count * size].astype(np.float64).reshape(count, size)
    levels: npt.NDArray[np.float64] = np.sqrt(np.mean(frames ** 2, axis=1))
    return levels


def _pause_before(quiet: npt.NDArray[np.bool_], at: int, lo: int, need: int) -> int | None:
    """The end frame of the last run of ``need`` quiet frames in ``[lo, at]``."""
    run = 0
    for i in range(at, lo - 1, -1):
        run = run + 1 if quiet[i] else 0
        if run >= need:
            end = i + run
            while end <= at and quiet[end]:
                end += 1
            return end
    return None


def _pause_after(quiet: npt.NDArray[np.bool_], at: int, hi: int, need: int) -> int | None:
    """The start frame of the first run of ``need`` quiet frames in ``[at, hi]``."""
    run = 0
    for i in range(at, hi + 1):
        run = run + 1 if quiet[i] else 0
        if run >= need:
            start = i - run + 1
            while start > at and quiet[start - 1]:
                start -= 1
            return start
    return None


def snap_to_pauses(samples: npt.NDArray[np.float32], windows: Sequence[tuple[float, float]],
                   *, offset: float = 0.0, reach: float = 0.5,
                   min_pause: float = 0.06) -> list[tuple[float, float]]:
    """Widen ``(start, end)`` windows (source seconds) to the pauses around them.

    Args:
        samples: The audio, 16 kHz mono (as for transcription).
        windows: The spans to cover, in source seconds.
        offset: Source time of the first sample.
        reach: How far (seconds) a window may grow on each side.
        min_pause: How long a quiet stretch must be to count as a pause (seconds).

    Returns:
        The widened windows, each containing its original.
    """
    levels = _levels(samples)
    if not levels.size:
        return [(a, b) for a, b in windows]
    loud = float(np.percentile(levels, 90))
    quiet = levels < max(0.2 * loud, 1e-4)
    need, span = max(1, round(min_pause / _FRAME)), round(reach / _FRAME)
    last = len(levels) - 1
    out = []
    for start, end in windows:
        first = min(last, max(0, int((start - offset) / _FRAME)))
        final = min(last, max(0, int(np.ceil((end - offset) / _FRAME)) - 1))
        before = _pause_before(quiet, first, max(0, first - span), need)
        after = _pause_after(quiet, final, min(last, final + span), need)
        new_start = offset + before * _FRAME if before is not None else start
        new_end = offset + after * _FRAME if after is not None else end
        out.append((min(start, round(new_start, 3)), max(end, round(new_end, 3))))
    return out
