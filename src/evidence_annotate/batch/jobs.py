"""Jobs as data: what one export of a batch builds, where it writes, and what came of it.

A [Job][] is a recipe ([Recipe][evidence_annotate.recipe.Recipe]) or a planned
[Evidence][evidence_annotate.Evidence], plus where to write it. Both are frozen data that
pickle, so a job travels to another process or machine and is rebuilt there identically (the
input must be at the same path there: a shared folder). A [JobResult][] is what comes
back: done, skipped (already done and verified) or failed, with the library error.

Example:
    >>> import evidence_annotate as ea
    >>> job = ea.Job(ea.open("clip.mp4").box((10, 10, 80, 60)), "out/clip.mp4")  # doctest: +SKIP
    >>> job.name                                                                # doctest: +SKIP
    'clip.mp4'
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..deliver.export import ExportResult
from ..deliver.pipeline import FIT_MODES
from ..errors import EvidenceAnnotateError
from ..evidence import Evidence
from ..recipe import Recipe, RecipeError, load_recipe
from ..render.settings import EncodeSettings

__all__ = ["EXPORT_KEYS", "Job", "JobResult", "Status", "WorkerLostError", "as_job"]

EXPORT_KEYS = ("crf", "speed", "audio_bitrate", "keep_metadata")
"""Keys a job's ``export`` may hold: the keyword arguments of ``Evidence.export``."""

Status = Literal["done", "skipped", "failed"]


class WorkerLostError(EvidenceAnnotateError):
    """The process or machine running a job died (killed, out of memory, lost from the cluster).

    Attributes:
        name: The job's name.
    """

    __module__ = "evidence_annotate.batch"  # its public home (pickles and tracebacks)

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message, name)
        self.name = name

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Job:
    """One export of a batch.

    Args:
        source: A [Recipe][evidence_annotate.recipe.Recipe] (its calls run on the worker,
            transcription included) or a planned [Evidence][evidence_annotate.Evidence]
            (shipped as it is). An exception here marks a job that could not even be read
            (e.g. a bad line of a jobs file): the batch reports it as failed.
        output: The video to write; for a recipe ``None`` keeps the recipe's output.
        platform: Platform to export for (for a recipe: overrides its ``platform``).
        fit: ``"split"`` or ``"trim"`` (for a recipe: overrides its ``fit``).
        export: Further arguments of ``Evidence.export``: ``crf``, ``speed``,
            ``audio_bitrate``, ``keep_metadata`` (for a recipe: override its values).
        name: How results and reports name the job (default: the recipe file's name, else
            the output's).

    Raises:
        ValueError: An Evidence job without ``output``, an unknown ``fit`` or ``export``
            key, or a bad encoder value.

    Example:
        >>> import evidence_annotate as ea
        >>> ea.Job(ea.load_recipe("order-8123.toml")).name           # doctest: +SKIP
        'order-8123.toml'
        >>> ea.Job(ev, "out/8123.mp4", platform="shopee", export={"crf": 23})  # doctest: +SKIP
        Job(name='8123.mp4', ...)
    """

    source: Evidence | Recipe | Exception
    output: Path | None = None
    platform: str | None = None
    fit: str | None = None
    export: Mapping[str, Any] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        if self.output is not None and not isinstance(self.output, Path):
            object.__setattr__(self, "output", Path(self.output))
        if isinstance(self.source, Evidence) and self.output is None:
            raise ValueError("Job(evidence) needs output=: the file to write, e.g. "
                             "Job(ev, 'out/order-8123.mp4')")
        if not isinstance(self.source, (Evidence, Recipe, Exception)):
            raise ValueError(f"Job source {self.source!r} must be an ea.Evidence or a recipe "
                             "(ea.load_recipe('job.toml'))")
        if self.fit is not None and self.fit not in FIT_MODES:
            raise ValueError(f"fit={self.fit!r} is not a fit mode; use one of "
                             f"{', '.join(FIT_MODES)} (or None)")
        unknown = sorted(set(self.export) - set(EXPORT_KEYS))
        if unknown:
            raise ValueError(f"export key {unknown[0]!r} is not an export setting; use "
                             f"{', '.join(EXPORT_KEYS)}")
        object.__setattr__(self, "export", dict(self.export))
        self.settings()  # bad values fail here, in the caller's process
        if not self.name:
            object.__setattr__(self, "name", self._default_name())

    def _default_name(self) -> str:
        if isinstance(self.source, Recipe) and self.source.source is not None:
            return self.source.source.name
        target = self.target
        return target.name if target is not None else "job"

    @property
    def target(self) -> Path | None:
        """The file the job writes (``None`` for a job that could not be read)."""
        if self.output is not None:
            return self.output
        return self.source.output if isinstance(self.source, Recipe) else None

    def arguments(self) -> dict[str, Any]:
        """Every keyword argument of ``Evidence.export`` (recipe values, then this job's)."""
        args: dict[str, Any] = {}
        if isinstance(self.source, Recipe):
            args.update(self.source.export)
            args.update({k: v for k, v in (("platform", self.source.platform),
                                           ("fit", self.source.fit)) if v is not None})
        args.update(self.export)
        args.update({k: v for k, v in (("platform", self.platform), ("fit", self.fit))
                     if v is not None})
        args["manifest"] = True  # re-runs check it: a batch always writes it
        return args

    def settings(self) -> EncodeSettings:
        """The encoder settings the job asks for (validated).

        Raises:
            ValueError: A bad ``crf``, ``speed`` or ``audio_bitrate``.
        """
        args = self.arguments()
        return EncodeSettings(crf=args.get("crf", 20), preset=args.get("speed", "medium"),
                              audio_bitrate=args.get("audio_bitrate", "128k"))

    def build(self, *, progress: bool = False) -> Evidence:
        """The planned evidence: the recipe's calls run here (or the Evidence as shipped).

        Raises:
            EvidenceAnnotateError: The job's own error when it could not be read; for
                recipes, what ``Recipe.evidence`` raises (``InputError``, ``RecipeError``,
                ``ModelError``).
        """
        if isinstance(self.source, Exception):
            raise self.source
        if isinstance(self.source, Evidence):
            return self.source
        return self.source.evidence(progress=progress)


