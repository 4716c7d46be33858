"""Re-rendering an edit from the original and comparing it with the delivered video, frame by frame.

A version 2 manifest records everything an export rendered: the plan (every layer with its
parameters and window, the title card, the captions' cues and style, the kept ranges), for
every output its own kept ranges, title card and exact encoder settings (x264 threads, two
passes and bitrate after a platform budget, output size), and the renderer's versions. Given
the original recording, [rerender_outputs][] renders every output again with the same ONE
ffmpeg graph and encoder settings, decodes both files with ffmpeg's ``framemd5`` and
compares them frame by frame (video and audio). The first frame that differs is reported
with its output time.

x264 and the AAC encoder are deterministic for the same build, settings and thread count, so
an honest edit reproduces every frame. When the ffmpeg build, Pillow, FreeType or the library
differ from the recorded ones and frames differ, the result is ``"inconclusive"``, not a
mismatch: re-check with the recorded versions.

Example:
    >>> import evidence_annotate as ea
    >>> result = ea.verify("evidence.mp4.manifest.json", original="IMG_0042.MOV")  # doctest: +SKIP
    >>> [(c.name, c.state) for c in result.rerendered]                            # doctest: +SKIP
    [('evidence.mp4', 'match')]
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from ..cards import TitleCard
from ..errors import InputError, RenderError
from ..media import MediaInfo, media_url, probe
from ..output import sha256_file
from ..plan import Plan
from ..render.run import die_with_parent, ffmpeg_exe
from ..render.settings import EncodeSettings
from .environment import environment_differences, render_environment
from .export import render_into
from .manifest import SCHEMA, captions_sha256
from .replan import PlanDataError, from_plain, plan_from_dict

__all__ = ["FrameDifference", "RerenderCheck", "frame_hashes", "rerender_outputs"]

State = Literal["match", "mismatch", "inconclusive"]
Hashes = dict[int, list[tuple[int, str]]]


@dataclass(frozen=True)
class FrameDifference:
    """The first frame where a re-render and the delivered video differ.

    Attributes:
        stream: ``"video"`` or ``"audio"``.
        index: The frame's number in that stream of the output (0 = first).
        time: Its OUTPUT time in seconds (``None`` when one file has no frame there).
        detail: What differs (the pixels, the timestamp, or a missing frame).
    """

    stream: Literal["video", "audio"]
    index: int
    time: float | None
    detail: str

    def __str__(self) -> str:
        at = f" at {self.time:.3f} s" if self.time is not None else ""
        return f"{self.stream} frame {self.index}{at}: {self.detail}"


@dataclass(frozen=True)
class RerenderCheck:
    """One output rendered again from the original and compared frame by frame.

    Attributes:
        name: The output as the manifest names it.
        state: ``"match"`` (every frame identical), ``"mismatch"`` (a frame differs and
            the renderer is the recorded one) or ``"inconclusive"`` (a frame differs but
            the renderer is not the recorded one).
        frames: Video frames compared (the delivered file's).
        first_difference: The first differing frame, if any.
        reason: The result in one sentence.
        environment: What differs between the recorded renderer and this one.
    """

    name: str
    state: State
    frames: int
    first_difference: FrameDifference | None
    reason: str
    environment: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every frame of the re-render equals the delivered one."""
        return self.state == "match"

    def __str__(self) -> str:
        return f"re-render {self.name}: {self.state.upper()}: {self.reason}"


def frame_hashes(path: Path) -> tuple[Hashes, dict[int, Fraction]]:
    """MD5 of every decoded frame of the first video and audio stream, with timestamps.

    Args:
        path: A video file.

    Returns:
        ``({stream: [(pts, md5), ...]}, {stream: time base})``; stream 0 is the video,
        1 the audio (when there is one).

    Raises:
        RenderError: ffmpeg cannot decode the file.
    """
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i",
            media_url(path), "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "rawvideo",
            "-c:a", "pcm_f32le", "-fps_mode", "passthrough", "-f", "framemd5", "-"]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False,
                          preexec_fn=die_with_parent())
    if proc.returncode != 0:
        raise RenderError(f"ffmpeg cannot decode {path.name} to hash its frames",
                          proc.stderr[-4000:], tuple(argv))
    hashes: Hashes = {}
    bases: dict[int, Fraction] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("#tb "):
            stream, _, base = line[4:].partition(":")
            bases[int(stream)] = Fraction(base.strip())
        elif line and not line.startswith("#"):
            parts = [p.strip() for p in line.split(",")]
            hashes.setdefault(int(parts[0]), []).append((int(parts[2]), parts[5]))
    return hashes, bases


