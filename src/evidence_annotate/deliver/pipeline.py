"""Delivering an export: platform limits, ``fit=`` (split / trim), byte budgets, manifest.

[Evidence.export][evidence_annotate.evidence.Evidence.export] calls [deliver][]; the
arithmetic lives in [evidence_annotate.deliver.fit][], the encoding in
[evidence_annotate.deliver.export][].
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from ..errors import PlatformLimitError, RenderError
from ..geometry import output_size
from ..media import MediaInfo, media_url
from ..output import OutputSet, sha256_file
from ..plan import Plan
from ..platforms import Platform, resolve_platform
from ..render.run import die_with_parent, ffmpeg_exe
from ..render.settings import OUTPUT_FORMATS, EncodeSettings, auto_threads
from ..speech.transcript import Transcript
from ..validate import path_like
from .credentials import SIGNABLE, SigningIdentity, plan_actions, sign_video
from .export import ExportResult, plan_inputs, render_into
from .files import part_names, reserve
from .fit import budget_settings, part_plans, trimmed_plan
from .hashing import BackgroundHash
from .manifest import manifest_text, plan_to_dict, render_record, save_manifest_text

__all__ = ["FIT_MODES", "Fit", "check_platform", "deliver", "detect_silences", "fit_bytes"]

Fit = Literal["split", "trim", "speed"]
FIT_MODES: tuple[Fit, ...] = ("split", "trim", "speed")
_SILENCE = re.compile(r"silence_(start|end): (-?[0-9.]+)")


def detect_silences(info: MediaInfo, *, noise_db: float = -35.0,
                    min_seconds: float = 0.3) -> list[tuple[float, float]]:
    """Pauses in the chosen audio stream (source seconds), found with ffmpeg's silencedetect."""
    if info.audio_stream is None:
        return []
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", media_url(info.path), "-map",
         f"0:{info.audio_stream}", "-af", f"silencedetect=n={noise_db}dB:d={min_seconds}",
         "-f", "null", os.devnull], capture_output=True, text=True, check=False,
        preexec_fn=die_with_parent())
    spans: list[tuple[float, float]] = []
    start: float | None = None
    for kind, value in _SILENCE.findall(proc.stderr):
        if kind == "start":
            start = float(value)
        elif start is not None:
            spans.append((start + info.audio_start, float(value) + info.audio_start))
            start = None
    return spans


def _tags(info: MediaInfo, keep: Sequence[str]) -> tuple[tuple[str, str], ...]:
    if isinstance(keep, str) or not isinstance(keep, (list, tuple)) \
            or not all(isinstance(name, str) for name in keep):
        raise ValueError(f"keep_metadata={keep!r} must be a sequence of tag names, e.g. "
                         "('creation_time',)")
    kept = []
    for name in keep:
        value = info.tags.get(name)
        if value is None:
            for tags in info.stream_tags.values():
                value = tags.get(name, value)
        if value is not None:
            kept.append((name, value))
    return tuple(kept)


def _check_container(target: Path, platform: Platform) -> None:
    container = OUTPUT_FORMATS.get(target.suffix.lower(), ("", ""))[1]
    if platform.containers and container not in platform.containers:
        raise ValueError(f"{platform.name} accepts {', '.join(platform.containers)} files, not "
                         f"{target.suffix!r}; name the output e.g. {target.stem + '.mp4'!r}")


def _check_resolution(info: MediaInfo, platform: Platform) -> None:
    """Refuse, before encoding, a picture smaller than the platform's minimum.

    [check][evidence_annotate.platforms.check.check] would fail the file, and upscaling is
    no fix: it adds no detail for the reviewer to see, so export() never does it.
    """
    minimum = platform.min_resolution
    width, height = output_size(info.size)
    short = min(width, height)
    if minimum is None or short >= minimum:
        return
    raise PlatformLimitError(
        f"the video is {width}x{height} (short side {short} px) but {platform.name} needs at "
        f"least {minimum}p (short side >= {minimum} px); record it again at {minimum}p or "
        "higher (the camera's 720p/1080p setting) or export without platform= for a platform "
        "that takes it. export() does not upscale: a bigger picture would show no more detail",
        platform.name, "min_resolution", float(short), float(minimum))


def _fitted(plan: Plan, info: MediaInfo, tmp: Path, target: Path, platform: Platform | None,
            settings: EncodeSettings, progress: bool) -> tuple[ExportResult, EncodeSettings]:
    """Render one file into ``tmp``, under the platform's byte limit (verified, retried).

    Returns the result and the exact settings of the encode that was kept.
    """
    def render(chosen: EncodeSettings) -> ExportResult:
        return render_into(plan, info, tmp, target, settings=chosen, progress=progress)

    duration = plan.timeline(info.frame_rate, info.duration).duration
    return fit_bytes(render, info, duration, target, platform, settings)


