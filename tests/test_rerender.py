"""Re-rendering an edit from the original: honest edits reproduce every frame, others do not.

A title card, a box, a blur, a cut and captions from a subtitle file, exported at x264
``ultrafast`` (no lookahead: a changed frame changes no frame before it), are rendered again
from the original by ``ea.verify(..., original=)`` and compared frame by frame.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.cli import main
from evidence_annotate.deliver.replan import PlanDataError
from evidence_annotate.output import sha256_file

FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}
CARD_FRAMES = 30  # a 1.0 s title card at 30 fps
BOX_START = 0.5  # source seconds


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2.5 s of testsrc2, 320x240 at 30 fps, with a tone."""
    path = tmp_path_factory.mktemp("original") / "unboxing.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=2.5", "-f", "lavfi", "-i",
           "sine=f=660:d=2.5", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", str(path))
    return path


@pytest.fixture(scope="module")
def subtitles(original: Path) -> Path:
    path = original.with_name("said.srt")
    path.write_text("1\n00:00:00,300 --> 00:00:01,200\nlook at the corner\n\n"
                    "2\n00:00:01,900 --> 00:00:02,400\nit is cracked\n\n", encoding="utf-8")
    return path


def _edit(original: Path, subtitles: Path, box_x: int = 10) -> ea.Evidence:
    return (ea.open(original).title_card(order="8123", date="2026-11-20", seconds=1.0)
            .box((box_x, 10, 60, 40), start=BOX_START, end=1.5, label="Crack")
            .blur((200, 120, 60, 50), start=0.2)
            .cut([(1.6, 1.8)]).captions(source=subtitles))


@pytest.fixture(scope="module")
def honest(tmp_path_factory: pytest.TempPathFactory, original: Path, subtitles: Path) -> Path:
    """The honest export's folder (video and manifest)."""
    folder = tmp_path_factory.mktemp("honest")
    result = _edit(original, subtitles).export(folder / "evidence.mp4", **FAST)
    assert result.manifest is not None
    return folder


@pytest.fixture(scope="module")
def moved(tmp_path_factory: pytest.TempPathFactory, original: Path, subtitles: Path) -> Path:
    """The same edit with the box drawn 40 px further right."""
    folder = tmp_path_factory.mktemp("moved")
    return _edit(original, subtitles, box_x=50).export(folder / "evidence.mp4", **FAST).path


def _copy(folder: Path, target: Path) -> Path:
    shutil.copytree(folder, target)
    return target / "evidence.mp4.manifest.json"


