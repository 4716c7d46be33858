"""The ``magnify`` kind: the region's own footage, enlarged, framed, where it was placed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import evidence_annotate as ea
from conftest import ffmpeg
from helpers import close, frame_at, pixel


@pytest.fixture(scope="module")
def marked_clip(media_dir: Path) -> Path:
    """3 s of gray with a 10x10 red square at (50, 40) and a blue one at (60, 40)."""
    path = media_dir / "marked.mp4"
    if not path.exists():
        ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=320x240:r=25:d=3", "-vf",
               "drawbox=x=50:y=40:w=10:h=10:color=red:t=fill,"
               "drawbox=x=60:y=40:w=10:h=10:color=blue:t=fill",
               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path))
    return path


def test_inset_shows_the_region_enlarged_where_asked(marked_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(marked_clip).magnify((50, 40, 20, 10), at=(200, 150), zoom=4, start=1, end=2)
    (lens,) = ev.layers
    assert lens.inset() == ea.Rect(200, 150, 80, 40)  # type: ignore[attr-defined]
    result = ev.export(tmp_path / "lens.mp4", speed="ultrafast", crf=12, progress=False)
    frame = frame_at(result.path, 1.5)
    assert close(pixel(frame, 220, 170), (255, 0, 0), 60)     # left half: the red square x4
    assert close(pixel(frame, 260, 170), (0, 0, 255), 60)     # right half: the blue one
    assert close(pixel(frame, 55, 45), (255, 0, 0), 60)       # the region itself is untouched
    assert close(pixel(frame_at(result.path, 0.5), 220, 170), (128, 128, 128), 12)
    preview = np.asarray(ev.preview(1.5))
    assert close(pixel(preview, 220, 170), (255, 0, 0), 60)


def test_automatic_placement_avoids_the_region(marked_clip: Path) -> None:
    (near_top_left,) = ea.open(marked_clip).magnify((10, 10, 20, 20)).layers
    (near_bottom_right,) = ea.open(marked_clip).magnify((280, 200, 20, 20)).layers
    assert near_top_left.at.x > 160 and near_top_left.at.y > 120      # type: ignore[attr-defined]
    assert near_bottom_right.at.x < 160 and near_bottom_right.at.y < 120  # type: ignore[attr-defined]


def test_blur_beneath_stays_hidden_in_the_inset(testsrc_clip: Path) -> None:
    ev = (ea.open(testsrc_clip).blur((40, 40, 40, 40), method="fill")
          .magnify((40, 40, 40, 40), at=(200, 120), zoom=2))
    assert close(pixel(ev.preview(1.0), 240, 160), (24, 24, 24), 6)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"zoom": 1.0}, r"zoom=1.0 must be a number in \[1.25, 8\]"),
    ({"zoom": 20}, "zoom=20"),
    ({"rect": (0, 0, 200, 200), "zoom": 2}, r"larger than the 320x240 frame; use zoom <= 1.2"),
    ({"at": (300, 200)}, "outside the 320x240 frame; move it up/left"),
    ({"style": "x"}, "must be an ea.MagnifyStyle"),
])
def test_bad_arguments_say_what_to_do(marked_clip: Path, kwargs: dict[str, object],
                                      message: str) -> None:
    rect = kwargs.pop("rect", (10, 10, 20, 20))
    with pytest.raises(ValueError, match=message):
        ea.open(marked_clip).magnify(rect, **kwargs)
