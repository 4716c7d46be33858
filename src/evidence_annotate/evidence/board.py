"""One video from several clips, photos and text slides: the immutable [Storyboard][].

Each segment keeps its own overlays, captions, cuts and time edits on its own clock; the
board adds the title card and renders everything in ONE ffmpeg graph on one canvas.

Example:
    >>> import evidence_annotate as ea
    >>> board = ea.storyboard(
    ...     ea.open("package.mp4").trim(0, 4).text("Box arrived crushed", at=(40, 40)),
    ...     ea.image("listing.png", seconds=3).box(ea.rel(0.1, 0.6, 0.5, 0.1)),
    ...     ea.slide("The seller refused a refund on 2026-11-21", seconds=3),
    ... ).title_card(order="8123456789012", date="2026-11-20")      # doctest: +SKIP
    >>> board.export("evidence.mp4", platform="aliexpress", fit="speed")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

from ..cards import TitleCard, TitleCardStyle
from ..render.program import BLUR, Part, Program, make_program
from .clip import Evidence
from .program_outputs import ProgramOutputs, clip_part
from .still import Still

__all__ = ["Segment", "Storyboard", "storyboard"]

Segment = Evidence | Still
"""What a storyboard is made of: a clip ([Evidence][evidence_annotate.evidence.Evidence]) or a
[Still][evidence_annotate.evidence.still.Still] (photo, screenshot, text slide)."""


@dataclass(frozen=True)
class Storyboard(ProgramOutputs):
    """Segments played one after another, with a title card, as ONE evidence video.

    Build one with [storyboard][]; every method returns a new board.

    Attributes:
        segments: Clips and stills, in order.
        card: The title card shown first, if any.
        size: The canvas ``(width, height)``; ``None`` = the longest clip's.
        fps: The output frame rate; ``None`` = the clips' highest (at most 60).
        background: ``"blur"`` (the segment itself, blurred, behind it) or a colour for
            the bars around segments of another shape.
    """

    segments: tuple[Segment, ...]
    card: TitleCard | None = None
    size: tuple[int, int] | None = None
    fps: int | Fraction | None = None
    background: str = BLUR

    def title_card(self, order: str, date: str | _dt.date, title: str | None = None,
                   seconds: float = 3.0, fields: Mapping[str, str] | None = None,
                   style: TitleCardStyle | None = None) -> Storyboard:
        """Open the video with a card: order number, date, title (see Evidence.title_card).

        Example:
            >>> board.title_card("8123456789012", "2026-11-20", "Cracked case")  # doctest: +SKIP
        """
        card = TitleCard.create(order, date, title, seconds, fields, style)
        return replace(self, card=card)

    def program(self) -> Program:
        """The board as a [Program][evidence_annotate.render.program.Program]: parts, canvas, rate.

        A slide without overlays is drawn at the canvas size.
        """
        parts = [self._part(segment) for segment in self.segments]
        rate = Fraction(self.fps) if self.fps is not None else None
        program = make_program(parts, self.card, size=self.size, rate=rate,
                               background=self.background)
        redrawn = tuple(segment.part(program.size) if isinstance(segment, Still) else part
                        for segment, part in zip(self.segments, parts, strict=True))
        return replace(program, parts=redrawn)

    @staticmethod
    def _part(segment: Segment) -> Part:
        if isinstance(segment, Still):
            return segment.part()
        return clip_part(segment.info, segment.plan, segment.transcript)

    def __len__(self) -> int:
        return len(self.segments)

    def __repr__(self) -> str:
        kinds = ", ".join(s.kind if isinstance(s, Still) else f"clip {s.info.path.name!r}"
                          for s in self.segments)
        card = "title card, " if self.card is not None else ""
        return f"<Storyboard {card}{kinds}>"


def storyboard(*segments: Segment, size: tuple[int, int] | None = None,
               fps: int | Fraction | None = None, background: str = BLUR) -> Storyboard:
    """One evidence video from clips, photos and text slides, in order.

    Args:
        *segments: Clips (``ea.open(...)`` with their overlays, trims, captions, time
            edits), photos and screenshots (``ea.image(...)``) and slides (``ea.slide(...)``).
        size: Canvas ``(width, height)``; ``None`` = the shape and size of the clip that
            plays longest. Every segment is scaled to fit it, never stretched.
        fps: Output frame rate; ``None`` = the clips' highest nominal rate (at most 60).
        background: ``"blur"`` or a colour (``"black"``, ``"#101418"``) around segments of
            another shape.

    Raises:
        ValueError: No segments, something that is not a segment, a segment with its own
            title card, or a bad size, fps or background.

    Example:
        >>> import evidence_annotate as ea
        >>> ea.storyboard(ea.slide("Box arrived crushed"), ea.slide("Seller refused")).duration
        6.0
    """
    for index, segment in enumerate(segments):
        if not isinstance(segment, (Evidence, Still)):
            raise ValueError(f"segments[{index}]={segment!r} is not a segment; give ea.open(...)"
                             ", ea.image(...) or ea.slide(...)")
        if segment.plan.title_card is not None:
            raise ValueError(f"segments[{index}] has its own title card; give the board one "
                             "with storyboard(...).title_card(...) instead")
    board = Storyboard(tuple(segments), None, size, fps, background)
    board.program()  # validates size, fps and background now
    return board