def _first_difference(delivered: tuple[Hashes, dict[int, Fraction]],
                      again: tuple[Hashes, dict[int, Fraction]]) -> FrameDifference | None:
    for stream, kind in ((0, "video"), (1, "audio")):
        ours, theirs = delivered[0].get(stream, []), again[0].get(stream, [])
        base = delivered[1].get(stream) or again[1].get(stream) or Fraction(1)
        for index in range(max(len(ours), len(theirs))):
            if index >= len(ours) or index >= len(theirs):
                have = "the delivered video" if index < len(ours) else "the re-render"
                start = (ours if index < len(ours) else theirs)[index][0]
                return FrameDifference(kind, index, float(start * base),  # type: ignore[arg-type]
                                       f"only {have} has this frame ({len(ours)} frames "
                                       f"delivered, {len(theirs)} re-rendered)")
            (pts, digest), (pts2, digest2) = ours[index], theirs[index]
            if pts != pts2:
                return FrameDifference(kind, index, float(pts * base),  # type: ignore[arg-type]
                                       f"timestamp {float(pts * base):.6f} s delivered, "
                                       f"{float(pts2 * again[1].get(stream, base)):.6f} s "
                                       "re-rendered")
            if digest != digest2:
                return FrameDifference(kind, index, float(pts * base),  # type: ignore[arg-type]
                                       "the decoded pixels differ" if kind == "video"
                                       else "the decoded samples differ")
    return None


def _render_record(data: Mapping[str, Any], manifest: Path) -> Mapping[str, Any]:
    schema = data.get("schema")
    if schema != SCHEMA:
        raise PlanDataError(
            f"{manifest.name} is a manifest of schema {str(schema)[:80]!r}; re-rendering "
            f"needs {SCHEMA!r}, which records the captions' cues and the exact encoder "
            "settings. Its hashes can still be checked without original=; re-export with "
            "this version to make the edit re-checkable", manifest)
    render = data.get("render")
    if not isinstance(render, Mapping) or not isinstance(render.get("outputs"), list) \
            or not isinstance(render.get("environment"), Mapping):
        raise PlanDataError(f"{manifest.name} has no usable 'render' record (environment and "
                            "outputs); the manifest was changed", manifest)
    return render


def _output_job(record: Any, plan: Plan, index: int, manifest: Path
                ) -> tuple[str, Plan, EncodeSettings]:
    where = f"render.outputs[{index}]"
    if not isinstance(record, Mapping) or not isinstance(record.get("name"), str):
        raise PlanDataError(f"{where} has no name; the manifest was changed", manifest)
    try:
        keep = from_plain(tuple[tuple[float, float], ...] | None, record.get("keep"),
                          f"{where}.keep")
        card = from_plain(TitleCard | None, record.get("title_card"), f"{where}.title_card")
        encoder = record.get("encoder")
        if not isinstance(encoder, Mapping):
            raise PlanDataError(f"{where} has no encoder settings")
        settings = from_plain(EncodeSettings, dict(encoder), f"{where}.encoder")
    except PlanDataError as err:
        raise PlanDataError(f"{manifest.name}: {err}", manifest) from None
    return record["name"], replace(plan, keep=keep, title_card=card), settings


