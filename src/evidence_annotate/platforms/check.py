"""Checking a finished file against a platform's upload limits: [check][] and its Report.

Every finding carries the measured value, the platform's limit and, for problems, the call
that fixes it, so a user can act on the report without reading documentation.

Example:
    >>> import evidence_annotate as ea
    >>> report = ea.check("evidence.mp4", platform="aliexpress")     # doctest: +SKIP
    >>> report.ok, [p.code for p in report.problems]                 # doctest: +SKIP
    (False, ['duration'])
    >>> print(report)                                                # doctest: +SKIP
    evidence.mp4 for aliexpress: NOT OK (1 problem, 0 warnings)
      FAIL duration: 20 s is over the aliexpress limit of 15 s; fix: export(..., ...)
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import av

from ..media import MediaInfo, media_url, probe
from . import Platform, resolve_platform

__all__ = ["Finding", "Report", "check", "container_name", "grade_resolution"]

# PyAV's demuxer names, mapped to the names platforms list (the mov demuxer reads mp4 too).
_DEMUXERS = {"matroska,webm": "mkv", "avi": "avi", "flv": "flv", "mpeg": "mpeg",
             "mpegts": "ts", "asf": "wmv", "ogg": "ogg", "3gp": "3gp"}
_MOV_DEMUXER = "mov,mp4,m4a,3gp,3g2,mj2"


@dataclass(frozen=True)
class Finding:
    """One result of a check.

    Attributes:
        code: What was checked: ``"container"``, ``"video_codec"``, ``"audio_codec"``,
            ``"duration"``, ``"size"``, ``"resolution"``, ``"recommended_resolution"``,
            ``"audio"``, ``"rotation"`` or ``"vfr"``.
        message: A sentence naming the measured value, the limit and (for problems) the fix.
        measured: The measured value (seconds, bytes, pixels of the short side, a name).
        limit: The platform's limit (same unit), or ``None``.
        fix: The call or action that fixes it, or ``None``.

    Example:
        >>> Finding("duration", "20 s is over the limit of 15 s", 20.0, 15.0).limit
        15.0
    """

    code: str
    message: str
    measured: float | str | None = None
    limit: float | str | None = None
    fix: str | None = None


@dataclass(frozen=True)
class Report:
    """The result of [check][]: problems block an upload, warnings and info do not.

    Attributes:
        path: The checked file.
        platform: The platform it was checked against.
        problems: Limits the file breaks (the upload would be refused).
        warnings: Things that weaken the evidence (low resolution, no sound).
        info: Facts worth knowing (rotation, variable frame rate).
        passed: Limits the file meets, with the measured value.

    Example:
        >>> from evidence_annotate.platforms import Platform
        >>> Report(Path("a.mp4"), Platform("x")).ok
        True
    """

    path: Path
    platform: Platform
    problems: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    info: tuple[Finding, ...] = ()
    passed: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no limit is broken (warnings and info do not count)."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary of the report.

        Example:
            >>> from evidence_annotate.platforms import Platform
            >>> Report(Path("a.mp4"), Platform("x")).to_dict()["ok"]
            True
        """
        return {
            "path": str(self.path),
            "platform": self.platform.name,
            "ok": self.ok,
            **{kind: [asdict(f) for f in getattr(self, kind)]
               for kind in ("problems", "warnings", "info", "passed")},
        }

    def __str__(self) -> str:
        verdict = "OK" if self.ok else "NOT OK"
        counts = (f"{len(self.problems)} problem{'s' * (len(self.problems) != 1)}, "
                  f"{len(self.warnings)} warning{'s' * (len(self.warnings) != 1)}")
        lines = [f"{self.path.name} for {self.platform.name}: {verdict} ({counts})"]
        for mark, kind in (("FAIL", self.problems), ("WARN", self.warnings), ("ok  ", self.passed),
                           ("info", self.info)):
            lines.extend(f"  {mark} {f.code}: {f.message}" for f in kind)
        return "\n".join(lines)


