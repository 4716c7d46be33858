"""What a storyboard (or a still, or a clip with time edits) makes: a mixin over its program.

Every method reads [program][ProgramOutputs.program], the
[Program][evidence_annotate.render.program.Program] of its segments, and hands it to the
renderers: the ffmpeg graph
([compile_program][evidence_annotate.render.program_graph.compile_program]), Pillow
previews and MoviePy ([evidence_annotate.render.program_frames][]) and delivery
([deliver_program][evidence_annotate.deliver.board.deliver_program]).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from ..cards import TitleCard
from ..deliver.board import deliver_program, program_inputs
from ..deliver.export import ExportResult
from ..media import MediaInfo
from ..output import atomic_output
from ..plan import Plan
from ..render.graph import ExportJob
from ..render.program import Part, Program, make_program
from ..render.program_frames import program_frame
from ..render.program_graph import compile_program
from ..render.run import ffmpeg_exe
from ..render.settings import EncodeSettings
from ..speech.transcript import Transcript
from ..timing import TimeLike, parse_time
from ..validate import path_like
from .board_outputs import BoardOutputs

if TYPE_CHECKING:
    from ..deliver.credentials import SigningIdentity
    from ..platforms import Platform

__all__ = ["OneClip", "ProgramOutputs", "clip_part", "package_keeps_manifest"]


class ProgramOutputs(BoardOutputs):
    """Outputs of anything that builds a [Program][evidence_annotate.render.program.Program]."""

    def program(self) -> Program:  # pragma: no cover - every user defines it
        """The program to render."""
        raise NotImplementedError

    @property
    def duration(self) -> float:
        """Duration of the OUTPUT in seconds (whole frames of every segment)."""
        return self.program().duration

    def preview(self, t: TimeLike = 0.0) -> Image.Image:
        """The output frame at OUTPUT time ``t`` as a ``PIL.Image`` (the export's frame).

        Example:
            >>> board.preview(4.5).save("frame.png")  # doctest: +SKIP
        """
        program = self.program()
        if (seconds := parse_time(t, name="t")) >= program.duration:
            raise ValueError(f"t={t!r} is past the end of the output ({program.duration:.3f} s)")
        return program_frame(program, seconds)

    def to_moviepy(self) -> Any:
        """The same video as a MoviePy clip (frames drawn like previews).

        Example: ``clip = board.to_moviepy(); clip.duration``.
        """
        from ..render.program_frames import to_moviepy

        return to_moviepy(self.program())

    def compile(self, path: str | os.PathLike[str], workdir: str | os.PathLike[str], *,
                crf: int = 20, speed: str = "medium") -> ExportJob:
        """Compile the export without running it: the ffmpeg argv and the ONE filter graph."""
        output, work = path_like(path, "path"), path_like(workdir, "workdir")
        return compile_program(self.program(), output, work,
                               settings=EncodeSettings(crf=crf, preset=speed),
                               ffmpeg=ffmpeg_exe())

    def export(self, path: str | os.PathLike[str], *, platform: str | Platform | None = None,
               fit: str | None = None, crf: int = 20, speed: str = "medium",
               audio_bitrate: str = "128k", keep_metadata: Sequence[str] = (),
               manifest: bool = True, progress: bool = True,
               sign: SigningIdentity | None = None,
               package: str | os.PathLike[str] | None = None) -> ExportResult:
        """Render every segment in ONE ffmpeg graph (H.264 + AAC), atomically.

        Segments are placed on one canvas (scaled to fit, never stretched), at one frame
        rate, each with its own overlays and captions; segments without sound get silence;
        no metadata of any source (EXIF, GPS, device tags) is copied.

        Args:
            path: Output file (``.mp4``, ``.m4v``, ``.mov`` or ``.mkv``).
            platform: A platform name or [Platform][evidence_annotate.platforms.Platform]
                whose limits to meet (size budget, resolution, duration).
            fit: When longer than the platform allows: ``"speed"`` plays the stretches
                without speech or annotations faster (narration and annotated moments stay
                at normal speed), ``"trim"`` keeps the first seconds, ``"split"`` writes
                numbered parts ``<name>_part1.mp4``, ... each within the limit, cut at
                segment joins or in pauses.
            crf: x264 quality (0-51).
            speed: x264 preset.
            audio_bitrate: AAC bitrate.
            keep_metadata: Tags of the first clip to keep, e.g. ``("creation_time",)``.
            manifest: Write ``<output>.manifest.json`` (every input's hash, segments, plans).
            progress: Show progress bars.
            sign: Sign the video with content credentials (C2PA) as the last step; every
                source (clips, photos) is recorded as an ingredient.
            package: Also write the evidence package (a ``.zip``, as ``package()`` makes it)
                holding the SAME video bytes, the manifest, captions, stills and report.

        Raises:
            ValueError: Bad options; ``package`` not a ``.zip``, or with ``manifest=False``.
            OutputError: The output would replace an input or cannot be written.
            PlatformLimitError: Too long (no fit, or speeding up cannot reach the limit:
                the message says by how much), or too small for the platform.
            RenderError: ffmpeg failed or wrote a wrong file.

        Example: ``board.export("evidence.mp4", platform="aliexpress", fit="speed")``.
        """
        settings = EncodeSettings(crf=crf, preset=speed, audio_bitrate=audio_bitrate)
        if package is not None:
            from ..report.board_package import export_program_with_package

            package_keeps_manifest(manifest)
            return export_program_with_package(
                self.program(), path, package, settings=settings, platform=platform, fit=fit,
                keep_metadata=keep_metadata, progress=progress, sign=sign)
        return deliver_program(self.program(), path, settings=settings, platform=platform,
                               fit=fit, keep_metadata=keep_metadata, manifest=manifest,
                               progress=progress, sign=sign)

    def stills(self, directory: str | os.PathLike[str],
               times: Sequence[TimeLike] | None = None) -> list[Path]:
        """Write PNG frames of the output (``None``: the card and the middle of each segment)."""
        program = self.program()
        folder = path_like(directory, "directory")
        chosen = [parse_time(t, name=f"times[{i}]") for i, t in enumerate(times)] \
            if times is not None else program.still_times()
        for index, t in enumerate(chosen):
            if t >= program.duration:
                raise ValueError(f"times[{index}]={t!r} is past the end of the output "
                                 f"({program.duration:.3f} s)")
        written = []
        for index, t in enumerate(chosen, start=1):
            target = folder / f"still{index:02d}_{t:08.3f}s.png"
            with atomic_output(target, inputs=program_inputs(program),
                               suffixes=(".png",)) as tmp:
                program_frame(program, t).save(tmp, format="PNG")
            written.append(target)
        return written


def package_keeps_manifest(manifest: object) -> None:
    """Refuse ``manifest=False`` (or anything but True) beside ``package=``.

    Raises:
        ValueError: The package holds the manifest, so it cannot be left out.
    """
    if manifest is not True:
        raise ValueError(f"manifest={manifest!r} with package=: the package holds the "
                         "manifest; drop manifest=False or package=")


def clip_part(info: MediaInfo, plan: Plan, transcript: Transcript | None) -> Part:
    """A clip as a program part: its plan without the title card, its words as speech."""
    speech = tuple((w.start, w.end) for w in transcript.words) if transcript is not None else ()
    return Part(info, replace(plan, title_card=None), None, "clip", speech, transcript)


@dataclass(frozen=True)
class OneClip(ProgramOutputs):
    """A single clip rendered as a program (for time edits and ``fit="speed"``).

    Attributes:
        part: The clip.
        card: Its title card.
    """

    part: Part
    card: TitleCard | None = None

    def program(self) -> Program:
        """The clip and its card as a program (canvas and frame rate of the clip)."""
        return make_program([self.part], self.card)
