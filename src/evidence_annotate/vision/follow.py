"""Follow a region through a clip with an OpenCV tracker: forward and backward from one frame.

The tracker (CSRT or KCF, from ``opencv-contrib-python-headless``) runs on a decoded
low-resolution copy; its boxes are scaled back to displayed pixels and become a
[Track][evidence_annotate.tracks.Track] with a keyframe per frame, simplified to within a
pixel tolerance. When the tracker reports a failure, or the box leaves the frame, the track
stops there and the time is recorded in ``Track.lost`` and reported (a
[TrackLostWarning][] or a [TrackLostError][]): a track is never silently frozen.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np

from ..errors import EvidenceAnnotateError
from ..geometry import Rect
from ..media import MediaInfo
from ..tracks import Key, Track
from .frames import low_res_frames, scale_for
from .models import need

__all__ = ["TRACKERS", "TrackLostError", "TrackLostWarning", "follow_region", "make_tracker"]

TrackerName = Literal["csrt", "kcf"]
TRACKERS: tuple[str, ...] = ("csrt", "kcf")
"""The trackers [follow_region][] offers (CSRT: more accurate; KCF: faster)."""


class TrackLostWarning(UserWarning):
    """The tracker lost the object; the track stops at the time given in the message."""


class TrackLostError(EvidenceAnnotateError):
    """The tracker lost the object (``on_lost="raise"``).

    Attributes:
        track: What was followed before it was lost.
        times: Source times at which it was lost.
    """

    def __init__(self, message: str, track: Track, times: tuple[float, ...]) -> None:
        super().__init__(message)
        self.track = track
        self.times = times


def make_tracker(name: str) -> Any:
    """A fresh OpenCV tracker by name.

    Raises:
        ValueError: Unknown name.
        ModelError: OpenCV (with its contrib trackers) is not installed.
    """
    if name not in TRACKERS:
        raise ValueError(f"tracker={name!r} is not a tracker; use one of {', '.join(TRACKERS)}")
    cv2 = need("cv2")
    factory = getattr(cv2, f"Tracker{name.upper()}_create", None)
    if factory is None:
        from ..errors import ModelError
        raise ModelError(f"tracker={name!r} needs OpenCV's contrib trackers, which this OpenCV "
                         "lacks (another OpenCV package replaced them); run: pip install "
                         "--force-reinstall --no-deps opencv-contrib-python-headless", name)
    return factory()


def _run(frames: Iterable[tuple[float, np.ndarray]], box: tuple[int, int, int, int],
         name: str) -> tuple[list[tuple[float, tuple[float, ...]]], float | None]:
    """Track ``box`` (copy pixels) over ``frames``; the boxes, and when it was lost."""
    tracker = None
    out: list[tuple[float, tuple[float, ...]]] = []
    for t, image in frames:
        if tracker is None:
            tracker = make_tracker(name)
            tracker.init(image, box)
            out.append((t, tuple(float(v) for v in box)))
            continue
        ok, found = tracker.update(image)
        x, y, w, h = (float(v) for v in found)
        height, width = image.shape[:2]
        inside = (max(0.0, min(x + w, width) - max(x, 0.0))
                  * max(0.0, min(y + h, height) - max(y, 0.0)))
        if not ok or w < 1 or h < 1 or inside < 0.5 * w * h:
            return out, t
        out.append((t, (x, y, w, h)))
    return out, None


def follow_region(info: MediaInfo, rect: Rect, at: float, *, tracker: str = "csrt",
                  longest: int = 480, tolerance: float = 1.0,
                  on_lost: Literal["warn", "raise"] = "warn") -> Track:
    """Follow ``rect`` (displayed pixels, as seen at source time ``at``) through the clip.

    Forward from ``at`` frames stream through the tracker; backward, the frames before
    ``at`` are held at the copy's size (about 0.5 MB each at 480 px) and tracked in reverse.

    Args:
        info: The probed source.
        rect: The region at ``at``.
        at: Source time of the frame ``rect`` was drawn on.
        tracker: ``"csrt"`` or ``"kcf"``.
        longest: Longer side of the decoded copy the tracker reads, in pixels.
        tolerance: Keyframes that interpolation recovers within this many pixels are dropped.
        on_lost: ``"warn"`` (a [TrackLostWarning][], the track stops there) or ``"raise"``.

    Returns:
        The track, from where it was found backward to where it was followed forward.

    Raises:
        TrackLostError: Lost, with ``on_lost="raise"``.
    """
    if on_lost not in ("warn", "raise"):
        raise ValueError(f"on_lost={on_lost!r} must be 'warn' or 'raise'")
    factor = scale_for(info, longest)
    box = (round(rect.x * factor), round(rect.y * factor), max(2, round(rect.w * factor)),
           max(2, round(rect.h * factor)))
    frames = low_res_frames(info, longest, start=at)
    first = next(frames, None)
    if first is None:
        raise ValueError(f"at={at:g} s: no frame of the clip is shown there")
    forward, lost_after = _run(itertools.chain([first], frames), box, tracker)
    before = [f for f in low_res_frames(info, longest, end=first[0]) if f[0] < first[0]]
    backward, lost_before = (_run(itertools.chain([first], reversed(before)), box, tracker)
                             if before else ([], None))
    boxes = sorted(dict([*backward, *forward]).items())
    keys = []
    for t, (x, y, w, h) in boxes:
        x0, y0 = max(0, round(x / factor)), max(0, round(y / factor))
        x1 = min(info.size[0], round((x + w) / factor))
        y1 = min(info.size[1], round((y + h) / factor))
        keys.append(Key(t, Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0))))
    lost = tuple(t for t in (lost_before, lost_after) if t is not None)
    path = Track(tuple(keys), lost).simplify(tolerance)
    if lost:
        where = " and ".join(f"{t:.3f} s" for t in lost)
        message = (f"the tracker lost the region at {where}; the track covers "
                   f"{path.start:.3f}-{path.end:.3f} s only. Draw it again where it reappears "
                   "(ev.follow(rect, at=...)) or give keyframes (ea.track)")
        if on_lost == "raise":
            raise TrackLostError(message, path, lost)
        warnings.warn(message, TrackLostWarning, stacklevel=3)
    return path
