"""Generated clips for the privacy tests: a face and a shipping label that move, with truth."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from evidence_annotate.geometry import Rect
from evidence_annotate.overlays.base import Overlay
from evidence_annotate.render.run import ffmpeg_exe
from helpers import decode_frames

FPS = 30
Truth = Callable[[float], Rect]


def face_image(height: int) -> tuple[Image.Image, Rect]:
    """The astronaut (scikit-image's public-domain NASA photo), and where the face is in it."""
    from skimage import data

    photo = data.astronaut()  # type: ignore[no-untyped-call]
    crop = Image.fromarray(photo).crop((150, 20, 290, 180))
    scale = height / 160
    face = Rect(round(30 * scale), round(25 * scale), round(80 * scale), round(100 * scale))
    return crop.resize((round(140 * scale), height)), face


def label_image(size: tuple[int, int]) -> Image.Image:
    """A white shipping label with an address and a phone number."""
    card = Image.new("RGB", size, "white")
    pen = ImageDraw.Draw(card)
    font = ImageFont.load_default(size=max(8, size[1] // 6))
    for index, line in enumerate(("SHIP TO: Budi Santoso", "Jl. Merdeka 45, Jakarta",
                                  "Tel 0812-3456-7890")):
        pen.text((6, 4 + index * (size[1] // 4)), line, fill="black", font=font)
    return card


def make_clip(path: Path, size: tuple[int, int], seconds: float,
              face_at: Callable[[float], tuple[int, int]] | None,
              label_at: Callable[[float], tuple[int, int]] | None) -> tuple[Truth, Truth]:
    """Encode the clip; return where the face and the label are at a time (truth)."""
    width, height = size
    face, inner = face_image(round(height * 0.3))
    label = label_image((round(width * 0.3), round(height * 0.22)))
    rng = np.random.default_rng(1)
    ramp = np.linspace(60, 120, width)[None, :, None]
    background = (rng.random((height, width, 1)) * 40 + ramp).astype(np.uint8).repeat(3, 2)
    frames = round(seconds * FPS)
    proc = subprocess.Popen([ffmpeg_exe(), "-loglevel", "error", "-y", "-f", "rawvideo",
                             "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(FPS),
                             "-i", "-", "-c:v", "libx264", "-preset", "ultrafast",
                             "-pix_fmt", "yuv420p", str(path)], stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for index in range(frames):
        image = Image.fromarray(background)
        t = index / FPS
        if face_at is not None:
            image.paste(face, face_at(t))
        if label_at is not None:
            image.paste(label, label_at(t))
        proc.stdin.write(image.tobytes())
    proc.stdin.close()
    assert proc.wait() == 0

    def face_truth(t: float) -> Rect:
        assert face_at is not None
        x, y = face_at(t)
        return Rect(x + inner.x, y + inner.y, inner.w, inner.h)

    def label_truth(t: float) -> Rect:
        assert label_at is not None
        x, y = label_at(t)
        return Rect(x, y, *label.size)
    return face_truth, label_truth


def laplacian_var(region: np.ndarray) -> float:
    """Variance of the Laplacian: how much fine detail a region holds."""
    gray = region.astype(float).mean(axis=2)
    lap = (gray[1:-1, :-2] + gray[1:-1, 2:] + gray[:-2, 1:-1] + gray[2:, 1:-1]
           - 4 * gray[1:-1, 1:-1])
    return float(lap.var()) if lap.size else 0.0


def visible(rect: Rect, size: tuple[int, int]) -> Rect | None:
    """The part of ``rect`` inside the frame (``None`` when less than a quarter shows)."""
    x0, y0 = max(0, rect.x), max(0, rect.y)
    x1, y1 = min(size[0], rect.right), min(size[1], rect.bottom)
    if (x1 - x0) * (y1 - y0) < 0.25 * rect.w * rect.h or x1 <= x0 or y1 <= y0:
        return None
    return Rect(x0, y0, x1 - x0, y1 - y0)


def coverage(out: Path, source: Path, layers: Sequence[Overlay], truths: Sequence[Truth],
             size: tuple[int, int]) -> tuple[float, float, int]:
    """How well an export of ``source`` hides the objects whose true places are ``truths``.

    Returns:
        The share of (frame, visible object) pairs whose detail is gone (Laplacian variance
        under a tenth of the source's), the mean share of the frame blurred outside the
        objects (by the blur ``layers``' regions), and how many pairs were checked.
    """
    originals = dict(decode_frames(source))
    covered = seen = 0
    needless = []
    for t, frame in decode_frames(out):
        original = originals[min(originals, key=lambda s: abs(s - t))]
        truth_mask = np.zeros(frame.shape[:2], bool)
        for truth in truths:
            rect = visible(truth(t), size)
            if rect is None:
                continue
            truth_mask[rect.y:rect.bottom, rect.x:rect.right] = True
            seen += 1
            before = laplacian_var(original[rect.y:rect.bottom, rect.x:rect.right])
            after = laplacian_var(frame[rect.y:rect.bottom, rect.x:rect.right])
            covered += after < 0.1 * before
        blurred = np.zeros(frame.shape[:2], bool)
        for layer in layers:
            if layer.span.active(t):
                r = layer.at(t, size)  # type: ignore[attr-defined]
                blurred[r.y:r.bottom, r.x:r.right] = True
        needless.append(float((blurred & ~truth_mask).mean()))
    return covered / max(1, seen), float(np.mean(needless)), seen
