"""Building an evidence package: export, captions, stills, report and original in one ZIP.

[Evidence.package][evidence_annotate.evidence.Evidence.package] calls [write_package_for][],
``Evidence.export(..., package=)`` calls [export_with_package][]; the ZIP itself is written
by [evidence_annotate.deliver.package][].
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

from ..captions.track import track_from_transcript, write_track
from ..deliver.credentials import SigningIdentity
from ..deliver.export import VIDEO_SUFFIXES, ExportResult, plan_inputs
from ..deliver.original import private_original
from ..deliver.package import Member, PackageResult, name_problem, package_into, write_package
from ..deliver.pipeline import Fit, deliver
from ..geometry import output_size
from ..media import MediaInfo
from ..output import OutputSet, check_output_path
from ..plan import Plan
from ..platforms import Platform, resolve_platform
from ..render.settings import EncodeSettings
from ..speech.transcript import Transcript
from ..validate import path_like
from .stills import default_still_times, write_report_for, write_stills

__all__ = ["OriginalMode", "check_package_target", "export_into_package", "export_with_package",
           "write_package_for"]

OriginalMode = Literal["none", "exact", "private"]
_ORIGINAL_MODES: tuple[OriginalMode, ...] = ("none", "exact", "private")


def _safe(name: str) -> str:
    """A file name as a package member: only letters, digits, ``.``, ``_`` and ``-``."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".") or "file"


def _captions(plan: Plan, info: MediaInfo, transcript: Transcript | None,
              folder: Path) -> list[Path]:
    track = plan.captions
    size = output_size(info.size)
    if track is None and transcript is not None:
        track = track_from_transcript(transcript, size, info.fps, info.duration,
                                      allow_low_confidence=True)
    if track is None:
        return []
    timeline = plan.timeline(info.frame_rate, info.duration)
    folder.mkdir()
    for suffix in (".srt", ".vtt"):
        write_track(track, folder / _safe(f"{info.path.stem}{suffix}"), size, timeline)
    return sorted(folder.iterdir())


def _budget(platform: Platform | None, stills: list[Path]) -> Platform | None:
    """The platform with room left in its byte limit for the stills and the report."""
    if platform is None or platform.max_bytes is None:
        return platform
    reserve = sum(p.stat().st_size for p in stills) * 2 + 256 * 1024
    return replace(platform, max_bytes=max(platform.max_bytes - reserve, 1))


def _members(plan: Plan, info: MediaInfo, transcript: Transcript | None, folder: Path,
             result: ExportResult, stills: list[Path], original: OriginalMode) -> list[Member]:
    """Every member of a package around an export already written into ``folder``."""
    assert result.manifest is not None
    report = write_report_for(plan, info, transcript, folder / "report.pdf",
                              manifest=result.manifest)
    members = [*(Member(p.name, p, "video") for p in result.paths),
               Member(result.manifest.name, result.manifest, "manifest"),
               *(Member(f"captions/{p.name}", p, "captions")
                 for p in _captions(plan, info, transcript, folder / "captions")),
               *(Member(f"stills/{_safe(p.name)}", p, "still") for p in stills),
               Member("report.pdf", report, "report")]
    if original == "exact":
        members.append(Member(f"original/{_safe(info.path.name)}", info.path, "original", True,
                              "the original recording, byte for byte"))
    elif original == "private":
        copy = private_original(info, folder / f"original{info.path.suffix.lower()}")
        members.append(Member(f"original/{copy.path.name}", copy.path, "original", True,
                              copy.note))
    return members


def _check_original(original: OriginalMode) -> None:
    if original not in _ORIGINAL_MODES:
        raise ValueError(f"original={original!r} is not a mode; use one of "
                         f"{', '.join(map(repr, _ORIGINAL_MODES))}")


def write_package_for(plan: Plan, info: MediaInfo, transcript: Transcript | None,
                      path: str | os.PathLike[str], *, settings: EncodeSettings,
                      platform: str | Platform | None = None, fit: Fit | None = None,
                      original: OriginalMode = "none", progress: bool = True,
                      speech_model: str | None = None,
                      sign: SigningIdentity | None = None) -> PackageResult:
    """Export ``plan`` and write every file a reviewer needs into one ZIP, atomically.

    Args:
        plan: The plan.
        info: The probed source.
        transcript: The transcript, for captions and the report.
        path: The ``.zip`` to write.
        settings: Encoder settings of the video.
        platform: The package (video, stills, report, ...) must fit its byte limit; the
            original is left out, with a note, when it does not fit.
        fit: As in [Evidence.export][evidence_annotate.evidence.Evidence.export].
        original: ``"exact"`` adds the original byte for byte, ``"private"`` a lossless
            remux without GPS, device and other metadata (what changed is recorded).
        progress: Show progress bars.
        speech_model: The speech model, for the manifest.
        sign: Sign the video(s) with content credentials (C2PA) before packaging.

    Returns:
        The [PackageResult][evidence_annotate.deliver.package.PackageResult].

    Raises:
        ValueError: ``original`` is not one of ``"none"``, ``"exact"``, ``"private"``.
    """
    _check_original(original)
    target = path_like(path, "path")
    chosen = resolve_platform(platform) if platform is not None else None
    with tempfile.TemporaryDirectory(prefix="evidence_annotate-package-") as work:
        folder = Path(work)
        stills = write_stills(plan, info, folder / "stills", default_still_times(plan, info))
        video = folder / _safe(f"{info.path.stem}_evidence.mp4")
        result = deliver(plan, info, transcript, video, settings=settings,
                         platform=_budget(chosen, stills), fit=fit, progress=progress,
                         speech_model=speech_model, sign=sign)
        return write_package(target, _members(plan, info, transcript, folder, result, stills,
                                              original),
                             max_bytes=chosen.max_bytes if chosen is not None else None,
                             platform=chosen.name if chosen is not None else "the platform",
                             inputs=plan_inputs(plan, info))


