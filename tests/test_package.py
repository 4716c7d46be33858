"""The evidence package: round trip, platform limits, and a tampered ZIP in every way."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.deliver.original import packets_sha256, private_original
from evidence_annotate.deliver.package import INDEX, Member, name_problem, write_package
from evidence_annotate.deliver.package_verify import verify_package
from evidence_annotate.errors import InputError, PlatformLimitError
from evidence_annotate.media import probe
from helpers import tmp_leftovers

SRT = "1\n00:00:00,500 --> 00:00:02,000\nthe corner is cracked\n\n"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory, gray_clip: Path) -> Path:
    folder = tmp_path_factory.mktemp("package")
    captions = folder / "said.srt"
    captions.write_text(SRT, encoding="utf-8")
    ev = (ea.open(gray_clip).title_card(order="8123456789012", date="2026-11-20", seconds=1.0)
          .box((20, 20, 100, 80), start=0.5, end=2.0, label="Crack")
          .captions(source=captions))
    result = ev.package(folder / "evidence.zip", original="exact")
    assert result.path == folder / "evidence.zip" and not result.left_out
    return result.path


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def _rewrite(source: Path, target: Path,
             change: Callable[[str, bytes], list[tuple[str, bytes]]]) -> Path:
    """Copy a ZIP member by member through ``change`` (name, data) -> new members."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            for name, data in change(info.filename, old.read(info)):
                new.writestr(zipfile.ZipInfo(name), data)
    return target


def test_package_holds_every_file_and_verifies(package: Path, gray_clip: Path) -> None:
    names = _names(package)
    assert names[0] == INDEX
    assert "gray_evidence.mp4" in names and "gray_evidence.mp4.manifest.json" in names
    assert "report.pdf" in names and "original/gray.mp4" in names
    assert any(n.startswith("captions/") and n.endswith(".srt") for n in names)
    assert any(n.startswith("captions/") and n.endswith(".vtt") for n in names)
    assert any(n.startswith("stills/") and n.endswith(".png") for n in names)
    with zipfile.ZipFile(package) as archive:
        assert archive.read("original/gray.mp4") == gray_clip.read_bytes()
        srt = next(n for n in names if n.endswith(".srt"))
        assert "the corner is cracked" in archive.read(srt).decode("utf-8")
    result = ea.verify(package)
    assert result.ok, str(result)
    assert {f.name for f in result.files} == set(names) - {INDEX}
    assert all(f.role == "member" for f in result.files)
    assert not tmp_leftovers(package.parent)


def _flip_byte(name: str, data: bytes, target: str) -> list[tuple[str, bytes]]:
    if name != target:
        return [(name, data)]
    middle = len(data) // 2
    return [(name, data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:])]


def test_one_byte_of_the_video_fails(package: Path, tmp_path: Path) -> None:
    bad = _rewrite(package, tmp_path / "bad.zip",
                   lambda n, d: _flip_byte(n, d, "gray_evidence.mp4"))
    result = ea.verify(bad)
    assert not result.ok
    assert [f.name for f in result.files if not f.ok] == ["gray_evidence.mp4"]
    assert "CHANGED" in str(result)


def test_a_caption_line_changed_fails(package: Path, tmp_path: Path) -> None:
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        return [(name, data.replace(b"cracked", b"perfect") if name.endswith(".srt") else data)]
    result = ea.verify(_rewrite(package, tmp_path / "bad.zip", change))
    assert not result.ok and next(f.name for f in result.files if not f.ok).endswith(".srt")


def test_the_manifest_and_its_listing_changed_together_still_fail(package: Path,
                                                                   tmp_path: Path) -> None:
    """Edit the export manifest's video hash AND package.json: the video disagrees."""
    import hashlib

    manifest_name = "gray_evidence.mp4.manifest.json"
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read(manifest_name))
    manifest["outputs"][0]["sha256"] = "0" * 64
    forged = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")

    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name == manifest_name:
            return [(name, forged)]
        if name == INDEX:
            index = json.loads(data)
            for entry in index["members"]:
                if entry["name"] == manifest_name:
                    entry["sha256"] = hashlib.sha256(forged).hexdigest()
            return [(name, json.dumps(index).encode("utf-8"))]
        return [(name, data)]
    result = ea.verify(_rewrite(package, tmp_path / "bad.zip", change))
    assert all(f.ok for f in result.files) and not result.ok
    assert any(manifest_name in p for p in result.problems)


def test_the_manifest_alone_changed_fails(package: Path, tmp_path: Path) -> None:
    bad = _rewrite(package, tmp_path / "bad.zip", lambda n, d: _flip_byte(
        n, d, "gray_evidence.mp4.manifest.json"))
    assert not ea.verify(bad).ok


