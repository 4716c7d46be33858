"""Drawn annotations in the export graph: still overlays, or ONE overlay switched per slice.

A run of consecutive mergeable overlays of one stage
([Overlay.mergeable][evidence_annotate.overlays.base.Overlay.mergeable]) reaches
[sprite_chains][]. A short run gets one ``overlay`` of a still picture per annotation, as a
lone annotation always had; the pictures come from a few atlas inputs
([atlas_sources][evidence_annotate.render.atlas.atlas_sources]), converted once. A longer
one may be cut into slices
([cut][evidence_annotate.render.slices.cut]): each slice shows ONE picture, everything
visible in it pasted in plan order (as previews paste sprites) and cropped to the union of
their boxes. The pictures become ONE image sequence and ONE ``overlay``: ffmpeg then pays per
frame for one overlay and per slice for one small picture, whatever the plan holds.

Which costs less depends on the clip: a still overlay costs a little on every frame and
blends its picture on the frames it shows; the switched one blends the largest slice's
picture on every frame and reads its pictures once. [sprite_chains][] estimates both and
takes the cheaper: slices only where dozens of still overlays would otherwise run on every
frame.

Every picture of the sequence has the size of the largest (clear pixels pad the others): a
change of size would make ffmpeg rebuild the whole graph in the middle of the clip.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import av
import numpy as np
from PIL import Image

from ..drawing.sprite import Sprite
from ..filtergraph import FilterGraph, enable_expr
from ..geometry import even_down
from ..media import MediaInfo, media_url
from ..overlays.base import Overlay, sprite_of
from ..overlays.gate import PASS
from .atlas import Lane, atlas_sources
from .lanes import lanes, window_of
from .slices import Slice, cut, first_pts, piecewise

__all__ = ["STATIC_LIMIT", "sprite_chains", "stream_time_base"]

STATIC_LIMIT = 4
"""Runs of up to this many annotations keep one still ``overlay`` each."""

# What ffmpeg spends, measured with the bundled ffmpeg (ratios matter, not the machine):
_STILL_OVERLAY = 5.5e-6
"""Seconds per frame for one still overlay (from an atlas), even while its window is closed."""
_BLEND = 1.8e-9
"""Seconds per picture pixel per frame an ``overlay`` blends it (clear pixels cost the same)."""
_LANE_PICTURE = 20e-6
"""Seconds per picture of a lane, once: its turn cut from the atlas and stamped."""
_PICTURE = 80e-9
"""Seconds per picture pixel, once: drawing, writing, reading and converting a picture."""

_Box = tuple[int, int, int, int]
_NEVER = 1 << 50  # a timestamp no footage reaches
_BLEED = 4  # pixels around a sprite that take its edge colour (beyond ffmpeg's chroma filter)


def stream_time_base(info: MediaInfo) -> Fraction | None:
    """The time base of the footage's frames in the graph (its video stream's own)."""
    try:
        with av.open(media_url(info.path)) as container:
            base = container.streams[info.video_stream].time_base
    except (OSError, av.FFmpegError, IndexError):
        return None
    return Fraction(base) if base else None


def sprite_chains(graph: FilterGraph, pad: str, overlays: Sequence[Overlay],
                  info: MediaInfo, time_base: Fraction | None = None) -> str:
    """Composite a run of mergeable ``overlays`` over ``pad``; return the new video pad.

    Args:
        graph: The graph being built.
        pad: The video so far.
        overlays: Consecutive mergeable overlays of one stage, in drawing order.
        info: The probed source.
        time_base: The time base of ``pad``'s frames, when it is not that of the source's
            video stream (a still looped in the graph).
    """
    frame = info.size
    sprites = [sprite_of(overlay, frame) for overlay in overlays]
    rate = float(info.frame_rate)
    frames = info.duration * rate
    still = frames * len(overlays) * _STILL_OVERLAY + _BLEND * rate * sum(
        sprite.image.width * sprite.image.height
        * ((info.duration if overlay.span.end is None else overlay.span.end)
           - overlay.span.start) for overlay, sprite in zip(overlays, sprites, strict=True))
    largest = max(sprite.image.width * sprite.image.height for sprite in sprites)
    least = frames * (_STILL_OVERLAY + _BLEND * largest)  # the switched overlay's floor

    @functools.cache
    def stream_base() -> Fraction | None:  # opens the file: once, and only when needed
        return time_base or stream_time_base(info)

    base = stream_base() if len(overlays) > STATIC_LIMIT and least < still else None
    if base is not None:
        slices = cut([(overlay.span.start, overlay.span.end) for overlay in overlays])
        rects = [(sprite.x, sprite.y, sprite.x + sprite.image.width,
                  sprite.y + sprite.image.height) for sprite in sprites]
        boxes = [_union(rects, piece.members) for piece in slices]
        size = (max(r - x for x, _, r, _ in boxes), max(b - y for _, y, _, b in boxes))
        size = (size[0] + size[0] % 2, size[1] + size[1] % 2)
        switched = frames * (_STILL_OVERLAY + _BLEND * size[0] * size[1]) \
            + len(slices) * size[0] * size[1] * _PICTURE
        if len(slices) > 1 and switched < still:
            return _switched(graph, pad, slices, boxes,
                             _sequence(graph, _pictures(sprites, slices, boxes, size)), base)
    return _laned(graph, pad, overlays, sprites, frames, stream_base)


def _laned(graph: FilterGraph, pad: str, overlays: Sequence[Overlay], sprites: Sequence[Sprite],
           frames: float, stream_base: Callable[[], Fraction | None]) -> str:
    """Still overlays, or [lanes][evidence_annotate.render.lanes]: ONE overlay each.

    A lane is only taken where the overlays it saves cost more than cutting its pictures.
    """
    images = [_even(sprite.image) for sprite in sprites]
    windows = [window_of(overlay) for overlay in overlays]
    chosen = lanes(windows, [image.size for image in images],
                   [(sprite.x, sprite.y, sprite.x + image.width, sprite.y + image.height)
                    for sprite, image in zip(sprites, images, strict=True)])
    groups: list[list[int]] = [[] for _ in range(max(chosen, default=-1) + 1)]
    for index in sorted(range(len(chosen)), key=lambda i: windows[i][0]):
        groups[chosen[index]].append(index)
    worth = [len(members) > 1 and (len(members) - 1) * frames * _STILL_OVERLAY
             > len(members) * _LANE_PICTURE for members in groups]
    time_base = stream_base() if any(worth) else None
    wanted = [members for members, laned in zip(groups, worth, strict=True) if laned] \
        if time_base is not None else []
    sources, taken = atlas_sources(graph, images, "atlas", wanted)
    lane_of = {lane.members: lane for lane in taken}
    for members in groups:
        lane = lane_of.get(tuple(members))
        if lane is not None and time_base is not None:
            pad = _switched(graph, pad, [Slice(*windows[i], (i,)) for i in members],
                            [(sprites[i].x, sprites[i].y, 0, 0) for i in members],
                            _lane_source(graph, lane, images[members[0]].size), time_base)
            continue
        for i in members:
            pad = _still(graph, pad, sources[i], sprites[i].x, sprites[i].y,
                         enable_expr(overlays[i].span))
    return pad


def _even(image: Image.Image) -> Image.Image:
    """The picture with even sides: what ``_picture`` makes of it alone, only faster.

    The added column or row takes the colour of the edge beside it and is clear.
    """
    if not (image.width % 2 or image.height % 2):
        return image
    pixels = np.asarray(image if image.mode == "RGBA" else image.convert("RGBA"))
    grown = np.pad(pixels, ((0, image.height % 2), (0, image.width % 2), (0, 0)), mode="edge")
    grown[image.height:, :, 3] = 0
    grown[:, image.width:, 3] = 0
    return Image.fromarray(grown)


def _still(graph: FilterGraph, pad: str, source: str, x: int, y: int, enable: str) -> str:
    out = graph.label("v")
    graph.add([pad, source], f"overlay=x={x}:y={y}:eof_action=repeat{enable}", [out])
    return out


def _union(rects: Sequence[_Box], members: Sequence[int]) -> _Box:
    if len(members) == 1:
        return rects[members[0]]
    return (even_down(min(rects[i][0] for i in members)),
            even_down(min(rects[i][1] for i in members)),
            max(rects[i][2] for i in members), max(rects[i][3] for i in members))


def _pictures(sprites: Sequence[Sprite], slices: Sequence[Slice], boxes: Sequence[_Box],
              size: tuple[int, int]) -> list[Image.Image]:
    """One picture of ``size`` per slice: its sprites pasted in plan order from its box."""
    made: dict[tuple[int, ...], Image.Image] = {}
    for piece, (left, top, _, _) in zip(slices, boxes, strict=False):
        if piece.members not in made:
            made[piece.members] = _picture([sprites[i] for i in piece.members], left, top, size)
    return [made[piece.members] for piece in slices]


def _picture(sprites: Sequence[Sprite], left: int, top: int,
             size: tuple[int, int]) -> Image.Image:
    """Sprites pasted (``alpha_composite``, as previews paste them) on a clear picture.

    ffmpeg converts a picture to 4:2:0 before blending it, averaging colour across
    neighbouring pixels; so pictures have even sizes (an odd one gets its colour resampled
    off the pixel grid) and the clear pixels around each sprite take the colour of its
    nearest edge pixel, as a sprite's edges are replicated when it is converted on its own.
    """
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    for sprite in sprites:
        image = sprite.image if sprite.image.mode == "RGBA" else sprite.image.convert("RGBA")
        canvas.alpha_composite(image, (sprite.x - left, sprite.y - top))
    pixels = np.array(canvas)
    clear = pixels[..., 3] == 0
    for sprite in sprites:
        rgb = np.asarray(sprite.image.convert("RGBA"))[..., :3]
        x, y = sprite.x - left - _BLEED, sprite.y - top - _BLEED
        grown = np.pad(rgb, ((_BLEED, _BLEED), (_BLEED, _BLEED), (0, 0)), mode="edge")
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(size[0], x + grown.shape[1]), min(size[1], y + grown.shape[0])
        if x1 <= x0 or y1 <= y0:
            continue
        inside = grown[y0 - y:y1 - y, x0 - x:x1 - x]
        where = clear[y0:y1, x0:x1]
        pixels[y0:y1, x0:x1, :3][where] = inside[where]
    return Image.fromarray(pixels)


def _sequence(graph: FilterGraph, pictures: Sequence[Image.Image]) -> Callable[[list[int]], str]:
    """The pictures of the kept slices as an image sequence, then a clear one."""
    def source(kept: list[int]) -> str:
        clear = Image.new("RGBA", pictures[0].size, (0, 0, 0, 0))
        return graph.sequence([*(pictures[i] for i in kept), clear], "slices")
    return source


def _lane_source(graph: FilterGraph, lane: Lane, size: tuple[int, int]) -> Callable[[list[int]],
                                                                                    str]:
    """The lane's kept pictures cut in turn from its atlas page, then the last one again."""
    def source(kept: list[int]) -> str:
        bounds = [k - 0.5 for k in range(1, len(kept))]
        x = piecewise(bounds, [str(lane.places[k].x) for k in kept], var="n")
        y = piecewise(bounds, [str(lane.places[k].y) for k in kept], var="n")
        out = graph.label("l")
        graph.add([lane.pad], f"loop=loop={len(kept)}:size=1:start=0,"
                  f"crop=w={size[0]}:h={size[1]}:x='{x}':y='{y}'", [out])
        return out
    return source


