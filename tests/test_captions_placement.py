"""Captions keep clear of annotations: one placement decision, burned by libass and previewed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pysubs2
import pytest

import evidence_annotate as ea
from evidence_annotate.captions import CaptionStyle, CaptionTrack, Cue
from evidence_annotate.captions.placement import Obstacle, place_cues
from evidence_annotate.geometry import Rect
from evidence_annotate.overlays import Blur, Box
from evidence_annotate.plan import Plan
from evidence_annotate.timing import Span
from helpers import frame_at

FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}
FRAME = (320, 240)
CUE = Cue(1.0, 3.0, ("Cracked lid",))
LOW = Rect(20, 150, 280, 80)
HIGH = Rect(20, 5, 280, 60)


@pytest.mark.parametrize(("style", "obstacles", "expected"), [
    (None, [], False),
    (None, [Obstacle(Span(0.0, 4.0), LOW)], True),
    (None, [Obstacle(Span(0.0, None), LOW)], True),           # open-ended window
    (None, [Obstacle(Span(3.0, 4.0), LOW)], False),           # shown only after the cue
    (None, [Obstacle(Span(0.0, 1.0), LOW)], False),           # gone before the cue
    (None, [Obstacle(Span(0.0, 4.0), HIGH)], False),          # the bottom is free
    (None, [Obstacle(Span(0.0, 4.0), LOW), Obstacle(Span(0.0, 4.0), Rect(0, 0, 320, 240))],
     False),                                                   # covered everywhere: stays
    (None, [Obstacle(Span(0.0, 4.0), LOW), Obstacle(Span(0.0, 4.0), Rect(150, 10, 10, 10))],
     True),                                                    # top less covered
    (CaptionStyle(avoid_overlays=False), [Obstacle(Span(0.0, 4.0), LOW)], False),
    (CaptionStyle(alignment=pysubs2.Alignment.BOTTOM_LEFT), [Obstacle(Span(0.0, 4.0), LOW)],
     False),                                                   # the user's own choice stays
])
def test_placement_table(style: CaptionStyle | None, obstacles: list[Obstacle],
                         expected: bool) -> None:
    assert place_cues([CUE], FRAME, style, obstacles) == (expected,)


def test_drawn_kinds_have_bounds_and_blur_has_none() -> None:
    box = Box(Rect(40, 150, 200, 60), Span(1.0, 2.0))
    bounds = box.bounds(FRAME)
    assert bounds is not None
    assert bounds.x <= 40 and bounds.y <= 150 and bounds.right >= 240 and bounds.bottom >= 210
    assert Blur(Rect(40, 150, 200, 60)).bounds(FRAME) is None
    plan = Plan(layers=(box, Blur(Rect(0, 0, 10, 10))))
    (obstacle,) = plan.caption_obstacles(FRAME)
    assert (obstacle.span, obstacle.rect) == (Span(1.0, 2.0), bounds)
    assert obstacle.ink is not None and len(obstacle.ink) == bounds.w * bounds.h


def test_a_hollow_box_leaves_its_inside_free_for_captions() -> None:
    """Only drawn pixels count: a tall box's two lines cover far less of the caption area
    than a solid callout of the same size at the top."""
    from evidence_annotate.captions.placement import place_cues

    tall = Box(Rect(100, 20, 120, 200), Span(0.0, 5.0))
    solid = Obstacle(Span(0.0, 5.0), Rect(60, 0, 200, 60))  # a filled label at the top
    obstacles = (*Plan(layers=(tall,)).caption_obstacles(FRAME), solid)
    assert place_cues([CUE], FRAME, None, obstacles) == (False,)  # stays at the bottom


def test_moved_cues_use_the_top_style_and_styled_ass_stays() -> None:
    track = CaptionTrack((CUE, Cue(5.0, 6.0, ("later",))))
    document = pysubs2.SSAFile.from_string(
        track.to_ass(320, 240, [Obstacle(Span(0.0, 4.0), LOW)]))
    assert [e.style for e in document.events] == ["Top", "Default"]
    assert document.styles["Top"].alignment == pysubs2.Alignment.TOP_CENTER
    assert document.styles["Top"].fontsize == document.styles["Default"].fontsize
    styled = CaptionTrack((CUE,), styled="[Script Info]\n")
    assert styled.to_ass(320, 240, [Obstacle(Span(0.0, 4.0), LOW)]) == "[Script Info]\n"
    assert styled.placements(FRAME, [Obstacle(Span(0.0, 4.0), LOW)]) == (False,)


def _white(image: np.ndarray, rows: slice) -> int:
    """Caption glyph pixels (near white) in a band of rows; the red box has none."""
    return int((image[rows, :, :].astype(int).min(axis=2) > 200).sum())


@pytest.fixture(scope="module")
def boxed(gray_clip: Path, tmp_path_factory: pytest.TempPathFactory) -> ea.Evidence:
    srt = tmp_path_factory.mktemp("placement") / "c.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:02,000\nCracked lid here\n\n"
                   "2\n00:00:02,500 --> 00:00:03,500\nAfter the box\n", encoding="utf-8")
    # the box covers the bottom of the frame from 0.5 s to 2.2 s only
    return ea.open(gray_clip).box((20, 150, 280, 70), start=0.5, end=2.2).captions(source=srt)


def test_export_and_preview_move_captions_off_the_box(boxed: ea.Evidence,
                                                      tmp_path: Path) -> None:
    result = boxed.export(tmp_path / "placed.mp4", **FAST)
    top, bottom = slice(0, 70), slice(150, 240)
    for image in (frame_at(result.path, 1.5), np.asarray(boxed.preview(1.5))):
        assert _white(image, top) > 30      # the first cue sits at the top ...
        assert _white(image, bottom) == 0    # ... and never over the box
    for image in (frame_at(result.path, 3.0), np.asarray(boxed.preview(3.0))):
        assert _white(image, bottom) > 30   # the box is gone: back at the bottom
        assert _white(image, top) == 0


def test_without_avoidance_captions_cover_the_box(boxed: ea.Evidence, tmp_path: Path) -> None:
    """The bug as it was: with placement off, the caption sits over the box."""
    track = boxed.plan.captions
    assert track is not None
    from dataclasses import replace

    pinned = replace(boxed, plan=replace(boxed.plan, captions=replace(
        track, style=CaptionStyle(avoid_overlays=False))))
    image = np.asarray(pinned.preview(1.5))
    assert _white(image, slice(150, 240)) > 30 and _white(image, slice(0, 70)) == 0
