"""Spoken personal data in real speech: espeak-ng narration, the offline Whisper model, ffmpeg.

The narration (tests/data/narration/personal_en.ogg) reads out an order number, a phone number,
a card number and an e-mail address. One transcription per worker; every export is small.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import numpy as np
import pytest

import evidence_annotate as ea
from conftest import NARRATION, ffmpeg
from evidence_annotate.deliver.manifest import SCHEMA_FILE
from evidence_annotate.speech.pii import Finding
from helpers import audio_samples

ORDER = "5123456789010"
PHONE = "081234567890"
CARD = "4539578763621486"


@pytest.fixture(scope="session")
def narrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spoken") / "narrated.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=160x120:r=10:d=25.5",
           "-i", str(NARRATION / "personal_en.ogg"), "-map", "0:v", "-map", "1:a",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-b:a", "96k", "-t", "25.5", str(path))
    return path


@pytest.fixture(scope="session")
def heard(narrated: Path, tiny_model: str) -> ea.Evidence:
    """The clip with a title card and its transcript (transcribed once per worker)."""
    return (ea.open(narrated).title_card(ORDER, "2026-11-20", seconds=1.0)
            .transcribe(tiny_model, device="cpu", compute_type="int8", cache=False,
                        progress=False))


@pytest.fixture(scope="session")
def found(heard: ea.Evidence) -> dict[str, Finding]:
    return {f.kind: f for f in heard.pii(region="shopee")}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_pii_finds_phone_card_and_email_with_word_times(
        heard: ea.Evidence, found: dict[str, Finding]) -> None:
    assert heard.transcript is not None
    assert set(found) == {"phone", "card", "email"}, heard.transcript.text
    assert found["phone"].value == PHONE and found["card"].value == CARD
    assert found["email"].value.endswith("@gmail.com")
    words = heard.transcript.words
    for f in found.values():
        assert (f.start, f.end) == (words[f.first].start, words[f.last - 1].end)
    assert found["phone"].masked == "0812-••••-7890"
    assert found["card"].masked == "••••-••••-••••-1486"
    assert found["phone"].end <= found["card"].start <= found["email"].start


def test_order_number_is_never_a_finding(heard: ea.Evidence,
                                         found: dict[str, Finding]) -> None:
    assert heard.transcript is not None
    assert ORDER in digits(heard.transcript.text)  # said, and a Luhn-valid 13-digit number
    assert all(ORDER not in f.value for f in found.values())


def test_captions_and_caption_files_are_masked_order_untouched(
        heard: ea.Evidence, tmp_path: Path) -> None:
    before = heard.captions(allow_low_confidence=True)
    safe = before.redact_speech(region="shopee")
    assert safe.plan.captions is not None
    built_after = heard.redact_speech(region="shopee").captions(allow_low_confidence=True)
    assert built_after.plan.captions is not None
    srt = built_after.write_captions(tmp_path / "safe.srt").read_text(encoding="utf-8")
    for text in (" ".join(c.text for c in safe.plan.captions.cues),
                 " ".join(c.text for c in built_after.plan.captions.cues), srt):
        assert PHONE not in digits(text) and CARD not in digits(text)
        assert "0812-••••-7890" in text and "••••-••••-••••-1486" in text
        assert "@gmail.com" not in text.replace("•••@gmail.com", "")
        assert ORDER in digits(text)
    assert safe.transcript is not None and PHONE not in digits(safe.transcript.text)


# When the digits and the address are heard in personal_en.ogg: espeak-ng speaks the script up to
# "My phone number is" in 7.10 s, up to the end of the phone number in 11.00 s (likewise
# 12.63/17.99 s for the card, 19.06/20.84 s for the address), measured on the synthesized
# prefixes with a 10 ms RMS gate at 0.01 (scripts/make_narrations.py's voice and speed).
HEARD = {"phone": (7.10, 11.00), "card": (12.63, 17.99), "email": (19.06, 20.84)}


def test_audio_windows_cover_the_sound_of_the_words(heard: ea.Evidence,
                                                    found: dict[str, Finding]) -> None:
    plan = heard.redact_speech(region="shopee").plan
    unsnapped = heard.redact_speech(region="shopee", snap=False).plan
    for record, plain in zip(plan.speech_redactions, unsnapped.speech_redactions, strict=True):
        start, end = record.window()
        said = HEARD[record.kind]
        assert start <= said[0] and end >= said[1], (record, said)
        assert record.start <= plain.start and record.end >= plain.end
        assert record.start >= plain.start - 0.5 and record.end <= plain.end + 0.5
        assert (plain.start, plain.end) == (found[record.kind].start, found[record.kind].end)


def test_manifest_records_redactions_without_content(heard: ea.Evidence,
                                                     tmp_path: Path) -> None:
    safe = heard.trim(0, 3).redact_speech(region="shopee", audio="mute", mask="label")
    out = safe.export(tmp_path / "short.mp4", progress=False)
    assert out.manifest is not None
    manifest = json.loads(out.manifest.read_text(encoding="utf-8"))
    records = manifest["plan"]["speech_redactions"]
    assert [r["kind"] for r in records] == ["phone", "card", "email"]
    assert all(r["automatic"] and r["mask"] == "label" and r["audio"] == "mute"
               for r in records)
    jsonschema.validate(manifest, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    text = json.dumps(manifest)
    assert PHONE not in digits(text) and "gmail" not in text and CARD not in digits(text)


def _window(samples: np.ndarray, rate: int, start: float, end: float) -> np.ndarray:
    return samples[int(start * rate):int(end * rate)]


def _rms(chunk: np.ndarray) -> float:
    return float(np.sqrt(np.mean(chunk.astype(np.float64) ** 2))) if chunk.size else 0.0


def _tone_share(chunk: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(chunk * np.hanning(chunk.size))) ** 2
    freqs = np.fft.rfftfreq(chunk.size, 1 / rate)
    return float(spectrum[(freqs > 950) & (freqs < 1050)].sum() / spectrum.sum())


@pytest.mark.parametrize("audio", ["bleep", "mute"])
def test_export_bleeps_or_mutes_exactly_the_spans_after_a_cut_and_the_card(
        heard: ea.Evidence, found: dict[str, Finding], narrated: Path, tmp_path: Path,
        audio: str) -> None:
    phone, card = found["phone"], found["card"]
    cut = (phone.end + 0.3, card.start - 0.3)  # "My card number is" goes
    assert cut[1] - cut[0] > 0.3
    ev = heard.trim(0.5, None).cut([cut]).redact_speech(region="shopee", audio=audio)
    out = ev.export(tmp_path / f"{audio}.mp4", progress=False)
    exported, rate = audio_samples(out.path)
    source, _ = audio_samples(narrated)
    timeline = ev.timeline
    for f in found.values():
        (start, end), = timeline.map_span(f.start, f.end)
        inner = _window(exported, rate, start + 0.03, end - 0.03)
        if audio == "mute":
            assert _rms(inner) < 0.002, (f.kind, _rms(inner))
        else:
            assert _tone_share(inner, rate) > 0.9, f.kind
            assert 0.1 < _rms(inner) < 0.25  # 0.25 peak sine: rms 0.18
    said = heard.transcript.words[:4] if heard.transcript else ()  # "The order number is"
    (start, end), = timeline.map_span(max(0.5, said[0].start), said[-1].end)
    kept = _rms(_window(exported, rate, start, end))
    original = _rms(_window(source, rate, max(0.5, said[0].start), said[-1].end))
    assert kept > 0.5 * original > 0.005
    assert _rms(_window(exported, rate, 0.0, timeline.card - 0.05)) < 0.002  # the card


def test_a_late_trim_seeks_and_the_bleep_stays_on_the_words(
        heard: ea.Evidence, found: dict[str, Finding], tmp_path: Path) -> None:
    card = found["card"]
    ev = heard.trim(card.start - 2.5, card.end + 1.0).redact_speech(region="shopee",
                                                                     kinds=("card",))
    out = ev.export(tmp_path / "late.mp4", progress=False)
    exported, rate = audio_samples(out.path)
    (start, end), = ev.timeline.map_span(card.start, card.end)
    assert _tone_share(_window(exported, rate, start + 0.03, end - 0.03), rate) > 0.9
    before = _window(exported, rate, ev.timeline.card + 0.2, start - 0.8)  # "My card number"
    assert _rms(before) > 0.02 and _tone_share(before, rate) < 0.2


def test_moviepy_audio_is_redacted_like_the_export(heard: ea.Evidence,
                                                   found: dict[str, Finding]) -> None:
    phone = found["phone"]
    ev = heard.redact_speech(region="shopee", audio="bleep", kinds=("phone",))
    clip = ev.to_moviepy()
    try:
        (start, _), = ev.timeline.map_span(phone.start, phone.end)
        times = np.arange(start + 0.05, start + 0.25, 1 / 16000)
        tone = clip.audio.get_frame(times)[:, 0]
        assert _tone_share(tone, 16000) > 0.9
        mid = (heard.transcript.words[0].start + heard.transcript.words[2].end) / 2 \
            if heard.transcript else 0.0
        out_mid = ev.timeline.to_output(mid)
        assert out_mid is not None
        speech = clip.audio.get_frame(np.arange(out_mid - 0.1, out_mid + 0.1, 1 / 16000))
        assert _rms(speech) > 0.005 and _tone_share(speech[:, 0], 16000) < 0.5
    finally:
        clip.close()


def test_redact_speech_needs_a_transcript(narrated: Path) -> None:
    with pytest.raises(ValueError, match=r"call \.transcribe\(\) first"):
        ea.open(narrated).redact_speech()
    with pytest.raises(ValueError, match=r"call \.transcribe\(\) first"):
        ea.open(narrated).pii()


@pytest.mark.slow
def test_a_new_transcript_keeps_redacted_spans_masked(heard: ea.Evidence,
                                                      tiny_model: str) -> None:
    """Transcribing again after redact_speech must not bring the spoken number back."""
    safe = heard.redact_speech(region="shopee", snap=False)
    again = safe.transcribe(tiny_model, device="cpu", compute_type="int8", cache=False,
                            progress=False)
    assert again.transcript is not None and heard.transcript is not None
    assert PHONE in digits(heard.transcript.text)
    assert PHONE not in digits(again.transcript.text)
    assert CARD not in digits(again.transcript.text)
    assert "[phone]" in again.transcript.text and "[card]" in again.transcript.text
    assert ORDER in digits(again.transcript.text)
