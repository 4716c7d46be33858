"""Real exports with the real ffmpeg, checked pixel by pixel and sample by sample."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

import evidence_annotate as ea
from conftest import CopyOf
from helpers import GRAY, audio_samples, close, decode_frames, frame_at, pixel

RED = (255, 42, 42)
FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}


def _streams(path: Path) -> tuple[list[str], str, str]:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        return ([s.type for s in container.streams], video.codec_context.name,
                video.codec_context.format.name)


def test_box_lands_on_its_pixels_only_inside_its_window(gray_clip: Path, tmp_path: Path) -> None:
    out = ea.open(gray_clip).box((100, 60, 120, 80), start=1.0, end=2.5, thickness=4)
    result = out.export(tmp_path / "box.mp4", crf=12, **FAST)
    assert result.duration == pytest.approx(4.0, abs=0.05)
    assert _streams(result.path) == (["video", "audio"], "h264", "yuv420p")
    inside = frame_at(result.path, 1.8)
    assert close(pixel(inside, 98, 100), RED)          # left line, just outside the rect
    assert close(pixel(inside, 160, 58), RED)          # top line
    assert close(pixel(inside, 150, 100), GRAY, 12)    # the highlighted region stays visible
    assert close(pixel(inside, 20, 200), GRAY, 12)     # far away: untouched
    for t in (0.5, 2.9):
        outside = frame_at(result.path, t)
        assert close(pixel(outside, 98, 100), GRAY, 12), t


def test_title_card_is_prepended_and_everything_shifts(gray_clip: Path, tmp_path: Path) -> None:
    out = (ea.open(gray_clip).title_card("8123456789012", "2026-11-20", "Cracked", seconds=1.0)
           .box((100, 60, 120, 80), start=1.0, end=2.0))
    result = out.export(tmp_path / "card.mp4", **FAST)
    assert result.duration == pytest.approx(5.0, abs=0.05)
    card = frame_at(result.path, 0.5)
    assert close(pixel(card, 5, 5), (16, 20, 24), 12)   # the card's dark background
    assert close(pixel(frame_at(result.path, 1.5), 98, 100), GRAY, 12)  # source 0.5: no box
    assert close(pixel(frame_at(result.path, 2.5), 98, 100), RED)       # source 1.5: box
    assert close(pixel(frame_at(result.path, 3.2), 98, 100), GRAY, 12)  # source 2.2: gone


def test_audio_and_video_stay_in_sync_after_the_card(sync_clip: Path, tmp_path: Path) -> None:
    result = ea.open(sync_clip).title_card("1", "2026-11-20", seconds=1.0).export(
        tmp_path / "sync.mp4", **FAST)
    flash = next(t for t, rgb in decode_frames(result.path) if t > 1.0 and rgb.mean() > 200)
    samples, rate = audio_samples(result.path)
    loud = np.flatnonzero(np.abs(samples) > 0.05)  # lavfi sine peaks at 1/8
    beep = loud[0] / rate
    assert flash == pytest.approx(3.0, abs=0.05)
    assert beep == pytest.approx(3.0, abs=0.05)
    assert abs(beep - flash) < 0.05
    # the card and the late-starting audio are silence, not garbage
    assert np.abs(samples[: int(2.9 * rate)]).max() < 0.02


def test_vfr_overlay_follows_real_timestamps(vfr_clip: Path, tmp_path: Path) -> None:
    result = ea.open(vfr_clip).box((100, 60, 120, 80), start=4.0, end=5.0).export(
        tmp_path / "vfr.mp4", **FAST)
    seen = [(t, close(pixel(rgb, 98, 100), RED)) for t, rgb in decode_frames(result.path)]
    assert len(seen) < 120  # frames were not duplicated up to a constant rate
    for t, boxed in seen:
        assert boxed == (4.0 <= t + 1e-3 < 5.0), f"frame at {t:.3f} s"
    assert any(boxed for _, boxed in seen)


def test_portrait_overlay_in_displayed_coordinates(portrait_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(portrait_clip)
    assert ev.info.size == (240, 320)
    result = ev.box((150, 250, 60, 40), thickness=4).export(tmp_path / "portrait.mp4", **FAST)
    with av.open(str(result.path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (240, 320)
        first = next(container.decode(stream))
        assert not first.rotation  # rotation applied, not left as a flag
    frame = frame_at(result.path, 1.0)
    # stored top-left red square -> displayed bottom-left after a 90 degree turn
    assert close(pixel(frame, 20, 300), (255, 0, 0), 60)
    assert close(pixel(frame, 20, 20), GRAY, 12)
    assert close(pixel(frame, 148, 270), RED)           # the box's left line
    assert close(pixel(frame, 180, 270), GRAY, 12)


def test_odd_size_without_audio(odd_clip: Path, tmp_path: Path) -> None:
    result = ea.open(odd_clip).text("Odd", at=(10, 10)).export(tmp_path / "odd.mp4", **FAST)
    assert (result.width, result.height) == (322, 242)
    kinds, codec, pix_fmt = _streams(result.path)
    assert kinds == ["video"] and codec == "h264" and pix_fmt == "yuv420p"


def test_no_audio_with_title_card(silent_video_clip: Path, tmp_path: Path) -> None:
    result = ea.open(silent_video_clip).title_card("1", "2026-11-20", seconds=0.5).export(
        tmp_path / "silent.mp4", **FAST)
    assert result.duration == pytest.approx(2.5, abs=0.05)
    assert _streams(result.path)[0] == ["video"]


def test_first_audio_stream_is_the_one_exported(two_audio_clip: Path, tmp_path: Path) -> None:
    result = ea.open(two_audio_clip).export(tmp_path / "two.mp4", **FAST)
    kinds = _streams(result.path)[0]
    assert kinds == ["video", "audio"]
    samples, _ = audio_samples(result.path)
    assert np.abs(samples).max() < 0.01  # stream #1 is the silent one; the tone is not mixed in


def test_blur_destroys_detail_and_fill_is_solid(testsrc_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(testsrc_clip)
    plain = frame_at(testsrc_clip, 1.0).astype(int)
    for method in ("gaussian", "pixelate"):
        result = ev.blur((40, 40, 120, 100), method=method).export(tmp_path / f"{method}.mp4",
                                                                    crf=12, **FAST)
        blurred = frame_at(result.path, 1.0).astype(int)
        region = blurred[40:140, 40:160]
        original = plain[40:140, 40:160]
        # fine detail (pixel-to-pixel differences) is gone
        detail = np.abs(np.diff(region, axis=1)).mean()
        assert detail < 0.35 * np.abs(np.diff(original, axis=1)).mean(), method
        assert np.abs(blurred[180:230, 200:300] - plain[180:230, 200:300]).mean() < 6
    tiny = ev.blur((300, 5, 3, 3), method="pixelate").blur((0, 0, 2, 2)).export(
        tmp_path / "tiny.mp4", **FAST)
    assert tiny.duration == pytest.approx(3.0, abs=0.05)
    filled = ev.blur((40, 40, 120, 100), method="fill").export(tmp_path / "fill.mp4", **FAST)
    region = frame_at(filled.path, 1.0)[45:135, 45:155].astype(int)
    assert region.std() < 4 and region.mean() < 40


def test_timed_blur_only_inside_window(testsrc_clip: Path, tmp_path: Path) -> None:
    result = ea.open(testsrc_clip).blur((40, 40, 120, 100), start=1.0, end=2.0,
                                        method="fill").export(tmp_path / "timed.mp4", **FAST)
    assert frame_at(result.path, 1.5)[60:120, 60:140].std() < 4
    assert frame_at(result.path, 0.5)[60:120, 60:140].std() > 20
    assert frame_at(result.path, 2.5)[60:120, 60:140].std() > 20


SPECIAL = "we'ird: name, [1]; x\\y = 50% off"


def test_special_characters_in_paths_and_text(gray_clip: Path, copy_of: CopyOf,
                                              tmp_path: Path) -> None:
    source = copy_of(gray_clip, f"{SPECIAL}/in {SPECIAL}.mp4")
    out = (ea.open(source).title_card(SPECIAL, SPECIAL, SPECIAL, seconds=0.5)
           .text(SPECIAL + " {\\pos(0,0)}", at=(5, 5)).box((50, 50, 50, 50), label=SPECIAL))
    result = out.export(tmp_path / f"out {SPECIAL}" / f"{SPECIAL}.mp4", **FAST)
    assert result.path.name == f"{SPECIAL}.mp4" and result.path.is_file()
    assert result.duration == pytest.approx(4.5, abs=0.05)


def test_export_result_hash_and_size(gray_clip: Path, tmp_path: Path) -> None:
    import hashlib

    result = ea.open(gray_clip).export(tmp_path / "plain.mp4", **FAST)
    data = result.path.read_bytes()
    assert result.size_bytes == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.paths == (result.path,)


def test_progress_bar_shows_and_can_be_silenced(gray_clip: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    ev = ea.open(gray_clip)
    ev.export(tmp_path / "loud.mp4", speed="ultrafast", progress=True)
    shown = capsys.readouterr().err
    assert "loud.mp4" in shown and "4.0 s" in shown
    ev.export(tmp_path / "quiet.mp4", speed="ultrafast", progress=False)
    assert capsys.readouterr().err == ""


def test_cuts_keep_audio_and_video_in_sync(sync_clip: Path, tmp_path: Path) -> None:
    # remove 0.5-1.5 s: the flash and beep at source 2.0 s move to output 1.0 s (+ 0.5 s card)
    ev = ea.open(sync_clip).title_card("1", "2026-11-20", seconds=0.5).cut([(0.5, 1.5)])
    result = ev.export(tmp_path / "cut.mp4", **FAST)
    assert result.duration == pytest.approx(3.5, abs=0.05)
    flash = next(t for t, rgb in decode_frames(result.path) if t > 0.6 and rgb.mean() > 200)
    samples, rate = audio_samples(result.path)
    beep = np.flatnonzero(np.abs(samples) > 0.05)[0] / rate
    assert flash == pytest.approx(1.5, abs=0.05)
    assert beep == pytest.approx(1.5, abs=0.05)
