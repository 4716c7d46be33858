"""Checking a manifest: read it safely, hash its files again, say what changed.

Names in a manifest are plain names relative to its folder (never ``..``, absolute paths,
drive letters or NUL), and a hostile file (huge, nested thousands deep) is refused before it
is parsed.

Example:
    >>> from evidence_annotate.deliver.verify import verify
    >>> result = verify("evidence.mp4.manifest.json")                  # doctest: +SKIP
    >>> result.ok, [(f.name, f.ok) for f in result.files]               # doctest: +SKIP
    (True, [('unboxing.mp4', True), ('evidence.mp4', True)])
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import InputError
from ..output import sha256_file
from .credentials import SIGNABLE, read_credentials
from .manifest import SCHEMA
from .package_verify import verify_package

__all__ = ["FileCheck", "Verification", "read_manifest", "verify"]

# Reading limits: far above what this library writes, far below what hurts.
_MAX_BYTES = 32 * 1024 * 1024
_MAX_DEPTH = 64
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_DRIVE = re.compile(r"^[A-Za-z]:")


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
        role: ``"input"``, ``"output"``, or ``"member"`` (a file inside a package).
        path: Where it was looked for.
        expected_sha256: The SHA-256 in the manifest.
        actual_sha256: The SHA-256 now, or ``None`` when the file is missing.

    Example:
        >>> FileCheck("a.mp4", "output", Path("a.mp4"), "ab" * 32, None).missing
        True
    """

    name: str
    role: Literal["input", "output", "member"]
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
    """The result of [verify][].

    ``ok`` is False when any OUTPUT is missing or changed, or when the input is found (beside
    the manifest, or where [verify][] was told) but its bytes changed. A MISSING input
    does not make it False (the original usually stays on the phone or is moved); it is
    listed in ``files`` with ``actual_sha256=None``.

    Attributes:
        manifest: The manifest (or package) checked.
        files: The input first, then every output; a package's members.
        problems: What else is wrong (a package's unlisted members, content credentials
            that do not match, ...).
        credentials: ``(name, state)`` of every output that carries content credentials
            (``"Valid"``, ``"Trusted"`` or ``"Invalid"``).

    Example:
        >>> Verification(Path("m.json"), ()).ok
        True
    """

    manifest: Path
    files: tuple[FileCheck, ...]
    problems: tuple[str, ...] = ()
    credentials: tuple[tuple[str, str | None], ...] = ()

    @property
    def ok(self) -> bool:
        """True when every output is unchanged and the input is unchanged or missing."""
        return not self.problems and all(f.ok or (f.role == "input" and f.missing)
                                         for f in self.files)

    def __str__(self) -> str:
        lines = [f"{self.manifest.name}: {'OK' if self.ok else 'CHANGED'}"]
        for f in self.files:
            state = "ok" if f.ok else "missing" if f.missing else "CHANGED"
            lines.append(f"  {state:8} {f.role:6} {f.name}")
        lines.extend(f"  signed   {name}: {state}" for name, state in self.credentials)
        lines.extend(f"  PROBLEM  {problem}" for problem in self.problems)
        return "\n".join(lines)


def _hash_if_present(path: Path) -> str | None:
    return sha256_file(path) if path.is_file() else None


def _credentials(check: FileCheck) -> tuple[str | None, str | None]:
    """(state, problem) of an output's content credentials; (None, None) when unsigned."""
    if check.missing or check.path.suffix.lower() not in SIGNABLE:
        return None, None
    try:
        found = read_credentials(check.path)
    except ImportError:  # the credentials extra is not installed
        return None, None
    if found.state is None or found.ok:
        return found.state, None
    return found.state, (f"{check.name}: content credentials {found.state}: "
                         f"{'; '.join(found.problems) or 'no detail'}")


def _input_path(manifest: Path, recorded: str) -> Path:
    """Where to look for the input: the recorded relative path, or the bare name, beside it."""
    if _unsafe(recorded) is None:
        return manifest.parent / recorded
    return manifest.parent / re.split(r"[/\\]", recorded)[-1]  # an older absolute path


def verify(manifest_path: str | os.PathLike[str], *,
           source: str | os.PathLike[str] | None = None) -> Verification:
    """Hash the files of a manifest (or an evidence package) again and compare them.

    Outputs that carry content credentials (C2PA) have them validated too: a signature or
    hash that does not match is a problem, even when the hash list was rewritten to match.

    Given a ``.zip``, every member of the package is hashed as a stream (see
    [verify_package][evidence_annotate.deliver.package_verify.verify_package]).

    Outputs are looked for relative to the manifest's folder. The input is looked for at
    ``source`` when given (the original, wherever it is now), else at the path recorded
    relative to the manifest's folder (by name beside the manifest for older manifests that
    recorded an absolute path). Names that would leave the manifest's folder are refused.

    Args:
        manifest_path: The ``.manifest.json`` file, or an evidence package (``.zip``).
        source: The original input file, if it is not beside the manifest.

    Returns:
        The [Verification][] (see its ``ok`` for what counts).

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
    if path.suffix.lower() == ".zip":
        package = verify_package(path)
        return Verification(path, tuple(
            FileCheck(m.name, "member", path / m.name, m.expected_sha256, m.actual_sha256)
            for m in package.members), package.problems, package.credentials)
    data = read_manifest(path)
    entry = data["input"]
    original = Path(source) if source is not None else _input_path(path, entry["path"])
    checks = [FileCheck(entry["name"], "input", original, entry["sha256"],
                        _hash_if_present(original))]
    for out in data["outputs"]:
        file = path.parent / out["name"]
        checks.append(FileCheck(out["name"], "output", file, out["sha256"],
                                _hash_if_present(file)))
    signed = [(c.name, *_credentials(c)) for c in checks[1:]]
    return Verification(path, tuple(checks),
                        tuple(problem for _, _, problem in signed if problem is not None),
                        tuple((name, state) for name, state, _ in signed if state is not None))
