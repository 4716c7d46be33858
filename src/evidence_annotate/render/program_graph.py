"""Compile a [Program][evidence_annotate.render.program.Program] into ONE ffmpeg filter graph.

Every part goes through the single-clip export's own pieces: its source made upright, SDR
and yuv420p, then its overlays and captions on its own clock (both from
[evidence_annotate.render.graph][]); then its time edits
([retime_video][evidence_annotate.render.retime.retime_video]), one frame rate
(``fps``), an exact number of frames, and its place on the canvas (scaled to fit, never
stretched, over a blurred copy of itself or a solid colour). Stills are
looped PNGs written into the work folder from their clean pixels. Sound: each part's own,
or silence, exactly as long as its frames. Everything is joined with ``concat``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from ..cards import draw_title_card
from ..filtergraph import FilterGraph, num, rate
from ..geometry import even_up
from ..media import media_url
from .frames import frame_times, trim_bounds
from .graph import ExportJob, _overlay_chains, _source_chain
from .program import BLUR, Part, Program, fit_rect
from .retime import part_audio, retime_video, silence
from .settings import EncodeSettings, output_args, prepare_encode, video_codec_args

__all__ = ["compile_program", "cover_rect", "part_times"]

_AVTB = Fraction(1, 1_000_000)
"""The time base of a still's frames in the graph (``settb=AVTB``)."""


def part_times(part: Part, program_rate: Fraction) -> tuple[float, ...]:
    """Start time of every frame of a part's source (a still: its frames at the output rate)."""
    if part.picture is None:
        return frame_times(part.info)
    count = math.ceil(part.info.duration * program_rate) + 1
    return tuple(float(i / program_rate) for i in range(count))


