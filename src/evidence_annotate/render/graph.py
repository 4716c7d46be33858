"""Compile a plan into ONE ffmpeg filter graph and the argv that runs it.

Nothing here runs ffmpeg: [compile_export][] asks every overlay for its part of the graph
(through the [Overlay][evidence_annotate.overlays.base.Overlay] protocol, in stage order),
writes sprites and the graph to a work folder and returns an [ExportJob][] whose ``argv``
tests can read. Frames never pass through Python on this path.

The graph, for a plan with a title card, one box and one blur::

    [0:0]setsar=1,format=yuv420p[v0s];
    [v0s]split=2[v0][t2];
    [t2]crop=w=41:h=31:x=10:y=20:exact=1,scale=13:10:flags=area,scale=41:31:flags=neighbor[b3];
    [v0][b3]overlay=x=10:y=20:eof_action=pass[v1];
    [1:0]setpts=PTS-1000000/TB,format=yuva420p[a4];
    [a4]crop=128:88:4:4[p5];
    [v1][p5]overlay=x=96:y=56:eof_action=repeat:enable='gte(t,1)*lt(t,2.5)'[v6];
    [2:0]scale=320:240,setsar=1,format=yuv420p,loop=loop=29:size=1:start=0,
        settb=AVTB,setpts=N/(30)/TB[cv];
    [cv][v6]concat=n=2:v=1:a=0[vout];
    [0:1]aresample=async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates=48000|44100:
        channel_layouts=mono|stereo,apad=whole_dur=4,atrim=end=4,adelay=delays=1000:all=1[aout]

Overlay times use ``t``, the frames' REAL timestamps, so they stay right on variable frame
rate video (a frame-index clock drifts by seconds on phone footage).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..cards import draw_title_card
from ..filtergraph import FilterGraph, escape_filter_value, num, rate
from ..fonts import FONTS_DIR
from ..geometry import output_size
from ..media import MediaInfo, media_url
from ..overlays import Overlay, in_order
from ..plan import Plan
from ..timing import Timeline
from .audio import audio_chain, plan_redactions
from .frames import trim_bounds
from .regions import region_chains
from .settings import EncodeSettings, output_args, prepare_encode, video_codec_args
from .slices import merging
from .sprites import sprite_chains

__all__ = ["ExportJob", "compile_export"]


@dataclass(frozen=True)
class ExportJob:
    """A compiled export: the exact command and what it should produce.

    Attributes:
        argv: The ffmpeg command (``-progress`` is added by the runner).
        graph: The filter graph text (also written to ``graph_path``).
        graph_path: The file passed with ``-/filter_complex``.
        duration: Expected duration of the output in seconds.
        has_audio: Whether the output has an audio stream.
        size: Output frame size ``(width, height)``.
        inputs: Every input file, in ffmpeg's input order.
    """

    argv: tuple[str, ...]
    graph: str
    graph_path: Path
    duration: float
    has_audio: bool
    size: tuple[int, int]
    inputs: tuple[Path, ...] = field(default_factory=tuple)


# HDR (PQ / HLG) -> SDR bt709: linearise, tone-map (Hable), convert primaries and matrix.
_TONEMAP = ("zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
            "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,")


def _source_chain(graph: FilterGraph, info: MediaInfo, index: int = 0, label: str = "v0") -> str:
    """Input ``index``'s video, upright and cropped, SDR yuv420p with even sides, as ``label``."""
    width, height = output_size(info.size)
    pad = f",pad={width}:{height}:0:0:color=black" if (width, height) != info.size else ""
    tonemap = _TONEMAP if info.hdr else ""
    crop = ""
    if any(info.crop):  # the clean aperture, on the upright frame (ffmpeg's own is off)
        left, top, _, _ = info.displayed_crop
        crop = f"crop=w={info.width}:h={info.height}:x={left}:y={top}:exact=1,"
    graph.add([f"{index}:{info.video_stream}"], f"{crop}{tonemap}setsar=1,format=yuv420p{pad}",
              [label])
    return label


