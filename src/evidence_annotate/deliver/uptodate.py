"""Is an export already done? Its manifest answers: same input bytes, plan, settings, version.

A batch re-run skips a job only when everything it would produce is already there and
provably the same: the manifest beside the output verifies (every output's SHA-256), the
input's SHA-256 is the one recorded, the plan and the export settings recorded are the ones
asked for, and the library version is this one. Anything else means "do it again".

Example:
    >>> from evidence_annotate.render.settings import EncodeSettings
    >>> stale_reason(Path("evidence.mp4"), info=ev.info, plan=ev.plan,   # doctest: +SKIP
    ...              settings=EncodeSettings(), platform="aliexpress")
    'the input changed since the last export (its SHA-256 differs from the manifest)'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import InputError
from ..media import MediaInfo, probe
from ..plan import Plan
from ..platforms import Platform, resolve_platform
from ..render.settings import EncodeSettings
from .export import ExportResult
from .manifest import plan_to_dict
from .verify import read_manifest, verify

__all__ = ["manifest_path", "recorded_result", "stale_reason"]

_ENCODER_KEYS = ("crf", "preset", "audio_bitrate")


def manifest_path(target: Path) -> Path:
    """Where the export of ``target`` writes its manifest.

    Example:
        >>> manifest_path(Path("out/evidence.mp4")).as_posix()
        'out/evidence.mp4.manifest.json'
    """
    return target.with_name(target.name + ".manifest.json")


def _plain(value: Any) -> Any:
    """Data as it reads back from JSON (tuples become lists, keys text)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def _requested(settings: EncodeSettings, platform: str | Platform | None, fit: str | None,
               keep_metadata: Sequence[str]) -> dict[str, Any]:
    name = resolve_platform(platform).name if platform is not None else None
    return {"platform": name, "fit": fit, "keep_metadata": list(keep_metadata),
            **{key: getattr(settings, key) for key in _ENCODER_KEYS}}


def _recorded(data: dict[str, Any]) -> dict[str, Any]:
    settings = data.get("settings") or {}
    encoder = settings.get("encoder") or {}
    return {"platform": settings.get("platform"), "fit": settings.get("fit"),
            "keep_metadata": settings.get("keep_metadata"),
            **{key: encoder.get(key) for key in _ENCODER_KEYS}}


def stale_reason(target: Path, *, info: MediaInfo, plan: Plan, settings: EncodeSettings,
                 platform: str | Platform | None = None, fit: str | None = None,
                 keep_metadata: Sequence[str] = ()) -> str | None:
    """Why the export of ``plan`` to ``target`` must run (``None``: it is done and verified).

    Args:
        target: The output the export would write (its manifest lies beside it).
        info: The probed input, as it is now.
        plan: The plan the export would render.
        settings: The encoder settings asked for (``crf``, ``preset``, ``audio_bitrate``).
        platform: The platform asked for, if any.
        fit: The fit mode asked for, if any.
        keep_metadata: The source tags asked to be kept.

    Returns:
        ``None`` when the manifest verifies and records this input (by SHA-256), plan,
        settings and library version; otherwise what differs, in a few words.

    Example:
        >>> stale_reason(Path("/nowhere/evidence.mp4"), info=ev.info,   # doctest: +SKIP
        ...              plan=ev.plan, settings=EncodeSettings())
        'no manifest yet'
    """
    manifest = manifest_path(target)
    if not manifest.is_file():
        return "no manifest yet"
    try:
        data = read_manifest(manifest)
    except InputError:
        return "the manifest is unreadable"
    version = (data.get("library") or {}).get("version")
    if version != __version__:
        return f"made by version {version} (this is {__version__})"
    if data.get("plan") != _plain(plan_to_dict(plan)):
        return "the plan changed"
    if _recorded(data) != _plain(_requested(settings, platform, fit, keep_metadata)):
        return "the export settings changed"
    check = verify(manifest, source=info.path)
    source, outputs = check.files[0], check.files[1:]
    if not source.ok:
        return "the input changed (its SHA-256 differs from the manifest's)"
    broken = [f.name for f in outputs if not f.ok]
    if broken:
        return f"an output is missing or changed ({', '.join(broken)})"
    return None


def recorded_result(target: Path) -> ExportResult:
    """The [ExportResult][] of an export already done, from its manifest (probed again).

    Args:
        target: The output (its manifest lies beside it and verifies).

    Returns:
        The result as the export returned it (size, duration, SHA-256, parts, manifest).

    Example:
        >>> recorded_result(Path("out/evidence.mp4")).sha256[:8]  # doctest: +SKIP
        '3f2a9c0d'
    """
    manifest = manifest_path(target)
    data = read_manifest(manifest)
    paths = tuple(manifest.parent / entry["name"] for entry in data["outputs"])
    first = data["outputs"][0]
    written = probe(paths[0])
    return ExportResult(paths[0], int(first["size_bytes"]), written.duration, first["sha256"],
                        paths, written.width, written.height, manifest)
