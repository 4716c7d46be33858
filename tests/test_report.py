"""The PDF report, read back with pypdf (text and embedded images)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from evidence_annotate.deliver.manifest import write_manifest
from evidence_annotate.errors import InputError
from evidence_annotate.media import probe
from evidence_annotate.output import sha256_file
from evidence_annotate.plan import Plan
from evidence_annotate.report.pdf import write_report
from helpers import tmp_leftovers

ROWS = (("Order", "8123456789012"), ("Date", "2026-11-20"), ("Seller", "Магазин ACME"))
SEGMENTS = ((0.5, 2.25, "The corner of the case is cracked."),
            (2.5, 4.0, "You can see it right here."))


def _still(path: Path, color: str, size: tuple[int, int]) -> Path:
    Image.new("RGB", size, color).save(path)
    return path


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def _images(pdf: Path) -> list[tuple[int, int]]:
    return [img.image.size for page in PdfReader(pdf).pages for img in page.images
            if img.image is not None]


@pytest.fixture
def manifest(tmp_path: Path, gray_clip: Path) -> Path:
    output = tmp_path / "evidence.mp4"
    shutil.copyfile(gray_clip, output)
    return write_manifest(tmp_path / "evidence.mp4.manifest.json", source=probe(gray_clip),
                          outputs=[output], plan=Plan(), settings={})


def test_full_report(tmp_path: Path, manifest: Path) -> None:
    stills = [(_still(tmp_path / "a.png", "red", (320, 240)), 3.5),
              (_still(tmp_path / "b.png", "blue", (240, 320)), 7.25),
              (_still(tmp_path / "c.png", "green", (320, 240)), 9.0)]
    pdf = write_report(tmp_path / "evidence.pdf", title_rows=ROWS,
                       title="Phone case arrived cracked", stills=stills,
                       transcript_text="ignored when segments are given", segments=SEGMENTS,
                       manifest=manifest)
    assert pdf == tmp_path / "evidence.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = _text(pdf)
    for expected in ("Phone case arrived cracked", "8123456789012", "Магазин ACME",
                     "00:03.500", "00:07.250", "00:00.500-00:02.250",
                     "The corner of the case is cracked.", "evidence.mp4",
                     sha256_file(tmp_path / "evidence.mp4"), sha256_file(manifest)):
        assert expected in text, expected
    assert "ignored when segments" not in text
    assert text.index("8123456789012") < text.index("00:03.500") < text.index("cracked.")
    assert sorted(_images(pdf)) == [(240, 320), (320, 240), (320, 240)]
    assert len(PdfReader(pdf).pages) >= 2  # three stills do not fit on one A4 page
    assert tmp_leftovers(tmp_path) == []


def test_plain_transcript_and_no_extras(tmp_path: Path) -> None:
    pdf = write_report(tmp_path / "r.pdf", title_rows=ROWS[:1], title=None, stills=[],
                       transcript_text="Only a plain transcript, 50% {\\b1} literal.")
    text = _text(pdf)
    assert "Dispute evidence" in text
    assert "Only a plain transcript, 50% {\\b1} literal." in text
    assert "SHA-256" not in text and "Stills" not in text
    assert _images(pdf) == []


def test_bad_still_leaves_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "still.png"
    bad.write_bytes(b"not an image")
    with pytest.raises(InputError, match="cannot be read as an image"):
        write_report(tmp_path / "r.pdf", title_rows=ROWS, title=None, stills=[(bad, 1.0)],
                     transcript_text=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["still.png"]


def test_bad_manifest_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "m.manifest.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="not an evidence_annotate manifest"):
        write_report(tmp_path / "r.pdf", title_rows=ROWS, title=None, stills=[],
                     transcript_text=None, manifest=bad)


def test_pdf_suffix_required(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"use one of \.pdf"):
        write_report(tmp_path / "r.txt", title_rows=ROWS, title=None, stills=[],
                     transcript_text=None)
