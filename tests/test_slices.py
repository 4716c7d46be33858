"""Sliced compositing: one overlay switched per time slice shows what one overlay each shows."""

from __future__ import annotations

import contextlib
import itertools
import math
import re
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple
from unittest import mock

import av
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import evidence_annotate as ea
from evidence_annotate.render import sprites
from evidence_annotate.render.slices import cut, first_pts, piecewise, unmerged
from evidence_annotate.render.sprites import STATIC_LIMIT
from helpers import assert_frames_match, graph_luma

LUMA_TOLERANCE = 10
"""Largest brightness difference allowed. A sprite missing, extra or misplaced on a frame
differs by far more; pasting sprites together in RGB and blending once only rounds
differently. (Colour is compared on brightness alone: 4:2:0 video shares one colour between
four pixels, so where sprites meet, it is averaged differently.)"""


def _frame_times(path: Path) -> list[float]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        start = (container.start_time or 0) / 1_000_000
        return [float(frame.time) - start for frame in container.decode(stream)
                if frame.time is not None]


_KINDS = st.sampled_from(["box", "arrow", "text"])
_COLORS = st.sampled_from(["red", "yellow", "#00ffff", "white"])


@st.composite
def _plans(draw: st.DrawFn, clip: Path) -> ea.Evidence:
    ev = ea.open(clip)
    width, height = ev.info.size
    times = _frame_times(clip)
    count = draw(st.integers(STATIC_LIMIT + 1, STATIC_LIMIT + 5))
    for _ in range(count):
        first = draw(st.integers(0, len(times) - 2))
        last = draw(st.integers(first + 1, min(len(times) - 1, first + len(times) // 2)))
        start, end = times[first], times[last]
        if draw(st.booleans()):  # a bound between two frames
            start = (times[first] + times[first + 1]) / 2
        if draw(st.integers(0, 5)) == 0:
            start = 0.0
        x = draw(st.integers(0, width - 60))
        y = draw(st.integers(20, height - 50))
        kind, color = draw(_KINDS), draw(_COLORS)
        if kind == "box":
            ev = ev.box((x, y, 40, 30), start=start, end=end, color=color)
        elif kind == "arrow":
            ev = ev.arrow((x, y), (x + 40, y + 24), start=start, end=end, color=color)
        else:
            ev = ev.text("Ab", at=(x, y), start=start, end=end)
    return ev


@pytest.mark.parametrize("clip_name", ["testsrc_clip", "vfr_clip", "portrait_clip"])
@settings(max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_sliced_graph_shows_what_one_overlay_each_shows(
        clip_name: str, data: st.DataObject, request: pytest.FixtureRequest,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    clip: Path = request.getfixturevalue(clip_name)
    ev = data.draw(_plans(clip))
    assume(len(cut([(o.span.start, o.span.end) for o in ev.plan.layers])) > 1)
    # slice whatever it costs
    sliced, plain = _merged_and_plain(ev, tmp_path_factory.mktemp("sliced"),
                                      _STILL_OVERLAY=1.0)
    assert "setpts='" in sliced.graph  # one switched stream
    assert "setpts='" not in plain.graph
    assert_frames_match(sliced.luma, plain.luma, LUMA_TOLERANCE)


class _Render(NamedTuple):
    luma: np.ndarray
    graph: str


def _merged_and_plain(ev: ea.Evidence, work: Path, **costs: float) -> tuple[_Render, _Render]:
    """The plan's frames as exported (with ``costs`` of [sprites][] patched) and with one
    overlay per annotation, and the graph text of each."""
    with contextlib.ExitStack() as stack:
        for name, value in costs.items():
            stack.enter_context(mock.patch.object(sprites, name, value))
        merged = _Render(graph_luma(ev, work / "merged"),
                         (work / "merged" / "graph.txt").read_text())
    with unmerged():
        plain = _Render(graph_luma(ev, work / "plain"), (work / "plain" / "graph.txt").read_text())
    return merged, plain


def _window(draw: st.DrawFn, times: list[float], longest: int, *,
            between: bool) -> tuple[float, float]:
    """A window from a frame (sometimes the clip's start, or between two frames) to a later
    frame at most ``longest`` frames on."""
    first = draw(st.integers(0, len(times) - 2))
    last = draw(st.integers(first + 1, min(len(times) - 1, first + longest)))
    start = 0.0 if draw(st.integers(0, 5)) == 0 else times[first]
    if between and draw(st.booleans()):
        start = (times[first] + times[first + 1]) / 2
    return start, times[last]


@st.composite
def _lane_plans(draw: st.DrawFn, clip: Path) -> ea.Evidence:
    """Boxes of two sizes, short windows: many take turns, some overlap in time and space."""
    ev = ea.open(clip)
    width, height = ev.info.size
    times = _frame_times(clip)
    for _ in range(draw(st.integers(STATIC_LIMIT + 1, STATIC_LIMIT + 7))):
        start, last = _window(draw, times, len(times) // 4, between=True)
        end = None if draw(st.integers(0, 5)) == 0 else last
        size = draw(st.sampled_from([(40, 30), (30, 40)]))
        x = draw(st.integers(0, (width - 50) // 20)) * 20
        y = draw(st.integers(1, (height - 50) // 20)) * 20
        ev = ev.box((x, y, *size), start=start, end=end, color=draw(_COLORS))
    return ev


@pytest.mark.parametrize("clip_name", ["testsrc_clip", "vfr_clip"])
@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_lanes_show_what_one_overlay_each_shows(
        clip_name: str, data: st.DataObject, request: pytest.FixtureRequest,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Pictures taking turns in one overlay appear on exactly the frames, places and order."""
    clip: Path = request.getfixturevalue(clip_name)
    ev = data.draw(_lane_plans(clip))
    # lanes wherever they form, no slices
    laned, plain = _merged_and_plain(ev, tmp_path_factory.mktemp("lanes"), _LANE_PICTURE=0.0,
                                     _PICTURE=1.0)
    assume("loop=loop" in laned.graph)
    assert "slices" not in laned.graph
    assert_frames_match(laned.luma, plain.luma, LUMA_TOLERANCE)


@st.composite
def _blur_plans(draw: st.DrawFn, clip: Path) -> ea.Evidence:
    ev = ea.open(clip)
    width, height = ev.info.size
    times = _frame_times(clip)
    for _ in range(draw(st.integers(2, 7))):
        start, end = _window(draw, times, len(times) // 3, between=False)
        size = draw(st.sampled_from([(40, 30), (60, 40)]))
        x = draw(st.integers(0, width - size[0]))
        y = draw(st.integers(0, height - size[1]))
        ev = ev.blur((x, y, *size), start=start, end=end,
                     method=draw(st.sampled_from(["gaussian", "pixelate"])))
    return ev


@pytest.mark.parametrize("clip_name", ["testsrc_clip", "vfr_clip"])
@settings(max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_shared_region_chains_blur_the_same_pixels(
        clip_name: str, data: st.DataObject, request: pytest.FixtureRequest,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    clip: Path = request.getfixturevalue(clip_name)
    ev = data.draw(_blur_plans(clip))
    shared, plain = _merged_and_plain(ev, tmp_path_factory.mktemp("regions"))
    assert plain.graph.count("overlay=") == len(ev.plan.layers)
    assert_frames_match(shared.luma, plain.luma, 1)


@pytest.mark.parametrize("clip_name", ["testsrc_clip", "vfr_clip"])
@settings(max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_gated_region_chains_change_no_pixel(
        clip_name: str, data: st.DataObject, request: pytest.FixtureRequest,
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Region chains that see only their windows' frames blur exactly what full ones do."""
    clip: Path = request.getfixturevalue(clip_name)
    ev = data.draw(_blur_plans(clip))
    assume(any(o.span.start > 0 or o.span.end is not None for o in ev.plan.layers))
    work = tmp_path_factory.mktemp("gated")
    gated = graph_luma(ev, work / "gated")
    text = (work / "gated" / "graph.txt").read_text()
    assert "select=" in text or re.search(r"(?<!a)trim=end=", text)
    with mock.patch("evidence_annotate.overlays.blur.gate", return_value=""):
        full = graph_luma(ev, work / "full")
    text = (work / "full" / "graph.txt").read_text()
    assert "select=" not in text and not re.search(r"(?<!a)trim=end=", text)
    assert_frames_match(gated, full)


def test_cut_keeps_plan_order_and_bounds() -> None:
    slices = cut([(1.0, 3.0), (0.0, 2.0), (2.0, None), (5.0000001, 6.0)])
    assert [(s.start, s.end, s.members) for s in slices] == [
        (-math.inf, 1.0, (1,)), (1.0, 2.0, (0, 1)), (2.0, 3.0, (0, 2)), (3.0, 5.0, (2,)),
        (5.0, 6.0, (2, 3)), (6.0, None, (2,))]


@given(st.lists(st.tuples(st.floats(0, 20), st.floats(0.001, 5)), min_size=1, max_size=12),
       st.floats(0, 26))
def test_slices_hold_exactly_the_open_windows(pairs: list[tuple[float, float]],
                                              t: float) -> None:
    windows = [(round(start, 6), round(start + length, 6)) for start, length in pairs]
    slices = cut(windows)
    shown = [s for s in slices if (s.start <= t) and (s.end is None or t < s.end)]
    expected = tuple(i for i, (start, end) in enumerate(windows)
                     if (start <= 0 or start <= t) and t < end)
    assert (shown[0].members if shown else ()) == expected
    assert all(a.end is not None and a.end <= b.start for a, b in itertools.pairwise(slices))


@given(st.lists(st.floats(-5, 50), min_size=0, max_size=40, unique=True), st.floats(-10, 60))
def test_piecewise_tree_picks_the_piece_of_t(bounds: list[float], t: float) -> None:
    bounds = sorted({round(b, 6) for b in bounds})
    values = [str(i) for i in range(len(bounds) + 1)]
    expr = piecewise(bounds, values)
    expected = sum(1 for b in bounds if t >= b)
    assert _evaluate(expr, t) == expected
    assert expr.count("if(") <= len(bounds) and expr.count("(") < 4 * (len(bounds) + 1)


def _evaluate(expr: str, t: float) -> int:
    """Evaluate an ``if(lt(t,B),A,C)`` tree as ffmpeg would (a tiny recursive parser)."""
    if not expr.startswith("if("):
        return int(expr)
    body = expr[3:-1]
    depth, parts, current = 0, [], ""
    for char in body:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char == "("
        depth -= char == ")"
        current += char
    parts.append(current)
    condition, yes, no = parts
    bound = float(condition[len("lt(t,"):-1])
    return _evaluate(yes if t < bound else no, t)


@given(st.floats(0.0, 3600.0), st.sampled_from([Fraction(1, 15360), Fraction(1, 1000),
                                                Fraction(1001, 30000), Fraction(1, 90000)]))
def test_first_pts_is_the_first_frame_enable_opens_on(bound: float, base: Fraction) -> None:
    bound = float(f"{bound:.6f}")
    step = base.numerator / base.denominator
    pts = first_pts(bound, base)
    assert pts * step >= bound and (pts - 1) * step < bound


def test_lanes_on_a_still_switch_on_the_still_s_own_frames(tmp_path: Path) -> None:
    """A still is looped in the graph with its own time base: pictures switch on its frames."""
    from PIL import Image

    from helpers import decode_frames

    Image.new("RGB", (320, 240), (40, 40, 40)).save(tmp_path / "gray.png")
    still = (ea.image(tmp_path / "gray.png", seconds=2)
             .box((20, 20, 60, 40), start=0.23, end=0.61, color="red")
             .box((200, 150, 60, 40), start=0.61, end=1.37, color="yellow"))
    laned = ea.storyboard(still).export(tmp_path / "laned.mp4", progress=False).path
    with unmerged():
        plain = ea.storyboard(still).export(tmp_path / "plain.mp4", progress=False).path
    job = ea.storyboard(still).compile(tmp_path / "c.mp4", tmp_path / "work")
    assert "loop=loop=2:size=1:start=0,crop=" in job.graph  # the two boxes make one lane
    ours, theirs = list(decode_frames(laned)), list(decode_frames(plain))
    assert len(ours) == len(theirs) == 60
    differ = [round(t, 3) for (t, a), (_, b) in zip(ours, theirs, strict=True)
              if abs(a.astype(int) - b.astype(int)).max() > 60]
    assert differ == []
