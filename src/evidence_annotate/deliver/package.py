"""The evidence package: one ZIP with every file of an export and a list of their hashes.

A package holds the annotated video (or its parts), the caption files, the stills, the PDF
report, the export's manifest and, when asked, the original recording. Its first member,
``package.json``, lists every other member with its role, size and SHA-256;
[verify_package][evidence_annotate.deliver.package_verify.verify_package] hashes the members
again without extracting anything. Videos and images are stored as they are (they are
already compressed), text is deflated.

Example:
    >>> from pathlib import Path
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "notes.txt").write_text("crack on the left corner")
    >>> result = write_package(folder / "evidence.zip", [Member("notes.txt", folder / "notes.txt")])
    >>> [m.name for m in result.members]
    ['notes.txt']
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .._version import __version__
from ..errors import WRITE_ERRNOS, OutputError, PlatformLimitError
from ..output import atomic_output, sha256_file

__all__ = ["INDEX", "PACKAGE_SCHEMA", "PACKAGE_SCHEMA_FILE", "Member", "PackageResult",
           "name_problem", "package_into", "write_package"]

PACKAGE_SCHEMA = "evidence_annotate.package/1"
"""The ``schema`` value of ``package.json`` in the packages this version writes and reads."""

PACKAGE_SCHEMA_FILE = Path(__file__).with_name("schemas") / "package-1.schema.json"
"""The JSON Schema (draft 2020-12) of ``package.json``, shipped with the library."""

INDEX = "package.json"
"""The member that lists every other member with its SHA-256."""

Role = Literal["video", "captions", "still", "report", "manifest", "original", "other"]
_STORED = (".mp4", ".m4v", ".mov", ".mkv", ".png", ".jpg", ".jpeg", ".pdf", ".zip")
_PART = re.compile(r"^[A-Za-z0-9._-]+$")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member times: the same files make the same ZIP
_MAX_NAME = 200


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a member of a package (``None``: it can).

    A member name is one or more parts of letters, digits, ``.``, ``_`` and ``-`` joined by
    ``/``; no part is ``.`` or ``..``, so no name can leave the folder it is read into.

    Example:
        >>> name_problem("stills/a_01.png") is None, name_problem("../evil.sh")
        (True, "has a '..' part")
    """
    if not name or len(name) > _MAX_NAME:
        return f"is empty or longer than {_MAX_NAME} characters"
    if name.startswith("/") or "\\" in name or ":" in name:
        return "is an absolute or Windows path"
    parts = name.split("/")
    if ".." in parts:
        return "has a '..' part"
    if any(part in ("", ".") for part in parts):
        return "has an empty or '.' part"
    if not all(_PART.match(part) for part in parts):
        return "has characters other than letters, digits, '.', '_', '-' and '/'"
    return None


@dataclass(frozen=True)
class Member:
    """A file to put into a package.

    Attributes:
        name: Its name inside the ZIP (see [name_problem][]).
        path: The file on disk.
        role: What it is, recorded in ``package.json``.
        optional: May be left out when the package would exceed its byte limit (the
            original recording).
        note: A sentence recorded beside it (e.g. what a privacy remux changed).
    """

    name: str
    path: Path
    role: Role = "other"
    optional: bool = False
    note: str | None = None


@dataclass(frozen=True)
class PackageResult:
    """What [write_package][] wrote.

    Attributes:
        path: The ZIP file.
        size_bytes: Its size.
        sha256: Hex SHA-256 of the ZIP.
        members: The members it holds (``package.json`` not included).
        left_out: Members left out, each with the reason.
    """

    path: Path
    size_bytes: int
    sha256: str
    members: tuple[Member, ...]
    left_out: tuple[tuple[Member, str], ...] = ()


def _entry(member: Member) -> dict[str, Any]:
    record: dict[str, Any] = {"name": member.name, "role": member.role,
                              "size_bytes": member.path.stat().st_size,
                              "sha256": sha256_file(member.path)}
    if member.note:
        record["note"] = member.note
    return record


