from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence_annotate.colors import Color
from evidence_annotate.geometry import Point, Rect, rel, resolve_point, resolve_rect
from evidence_annotate.timing import format_time, parse_time


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(0, 0.0), (2.5, 2.5), ("2.5", 2.5), (".5", 0.5), ("01:02.5", 62.5), ("1:02", 62.0),
     ("0:01:02.250", 62.25), ("1:00:00", 3600.0), (" 3 ", 3.0)],
)
def test_parse_time(value: float | str, seconds: float) -> None:
    assert parse_time(value) == pytest.approx(seconds)


@pytest.mark.parametrize("value", [-1, "-1", "abc", "1:2:3:4", "", float("nan"), float("inf"),
                                   True, "1:60:00", "1,5"])
def test_parse_time_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="start"):
        parse_time(value, name="start")  # type: ignore[arg-type]


@given(st.floats(min_value=0, max_value=86_000, allow_nan=False))
def test_format_then_parse_round_trips_to_the_millisecond(seconds: float) -> None:
    assert parse_time(format_time(seconds)) == pytest.approx(seconds, abs=0.0006)


def test_rel_resolves_against_the_displayed_frame() -> None:
    assert resolve_rect(rel(0.5, 0.25, 0.25, 0.5), (1080, 1920)) == Rect(540, 480, 270, 960)
    assert resolve_point(rel(1.0, 1.0), (1080, 1920)) == Point(1080, 1920)


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1),
       st.integers(16, 4000), st.integers(16, 4000))
def test_rel_rect_always_fits_the_frame(x: float, y: float, w: float, h: float,
                                        fw: int, fh: int) -> None:
    w, h = min(w, 1 - x), min(h, 1 - y)
    if round((x + w) * fw) - round(x * fw) < 1 or round((y + h) * fh) - round(y * fh) < 1:
        with pytest.raises(ValueError, match="at least 1 pixel"):
            resolve_rect(rel(x, y, w, h), (fw, fh))
        return
    r = resolve_rect(rel(x, y, w, h), (fw, fh))
    assert r.x >= 0 and r.y >= 0 and r.right <= fw and r.bottom <= fh and r.w >= 1 and r.h >= 1


@pytest.mark.parametrize(
    ("rect", "message"),
    [((0, 0, 0, 10), "at least 1 pixel"), ((-1, 0, 10, 10), "above or left"),
     ((100, 0, 30, 10), "x \\+ w = 130 exceeds the frame width 120"),
     ((0, 90, 10, 20), "y \\+ h = 110 exceeds the frame height 100"),
     ((1, 2, 3), "expected 4 numbers"), ("abcd", "expected 4 numbers"),
     ((1, 2, 3, float("nan")), "expected 4 numbers")],
)
def test_resolve_rect_errors_name_the_value_and_limit(rect: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_rect(rect, (120, 100))  # type: ignore[arg-type]


def test_rel_rejects_out_of_range_and_wrong_arity() -> None:
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        rel(0.5, 1.5)
    with pytest.raises(ValueError, match="2 values"):
        rel(0.1, 0.2, 0.3)
    with pytest.raises(ValueError, match="is a point"):
        resolve_rect(rel(0.1, 0.2), (10, 10))


@pytest.mark.parametrize(
    ("value", "rgba"),
    [("red", (255, 0, 0, 255)), ("#0f0", (0, 255, 0, 255)), ("#0000ff80", (0, 0, 255, 128)),
     ((1, 2, 3), (1, 2, 3, 255)), ((1, 2, 3, 4), (1, 2, 3, 4)), (" Yellow ", (255, 255, 0, 255))],
)
def test_colors(value: object, rgba: tuple[int, int, int, int]) -> None:
    assert Color.parse(value).rgba == rgba  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["reddish", "#12345", "#gg0000", (1, 2), (300, 0, 0), 12])
def test_bad_colors(value: object) -> None:
    with pytest.raises(ValueError, match=r"colou?r"):
        Color.parse(value)  # type: ignore[arg-type]


@given(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255), st.integers(0, 255))
def test_hex_round_trip(r: int, g: int, b: int, a: int) -> None:
    color = Color(r, g, b, a)
    assert Color.parse(color.hex) == color
