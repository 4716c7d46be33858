"""Delivering a [Program][evidence_annotate.render.program.Program]: limits, fit, bytes.

The same checks and guarantees as a single clip's
[deliver][evidence_annotate.deliver.pipeline.deliver] (platform container and
resolution, byte budget with two-pass retries, atomic outputs, the manifest), for a
storyboard: ``fit="speed"`` plays quiet stretches faster
([evidence_annotate.deliver.speedfit][]), ``fit="trim"`` keeps the first seconds.

Example:
    >>> board.export("evidence.mp4", platform="aliexpress", fit="speed")   # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import PlatformLimitError
from ..media import MediaInfo
from ..media.still import still_info
from ..output import OutputSet
from ..plan import Plan
from ..render.graph import ExportJob
from ..render.program import Program
from ..render.program_graph import compile_program
from ..render.run import ffmpeg_exe
from ..render.settings import EncodeSettings
from ..serial import to_plain
from ..validate import path_like
from .board_sign import sign_program
from .board_split import split_program
from .board_text import program_transcript
from .credentials import SigningIdentity
from .export import ExportResult, render_job
from .files import part_names, reserve
from .manifest import _file_record, _input_location, manifest_text, plan_to_dict, save_manifest_text
from .pipeline import _tags, check_platform, fit_bytes
from .speedfit import speed_to_fit, trimmed_program

__all__ = ["deliver_program", "fitted_program", "program_inputs", "summary_info"]


def summary_info(program: Program) -> MediaInfo:
    """A [MediaInfo][evidence_annotate.media.MediaInfo] describing the program's OUTPUT.

    Its size, frame rate, duration and sound are what byte budgets and resolution checks
    look at.
    """
    info = still_info(program.parts[0].info.path, program.size, program.duration, program.rate)
    return replace(info, has_audio=program.has_audio)


def program_inputs(program: Program) -> tuple[Path, ...]:
    """Every file the program reads (clips, images, caption files): none may be replaced."""
    paths = [part.info.path for part in program.parts if part.kind != "slide"]
    paths += [part.plan.captions.source for part in program.parts
              if part.plan.captions is not None and part.plan.captions.source is not None]
    return tuple(dict.fromkeys(paths))


def _segments(program: Program, folder: Path) -> list[dict[str, Any]]:
    records = []
    for part, frames in zip(program.parts, program.frames, strict=True):
        source = None
        if part.kind != "slide":
            source = _file_record(part.info.path, part.info.path.name)
            source["path"] = _input_location(part.info.path, folder)
        records.append({"kind": part.kind, "input": source,
                        "seconds": round(float(frames / program.rate), 6),
                        "plan": plan_to_dict(part.plan),
                        "edits": [{"edit": type(e).__name__.lower(), **to_plain(e)}
                                  for e in part.plan.edits]})
    return records


def _manifest(path: Path, program: Program, names: Sequence[Path], temps: Sequence[Path],
              record: dict[str, Any], digests: dict[Path, str]) -> str:
    files = [part.info for part in program.parts if part.kind != "slide"]
    # the first file read is the manifest's input; a board of slides only reads none
    source = files[0] if files else replace(program.parts[0].info, path=temps[0])
    text = manifest_text(path, source=source, outputs=names,
                         plan=Plan(title_card=program.card), settings=record,
                         contents=dict(zip(names, temps, strict=True)),
                         transcript=program_transcript(program), digests=digests)
    document = json.loads(text)
    if not files:
        document["input"] = None
    document["segments"] = _segments(program, path.parent)
    document["canvas"] = {"width": program.size[0], "height": program.size[1],
                          "fps": str(program.rate), "background": program.background}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def fitted_program(program: Program, chosen: Any, fit: str | None) -> Program:
    """The program made to fit ``chosen``'s duration by ``fit`` (unchanged when it fits).

    Raises:
        PlatformLimitError: Too long and no ``fit``, or the fit cannot reach the limit.
        ValueError: Not a fit mode.
    """
    limit = chosen.max_seconds if chosen is not None else None
    length = program.duration
    if limit is None or length <= limit:
        return program
    others = "fit='split' or fit='trim'"
    if fit is None:
        raise PlatformLimitError(
            f"the export lasts {length:.1f} s but {chosen.name} accepts at most {limit:g} s "
            f"per video; pass fit='speed' to play quiet stretches faster, {others}, or "
            "shorten segments with trim()/cut()", chosen.name, "max_seconds", length, limit)
    if fit == "speed":
        return speed_to_fit(program, chosen, alternatives=others)
    if fit == "trim":
        return trimmed_program(program, chosen)
    if fit == "split":
        return program  # split_program cuts it into parts
    raise ValueError(f"fit={fit!r} is not a fit mode; use fit='speed', 'trim' or 'split'")


def deliver_program(program: Program, target: str | os.PathLike[str], *,
                    settings: EncodeSettings, platform: Any = None, fit: str | None = None,
                    keep_metadata: Sequence[str] = (), manifest: bool = True,
                    progress: bool = True,
                    sign: SigningIdentity | None = None) -> ExportResult:
    """Export a program for a platform, atomically, with its manifest.

    Args:
        program: What to render.
        target: The output file (``.mp4``, ``.m4v``, ``.mov`` or ``.mkv``).
        settings: Encoder settings.
        platform: A platform name or [Platform][evidence_annotate.platforms.Platform].
        fit: When the program is longer than the platform allows: ``"speed"`` plays quiet
            stretches faster, ``"trim"`` keeps the first seconds, ``"split"`` writes
            numbered parts ``<name>_part1.mp4``, ... each within the limit (see
            [split_program][evidence_annotate.deliver.board_split.split_program]).
        keep_metadata: Tags of the first clip to keep (e.g. ``("creation_time",)``).
        manifest: Write ``<output>.manifest.json`` (inputs, segments, plans, hashes).
        progress: Show progress bars.
        sign: Sign the video with content credentials (C2PA) as the last step, every
            source (clips and photos) recorded as an ingredient; the manifest then hashes
            the signed file.

    Returns:
        The [ExportResult][evidence_annotate.deliver.export.ExportResult].

    Raises:
        OutputError: The output would replace an input, a folder, or cannot be written.
        PlatformLimitError: Too long (no fit, or the fit cannot reach the limit), or below
            the platform's minimum resolution, or the byte budget cannot be met.
        RenderError: ffmpeg failed or wrote something that does not match the program.
        ValueError: Bad options.
    """
    target = path_like(target, "path")
    chosen = check_platform(target, summary_info(program), platform=platform, fit=fit,
                            manifest=manifest, progress=progress, sign=sign)
    clips = [part.info for part in program.parts if part.kind == "clip"]
    tags = _tags(clips[0], keep_metadata) if clips else _tags(program.parts[0].info,
                                                                keep_metadata)
    settings = replace(settings, metadata=tags)
    program = fitted_program(program, chosen, fit)
    pieces = split_program(program, chosen) if fit == "split" and chosen else [program]
    names = part_names(target, len(pieces))

    with OutputSet(inputs=program_inputs(program)) as outputs:
        temps, manifest_path, manifest_tmp = reserve(outputs, names, target, manifest)
        results = [_encode(piece, tmp, name, chosen, settings, progress, sign)
                   for piece, tmp, name in zip(pieces, temps, names, strict=True)]
        if manifest_path is not None and manifest_tmp is not None:
            record: dict[str, Any] = {"platform": chosen.name if chosen else None, "fit": fit,
                                      "keep_metadata": list(keep_metadata), "encoder": settings,
                                      "parts": [name.name for name in names]}
            text = _manifest(manifest_path, program, names, temps, record,
                             {tmp: r.sha256 for tmp, r in zip(temps, results, strict=True)})
            save_manifest_text(manifest_tmp, manifest_path, text)
    return replace(results[0], paths=tuple(names), manifest=manifest_path)


def _encode(program: Program, tmp: Path, target: Path, chosen: Any,
            settings: EncodeSettings, progress: bool,
            sign: SigningIdentity | None) -> ExportResult:
    """Render one program into ``tmp`` (meeting the byte budget), signed if asked."""

    def compile_job(output: Path, work: Path, chosen_settings: EncodeSettings,
                    pass_number: int | None) -> ExportJob:
        return compile_program(program, output, work, settings=chosen_settings,
                               ffmpeg=ffmpeg_exe(), pass_number=pass_number)

    def render(chosen_settings: EncodeSettings) -> ExportResult:
        return render_job(compile_job, tmp, target, settings=chosen_settings,
                          progress=progress, tolerance=max(0.1, 2 / float(program.rate)))

    result, _ = fit_bytes(render, summary_info(program), program.duration, target, chosen,
                          settings)
    return sign_program(result, tmp, program, sign) if sign is not None else result