def _manifest(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _swap_video(manifest: Path, video: Path) -> None:
    """Replace the delivered video and rewrite its hash, as a forger would."""
    shutil.copyfile(video, manifest.parent / "evidence.mp4")
    data = _manifest(manifest)
    data["outputs"][0].update(sha256=sha256_file(video), size_bytes=video.stat().st_size)
    manifest.write_text(json.dumps(data), encoding="utf-8")


def test_an_honest_edit_reproduces_every_frame(honest: Path, original: Path) -> None:
    manifest = honest / "evidence.mp4.manifest.json"
    result = ea.verify(manifest, original=original)
    assert result.ok, str(result)
    (check,) = result.rerendered
    assert check.state == "match" and check.first_difference is None
    written = ea.probe(honest / "evidence.mp4")
    assert check.frames == round(written.duration * 30) == CARD_FRAMES + 69
    assert "match" in str(result)
    data = _manifest(manifest)
    assert data["render"]["outputs"][0]["encoder"]["threads"] >= 1
    assert data["render"]["environment"]["ffmpeg"].startswith("ffmpeg version")
    assert data["plan"]["captions"]["cues"][0]["lines"] == ["look at the corner"]


def test_a_moved_annotation_fails_at_its_first_frame(honest: Path, moved: Path,
                                                     original: Path, tmp_path: Path) -> None:
    manifest = _copy(honest, tmp_path / "forged")
    _swap_video(manifest, moved)
    assert ea.verify(manifest).ok  # the hash list was rewritten consistently
    result = ea.verify(manifest, original=original)
    assert not result.ok
    (check,) = result.rerendered
    assert check.state == "mismatch"
    assert check.first_difference is not None
    assert check.first_difference.stream == "video"
    assert check.first_difference.index == CARD_FRAMES + round(BOX_START * 30)
    assert check.first_difference.time == pytest.approx(1.0 + BOX_START, abs=1e-3)
    assert "video frame 45 at 1.500 s" in result.problems[0]


def test_a_re_encoded_video_fails(honest: Path, original: Path, tmp_path: Path) -> None:
    manifest = _copy(honest, tmp_path / "reencoded")
    again = tmp_path / "again.mp4"
    ffmpeg("-i", str(honest / "evidence.mp4"), "-c:v", "libx264", "-preset", "ultrafast",
           "-crf", "30", "-c:a", "copy", str(again))
    _swap_video(manifest, again)
    (check,) = ea.verify(manifest, original=original).rerendered
    assert check.state == "mismatch" and check.first_difference is not None
    assert check.first_difference.index == 0 and check.first_difference.time == 0.0


def test_a_different_original_fails(honest: Path, original: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=s=320x240:r=30:d=2.5", "-f", "lavfi", "-i",
           "sine=f=660:d=2.5", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", str(other))
    result = ea.verify(honest / "evidence.mp4.manifest.json", original=other)
    assert not result.ok
    (check,) = result.rerendered
    assert check.state == "mismatch" and check.first_difference is not None
    assert check.first_difference.index == CARD_FRAMES  # the title card is the same
    assert "not byte-identical to the recorded input 'unboxing.mp4'" in check.reason
    assert next(f for f in result.files if f.role == "input").ok is False


def test_another_renderer_is_inconclusive_not_a_mismatch(honest: Path, moved: Path,
                                                          original: Path, tmp_path: Path) -> None:
    manifest = _copy(honest, tmp_path / "elsewhere")
    data = _manifest(manifest)
    data["render"]["environment"]["ffmpeg"] = "ffmpeg version 5.1.2"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    (check,) = ea.verify(manifest, original=original).rerendered
    assert check.state == "match"  # the frames still match: the build's name is only noted
    assert "ffmpeg: recorded 'ffmpeg version 5.1.2'" in check.reason
    _swap_video(manifest, moved)
    result = ea.verify(manifest, original=original)
    (check,) = result.rerendered
    assert check.state == "inconclusive" and not result.ok
    assert "not the recorded renderer" in check.reason and "IMAGEIO_FFMPEG_EXE" in check.reason


@pytest.mark.parametrize(("schema", "message"), [
    ("evidence_annotate.manifest/1", "re-rendering needs 'evidence_annotate.manifest/2'"),
    ("evidence_annotate.manifest/9", "schema 'evidence_annotate.manifest/9', expected one of"),
    (None, "schema 'None'"),
])
def test_manifest_versions_without_a_replayable_plan_are_clear_errors(
        honest: Path, original: Path, tmp_path: Path, schema: str | None, message: str) -> None:
    manifest = _copy(honest, tmp_path / "versions")
    data = _manifest(manifest)
    if schema is None:
        del data["schema"]
    else:
        data["schema"] = schema
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ea.InputError, match=message.replace("(", r"\(")):
        ea.verify(manifest, original=original)
    if schema == "evidence_annotate.manifest/1":
        assert ea.verify(manifest).ok  # its hashes are still checked


def test_a_changed_plan_is_named(honest: Path, original: Path, tmp_path: Path) -> None:
    manifest = _copy(honest, tmp_path / "plan")
    data = _manifest(manifest)
    data["plan"]["layers"][0]["rect"]["w"] = "wide"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanDataError, match=r"plan\.layers\[0\]\.rect\.w='wide'"):
        ea.verify(manifest, original=original)
    data["plan"]["layers"][0]["rect"]["w"] = 60
    data["plan"]["captions"]["cues"][0]["lines"] = ["something else"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanDataError, match="do not match their recorded SHA-256"):
        ea.verify(manifest, original=original)


