"""Manifests are shared files: no local folders in them, and a hostile one is refused clearly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import evidence_annotate as ea
from evidence_annotate.deliver.manifest import SCHEMA, write_manifest
from evidence_annotate.deliver.verify import read_manifest, verify
from evidence_annotate.media import probe
from evidence_annotate.plan import Plan

DIGEST = "0" * 64


def _manifest(folder: Path, *, outputs: list[str], input_path: str = "in.mp4") -> Path:
    path = folder / "x.mp4.manifest.json"
    path.write_text(json.dumps({
        "schema": SCHEMA,
        "input": {"name": "in.mp4", "path": input_path, "sha256": DIGEST},
        "outputs": [{"name": name, "sha256": DIGEST} for name in outputs],
    }), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "why"), [
    ("../secret.mp4", "leaves the manifest's folder"),
    ("sub/../../secret.mp4", "leaves the manifest's folder"),
    ("..\\secret.mp4", "leaves the manifest's folder"),
    ("/etc/passwd", "is an absolute path"),
    ("\\\\server\\share\\x.mp4", "is an absolute path"),
    ("C:\\Users\\me\\x.mp4", "names a drive"),
    ("c:x.mp4", "names a drive"),
    ("x\0.mp4", "contains a NUL character"),
    (".", "names no file"),
])
def test_output_names_must_stay_in_the_manifest_folder(tmp_path: Path, name: str,
                                                       why: str) -> None:
    (tmp_path / "secret.mp4").write_bytes(b"not yours")
    path = _manifest(tmp_path, outputs=["x.mp4", name])
    with pytest.raises(ea.InputError, match=rf"outputs\[1\] name .* {why}") as err:
        verify(path)
    assert err.value.path == str(path)
    assert "\n" not in str(err.value)


def test_input_path_may_not_leave_the_folder(tmp_path: Path) -> None:
    path = _manifest(tmp_path, outputs=["x.mp4"], input_path="../../home/me/in.mp4")
    with pytest.raises(ea.InputError, match=r"input path '\.\./\.\./home/me/in\.mp4' leaves"):
        verify(path)


def test_an_older_absolute_input_path_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "in.mp4").write_bytes(b"somewhere else")
    folder = tmp_path / "shared"
    folder.mkdir()
    path = _manifest(folder, outputs=["x.mp4"], input_path=str(elsewhere / "in.mp4"))
    result = verify(path)
    assert result.files[0].path == folder / "in.mp4"
    assert result.files[0].missing


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deep_nesting_is_refused_without_recursion_error(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.manifest.json"
    path.write_text('{"schema": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    with pytest.raises(ea.InputError, match=f"JSON nested {depth + 1} levels deep"):
        read_manifest(path)


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    path = _manifest(tmp_path, outputs=["x.mp4"])
    data = json.loads(path.read_text(encoding="utf-8"))
    data["note"] = "[" * 1000 + '\\"{' * 500
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_manifest(path)["note"] == data["note"]


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.manifest.json"
    with path.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)
    with pytest.raises(ea.InputError, match="67,108,864 bytes, more than"):
        read_manifest(path)


def _write(folder: Path, source: Path, model: str | None = None) -> tuple[Path, dict[str, Any]]:
    out = folder / "out.mp4"
    out.write_bytes(b"video")
    path = write_manifest(folder / "out.mp4.manifest.json", source=probe(source), outputs=[out],
                          plan=Plan(), settings={}, transcript_model=model)
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_no_local_folder_is_recorded(gray_clip: Path, tmp_path: Path, tiny_model: str) -> None:
    folder = tmp_path / "home" / "me" / "dispute"
    folder.mkdir(parents=True)
    path, data = _write(folder, gray_clip, model=tiny_model)
    assert data["input"]["path"] == gray_clip.name
    assert data["transcript_model"] == Path(tiny_model).name
    text = path.read_text(encoding="utf-8")
    assert str(tmp_path) not in text
    assert str(gray_clip.parent) not in text
    assert str(Path(tiny_model).parent) not in text
    # verify finds the input by name beside the manifest, or where the caller says
    assert verify(path).files[0].missing
    assert verify(path, source=gray_clip).files[0].ok
    shutil.copyfile(gray_clip, folder / gray_clip.name)
    assert verify(path).files[0].ok


def test_input_inside_the_manifest_folder_is_recorded_relative(gray_clip: Path,
                                                               tmp_path: Path) -> None:
    (tmp_path / "clips").mkdir()
    source = tmp_path / "clips" / "in.mp4"
    shutil.copyfile(gray_clip, source)
    path, data = _write(tmp_path, source, model="tiny.en")
    assert data["input"]["path"] == "clips/in.mp4"
    assert data["transcript_model"] == "tiny.en"
    moved = tmp_path.parent / (tmp_path.name + "-moved")
    shutil.copytree(tmp_path, moved)
    result = verify(moved / path.name)
    assert result.ok
    assert result.files[0].path == moved / "clips" / "in.mp4"
    assert not result.files[0].missing
