"""A program: several sources, each with its own plan and timeline, played one after another.

A [Program][] is what the renderers take for a storyboard: an optional title card, then
[Part][]s (a clip or a still, its [Plan][evidence_annotate.plan.Plan] of overlays, captions,
cuts and time edits, on its own clock), on ONE canvas at ONE frame rate. Each part lasts a
whole number of output frames ([Program.frames][]), so its sound is cut to the same length
and sync holds at every join.

Example:
    >>> from evidence_annotate.media.still import still_info
    >>> from pathlib import Path
    >>> part = Part(still_info(Path("a.png"), (640, 480), 2.0))
    >>> program = make_program([part])
    >>> program.size, program.rate, program.frames, program.duration
    ((640, 480), Fraction(30, 1), (60,), 2.0)
    >>> fit_rect((320, 240), (240, 320))
    (0, 70, 240, 180)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..cards import TitleCard
from ..colors import Color
from ..geometry import even_down, even_up, output_size
from ..media import MediaInfo
from ..media.still import Picture
from ..plan import Plan
from ..speech.transcript import Transcript
from ..timing import Timeline

__all__ = ["BLUR", "MAX_RATE", "Part", "Program", "fit_rect", "make_program"]

BLUR = "blur"
"""Background name: the part itself, scaled to cover the canvas and blurred."""
MAX_RATE = Fraction(60)
"""Highest output frame rate chosen automatically (slow-motion footage plays at 60 fps)."""
STILL_SIDE = 1920
"""Longest canvas side chosen for a program of stills only."""


@dataclass(frozen=True)
class Part:
    """One segment of a program: a source and what is done to it, on its own clock.

    Attributes:
        info: The probed clip, or a still's [still_info][evidence_annotate.media.still.still_info].
        plan: Overlays, captions, kept ranges and time edits (no title card).
        picture: The still's pixels (``None`` for a clip).
        kind: ``"clip"``, ``"image"`` or ``"slide"`` (for the manifest and messages).
        speech: Source spans where someone speaks (transcript words or caption cues).
        transcript: The clip's transcript (source times), for the board's transcript,
            captions and report.
    """

    info: MediaInfo
    plan: Plan = Plan()
    picture: Picture | None = None
    kind: str = "clip"
    speech: tuple[tuple[float, float], ...] = ()
    transcript: Transcript | None = None

    @property
    def timeline(self) -> Timeline:
        """The part's source-to-output mapping (starting at 0)."""
        return self.plan.timeline(self.info.frame_rate, self.info.duration)

    @property
    def size(self) -> tuple[int, int]:
        """The part's frame size before it is placed on the canvas (even sides)."""
        return output_size(self.info.size)

    @property
    def has_audio(self) -> bool:
        """Whether the part brings sound (stills and silent clips do not)."""
        return self.picture is None and self.info.has_audio


@dataclass(frozen=True)
class Program:
    """A title card and parts on one canvas at one frame rate.

    Attributes:
        parts: The segments, in order.
        size: The canvas ``(width, height)`` (even sides).
        rate: The output frame rate.
        card: The title card shown first, if any.
        background: ``"blur"`` or a colour for the bars around parts of another shape.
    """

    parts: tuple[Part, ...]
    size: tuple[int, int]
    rate: Fraction
    card: TitleCard | None = None
    background: str = BLUR

    @property
    def card_frames(self) -> int:
        """Frames of the title card (0 without one)."""
        return Plan(title_card=self.card).card_frames(self.rate)

    @property
    def frames(self) -> tuple[int, ...]:
        """Whole output frames of every part (its timeline's length, rounded, at least 1)."""
        return tuple(max(1, round(part.timeline.duration * self.rate)) for part in self.parts)

    @property
    def duration(self) -> float:
        """Output duration in seconds."""
        return float((self.card_frames + sum(self.frames)) / self.rate)

    @property
    def starts(self) -> tuple[float, ...]:
        """Output time at which every part starts (after the card)."""
        out, frame = [], self.card_frames
        for count in self.frames:
            out.append(float(frame / self.rate))
            frame += count
        return tuple(out)

    @property
    def has_audio(self) -> bool:
        """Whether any part has sound (the others get silence)."""
        return any(part.has_audio for part in self.parts)

    def still_times(self) -> list[float]:
        """Output times worth a still: the title card and the middle of every segment."""
        rate = float(self.rate)
        times = [self.card_frames / rate / 2] if self.card is not None else []
        times += [round(start + count / rate / 2, 3)
                  for start, count in zip(self.starts, self.frames, strict=True)]
        return times

    def locate(self, t: float) -> tuple[int | None, int]:
        """The part shown at output time ``t`` and the frame index within it.

        ``(None, frame)`` while the title card shows. Times past the end give the last frame.
        """
        frame = max(0, math.floor(t * self.rate + Fraction(1, 10**6)))
        if frame < self.card_frames:
            return None, frame
        frame -= self.card_frames
        for index, count in enumerate(self.frames):
            if frame < count:
                return index, frame
            frame -= count
        return len(self.parts) - 1, self.frames[-1] - 1


