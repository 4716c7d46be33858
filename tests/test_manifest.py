"""The integrity manifest: writing, verifying, the plan as data, capture time."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

import evidence_annotate
from conftest import ffmpeg
from evidence_annotate.captions import CaptionTrack, Cue
from evidence_annotate.captions.style import CaptionStyle
from evidence_annotate.cards import TitleCard
from evidence_annotate.deliver.manifest import (
    SCHEMA,
    capture_time,
    plan_to_dict,
    write_manifest,
)
from evidence_annotate.deliver.verify import read_manifest, verify
from evidence_annotate.errors import InputError, OutputError
from evidence_annotate.geometry import Point, Rect
from evidence_annotate.media import MediaInfo, probe
from evidence_annotate.output import sha256_file
from evidence_annotate.overlays import Arrow, Blur, Box, BoxStyle, Text, TextStyle
from evidence_annotate.plan import Plan
from evidence_annotate.platforms import Platform
from evidence_annotate.timing import Span
from helpers import tmp_leftovers

CUES = (Cue(0.5, 1.5, ("It is cracked",)), Cue(1.5, 2.5, ("right here",)))

FULL_PLAN = Plan(
    layers=(
        Box(Rect(10, 20, 100, 50), Span(1.0, 2.5), BoxStyle(color="#00ff00", thickness=4),
            label="Crack"),
        Arrow(Point(5, 6), Point(150, 120), Span(0.5, None)),
        Text("{\\pos(0,0)} 50% off: \"quoted\"", Point(30, 40), Span(0.0, 1.0),
             TextStyle(color=(255, 0, 0), size=20)),
        Blur(Rect(200, 0, 60, 40), method="pixelate", blocks=6),
    ),
    title_card=TitleCard("8123456789012", "2026-11-20", "Phone case arrived cracked",
                         seconds=2.0, fields=(("Seller", "ACME"),)),
    captions=CaptionTrack(CUES, origin="transcript", style=CaptionStyle(), karaoke=True),
)


@pytest.fixture(scope="session")
def dated_clip(media_dir: Path) -> Path:
    """1 s with a recorded capture time, as phones store it."""
    path = media_dir / "dated.mp4"
    if not path.exists():
        ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=160x120:r=10:d=1", "-c:v", "libx264",
               "-preset", "ultrafast", "-pix_fmt", "yuv420p",
               "-metadata", "creation_time=2026-11-20T10:00:00Z", str(path))
    return path


@pytest.fixture
def made(tmp_path: Path, dated_clip: Path, gray_clip: Path) -> tuple[MediaInfo, list[Path], Path]:
    """A source in its own folder, two 'exported' parts and their manifest."""
    source = tmp_path / "phone" / "IMG_0042.mp4"
    source.parent.mkdir()
    shutil.copyfile(dated_clip, source)
    out = tmp_path / "out"
    out.mkdir()
    parts = [out / "evidence.part1.mp4", out / "evidence.part2.mp4"]
    shutil.copyfile(gray_clip, parts[0])
    shutil.copyfile(dated_clip, parts[1])
    manifest = write_manifest(
        out / "evidence.part1.mp4.manifest.json", source=probe(source), outputs=parts,
        plan=FULL_PLAN, settings={"platform": Platform.load("aliexpress"), "fit": "split",
                                  "crf": 23, "rate": Fraction(30000, 1001), "dir": out},
        transcript_model="tiny.en")
    return probe(source), parts, manifest


def test_manifest_contents(made: tuple[MediaInfo, list[Path], Path]) -> None:
    source, parts, manifest = made
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA
    assert data["library"] == {"name": "evidence_annotate",
                               "version": evidence_annotate.__version__}
    created = dt.datetime.fromisoformat(data["created"])
    assert created.utcoffset() == dt.timedelta(0)
    assert abs((dt.datetime.now(dt.timezone.utc) - created).total_seconds()) < 60
    assert data["input"] == {"name": "IMG_0042.mp4", "path": "IMG_0042.mp4",
                             "sha256": sha256_file(source.path),
                             "size_bytes": source.size_bytes,
                             "captured": "2026-11-20T10:00:00.000000Z"}
    assert data["outputs"] == [{"name": p.name, "sha256": sha256_file(p),
                                "size_bytes": p.stat().st_size} for p in parts]
    assert data["settings"]["platform"]["name"] == "aliexpress"
    assert data["settings"]["platform"]["max_seconds"] == 15.0
    assert data["settings"]["rate"] == "30000/1001"
    assert data["settings"]["dir"] == str(parts[0].parent)
    assert data["transcript_model"] == "tiny.en"
    assert data["plan"] == plan_to_dict(FULL_PLAN)
    assert tmp_leftovers(manifest.parent) == []


def test_verify_ok(made: tuple[MediaInfo, list[Path], Path]) -> None:
    source, parts, manifest = made
    result = verify(manifest, source=source.path)
    assert result.ok
    assert [(f.role, f.name, f.ok) for f in result.files] == [
        ("input", "IMG_0042.mp4", True), ("output", parts[0].name, True),
        ("output", parts[1].name, True)]
    assert "OK" in str(result).splitlines()[0]


def test_tampered_output_fails(made: tuple[MediaInfo, list[Path], Path]) -> None:
    source, parts, manifest = made
    data = bytearray(parts[1].read_bytes())
    data[len(data) // 2] ^= 0x01
    parts[1].write_bytes(bytes(data))
    result = verify(manifest, source=source.path)
    assert not result.ok
    bad = [f for f in result.files if not f.ok]
    assert [(f.name, f.missing) for f in bad] == [(parts[1].name, False)]
    assert bad[0].actual_sha256 == sha256_file(parts[1]) != bad[0].expected_sha256
    assert "CHANGED" in str(result)


def test_deleted_output_fails(made: tuple[MediaInfo, list[Path], Path]) -> None:
    source, parts, manifest = made
    parts[0].unlink()
    result = verify(manifest, source=source.path)
    assert not result.ok
    assert [(f.name, f.actual_sha256) for f in result.files if not f.ok] == [(parts[0].name, None)]


def test_missing_input_is_reported_but_ok(made: tuple[MediaInfo, list[Path], Path]) -> None:
    source, _, manifest = made
    source.path.unlink()
    result = verify(manifest, source=source.path)
    assert result.ok
    assert result.files[0].role == "input" and result.files[0].missing


def test_changed_input_fails(made: tuple[MediaInfo, list[Path], Path]) -> None:
    source, _, manifest = made
    with source.path.open("ab") as handle:
        handle.write(b"\0")
    assert not verify(manifest, source=source.path).ok


def test_manifest_moves_with_its_outputs(made: tuple[MediaInfo, list[Path], Path],
                                         tmp_path: Path) -> None:
    _, _, manifest = made
    moved = tmp_path / "upload"
    shutil.copytree(manifest.parent, moved)
    assert verify(moved / manifest.name).ok


def test_missing_output_cannot_be_recorded(tmp_path: Path, dated_clip: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_manifest(tmp_path / "m.manifest.json", source=probe(dated_clip),
                       outputs=[tmp_path / "nope.mp4"], plan=Plan(), settings={})
    assert list(tmp_path.iterdir()) == []


GOOD_ENTRY = {"name": "a.mp4", "sha256": "0" * 64}


@pytest.mark.parametrize(("content", "message"), [
    (None, "does not exist"),
    ("{not json", "not JSON"),
    ("[1, 2]", "top level is not an object"),
    (json.dumps({"schema": "other/9"}), "schema 'other/9'"),
    (json.dumps({"schema": SCHEMA, "input": {**GOOD_ENTRY, "path": "/a.mp4"}, "outputs": []}),
     "no outputs listed"),
    (json.dumps({"schema": SCHEMA, "input": {**GOOD_ENTRY, "path": "/a.mp4"},
                 "outputs": [{"name": "b.mp4", "sha256": "abc"}]}), "outputs\\[0\\] has no SHA"),
    (json.dumps({"schema": SCHEMA, "input": GOOD_ENTRY, "outputs": [GOOD_ENTRY]}),
     "input has no path"),
])
def test_bad_manifest_is_an_input_error(tmp_path: Path, content: str | None,
                                        message: str) -> None:
    path = tmp_path / "x.manifest.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        verify(path)
    assert err.value.path == str(path)
    with pytest.raises(InputError):
        read_manifest(path)


def test_plan_to_dict_every_kind() -> None:
    data = plan_to_dict(FULL_PLAN)
    json.dumps(data)  # plain data only
    box, arrow, text, blur = data["layers"]
    assert [layer["kind"] for layer in data["layers"]] == ["box", "arrow", "text", "blur"]
    assert (box["start"], box["end"], box["rect"], box["label"]) == \
        (1.0, 2.5, {"x": 10, "y": 20, "w": 100, "h": 50}, "Crack")
    assert box["style"]["color"] == "#00ff00" and box["style"]["thickness"] == 4
    assert box["style"]["label"]["padding"] == 0.35
    assert (arrow["tail"], arrow["head"], arrow["end"]) == \
        ({"x": 5, "y": 6}, {"x": 150, "y": 120}, None)
    assert text["text"] == "{\\pos(0,0)} 50% off: \"quoted\""
    assert text["style"]["color"] == [255, 0, 0]
    assert (blur["rect"], blur["method"], blur["blocks"], blur["start"]) == \
        ({"x": 200, "y": 0, "w": 60, "h": 40}, "pixelate", 6, 0.0)
    card = data["title_card"]
    assert (card["order"], card["date"], card["title"], card["seconds"]) == \
        ("8123456789012", "2026-11-20", "Phone case arrived cracked", 2.0)
    assert card["fields"] == [["Seller", "ACME"]]
    assert card["style"]["accent"] == "#ffd400"
    assert data["captions"]["origin"] == "transcript"
    assert data["captions"]["events"] == 2
    assert len(data["captions"]["sha256"]) == 64
    assert data["captions"]["karaoke"] is True
    assert data["captions"]["style"] == plan_to_dict(
        Plan(captions=CaptionTrack((), style=CaptionStyle())))["captions"]["style"]
    assert isinstance(data["captions"]["style"], dict) and data["captions"]["style"]


def test_plan_to_dict_empty_plan() -> None:
    assert plan_to_dict(Plan()) == {"layers": [], "title_card": None, "captions": None,
                                    "keep": None, "speech_redactions": []}


def test_capture_time(dated_clip: Path, gray_clip: Path) -> None:
    assert capture_time(probe(dated_clip)) == "2026-11-20T10:00:00.000000Z"
    assert capture_time(probe(gray_clip)) is None
