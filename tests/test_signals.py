"""SIGTERM and SIGHUP clean up like Ctrl+C; ffmpeg never outlives the process that started it.

Each test starts a real export in a child Python process (TMPDIR pointed at a folder of the
test), waits until ffmpeg is writing, signals the child and then looks at the disk and at
/proc.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import evidence_annotate as ea
from conftest import ffmpeg
from helpers import tmp_leftovers

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="signals and /proc as on Linux")

PREVIOUS = {"x.mp4": b"previous video", "x.mp4.manifest.json": b"previous manifest"}


@pytest.fixture(scope="session")
def slow_clip(media_dir: Path) -> Path:
    """30 s of detailed 640x480: a 'veryslow' export of it runs long enough to be signalled."""
    path = media_dir / "slow30.mp4"
    if not path.exists():
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x480:r=30:d=30", "-c:v", "libx264",
               "-preset", "ultrafast", str(path))
    return path


@pytest.fixture
def work(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """An output folder holding a previous export, and an empty TMPDIR."""
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    for name, data in PREVIOUS.items():
        (out / name).write_bytes(data)
    yield out, tmp
    for pid in _ffmpegs_writing(out):  # never leave a runaway encoder behind
        os.kill(pid, signal.SIGKILL)


def _ffmpegs_writing(folder: Path) -> list[int]:
    """Live (not zombie) processes whose command line mentions ``folder``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(folder).encode() in cmdline and b"ffmpeg" in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def _wait_for(condition: str, check: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {condition}")


def _default_hangup() -> None:
    # A run under nohup ignores SIGHUP, and children inherit that (the library rightly keeps
    # an ignored signal ignored): give the child the default disposition a terminal has.
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def _start(argv: list[str], tmp: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TMPDIR": str(tmp)}
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_default_hangup)


def _export_script(clip: Path, out: Path, before: str = "") -> list[str]:
    script = (
        "import signal, sys\n"
        "import evidence_annotate as ea\n"
        f"{before}"
        f"ea.open({str(clip)!r}).box((10, 10, 50, 50)).export({str(out / 'x.mp4')!r}, "
        "speed='veryslow', progress=False)\n"
    )
    return [sys.executable, "-c", script]


def _signal_when_writing(proc: subprocess.Popen[bytes], out: Path, signum: int) -> bytes:
    _wait_for("the export to write its temporary file",
              lambda: proc.poll() is None and tmp_leftovers(out) and _ffmpegs_writing(out))
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=30)
    return stderr


def _previous_export_intact(out: Path) -> bool:
    return {p.name: p.read_bytes() for p in out.iterdir()} == PREVIOUS


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_terminate_and_hangup_clean_up_and_end_as_the_signal(
        slow_clip: Path, work: tuple[Path, Path], signum: signal.Signals) -> None:
    out, tmp = work
    proc = _start(_export_script(slow_clip, out), tmp)
    stderr = _signal_when_writing(proc, out, signum)
    assert proc.returncode == -signum, stderr.decode()  # ended by the signal, as by default
    assert _previous_export_intact(out)
    assert list(tmp.iterdir()) == []
    assert _ffmpegs_writing(out) == []


def test_ffmpeg_dies_with_a_killed_parent(slow_clip: Path, work: tuple[Path, Path]) -> None:
    out, tmp = work
    proc = _start(_export_script(slow_clip, out), tmp)
    _signal_when_writing(proc, out, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    _wait_for("ffmpeg to die with its parent", lambda: not _ffmpegs_writing(out), timeout=5)
    # SIGKILL cannot be handled: the temporary file stays, the previous export is intact
    assert {p.name: p.read_bytes() for p in out.iterdir() if ".partial" not in p.name} \
        == PREVIOUS


def test_a_program_s_own_handler_is_chained(slow_clip: Path, work: tuple[Path, Path]) -> None:
    out, tmp = work
    handler = ("def stop(signum, frame):\n"
               "    print('own handler', signum, flush=True)\n"
               "    raise SystemExit(42)\n"
               "signal.signal(signal.SIGTERM, stop)\n")
    proc = _start(_export_script(slow_clip, out, before=handler), tmp)
    _signal_when_writing(proc, out, signal.SIGTERM)
    assert proc.returncode == 42
    assert proc.stdout is not None
    assert _previous_export_intact(out)
    assert list(tmp.iterdir()) == []
    assert _ffmpegs_writing(out) == []


def test_cli_reports_the_signal_and_exits_128_plus_its_number(
        slow_clip: Path, work: tuple[Path, Path]) -> None:
    out, tmp = work
    recipe = out.parent / "r.json"
    recipe.write_text(json.dumps({"input": str(slow_clip), "speed": "veryslow",
                                  "box": [{"rect": [10, 10, 50, 50]}]}), encoding="utf-8")
    proc = _start([sys.executable, "-m", "evidence_annotate", "render", str(recipe), "-o",
                   str(out / "x.mp4"), "--quiet"], tmp)
    stderr = _signal_when_writing(proc, out, signal.SIGTERM).decode()
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert stderr.splitlines()[-1].startswith("evidence-annotate: stopped by SIGTERM")
    assert "Traceback" not in stderr
    assert _previous_export_intact(out)
    assert list(tmp.iterdir()) == []


def test_handlers_are_restored_and_ignored_signals_stay_ignored(gray_clip: Path,
                                                                tmp_path: Path) -> None:
    def own(signum: int, frame: object) -> None:
        raise AssertionError("not expected")

    before = signal.signal(signal.SIGTERM, own), signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        ea.open(gray_clip).export(tmp_path / "a.mp4", speed="ultrafast", progress=False)
        assert signal.getsignal(signal.SIGTERM) is own
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGHUP, before[1])


def test_export_from_a_worker_thread(gray_clip: Path, tmp_path: Path) -> None:
    results: list[object] = []
    thread = threading.Thread(target=lambda: results.append(
        ea.open(gray_clip).export(tmp_path / "t.mp4", speed="ultrafast", progress=False)))
    thread.start()
    thread.join(timeout=60)
    assert [type(r).__name__ for r in results] == ["ExportResult"]
    assert (tmp_path / "t.mp4").is_file()
