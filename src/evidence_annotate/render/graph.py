"""Compile a plan into ONE ffmpeg filter graph and the argv that runs it.

Nothing here runs ffmpeg: :func:`compile_export` rasterizes the layers into small PNG sprites,
writes the graph to a file and returns an :class:`ExportJob` whose ``argv`` tests can read.
Frames never pass through Python on this path.

The graph, for a plan with a title card, one box and one blur::

    [0:0]setsar=1,format=yuv420p[v0];
    [v0]split[m2][r3];
    [r3]crop=w=40:h=30:x=10:y=20:exact=1,scale=13:10:flags=area,scale=40:30:flags=neighbor[b4];
    [m2][b4]overlay=x=10:y=20[v1];
    [v1][1:0]overlay=x=96:y=56:eof_action=repeat:enable='gte(t,1)*lt(t,2.5)'[v5];
    [2:0]scale=320:240,setsar=1,format=yuv420p,loop=loop=29:size=1:start=0,
        settb=AVTB,setpts=N/(30)/TB[cv];
    [cv][v5]concat=n=2:v=1:a=0[vout];
    [0:1]aresample=48000:async=1:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=stereo,
        apad=whole_dur=4,atrim=end=4,adelay=delays=48000S:all=1[aout]

Overlay times use ``t``, the frames' REAL timestamps, so they stay right on variable frame
rate video (a frame-index clock drifts by seconds on phone footage).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..draw import Sprite, draw_layer, draw_title_card
from ..fonts import FONTS_DIR
from ..layers import Blur, Span
from ..media import MediaInfo, media_url
from ..plan import Plan, Timeline
from .escape import escape_filter_value

__all__ = ["AUDIO_RATE", "OUTPUT_FORMATS", "X264_PRESETS", "EncodeSettings", "ExportJob",
           "audio_filter", "compile_export", "enable_expr", "output_size"]

AUDIO_RATE = 48_000
X264_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                "slower", "veryslow")
OUTPUT_FORMATS: dict[str, tuple[str, str]] = {
    ".mp4": ("mp4", "mp4"), ".m4v": ("mp4", "mp4"), ".mov": ("mov", "mov"),
    ".mkv": ("matroska", "mkv"),
}
"""Output suffix -> (ffmpeg muxer, container name as platforms list it)."""


@dataclass(frozen=True)
class EncodeSettings:
    """Encoder settings of an export.

    Attributes:
        crf: x264 constant rate factor (0-51, lower = better and bigger).
        preset: x264 preset (``"ultrafast"`` ... ``"veryslow"``): the speed/size trade-off.
        audio_bitrate: AAC bitrate, e.g. ``"128k"``.
        faststart: Put the index first so uploads can be previewed while streaming.
        video_bitrate: Target video bitrate in bit/s for a two-pass encode (replaces ``crf``).
        maxrate: Cap in bit/s on a CRF encode (VBV), so a size budget cannot be overshot.
        size: Scale the output to ``(width, height)`` (``None`` = the source's displayed size).
        metadata: Container tags written to the output (everything else is stripped).
    """

    crf: int = 20
    preset: str = "medium"
    audio_bitrate: str = "128k"
    faststart: bool = True
    video_bitrate: int | None = None
    maxrate: int | None = None
    size: tuple[int, int] | None = None
    metadata: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.crf, bool) or not isinstance(self.crf, int) or not 0 <= self.crf <= 51:
            raise ValueError(f"crf={self.crf!r} must be an integer 0..51 (18-23 is typical; "
                             "lower is better quality and a bigger file)")
        if self.preset not in X264_PRESETS:
            raise ValueError(f"speed={self.preset!r} is not an x264 preset; use one of "
                             f"{', '.join(X264_PRESETS)}")
        if not self.audio_bitrate.rstrip("k").isdigit():
            raise ValueError(f"audio_bitrate={self.audio_bitrate!r} must look like '128k'")
        for name in ("video_bitrate", "maxrate"):
            value = getattr(self, name)
            if value is not None and value < 10_000:
                raise ValueError(f"{name}={value!r} bit/s is too low to encode video")
        if self.size is not None and (self.size[0] % 2 or self.size[1] % 2 or min(self.size) < 2):
            raise ValueError(f"size={self.size!r} must be two even numbers")

    @property
    def audio_bps(self) -> int:
        """The audio bitrate in bit/s."""
        text = self.audio_bitrate
        return int(text[:-1]) * 1000 if text.endswith("k") else int(text)


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


def enable_expr(span: Span) -> str:
    """The overlay ``enable`` option for a half-open window ``[start, end)`` (``""`` = always).

    Example:
        >>> enable_expr(Span(2.0, 6.5))
        ":enable='gte(t,2)*lt(t,6.5)'"
        >>> enable_expr(Span())
        ''
    """
    if span.start <= 0 and span.end is None:
        return ""
    parts = []
    if span.start > 0:
        parts.append(f"gte(t,{_num(span.start)})")
    if span.end is not None:
        parts.append(f"lt(t,{_num(span.end)})")
    return f":enable='{'*'.join(parts)}'"


def _num(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _rate(rate: Fraction) -> str:
    return f"{rate.numerator}/{rate.denominator}" if rate.denominator != 1 else str(rate.numerator)


class _Graph:
    """Collects chains and hands out unique pad labels."""

    def __init__(self) -> None:
        self.chains: list[str] = []
        self._count = 0

    def label(self, stem: str) -> str:
        self._count += 1
        return f"{stem}{self._count}"

    def add(self, inputs: Sequence[str], filters: str, outputs: Sequence[str]) -> None:
        pads_in = "".join(f"[{p}]" for p in inputs)
        pads_out = "".join(f"[{p}]" for p in outputs)
        self.chains.append(f"{pads_in}{filters}{pads_out}")

    def text(self) -> str:
        return ";\n".join(self.chains) + "\n"


def _blur_chain(graph: _Graph, current: str, blur: Blur) -> str:
    r = blur.region()
    out = graph.label("v")
    enable = enable_expr(blur.span)
    if blur.method == "fill":
        graph.add([current], f"drawbox=x={r.x}:y={r.y}:w={r.w}:h={r.h}:color=0x181818@1:t=fill"
                  f"{enable}", [out])
        return out
    block = blur.block_size()
    small_w, small_h = max(1, r.w // block), max(1, r.h // block)
    main, region, blurred = graph.label("m"), graph.label("r"), graph.label("b")
    graph.add([current], "split", [main, region])
    up = "neighbor" if blur.method == "pixelate" else "bilinear"
    smooth = "" if blur.method == "pixelate" else f",gblur=sigma={_num(block / 2)}"
    graph.add([region], f"crop=w={r.w}:h={r.h}:x={r.x}:y={r.y}:exact=1,"
              f"scale={small_w}:{small_h}:flags=area,scale={r.w}:{r.h}:flags={up}{smooth}",
              [blurred])
    graph.add([main, blurred], f"overlay=x={r.x}:y={r.y}{enable}", [out])
    return out


def output_size(info: MediaInfo) -> tuple[int, int]:
    """The encoded frame size: the displayed size rounded up to even numbers (yuv420p)."""
    return info.width + info.width % 2, info.height + info.height % 2


# HDR (PQ / HLG) -> SDR bt709: linearise, tone-map (Hable), convert primaries and matrix.
_TONEMAP = ("zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
            "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,")


def _source_chain(graph: _Graph, info: MediaInfo) -> str:
    width, height = output_size(info)
    pad = f",pad={width}:{height}:0:0:color=black" if (width, height) != info.size else ""
    tonemap = _TONEMAP if info.hdr else ""
    crop = ""
    if any(info.crop):  # the clean aperture, on the upright frame (ffmpeg's own is off)
        left, top, _, _ = info.displayed_crop
        crop = f"crop=w={info.width}:h={info.height}:x={left}:y={top}:exact=1,"
    graph.add([f"0:{info.video_stream}"], f"{crop}{tonemap}setsar=1,format=yuv420p{pad}",
              ["v0"])
    return "v0"


def _layer_chains(graph: _Graph, plan: Plan, info: MediaInfo, workdir: Path,
                  inputs: list[Path], current: str) -> str:
    for layer in plan.layers:  # privacy first: blur the footage beneath every drawn layer
        if isinstance(layer, Blur):
            current = _blur_chain(graph, current, layer)
    for index, layer in enumerate(plan.layers):
        if isinstance(layer, Blur):
            continue
        sprite: Sprite = draw_layer(layer, info.size)
        path = workdir / f"layer{index:03d}.png"
        sprite.image.save(path, optimize=False, compress_level=1)
        inputs.append(path)
        out = graph.label("v")
        graph.add([current, f"{len(inputs) - 1}:0"],
                  f"overlay=x={sprite.x}:y={sprite.y}:eof_action=repeat{enable_expr(layer.span)}",
                  [out])
        current = out
    if plan.captions is not None:
        captions_file = workdir / "captions.ass"
        captions_file.write_text(plan.captions.ass, encoding="utf-8")
        out = graph.label("v")
        graph.add([current], f"ass=filename={escape_filter_value(str(captions_file))}:"
                  f"fontsdir={escape_filter_value(str(FONTS_DIR))}:shaping=complex", [out])
        current = out
    return current


def _segments(graph: _Graph, video: str, segments: Sequence[tuple[float, float]],
              whole: bool) -> list[str]:
    """Cut the kept ranges out of the (annotated) source video: one pad each."""
    if whole:
        return [video]
    count = len(segments)
    inputs = [graph.label("sv") for _ in segments] if count > 1 else [video]
    if count > 1:
        graph.add([video], f"split={count}", inputs)
    pieces = []
    for (start, end), pad in zip(segments, inputs, strict=True):
        out = graph.label("kv")
        graph.add([pad], f"trim=start={_num(start)}:end={_num(end)},setpts=PTS-STARTPTS", [out])
        pieces.append(out)
    return pieces


def audio_filter(info: MediaInfo, plan: Plan) -> str:
    """The audio part of the graph: on the source clock, cut like the video, after the card.

    Audio that starts late is preceded by silence (``first_pts=0``), the stream is padded or
    cut to the video's length, the kept ranges are cut out, and the title card's length of
    silence is put in front (``adelay``), so sync holds to the sample.

    Example:
        >>> from evidence_annotate.plan import Plan
        >>> audio_filter(info, Plan())  # doctest: +SKIP
        'aresample=48000:async=1:first_pts=0,aformat=...,apad=whole_dur=4,atrim=end=4'
    """
    timeline = plan.timeline(info.frame_rate, info.duration)
    chain = (f"aresample={AUDIO_RATE}:async=1:first_pts=0,"
             "aformat=sample_fmts=fltp:channel_layouts=stereo,"
             f"apad=whole_dur={_num(info.duration)},atrim=end={_num(info.duration)}")
    cuts = [f"atrim=start={_num(a)}:end={_num(b)},asetpts=PTS-STARTPTS"
            for a, b in timeline.segments] if plan.keep is not None else []
    if len(cuts) == 1:
        chain += "," + cuts[0]
    elif cuts:
        names = [f"as{i}" for i in range(len(cuts))]
        parts = [f"{chain},asplit={len(cuts)}" + "".join(f"[{n}]" for n in names)]
        parts += [f"[{n}]{cut}[k{n}]" for n, cut in zip(names, cuts, strict=True)]
        parts.append("".join(f"[k{n}]" for n in names) + f"concat=n={len(cuts)}:v=0:a=1")
        chain = ";".join(parts)
    if timeline.card > 0:
        chain += f",adelay=delays={round(timeline.card * AUDIO_RATE)}S:all=1"
    return chain


def _card_chain(graph: _Graph, plan: Plan, info: MediaInfo, workdir: Path, inputs: list[Path],
                size: tuple[int, int]) -> str:
    assert plan.title_card is not None
    card_path = workdir / "title_card.png"
    draw_title_card(plan.title_card, size).save(card_path, compress_level=1)
    inputs.append(card_path)
    frames = plan.card_frames(info.frame_rate)
    graph.add([f"{len(inputs) - 1}:0"],
              f"scale={size[0]}:{size[1]},setsar=1,format=yuv420p,"
              f"loop=loop={frames - 1}:size=1:start=0,"
              f"settb=AVTB,setpts=N/({_rate(info.frame_rate)})/TB", ["cv"])
    return "cv"


def compile_export(plan: Plan, info: MediaInfo, output: Path, workdir: Path, *,
                   settings: EncodeSettings | None = None, ffmpeg: str = "ffmpeg",
                   pass_number: int | None = None) -> ExportJob:
    """Rasterize the plan's layers into ``workdir`` and build the ffmpeg command.

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
        The compiled :class:`ExportJob`.

    Raises:
        ValueError: The output suffix has no known container, or a bad pass number.
    """
    settings = settings or EncodeSettings()
    if output.suffix.lower() not in OUTPUT_FORMATS:
        raise ValueError(f"output suffix {output.suffix!r} is not supported; use "
                         f"{', '.join(sorted(OUTPUT_FORMATS))}")
    fmt = OUTPUT_FORMATS[output.suffix.lower()][0]
    if pass_number not in (None, 1, 2) or (pass_number and settings.video_bitrate is None):
        raise ValueError(f"pass_number={pass_number!r} needs 1 or 2 and a video_bitrate")
    first_pass = pass_number == 1
    inputs: list[Path] = [info.path]
    graph = _Graph()
    video = _layer_chains(graph, plan, info, workdir, inputs, _source_chain(graph, info))
    timeline = plan.timeline(info.frame_rate, info.duration)
    pieces = _segments(graph, video, timeline.segments, plan.keep is None)
    size = settings.size or output_size(info)
    if size != output_size(info):
        scaled = []
        for pad in pieces:
            out = graph.label("sc")
            graph.add([pad], f"scale={size[0]}:{size[1]}:flags=lanczos,setsar=1", [out])
            scaled.append(out)
        pieces = scaled
    if plan.title_card is not None:
        pieces.insert(0, _card_chain(graph, plan, info, workdir, inputs, size))
    current = pieces[0]
    if len(pieces) > 1:
        graph.add(pieces, f"concat=n={len(pieces)}:v=1:a=0", ["vout"])
        current = "vout"
    with_audio = info.has_audio and not first_pass
    if with_audio:
        graph.add([f"0:{info.audio_stream}"], audio_filter(info, plan), ["aout"])
    text = graph.text()
    graph_path = workdir / "graph.txt"
    graph_path.write_text(text, encoding="utf-8")
    argv: list[str] = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    seek = _seek(plan, timeline)
    if seek:
        # Start decoding near the first kept frame; -copyts -start_at_zero keeps every
        # timestamp on the source timeline, so overlay windows and trims stay exact.
        argv += ["-copyts", "-start_at_zero", "-ss", _num(seek)]
    if any(info.crop):
        # ffmpeg would crop the clean aperture itself, rounded to even pixels; the graph
        # crops exactly what probe() reports instead.
        argv += ["-apply_cropping", "codec"]
    for path in inputs:
        argv += ["-i", media_url(path)]
    argv += ["-/filter_complex", media_url(graph_path), "-map", f"[{current}]"]
    if with_audio:
        argv += ["-map", "[aout]"]
    argv += _video_codec(settings, pass_number, workdir)
    if info.held_last_frame:
        # The encoder keeps the held frame's stored duration; the output ends one frame
        # interval after the last frame starts, as probe() reports.
        cap = _num(info.last_frame_duration)
        argv += ["-bsf:v", f"setts=duration=min(DURATION\\,round({cap}/TB))"]
    if with_audio:
        argv += ["-c:a", "aac", "-b:a", settings.audio_bitrate]
    argv += ["-map_metadata", "-1", "-map_chapters", "-1", "-dn", "-sn", "-fflags", "+bitexact"]
    for key, value in settings.metadata:
        argv += ["-metadata", f"{key}={value}"]
    if first_pass:
        argv += ["-f", "null", os.devnull]
    else:
        if settings.faststart and fmt in ("mp4", "mov"):
            argv += ["-movflags", "+faststart"]
        argv += ["-f", fmt, media_url(output)]
    return ExportJob(tuple(argv), text, graph_path, timeline.duration, with_audio,
                     size, tuple(inputs))


def _seek(plan: Plan, timeline: Timeline) -> float:
    """Where decoding may start: 1 s before the first kept range (0 = from the start)."""
    if plan.keep is None or not timeline.segments:
        return 0.0
    first = timeline.segments[0][0]
    return first - 1.0 if first > 2.0 else 0.0


def _video_codec(settings: EncodeSettings, pass_number: int | None, workdir: Path) -> list[str]:
    args = ["-c:v", "libx264", "-preset", settings.preset]
    if settings.video_bitrate is not None:
        args += ["-b:v", str(settings.video_bitrate)]
        if pass_number is not None:
            args += ["-pass", str(pass_number), "-passlogfile", media_url(workdir / "x264pass")]
    else:
        args += ["-crf", str(settings.crf)]
        if settings.maxrate is not None:
            args += ["-maxrate", str(settings.maxrate), "-bufsize", str(settings.maxrate)]
    # Colour tags come from the frames (the tone-mapping chain labels them bt709): forcing
    # them on the encoder makes ffmpeg insert a colour conversion and costs ~10 % speed.
    args += ["-pix_fmt", "yuv420p", "-fps_mode", "vfr"]
    return args
