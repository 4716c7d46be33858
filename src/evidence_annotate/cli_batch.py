"""``evidence-annotate batch``: many jobs with one command, on this machine or a Dask cluster.

Shows an overall progress bar, one line per failed job, a summary table at the end and,
with ``--report``, a JSON report. The exit code is 1 when any job failed.

Example:
    >>> from evidence_annotate.cli import main
    >>> main(["batch", "disputes/", "--report", "report.json"])        # doctest: +SKIP
    0
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .batch import JobResult

__all__ = ["SUMMARY", "add_arguments", "run", "summary_table"]

SUMMARY = ("batch: run many jobs (recipes, a folder of them, or a CSV/JSONL table); "
           "finished jobs are skipped on a re-run",
           "  evidence-annotate batch disputes/\n"
           "  evidence-annotate batch today.csv --workers 2 --report report.json\n"
           "  evidence-annotate batch today.jsonl --scheduler tcp://10.0.0.5:8786")
"""(summary, examples) as the command's help shows them."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``batch`` command's arguments."""
    parser.add_argument("jobs", nargs="+", metavar="JOBS",
                        help="recipes (.toml/.json), folders of recipes, or job tables "
                             "(.csv/.jsonl: input, order, date, title, platform, ... per row)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="local worker processes (default: one per core)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs "
                             "`pip install evidence-annotate[batch]`)")
    parser.add_argument("--report", metavar="FILE", help="write a JSON report of every job")
    parser.add_argument("--cache", metavar="DIR",
                        help="transcript cache shared by all workers (default: "
                             "$EVIDENCE_ANNOTATE_CACHE)")
    parser.add_argument("--force", action="store_true",
                        help="export every job again, even those already done")


def summary_table(results: list[JobResult]) -> str:
    """The table printed at the end: one row per job, then the counts.

    Example:
        >>> from evidence_annotate.batch import JobResult
        >>> print(summary_table([JobResult("a.toml", "skipped", Path("a.mp4"))]))
        job     status   seconds  output / error
        a.toml  skipped      0.0  a.mp4
        1 jobs: 0 done, 1 skipped, 0 failed
    """
    rows = [(r.name, r.status, f"{r.seconds:.1f}",
             str(r.output) if r.ok else (r.reason or type(r.error).__name__))
            for r in results]
    width = max([len("job")] + [len(row[0]) for row in rows])
    lines = [f"{'job':<{width}}  {'status':<7}  {'seconds':>7}  output / error"]
    lines += [f"{name:<{width}}  {status:<7}  {seconds:>7}  {what}"
              for name, status, seconds, what in rows]
    counts = {s: sum(r.status == s for r in results) for s in ("done", "skipped", "failed")}
    lines.append(f"{len(results)} jobs: {counts['done']} done, {counts['skipped']} skipped, "
                 f"{counts['failed']} failed")
    return "\n".join(lines)


@contextmanager
def _executor(address: str | None) -> Iterator[Any]:
    if address is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise ValueError(f"--scheduler {address} needs Dask: pip install "
                         "'evidence-annotate[batch]' (dask and distributed)") from None
    with Client(address) as client:  # type: ignore[no-untyped-call]
        yield client.get_executor(pure=False)


def run(args: argparse.Namespace, *, quiet: bool) -> int:
    """Run the ``batch`` command; return 0, or 1 when any job failed.

    Raises:
        RecipeError: A path that is neither a recipe, a folder nor a jobs table.
        ValueError: A bad ``--workers``.
    """
    from tqdm import tqdm

    from .batch import batch, load_jobs
    from .output import atomic_output

    started = time.monotonic()
    jobs = load_jobs(*args.jobs, exclude=[args.report] if args.report else [])
    terminal = sys.stderr.isatty()
    results: list[JobResult] = []
    with _executor(args.scheduler) as executor, tqdm(
            total=len(jobs), unit="job", desc="batch", file=sys.stderr,
            disable=quiet or not terminal, leave=False) as bar:
        for result in batch(jobs, executor, workers=args.workers, cache=args.cache,
                            force=args.force):
            results.append(result)
            bar.update(1)
            if not result.ok:
                tqdm.write(f"FAILED {result.name}: {result.reason}", file=sys.stderr)
            elif not quiet and not terminal:
                print(f"[{len(results)}/{len(jobs)}] {result.name}: {result.status}",
                      file=sys.stderr, flush=True)
    elapsed = time.monotonic() - started
    if args.report is not None:
        report = {"library": {"name": "evidence_annotate", "version": __version__},
                  "seconds": round(elapsed, 3), "jobs": [r.to_dict() for r in results]}
        with atomic_output(Path(args.report), inputs=(), suffixes=(".json",)) as tmp:
            tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
    if not quiet:
        print(summary_table(results), flush=True)
        print(f"done in {elapsed:.1f} s", flush=True)
    return 1 if any(not r.ok for r in results) else 0
