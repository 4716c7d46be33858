"""The continuity view: source timecodes, cuts marked, output frames mapped back."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

import evidence_annotate as ea
from evidence_annotate.report.continuity import continuity_labels, continuity_sheet


@pytest.fixture
def edited(gray_clip: Path) -> ea.Evidence:
    return (ea.open(gray_clip).title_card(order="8123", date="2026-11-20", seconds=1.0)
            .cut([(1.0, 2.0)]))


def test_labels_show_cuts_and_map_output_back_to_source(edited: ea.Evidence) -> None:
    source, output = continuity_labels(edited.plan, edited.info, 4)
    assert [t for t, _ in source] == [0.5, 1.5, 2.5, 3.5]
    assert source[0][1] == "src 00:00.500  -> out 00:01.500"
    assert source[1][1] == "src 00:01.500  CUT"
    assert output[0][1] == "out 00:00.500  title card"
    assert output[1][1] == "out 00:01.500  <- src 00:00.500"
    assert output[2][1] == "out 00:02.500  <- src 00:02.500"


def test_an_unedited_clip_maps_one_to_one(gray_clip: Path) -> None:
    source, output = continuity_labels(ea.open(gray_clip).plan, ea.open(gray_clip).info, 4)
    assert [label.split("-> out ")[1] for _, label in source] == \
        [label.split("out ")[1].split("  ")[0] for _, label in output]


def test_the_sheet_frames_a_cut_in_red(edited: ea.Evidence) -> None:
    sheet = continuity_sheet(edited.plan, edited.info, count=4, columns=4, width=800)
    assert sheet.width == 800 and sheet.mode == "RGB"
    cell = (800 - 6 * 5) // 4
    x = 6 + 1 * (cell + 6) + 1  # the second source frame (1.5 s) was cut
    assert sheet.getpixel((x, 30 + 20)) == (255, 0, 0)
    assert sheet.getpixel((6 + 1, 30 + 20)) != (255, 0, 0)  # the first was kept


def test_the_report_has_a_continuity_page(edited: ea.Evidence, tmp_path: Path) -> None:
    pdf = edited.report(tmp_path / "report.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Continuity" in text and "source time" in text
