"""``evidence-annotate studio``: the command is registered and fails like the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_annotate.cli import EXIT_CODES, main


def test_studio_help_lists_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["studio", "--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert "--no-browser" in out and "RECIPE" in out.upper()


def test_studio_on_a_missing_clip_is_an_input_error(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["studio", str(tmp_path / "missing.mp4"), "--no-browser"])
    assert code == EXIT_CODES["input"]
    assert "missing.mp4" in capsys.readouterr().err


def test_studio_on_a_bad_recipe_is_a_usage_error(gray_clip: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text('input = "x.mp4"\n[[box]]\nrect = [1, 2]\n', encoding="utf-8")
    code = main(["studio", str(gray_clip), str(recipe), "--no-browser"])
    assert code == EXIT_CODES["usage"]
    assert "box[0].rect" in capsys.readouterr().err