def test_export_with_package_round_trip(original: Path, subtitles: Path, tmp_path: Path) -> None:
    video = tmp_path / "out" / "evidence.mp4"
    result = _edit(original, subtitles).export(video, package=tmp_path / "evidence.zip",
                                               original="exact", **FAST)
    assert result.package is not None and result.manifest is not None
    assert result.path == video and video.is_file() and result.manifest.is_file()
    assert sorted(p.name for p in video.parent.iterdir()) == [
        "evidence.mp4", "evidence.mp4.manifest.json"]
    assert {m.name for m in result.package.members} >= {
        "evidence.mp4", "evidence.mp4.manifest.json", "report.pdf", "original/unboxing.mp4"}
    packaged = {m.name: m.path for m in result.package.members}
    assert packaged  # the work copies are gone, the hashes are recorded in package.json
    checked = ea.verify(tmp_path / "evidence.zip")
    assert checked.ok, str(checked)
    by_name = {m.name: m.actual_sha256 for m in checked.files}
    assert by_name["evidence.mp4"] == sha256_file(video) == result.sha256
    assert by_name["evidence.mp4.manifest.json"] == sha256_file(result.manifest)
    inside = ea.verify(tmp_path / "evidence.zip", original=True)
    assert inside.ok and [c.state for c in inside.rerendered] == ["match"]
    given = ea.verify(tmp_path / "evidence.zip", original=original)
    assert given.ok and given.rerendered[0].frames == inside.rerendered[0].frames


def test_a_package_without_its_original_needs_one(original: Path, tmp_path: Path) -> None:
    ev = ea.open(original).box((10, 10, 40, 40))
    ev.export(tmp_path / "a.mp4", package=tmp_path / "a.zip", **FAST)
    with pytest.raises(ea.InputError, match="holds no original recording"):
        ea.verify(tmp_path / "a.zip", original=True)
    assert ea.verify(tmp_path / "a.zip", original=original).rerendered[0].ok


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"package": "evidence.tar"}, "must be a .zip file"),
    ({"package": "clip.mp4"}, "must be a .zip file"),
    ({"package": "same.zip", "path": "same.zip"}, "is the video"),
    ({"package": "e.zip", "manifest": False}, "the package holds the manifest"),
    ({"original": "exact"}, "needs package="),
    ({"package": "e.zip", "original": "all"}, "is not a mode"),
    ({"package": "e.zip", "path": "my clip.mp4"}, "cannot name a package member"),
])
def test_export_package_arguments_are_checked_first(original: Path, tmp_path: Path,
                                                    kwargs: dict[str, Any], message: str) -> None:
    ev = ea.open(original).box((10, 10, 40, 40))
    options = {"path": "out.mp4", **kwargs}
    path = tmp_path / options.pop("path")
    if "package" in options:
        options["package"] = tmp_path / options["package"]
    with pytest.raises(ValueError, match=message):
        ev.export(path, **options, **FAST)
    assert list(tmp_path.iterdir()) == []


def test_a_package_that_cannot_be_written_leaves_nothing(original: Path, tmp_path: Path) -> None:
    (tmp_path / "evidence.zip").mkdir()
    with pytest.raises(ea.OutputError, match="is a folder"):
        ea.open(original).export(tmp_path / "evidence.mp4", package=tmp_path / "evidence.zip",
                                 **FAST)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.zip"]


def test_a_split_two_pass_export_reproduces_every_part(original: Path, tmp_path: Path) -> None:
    platform = ea.Platform("tiny", max_bytes=60_000, max_seconds=1.5)
    ev = ea.open(original).box((10, 10, 60, 40), start=0.5, end=2.0, label="Crack")
    result = ev.export(tmp_path / "evidence.mp4", platform=platform, fit="split", **FAST)
    assert len(result.paths) == 2 and result.manifest is not None
    data = _manifest(result.manifest)
    assert [o["passes"] for o in data["render"]["outputs"]] == [2, 2]
    assert data["render"]["outputs"][0]["keep"] != data["render"]["outputs"][1]["keep"]
    checked = ea.verify(result.manifest, original=original)
    assert checked.ok, str(checked)
    assert [c.name for c in checked.rerendered] == ["evidence_part1.mp4", "evidence_part2.mp4"]


