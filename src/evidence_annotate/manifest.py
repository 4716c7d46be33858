"""The integrity manifest: what was made, from what, how, and the SHA-256 of every file.

An export writes ``<output>.manifest.json`` beside the output. It records the library version,
the UTC creation time, the input's name, size, SHA-256 and original capture time, every output's
name, size and SHA-256, the plan (every layer, the title card, where captions came from) and
the export settings. :func:`verify` re-hashes the files later, e.g. before uploading or when a
platform asks whether the video was edited.

The manifest is meant to be shared, so it holds no local folders: file names are relative to
the manifest's folder (the input's when it lies inside that folder, else its bare name), and a
local model folder is recorded by its name. When reading, a name that leaves the manifest's
folder (``..``, an absolute path, a drive letter) is refused.

Example:
    >>> from evidence_annotate.manifest import verify
    >>> result = verify("evidence.mp4.manifest.json")                  # doctest: +SKIP
    >>> result.ok, [(f.name, f.ok) for f in result.files]               # doctest: +SKIP
    (True, [('unboxing.mp4', True), ('evidence.mp4', True)])
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import hashlib
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from .colors import Color
from .errors import WRITE_ERRNOS, InputError, OutputError
from .layers import Layer
from .media import MediaInfo
from .output import atomic_output
from .plan import Plan

__all__ = [
    "SCHEMA",
    "FileCheck",
    "Verification",
    "capture_time",
    "manifest_text",
    "plan_to_dict",
    "read_manifest",
    "verify",
    "write_manifest",
]

SCHEMA = "evidence_annotate.manifest/1"
"""The ``schema`` value of the manifests this version writes and reads."""

# Tags phones and cameras use for the moment of recording, best first.
_CAPTURE_TAGS = ("com.apple.quicktime.creationdate", "creation_time", "date")
# Reading limits: far above what this library writes, far below what hurts.
_MAX_BYTES = 32 * 1024 * 1024
_MAX_DEPTH = 64
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_DRIVE = re.compile(r"^[A-Za-z]:")


def _plain(value: Any) -> Any:
    """Convert a value into JSON-ready data (dicts, lists, str, numbers, bool, None)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, (Path, Fraction)):
        return str(value)
    if isinstance(value, Color):
        return value.hex
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # Rect, Point
        return {k: _plain(v) for k, v in value._asdict().items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=str)
    return str(value)


def _layer_to_dict(layer: Layer) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": type(layer).__name__.lower(),
                            "start": layer.span.start, "end": layer.span.end}
    for f in dataclasses.fields(layer):
        if f.name != "span":
            data[f.name] = _plain(getattr(layer, f.name))
    return data


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data.

    Layers keep their order (bottom first) and get a ``kind`` (``"box"``, ``"arrow"``,
    ``"text"``, ``"blur"``), ``start``/``end`` in source seconds (``end`` ``None`` = until the
    end), coordinates as ``{"x", "y"[, "w", "h"]}`` and styles as nested dictionaries. Captions
    are recorded by origin, number of events, the SHA-256 of their ASS text, style and karaoke.

    Args:
        plan: The plan.

    Returns:
        ``{"layers": [...], "title_card": {...} | None, "captions": {...} | None}``.

    Example:
        >>> from evidence_annotate.layers import Box, Span
        >>> from evidence_annotate.units import Rect
        >>> data = plan_to_dict(Plan(layers=(Box(Rect(1, 2, 3, 4), Span(0.5, 2.0)),)))
        >>> data["layers"][0]["kind"], data["layers"][0]["rect"], data["layers"][0]["end"]
        ('box', {'x': 1, 'y': 2, 'w': 3, 'h': 4}, 2.0)
    """
    captions = None
    if plan.captions is not None:
        ass = plan.captions.ass
        captions = {
            "origin": plan.captions.origin,
            "events": sum(1 for line in ass.splitlines() if line.startswith("Dialogue:")),
            "sha256": hashlib.sha256(ass.encode("utf-8")).hexdigest(),
            "style": _plain(plan.captions.style),
            "karaoke": plan.captions.karaoke,
        }
    return {
        "layers": [_layer_to_dict(layer) for layer in plan.layers],
        "title_card": _plain(plan.title_card),
        "captions": captions,
    }


def capture_time(info: MediaInfo) -> str | None:
    """The moment the input was recorded, as its tags state it (``None`` when absent).

    Looks at the container tags, then the video stream's, then any stream's, for
    ``com.apple.quicktime.creationdate`` (iPhones, local time with offset), ``creation_time``
    (most cameras and ffmpeg, UTC) and ``date``.

    Example:
        >>> capture_time(ea.probe("IMG_0042.MOV"))                     # doctest: +SKIP
        '2026-11-20T11:00:00+0100'
    """
    layers: list[Mapping[str, str]] = [info.tags]
    layers.append(info.stream_tags.get(info.video_stream, {}))
    layers.extend(tags for index, tags in sorted(info.stream_tags.items())
                  if index != info.video_stream)
    for key in _CAPTURE_TAGS:
        for tags in layers:
            for name, value in tags.items():
                if name.lower() == key and str(value).strip():
                    return str(value).strip()
    return None


def _sha256(path: Path) -> str:
    from .export import sha256_file  # late: export.py imports this module

    return sha256_file(path)


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def _input_location(source: Path, folder: Path) -> str:
    """The input relative to the manifest's folder when inside it, else its bare name."""
    try:
        return source.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return source.name


