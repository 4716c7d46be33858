"""Progress: a bar that reaches 100 % on a terminal, a few plain lines in logs (no ``\\r``)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

import evidence_annotate as ea
from conftest import NARRATION
from evidence_annotate.progress import Progress
from evidence_annotate.speech.transcribe import TranscribeOptions, transcribe_media

LAMP = NARRATION / "lamp.ogg"


class Terminal(io.StringIO):
    """A stream that says it is a terminal, keeping what was written."""

    def isatty(self) -> bool:
        return True


def _last_frame(text: str) -> str:
    """The last non-blank frame a terminal would have shown before the bar was cleared."""
    frames = [frame.strip() for frame in re.split(r"[\r\n]", text)]
    return [frame for frame in frames if frame][-1]


def _transcribe(tiny_model: str) -> None:
    options = TranscribeOptions(model=tiny_model, device="cpu", compute_type="int8",
                                language="en")
    transcribe_media(LAMP, audio_stream=0, audio_start=0.0, duration=7.6, options=options,
                     cache=False, progress=True)


def test_export_progress_in_a_log_is_a_few_plain_lines(gray_clip: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    ea.open(gray_clip).export(tmp_path / "loud.mp4", speed="ultrafast", progress=True)
    log = capsys.readouterr().err
    assert "\r" not in log
    lines = log.splitlines()
    assert 1 <= len(lines) <= 4
    assert lines[-1] == "loud.mp4: 100% (4.0/4.0 s)"


def test_export_bar_on_a_terminal_reaches_100(gray_clip: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    ea.open(gray_clip).export(tmp_path / "tty.mp4", speed="ultrafast", progress=True)
    assert re.match(r"tty\.mp4: 100%.*\| 4\.0/4\.0 s", _last_frame(terminal.getvalue()))
    assert terminal.getvalue().endswith("\r")  # cleared: the terminal is left clean


def test_transcription_progress_in_a_log(tiny_model: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _transcribe(tiny_model)
    log = capsys.readouterr().err
    assert "\r" not in log
    assert log.splitlines()[-1] == "Transcribing: 100% (7.6/7.6 s)"


@pytest.mark.parametrize(("steps", "expected"), [
    ([0.5, 1.0, 3.9], ["x: 25% (1.0/4.0 s)", "x: 75% (3.9/4.0 s)", "x: 100% (4.0/4.0 s)"]),
    ([9.0, 2.0], ["x: 100% (4.0/4.0 s)"]),
    ([], ["x: 100% (4.0/4.0 s)"]),
])
def test_plain_lines_per_quarter(steps: list[float], expected: list[str]) -> None:
    log = io.StringIO()
    with Progress(4.0, "x", stream=log) as bar:
        for step in steps:
            bar.advance_to(step)
        bar.finish()
    assert log.getvalue().splitlines() == expected


def test_disabled_progress_writes_nothing() -> None:
    for stream in (io.StringIO(), Terminal()):
        with Progress(4.0, "x", enabled=False, stream=stream) as bar:
            bar.advance_to(2.0)
            bar.finish()
        assert stream.getvalue() == ""
