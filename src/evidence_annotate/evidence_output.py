"""Output for :class:`~evidence_annotate.Evidence`: previews, exports, stills, reports."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from .evidence_base import EvidenceBase
from .export import ExportResult
from .render.graph import EncodeSettings, ExportJob, compile_export
from .units import TimeLike, parse_time

if TYPE_CHECKING:
    from .deliver import Fit
    from .platforms import Platform

__all__ = ["OutputMixin"]


class OutputMixin(EvidenceBase):
    """See the result: preview frames, MoviePy clips, exports, stills and PDF reports."""

    def preview(self, t: TimeLike = 0.0) -> Image.Image:
        """The output frame at OUTPUT time ``t`` (title card first) as a ``PIL.Image``.

        Example:
            >>> ev.preview(3.5).save("frame.png")  # doctest: +SKIP
        """
        from .render.preview import output_frame

        seconds = parse_time(t, name="t")
        if seconds >= self.duration:
            raise ValueError(f"t={t!r} is past the end of the output ({self.duration:.3f} s)")
        return output_frame(self.plan, self.info, seconds)

    def to_moviepy(self) -> Any:
        """The same composition as a MoviePy clip (title card, overlays, blur, captions).

        Example:
            >>> clip = ev.to_moviepy(); clip.duration  # doctest: +SKIP
        """
        from .render.moviepy import to_moviepy

        return to_moviepy(self.plan, self.info)

    def compile(self, path: str | os.PathLike[str], workdir: str | os.PathLike[str], *,
                crf: int = 20, speed: str = "medium") -> ExportJob:
        """Compile the export without running it: the exact ffmpeg argv and filter graph.

        Args:
            path: The output ffmpeg would write.
            workdir: A folder for the sprites and the graph file.
            crf: See :meth:`export`.
            speed: See :meth:`export`.

        Returns:
            The :class:`~evidence_annotate.render.graph.ExportJob`.
        """
        from .render.run import ffmpeg_exe

        return compile_export(self.plan, self.info, Path(path), Path(workdir),
                              settings=EncodeSettings(crf=crf, preset=speed), ffmpeg=ffmpeg_exe())

    def export(self, path: str | os.PathLike[str], *, platform: str | Platform | None = None,
               fit: Fit | None = None, crf: int = 20, speed: str = "medium",
               audio_bitrate: str = "128k", keep_metadata: Sequence[str] = (),
               manifest: bool = True, progress: bool = True) -> ExportResult:
        """Render the evidence video with ONE ffmpeg filter graph (H.264 + AAC).

        The output appears atomically (temp file + rename); on any failure nothing is left
        behind. The written file is probed and its duration checked against the plan. GPS,
        device and software tags are never copied; 10-bit/HDR footage becomes 8-bit bt709.

        Args:
            path: Output file (``.mp4``, ``.m4v``, ``.mov`` or ``.mkv``); its folder is created.
            platform: ``"aliexpress"``, ``"shopee"``, ``"generic"`` or an
                :class:`~evidence_annotate.platforms.Platform`: the export then meets its
                size limit (two-pass encoding, lower resolution when needed) and is refused
                when longer than allowed unless ``fit`` is given, or when the picture is
                smaller than its minimum resolution (it is never upscaled).
            fit: ``"split"`` writes numbered parts ``<name>_part1.mp4``, ... each within the
                limits, cut between words; ``"trim"`` keeps the first allowed seconds.
            crf: x264 quality (0-51, lower = better and bigger).
            speed: x264 preset, ``"ultrafast"`` ... ``"veryslow"``.
            audio_bitrate: AAC bitrate.
            keep_metadata: Source tags to keep, e.g. ``("creation_time",)``.
            manifest: Write ``<output>.manifest.json`` with SHA-256 hashes and the plan.
            progress: Show progress bars.

        Returns:
            An :class:`~evidence_annotate.export.ExportResult` (``paths`` lists every part,
            ``manifest`` the manifest).

        Raises:
            OutputError: ``path`` is the input (also via a link), a folder, or not writable.
            PlatformLimitError: Too long for the platform and no ``fit`` given, or below
                its minimum resolution (raised before encoding).
            RenderError: ffmpeg failed (its stderr is attached) or wrote a wrong file.

        Example:
            >>> ev.export("evidence.mp4", platform="aliexpress", fit="split")  # doctest: +SKIP
        """
        from .deliver import deliver

        settings = EncodeSettings(crf=crf, preset=speed, audio_bitrate=audio_bitrate)
        return deliver(self.plan, self.info, self.transcript, path, settings=settings,
                       platform=platform, fit=fit, keep_metadata=keep_metadata,
                       manifest=manifest, progress=progress, speech_model=self.speech_model)

    def stills(self, directory: str | os.PathLike[str],
               times: Sequence[TimeLike] | None = None) -> list[Path]:
        """Write PNG frames of the annotated output (title card included).

        Args:
            directory: Folder for the PNGs (created).
            times: OUTPUT times; ``None`` = the title card plus the middle of every box,
                arrow and text window.

        Returns:
            The PNG paths, in the order of ``times``.

        Example:
            >>> ev.stills("stills", times=[1.5, 6.0])  # doctest: +SKIP
        """
        from .stills import write_stills

        return write_stills(self.plan, self.info, directory, times)

    def report(self, path: str | os.PathLike[str], *,
               manifest: str | os.PathLike[str] | None = None) -> Path:
        """Write a PDF for platforms that take documents or images.

        It holds the title card fields, stills with their times, the transcript (output
        times) and, given an export's manifest, the SHA-256 of every file.

        Example:
            >>> result = ev.export("evidence.mp4")                    # doctest: +SKIP
            >>> ev.report("evidence.pdf", manifest=result.manifest)   # doctest: +SKIP
        """
        from .stills import write_report_for

        return write_report_for(self.plan, self.info, self.transcript, path,
                                manifest=Path(manifest) if manifest is not None else None)
