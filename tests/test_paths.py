"""File names that ffmpeg would misread (``file:x.mp4``, ``a:b.mp4``, ``-x.mp4``) work.

ffmpeg and PyAV read anything before a ``:`` as a protocol. Every test runs in its own folder
with relative names, as a user in a shell would type them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.deliver.fit import budget_settings
from evidence_annotate.deliver.pipeline import detect_silences
from evidence_annotate.media import media_url
from evidence_annotate.render.settings import EncodeSettings
from evidence_annotate.speech.audio import decode_audio as _decode_audio
from helpers import close, decode_frames, pixel

BLUE = (0, 0, 255)


def _clip(name: str, colour: str, *, sound: bool = False, size: str = "160x120:r=10") -> Path:
    """A 1 s clip of one colour in the current folder (a gap in its tone if asked)."""
    audio = ["-f", "lavfi", "-i",
             "sine=f=440:d=1,volume=volume=0:enable='between(t,0.3,0.7)'"] if sound else []
    ffmpeg("-f", "lavfi", "-i", f"color=c={colour}:s={size}:d=1", *audio,
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           *(["-c:a", "aac"] if sound else []), "-f", "mp4", media_url(name))
    return Path(name)


@pytest.mark.parametrize("name", ["file:decoy.mp4", "a:b.mp4", "-x.mp4", "http:x.mp4",
                                  "sub/dir:y.mp4"])
def test_media_url_is_absolute(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = media_url(name)
    assert os.path.isabs(url)
    assert url == str(tmp_path / name)
    assert media_url(tmp_path / name) == url


def test_decoy_with_a_protocol_like_name_renders_itself(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _clip("decoy.mp4", "red")
    source = _clip("file:decoy.mp4", "blue")
    ev = ea.open(source)
    assert close(pixel(ev.preview(0.5), 80, 60), BLUE)
    result = ev.export("evidence.mp4", speed="ultrafast", progress=False)
    _, frame = next(decode_frames(tmp_path / "evidence.mp4"))
    assert close(pixel(frame, 80, 60), BLUE), "the export rendered decoy.mp4"
    assert result.manifest is not None
    assert ea.verify(result.manifest).ok


def test_colon_in_input_and_output_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = _clip("a:b.mp4", "blue", sound=True)
    info = ea.probe(source)
    assert (info.width, info.height) == (160, 120) and info.has_audio
    assert ea.check(source).ok
    result = ea.open(source).box((20, 20, 60, 40)).export("out:colon.mp4", speed="ultrafast",
                                                           progress=False)
    assert result.path == Path("out:colon.mp4")
    assert (tmp_path / "out:colon.mp4").is_file()
    assert ea.probe("out:colon.mp4").duration == pytest.approx(1.0, abs=0.15)
    assert not [p.name for p in tmp_path.iterdir() if ".partial" in p.name]


def test_colon_name_reaches_every_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    info = ea.probe(_clip("a:b.mp4", "blue", sound=True))
    silences = detect_silences(info, min_seconds=0.2)
    assert len(silences) == 1 and silences[0][0] == pytest.approx(0.3, abs=0.1)
    samples = _decode_audio(info.path, info.audio_stream or 0)
    assert samples.size == pytest.approx(16_000, rel=0.1)
    assert ea.check(info.path).ok
    composition = ea.open(info.path).to_moviepy()
    try:
        frame = np.asarray(composition.get_frame(0.5))
    finally:
        composition.close()
    assert close(pixel(frame, 80, 60), BLUE)


def test_two_pass_export_into_a_relative_folder_with_colons(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = _clip("a:b.mp4", "blue", sound=True, size="320x240:r=30")
    shop = ea.Platform("shop", max_bytes=40_000, max_seconds=10)
    assert budget_settings(EncodeSettings(), shop, ea.probe(source), 1.0).two_pass
    result = ea.open(source).export("x:dir/out:1.mp4", platform=shop, speed="ultrafast",
                                    progress=False)
    assert result.size_bytes <= 40_000
    assert ea.check("x:dir/out:1.mp4", platform=shop).ok