def _switched(graph: FilterGraph, pad: str, slices: Sequence[Slice], boxes: Sequence[_Box],
              source: Callable[[list[int]], str], time_base: Fraction) -> str:
    """ONE overlay of a picture sequence, each picture from the first frame of its slice.

    ``source`` gives the stream of the kept slices' pictures and one more frame, which is
    stamped far past the end: the overlay always knows which picture comes next, so it never
    waits for the end of the sequence (and drops no final frame).
    """
    stamps = [0 if piece.start == -math.inf else first_pts(piece.start, time_base)
              for piece in slices]
    kept = [i for i in range(len(slices))  # a slice between two frames shows on none
            if i + 1 == len(slices) or stamps[i] != stamps[i + 1]]
    stream = source(kept)
    sprite = graph.label("s")
    timeline = piecewise([i - 0.5 for i in range(1, len(kept) + 1)],
                         [*(str(stamps[i]) for i in kept), str(_NEVER)], var="N")
    graph.add([stream], f"settb={time_base.numerator}/{time_base.denominator},"
              f"setpts='{timeline}'", [sprite])
    starts = [slices[i].start for i in kept[1:]]
    x = piecewise(starts, [str(boxes[i][0]) for i in kept])
    y = piecewise(starts, [str(boxes[i][1]) for i in kept])
    bounds: list[float] = []
    values = ["0"]
    for piece in slices:
        if piece.start == -math.inf:
            values[-1] = "1"
        elif bounds and bounds[-1] == piece.start:
            values[-1] = "1"  # abuts the previous slice
        else:
            bounds += [piece.start]
            values += ["1"]
        if piece.end is not None:
            bounds += [piece.end]
            values += ["0"]
    enable = piecewise(bounds, values)
    option = "" if enable == "1" else f":enable='{enable}'"
    out = graph.label("v")
    # pass: the sequence never ends before the footage (its last frame is far past the
    # end), and the footage is not copied on every frame in case a picture comes early
    graph.add([pad, sprite], f"overlay=x='{x}':y='{y}':{PASS}{option}", [out])
    return out

