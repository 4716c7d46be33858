"""Storyboard recipes: [[segment]] tables, errors by key path, and `evidence-annotate render`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import evidence_annotate as ea
from evidence_annotate.recipe.board import parse_board
from helpers import close, frame_at, pixel


def _error(data: dict[str, Any]) -> str:
    with pytest.raises(ea.RecipeError) as info:
        parse_board(data, base=Path("/v")).storyboard() if "build" in data else \
            parse_board(data, base=Path("/v"))
    return str(info.value)


@pytest.mark.parametrize(("data", "message"), [
    ({"segment": []}, "segment: expected one or more [[segment]] tables"),
    ({"segment": [{"slide": "x"}, {"clip": "a.mp4", "image": "b.png"}]},
     "segment[1]: give exactly one of"),
    ({"segment": [{"slide": "x", "box": [{"rect": [1, 2]}]}]},
     "segment[0].box[0].rect: expected 4 numbers"),
    ({"segment": [{"clip": "a.mp4", "seconds": 3}]}, "segment[0].seconds: a clip plays"),
    ({"segment": [{"image": "a.png", "trim": [0, 1]}]}, "segment[0].trim: unknown key"),
    ({"segment": [{"clip": "a.mp4", "speed": [{"start": 1}]}]},
     "segment[0].speed[0].factor: missing"),
    ({"segment": [{"clip": "a.mp4", "freeze": {"at": 1}}]}, "segment[0].freeze: expected a list"),
    ({"segment": [{"slide": "x"}], "fit": "speed"}, "fit: needs a platform"),
    ({"segment": [{"slide": "x"}], "size": [10]}, "size: expected [width, height]"),
])
def test_mistakes_name_their_key_path(data: dict[str, Any], message: str) -> None:
    assert _error(data).startswith(message)


def test_api_errors_name_their_key_path(tmp_path: Path) -> None:
    recipe = parse_board({"segment": [{"slide": "x", "seconds": 3},
                                      {"slide": "y", "speed": [{"factor": 20}]}]}, base=tmp_path)
    with pytest.raises(ea.RecipeError, match=r"^segment\[1\]\.speed\[0\]\.factor: factor=20"):
        recipe.storyboard()
    recipe = parse_board({"segment": [{"slide": "x", "seconds": 90}]}, base=tmp_path)
    with pytest.raises(ea.RecipeError, match=r"^segment\[0\]\.seconds: seconds=90"):
        recipe.storyboard()


def test_a_clip_recipe_refuses_segments(tmp_path: Path) -> None:
    path = tmp_path / "board.toml"
    path.write_text('[[segment]]\nslide = "x"\n')
    with pytest.raises(ea.RecipeError, match="storyboard recipe"):
        ea.load_recipe(path)


def test_render_builds_a_storyboard(gray_clip: Path, tmp_path: Path) -> None:
    shutil.copyfile(gray_clip, tmp_path / "package.mp4")
    Image.new("RGB", (200, 100), (0, 0, 255)).save(tmp_path / "listing.png")
    (tmp_path / "board.toml").write_text('''
output = "evidence.mp4"
speed = "ultrafast"
fps = 25
[title_card]
order = "8123456789012"
date = "2026-11-20"
seconds = 1

[[segment]]
clip = "package.mp4"
trim = [0, 2]
[[segment.box]]
rect = [100, 60, 120, 80]
thickness = 6
[[segment.freeze]]
at = 1.0
seconds = 0.5
[[segment.speed]]
factor = 2
start = 0
end = 1

[[segment]]
image = "listing.png"
seconds = 1
[[segment.text]]
text = "Listed: black"

[[segment]]
slide = "The seller refused a refund"
seconds = 1
''')
    board = ea.load_board_recipe(tmp_path / "board.toml").storyboard(progress=False)
    assert board.program().rate == 25
    env = {**os.environ, "TQDM_DISABLE": "1"}
    proc = subprocess.run([sys.executable, "-m", "evidence_annotate", "render",
                           str(tmp_path / "board.toml")], capture_output=True, text=True,
                          env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "evidence.mp4"
    info = ea.probe(out)
    assert info.duration == pytest.approx(1 + 0.5 + 1 + 0.5 + 1 + 1, abs=0.05)
    assert close(pixel(frame_at(out, 2.0), 97, 100), (255, 42, 42), 60)  # held, boxed
    proc = subprocess.run([sys.executable, "-m", "evidence_annotate", "render",
                           str(tmp_path / "board.toml"), "--captions", "x.srt"],
                          capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 2 and "--captions" in proc.stderr
