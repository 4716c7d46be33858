"""Full disks, size limits, read-only folders and long names give clear OutputErrors.

How each case is made for real:

* a full disk: a small tmpfs mounted inside the test (needs root, as in CI; the tests skip
  cleanly where mounting is not permitted), filled so that exactly the video fits and the
  manifest does not, or so that the video itself does not fit;
* ffmpeg's own "No space left on device": ffmpeg writing to ``/dev/full`` (no root needed);
* a file size limit: ``RLIMIT_FSIZE`` set in a child process (no root needed): ffmpeg is
  stopped by SIGXFSZ, Python's own writes get ``EFBIG``;
* a read-only temporary folder: a read-only tmpfs (root) or a folder without write
  permission (other users);
* a name too long: a 300-character output name (no root needed).
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import evidence_annotate as ea
from conftest import FFMPEG
from evidence_annotate.errors import NoSpaceError
from evidence_annotate.render.run import run_ffmpeg
from helpers import tmp_leftovers

FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}
PAGE = 4096


@contextlib.contextmanager
def _tmpfs(where: Path, size: str, *, read_only: bool = False) -> Iterator[Path]:
    """Mount a tmpfs of ``size`` at ``where`` for the duration; skip where that is refused."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    where.mkdir(parents=True, exist_ok=True)
    options = f"size={size},mode=0777" + (",ro" if read_only else "")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def _fill(folder: Path, leave: int) -> None:
    """Write a filler file so that exactly ``leave`` bytes (whole pages) stay free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with (folder / "filler").open("wb") as handle:
        handle.write(b"\0" * (free - leave))
    stat = os.statvfs(folder)
    assert stat.f_bavail * stat.f_frsize == leave


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "filler"}


def _previous(folder: Path) -> dict[str, bytes]:
    (folder / "prev.mp4").write_bytes(b"previous video")
    (folder / "prev.mp4.manifest.json").write_bytes(b"previous manifest")
    return _snapshot(folder)


def test_video_fits_but_manifest_does_not(testsrc_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(testsrc_clip).box((10, 10, 60, 60))
    size = ev.export(tmp_path / "ref" / "prev.mp4", manifest=False, **FAST).size_bytes
    with _tmpfs(tmp_path / "disk", "2m") as disk:
        before = _previous(disk)
        _fill(disk, leave=-(-size // PAGE) * PAGE)  # room for the video's pages, no more
        with pytest.raises(NoSpaceError) as err:
            ev.export(disk / "prev.mp4", **FAST)
        first = str(err.value).splitlines()[0]
        assert first.startswith("no space left on device writing the manifest ")
        assert str(disk / "prev.mp4.manifest.json") in first
        assert "free some space" in first
        assert _snapshot(disk) == before
        assert tmp_leftovers(disk) == []


def test_cli_says_the_disk_is_full_instead_of_an_exit_code(testsrc_clip: Path,
                                                           tmp_path: Path) -> None:
    recipe = tmp_path / "r.json"
    recipe.write_text(f'{{"input": "{testsrc_clip}", "speed": "ultrafast"}}', encoding="utf-8")
    with _tmpfs(tmp_path / "disk", "64k") as disk:
        before = _previous(disk)
        proc = subprocess.run([sys.executable, "-m", "evidence_annotate", "render", str(recipe),
                               "-o", str(disk / "prev.mp4"), "--quiet"],
                              capture_output=True, text=True, check=False, timeout=60)
        assert proc.returncode == 4, proc.stderr
        first = proc.stderr.splitlines()[0]
        assert first.startswith(f"evidence-annotate: error: no space left on device writing "
                                f"'{disk / 'prev.mp4'}'; free some space"), first
        assert "exit code" not in first
        assert _snapshot(disk) == before
        assert tmp_leftovers(disk) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_ffmpeg_no_space_left_is_recognised() -> None:
    argv = [FFMPEG, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi",
            "-i", "testsrc2=s=320x240:r=10:d=2", "-c:v", "libx264", "-preset", "ultrafast",
            "-f", "matroska", "/dev/full"]
    with pytest.raises(NoSpaceError, match=r"^no space left on device writing '/mnt/usb/x\.mkv'"):
        run_ffmpeg(argv, duration=2.0, progress=False, target=Path("/mnt/usb/x.mkv"))


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, resource.RLIM_INFINITY))


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE")
def test_file_size_limit_is_an_output_error(testsrc_clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = _previous(out)
    script = ("import evidence_annotate as ea\n"
              f"ea.open({str(testsrc_clip)!r}).export({str(out / 'prev.mp4')!r}, crf=10, "
              "speed='ultrafast', progress=False)\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False, timeout=60, preexec_fn=_limit_file_size)
    assert "evidence_annotate.errors.OutputError: file too large" in proc.stderr, proc.stderr
    assert str(out / "prev.mp4") in proc.stderr
    assert _snapshot(out) == before
    assert tmp_leftovers(out) == []


def test_full_temporary_folder_is_named(testsrc_clip: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = _previous(out)
    with _tmpfs(tmp_path / "tmp", "64k") as tmp:
        _fill(tmp, leave=0)
        monkeypatch.setattr(tempfile, "tempdir", str(tmp))
        with pytest.raises(NoSpaceError, match=rf"^no space left on device writing temporary "
                                               rf"files in '{tmp}'; .* set TMPDIR"):
            ea.open(testsrc_clip).box((10, 10, 60, 60)).export(out / "prev.mp4", **FAST)
        assert [p.name for p in tmp.iterdir()] == ["filler"]
    assert _snapshot(out) == before
    assert tmp_leftovers(out) == []


@contextlib.contextmanager
def _read_only_folder(where: Path) -> Iterator[Path]:
    if os.name == "posix" and os.geteuid() == 0:  # root writes anywhere but on read-only mounts
        with _tmpfs(where, "64k", read_only=True) as folder:
            yield folder
        return
    where.mkdir()
    where.chmod(0o555)
    try:
        yield where
    finally:
        where.chmod(0o755)


def test_read_only_temporary_folder_is_named(gray_clip: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with _read_only_folder(tmp_path / "tmp") as tmp:
        monkeypatch.setattr(tempfile, "tempdir", str(tmp))
        with pytest.raises(ea.OutputError, match=rf"writing temporary files in '{tmp}'; .* "
                                                 "set TMPDIR to a writable folder"):
            ea.open(gray_clip).box((10, 10, 60, 60)).export(tmp_path / "x.mp4", **FAST)
    assert not (tmp_path / "x.mp4").exists()


def test_a_300_character_name_is_refused_before_anything_is_written(gray_clip: Path,
                                                                    tmp_path: Path) -> None:
    name = "e" * 296 + ".mp4"
    with pytest.raises(ea.OutputError, match=r"is 300 bytes long .* at most 255 bytes; choose "
                                             "a shorter name"):
        ea.open(gray_clip).export(tmp_path / name, **FAST)
    assert list(tmp_path.iterdir()) == []


def test_a_name_whose_manifest_would_be_too_long(gray_clip: Path, tmp_path: Path) -> None:
    name = "e" * 246 + ".mp4"  # 250 bytes: the video fits, "<name>.manifest.json" does not
    with pytest.raises(ea.OutputError, match=r"manifest\.json' is 264 bytes long"):
        ea.open(gray_clip).export(tmp_path / name, **FAST)
    assert list(tmp_path.iterdir()) == []
    result = ea.open(gray_clip).export(tmp_path / name, manifest=False, **FAST)
    assert result.path.is_file()
    assert tmp_leftovers(tmp_path) == []