def as_job(item: Job | Recipe | str | os.PathLike[str]) -> Job:
    """A [Job][] from a job, a recipe, or a recipe file (``.toml``/``.json``).

    A recipe file that cannot be read becomes a job that fails with its
    [RecipeError][evidence_annotate.recipe.RecipeError] (the batch goes on).

    Example:
        >>> job = as_job("no-such-job.toml")
        >>> job.name, type(job.source).__name__
        ('no-such-job.toml', 'RecipeError')
    """
    if isinstance(item, Job):
        return item
    if isinstance(item, Recipe):
        return Job(item)
    if isinstance(item, (str, os.PathLike)):
        try:
            return Job(load_recipe(item))
        except RecipeError as err:
            return Job(err, name=Path(item).name)
    raise ValueError(f"batch job {item!r} must be an ea.Job, a recipe or a recipe file path")


@dataclass(frozen=True)
class JobResult:
    """What became of one job.

    Attributes:
        name: The job's name.
        status: ``"done"`` (exported now), ``"skipped"`` (already done: its manifest
            verifies with the same input, plan, settings and version) or ``"failed"``.
        output: The file the job writes (``None`` if the job could not be read).
        result: The export's [ExportResult][evidence_annotate.deliver.export.ExportResult]
            (``done`` and ``skipped``).
        error: The error that stopped it (``failed``): an ``ea.EvidenceAnnotateError`` or
            ``ValueError`` for the job's own problems, [WorkerLostError][] when its
            worker died.
        reason: Why it ran (``"no manifest yet"``, ``"the plan changed"``, ...) or was skipped.
        seconds: Time spent on the worker.
        attempts: How many times it was started (more than 1 after a worker died).
        worker: ``host:pid`` of the process that ran it.
        worker_memory: Peak resident memory of that worker process so far, in bytes.
    """

    name: str
    status: Status
    output: Path | None = None
    result: ExportResult | None = None
    error: BaseException | None = None
    reason: str = ""
    seconds: float = 0.0
    attempts: int = 1
    worker: str = ""
    worker_memory: int = 0

    @property
    def ok(self) -> bool:
        """True unless the job failed."""
        return self.status != "failed"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data for reports.

        Example:
            >>> JobResult("a", "failed", error=ValueError("bad crf")).to_dict()["error"]
            {'type': 'ValueError', 'message': 'bad crf'}
        """
        result = self.result
        return {
            "name": self.name, "status": self.status,
            "output": str(self.output) if self.output is not None else None,
            "files": [str(p) for p in result.paths] if result else [],
            "manifest": str(result.manifest) if result and result.manifest else None,
            "sha256": result.sha256 if result else None,
            "size_bytes": result.size_bytes if result else None,
            "duration": result.duration if result else None,
            "error": None if self.error is None else {
                "type": type(self.error).__name__, "message": str(self.error)},
            "reason": self.reason, "seconds": round(self.seconds, 3),
            "attempts": self.attempts, "worker": self.worker,
            "worker_memory": self.worker_memory,
        }


_TEMP_STEM_BYTES = 64  # as the output module names its hidden temporary files


def clear_partials(target: Path) -> list[Path]:
    """Remove hidden unfinished files an interrupted export of ``target`` left beside it.

    A worker killed outright (SIGKILL, out of memory) cannot clean up; its temporary files
    (``.<stem>.<random>.partial<suffix>``, for the video, its parts and the manifest) are
    removed before the job runs again or is reported. Files of other outputs are never
    touched.

    Returns:
        The files removed.
    """
    folder = target.parent
    names = [(target.stem, r"(_part\d+)?", target.suffix),
             (target.name + ".manifest", "", ".json")]
    removed: list[Path] = []
    for stem, extra, suffix in names:
        if len(stem.encode("utf-8", "surrogateescape")) > _TEMP_STEM_BYTES:
            continue  # a shortened name could be another output's: leave it
        pattern = re.compile(rf"\.{re.escape(stem)}{extra}\.[0-9a-f]{{10}}\.partial"
                             rf"{re.escape(suffix)}")
        try:
            entries = list(folder.iterdir())
        except OSError:
            return removed
        for entry in entries:
            if pattern.fullmatch(entry.name):
                try:
                    entry.unlink()
                    removed.append(entry)
                except OSError:
                    pass
    return removed
