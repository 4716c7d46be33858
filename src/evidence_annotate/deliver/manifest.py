"""The integrity manifest: what was made, from what, how, and the SHA-256 of every file.

An export writes ``<output>.manifest.json`` beside the output. It records the library version,
the UTC creation time, the input's path, size, SHA-256 and original capture time, every output's
name (relative to the manifest's folder), size and SHA-256, the plan (every layer, the title
card, where captions came from) and the export settings. :func:`verify` re-hashes the files
later, e.g. before uploading or when a platform asks whether the video was edited.

Example:
    >>> from evidence_annotate.deliver.manifest import verify
    >>> result = verify("evidence.mp4.manifest.json")                  # doctest: +SKIP
    >>> result.ok, [(f.name, f.ok) for f in result.files]               # doctest: +SKIP
    (True, [('unboxing.mp4', True), ('evidence.mp4', True)])
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .._version import __version__
from ..errors import InputError, OutputError
from ..media import MediaInfo, capture_time
from ..output import atomic_output, sha256_file
from ..plan import Plan
from ..serial import to_plain

__all__ = [
    "SCHEMA",
    "FileCheck",
    "Verification",
    "capture_time",
    "plan_to_dict",
    "read_manifest",
    "verify",
    "write_manifest",
]

SCHEMA = "evidence_annotate.manifest/1"
"""The ``schema`` value of the manifests this version writes and reads."""


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data.

    Layers keep their order and are each kind's
    :meth:`~evidence_annotate.overlays.base.Overlay.to_dict`: a ``kind`` (``"box"``,
    ``"arrow"``, ...), ``start``/``end`` in source seconds (``end`` ``None`` = until the end),
    coordinates as ``{"x", "y"[, "w", "h"]}`` and styles as nested dictionaries. Captions are
    recorded by origin, number of cues, the SHA-256 of their cues, style and karaoke.

    Args:
        plan: The plan.

    Returns:
        ``{"layers": [...], "title_card": {...} | None, "captions": {...} | None}``.

    Example:
        >>> from evidence_annotate.overlays import Box
        >>> from evidence_annotate.timing import Span
        >>> from evidence_annotate.geometry import Rect
        >>> data = plan_to_dict(Plan(layers=(Box(Rect(1, 2, 3, 4), Span(0.5, 2.0)),)))
        >>> data["layers"][0]["kind"], data["layers"][0]["rect"], data["layers"][0]["end"]
        ('box', {'x': 1, 'y': 2, 'w': 3, 'h': 4}, 2.0)
    """
    captions = None
    if plan.captions is not None:
        track = plan.captions
        cues = json.dumps([c.to_dict() for c in track.cues], ensure_ascii=False,
                          sort_keys=True) + (track.styled or "")
        captions = {
            "origin": track.origin,
            "events": len(track.cues),
            "sha256": hashlib.sha256(cues.encode("utf-8")).hexdigest(),
            "style": to_plain(track.style),
            "karaoke": track.karaoke,
        }
    return {
        "layers": [layer.to_dict() for layer in plan.layers],
        "title_card": to_plain(plan.title_card),
        "captions": captions,
    }


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def _file_record(path: Path, name: str) -> dict[str, Any]:
    if not path.is_file():
        raise OutputError(f"cannot record {str(path)!r} in the manifest: it does not exist; "
                          "write the manifest after the export finished", path)
    return {"name": name, "sha256": sha256_file(path), "size_bytes": path.stat().st_size}


