"""Export cost against the number of annotations and blur regions.

Generates a testsrc2 clip (default 20 s, 1280x720 30 fps, ``--size 1920x1080`` for 1080p;
encoded as phones write it, High profile at a phone's bitrate, or ``--source ultrafast``:
x264 ultrafast, the cheapest to decode, where the graph's own cost weighs most),
plans N drawn annotations (boxes, arrows and callouts of about 2 s each, spread over the
clip), N blur regions or N moving blur regions (tracks crossing 200 px in their 2 s), and
measures, in this process, each against its reference with runs alternating (so drifting
load from other work hits both alike):

* decode + filters (the export's graph to ``-f null``) against a plain decode;
* the export (``Evidence.export``'s graph and encoder settings) against a plain
  ``ffmpeg -i in -c:v libx264 -preset P -crf 20 -c:a aac -b:a 128k out.mp4`` (the same
  settings: 128 kbit/s is the export's default sound bitrate).

Each ratio is the median over ``--runs`` pairs, for wall time and for CPU time (user + sys
of the ffmpeg child, from ``getrusage(RUSAGE_CHILDREN)`` deltas; less sensitive to other
work on the machine). It also records the peak resident memory of ffmpeg (GNU time's
``%M``) and of this Python process, and the time to plan and compile. ``--unmerged`` compiles every
annotation as its own overlay (the straightforward graph) for comparison.

Usage:
    python benchmarks/bench_scaling.py [--seconds 20] [--runs 3] [--preset medium]
        [--size 1280x720] [--source phone|ultrafast] [--annotations 0,5,20,100,1000]
        [--blurs 1,5,20,50] [--moving 1,5,20] [--export 0,20,100,b20] [--unmerged] [--compile-only]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from _clips import SOURCES, make_clip

import evidence_annotate as ea
from evidence_annotate.render.run import ffmpeg_exe
from evidence_annotate.render.slices import unmerged

_TIME = "/usr/bin/time"  # GNU time: a small parent, so ffmpeg's own peak is what it reports


def run(argv: list[str]) -> tuple[float, float, int]:
    """Wall time, CPU time (user + sys) and peak RSS (KiB) of one ffmpeg run.

    A child forked from this process starts with this process's memory counted in its peak
    (Linux keeps the high-water mark across ``exec``), so with GNU time available ffmpeg is
    started by it and its own peak is read from its report; otherwise the peak is at least
    this process's size.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        wrapped = [_TIME, "-f", "%M", "-o", report.name, *argv] if os.path.exists(_TIME) \
            else argv
        started = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        if proc.stderr is not None:
            proc.stderr.close()
        peak = int(report.read().split()[-1]) if wrapped is not argv else usage.ru_maxrss
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if status != 0:
        raise RuntimeError(f"ffmpeg failed: {' '.join(argv[:6])} ...")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, cpu, peak


def plan(clip: Path, annotations: int, blurs: int, seconds: float,
         moving: int = 0) -> ea.Evidence:
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
    for _ in range(moving):  # a region crossing 200 px in its 2 s (a face as the phone pans)
        start = rng.uniform(0, seconds - 2.1)
        x, y = rng.randrange(0, width - 400, 2), rng.randrange(0, height - 250, 2)
        path = ea.track((start, (x, y, 180, 120)), (start + 2, (x + 200, y + 100, 180, 120)))
        ev = ev.blur(path, start=start, end=start + 2)
    return ev


def alternate(reference: list[str], ours: list[str], runs: int
              ) -> tuple[float, float, int]:
    """Median wall and CPU ratios of ``ours`` to ``reference`` over alternating runs."""
    walls, cpus, peak = [], [], 0
    for _ in range(runs):
        base_wall, base_cpu, _ = run(reference)
        wall, cpu, rss = run(ours)
        walls.append(wall / base_wall)
        cpus.append(cpu / base_cpu)
        peak = max(peak, rss)
    return statistics.median(walls), statistics.median(cpus), peak