def test_the_cli_verify_command(honest: Path, moved: Path, original: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    manifest = honest / "evidence.mp4.manifest.json"
    assert main(["verify", str(manifest), "--original", str(original), "-q"]) == 0
    assert main(["verify", str(manifest), "--original", str(original), "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["rerendered"][0]["state"] == "match"
    forged = _copy(honest, tmp_path / "cli")
    _swap_video(forged, moved)
    assert main(["verify", str(forged)]) == 0
    assert main(["verify", str(forged), "--original", str(original)]) == 1
    assert "MISMATCH: first difference: video frame 45 at 1.500 s" in capsys.readouterr().out
    assert main(["verify", str(forged), "--original"]) == 2  # a manifest has no original inside


def test_every_kind_at_the_default_preset_reproduces(original: Path, tmp_path: Path) -> None:
    from test_kinds import EXAMPLES

    ev = ea.open(original).title_card(order="8123", date="2026-11-20", seconds=0.5)
    for kind, (args, kwargs) in EXAMPLES.items():
        ev = getattr(ev, kind)(*args, **kwargs)
    result = ev.export(tmp_path / "all.mp4", progress=False)  # x264 medium: lookahead, B-frames
    assert result.manifest is not None
    kinds = [layer["kind"] for layer in _manifest(result.manifest)["plan"]["layers"]]
    assert sorted(kinds) == sorted(ea.KINDS)
    (check,) = ea.verify(result.manifest, original=original).rerendered
    assert check.state == "match", check.reason


def test_the_recorded_thread_count_is_passed_to_x264(original: Path, tmp_path: Path) -> None:
    from evidence_annotate.render.settings import EncodeSettings, auto_threads, video_codec_args

    assert video_codec_args(EncodeSettings(threads=2), None, tmp_path)[4:6] == ["-threads:v", "2"]
    assert "-threads:v" not in video_codec_args(EncodeSettings(), None, tmp_path)
    with pytest.raises(ValueError, match=r"threads=0 must be an integer 1\.\.128"):
        EncodeSettings(threads=0)
    result = ea.open(original).export(tmp_path / "t.mp4", **FAST)
    assert result.manifest is not None
    encoder = _manifest(result.manifest)["render"]["outputs"][0]["encoder"]
    assert encoder["threads"] == auto_threads()


def test_an_output_left_out_of_the_render_record_fails(honest: Path, original: Path,
                                                       tmp_path: Path) -> None:
    manifest = _copy(honest, tmp_path / "unrecorded")
    data = _manifest(manifest)
    data["render"]["outputs"] = [dict(data["render"]["outputs"][0], name="other.mp4")]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    result = ea.verify(manifest, original=original)
    assert not result.ok
    assert [(c.name, c.state) for c in result.rerendered] == [
        ("evidence.mp4", "mismatch"), ("other.mp4", "mismatch")]
    assert "does not say how it was rendered" in result.rerendered[0].reason
    assert "not among the outputs" in result.rerendered[1].reason


def test_verify_checks_its_arguments(honest: Path) -> None:
    manifest = honest / "evidence.mp4.manifest.json"
    with pytest.raises(ValueError, match="original=3 must be the original recording's path"):
        ea.verify(manifest, original=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="progress='yes' must be True or False"):
        ea.verify(manifest, progress="yes")  # type: ignore[arg-type]
    with pytest.raises(ea.InputError, match="does not exist"):
        ea.verify(manifest, original=honest / "gone.mp4")
    assert ea.verify(manifest, original=False).rerendered == ()
