"""One studio session: the opened clip, the plan being edited, and the files it may write.

A session owns exactly the files the user named when starting the studio: the clip (read
only), the recipe and its captions file (written by Save) and the export (written by
Export). Nothing the page sends names a path. Every edit goes through
[PlanEditor][evidence_annotate.editing.PlanEditor], so the page accepts exactly what the API does,
and every frame the page shows is [Evidence.preview][] of the edited plan.

The session shows one clip; a storyboard of several clips would add sources to
[StudioSession.state][] (``segments``) without changing the page's protocol.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..editing import PlanEditor
from ..evidence import Evidence
from ..evidence import open as open_evidence
from ..platforms import platforms
from ..progress import listen
from ..recipe import load_recipe
from ..recipe.write import captions_path_for, write_recipe
from ..sample import default_model

__all__ = ["ExportJob", "StudioPaths", "StudioSession"]


@dataclass(frozen=True)
class StudioPaths:
    """The files a session reads and writes (fixed when the studio starts).

    Attributes:
        clip: The source clip (never written).
        recipe: The recipe Save writes (read at start when it exists).
        captions: The captions file Save writes beside the recipe (source timeline).
        output: The video Export writes.
    """

    clip: Path
    recipe: Path
    captions: Path
    output: Path

    @classmethod
    def for_clip(cls, clip: Path, recipe: Path | None = None,
                 output: Path | None = None) -> StudioPaths:
        """The default files: ``<clip>.toml``, ``<recipe>.captions.srt``, ``<clip>-evidence.mp4``.

        Example:
            >>> StudioPaths.for_clip(Path("/v/clip.mp4")).recipe
            PosixPath('/v/clip.toml')
        """
        clip = clip.resolve()
        recipe = (recipe or clip.with_suffix(".toml")).resolve()
        output = (output or clip.with_name(f"{clip.stem}-evidence.mp4")).resolve()
        return cls(clip, recipe, captions_path_for(recipe), output)


@dataclass
class ExportJob:
    """The state of the session's export (one at a time).

    Attributes:
        state: ``"idle"``, ``"running"``, ``"done"`` or ``"failed"``.
        progress: Fraction done, 0..1.
        message: What happened (the output and its size, or the error's first line).
        check: ``check()``'s report for the chosen platform, as a dictionary.
    """

    state: str = "idle"
    progress: float = 0.0
    message: str = ""
    check: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready state."""
        return {"state": self.state, "progress": round(self.progress, 4),
                "message": self.message, "check": self.check}


class StudioSession:
    """The studio's state: the base clip, the edited evidence and the export job.

    Args:
        paths: The files of the session.
        platform: The platform preselected for Export (a recipe's ``platform`` wins).
        model: The speech model Transcribe uses (``None`` = the demo's default: the offline
            ``tiny.en`` when installed, else the library's default).

    Raises:
        InputError: The clip cannot be read.
        RecipeError: The recipe exists but is invalid.
    """

    def __init__(self, paths: StudioPaths, *, platform: str | None = None,
                 model: str | None = None) -> None:
        self.paths = paths
        self.model = model if model is not None else default_model()
        self.platform = platform or "generic"
        if paths.recipe.is_file():
            recipe = load_recipe(paths.recipe)
            self.evidence = replace(recipe, input=paths.clip).evidence(progress=False)
            self.platform = recipe.platform or self.platform
        else:
            self.evidence = open_evidence(paths.clip)
        self.editor = PlanEditor(self.evidence.context)
        self.job = ExportJob()
        self._lock = threading.RLock()

    def state(self) -> dict[str, Any]:
        """Everything the page shows: the clip, the output timeline, the document, the files."""
        with self._lock:
            ev = self.evidence
            info = ev.info
            return {
                "info": {"name": info.path.name, "width": info.width, "height": info.height,
                         "frame": list(ev.preview(0).size) if ev.duration > 0 else
                         [info.width, info.height],
                         "fps": float(info.frame_rate), "duration": info.duration},
                "timeline": self._timeline(),
                "document": self.editor.document(ev.plan),
                "platforms": list(platforms()), "platform": self.platform,
                "files": {"recipe": self.paths.recipe.name, "captions": self.paths.captions.name,
                          "output": self.paths.output.name},
                "features": {"save": True, "export": True, "transcribe": True},
                "export": self.job.to_dict(),
            }

    def _timeline(self) -> dict[str, Any]:
        timeline = self.evidence.timeline
        return {"card": timeline.card, "segments": [list(s) for s in timeline.segments],
                "duration": timeline.duration}

    def update(self, document: Any) -> dict[str, Any]:
        """Apply an edited document; return the normalized document and the timeline.

        Raises:
            EditError: The API refuses a value (the message names where).
        """
        with self._lock:
            plan = self.editor.apply(self.evidence.plan, document)
            self.evidence = replace(self.evidence, plan=plan)
            return {"document": self.editor.document(plan), "timeline": self._timeline()}

    def frame(self, t: float, mode: str = "result") -> bytes:
        """The output frame at OUTPUT time ``t`` as PNG: the edited plan, or bare footage.

        Raises:
            ValueError: ``t`` outside the output, or an unknown mode.
        """
        if mode not in ("result", "footage"):
            raise ValueError(f"mode={mode!r} must be 'result' or 'footage'")
        with self._lock:
            ev = self.evidence
            if mode == "footage":
                ev = replace(ev, plan=replace(ev.plan, layers=(), captions=None))
        if not 0 <= t < ev.duration:
            raise ValueError(f"t={t!r} must be in [0, {ev.duration:.3f}) s, the output's length")
        buffer = io.BytesIO()
        ev.preview(t).save(buffer, format="PNG")
        return buffer.getvalue()

    def save(self) -> dict[str, Any]:
        """Write the recipe and (when there are captions) the captions file.

        Raises:
            OutputError: A file cannot be written.
            ValueError: The plan cannot be written as a recipe.
        """
        with self._lock:
            ev = self.evidence
            write_recipe(ev, self.paths.recipe, output=self.paths.output,
                         platform=self.platform, captions=self.paths.captions)
        files = [self.paths.recipe.name]
        if ev.plan.captions is not None:
            files.append(self.paths.captions.name)
        return {"saved": files, "message": f"saved {' and '.join(files)}"}

    def transcribe(self) -> dict[str, Any]:
        """Transcribe the narration and burn it as captions (replacing existing captions).

        Raises:
            ModelError: The model cannot be loaded.
        """
        ev = self.evidence.transcribe(model=self.model, progress=False).captions()
        with self._lock:
            self.evidence = replace(self.evidence, transcript=ev.transcript,
                                    speech_model=ev.speech_model,
                                    plan=replace(self.evidence.plan, captions=ev.plan.captions))
            return {"document": self.editor.document(self.evidence.plan),
                    "timeline": self._timeline()}

    def start_export(self, platform: str) -> dict[str, Any]:
        """Start the export for ``platform`` in the background (one at a time).

        Raises:
            ValueError: An unknown platform, or an export is already running.
        """
        if platform not in platforms():
            raise ValueError(f"platform={platform!r} is unknown; use one of "
                             f"{', '.join(platforms())}")
        with self._lock:
            if self.job.state == "running":
                raise ValueError("an export is already running; wait for it to finish")
            self.platform = platform
            self.job = ExportJob("running", 0.0, f"exporting {self.paths.output.name}")
            ev, job = self.evidence, self.job
        threading.Thread(target=self._export, args=(ev, platform, job), daemon=True,
                         name="studio-export").start()
        return job.to_dict()

    def _export(self, ev: Evidence, platform: str, job: ExportJob) -> None:
        from ..platforms.check import check

        def moved(name: str, done: float, total: float) -> None:
            job.progress = min(0.99, done / total) if total > 0 else job.progress

        try:
            with listen(moved):
                result = ev.export(self.paths.output, platform=platform, progress=False)
            report = check(result.path, platform=platform)
            job.check = report.to_dict()
            job.check["text"] = str(report)
            job.message = (f"wrote {result.path.name}: {result.width}x{result.height}, "
                           f"{result.duration:.2f} s, {result.size_bytes / 1e6:.2f} MB")
            job.progress, job.state = 1.0, "done"
        except Exception as err:  # any failure is shown on the page, never lost in a thread
            lines = str(err).strip().splitlines() or [type(err).__name__]
            job.message, job.state = lines[0], "failed"