def write_manifest(path: Path, *, source: MediaInfo, outputs: Sequence[Path], plan: Plan,
                   settings: Mapping[str, Any], transcript_model: str | None = None) -> Path:
    """Write the integrity manifest (JSON) of an export, atomically.

    Args:
        path: Where to write it, usually ``output.with_name(output.name + ".manifest.json")``.
        source: The probed input.
        outputs: Every file the export wrote (several for a split export).
        plan: The plan that was rendered.
        settings: The export settings (platform, fit, encoder settings, ...); any value is
            stored as plain data (dataclasses as dictionaries, paths as strings).
        transcript_model: The speech model used for captions, if any.

    Returns:
        The manifest's path.

    Raises:
        OutputError: An output is missing, or the manifest cannot be written there.

    Example:
        >>> write_manifest(Path("evidence.mp4.manifest.json"), source=ev.info,   # doctest: +SKIP
        ...                outputs=[Path("evidence.mp4")], plan=ev.plan, settings={"crf": 20})
        PosixPath('evidence.mp4.manifest.json')
    """
    target = Path(path)
    record_in = _file_record(source.path, source.path.name)
    record_in.update({"path": str(source.path.resolve()), "captured": capture_time(source)})
    document = {
        "schema": SCHEMA,
        "library": {"name": "evidence_annotate", "version": __version__},
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "input": record_in,
        "outputs": [_file_record(Path(p), _relative(Path(p), target.parent)) for p in outputs],
        "plan": plan_to_dict(plan),
        "settings": to_plain(settings),
        "transcript_model": transcript_model,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    with atomic_output(target, inputs=(source.path, *map(Path, outputs)),
                       suffixes=(".json",)) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def _bad(path: Path, why: str) -> InputError:
    return InputError(f"{str(path)!r} is not an evidence_annotate manifest ({why}); pass the "
                      "'<video>.manifest.json' file written next to the export", path)


def _check_file_entry(path: Path, entry: Any, where: str) -> None:
    if not isinstance(entry, dict):
        raise _bad(path, f"{where} is not an object")
    name, digest = entry.get("name"), entry.get("sha256")
    if not isinstance(name, str) or not name:
        raise _bad(path, f"{where} has no file name")
    if not isinstance(digest, str) or len(digest) != 64:
        raise _bad(path, f"{where} has no SHA-256")


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate a manifest.

    Args:
        path: The ``.manifest.json`` file.

    Returns:
        The manifest's data.

    Raises:
        InputError: Missing, not JSON, or not a manifest of a schema this version reads.

    Example:
        >>> read_manifest("evidence.mp4.manifest.json")["input"]["name"]   # doctest: +SKIP
        'unboxing.mp4'
    """
    source = Path(path)
    if not source.is_file():
        raise InputError(f"manifest {str(source)!r} does not exist; pass the "
                         "'<video>.manifest.json' file written next to the export", source)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _bad(source, f"not JSON: {err}") from None
    if not isinstance(data, dict):
        raise _bad(source, "the top level is not an object")
    if data.get("schema") != SCHEMA:
        raise _bad(source, f"schema {data.get('schema')!r}, expected {SCHEMA!r}")
    _check_file_entry(source, data.get("input"), "input")
    if not isinstance(data["input"].get("path"), str):
        raise _bad(source, "input has no path")
    outputs = data.get("outputs")
    if not isinstance(outputs, list) or not outputs:
        raise _bad(source, "no outputs listed")
    for i, entry in enumerate(outputs):
        _check_file_entry(source, entry, f"outputs[{i}]")
    return data


@dataclass(frozen=True)
class FileCheck:
    """One file of a manifest, hashed again.

    Attributes:
        name: The file name as recorded (outputs: relative to the manifest's folder).
        role: ``"input"`` or ``"output"``.
        path: Where it was looked for.
        expected_sha256: The SHA-256 in the manifest.
        actual_sha256: The SHA-256 now, or ``None`` when the file is missing.

    Example:
        >>> FileCheck("a.mp4", "output", Path("a.mp4"), "ab" * 32, None).missing
        True
    """

    name: str
    role: Literal["input", "output"]
    path: Path
    expected_sha256: str
    actual_sha256: str | None

    @property
    def missing(self) -> bool:
        """True when the file is not there."""
        return self.actual_sha256 is None

    @property
    def ok(self) -> bool:
        """True when the file exists and its bytes are unchanged."""
        return self.actual_sha256 == self.expected_sha256


@dataclass(frozen=True)
class Verification:
    """The result of :func:`verify`.

    ``ok`` is False when any OUTPUT is missing or changed, or when the input still exists at
    its recorded path but its bytes changed. A MISSING input does not make it False (the
    original usually stays on the phone or is moved); it is listed in ``files`` with
    ``actual_sha256=None``.

    Attributes:
        manifest: The manifest checked.
        files: The input first, then every output.

    Example:
        >>> Verification(Path("m.json"), ()).ok
        True
    """

    manifest: Path
    files: tuple[FileCheck, ...]

    @property
    def ok(self) -> bool:
        """True when every output is unchanged and the input is unchanged or missing."""
        return all(f.ok or (f.role == "input" and f.missing) for f in self.files)

    def __str__(self) -> str:
        lines = [f"{self.manifest.name}: {'OK' if self.ok else 'CHANGED'}"]
        for f in self.files:
            state = "ok" if f.ok else "missing" if f.missing else "CHANGED"
            lines.append(f"  {state:8} {f.role:6} {f.name}")
        return "\n".join(lines)


def _hash_if_present(path: Path) -> str | None:
    return sha256_file(path) if path.is_file() else None


def verify(manifest_path: str | os.PathLike[str]) -> Verification:
    """Hash the files of a manifest again and compare them with what it recorded.

    Outputs are looked for relative to the manifest's folder; the input at its recorded path.

    Args:
        manifest_path: The ``.manifest.json`` file.

    Returns:
        The :class:`Verification` (see its ``ok`` for what counts).

    Raises:
        InputError: The manifest is missing, not JSON, or of an unknown schema.

    Example:
        >>> verify("evidence.mp4.manifest.json").ok                          # doctest: +SKIP
        True
    """
    path = Path(manifest_path)
    data = read_manifest(path)
    entry = data["input"]
    source = Path(entry["path"])
    checks = [FileCheck(entry["name"], "input", source, entry["sha256"], _hash_if_present(source))]
    for out in data["outputs"]:
        file = path.parent / out["name"]
        checks.append(FileCheck(out["name"], "output", file, out["sha256"],
                                _hash_if_present(file)))
    return Verification(path, tuple(checks))
