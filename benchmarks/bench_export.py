"""Export speed: the one-graph ffmpeg export vs a plain ffmpeg re-encode vs MoviePy.

Generates a 1080p30 clip (default 60 s) with lavfi, then times, in this process:

* the reference: ``ffmpeg -i in -c:v libx264 -preset P -crf Q -c:a aac -b:a 128k out.mp4``
* ``evidence_annotate``: the same clip with a box, an arrow, a text callout and a blur,
  exported with the same encoder settings (runs alternate with the reference; medians),
* MoviePy: the same composition (``Evidence.to_moviepy()``) via ``write_videofile``.

Prints each median and the ratios to the reference (target for the export: <= 1.15x),
the CPU time of the children (ffmpeg) of each, and the load average. ``--phases`` also
prints where an export's time goes outside ffmpeg (probe, compile, the output's probe and
hash, the manifest with the input's hash, the rename), timed around the functions the
export calls (median per phase).

Usage:
    python benchmarks/bench_export.py [--seconds 60] [--runs 3] [--preset medium] [--crf 20]
                                      [--skip-moviepy] [--phases]
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _clips import make_1080p_clip

import evidence_annotate as ea
from evidence_annotate.render.run import ffmpeg_exe

PHASES: dict[str, float] = defaultdict(float)
"""Seconds spent in each timed phase of the current export."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds of ``run`` and CPU seconds of the processes it waited for."""
    cpu = _children_cpu()
    started = time.perf_counter()
    run()
    return time.perf_counter() - started, _children_cpu() - cpu


def interleaved(first: Callable[[], object], second: Callable[[], object],
                runs: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(wall, CPU) of alternating runs, so drifting machine load hits both alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(timed(first))
        b.append(timed(second))
    return a, b


def _timing(owner: Any, name: str, phase: str) -> None:
    """Wrap ``owner.name`` so its time adds to ``PHASES[phase]``."""
    function = getattr(owner, name)

    @functools.wraps(function)
    def timed_call(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            PHASES[phase] += time.perf_counter() - started

    setattr(owner, name, timed_call)


def instrument() -> None:
    """Time the phases of an export (module attributes wrapped; the export runs as usual)."""
    from evidence_annotate.deliver import export as export_module
    from evidence_annotate.deliver import hashing, manifest, pipeline
    from evidence_annotate.output import OutputSet

    _timing(export_module, "compile_export", "compile graph + sprites")
    _timing(export_module, "run_ffmpeg", "ffmpeg (encode + faststart)")
    _timing(export_module, "_verify", "probe output (hash beside it)")
    _timing(hashing.BackgroundHash, "result", "wait for a hash")
    _timing(pipeline, "manifest_text", "manifest (input hash, JSON)")
    _timing(manifest, "render_environment", "ffmpeg -version (once)")
    _timing(OutputSet, "commit", "rename into place")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="medium")
    parser.add_argument("--crf", type=int, default=20)
    parser.add_argument("--skip-moviepy", action="store_true")
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args()
    if args.phases:
        instrument()
    phases: list[dict[str, float]] = []

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        clip = folder / "clip.mp4"
        make_1080p_clip(clip, args.seconds)
        length = args.seconds
        started = time.perf_counter()
        opened = ea.open(clip)
        probed = time.perf_counter() - started
        evidence = (opened
                    .box((760, 380, 400, 300), start=0.1 * length, end=0.4 * length,
                         label="Crack")
                    .arrow((300, 200), (760, 380), start=0.1 * length, end=0.4 * length)
                    .text("Wrong colour", at=(80, 900), start=0.3 * length)
                    .blur((1500, 60, 360, 160)))

        def plain() -> None:
            subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i",
                            str(clip), "-c:v", "libx264", "-preset", args.preset, "-crf",
                            str(args.crf), "-c:a", "aac", "-b:a", "128k",  # as the export
                            str(folder / "plain.mp4")], check=True)

        def export() -> None:
            PHASES.clear()
            started = time.perf_counter()
            evidence.export(folder / "evidence.mp4", crf=args.crf, speed=args.preset,
                            progress=False)
            PHASES["export (total)"] = time.perf_counter() - started
            phases.append(dict(PHASES))

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
        plains, ours = interleaved(plain, export, args.runs)
        wall, cpu = _median([w for w, _ in plains]), _median([c for _, c in plains])
        our_wall, our_cpu = _median([w for w, _ in ours]), _median([c for _, c in ours])
        print(f"plain ffmpeg re-encode      {wall:8.2f} s   1.00x   ffmpeg cpu {cpu:7.2f} s  "
              "1.00x")
        print(f"evidence_annotate export    {our_wall:8.2f} s   {our_wall / wall:.2f}x   "
              f"ffmpeg cpu {our_cpu:7.2f} s  {our_cpu / cpu:.2f}x  (target <= 1.15x)")
        print("runs (wall s, plain / export): "
              + "  ".join(f"{p:.2f}/{o:.2f}" for (p, _), (o, _) in zip(plains, ours, strict=True)))
        if args.phases:
            print("phases of the export (median s):")
            print(f"  {'ea.open: probe input (once, before)':34s} {probed:7.3f}")
            for name in dict.fromkeys(name for run in phases for name in run):
                print(f"  {name:34s} {_median([run.get(name, 0.0) for run in phases]):7.3f}")
        if not args.skip_moviepy:
            movie = timed(moviepy)
            print(f"MoviePy CompositeVideoClip  {movie[0]:8.2f} s   {movie[0] / wall:.2f}x  "
                  "(one run)")
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
