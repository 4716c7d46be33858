"""The ``clock`` kind: frame-accurate source timecode and the recording's wall-clock time."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.overlays.base import Context
from evidence_annotate.overlays.clock import Clock, _wall_clock
from helpers import decode_frames

FAST: dict[str, Any] = {"crf": 12, "speed": "ultrafast", "progress": False, "manifest": False}


@pytest.fixture(scope="module")
def dated_clip(media_dir: Path) -> Path:
    """2 s, 25 fps, recorded (says its tag) on 2026-11-20 at 10:00:00 UTC."""
    path = media_dir / "dated_clock.mp4"
    if not path.exists():
        ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=320x240:r=25:d=2", "-c:v", "libx264",
               "-preset", "ultrafast", "-pix_fmt", "yuv420p",
               "-metadata", "creation_time=2026-11-20T10:00:00.000000Z", str(path))
    return path


def _region(image: np.ndarray, clock: Clock) -> np.ndarray:
    (x0, y0, x1, y1), _ = clock._layout((image.shape[1], image.shape[0]))
    return image[y0:y1 + 1, x0:x1 + 1].astype(int)


@pytest.mark.parametrize(("t", "text"), [
    (0.0, "00:00:00.000"), (0.04, "00:00:00.040"), (62.5, "00:01:02.500"),
    (3600 + 61.0012, "01:01:01.001"), (0.0125, "00:00:00.013"), (1 / 30 * 29, "00:00:00.967"),
])
def test_timecode_text(t: float, text: str) -> None:
    assert Clock.create(Context((320, 240), 9e9)).lines(t) == (text,)


@pytest.mark.parametrize(("tag", "wall"), [
    ("2026-11-20T10:00:00.000000Z", "2026-11-20T10:00:00"),
    ("2026-11-20T11:00:00+0100", "2026-11-20T11:00:00"),        # iPhone: local time and offset
    ("2026-11-20T11:00:00.123+01:00", "2026-11-20T11:00:00"),
    ("yesterday", None), ("", None), (None, None),
])
def test_capture_tags_become_local_wall_clock(tag: str | None, wall: str | None) -> None:
    assert _wall_clock(tag) == wall


def test_every_exported_frame_shows_its_own_time(dated_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(dated_clip).clock("top-left", size=20)
    (clock,) = ev.layers
    assert isinstance(clock, Clock) and clock.captured == "2026-11-20T10:00:00"
    result = ev.export(tmp_path / "clock.mp4", **FAST)
    regions = []
    for t, frame in list(decode_frames(result.path))[::7]:
        exported = _region(frame, clock)
        previewed = _region(np.asarray(ev.preview(t)), clock)
        assert np.abs(exported - previewed).mean() < 8, t      # same digits in the same place
        regions.append(exported)
    assert all(np.abs(a - b).mean() > 1 for a, b in itertools.pairwise(regions))


def test_cut_shows_as_a_jump_in_the_clock(dated_clip: Path) -> None:
    ev = ea.open(dated_clip).clock().cut([(0.5, 1.5)])
    (clock,) = ev.layers
    assert isinstance(clock, Clock)
    before, after = ev.timeline.to_source(0.48), ev.timeline.to_source(0.52)
    assert before is not None and after is not None
    assert clock.lines(before)[0] == "00:00:00.480" and clock.lines(after)[0] == "00:00:01.520"
    assert clock.lines(after)[1] == "2026-11-20 10:00:01"


def test_date_can_be_left_out_and_is_absent_without_a_tag(dated_clip: Path,
                                                          gray_clip: Path) -> None:
    (without,) = ea.open(dated_clip).clock(date=False).layers
    (untagged,) = ea.open(gray_clip).clock().layers
    assert isinstance(without, Clock) and len(without.lines(1.0)) == 1
    assert isinstance(untagged, Clock) and untagged.captured is None


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"corner": "middle"}, "corner='middle' is not a corner"),
    ({"size": 2}, "size=2 must be a whole number"),
    ({"size": 10**6}, "from 8 to 200"),
    ({"date": "yes"}, "date='yes' must be True or False"),
    ({"color": "nope"}, "color: unknown colour"),
])
def test_bad_arguments_say_what_to_do(gray_clip: Path, kwargs: dict[str, object],
                                      message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ea.open(gray_clip).clock(**kwargs)
