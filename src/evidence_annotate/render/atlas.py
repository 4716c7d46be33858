"""Still pictures of the export graph packed into a few atlas inputs, converted once.

Every still overlay used to be its own input: ffmpeg then reads, decodes and converts each
picture on its own (a conversion filter per picture, about 1 MiB each), and each
``overlay`` copied the first frames of the footage while its picture's end was not yet
known (another 1.5 MiB each). 1,000 annotations took 2.2 GB. Here pictures are packed on a
few large atlas pictures (shelf packing, each picture surrounded by a copy of its own edge
so colour is resampled from the same neighbours as alone), each atlas is ONE input
converted ONCE to ``yuva420p`` and stamped before the footage's first frame (so every
``overlay`` knows at once that its picture never changes and never copies a frame for it),
then ``split`` and one ``crop`` per distinct picture (which only points into the atlas),
split again to every overlay that shows it. Few filters matter: ffmpeg looks through all of
a graph's filters each time one of them runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..filtergraph import FilterGraph

__all__ = ["PAGE", "Lane", "Place", "atlas_sources", "pack"]

PAGE = 4096
"""Largest side of an atlas page (a wider picture gets a page of its own width)."""
_EDGE = 4  # pixels of each picture's edge repeated around it
_EARLY = "setpts=PTS-1000000/TB"  # before any footage: the overlay sees its EOF at once


@dataclass(frozen=True)
class Lane:
    """Pictures shown in turn from one stream: their atlas page's pad and their places."""

    pad: str
    members: tuple[int, ...]
    places: tuple[Place, ...]


@dataclass(frozen=True)
class Place:
    """Where a picture sits: its atlas page and its top-left corner there."""

    page: int
    x: int
    y: int


def pack(sizes: Sequence[tuple[int, int]], page: int = PAGE) -> tuple[list[Place],
                                                                      list[tuple[int, int]]]:
    """Shelf-pack even-sized pictures with an edge margin; return places and page sizes.

    Pictures are placed tallest first on shelves of at most ``page`` pixels each way;
    corners are even (4:2:0 colour belongs to 2x2 pixel blocks).

    Example:
        >>> places, pages = pack([(100, 50), (60, 80)])
        >>> places
        [Place(page=0, x=72, y=4), Place(page=0, x=4, y=4)]
        >>> pages
        [(176, 88)]
    """
    margin = 2 * _EDGE
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i][1], -sizes[i][0]))
    places: list[Place | None] = [None] * len(sizes)
    pages: list[tuple[int, int]] = []
    x = y = shelf = width = 0
    for index in order:
        w, h = sizes[index][0] + margin, sizes[index][1] + margin
        if pages and x + w > max(page, w):  # next shelf
            x, y, shelf = 0, y + shelf, 0
        if not pages or y + h > max(page, h):  # next page
            if pages:
                pages[-1] = (width, y)
            pages.append((0, 0))
            x = y = shelf = width = 0
        places[index] = Place(len(pages) - 1, x + _EDGE, y + _EDGE)
        x += w
        shelf, width = max(shelf, h), max(width, x)
    if pages:
        pages[-1] = (width, y + shelf)
    return [place for place in places if place is not None], pages


def _page(images: Sequence[Image.Image], places: Sequence[Place], number: int,
          size: tuple[int, int]) -> Image.Image:
    pixels = np.zeros((size[1], size[0], 4), np.uint8)
    for image, place in zip(images, places, strict=True):
        if place.page != number:
            continue
        rgba = np.asarray(image if image.mode == "RGBA" else image.convert("RGBA"))
        grown = np.pad(rgba, ((_EDGE, _EDGE), (_EDGE, _EDGE), (0, 0)), mode="edge")
        top, left = place.y - _EDGE, place.x - _EDGE
        pixels[top:top + grown.shape[0], left:left + grown.shape[1]] = grown
    return Image.fromarray(pixels)


def atlas_sources(graph: FilterGraph, images: Iterable[Image.Image], stem: str,
                  lanes: Sequence[Sequence[int]] = ()) -> tuple[list[str], list[Lane]]:
    """One stream pad per picture (even-sized), cut from atlas inputs; in ``images`` order.

    Args:
        graph: The graph being built.
        images: Pictures with even sides (read once; only distinct ones are kept).
        stem: The file name stem of the atlas pictures in the work folder.
        lanes: Groups of picture indices (of one size) that the caller shows in turn from
            ONE stream: for each, the pad of its atlas page and where its pictures are on it
            instead of a pad per picture ("" in the first list). A group whose pictures
            landed on several pages is not one: they get pads of their own.

    Returns:
        The pad of each picture, and the lanes taken.

    Raises:
        ValueError: A picture has an odd side.
    """
    unique: dict[tuple[str, tuple[int, int], bytes], int] = {}
    distinct: list[Image.Image] = []
    which = []
    for image in images:  # repeated labels and shapes are packed once
        if image.width % 2 or image.height % 2:
            raise ValueError(f"atlas picture of {image.width}x{image.height}: sides must be "
                             "even (4:2:0 colour covers 2x2 pixels)")
        digest = hashlib.blake2b(image.tobytes(), digest_size=20).digest()
        number = unique.setdefault((image.mode, image.size, digest), len(distinct))
        if number == len(distinct):
            distinct.append(image)
        which.append(number)
    places, pages = pack([image.size for image in distinct])
    taken = [group for group in lanes
             if len({places[which[i]].page for i in group}) == 1 and len(group) > 1]
    laned = {i for group in taken for i in group}
    uses: list[list[int]] = [[] for _ in distinct]
    for index, number in enumerate(which):
        if index not in laned:
            uses[number].append(index)
    result = [""] * len(which)
    found: list[Lane] = []
    for page, size in enumerate(pages):
        on_page = [n for n in range(len(distinct)) if places[n].page == page and uses[n]]
        here = [group for group in taken if places[which[group[0]]].page == page]
        if not on_page and not here:
            continue
        source = graph.image(_page(distinct, places, page, size), stem)
        cuts = [graph.label("a") for _ in range(len(on_page) + len(here))]
        fan = f",split={len(cuts)}" if len(cuts) > 1 else ""
        graph.add([source], f"{_EARLY},format=yuva420p{fan}", cuts)
        for group, cut in zip(here, cuts[len(on_page):], strict=True):
            found.append(Lane(cut, tuple(group), tuple(places[which[i]] for i in group)))
        for number, cut in zip(on_page, cuts[:len(on_page)], strict=True):
            # one crop per distinct picture, then one split to every overlay showing it
            place, (width, height) = places[number], distinct[number].size
            outs = [graph.label("p") for _ in uses[number]]
            fan = f",split={len(outs)}" if len(outs) > 1 else ""
            graph.add([cut], f"crop={width}:{height}:{place.x}:{place.y}{fan}", outs)
            for index, out in zip(uses[number], outs, strict=True):
                result[index] = out
    return result, found