def _check_one(name: str, delivered: Path, plan: Plan, info: MediaInfo,
               settings: EncodeSettings, differences: tuple[str, ...], original_note: str,
               progress: bool) -> RerenderCheck:
    if not delivered.is_file():
        return RerenderCheck(name, "mismatch", 0, None, f"{name} is missing; nothing to "
                             "compare the re-render with", differences)
    with tempfile.TemporaryDirectory(prefix="evidence_annotate-rerender-") as work:
        again = Path(work) / f"rerender{delivered.suffix.lower()}"
        render_into(plan, info, again, Path(name), settings=settings, progress=progress)
        ours, theirs = frame_hashes(delivered), frame_hashes(again)
    first = _first_difference(ours, theirs)
    frames = len(ours[0].get(0, []))
    if first is None:
        also = f"; the renderer differs ({'; '.join(differences)})" if differences else ""
        return RerenderCheck(name, "match", frames, None,
                             f"all {frames} video and {len(ours[0].get(1, []))} audio frames "
                             f"of the re-render equal the delivered ones{original_note}{also}",
                             differences)
    if differences:
        return RerenderCheck(
            name, "inconclusive", frames, first,
            f"first difference: {first}; but this is not the recorded renderer "
            f"({'; '.join(differences)}), and frame hashes reproduce only with the same "
            "ffmpeg build and libraries: re-check with those (IMAGEIO_FFMPEG_EXE names the "
            "ffmpeg to use) before calling it a mismatch", differences)
    return RerenderCheck(name, "mismatch", frames, first,
                         f"first difference: {first}; the delivered video is not what the "
                         f"manifest's plan renders from this original{original_note}",
                         differences)


def rerender_outputs(data: Mapping[str, Any], manifest: Path, outputs: Mapping[str, Path],
                     original: Path, *, progress: bool = False) -> tuple[RerenderCheck, ...]:
    """Re-render every output of a parsed manifest from ``original`` and compare frames.

    Args:
        data: The manifest's data (read with
            [read_manifest][evidence_annotate.deliver.manifest_read.read_manifest]).
        manifest: The manifest's path (for messages).
        outputs: Output name (as recorded) -> the delivered file to compare with.
        original: The original recording.
        progress: Show the re-render's progress.

    Returns:
        One [RerenderCheck][] per output of the manifest's ``render`` record.

    Raises:
        PlanDataError: Not a version 2 manifest, or its plan or render record cannot be read.
        InputError: The original is missing or not a video.
        RenderError: ffmpeg failed to render or decode.
    """
    render = _render_record(data, manifest)
    try:
        plan = plan_from_dict(data.get("plan") or {})
    except PlanDataError as err:
        raise PlanDataError(f"{manifest.name}: {err}", manifest) from None
    recorded = (data.get("plan") or {}).get("captions") or {}
    if plan.captions is not None and recorded.get("sha256") != captions_sha256(plan.captions):
        raise PlanDataError(f"{manifest.name}: the captions' cues do not match their recorded "
                            "SHA-256; the manifest was changed", manifest)
    source = Path(original)
    if not source.is_file():
        raise InputError(f"original {str(source)!r} does not exist; pass the original "
                         "recording the export was made from", source)
    info = probe(source)
    note = ""
    expected = (data.get("input") or {}).get("sha256")
    if sha256_file(source) != expected:
        note = (f"; {source.name} is not byte-identical to the recorded input "
                f"{(data.get('input') or {}).get('name')!r} (SHA-256 differs)")
    differences = tuple(environment_differences(render["environment"], render_environment()))
    jobs = [_output_job(record, plan, i, manifest)
            for i, record in enumerate(render["outputs"])]
    checks = [RerenderCheck(name, "mismatch", 0, None, f"{name} is an output but the render "
                            "record does not say how it was rendered; the manifest was changed",
                            differences)
              for name in outputs if name not in {job[0] for job in jobs}]
    for name, part, settings in jobs:
        delivered = outputs.get(name)
        if delivered is None:
            checks.append(RerenderCheck(name, "mismatch", 0, None, f"{name} is in the render "
                                        "record but not among the outputs", differences))
            continue
        checks.append(_check_one(name, delivered, part, info, settings, differences, note,
                                 progress))
    return tuple(checks)
