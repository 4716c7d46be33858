"""The ``detect`` command: find faces and text in a clip and write them for review.

Kept apart from [evidence_annotate.cli][] like the batch and verify commands. The file it
writes is what ``redact = { detections = "..." }`` in a recipe reads back
([evidence_annotate.vision.findings][]).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

__all__ = ["SUMMARY", "add_arguments", "run"]

SUMMARY = ("find faces and text (labels, addresses, screens) in a clip and write them to a "
           "JSON file to review before a recipe hides them",
           "  evidence-annotate detect IMG_0042.MOV            # IMG_0042.detections.json\n"
           "  evidence-annotate detect IMG_0042.MOV --no-faces -o labels.json\n"
           "  (delete what is not private, add your own, then in the recipe:\n"
           "   redact = { detections = \"IMG_0042.detections.json\" })")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``detect`` command's arguments."""
    parser.add_argument("input", help="the clip to look through")
    parser.add_argument("-o", "--output", metavar="FILE.json",
                        help="where to write the detections (default: <clip>.detections.json "
                             "beside the clip)")
    parser.add_argument("--no-faces", action="store_true", help="do not look for faces")
    parser.add_argument("--no-text", action="store_true", help="do not look for text")
    parser.add_argument("--every", type=float, default=0.25, metavar="SECONDS",
                        help="seconds between detector runs (default: %(default)s)")
    parser.add_argument("--json", action="store_true",
                        help="print the detections as JSON instead of one line each")


def run(args: argparse.Namespace, emit: Callable[[str], None],
        note: Callable[[str], None]) -> int:
    """Detect, write the file, list what was found; the exit code (0)."""
    from .evidence import open as open_evidence
    from .vision.findings import save_findings, to_data

    ev = open_evidence(args.input)
    found = ev.detect(faces=not args.no_faces, text=not args.no_text, every=args.every)
    source = Path(args.input)
    target = Path(args.output) if args.output else source.with_name(
        f"{source.stem}.detections.json")
    save_findings(target, found, source=source, size=ev.info.size, duration=ev.duration)
    if args.json:
        emit(json.dumps(to_data(found, source=source.name, size=ev.info.size,
                                duration=ev.duration), indent=2))
    else:
        for detection in found:
            emit(detection.describe())
    note(f"wrote {target} ({len(found)} region{'s' if len(found) != 1 else ''}); review it, "
         f"then hide them with redact = {{ detections = \"{target.name}\" }} in a recipe")
    return 0
