"""Checking an evidence package without extracting it.

The ZIP's directory is read first and refused as a whole when it is hostile: a member name
that is absolute, has a ``..`` part or appears twice, too many members, members larger than
a package of this library can hold, or a compression ratio only a zip bomb has. Then every
member is hashed as a stream (never written to disk, never read past its declared size) and
compared with ``package.json``; a member that is missing, changed or not listed makes the
package fail. The export's manifest inside is cross-checked against the videos beside it.

Example:
    >>> check = verify_package("evidence.zip")                      # doctest: +SKIP
    >>> check.ok, [m.name for m in check.members if not m.ok]        # doctest: +SKIP
    (True, [])
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .credentials import SIGNABLE, read_credentials
from .manifest import READABLE_SCHEMAS
from .package import INDEX, PACKAGE_SCHEMA, name_problem

__all__ = ["MemberCheck", "PackageCheck", "read_index", "verify_package"]

MAX_MEMBERS = 10_000
"""The most members a package may have."""
MAX_MEMBER_BYTES = 16 * 1024**3
"""The largest member (uncompressed) a package may have."""
MAX_RATIO = 200
"""The largest compression ratio of a member bigger than [RATIO_FLOOR][] bytes."""
RATIO_FLOOR = 1024 * 1024
"""Members at most this big are never refused for their ratio."""
_MAX_INDEX = 32 * 1024 * 1024


@dataclass(frozen=True)
class MemberCheck:
    """One member listed in ``package.json``, hashed again.

    Attributes:
        name: The member's name in the ZIP.
        expected_sha256: The SHA-256 ``package.json`` lists.
        actual_sha256: The SHA-256 of the member now, or ``None`` when it is missing.
    """

    name: str
    expected_sha256: str
    actual_sha256: str | None

    @property
    def ok(self) -> bool:
        """True when the member is there and unchanged."""
        return self.actual_sha256 == self.expected_sha256


@dataclass(frozen=True)
class PackageCheck:
    """The result of [verify_package][].

    Attributes:
        path: The ZIP checked.
        members: Every member ``package.json`` lists.
        problems: Everything else that is wrong (unlisted members, a manifest that
            disagrees with the videos, content credentials that do not match).
        credentials: ``(name, state)`` of every video member with content credentials.
    """

    path: Path
    members: tuple[MemberCheck, ...]
    problems: tuple[str, ...]
    credentials: tuple[tuple[str, str | None], ...] = ()

    @property
    def ok(self) -> bool:
        """True when every listed member is unchanged and nothing else is wrong."""
        return not self.problems and all(m.ok for m in self.members)


def _bad(path: Path, why: str) -> InputError:
    return InputError(f"{str(path)!r} is not a usable evidence package ({why}); pass the .zip "
                      "written by Evidence.package() as it was received", path)


def _check_directory(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse hostile names and sizes before a single member is read."""
    if len(infos) > MAX_MEMBERS:
        raise _bad(path, f"{len(infos):,} members, more than the {MAX_MEMBERS:,} allowed")
    seen: set[str] = set()
    for info in infos:
        why = name_problem(info.filename)
        if why is not None:
            raise _bad(path, f"member name {info.filename[:80]!r} {why}")
        if info.filename in seen:
            raise _bad(path, f"member {info.filename!r} appears twice")
        seen.add(info.filename)
        if info.file_size > MAX_MEMBER_BYTES:
            raise _bad(path, f"member {info.filename!r} unpacks to {info.file_size:,} bytes, "
                             f"more than the {MAX_MEMBER_BYTES:,} allowed")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _bad(path, f"member {info.filename!r} unpacks {ratio:,.0f} times larger than "
                             f"it is stored, more than the {MAX_RATIO} a package may have "
                             "(a zip bomb)")


