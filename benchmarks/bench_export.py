"""Export speed: the one-graph ffmpeg export vs a plain ffmpeg re-encode vs MoviePy.

Generates a 1080p30 clip (default 60 s) with lavfi, then times, in this process:

* the reference: ``ffmpeg -i in -c:v libx264 -preset P -crf Q -c:a aac out.mp4``
* ``evidence_annotate``: the same clip with a box, an arrow, a text callout and a blur,
  exported with the same encoder settings (runs alternate with the reference; medians),
* MoviePy: the same composition (``Evidence.to_moviepy()``) via ``write_videofile``.

Prints each median and the ratios to the reference (target for the export: <= 1.15x).

Usage:
    python benchmarks/bench_export.py [--seconds 60] [--runs 3] [--preset medium] [--crf 20]
                                      [--skip-moviepy]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _clips import make_1080p_clip

import evidence_annotate as ea
from evidence_annotate.render.run import ffmpeg_exe


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def interleaved(first: Callable[[], object], second: Callable[[], object],
                runs: int) -> tuple[float, float]:
    """Medians of alternating runs, so drifting machine load hits both alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(timed(first))
        b.append(timed(second))
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="medium")
    parser.add_argument("--crf", type=int, default=20)
    parser.add_argument("--skip-moviepy", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        clip = folder / "clip.mp4"
        make_1080p_clip(clip, args.seconds)
        length = args.seconds
        evidence = (ea.open(clip)
                    .box((760, 380, 400, 300), start=0.1 * length, end=0.4 * length,
                         label="Crack")
                    .arrow((300, 200), (760, 380), start=0.1 * length, end=0.4 * length)
                    .text("Wrong colour", at=(80, 900), start=0.3 * length)
                    .blur((1500, 60, 360, 160)))

        def plain() -> None:
            subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i",
                            str(clip), "-c:v", "libx264", "-preset", args.preset, "-crf",
                            str(args.crf), "-c:a", "aac", str(folder / "plain.mp4")], check=True)

        def export() -> None:
            evidence.export(folder / "evidence.mp4", crf=args.crf, speed=args.preset,
                            progress=False)

        def moviepy() -> None:
            clip_mp = evidence.to_moviepy()
            try:
                clip_mp.write_videofile(str(folder / "moviepy.mp4"), codec="libx264",
                                        preset=args.preset, audio_codec="aac", fps=30,
                                        ffmpeg_params=["-crf", str(args.crf)], logger=None)
            finally:
                clip_mp.close()

        print(f"clip: {args.seconds:g} s 1920x1080 30 fps, x264 preset={args.preset} "
              f"crf={args.crf}, median of {args.runs} runs")
        reference, ours = interleaved(plain, export, args.runs)
        print(f"plain ffmpeg re-encode      {reference:8.2f} s   1.00x")
        print(f"evidence_annotate export    {ours:8.2f} s   {ours / reference:.2f}x  "
              "(target <= 1.15x)")
        if not args.skip_moviepy:
            movie = timed(moviepy)
            print(f"MoviePy CompositeVideoClip  {movie:8.2f} s   {movie / reference:.2f}x  "
                  "(one run)")


if __name__ == "__main__":
    main()
