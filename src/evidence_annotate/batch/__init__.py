"""Batches: many jobs on a local process pool or a Dask cluster, safe to run again.

A [Job][] is data (a recipe or a planned ``Evidence`` and where to write it);
[batch][] runs many of them and yields a [JobResult][] per job as each finishes;
[load_jobs][] reads jobs from recipe files, folders and CSV / JSON Lines tables.

Example:
    >>> import evidence_annotate as ea
    >>> failed = [r for r in ea.batch(ea.load_jobs("today.csv")) if not r.ok]  # doctest: +SKIP
"""

from __future__ import annotations

from .files import load_jobs
from .jobs import Job, JobResult, WorkerLostError
from .runner import batch, default_workers

__all__ = ["Job", "JobResult", "WorkerLostError", "batch", "default_workers", "load_jobs"]
