"""The command line, driven as a user drives it: a subprocess, its exit code, stdout and stderr."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.sample import CRACK_BOX, sample_path
from helpers import close, frame_at, pixel

BIN = Path(sys.executable).parent / "evidence-annotate"


def run(*args: str, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m evidence_annotate ARGS`` like a user would."""
    return subprocess.run([sys.executable, "-m", "evidence_annotate", *args], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    target = tmp_path / "clip.mp4"
    shutil.copyfile(sample_path(), target)
    return target


@pytest.fixture(scope="session")
def long_clip(media_dir: Path) -> Path:
    """20 s at 320x240: too long and too small for AliExpress."""
    path = media_dir / "long20.mp4"
    if not path.exists():
        ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=320x240:r=10:d=20", "-f", "lavfi", "-i",
               "sine=f=440:d=20", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
               "yuv420p", "-c:a", "aac", "-shortest", str(path))
    return path


def test_demo_writes_an_annotated_video_with_real_captions(tmp_path: Path,
                                                           tiny_model: str) -> None:
    out = tmp_path / "out" / "demo.mp4"
    proc = run("demo", "-o", str(out), env={"EVIDENCE_ANNOTATE_MODEL": tiny_model})
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}" in proc.stdout
    info = ea.probe(out)
    assert (info.width, info.height) == (854, 480)
    assert info.duration == pytest.approx(13.0, abs=0.1)  # 3 s title card + 10 s sample
    srt = out.with_suffix(".srt").read_text(encoding="utf-8").lower()
    assert "crack" in srt and "phone case" in srt
    assert out.with_name("demo-frame.png").stat().st_size > 10_000
    assert ea.check(out, platform="aliexpress").ok


def test_console_script_and_module_agree() -> None:
    assert BIN.exists(), "the console script is missing: pip install -e '.[dev]'"
    script = subprocess.run([str(BIN), "--version"], capture_output=True, text=True,
                            check=False)
    module = run("--version")
    assert script.returncode == module.returncode == 0
    assert script.stdout == module.stdout == f"evidence-annotate {ea.__version__}\n"


@pytest.mark.parametrize("command", ["", "demo", "render", "transcribe", "check", "stills",
                                     "platforms"])
def test_help_shows_examples(command: str) -> None:
    proc = run(*([command] if command else []), "--help")
    assert proc.returncode == 0
    assert "examples:" in proc.stdout
    if not command:
        assert "exit codes:" in proc.stdout and "5 model error" in proc.stdout


RECIPE = """\
input = "clip.mp4"
output = "made/evidence.mp4"
platform = "aliexpress"
speed = "veryfast"

[title_card]
order = "8123456789012"
date = "2026-11-20"
title = "Phone case: 100% cracked {{\\\\pos(0,0)}}"

[[box]]
rect = {rect}
start = 1.0
end = "00:09.5"
label = "Crack"
thickness = 6

[[arrow]]
tail = {{ rel = [0.12, 0.62] }}
head = [300, 270]

[[text]]
text = "Cracked on arrival"
at = [24, 24]
start = 4.5

[[blur]]
rect = [596, 32, 236, 142]

[captions]
source = "subs/clip.srt"
"""
SRT = "1\n00:00:00,500 --> 00:00:04,000\nThe phone case arrived cracked.\n"


def _write_recipe(folder: Path, rect: str = "[296, 112, 60, 324]") -> Path:
    (folder / "subs").mkdir(exist_ok=True)
    (folder / "subs" / "clip.srt").write_text(SRT, encoding="utf-8")
    recipe = folder / "dispute.toml"
    recipe.write_text(RECIPE.format(rect=rect), encoding="utf-8")
    return recipe


