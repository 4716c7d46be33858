"""Chains of detector boxes over samples: joined across gaps, pruned, and smoothed.

A chain is the boxes one object was seen with, ``[(t, box), ...]`` in time order. Every
chain becomes a blurred region with its own crop and overlay in the export, and every
region that appears, moves or changes size costs the encoder, so chains are made as few
and as steady as recall allows:

* [join][] links chains of one object separated by a gap no longer than ``reach``;
* [drop_covered][] removes a chain only when, at every sample it was seen in, its box lies
  inside a box of another chain (that region hides it anyway);
* [smooth][] averages each centre with its neighbours' (detector jitter of a few pixels,
  not motion, is what it removes) while every smoothed box still holds the box it came
  from.

Example:
    >>> a = [(0.0, (0.0, 0.0, 10.0, 10.0, 0.9)), (0.25, (2.0, 0.0, 12.0, 10.0, 0.9))]
    >>> b = [(1.0, (6.0, 0.0, 16.0, 10.0, 0.8))]
    >>> [len(chain) for chain in join([a, b], reach=1.0)]
    [3]
"""

from __future__ import annotations

from collections.abc import Sequence

from .detect import Box

__all__ = ["Chain", "alike", "drop_covered", "join", "near", "smooth"]

Chain = list[tuple[float, Box]]
"""``[(t, box), ...]``: the boxes one object was seen with, in time order."""


def alike(a: Box, b: Box, ratio: float = 1.6) -> bool:
    """Whether two boxes are of a similar size (neither side ``ratio`` times the other)."""
    sides = ((a[2] - a[0], b[2] - b[0]), (a[3] - a[1], b[3] - b[1]))
    return all(max(p, q) <= ratio * max(1e-6, min(p, q)) for p, q in sides)


def near(a: Box, b: Box, slack: float = 1.0) -> bool:
    """Whether the centres are closer than ``slack`` times the larger box's half size."""
    reach = slack * max(a[2] - a[0], a[3] - a[1], b[2] - b[0], b[3] - b[1]) / 2
    dx, dy = (a[0] + a[2] - b[0] - b[2]) / 2, (a[1] + a[3] - b[1] - b[3]) / 2
    return dx * dx + dy * dy < reach * reach


def join(chains: Sequence[Chain], reach: float, slack: float = 1.5) -> list[Chain]:
    """Link chains of one object across gaps up to ``reach`` seconds.

    A chain continues an earlier one that ended before it started, within ``reach``, with
    a box of a similar size whose centre is within ``slack`` half sizes of where it was last
    seen. The earlier chain that ended last wins.
    """
    out: list[Chain] = []
    for chain in sorted(chains, key=lambda c: c[0][0]):
        t, box = chain[0]
        best = None
        for index, earlier in enumerate(out):
            last_t, last = earlier[-1]
            if (last_t < t <= last_t + reach + 1e-6 and alike(box, last)
                    and near(box, last, slack)
                    and (best is None or last_t > out[best][-1][0])):
                best = index
        if best is None:
            out.append(list(chain))
        else:
            out[best] = out[best] + list(chain)
    return sorted(out, key=lambda c: c[0][0])


def _inside(a: Box, b: Box, margin: float) -> bool:
    return (a[0] >= b[0] - margin and a[1] >= b[1] - margin and a[2] <= b[2] + margin
            and a[3] <= b[3] + margin)


def drop_covered(chains: Sequence[Chain], margin: float = 1.0) -> list[Chain]:
    """The chains without those hidden by another at every sample they were seen in.

    A chain goes only if, at each of its samples, its box lies within ``margin`` pixels
    inside the box another remaining chain was seen with at that same sample. Longer
    chains are kept first, so of two equal boxes one stays.
    """
    kept: list[Chain] = []
    order = sorted(range(len(chains)), key=lambda i: -len(chains[i]))
    for index in order:
        chain = chains[index]
        others = [dict(other) for other in kept]
        if not all(any(t in other and _inside(box, other[t], margin) for other in others)
                   for t, box in chain):
            kept.append(chain)
    return sorted(kept, key=lambda c: c[0][0])


def smooth(chain: Chain) -> Chain:
    """Centres averaged ``1:2:1`` with the neighbours' (same gap only), boxes grown to hold.

    Each smoothed box keeps the original's size and is grown by how far its centre moved,
    so it always holds the box it came from. The ends are kept as they are.
    """
    if len(chain) < 3:
        return list(chain)
    out = [chain[0]]
    for (t0, a), (t, b), (t1, c) in zip(chain, chain[1:], chain[2:], strict=False):
        if abs((t - t0) - (t1 - t)) > 1e-6:
            out.append((t, b))
            continue
        cx = (a[0] + a[2] + 2 * (b[0] + b[2]) + c[0] + c[2]) / 8
        cy = (a[1] + a[3] + 2 * (b[1] + b[3]) + c[1] + c[3]) / 8
        hw = (b[2] - b[0]) / 2 + abs(cx - (b[0] + b[2]) / 2)
        hh = (b[3] - b[1]) / 2 + abs(cy - (b[1] + b[3]) / 2)
        out.append((t, (cx - hw, cy - hh, cx + hw, cy + hh, b[4])))
    out.append(chain[-1])
    return out
