"""Stills (PNG frames of the annotated output) and the PDF report built from them."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..deliver.export import plan_inputs
from ..media import MediaInfo
from ..output import atomic_output, check_output_path
from ..overlays.base import PRIVACY
from ..plan import Plan
from ..render.preview import output_frame
from ..speech.transcript import Transcript
from ..timing import TimeLike, Timeline, format_time, parse_time
from ..validate import path_like
from .continuity import continuity_sheet
from .pdf import write_report

__all__ = ["default_still_times", "hidden", "write_report_for", "write_stills"]


EVEN_STILLS = 4
"""How many evenly spaced stills a clip without a title card or drawn overlays gets."""


def default_still_times(plan: Plan, info: MediaInfo) -> list[float]:
    """Output times worth a still: the title card, then the middle of every drawn window.

    A plan with neither gets [EVEN_STILLS][] evenly spaced times instead.
    """
    timeline = plan.timeline(info.frame_rate, info.duration)
    times: list[float] = []
    if plan.title_card is not None:
        times.append(timeline.card / 2)
    for layer in plan.layers:
        if not layer.still:
            continue
        start, end = layer.span.bounded(info.duration)
        for out_start, out_end in timeline.map_span(start, end)[:1]:
            times.append(round((out_start + out_end) / 2, 3))
    if not times:
        step = timeline.duration / EVEN_STILLS
        times = [round(step * (i + 0.5), 3) for i in range(EVEN_STILLS)]
    return sorted(set(times))


def write_stills(plan: Plan, info: MediaInfo, directory: str | os.PathLike[str],
                 times: Sequence[TimeLike] | None = None) -> list[Path]:
    """Write PNG frames of the output at OUTPUT ``times`` into ``directory`` (created).

    Returns:
        The paths, in the order of ``times``.

    Raises:
        ValueError: A time is not within the output.
    """
    timeline = plan.timeline(info.frame_rate, info.duration)
    chosen = ([parse_time(t, name="times") for t in times] if times is not None
              else default_still_times(plan, info))
    for t in chosen:
        if t >= timeline.duration:
            raise ValueError(f"still time {t:.3f} s is past the end of the output "
                             f"({timeline.duration:.3f} s); times are on the OUTPUT timeline")
    folder = path_like(directory, "directory")
    stem = info.path.stem
    paths = []
    for index, t in enumerate(chosen, start=1):
        target = folder / f"{stem}_still{index:02d}_{t:08.3f}s.png"
        with atomic_output(target, inputs=plan_inputs(plan, info), suffixes=(".png",)) as tmp:
            output_frame(plan, info, t).save(tmp, format="PNG")
        paths.append(target)
    return paths


def spoken_rows(plan: Plan, timeline: Timeline) -> list[str]:
    """One line per spoken redaction: kind, output times, found how, masked how; no content."""
    lines = []
    for r in plan.speech_redactions:
        spans = timeline.map_span(r.start, max(r.end, r.start + 1e-3))
        when = (f"{format_time(spans[0][0])}-{format_time(spans[-1][1])}" if spans
                else "cut from the output")
        how = "found automatically" if r.automatic else "marked by hand"
        sound = {"bleep": "bleeped", "mute": "muted", "keep": "sound kept"}.get(r.audio, r.audio)
        lines.append(f"{r.kind}   {when}   {how}; captions {r.mask}; {sound}")
    return lines


def write_report_for(plan: Plan, info: MediaInfo, transcript: Transcript | None,
                     path: str | os.PathLike[str], *, manifest: Path | None = None) -> Path:
    """A PDF report: title card, stills, continuity view, transcript, manifest hashes."""
    path = check_output_path(path_like(path, "path"), inputs=plan_inputs(plan, info),
                             suffixes=(".pdf",))
    timeline = plan.timeline(info.frame_rate, info.duration)

    def rows(t: Transcript | None) -> list[tuple[float, float, str]]:
        out = []
        for segment in t.segments if t is not None else ():
            spans = timeline.map_span(segment.start, max(segment.end, segment.start + 1e-3))
            if spans:
                out.append((spans[0][0], spans[-1][1], segment.text))
        return out
    note = None
    if transcript is not None and transcript.segments:
        check = "passed the checks" if transcript.confident else \
            f"LOW CONFIDENCE: {'; '.join(transcript.problems)}"
        note = (f"Language {transcript.language} (probability "
                f"{transcript.language_probability:.2f}); model {transcript.model or '?'}; "
                f"{'reviewed by a person; ' if transcript.reviewed else ''}{check}")
    card = plan.title_card
    with tempfile.TemporaryDirectory(prefix="evidence_annotate-stills-") as work:
        times = default_still_times(plan, info) or [timeline.duration / 2]
        stills = write_stills(plan, info, work, times)
        sheet = Path(work) / "continuity.png"
        continuity_sheet(plan, info).save(sheet, format="PNG")
        return write_report(Path(path), title_rows=card.rows() if card else (),
                            title=card.title if card else None,
                            stills=list(zip(stills, times, strict=True)),
                            transcript_text=transcript.text if transcript else None,
                            segments=rows(transcript), manifest=manifest, transcript_note=note,
                            english=rows(transcript.translation if transcript else None),
                            continuity=sheet, spoken=spoken_rows(plan, timeline),
                            redactions=hidden(plan, info))


def hidden(plan: Plan, info: MediaInfo) -> list[str]:
    """One line per privacy layer: output times, where, why; never what it hides."""
    timeline = plan.timeline(info.frame_rate, info.duration)
    lines = []
    for layer in plan.layers:
        if layer.order != PRIVACY:
            continue
        spans = timeline.map_span(layer.span.start, layer.span.bounded(info.duration)[1])
        when = (f"{format_time(spans[0][0])}-{format_time(spans[-1][1])}" if spans
                else "cut from the output")
        lines.append(f"{when}   {layer.kind} {layer.describe()}")
    return lines
