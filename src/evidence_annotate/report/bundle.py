"""Building an evidence package: export, captions, stills, report and original in one ZIP.

[Evidence.package][evidence_annotate.evidence.Evidence.package] calls [write_package_for][];
the ZIP itself is written by [evidence_annotate.deliver.package][].
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Literal

from ..captions.track import track_from_transcript, write_track
from ..deliver.credentials import SigningIdentity
from ..deliver.export import plan_inputs
from ..deliver.original import private_original
from ..deliver.package import Member, PackageResult, write_package
from ..deliver.pipeline import Fit, deliver
from ..geometry import output_size
from ..media import MediaInfo
from ..plan import Plan
from ..platforms import Platform, resolve_platform
from ..render.settings import EncodeSettings
from ..speech.transcript import Transcript
from ..validate import path_like
from .stills import default_still_times, write_report_for, write_stills

__all__ = ["OriginalMode", "write_package_for"]

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
    if original not in _ORIGINAL_MODES:
        raise ValueError(f"original={original!r} is not a mode; use one of "
                         f"{', '.join(map(repr, _ORIGINAL_MODES))}")
    target = path_like(path, "path")
    chosen = resolve_platform(platform) if platform is not None else None
    with tempfile.TemporaryDirectory(prefix="evidence_annotate-package-") as work:
        folder = Path(work)
        times = default_still_times(plan, info)
        stills = write_stills(plan, info, folder / "stills", times)
        reserve = sum(p.stat().st_size for p in stills) * 2 + 256 * 1024
        budget = chosen
        if chosen is not None and chosen.max_bytes is not None:
            budget = replace(chosen, max_bytes=max(chosen.max_bytes - reserve, 1))
        video = folder / _safe(f"{info.path.stem}_evidence.mp4")
        result = deliver(plan, info, transcript, video, settings=settings, platform=budget,
                         fit=fit, progress=progress, speech_model=speech_model, sign=sign)
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
        return write_package(target, members,
                             max_bytes=chosen.max_bytes if chosen is not None else None,
                             platform=chosen.name if chosen is not None else "the platform",
                             inputs=plan_inputs(plan, info))
