"""Storyboard outputs: transcript and captions at OUTPUT times, report, check, sign, package."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

import evidence_annotate as ea
from evidence_annotate.captions.formats import read_captions
from evidence_annotate.deliver.board_split import split_program
from evidence_annotate.deliver.board_text import map_span, program_transcript
from evidence_annotate.deliver.manifest import SCHEMA_FILE
from evidence_annotate.media import probe
from evidence_annotate.platforms import Platform
from evidence_annotate.speech.transcript import Segment, Transcript, Word
from evidence_annotate.timing import Freeze, Speed, Timeline
from helpers import tmp_leftovers

FAST: dict[str, Any] = {"crf": 30, "speed": "ultrafast", "progress": False}


def _schema() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def _said() -> Transcript:
    crack = Word(0.5, 1.0, "Crack")
    here = Word(2.5, 3.0, "here")
    return Transcript("en", 0.99, 4.0, (Segment(0.5, 1.0, "Crack", (crack,)),
                                        Segment(2.5, 3.0, "here", (here,))), model="tiny.en")


@pytest.fixture(scope="module")
def board(gray_clip: Path) -> ea.Storyboard:
    # card 1 s + slide 1 s, then the clip: 0-2 s at 2x (1 s), the frame at 2.0 s held 1 s
    clip = dataclasses.replace(ea.open(gray_clip), transcript=_said())
    return ea.storyboard(ea.slide("Seller refused", seconds=1),
                         clip.box((10, 10, 60, 40), start=0.5, end=1.5).speed(2, 0, 2)
                         .freeze(2.0, 1)).title_card("8123456789012", "2026-11-20", seconds=1)


@pytest.fixture(scope="module")
def exported(board: ea.Storyboard,
             tmp_path_factory: pytest.TempPathFactory) -> ea.ExportResult:
    return board.export(tmp_path_factory.mktemp("out") / "board.mp4", **FAST)


def test_the_transcript_is_on_the_output_timeline(board: ea.Storyboard) -> None:
    transcript = board.transcript
    assert transcript is not None and transcript.language == "en"
    crack, here = transcript.segments
    # 2 s before the clip; "Crack" at 0.5-1.0 s plays at 2x; "here" comes after the freeze
    assert (crack.start, crack.end) == pytest.approx((2.25, 2.5), abs=1e-3)
    assert (crack.words[0].start, crack.words[0].end) == pytest.approx((2.25, 2.5), abs=1e-3)
    assert (here.start, here.end) == pytest.approx((4.5, 5.0), abs=1e-3)
    assert transcript.duration == pytest.approx(board.duration)
    assert ea.storyboard(ea.slide("x", seconds=1)).transcript is None


def test_a_cut_word_is_dropped(gray_clip: Path) -> None:
    clip = dataclasses.replace(ea.open(gray_clip), transcript=_said()).trim(2.0, 4.0)
    transcript = ea.storyboard(clip).transcript
    assert transcript is not None and [s.text for s in transcript] == ["here"]
    assert transcript.segments[0].start == pytest.approx(0.5, abs=1e-3)


@given(factor=st.sampled_from([0.25, 0.5, 2.0, 4.0, 8.0]),
       start=st.floats(0.0, 3.5), length=st.floats(0.05, 0.5),
       offset=st.floats(0.0, 20.0))
def test_mapped_spans_follow_the_timeline(factor: float, start: float, length: float,
                                          offset: float) -> None:
    timeline = Timeline(0.0, ((0.0, 4.0),), (Speed(1.0, 3.0, factor), Freeze(3.5, 1.0, 3.4)))
    where = map_span(timeline, start, start + length, offset, offset + 100.0)
    expected = timeline.to_output(start)
    assert where is not None and expected is not None
    assert where[0] == pytest.approx(offset + expected, abs=1e-5)
    assert where[1] >= where[0]
    # a span never ends later than the timeline's end
    assert where[1] <= offset + timeline.duration + 1e-5


@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".ass", ".json"])
def test_captions_are_written_at_output_times(board: ea.Storyboard, tmp_path: Path,
                                              suffix: str) -> None:
    path = board.write_captions(tmp_path / f"board{suffix}")
    cues = read_captions(path).cues
    starts = [round(c.start, 2) for c in cues]
    assert starts[0] == pytest.approx(2.25, abs=0.011)
    assert starts[-1] == pytest.approx(4.5, abs=0.011)
    assert "Crack" in cues[0].text


def test_captions_need_a_transcript(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="transcribe"):
        ea.storyboard(ea.slide("x", seconds=1)).write_captions(tmp_path / "x.srt")


def test_the_report_has_stills_transcript_and_hashes(board: ea.Storyboard,
                                                     exported: ea.ExportResult,
                                                     tmp_path: Path) -> None:
    assert exported.manifest is not None
    pdf = board.report(tmp_path / "board.pdf", manifest=exported.manifest)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "8123456789012" in text
    assert "Still at 00:00.500" in text and "Still at 00:01.500" in text
    assert "00:02.250" in text and "Crack" in text and "00:04.500" in text
    assert exported.sha256 in text
    manifest = json.loads(exported.manifest.read_text())
    assert manifest["segments"][1]["input"]["sha256"] in text
    assert manifest["speech"]["language"] == "en"
    assert not list(_schema().iter_errors(manifest))


def test_a_report_of_slides_only_lists_the_output(tmp_path: Path) -> None:
    board = ea.storyboard(ea.slide("Seller refused", seconds=1))
    result = board.export(tmp_path / "s.mp4", **FAST)
    pdf = board.report(tmp_path / "s.pdf", manifest=result.manifest)
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert result.sha256 in text and "(input)" not in text
    assert ea.verify(result.manifest).ok  # type: ignore[arg-type]
    manifest = json.loads(Path(result.manifest).read_text())  # type: ignore[arg-type]
    assert manifest["input"] is None and not list(_schema().iter_errors(manifest))


def test_check_predicts_the_platform_findings(board: ea.Storyboard, gray_clip: Path) -> None:
    ok = board.check()
    assert ok.ok and {f.code for f in ok.passed} >= {"container", "resolution"}
    low = board.check("aliexpress")  # a 320x240 canvas is below its minimum
    assert [p.code for p in low.problems] == ["resolution"] and low.problems[0].measured == 240
    slides = ea.storyboard(*(ea.slide(f"Slide {i}", seconds=6) for i in range(3)))
    long = slides.check("aliexpress")
    assert not long.ok and [p.code for p in long.problems] == ["duration"]
    assert "cannot reach" in long.problems[0].message and long.problems[0].measured == 18.0
    assert any(w.code == "audio" for w in long.warnings)
    quiet = ea.storyboard(*(ea.open(gray_clip) for _ in range(5)))  # 20 s, nobody speaks
    found = quiet.check("aliexpress").problems[0]
    assert found.code == "duration" and 'fit="speed") plays' in found.message
    tiny = ea.storyboard(ea.slide("x", seconds=1, size=(320, 240)).box((0, 0, 9, 9)))
    strict = Platform("strict", min_resolution=720)
    assert [p.code for p in tiny.check(strict).problems] == ["resolution"]


def test_split_writes_numbered_parts_within_the_limit(gray_clip: Path, tmp_path: Path) -> None:
    short = Platform("short", max_seconds=5.0)
    board = ea.storyboard(ea.open(gray_clip), ea.slide("Seller refused", seconds=3),
                          ea.open(gray_clip)).title_card("8123456789012", "2026-11-20",
                                                         seconds=1)
    result = board.export(tmp_path / "split.mp4", platform=short, fit="split", **FAST)
    assert len(result.paths) >= 3
    assert [p.name for p in result.paths] == [f"split_part{i}.mp4"
                                              for i in range(1, len(result.paths) + 1)]
    lengths = [probe(p).duration for p in result.paths]
    assert all(length <= 5.0 for length in lengths)
    # every part opens with the card; together they hold the whole board once
    assert sum(lengths) - len(lengths) * 1.0 == pytest.approx(board.duration - 1.0, abs=0.2)
    manifest = json.loads(Path(result.manifest).read_text())  # type: ignore[arg-type]
    assert manifest["settings"]["parts"] == [p.name for p in result.paths]
    assert ea.verify(result.manifest).ok  # type: ignore[arg-type]


def test_split_never_cuts_a_word(board: ea.Storyboard) -> None:
    pieces = split_program(board.program(), Platform("p", max_seconds=3.5))
    assert len(pieces) >= 2 and all(p.duration <= 3.5 for p in pieces)
    heard = [w.text for piece in pieces if (t := program_transcript(piece)) is not None
             for w in t.words]
    assert heard == ["Crack", "here"]
    lengths = [round(w.end - w.start, 3) for piece in pieces
               if (t := program_transcript(piece)) is not None for w in t.words]
    assert lengths == [0.25, 0.5]  # whole words (the first at 2x)


def test_a_signed_board(board: ea.Storyboard, tmp_path: Path) -> None:
    pytest.importorskip("c2pa")
    from evidence_annotate.deliver.credentials import create_identity, read_credentials

    photo = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (320, 240), (0, 0, 255)).save(photo, exif=exif)
    identity = create_identity(tmp_path / "keys", "Toko Maju")
    signed = ea.storyboard(*board.segments, ea.image(photo, seconds=1))
    result = signed.export(tmp_path / "signed.mp4", sign=identity, **FAST)
    found = read_credentials(result.path)
    assert found.ok and found.signer == "Toko Maju"
    # a composite: created, then each source placed as its own ingredient
    assert found.actions[0] == "c2pa.created" and found.actions.count("c2pa.placed") == 2
    assert b"PhoneMaker" not in result.path.read_bytes()
    check = ea.verify(result.manifest)  # type: ignore[arg-type]
    assert check.ok, str(check)
    assert check.credentials == (("signed.mp4", "Valid"),)
    assert not tmp_leftovers(tmp_path)


def test_a_board_package_verifies(board: ea.Storyboard, tmp_path: Path) -> None:
    made = board.package(tmp_path / "board.zip", progress=False)
    with zipfile.ZipFile(made.path) as archive:
        names = archive.namelist()
    assert {"board.mp4", "board.mp4.manifest.json", "report.pdf", "captions/board.srt",
            "captions/board.vtt"} <= set(names)
    assert sum(n.startswith("stills/") for n in names) == 3
    check = ea.verify(made.path)
    assert check.ok, str(check)


def test_export_with_a_package_holds_the_same_bytes(board: ea.Storyboard,
                                                    tmp_path: Path) -> None:
    result = board.export(tmp_path / "b.mp4", package=tmp_path / "b.zip", **FAST)
    assert result.package is not None and result.path.exists()
    with zipfile.ZipFile(result.package.path) as archive:
        assert archive.read("b.mp4") == result.path.read_bytes()
    assert ea.verify(result.package.path).ok
    with pytest.raises(ValueError, match=r"\.zip"):
        board.export(tmp_path / "c.mp4", package=tmp_path / "c.tar", **FAST)


def test_a_time_edited_clip_packages_and_reports(gray_clip: Path, tmp_path: Path) -> None:
    ev = dataclasses.replace(ea.open(gray_clip), transcript=_said()).speed(2, 0, 2)
    made = ev.package(tmp_path / "sped.zip")
    assert ea.verify(made.path).ok
    pdf = ev.report(tmp_path / "sped.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "00:00.250" in text and "Crack" in text  # 0.5 s of source at 2x
