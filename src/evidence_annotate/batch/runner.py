"""``ea.batch``: run many jobs on a local process pool or any executor, Dask's included.

There is no scheduler here: jobs go to a ``concurrent.futures`` executor and results come
back as each finishes. Without an executor, a process pool of [default_workers][]
processes runs them (a worker that dies is replaced and its job retried); with one, that
executor decides where each job runs, e.g. a Dask cluster through ``distributed.Client``.

Example:
    >>> import evidence_annotate as ea
    >>> for result in ea.batch(["jobs/a.toml", "jobs/b.toml"]):          # doctest: +SKIP
    ...     print(result.name, result.status)
    a.toml done
    b.toml failed
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..evidence import Evidence
from ..recipe import Recipe
from .jobs import Job, JobResult, WorkerLostError, as_job, clear_partials
from .worker import RunOptions, run_job

__all__ = ["ClientLike", "batch", "default_workers"]


@runtime_checkable
class ClientLike(Protocol):
    """Anything with ``get_executor()``, such as a ``distributed.Client`` (a Dask cluster)."""

    def get_executor(self, **kwargs: Any) -> Executor:
        """A ``concurrent.futures`` executor that runs calls on the cluster."""


def default_workers() -> int:
    """How many worker processes the default pool starts: one per core this process may use.

    Measured (``benchmarks/bench_batch.py``, see the performance page): each ffmpeg already
    encodes with several threads, yet a pool of one process per core still finishes short
    jobs fastest, because a job's probing, planning, sprite drawing and muxing run on one
    core; more processes than cores only add memory.

    Example:
        >>> default_workers() >= 1
        True
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _context() -> Any:
    """Worker processes start from a clean server process (no threads copied), preloaded."""
    if sys.platform == "win32" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["evidence_annotate.batch.worker"])
    return context


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context())


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool now: running jobs get SIGTERM and remove their unfinished files."""
    terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if callable(terminate):
        terminate()
    else:
        processes = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(OSError, ValueError):
                process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _absolute(job: Job) -> Job:
    """Paths every worker reads the same way (relative ones depend on a worker's folder)."""
    if isinstance(job.source, Evidence):
        evidence = job.source
        info = replace(evidence.info, path=evidence.info.path.absolute())
        job = replace(job, source=replace(evidence, info=info))
    target = job.target
    if target is not None and not target.is_absolute():
        job = replace(job, output=target.absolute())
    return job


def _lost(job: Job, attempt: int, err: BaseException) -> JobResult:
    """The result of a job whose worker died (or whose executor broke) for good."""
    if job.target is not None:
        clear_partials(job.target)
    times = "once" if attempt == 1 else f"{attempt} times"
    error = WorkerLostError(
        f"job {job.name!r}: the process running it died {times} ({type(err).__name__}: "
        f"{str(err).strip()[:200]}); it may need more memory than a worker has, or a worker "
        "was stopped; run it again (finished jobs are skipped)", job.name)
    return JobResult(job.name, "failed", job.target, error=error, reason=str(error),
                     attempts=attempt)


def _failed(job: Job, err: BaseException, reason: str | None = None) -> JobResult:
    return JobResult(job.name, "failed", job.target, error=err,
                     reason=reason or next(iter(str(err).splitlines()), type(err).__name__))


def _prepare(jobs: Iterable[Job | Recipe | str | os.PathLike[str]],
             ) -> tuple[list[Job], list[JobResult]]:
    """The jobs to run, and the results of those that cannot run at all."""
    ready: list[Job] = []
    failed: list[JobResult] = []
    owners: dict[Path, str] = {}
    for item in jobs:
        job = as_job(item)
        if isinstance(job.source, Exception):
            failed.append(_failed(job, job.source))
            continue
        job = _absolute(job)
        assert job.target is not None
        key = job.target.resolve()
        if key in owners:
            failed.append(_failed(job, ValueError(
                f"output {str(job.target)!r} is also the output of job {owners[key]!r}; give "
                "every job its own output file")))
            continue
        owners[key] = job.name
        ready.append(job)
    return ready, failed


def batch(jobs: Iterable[Job | Recipe | str | os.PathLike[str]],
          executor: Executor | ClientLike | None = None, *, workers: int | None = None,
          retries: int = 1, cache: str | os.PathLike[str] | None = None,
          force: bool = False) -> Iterator[JobResult]:
    """Run many jobs; yield one result per job as it ends.

    Each result is a [JobResult][evidence_annotate.batch.jobs.JobResult].

    A job that is already done (its manifest verifies with the same input bytes, plan,
    export settings and library version) is skipped; a changed input or plan is exported
    again. Outputs appear atomically, so after a crash a re-run finishes only what is missing.
    One bad job never stops the others: its result carries the error and the job's name.

    Args:
        jobs: [Job][evidence_annotate.batch.jobs.Job] objects, recipes, or recipe files.
        executor: Where jobs run. ``None``: a local process pool of ``workers`` processes.
            Any ``concurrent.futures.Executor`` works, e.g. ``client.get_executor()`` of a
            Dask ``distributed.Client``; a ``Client`` itself is accepted too.
        workers: Size of the local pool (default [default_workers][]); ignored with an
            ``executor``.
        retries: How many times the local pool restarts a job whose worker process died
            (killed, out of memory) before reporting it (Dask retries on its own).
        cache: A folder for cached transcripts that every worker shares (``None``: each
            worker's ``$EVIDENCE_ANNOTATE_CACHE``).
        force: Export every job, even those already done.

    Yields:
        One result per job, in the order they finish.

    Raises:
        ValueError: ``workers`` below 1 or ``retries`` below 0.

    Example:
        >>> import evidence_annotate as ea
        >>> results = list(ea.batch(sorted(Path("jobs").glob("*.toml"))))   # doctest: +SKIP
        >>> [r.name for r in results if not r.ok]                           # doctest: +SKIP
        ['order-8123.toml']
        >>> from distributed import Client                                  # doctest: +SKIP
        >>> client = Client("tcp://scheduler:8786")                         # doctest: +SKIP
        >>> for r in ea.batch(jobs, executor=client.get_executor()):        # doctest: +SKIP
        ...     print(r.name, r.status, r.worker)
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise ValueError(f"workers={workers!r} must be a whole number of processes >= 1, "
                         f"e.g. {default_workers()} (one per core)")
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries={retries!r} must be a whole number >= 0 (e.g. 1)")
    ready, failed = _prepare(jobs)
    yield from failed
    if not ready:
        return
    options = RunOptions(cache=str(Path(cache).absolute()) if cache is not None else None,
                         force=force, run=uuid.uuid4().hex)
    if executor is None:
        yield from _run_local(ready, options, workers or default_workers(), retries)
    else:
        if not isinstance(executor, Executor) and isinstance(executor, ClientLike):
            executor = executor.get_executor(pure=False)
        yield from _run_on(ready, options, executor)


def _run_local(jobs: list[Job], options: RunOptions, workers: int,
               retries: int) -> Iterator[JobResult]:
    """A local pool, at most two jobs per worker in flight; a dead worker's jobs retried."""
    queue: deque[tuple[Job, int]] = deque((job, 1) for job in jobs)
    pool = _pool(min(workers, len(jobs)))
    generation = 0
    running: dict[Future[JobResult], tuple[Job, int, int]] = {}
    finished = False
    try:
        while queue or running:
            while queue and len(running) < 2 * workers:
                job, attempt = queue.popleft()
                future = pool.submit(run_job, job, replace(options, attempt=attempt))
                running[future] = (job, attempt, generation)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                job, attempt, born = running.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool as err:
                    if born == generation:  # the first to notice replaces the pool
                        pool.shutdown(wait=False, cancel_futures=True)
                        pool, generation = _pool(min(workers, len(jobs))), generation + 1
                    if attempt <= retries:
                        queue.appendleft((job, attempt + 1))
                        continue
                    result = _lost(job, attempt, err)
                except Exception as err:  # a bug or an unpicklable value: this job only
                    result = _failed(job, err)
                yield result
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            _stop(pool)


def _run_on(jobs: list[Job], options: RunOptions, executor: Executor) -> Iterator[JobResult]:
    """The caller's executor: every job submitted at once, its scheduler decides the rest."""
    running: dict[Future[JobResult], Job] = {}
    try:
        for job in jobs:
            try:
                running[executor.submit(run_job, job, options)] = job
            except RuntimeError as err:  # shut down or broken: this job cannot run
                yield _lost(job, 1, err)
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                try:
                    result = future.result()
                except Exception as err:
                    lost = "Broken" in type(err).__name__ or type(err).__name__ == "KilledWorker"
                    result = _lost(job, 1, err) if lost else _failed(job, err)
                yield result
    finally:
        for future in running:
            future.cancel()
