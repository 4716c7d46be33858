"""Phone containers: iPhone Live Photo look-alikes (clean aperture, held last frame, VFR).

An iPhone Live Photo ``.mov`` stores 1440x1080 frames with a clean-aperture box (``clap``) of
1308x980, a variable frame rate, and a last frame whose stored duration is far longer than the
frame interval. ffmpeg's muxer writes neither, so the fixtures below build look-alikes: ffmpeg
encodes the video, then :func:`edit_mov` inserts the ``clap`` box into the ``avc1`` sample entry
and lengthens the last ``stts`` entry, fixing every enclosing box size and the chunk offsets.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.media import clap_crop
from helpers import close, decode_frames, pixel

GREEN = (0, 255, 0)

# Boxes whose payload starts with fixed fields and then holds child boxes: bytes to skip.
_CONTAINERS = {b"moov": 0, b"trak": 0, b"mdia": 0, b"minf": 0, b"stbl": 0, b"edts": 0,
               b"stsd": 8, b"avc1": 78}


@dataclass
class Box:
    """One ISO-BMFF box: its fields (``head``) and, for containers, its children."""

    kind: bytes
    head: bytes
    children: list[Box] | None = field(default=None)

    def encode(self) -> bytes:
        body = self.head + b"".join(c.encode() for c in self.children or [])
        return struct.pack(">I", 8 + len(body)) + self.kind + body

    def find(self, *kinds: bytes) -> list[Box]:
        found = [c for c in self.children or [] if c.kind == kinds[0]]
        return found if len(kinds) == 1 else [b for c in found for b in c.find(*kinds[1:])]


def parse_boxes(data: bytes) -> list[Box]:
    boxes, pos = [], 0
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        assert size >= 8, f"box {kind!r} at {pos} has a size this helper does not handle"
        body = data[pos + 8:pos + size]
        skip = _CONTAINERS.get(kind)
        if skip is None:
            boxes.append(Box(kind, body))
        else:
            boxes.append(Box(kind, body[:skip], parse_boxes(body[skip:])))
        pos += size
    return boxes


def _set_u32(box: Box, offset: int, value: int) -> None:
    assert box.head[0] == 0, f"{box.kind!r} is version {box.head[0]}; only version 0 is edited"
    head = bytearray(box.head)
    struct.pack_into(">I", head, offset, value)
    box.head = bytes(head)


def edit_mov(path: Path, *, aperture: tuple[int, int], offset: tuple[int, int] = (0, 0),
             last_ticks: int | None = None, track_seconds: float | None = None) -> None:
    """Give a MOV's video track a ``clap`` box and (optionally) a long last sample.

    Args:
        path: The file, rewritten in place.
        aperture: Clean aperture ``(width, height)`` in pixels.
        offset: Horizontal and vertical offset of the aperture's centre, in pixels.
        last_ticks: Stored duration of the last sample in media ticks (``None`` = unchanged).
        track_seconds: Movie, track and edit durations (``None`` = unchanged).
    """
    top = parse_boxes(path.read_bytes())
    kinds = [b.kind for b in top]
    moov = top[kinds.index(b"moov")]
    before = len(moov.encode())
    video = next(t for t in moov.find(b"trak")
                 if t.find(b"mdia", b"hdlr")[0].head[8:12] == b"vide")
    stbl = video.find(b"mdia", b"minf", b"stbl")[0]
    entry = stbl.find(b"stsd")[0].children[0]  # type: ignore[index]
    clap = struct.pack(">IIIIiIiI", aperture[0], 1, aperture[1], 1, offset[0], 1, offset[1], 1)
    assert entry.children is not None
    entry.children.insert(1, Box(b"clap", clap))  # after avcC, as cameras write it
    if last_ticks is not None:
        stts = stbl.find(b"stts")[0]
        count = struct.unpack(">I", stts.head[4:8])[0]
        runs = [struct.unpack(">II", stts.head[8 + 8 * i:16 + 8 * i]) for i in range(count)]
        samples, delta = runs.pop()
        runs += ([(samples - 1, delta)] if samples > 1 else []) + [(1, last_ticks)]
        stts.head = (stts.head[:4] + struct.pack(">I", len(runs))
                     + b"".join(struct.pack(">II", *r) for r in runs))
        _set_u32(video.find(b"mdia", b"mdhd")[0], 16, sum(n * d for n, d in runs))
    if track_seconds is not None:
        mvhd = moov.find(b"mvhd")[0]
        ticks = round(track_seconds * struct.unpack(">I", mvhd.head[12:16])[0])
        _set_u32(mvhd, 16, ticks)                  # all three count in the movie's timescale
        _set_u32(video.find(b"tkhd")[0], 20, ticks)
        for elst in video.find(b"edts", b"elst"):
            _set_u32(elst, 8, ticks)
    grown = len(moov.encode()) - before
    if kinds.index(b"moov") < kinds.index(b"mdat"):  # the samples moved by what moov grew
        for stco in moov.find(b"trak", b"mdia", b"minf", b"stbl", b"stco"):
            count = struct.unpack(">I", stco.head[4:8])[0]
            offsets = struct.unpack(f">{count}I", stco.head[8:8 + 4 * count])
            stco.head = stco.head[:8] + struct.pack(f">{count}I", *(o + grown for o in offsets))
    path.write_bytes(b"".join(b.encode() for b in top))


# The Live Photo look-alike: 1440x1080 stored, red outside the 1308x980 clean aperture, frames
# at irregular intervals (timescale 600 like the camera), 1.233 s of video whose last frame is
# stored as lasting 0.867 s (the file claims 2.067 s), and 1.233 s of AAC sound.
LIVE_W, LIVE_H, CLEAN_W, CLEAN_H = 1440, 1080, 1308, 980
TRACK_SECONDS = 1.2333


@pytest.fixture(scope="session")
def live_photo(media_dir: Path) -> Path:
    path = media_dir / "IMG_0042.MOV"
    if path.exists():
        return path
    margin_x, margin_y = (LIVE_W - CLEAN_W) // 2, (LIVE_H - CLEAN_H) // 2
    picture = (f"color=c=gray:s={LIVE_W}x{LIVE_H}:r=30:d={TRACK_SECONDS},"
               f"drawbox=x=0:y=0:w={LIVE_W}:h={LIVE_H}:color=red:t={max(margin_x, margin_y)},"
               f"drawbox=x={margin_x}:y={margin_y}:w={CLEAN_W}:h={CLEAN_H}:color=gray:t=fill,"
               "select='lt(n,12)+not(eq(mod(n,3),1))'")
    ffmpeg("-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", f"sine=f=440:d={TRACK_SECONDS}",
           "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-video_track_timescale", "600", "-movflags", "+faststart",
           str(path))
    edit_mov(path, aperture=(CLEAN_W, CLEAN_H), last_ticks=520, track_seconds=TRACK_SECONDS)
    return path


def test_edit_mov_writes_what_ffmpeg_reads(live_photo: Path) -> None:
    with av.open(str(live_photo)) as container:
        stream = container.streams.video[0]
        packets = [(p.pts, p.duration) for p in container.demux(stream) if p.pts is not None]
    assert packets[-1][1] == 520, "the last sample must keep its long stored duration"
    intervals = {b[0] - a[0] for a, b in itertools.pairwise(packets)}
    assert len(intervals) > 1, "the look-alike must have a variable frame rate"


def test_live_photo_probe_reports_what_is_rendered(live_photo: Path) -> None:
    info = ea.probe(live_photo)
    assert (info.coded_width, info.coded_height) == (LIVE_W, LIVE_H)
    assert info.crop == (66, 50, 66, 50)
    assert (info.width, info.height) == (CLEAN_W, CLEAN_H)
    assert info.vfr
    assert info.held_last_frame
    assert info.last_frame_duration == pytest.approx(1 / 30, abs=1e-3)
    assert info.duration == pytest.approx(TRACK_SECONDS, abs=2e-3)


def test_probe_size_is_what_ffmpeg_alone_renders(live_photo: Path, tmp_path: Path) -> None:
    still = tmp_path / "first.png"
    ffmpeg("-i", str(live_photo), "-frames:v", "1", str(still))
    with Image.open(still) as image:
        assert image.size == ea.probe(live_photo).size


def test_live_photo_export_with_card_and_edge_box(live_photo: Path, tmp_path: Path) -> None:
    x, y = CLEAN_W - 110, CLEAN_H - 90   # the box ends 10 px from the right and bottom edges
    ev = (ea.open(live_photo)
          .title_card(order="8123456789012", date="2026-11-20", seconds=1.0)
          .box((x, y, 100, 80), color="#00ff00", style=ea.BoxStyle(outline=None, thickness=6)))
    result = ev.export(tmp_path / "evidence.mp4", speed="ultrafast", progress=False)
    assert (result.width, result.height) == (CLEAN_W, CLEAN_H)
    assert result.duration == pytest.approx(ev.duration, abs=0.05)
    assert ev.duration == pytest.approx(1.0 + TRACK_SECONDS, abs=0.05)
    with av.open(str(result.path)) as container:
        assert container.duration is not None
        assert container.duration / 1e6 == pytest.approx(ev.duration, abs=0.05)
    t = 1.5
    exported = next(f for time, f in decode_frames(result.path) if time >= t - 1e-3)
    shown = np.asarray(ev.preview(t))
    assert shown.shape == exported.shape == (CLEAN_H, CLEAN_W, 3)
    for frame in (exported, shown):
        assert close(pixel(frame, x - 3, y + 40), GREEN)            # left edge of the line
        assert close(pixel(frame, x + 100 + 2, y + 40), GREEN)      # right edge, near the border
        assert close(pixel(frame, x + 50, y + 80 + 2), GREEN)       # bottom edge
        assert close(pixel(frame, 2, 2), (128, 128, 128))            # no red aperture margin
        assert close(pixel(frame, CLEAN_W - 2, CLEAN_H - 2), (128, 128, 128))


def _asymmetric_clip(media_dir: Path, rotation: int) -> Path:
    """320x240 testsrc2 with an off-centre clean aperture 288x216, optionally rotated."""
    path = media_dir / f"clap_{rotation}.mov"
    if path.exists():
        return path
    plain = media_dir / f"clap_{rotation}_plain.mov"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=1", "-c:v", "libx264", "-preset",
           "ultrafast", "-pix_fmt", "yuv420p", str(plain))
    ffmpeg("-display_rotation", str(rotation), "-i", str(plain), "-c", "copy", str(path))
    edit_mov(path, aperture=(288, 216), offset=(-4, 2))
    return path


@pytest.mark.parametrize("rotation", [0, 90, 270])
def test_preview_and_export_crop_the_same_pixels(media_dir: Path, tmp_path: Path,
                                                 rotation: int) -> None:
    clip = _asymmetric_clip(media_dir, rotation)
    info = ea.probe(clip)
    assert info.crop == (12, 14, 20, 10)   # left, top, right, bottom of the stored frame
    assert info.size == ((288, 216) if rotation == 0 else (216, 288))
    ev = ea.open(clip)
    result = ev.export(tmp_path / "out.mp4", speed="ultrafast", crf=12, progress=False)
    exported = next(f for time, f in decode_frames(result.path) if time >= 0.5 - 1e-3)
    shown = np.asarray(ev.preview(0.5))
    assert shown.shape == exported.shape
    difference = np.abs(shown.astype(int) - exported.astype(int)).mean()
    assert difference < 6, f"preview and export differ by {difference:.1f} on average"
    plain = tmp_path / "plain.png"
    ffmpeg("-ss", "0.5", "-i", str(clip), "-frames:v", "1", str(plain))
    with Image.open(plain) as image:   # ffmpeg's own clap handling, for even margins
        alone = np.asarray(image.convert("RGB")).astype(int)
    assert np.abs(alone - shown.astype(int)).mean() < 6


def test_moviepy_frames_match_preview_on_clean_aperture(media_dir: Path) -> None:
    ev = ea.open(_asymmetric_clip(media_dir, 90))
    composition = ev.to_moviepy()
    try:
        frame = np.asarray(composition.get_frame(0.5))
    finally:
        composition.close()
    shown = np.asarray(ev.preview(0.5))
    assert frame.shape == shown.shape
    assert np.abs(frame.astype(int) - shown.astype(int)).mean() < 6


Clap = tuple[int, int, int, int, int, int, int, int]


@pytest.mark.parametrize(
    ("size", "clap", "expected"),
    [
        ((1440, 1080), (1308, 1, 980, 1, 0, 1, 0, 1), (66, 50, 66, 50)),
        ((320, 240), (288, 1, 216, 1, -4, 1, 2, 1), (12, 14, 20, 10)),
        ((1920, 1088), (1920, 1, 1080, 1, 0, 1, -4, 1), (0, 0, 0, 8)),
        ((320, 240), (320, 1, 240, 1, 0, 1, 0, 1), (0, 0, 0, 0)),       # the whole frame
        ((320, 240), (640, 2, 240, 1, 0, 1, 0, 1), (0, 0, 0, 0)),       # fractions reduce
        ((320, 240), (400, 1, 240, 1, 0, 1, 0, 1), (0, 0, 0, 0)),       # wider than the frame
        ((320, 240), (288, 0, 216, 1, 0, 1, 0, 1), (0, 0, 0, 0)),       # zero denominator
        ((320, 240), (288, 1, 216, 1, 40, 1, 0, 1), (0, 0, 0, 0)),      # beyond the right edge
    ],
)
def test_clap_crop_follows_ffmpeg(size: tuple[int, int], clap: Clap,
                                  expected: tuple[int, int, int, int]) -> None:
    assert clap_crop(*size, clap) == expected

