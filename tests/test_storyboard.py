"""Storyboards: clips of every shape, photos and slides in ONE export, exact to the frame."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.media import probe
from evidence_annotate.render.program import Program, fit_rect
from helpers import audio_samples, close, decode_frames, frame_at, pixel

FAST: dict[str, Any] = {"crf": 14, "speed": "ultrafast", "progress": False}
RED = (255, 42, 42)
GPS_TEXT = b"+48.8577+002.2950"


@pytest.fixture(scope="module")
def portrait_vfr(media_dir: Path) -> Path:
    """2 s portrait (240x320 displayed), VFR (30 fps, then every 3rd frame), with a tone."""
    stored = media_dir / "board_vfr_stored.mp4"
    target = media_dir / "board_portrait_vfr.mp4"
    if not target.exists():
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=2", "-f", "lavfi", "-i",
               "sine=f=440:d=2", "-vf", "select='lt(t,1)+not(mod(n,3))'", "-fps_mode", "vfr",
               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
               "-shortest", str(stored))
        ffmpeg("-display_rotation", "90", "-i", str(stored), "-c", "copy", str(target))
    return target


@pytest.fixture(scope="module")
def tagged_clip(silent_video_clip: Path, media_dir: Path) -> Path:
    """The silent landscape clip carrying a GPS location and device tags."""
    target = media_dir / "board_tagged.mp4"
    if not target.exists():
        ffmpeg("-i", str(silent_video_clip), "-c", "copy", "-metadata",
               f"location={GPS_TEXT.decode()}/", "-metadata", "make=Apple",
               "-metadata:s:v", "handler_name=iPhone camera", str(target))
    return target


@pytest.fixture(scope="module")
def rotated_png(media_dir: Path) -> Path:
    """300x200 blue PNG, yellow top-left corner STORED, EXIF orientation 6 and GPS."""
    target = media_dir / "board_photo.png"
    image = Image.new("RGB", (300, 200), (0, 0, 255))
    image.paste((255, 255, 0), (0, 0, 60, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90 degrees clockwise to show
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 27.72), 3: "E", 4: (2.0, 17.0, 42.0)}
    image.save(target, exif=exif)
    return target


@pytest.fixture(scope="module")
def board(portrait_vfr: Path, tagged_clip: Path, odd_clip: Path,
          rotated_png: Path) -> ea.Storyboard:
    # every segment has a full-length box at its own place, so each frame says which it is
    return ea.storyboard(
        ea.open(portrait_vfr).box((20, 40, 80, 80), thickness=8),
        ea.open(tagged_clip).box((200, 40, 80, 80), thickness=8),
        ea.open(odd_clip).box((20, 150, 80, 60), thickness=8),
        ea.image(rotated_png, seconds=1).box((100, 100, 60, 60), thickness=8),
        ea.slide("The seller refused a refund", seconds=1),
    ).title_card("8123456789012", "2026-11-20", seconds=1)


@pytest.fixture(scope="module")
def exported(board: ea.Storyboard, tmp_path_factory: pytest.TempPathFactory) -> ea.ExportResult:
    return board.export(tmp_path_factory.mktemp("board") / "board.mp4", **FAST)


def _box_edge(program: Program, index: int, rect: tuple[int, int, int, int]) -> tuple[int, int]:
    """A canvas pixel on the line of a box drawn just outside ``rect`` in part ``index``."""
    part = program.parts[index]
    x0, y0, w, _ = fit_rect(part.size, program.size)
    scale = w / part.size[0]
    return round(x0 + (rect[0] - 4) * scale), round(y0 + (rect[1] + rect[3] / 2) * scale)


def test_every_segment_lasts_its_frames_and_shows_its_overlay(board: ea.Storyboard,
                                                              exported: ea.ExportResult) -> None:
    program = board.program()
    assert program.size == (320, 240)  # the landscape clips play longest... tie: first
    vfr = program.parts[0].info
    assert vfr.vfr and vfr.size == (240, 320)
    assert program.frames == (round(vfr.duration * 30), 60, 60, 30, 30)
    assert exported.duration == pytest.approx(program.duration, abs=1 / 30)
    rects = [(20, 40, 80, 80), (200, 40, 80, 80), (20, 150, 80, 60)]
    edges = [_box_edge(program, i, rect) for i, rect in enumerate(rects)]
    frames = list(decode_frames(exported.path))
    assert len(frames) == 30 + sum(program.frames)
    starts = [round(t * 30) for t in program.starts] + [len(frames)]
    for number, (t, rgb) in enumerate(frames):
        assert t == pytest.approx(number / 30, abs=1e-3)
        for index, (x, y) in enumerate(edges):
            inside = starts[index] <= number < starts[index + 1]
            assert close(pixel(rgb, x, y), RED, 60) == inside, (number, index)


def test_a_photo_is_upright_and_keeps_its_overlay(board: ea.Storyboard,
                                                  exported: ea.ExportResult) -> None:
    program = board.program()
    photo = program.parts[3]
    assert photo.size == (200, 300)  # EXIF orientation applied
    x0, y0, w, h = fit_rect(photo.size, program.size)
    frame = frame_at(exported.path, 7.5)
    # the yellow corner stored top-left shows top-right once the photo is upright
    assert close(pixel(frame, x0 + w - 8, y0 + 8), (255, 255, 0), 50)
    assert close(pixel(frame, x0 + 8, y0 + h - 8), (0, 0, 255), 50)
    scale = w / photo.size[0]
    edge = (round(x0 + 96 * scale), round(y0 + 130 * scale))
    assert close(pixel(frame, *edge), RED, 60)


def test_the_slide_is_drawn_at_the_canvas(board: ea.Storyboard,
                                          exported: ea.ExportResult) -> None:
    frame = frame_at(exported.path, 8.5)
    assert close(pixel(frame, 4, 4), (16, 20, 24), 14)
    assert (np.asarray(frame).min(axis=2) > 200).sum() > 300  # white text


def test_no_metadata_from_any_source(exported: ea.ExportResult, rotated_png: Path,
                                     tagged_clip: Path) -> None:
    assert "location" in probe(tagged_clip).tags
    written = probe(exported.path)
    assert "location" not in written.tags and "make" not in written.tags
    assert not any("iPhone" in v for tags in written.stream_tags.values() for v in tags.values())
    data = exported.path.read_bytes()
    for marker in (GPS_TEXT, b"PhoneMaker", b"Exif", b"Apple", b"iPhone"):
        assert marker not in data, marker
    assert b"PhoneMaker" in rotated_png.read_bytes()


def test_manifest_lists_every_segment(exported: ea.ExportResult) -> None:
    assert exported.manifest is not None
    record = json.loads(exported.manifest.read_text())
    kinds = [s["kind"] for s in record["segments"]]
    assert kinds == ["clip", "clip", "clip", "image", "slide"]
    assert record["segments"][3]["input"]["sha256"]
    assert record["segments"][4]["input"] is None
    assert record["plan"]["title_card"]["order"] == "8123456789012"
    assert ea.verify(exported.manifest).ok


def test_preview_and_moviepy_agree_with_the_export(board: ea.Storyboard,
                                                   exported: ea.ExportResult) -> None:
    clip = board.to_moviepy()
    program = board.program()
    try:
        assert clip.duration == pytest.approx(exported.duration, abs=0.05)
        # around every join, inside every segment
        for t in (0.5, 1.01, 1.99, 2.02, 3.5, 4.02, 5.9, 6.72, 7.02, 7.99, 8.02, 8.9):
            # brightness: saturated test colours lose chroma in 4:2:0, frames do not move
            export = frame_at(exported.path, t).astype(int).sum(axis=2) / 3
            preview = np.asarray(board.preview(t)).astype(int).sum(axis=2) / 3
            moviepy = clip.get_frame(t).astype(int).sum(axis=2) / 3
            index, _ = program.locate(t)
            x, y, w, h = fit_rect(program.parts[index].size if index is not None
                                  else program.size, program.size)
            front = (slice(y, y + h), slice(x, x + w))  # the blurred bars are approximate
            assert np.abs(export - preview)[front].mean() < 4, t
            assert np.abs(export - moviepy)[front].mean() < 4, t
            assert np.abs(export - preview).mean() < 12, t
    finally:
        clip.close()


def test_sync_holds_at_every_join(sync_clip: Path, odd_clip: Path, silent_video_clip: Path,
                                  tmp_path: Path) -> None:
    # the flash and the beep are at 2.0 s of the sync clip (its sound starts at 0.5 s)
    board = ea.storyboard(ea.open(odd_clip), ea.open(sync_clip),
                          ea.open(silent_video_clip).speed(2.0).freeze(0.5, 0.3),
                          ea.slide("x", seconds=0.7), ea.open(sync_clip).trim(1.0, 3.0))
    result = board.export(tmp_path / "sync.mp4", **FAST)
    starts = board.program().starts
    frames = list(decode_frames(result.path))
    flashes = [t for (t, rgb), (_, before) in zip(frames[1:], frames, strict=False)
               if rgb.mean() > 200 and before.mean() < 200]
    samples, rate = audio_samples(result.path)
    window = rate // 200  # 5 ms
    loud = np.abs(samples[: len(samples) // window * window]).reshape(-1, window).max(axis=1) > 0.05
    onsets = [i * window / rate for i in np.flatnonzero(loud[1:] & ~loud[:-1]) + 1]
    expected = [starts[1] + 2.0, starts[4] + 1.0]
    assert flashes == pytest.approx(expected, abs=1 / 30)
    assert len(onsets) == 2
    for flash, beep in zip(flashes, onsets, strict=True):
        assert abs(flash - beep) <= 1 / 30
    # silence where there is no sound: the odd clip, the sped clip, the slide
    assert np.abs(samples[: int(starts[1] * rate)]).max() < 0.02
    assert np.abs(samples[int((starts[2] + 0.05) * rate):int(starts[4] * rate)]).max() < 0.02


def test_a_solid_background_and_an_explicit_canvas(portrait_vfr: Path, tmp_path: Path) -> None:
    board = ea.storyboard(ea.open(portrait_vfr), size=(320, 180), fps=25, background="#00ff00")
    result = board.export(tmp_path / "green.mp4", **FAST)
    assert (result.width, result.height) == (320, 180)
    frame = frame_at(result.path, 0.5)
    assert close(pixel(frame, 5, 90), (0, 255, 0), 30)  # pillar-boxed, never stretched
    x0, _, w, h = fit_rect((240, 320), (320, 180))
    assert w / h == pytest.approx(240 / 320, abs=0.02)
    assert not close(pixel(frame, x0 + w // 2, 90), (0, 255, 0), 30)
    assert len(list(decode_frames(result.path))) == round(probe(portrait_vfr).duration * 25)


def test_storyboard_arguments_are_checked(gray_clip: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one segment"):
        ea.storyboard()
    with pytest.raises(ValueError, match=r"segments\[0\]"):
        ea.storyboard("clip.mp4")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="own title card"):
        ea.storyboard(ea.open(gray_clip).title_card("1", "2026-11-20"))
    with pytest.raises(ValueError, match="background"):
        ea.storyboard(ea.slide("x"), background="plaid")
    with pytest.raises(ValueError, match="size"):
        ea.storyboard(ea.slide("x"), size=(5, 5))
    with pytest.raises(ea.InputError, match="PNG, JPEG or WebP"):
        ea.image(tmp_path / "missing.png")
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(ea.InputError, match="not an image"):
        ea.image(tmp_path / "notes.png")
    with pytest.raises(ValueError, match="seconds"):
        ea.slide("x", seconds=0)
    with pytest.raises(ValueError, match="non-empty"):
        ea.slide("  ")
    board = ea.storyboard(ea.open(gray_clip))
    with pytest.raises(ea.OutputError):
        board.export(gray_clip, progress=False)  # never over an input
    with pytest.raises(ValueError, match="past the end"):
        board.preview(99)


def test_an_hdr_clip_joins_sdr_segments(tmp_path: Path, gray_clip: Path) -> None:
    source = tmp_path / "hlg.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1", "-vf",
           "setparams=color_primaries=bt2020:color_trc=arib-std-b67:colorspace=bt2020nc",
           "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le",
           "-x265-params", "log-level=error", "-tag:v", "hvc1", str(source))
    assert ea.probe(source).hdr == "arib-std-b67"
    board = ea.storyboard(ea.open(gray_clip).trim(0, 1), ea.open(source))
    result = board.export(tmp_path / "mixed.mp4", **FAST)
    written = probe(result.path)
    assert written.bit_depth == 8 and written.hdr is None and written.pix_fmt == "yuv420p"
    assert result.duration == pytest.approx(2.0, abs=1 / 30)
    assert len(list(decode_frames(result.path))) == 60


def test_stills_and_the_compiled_graph(board: ea.Storyboard, exported: ea.ExportResult,
                                       tmp_path: Path) -> None:
    paths = board.stills(tmp_path / "stills")
    assert len(paths) == 6  # the card and the middle of every segment
    middle = board.program().starts[1] + 1.0
    with Image.open(paths[2]) as still:
        shown = np.asarray(still.convert("RGB")).astype(int)
    assert np.abs(shown - frame_at(exported.path, middle).astype(int)).mean() < 6
    job = board.compile(tmp_path / "out.mp4", tmp_path / "work")
    assert job.graph.count("concat=n=6:v=1:a=0") == 1  # ONE graph joins every segment
    assert job.graph.count("concat=n=6:v=0:a=1") == 1
    assert sum(arg == "-i" for arg in job.argv) == len(job.inputs)
    photo = next(p for p in job.inputs if p.name.startswith("still"))
    assert photo.parent.parent == tmp_path / "work"  # the clean PNG, never the original
    with Image.open(photo) as image:
        assert not image.getexif() and "exif" not in image.info
