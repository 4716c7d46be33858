"""What kinds whose region is a [Track][evidence_annotate.tracks.Track] share: pieces and chains.

A tracked overlay moves inside the ONE export graph: ``overlay`` (and ``crop``) take their
``x``/``y`` as expressions of each frame's timestamp ``t``, built by
[Track.expr][evidence_annotate.tracks.Track.expr]. Sizes cannot change per frame in ffmpeg,
so a track is cut into [Piece][]s over which its size stays within a few percent; each piece
has one size (the largest in it, so nothing is uncovered) and its own ``enable`` window.
Previews compute the same positions with
[Track.position][evidence_annotate.tracks.Track.position], so they agree with the export.

Example:
    >>> from evidence_annotate.tracks import track
    >>> path = track((0, (0, 0, 40, 40)), (1, (50, 0, 40, 40)), (2, (60, 0, 80, 80)))
    >>> [(p.start, p.size) for p in pieces(path.resolve((320, 240), 3.0))]
    [(None, (40, 40)), (1.0, (80, 80))]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from PIL import Image

from ..drawing.sprite import Sprite
from ..filtergraph import FilterGraph, enable_expr
from ..geometry import Rect, RectLike
from ..timing import Span, TimeLike
from ..tracks import Track
from .base import Context, Overlay, sprite_of

__all__ = ["Moving", "Piece", "centred", "moving_apply", "moving_bounds", "moving_chain",
           "piece_at", "piece_span", "pieces", "region", "tracked_span", "window"]

SIZE_TOLERANCE = 0.06
"""How much a region's width or height may vary within one piece (fraction of the largest)."""


class Piece(NamedTuple):
    """A stretch of a track drawn at one size: ``[start, end)`` (``None`` = open) and size."""

    start: float | None
    end: float | None
    size: tuple[int, int]


def region(ctx: Context, value: RectLike | Track, name: str = "rect") -> tuple[Rect, Track | None]:
    """A kind's region: a fixed rectangle, or a track checked against the clip.

    Returns:
        ``(rect, track)``: the rectangle (the track's first keyframe) and the resolved track
        (``None`` for a fixed rectangle).
    """
    if isinstance(value, Track):
        resolved = value.resolve(ctx.size, ctx.duration, name)
        return resolved.rects()[0], resolved
    return ctx.rect(value, name), None


def tracked_span(ctx: Context, path: Track | None, start: TimeLike | None,
                 end: TimeLike | None) -> Span:
    """The window of a kind: ``start``/``end``, else the track's first to last keyframe.

    The last keyframe's frame is included (the window ends half a frame after it). A track
    of one keyframe is a fixed region: its window is the whole clip unless given.
    """
    if path is None or len(path.keys) == 1 or (start is not None and end is not None):
        return ctx.span(start, end)
    first = start if start is not None else (path.start if path.start > 0 else None)
    last = end if end is not None else path.end + 0.5 / max(ctx.fps, 1.0)
    return ctx.span(first, last)


def pieces(path: Track, tolerance: float = SIZE_TOLERANCE, shortest: float = 0.0) -> list[Piece]:
    """Cut a resolved track where its size drifts by more than ``tolerance`` of the largest.

    Pieces shorter than ``shortest`` seconds join the piece before them (at the larger
    size), so a size that jitters does not cut the track into many short pieces.
    """
    rects = path.rects()

    def drift(chunk: Sequence[Rect]) -> bool:
        ws, hs = [r.w for r in chunk], [r.h for r in chunk]
        return (max(ws) - min(ws) > max(2.0, tolerance * max(ws))
                or max(hs) - min(hs) > max(2.0, tolerance * max(hs)))

    starts, low = [0], 0
    for i in range(1, len(rects)):
        if drift(rects[low:i + 1]):
            low = i - 1 if i - 1 > low else i  # the drifting stretch starts the next piece
            starts.append(low)
    out: list[Piece] = []
    for g, first in enumerate(starts):
        last = starts[g + 1] if g + 1 < len(starts) else len(rects) - 1
        chunk = rects[first:last + 1]
        part = Piece(path.keys[first].t if g else None,
                     path.keys[last].t if g + 1 < len(starts) else None,
                     (max(r.w for r in chunk), max(r.h for r in chunk)))
        previous = out[-1] if out else None
        if previous is not None and (_length(previous, path) < shortest
                                     or _length(part, path) < shortest):
            part = Piece(previous.start, part.end, (max(previous.size[0], part.size[0]),
                                                    max(previous.size[1], part.size[1])))
            out[-1] = part
        else:
            out.append(part)
    return out


def _length(part: Piece, path: Track) -> float:
    """How long a piece lasts within the track's keyframes."""
    start = part.start if part.start is not None else path.start
    end = part.end if part.end is not None else path.end
    return end - start


def piece_at(parts: Sequence[Piece], t: float) -> Piece:
    """The piece shown at source time ``t``."""
    for part in parts:
        if part.end is None or t < part.end:
            return part
    return parts[-1]


def piece_span(span: Span, part: Piece) -> Span:
    """When a piece shows: its own stretch of the track within the kind's span."""
    ends = [e for e in (span.end, part.end) if e is not None]
    return Span(max(span.start, part.start or 0.0), min(ends) if ends else None)


