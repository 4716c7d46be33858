"""Real-world subtitle files: formatting, WebVTT blocks, encodings, times, what cannot be shown."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_annotate.captions import Cue, read_captions, write_captions
from evidence_annotate.captions.ass import cue_text
from evidence_annotate.captions.formats import WriteOptions
from evidence_annotate.captions.formats.plain import MAX_MS
from evidence_annotate.captions.formats.srt import SubRip
from evidence_annotate.captions.formats.vtt import WebVTT
from evidence_annotate.captions.runs import Run, merge_runs
from evidence_annotate.errors import CaptionWarning, InputError

DATA = Path(__file__).parent / "data" / "subtitles"

Timed = list[tuple[int, int, tuple[str, ...]]]


def timed(path: Path) -> Timed:
    return [(round(c.start * 1000), round(c.end * 1000), c.lines)
            for c in read_captions(path).cues]


def looks(cue: Cue) -> list[list[tuple[str, tuple[bool, bool, bool, bool, str | None]]]]:
    return [[(run.text, run.look()) for run in line if not run.plain] for line in cue.runs]


PLAIN = (False, False, False, False, None)
ITALIC = (True, False, False, False, None)


@pytest.mark.parametrize(("name", "expected"), [
    ("webvtt-py_cue_tags.vtt", [(16500, 18500, ("When the moon hits your eye",)),
                                (18500, 20500, ("Like a big-a pizza pie",)),
                                (20500, 21500, ("That's amore",))]),
    ("webvtt-py_youtube_dl.vtt", [(286070, 286470, ("yeah",)),
                                  (286470, 304080, ("yeah", "what")),
                                  (304080, 305069, ("this will happen is I'm telling",)),
                                  (305069, 305400, ("this will happen is I'm telling",))]),
    ("webvtt-py_styles.vtt", [(0, 10000, ("- Hello world.",))]),
    ("webvtt-py_comments.vtt", [(135000, 140000, ("- Ta en kopp varmt te.",
                                                  "- Det är inte varmt.")),
                                (140000, 145000, ("- Har en kopp te.", "- Det smakar som te.  ")),
                                (145000, 150000, ("- Ta en kopp",))]),
    ("webvtt-py_captions_with_bom.vtt", [(500, 7000, ("Caption text #1",)),
                                         (7000, 11890, ("Caption text #2",)),
                                         (11890, 16320, ("Caption text #3",)),
                                         (16320, 21580, ("Caption text #4",))]),
    ("lookalike_streaming_export.vtt", [(960, 1480, ("[Ana] The box arrived",)),
                                        (1640, 2880, ("with the lid", "cracked & open")),
                                        (3040, 3900, ("{\\pos(0,0)} order <8123> 50%",))]),
    ("lookalike_tagged.srt", [(500, 1500, ("The seal was already broken.",)),
                              (1600, 2400, ("Look at the corner",)),
                              (2500, 3400, ("Order {\\an8}number:", "8123456789012")),
                              (3500, 3900, ("\\N is not a break",))]),
])
def test_real_files_read_as_a_player_shows_them(name: str, expected: Timed) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = timed(DATA / name)
    assert got == expected
    for _, _, lines in got:
        assert not any(token in line for line in lines for token in ("-->", "<c", "<i>", "</"))


def test_identifiers_are_never_text() -> None:
    assert [c.lines for c in read_captions(DATA / "webvtt-py_using_identifiers.vtt").cues] == [
        (f"Caption text #{n}",) for n in range(1, 7)]


def test_srt_formatting_becomes_runs_and_ass_tags() -> None:
    cues = read_captions(DATA / "lookalike_tagged.srt").cues
    assert looks(cues[0]) == [[("The seal was already broken.", ITALIC)]]
    assert looks(cues[1]) == [[("Look at the ", (False, False, False, False, "#ffff00")),
                               ("corner", (False, True, False, False, "#ffff00"))]]
    assert looks(cues[2]) == [[("Order", (False, False, True, False, None))], []]
    assert looks(cues[3]) == [[("\\N is not a break", (True, False, False, False, "#ff0000"))]]
    assert cue_text(cues[1]) == "{\\c&H00FFFF&}Look at the {\\r}{\\b1\\c&H00FFFF&}corner{\\r}"
    # text that is not SubRip markup stays literal in what libass gets
    assert "\\{\\an8\\}" in cue_text(cues[2]) and "\\\u2060N" in cue_text(cues[3])


def test_webvtt_colour_classes_from_style_blocks() -> None:
    cue = read_captions(DATA / "webvtt-py_youtube_dl.vtt").cues[2]
    assert looks(cue) == [[(" happen", (False, False, False, False, "#e5e5e5")),
                           (" is I'm telling", (False, False, False, False, "#cccccc"))]]
    assert looks(read_captions(DATA / "webvtt-py_styles.vtt").cues[0]) == [
        [("world", (False, True, False, False, None))]]


@pytest.mark.parametrize(("text", "lines"), [
    # a whitespace-only line before the identifier used to drop the cue
    ("WEBVTT\n\n   \n7\n00:01.000 --> 00:02.000\nkept\n", [("kept",)]),
    # a cue with no blank line before it used to be merged, timing line and all
    ("WEBVTT\n\n00:01.000 --> 00:02.000 align:start position:0%\na\n"
     "00:02.000 --> 00:03.000 align:start position:0%\nb\n", [("a",), ("b",)]),
    ("WEBVTT\r\nKind: captions\r\n\r\nREGION\r\nid:fred width:40%\r\n\r\nSTYLE\r\n"
     "::cue { color: red }\r\n\r\nNOTE one\r\ntwo\r\n\r\nid\r\n00:00:01.000 --> 00:00:02.000\r\n"
     "one\r\n\r\nafter a blank line\r\n", [("one", "after a blank line")]),
    ("\ufeffWEBVTT - title\n\n00:01.5 --> 00:02.25\n&lt;b&gt; &amp;amp; &#x41;&nbsp;{\\N}\n",
     [("<b> &amp; A\u00a0{\\N}",)]),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>Hi</v> <lang en>there</lang><00:01.500>!"
     " <ruby>x<rt>y</rt></ruby> a < b\n", [("Hi there! xy a < b",)]),
])
def test_webvtt_blocks(text: str, lines: list[tuple[str, ...]]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [c.lines for c in WebVTT().read(text).cues] == lines


def test_webvtt_fraction_is_decimal() -> None:
    cue = WebVTT().read("WEBVTT\n\n00:01.5 --> 00:02.25\nx\n").cues[0]
    assert (cue.start, cue.end) == (1.5, 2.25)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le", "utf-8-sig",
                                      "utf-32"])
def test_unicode_with_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    text = "1\r\n00:00:01,000 --> 00:00:02,000\r\nTapa rota — 破损\r\n"
    data = text.encode(encoding)
    if encoding.endswith(("-be", "-le")):  # what Notepad writes: BOM, then the text
        data = ("\ufeff" + text).encode(encoding)
    path = tmp_path / "notepad.srt"
    path.write_bytes(data)
    assert timed(path) == [(1000, 2000, ("Tapa rota — 破损",))]


@pytest.mark.parametrize(("data", "message"), [
    ((DATA / "srt_gb2312.srt").read_bytes(), r"not UTF-8 text \(byte 0xd3 on line 3; it looks "
                                              r"like a legacy encoding"),
    ("1\n00:00:01,000 --> 00:00:02,000\ncafé\n".encode("cp1252"), "Windows-1252"),
    ("1\n00:00:01,000 --> 00:00:02,000\nhi\n".encode("utf-16-le"), "UTF-16 without a byte"),
])
def test_legacy_encodings_get_a_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "legacy.srt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as info:
        read_captions(path)
    assert "save it as UTF-8" in str(info.value).splitlines()[0]


@pytest.mark.parametrize(("name", "text"), [
    ("random.srt", "Just some notes\nabout the parcel\n"),
    ("random.vtt", "WEBVTT\n\nno cues at all\n"),
    ("empty.srt", ""),
    ("negative.srt", "1\n-00:00:01,000 --> 00:00:02,000\nneg\n"),
    ("huge.srt", "1\n99999999:00:00,000 --> 99999999:00:01,000\nlate\n"),
])
def test_files_that_show_nothing_are_refused(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"holds no (SRT|WebVTT) cue with text that can be shown"):
        read_captions(path)


@pytest.mark.parametrize(("text", "dropped"), [
    ("1\n-00:00:01,000 --> 00:00:02,000\nneg\n\n2\n00:00:03,000 --> 00:00:04,000\nok\n",
     "has a negative time"),
    ("1\n00:00:01,000 --> 99999999:00:00,000\nforever\n\n2\n00:00:03,000 --> 00:00:04,000\nok\n",
     "ends after 99,999,999 hours"),
    ("1\n00:00:05,000 --> 00:00:04,000\nbackwards\n\n2\n00:00:03,000 --> 00:00:04,000\nok\n",
     "does not end after it starts"),
    ("junk before\n\n2\n00:00:03,000 --> 00:00:04,000\nok\n", "'junk before'"),
])
def test_srt_parts_that_cannot_be_shown_are_named(text: str, dropped: str) -> None:
    with pytest.warns(CaptionWarning, match=dropped):
        cues = SubRip().read(text).cues
    assert [c.lines for c in cues] == [("ok",)]


def test_vtt_parts_that_cannot_be_shown_are_named() -> None:
    text = ("00:00:01.000 --> -00:00:02.000\nneg\n\nstray text\n\n"
            "00:00:03.000 --> 00:00:04.000\nok\n")
    with pytest.warns(CaptionWarning) as record:
        cues = WebVTT().read(text).cues
    messages = " ".join(str(w.message) for w in record)
    assert "does not start with 'WEBVTT'" in messages
    assert "timing line that cannot be read ('00:00:01.000 --> -00:00:02.000')" in messages
    assert "the text at line 4 is not a cue ('stray text')" in messages
    assert [c.lines for c in cues] == [("ok",)]


# Property tests: writing then reading keeps every millisecond and every character.

TEXT = st.text(st.sampled_from("ab <>/{}\\Nnhi&;#\u2060é"), min_size=1, max_size=12).filter(
    lambda s: s.strip() != "")
MS = st.integers(min_value=0, max_value=99 * 3600 * 1000)


@st.composite
def timed_runs(draw: st.DrawFn, colors: tuple[str | None, ...],
               strike: bool) -> tuple[int, int, tuple[tuple[Run, ...], ...]]:
    start = draw(MS)
    end = draw(st.integers(min_value=start + 1, max_value=min(start + 10_000_000, MAX_MS)))
    run = st.builds(Run, TEXT, st.booleans(), st.booleans(), st.booleans(),
                    st.booleans() if strike else st.just(False), st.sampled_from(colors))
    lines = draw(st.lists(st.lists(run, min_size=1, max_size=3), min_size=1, max_size=3))
    return start, end, tuple(merge_runs(line) for line in lines)


def _cue(start: int, end: int, runs: tuple[tuple[Run, ...], ...]) -> Cue:
    lines = tuple("".join(r.text for r in line) for line in runs)
    return Cue(start / 1000, end / 1000, lines, (), runs)


@settings(max_examples=150)
@given(st.lists(timed_runs((None, "#ffff00", "#123456"), strike=True), min_size=1, max_size=4))
def test_srt_round_trip_keeps_times_text_and_formatting(
        items: list[tuple[int, int, tuple[tuple[Run, ...], ...]]]) -> None:
    cues = [_cue(*item) for item in items]
    back = SubRip().read(SubRip().write(cues, None, WriteOptions())).cues
    assert [(round(c.start * 1000), round(c.end * 1000), c.lines, c.runs) for c in back] == [
        (s, e, _cue(s, e, r).lines, _cue(s, e, r).runs if _cue(s, e, r).styled else ())
        for s, e, r in items]


@settings(max_examples=150)
@given(st.lists(timed_runs((None, "#ffff00", "#123456"), strike=False), min_size=1, max_size=4))
def test_vtt_round_trip_keeps_times_text_and_formatting(
        items: list[tuple[int, int, tuple[tuple[Run, ...], ...]]]) -> None:
    cues = [_cue(*item) for item in items]
    back = WebVTT().read(WebVTT().write(cues, None, WriteOptions())).cues
    assert [(round(c.start * 1000), round(c.end * 1000), c.runs or None) for c in back] == [
        (s, e, _cue(s, e, r).runs if _cue(s, e, r).styled else None) for s, e, r in items]


@settings(max_examples=200)
@given(st.text(max_size=200))
def test_parsers_only_ever_raise_value_error(text: str) -> None:
    for fmt in (SubRip(), WebVTT()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CaptionWarning)
            try:
                cues = fmt.read(text).cues
            except ValueError:
                continue
        assert all(c.end > c.start >= 0 for c in cues)


@pytest.mark.parametrize("suffix", [".srt", ".vtt", ".json"])
def test_styled_cues_round_trip_through_files(tmp_path: Path, suffix: str) -> None:
    cues = read_captions(DATA / "lookalike_tagged.srt").cues
    back = read_captions(write_captions(cues, tmp_path / f"c{suffix}")).cues
    assert [c.lines for c in back] == [c.lines for c in cues]
    assert [c.runs for c in back][:3] == [c.runs for c in cues][:3]


def test_srt_to_srt_through_an_export_keeps_milliseconds(gray_clip: Path, tmp_path: Path) -> None:
    import evidence_annotate as ea

    source = tmp_path / "in.srt"
    source.write_text("1\n00:00:01,234 --> 00:00:02,345\nhi\n\n"
                      "2\n00:00:02,999 --> 00:00:03,001\n<i>x</i>\n", encoding="utf-8")
    ev = ea.open(gray_clip).title_card("8123", "2026-11-20", seconds=1.0).captions(source=source)
    shift = round(ev.plan.card_duration(ev.info.frame_rate) * 1000)
    out = ev.write_captions(tmp_path / "out.srt")
    assert timed(out) == [(1234 + shift, 2345 + shift, ("hi",)), (2999 + shift, 3001 + shift,
                                                                   ("x",))]
    assert "<i>x</i>" in out.read_text(encoding="utf-8")


def test_cues_after_the_clip_are_reported(tmp_path: Path) -> None:
    from evidence_annotate.captions.track import track_from_source

    source = tmp_path / "late.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nok\n\n"
                      "2\n01:00:00,000 --> 01:00:01,000\nlate\n", encoding="utf-8")
    with pytest.warns(CaptionWarning, match=r"1 of 2 cues .* start after the clip ends "
                                            r"\(4\.000 s\).*3600\.000 s"):
        track = track_from_source(source, duration=4.0)
    assert len(track.cues) == 2
