"""Privacy methods of [Evidence][evidence_annotate.evidence.Evidence]: follow, detect, redact.

``follow`` turns a region drawn on one frame into a [Track][evidence_annotate.tracks.Track]
any region-taking kind accepts; ``detect`` finds faces and text for review; ``redact`` blurs
them (or the reviewed list) as tracks. Finding reads a decoded low-resolution copy; the
export still moves every region inside the ONE ffmpeg graph. These need the ``redact``
extra (``pip install "evidence-annotate[redact]"``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal, cast

from ..geometry import RectLike
from ..media import MediaInfo
from ..overlays import Blur, BlurMethod, Context
from ..plan import Plan
from ..timing import TimeLike, parse_time
from ..tracks import Key, Track
from ..validate import fraction
from ..vision.follow import TRACKERS, follow_region
from ..vision.redact import Detection, detect_clip

if sys.version_info >= (3, 11):
    from typing import Self
else:  # pragma: no cover - Python 3.10
    from typing_extensions import Self

__all__ = ["Privacy"]

Region = Detection | Track | RectLike


class Privacy:
    """The privacy part of [Evidence][evidence_annotate.evidence.Evidence] (a mixin)."""

    info: MediaInfo
    plan: Plan

    def _context(self) -> Context:
        return Context(self.info.size, self.info.duration, self.info.fps)

    def follow(self, rect: RectLike, at: TimeLike = 0.0, *, tracker: str = "csrt",
               resolution: int = 480, tolerance: float = 1.0,
               on_lost: Literal["warn", "raise"] = "warn") -> Track:
        """Follow a region drawn on the frame at ``at`` forward and backward through the clip.

        Inspect the result with ``ev.box(track).preview(t)`` or stills, then pass it to any
        kind that takes a region (``box``, ``ellipse``, ``blur``, ``magnify``,
        ``spotlight``, ``arrow``'s ``head``).

        Args:
            rect: The region on that frame, ``(x, y, w, h)`` in displayed pixels or ``ea.rel``.
            at: When the region is as drawn (source seconds or ``"mm:ss.ms"``).
            tracker: ``"csrt"`` (accurate, the default) or ``"kcf"`` (about 3x faster).
            resolution: Longer side of the decoded copy the tracker reads (160..1920).
            tolerance: Keyframes interpolation recovers within this many pixels are dropped.
            on_lost: ``"warn"``: a
                [TrackLostWarning][evidence_annotate.vision.follow.TrackLostWarning] names the
                time and the track stops there (``Track.lost``); ``"raise"``: a
                [TrackLostError][evidence_annotate.vision.follow.TrackLostError].

        Returns:
            The track, a keyframe per frame simplified to within ``tolerance``.

        Raises:
            ValueError: A region outside the frame, a bad time, tracker or resolution.
            ModelError: The ``redact`` extra is not installed.

        Example:
            >>> path = ev.follow((420, 260, 120, 90), at=2.0)           # doctest: +SKIP
            >>> ev.box(path, label="Crack").preview(3.0)                # doctest: +SKIP
        """
        ctx = self._context()
        region = ctx.rect(rect)
        t = parse_time(at, name="at")
        if t >= self.info.duration:
            raise ValueError(f"at={at!r} ({t:.3f} s) is at or past the end of the clip "
                             f"({self.info.duration:.3f} s)")
        if tracker not in TRACKERS:
            raise ValueError(f"tracker={tracker!r} is not a tracker; use one of "
                             f"{', '.join(TRACKERS)}")
        _bounded(resolution, "resolution", 160, 1920)
        fraction(tolerance, "tolerance", low=0.0, high=20.0)
        return follow_region(self.info, region, t, tracker=tracker, longest=resolution,
                             tolerance=tolerance, on_lost=on_lost)

    def detect(self, faces: bool = True, text: bool = True, *, every: float = 0.25,
               hold: float = 1.5, resolution: int = 320, face_threshold: float = 0.4,
               text_threshold: float = 0.5) -> list[Detection]:
        """Find faces and text regions (labels, addresses, screens) through the clip, for review.

        Review the list (``d.describe()``, ``ev.redact(detections=[d]).preview(t)``), drop
        what is not private, add regions of your own (an ``ea.track``, a rectangle, or a
        ``Detection``), then pass it to [redact][evidence_annotate.evidence.Evidence.redact].

        Args:
            faces: Look for faces (CenterFace).
            text: Look for text (PP-OCR's text detector); the lines of a label merge into one.
            every: Seconds between detector runs (0.02..2); regions are interpolated between.
            hold: Misses shorter than this many seconds are bridged (0..5).
            resolution: Longer side of the decoded copy the detectors read (160..1920; a
                face or a line of text should be at least about 10 pixels tall there).
            face_threshold: Lowest face confidence kept (0.05..0.99).
            text_threshold: Lowest mean text probability of a region kept (0.05..0.99).

        Returns:
            The [Detection][evidence_annotate.vision.redact.Detection]s, faces first.

        Raises:
            ValueError: Nothing to look for, or a value out of range.
            ModelError: The ``redact`` extra is not installed.

        Example:
            >>> found = [d for d in ev.detect() if d.kind == "text"]     # doctest: +SKIP
        """
        for name, flag in (("faces", faces), ("text", text)):
            if not isinstance(flag, bool):
                raise ValueError(f"{name}={flag!r} must be True or False")
        if not (faces or text):
            raise ValueError("faces=False and text=False: nothing to look for; set one True")
        fraction(every, "every", low=0.02, high=2.0)
        fraction(hold, "hold", low=0.0, high=5.0)
        _bounded(resolution, "resolution", 160, 1920)
        fraction(face_threshold, "face_threshold", low=0.05, high=0.99)
        fraction(text_threshold, "text_threshold", low=0.05, high=0.99)
        return detect_clip(self.info, faces=faces, text=text, every=every, hold=hold,
                           longest=resolution, face_threshold=face_threshold,
                           text_threshold=text_threshold)

    def redact(self, faces: bool = True, text: bool = True, *,
               detections: Sequence[Region] | None = None, padding: float = 0.25,
               method: BlurMethod = "gaussian", blocks: int = 6, every: float = 0.25,
               hold: float = 1.5, resolution: int = 320, speech: bool = False) -> Self:
        """Blur every face and text region, following them as they move.

        Without ``detections`` the detectors run first ([detect][]); with them, exactly those
        regions are hidden (a reviewed list from [detect][], tracks or rectangles of your
        own). Each becomes a [blur][evidence_annotate.overlays.blur.Blur.create] that follows
        its track, grown by ``padding`` of its size, recorded in the manifest with what it
        hides, when, where and whether it was found automatically (never what it hides).

        Args:
            faces: Hide faces (ignored with ``detections``).
            text: Hide text regions (ignored with ``detections``).
            detections: What to hide instead of running the detectors.
            padding: Growth on each side, as a fraction of the region's size (0..1).
            method: ``"gaussian"``, ``"pixelate"`` or ``"fill"``.
            blocks: Blocks across a region's shorter side (2..64; fewer = stronger).
            every: Seconds between detector runs (see [detect][]).
            hold: Misses bridged, in seconds (see [detect][]).
            resolution: Longer side of the copy the detectors read.
            speech: Also hide spoken personal data with the defaults of
                [redact_speech][evidence_annotate.evidence.spoken.Spoken.redact_speech]
                (phone and card numbers, e-mails; bleeped; needs ``.transcribe()`` first).

        Returns:
            A new evidence with the blurs.

        Raises:
            ValueError: Bad values, or a region outside the frame or clip.
            ModelError: The ``redact`` extra is not installed (only when detecting).

        Example:
            >>> ev.transcribe().redact(speech=True).export("evidence.mp4")  # doctest: +SKIP
        """
        fraction(padding, "padding", low=0.0, high=1.0)
        if not isinstance(speech, bool):
            raise ValueError(f"speech={speech!r} must be True or False")
        if speech and getattr(self, "transcript", None) is None:
            raise ValueError("redact(speech=True) needs what was said: call .transcribe() "
                             "first, e.g. ev.transcribe().redact(speech=True)")
        if detections is None:
            found: Sequence[Region] = self.detect(faces, text, every=every, hold=hold,
                                                  resolution=resolution)
        elif isinstance(detections, (str, bytes)) or not isinstance(detections, Sequence):
            raise ValueError(f"detections={detections!r} must be a list of detections, tracks "
                             "or rectangles")
        else:
            found = detections
        ctx = self._context()
        blurs = []
        for index, item in enumerate(found):
            detection = _as_detection(item, ctx, f"detections[{index}]")
            path = detection.track.resolve(ctx.size, ctx.duration, f"detections[{index}]")
            blurs.append(Blur.create(ctx, path.grow(padding, ctx.size), method=method,
                                     blocks=blocks, reason=detection.kind,
                                     automatic=detection.automatic))
        layers = (*self.plan.layers, *blurs)
        out = replace(self, plan=replace(self.plan, layers=layers))  # type: ignore[type-var]
        if speech:  # Evidence has both halves; the spoken one lives in evidence.spoken
            out = cast(Self, cast(Any, out).redact_speech())
        return out


def _as_detection(item: Region, ctx: Context, name: str) -> Detection:
    if isinstance(item, Detection):
        return item
    if isinstance(item, Track):
        return Detection("manual", item)
    rect = ctx.rect(item, name)
    whole = (Key(0.0, rect),) if ctx.duration <= 0 else (Key(0.0, rect),
                                                         Key(ctx.duration, rect))
    return Detection("manual", Track(whole))


def _bounded(value: int, name: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name}={value!r} must be a whole number of pixels {low}..{high}")
