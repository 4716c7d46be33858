"""The ``verify`` command: hashes, content credentials and the re-render check of an export.

Kept apart from [evidence_annotate.cli][] like the batch and identity commands.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

__all__ = ["SUMMARY", "add_arguments", "run"]

SUMMARY = ("check an export's manifest or evidence package; --original re-renders the edit "
           "from the original and compares every frame (exit 1 on problems)",
           "  evidence-annotate verify evidence.mp4.manifest.json\n"
           "  evidence-annotate verify evidence.mp4.manifest.json --original IMG_0042.MOV\n"
           "  evidence-annotate verify evidence.zip --original      # the original inside\n"
           "  evidence-annotate verify evidence.zip --original IMG_0042.MOV --json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``verify`` command's arguments."""
    parser.add_argument("manifest", help="the export's <video>.manifest.json, or an evidence "
                                         "package (.zip)")
    parser.add_argument("--source", metavar="FILE",
                        help="where the original is now, to check its hash (manifests only)")
    parser.add_argument("--original", nargs="?", const=True, metavar="FILE",
                        help="re-render the edit from this original recording and compare "
                             "it with the delivered video frame by frame; for a package, "
                             "without FILE: the original inside it")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _data(result: Any) -> dict[str, Any]:
    return {
        "ok": result.ok,
        "files": [{"name": f.name, "role": f.role, "ok": f.ok, "missing": f.missing}
                  for f in result.files],
        "credentials": [{"name": name, "state": state} for name, state in result.credentials],
        "rerendered": [{"name": c.name, "state": c.state, "frames": c.frames,
                        "first_difference": None if c.first_difference is None else {
                            "stream": c.first_difference.stream,
                            "index": c.first_difference.index,
                            "time": c.first_difference.time,
                            "detail": c.first_difference.detail},
                        "reason": c.reason, "environment": list(c.environment)}
                       for c in result.rerendered],
        "problems": list(result.problems),
    }


def run(args: argparse.Namespace, emit: Callable[[str], None], *, quiet: bool,
        progress: bool) -> int:
    """Verify, print the result; the exit code (0 ok, 1 problems)."""
    from .deliver.verify import verify

    result = verify(args.manifest, source=args.source, original=args.original,
                    progress=progress)
    if args.json:
        emit(json.dumps(_data(result), indent=2, ensure_ascii=False))
    elif not quiet or not result.ok:
        emit(str(result))
    return 0 if result.ok else 1
