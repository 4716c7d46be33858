"""Peak memory of an export against the clip's duration: Python's and ffmpeg's.

Generates 1080p30 clips (default 1, 3 and 10 minutes) with lavfi, then exports each with a
box, an arrow, a text callout and a whole-clip blur (the plan of bench_export.py) in a FRESH
Python process, which reports its own peak resident memory and the largest of its children
(ffmpeg), from ``getrusage``. A flat column means memory does not grow with the duration.

Usage:
    python benchmarks/bench_memory.py [--minutes 1 3 10] [--preset ultrafast] [--crf 20]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _clips import make_1080p_clip


def child(clip: Path, output: Path, preset: str, crf: int) -> None:
    """Export ``clip`` and print the peaks as JSON (runs in its own process)."""
    import evidence_annotate as ea

    started = time.perf_counter()
    evidence = ea.open(clip)
    length = evidence.info.duration
    evidence = (evidence.box((760, 380, 400, 300), start=0.1 * length, end=0.4 * length,
                             label="Crack")
                .arrow((300, 200), (760, 380), start=0.1 * length, end=0.4 * length)
                .text("Wrong colour", at=(80, 900), start=0.3 * length)
                .blur((1500, 60, 360, 160)))
    evidence.export(output, crf=crf, speed=preset, progress=False)
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"python_mib": own.ru_maxrss / 1024, "ffmpeg_mib": children.ru_maxrss / 1024,
                      "wall": time.perf_counter() - started,
                      "ffmpeg_cpu": children.ru_utime + children.ru_stime}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, nargs="+", default=[1.0, 3.0, 10.0])
    parser.add_argument("--preset", default="ultrafast")
    parser.add_argument("--crf", type=int, default=20)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.preset, args.crf)
        return
    print(f"clip: 1920x1080 30 fps, x264 preset={args.preset} crf={args.crf}; box, arrow, "
          "text, blur; peaks from getrusage (ru_maxrss)")
    print(f"{'minutes':>7}  {'python peak':>11}  {'ffmpeg peak':>11}  {'export':>8}  "
          f"{'ffmpeg cpu':>10}")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for minutes in args.minutes:
            clip = folder / f"clip{minutes:g}.mp4"
            make_1080p_clip(clip, minutes * 60, crf=28)
            proc = subprocess.run(
                [sys.executable, __file__, "--preset", args.preset, "--crf", str(args.crf),
                 "--child", str(clip), str(folder / "out.mp4")],
                capture_output=True, text=True, check=True, env=os.environ.copy())
            peaks = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"{minutes:7g}  {peaks['python_mib']:8.0f} MiB  {peaks['ffmpeg_mib']:8.0f} MiB"
                  f"  {peaks['wall']:7.1f}s  {peaks['ffmpeg_cpu']:9.1f}s")
            clip.unlink()
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
