from __future__ import annotations

import time
from pathlib import Path

import pytest

import evidence_annotate as ea


def test_landscape_probe(gray_clip: Path) -> None:
    info = ea.probe(gray_clip)
    assert (info.width, info.height) == (320, 240)
    assert info.rotation == 0
    assert info.duration == pytest.approx(4.0, abs=0.05)
    assert info.fps == pytest.approx(30.0, rel=0.01)
    assert not info.vfr
    assert info.has_audio and info.audio_codec == "aac"
    assert info.video_codec == "h264" and info.pix_fmt == "yuv420p" and info.bit_depth == 8
    assert info.size_bytes == gray_clip.stat().st_size
    assert info.hdr is None
    assert "major_brand" in info.tags


def test_portrait_rotation_swaps_displayed_size(portrait_clip: Path) -> None:
    info = ea.probe(portrait_clip)
    assert (info.coded_width, info.coded_height) == (320, 240)
    assert (info.width, info.height) == (240, 320)
    assert info.rotation == 90
    assert info.portrait


def test_vfr_detected_with_real_duration(vfr_clip: Path) -> None:
    info = ea.probe(vfr_clip)
    assert info.vfr
    assert info.duration == pytest.approx(6.0, abs=0.25)
    # 60 frames in the first 2 s, then 6 fps: far fewer than 30 fps * 6 s.
    assert 70 < info.frame_count < 110
    assert info.fps < 20


def test_odd_size_and_no_audio(odd_clip: Path) -> None:
    info = ea.probe(odd_clip)
    assert (info.width, info.height) == (321, 241)
    assert not info.has_audio and info.audio_stream is None and info.audio_streams == 0


def test_first_decodable_audio_is_chosen(two_audio_clip: Path) -> None:
    info = ea.probe(two_audio_clip)
    assert info.audio_streams == 2
    assert info.audio_stream == 1


def test_late_audio_start_is_measured(sync_clip: Path) -> None:
    info = ea.probe(sync_clip)
    assert info.audio_start == pytest.approx(0.5, abs=0.05)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.mp4", "does not exist"),
        (lambda d: d, "is a folder"),
        (lambda d: _write(d / "empty.mp4", b""), "is empty"),
        (lambda d: _write(d / "garbage.mp4", bytes(range(256)) * 400), "cannot be read as video"),
        (lambda d: _write(d / "notes.mp4", b"just some text\n" * 100), "cannot be read as video"),
    ],
)
def test_unreadable_inputs_raise_input_error(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    started = time.monotonic()
    with pytest.raises(ea.InputError, match=message) as info:
        ea.open(path)
    assert time.monotonic() - started < 5
    assert info.value.path == str(path)


def test_truncated_mp4_without_index(gray_clip: Path, tmp_path: Path) -> None:
    data = gray_clip.read_bytes()
    assert data.find(b"moov") > len(data) // 2, "fixture must keep its index at the end"
    cut = _write(tmp_path / "cut.mp4", data[: len(data) // 2])
    with pytest.raises(ea.InputError, match="moov"):
        ea.open(cut)


def test_audio_only_file_is_refused(tmp_path: Path) -> None:
    from conftest import ffmpeg

    path = tmp_path / "voice.m4a"
    ffmpeg("-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", str(path))
    with pytest.raises(ea.InputError, match="no video stream"):
        ea.open(path)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
