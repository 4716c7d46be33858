"""Documents of a storyboard (or a still, or a clip with time edits): a mixin.

[BoardOutputs][] gives whatever builds a [Program][evidence_annotate.render.program.Program]
its transcript and captions on the OUTPUT timeline, the PDF report, the evidence package
and a platform check before export, as [Evidence][evidence_annotate.evidence.Evidence] has.

Example:
    >>> print(board.check("aliexpress"))                              # doctest: +SKIP
    >>> board.write_captions("evidence.srt")                          # doctest: +SKIP
    >>> board.report("evidence.pdf", manifest=result.manifest)        # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..captions.formats import write_captions
from ..deliver.board import program_inputs
from ..deliver.board_check import check_program
from ..deliver.board_text import program_cues, program_transcript
from ..render.program import Program
from ..render.settings import EncodeSettings
from ..speech.transcript import Transcript
from ..validate import path_like

if TYPE_CHECKING:
    from ..deliver.credentials import SigningIdentity
    from ..deliver.package import PackageResult
    from ..platforms import Platform
    from ..platforms.check import Report

__all__ = ["BoardOutputs"]


class BoardOutputs:
    """Transcript, captions, report, package and check of a program (a mixin)."""

    def program(self) -> Program:  # pragma: no cover - every user defines it
        """The program to render."""
        raise NotImplementedError

    @property
    def transcript(self) -> Transcript | None:
        """What is said, on the OUTPUT timeline (``None`` when no clip was transcribed).

        Every clip's words and segments are mapped through its cuts, freezes and speed
        changes and moved to where the clip plays; segments cut away are dropped.

        Example:
            >>> [(s.start, s.text) for s in board.transcript]   # doctest: +SKIP
            [(4.2, 'The box was crushed.'), ...]
        """
        return program_transcript(self.program())

    def write_captions(self, path: str | os.PathLike[str]) -> Path:
        """Write every clip's captions on the OUTPUT timeline (format by suffix).

        Each clip gives its caption track (``captions()``) or, without one, cues made from
        its transcript; ``.srt``, ``.vtt``, ``.ass``, ``.ssa`` or ``.json``.

        Raises:
            ValueError: No clip has captions or a transcript, or an unknown suffix.
            OutputError: The file would replace an input or cannot be written.

        Example:
            >>> board.write_captions("evidence.srt")            # doctest: +SKIP
        """
        program = self.program()
        cues = program_cues(program)
        if not cues:
            raise ValueError("no segment has captions or a transcript to write; call "
                             "transcribe() or captions(source=...) on a clip first")
        return write_captions(cues, path_like(path, "path"), width=program.size[0],
                              height=program.size[1], inputs=program_inputs(program))

    def report(self, path: str | os.PathLike[str], *,
               manifest: str | os.PathLike[str] | None = None) -> Path:
        """Write a PDF for platforms that take documents or images.

        It holds the title card fields, a still of the card and of every segment with its
        OUTPUT time, the transcript at output times and, given the export's manifest, the
        SHA-256 of every source and output (times then follow that export's ``fit``).

        Raises:
            InputError: ``manifest`` is not a manifest.
            OutputError: The PDF would replace an input or cannot be written.

        Example:
            >>> board.report("evidence.pdf", manifest=result.manifest)   # doctest: +SKIP
        """
        from ..report.board import write_program_report

        chosen = path_like(manifest, "manifest") if manifest is not None else None
        return write_program_report(self.program(), path, manifest=chosen)

    def check(self, platform: str | Platform = "generic") -> Report:
        """What [ea.check][evidence_annotate.platforms.check.check] would say of the export.

        Predicted before anything is encoded: container and codecs, duration (and whether
        ``fit="speed"`` reaches the limit), canvas resolution, sound.

        Example:
            >>> print(board.check("aliexpress"))        # doctest: +SKIP
        """
        return check_program(self.program(), platform)

    def package(self, path: str | os.PathLike[str], *, platform: str | Platform | None = None,
                fit: str | None = None, sign: SigningIdentity | None = None,
                progress: bool = True) -> PackageResult:
        """Video, manifest, captions, stills and report in one checked ZIP.

        ``ea.verify(path)`` checks it. Example:
        ``board.package("evidence.zip", platform="aliexpress", fit="speed")``.
        """
        from ..report.board_package import write_program_package

        return write_program_package(self.program(), path, settings=EncodeSettings(),
                                     platform=platform, fit=fit, progress=progress,
                                     sign=sign)
