"""Plans as calls, recipes and editor documents: every kind round-trips; captions keep time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import evidence_annotate as ea
from evidence_annotate.captions import Cue
from evidence_annotate.editing import EditError, PlanEditor, layer_call, plan_calls, python_code
from evidence_annotate.editing.cues import edit_cues, merge, retext, split
from evidence_annotate.editing.recipe_text import recipe_text, toml_value
from evidence_annotate.recipe import load_recipe
from evidence_annotate.recipe.write import write_recipe
from evidence_annotate.speech.transcript import Word
from studio_data import SUBTITLES
from test_kinds import EXAMPLES

STYLED: dict[str, dict[str, Any]] = {
    "box": {"style": ea.BoxStyle(thickness=5, label=ea.TextStyle(size=20, color="#00ff00"))},
    "arrow": {"color": "blue", "label": 'a "quoted" \\N {\\b1} label'},
    "text": {"style": ea.TextStyle(size=28, background="#00000000")},
}


def _full(gray_clip: Path) -> ea.Evidence:
    ev = ea.open(gray_clip).title_card("8123", "2026-11-20", "Cracked\tlid", seconds=2,
                                       fields={"Seller": "ACME", "Order no.": "x"})
    for kind, (args, kwargs) in EXAMPLES.items():
        ev = getattr(ev, kind)(*args, **{**kwargs, **STYLED.get(kind, {})})
    return ev


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_kind_is_its_create_call_again(gray_clip: Path, kind: str) -> None:
    ev = _full(gray_clip)
    (layer,) = [layer for layer in ev.layers if layer.kind == kind]
    call = layer_call(layer, ev.context)
    assert ea.KINDS[kind].create(ev.context, **call.kwargs) == layer
    assert "span" not in call.kwargs


def test_a_written_recipe_rebuilds_the_same_plan(gray_clip: Path, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(gray_clip.read_bytes())
    ev = _full(clip)
    path = write_recipe(ev, tmp_path / "dispute.toml", platform="shopee")
    recipe = load_recipe(path)
    rebuilt = recipe.evidence(progress=False)
    assert rebuilt.layers == ev.layers
    assert rebuilt.plan.title_card == ev.plan.title_card
    assert recipe.platform == "shopee" and recipe.input == clip


def test_python_code_rebuilds_the_same_plan(gray_clip: Path) -> None:
    ev = _full(gray_clip)
    scope: dict[str, Any] = {}
    exec(python_code(str(gray_clip), plan_calls(ev.plan, ev.context)), scope)
    assert scope["ev"].layers == ev.layers
    assert scope["ev"].plan.title_card == ev.plan.title_card


def test_captions_are_written_beside_the_recipe(gray_clip: Path, tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(gray_clip.read_bytes())
    (tmp_path / "in.srt").write_text(SUBTITLES, encoding="utf-8")
    ev = ea.open(clip).title_card("1", "2").captions(source=tmp_path / "in.srt")
    write_recipe(ev, tmp_path / "r.toml")
    text = (tmp_path / "r.toml").read_text(encoding="utf-8")
    assert 'source = "r.captions.srt"' in text
    rebuilt = load_recipe(tmp_path / "r.toml").evidence(progress=False)
    assert rebuilt.plan.captions is not None and ev.plan.captions is not None
    assert rebuilt.plan.captions.cues == ev.plan.captions.cues  # source timeline, unshifted


@pytest.mark.parametrize(("name", "problem"), [
    ("r.json", "must end in .toml"), ("r.toml", "trims or cuts"),
])
def test_write_recipe_refuses_what_it_cannot_hold(gray_clip: Path, tmp_path: Path, name: str,
                                                  problem: str) -> None:
    ev = ea.open(gray_clip).trim(1.0)
    with pytest.raises(ValueError, match=problem):
        write_recipe(ev, tmp_path / name)


@pytest.mark.parametrize(("value", "text"), [
    ('say "hi"\n', '"say \\"hi\\"\\n"'), ("\x7f\x01", '"\\u007f\\u0001"'), (True, "true"),
    (2.5, "2.5"), ((1, 2), "[1, 2]"), ({"Order no.": "x"}, '{ "Order no." = "x" }'),
])
def test_toml_values(value: Any, text: str) -> None:
    assert toml_value(value) == text


def test_a_style_field_set_to_none_is_refused_not_lost() -> None:
    with pytest.raises(ValueError, match=r"TextStyle.background=None cannot be written"):
        toml_value(ea.TextStyle(background=None))


def test_recipe_text_refuses_non_finite_numbers() -> None:
    from evidence_annotate.editing.calls import Call

    with pytest.raises(ValueError, match="not a finite number"):
        recipe_text([Call("blur", {"rect": (1, 2, 3, 4), "blocks": float("nan")})], input="a")


WORDS = (Word(1.0, 1.3, "It"), Word(1.4, 1.6, "is"), Word(2.0, 2.6, "craked"),
         Word(3.0, 3.5, "here."))
CUE = Cue(1.0, 4.0, ("It is craked here.",), WORDS)


def test_a_corrected_word_keeps_its_time() -> None:
    fixed = retext(CUE, "It is cracked here.")
    assert [(w.start, w.end) for w in fixed.words] == [(w.start, w.end) for w in WORDS]
    assert fixed.words[2].text == "cracked" and (fixed.start, fixed.end) == (1.0, 4.0)


def test_more_words_share_the_spoken_span() -> None:
    fixed = retext(CUE, "It is really cracked here.")
    assert len(fixed.words) == 5
    assert fixed.words[0].start == 1.0 and fixed.words[-1].end == pytest.approx(3.5)
    pairs = zip(fixed.words, fixed.words[1:], strict=False)
    assert all(a.end == pytest.approx(b.start) for a, b in pairs)


def test_split_ends_where_the_next_word_starts_and_merge_undoes_it() -> None:
    left, right = split(CUE, len("It is "))
    assert (left.start, left.end, left.text) == (1.0, 2.0, "It is")
    assert (right.start, right.end, right.text) == (2.0, 4.0, "craked here.")
    assert merge(left, right) == Cue(1.0, 4.0, ("It is craked here.",), WORDS)


def test_split_without_words_is_proportional_and_needs_a_word_boundary() -> None:
    plain = Cue(0.0, 10.0, ("aaaa bbbb",))
    left, right = split(plain, 4)
    assert left.end == right.start == 4.444 and left.text == "aaaa"
    with pytest.raises(ValueError, match="between two"):
        split(plain, 2)


def test_edit_requests_split_and_merge_in_one_pass() -> None:
    a, b = Cue(0.0, 1.0, ("one two",)), Cue(1.0, 2.0, ("three",))
    out = edit_cues([a, b, CUE], [{"merge": True}, {}, {"split": 6}])
    assert [c.text for c in out] == ["one two three", "It is", "craked here."]
    with pytest.raises(ValueError, match="last cue"):
        edit_cues([a], [{"merge": True}])


def test_the_document_keeps_styles_it_does_not_show(gray_clip: Path) -> None:
    ev = _full(gray_clip)
    editor = PlanEditor(ev.context)
    doc = editor.document(ev.plan)
    box = next(layer for layer in doc["layers"] if layer["kind"] == "box")
    assert "style" not in box["args"]
    box["args"]["rect"] = [10, 10, 50, 40]
    plan = editor.apply(ev.plan, doc)
    moved, original = plan.layers[0], ev.layers[0]
    assert isinstance(moved, ea.Box) and isinstance(original, ea.Box)
    assert moved.rect == ea.Rect(10, 10, 50, 40) != original.rect  # a new plan
    assert moved.style.thickness == 5
    assert plan.title_card == ev.plan.title_card


@pytest.mark.parametrize(("doc", "where"), [
    ({"layers": [{"kind": "box", "args": {"rect": [0, 0, 999, 9]}}]}, "layers[0]: box: rect"),
    ({"title_card": {"order": "", "date": "x"}}, "title_card: order must not be empty"),
    ({"captions": [{"start": 2, "end": 1, "text": "x"}]}, "captions[0]"),
    ({"captions": [{"start": 0, "end": 1, "text": "ab", "split": 1}]}, "captions: split"),
    ({"extra": 1}, "document: unknown keys"),
])
def test_refused_documents_name_where(gray_clip: Path, doc: Any, where: str) -> None:
    ev = ea.open(gray_clip)
    with pytest.raises(EditError) as caught:
        PlanEditor(ev.context).apply(ev.plan, doc)
    assert str(caught.value).startswith(where)
