"""Freeze and speed: the timeline mapping, and exports whose overlays and sound follow it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evidence_annotate as ea
from evidence_annotate.render.program import fit_rect
from evidence_annotate.render.retime import atempo
from evidence_annotate.timing import Freeze, Speed, Timeline
from helpers import audio_samples, close, decode_frames, frame_at, pixel

FAST: dict[str, Any] = {"crf": 14, "speed": "ultrafast", "progress": False}
RED = (255, 42, 42)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    cuts = sorted(draw(st.lists(st.floats(0.0, 10.0), min_size=2, max_size=6, unique=True)))
    segments = tuple((a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if b - a > 0.01)
    edits: list[Speed | Freeze] = []
    low = 0.0
    for _ in range(draw(st.integers(0, 3))):
        a = draw(st.floats(low, 10.0))
        b = draw(st.floats(a, 10.0))
        if b - a > 0.01:
            edits.append(Speed(a, b, draw(st.sampled_from([0.25, 0.5, 2.0, 3.0, 8.0]))))
            low = b
    for _ in range(draw(st.integers(0, 2))):
        shown = draw(st.floats(0.0, 9.9))
        edits.append(Freeze(shown + 0.05, draw(st.floats(0.1, 3.0)), shown))
    return Timeline(draw(st.sampled_from([0.0, 1.5])), segments, tuple(edits))


@given(timelines(), st.floats(0.0, 1.0))
def test_output_time_maps_back_to_its_source_time(tl: Timeline, fraction: float) -> None:
    assert tl.duration == pytest.approx(tl.card + sum(p.length for p in tl.pieces))
    t = tl.card + fraction * (tl.duration - tl.card)
    source = tl.to_source(t)
    if t < tl.card or not tl.segments:
        return
    assert source is not None
    piece_at = next((p for p in tl.pieces if p.hold and p.shown == source), None)
    if piece_at is None and t < tl.duration - 1e-6:
        back = tl.to_output(source)
        assert back is not None and back == pytest.approx(t, abs=1e-6)


@given(timelines())
def test_a_span_over_everything_covers_the_whole_output(tl: Timeline) -> None:
    spans = tl.map_span(-1.0, 100.0)
    assert sum(b - a for a, b in spans) == pytest.approx(tl.duration - tl.card)
    assert all(b > a for a, b in spans)


@given(st.floats(0.25, 8.0))
def test_atempo_stages_multiply_to_the_factor(factor: float) -> None:
    stages = [float(s.split("=")[1]) for s in atempo(factor).split(",") if s]
    assert all(0.5 <= s <= 2.0 for s in stages)
    assert float(np.prod(stages)) == pytest.approx(factor, rel=1e-5)


@given(st.integers(16, 4000), st.integers(16, 4000), st.integers(8, 960), st.integers(8, 960))
def test_fit_rect_fits_without_stretching(w: int, h: int, cw: int, ch: int) -> None:
    canvas = (cw * 2, ch * 2)
    x, y, fw, fh = fit_rect((w, h), canvas)
    assert x >= 0 and y >= 0 and x + fw <= canvas[0] and y + fh <= canvas[1]
    assert fw % 2 == 0 and fh % 2 == 0
    if min(fw, fh) >= 16:
        assert abs(fw / fh - w / h) <= (w / h) * (2 / min(fw, fh)) + 0.02
    assert fw == canvas[0] or fh == canvas[1] or abs(fw - canvas[0]) <= 2 or \
        abs(fh - canvas[1]) <= 2


def test_unchanged_timeline_without_edits() -> None:
    tl = Timeline(1.0, ((0.0, 2.0), (3.0, 4.0)))
    assert tl.duration == 4.0
    assert tl.to_output(3.5) == 3.5 and tl.to_source(3.5) == 3.5
    assert tl.map_span(1.0, 3.5) == [(2.0, 3.0), (3.0, 3.5)]


def test_freeze_and_speed_durations_and_overlays(testsrc_clip: Path, tmp_path: Path) -> None:
    # testsrc 3 s at 30 fps; a box over source 1.0-1.5; 0-1 s twice as fast; frame 1.2 held 1 s
    ev = (ea.open(testsrc_clip).box((100, 60, 120, 80), start=1.0, end=1.5, thickness=6)
          .speed(2, 0, 1).freeze(1.2, 1))
    assert ev.duration == pytest.approx(0.5 + 2.0 + 1.0)
    result = ev.export(tmp_path / "edited.mp4", **FAST)
    frames = list(decode_frames(result.path))
    assert len(frames) == 105
    # the box shows from source 1.0 (output 0.5) through the freeze to source 1.5 (2.0)
    for number, (_, rgb) in enumerate(frames):
        boxed = close(pixel(rgb, 97, 100), RED, 60)
        assert boxed == (15 <= number < 60), number
    # the held frame (source 1.2 = frame 36) fills output 0.7333-1.7333 s
    held = [rgb.astype(int) for t, rgb in frames if 0.75 < t < 1.72]
    assert all(np.abs(f - held[0]).mean() < 1.5 for f in held)
    assert np.abs(frames[3][1].astype(int) - frames[13][1].astype(int)).mean() > 2
    # previews and MoviePy show the same frames across the speed change and the freeze
    clip = ev.to_moviepy()
    try:
        for t in (0.1, 0.49, 0.52, 0.74, 1.2, 1.75, 2.3, 3.4):
            export = frame_at(result.path, t).astype(int)
            assert np.abs(export - np.asarray(ev.preview(t)).astype(int)).mean() < 6, t
            assert np.abs(export - clip.get_frame(t).astype(int)).mean() < 6, t
    finally:
        clip.close()


def _dominant(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def test_speed_keeps_the_pitch_and_slow_motion_too(gray_clip: Path, tmp_path: Path) -> None:
    # gray_clip: 4 s with a 440 Hz tone; 1-3 s twice as fast, then 3-4 s at half speed
    ev = ea.open(gray_clip).speed(2, 1, 3).speed(0.5, 3)
    result = ev.export(tmp_path / "pitch.mp4", **FAST)
    assert result.duration == pytest.approx(1 + 1 + 2, abs=1 / 30)
    samples, rate = audio_samples(result.path)
    assert len(samples) / rate == pytest.approx(4.0, abs=0.05)
    for start, end in ((0.1, 0.9), (1.1, 1.9), (2.2, 3.8)):
        part = samples[int(start * rate):int(end * rate)]
        assert _dominant(part, rate) == pytest.approx(440, abs=8), (start, end)
        assert np.abs(part).max() > 0.05  # not silence


def test_a_still_takes_time_edits(tmp_path: Path) -> None:
    shown = ea.slide("Hold", seconds=2, size=(320, 240)).text("Look", at=(10, 10), start=1)
    edited = shown.freeze(1.5, 1).speed(4, 0, 1)
    assert edited.duration == pytest.approx(0.25 + 1 + 1, abs=1 / 30)
    result = edited.export(tmp_path / "still.mp4", **FAST)
    assert result.duration == pytest.approx(2.25, abs=1 / 30)
    assert not result.manifest or result.manifest.exists()
    assert np.abs(frame_at(result.path, 1.0).astype(int)
                  - np.asarray(edited.preview(1.0)).astype(int)).mean() < 6


def test_time_edit_arguments_are_checked(gray_clip: Path) -> None:
    ev = ea.open(gray_clip)
    with pytest.raises(ValueError, match="factor"):
        ev.speed(9)
    with pytest.raises(ValueError, match="factor"):
        ev.speed(0.1)
    with pytest.raises(ValueError, match="overlaps"):
        ev.speed(2, 0, 2).speed(3, 1, 3)
    with pytest.raises(ValueError, match="past the end"):
        ev.freeze(4.5)
    with pytest.raises(ValueError, match="seconds"):
        ev.freeze(1, 0)
    with pytest.raises(ValueError, match="cut away"):
        ev.trim(2, 4).freeze(1.0)
    assert ev.freeze(1, 1).freeze(1, 1).duration == pytest.approx(6.0)