def test_render_a_recipe_resolves_paths_against_its_folder(sample_copy: Path,
                                                           tmp_path: Path) -> None:
    recipe = _write_recipe(sample_copy.parent)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = run("render", str(recipe), cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    out = sample_copy.parent / "made" / "evidence.mp4"
    assert f"wrote {out}" in proc.stdout
    assert ea.probe(out).duration == pytest.approx(13.0, abs=0.1)
    x, y, _, _ = CRACK_BOX
    red = pixel(frame_at(out, 3.0 + 5.0), x - 3, y + 40)  # the box's line, just outside
    assert close(red, (255, 42, 42), tol=60), red
    assert Path(f"{out}.manifest.json").exists()


def test_render_json_recipe_with_output_override(sample_copy: Path) -> None:
    recipe = sample_copy.parent / "r.json"
    recipe.write_text(json.dumps({"input": "clip.mp4", "speed": "ultrafast",
                                  "manifest": False,
                                  "blur": [{"rect": [596, 32, 236, 142], "method": "fill"}]}))
    proc = run("render", str(recipe), "-o", str(sample_copy.parent / "x.mp4"), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert ea.probe(sample_copy.parent / "x.mp4").duration == pytest.approx(10.0, abs=0.1)


@pytest.mark.parametrize(("recipe", "message"), [
    ('input = "clip.mp4"\n[[box]]\nrect = [10, 20]\n', "box[0].rect: expected 4 numbers"),
    ('input = "clip.mp4"\n[[box]]\nrect = [0, 0, 9, 9]\n[[box]]\nrect = [0, 0, 9]\n',
     "box[1].rect: expected 4 numbers"),
    ('input = "clip.mp4"\n[[box]]\nrect = [800, 400, 200, 200]\n',
     "box[0].rect: rect=(800, 400, 200, 200) is outside the 854x480 frame"),
    ('input = "clip.mp4"\n[[box]]\nrect = [0, 0, 9, 9]\ncolour = "red"\n',
     "box[0].colour: unknown key; did you mean 'color'?"),
    ('input = "clip.mp4"\n[[arrow]]\ntail = [1, 1]\n', "arrow[0].head: missing"),
    ('input = "clip.mp4"\n[[text]]\ntext = "x"\nstart = 30\n', "text[0].start: start=30"),
    ('input = "clip.mp4"\nplatform = "ebay"\n', "platform: unknown platform 'ebay'"),
    ('input = "clip.mp4"\n[captions.rules]\nmax_cps = -1\n', "captions.rules.max_cps"),
    ('input = "clip.mp4"\n[[box]\n', "is not valid TOML"),
])
def test_bad_recipes_name_the_key_and_exit_2(sample_copy: Path, recipe: str,
                                             message: str) -> None:
    path = sample_copy.parent / "bad.toml"
    path.write_text(recipe, encoding="utf-8")
    proc = run("render", str(path))
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_debug_shows_the_traceback(sample_copy: Path) -> None:
    path = sample_copy.parent / "bad.toml"
    path.write_text('input = "clip.mp4"\n[[box]]\nrect = [1]\n', encoding="utf-8")
    proc = run("render", str(path), "--debug")
    assert proc.returncode == 2
    assert "Traceback" in proc.stderr and "RecipeError" in proc.stderr


def test_missing_input_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text('input = "nowhere.mp4"\n', encoding="utf-8")
    proc = run("render", str(path))
    assert proc.returncode == 3
    assert "nowhere.mp4" in proc.stderr


def test_output_over_the_input_exits_4(sample_copy: Path) -> None:
    path = sample_copy.parent / "r.toml"
    path.write_text('input = "clip.mp4"\noutput = "clip.mp4"\n', encoding="utf-8")
    before = sample_copy.read_bytes()
    proc = run("render", str(path))
    assert proc.returncode == 4, proc.stderr
    assert sample_copy.read_bytes() == before


@pytest.mark.parametrize("suffix", [".srt", ".json"])
def test_transcribe_writes_captions(sample_copy: Path, tiny_model: str, suffix: str) -> None:
    out = sample_copy.with_suffix(suffix)
    proc = run("transcribe", str(sample_copy), "-o", str(out), "--model", tiny_model,
               "--language", "en")
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    if suffix == ".json":
        text = json.dumps(json.loads(text))
    assert "crack along the left edge" in text.lower()


def test_unknown_model_exits_5(sample_copy: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-model-here"
    missing.mkdir()
    proc = run("transcribe", str(sample_copy), "-o", str(tmp_path / "x.srt"), "--model",
               str(missing))
    assert proc.returncode == 5, proc.stderr
    assert str(missing) in proc.stderr
    assert not (tmp_path / "x.srt").exists()


def test_check_exit_codes_and_json(long_clip: Path, tmp_path: Path) -> None:
    bad = run("check", str(long_clip), "--platform", "aliexpress")
    assert bad.returncode == 1
    assert "FAIL duration" in bad.stdout
    report = json.loads(run("check", str(long_clip), "--platform", "aliexpress",
                            "--json").stdout)
    assert report["ok"] is False
    assert "duration" in {p["code"] for p in report["problems"]}
    good = run("check", str(long_clip), "--platform", "shopee")
    assert good.returncode == 0, good.stdout
    missing = run("check", str(tmp_path / "none.mp4"))
    assert missing.returncode == 3
    assert missing.stderr.startswith("evidence-annotate: error: ")


def test_stills_at_given_times(sample_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "stills"
    proc = run("stills", str(sample_copy), "--at", "3.5", "--at", "00:07", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == 2
    assert all(str(p) in proc.stdout for p in pngs)


def test_bad_time_is_a_usage_error(sample_copy: Path, tmp_path: Path) -> None:
    proc = run("stills", str(sample_copy), "--at", "soon", "-o", str(tmp_path))
    assert proc.returncode == 2
    assert "--at='soon' is not a time" in proc.stderr


def test_platforms_lists_every_builtin() -> None:
    text = run("platforms")
    assert text.returncode == 0
    assert all(name in text.stdout for name in ea.platforms())
    data = json.loads(run("platforms", "--json").stdout)
    limits = {row["name"]: row["max_seconds"] for row in data}
    assert limits["aliexpress"] == ea.Platform.load("aliexpress").max_seconds
