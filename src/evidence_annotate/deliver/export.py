"""Exporting a plan: compile, run ffmpeg into a temp file, verify, hash, rename.

Example:
    >>> import evidence_annotate as ea
    >>> result = ea.open("clip.mp4").box((10, 10, 80, 60)).export("out.mp4")  # doctest: +SKIP
    >>> result.duration, result.sha256[:12]                                   # doctest: +SKIP
    (10.0, '3f2a9c0d1b7e')
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WRITE_ERRNOS, InputError, RenderError
from ..media import MediaInfo, probe
from ..output import OutputSet
from ..plan import Plan
from ..render.graph import ExportJob, compile_export
from ..render.run import ffmpeg_exe, run_ffmpeg, temp_folder_error
from ..render.settings import OUTPUT_FORMATS, EncodeSettings
from .hashing import BackgroundHash
from .package import PackageResult

__all__ = ["Compile", "ExportResult", "export_plan", "plan_inputs", "render_into", "render_job"]

VIDEO_SUFFIXES = tuple(OUTPUT_FORMATS)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote.

    Attributes:
        path: The (first) output file.
        size_bytes: Its size.
        duration: Its measured duration in seconds.
        sha256: Hex SHA-256 of its bytes.
        paths: Every file written (several when an export is split into parts).
        width: Encoded frame width.
        height: Encoded frame height.
        manifest: The integrity manifest written beside it, if any.
        package: The evidence package written with it (``export(..., package=)``), if any.
    """

    path: Path
    size_bytes: int
    duration: float
    sha256: str
    paths: tuple[Path, ...] = field(default_factory=tuple)
    width: int = 0
    height: int = 0
    manifest: Path | None = None
    package: PackageResult | None = None


def plan_inputs(plan: Plan, info: MediaInfo) -> tuple[Path, ...]:
    """Every file a plan reads: the source clip and a caption file. No output may replace one.

    Example:
        >>> plan_inputs(ev.plan, ev.info)                          # doctest: +SKIP
        (PosixPath('unboxing.mp4'), PosixPath('unboxing.srt'))
    """
    source = plan.captions.source if plan.captions is not None else None
    return (info.path,) if source is None else (info.path, source)


def _tolerance(info: MediaInfo) -> float:
    frame = 1.0 / max(info.fps, 1.0)
    return max(0.25, 3 * frame)


def _verify(path: Path, job: ExportJob, tolerance: float) -> MediaInfo:
    """Probe what ffmpeg wrote instead of trusting its exit code."""
    try:
        written = probe(path)
    except InputError as err:
        raise RenderError(f"ffmpeg reported success but the output cannot be read back ({err})",
                          argv=job.argv) from None
    if abs(written.duration - job.duration) > tolerance:
        raise RenderError(
            f"the output lasts {written.duration:.3f} s but {job.duration:.3f} s were planned; "
            "the source may be damaged near its end (try re-copying it)", argv=job.argv)
    if written.has_audio != job.has_audio:
        raise RenderError(f"the output {'lacks' if job.has_audio else 'has'} an audio stream "
                          "against the plan", argv=job.argv)
    return written


Compile = Callable[[Path, Path, EncodeSettings, int | None], ExportJob]
"""Builds an export's job: ``(output, work folder, settings, pass number) -> ExportJob``."""


def _compile(compile_job: Compile, tmp: Path, work: Path, settings: EncodeSettings,
             pass_number: int | None) -> ExportJob:
    """Compile, turning a full or read-only temporary folder into a clear error."""
    try:
        return compile_job(tmp, work, settings, pass_number)
    except OSError as err:
        if err.errno in WRITE_ERRNOS:
            raise temp_folder_error(err) from None
        raise


def render_into(plan: Plan, info: MediaInfo, tmp: Path, target: Path, *,
                settings: EncodeSettings, progress: bool = True) -> ExportResult:
    """Render ``plan`` into ``tmp``, a temporary name for ``target``, and check the result.

    Sprites, captions, the graph file and pass logs go to a private folder in ``TMPDIR``,
    removed on return and on any exception.

    Args:
        plan: The plan.
        info: The probed source.
        tmp: The file ffmpeg writes (overwritten); its suffix chooses the container.
        target: The name the file will have; errors and the result name it.
        settings: Encoder settings (``video_bitrate`` set = a two-pass encode).
        progress: Show progress.

    Returns:
        The [ExportResult][], ``path`` being ``target`` (``tmp`` is not renamed).

    Raises:
        OutputError: The temporary folder or the output's disk is full or read-only.
        RenderError: ffmpeg failed or wrote something that does not match the plan.
    """
    def compile_job(output: Path, work: Path, chosen: EncodeSettings,
                    pass_number: int | None) -> ExportJob:
        return compile_export(plan, info, output, work, settings=chosen, ffmpeg=ffmpeg_exe(),
                              pass_number=pass_number)

    return render_job(compile_job, tmp, target, settings=settings, progress=progress,
                      tolerance=_tolerance(info))


def render_job(compile_job: Compile, tmp: Path, target: Path, *, settings: EncodeSettings,
               progress: bool, tolerance: float) -> ExportResult:
    """Run what ``compile_job`` builds into ``tmp`` (two passes with a bitrate) and check it.

    [render_into][] for any compiler: a plan over one clip, or a storyboard's program.
    ``tolerance`` is how far (seconds) the written duration may be from the planned one.
    """
    try:
        workspace = tempfile.TemporaryDirectory(prefix="evidence_annotate-")
    except OSError as err:
        raise temp_folder_error(err) from None
    with workspace as work:
        two_pass = settings.video_bitrate is not None
        if two_pass:
            analysis = _compile(compile_job, tmp, Path(work), settings, 1)
            run_ffmpeg(analysis.argv, duration=analysis.duration, progress=progress,
                       description=f"{target.name} (pass 1/2)", target=Path(work))
        job = _compile(compile_job, tmp, Path(work), settings, 2 if two_pass else None)
        run_ffmpeg(job.argv, duration=job.duration, progress=progress,
                   description=f"{target.name} (pass 2/2)" if two_pass else target.name,
                   target=target)
        with BackgroundHash(tmp) as hashing:  # hashed while the probe reads it
            written = _verify(tmp, job, tolerance)
            digest = hashing.result()
        size = tmp.stat().st_size
    return ExportResult(target, size, written.duration, digest, (target,), written.width,
                        written.height)


def export_plan(plan: Plan, info: MediaInfo, target: str | os.PathLike[str], *,
                settings: EncodeSettings, progress: bool = True) -> ExportResult:
    """Render ``plan`` over the source in ``info`` into ``target`` atomically.

    Args:
        plan: The plan.
        info: The probed source.
        target: The output path (``.mp4``, ``.m4v``, ``.mov`` or ``.mkv``).
        settings: Encoder settings (``video_bitrate`` set = a two-pass encode).
        progress: Show progress.

    Returns:
        The [ExportResult][].

    Raises:
        OutputError: The target is the input, a folder, or not writable; a disk is full.
        RenderError: ffmpeg failed or wrote something that does not match the plan.
    """
    with OutputSet(inputs=plan_inputs(plan, info)) as outputs:
        tmp = outputs.add(target, suffixes=VIDEO_SUFFIXES)
        return render_into(plan, info, tmp, Path(target), settings=settings, progress=progress)
