"""export(platform=...) and check(platform=...) agree: what exports, passes; what would not
pass is refused before anything is encoded."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.deliver.fit import budget_settings
from evidence_annotate.deliver.pipeline import Fit
from evidence_annotate.render.settings import EncodeSettings

FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}


def _never_encode(*args: object, **kwargs: object) -> None:
    raise AssertionError("ffmpeg must not run for an export that check() would fail")


@pytest.fixture(scope="module")
def tiny_portrait(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 s of 320x568, the size of a small phone clip, with a tone."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x568:r=30:d=2", "-f", "lavfi", "-i",
           "sine=d=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", str(path))
    return path


def test_below_minimum_resolution_is_refused_before_encoding(
        tiny_portrait: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("evidence_annotate.deliver.export.run_ffmpeg", _never_encode)
    with pytest.raises(ea.PlatformLimitError) as err:
        ea.open(tiny_portrait).export(tmp_path / "evidence.mp4", platform="aliexpress", **FAST)
    first_line = str(err.value).splitlines()[0]
    assert "320x568 (short side 320 px)" in first_line
    assert "aliexpress needs at least 480p" in first_line
    assert "record it again at 480p or higher" in first_line
    assert "does not upscale" in first_line
    assert (err.value.limit, err.value.value, err.value.maximum) == ("min_resolution", 320, 480)
    assert list(tmp_path.iterdir()) == []
    report = ea.check(tiny_portrait, platform="aliexpress")   # the verdict export() foresaw
    assert [p.code for p in report.problems] == ["resolution"]


def test_platforms_without_a_minimum_still_export_small_clips(tiny_portrait: Path,
                                                              tmp_path: Path) -> None:
    result = ea.open(tiny_portrait).export(tmp_path / "e.mp4", platform="shopee", **FAST)
    assert (result.width, result.height) == (320, 568)
    assert ea.check(result.path, platform="shopee").ok


@pytest.fixture(scope="module")
def portrait_480(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Exactly 2 s, stored 854x480 and shown as 480x854 (a phone held upright), with a tone."""
    folder = tmp_path_factory.mktemp("p480")
    plain = folder / "plain.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=854x480:r=30:d=2,noise=alls=20:allf=t",
           "-f", "lavfi", "-i", "sine=d=2", "-c:v", "libx264", "-preset", "ultrafast",
           "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(plain))
    path = folder / "portrait.mp4"
    ffmpeg("-display_rotation", "90", "-i", str(plain), "-c", "copy", str(path))
    return path


SHOP = ea.Platform("shop", max_seconds=3.0, min_resolution=480, recommended_resolution=720)


@pytest.mark.parametrize(
    ("platform", "card"),
    [(SHOP, 1.0),                                          # exactly at the duration limit
     (replace(SHOP, max_bytes=150_000), 0.0),              # two passes at a tight budget
     (replace(SHOP, max_seconds=1.5), 0.0)],               # split into parts
)
def test_successful_platform_exports_pass_check(portrait_480: Path, tmp_path: Path,
                                                platform: ea.Platform, card: float) -> None:
    ev = ea.open(portrait_480)
    if card:
        ev = ev.title_card("8123456789012", "2026-11-20", seconds=card)
    fit: Fit | None = "split" if platform.max_seconds == 1.5 else None
    result = ev.export(tmp_path / "evidence.mp4", platform=platform, fit=fit, **FAST)
    for path in result.paths:
        report = ea.check(path, platform=platform)
        assert report.ok, str(report)
        assert [w.code for w in report.warnings] == ["recommended_resolution"]


@pytest.fixture(scope="module")
def gray_info(gray_clip: Path) -> ea.MediaInfo:
    return ea.probe(gray_clip)


@given(short=st.integers(480, 1440), ratio=st.sampled_from([1.0, 4 / 3, 16 / 9, 2.17]),
       portrait=st.booleans(), seconds=st.floats(2.0, 15.0),
       max_bytes=st.integers(300_000, 10_000_000))
def test_budget_scaling_never_goes_below_the_minimum(gray_info: ea.MediaInfo, short: int,
                                                     ratio: float, portrait: bool,
                                                     seconds: float, max_bytes: int) -> None:
    long_side = round(short * ratio)
    size = (short, long_side) if portrait else (long_side, short)
    info = replace(gray_info, width=size[0], height=size[1])
    platform = ea.Platform("shop", max_bytes=max_bytes, min_resolution=480)
    try:
        budget = budget_settings(EncodeSettings(), platform, info, seconds)
    except ea.PlatformLimitError:
        return  # refused before encoding: fine
    if budget.settings.size is not None:
        width, height = budget.settings.size
        assert min(width, height) >= 480, (size, budget.settings.size)
        assert width % 2 == 0 and height % 2 == 0
        assert (width < height) == (size[0] < size[1]) or width == height
