"""Re-rendering the edit inside an evidence package: its manifest, its videos, its original.

[rerender_package][] reads ``package.json``, copies the export manifest, the videos it names
and the original (the package's own, or one given) into a private temporary folder, never
beside the package, reading no member past its declared size, and hands them to
[rerender_outputs][evidence_annotate.deliver.rerender.rerender_outputs].

Example:
    >>> checks = rerender_package(Path("evidence.zip"), None)        # doctest: +SKIP
    >>> [c.state for c in checks]                                   # doctest: +SKIP
    ['match']
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from ..errors import InputError
from .manifest_read import read_manifest
from .package import name_problem
from .package_verify import read_index
from .rerender import RerenderCheck, rerender_outputs

__all__ = ["rerender_package"]


def _copy(archive: zipfile.ZipFile, name: str, target: Path, package: Path) -> Path:
    """Copy one member to ``target``, never more bytes than it declares."""
    if name_problem(name) is not None:
        raise InputError(f"{package.name} names member {name[:80]!r}, which is not a safe "
                         "member name", package)
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise InputError(f"{package.name} lists {name!r} but does not hold it; the package "
                         "was changed", package) from None
    target.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    with archive.open(info) as source, target.open("wb") as sink:
        while chunk := source.read(1 << 20):
            total += len(chunk)
            if total > info.file_size:
                raise InputError(f"member {name!r} of {package.name} holds more than the "
                                 f"{info.file_size:,} bytes it declares", package)
            sink.write(chunk)
    return target


def rerender_package(package: Path, original: Path | None, *,
                     progress: bool = False) -> tuple[RerenderCheck, ...]:
    """Re-render the videos of an evidence package from its original and compare frames.

    Args:
        package: The ``.zip`` (already checked by
            [verify_package][evidence_annotate.deliver.package_verify.verify_package]).
        original: The original recording, or ``None`` for the one inside the package
            (``original/...``, added with ``original="exact"`` or ``"private"``).
        progress: Show the re-render's progress.

    Returns:
        One [RerenderCheck][evidence_annotate.deliver.rerender.RerenderCheck] per video.

    Raises:
        InputError: No export manifest inside, no original inside when none is given, or a
            member the package lists is missing.
        PlanDataError: The manifest is not version 2 or its plan cannot be read.
    """
    with zipfile.ZipFile(package) as archive, \
            tempfile.TemporaryDirectory(prefix="evidence_annotate-verify-") as work:
        folder = Path(work)
        members = read_index(archive, package)["members"]
        manifests = [m["name"] for m in members if m.get("role") == "manifest"]
        if len(manifests) != 1:
            raise InputError(f"{package.name} holds {len(manifests)} export manifests; "
                             "re-rendering needs exactly one", package)
        manifest = _copy(archive, manifests[0], folder / "export" / "manifest.json", package)
        data = read_manifest(manifest)
        outputs = {out["name"]: _copy(archive, out["name"], folder / "export" / out["name"],
                                      package) for out in data["outputs"]}
        if original is None:
            inside = [m["name"] for m in members if m.get("role") == "original"]
            if not inside:
                raise InputError(f"{package.name} holds no original recording; pass "
                                 "original=<the recording> (or package with "
                                 "original='exact')", package)
            original = _copy(archive, inside[0], folder / inside[0], package)
        return rerender_outputs(data, package / manifests[0], outputs, original,
                                progress=progress)
