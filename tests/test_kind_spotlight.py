"""The ``spotlight`` kind: the region stays bright, the rest is dimmed, annotations stay bright."""

from __future__ import annotations

from pathlib import Path

import pytest

import evidence_annotate as ea
from helpers import GRAY, close, frame_at, pixel

RED = (255, 42, 42)


def test_outside_is_dimmed_inside_is_not_and_a_box_on_top_stays_bright(
        gray_clip: Path, tmp_path: Path) -> None:
    ev = (ea.open(gray_clip).box((100, 60, 120, 80), start=1.0, end=3.0, thickness=6)
          .spotlight((100, 60, 120, 80), start=1.0, end=3.0, dim=0.5))
    result = ev.export(tmp_path / "spot.mp4", speed="ultrafast", crf=12, progress=False)
    frame = frame_at(result.path, 2.0)
    assert close(pixel(frame, 160, 100), GRAY, 10)         # the hole: untouched
    assert close(pixel(frame, 20, 20), (64, 64, 64), 12)   # outside: half as bright
    assert close(pixel(frame, 96, 100), RED, 50)           # the box (added first) is on top
    assert close(pixel(frame_at(result.path, 0.5), 20, 20), GRAY, 10)
    assert close(pixel(frame_at(result.path, 3.5), 20, 20), GRAY, 10)


def test_privacy_blur_still_applies_under_the_spotlight(testsrc_clip: Path) -> None:
    ev = ea.open(testsrc_clip).spotlight((0, 0, 160, 120)).blur((0, 0, 160, 120), method="fill")
    assert close(pixel(ev.preview(1.0), 80, 60), (24, 24, 24), 4)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"dim": 1.5}, r"dim=1.5 must be a number in \[0, 0.95\]"),
    ({"dim": float("nan")}, "dim=nan"),
    ({"shape": "star"}, "shape='star' is not a spotlight shape"),
    ({"feather": -1}, "feather=-1"),
    ({"color": "nope"}, "color: unknown colour"),
])
def test_bad_arguments_say_what_to_do(gray_clip: Path, kwargs: dict[str, object],
                                      message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ea.open(gray_clip).spotlight((10, 10, 50, 50), **kwargs)
