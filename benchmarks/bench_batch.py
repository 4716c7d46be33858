"""Batch throughput: one job at a time vs ``ea.batch`` pools vs a Dask LocalCluster.

Generates ``--jobs`` short 720p clips (testsrc2 with a tone), one recipe-like plan each
(title card, box, arrow, text, blur), then times, with x264 ``--preset``:

* one at a time: ``Evidence.export`` in this process, job after job;
* ``ea.batch`` on the default local process pool with each size of ``--pools``;
* ``ea.batch`` on a Dask ``LocalCluster`` of worker processes (the best pool size, one
  thread each), cluster start-up timed separately.

Prints jobs per minute and the speed-up over one at a time. Then runs ``--memory`` tiny
jobs through the best pool and prints each worker's peak memory after its first jobs and
at the end (it must not grow with the number of jobs).

Usage:
    python benchmarks/bench_batch.py [--jobs 40] [--seconds 2] [--preset veryfast]
                                     [--pools 1,2,3,4] [--memory 200] [--skip-dask]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _clips import make_clip

import evidence_annotate as ea
from evidence_annotate.batch import Job, default_workers


def plan(clip: Path, i: int) -> ea.Evidence:
    return (ea.open(clip).title_card(f"81234567{i:05d}", "2026-11-20", "Cracked case",
                                     seconds=0.5)
            .box((500, 260, 300, 220), start=0.2, label="Crack")
            .arrow((150, 120), (500, 260), start=0.2)
            .text("Wrong colour", at=(60, 600), start=0.5)
            .blur((1000, 40, 240, 120)))


def jobs_in(folder: Path, clips: list[Path], preset: str) -> list[Job]:
    return [Job(plan(clip, i), folder / f"job{i:03d}.mp4", export={"speed": preset})
            for i, clip in enumerate(clips)]


def rate(count: int, seconds: float) -> float:
    return 60.0 * count / seconds


def timed_batch(jobs: list[Job], executor: object = None, workers: int | None = None) -> float:
    started = time.perf_counter()
    results = list(ea.batch(jobs, executor, workers=workers))  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    failed = [r for r in results if not r.ok]
    assert not failed, failed[0]
    return elapsed


def memory(folder: Path, count: int, workers: int) -> None:
    clip = folder / "tiny.mp4"
    make_clip(clip, 0.5, size="320x240")
    jobs = [Job(ea.open(clip).title_card(str(i), "2026-11-20", seconds=0.2)
                .box((10, 10, 50, 40), label=f"#{i}"), folder / "tiny" / f"t{i:03d}.mp4",
                export={"speed": "ultrafast"}) for i in range(count)]
    per_worker: dict[str, list[int]] = defaultdict(list)
    started = time.perf_counter()
    for result in ea.batch(jobs, workers=workers):
        assert result.ok, result
        per_worker[result.worker].append(result.worker_memory)
    elapsed = time.perf_counter() - started
    print(f"\nmemory: {count} tiny jobs on {workers} workers in {elapsed:.1f} s")
    for worker, peaks in sorted(per_worker.items()):
        early = peaks[min(9, len(peaks) - 1)]
        print(f"  worker {worker}: {len(peaks)} jobs, peak RSS after job 10 "
              f"{early / 2**20:.1f} MiB, after the last {peaks[-1] / 2**20:.1f} MiB "
              f"(+{(peaks[-1] - early) / 2**20:.1f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument("--pools", default="1,2,3,4")
    parser.add_argument("--memory", type=int, default=200)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    pools = [int(p) for p in args.pools.split(",")]
    print(f"{os.cpu_count()} cores, default_workers() = {default_workers()}, {args.jobs} jobs "
          f"of {args.seconds:g} s 1280x720 30 fps, x264 {args.preset}")

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        clips: list[Path] = []
        for i in range(args.jobs):
            clip = folder / f"clip{i:03d}.mp4"
            if i == 0:
                make_clip(clip, args.seconds, size="1280x720")
            else:
                clip.write_bytes(clips[0].read_bytes())
            clips.append(clip)

        started = time.perf_counter()
        singles = []
        for job in jobs_in(folder / "serial", clips, args.preset):
            one = time.perf_counter()
            assert isinstance(job.source, ea.Evidence) and job.output is not None
            job.source.export(job.output, speed=args.preset, progress=False)
            singles.append(time.perf_counter() - one)
        serial = time.perf_counter() - started
        print(f"one at a time      {serial:7.1f} s  {rate(args.jobs, serial):6.1f} jobs/min  "
              f"1.00x  (median job {statistics.median(singles):.2f} s)")

        best, best_time = 1, float("inf")
        for size in pools:
            elapsed = timed_batch(jobs_in(folder / f"pool{size}", clips, args.preset),
                                  workers=size)
            print(f"batch, {size} workers  {elapsed:7.1f} s  {rate(args.jobs, elapsed):6.1f} "
                  f"jobs/min  {serial / elapsed:.2f}x")
            if elapsed < best_time:
                best, best_time = size, elapsed
        print(f"best pool size here: {best}")

        if not args.skip_dask:
            from distributed import Client, LocalCluster

            start = time.perf_counter()
            with LocalCluster(n_workers=best, threads_per_worker=1,  # type: ignore[no-untyped-call]
                              processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster, \
                    Client(cluster) as client:  # type: ignore[no-untyped-call]
                up = time.perf_counter() - start
                elapsed = timed_batch(jobs_in(folder / "dask", clips, args.preset),
                                      client.get_executor())
            print(f"dask, {best} workers   {elapsed:7.1f} s  {rate(args.jobs, elapsed):6.1f} "
                  f"jobs/min  {serial / elapsed:.2f}x  (cluster start {up:.1f} s)")

        if args.memory:
            memory(folder, args.memory, best)


if __name__ == "__main__":
    main()
