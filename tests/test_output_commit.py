"""A failed export leaves every previous file exactly as it was; outputs appear together."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import evidence_annotate as ea
from conftest import CopyOf, ffmpeg
from evidence_annotate.output import OutputSet
from evidence_annotate.platforms import Platform
from helpers import tmp_leftovers

FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}
TWO_SECONDS = Platform("twoseconds", max_seconds=2.0)


@pytest.fixture(scope="session")
def front_loaded_clip(media_dir: Path) -> Path:
    """4 s, 160x120, index at the front (faststart): a truncated copy still plays its start."""
    path = media_dir / "faststart4.mp4"
    if not path.exists():
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=4", "-c:v", "libx264",
               "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
               str(path))
    return path


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of a folder: file bytes, or None for a folder."""
    return {p.name: (None if p.is_dir() else p.read_bytes()) for p in folder.iterdir()}


def _previous_export(folder: Path, names: list[str]) -> dict[str, bytes | None]:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_bytes(f"previous {name}".encode())
    return _snapshot(folder)


def test_manifest_name_taken_by_a_folder_keeps_the_previous_video(gray_clip: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _previous_export(out, ["prev.mp4"])
    (out / "prev.mp4.manifest.json").mkdir()
    before = _snapshot(out)
    with pytest.raises(ea.OutputError, match=r"manifest '.*prev\.mp4\.manifest\.json' would "
                                             "replace a folder"):
        ea.open(gray_clip).box((10, 10, 20, 20)).export(out / "prev.mp4", **FAST)
    assert _snapshot(out) == before
    assert tmp_leftovers(out) == []


def test_split_export_failing_late_keeps_every_previous_part_and_manifest(
        front_loaded_clip: Path, copy_of: CopyOf, tmp_path: Path) -> None:
    source = copy_of(front_loaded_clip, "src/clip.mp4")
    ev = ea.open(source).box((10, 10, 40, 40))
    # damaged after probing: the first part still renders, the second comes out short
    source.write_bytes(source.read_bytes()[: source.stat().st_size * 55 // 100])
    out = tmp_path / "out"
    before = _previous_export(out, ["prev_part1.mp4", "prev_part2.mp4",
                                    "prev.mp4.manifest.json"])
    with pytest.raises(ea.RenderError):
        ev.export(out / "prev.mp4", platform=TWO_SECONDS, fit="split", **FAST)
    assert _snapshot(out) == before


def test_split_export_replaces_all_parts_and_manifest_together(front_loaded_clip: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    _previous_export(out, ["prev_part1.mp4", "prev_part2.mp4", "prev.mp4.manifest.json"])
    result = ea.open(front_loaded_clip).export(out / "prev.mp4", platform=TWO_SECONDS,
                                               fit="split", **FAST)
    names = [p.name for p in result.paths]
    assert names[:2] == ["prev_part1.mp4", "prev_part2.mp4"]
    assert result.manifest == out / "prev.mp4.manifest.json"
    assert ea.verify(result.manifest).ok
    assert sorted(os.listdir(out)) == sorted([*names, "prev.mp4.manifest.json"])


@pytest.mark.parametrize(("failure", "raised", "message"), [
    (OSError(28, "No space left on device"), ea.OutputError, "no space left on device"),
    (KeyboardInterrupt(), KeyboardInterrupt, None),
])
def test_commit_failing_half_way_restores_what_was_renamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException,
        raised: type[BaseException], message: str | None) -> None:
    before = _previous_export(tmp_path, ["a.mp4", "b.mp4"])
    real_replace: Callable[..., None] = os.replace
    calls: list[str] = []

    def flaky_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(Path(dst).name)
        if Path(dst).name == "c.json" and ".partial" in Path(src).name:
            raise failure
        real_replace(src, dst)

    outputs = OutputSet(inputs=())
    for name in ("a.mp4", "b.mp4", "c.json"):
        outputs.add(tmp_path / name).write_bytes(b"new " + name.encode())
    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(raised, match=message):
        outputs.commit()
    outputs.discard()
    monkeypatch.undo()
    assert calls[:3] == ["a.mp4", "b.mp4", "c.json"]
    assert _snapshot(tmp_path) == before


def test_output_set_refuses_the_same_name_twice(tmp_path: Path) -> None:
    outputs = OutputSet(inputs=())
    outputs.add(tmp_path / "a.mp4")
    with pytest.raises(ea.OutputError, match="twice"):
        outputs.add(tmp_path / "." / "a.mp4")
    outputs.discard()
    assert list(tmp_path.iterdir()) == []
