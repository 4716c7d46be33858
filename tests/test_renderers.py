"""The ffmpeg export, the Pillow/PyAV preview and the MoviePy composition check each other."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

import evidence_annotate as ea
from helpers import frame_at


@pytest.fixture(scope="module")
def composition(testsrc_clip: Path) -> ea.Evidence:
    return (ea.open(testsrc_clip).title_card("8123456789012", "2026-11-20", "Cracked", seconds=0.5)
            .box((100, 60, 120, 80), start=0.5, end=2.0, label="Crack")
            .arrow((20, 20), (100, 60), start=1.0)
            .text("Wrong colour", at=(10, 190), end=1.5)
            .blur((240, 10, 60, 40), method="pixelate"))


TIMES = (0.25, 0.8, 1.2, 1.9, 2.7, 3.3)


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


def test_ffmpeg_export_matches_preview_and_moviepy(composition: ea.Evidence,
                                                   tmp_path: Path) -> None:
    result = composition.export(tmp_path / "out.mp4", crf=14, speed="ultrafast", progress=False)
    clip = composition.to_moviepy()
    try:
        assert clip.duration == pytest.approx(result.duration, abs=0.05)
        for t in TIMES:
            exported = frame_at(result.path, t)
            previewed = np.asarray(composition.preview(t))
            moviepy = clip.get_frame(t)
            assert exported.shape == previewed.shape == moviepy.shape
            assert _diff(exported, previewed) < 6, t
            assert _diff(exported, moviepy) < 6, t
            if t < 0.5:
                continue
            # where the annotations are (pixels that differ from the bare source), the three
            # renderers must agree closely, so a shifted or mistimed overlay fails here
            bare = frame_at(composition.info.path, t - 0.5)
            drawn = np.abs(exported.astype(int) - bare.astype(int)).max(axis=2) > 60
            assert drawn.sum() > 200, t
            assert _diff(exported[drawn], previewed[drawn]) < 25, t
            assert _diff(exported[drawn], moviepy[drawn]) < 25, t
    finally:
        clip.close()


def test_preview_is_fast_enough_for_interactive_use(composition: ea.Evidence) -> None:
    composition.preview(1.0)  # warm caches (fonts)
    started = time.perf_counter()
    image = composition.preview(2.0)
    assert time.perf_counter() - started < 1.0
    assert image.size == (320, 240)


def test_preview_during_title_card_is_the_card(composition: ea.Evidence) -> None:
    card = np.asarray(composition.preview(0.1))
    assert card[5, 5].tolist() == [16, 20, 24]


def test_portrait_preview_matches_export(portrait_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(portrait_clip).box((150, 250, 60, 40))
    result = ev.export(tmp_path / "p.mp4", speed="ultrafast", crf=14, progress=False)
    assert _diff(frame_at(result.path, 1.0), np.asarray(ev.preview(1.0))) < 6


def test_moviepy_honours_cuts_like_the_plan() -> None:
    from evidence_annotate.sample import sample_path

    ev = ea.open(sample_path()).cut([(2, 6)])
    clip = ev.to_moviepy()
    try:
        assert ev.duration == pytest.approx(6.0)
        assert clip.duration == pytest.approx(ev.duration, abs=0.05)
        assert clip.audio is not None
        assert clip.audio.duration == pytest.approx(ev.duration, abs=0.05)
    finally:
        clip.close()


def test_three_renderers_agree_across_trims_and_cuts(composition: ea.Evidence,
                                                     tmp_path: Path) -> None:
    ev = composition.trim(0.2, 2.9).cut([(1.1, 1.6)])
    result = ev.export(tmp_path / "cut.mp4", crf=14, speed="ultrafast", progress=False)
    clip = ev.to_moviepy()
    try:
        assert result.duration == pytest.approx(ev.duration, abs=0.05)
        assert clip.duration == pytest.approx(ev.duration, abs=0.05)
        for t in (0.6, 1.0, 1.45, 1.55, 2.4):   # around the cut (output time)
            exported = frame_at(result.path, t)
            assert _diff(exported, np.asarray(ev.preview(t))) < 6, t
            assert _diff(exported, clip.get_frame(t)) < 6, t
    finally:
        clip.close()
