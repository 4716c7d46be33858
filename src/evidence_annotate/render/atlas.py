"""Many still pictures as ONE ffmpeg input: an atlas, split and cropped back into pictures.

Every input of an ffmpeg command costs memory whatever its size (its demuxer, decoder and
their threads and queues: about 2 MiB each), so a plan with a thousand still sprites made
ffmpeg hold 2.2 GiB. [pack][] pastes the pictures side by side into a few atlases (one input
each) and gives each picture back as a pad: one ``split`` of the atlas, then per picture a
``crop`` in RGBA (exact, no chroma grid) converted on its own (``format=rgba`` then
``format=yuva420p``, as an overlay converts a picture of its own), so the pixels that reach
the overlay are the very ones a separate input would bring.

Example:
    >>> shelves([(30, 20), (50, 10), (40, 40)], 100)
    [(0, 0, 0), (0, 38, 0), (0, 0, 28)]
"""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from ..filtergraph import FilterGraph

__all__ = ["ATLAS_SIDE", "pack", "shelves"]

ATLAS_SIDE = 4096
"""The widest and tallest atlas (larger pictures get an atlas of their own size)."""
_GAP = 8  # even, so every picture starts on the chroma grid of 4:2:0 video


def shelves(sizes: Sequence[tuple[int, int]], side: int) -> list[tuple[int, int, int]]:
    """Place rectangles (even sizes) in rows ("shelves") of at most ``side`` pixels, ``side`` tall.

    Args:
        sizes: ``(width, height)`` of each rectangle, in order.
        side: The widest and tallest atlas.

    Returns:
        ``(atlas, x, y)`` for each rectangle: which atlas and its top-left corner there
        (rectangles wider or taller than ``side`` get an atlas of their own).
    """
    places: list[tuple[int, int, int]] = []
    atlas, x, y, row = 0, 0, 0, 0
    for width, height in sizes:
        if x and x + width > side:  # next shelf
            x, y, row = 0, y + row + _GAP, 0
        if y and y + height > side:  # next atlas
            atlas, x, y, row = atlas + 1, 0, 0, 0
        places.append((atlas, x, y))
        x += width + _GAP
        row = max(row, height)
    return places


def pack(graph: FilterGraph, images: Sequence[Image.Image], stem: str = "atlas") -> list[str]:
    """Write ``images`` (RGBA, even sizes) as atlas inputs; one pad per image, in order."""
    tallest = sorted(range(len(images)), key=lambda i: -images[i].height)  # fuller shelves
    placed = shelves([images[i].size for i in tallest], ATLAS_SIDE)
    places = [placed[0]] * len(images) if images else []
    for rank, i in enumerate(tallest):
        places[i] = placed[rank]
    pads = [""] * len(images)
    for atlas in range(max((place[0] for place in places), default=-1) + 1):
        members = [i for i, place in enumerate(places) if place[0] == atlas]
        width = max(places[i][1] + images[i].width for i in members)
        height = max(places[i][2] + images[i].height for i in members)
        sheet = Image.new("RGBA", (width + width % 2, height + height % 2), (0, 0, 0, 0))
        for i in members:
            sheet.paste(images[i], places[i][1:])
        source = graph.image(sheet, stem, large=True)
        copies = [graph.label("a") for _ in members]
        graph.add([source], f"split={len(members)}" if len(members) > 1 else "null", copies)
        for i, copy in zip(members, copies, strict=False):
            out = graph.label("p")
            x, y = places[i][1:]
            graph.add([copy], f"crop=w={images[i].width}:h={images[i].height}:x={x}:y={y},"
                      "format=rgba,format=yuva420p", [out])
            pads[i] = out
    return pads
