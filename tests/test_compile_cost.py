"""Planning and compiling cost grows with the plan, no faster; the shortcuts keep every pixel."""

from __future__ import annotations

import copy
import cProfile
import math
import pstats
import random
import struct
import subprocess
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import evidence_annotate as ea
from evidence_annotate.drawing import sprite as sprite_module
from evidence_annotate.drawing.record import frozen
from evidence_annotate.filtergraph import FilterGraph
from evidence_annotate.fonts import font_for
from evidence_annotate.geometry import even_down
from evidence_annotate.render.run import ffmpeg_exe
from evidence_annotate.render.slices import unmerged
from helpers import drawn_both_ways, frame_at

AT_ONCE = 4
"""About how many annotations show at any moment in the planned clips below."""


def _plan(clip: Path, count: int) -> ea.Evidence:
    """``count`` boxes, arrows and callouts spread over the clip, about [AT_ONCE][] at a time."""
    rng = random.Random(count)
    ev = ea.open(clip)
    width, height = ev.info.size
    length = ev.info.duration * AT_ONCE / count
    for index in range(count):
        start = rng.uniform(0, ev.info.duration - length)
        x, y = rng.randrange(0, width - 120, 2), rng.randrange(30, height - 60, 2)
        if index % 3 == 0:
            ev = ev.box((x, y, 80, 40), start=start, end=start + length, label="Crack")
        elif index % 3 == 1:
            ev = ev.arrow((x, y), (x + 70, y + 35), start=start, end=start + length)
        else:
            ev = ev.text("Wrong colour", at=(x, y), start=start, end=start + length)
    return ev


def _cost(clip: Path, count: int, work: Path) -> tuple[int, int, int]:
    """Python function calls to plan and compile ``count`` annotations, graph size, inputs."""
    profile = cProfile.Profile()
    profile.enable()
    job = _plan(clip, count).compile(work / "out.mp4", work / str(count))
    profile.disable()
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return calls, len(job.graph), len(job.inputs)


def test_planning_and_compiling_grow_linearly(gray_clip: Path, tmp_path: Path) -> None:
    _cost(gray_clip, 300, tmp_path / "warm")  # fonts, layouts and sprites met once
    small = _cost(gray_clip, 300, tmp_path)
    large = _cost(gray_clip, 600, tmp_path)
    assert small[0] > 300 * 50  # really counted: every annotation takes many calls
    # Twice the annotations, twice the work: a cost quadratic in the plan would be 4x
    assert large[0] < 2.5 * small[0], (small, large)
    assert large[1] < 2.5 * small[1], (small, large)
    assert large[2] <= 2 * small[2] + 1, (small, large)


_INK = st.sampled_from([(255, 0, 0, 255), (0, 255, 255, 200), (20, 20, 20, 128)])


@st.composite
def _drawing(draw: st.DrawFn) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """A label tag, an outlined callout or an arrow-like polygon near (40, 40)."""
    kind = draw(st.sampled_from(["tag", "callout", "polygon"]))
    ink = draw(_INK)
    if kind == "polygon":
        points = draw(st.lists(st.tuples(st.floats(20, 90), st.floats(20, 70)),
                               min_size=3, max_size=6))
        return [("line", ([*points, points[0]],), {"fill": (0, 0, 0, 153),
                                                    "width": draw(st.integers(1, 6)),
                                                    "joint": "curve"}),
                ("polygon", (points,), {"fill": ink})]
    text = draw(st.sampled_from(["Crack", "Wrong colour", "two\nlines"]))
    font = font_for(text, draw(st.integers(10, 24)))
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
        ("rounded_rectangle", ((40, 40, 40 + draw(st.integers(10, 60)), 60),),
         {"radius": draw(st.integers(0, 8)), "fill": ink})]
    stroke = draw(st.integers(0, 3)) if kind == "callout" else 0
    calls.append(("multiline_text", ((44, 42), text),
                  {"font": font, "fill": (255, 255, 255, 255), "stroke_width": stroke,
                   "stroke_fill": (0, 0, 0, 255) if stroke else None, "spacing": 4}))
    return calls


def _moved(calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]], dx: int, dy: int
           ) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    out = []
    for name, args, kwargs in calls:
        xy = args[0]
        if isinstance(xy[0], tuple):
            moved: Any = [(x + dx, y + dy) for x, y in xy]
        else:
            moved = tuple(value + (dy if i % 2 else dx) for i, value in enumerate(xy))
        out.append((name, (moved, *args[1:]), kwargs))
    return out