def _model_label(model: str | None) -> str | None:
    """A model as recorded: sizes and hub ids as given, a local folder by its name only."""
    if model is None:
        return None
    local = Path(model).expanduser()
    if local.is_absolute() or model.startswith(("~", ".")) or local.exists():
        return local.resolve().name
    return model


def _file_record(path: Path, name: str, contents: Path | None = None) -> dict[str, Any]:
    data = contents if contents is not None else path
    if not data.is_file():
        raise OutputError(f"cannot record {str(path)!r} in the manifest: it does not exist; "
                          "write the manifest after the export finished", path)
    return {"name": name, "sha256": _sha256(data), "size_bytes": data.stat().st_size}


def manifest_text(path: Path, *, source: MediaInfo, outputs: Sequence[Path], plan: Plan,
                  settings: Mapping[str, Any], transcript_model: str | None = None,
                  contents: Mapping[Path, Path] | None = None) -> str:
    """The JSON text of the manifest :func:`write_manifest` writes (nothing is written).

    Args:
        path: Where the manifest will be; names are recorded relative to its folder.
        source: The probed input.
        outputs: Every file the export writes, by its final name.
        plan: The plan that was rendered.
        settings: The export settings, stored as plain data.
        transcript_model: The speech model used for captions, if any (a local folder is
            recorded by its name).
        contents: For outputs not yet renamed into place: final path -> the file holding
            its bytes now (hashed instead).

    Returns:
        The manifest as indented JSON text ending with a newline.

    Raises:
        OutputError: An output (or its ``contents`` file) is missing.
    """
    from . import __version__  # late: the package imports this module

    target = Path(path)
    staged = contents or {}
    record_in = _file_record(source.path, source.path.name)
    record_in.update({"path": _input_location(source.path, target.parent),
                      "captured": capture_time(source)})
    document = {
        "schema": SCHEMA,
        "library": {"name": "evidence_annotate", "version": __version__},
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "input": record_in,
        "outputs": [_file_record(Path(p), _relative(Path(p), target.parent), staged.get(Path(p)))
                    for p in outputs],
        "plan": plan_to_dict(plan),
        "settings": _plain(settings),
        "transcript_model": _model_label(transcript_model),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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
        OutputError: An output is missing, or the manifest cannot be written there (a full
            disk gives :class:`~evidence_annotate.errors.NoSpaceError`).

    Example:
        >>> write_manifest(Path("evidence.mp4.manifest.json"), source=ev.info,   # doctest: +SKIP
        ...                outputs=[Path("evidence.mp4")], plan=ev.plan, settings={"crf": 20})
        PosixPath('evidence.mp4.manifest.json')
    """
    target = Path(path)
    text = manifest_text(target, source=source, outputs=outputs, plan=plan, settings=settings,
                         transcript_model=transcript_model)
    with atomic_output(target, inputs=(source.path, *map(Path, outputs)),
                       suffixes=(".json",)) as tmp:
        try:
            tmp.write_text(text, encoding="utf-8")
        except OSError as err:
            if err.errno in WRITE_ERRNOS:
                raise OutputError.from_os_error(err, target, "the manifest ") from None
            raise
    return target


def _bad(path: Path, why: str) -> InputError:
    return InputError(f"{str(path)!r} is not an evidence_annotate manifest ({why}); pass the "
                      "'<video>.manifest.json' file written next to the export", path)


def _unsafe(name: str) -> str | None:
    """Why ``name`` is not a plain name relative to the manifest's folder (``None``: it is)."""
    if "\0" in name:
        return "contains a NUL character"
    if name.startswith(("/", "\\")):
        return "is an absolute path"
    if _DRIVE.match(name):
        return "names a drive"
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        return "leaves the manifest's folder"
    if all(part in ("", ".") for part in parts):
        return "names no file"
    return None


def _check_file_entry(path: Path, entry: Any, where: str) -> None:
    if not isinstance(entry, dict):
        raise _bad(path, f"{where} is not an object")
    name, digest = entry.get("name"), entry.get("sha256")
    if not isinstance(name, str) or not name:
        raise _bad(path, f"{where} has no file name")
    if not isinstance(digest, str) or len(digest) != 64:
        raise _bad(path, f"{where} has no SHA-256")
    why = _unsafe(name)
    if why is not None:
        raise _bad(path, f"{where} name {name[:80]!r} {why}; files are named relative to the "
                         "manifest's folder")


def _nesting(text: str) -> int:
    """How deep arrays and objects nest in JSON text (strings skipped), without recursion."""
    brackets = re.sub(r"[^\[\]{}]+", "", _STRING.sub("", text))
    depth = deepest = 0
    for char in brackets:
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _load(source: Path) -> Any:
    """Parse a manifest's JSON, refusing huge or deeply nested text before parsing it."""
    size = source.stat().st_size
    if size > _MAX_BYTES:
        raise _bad(source, f"{size:,} bytes, more than the {_MAX_BYTES:,} a manifest may have")
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise _bad(source, f"not JSON: {err}") from None
    depth = _nesting(text)
    if depth > _MAX_DEPTH:
        raise _bad(source, f"JSON nested {depth} levels deep, more than the {_MAX_DEPTH} a "
                           "manifest may have")
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise _bad(source, f"not JSON: {type(err).__name__}: {err}"[:300]) from None


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate a manifest.

    File names must be plain names relative to the manifest's folder; the input's recorded
    ``path`` may also be an absolute path (older manifests), which is never followed.

    Args:
        path: The ``.manifest.json`` file.

    Returns:
        The manifest's data.

    Raises:
        InputError: Missing, not JSON, too large or too deeply nested, not a manifest of a
            schema this version reads, or a file name that leaves the manifest's folder.

    Example:
        >>> read_manifest("evidence.mp4.manifest.json")["input"]["name"]   # doctest: +SKIP
        'unboxing.mp4'
    """
    source = Path(path)
    if not source.is_file():
        raise InputError(f"manifest {str(source)!r} does not exist; pass the "
                         "'<video>.manifest.json' file written next to the export", source)
    data = _load(source)
    if not isinstance(data, dict):
        raise _bad(source, "the top level is not an object")
    if data.get("schema") != SCHEMA:
        raise _bad(source, f"schema {str(data.get('schema'))[:80]!r}, expected {SCHEMA!r}")
    _check_file_entry(source, data.get("input"), "input")
    recorded = data["input"].get("path")
    if not isinstance(recorded, str):
        raise _bad(source, "input has no path")
    why = _unsafe(recorded)
    if why is not None and why not in ("is an absolute path", "names a drive"):
        raise _bad(source, f"input path {recorded[:80]!r} {why}")
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

    ``ok`` is False when any OUTPUT is missing or changed, or when the input is found (beside
    the manifest, or where :func:`verify` was told) but its bytes changed. A MISSING input
    does not make it False (the original usually stays on the phone or is moved); it is
    listed in ``files`` with ``actual_sha256=None``.

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
    return _sha256(path) if path.is_file() else None


def _input_path(manifest: Path, recorded: str) -> Path:
    """Where to look for the input: the recorded relative path, or the bare name, beside it."""
    if _unsafe(recorded) is None:
        return manifest.parent / recorded
    return manifest.parent / re.split(r"[/\\]", recorded)[-1]  # an older absolute path


def verify(manifest_path: str | os.PathLike[str], *,
           source: str | os.PathLike[str] | None = None) -> Verification:
    """Hash the files of a manifest again and compare them with what it recorded.

    Outputs are looked for relative to the manifest's folder. The input is looked for at
    ``source`` when given (the original, wherever it is now), else at the path recorded
    relative to the manifest's folder (by name beside the manifest for older manifests that
    recorded an absolute path). Names that would leave the manifest's folder are refused.

    Args:
        manifest_path: The ``.manifest.json`` file.
        source: The original input file, if it is not beside the manifest.

    Returns:
        The :class:`Verification` (see its ``ok`` for what counts).

    Raises:
        InputError: The manifest is missing, not JSON, of an unknown schema, or names a file
            outside its folder.

    Example:
        >>> verify("evidence.mp4.manifest.json").ok                          # doctest: +SKIP
        True
        >>> verify("evidence.mp4.manifest.json", source="/phone/IMG_0042.MOV").ok  # doctest: +SKIP
        True
    """
    path = Path(manifest_path)
    data = read_manifest(path)
    entry = data["input"]
    original = Path(source) if source is not None else _input_path(path, entry["path"])
    checks = [FileCheck(entry["name"], "input", original, entry["sha256"],
                        _hash_if_present(original))]
    for out in data["outputs"]:
        file = path.parent / out["name"]
        checks.append(FileCheck(out["name"], "output", file, out["sha256"],
                                _hash_if_present(file)))
    return Verification(path, tuple(checks))
