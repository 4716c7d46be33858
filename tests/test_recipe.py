"""Recipe validation: every mistake names its key path; good recipes become the same API calls."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import evidence_annotate as ea
from evidence_annotate.recipe import Recipe, RecipeError, load_recipe, parse_recipe
from evidence_annotate.sample import sample_path

BASE = Path("/videos")


def parse(**data: Any) -> Recipe:
    return parse_recipe({"input": "clip.mp4", **data}, base=BASE)


def test_paths_resolve_against_the_base_and_output_defaults_beside_input() -> None:
    recipe = parse(captions={"source": "subs/a.srt"})
    assert recipe.input == BASE / "clip.mp4"
    assert recipe.output == BASE / "clip-evidence.mp4"
    assert recipe.calls[0][2]["source"] == BASE / "subs" / "a.srt"
    absolute = parse(output="/elsewhere/out.mp4")
    assert absolute.output == Path("/elsewhere/out.mp4")


def test_calls_follow_the_api_in_order() -> None:
    recipe = parse(platform="shopee", fit="split", crf=23,
                   title_card={"order": "81", "date": "2026-11-20", "fields": {"Seller": "A"}},
                   box=[{"rect": [1, 2, 3, 4], "label": "Crack"}],
                   arrow=[{"tail": {"rel": [0.1, 0.1]}, "head": [5, 5]}],
                   text=[{"text": "x", "style": {"size": 30, "color": "yellow"}}],
                   blur=[{"rect": [0, 0, 9, 9], "method": "pixelate"}],
                   transcribe={"model": "small", "language": "en"},
                   captions={"karaoke": True, "rules": {"max_cps": 20},
                             "style": {"alignment": 8}})
    assert [(key, method) for key, method, _ in recipe.calls] == [
        ("title_card", "title_card"), ("box[0]", "box"), ("arrow[0]", "arrow"),
        ("text[0]", "text"), ("blur[0]", "blur"), ("transcribe", "transcribe"),
        ("captions", "captions")]
    calls = {key: kwargs for key, _, kwargs in recipe.calls}
    assert calls["arrow[0]"]["tail"] == ea.rel(0.1, 0.1)
    assert calls["text[0]"]["style"] == ea.TextStyle(size=30, color="yellow")
    assert calls["captions"]["rules"] == ea.CaptionRules(max_cps=20)
    assert calls["captions"]["style"].alignment == 8
    assert (recipe.platform, recipe.fit, dict(recipe.export)) == ("shopee", "split", {"crf": 23})


@pytest.mark.parametrize(("data", "error"), [
    ({"input": 5}, "input: expected text in quotes, got 5"),
    ({"inptu": "a.mp4"}, "inptu: unknown key; did you mean 'input'?"),
    ({}, "input: missing; this key is required"),
    ({"input": "a.mp4", "box": {"rect": [1, 2, 3, 4]}},
     "box: expected a list of tables ([[box]] in TOML)"),
    ({"input": "a.mp4", "box": [{"rect": [1, 2, 3, "4"]}]},
     'box[0].rect: expected 4 numbers [x, y, w, h], got [1, 2, 3, "4"]'),
    ({"input": "a.mp4", "box": [{"rect": {"rel": [0.1, 0.1, 0.2]}}]},
     "box[0].rect.rel: expected 4 numbers"),
    ({"input": "a.mp4", "box": [{"rect": {"rel": [0.1, 0.1, 0.2, 1.5]}}]},
     "box[0].rect.rel: rel(0.1, 0.1, 0.2, 1.5): every fraction must be within 0..1"),
    ({"input": "a.mp4", "box": [{"rect": [1, 2, 3, 4], "thickness": 2.5}]},
     "box[0].thickness: expected a whole number, got 2.5"),
    ({"input": "a.mp4", "box": [{"rect": [1, 2, 3, 4], "style": {"colour": "red"}}]},
     "box[0].style.colour: unknown key; did you mean 'color'?"),
    ({"input": "a.mp4", "box": [{"rect": [1, 2, 3, 4], "style": {"color": "nope"}}]},
     "box[0].style.color:"),
    ({"input": "a.mp4", "title_card": {"order": "1"}}, "title_card.date: missing"),
    ({"input": "a.mp4", "title_card": {"order": "1", "date": "d", "fields": {"A": 1}}},
     "title_card.fields.A: expected text in quotes, got 1"),
    ({"input": "a.mp4", "transcribe": {"vad": "yes"}},
     'transcribe.vad: expected true or false, got "yes"'),
    ({"input": "a.mp4", "captions": {"style": {"alignment": 42}}},
     "captions.style.alignment: expected one of 1, 2, 3"),
    ({"input": "a.mp4", "captions": {"rules": {"max_lines": 0}}},
     "captions.rules.max_lines: CaptionRules.max_lines=0 must be an integer >= 1"),
    ({"input": "a.mp4", "fit": "split"}, "fit: needs a platform"),
    ({"input": "a.mp4", "platform": "aliexpress", "fit": "squeeze"},
     'fit: expected one of split, trim, speed, got "squeeze"'),
])
def test_mistakes_name_their_key(data: dict[str, Any], error: str) -> None:
    with pytest.raises(RecipeError) as caught:
        parse_recipe(data, base=BASE)
    assert str(caught.value).startswith(error), str(caught.value)
    assert caught.value.key == error.split(":")[0]


def test_api_rejections_point_at_the_key(tmp_path: Path) -> None:
    recipe = parse_recipe({"input": str(sample_path()),
                           "box": [{"rect": [0, 0, 10, 10]}, {"rect": [0, 0, 10, 10],
                                                              "start": 4, "end": 2}]},
                          base=tmp_path)
    with pytest.raises(RecipeError) as caught:
        recipe.evidence(progress=False)
    assert caught.value.key == "box[1].end"
    assert "must be after start=4" in str(caught.value)


def test_a_recipe_builds_the_same_plan_as_the_api(tmp_path: Path) -> None:
    recipe_file = tmp_path / "r.toml"
    recipe_file.write_text(f'input = "{sample_path()}"\n'
                           '[title_card]\norder = "81"\ndate = "2026-11-20"\n'
                           '[[box]]\nrect = [10, 10, 50, 50]\nstart = "00:01"\nend = 3\n'
                           '[[blur]]\nrect = { rel = [0.5, 0.0, 0.5, 0.25] }\n',
                           encoding="utf-8")
    built = load_recipe(recipe_file).evidence(progress=False)
    expected = (ea.open(sample_path()).title_card("81", "2026-11-20")
                .box((10, 10, 50, 50), start=1, end=3).blur(ea.rel(0.5, 0.0, 0.5, 0.25)))
    assert built.plan == expected.plan


def test_json_recipes_and_file_errors(tmp_path: Path) -> None:
    good = tmp_path / "r.json"
    good.write_text(json.dumps({"input": "a.mp4", "blur": [{"rect": [0, 0, 5, 5]}]}))
    assert load_recipe(good).input == tmp_path / "a.mp4"
    broken = tmp_path / "b.json"
    broken.write_text("{")
    with pytest.raises(RecipeError, match=r"b\.json is not valid JSON"):
        load_recipe(broken)
    with pytest.raises(RecipeError, match=r"must be a \.toml or \.json file, not '\.yaml'"):
        load_recipe(tmp_path / "r.yaml")
    with pytest.raises(RecipeError, match="does not exist; check the path"):
        load_recipe(tmp_path / "missing.toml")
    listed = tmp_path / "l.json"
    listed.write_text("[1, 2]")
    with pytest.raises(RecipeError, match="table/object at the top level"):
        load_recipe(listed)


def test_recipe_error_is_a_library_error() -> None:
    err = RecipeError("box[0].rect", "expected 4 numbers")
    assert isinstance(err, ea.EvidenceAnnotateError)
    assert str(err) == "box[0].rect: expected 4 numbers"
    assert str(RecipeError("", "whole file")) == "whole file"
