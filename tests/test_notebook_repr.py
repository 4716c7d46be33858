"""Jupyter display: preview strip and plan summary for Evidence, a table for Transcript."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

import evidence_annotate as ea
from evidence_annotate.notebook import (
    STRIP_FRAMES,
    THUMB_WIDTH,
    evidence_html,
    evidence_png,
    preview_strip,
)
from evidence_annotate.speech.transcript import Segment, Transcript, Word, transcript_html
from helpers import GRAY, close, pixel


@pytest.fixture
def planned(gray_clip: Path) -> ea.Evidence:
    return (ea.open(gray_clip).title_card("<order & 1>", "2026-11-20", title="<b>bold</b>")
            .box((10, 10, 50, 50), start=1, end=3, label="<script>alert(1)</script>")
            .text("5 > 3 & 'quotes'", at=(20, 20)))


def test_evidence_html_shows_strip_and_escaped_plan(planned: ea.Evidence) -> None:
    html = evidence_html(planned)
    assert len(re.findall(r"<img src='data:image/png;base64,", html)) == STRIP_FRAMES
    assert "<script>" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "order &lt;order &amp; 1&gt;" in html
    assert "5 &gt; 3 &amp; &#x27;quotes&#x27;" in html
    assert "1.00-3.00 s" in html
    assert f"{planned.duration:.2f} s output" in html


def test_strip_times_are_on_the_output_timeline(planned: ea.Evidence) -> None:
    strip = preview_strip(planned, frames=2, width=80)
    assert [t for t, _ in strip] == [round(planned.duration * f, 3) for f in (0.25, 0.75)]
    assert all(image.size == (80, 60) for _, image in strip)  # 320x240 keeps its 4:3
    # 7 s of output: the first quarter (1.75 s) is on the dark title card, then the gray clip
    assert max(strip[0][1].getpixel((2, 40))) < 40  # type: ignore[arg-type]
    assert close(pixel(strip[1][1], 2, 40), GRAY, tol=12)
    with pytest.raises(ValueError, match="frames=0 must be >= 1"):
        preview_strip(planned, frames=0)


def test_evidence_png_is_the_strip_side_by_side(planned: ea.Evidence) -> None:
    data = evidence_png(planned)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.width == STRIP_FRAMES * THUMB_WIDTH + 4 * (STRIP_FRAMES - 1)
    assert image.height == round(240 * THUMB_WIDTH / 320)


def test_transcript_table_escapes_and_truncates() -> None:
    words = (Word(0.5, 0.9, "<i>a</i>"),)
    segments = tuple(Segment(i, i + 0.5, f"line {i} <i>a</i>", words) for i in range(60))
    html = transcript_html(Transcript("en", 0.9, 61.0, segments))
    assert html.count("<tr>") == 1 + 50  # header + the rows shown
    assert "... 10 more segments" in html
    assert "<i>" not in html and "line 3 &lt;i&gt;a&lt;/i&gt;" in html
    assert "<td style='text-align:left'>00:01.500</td>" in html  # end of segment 1
    assert "60 segments, 60 words" in html


def test_empty_transcript_table() -> None:
    html = transcript_html(Transcript("", 0.0, 2.0))
    assert "language none, 0 segments" in html and html.count("<tr>") == 1