def fit_rect(size: tuple[int, int], canvas: tuple[int, int]) -> tuple[int, int, int, int]:
    """Where a frame of ``size`` goes on ``canvas``: scaled to fit, centred, even sides.

    Never stretched: the aspect ratio is kept to within a pixel's rounding.
    """
    width, height = size
    cw, ch = canvas
    scale = min(cw / width, ch / height)
    w = min(cw, max(2, even_down(round(width * scale))))
    h = min(ch, max(2, even_down(round(height * scale))))
    if abs(w - cw) <= 1 and abs(h - ch) <= 1:
        w, h = cw, ch
    return (cw - w) // 2, (ch - h) // 2, w, h


def _canvas(parts: Sequence[Part]) -> tuple[int, int]:
    clips = [p for p in parts if p.picture is None]
    if clips:  # the shape of the clip that plays longest
        longest = max(clips, key=lambda p: (p.timeline.duration, -clips.index(p)))
        return longest.size
    width, height = parts[0].size
    scale = min(1.0, STILL_SIDE / max(width, height))
    return even_up(round(width * scale)), even_up(round(height * scale))


def _rate(parts: Sequence[Part]) -> Fraction:
    rates = [p.info.frame_rate for p in parts if p.picture is None and p.info.frame_rate > 0]
    return min(max(rates), MAX_RATE) if rates else Fraction(30)


def make_program(parts: Sequence[Part], card: TitleCard | None = None, *,
                 size: tuple[int, int] | None = None, rate: Fraction | None = None,
                 background: str = BLUR) -> Program:
    """A [Program][] with the canvas and frame rate chosen from the parts unless given.

    The canvas is the shape and size of the clip that plays longest (a program of stills
    only: the first still's, at most 1920 px on its long side); the frame rate is the
    highest nominal rate of its clips, at most 60 (30 without clips).

    Raises:
        ValueError: No parts, a bad size, rate or background.
    """
    if not parts:
        raise ValueError("a storyboard needs at least one segment; pass clips, images or "
                         "slides, e.g. ea.storyboard(ea.open('a.mp4'), ea.slide('...'))")
    if background != BLUR:
        try:
            Color.parse(background)
        except ValueError:
            raise ValueError(f"background={background!r} must be 'blur' or a colour such as "
                             "'black' or '#101418'") from None
    if size is not None:
        if not (isinstance(size, tuple) and len(size) == 2
                and all(isinstance(v, int) and 16 <= v <= 7680 for v in size)):
            raise ValueError(f"size={size!r} must be (width, height) in pixels, each 16-7680, "
                             "e.g. (1080, 1920)")
        size = output_size(size)
    if rate is not None and not (isinstance(rate, (int, Fraction)) and 1 <= rate <= 120):
        raise ValueError(f"fps={rate!r} must be a whole number or Fraction from 1 to 120, "
                         "e.g. 30")
    chosen = Fraction(rate) if rate is not None else _rate(parts)
    return Program(tuple(parts), size or _canvas(parts), chosen, card, background)
