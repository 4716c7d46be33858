"""Platforms as data files, and check() on real generated clips."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import pytest

from conftest import ffmpeg
from evidence_annotate.errors import InputError
from evidence_annotate.platforms import Platform, platforms, resolve_platform
from evidence_annotate.platforms.check import Finding, Report, check, container_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LIMIT_FIELDS = ("max_bytes", "max_seconds", "containers", "video_codecs", "audio_codecs",
                "min_resolution", "recommended_resolution", "phone_regions")


def _clip(folder: Path, name: str, video: str, *extra: str, audio: bool = True) -> Path:
    path = folder / name
    if not path.exists():
        sound = ["-f", "lavfi", "-i", "sine=f=440:d=30"] if audio else []
        codec = [] if "-c:v" in extra else ["-c:v", "libx264", "-preset", "ultrafast"]
        ffmpeg("-f", "lavfi", "-i", video, *sound, *codec, "-pix_fmt", "yuv420p",
               *(["-c:a", "aac", "-shortest"] if audio else []), *extra, str(path))
    return path


@pytest.fixture(scope="session")
def long_clip(media_dir: Path) -> Path:
    """20 s at 160x120 and 10 fps (tiny and fast to make)."""
    return _clip(media_dir, "long20.mp4", "color=c=gray:s=160x120:r=10:d=20")


@pytest.fixture(scope="session")
def big_clip(media_dir: Path) -> Path:
    """2 s of 640x480 noise at a forced 60 Mbit/s: about 15 MB."""
    return _clip(media_dir, "big.mp4", "testsrc2=s=640x480:r=30:d=2", "-b:v", "60M",
                 "-minrate", "60M", "-maxrate", "60M", "-bufsize", "2M",
                 "-x264-params", "nal-hrd=cbr")


@pytest.fixture(scope="session")
def sd_clip(media_dir: Path) -> Path:
    """1 s at 640x480: short side 480 = the aliexpress minimum, below its 720 recommendation."""
    return _clip(media_dir, "sd480.mp4", "color=c=gray:s=640x480:r=30:d=1")


@pytest.fixture(scope="session")
def hd_clip(media_dir: Path) -> Path:
    """1 s at 1280x720 with sound: meets every aliexpress value."""
    return _clip(media_dir, "hd720.mp4", "color=c=gray:s=1280x720:r=30:d=1")


@pytest.fixture(scope="session")
def mpeg4_mkv_clip(media_dir: Path) -> Path:
    """1 s of MPEG-4 Part 2 video in Matroska, with AAC audio."""
    return _clip(media_dir, "mpeg4.mkv", "color=c=gray:s=640x480:r=30:d=1", "-c:v", "mpeg4")


# ------------------------------------------------------------------------- platforms as data
def test_builtin_platforms_are_listed_from_package_data() -> None:
    files = sorted(p.name[:-5] for p in resources.files("evidence_annotate.platforms").iterdir()
                   if p.name.endswith(".toml"))
    assert platforms() == ("aliexpress", "generic", "shopee")
    assert list(platforms()) == files


@pytest.mark.parametrize(("name", "max_bytes", "max_seconds", "minimum", "recommended"), [
    ("aliexpress", 10_000_000, 15.0, 480, 720),
    ("shopee", 30_000_000, 60.0, None, 720),
    ("generic", None, None, None, None),
])
def test_builtin_values(name: str, max_bytes: int | None, max_seconds: float | None,
                        minimum: int | None, recommended: int | None) -> None:
    platform = Platform.load(name)
    assert (platform.max_bytes, platform.max_seconds) == (max_bytes, max_seconds)
    assert (platform.min_resolution, platform.recommended_resolution) == (minimum, recommended)
    assert (platform.containers, platform.video_codecs, platform.audio_codecs) == \
        (("mp4",), ("h264",), ("aac",))


@pytest.mark.parametrize("name", ["aliexpress", "shopee", "generic"])
def test_every_toml_field_has_a_source(name: str) -> None:
    text = (resources.files("evidence_annotate.platforms") / f"{name}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    assert data.pop("name") == name
    assert set(data) == set(LIMIT_FIELDS)
    for key, entry in data.items():
        assert isinstance(entry["source"], str) and len(entry["source"]) > 10, key
    assert set(Platform.load(name).sources) == set(LIMIT_FIELDS)


def test_aliexpress_source_keeps_the_looser_published_values() -> None:
    sources = Platform.load("aliexpress").sources
    assert "2 GB" in sources["max_bytes"]
    assert all(fmt in sources["containers"] for fmt in ("AVI", "FLV", "MPEG", "WMV", "MOV"))


def test_custom_platform_passes_through_and_normalises() -> None:
    mine = Platform("MyShop", max_seconds=30, containers=("MP4", "mov"))
    assert resolve_platform(mine) is mine
    assert (mine.name, mine.max_seconds, mine.containers) == ("myshop", 30.0, ("mp4", "mov"))
    assert mine == Platform("myshop", max_seconds=30.0, containers=("mp4", "mov"))
    assert hash(mine) == hash(Platform("myshop", max_seconds=30.0, containers=("mp4", "mov")))


def test_resolve_name_is_case_insensitive() -> None:
    assert resolve_platform(" AliExpress ") == Platform.load("aliexpress")


def test_unknown_platform_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown platform 'amazon'") as err:
        resolve_platform("amazon")
    assert all(name in str(err.value) for name in platforms())
    assert "ea.Platform(" in str(err.value)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"max_bytes": -1}, "max_bytes=-1 must be a whole number > 0"),
    ({"max_seconds": 0}, "max_seconds=0 must be a number > 0"),
    ({"max_bytes": 1.5}, "max_bytes=1.5 must be a whole number"),
    ({"min_resolution": 720, "recommended_resolution": 480}, "recommended_resolution=480"),
    ({"containers": "mp4"}, "must be a list of names"),
    ({"sources": {"max_size": "x"}}, "unknown fields \\['max_size'\\]"),
])
def test_invalid_custom_platform(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Platform("x", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "message"), [
    ('name = "x"\n[max_seconds]\nvalue = 9\n', "must be a table with .* `source`"),
    ('name = "x"\n[max_size]\nsource = "s"\n', "unknown field 'max_size'"),
    ('[max_seconds]\nsource = "s"\n', "needs a top-level name"),
    ('name = "x"\nmax_seconds = [', "invalid TOML"),
])
def test_invalid_platform_files(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Platform.from_toml(text)


def test_platform_from_user_file(tmp_path: Path) -> None:
    path = tmp_path / "shop.toml"
    path.write_text('name = "shop"\n[max_seconds]\nvalue = 90\nsource = "Seller FAQ"\n'
                    '[containers]\nsource = "any"\n', encoding="utf-8")
    shop = Platform.from_file(path)
    assert (shop.max_seconds, shop.containers, shop.sources["max_seconds"]) == \
        (90.0, (), "Seller FAQ")


# ------------------------------------------------------------------------------------ check
def test_duration_over_limit(long_clip: Path) -> None:
    report = check(long_clip, platform="aliexpress")
    assert not report.ok
    problem = next(p for p in report.problems if p.code == "duration")
    assert problem.measured == pytest.approx(20.0, abs=0.05)
    assert problem.limit == 15.0
    assert "20 s" in problem.message and "15 s" in problem.message
    assert 'platform="aliexpress", fit="split"' in problem.message
    assert problem.fix is not None and 'fit="split"' in problem.fix


def test_size_over_limit(big_clip: Path) -> None:
    report = check(big_clip, platform="aliexpress")
    problem = next(p for p in report.problems if p.code == "size")
    assert isinstance(problem.measured, int) and problem.measured > 10_000_000
    assert problem.limit == 10_000_000
    assert "10 MB" in problem.message and str(problem.measured) in problem.message
    assert [p.code for p in report.problems] == ["size"]


def test_below_minimum_resolution(gray_clip: Path) -> None:
    report = check(gray_clip, platform="aliexpress")
    assert [p.code for p in report.problems] == ["resolution"]
    problem = report.problems[0]
    assert (problem.measured, problem.limit) == (240, 480)
    assert "320x240" in problem.message and "480p" in problem.message


def test_below_recommended_resolution_is_a_warning(sd_clip: Path) -> None:
    report = check(sd_clip, platform="aliexpress")
    assert report.ok
    assert [(w.code, w.measured, w.limit) for w in report.warnings] == \
        [("recommended_resolution", 480, 720)]


def test_hd_clip_passes_aliexpress_cleanly(hd_clip: Path) -> None:
    report = check(hd_clip, platform="aliexpress")
    assert report.ok and not report.warnings and not report.info
    assert {f.code for f in report.passed} == {"container", "video_codec", "audio_codec",
                                               "duration", "size", "resolution"}


def test_missing_audio_is_a_warning(silent_video_clip: Path) -> None:
    report = check(silent_video_clip, platform="generic")
    assert report.ok
    assert [w.code for w in report.warnings] == ["audio"]
    assert "no audio" in report.warnings[0].message


def test_portrait_rotation_is_info(portrait_clip: Path) -> None:
    report = check(portrait_clip, platform="generic")
    rotation = next(i for i in report.info if i.code == "rotation")
    assert rotation.measured == 90.0
    assert "240x320" in rotation.message


def test_resolution_uses_the_short_side(portrait_clip: Path) -> None:
    tall = Platform("tall", min_resolution=240, recommended_resolution=300)
    report = check(portrait_clip, platform=tall)
    assert report.ok
    assert ("recommended_resolution", 240) in [(w.code, w.measured) for w in report.warnings]


def test_vfr_is_info(vfr_clip: Path) -> None:
    report = check(vfr_clip, platform="generic")
    assert [i.code for i in report.info] == ["vfr"]
    assert report.ok


def test_wrong_container_and_codec(mpeg4_mkv_clip: Path) -> None:
    report = check(mpeg4_mkv_clip, platform="aliexpress")
    by_code = {p.code: p for p in report.problems}
    assert set(by_code) == {"container", "video_codec"}
    assert (by_code["container"].measured, by_code["container"].limit) == ("mkv", "mp4")
    assert (by_code["video_codec"].measured, by_code["video_codec"].limit) == ("mpeg4", "h264")
    assert 'export("evidence.mp4", platform="aliexpress")' in by_code["container"].message


@pytest.mark.parametrize(("suffix", "args", "expected"), [
    (".mov", (), "mov"),
    (".mp4", (), "mp4"),
    (".webm", ("-c:v", "libvpx-vp9", "-deadline", "realtime"), "webm"),
])
def test_container_names(tmp_path: Path, suffix: str, args: tuple[str, ...],
                         expected: str) -> None:
    path = tmp_path / f"c{suffix}"
    ffmpeg("-f", "lavfi", "-i", "color=s=64x64:r=10:d=0.3", *args, str(path))
    assert container_name(path) == expected


def test_generic_passes_long_big_and_small(long_clip: Path, big_clip: Path,
                                           gray_clip: Path) -> None:
    for clip in (long_clip, big_clip, gray_clip):
        report = check(clip, platform="generic")
        assert report.ok and not report.warnings, str(report)


def test_custom_platform_fix_does_not_name_a_builtin(gray_clip: Path) -> None:
    report = check(gray_clip, platform=Platform("tiny", max_seconds=1))
    assert report.problems[0].fix is not None
    assert "platform=your_platform" in report.problems[0].fix


def test_report_text_and_json(long_clip: Path) -> None:
    report = check(long_clip, platform="aliexpress")
    text = str(report)
    assert text.splitlines()[0] == "long20.mp4 for aliexpress: NOT OK (2 problems, 0 warnings)"
    assert "  FAIL duration: duration 20 s" in text and "  ok   size:" in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is False and data["platform"] == "aliexpress"
    assert [p["code"] for p in data["problems"]] == ["duration", "resolution"]
    assert data["problems"][0]["limit"] == 15.0


def test_empty_report_is_ok() -> None:
    report = Report(Path("x.mp4"), Platform("x"), warnings=(Finding("audio", "no audio"),))
    assert report.ok and "OK (0 problems, 1 warning)" in str(report)


def test_bad_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        check(tmp_path / "missing.mp4", platform="aliexpress")
