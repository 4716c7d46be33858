"""The PDF report of a storyboard: title card, stills at output times, transcript, hashes.

[write_program_report][] is what
[Storyboard.report][evidence_annotate.evidence.board.Storyboard.report] calls.
Given the export's manifest, the program is first fitted the way that export was
(``fit="speed"`` or ``"trim"`` for its platform), so every time in the report is a time of
the exported video.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..deliver.board import fitted_program, program_inputs
from ..deliver.board_text import program_transcript
from ..deliver.manifest_read import read_manifest
from ..errors import PlatformLimitError
from ..output import check_output_path
from ..platforms import resolve_platform
from ..render.program import Program
from ..render.program_frames import program_frame
from ..speech.transcript import Transcript
from ..validate import path_like
from .pdf import write_report

__all__ = ["as_exported", "write_program_report", "write_program_stills"]


def write_program_stills(program: Program, folder: Path, times: list[float]) -> list[Path]:
    """PNG frames of the program at OUTPUT ``times``, written into ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, t in enumerate(times, start=1):
        target = folder / f"still{index:02d}_{t:08.3f}s.png"
        program_frame(program, t).save(target, format="PNG")
        paths.append(target)
    return paths


def as_exported(program: Program, manifest: Path | None) -> Program:
    """The program fitted as the export recorded in ``manifest`` was (unchanged without)."""
    if manifest is None:
        return program
    settings = read_manifest(manifest).get("settings") or {}
    fit, name = settings.get("fit"), settings.get("platform")
    if fit not in ("speed", "trim") or not isinstance(name, str):
        return program
    try:
        return fitted_program(program, resolve_platform(name), fit)
    except (ValueError, PlatformLimitError):
        return program


def _note(transcript: Transcript) -> str:
    check = "passed the checks" if transcript.confident else \
        f"LOW CONFIDENCE: {'; '.join(transcript.problems)}"
    return (f"Language {transcript.language} (probability "
            f"{transcript.language_probability:.2f}); model {transcript.model or '?'}; times "
            f"are on the evidence video; {check}")


def write_program_report(program: Program, path: str | os.PathLike[str], *,
                         manifest: Path | None = None) -> Path:
    """Write the PDF report of a program, atomically.

    Args:
        program: The storyboard's program.
        path: The ``.pdf`` to write.
        manifest: The export's ``.manifest.json``: its hashes (every input and output) are
            listed, and the program is fitted as that export was.

    Raises:
        InputError: ``manifest`` is not a manifest.
        OutputError: The PDF would replace an input, or cannot be written.
    """
    target = check_output_path(path_like(path, "path"), inputs=program_inputs(program),
                               suffixes=(".pdf",))
    program = as_exported(program, manifest)
    transcript = program_transcript(program)
    english = transcript.translation if transcript is not None else None
    card = program.card
    with tempfile.TemporaryDirectory(prefix="evidence_annotate-stills-") as work:
        times = program.still_times()
        stills = write_program_stills(program, Path(work), times)
        return write_report(
            target, title_rows=card.rows() if card else (),
            title=card.title if card else None, stills=list(zip(stills, times, strict=True)),
            transcript_text=transcript.text if transcript else None,
            segments=[(s.start, s.end, s.text) for s in transcript.segments]
            if transcript else (),
            manifest=manifest,
            transcript_note=_note(transcript) if transcript and transcript.segments else None,
            english=[(s.start, s.end, s.text) for s in english.segments] if english else ())