def container_name(path: str | os.PathLike[str]) -> str:
    """The container of a file as platforms name it (``"mp4"``, ``"mov"``, ``"mkv"``, ...).

    PyAV's ``mov,mp4,...`` demuxer reads MP4, MOV and 3GP alike; the file's major brand tells
    them apart (``qt`` = MOV, ``3gp``/``3g2`` = 3GP, anything else = MP4).

    Args:
        path: A media file that PyAV can open.

    Returns:
        The container's short name.

    Example:
        >>> container_name("clip.mp4")          # doctest: +SKIP
        'mp4'
    """
    with av.open(media_url(path)) as container:
        demuxer = str(container.format.name)
        brand = str(container.metadata.get("major_brand", ""))
    brand = brand.strip().lower()
    if demuxer == _MOV_DEMUXER:
        if brand.startswith("qt"):
            return "mov"
        return "3gp" if brand.startswith("3g") else "mp4"
    if demuxer == "matroska,webm":
        return "webm" if Path(path).suffix.lower() == ".webm" else "mkv"
    return _DEMUXERS.get(demuxer, demuxer)


def _num(value: float) -> str:
    """``20.0`` -> ``"20"``, ``14.52`` -> ``"14.5"``."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _mb(size: float) -> str:
    """Decimal megabytes, as platforms count them (kB below one MB)."""
    if size < 1_000_000:
        return f"{_num(size / 1000)} kB"
    return f"{_num(size / 1_000_000)} MB"


def _platform_arg(platform: Platform) -> str:
    """How a user passes this platform to export(): its name when it is the built-in one."""
    if platform.builtin and platform == Platform.load(platform.name):
        return f'"{platform.name}"'
    return "your_platform"


def grade_resolution(short: int, shown: str, platform: Platform, *, below_minimum: str,
                     below_recommended: str) -> tuple[str, Finding]:
    """Where a picture's short side stands against ``platform``'s resolutions.

    Returns:
        ``("problems" | "warnings" | "passed", finding)``: below the minimum, below the
        recommendation, or fine; ``shown`` names the picture, the fixes are the caller's.

    Example:
        >>> from evidence_annotate.platforms import Platform
        >>> grade_resolution(480, "480p", Platform.load("aliexpress"), below_minimum="m",
        ...                  below_recommended="r")[0]
        'warnings'
    """
    p = platform
    if p.min_resolution is not None and short < p.min_resolution:
        return "problems", Finding(
            "resolution", f"{shown} is below the {p.name} minimum of {p.min_resolution}p; "
            f"fix: {below_minimum}", short, p.min_resolution, below_minimum)
    if p.recommended_resolution is not None and short < p.recommended_resolution:
        return "warnings", Finding(
            "recommended_resolution", f"{shown} is below the {p.name} recommendation of "
            f"{p.recommended_resolution}p; fix: {below_recommended}", short,
            p.recommended_resolution, below_recommended)
    return "passed", Finding("resolution", shown, short,
                             p.recommended_resolution or p.min_resolution)


class _Checker:
    """Collects findings for one file and one platform."""

    def __init__(self, info: MediaInfo, container: str, platform: Platform) -> None:
        self.info = info
        self.container = container
        self.platform = platform
        self.arg = _platform_arg(platform)
        self.problems: list[Finding] = []
        self.warnings: list[Finding] = []
        self.info_: list[Finding] = []
        self.passed: list[Finding] = []

    @property
    def reencode(self) -> str:
        return f'ea.open("{self.info.path.name}").export("evidence.mp4", platform={self.arg})'

    def problem(self, code: str, text: str, measured: float | str, limit: float | str,
                fix: str) -> None:
        self.problems.append(Finding(code, f"{text}; fix: {fix}", measured, limit, fix))

    def formats(self) -> None:
        p, name = self.platform, self.platform.name
        items: list[tuple[str, str | None, tuple[str, ...], str]] = [
            ("container", self.container, p.containers, "container"),
            ("video_codec", self.info.video_codec, p.video_codecs, "video codec"),
        ]
        if self.info.has_audio:
            items.append(("audio_codec", self.info.audio_codec, p.audio_codecs, "audio codec"))
        for code, value, accepted, what in items:
            shown = value or "unknown"
            if not accepted or shown in accepted:
                self.passed.append(Finding(code, f"{what} {shown} is accepted", shown,
                                           "/".join(accepted) or None))
                continue
            self.problem(code, f"{what} {shown} is not accepted by {name} (accepted: "
                         f"{', '.join(accepted)})", shown, "/".join(accepted),
                         f"re-encode to MP4 H.264/AAC with {self.reencode}")

    def _limit(self, code: str, measured: float, limit: float | None, shown: str,
               allowed: str, fix: str) -> None:
        if limit is None:
            return
        if measured > limit:
            self.problem(code, f"{code} {shown} is over the {self.platform.name} limit of "
                         f"{allowed}", measured, limit, fix)
        else:
            self.passed.append(Finding(code, f"{shown} is within {allowed}", measured, limit))

    def limits(self) -> None:
        p, info = self.platform, self.info
        self._limit("duration", info.duration, p.max_seconds, f"{_num(info.duration)} s",
                    f"{_num(p.max_seconds or 0)} s",
                    f"export(..., platform={self.arg}, fit=\"split\") to write parts of at most "
                    f"{_num(p.max_seconds or 0)} s, or fit=\"trim\" to keep the first seconds")
        self._limit("size", info.size_bytes, p.max_bytes,
                    f"{_mb(info.size_bytes)} ({info.size_bytes} bytes)",
                    f"{_mb(p.max_bytes or 0)} ({p.max_bytes} bytes)",
                    f"export(..., platform={self.arg}) re-encodes in two passes to fit "
                    f"{_mb(p.max_bytes or 0)}; add fit=\"split\" if it is also too long")

    def resolution(self) -> None:
        p, info = self.platform, self.info
        short = min(info.width, info.height)
        kind, finding = grade_resolution(
            short, f"resolution {info.width}x{info.height} (short side {short} px)", p,
            below_minimum=f"record again at {p.min_resolution}p or higher (the phone camera's "
                          "720p/1080p setting); upscaling adds no detail",
            below_recommended=f"record at {p.recommended_resolution}p or higher if you can")
        getattr(self, kind).append(finding)

    def extras(self) -> None:
        info = self.info
        if not info.has_audio:
            fix = ("record with sound to narrate the problem, or explain it on screen with "
                   ".text(...) callouts")
            self.warnings.append(Finding("audio", f"no audio track; fix: {fix}", None, None, fix))
        if info.rotation:
            self.info_.append(Finding(
                "rotation", f"stored rotated by {info.rotation} degrees and shown as "
                f"{info.width}x{info.height}; players apply the rotation, and export() writes "
                "the picture upright", float(info.rotation)))
        if info.vfr:
            self.info_.append(Finding(
                "vfr", f"variable frame rate ({_num(info.fps)} fps on average), normal for "
                "phone video; the real frame times are kept", info.fps))


def check(path: str | os.PathLike[str], platform: str | Platform = "generic") -> Report:
    """Check a video file against a platform's upload limits.

    Problems (the upload would be refused): container, video or audio codec not accepted,
    too long, too big, short side below the minimum resolution. Warnings: below the
    recommended resolution, no audio. Info: rotation stored as metadata, variable frame rate.

    Args:
        path: The file to check (usually an export).
        platform: A built-in platform name (see [platforms][evidence_annotate.platforms.platforms])
            or a [Platform][evidence_annotate.platforms.Platform].

    Returns:
        The [Report][]; ``report.ok`` is False when any limit is broken.

    Raises:
        InputError: The file is missing, empty or not readable as video.
        ValueError: Unknown platform name.

    Example:
        >>> import evidence_annotate as ea
        >>> ea.check("evidence.mp4", platform="aliexpress").ok    # doctest: +SKIP
        True
    """
    target = resolve_platform(platform)
    info = probe(path)
    checker = _Checker(info, container_name(info.path), target)
    checker.formats()
    checker.limits()
    checker.resolution()
    checker.extras()
    return Report(info.path, target, tuple(checker.problems), tuple(checker.warnings),
                  tuple(checker.info_), tuple(checker.passed))
