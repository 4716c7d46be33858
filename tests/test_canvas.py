"""A Canvas draws on a picture as large as its shapes: the pixels of a whole-frame drawing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_annotate.drawing.sprite import Canvas
from evidence_annotate.fonts import font_for
from evidence_annotate.geometry import even_down
from helpers import drawn_both_ways, pixels_apart

FRAME = (160, 90)
_X = st.integers(-20, FRAME[0] + 20)
_Y = st.integers(-20, FRAME[1] + 20)
_FX = st.floats(-20, FRAME[0] + 20, allow_nan=False)
_FY = st.floats(-20, FRAME[1] + 20, allow_nan=False)
_INK = st.sampled_from([(255, 0, 0, 255), (0, 255, 255, 200), (0, 0, 0, 0)])


@st.composite
def _calls(draw: st.DrawFn) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
    kind = draw(st.sampled_from(["rectangle", "rounded_rectangle", "ellipse", "line",
                                 "polygon", "text", "point"]))
    ink = draw(_INK)
    if kind in ("rectangle", "rounded_rectangle", "ellipse"):
        x0, y0 = draw(_X), draw(_Y)
        box = (x0, y0, x0 + draw(st.integers(0, 80)), y0 + draw(st.integers(0, 60)))
        options: dict[str, Any] = {"outline": ink, "width": draw(st.integers(1, 9))}
        if draw(st.booleans()):
            options = {"fill": ink}
        if kind == "rounded_rectangle":
            options["radius"] = draw(st.integers(0, 12))
        return kind, (box,), options
    if kind in ("line", "polygon"):
        points = draw(st.lists(st.tuples(_FX, _FY), min_size=3, max_size=6))
        if kind == "line":
            return kind, (points,), {"fill": ink, "width": draw(st.integers(1, 12)),
                                     "joint": draw(st.sampled_from([None, "curve"]))}
        return kind, (points,), {"fill": ink}
    if kind == "point":
        return kind, ((draw(_X), draw(_Y)),), {"fill": ink}
    text = draw(st.sampled_from(["Ab", "Wrong colour", "two\nlines"]))
    return kind, ((draw(_X), draw(_Y)), text), {
        "fill": ink, "font": font_for(text, draw(st.integers(8, 40))),
        "stroke_width": draw(st.integers(0, 3)), "stroke_fill": (0, 0, 0, 255)}


@settings(max_examples=300, deadline=None)
@given(calls=st.lists(_calls(), min_size=0, max_size=5))
def test_canvas_sprite_matches_the_whole_frame_drawing(
        calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> None:
    whole, canvas = drawn_both_ways(calls, FRAME)
    sprite = canvas.sprite()
    # Pillow fills a polygon with float corners row by row, rounding where an edge crosses a
    # row; a crossing exactly half way between two pixels can round either way once the
    # shape is moved by whole pixels (the sum differs in its last bit). The Canvas draws
    # moved shapes, so one pixel per such polygon may differ; nothing else may.
    ties = sum(1 for name, _, _ in calls if name == "polygon")
    differ = pixels_apart(sprite, whole)
    assert differ <= ties, (differ, ties)
    box = whole.getbbox(alpha_only=True)
    if box is None:
        assert (sprite.x, sprite.y, sprite.image.size) == (0, 0, (1, 1))
        return
    if differ:
        return
    left, top = even_down(box[0]), even_down(box[1])
    assert (sprite.x, sprite.y) == (left, top)
    assert sprite.image.tobytes() == whole.crop((left, top, box[2], box[3])).tobytes()


def test_a_polygon_moved_by_whole_pixels_may_round_one_tie_differently() -> None:
    """The case that showed it: 1 pixel of a sliver differs between the two drawings."""
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("rectangle", ((12, 0, 12, 0),), {"outline": (255, 0, 0, 255), "width": 1}),
        ("polygon", ([(12.0, 0.0), (111.0, 0.0), (18.0, 22.0)],), {"fill": (255, 0, 0, 255)})]
    whole, canvas = drawn_both_ways(calls, FRAME)
    assert pixels_apart(canvas.sprite(), whole) <= 1


def test_canvas_refuses_what_it_cannot_record() -> None:
    canvas = Canvas(FRAME)
    with pytest.raises(NotImplementedError, match="does not record"):
        canvas.draw.arc((0, 0, 10, 10), 0, 90)
