"""Linking detector boxes into few, steady chains without losing any sighting."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from evidence_annotate.vision.chains import Chain, drop_covered, join, smooth
from evidence_annotate.vision.detect import Box

boxes = st.tuples(st.floats(0, 300), st.floats(0, 200), st.floats(4, 80),
                  st.floats(4, 60)).map(lambda v: (v[0], v[1], v[0] + v[2], v[1] + v[3], 0.9))


@st.composite
def chains(draw: st.DrawFn) -> list[Chain]:
    out = []
    for _ in range(draw(st.integers(1, 6))):
        start, count = draw(st.integers(0, 40)), draw(st.integers(1, 8))
        out.append([((start + i) * 0.25, draw(boxes)) for i in range(count)])
    return out


def _sightings(found: list[Chain]) -> list[tuple[float, Box]]:
    return sorted(item for chain in found for item in chain)


@given(chains(), st.floats(0, 3))
def test_joining_keeps_every_sighting_in_time_order(found: list[Chain], reach: float) -> None:
    joined = join(found, reach)
    assert _sightings(joined) == _sightings(found)
    assert len(joined) <= len(found)
    for chain in joined:
        times = [t for t, _ in chain]
        assert times == sorted(times) and len(set(times)) == len(times)


def test_a_chain_seen_again_after_a_miss_is_one_chain() -> None:
    a = [(0.0, (10.0, 10.0, 50.0, 30.0, 0.9)), (0.25, (14.0, 10.0, 54.0, 30.0, 0.9))]
    b = [(1.25, (30.0, 12.0, 70.0, 32.0, 0.8))]
    far = [(1.25, (200.0, 150.0, 240.0, 170.0, 0.8))]
    assert [len(c) for c in join([a, b, far], reach=1.25)] == [3, 1]
    assert len(join([a, b], reach=0.5)) == 2


@given(chains())
def test_a_dropped_chain_is_inside_a_kept_one_at_every_sample(found: list[Chain]) -> None:
    kept = drop_covered(found)
    assert kept
    for chain in found:
        if chain in kept:
            continue
        for t, box in chain:
            assert any(dict(other).get(t) is not None
                       and dict(other)[t][0] - 1 <= box[0] and dict(other)[t][1] - 1 <= box[1]
                       and box[2] <= dict(other)[t][2] + 1 and box[3] <= dict(other)[t][3] + 1
                       for other in kept)


@given(chains())
def test_a_smoothed_box_holds_the_box_it_came_from(found: list[Chain]) -> None:
    for chain in found:
        smoothed = smooth(chain)
        assert [t for t, _ in smoothed] == [t for t, _ in chain]
        for (_, a), (_, b) in zip(chain, smoothed, strict=True):
            assert b[0] <= a[0] + 1e-6 and b[1] <= a[1] + 1e-6
            assert b[2] >= a[2] - 1e-6 and b[3] >= a[3] - 1e-6


def test_smoothing_removes_jitter() -> None:
    chain = [(i * 0.25, (100.0 + 4 * (-1) ** i, 50.0, 140.0 + 4 * (-1) ** i, 80.0, 0.9))
             for i in range(8)]
    centres = [(b[0] + b[2]) / 2 for _, b in smooth(chain)[1:-1]]
    assert max(centres) - min(centres) < 1e-6
