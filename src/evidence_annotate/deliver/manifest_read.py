"""Reading a manifest safely: size, nesting, schema and every file name checked first.

Names in a manifest are plain names relative to its folder (never ``..``, absolute paths,
drive letters or NUL), and a hostile file (huge, nested thousands deep) is refused before it
is parsed. ``evidence_annotate.deliver.verify`` re-exports [read_manifest][].

Example:
    >>> read_manifest("evidence.mp4.manifest.json")["schema"]          # doctest: +SKIP
    'evidence_annotate.manifest/2'
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from .manifest import READABLE_SCHEMAS

__all__ = ["read_manifest", "unsafe_name"]

# Reading limits: far above what this library writes, far below what hurts.
_MAX_BYTES = 32 * 1024 * 1024
_MAX_DEPTH = 64
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_DRIVE = re.compile(r"^[A-Za-z]:")


def _bad(path: Path, why: str) -> InputError:
    return InputError(f"{str(path)!r} is not an evidence_annotate manifest ({why}); pass the "
                      "'<video>.manifest.json' file written next to the export", path)


def unsafe_name(name: str) -> str | None:
    """Why ``name`` is not a plain name relative to the manifest's folder (``None``: it is).

    Example:
        >>> unsafe_name("../x.mp4"), unsafe_name("parts/a.mp4") is None
        ("leaves the manifest's folder", True)
    """
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
    why = unsafe_name(name)
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
    if data.get("schema") not in READABLE_SCHEMAS:
        raise _bad(source, f"schema {str(data.get('schema'))[:80]!r}, expected one of "
                           f"{', '.join(map(repr, READABLE_SCHEMAS))}")
    if data.get("input") is not None or not isinstance(data.get("segments"), list):
        # a storyboard of text slides only reads no file: its input is null
        _check_file_entry(source, data.get("input"), "input")
        recorded = data["input"].get("path")
        if not isinstance(recorded, str):
            raise _bad(source, "input has no path")
        why = unsafe_name(recorded)
        if why is not None and why not in ("is an absolute path", "names a drive"):
            raise _bad(source, f"input path {recorded[:80]!r} {why}")
    outputs = data.get("outputs")
    if not isinstance(outputs, list) or not outputs:
        raise _bad(source, "no outputs listed")
    for i, entry in enumerate(outputs):
        _check_file_entry(source, entry, f"outputs[{i}]")
    return data
