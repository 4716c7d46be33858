"""Regions that move: keyframe tracks, their interpolation, and tracked kinds in every renderer."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

import evidence_annotate as ea
from evidence_annotate.geometry import Rect
from evidence_annotate.overlays.moving import piece_at, pieces
from evidence_annotate.recipe import load_recipe
from evidence_annotate.tracks import Key, Track, from_plain
from helpers import decode_frames

FRAME = (320, 240)


def laplacian_var(region: np.ndarray) -> float:
    gray = region.astype(float).mean(axis=2)
    lap = (gray[1:-1, :-2] + gray[1:-1, 2:] + gray[:-2, 1:-1] + gray[2:, 1:-1]
           - 4 * gray[1:-1, 1:-1])
    return float(lap.var())


rects = st.tuples(st.integers(0, 200), st.integers(0, 150), st.integers(1, 100),
                  st.integers(1, 80)).map(lambda v: Rect(*v))


@st.composite
def tracks(draw: st.DrawFn) -> Track:
    count = draw(st.integers(1, 8))
    times = sorted(draw(st.sets(st.integers(0, 300), min_size=count, max_size=count)))
    return Track(tuple(Key(t / 100, draw(rects)) for t in times))


@given(tracks(), st.floats(-1, 4))
def test_interpolation_stays_between_neighbouring_keyframes(path: Track, t: float) -> None:
    rect = path.at(t)
    for side in range(4):
        values = [r[side] for r in path.rects()]
        assert min(values) - 1 <= rect[side] <= max(values) + 1
    for key in path.keys:
        assert path.at(key.t) == key.rect


@given(tracks())
def test_simplify_keeps_the_track_within_tolerance(path: Track) -> None:
    simple = path.simplify(1.0)
    assert simple.start == path.start and simple.end == path.end
    assert len(simple.keys) <= len(path.keys)
    for key, rect in zip(path.keys, path.rects(), strict=True):
        assert all(abs(a - b) <= 1.0 + 1e-6 for a, b in zip(simple.values(key.t), rect,
                                                              strict=True))


@given(tracks(), st.floats(0, 3))
def test_pieces_cover_every_interpolated_size(path: Track, t: float) -> None:
    part = piece_at(pieces(path), t)
    _, _, w, h = path.values(t)
    assert part.size[0] >= math.floor(w) and part.size[1] >= math.floor(h)


@given(tracks(), st.floats(0, 3))
def test_plain_form_round_trips(path: Track, t: float) -> None:
    again = from_plain(path.to_plain())
    assert again.at(t) == path.at(t)


def test_keyframes_are_checked_with_the_value_named() -> None:
    with pytest.raises(ValueError, match=r"keyframe 1 at t=1 s is not after keyframe 0"):
        ea.track((2, (0, 0, 5, 5)), (1, (0, 0, 5, 5)))
    with pytest.raises(ValueError, match=r"must be a \(t, rect\) pair"):
        ea.track((0, 0, 5, 5))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one keyframe"):
        ea.track()
    with pytest.raises(ValueError, match=r"keyframe 0 rect=\(1, 2\) must be 4 numbers"):
        ea.track((0, (1, 2)))
    with pytest.raises(ValueError, match=r"keyframe 1 rect=\(1, 2, 0, 5\): width and height"):
        ea.track((0, (1, 2, 3, 4)), (1, (1, 2, 0, 5)))
    path = ea.track((0, (300, 10, 40, 40)), (9, (10, 10, 40, 40)))
    ctx = ea.KINDS["box"].create
    from evidence_annotate.overlays.base import Context
    with pytest.raises(ValueError, match=r"rect keyframe 0=.*outside the 320x240 frame"):
        ctx(Context(FRAME, 10.0), path)
    with pytest.raises(ValueError, match=r"keyframe 1 at t=9 s is after the end of the 3.000 s"):
        ctx(Context(FRAME, 3.0), ea.track((0, (0, 0, 5, 5)), (9, (0, 0, 5, 5))))


@pytest.fixture(scope="module")
def moving(testsrc_clip: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[ea.Evidence,
                                                                                   Path]:
    path = ea.track((0.5, (20, 30, 60, 40)), (2.0, (200, 150, 60, 40)),
                    (2.5, (220, 150, 80, 60)))
    ev = (ea.open(testsrc_clip).blur(path).box(path, label="Crack")
          .arrow((300, 20), path, color="yellow").ellipse(path)
          .magnify(ea.track((0.5, (150, 20, 30, 20)), (2.5, (60, 100, 30, 20))), zoom=2)
          .spotlight(ea.track((0.5, (100, 60, 80, 60)), (2.5, (180, 120, 100, 80))), dim=0.5,
                     shape="ellipse", feather=6))
    out = tmp_path_factory.mktemp("tracked") / "out.mp4"
    ev.export(out, progress=False)
    return ev, out


def test_export_and_preview_agree_for_every_tracked_kind(
        moving: tuple[ea.Evidence, Path]) -> None:
    ev, out = moving
    shares = []
    for t, frame in decode_frames(out):
        preview = np.asarray(ev.preview(t)).astype(int)
        shares.append(float((np.abs(preview - frame.astype(int)).max(axis=2) > 60).mean()))
    assert len(shares) == 90
    assert max(shares) < 0.04 and float(np.mean(shares)) < 0.015


def test_tracked_blur_covers_the_region_on_every_frame(moving: tuple[ea.Evidence, Path],
                                                       testsrc_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(testsrc_clip).add(moving[0].layers[0])
    out = ev.export(tmp_path / "blur.mp4", progress=False).path
    blur = ev.layers[0]
    assert blur.track is not None  # type: ignore[attr-defined]
    source = dict(decode_frames(testsrc_clip))
    covered = 0
    frames = list(decode_frames(out))
    for t, frame in frames:
        r = blur.track.at(t)  # type: ignore[attr-defined]
        inside = frame[r.y:r.bottom, r.x:r.right]
        original = source[min(source, key=lambda s: abs(s - t))][r.y:r.bottom, r.x:r.right]
        active = blur.span.active(t)
        if active and laplacian_var(inside) < 0.05 * laplacian_var(original):
            covered += 1
        if not active:
            assert laplacian_var(inside) > 0.5 * laplacian_var(original)
    active_frames = sum(blur.span.active(t) for t, _ in frames)
    assert active_frames == 61  # 0.5 s to 2.5 s at 30 fps, both ends included
    assert covered == active_frames


def test_a_moving_blur_beside_a_fixed_one_of_its_size_still_moves(testsrc_clip: Path,
                                                                  tmp_path: Path) -> None:
    """Fixed regions of one size share a chain switched by time; a moving one never joins."""
    path = ea.track((1.0, (20, 30, 60, 40)), (2.0, (200, 150, 60, 40)))
    ev = (ea.open(testsrc_clip).blur((120, 20, 60, 40), start=0.0, end=0.9)
          .blur(path, start=1.0, end=2.0))
    out = ev.export(tmp_path / "two.mp4", progress=False).path
    source = dict(decode_frames(testsrc_clip))
    checked = 0
    for t, frame in decode_frames(out):
        if not 1.05 < t < 1.95:
            continue
        r = path.at(t)
        inside = frame[r.y:r.bottom, r.x:r.right]
        original = source[min(source, key=lambda s: abs(s - t))][r.y:r.bottom, r.x:r.right]
        assert laplacian_var(inside) < 0.05 * laplacian_var(original), t
        checked += 1
    assert checked >= 25


def test_the_manifest_and_summary_keep_keyframes(moving: tuple[ea.Evidence, Path]) -> None:
    ev, _ = moving
    data = ev.layers[1].to_dict()
    assert data["track"]["keys"][1] == {"t": 2.0, "rect": {"x": 200, "y": 150, "w": 60,
                                                           "h": 40}}
    assert data["start"] == 0.5 and data["end"] == pytest.approx(2.5 + 1 / 60)
    assert not ev.layers[1].mergeable and ea.Box(Rect(1, 1, 5, 5)).mergeable
    assert "track of 3 keyframes 0.50-2.50 s" in ev.layers[1].describe()
    bounds = ev.layers[1].bounds(FRAME)
    assert bounds is not None and bounds.x <= 20 and bounds.right >= 300


def test_one_keyframe_is_a_fixed_region_for_the_whole_clip() -> None:
    from evidence_annotate.overlays.base import Context

    blur = ea.KINDS["blur"].create(Context(FRAME, 3.0), ea.track((1.0, (10, 10, 40, 30))))
    assert blur.span.start == 0 and blur.span.end is None
    assert blur.at(2.5, FRAME).x <= 10  # type: ignore[attr-defined]


def test_a_recipe_gives_a_track_as_keyframe_tables(tmp_path: Path, testsrc_clip: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text(f'input = "{testsrc_clip}"\n[[blur]]\n'
                      'rect = [{ t = 0.5, rect = [20, 30, 60, 40] }, '
                      '{ t = 2, rect = [200, 150, 60, 40] }]\n', encoding="utf-8")
    built = load_recipe(recipe).evidence(progress=False)
    expected = ea.open(testsrc_clip).blur(ea.track((0.5, (20, 30, 60, 40)),
                                                   (2, (200, 150, 60, 40))))
    assert built.plan == expected.plan
    recipe.write_text(f'input = "{testsrc_clip}"\n[[blur]]\n'
                      'rect = [{ t = 0.5, rect = [20, 30, 60, 40] }, { t = 2 }]\n',
                      encoding="utf-8")
    with pytest.raises(ea.RecipeError, match=r"blur\[0\]\.rect.*exactly t and rect"):
        load_recipe(recipe)


def test_a_tracked_inset_follows_its_source(moving: tuple[ea.Evidence, Path],
                                            testsrc_clip: Path) -> None:
    ev, out = moving
    lens = ev.layers[4]
    assert lens.track is not None and lens.rect.w == 30  # type: ignore[attr-defined]
    inset = lens.inset()  # type: ignore[attr-defined]
    frames, originals = dict(decode_frames(out)), dict(decode_frames(testsrc_clip))
    for t in (0.6, 1.5, 2.4):
        shown = min(frames, key=lambda s: abs(s - t))
        f = (shown - 0.5) / 2.0  # the keyframes: (150, 20) at 0.5 s to (60, 100) at 2.5 s
        x, y = (even(math.floor(150 - 90 * f + 0.5)), even(math.floor(20 + 80 * f + 0.5)))
        assert lens.track.position(shown, (30, 20), FRAME) == (x, y)  # type: ignore[attr-defined]
        crop = Image.fromarray(originals[shown]).crop((x, y, x + 30, y + 20))
        expected = np.asarray(crop.resize((inset.w, inset.h), Image.Resampling.LANCZOS))
        got = frames[shown][inset.y:inset.bottom, inset.x:inset.right]
        match = float(np.abs(got.astype(int) - expected).mean())
        for dx, dy in ((8, 0), (0, 8), (-8, 0), (0, -8)):  # the footage a few pixels away
            shifted = Image.fromarray(originals[shown]).crop((x + dx, y + dy, x + dx + 30,
                                                              y + dy + 20))
            other = np.asarray(shifted.resize((inset.w, inset.h), Image.Resampling.LANCZOS))
            assert match < 0.8 * float(np.abs(got.astype(int) - other).mean())


def even(value: int) -> int:
    return value - value % 2


def test_a_tracked_spotlight_keeps_its_hole_on_the_track(moving: tuple[ea.Evidence, Path],
                                                         testsrc_clip: Path,
                                                         tmp_path: Path) -> None:
    light = moving[0].layers[5]
    out = ea.open(testsrc_clip).add(light).export(tmp_path / "light.mp4", progress=False).path
    frames, originals = dict(decode_frames(out)), dict(decode_frames(testsrc_clip))
    for t in (0.6, 1.5, 2.4):
        shown = min(frames, key=lambda s: abs(s - t))
        r = light.track.at(shown)  # type: ignore[attr-defined]
        cx, cy = r.x + r.w // 2, r.y + r.h // 2
        inside = frames[shown][cy - 5:cy + 5, cx - 5:cx + 5].astype(float).mean()
        source_in = originals[shown][cy - 5:cy + 5, cx - 5:cx + 5].astype(float).mean()
        assert abs(inside - source_in) < 12  # as bright as the source in the hole
        corner = frames[shown][225:235, 5:15].astype(float).mean()
        assert corner < 0.65 * originals[shown][225:235, 5:15].astype(float).mean()


def test_tracked_layers_become_recipes_and_python_code_again(testsrc_clip: Path,
                                                             tmp_path: Path) -> None:
    from evidence_annotate.editing import plan_calls, python_code
    from evidence_annotate.recipe.write import write_recipe

    clip = tmp_path / "clip.mp4"
    clip.write_bytes(testsrc_clip.read_bytes())
    path = ea.track((0.5, (20, 30, 60, 40)), (2.0, (200, 150, 60, 40)))
    ev = (ea.open(clip).box(path, label="Crack").arrow((300, 20), path)
          .blur(path, reason="face", automatic=True).spotlight(path).magnify(path, zoom=2))
    rebuilt = load_recipe(write_recipe(ev, tmp_path / "r.toml")).evidence(progress=False)
    assert rebuilt.layers == ev.layers
    assert "rect = [{ t = 0.5, rect = [20, 30, 60, 40] }" in (tmp_path / "r.toml").read_text()
    scope: dict[str, object] = {}
    exec(python_code(str(clip), plan_calls(ev.plan, ev.context)), scope)
    assert scope["ev"].layers == ev.layers  # type: ignore[attr-defined]


_PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _ffmpeg_peak_kib(ev: ea.Evidence, work: Path) -> int:
    """Peak memory of the export's ffmpeg, decoding and filtering to a null output."""
    import subprocess
    import sys

    argv = list(ev.compile(work / "o.mp4", work / "w").argv)
    argv = [*argv[:argv.index("-c:v")], "-f", "null", "-"]
    done = subprocess.run([sys.executable, "-c", _PEAK, *argv], capture_output=True,
                          text=True, check=True)
    return int(done.stdout.split()[-1])