def cover_rect(size: tuple[int, int], canvas: tuple[int, int]) -> tuple[int, int, int, int]:
    """The blurred background's geometry: ``size`` scaled to cover a small canvas.

    Returns ``(scaled width, scaled height, small width, small height)``: the frame is
    scaled to the first two, cropped to the last two around its centre, blurred, then
    scaled up to ``canvas``.
    """
    small_w, small_h = max(2, even_up(canvas[0] // 8)), max(2, even_up(canvas[1] // 8))
    scale = max(small_w / size[0], small_h / size[1])
    return (max(small_w, math.ceil(size[0] * scale)), max(small_h, math.ceil(size[1] * scale)),
            small_w, small_h)


def _place(graph: FilterGraph, pad: str, part: Part, program: Program) -> str:
    x, y, w, h = fit_rect(part.size, program.size)
    cw, ch = program.size
    out = graph.label("pl")
    if (w, h) == (cw, ch) and part.size == program.size:
        graph.add([pad], "setsar=1", [out])
    elif (w, h) == (cw, ch):
        graph.add([pad], f"scale={cw}:{ch}:flags=lanczos,setsar=1", [out])
    elif program.background != BLUR:
        color = program.background.replace("#", "0x")
        graph.add([pad], f"scale={w}:{h}:flags=lanczos,setsar=1,"
                  f"pad={cw}:{ch}:{x}:{y}:color={color}", [out])
    else:
        sw, sh, small_w, small_h = cover_rect(part.size, program.size)
        fg, bg, blurred, front = (graph.label(s) for s in ("fg", "bg", "bb", "ff"))
        graph.add([pad], "split", [fg, bg])
        graph.add([bg], f"scale={sw}:{sh}:flags=bilinear,crop={small_w}:{small_h}:"
                  f"{(sw - small_w) // 2}:{(sh - small_h) // 2},boxblur=2:1,"
                  f"scale={cw}:{ch}:flags=bilinear,setsar=1", [blurred])
        graph.add([fg], f"scale={w}:{h}:flags=lanczos,setsar=1", [front])
        graph.add([blurred, front], f"overlay=x={x}:y={y}:format=auto,format=yuv420p", [out])
    return out


def _part_video(graph: FilterGraph, part: Part, index: int, program: Program,
                workdir: Path, count: int) -> str:
    info = part.info
    graph.workdir = workdir / f"part{index}"  # each part's captions file is its own
    graph.workdir.mkdir(exist_ok=True)
    if part.picture is None:
        pad = _source_chain(graph, info, len(graph.inputs), graph.label("src"))
        graph.inputs.append(info.path)
    else:
        still = graph.image(part.picture.image(), "still")
        width, height = part.size
        pad = graph.label("src")
        graph.add([still], f"setsar=1,format=yuv420p,pad={width}:{height}:0:0:color=black",
                  [pad])
        if not part.plan.layers and part.plan.captions is None:
            # nothing changes over time: place the one frame, then repeat it on the canvas
            graph.workdir = workdir
            placed, out = _place(graph, pad, part, program), graph.label("pv")
            graph.add([placed], f"loop=loop={count - 1}:size=1:start=0,settb=AVTB,"
                      f"setpts=N/({rate(program.rate)})/TB,trim=end_frame={count}", [out])
            return out
        frames, looped = len(part_times(part, program.rate)), graph.label("lp")
        graph.add([pad], f"loop=loop={frames - 1}:size=1:start=0,settb=AVTB,"
                  f"setpts=N/({rate(program.rate)})/TB", [looped])
        pad = looped
    video = _overlay_chains(graph, part.plan, info, pad,
                            None if part.picture is None else _AVTB)
    graph.workdir = workdir
    timeline = part.timeline
    whole = part.plan.keep is None and not part.plan.edits and part.picture is None
    if not whole:
        times = part_times(part, program.rate)
        bounds = [trim_bounds(info, piece.start, piece.end, times)
                  for piece in timeline.pieces if not piece.hold]
        video = retime_video(graph, video, timeline.pieces, bounds)
    out = graph.label("pv")
    graph.add([video], f"fps={rate(program.rate)}:round=up,tpad=stop=-1:stop_mode=clone,"
              f"trim=end_frame={count}", [out])
    return _place(graph, out, part, program)


def _seek(part: Part) -> float:
    """Where decoding of a clip part may start: 1 s before its first kept frame."""
    if part.picture is not None or part.plan.keep is None:
        return 0.0
    first = part.timeline.segments[0][0]
    return first - 1.0 if first > 2.0 else 0.0


def compile_program(program: Program, output: Path, workdir: Path, *,
                    settings: EncodeSettings | None = None, ffmpeg: str = "ffmpeg",
                    pass_number: int | None = None) -> ExportJob:
    """Write stills, sprites and captions into ``workdir`` and build the ffmpeg command.

    Arguments and errors as [compile_export][evidence_annotate.render.graph.compile_export].
    """
    settings, fmt = prepare_encode(output, workdir, settings, pass_number)
    first_pass = pass_number == 1
    graph = FilterGraph(workdir, [])
    before: dict[int, list[str]] = {}
    videos: list[str] = []
    audios: list[str] = []
    with_audio = program.has_audio and not first_pass
    if program.card is not None:
        card = graph.image(draw_title_card(program.card, program.size), "title_card")
        graph.add([card], f"setsar=1,format=yuv420p,loop=loop={program.card_frames - 1}:"
                  f"size=1:start=0,settb=AVTB,setpts=N/({rate(program.rate)})/TB", ["cv"])
        videos.append("cv")
        if with_audio:
            audios.append(graph.label("ca"))
            graph.add([], silence(float(program.card_frames / program.rate)), [audios[-1]])
    for index, (part, count) in enumerate(zip(program.parts, program.frames, strict=True)):
        options = [*(["-ss", num(_seek(part))] if _seek(part) else []),
                   *(["-apply_cropping", "codec"] if any(part.info.crop) else [])]
        if part.picture is None:
            before[len(graph.inputs)] = options
        input_index = len(graph.inputs)
        videos.append(_part_video(graph, part, index, program, workdir, count))
        if with_audio:
            source = f"{input_index}:{part.info.audio_stream}" if part.has_audio else None
            audios.append(part_audio(graph, source, duration=part.info.duration,
                                     pieces=part.timeline.pieces,
                                     length=float(count / program.rate)))
    current = videos[0]
    if len(videos) > 1:
        graph.add(videos, f"concat=n={len(videos)}:v=1:a=0", ["vout"])
        current = "vout"
    size = settings.size or program.size
    if size != program.size:
        graph.add([current], f"scale={size[0]}:{size[1]}:flags=lanczos,setsar=1", ["vsc"])
        current = "vsc"
    if with_audio:
        graph.add(audios, f"concat=n={len(audios)}:v=0:a=1" if len(audios) > 1 else "anull",
                  ["aout"])
    text = graph.text()
    graph_path = graph.file("graph.txt", text)
    argv: list[str] = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    if any(_seek(part) for part in program.parts):
        argv += ["-copyts", "-start_at_zero"]
    for index, path in enumerate(graph.inputs):
        argv += [*before.get(index, []), "-i", media_url(path)]
    argv += ["-/filter_complex", media_url(graph_path), "-map", f"[{current}]"]
    if with_audio:
        argv += ["-map", "[aout]"]
    argv += video_codec_args(settings, pass_number, workdir)
    argv += output_args(settings, fmt, output, with_audio=with_audio, first_pass=first_pass)
    return ExportJob(tuple(argv), text, graph_path, program.duration, with_audio, size,
                     tuple(graph.inputs))