def test_a_renamed_member_fails(package: Path, tmp_path: Path) -> None:
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        return [("report2.pdf" if name == "report.pdf" else name, data)]
    result = ea.verify(_rewrite(package, tmp_path / "bad.zip", change))
    assert not result.ok
    assert [f.name for f in result.files if f.missing] == ["report.pdf"]
    assert result.problems == (f"report2.pdf is in the package but not listed in {INDEX}",)


@pytest.mark.parametrize(("name", "why"), [
    ("../evil.sh", "'..' part"), ("/etc/passwd", "absolute"), ("stills/../../x", "'..' part"),
    ("C:/x.txt", "Windows"), ("a\\b.txt", "Windows"), ("stills//a.png", "empty"),
])
def test_unsafe_member_names_are_refused(package: Path, tmp_path: Path, name: str,
                                         why: str) -> None:
    bad = _rewrite(package, tmp_path / "bad.zip",
                   lambda n, d: [(n, d), *([(name, b"x")] if n == INDEX else [])])
    with pytest.raises(InputError, match=why):
        ea.verify(bad)


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_duplicate_member_is_refused(package: Path, tmp_path: Path) -> None:
    bad = _rewrite(package, tmp_path / "bad.zip",
                   lambda n, d: [(n, d), (n, b"other")] if n == "report.pdf" else [(n, d)])
    with pytest.raises(InputError, match="appears twice"):
        verify_package(bad)


def test_a_zip_bomb_like_member_is_refused_before_reading(package: Path,
                                                          tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(package) as old, zipfile.ZipFile(bomb, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr(zipfile.ZipInfo("stills/zeros.png"), b"\0" * (8 * 1024 * 1024),
                     compress_type=zipfile.ZIP_DEFLATED)
    with pytest.raises(InputError, match="zip bomb"):
        ea.verify(bomb)


def test_not_a_package_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("a.txt", "hello")
    with pytest.raises(InputError, match=r"no package\.json"):
        ea.verify(plain)
    (tmp_path / "text.zip").write_text("not a zip")
    with pytest.raises(InputError, match="not a ZIP"):
        ea.verify(tmp_path / "text.zip")


def test_the_original_is_left_out_when_it_cannot_fit(tmp_path: Path) -> None:
    small, big = tmp_path / "notes.txt", tmp_path / "original.mov"
    small.write_text("order 8123456789012\n")
    big.write_bytes(b"\1" * 50_000)
    result = write_package(tmp_path / "p.zip", [Member("notes.txt", small),
                                                 Member("original.mov", big, "original", True)],
                           max_bytes=20_000, platform="Shopee")
    assert [m.name for m in result.members] == ["notes.txt"]
    assert "Shopee's 20,000 byte limit" in result.left_out[0][1]
    with zipfile.ZipFile(result.path) as archive:
        index = json.loads(archive.read(INDEX))
    assert index["notes"] == [result.left_out[0][1]]
    assert ea.verify(result.path).ok and result.size_bytes <= 20_000


def test_required_members_over_the_limit_are_refused_and_nothing_is_left(
        tmp_path: Path) -> None:
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\1" * 50_000)
    with pytest.raises(PlatformLimitError, match="accepts at most 20,000"):
        write_package(tmp_path / "p.zip", [Member("video.mp4", big, "video")], max_bytes=20_000)
    assert not (tmp_path / "p.zip").exists() and not tmp_leftovers(tmp_path)


@pytest.mark.parametrize("name", ["../x", "a b.txt", "package.json", ""])
def test_write_package_refuses_bad_names(tmp_path: Path, name: str) -> None:
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(ValueError, match="package member name"):
        write_package(tmp_path / "p.zip", [Member(name, tmp_path / "f.txt")])


def test_name_problem_accepts_plain_names() -> None:
    assert name_problem("captions/gray.en.srt") is None
    assert name_problem("x" * 201) is not None


def test_private_original_drops_metadata_but_keeps_every_packet(tmp_path: Path,
                                                               gray_clip: Path) -> None:
    tagged = tmp_path / "IMG_0042.mp4"
    ffmpeg("-i", str(gray_clip), "-c", "copy", "-metadata", "location=+06.2088+106.8456/",
           "-metadata", "make=PhoneMaker", "-metadata:s:v", "handler_name=Camera",
           "-movflags", "use_metadata_tags", str(tagged))
    info = probe(tagged)
    copy = private_original(info, tmp_path / "private.mp4")
    assert copy.packets_unchanged
    assert packets_sha256(tagged) == packets_sha256(copy.path)
    assert {"location", "make"} <= set(copy.removed_tags)
    assert "location" not in probe(copy.path).tags
    assert "byte-identical" in copy.note and "location" in copy.note