@pytest.mark.slow
def test_a_late_moving_blur_does_not_make_ffmpeg_hold_the_footage(tmp_path: Path) -> None:
    """Before its window a piece's branch still passes a few frames, so nothing queues."""
    from conftest import ffmpeg

    clip = tmp_path / "long.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=24", "-c:v", "libx264",
           "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(clip))
    ev = ea.open(clip)
    late = ev.blur(ea.track((20.0, (40, 40, 100, 60)), (23.0, (400, 200, 100, 60))))
    plain, moving = _ffmpeg_peak_kib(ev, tmp_path / "a"), _ffmpeg_peak_kib(late, tmp_path / "b")
    # 20 s of held 640x360 frames would be about 200 MiB more.
    assert moving < plain + 40 * 1024, (plain, moving)


def test_a_moving_blur_shows_a_new_blurred_picture_twice_a_second(testsrc_clip: Path,
                                                                   tmp_path: Path) -> None:
    """In between, the region repeats its last blurred picture; it stays detail-free."""
    from evidence_annotate.overlays.blur_track import REFRESH

    still = ea.track((0.0, (100, 80, 80, 60)), (3.0, (100, 80, 80, 60)))  # a track at rest
    ev = ea.open(testsrc_clip).blur(still)
    out = ev.export(tmp_path / "rest.mp4", progress=False).path
    frames = [frame.astype(int) for _, frame in decode_frames(out)]
    source = [frame for _, frame in decode_frames(testsrc_clip)]
    inside = [f[84:136, 104:176] for f in frames]  # well inside the region
    changed = {i + 1 for i, (a, b) in enumerate(itertools.pairwise(inside))
               if float(np.abs(a - b).mean()) > 2}
    fresh, last = set(), -1.0  # the frames the blur takes a new picture from
    for index in range(len(frames)):
        if last < 0 or index / 30 - last >= 0.9 * REFRESH - 1e-9:
            fresh.add(index)
            last = index / 30
    moving = sum(float(np.abs(a[84:136, 104:176].astype(int) - b[84:136, 104:176]).mean()) > 2
                 for a, b in itertools.pairwise(source))
    assert len(frames) == 90
    assert moving > 30  # the footage beneath changes on most frames
    assert len(changed) >= 4 and changed <= fresh  # the picture changes only when refreshed
    for frame, original in zip(frames, source, strict=True):
        assert laplacian_var(frame[84:136, 104:176]) < 0.05 * laplacian_var(
            original[84:136, 104:176].astype(np.uint8))


