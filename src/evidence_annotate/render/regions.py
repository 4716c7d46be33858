"""Footage regions in the export graph: one chain per track instead of one per region.

Kinds that change a region of the footage (blur) add a chain each: a gated branch of the
footage and an ``overlay`` that runs on every frame, enabled or not. Regions of the same
[switch_key][evidence_annotate.overlays.base.Overlay.switch_key] whose windows never overlap
can share ONE chain whose position follows ``t``
([piecewise][evidence_annotate.render.slices.piecewise] expressions that change on exactly
the frames the ``enable`` windows change), so the graph holds as many chains as regions
showing at once, not as many as the plan holds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..filtergraph import FilterGraph
from ..overlays.base import Overlay
from .lanes import Window, lanes, window_of
from .slices import piecewise

__all__ = ["region_chains"]

def region_chains(graph: FilterGraph, pad: str, overlays: Sequence[Overlay],
                  frame: tuple[int, int]) -> str:
    """Add a run of one stage's switchable overlays (plan order); return the new video pad."""
    windows = [window_of(overlay) for overlay in overlays]
    chosen = lanes(windows, [overlay.switch_key() for overlay in overlays])
    for track in range(max(chosen, default=-1) + 1):
        members = sorted((i for i, t in enumerate(chosen) if t == track),
                         key=lambda i: windows[i][0])
        if len(members) == 1:
            pad = overlays[members[0]].chain(graph, pad, frame)
            continue
        spans = [windows[i] for i in members]

        def place(values: Sequence[str], spans: Sequence[Window] = spans) -> str:
            if values:
                return piecewise([start for start, _ in spans[1:]], list(values))
            return window_expression(spans)

        first = overlays[members[0]]
        pad = type(first).chain_switched(graph, pad, [overlays[i] for i in members], place)
    return pad


def window_expression(spans: Sequence[Window]) -> str:
    """An expression of ``t``: 1 inside any of ``spans`` (in time order, apart), else 0.

    Example:
        >>> window_expression([(-math.inf, 1.0), (1.0, 2.0), (3.0, None)])
        'if(lt(t,2),1,if(lt(t,3),0,1))'
    """
    bounds: list[float] = []
    values = ["0"]
    for start, end in spans:
        if start == -math.inf or (bounds and bounds[-1] == start):
            values[-1] = "1"
        else:
            bounds.append(start)
            values.append("1")
        if end is not None:
            bounds.append(end)
            values.append("0")
    return piecewise(bounds, values)
