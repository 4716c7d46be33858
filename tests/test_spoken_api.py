"""ev.pii() and ev.redact_speech() on a given transcript: translation, tracks, review, report."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

import evidence_annotate as ea
from evidence_annotate.speech.pii_audio import snap_to_pauses
from evidence_annotate.speech.transcript import Segment, Transcript, Word

SAID = ["Order", "7700112233445", ".", "Call", "me", "on", "0812", "3456", "7890", ",",
        "I", "am", "Maria", "Santos", "."]
ENGLISH = ["Order", "7700112233445", ".", "Call", "me", "at", "081234567890", ",", "I", "am",
           "Maria", "Santos", "."]


def _words(texts: list[str], step: float = 0.15) -> tuple[Word, ...]:
    return tuple(Word(0.1 + i * step, 0.1 + i * step + step * 0.9, w)
                 for i, w in enumerate(texts))


def _transcript() -> Transcript:
    words = _words(SAID)
    english = Transcript("en", 1.0, 4.0, (Segment(0.1, 3.0, " ".join(ENGLISH),
                                                  _words(ENGLISH)),), task="translate")
    return Transcript("id", 1.0, 4.0, (Segment(0.1, 3.0, " ".join(SAID), words),),
                      translation=english)


@pytest.fixture
def ev(gray_clip: Path) -> ea.Evidence:
    base = ea.open(gray_clip).title_card("7700112233445", "2026-11-20", seconds=1.0)
    return dataclasses.replace(base, transcript=_transcript())


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_translation_and_both_tracks_are_masked(ev: ea.Evidence, tmp_path: Path) -> None:
    safe = ev.redact_speech(words=["Maria Santos"], mask="label", audio="mute", region="ID")
    assert safe.transcript is not None and safe.transcript.translation is not None
    for t in (safe.transcript, safe.transcript.translation):
        assert "[phone]" in t.text and "[redacted]" in t.text and "Maria" not in t.text
        assert "7700112233445" in t.text
    both = safe.captions(show="both")
    assert both.plan.captions is not None
    shown = " ".join(c.text for c in both.plan.captions.cues)
    assert "081234567890" not in _digits(shown) and "Maria" not in shown
    first = both.write_captions(tmp_path / "c.srt")
    for path in (first, tmp_path / "c.en.srt"):
        text = path.read_text(encoding="utf-8")
        assert "[phone]" in text and "081234567890" not in _digits(text), path


def test_existing_captions_are_masked_karaoke_words_too(ev: ea.Evidence) -> None:
    shown = ev.captions(karaoke=True, show="both").redact_speech(region="ID")
    track = shown.plan.captions
    assert track is not None
    words = [w.text for cue in track.cues for w in cue.words]
    assert "0812-••••-7890" in words and "3456" not in words
    assert all("3456" not in line for cue in track.cues for line in cue.lines)
    for _, cues in track.tracks:
        assert all("081234567890" not in _digits(c.text) for c in cues)


def test_review_then_redact_a_subset_and_a_hand_span(ev: ea.Evidence) -> None:
    found = ev.pii(words=["Maria Santos"], region="ID")
    assert [f.kind for f in found] == ["phone", "words"]
    safe = ev.redact_speech(findings=[found[1], (0.0, 0.2)], mask="partial", snap=False)
    records = safe.plan.speech_redactions
    assert [(r.kind, r.automatic) for r in records] == [("words", True), ("words", False)]
    assert records[1].start == 0.0 and records[1].end == 0.2
    assert safe.transcript is not None and safe.transcript.translation is not None
    assert "0812" in safe.transcript.text and "Maria" not in safe.transcript.text
    assert safe.transcript.words[0].text == "•••"  # "Order", said in the hand span
    assert safe.transcript.translation.words[0].text == "[redacted]"
    with pytest.raises(ValueError, match=r"call pii\(\) again"):
        safe.redact_speech(findings=found[1:])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"mask": "blur"}, "mask='blur' is invalid"),
    ({"audio": "beep"}, "audio='beep' is invalid"),
    ({"pad": 2}, "pad=2 must be seconds between 0 and 1"),
    ({"region": "atlantis"}, "region='atlantis' is neither"),
    ({"region": "XX"}, "region='XX' is not a region phonenumbers knows"),
    ({"kinds": ("iban",)}, "kinds=.* is invalid"),
    ({"words": "Maria"}, "words='Maria' must be a list of strings"),
    ({"findings": [(3.0, 1.0)]}, "must be a Finding from pii"),
])
def test_bad_arguments_name_the_value_and_the_fix(ev: ea.Evidence, kwargs: dict[str, object],
                                                  message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ev.redact_speech(**kwargs)  # type: ignore[arg-type]


def test_platform_regions(ev: ea.Evidence) -> None:
    assert ea.Platform.load("shopee").phone_regions[:2] == ("ID", "MY")
    assert [f.kind for f in ev.pii(region="shopee")] == ["phone"]
    assert [f.kind for f in ev.pii(region=ea.Platform("x", phone_regions=("us",)))] == []
    with pytest.raises(ValueError, match="two-letter"):
        ea.Platform("x", phone_regions=("Indonesia",))


def test_report_lists_spoken_redactions_without_content(ev: ea.Evidence,
                                                         tmp_path: Path) -> None:
    safe = ev.redact_speech(words=["Maria Santos"], region="ID", audio="mute", snap=False)
    pdf = safe.report(tmp_path / "r.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Spoken personal data redacted" in text
    assert re.search(r"phone\s+00:0\d\.\d+-00:0\d\.\d+\s+found automatically", text), text
    assert "Maria" not in text and "3456" not in text and "081234567890" not in text


@given(st.lists(st.tuples(st.floats(0.0, 2.5), st.floats(0.05, 1.0)), min_size=1,
                max_size=4),
       st.lists(st.tuples(st.floats(0.0, 2.8), st.floats(0.05, 0.5)), max_size=4))
def test_snapped_windows_only_grow_and_stay_within_reach(
        windows: list[tuple[float, float]], loud: list[tuple[float, float]]) -> None:
    rate = 16000
    t = np.arange(3 * rate) / rate
    gate = np.zeros_like(t, dtype=bool)
    for start, length in loud:
        gate |= (t >= start) & (t < start + length)
    samples = (0.3 * np.sin(2 * np.pi * 220 * t) * gate).astype(np.float32)
    spans = [(a, a + b) for a, b in windows]
    for (a, b), (x, y) in zip(spans, snap_to_pauses(samples, spans), strict=True):
        assert x <= a + 1e-9 and y >= b - 1e-9
        assert x >= a - 0.52 and y <= b + 0.52


def test_one_redact_call_hides_regions_and_spoken_numbers(ev: ea.Evidence) -> None:
    """redact(speech=True): the blurs and the spoken redactions in one call."""
    safe = ev.redact(detections=[(10, 10, 40, 30)], speech=True)
    assert [layer.kind for layer in safe.layers] == ["blur"]
    assert [r.kind for r in safe.plan.speech_redactions] == ["phone"]
    assert safe.transcript is not None
    assert "081234567890" not in _digits(safe.transcript.text)
    assert "7700112233445" in safe.transcript.text  # the order number stays
    no_speech = dataclasses.replace(ev, transcript=None)
    with pytest.raises(ValueError, match=r"speech=True\) needs what was said"):
        no_speech.redact(detections=[(10, 10, 40, 30)], speech=True)
