"""What an [Evidence][evidence_annotate.evidence.Evidence] makes: previews, exports, stills.

These methods only read the evidence's source ([MediaInfo][evidence_annotate.media.MediaInfo]),
its [Plan][evidence_annotate.plan.Plan] and its transcript; they never change it. They live
apart from the building methods so each file has one job.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import Image

from ..deliver.export import ExportResult
from ..deliver.pipeline import Fit, deliver
from ..media import MediaInfo
from ..plan import Plan
from ..render.graph import ExportJob, compile_export
from ..render.run import ffmpeg_exe
from ..render.settings import EncodeSettings
from ..speech.transcript import Transcript
from ..timing import TimeLike, parse_time
from ..validate import path_like
from .program_outputs import OneClip, clip_part, package_keeps_manifest

if TYPE_CHECKING:
    from ..deliver.credentials import SigningIdentity
    from ..deliver.package import PackageResult
    from ..platforms import Platform
    from ..report.bundle import OriginalMode

__all__ = ["Outputs"]


class Outputs:
    """The output half of [Evidence][evidence_annotate.evidence.Evidence] (a mixin)."""

    info: MediaInfo
    plan: Plan
    transcript: Transcript | None
    speech_model: str | None

    def _retimed(self) -> OneClip | None:
        """With time edits, the clip as a program (the storyboard renderer plays them)."""
        if not self.plan.edits:
            return None
        return OneClip(clip_part(self.info, self.plan, self.transcript), self.plan.title_card)

    @property
    def duration(self) -> float:
        """Duration of the OUTPUT in seconds (title card included, cuts removed)."""
        if (retimed := self._retimed()) is not None:
            return retimed.duration
        return self.plan.timeline(self.info.frame_rate, self.info.duration).duration

    def preview(self, t: TimeLike = 0.0) -> Image.Image:
        """The output frame at OUTPUT time ``t`` (title card first) as a ``PIL.Image``.

        Example:
            >>> ev.preview(3.5).save("frame.png")  # doctest: +SKIP
        """
        from ..render.preview import output_frame

        if (retimed := self._retimed()) is not None:
            return retimed.preview(t)
        if (seconds := parse_time(t, name="t")) >= self.duration:
            raise ValueError(f"t={t!r} is past the end of the output ({self.duration:.3f} s)")
        return output_frame(self.plan, self.info, seconds)

    def to_moviepy(self) -> Any:
        """The same composition as a MoviePy clip (title card, cuts, overlays, captions).

        Example: ``clip = ev.to_moviepy(); clip.duration``.
        """
        from ..render.moviepy import to_moviepy

        if (retimed := self._retimed()) is not None:
            return retimed.to_moviepy()
        return to_moviepy(self.plan, self.info)

    def compile(self, path: str | os.PathLike[str], workdir: str | os.PathLike[str], *,
                crf: int = 20, speed: str = "medium") -> ExportJob:
        """Compile the export without running it: the exact ffmpeg argv and filter graph.

        ``path`` is the output ffmpeg would write, ``workdir`` a folder for sprites and the
        graph file; ``crf`` and ``speed`` as in [export][]. Returns the
        [ExportJob][evidence_annotate.render.graph.ExportJob] (argv, graph, inputs).
        """
        if (retimed := self._retimed()) is not None:
            return retimed.compile(path, workdir, crf=crf, speed=speed)
        output, work = path_like(path, "path"), path_like(workdir, "workdir")
        return compile_export(self.plan, self.info, output, work,
                              settings=EncodeSettings(crf=crf, preset=speed), ffmpeg=ffmpeg_exe())

    def export(self, path: str | os.PathLike[str], *, platform: str | Platform | None = None,
               fit: Fit | None = None, crf: int = 20, speed: str = "medium",
               audio_bitrate: str = "128k", keep_metadata: Sequence[str] = (),
               manifest: bool = True, progress: bool = True,
               sign: SigningIdentity | None = None,
               package: str | os.PathLike[str] | None = None,
               original: OriginalMode = "none") -> ExportResult:
        """Render the evidence video with ONE ffmpeg filter graph (H.264 + AAC).

        The output appears atomically (temp file + rename); on any failure nothing is left
        behind. The written file is probed and its duration checked against the plan. GPS,
        device and software tags are never copied; 10-bit/HDR footage becomes 8-bit bt709.

        Args:
            path: Output file (``.mp4``, ``.m4v``, ``.mov`` or ``.mkv``); its folder is created.
            platform: ``"aliexpress"``, ``"shopee"``, ``"generic"`` or an
                [Platform][evidence_annotate.platforms.Platform]: the export then meets its
                size limit (two-pass encoding, lower resolution when needed); it is refused
                when longer than allowed unless ``fit`` is given, or when the picture is
                below its minimum resolution (it is never upscaled).
            fit: ``"split"`` writes numbered parts ``<name>_part1.mp4``, ... each within the
                limits, cut between words; ``"trim"`` keeps the first allowed seconds;
                ``"speed"`` plays the stretches without speech or annotations faster.
            crf: x264 quality (0-51, lower = better and bigger).
            speed: x264 preset, ``"ultrafast"`` ... ``"veryslow"``.
            audio_bitrate: AAC bitrate.
            keep_metadata: Source tags to keep, e.g. ``("creation_time",)``.
            manifest: Write ``<output>.manifest.json`` with SHA-256 hashes and the plan.
            progress: Show progress bars.
            sign: Sign with content credentials (C2PA, see `deliver.credentials`).
            package: Also write the evidence package (a ``.zip``, as [package][] makes it)
                holding the SAME video bytes (encoded once), the manifest, captions, stills
                and report; everything appears together or not at all. With ``platform``,
                the video leaves room for the stills and report so the package fits.
            original: With ``package``: ``"exact"`` or ``"private"`` adds the original
                (see [package][]).

        Returns:
            An [ExportResult][evidence_annotate.deliver.export.ExportResult] (every part;
            ``package`` set when one was written).

        Raises:
            ValueError: ``package`` is not a ``.zip``, is the video or an input; ``package``
                with ``manifest=False``; ``original`` without ``package``.
            OutputError: ``path`` is the input (also via a link), a folder, or not writable.
            PlatformLimitError: Too long (and no ``fit``) or too small for the platform.
            RenderError: ffmpeg failed (its stderr is attached) or wrote a wrong file.

        Example: ``ev.export("evidence.mp4", platform="aliexpress", package="evidence.zip")``.
        """
        retimed = self._retimed()
        if fit == "speed" and retimed is None:
            retimed = OneClip(clip_part(self.info, self.plan, self.transcript),
                              self.plan.title_card)
        if retimed is not None:
            if original != "none":
                raise ValueError(f"original={original!r} is not available with time edits or "
                                 "fit='speed'; drop original=, or freeze()/speed()")
            return retimed.export(path, platform=platform, fit=fit, crf=crf, speed=speed,
                                  audio_bitrate=audio_bitrate, keep_metadata=keep_metadata,
                                  manifest=manifest, progress=progress, sign=sign,
                                  package=package)
        settings = EncodeSettings(crf=crf, preset=speed, audio_bitrate=audio_bitrate)
        if package is not None:
            from ..report.bundle import export_with_package

            package_keeps_manifest(manifest)
            return export_with_package(
                self.plan, self.info, self.transcript, path, package, settings=settings,
                platform=platform, fit=fit, keep_metadata=keep_metadata, original=original,
                progress=progress, speech_model=self.speech_model, sign=sign)
        if original != "none":
            raise ValueError(f"original={original!r} needs package=: the original goes into "
                             "the evidence package, e.g. package='evidence.zip'")
        return deliver(self.plan, self.info, self.transcript, path, settings=settings,
                       platform=platform, fit=fit, keep_metadata=keep_metadata,
                       manifest=manifest, progress=progress, speech_model=self.speech_model,
                       sign=sign)

    def stills(self, directory: str | os.PathLike[str],
               times: Sequence[TimeLike] | None = None) -> list[Path]:
        """Write PNG frames of the annotated output (title card included).

        ``times`` are OUTPUT times (``None``: the title card and the middle of every window
        worth a still, else 4 evenly spaced), e.g. ``ev.stills("stills", times=[1.5, 6])``.
        """
        from ..report.stills import write_stills

        if (retimed := self._retimed()) is not None:
            return retimed.stills(directory, times)
        return write_stills(self.plan, self.info, directory, times)

    def report(self, path: str | os.PathLike[str], *,
               manifest: str | os.PathLike[str] | None = None) -> Path:
        """Write a PDF for platforms that take documents or images.

        It holds the title card fields, stills with their times, the transcript (output
        times) and, given an export's manifest, the SHA-256 of every file. Example:
        ``ev.report("evidence.pdf", manifest=ev.export("evidence.mp4").manifest)``.
        """
        from ..report.stills import write_report_for

        if (retimed := self._retimed()) is not None:
            return retimed.report(path, manifest=manifest)
        return write_report_for(self.plan, self.info, self.transcript, path,
                                manifest=Path(manifest) if manifest is not None else None)

    def package(self, path: str | os.PathLike[str], *, platform: str | Platform | None = None,
                fit: Fit | None = None, original: OriginalMode = "none",
                sign: SigningIdentity | None = None) -> PackageResult:
        """Video, manifest, captions, stills, report (and the original) in one checked ZIP."""
        from ..report.bundle import write_package_for

        retimed = self._retimed()
        if fit == "speed" and retimed is None:
            retimed = OneClip(clip_part(self.info, self.plan, self.transcript),
                              self.plan.title_card)
        if retimed is not None and original == "none":
            return retimed.package(path, platform=platform, fit=fit, sign=sign)
        return write_package_for(self.plan, self.info, self.transcript, path,
                                 settings=EncodeSettings(), platform=platform, fit=fit,
                                 original=original, speech_model=self.speech_model, sign=sign)
