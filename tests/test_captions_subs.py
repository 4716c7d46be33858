"""Tests of caption styles and subtitle files: literal text, round trips, real libass render."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pysubs2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFont

from evidence_annotate.captions import (
    CaptionStyle,
    Cue,
    ass_plain_text,
    cues_to_ssafile,
    escape_ass,
    read_captions,
    segment,
    write_captions,
)
from evidence_annotate.errors import InputError, OutputError
from evidence_annotate.speech.transcript import Word

FONTS = Path(__file__).resolve().parents[1] / "src" / "evidence_annotate" / "fonts"
TRICKY = '{\\pos(0,0)} 50% off: "a\\Nb" [x]; c\\d'
TRICKY_CUES = (
    Cue(0.5, 2.25, (TRICKY, "<i>not italic</i> & \\h \\n {\\b1}")),
    Cue(3.0, 4.0, ("Order 8123456789012:", "8123456789012")),  # last line only a number
    Cue(4.5, 6.0, ("back\\", "slash\\{", "end}")),
)


def plain_lines(subs: pysubs2.SSAFile) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(e.start, e.end, tuple(ass_plain_text(e.text).split("\n"))) for e in subs]


def cue_lines(path: Path) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(round(c.start * 1000), round(c.end * 1000), c.lines)
            for c in read_captions(path).cues]


def expected(cues: tuple[Cue, ...], shift: float = 0.0) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(round((c.start + shift) * 1000), round((c.end + shift) * 1000), c.lines)
            for c in cues]


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab {}\\Nnh\u2060\n\r%:,\"'[]")))
def test_escape_is_inverted_by_plain_text(text: str) -> None:
    assert ass_plain_text(escape_ass(text)) == re.sub(r"\r\n|\r", "\n", text)


@pytest.mark.parametrize(("plain", "ass"), [
    ("{\\pos(0,0)}", "\\{\\pos(0,0)\\}"),
    ("a\\Nb", "a\\\u2060Nb"),
    ("a\\nb\\hc", "a\\\u2060nb\\\u2060hc"),
    ("c\\d 50%", "c\\d 50%"),  # a backslash before anything else is already literal
    ("one\ntwo\r\nthree\rfour", "one\\Ntwo\\Nthree\\Nfour"),
    ("end\\", "end\\"),
])
def test_escape_table(plain: str, ass: str) -> None:
    assert escape_ass(plain) == ass


def test_plain_text_drops_override_tags() -> None:
    text = "{\\an8\\b1}Top{\\b0}\\Nline\\hx {unclosed"
    assert ass_plain_text(text) == "Top\nline\u00a0x {unclosed"


def test_cues_to_ssafile_sets_playres_style_and_shift() -> None:
    style = CaptionStyle(size=0.1, color="#ffd400")
    subs = cues_to_ssafile(TRICKY_CUES, width=640, height=360, style=style, shift=3.0)
    assert (subs.info["PlayResX"], subs.info["PlayResY"]) == ("640", "360")
    assert subs.styles["Default"].fontsize == 36.0
    assert subs.styles["Default"].primarycolor == pysubs2.Color(255, 212, 0, 0)
    assert plain_lines(subs) == expected(TRICKY_CUES, shift=3.0)


def test_karaoke_tags_time_every_word_in_centiseconds() -> None:
    words = [Word(1.0, 1.3, "The"), Word(1.3, 1.8, "seal"), Word(2.0, 2.4, "{broke}.")]
    (cue,) = segment(words)
    (event,) = cues_to_ssafile([cue], width=640, height=360, karaoke=True)
    ks = [int(k) for k in re.findall(r"\{\\k(\d+)\}", event.text)]
    assert ks == [30, 70, round((cue.end - 2.0) * 100)]
    assert sum(ks) == round((cue.end - cue.start) * 100)
    assert ass_plain_text(event.text) == "The seal {broke}."


@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".ass", ".ssa", ".json"])
def test_round_trip_keeps_text_literal(tmp_path: Path, suffix: str) -> None:
    path = write_captions(TRICKY_CUES, tmp_path / f"c{suffix}", width=640, height=360)
    assert cue_lines(path) == expected(TRICKY_CUES)
    assert not [p.name for p in tmp_path.iterdir() if p != path]  # no temp file left


def test_json_keeps_words_and_text(tmp_path: Path) -> None:
    cues = segment([Word(1.25, 1.5, "Cracked"), Word(1.5, 1.75, "lid.")])
    path = write_captions(cues, tmp_path / "c.JSON")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["cues"][0]["text"] == "Cracked lid."
    assert data["cues"][0]["words"][0]["start"] == 1.25
    assert read_captions(path).cues[0].words[1].text == "lid."


def test_srt_text_is_plain_and_a_carriage_return_never_makes_an_event(tmp_path: Path) -> None:
    path = tmp_path / "in.srt"
    path.write_bytes(b"1\r\n00:00:01,000 --> 00:00:02,000\r\nhello\rworld\r\n\r\n"
                     b"2\r\n00:00:03,000 --> 00:00:04,500\r\nsee\r00:00:05,000 --> 00:00:06,000"
                     b"\r\n<i>{\\an8}</i>\r\n42\r\n")
    assert cue_lines(path) == [
        (1000, 2000, ("hello", "world")),
        (3000, 4500, ("see", "00:00:05,000 --> 00:00:06,000", "{\\an8}", "42"))]
    # <i> is SubRip's own italic (formatting); {\an8} is not SubRip and stays text
    assert [run.italic for run in read_captions(path).cues[1].runs[2]] == [True]


def test_vtt_entities_and_blocks(tmp_path: Path) -> None:
    path = tmp_path / "in.vtt"
    path.write_text("WEBVTT\n\nNOTE a comment\n\nintro\n00:01.000 --> 00:02.500 align:start\n"
                    "R&amp;D &lt;3 {x}\n\n00:00:03.000 --> 00:00:04.000\nbye\n", encoding="utf-8")
    assert cue_lines(path) == [(1000, 2500, ("R&D <3 {x}",)), (3000, 4000, ("bye",))]
    out = write_captions([Cue(1.0, 2.0, ("a < b & c",))], tmp_path / "out.vtt")
    assert "a &lt; b &amp; c" in out.read_text(encoding="utf-8")


def test_ass_source_keeps_its_own_styling(tmp_path: Path) -> None:
    source = pysubs2.SSAFile()
    source.styles["Loud"] = pysubs2.SSAStyle(fontname="DejaVu Sans", fontsize=77)
    source.append(pysubs2.SSAEvent(start=0, end=1000, text="{\\b1}Hi", style="Loud"))
    path = tmp_path / "own.ass"
    source.save(str(path))
    read = read_captions(path)
    assert read.styled is not None
    subs = pysubs2.SSAFile.from_string(read.styled)
    assert subs.styles["Loud"].fontsize == 77
    assert subs.events[0].text == "{\\b1}Hi"
    again = write_captions(read.cues, tmp_path / "again.srt", styled=read.styled)
    assert cue_lines(again) == [(0, 1000, ("Hi",))]
    kept = write_captions(read.cues, tmp_path / "again.ssa", styled=read.styled)
    assert pysubs2.load(str(kept)).styles["Loud"].fontsize == 77


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_captions(tmp_path / "missing.srt")
    (tmp_path / "latin.srt").write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\ncaf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_captions(tmp_path / "latin.srt")
    (tmp_path / "x.json").write_text('{"cues": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not a caption JSON file"):
        read_captions(tmp_path / "x.json")
    with pytest.raises(ValueError, match=r"suffix '\.txt'; use one of \.srt, \.vtt"):
        read_captions(tmp_path / "x.txt")


def test_write_rejects_unknown_suffix_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError,
                       match=r"suffix '\.sub'; use one of \.srt, \.vtt, \.ass, \.ssa, \.json"):
        write_captions(TRICKY_CUES, tmp_path / "c.sub")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "c.srt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(AttributeError):
        write_captions([TRICKY_CUES[0], "not a cue"], target)  # type: ignore[list-item]
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]
    with pytest.raises(OutputError, match="input"):
        write_captions(TRICKY_CUES, target, inputs=[target])


def test_style_to_ssa_style() -> None:
    boxed = CaptionStyle().to_ssa_style(1280, 720)
    assert (boxed.fontname, boxed.borderstyle, boxed.marginv) == ("DejaVu Sans", 3, 43)
    assert boxed.outlinecolor.a == 255 - 0xA6  # ASS alpha is transparency
    outlined = CaptionStyle(box=False, outline_color="red").to_ssa_style(1280, 720)
    assert (outlined.borderstyle, outlined.outlinecolor) == (1, pysubs2.Color(255, 0, 0, 0))
    assert outlined.outline == pytest.approx(0.08 * 0.055 * 720, abs=0.01)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"size": 0.0}, "size=0.0 is a fraction of the frame height"),
    ({"color": "notacolour"}, "CaptionStyle.color: unknown colour"),
    ({"margin_v": 1.5}, "margin_v=1.5 must be a fraction"),
    ({"font": " "}, "must name a font family"),
])
def test_style_validation(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CaptionStyle(**kwargs)  # type: ignore[arg-type]


def ink_box(path: Path) -> tuple[int, int, int, int]:
    box = Image.open(path).convert("L").point(lambda v: 255 if v > 80 else 0).getbbox()
    assert box is not None, "nothing was drawn"
    return box


def test_libass_draws_escaped_text_literally(tmp_path: Path) -> None:
    style = CaptionStyle(box=False, outline_width=0.0, size=0.1, margin_h=0.0)
    cues_to_ssafile([Cue(0.0, 5.0, (TRICKY,))], width=640, height=240,
                    style=style).save(str(tmp_path / "c.ass"))
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "color=black:s=640x240:d=1", "-vf", f"ass=c.ass:fontsdir={FONTS}",
                    "-frames:v", "1", "-update", "1", "out.png"], cwd=tmp_path, check=True,
                   capture_output=True, timeout=60)
    left, top, right, bottom = ink_box(tmp_path / "out.png")
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 200)
    p_left, p_top, p_right, p_bottom = font.getbbox(TRICKY)
    # One line at the bottom (not moved by \pos, not split by \N) with the shape of the
    # literal string: the ink's aspect ratio matches Pillow's drawing of the same characters.
    assert bottom > 200
    assert (right - left) / (bottom - top) == pytest.approx(
        (p_right - p_left) / (p_bottom - p_top), rel=0.06)


@pytest.mark.parametrize(("suffix", "source"), [
    (".srt", "1\n00:00:00,000 --> 00:00:05,000\n"
             "<i>Crack</i> <b>here</b> <font color=\"red\">now</font>\n"),
    (".vtt", "WEBVTT\n\n00:00.000 --> 00:05.000 align:start\n<v Ana><i>Crack</i> <c.red>here</c>"
             "<00:01.000> now</v>\n"),
])
def test_libass_burns_format_tags_as_formatting(tmp_path: Path, suffix: str, source: str) -> None:
    path = tmp_path / f"tags{suffix}"
    path.write_text(source, encoding="utf-8")
    (cue,) = read_captions(path).cues
    assert cue.lines == ("Crack here now",) and cue.styled
    style = CaptionStyle(box=False, outline_width=0.0, size=0.1, margin_h=0.0)
    cues_to_ssafile([cue], width=640, height=240, style=style).save(str(tmp_path / "c.ass"))
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "color=black:s=640x240:d=1", "-vf", f"ass=c.ass:fontsdir={FONTS}",
                    "-frames:v", "1", "-update", "1", "out.png"], cwd=tmp_path, check=True,
                   capture_output=True, timeout=60)
    pixels = np.asarray(Image.open(tmp_path / "out.png").convert("RGB")).max(axis=2) > 80
    rows, columns = np.nonzero(pixels)
    left, top, right, bottom = columns.min(), rows.min(), columns.max() + 1, rows.max() + 1
    font = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 200)
    plain = font.getbbox("Crack here now")
    tagged = font.getbbox(source.strip().splitlines()[-1])
    ratio = (right - left) / (bottom - top)
    # the ink has the shape of the plain words, not of the tags written out
    assert ratio == pytest.approx((plain[2] - plain[0]) / (plain[3] - plain[1]), rel=0.15)
    assert ratio < 0.6 * (tagged[2] - tagged[0]) / (tagged[3] - tagged[1])
    image = Image.open(tmp_path / "out.png").convert("RGB")
    rgb = np.asarray(image).astype(int)
    reds = int(((rgb[:, :, 0] > 150) & (rgb[:, :, 1] < 80) & (rgb[:, :, 2] < 80)).sum())
    assert reds > 50  # the coloured word is burned in its colour