def _index_text(members: Sequence[Member], notes: Sequence[str]) -> str:
    document = {
        "schema": PACKAGE_SCHEMA,
        "library": {"name": "evidence_annotate", "version": __version__},
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "members": [_entry(m) for m in members],
        "notes": list(notes),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _check_members(members: Sequence[Member]) -> None:
    seen: set[str] = set()
    for member in members:
        why = name_problem(member.name)
        if why is not None:
            raise ValueError(f"package member name {member.name[:80]!r} {why}; use a plain "
                             "relative name such as 'stills/still01.png'")
        if member.name == INDEX or member.name in seen:
            raise ValueError(f"package member name {member.name!r} is used twice (or is "
                             f"{INDEX!r}, which the package writes itself); rename one")
        if not member.path.is_file():
            raise OutputError(f"cannot package {str(member.path)!r}: it is not a file; "
                              "write it before packaging", member.path)
        seen.add(member.name)


def _estimate(members: Sequence[Member]) -> int:
    """A generous upper bound of the ZIP's size (stored data + headers + index)."""
    return sum(m.path.stat().st_size + 2 * len(m.name) + 200 for m in members) + 4096 \
        + 300 * len(members)


def _write_zip(tmp: Path, members: Sequence[Member], notes: Sequence[str]) -> None:
    with zipfile.ZipFile(tmp, "w") as archive:
        info = zipfile.ZipInfo(INDEX, _ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, _index_text(members, notes))
        for member in members:
            info = zipfile.ZipInfo(member.name, _ZIP_TIME)
            stored = member.path.suffix.lower() in _STORED
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            with member.path.open("rb") as src, archive.open(info, "w", force_zip64=True) as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)


def write_package(target: str | os.PathLike[str], members: Sequence[Member], *,
                  max_bytes: int | None = None, platform: str = "the platform",
                  inputs: Sequence[Path] = ()) -> PackageResult:
    """Write ``members`` and their ``package.json`` into one ZIP, atomically.

    The ZIP is written under a hidden temporary name and renamed into place; on any failure
    the previous file (if any) is left as it was.

    Args:
        target: The ``.zip`` to write.
        members: The files, in the order to store them.
        max_bytes: The largest package allowed (a platform's upload limit); optional
            members are left out, with a note in ``package.json``, when it would be larger.
        platform: The platform's name, for messages.
        inputs: Files the package must never replace (the source recording).

    Returns:
        The [PackageResult][].

    Raises:
        ValueError: A member name is unsafe or used twice.
        OutputError: A member is missing, or the ZIP cannot be written there.
        PlatformLimitError: The required members alone exceed ``max_bytes``.
    """
    path = Path(target)
    _check_members(members)
    with atomic_output(path, inputs=inputs, suffixes=(".zip",)) as tmp:
        return package_into(tmp, path, members, max_bytes=max_bytes, platform=platform)


def package_into(tmp: Path, target: Path, members: Sequence[Member], *,
                 max_bytes: int | None = None, platform: str = "the platform") -> PackageResult:
    """Write the ZIP of [write_package][] into ``tmp``, a temporary name for ``target``.

    For callers that place the package together with other files (an ``OutputSet`` of
    ``evidence_annotate.output``); ``tmp`` is not renamed.

    Raises:
        ValueError: A member name is unsafe or used twice.
        OutputError: A member is missing, or the ZIP cannot be written.
        PlatformLimitError: The required members alone exceed ``max_bytes``.
    """
    _check_members(members)
    chosen, notes, left_out = list(members), [], []
    if max_bytes is not None:
        for member in [m for m in members if m.optional]:
            if _estimate(chosen) <= max_bytes:
                break
            chosen.remove(member)
            why = (f"{member.name} ({member.path.stat().st_size:,} bytes) left out: the package "
                   f"would exceed {platform}'s {max_bytes:,} byte limit with it; share it "
                   "separately when the reviewer asks for it")
            notes.append(why)
            left_out.append((member, why))
    try:
        _write_zip(tmp, chosen, notes)
    except OSError as err:
        if err.errno in WRITE_ERRNOS:
            raise OutputError.from_os_error(err, target, "the package ") from None
        raise
    size = tmp.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise PlatformLimitError(
            f"the package is {size:,} bytes but {platform} accepts at most {max_bytes:,}; "
            "export with fit='split', fewer stills, or without the original",
            platform, "max_bytes", float(size), float(max_bytes))
    return PackageResult(target, size, sha256_file(tmp), tuple(chosen), tuple(left_out))
