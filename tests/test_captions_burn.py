"""Transcribe -> captions -> export, with the real faster-whisper (tiny.en) and libass."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pysubs2
import pytest

import evidence_annotate as ea
from helpers import frame_at

FAST: dict[str, Any] = {"speed": "ultrafast", "progress": False}
CARD = 1.0


@pytest.fixture(scope="module")
def narrated(narrated_clip: Path, tiny_model: str) -> ea.Evidence:
    return (ea.open(narrated_clip).title_card("8123", "2026-11-20", seconds=CARD)
            .transcribe(model=tiny_model, compute_type="int8", progress=False).captions())


def _bottom(image: np.ndarray) -> np.ndarray:
    return image[170:235, 10:310].astype(int)


def _has_text(image: np.ndarray) -> bool:
    """Bright glyphs on the dark caption box, where the gray footage would be."""
    return int((np.abs(_bottom(image) - 128).max(axis=2) > 60).sum()) > 150


def test_burned_captions_show_during_cues_only(narrated: ea.Evidence, tmp_path: Path) -> None:
    assert narrated.transcript is not None and "crack" in narrated.transcript.text.lower()
    track = narrated.plan.captions
    assert track is not None and track.cues
    result = narrated.export(tmp_path / "captioned.mp4", **FAST)
    for cue in track.cues:
        middle = CARD + (cue.start + cue.end) / 2
        assert _has_text(frame_at(result.path, middle)), cue
        assert _has_text(np.asarray(narrated.preview(middle))), cue
    first = track.cues[0]
    assert first.start > 1.0  # the clip opens with 1.5 s of silence
    assert not _has_text(frame_at(result.path, CARD + 0.5))
    assert not _has_text(np.asarray(narrated.preview(CARD + 0.5)))


def test_written_captions_are_on_the_output_timeline(narrated: ea.Evidence, tmp_path: Path) -> None:
    track = narrated.plan.captions
    assert track is not None
    shift = narrated.plan.card_duration(narrated.info.frame_rate)
    for suffix in (".srt", ".vtt", ".ass"):
        path = narrated.write_captions(tmp_path / f"c{suffix}")
        subs = pysubs2.load(str(path))
        assert len(subs.events) == len(track.cues)
        for event, cue in zip(subs.events, track.cues, strict=True):
            assert event.start == pytest.approx((cue.start + shift) * 1000, abs=1)
            lines = event.plaintext.split("\n")
            assert lines == list(cue.lines)
            assert len(lines) <= 2 and all(len(line) <= 42 for line in lines)
            assert 5 / 6 - 0.002 <= (event.end - event.start) / 1000 <= 7.0
    ass = pysubs2.load(str(tmp_path / "c.ass"))
    assert (ass.info["PlayResX"], ass.info["PlayResY"]) == ("320", "240")
    data = json.loads(narrated.write_captions(tmp_path / "c.json").read_text())
    words = [w for cue in data["cues"] for w in cue["words"]]
    assert " ".join(w["text"] for w in words) == narrated.transcript.text  # type: ignore[union-attr]
    assert words[0]["start"] == pytest.approx(track.cues[0].words[0].start + shift, abs=1e-3)


def test_karaoke_writes_word_timing(narrated: ea.Evidence, tmp_path: Path) -> None:
    karaoke = narrated.captions(karaoke=True)
    text = karaoke.write_captions(tmp_path / "k.ass").read_text(encoding="utf-8")
    assert text.count("\\k") >= len(karaoke.transcript.words)  # type: ignore[union-attr]


def test_srt_source_is_shown_literally(gray_clip: Path, tmp_path: Path) -> None:
    srt = tmp_path / "it's: [a], b; c.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:03,000\n{\\pos(10,10)}50% \\N off\r"
                   "00:00:02,000 --> 00:00:02,500\n", encoding="utf-8")
    ev = ea.open(gray_clip).captions(source=srt)
    assert ev.plan.captions is not None
    assert len(ev.plan.captions.cues) == 1
    result = ev.export(tmp_path / "lit.mp4", **FAST)
    during = frame_at(result.path, 2.0)
    assert _has_text(during)                          # at the bottom, where captions go
    assert np.abs(during[0:40, 0:120].astype(int) - 128).max() < 30  # \pos did not move it
    assert not _has_text(frame_at(result.path, 3.5))
    written = ev.write_captions(tmp_path / "back.srt")
    assert "{\\pos(10,10)}50% \\N off" in written.read_text(encoding="utf-8").replace("\u2060", "")


def test_no_audio_gives_no_captions_and_still_exports(silent_video_clip: Path,
                                                       tiny_model: str, tmp_path: Path) -> None:
    ev = ea.open(silent_video_clip).transcribe(model=tiny_model, progress=False).captions()
    assert ev.transcript is not None and ev.transcript.segments == ()
    assert ev.plan.captions is not None and ev.plan.captions.cues == ()
    assert ev.export(tmp_path / "quiet.mp4", **FAST).duration == pytest.approx(2.0, abs=0.05)


def test_write_captions_needs_something_to_write(gray_clip: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no captions to write"):
        ea.open(gray_clip).write_captions(tmp_path / "x.srt")


@pytest.mark.parametrize("text", ["Треснувший корпус", "Σπασμένη θήκη", "العلبة مكسورة"])
def test_scripts_render_without_missing_glyphs(gray_clip: Path, tmp_path: Path, text: str) -> None:
    srt = tmp_path / "s.srt"
    srt.write_text(f"1\n00:00:00,500 --> 00:00:03,000\n{text}\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ea.MissingGlyphWarning)
        ev = (ea.open(gray_clip).title_card(text, "2026-11-20", text, seconds=0.5)
              .text(text, at=(10, 10)).captions(source=srt))
        result = ev.export(tmp_path / "s.mp4", **FAST)
    assert _has_text(frame_at(result.path, 1.5))


def test_missing_glyphs_are_reported(gray_clip: Path, tmp_path: Path) -> None:
    srt = tmp_path / "pua.srt"
    srt.write_text("1\n00:00:00,500 --> 00:00:03,000\nlid \ue000\ue001\n", encoding="utf-8")
    with pytest.warns(ea.MissingGlyphWarning, match="U\\+E000"):
        ea.open(gray_clip).captions(source=srt)


def test_arabic_is_shaped_right_to_left() -> None:
    from PIL import ImageFont, features

    from evidence_annotate.fonts import bundled_font

    assert features.check("raqm")
    text = "مكسورة"
    shaped = ImageFont.truetype(str(bundled_font()), 40, layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(str(bundled_font()), 40, layout_engine=ImageFont.Layout.BASIC)
    # joined (contextual) letter forms are narrower than isolated ones laid out naively
    assert shaped.getlength(text) < basic.getlength(text)


def test_portrait_captions_sit_at_the_bottom_of_the_displayed_frame(portrait_clip: Path,
                                                                    tmp_path: Path) -> None:
    srt = tmp_path / "p.srt"
    srt.write_text("1\n00:00:00,200 --> 00:00:01,800\nThe lid is cracked along the edge\n",
                   encoding="utf-8")
    ev = ea.open(portrait_clip).captions(source=srt)
    result = ev.export(tmp_path / "p.mp4", **FAST)
    frame = frame_at(result.path, 1.0).astype(int)
    assert frame.shape[:2] == (320, 240)
    bottom = (np.abs(frame[230:310, 70:, :] - 128).max(axis=2) > 60).sum()  # right of the marker
    top = (np.abs(frame[60:140, 100:, :] - 128).max(axis=2) > 60).sum()
    assert bottom > 150 and top == 0


def test_moviepy_and_preview_show_the_same_captions(narrated: ea.Evidence) -> None:
    track = narrated.plan.captions
    assert track is not None
    cue = track.cues[0]
    middle = CARD + (cue.start + cue.end) / 2
    clip = narrated.to_moviepy()
    try:
        assert _has_text(clip.get_frame(middle))
        assert not _has_text(clip.get_frame(CARD + 0.5))
    finally:
        clip.close()
    assert track.lines_at((cue.start + cue.end) / 2) == list(cue.lines)


def test_preview_unescapes_literal_srt_text(gray_clip: Path, tmp_path: Path) -> None:
    srt = tmp_path / "lit.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:03,000\n{\\pos(10,10)}50% \\N off\n",
                   encoding="utf-8")
    track = ea.open(gray_clip).captions(source=srt).plan.captions
    assert track is not None and track.styled is None
    assert track.lines_at(2.0) == ["{\\pos(10,10)}50% \\N off"]