def _numbers(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="medium")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--annotations", default="0,5,20,100,1000")
    parser.add_argument("--blurs", default="1,5,20,50")
    parser.add_argument("--moving", default="1,5,20", help="moving blur regions (tracks)")
    parser.add_argument("--export", default="0,20,100,b20",
                        help="plans also exported (N drawn, bN blurs, mN moving blurs); "
                        "empty: none")
    parser.add_argument("--source", choices=sorted(SOURCES), default="phone",
                        help="how the test clip is encoded: phone (High profile at a phone's "
                        "bitrate) or ultrafast (the cheapest to decode, so the graph weighs "
                        "most)")
    parser.add_argument("--unmerged", action="store_true",
                        help="one overlay per annotation (the straightforward graph)")
    parser.add_argument("--compile-only", action="store_true",
                        help="only plan and compile, --runs times each (no ffmpeg runs)")
    args = parser.parse_args()
    ffmpeg = ffmpeg_exe()
    exported = set(args.export.split(",")) if args.export else set()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        clip = folder / "clip.mp4"
        make_clip(clip, args.seconds, size=args.size, source=args.source, sample_rate=None)
        plans = [(n, 0, 0) for n in _numbers(args.annotations)]
        plans += [(0, n, 0) for n in _numbers(args.blurs)]
        plans += [(0, 0, n) for n in _numbers(args.moving)]
        print(f"clip: {args.seconds:g} s {args.size} 30 fps ({args.source} source), "
              f"x264 {args.preset} crf 20, "
              f"median of {args.runs} alternating runs"
              f"{', every annotation its own overlay' if args.unmerged else ''}")
        print(f"{'plan':>11} {'filters/decode':>16} {'export/re-encode':>17} "
              f"{'ffmpeg peak':>12} {'compile':>8}")
        print(f"{'':>11} {'wall':>7} {'cpu':>8} {'wall':>8} {'cpu':>8} {'':>12}")
        plain_decode = [ffmpeg, "-v", "error", "-i", str(clip), "-f", "null", "-"]
        plain_encode = [ffmpeg, "-v", "error", "-y", "-i", str(clip), "-c:v", "libx264",
                        "-preset", args.preset, "-crf", "20", "-c:a", "aac", "-b:a", "128k",
                        str(folder / "plain.mp4")]  # the export's default audio bitrate
        for annotations, blurs, moving in plans:
            name = f"b{blurs}" if blurs else f"m{moving}" if moving else str(annotations)
            if args.compile_only:  # wall and CPU seconds of this process, --runs times
                times = []
                for run_index in range(args.runs):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    with unmerged() if args.unmerged else contextlib.nullcontext():
                        plan(clip, annotations, blurs, args.seconds, moving).compile(
                            folder / "out.mp4", folder / f"w-{name}-{run_index}",
                            speed=args.preset)
                    times.append((time.perf_counter() - started,
                                  time.process_time() - cpu_started))
                walls, cpus = [w for w, _ in times], [c for _, c in times]
                print(f"{name:>11} compile {statistics.median(walls):.2f}s wall "
                      f"{statistics.median(cpus):.2f}s cpu (medians; first {walls[0]:.2f}s "
                      f"wall {cpus[0]:.2f}s cpu; walls {', '.join(f'{w:.2f}' for w in walls)}; "
                      f"load {os.getloadavg()[0]:.1f})", flush=True)
                continue
            started = time.perf_counter()
            ev = plan(clip, annotations, blurs, args.seconds, moving)
            with unmerged() if args.unmerged else contextlib.nullcontext():
                job = ev.compile(folder / "out.mp4", folder / f"w-{name}",
                                 speed=args.preset)
            compile_s = time.perf_counter() - started
            argv = list(job.argv)
            filters = [*argv[:argv.index("-c:v")], "-f", "null", "-"]
            wall, cpu, peak = alternate(plain_decode, filters, args.runs)
            export = f"{'-':>8} {'-':>8}"
            if name in exported:
                export_wall, export_cpu, peak = alternate(plain_encode, argv, args.runs)
                export = f"{export_wall:>7.2f}x {export_cpu:>7.2f}x"
            label = (f"{blurs} blurs" if blurs else f"{moving} moving" if moving
                     else f"{annotations} drawn")
            print(f"{label:>11} {wall:>6.2f}x {cpu:>7.2f}x {export} "
                  f"{peak / 1024:>8.0f} MiB {compile_s:>7.2f}s", flush=True)
        python_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"python peak RSS: {python_peak:.0f} MiB")


if __name__ == "__main__":
    main()
