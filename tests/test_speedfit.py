"""fit="speed": quiet stretches play faster, narration and annotated moments stay at 1x."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.deliver.speedfit import quiet_stretches, speed_factor
from evidence_annotate.evidence.program_outputs import clip_part
from helpers import audio_samples, close, decode_frames, pixel

FAST: dict[str, Any] = {"crf": 14, "speed": "ultrafast", "progress": False}
RED = (255, 42, 42)
SHORT = ea.Platform("short", max_seconds=4)


@pytest.fixture(scope="module")
def narrated(media_dir: Path) -> tuple[Path, Path]:
    """6 s of gray: a 1 kHz "narration" at 1.0-2.0 s (its caption file too), silence around."""
    clip = media_dir / "speedfit.mp4"
    if not clip.exists():
        ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=320x240:r=30:d=6", "-f", "lavfi", "-i",
               "sine=f=1000:d=6,volume=volume=0:enable='not(between(t,1,2))'",
               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
               "-shortest", str(clip))
    captions = media_dir / "speedfit.srt"
    captions.write_text("1\n00:00:01,000 --> 00:00:02,000\nThe case is cracked\n")
    return clip, captions


@given(st.floats(0.01, 50.0), st.floats(0.1, 100.0))
def test_the_factor_saves_exactly_the_excess(excess: float, quiet: float) -> None:
    factor = speed_factor(excess, quiet)
    if excess >= quiet:
        assert factor == float("inf")
    else:
        assert quiet - quiet / factor == pytest.approx(excess, rel=1e-9)


def test_quiet_stretches_avoid_speech_and_annotations(narrated: tuple[Path, Path]) -> None:
    clip, captions = narrated
    ev = ea.open(clip).captions(source=captions).box((10, 10, 50, 50), start=4.0, end=4.5)
    quiet = quiet_stretches(clip_part(ev.info, ev.plan, None))
    flat = [t for pair in quiet for t in pair]
    assert flat == pytest.approx([0.0, 0.7667, 2.2667, 4.0, 4.5, 6.0], abs=0.04)


def test_fit_speed_meets_the_limit_with_narration_untouched(narrated: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    clip, captions = narrated
    ev = (ea.open(clip).captions(source=captions)
          .box((100, 60, 120, 80), start=4.0, end=4.5, thickness=6))
    with pytest.raises(ea.PlatformLimitError, match="fit='speed'"):
        ev.export(tmp_path / "long.mp4", platform=SHORT, **FAST)
    result = ev.export(tmp_path / "fit.mp4", platform=SHORT, fit="speed", **FAST)
    assert 3.5 < result.duration <= 4.0
    samples, rate = audio_samples(result.path)
    loud = np.flatnonzero(np.abs(samples) > 0.05)
    # the narration lasts 1.0 s and is still 1 kHz: neither sped up nor pitched
    assert (loud[-1] - loud[0]) / rate == pytest.approx(1.0, abs=0.03)
    tone = samples[loud[0]:loud[-1]]
    spectrum = np.abs(np.fft.rfft(tone * np.hanning(len(tone))))
    assert np.fft.rfftfreq(len(tone), 1 / rate)[int(np.argmax(spectrum))] == \
        pytest.approx(1000, abs=10)
    # the annotated half second stays half a second
    boxed = [t for t, rgb in decode_frames(result.path) if close(pixel(rgb, 97, 100), RED, 60)]
    assert len(boxed) == 15
    record = result.manifest.read_text() if result.manifest else ""
    assert '"edit": "speed"' in record


def test_fit_speed_says_how_much_is_missing(narrated: tuple[Path, Path], tmp_path: Path) -> None:
    clip, captions = narrated
    ev = ea.open(clip).captions(source=captions)
    tight = ea.Platform("tight", max_seconds=2)
    with pytest.raises(ea.PlatformLimitError, match=r"s short; use fit='split' or fit='trim'"):
        ev.export(tmp_path / "no.mp4", platform=tight, fit="speed", **FAST)
    board = ea.storyboard(ev, ea.slide("x", seconds=1))
    with pytest.raises(ea.PlatformLimitError, match=r"short; use fit='split' or fit='trim'"):
        board.export(tmp_path / "no.mp4", platform=tight, fit="speed", **FAST)
    assert not list(tmp_path.iterdir())


def test_a_board_fits_by_speed_trim_or_split(narrated: tuple[Path, Path], tmp_path: Path) -> None:
    clip, captions = narrated
    board = ea.storyboard(ea.open(clip).captions(source=captions), ea.slide("x", seconds=1))
    sped = board.export(tmp_path / "sped.mp4", platform=SHORT, fit="speed", **FAST)
    assert 3.5 < sped.duration <= 4.0
    trimmed = board.export(tmp_path / "trimmed.mp4", platform=SHORT, fit="trim", **FAST)
    assert 3.5 < trimmed.duration <= 4.0
    split = board.export(tmp_path / "split.mp4", platform=SHORT, fit="split", **FAST)
    assert len(split.paths) >= 2 and split.duration <= 4.0


def test_a_board_meets_a_byte_budget(testsrc_clip: Path, tmp_path: Path) -> None:
    small = ea.Platform("small", max_bytes=100_000, max_seconds=10)
    board = ea.storyboard(ea.open(testsrc_clip), ea.slide("x", seconds=1))
    result = board.export(tmp_path / "small.mp4", platform=small, **FAST)
    assert result.size_bytes <= 100_000  # two passes: 200 kbit/s at 320x240
    assert result.duration == pytest.approx(4.0, abs=1 / 30)