@pytest.mark.parametrize("gap", [(1.6, 2.1), (1.2, 1.98)])
def test_a_moving_blur_covers_the_last_frames_before_a_gap_in_vfr_footage(
        tmp_path: Path, gap: tuple[float, float]) -> None:
    """The region stream may end long before the window's last frame (a phone's dropped
    frames): its last blurred picture still covers every frame up to the window's end."""
    from conftest import ffmpeg

    clip = tmp_path / "gap.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=3", "-vf",
           f"noise=alls=80:allf=t,select='not(between(t,{gap[0]},{gap[1]}))'",
           "-fps_mode", "vfr", "-c:v",
           "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", str(clip))
    path = ea.track((0.3, (20, 30, 80, 60)), (2.0, (200, 150, 80, 60)))
    ev = ea.open(clip).blur(path)
    out = ev.export(tmp_path / "out.mp4", progress=False).path
    source = dict(decode_frames(clip))
    frames = list(decode_frames(out))
    shown = [t for t, _ in frames if 0.3 <= t < 2.0]
    assert max(shown) < gap[0] + 0.04 or gap[1] < 2.0  # the window's last frame is the gap's
    for t, frame in frames:
        if not 0.3 <= t < 2.0:
            continue
        r = path.at(t)
        inside = frame[r.y + 4:r.bottom - 4, r.x + 4:r.right - 4]
        original = source[min(source, key=lambda s: abs(s - t))][r.y + 4:r.bottom - 4,
                                                                 r.x + 4:r.right - 4]
        assert laplacian_var(inside) < 0.05 * laplacian_var(original), t
