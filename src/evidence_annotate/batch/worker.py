"""What a worker process does with one job: build it, skip it if done, else export it.

[run_job][] is the only function a batch sends to an executor. It is a plain,
importable function of plain, picklable arguments, so any ``concurrent.futures`` executor,
a Dask worker included, can run it. Everything a worker keeps between jobs is what this
process already keeps: the Whisper model loaded once
([load_model][evidence_annotate.speech.models.load_model]), the transcript cache on disk.

Example:
    >>> from evidence_annotate.batch.worker import RunOptions, run_job
    >>> run_job(job, RunOptions()).status                       # doctest: +SKIP
    'done'
"""

from __future__ import annotations

import os
import socket
import sys
import time
from dataclasses import dataclass

from ..deliver.export import ExportResult
from ..deliver.uptodate import recorded_result, stale_reason
from ..errors import EvidenceAnnotateError
from ..speech.cache import CACHE_ENV
from .jobs import Job, JobResult, Status, clear_partials

__all__ = ["RunOptions", "peak_memory", "run_job", "worker_name"]


@dataclass(frozen=True)
class RunOptions:
    """How a batch runs each job (the same for every job of one batch).

    Attributes:
        cache: Folder for cached transcripts, shared by every worker (``None``: each
            worker's ``$EVIDENCE_ANNOTATE_CACHE`` or its user cache folder).
        force: Export even when the job is already done.
        run: An identifier of the batch run (keeps Dask from reusing an earlier run's result).
        attempt: Which try of the job this is (1 = the first).
    """

    cache: str | None = None
    force: bool = False
    run: str = ""
    attempt: int = 1


def worker_name() -> str:
    """``host:pid`` of this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def peak_memory() -> int:
    """Peak resident memory of this process so far, in bytes (0 where unknown).

    Example:
        >>> peak_memory() > 0
        True
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def _result(job: Job, status: Status, options: RunOptions, started: float, *,
            result: ExportResult | None = None, error: BaseException | None = None,
            reason: str = "") -> JobResult:
    return JobResult(job.name, status, job.target, result, error, reason,
                     time.monotonic() - started, options.attempt, worker_name(), peak_memory())


def run_job(job: Job, options: RunOptions) -> JobResult:
    """Run one job here: skip it when its verified manifest says it is done, else export it.

    The job's own problems (a bad recipe value, an unreadable input, ffmpeg failing, a
    platform limit) come back as a ``failed`` result carrying the error; they never raise.

    Args:
        job: The job.
        options: The batch's options.

    Returns:
        The [JobResult][evidence_annotate.batch.jobs.JobResult].
    """
    started = time.monotonic()
    if options.cache is not None:
        os.environ[CACHE_ENV] = options.cache
    target = job.target
    try:
        evidence = job.build(progress=False)
        assert target is not None  # a job that could be built has an output
        clear_partials(target)
        args = job.arguments()
        reason = "forced" if options.force else stale_reason(
            target, info=evidence.info, plan=evidence.plan, settings=job.settings(),
            platform=args.get("platform"), fit=args.get("fit"),
            keep_metadata=args.get("keep_metadata", ()))
        if reason is None:
            return _result(job, "skipped", options, started, result=recorded_result(target),
                           reason="already done (the manifest verifies)")
        result = evidence.export(target, progress=False, **args)
        return _result(job, "done", options, started, result=result, reason=reason)
    except (EvidenceAnnotateError, ValueError, OSError) as err:
        if target is not None:
            clear_partials(target)
        return _result(job, "failed", options, started, error=err,
                       reason=next(iter(str(err).splitlines()), type(err).__name__))
