"""Checking a storyboard against a platform BEFORE it is exported: [check_program][].

The same [Report][evidence_annotate.platforms.check.Report] as
[check][evidence_annotate.platforms.check.check] gives for a file, predicted from the
program: the export's container and codecs, its duration (and whether ``fit="speed"``
would reach the limit), the canvas resolution, and whether it has sound. The byte size is
not known before the encode; the export meets the byte limit itself (two passes).

Example:
    >>> board.check("aliexpress").ok              # doctest: +SKIP
    False
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PlatformLimitError
from ..platforms import Platform, resolve_platform
from ..platforms.check import Finding, Report, grade_resolution
from ..render.program import Program
from .speedfit import speed_to_fit

__all__ = ["check_program"]

_CODECS = (("container", "mp4", "containers", "container"),
           ("video_codec", "h264", "video_codecs", "video codec"),
           ("audio_codec", "aac", "audio_codecs", "audio codec"))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Findings:
    def __init__(self) -> None:
        self.problems: list[Finding] = []
        self.warnings: list[Finding] = []
        self.info: list[Finding] = []
        self.passed: list[Finding] = []

    def report(self, path: Path, platform: Platform) -> Report:
        return Report(path, platform, tuple(self.problems), tuple(self.warnings),
                      tuple(self.info), tuple(self.passed))


def _duration(found: _Findings, program: Program, platform: Platform, arg: str) -> None:
    limit, length = platform.max_seconds, program.duration
    if limit is None:
        return
    if length <= limit:
        found.passed.append(Finding("duration", f"{_num(length)} s is within {_num(limit)} s",
                                    length, limit))
        return
    try:
        fitted = speed_to_fit(program, platform, alternatives="fit='trim'")
        fix = (f'export(..., platform={arg}, fit="speed") plays the quiet stretches faster '
               f"({_num(fitted.duration)} s), or fit=\"trim\" keeps the first seconds")
    except PlatformLimitError as err:
        fix = (f'fit="speed" cannot reach it ({str(err).split("; ", 1)[1]}); use '
               f'fit="trim", or shorten segments with trim()/cut()')
    found.problems.append(Finding(
        "duration", f"duration {_num(length)} s is over the {platform.name} limit of "
        f"{_num(limit)} s; fix: {fix}", length, limit, fix))


def _resolution(found: _Findings, program: Program, platform: Platform) -> None:
    width, height = program.size
    short = min(width, height)
    kind, finding = grade_resolution(
        short, f"canvas {width}x{height} (short side {short} px)", platform,
        below_minimum=f"give the board a larger canvas, storyboard(..., size=...) with a short "
                      f"side of at least {platform.min_resolution} px, or use sources recorded "
                      f"at {platform.min_resolution}p",
        below_recommended=f"use sources recorded at {platform.recommended_resolution}p or "
                          "higher")
    getattr(found, kind).append(finding)


def check_program(program: Program, platform: str | Platform = "generic") -> Report:
    """What [check][evidence_annotate.platforms.check.check] would say of the program's export.

    Args:
        program: The storyboard's program.
        platform: A built-in platform name or a
            [Platform][evidence_annotate.platforms.Platform].

    Returns:
        A [Report][evidence_annotate.platforms.check.Report] whose ``path`` is
        ``storyboard.mp4``; a ``duration`` problem says whether ``fit="speed"`` reaches the
        limit; the byte size is left to the export (``info`` says so).

    Raises:
        ValueError: Unknown platform name.
    """
    chosen = resolve_platform(platform)
    arg = f'"{chosen.name}"' if chosen.builtin else "your_platform"
    found = _Findings()
    for code, value, field, what in _CODECS:
        accepted: tuple[str, ...] = getattr(chosen, field)
        if code == "audio_codec" and not program.has_audio:
            continue
        if accepted and value not in accepted:
            fix = f"export to a file the platform takes and convert it ({', '.join(accepted)})"
            found.problems.append(Finding(code, f"{what} {value} is not accepted by "
                                          f"{chosen.name} (accepted: {', '.join(accepted)}); "
                                          f"fix: {fix}", value, "/".join(accepted), fix))
        else:
            found.passed.append(Finding(code, f"{what} {value} is accepted", value,
                                        "/".join(accepted) or None))
    _duration(found, program, chosen, arg)
    _resolution(found, program, chosen)
    if not program.has_audio:
        fix = "add a clip with narration, or explain on screen with slides and .text(...)"
        found.warnings.append(Finding("audio", f"no segment has sound; fix: {fix}", None, None,
                                      fix))
    if chosen.max_bytes is not None:
        found.info.append(Finding(
            "size", f"the export meets {chosen.name}'s limit of {chosen.max_bytes} bytes "
            "itself (two passes, a lower resolution if needed)", None, chosen.max_bytes))
    return found.report(Path("storyboard.mp4"), chosen)
