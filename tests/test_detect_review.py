"""Detect, review a JSON file, hide exactly what is left: the command line and recipe way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import evidence_annotate as ea
from evidence_annotate.cli import main
from evidence_annotate.errors import InputError, OutputError
from evidence_annotate.recipe import RecipeError, load_recipe
from evidence_annotate.vision.findings import FORMAT, from_data, load_findings, save_findings
from redact_clips import make_clip

SIZE = (320, 240)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 s: a face drifting right, a shipping label sliding left."""
    path = tmp_path_factory.mktemp("review") / "IMG_0042.mp4"
    make_clip(path, SIZE, 2.0, lambda t: (int(10 + t * 70), int(24 + t * 12)),
              lambda t: (int(208 - t * 48), 156))
    return path


@pytest.fixture(scope="module")
def found(clip: Path) -> Path:
    assert main(["-q", "detect", str(clip)]) == 0
    return clip.with_name("IMG_0042.detections.json")


def test_detect_writes_a_reviewable_file_beside_the_clip(
        found: Path, clip: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(found.read_text())
    assert data["format"] == FORMAT
    assert data["clip"] == {"name": "IMG_0042.mp4", "size": list(SIZE), "duration": 2.0}
    kinds = sorted({d["kind"] for d in data["detections"]})
    assert kinds == ["face", "text"]
    for item in data["detections"]:
        assert item["automatic"] is True and 0 < item["score"] <= 1
        assert item["track"][0]["t"] < 0.3 and item["track"][-1]["t"] > 1.7
    read = load_findings(found, size=SIZE, duration=2.0)
    assert [d.kind for d in read] == [d["kind"] for d in data["detections"]]


def test_detect_prints_one_line_per_region(clip: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "labels.json"
    assert main(["detect", str(clip), "--no-faces", "-o", str(out)]) == 0
    *lines, note = capsys.readouterr().out.strip().splitlines()
    assert lines and all(line.startswith("text ") for line in lines)
    assert note.startswith(f"wrote {out}") and 'redact = { detections = "labels.json" }' in note
    assert {d["kind"] for d in json.loads(out.read_text())["detections"]} == {"text"}


def test_detect_never_writes_over_the_clip(clip: Path) -> None:
    before = clip.read_bytes()
    assert main(["-q", "detect", str(clip), "-o", str(clip)]) == 4  # the output exit code
    assert clip.read_bytes() == before
    with pytest.raises(OutputError, match="is the input file"):
        save_findings(clip, [], source=clip, size=SIZE, duration=2.0)


def test_a_recipe_hides_exactly_the_reviewed_list(found: Path, clip: Path,
                                                  tmp_path: Path) -> None:
    data = json.loads(found.read_text())
    data["detections"] = [d for d in data["detections"] if d["kind"] == "face"]
    data["detections"].append({"kind": "plate", "track": [
        {"t": 0.5, "rect": [10, 180, 60, 30]}, {"t": 1.5, "rect": [40, 180, 60, 30]}]})
    reviewed = tmp_path / "reviewed.json"
    reviewed.write_text(json.dumps(data))
    recipe = tmp_path / "dispute.toml"
    recipe.write_text(f'input = "{clip}"\noutput = "out.mp4"\n'
                      'redact = { detections = "reviewed.json", padding = 0.0 }\n')
    ev = load_recipe(recipe).evidence(progress=False)
    blurs = [layer for layer in ev.plan.layers if layer.kind == "blur"]
    reasons = sorted(getattr(b, "reason", None) or "" for b in blurs)
    assert reasons == ["face", "plate"]
    plate = next(b for b in blurs if getattr(b, "reason", None) == "plate")
    assert plate.span.start == pytest.approx(0.5, abs=0.05)
    assert plate.span.end == pytest.approx(1.5, abs=0.05)
    assert not any(getattr(b, "automatic", True) for b in blurs if b is plate)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d.update(format="other"), "not a detections file"),
    (lambda d: d["clip"].update(size=[640, 480]), "640x480 clip"),
    (lambda d: d["detections"][0].update(colour="red"), r"detections\[0\]: unknown key"),
    (lambda d: d["detections"][0].update(score=3), r"detections\[0\].score=3"),
    (lambda d: d["detections"][0].update(track=[{"t": 0, "rect": [300, 10, 90, 90]}]),
     r"detections\[0\].track"),
])
def test_a_wrong_file_names_the_key_and_the_fix(found: Path, edit: object,
                                                message: str) -> None:
    data = json.loads(found.read_text())
    edit(data)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        from_data(data, size=SIZE, duration=2.0)


def test_a_recipe_names_a_missing_or_broken_file(clip: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text(f'input = "{clip}"\nredact = {{ detections = "gone.json" }}\n')
    with pytest.raises(InputError, match=r"gone\.json.*does not exist.*evidence-annotate detect"):
        load_recipe(recipe).evidence(progress=False)
    (tmp_path / "bad.json").write_text('{"format": "evidence-annotate/detections-1", ')
    recipe.write_text(f'input = "{clip}"\nredact = {{ detections = "bad.json" }}\n')
    with pytest.raises(InputError, match="cannot be read as JSON"):
        load_recipe(recipe).evidence(progress=False)
    (tmp_path / "wrong.json").write_text('{"format": "x"}')
    recipe.write_text(f'input = "{clip}"\nredact = {{ detections = "wrong.json" }}\n')
    with pytest.raises(RecipeError, match="redact"):
        load_recipe(recipe).evidence(progress=False)
    assert ea.open(clip).info.size == SIZE
