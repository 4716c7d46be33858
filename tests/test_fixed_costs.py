"""What an export does besides the graph: the sound's format kept, every file hashed once."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import av
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.deliver.hashing import BackgroundHash

FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}


def _sound(path: Path) -> tuple[int, int]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return stream.codec_context.sample_rate, stream.codec_context.channels


def _clip(folder: Path, name: str, rate: int, layout: str) -> Path:
    path = folder / name
    ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=160x120:r=30:d=1", "-f", "lavfi", "-i",
           f"sine=f=440:d=1:sample_rate={rate}", "-af", f"aformat=channel_layouts={layout}",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
           "-shortest", str(path))
    return path


@pytest.mark.parametrize(("rate", "layout", "expected"), [
    (44_100, "mono", (44_100, 1)),
    (48_000, "stereo", (48_000, 2)),
    (44_100, "stereo", (44_100, 2)),
    (96_000, "5.1", (48_000, 2)),
    (22_050, "mono", (44_100, 1)),
])
def test_export_keeps_a_common_sample_rate_and_mono_or_stereo(
        tmp_path: Path, rate: int, layout: str, expected: tuple[int, int]) -> None:
    source = _clip(tmp_path, f"in_{rate}_{layout}.mp4", rate, layout)
    result = ea.open(source).box((10, 10, 40, 30)).export(tmp_path / "out.mp4", **FAST)
    assert _sound(result.path) == expected
    assert result.duration == pytest.approx(1.0, abs=0.1)


def test_a_kept_44k_rate_still_delays_the_sound_by_the_card(gray_clip: Path,
                                                            tmp_path: Path) -> None:
    plain = ea.open(gray_clip).export(tmp_path / "plain.mp4", manifest=False, **FAST)
    carded = ea.open(gray_clip).title_card("1", "2026-11-20", seconds=1.0).export(
        tmp_path / "card.mp4", manifest=False, **FAST)
    assert _sound(carded.path) == _sound(plain.path) == (44_100, 1)
    with av.open(str(carded.path)) as container:
        samples = sum(frame.samples for frame in container.decode(audio=0))
    # one second more sound than the 4 s clip (AAC adds at most a frame of priming)
    assert samples == pytest.approx(5 * 44_100, abs=1024)


def test_manifest_hashes_are_the_files_bytes(gray_clip: Path, tmp_path: Path) -> None:
    result = ea.open(gray_clip).box((10, 10, 40, 30)).export(tmp_path / "e.mp4", **FAST)
    assert result.manifest is not None
    data = json.loads(result.manifest.read_text())
    output = hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert result.sha256 == data["outputs"][0]["sha256"] == output
    assert data["input"]["sha256"] == hashlib.sha256(gray_clip.read_bytes()).hexdigest()
    assert data["outputs"][0]["size_bytes"] == result.path.stat().st_size


@settings(max_examples=25, deadline=None)
@given(size=st.sampled_from([0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1]) | st.integers(0, 5000),
       seed=st.integers(0, 255))
def test_background_hash_equals_hashlib(tmp_path_factory: pytest.TempPathFactory, size: int,
                                        seed: int) -> None:
    path = tmp_path_factory.mktemp("hash") / "data"
    data = bytes((seed + i * 7) % 256 for i in range(size % 4096)) * (size // 4096 + 1)
    data = data[:size]
    path.write_bytes(data)
    with BackgroundHash(path) as digest:
        pass
    assert digest.result() == hashlib.sha256(data).hexdigest()


def test_background_hash_reports_a_missing_file_and_a_cancel(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        BackgroundHash(tmp_path / "missing").result()
    path = tmp_path / "big"
    path.write_bytes(b"x" * (8 << 20))
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    for stop in ("cancel", "exception"):
        hashing = BackgroundHash(path)
        if stop == "cancel":
            hashing.cancel()
        else:
            with pytest.raises(KeyError), hashing:
                raise KeyError("a failure inside the block")
        assert not hashing._thread.is_alive()  # stopped (or done) when the block is left
        try:
            digest = hashing.result()
        except RuntimeError as err:  # stopped before the end
            digest = str(err)
        # it finished first (then the digest is right) or it says it was cancelled
        assert digest == expected or "cancelled" in digest