def _stream_hash(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> str:
    """SHA-256 of a member, reading at most its declared size (plus one byte to notice more)."""
    digest, total = hashlib.sha256(), 0
    with archive.open(info) as stream:
        while chunk := stream.read(min(1 << 20, info.file_size - total + 1)):
            total += len(chunk)
            if total > info.file_size:
                raise _bad(path, f"member {info.filename!r} holds more than the "
                                 f"{info.file_size:,} bytes it declares")
            digest.update(chunk)
    return digest.hexdigest()


def read_index(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    """The package's ``package.json``, size-limited and checked for its schema and members.

    Raises:
        InputError: No index, too large, not JSON, another schema, or no member list.
    """
    try:
        info = archive.getinfo(INDEX)
    except KeyError:
        raise _bad(path, f"no {INDEX}") from None
    if info.file_size > _MAX_INDEX:
        raise _bad(path, f"{INDEX} is {info.file_size:,} bytes, more than {_MAX_INDEX:,}")
    try:
        data = json.loads(archive.read(info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise _bad(path, f"{INDEX} is not JSON: {err}"[:300]) from None
    if not isinstance(data, dict) or data.get("schema") != PACKAGE_SCHEMA:
        raise _bad(path, f"{INDEX} is not of schema {PACKAGE_SCHEMA!r}")
    members = data.get("members")
    if not isinstance(members, list) or not all(
            isinstance(m, dict) and isinstance(m.get("name"), str)
            and isinstance(m.get("sha256"), str) for m in members):
        raise _bad(path, f"{INDEX} has no list of members with names and SHA-256")
    return data


def _manifest_problems(archive: zipfile.ZipFile, listed: dict[str, dict[str, Any]],
                       hashes: dict[str, str | None]) -> list[str]:
    """The export manifest inside must name the videos beside it with their hashes."""
    problems = []
    for name, entry in listed.items():
        if entry.get("role") != "manifest" or hashes.get(name) != entry["sha256"]:
            continue
        try:
            data = json.loads(archive.read(name).decode("utf-8"))
            outputs = data["outputs"] if data.get("schema") in READABLE_SCHEMAS else None
        except (ValueError, KeyError, TypeError, AttributeError):
            outputs = None
        if not isinstance(outputs, list):
            problems.append(f"{name} is not an export manifest")
            continue
        for out in outputs:
            if not isinstance(out, dict) or hashes.get(str(out.get("name"))) != out.get("sha256"):
                problems.append(f"{name} lists {str(out)[:120]} but the package holds no "
                                "member of that name and SHA-256")
    return problems


def _signed_members(archive: zipfile.ZipFile, present: dict[str, zipfile.ZipInfo]
                    ) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Content credentials of the video members, read from the ZIP as streams."""
    states: list[tuple[str, str | None]] = []
    problems: list[str] = []
    for name, info in present.items():
        if Path(name).suffix.lower() not in SIGNABLE:
            continue
        try:
            with archive.open(info) as stream:
                found = read_credentials(Path(name), stream=stream)
        except ImportError:  # the credentials extra is not installed
            return [], []
        if found.state is not None:
            states.append((name, found.state))
        if found.state is not None and not found.ok:
            problems.append(f"{name}: content credentials {found.state}: "
                            f"{'; '.join(found.problems) or 'no detail'}")
    return states, problems


def verify_package(package: str | os.PathLike[str]) -> PackageCheck:
    """Hash every member of an evidence package and compare it with ``package.json``.

    Args:
        package: The ``.zip`` file.

    Returns:
        The [PackageCheck][] (``ok`` False when a member is missing, changed or unlisted).

    Raises:
        InputError: Missing, not a ZIP, no ``package.json`` of this schema, or a hostile
            directory (unsafe or duplicate names, too many or too large members, a zip
            bomb's ratio).
    """
    path = Path(package)
    if not path.is_file():
        raise InputError(f"package {str(path)!r} does not exist; pass the .zip written by "
                         "Evidence.package()", path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise _bad(path, f"not a ZIP: {err}") from None
    with archive:
        infos = archive.infolist()
        _check_directory(path, infos)
        data = read_index(archive, path)
        present = {info.filename: info for info in infos}
        listed = {m["name"]: m for m in data["members"]}
        hashes = {name: (_stream_hash(archive, present[name], path) if name in present
                         else None) for name in listed}
        problems = [f"{name} is in the package but not listed in {INDEX}"
                    for name in present if name not in listed and name != INDEX]
        problems += _manifest_problems(archive, listed, hashes)
        states, signed_problems = _signed_members(archive, present)
    checks = tuple(MemberCheck(name, entry["sha256"], hashes[name])
                   for name, entry in listed.items())
    return PackageCheck(path, checks, tuple(problems + signed_problems), tuple(states))
