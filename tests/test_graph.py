"""The compiled command and graph, read without running ffmpeg."""

from __future__ import annotations

from pathlib import Path

import pytest

import evidence_annotate as ea
from evidence_annotate.filtergraph import enable_expr
from evidence_annotate.render.run import ffmpeg_exe
from evidence_annotate.render.settings import EncodeSettings
from evidence_annotate.timing import Span


def test_exact_argv_and_graph(gray_clip: Path, tmp_path: Path) -> None:
    ev = (ea.open(gray_clip).title_card("8123", "2026-11-20", seconds=1.0)
          .box((100, 60, 120, 80), start=1.0, end=2.5)
          .blur((11, 21, 40, 30), method="pixelate"))
    job = ev.compile(tmp_path / "out.mp4", tmp_path, crf=23, speed="fast")
    assert job.argv == (
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
        "-i", str(gray_clip), "-i", str(tmp_path / "atlas-001.pam"),
        "-i", str(tmp_path / "title_card-002.png"),
        "-/filter_complex", str(tmp_path / "graph.txt"),
        "-map", "[vout]", "-map", "[aout]",
        "-c:v", "libx264", "-preset", "fast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-fps_mode", "vfr", "-c:a", "aac", "-b:a", "128k",
        "-map_metadata", "-1", "-map_chapters", "-1", "-dn", "-sn", "-fflags", "+bitexact",
        "-movflags", "+faststart", "-f", "mp4", str(tmp_path / "out.mp4"),
    )
    sprite = ev.compile(tmp_path / "o.mp4", tmp_path)  # same sprite position both times
    assert job.graph == sprite.graph
    x, y = 100 - 3 - 1, 60 - 3 - 1   # default line (3 px at 240p) plus its 1 px outline edge
    assert job.graph == (
        "[0:0]setsar=1,format=yuv420p[v0s];\n"
        "[v0s]split=2[v0][t2];\n"
        "[t2]crop=w=41:h=31:x=10:y=20:exact=1,scale=13:10:flags=area,"
        "scale=41:31:flags=neighbor[b3];\n"
        "[v0][b3]overlay=x=10:y=20:eof_action=pass[v1];\n"
        "[1:0]setpts=PTS-1000000/TB,format=yuva420p[a4];\n"
        "[a4]crop=128:88:4:4[p5];\n"
        f"[v1][p5]overlay=x={x}:y={y}:eof_action=repeat:enable='gte(t,1)*lt(t,2.5)'[v6];\n"
        "[2:0]scale=320:240,setsar=1,format=yuv420p,loop=loop=29:size=1:start=0,"
        "settb=AVTB,setpts=N/(30)/TB[cv];\n"
        "[cv][v6]concat=n=2:v=1:a=0[vout];\n"
        "[0:1]aresample=async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates=48000|44100:"
        "channel_layouts=mono|stereo,apad=whole_dur=4,atrim=end=4,adelay=delays=1000:all=1[aout]\n"
    )
    assert (tmp_path / "graph.txt").read_text() == job.graph
    assert job.duration == pytest.approx(5.0, abs=0.01)


def test_no_audio_no_card_graph(silent_video_clip: Path, tmp_path: Path) -> None:
    job = ea.open(silent_video_clip).compile(tmp_path / "o.mkv", tmp_path)
    assert job.graph == "[0:0]setsar=1,format=yuv420p[v0]\n"
    assert "-c:a" not in job.argv and "-movflags" not in job.argv
    assert job.argv[-3:] == ("-f", "matroska", str(tmp_path / "o.mkv"))


def test_odd_frames_are_padded_to_even(odd_clip: Path, tmp_path: Path) -> None:
    job = ea.open(odd_clip).compile(tmp_path / "o.mp4", tmp_path)
    assert "pad=322:242:0:0:color=black" in job.graph
    assert job.size == (322, 242)


@pytest.mark.parametrize(
    ("span", "expr"),
    [(Span(), ""), (Span(0, 2), ":enable='lt(t,2)'"), (Span(1.5), ":enable='gte(t,1.5)'"),
     (Span(1 / 3, 2), ":enable='gte(t,0.333333)*lt(t,2)'")],
)
def test_enable_expressions(span: Span, expr: str) -> None:
    assert enable_expr(span) == expr


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"crf": 60}, "crf=60"), ({"preset": "warp"}, "not an x264 preset"),
     ({"audio_bitrate": "loud"}, "audio_bitrate")],
)
def test_bad_encoder_settings(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EncodeSettings(**kwargs)  # type: ignore[arg-type]


def test_many_blur_regions_fan_out_from_one_split(testsrc_clip: Path, tmp_path: Path) -> None:
    """Chained split/overlay diamonds made ffmpeg's work double with every region (20 blurs
    took minutes on a 3 s clip); every region now taps one split of the footage."""
    import subprocess

    ev = ea.open(testsrc_clip)
    for i in range(24):
        ev = ev.blur((10 * i, 5 * i, 60, 40), start=0.1 * (i % 10), end=0.1 * (i % 10) + 1.0)
    job = ev.compile(tmp_path / "o.mp4", tmp_path)
    splits = [line for line in job.graph.splitlines() if "split=" in line]
    assert len(splits) == 1 and "split=25[" in splits[0]
    argv = [*job.argv[:job.argv.index("-c:v")], "-f", "null", "-"]
    subprocess.run(argv, check=True, timeout=60, capture_output=True)  # minutes before
