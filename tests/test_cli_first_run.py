"""The command line as a new user meets it: defaults that do something, clear first errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import evidence_annotate
from conftest import ffmpeg
from evidence_annotate import cli

ROOT = Path(__file__).resolve().parents[1]
NARRATION = Path(__file__).parent / "data" / "narration"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m evidence_annotate ARGS`` with this package, from any folder."""
    package = str(Path(evidence_annotate.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (package, os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run([sys.executable, "-m", "evidence_annotate", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, "PYTHONPATH": path})


def test_stills_without_times_writes_evenly_spaced_frames(gray_clip: Path,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "stills"
    proc = run("stills", str(gray_clip), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == 4
    assert [p.name.split("_")[-1] for p in pngs] == ["0000.500s.png", "0001.500s.png",
                                                     "0002.500s.png", "0003.500s.png"]


def test_render_a_missing_recipe_names_it_without_an_errno(tmp_path: Path) -> None:
    proc = run("render", "missing.toml", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"evidence-annotate: error: the recipe 'missing.toml' does not exist; check the path "
        f"(current folder: {tmp_path})"]
    assert "Errno" not in proc.stderr


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_render_a_recipe_nested_thousands_deep_is_a_usage_error(tmp_path: Path,
                                                                depth: int) -> None:
    for suffix, text in ((".json", '{"input": "a.mp4", "box": ' + "[" * depth + "]" * depth
                          + "}"),
                         (".toml", 'input = "a.mp4"\nx = ' + "[" * depth + "]" * depth)):
        recipe = tmp_path / f"deep{suffix}"
        recipe.write_text(text, encoding="utf-8")
        proc = run("render", str(recipe))
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        assert "nests tables or lists more than 32 levels deep" in proc.stderr


def test_transcribe_checks_the_output_name_before_transcribing(gray_clip: Path,
                                                               tmp_path: Path) -> None:
    # A model that does not exist would fail with exit 5 if transcription started first.
    proc = run("transcribe", str(gray_clip), "-o", str(tmp_path / "x.txt"), "--model",
               str(tmp_path / "no-model"))
    assert proc.returncode == 2, proc.stderr
    assert "suffix '.txt'; use one of .srt" in proc.stderr
    proc = run("transcribe", str(gray_clip), "-o", str(gray_clip), "--model",
               str(tmp_path / "no-model"))
    assert proc.returncode == 4, proc.stderr


def test_an_unknown_option_shows_the_commands_own_usage() -> None:
    proc = run("demo", "--bogus")
    assert proc.returncode == 2
    assert proc.stderr.startswith("usage: evidence-annotate demo ")
    assert "evidence-annotate demo: error: unrecognized arguments: --bogus" in proc.stderr


@pytest.mark.slow
def test_transcribe_takes_audio_only_input(tmp_path: Path, tiny_model: str) -> None:
    voice = tmp_path / "voice memo.m4a"
    ffmpeg("-i", str(NARRATION / "lamp.ogg"), "-c:a", "aac", str(voice))
    out = tmp_path / "memo.srt"
    proc = run("transcribe", str(voice), "-o", str(out), "--model", tiny_model,
               "--language", "en")
    assert proc.returncode == 0, proc.stderr
    assert "desk lamp" in out.read_text(encoding="utf-8").lower()
    # ea.open still refuses it: evidence is a video.
    probe = run("stills", str(voice), "-o", str(tmp_path / "s"))
    assert probe.returncode == 3
    assert "has no video stream" in probe.stderr


def test_transcribe_refuses_a_file_without_audio(silent_video_clip: Path,
                                                 tmp_path: Path) -> None:
    proc = run("transcribe", str(silent_video_clip), "-o", str(tmp_path / "x.srt"))
    assert proc.returncode == 3
    assert "has no audio stream" in proc.stderr


def _documented_codes() -> dict[int, str]:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text.split("## Exit codes", 1)[1]
    return {int(code): meaning for code, meaning in
            re.findall(r"^\| (\d+) \| (.+?) \|$", section, flags=re.MULTILINE)}


def test_exit_codes_agree_with_the_docs_and_the_help() -> None:
    documented = _documented_codes()
    assert set(documented) == set(cli.EXIT_CODES.values())
    module_doc = cli.__doc__ or ""
    for code in cli.EXIT_CODES.values():
        assert re.search(rf"^\s+{code}: ", module_doc, flags=re.MULTILINE), code
        assert re.search(rf"\b{code}\b", cli._EPILOG), code
    assert "problems" in documented[cli.EXIT_CODES["problems"]]
    assert "input" in documented[cli.EXIT_CODES["input"]]
    assert "model" in documented[cli.EXIT_CODES["model"]]
    assert "SIGTERM" in documented[cli.EXIT_CODES["terminated"]]
    assert "SIGHUP" in documented[cli.EXIT_CODES["hangup"]]
    assert "Ctrl+C" in documented[cli.EXIT_CODES["interrupted"]]
