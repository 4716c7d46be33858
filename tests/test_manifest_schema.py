"""The shipped JSON Schemas describe what the library writes, and refuse what it does not."""

from __future__ import annotations

import copy
import json
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import evidence_annotate as ea
from evidence_annotate.deliver.manifest import SCHEMA, SCHEMA_FILE
from evidence_annotate.deliver.package import (
    PACKAGE_SCHEMA,
    PACKAGE_SCHEMA_FILE,
    Member,
    write_package,
)


def _validator(path: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory, gray_clip: Path) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("schema")
    subtitles = folder / "said.srt"
    subtitles.write_text("1\n00:00:00,500 --> 00:00:01,500\nlook here\n\n", encoding="utf-8")
    result = (ea.open(gray_clip).title_card(order="8123", date="2026-11-20", seconds=1.0)
              .box((10, 10, 60, 40), start=0.5, end=1.5, label="Crack")
              .blur((100, 100, 40, 40)).cut([(2.0, 3.0)]).captions(source=subtitles)
              .export(folder / "out.mp4", speed="ultrafast", progress=False))
    assert result.manifest is not None
    data: dict[str, Any] = json.loads(result.manifest.read_text(encoding="utf-8"))
    return data


def test_the_schemas_are_shipped_with_the_package() -> None:
    shipped = resources.files("evidence_annotate") / "deliver" / "schemas"
    assert shipped.joinpath(SCHEMA_FILE.name).is_file()
    assert shipped.joinpath(PACKAGE_SCHEMA_FILE.name).is_file()
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"deliver/schemas/*.json"' in pyproject


def test_schema_files_name_the_versions_the_library_writes() -> None:
    manifest_schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    package_schema = json.loads(PACKAGE_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert manifest_schema["properties"]["schema"]["const"] == SCHEMA
    assert package_schema["properties"]["schema"]["const"] == PACKAGE_SCHEMA
    assert SCHEMA.endswith("/2") and SCHEMA_FILE.name == "manifest-2.schema.json"
    first = json.loads(SCHEMA_FILE.with_name("manifest-1.schema.json").read_text("utf-8"))
    assert first["properties"]["schema"]["const"] == "evidence_annotate.manifest/1"
    assert "render" in manifest_schema["required"] and "render" not in first["required"]


def test_a_written_manifest_validates(manifest: dict[str, Any]) -> None:
    _validator(SCHEMA_FILE).validate(manifest)
    kinds = [layer["kind"] for layer in manifest["plan"]["layers"]]
    assert kinds == ["box", "blur"]
    assert manifest["plan"]["keep"] == [[0.0, 2.0], [3.0, 4.0]]
    assert manifest["plan"]["captions"]["events"] == 1
    assert manifest["plan"]["captions"]["cues"][0]["lines"] == ["look here"]
    (output,) = manifest["render"]["outputs"]
    assert output["name"] == "out.mp4" and output["keep"] == manifest["plan"]["keep"]
    assert output["encoder"]["preset"] == "ultrafast" and output["passes"] == 1


def test_version_1_manifests_still_validate_against_their_schema(
        manifest: dict[str, Any]) -> None:
    first = SCHEMA_FILE.with_name("manifest-1.schema.json")
    old = _set(manifest, "evidence_annotate.manifest/1", "schema")
    del old["render"]
    _validator(first).validate(old)


def _without(data: dict[str, Any], *keys: str | int) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target: Any = changed
    for key in keys[:-1]:
        target = target[key]
    del target[keys[-1]]
    return changed


def _set(data: dict[str, Any], value: Any, *keys: str | int) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target: Any = changed
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return changed


@pytest.mark.parametrize("change", [
    lambda m: _set(m, "evidence_annotate.manifest/1", "schema"),
    lambda m: _without(m, "outputs"),
    lambda m: _set(m, [], "outputs"),
    lambda m: _set(m, "ABC", "outputs", 0, "sha256"),
    lambda m: _without(m, "input", "sha256"),
    lambda m: _set(m, -1, "outputs", 0, "size_bytes"),
    lambda m: _without(m, "plan", "layers", 0, "kind"),
    lambda m: _set(m, "soon", "plan", "layers", 0, "start"),
    lambda m: _set(m, [[0.0]], "plan", "keep"),
    lambda m: _without(m, "render"),
    lambda m: _without(m, "render", "outputs", 0, "encoder", "threads"),
    lambda m: _set(m, 3, "render", "outputs", 0, "passes"),
    lambda m: _without(m, "render", "environment", "ffmpeg"),
    lambda m: _without(m, "plan", "captions", "cues"),
], ids=["version", "no-outputs", "empty-outputs", "bad-hash", "input-hash", "negative-size",
        "layer-kind", "layer-start", "keep-pair", "no-render", "no-threads", "passes",
        "no-ffmpeg", "no-cues"])
def test_a_broken_manifest_does_not_validate(manifest: dict[str, Any], change: Any) -> None:
    with pytest.raises(jsonschema.ValidationError):
        _validator(SCHEMA_FILE).validate(change(manifest))


def test_package_index_validates(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("order 8123\n")
    result = write_package(tmp_path / "p.zip", [Member("notes/notes.txt", notes, "report")])
    with zipfile.ZipFile(result.path) as archive:
        index = json.loads(archive.read("package.json"))
    validator = _validator(PACKAGE_SCHEMA_FILE)
    validator.validate(index)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(_set(index, "../x", "members", 0, "name"))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(_set(index, "a/./b", "members", 0, "name"))
