"""Faces and text found through a clip, linked into tracks that blurs follow.

Detectors run on every ``every`` seconds of a decoded low-resolution copy; detections of
consecutive samples that overlap are linked into one [Detection][] whose track is
interpolated between samples, starts one sample interval before it was first seen and ends
one after it was last seen, and holds through misses shorter than ``hold``: a region does not
flicker off between detections, and an object that enters between two samples is covered
from the sample before.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from ..geometry import Rect
from ..media import MediaInfo
from ..tracks import Key, Track
from .chains import Chain, alike, drop_covered, join, near, smooth
from .detect import Box, find_faces, find_text, iou
from .frames import low_res_frames, scale_for

__all__ = ["KINDS", "Detection", "detect_clip", "link"]

KINDS: tuple[str, ...] = ("face", "text")
"""What the detectors find."""
WORKERS = 2
"""Detector runs at a time (each single-threaded)."""


@dataclass(frozen=True)
class Detection:
    """A region to hide: what it is, where it goes, and who found it.

    Attributes:
        kind: ``"face"``, ``"text"``, or any word of the user's (``"screen"``, ``"plate"``).
        track: Where it is, over time ([Track][evidence_annotate.tracks.Track]; a region
            that does not move is a track of one keyframe).
        score: The detector's highest confidence (1.0 for regions the user adds).
        automatic: Whether a detector found it (``False`` for regions the user adds).
        samples: How many samples it was seen in.
    """

    kind: str
    track: Track
    score: float = 1.0
    automatic: bool = False
    samples: int = field(default=1, compare=False)

    def describe(self) -> str:
        """``face 0.40-2.10 s around (x, y) wxh, found automatically (score 0.91)``."""
        r = self.track.bounds()
        who = f"found automatically (score {self.score:.2f})" if self.automatic else "added"
        return (f"{self.kind} {self.track.start:.2f}-{self.track.end:.2f} s within "
                f"({r.x}, {r.y}) {r.w}x{r.h}, {who}")


Finder = Callable[[np.ndarray], list[Box]]


def detect_clip(info: MediaInfo, *, faces: bool = True, text: bool = True,
                every: float = 0.25, hold: float = 1.5, longest: int = 320,
                face_threshold: float = 0.4, text_threshold: float = 0.5) -> list[Detection]:
    """Run the detectors through the clip and link what they find (see the module).

    Args:
        info: The probed source.
        faces: Look for faces (CenterFace).
        text: Look for text regions (PP-OCR detection).
        every: Seconds between samples.
        hold: Longest miss, in seconds, a region is held through.
        longest: Longer side of the decoded copy the detectors read.
        face_threshold: Lowest face confidence kept.
        text_threshold: Lowest mean text probability of a region kept.

    Returns:
        The detections, faces first, each in time order.
    """
    finders: dict[str, Finder] = {}
    if faces:
        finders["face"] = lambda image: find_faces(image, face_threshold)
    if text:
        finders["text"] = lambda image: find_text(image, min_score=text_threshold)
    samples: dict[str, list[tuple[float, list[Box]]]] = {kind: [] for kind in finders}
    pending: deque[tuple[str, float, Future[list[Box]]]] = deque()
    # single-threaded sessions, two at a time: on two shared cores this is about twice as
    # fast as one session using both cores (see docs/performance.md)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for t, image in low_res_frames(info, longest, step=every):
            for kind, finder in finders.items():
                pending.append((kind, t, pool.submit(finder, image)))
            while len(pending) > 2 * WORKERS:
                kind, when, job = pending.popleft()
                samples[kind].append((when, job.result()))
        for kind, when, job in pending:
            samples[kind].append((when, job.result()))
    factor = scale_for(info, longest)
    out: list[Detection] = []
    for kind, found in samples.items():
        out += link(found, kind, every, hold, factor, info.size, info.duration)
    return out


def link(samples: Sequence[tuple[float, Iterable[Box]]], kind: str, every: float, hold: float,
         factor: float, frame: tuple[int, int], duration: float) -> list[Detection]:
    """Link boxes of successive samples into detections (overlapping boxes are one object).

    Args:
        samples: ``(t, boxes in copy pixels)`` in time order.
        kind: What the boxes are.
        every: Seconds between samples (tracks extend by this much at both ends).
        hold: Longest gap, in seconds, bridged between two sightings.
        factor: Copy pixels per displayed pixel.
        frame: The displayed frame size.
        duration: The clip's duration.
    """
    chains: list[Chain] = []
    for t, boxes in samples:
        taken: set[int] = set()
        for box in sorted(boxes, key=lambda b: -b[4]):
            best, score = None, 0.05
            for index, chain in enumerate(chains):
                last_t, last = chain[-1]
                if (index in taken or last_t >= t or t - last_t > every + 1e-6
                        or not alike(box, last)):
                    continue
                overlap = max(iou(box, last), 0.5 * near(box, last))
                if overlap > score:
                    best, score = index, overlap
            if best is None:
                chains.append([(t, box)])
                taken.add(len(chains) - 1)
            else:
                chains[best].append((t, box))
                taken.add(best)
    # fewer, steadier regions: one object's chains joined across misses, chains another
    # region hides dropped, detector jitter smoothed (see the chains module)
    chains = drop_covered(join(chains, hold + every))
    return [_detection(smooth(chain), kind, every, factor, frame, duration) for chain in chains]


def _detection(chain: Chain, kind: str, every: float, factor: float,
               frame: tuple[int, int], duration: float) -> Detection:
    rects = [_rect(box, factor, frame) for _, box in chain]
    # sizes: the largest of each sample and its neighbours, so a region does not pulse
    sizes = [(max(r.w for r in rects[max(0, i - 1):i + 2]),
              max(r.h for r in rects[max(0, i - 1):i + 2])) for i in range(len(rects))]
    keys = []
    for (t, _), r, (w, h) in zip(chain, rects, sizes, strict=True):
        cx, cy = r.x + r.w / 2, r.y + r.h / 2
        x0, y0 = max(0, round(cx - w / 2)), max(0, round(cy - h / 2))
        keys.append(Key(t, Rect(x0, y0, min(w, frame[0] - x0), min(h, frame[1] - y0))))
    first, last = keys[0], keys[-1]
    if first.t > 0:
        keys.insert(0, Key(max(0.0, first.t - every), first.rect))
    if last.t < duration:
        keys.append(Key(min(duration, last.t + every), last.rect))
    return Detection(kind, Track(tuple(keys)).simplify(1.0), max(box[4] for _, box in chain),
                     True, len(chain))


def _rect(box: Box, factor: float, frame: tuple[int, int]) -> Rect:
    x0, y0 = max(0, int(box[0] / factor)), max(0, int(box[1] / factor))
    x1 = min(frame[0], int(np.ceil(box[2] / factor)))
    y1 = min(frame[1], int(np.ceil(box[3] / factor)))
    return Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0))