def _overlay_chains(graph: FilterGraph, plan: Plan, info: MediaInfo, current: str,
                    time_base: Fraction | None = None) -> str:
    """The plan's overlays and captions over ``current``.

    ``time_base`` is that of ``current``'s frames when it is not the source file's video
    stream's own (a still looped in the graph): switched pictures are stamped in it.
    """
    stage = None
    run: list[Overlay] = []  # consecutive overlays of one stage sharing chains, not yet added
    for overlay in [*in_order(plan.layers), None]:
        kind = _shared(overlay)
        if run and (kind != _shared(run[0]) or overlay is None or overlay.order != run[0].order):
            if run[0].mergeable:
                current = sprite_chains(graph, current, run, info, time_base)
            else:
                current = region_chains(graph, current, run, info.size)
            run = []
        if overlay is None:
            break
        if overlay.order != stage:  # taps of this stage split the footage it starts from
            stage = overlay.order
            graph.begin_stage(current)
        if kind:
            run.append(overlay)
        else:
            current = overlay.chain(graph, current, info.size)
    if plan.captions is not None:
        width, height = output_size(info.size)
        document = plan.captions.to_ass(width, height, plan.caption_obstacles(info.size))
        captions_file = graph.file("captions.ass", document)
        out = graph.label("v")
        graph.add([current], f"ass=filename={escape_filter_value(str(captions_file))}:"
                  f"fontsdir={escape_filter_value(str(FONTS_DIR))}:shaping=complex", [out])
        current = out
    return current


def _shared(overlay: Overlay | None) -> str:
    """How an overlay shares chains with its neighbours: ``sprite``, ``region`` or ``""``."""
    if overlay is None or not merging():
        return ""
    if overlay.mergeable:
        return "sprite"
    return "region" if overlay.switch_key() is not None else ""


def _segments(graph: FilterGraph, video: str, info: MediaInfo,
              segments: Sequence[tuple[float, float]], whole: bool) -> str:
    """Keep the frames of the kept ranges and close the gaps: one ``select`` + ``setpts``.

    The ranges start and end on frame starts ([snap_ranges][.frames.snap_ranges]); ``select``
    keeps the frames between bounds halfway between frames, and ``setpts`` moves each kept
    frame to its exact output time (kept time before it), so no frame is lost or doubled and
    no filter has to guess a piece's length (``concat`` would, from frame durations).
    """
    if whole:
        return video
    keep: list[str] = []
    shift: list[str] = []
    offset = previous = 0.0
    for index, (start, end) in enumerate(segments):
        low, high = trim_bounds(info, start, end)
        keep.append(f"gte(t,{num(low)})*lt(t,{num(high)})")
        moved = start - offset  # how far this piece moves back
        shift.append(num(moved) if index == 0 else f"gte(T,{num(low)})*{num(moved - previous)}")
        offset += end - start
        previous = moved
    out = graph.label("kv")
    graph.add([video], f"select='{'+'.join(keep)}',"
              f"setpts='round((T-{'-'.join(shift)})/TB)'", [out])
    return out


def _card_chain(graph: FilterGraph, plan: Plan, info: MediaInfo, size: tuple[int, int]) -> str:
    assert plan.title_card is not None
    card = graph.image(draw_title_card(plan.title_card, size), "title_card")
    frames = plan.card_frames(info.frame_rate)
    graph.add([card], f"scale={size[0]}:{size[1]},setsar=1,format=yuv420p,"
              f"loop=loop={frames - 1}:size=1:start=0,"
              f"settb=AVTB,setpts=N/({rate(info.frame_rate)})/TB", ["cv"])
    return "cv"


