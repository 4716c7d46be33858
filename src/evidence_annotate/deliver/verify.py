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

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..output import sha256_file
from .credentials import SIGNABLE, read_credentials
from .manifest_read import read_manifest, unsafe_name
from .package_verify import verify_package
from .rerender import RerenderCheck, rerender_outputs
from .verify_rerender import rerender_package

__all__ = ["FileCheck", "Verification", "read_manifest", "verify"]

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
        rerendered: With ``original=``: every output rendered again from the original and
            compared frame by frame (a check that is not a ``"match"`` is also a problem).

    Example:
        >>> Verification(Path("m.json"), ()).ok
        True
    """

    manifest: Path
    files: tuple[FileCheck, ...]
    problems: tuple[str, ...] = ()
    credentials: tuple[tuple[str, str | None], ...] = ()
    rerendered: tuple[RerenderCheck, ...] = ()

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
        lines.extend(f"  {check.state:8} {check}" for check in self.rerendered if check.ok)
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
    if unsafe_name(recorded) is None:
        return manifest.parent / recorded
    return manifest.parent / re.split(r"[/\\]", recorded)[-1]  # an older absolute path


def verify(manifest_path: str | os.PathLike[str], *,
           source: str | os.PathLike[str] | None = None,
           original: str | os.PathLike[str] | bool | None = None,
           progress: bool = False) -> Verification:
    """Hash the files of a manifest (or an evidence package) again and compare them.

    Outputs that carry content credentials (C2PA) have them validated too: a signature or
    hash that does not match is a problem, even when the hash list was rewritten to match.

    Given a ``.zip``, every member of the package is hashed as a stream (see
    [verify_package][evidence_annotate.deliver.package_verify.verify_package]).

    Outputs are looked for relative to the manifest's folder. The input is looked for at
    ``source`` when given (the original, wherever it is now), else at the path recorded
    relative to the manifest's folder (by name beside the manifest for older manifests that
    recorded an absolute path). Names that would leave the manifest's folder are refused.

    With ``original``, every output is also rendered again from the original with the plan
    and encoder settings the manifest records, and compared with the delivered video frame
    by frame (see [evidence_annotate.deliver.rerender][]): the result lists the first
    differing frame with its output time, or says the renderer differs from the recorded
    one when it does (``"inconclusive"``, not a mismatch).

    Args:
        manifest_path: The ``.manifest.json`` file, or an evidence package (``.zip``).
        source: The original input file, if it is not beside the manifest.
        original: The original recording to re-render the edit from; for a package,
            ``True`` takes the original inside it.
        progress: Show the re-render's progress.

    Returns:
        The [Verification][] (see its ``ok`` for what counts).

    Raises:
        InputError: The manifest is missing, not JSON, of an unknown schema, or names a file
            outside its folder; with ``original``: the original is missing, the manifest
            records no replayable plan (a version 1 manifest), or a package holds no
            original when ``original=True``.
        ValueError: ``original=True`` for a manifest (name the recording instead).

    Example:
        >>> verify("evidence.mp4.manifest.json").ok                          # doctest: +SKIP
        True
        >>> verify("evidence.mp4.manifest.json", source="/phone/IMG_0042.MOV").ok  # doctest: +SKIP
        True
        >>> verify("evidence.zip", original=True).rerendered[0].state        # doctest: +SKIP
        'match'
    """
    path = Path(manifest_path)
    if not isinstance(original, (str, os.PathLike, bool, type(None))):
        raise ValueError(f"original={original!r} must be the original recording's path (or "
                         "True for the original inside a package)")
    if not isinstance(progress, bool):
        raise ValueError(f"progress={progress!r} must be True or False")
    if original is False:
        original = None
    if path.suffix.lower() == ".zip":
        package = verify_package(path)
        checks: tuple[RerenderCheck, ...] = ()
        if original is not None:
            checks = rerender_package(path, None if original is True else Path(original),
                                      progress=progress)
        return Verification(path, tuple(
            FileCheck(m.name, "member", path / m.name, m.expected_sha256, m.actual_sha256)
            for m in package.members),
            package.problems + tuple(str(c) for c in checks if not c.ok),
            package.credentials, checks)
    if original is True:
        raise ValueError(f"original=True (--original without a file) takes the original "
                         f"inside a package, but {path.name!r} is a manifest; name the "
                         "recording, e.g. original='IMG_0042.MOV'")
    data = read_manifest(path)
    entry = data["input"]
    if source is None and original is not None:
        source = original
    files = []
    if entry is not None:  # null for a storyboard of text slides only
        recorded = Path(source) if source is not None else _input_path(path, entry["path"])
        files.append(FileCheck(entry["name"], "input", recorded, entry["sha256"],
                               _hash_if_present(recorded)))
    for out in data["outputs"]:
        file = path.parent / out["name"]
        files.append(FileCheck(out["name"], "output", file, out["sha256"],
                               _hash_if_present(file)))
    outputs = [f for f in files if f.role == "output"]
    signed = [(c.name, *_credentials(c)) for c in outputs]
    checks = ()
    if original is not None:
        checks = rerender_outputs(data, path, {f.name: f.path for f in outputs},
                                  Path(original), progress=progress)
    problems = [problem for _, _, problem in signed if problem is not None]
    return Verification(path, tuple(files),
                        tuple(problems + [str(c) for c in checks if not c.ok]),
                        tuple((name, state) for name, state, _ in signed if state is not None),
                        checks)
