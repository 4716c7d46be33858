"""The ``ellipse`` kind: a ring outside the region, the region itself untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

import evidence_annotate as ea
from helpers import GRAY, close, frame_at, pixel

RED = (255, 42, 42)


def test_ring_lies_outside_the_region_and_leaves_it_clear(gray_clip: Path,
                                                          tmp_path: Path) -> None:
    ev = ea.open(gray_clip).ellipse((100, 60, 120, 80), start=1.0, end=3.0, thickness=6)
    result = ev.export(tmp_path / "ring.mp4", speed="ultrafast", crf=12, progress=False)
    frame = frame_at(result.path, 2.0)
    assert close(pixel(frame, 160, 100), GRAY, 12)          # the centre of the region
    assert close(pixel(frame, 160, 62), GRAY, 12)           # just inside its top edge
    assert close(pixel(frame, 160, 60 - 2 - 3), RED, 50)    # the ring: margin 2, line 6
    assert close(pixel(frame, 100 - 2 - 3, 100), RED, 50)   # left of the region
    assert close(pixel(frame, 102, 62), GRAY, 12)           # the rectangle's corner is not ringed
    assert close(pixel(frame_at(result.path, 0.5), 160, 55), GRAY, 12)   # before its window


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"thickness": 0}, "thickness=0 must be a whole number"),
    ({"thickness": 10**9}, "from 1 to 500"),
    ({"color": "nope"}, "unknown colour"),
    ({"style": "red"}, "must be an ea.EllipseStyle"),
])
def test_bad_arguments_say_what_to_do(gray_clip: Path, kwargs: dict[str, object],
                                      message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ea.open(gray_clip).ellipse((10, 10, 50, 50), **kwargs)