def fit_bytes(render: Callable[[EncodeSettings], ExportResult], info: MediaInfo,
              duration: float, target: Path, platform: Platform | None,
              settings: EncodeSettings) -> tuple[ExportResult, EncodeSettings]:
    """Call ``render`` with settings that keep the file under the platform's byte limit.

    ``info`` describes the output's picture and sound (size, frame rate, audio) for the
    budget; an overshoot is retried with a lower bitrate, twice. Returns the result and the
    exact settings of the encode that was kept.
    """
    if platform is None or platform.max_bytes is None:
        return render(settings), settings
    scale = 1.0
    result: ExportResult | None = None
    for _attempt in range(3):
        budget = budget_settings(settings, platform, info, duration, scale_bits=scale)
        result = render(budget.settings)
        if result.size_bytes <= platform.max_bytes:
            return result, budget.settings
        scale *= platform.max_bytes * 0.92 / result.size_bytes
    assert result is not None
    raise RenderError(f"could not bring {target.name} under {platform.name}'s "
                      f"{platform.max_bytes:,} byte limit (last try: {result.size_bytes:,} "
                      "bytes); export fewer seconds with fit='split'")


def _signed(result: ExportResult, tmp: Path, plan: Plan, info: MediaInfo,
            identity: SigningIdentity) -> ExportResult:
    """Sign a finished file in place: the last step, after every remux."""
    signed = tmp.with_name(f"{tmp.stem}-signed{tmp.suffix}")
    try:
        sign_video(tmp, signed, identity, title=result.path.name, original=info.path,
                   actions=plan_actions(plan_to_dict(plan)))
        os.replace(signed, tmp)
    finally:
        signed.unlink(missing_ok=True)
    return replace(result, sha256=sha256_file(tmp), size_bytes=tmp.stat().st_size)


def check_platform(target: Path, info: MediaInfo, *, platform: str | Platform | None,
                   fit: str | None, manifest: bool, progress: bool,
                   sign: SigningIdentity | None) -> Platform | None:
    """Check an export's options before anything renders; return the resolved platform.

    ``info`` describes the output's picture (its size is checked against the platform's
    minimum resolution).

    Raises:
        PlatformLimitError: The picture is below the platform's minimum resolution.
        ValueError: Bad ``fit`` (or one without a platform), flags that are not booleans,
            ``sign`` with a container C2PA cannot sign, a container the platform refuses.
    """
    chosen = resolve_platform(platform) if platform is not None else None
    if fit is not None and fit not in FIT_MODES:
        raise ValueError(f"fit={fit!r} is not a fit mode; use one of {', '.join(FIT_MODES)} "
                         "(or None)")
    if fit is not None and chosen is None:
        raise ValueError(f"fit={fit!r} needs a platform whose limits to fit; pass e.g. "
                         "platform='aliexpress', or drop fit")
    if not isinstance(manifest, bool) or not isinstance(progress, bool):
        raise ValueError(f"manifest={manifest!r} and progress={progress!r} must be True or "
                         "False")
    if sign is not None and target.suffix.lower() not in SIGNABLE:
        raise ValueError(f"sign= needs an output named {' or '.join(SIGNABLE)}, not "
                         f"{target.suffix!r}; e.g. {target.stem + '.mp4'!r}")
    if chosen is not None:
        _check_container(target, chosen)
        _check_resolution(info, chosen)
    return chosen


