"""Upload-ready exports with the real ffmpeg: budgets, split/trim, metadata, HDR, manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

import evidence_annotate as ea
from conftest import ffmpeg
from helpers import audio_samples, frame_at

FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}


@pytest.fixture(scope="module")
def busy_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10 s, 640x360, moving noisy picture (hard to compress) with a tone."""
    path = tmp_path_factory.mktemp("busy") / "busy.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=10,noise=alls=25:allf=t",
           "-f", "lavfi", "-i", "sine=f=440:d=10", "-c:v", "libx264", "-preset", "ultrafast",
           "-crf", "16", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path))
    return path


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 s, 640x480, 15 fps with a tone (longer than AliExpress allows, big enough for it)."""
    path = tmp_path_factory.mktemp("long") / "long.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x480:r=15:d=20", "-f", "lavfi", "-i",
           "sine=f=440:d=20", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", str(path))
    return path


def test_two_pass_lands_within_85_to_100_percent_of_the_budget(busy_clip: Path,
                                                               tmp_path: Path) -> None:
    budget = 400_000
    platform = ea.Platform("tight", max_bytes=budget)
    result = ea.open(busy_clip).box((100, 100, 80, 60)).export(
        tmp_path / "fit.mp4", platform=platform, **FAST)
    assert 0.85 * budget <= result.size_bytes <= budget, result.size_bytes
    assert result.duration == pytest.approx(10.0, abs=0.1)
    assert min(result.width, result.height) >= 240  # scaled down, not below the floor
    assert (result.width, result.height) != (640, 360)
    assert ea.check(result.path, platform).ok


def test_too_long_without_fit_names_the_limit_and_the_options(long_clip: Path,
                                                              tmp_path: Path) -> None:
    with pytest.raises(ea.PlatformLimitError, match=r"20\.0 s.*at most 15 s.*fit='split'") as err:
        ea.open(long_clip).export(tmp_path / "x.mp4", platform="aliexpress", **FAST)
    assert (err.value.limit, err.value.maximum) == ("max_seconds", 15.0)
    assert list(tmp_path.iterdir()) == []


def test_split_parts_fit_cover_the_clip_and_open_with_numbered_cards(narrated_clip: Path,
                                                                     tiny_model: str,
                                                                     tmp_path: Path) -> None:
    platform = ea.Platform("short", max_seconds=5.0)
    ev = (ea.open(narrated_clip).title_card("8123", "2026-11-20", seconds=1.0)
          .transcribe(model=tiny_model, progress=False).captions())
    result = ev.export(tmp_path / "ev.mp4", platform=platform, fit="split", **FAST)
    assert len(result.paths) >= 2
    assert [p.name for p in result.paths] == [f"ev_part{i}.mp4"
                                              for i in range(1, len(result.paths) + 1)]
    durations = [ea.probe(p).duration for p in result.paths]
    assert all(d <= 5.0 + 0.05 for d in durations), durations
    assert sum(d - 1.0 for d in durations) == pytest.approx(ev.info.duration, abs=0.25)
    cards = [frame_at(p, 0.5) for p in result.paths]
    assert np.abs(cards[0].astype(int) - cards[1].astype(int)).max() > 100  # "part 1" vs "2"
    words = ev.transcript.words if ev.transcript else ()
    cut = 0.0
    for d in durations[:-1]:
        cut += d - 1.0
        assert not any(w.start + 0.05 < cut < w.end - 0.05 for w in words), cut  # 1 frame
    assert ea.verify(result.manifest).ok if result.manifest else False


def test_trim_keeps_the_first_allowed_seconds(long_clip: Path, tmp_path: Path) -> None:
    result = ea.open(long_clip).title_card("1", "2026-11-20", seconds=2.0).export(
        tmp_path / "t.mp4", platform="aliexpress", fit="trim", **FAST)
    assert 14.0 <= result.duration <= 15.0
    assert result.paths == (result.path,)


def test_trim_and_cut_shorten_the_output(long_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(long_clip).box((10, 10, 50, 50), start=6, end=8).cut([(2, 5)]).trim(1, 12)
    assert ev.duration == pytest.approx(8.0, abs=0.01)
    result = ev.export(tmp_path / "c.mp4", **FAST)
    assert result.duration == pytest.approx(8.0, abs=0.1)
    # kept: source 1-2 s and 5-12 s; the box (source 6-8 s) is now output 2-4 s
    red = (frame_at(result.path, 3.0)[30, 8].astype(int))
    assert red[0] > 200 and red[1] < 90
    before = frame_at(result.path, 1.5)[30, 8].astype(int)
    assert not (before[0] > 200 and before[1] < 90)
    with pytest.raises(ValueError, match="nothing of the clip would remain"):
        ea.open(long_clip).cut([(0, 20)])


def test_gps_and_device_tags_never_reach_the_export(tmp_path: Path) -> None:
    source = tmp_path / "phone.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=320x240:r=30:d=1", "-f", "lavfi", "-i",
           "sine=d=1", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
           "-metadata", "location=+48.8577+002.2950/", "-metadata", "make=Apple",
           "-metadata", "model=iPhone 15 Pro", "-metadata", "creation_time=2026-11-20T10:00:00Z",
           "-metadata", "com.apple.quicktime.location.ISO6709=+48.8577+002.2950/",
           "-metadata:s:v", "handler_name=Core Media Video",
           "-movflags", "use_metadata_tags", str(source))
    ev = ea.open(source)
    assert ev.info.tags.get("location", "").startswith("+48.85")
    assert ev.info.tags.get("model") == "iPhone 15 Pro"
    plain = ev.export(tmp_path / "clean.mp4", **FAST)
    kept = ev.export(tmp_path / "kept.mp4", keep_metadata=("creation_time",), **FAST)
    raw = plain.path.read_bytes()
    for secret in (b"48.8577", b"iPhone", b"Apple", b"Core Media", b"Lavf"):
        assert secret not in raw, secret
    with av.open(str(plain.path)) as container:
        assert "location" not in container.metadata and "model" not in container.metadata
        assert [s.type for s in container.streams] == ["video", "audio"]
    with av.open(str(kept.path)) as container:
        assert container.metadata.get("creation_time", "").startswith("2026-11-20T10:00:00")
    assert b"48.8577" not in kept.path.read_bytes()


def test_hdr_hlg_10_bit_becomes_8_bit_bt709(tmp_path: Path) -> None:
    source = tmp_path / "hlg.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1", "-vf",
           "setparams=color_primaries=bt2020:color_trc=arib-std-b67:colorspace=bt2020nc",
           "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
           "-x265-params", "log-level=error", "-tag:v", "hvc1", str(source))
    info = ea.probe(source)
    assert info.hdr == "arib-std-b67" and info.bit_depth == 10 and info.video_codec == "hevc"
    result = ea.open(source).export(tmp_path / "sdr.mp4", **FAST)
    with av.open(str(result.path)) as container:
        cc = container.streams.video[0].codec_context
        assert (cc.name, cc.format.name) == ("h264", "yuv420p")
        assert (cc.color_trc, cc.color_primaries, cc.colorspace) == (1, 1, 1)  # bt709
    frame = frame_at(result.path, 0.5).astype(int)
    assert 40 < frame.mean() < 200  # tone-mapped, neither washed out nor black


def test_manifest_and_stills_and_report(gray_clip: Path, tmp_path: Path) -> None:
    ev = (ea.open(gray_clip).title_card("8123456789012", "2026-11-20", "Cracked", seconds=1.0)
          .box((100, 60, 120, 80), start=1.0, end=2.0))
    result = ev.export(tmp_path / "e.mp4", **FAST)
    assert result.manifest == tmp_path / "e.mp4.manifest.json"
    check = ea.verify(result.manifest)
    assert check.ok
    stills = ev.stills(tmp_path / "stills")
    assert len(stills) == 2 and all(p.suffix == ".png" for p in stills)
    from PIL import Image

    boxed = np.asarray(Image.open(stills[1]).convert("RGB"))
    assert boxed[100, 98, 0] > 200 and boxed[100, 98, 1] < 90  # the red box line
    chosen = ev.stills(tmp_path / "chosen", times=[3.0, 0.2])
    assert "003.000s" in chosen[0].name and "000.200s" in chosen[1].name
    pdf = ev.report(tmp_path / "e.pdf", manifest=result.manifest)
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "8123456789012" in text and result.sha256 in text
    no_manifest = ev.export(tmp_path / "n.mp4", manifest=False, **FAST)
    assert no_manifest.manifest is None and not (tmp_path / "n.mp4.manifest.json").exists()


def test_platform_refuses_a_container_it_does_not_take(gray_clip: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="aliexpress accepts mp4"):
        ea.open(gray_clip).export(tmp_path / "x.mkv", platform="aliexpress", **FAST)
    with pytest.raises(ValueError, match="not a fit mode"):
        ea.open(gray_clip).export(tmp_path / "x.mp4", platform="aliexpress", fit="squash",  # type: ignore[arg-type]
                                  **FAST)


def test_late_trim_seeks_and_keeps_overlays_and_audio_on_time(long_clip: Path,
                                                              tmp_path: Path) -> None:
    ev = ea.open(long_clip).box((10, 10, 50, 50), start=12, end=13).trim(10, 14)
    job = ev.compile(tmp_path / "j.mp4", tmp_path)
    assert job.argv[job.argv.index("-ss") + 1] == "9"  # decoding starts 1 s early, not at 0
    result = ev.export(tmp_path / "late.mp4", **FAST)
    assert result.duration == pytest.approx(4.0, abs=0.1)
    for t, boxed in ((1.5, False), (2.5, True), (3.5, False)):
        rgb = frame_at(result.path, t)[30, 8].astype(int)
        assert (rgb[0] > 200 and rgb[1] < 90) == boxed, t
    samples, rate = audio_samples(result.path)
    assert len(samples) / rate == pytest.approx(4.0, abs=0.1)
    assert np.abs(samples[: rate // 2]).max() > 0.05  # the tone, not padded silence
