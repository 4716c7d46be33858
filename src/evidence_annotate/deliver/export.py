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
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, RenderError
from ..media import MediaInfo, probe
from ..output import atomic_output, sha256_file
from ..plan import Plan
from ..render.graph import ExportJob, compile_export
from ..render.run import ffmpeg_exe, run_ffmpeg
from ..render.settings import OUTPUT_FORMATS, EncodeSettings

__all__ = ["ExportResult", "export_plan"]

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
    """

    path: Path
    size_bytes: int
    duration: float
    sha256: str
    paths: tuple[Path, ...] = field(default_factory=tuple)
    width: int = 0
    height: int = 0
    manifest: Path | None = None


def _tolerance(info: MediaInfo) -> float:
    frame = 1.0 / max(info.fps, 1.0)
    return max(0.25, 3 * frame)


def _verify(path: Path, job: ExportJob, info: MediaInfo) -> MediaInfo:
    """Probe what ffmpeg wrote instead of trusting its exit code."""
    try:
        written = probe(path)
    except InputError as err:
        raise RenderError(f"ffmpeg reported success but the output cannot be read back ({err})",
                          argv=job.argv) from None
    if abs(written.duration - job.duration) > _tolerance(info):
        raise RenderError(
            f"the output lasts {written.duration:.3f} s but {job.duration:.3f} s were planned; "
            "the source may be damaged near its end (try re-copying it)", argv=job.argv)
    if written.has_audio != job.has_audio:
        raise RenderError(f"the output {'lacks' if job.has_audio else 'has'} an audio stream "
                          "against the plan", argv=job.argv)
    return written


def export_plan(plan: Plan, info: MediaInfo, target: str | os.PathLike[str], *,
                settings: EncodeSettings, progress: bool = True) -> ExportResult:
    """Render ``plan`` over the source in ``info`` into ``target`` atomically.

    Args:
        plan: The plan.
        info: The probed source.
        target: The output path (``.mp4``, ``.m4v``, ``.mov`` or ``.mkv``).
        settings: Encoder settings (``video_bitrate`` set = a two-pass encode).
        progress: Show a progress bar.

    Returns:
        The :class:`ExportResult`.

    Raises:
        OutputError: The target is the input, a folder, or not writable.
        RenderError: ffmpeg failed or wrote something that does not match the plan.
    """
    name = Path(target).name
    with atomic_output(target, inputs=(info.path,), suffixes=VIDEO_SUFFIXES) as tmp, \
            tempfile.TemporaryDirectory(prefix="evidence_annotate-") as work:
        two_pass = settings.video_bitrate is not None
        if two_pass:
            analysis = compile_export(plan, info, tmp, Path(work), settings=settings,
                                      ffmpeg=ffmpeg_exe(), pass_number=1)
            run_ffmpeg(analysis.argv, duration=analysis.duration, progress=progress,
                       description=f"{name} (pass 1/2)")
        job = compile_export(plan, info, tmp, Path(work), settings=settings, ffmpeg=ffmpeg_exe(),
                             pass_number=2 if two_pass else None)
        run_ffmpeg(job.argv, duration=job.duration, progress=progress,
                   description=f"{name} (pass 2/2)" if two_pass else name)
        written = _verify(tmp, job, info)
        digest = sha256_file(tmp)
        size = tmp.stat().st_size
    final = Path(target)
    return ExportResult(final, size, written.duration, digest, (final,), written.width,
                        written.height)
