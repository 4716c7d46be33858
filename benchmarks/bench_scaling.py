"""Export cost against the number of annotations and blur regions.

Generates a 1280x720 30 fps clip (default 20 s), plans N drawn annotations (boxes, arrows and
callouts of about 2 s each, spread over the clip) or N blur regions, and times, in this
process with runs alternating against their reference:

* the export (``Evidence.export``'s graph and encoder settings) against a plain
  ``ffmpeg -i in -c:v libx264 -preset P -crf 20 -c:a aac out.mp4``;
* decode + filters only (the export's graph to ``-f null``) against a plain decode.

It also records the peak resident memory of ffmpeg (from ``wait4``) and of this Python
process. Prints one row per plan; ratios are medians of ``--runs`` alternating runs.

Usage:
    python benchmarks/bench_scaling.py [--seconds 20] [--runs 3] [--preset medium]
                                       [--annotations 0,5,20,100,1000] [--blurs 1,5,20,50]
                                       [--filters-only]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import evidence_annotate as ea
from evidence_annotate.render.run import ffmpeg_exe


def run(argv: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one ffmpeg run."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"ffmpeg failed: {' '.join(argv[:6])} ...")
    return elapsed, usage.ru_maxrss


def plan(clip: Path, annotations: int, blurs: int, seconds: float) -> ea.Evidence:
    rng = random.Random(7)
    ev = ea.open(clip)
    width, height = ev.info.size
    for i in range(annotations):
        start = rng.uniform(0, seconds - 2.1)
        x, y = rng.randrange(20, width - 240, 2), rng.randrange(40, height - 140, 2)
        kind = i % 3
        if kind == 0:
            ev = ev.box((x, y, 160, 90), start=start, end=start + 2, label="Crack")
        elif kind == 1:
            ev = ev.arrow((x, y), (x + 140, y + 70), start=start, end=start + 2)
        else:
            ev = ev.text("Wrong colour", at=(x, y), start=start, end=start + 2)
    for _ in range(blurs):
        start = rng.uniform(0, seconds - 2.1)
        x, y = rng.randrange(0, width - 200, 2), rng.randrange(0, height - 150, 2)
        ev = ev.blur((x, y, 180, 120), start=start, end=start + 2)
    return ev


def alternate(first: list[str], second: list[str], runs: int) -> tuple[float, float, int]:
    """Medians of alternating runs, and the peak RSS of ``second``."""
    a, b, peak = [], [], 0
    for _ in range(runs):
        a.append(run(first)[0])
        elapsed, rss = run(second)
        b.append(elapsed)
        peak = max(peak, rss)
    return statistics.median(a), statistics.median(b), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="medium")
    parser.add_argument("--annotations", default="0,5,20,100,1000")
    parser.add_argument("--blurs", default="1,5,20,50")
    parser.add_argument("--filters-only", action="store_true",
                        help="skip the exports (decode + filters against a plain decode)")
    args = parser.parse_args()
    ffmpeg = ffmpeg_exe()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        clip = folder / "clip.mp4"
        subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=s=1280x720:r=30:d={args.seconds}", "-f", "lavfi", "-i",
                        f"sine=f=440:d={args.seconds}", "-c:v", "libx264", "-preset",
                        "ultrafast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac",
                        str(clip)], check=True)
        plans = [(n, 0) for n in map(int, args.annotations.split(",") if args.annotations
                                     else [])]
        plans += [(0, n) for n in map(int, args.blurs.split(",") if args.blurs else [])]
        print(f"clip: {args.seconds:g} s 1280x720 30 fps, x264 {args.preset} crf 20, "
              f"median of {args.runs} alternating runs")
        print(f"{'plan':>16} {'filters/decode':>15} {'export/re-encode':>17} "
              f"{'ffmpeg peak':>12} {'plan+compile':>13}")
        plain_decode = [ffmpeg, "-v", "error", "-i", str(clip), "-f", "null", "-"]
        plain_encode = [ffmpeg, "-v", "error", "-y", "-i", str(clip), "-c:v", "libx264",
                        "-preset", args.preset, "-crf", "20", "-c:a", "aac",
                        str(folder / "plain.mp4")]
        for annotations, blurs in plans:
            started = time.perf_counter()
            ev = plan(clip, annotations, blurs, args.seconds)
            job = ev.compile(folder / "out.mp4", folder / f"w{annotations}-{blurs}",
                             speed=args.preset)
            compile_s = time.perf_counter() - started
            argv = list(job.argv)
            cut = argv.index("-c:v")
            filters = [*argv[:cut], "-f", "null", "-"]
            base, ours, _ = alternate(plain_decode, filters, args.runs)
            filter_ratio = ours / base
            export_text = "-"
            peak = 0
            if not args.filters_only:
                base_e, ours_e, peak = alternate(plain_encode, argv, args.runs)
                export_text = f"{ours_e / base_e:.2f}x"
            label = f"{annotations} drawn" if annotations or not blurs else f"{blurs} blurs"
            print(f"{label:>16} {filter_ratio:>14.2f}x {export_text:>17} "
                  f"{peak / 1024:>9.0f} MiB {compile_s:>12.2f}s")
        python_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"python peak RSS: {python_peak:.0f} MiB")


if __name__ == "__main__":
    main()
