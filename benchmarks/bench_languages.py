"""Benchmark: real-time factor and WER per language, library vs direct faster-whisper calls.

For each narration (Indonesian, Malay, Spanish, English), with the multilingual Whisper base
of the offline extra (CPU, int8, the language given):

* ``library``: ``transcribe_media(cache=False)`` (voice detection, checks, word times);
* ``direct``: ``WhisperModel.transcribe`` with the same options (``whisper_kwargs``);
* ``batched``: ``BatchedInferencePipeline.transcribe`` with the same options (batch 8).

Real-time factor = seconds of computing per second of audio (lower is faster); WER against
the script. Target: library/direct <= 1.05x.

Usage:
    PYTHONPATH=src python benchmarks/bench_languages.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio

from evidence_annotate.speech.offline import offline_model
from evidence_annotate.speech.quality import word_error_rate as wer
from evidence_annotate.speech.transcribe import TranscribeOptions, transcribe_media

NARRATION = Path(__file__).resolve().parent.parent / "tests" / "data" / "narration"
CLIPS = {"casing_id": "id", "skrin_ms": "ms", "funda_es": "es", "lamp": "en"}






def timed(action: Callable[[], str]) -> tuple[float, str]:
    started = time.perf_counter()
    text = action()
    return time.perf_counter() - started, text


def main(runs: int) -> None:
    found = offline_model(multilingual=True)
    if found is None:
        raise SystemExit('install the offline extra: pip install -e ".[offline]"')
    model_dir = str(found.path)
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    model = WhisperModel(model_dir, device="cpu", compute_type="int8")
    batched = BatchedInferencePipeline(model)
    print(f"model {found.build.name} (CPU, int8), {runs} runs each, median seconds")
    print(f"{'clip':<11}{'lang':<6}{'audio s':>8}{'library':>9}{'direct':>9}{'batched':>9}"
          f"{'RTF lib':>9}{'ratio':>7}{'WER lib':>9}{'WER dir':>9}{'WER bat':>9}")
    ratios = []
    for name, language in CLIPS.items():
        path = NARRATION / f"{name}.ogg"
        script = (path.with_suffix(".txt")).read_text(encoding="utf-8")
        audio = decode_audio(str(path))
        seconds = audio.size / 16_000
        options = TranscribeOptions(model=model_dir, language=language, device="cpu",
                                    compute_type="int8")
        kwargs = options.whisper_kwargs()

        def library(path: Path = path, options: TranscribeOptions = options,
                    seconds: float = seconds) -> str:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return transcribe_media(path, audio_stream=0, audio_start=0.0,
                                        duration=seconds, options=options, cache=False,
                                        progress=False).text

        def direct(kwargs: dict[str, object] = kwargs, path: Path = path) -> str:
            segments, _ = model.transcribe(decode_audio(str(path)), **kwargs)
            return " ".join(s.text.strip() for s in segments)

        def batch(kwargs: dict[str, object] = kwargs, path: Path = path) -> str:
            options = {k: v for k, v in kwargs.items() if k != "hallucination_silence_threshold"}
            segments, _ = batched.transcribe(decode_audio(str(path)), batch_size=8,
                                             **options)
            return " ".join(s.text.strip() for s in segments)

        texts = {"lib": library(), "dir": direct(), "bat": batch()}  # warm up
        times: dict[str, list[float]] = {"lib": [], "dir": [], "bat": []}
        for _ in range(runs):
            for key, action in (("lib", library), ("dir", direct), ("bat", batch)):
                elapsed, texts[key] = timed(action)
                times[key].append(elapsed)
        lib, raw, bat = (statistics.median(times[k]) for k in ("lib", "dir", "bat"))
        ratios.append(lib / raw)
        print(f"{name:<11}{language:<6}{seconds:>8.2f}{lib:>9.2f}{raw:>9.2f}{bat:>9.2f}"
              f"{lib / seconds:>9.2f}{lib / raw:>6.2f}x{wer(script, texts['lib']):>9.2f}"
              f"{wer(script, texts['dir']):>9.2f}{wer(script, texts['bat']):>9.2f}")
    print(f"library/direct overall: {statistics.median(ratios):.3f}x (target <= 1.05x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