def window(span: Span, part: Piece) -> str:
    """The ``enable`` option for a piece within a kind's span (``""`` = always)."""
    return enable_expr(piece_span(span, part))


def moving_chain(graph: FilterGraph, pad: str, path: Track, span: Span, frame: tuple[int, int],
                 draw: Callable[[Piece], tuple[Sprite, Rect]], stem: str,
                 parts: Sequence[Piece] | None = None) -> str:
    """Composite, per piece, a sprite that follows the track (``overlay`` with ``x``/``y`` of t).

    ``draw`` rasterizes a piece: its sprite and the region it was drawn around (the sprite
    moves with that region's centre). ``parts`` defaults to [pieces][] of the track.
    """
    current = pad
    for part in parts if parts is not None else pieces(path):
        sprite, ref = draw(part)
        size, shift = sprite.image.size, _shift(sprite, ref)
        image = graph.image(sprite.image, stem)
        out = graph.label("v")
        x = path.expr(0, size, frame, shift, clamp=False)
        y = path.expr(1, size, frame, shift, clamp=False)
        graph.add([current, image], f"overlay=x='{x}':y='{y}':eof_action=repeat"
                  f"{window(span, part)}", [out])
        current = out
    return current


def moving_apply(image: Image.Image, t: float, path: Track,
                 draw: Callable[[Piece], tuple[Sprite, Rect]],
                 parts: Sequence[Piece] | None = None) -> Image.Image:
    """The same on one frame: paste the piece's sprite where the export puts it at ``t``."""
    sprite, ref = draw(piece_at(parts if parts is not None else pieces(path), t))
    x, y = path.position(t, sprite.image.size, image.size, _shift(sprite, ref), clamp=False)
    out = image.copy()
    out.paste(sprite.image, (x, y), sprite.image)
    return out


def centred(part: Piece, frame: tuple[int, int]) -> Rect:
    """A region of the piece's size in the middle of the frame (where a piece is drawn)."""
    w, h = part.size
    return Rect(max(0, (frame[0] - w) // 2), max(0, (frame[1] - h) // 2), w, h)


def _shift(sprite: Sprite, ref: Rect) -> tuple[float, float]:
    """Offset from a centred piece's corner to the sprite's corner, for a region ``ref``."""
    w, h = sprite.image.size
    return (sprite.x - (ref.x + ref.w / 2) + w / 2, sprite.y - (ref.y + ref.h / 2) + h / 2)


class Moving(Overlay):
    """Base of drawn kinds whose region (``rect``) may follow a ``track``.

    A kind sets the ``rect`` and ``track`` fields; with a track its sprite is drawn once per
    [Piece][] around a region of the piece's size and moved per frame, so it never merges
    with other overlays. Without one it is an ordinary drawn kind.
    """

    rect: Rect
    track: Track | None

    @property
    def mergeable(self) -> bool:
        """True unless the region moves."""
        return self.track is None

    def piece(self, part: Piece, frame: tuple[int, int]) -> tuple[Sprite, Rect]:
        """The sprite of a piece and the region it was drawn around (mid-frame)."""
        ref = centred(part, frame)
        still: Any = replace(self, rect=ref, track=None)  # type: ignore[type-var]
        return sprite_of(still, frame), ref

    def parts(self) -> list[Piece]:
        """The stretches drawn at one size each (see [pieces][])."""
        assert self.track is not None
        return pieces(self.track)

    def chain(self, graph: FilterGraph, pad: str, frame: tuple[int, int]) -> str:
        """The drawn sprite; with a track, moved per frame (see [moving_chain][])."""
        if self.track is None:
            return super().chain(graph, pad, frame)
        return moving_chain(graph, pad, self.track, self.span, frame,
                            lambda part: self.piece(part, frame), self.kind, self.parts())

    def apply(self, image: Image.Image, t: float,
              footage: Image.Image | None = None) -> Image.Image:
        """The sprite pasted; with a track, where the export puts it at ``t``."""
        if self.track is None:
            return super().apply(image, t, footage)
        return moving_apply(image, t, self.track, lambda part: self.piece(part, image.size),
                            self.parts())

    def bounds(self, frame: tuple[int, int]) -> Rect | None:
        """Where it draws; with a track, everywhere it goes."""
        if self.track is None:
            return super().bounds(frame)
        return moving_bounds(self.track, [self.piece(p, frame) for p in self.parts()], frame)


def moving_bounds(path: Track, drawn: Sequence[tuple[Sprite, Rect]],
                  frame: tuple[int, int]) -> Rect:
    """The track's bounds grown by how far any piece's sprite reaches past its region."""
    left = top = right = bottom = 0
    for sprite, ref in drawn:
        left = max(left, ref.x - sprite.x)
        top = max(top, ref.y - sprite.y)
        right = max(right, sprite.x + sprite.image.width - ref.right)
        bottom = max(bottom, sprite.y + sprite.image.height - ref.bottom)
    r = path.bounds()
    x0, y0 = max(0, r.x - left - 2), max(0, r.y - top - 2)
    x1, y1 = min(frame[0], r.right + right + 2), min(frame[1], r.bottom + bottom + 2)
    return Rect(x0, y0, max(1, x1 - x0), max(1, y1 - y0))
