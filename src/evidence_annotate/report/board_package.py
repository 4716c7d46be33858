"""The evidence package of a storyboard: video, manifest, captions, stills and report in a ZIP.

[write_program_package][] is what
[Storyboard.package][evidence_annotate.evidence.board.Storyboard.package] calls;
[export_program_with_package][] what ``Storyboard.export(..., package=)`` calls. The ZIP
itself is written by [evidence_annotate.deliver.package][], so ``ea.verify(package)``
checks it as any other.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..captions.formats import write_captions
from ..deliver.board import deliver_program, fitted_program, program_inputs
from ..deliver.board_text import program_cues
from ..deliver.credentials import SigningIdentity
from ..deliver.export import ExportResult
from ..deliver.package import Member, PackageResult, write_package
from ..output import check_output_path
from ..platforms import Platform, resolve_platform
from ..render.program import Program
from ..render.settings import EncodeSettings
from ..validate import path_like
from .board import write_program_report, write_program_stills
from .bundle import _budget, _safe, check_package_target, export_into_package

__all__ = ["export_program_with_package", "write_program_package"]


def _captions(program: Program, folder: Path, stem: str) -> list[Path]:
    cues = program_cues(program)
    if not cues:
        return []
    folder.mkdir()
    return [write_captions(cues, folder / _safe(f"{stem}{suffix}"), width=program.size[0],
                           height=program.size[1]) for suffix in (".srt", ".vtt")]


def _members(program: Program, folder: Path, result: ExportResult,
             stills: Sequence[Path], stem: str) -> list[Member]:
    assert result.manifest is not None
    report = write_program_report(program, folder / "report.pdf", manifest=result.manifest)
    return [*(Member(p.name, p, "video") for p in result.paths),
            Member(result.manifest.name, result.manifest, "manifest"),
            *(Member(f"captions/{p.name}", p, "captions")
              for p in _captions(program, folder / "captions", stem)),
            *(Member(f"stills/{_safe(p.name)}", p, "still") for p in stills),
            Member("report.pdf", report, "report")]


def _stills(program: Program, chosen: Platform | None, fit: str | None,
            folder: Path) -> list[Path]:
    """Stills of the program as it will be exported (fitted to the platform)."""
    fitted = fitted_program(program, chosen, fit) if chosen is not None else program
    return write_program_stills(fitted, folder, fitted.still_times())


def write_program_package(program: Program, path: str | os.PathLike[str], *,
                          settings: EncodeSettings, platform: str | Platform | None = None,
                          fit: str | None = None, progress: bool = True,
                          sign: SigningIdentity | None = None) -> PackageResult:
    """Export the program and write every file a reviewer needs into one ZIP, atomically.

    Args:
        program: The storyboard's program.
        path: The ``.zip`` to write.
        settings: Encoder settings of the video.
        platform: The whole package must fit its byte limit (the video leaves room for the
            stills and the report).
        fit: ``"speed"`` or ``"trim"``, as in the export.
        progress: Show progress bars.
        sign: Sign the video with content credentials (C2PA) before packaging.

    Raises:
        ValueError: ``path`` is not a ``.zip``; bad options (as the export's).
    """
    target = path_like(path, "path")
    if target.suffix.lower() != ".zip":
        raise ValueError(f"path={str(target)!r} must be a .zip file, e.g. 'evidence.zip'")
    chosen = resolve_platform(platform) if platform is not None else None
    check_output_path(target, inputs=program_inputs(program), suffixes=(".zip",))
    with tempfile.TemporaryDirectory(prefix="evidence_annotate-package-") as work:
        folder = Path(work)
        stills = _stills(program, chosen, fit, folder / "stills")
        stem = _safe(target.stem)
        result = deliver_program(program, folder / f"{stem}.mp4", settings=settings,
                                 platform=_budget(chosen, stills), fit=fit,
                                 progress=progress, sign=sign)
        return write_package(target, _members(program, folder, result, stills, stem),
                             max_bytes=chosen.max_bytes if chosen is not None else None,
                             platform=chosen.name if chosen is not None else "the platform",
                             inputs=program_inputs(program))


def export_program_with_package(program: Program, path: str | os.PathLike[str],
                                package: str | os.PathLike[str], *, settings: EncodeSettings,
                                platform: str | Platform | None = None,
                                fit: str | None = None, keep_metadata: Sequence[str] = (),
                                progress: bool = True,
                                sign: SigningIdentity | None = None) -> ExportResult:
    """Export the program to ``path`` (with its manifest) and write its package too.

    The video is encoded once: the package holds the same bytes. The video, its manifest
    and the package appear together or not at all.

    Raises:
        ValueError: ``package`` is not a ``.zip``, is the video, its manifest or an input, or
            the video's name cannot name a package member.
    """
    target, zip_path = path_like(path, "path"), path_like(package, "package")
    inputs = program_inputs(program)
    check_package_target(target, zip_path, inputs)
    chosen = resolve_platform(platform) if platform is not None else None
    stem = _safe(target.stem)
    return export_into_package(
        target, zip_path, inputs, chosen,
        stills=lambda folder: _stills(program, chosen, fit, folder),
        render=lambda video, budget: deliver_program(
            program, video, settings=settings, platform=budget, fit=fit,
            keep_metadata=keep_metadata, progress=progress, sign=sign),
        members=lambda folder, result, stills: _members(program, folder, result, stills, stem))