def deliver(plan: Plan, info: MediaInfo, transcript: Transcript | None,
            target: str | os.PathLike[str], *, settings: EncodeSettings,
            platform: str | Platform | None = None, fit: Fit | None = None,
            keep_metadata: Sequence[str] = (), manifest: bool = True, progress: bool = True,
            speech_model: str | None = None,
            sign: SigningIdentity | None = None) -> ExportResult:
    """Export ``plan`` for a platform: check limits, split or trim, fit the bytes, hash.

    Every output name (parts and manifest) is checked before anything is rendered, and the
    files replace any previous ones together at the end: on any failure, Ctrl+C, SIGTERM or
    SIGHUP, the previous files stay exactly as they were and no temporary file is left.

    Args:
        plan: The plan to render.
        info: The probed source.
        transcript: The transcript (split points avoid cutting words), if any.
        target: The output path; split parts are named ``<stem>_part<i><suffix>``.
        settings: Encoder settings.
        platform: A platform name or [Platform][evidence_annotate.platforms.Platform].
        fit: ``"split"`` or ``"trim"`` when the output is longer than the platform allows
            (``"speed"`` is made by the storyboard renderer, see
            [deliver_program][evidence_annotate.deliver.board.deliver_program]).
        keep_metadata: Source tags to keep (e.g. ``("creation_time",)``); all others go.
        manifest: Write ``<output>.manifest.json`` beside the output.
        progress: Show progress bars.
        speech_model: The model that made the transcript, for the manifest.
        sign: Sign every output with content credentials (C2PA) as the last step; the
            manifest then hashes the signed files.

    Returns:
        The [ExportResult][evidence_annotate.deliver.export.ExportResult] (``paths`` lists every
        part).

    Raises:
        OutputError: An output name is unusable (the input, a folder, too long, unwritable),
            or a disk or the temporary folder is full
            ([NoSpaceError][evidence_annotate.errors.NoSpaceError]).
        PlatformLimitError: Too long for the platform and no ``fit`` chosen, the picture is
            below the platform's minimum resolution, or the budget cannot be met.
        RenderError: ffmpeg failed or wrote something that does not match the plan.
        ValueError: Bad ``fit``, a container the platform does not accept, or ``sign`` with
            a container C2PA cannot sign.
    """
    target = path_like(target, "path")
    if fit == "speed" or plan.edits:
        raise ValueError(f"{'fit=speed' if fit == 'speed' else 'freeze()/speed()'} is "
                         "rendered by the storyboard renderer; call Evidence.export(...) or "
                         "Storyboard.export(...) (packages of time-edited clips are not "
                         "available yet)")
    chosen = check_platform(target, info, platform=platform, fit=fit, manifest=manifest,
                            progress=progress, sign=sign)
    settings = replace(settings, metadata=_tags(info, keep_metadata),
                       threads=settings.threads or auto_threads())
    plans, names = [plan], [target]
    length = plan.timeline(info.frame_rate, info.duration).duration
    if chosen is not None and chosen.max_seconds is not None and length > chosen.max_seconds:
        if fit is None:
            raise PlatformLimitError(
                f"the export lasts {length:.1f} s but {chosen.name} accepts at most "
                f"{chosen.max_seconds:g} s per video; pass fit='split' for numbered parts, "
                "fit='trim' to keep the first seconds or fit='speed' to play the stretches "
                "without speech or annotations faster (or shorten it with Evidence.trim())",
                chosen.name, "max_seconds", length, chosen.max_seconds)
        if fit == "trim":
            plans = [trimmed_plan(plan, info, chosen, transcript)]
        else:
            no_words = transcript is None and plan.captions is None
            plans = part_plans(plan, info, chosen, transcript,
                               detect_silences(info) if no_words else ())
            names = part_names(target, len(plans))
    # Every name is checked before anything is rendered; the files appear together at the end.
    with OutputSet(inputs=plan_inputs(plan, info)) as outputs, contextlib.ExitStack() as stack:
        temps, manifest_path, manifest_tmp = reserve(outputs, names, target, manifest)
        # The input is hashed for the manifest while ffmpeg encodes.
        source_hash = (stack.enter_context(BackgroundHash(info.path))
                       if manifest_path is not None else None)
        encodes = [_fitted(part, info, tmp, name, chosen, settings, progress)
                   for part, tmp, name in zip(plans, temps, names, strict=True)]
        results = [result for result, _ in encodes]
        if sign is not None:
            results = [_signed(r, tmp, plan, info, sign) for r, tmp in zip(results, temps,
                                                                              strict=True)]
        if manifest_path is not None and manifest_tmp is not None and source_hash is not None:
            record: dict[str, Any] = {"platform": chosen.name if chosen else None, "fit": fit,
                                      "keep_metadata": list(keep_metadata), "encoder": settings,
                                      "parts": [r.path.name for r in results]}
            digests = {tmp: r.sha256 for tmp, r in zip(temps, results, strict=True)}
            digests[info.path] = source_hash.result()
            text = manifest_text(manifest_path, source=info, outputs=names, plan=plan,
                                 settings=record, transcript_model=speech_model,
                                 contents=dict(zip(names, temps, strict=True)),
                                 transcript=transcript, digests=digests,
                                 render=render_record(
                                     [(name.name, part, used) for name, part, (_, used)
                                      in zip(names, plans, encodes, strict=True)]))
            save_manifest_text(manifest_tmp, manifest_path, text)
    first = results[0]
    return replace(first, paths=tuple(r.path for r in results), manifest=manifest_path)
