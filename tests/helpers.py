"""Helpers shared by the tests: decoding frames and audio of real files."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
from PIL import Image, ImageDraw

import evidence_annotate as ea
from evidence_annotate.drawing.sprite import Canvas, Sprite

GRAY = (128, 128, 128)


def decode_frames(path: Path) -> Iterator[tuple[float, np.ndarray]]:
    """Every displayed frame of a file as (time in seconds, RGB array)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        start = (container.start_time or 0) / 1_000_000
        for frame in container.decode(stream):
            assert frame.time is not None
            yield frame.time - start, frame.to_ndarray(format="rgb24")


def frame_at(path: Path, t: float) -> np.ndarray:
    """The displayed frame of a file at time ``t`` (as a player would show it)."""
    from evidence_annotate.media import probe
    from evidence_annotate.render.preview import source_frame

    return np.asarray(source_frame(probe(path), t))


def pixel(image: np.ndarray | Image.Image, x: int, y: int) -> tuple[int, int, int]:
    array = np.asarray(image)
    r, g, b = (int(v) for v in array[y, x, :3])
    return (r, g, b)


def close(color: tuple[int, int, int], expected: tuple[int, int, int], tol: int = 40) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(color, expected, strict=True))


def audio_samples(path: Path) -> tuple[np.ndarray, int]:
    """The first audio stream, mono float32, and its sample rate."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=16000)
        chunks = []
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    return np.concatenate(chunks) if chunks else np.zeros(0, np.float32), 16000


def tmp_leftovers(folder: Path) -> list[str]:
    """Hidden partial files an export might leave behind."""
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


def graph_luma(ev: ea.Evidence, work: Path) -> np.ndarray:
    """The brightness (luma plane) of every frame the export's graph makes."""
    job = ev.compile(work / "out.mp4", work)
    argv = list(job.argv[:job.argv.index("-c:v")])
    audio: list[str] = []
    if "[aout]" in argv:
        index = argv.index("[aout]")
        del argv[index - 1:index + 1]
        audio = ["-map", "[aout]", "-f", "null", "-"]
    raw = subprocess.run([*argv, "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1", *audio],
                         capture_output=True, check=True).stdout
    width, height = job.size
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width)


def assert_frames_match(got: np.ndarray, want: np.ndarray, tolerance: int = 0) -> None:
    """Same number of frames, and no pixel of any frame further apart than ``tolerance``."""
    assert got.shape == want.shape
    diff = np.abs(got.astype(np.int16) - want.astype(np.int16)).max(axis=(1, 2))
    assert diff.max() <= tolerance, f"frames {np.nonzero(diff > tolerance)[0]} differ"


def drawn_both_ways(calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]],
                    frame: tuple[int, int]) -> tuple[Image.Image, Canvas]:
    """The ``ImageDraw`` calls drawn on a whole clear frame, and recorded on a Canvas."""
    whole = Image.new("RGBA", frame, (0, 0, 0, 0))
    plain = ImageDraw.Draw(whole)
    canvas = Canvas(frame)
    for name, args, kwargs in calls:
        getattr(plain, name)(*args, **kwargs)
        getattr(canvas.draw, name)(*args, **kwargs)
    return whole, canvas


def pixels_apart(sprite: Sprite, whole: Image.Image) -> int:
    """How many pixels of ``whole`` differ from ``sprite`` placed on a clear frame."""
    placed = Image.new("RGBA", whole.size, (0, 0, 0, 0))
    placed.paste(sprite.image, (sprite.x, sprite.y))
    return int((np.asarray(placed) != np.asarray(whole)).any(axis=2).sum())