@settings(max_examples=120, deadline=None)
@given(calls=_drawing(), dx=st.integers(0, 300), dy=st.integers(0, 150))
def test_a_drawing_met_again_elsewhere_keeps_its_pixels(
        calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]], dx: int, dy: int) -> None:
    frame = (480, 270)
    for placed in (calls, _moved(calls, dx, dy), _moved(calls, dx, dy)):
        whole, canvas = drawn_both_ways(placed, frame)
        hits = sprite_module._PICTURES.hits
        sprite = canvas.sprite()
        box = whole.getbbox(alpha_only=True)
        assert box is not None
        left, top = even_down(box[0]), even_down(box[1])
        assert (sprite.x, sprite.y) == (left, top)
        assert sprite.image.tobytes() == whole.crop((left, top, box[2], box[3])).tobytes()
    assert sprite_module._PICTURES.hits > hits  # the same calls at the same place: reused


def _same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down (floats bit for bit)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-3, 3) | st.sampled_from(
        [math.nan, -0.0, 0.0, 1.0, 1]) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=2), inner, max_size=3), max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(a=_VALUES, b=_VALUES)
def test_drawing_keys_match_only_values_that_draw_alike(a: Any, b: Any) -> None:
    assert frozen(a) is not None and frozen(a) == frozen(a)
    if frozen(a) == frozen(b):
        assert _same(a, b)
    assert frozen(copy.deepcopy(a)) == frozen(a)  # built again, found again


def test_fonts_are_keys_by_identity_and_other_objects_are_not_keys() -> None:
    font = font_for("x", 20)
    other = font_for("x", 21)
    assert frozen({"font": font}) == frozen({"font": font})
    assert frozen({"font": font}) != frozen({"font": other})
    assert frozen([font, other]) != frozen([other, font])
    assert frozen([Image.new("RGBA", (1, 1))]) is None


def _decoded(path: Path, *graph: str) -> bytes:
    return subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), *graph,
                           "-f", "rawvideo", "-pix_fmt", "rgba", "-"],
                          check=True, capture_output=True).stdout


def _through_overlay(clip: Path, picture: Path) -> str:
    return subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(clip), "-i", str(picture),
                           "-filter_complex", "[0:0]format=yuv420p[v];"
                           "[v][1:0]overlay=x=31:y=17:eof_action=repeat[o]",
                           "-map", "[o]", "-f", "framemd5", "-"],
                          check=True, capture_output=True, text=True).stdout


def test_sprites_reach_ffmpeg_as_the_same_pixels(gray_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(gray_clip).text("Wrong colour", at=(10, 10)).box((40, 60, 90, 50),
                                                                    label="Crack")
    sprites = [layer.draw(ev.info.size) for layer in ev.layers]
    graph = FilterGraph(tmp_path, [gray_clip])
    for index, sprite in enumerate(sprites):
        written = graph.inputs[int(graph.image(sprite.image, "s").split(":")[0])]
        assert written.suffix == ".pam"
        png = tmp_path / f"s{index}.png"
        sprite.image.save(png, optimize=False, compress_level=0)  # how sprites were written
        assert _decoded(written) == _decoded(png) == sprite.image.tobytes()
        assert _through_overlay(gray_clip, written) == _through_overlay(gray_clip, png)


def test_pictures_with_more_than_rgba_pixels_stay_png(tmp_path: Path) -> None:
    graph = FilterGraph(tmp_path, [])
    card = Image.new("RGB", (8, 6), (10, 20, 30))
    profiled = Image.new("RGBA", (8, 6), (10, 20, 30, 40))
    profiled.info["icc_profile"] = b"not really"
    for picture in (card, profiled):
        graph.image(picture, "p")
    assert [path.suffix for path in graph.inputs] == [".png", ".png"]
    with Image.open(graph.inputs[0]) as image:
        assert image.tobytes() == card.tobytes()


def test_the_same_sprite_again_reuses_its_file(gray_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(gray_clip)
    for x in (10, 60, 110):  # the same label at three places: three inputs, one file
        ev = ev.text("Wrong colour", at=(x, 20), start=x / 100, end=3.5)
    ev = ev.text("Other words", at=(10, 120))
    with unmerged():  # one input per sprite: repeated pixels share a file
        job = ev.compile(tmp_path / "out.mp4", tmp_path / "work")
    sprites = [path for path in job.inputs if path.suffix == ".pam"]
    assert len(sprites) == 4 and len(set(sprites)) == 2
    assert sum(arg == "-i" for arg in job.argv) == len(job.inputs)
    job = ev.compile(tmp_path / "out.mp4", tmp_path / "packed")  # one atlas, two pictures
    assert len([path for path in job.inputs if path.suffix == ".pam"]) == 1
    assert job.graph.count("crop=") == 2
    result = ev.export(tmp_path / "out.mp4")
    shown = frame_at(result.path, 1.3).astype(int)  # every callout shows at 1.3 s
    for x in (10, 60, 110):
        assert shown[22:34, x + 2:x + 40].min() < 50  # its dark box over the gray
    assert abs(shown[22:34, 250:300] - 128).max() < 12  # nothing right of them
