"""The input is never touched; outputs appear atomically; failures leave nothing behind."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import evidence_annotate as ea
from conftest import CopyOf, ffmpeg
from helpers import tmp_leftovers

FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("how", ["same path", "symlink", "hard link", "dotted path"])
def test_refuses_to_write_onto_the_input(gray_clip: Path, copy_of: CopyOf, tmp_path: Path,
                                         how: str) -> None:
    source = copy_of(gray_clip, "in.mp4")
    before = _digest(source)
    target = {
        "same path": source,
        "symlink": tmp_path / "link.mp4",
        "hard link": tmp_path / "hard.mp4",
        "dotted path": tmp_path / "." / "sub" / ".." / "in.mp4",
    }[how]
    (tmp_path / "sub").mkdir(exist_ok=True)
    if how == "symlink":
        target.symlink_to(source)
    if how == "hard link":
        os.link(source, target)
    with pytest.raises(ea.OutputError, match="is the input file"):
        ea.open(source).box((10, 10, 20, 20)).export(target, **FAST)
    assert _digest(source) == before
    assert tmp_leftovers(tmp_path) == []


def test_missing_output_folders_are_created(gray_clip: Path, tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "evidence.mp4"
    assert ea.open(gray_clip).export(target, **FAST).path == target
    assert target.is_file()


def test_unusable_output_locations(gray_clip: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    ev = ea.open(gray_clip)
    with pytest.raises(ea.OutputError, match="cannot create the output folder"):
        ev.export(blocker / "out.mp4", **FAST)
    with pytest.raises(ea.OutputError, match="is a folder"):
        ev.export(tmp_path, **FAST)
    with pytest.raises(ValueError, match="suffix"):
        ev.export(tmp_path / "out.gif", **FAST)


def test_existing_output_survives_a_failed_export(gray_clip: Path, copy_of: CopyOf,
                                                  tmp_path: Path) -> None:
    source = copy_of(gray_clip, "victim.mp4")
    ev = ea.open(source)
    target = tmp_path / "out" / "evidence.mp4"
    target.parent.mkdir()
    target.write_bytes(b"previous good export")
    # the source is damaged after probing: ffmpeg fails for real
    source.write_bytes(source.read_bytes()[:2000])
    with pytest.raises(ea.RenderError) as err:
        ev.export(target, **FAST)
    assert err.value.stderr  # ffmpeg's own words are attached
    assert "ffmpeg said" in str(err.value)
    assert target.read_bytes() == b"previous good export"
    assert tmp_leftovers(target.parent) == []


def test_ctrl_c_leaves_no_partial_file(tmp_path: Path) -> None:
    clip = tmp_path / "long.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x480:r=30:d=30", "-c:v", "libx264", "-preset",
           "ultrafast", str(clip))
    out_dir = tmp_path / "out"
    script = (
        "import evidence_annotate as ea, sys\n"
        f"ea.open({str(clip)!r}).box((10, 10, 50, 50)).export({str(out_dir / 'x.mp4')!r}, "
        "speed='veryslow', progress=False)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (out_dir.exists() and tmp_leftovers(out_dir)):
        time.sleep(0.05)
    assert tmp_leftovers(out_dir), "the export should be writing its temporary file"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert b"KeyboardInterrupt" in stderr
    assert list(out_dir.iterdir()) == []