def compile_export(plan: Plan, info: MediaInfo, output: Path, workdir: Path, *,
                   settings: EncodeSettings | None = None, ffmpeg: str = "ffmpeg",
                   pass_number: int | None = None) -> ExportJob:
    """Rasterize the plan's sprites into ``workdir`` and build the ffmpeg command.

    Args:
        plan: What to draw.
        info: The probed source.
        output: The file ffmpeg writes (usually a temporary name beside the real output).
        workdir: A private folder for sprites, captions, the graph file and pass logs.
        settings: Encoder settings.
        ffmpeg: The ffmpeg executable.
        pass_number: ``1`` or ``2`` for a two-pass encode (needs ``settings.video_bitrate``);
            pass 1 analyses the video only and writes no file.

    Returns:
        The compiled [ExportJob][].

    Raises:
        ValueError: The output suffix has no known container, or a bad pass number.
        OutputError: ``workdir`` cannot be created.
    """
    settings, fmt = prepare_encode(output, workdir, settings, pass_number)
    first_pass = pass_number == 1
    graph = FilterGraph(workdir, [info.path])
    video = _overlay_chains(graph, plan, info, _source_chain(graph, info))
    timeline = plan.timeline(info.frame_rate, info.duration)
    pieces = [_segments(graph, video, info, timeline.segments, plan.keep is None)]
    size = settings.size or output_size(info.size)
    if size != output_size(info.size):
        scaled = []
        for pad in pieces:
            out = graph.label("sc")
            graph.add([pad], f"scale={size[0]}:{size[1]}:flags=lanczos,setsar=1", [out])
            scaled.append(out)
        pieces = scaled
    if plan.title_card is not None:
        pieces.insert(0, _card_chain(graph, plan, info, size))
    current = pieces[0]
    if len(pieces) > 1:
        graph.add(pieces, f"concat=n={len(pieces)}:v=1:a=0", ["vout"])
        current = "vout"
    with_audio = info.has_audio and not first_pass
    if with_audio:
        graph.add([f"0:{info.audio_stream}"],
                  audio_chain(duration=info.duration, segments=timeline.segments,
                              cut=plan.keep is not None, card=timeline.card,
                              redactions=plan_redactions(plan, info.duration),
                              keep_format=True), ["aout"])
    text = graph.text()
    graph_path = graph.file("graph.txt", text)
    argv: list[str] = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    seek = _seek(plan, timeline)
    if seek:
        # Start decoding near the first kept frame; -copyts -start_at_zero keeps every
        # timestamp on the source timeline, so overlay windows and trims stay exact.
        argv += ["-copyts", "-start_at_zero", "-ss", num(seek)]
    if any(info.crop):
        # ffmpeg would crop the clean aperture itself, rounded to even pixels; the graph
        # crops exactly what probe() reports instead.
        argv += ["-apply_cropping", "codec"]
    for path in graph.inputs:
        argv += ["-i", media_url(path)]
    argv += ["-/filter_complex", media_url(graph_path), "-map", f"[{current}]"]
    if with_audio:
        argv += ["-map", "[aout]"]
    argv += video_codec_args(settings, pass_number, workdir)
    if info.held_last_frame:
        # The encoder keeps the held frame's stored duration; the output ends one frame
        # interval after the last frame starts, as probe() reports.
        cap = num(info.last_frame_duration)
        argv += ["-bsf:v", f"setts=pts=PTS:dts=DTS:duration=min(DURATION\\,round({cap}/TB))"]
    argv += output_args(settings, fmt, output, with_audio=with_audio, first_pass=first_pass)
    return ExportJob(tuple(argv), text, graph_path, timeline.duration, with_audio,
                     size, tuple(graph.inputs))


def _seek(plan: Plan, timeline: Timeline) -> float:
    """Where decoding may start: 1 s before the first kept range (0 = from the start)."""
    if plan.keep is None or not timeline.segments:
        return 0.0
    first = timeline.segments[0][0]
    return first - 1.0 if first > 2.0 else 0.0
