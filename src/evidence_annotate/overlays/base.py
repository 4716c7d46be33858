"""The overlay protocol: what every kind of annotation is and does, in one small base class.

A kind is ONE module of [evidence_annotate.overlays][] holding a frozen dataclass that
subclasses [Overlay][]. It owns:

* its data (geometry already resolved to displayed pixels, a [Span][evidence_annotate.timing.Span]
  on the source timeline) and its style;
* [Overlay.create][], the PUBLIC signature: it validates users' values against a
  [Context][] (frame size, duration) and is what ``Evidence.<kind>(...)`` and recipes call;
* how it draws: drawn kinds implement [Overlay.draw][] (a Pillow sprite) and inherit
  compositing; kinds that change footage pixels override [Overlay.chain][] (the filters
  they add to the ONE ffmpeg graph) and [Overlay.apply][] (the same on a PIL image).

Renderers, stills, the manifest, the notebook summary and recipes only ever call these
methods; none of them tests which kind it holds.

Example:
    >>> from evidence_annotate.overlays import KINDS
    >>> ctx = Context(size=(640, 360), duration=10.0, fps=30.0)
    >>> box = KINDS["box"].create(ctx, (100, 100, 50, 40), start=2, end=6, label="Crack")
    >>> box.span.active(3.0), box.describe()
    (True, "(100, 100) 50x40 label 'Crack'")
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, TypeVar

from PIL import Image

from ..drawing.sprite import Sprite
from ..drawing.text import TextStyle, default_text_size, layout_text
from ..filtergraph import FilterGraph, enable_expr
from ..geometry import Point, PointLike, Rect, RectLike, resolve_point, resolve_rect
from ..serial import to_plain
from ..timing import Span, TimeLike, parse_time
from ..validate import frame_bound

if sys.version_info >= (3, 11):
    from typing import Self
else:  # pragma: no cover - Python 3.10
    from typing_extensions import Self

__all__ = ["DRAWN", "FOOTAGE", "MAX_TEXT", "PRIVACY", "TOP", "Context", "Overlay", "sprite_of"]

PRIVACY = 0
"""Order of kinds that hide footage (blur): first, so nothing shows through later stages."""
FOOTAGE = 10
"""Order of kinds that transform footage pixels (spotlight, magnify)."""
DRAWN = 20
"""Order of drawn sprites (box, arrow, text, ...)."""
TOP = 30
"""Order of kinds drawn over everything (a burned clock)."""
MAX_TEXT = 1000
"""The longest callout or label, in characters (no frame shows more)."""


@dataclass(frozen=True)
class Context:
    """What a kind needs to turn users' values into plan data.

    Attributes:
        size: The displayed frame ``(width, height)``.
        duration: The source's duration in seconds.
        fps: The source's average frame rate.
        captured: The moment the source was recorded (ISO 8601 text), if its tags say.
    """

    size: tuple[int, int]
    duration: float
    fps: float = 30.0
    captured: str | None = None

    def span(self, start: TimeLike | None, end: TimeLike | None) -> Span:
        """A source window from users' ``start``/``end`` (``None`` = clip start / end).

        Raises:
            ValueError: A bad time, start at or past the end, or end before start.
        """
        begin = parse_time(start, name="start") if start is not None else 0.0
        finish = parse_time(end, name="end") if end is not None else None
        if begin >= self.duration:
            raise ValueError(f"start={start!r} ({begin:.3f} s) is at or past the end of the "
                             f"clip ({self.duration:.3f} s); times are seconds on the source "
                             "clip")
        if finish is not None and finish <= begin:
            raise ValueError(f"end={end!r} ({finish:.3f} s) must be after start={start!r} "
                             f"({begin:.3f} s)")
        if finish is not None and finish >= self.duration:
            finish = None  # until the end
        return Span(begin, finish)

    def ranges(self, ranges: Sequence[tuple[TimeLike, TimeLike]]) -> list[tuple[float, float]]:
        """Users' ``[(start, end), ...]`` as bounded source ranges (for cuts).

        Raises:
            ValueError: Not a list of pairs, or a bad pair (named by its index).
        """
        if isinstance(ranges, (str, bytes)) or not isinstance(ranges, Sequence):
            raise ValueError(f"ranges={ranges!r} must be a list of (start, end) pairs")
        out = []
        for index, pair in enumerate(ranges):
            if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
                raise ValueError(f"ranges[{index}]={pair!r} must be a (start, end) pair")
            out.append(self.span(pair[0], pair[1]).bounded(self.duration))
        return out

    def rect(self, value: RectLike, name: str = "rect") -> Rect:
        """A rectangle inside the frame.

        See [resolve_rect][evidence_annotate.geometry.resolve_rect].
        """
        return resolve_rect(value, self.size, name=name)

    def point(self, value: PointLike, name: str = "point") -> Point:
        """A point inside the frame.

        See [resolve_point][evidence_annotate.geometry.resolve_point].
        """
        return resolve_point(value, self.size, name=name)

    def line(self, value: int | None, name: str) -> None:
        """Bound a line width: at most a quarter of the frame's shorter side."""
        limit = max(1, min(self.size) // 4)
        frame_bound(value, name, limit, f"a quarter of the {self.size[0]}x{self.size[1]} "
                                        "frame's shorter side")

    def text(self, text: str | None, style: TextStyle, name: str) -> None:
        r"""Bound text against the frame: its font size, outline and laid-out size.

        Raises:
            ValueError: Longer than [MAX_TEXT][], a font size over half the frame's
                shorter side, an outline wider than the font size, or a block that does not
                fit the frame.
        """
        width, height = self.size
        frame_bound(style.size, f"{name} style size", max(12, min(self.size) // 2),
                    f"half the {width}x{height} frame's shorter side")
        if text is None:
            return
        if len(text) > MAX_TEXT:
            raise ValueError(f"{name} has {len(text)} characters, more than {MAX_TEXT}; "
                             "shorten it (captions carry long text)")
        px = style.size or default_text_size(self.size)
        frame_bound(style.outline_width, f"{name} style outline_width", px,
                    f"the font size {px} px")
        block = layout_text(text, style, self.size)
        if block.width > width or block.height > height:
            shown = text if len(text) <= 30 else f"{text[:27]}..."
            raise ValueError(f"{name}={shown!r} is {block.width}x{block.height} px at font size "
                             f"{px}, larger than the {width}x{height} frame; use a smaller "
                             "style size or break it into lines with \\n")


S = TypeVar("S")


def styled(style: S | None, kind: type[S], **overrides: Any) -> S:
    """A kind's style: the one given (or ``kind()``) with every non-``None`` override applied.

    Raises:
        ValueError: ``style`` is not a ``kind`` (say which class is expected).

    Example:
        >>> from evidence_annotate.overlays.box import BoxStyle
        >>> styled(None, BoxStyle, color="blue", thickness=None).color
        'blue'
    """
    base = style if style is not None else kind()
    if not isinstance(base, kind):
        raise ValueError(f"style={base!r} must be an ea.{kind.__name__}")
    changes = {name: value for name, value in overrides.items() if value is not None}
    return replace(base, **changes) if changes else base  # type: ignore[type-var]


@functools.lru_cache(maxsize=256)
def sprite_of(overlay: Overlay, frame: tuple[int, int]) -> Sprite:
    """The overlay's sprite on a frame of displayed size ``frame`` (cached; overlays are frozen)."""
    return overlay.draw(frame)


class Overlay:
    """Base of every overlay kind (each kind is a frozen dataclass with a ``span`` field).

    Class attributes a kind sets:
        kind: Its registry name, also the ``Evidence`` method and the recipe table.
        order: When it applies: ``PRIVACY``, ``FOOTAGE``, ``DRAWN`` or ``TOP``
            (stable within an order: plan order).
        still: Whether its window deserves a still in reports (blur does not).
    """

    kind: ClassVar[str] = ""
    order: ClassVar[int] = DRAWN
    still: ClassVar[bool] = True

    span: Span

    @classmethod
    def create(cls, ctx: Context, *args: Any, **kwargs: Any) -> Self:
        """Validate users' values and build the overlay: the kind's PUBLIC signature."""
        raise NotImplementedError(f"{cls.__name__} must define create()")

    def draw(self, frame: tuple[int, int]) -> Sprite:
        """Rasterize a drawn kind into a sprite for a frame of displayed size ``frame``."""
        raise NotImplementedError(f"{type(self).__name__} draws nothing; it overrides "
                                  "chain() and apply()")

    def bounds(self, frame: tuple[int, int]) -> Rect | None:
        """Where a drawn kind draws on a frame of displayed size ``frame`` (its sprite's box).

        ``None`` for kinds that only change footage (blur) or draw nothing: captions keep
        clear of these bounds (see ``evidence_annotate.captions.placement``).
        """
        if type(self).draw is Overlay.draw:
            return None
        sprite = sprite_of(self, frame)
        if sprite.image.getbbox() is None:
            return None
        return Rect(sprite.x, sprite.y, sprite.image.width, sprite.image.height)

    @property
    def mergeable(self) -> bool:
        """Whether the export may pre-composite this overlay with others shown at the same time.

        True for drawn kinds whose sprite and position are the same on every frame of their
        window (the default [chain][]); kinds with their own chain, and overlays that move
        (tracked regions), say ``False`` and keep their own filters.
        """
        return type(self).chain is Overlay.chain

    def switch_key(self) -> Hashable | None:
        """Overlays with the same key may share ONE chain, moved between their windows.

        ``None`` (the default): this overlay keeps its own chain. A kind that returns a key
        implements [chain_switched][] for overlays of that key whose windows never overlap.
        """
        return None

    @classmethod
    def chain_switched(cls, graph: FilterGraph, pad: str, overlays: Sequence[Overlay],
                       place: Callable[[Sequence[str]], str]) -> str:
        """Add ONE chain for ``overlays`` (same [switch_key][], windows apart, in time order).

        ``place`` turns one value per overlay into an expression of ``t`` that takes each
        overlay's value from its start on; ``place([])`` is the ``enable`` expression that
        is true exactly inside the windows. Returns the new video pad.
        """
        raise NotImplementedError(f"{cls.__name__} has no switched chain")

    def chain(self, graph: FilterGraph, pad: str, frame: tuple[int, int]) -> str:
        """Add this overlay to the ffmpeg graph after ``pad``; return the new video pad.

        The default composites [draw][]'s sprite with ``overlay`` while the span is
        active (kinds that change footage pixels override this and [apply][]).
        """
        sprite = sprite_of(self, frame)
        image = graph.image(sprite.image, self.kind)
        out = graph.label("v")
        graph.add([pad, image], f"overlay=x={sprite.x}:y={sprite.y}:eof_action=repeat"
                  f"{enable_expr(self.span)}", [out])
        return out

    def apply(self, image: Image.Image, t: float,
              footage: Image.Image | None = None) -> Image.Image:
        """The same as [chain][] on one RGB frame at source time ``t`` (a new image).

        Called only while the span is active. The default pastes [draw][]'s sprite.
        ``footage`` is the frame as the overlay's stage started (what ``graph.tap()`` gives
        [chain][]); kinds that take pixels from a region use it (``None``: ``image``).
        """
        sprite = sprite_of(self, image.size)
        out = image.copy()
        out.paste(sprite.image, (sprite.x, sprite.y), sprite.image)
        return out

    def describe(self) -> str:
        """What and where, in a few words (notebook summaries, CLI listings)."""
        return ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the manifest: ``kind``, ``start``, ``end``, then every other field."""
        data: dict[str, Any] = {"kind": self.kind, "start": self.span.start,
                                "end": self.span.end}
        for f in fields(self):  # type: ignore[arg-type]  # every kind is a dataclass
            if f.name != "span":
                data[f.name] = to_plain(getattr(self, f.name))
        return data