def check_package_target(video: Path, package: Path, inputs: Sequence[Path]) -> None:
    """Refuse, before any work, a package name the export cannot write.

    Raises:
        ValueError: ``package`` is not a ``.zip``, is the video, its manifest or one of
            ``inputs``, or the video's name cannot name a package member.
    """
    if package.suffix.lower() != ".zip":
        raise ValueError(f"package={str(package)!r} must be a .zip file, e.g. "
                         f"{str(video.with_suffix('.zip'))!r}")
    manifest = video.with_name(video.name + ".manifest.json")
    for other, what in ((video, "the video"), (manifest, "the video's manifest"),
                        *((p, "an input") for p in inputs)):
        if package.resolve() == other.resolve():
            raise ValueError(f"package={str(package)!r} is {what}; name the package "
                             f"differently, e.g. {str(video.with_suffix('.zip'))!r}")
    why = name_problem(manifest.name)
    if why is not None:
        raise ValueError(f"the video's name {video.name!r} cannot name a package member (it "
                         f"{why}); rename the output, e.g. "
                         f"{re.sub(r'[^A-Za-z0-9._-]', '_', video.name)!r}")


def export_with_package(plan: Plan, info: MediaInfo, transcript: Transcript | None,
                        path: str | os.PathLike[str], package: str | os.PathLike[str], *,
                        settings: EncodeSettings, platform: str | Platform | None = None,
                        fit: Fit | None = None, keep_metadata: Sequence[str] = (),
                        original: OriginalMode = "none", progress: bool = True,
                        speech_model: str | None = None,
                        sign: SigningIdentity | None = None) -> ExportResult:
    """Export ``plan`` to ``path`` (with its manifest) and write its evidence package too.

    The video is encoded once: the package holds the same bytes as the exported file(s), and
    the manifest inside is the one written beside them. With a platform, the video's byte
    budget leaves room for the stills and the report so that the whole package fits. The
    video(s), the manifest and the package appear together or not at all.

    Args:
        plan: The plan.
        info: The probed source.
        transcript: The transcript, for captions and the report.
        path: The video to write.
        package: The ``.zip`` to write.
        settings: Encoder settings.
        platform: As in [write_package_for][].
        fit: ``"split"`` or ``"trim"`` (needs ``platform``).
        keep_metadata: Source tags the video keeps.
        original: ``"none"``, ``"exact"`` or ``"private"``, as in [write_package_for][].
        progress: Show progress bars.
        speech_model: The speech model, for the manifest.
        sign: Sign the video(s) with content credentials (C2PA).

    Returns:
        The export's [ExportResult][evidence_annotate.deliver.export.ExportResult], with
        ``package`` set.

    Raises:
        ValueError: ``package`` is not a ``.zip``, is the video, its manifest or an input,
            the video's name cannot name a package member, or a bad ``original``.
    """
    _check_original(original)
    target, zip_path = path_like(path, "path"), path_like(package, "package")
    inputs = plan_inputs(plan, info)
    check_package_target(target, zip_path, inputs)
    return export_into_package(
        target, zip_path, inputs, resolve_platform(platform) if platform is not None else None,
        stills=lambda folder: write_stills(plan, info, folder,
                                           default_still_times(plan, info)),
        render=lambda video, budget: deliver(
            plan, info, transcript, video, settings=settings, platform=budget, fit=fit,
            keep_metadata=keep_metadata, progress=progress, speech_model=speech_model,
            sign=sign),
        members=lambda folder, result, stills: _members(plan, info, transcript, folder, result,
                                                        stills, original))


def export_into_package(target: Path, zip_path: Path, inputs: Sequence[Path],
                        chosen: Platform | None, *, stills: Callable[[Path], list[Path]],
                        render: Callable[[Path, Platform | None], ExportResult],
                        members: Callable[[Path, ExportResult, list[Path]], list[Member]],
                        ) -> ExportResult:
    """Export once into a private folder, package it, then place video, manifest and ZIP.

    ``stills(folder)`` writes the package's stills; ``render(video, platform)`` exports to
    ``video`` under ``platform``'s limit less the room the stills and report need;
    ``members(folder, result, stills)`` lists the package's members. The video, its manifest
    and the ZIP (the same video bytes) appear together or not at all.
    """
    check_output_path(target, inputs=inputs, suffixes=VIDEO_SUFFIXES)
    with OutputSet(inputs=inputs) as outputs:
        zip_tmp = outputs.add(zip_path, suffixes=(".zip",))
        with tempfile.TemporaryDirectory(prefix=".evidence_annotate-", dir=target.parent) as work:
            folder = Path(work)
            shot = stills(folder / "stills")
            result = render(folder / target.name, _budget(chosen, shot))
            assert result.manifest is not None
            placed = [(p, outputs.add(target.with_name(p.name), suffixes=VIDEO_SUFFIXES))
                      for p in result.paths]
            placed.append((result.manifest, outputs.add(
                target.with_name(result.manifest.name), suffixes=(".json",))))
            packaged = package_into(
                zip_tmp, zip_path, members(folder, result, shot),
                max_bytes=chosen.max_bytes if chosen is not None else None,
                platform=chosen.name if chosen is not None else "the platform")
            for made, tmp in placed:
                os.replace(made, tmp)
    return replace(result, path=target.with_name(result.path.name),
                   paths=tuple(target.with_name(p.name) for p in result.paths),
                   manifest=target.with_name(result.manifest.name), package=packaged)
