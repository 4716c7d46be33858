"""The names an export writes: its parts and its manifest, reserved together before encoding.

[deliver][evidence_annotate.deliver.pipeline.deliver] (one clip) and
[deliver_program][evidence_annotate.deliver.board.deliver_program] (a storyboard) both reserve
their files here, so a split export's part names, the manifest's name and its checks are the
same whichever renderer made the video.

Example:
    >>> from pathlib import Path
    >>> [p.name for p in part_names(Path("out/evidence.mp4"), 2)]
    ['evidence_part1.mp4', 'evidence_part2.mp4']
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import OutputError
from ..output import OutputSet
from .export import VIDEO_SUFFIXES

__all__ = ["part_names", "reserve"]


def part_names(target: Path, count: int) -> list[Path]:
    """``[target]`` for one part, else ``<stem>_part1<suffix>``, ... beside it."""
    if count <= 1:
        return [target]
    return [target.with_name(f"{target.stem}_part{i}{target.suffix}")
            for i in range(1, count + 1)]


def reserve(outputs: OutputSet, names: Sequence[Path], target: Path,
            manifest: bool) -> tuple[list[Path], Path | None, Path | None]:
    """Reserve every video name and the manifest's in ``outputs``.

    Returns:
        The temporary files of the videos, the manifest's path (``None`` without one) and
        its temporary file.

    Raises:
        OutputError: A name is unusable, or the manifest would replace a folder.
    """
    temps = [outputs.add(name, suffixes=VIDEO_SUFFIXES) for name in names]
    manifest_path = target.with_name(target.name + ".manifest.json") if manifest else None
    if manifest_path is not None and os.path.isdir(manifest_path):
        raise OutputError(f"the manifest {str(manifest_path)!r} would replace a folder of "
                          "that name; rename that folder, choose another output name, or "
                          "pass manifest=False", manifest_path)
    manifest_tmp = outputs.add(manifest_path, suffixes=(".json",)) if manifest_path else None
    return temps, manifest_path, manifest_tmp

