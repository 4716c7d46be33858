"""Regenerate the bundled sample clip: src/evidence_annotate/data/sample.mp4 and sample.txt.

The clip is a synthetic "product" scene drawn with Pillow: a phone case with a crack along its
left edge lying on a wooden table next to a shipping label carrying a (made-up) name and
address, filmed by a slightly shaky hand. Its narration is spoken by espeak-ng (voice en-us,
150 words per minute) from the script in ``SCRIPT``, which is written to ``sample.txt`` as the
ground truth. Video: H.264 854x480 at 25 fps, CRF 28; audio: AAC mono 48 kbit/s; bit-exact muxing
and no tags, so the file stays well under 2 MB and changes only when the drawing or the tools do.

The scene's geometry is in ``CASE``, ``CRACK`` and ``LABEL`` (pixels of the 854x480 frame); the
demo plan in ``evidence_annotate.sample`` (``CRACK_BOX``, ``LABEL_BOX``) points at the same places.

Usage:
    python scripts/make_sample.py [OUTPUT_DIR]
"""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import imageio_ffmpeg
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "src" / "evidence_annotate" / "data"
FONT = ROOT / "src" / "evidence_annotate" / "fonts" / "DejaVuSans.ttf"
BOLD = ROOT / "src" / "evidence_annotate" / "fonts" / "DejaVuSans-Bold.ttf"

WIDTH, HEIGHT, FPS, SECONDS = 854, 480, 25, 10.0
SHAKE = 6  # largest camera offset in pixels
SPEECH_START = 0.6  # seconds of room tone before the narration
VOICE, WORDS_PER_MINUTE = "en-us", 150
SCRIPT = ("The phone case arrived with a crack along the left edge. "
          "The crack runs from the camera down to the bottom of the case.")

CASE = (300, 70, 210, 370)  # x, y, w, h of the phone case
CRACK = ((318, 128), (330, 176), (314, 228), (336, 292), (318, 352), (332, 420))
LABEL = (600, 36, 226, 132)  # the shipping label (personal data)


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def draw_scene() -> Image.Image:
    """The still scene, larger than the frame by SHAKE on each side."""
    pad = SHAKE
    scene = Image.new("RGB", (WIDTH + 2 * pad, HEIGHT + 2 * pad), (152, 106, 66))
    draw = ImageDraw.Draw(scene)
    for row in range(0, scene.height, 6):  # wood grain
        shade = 10 * math.sin(row / 23.0) + 6 * math.sin(row / 7.0)
        color = tuple(max(0, min(255, round(c + shade))) for c in (152, 106, 66))
        draw.line([(0, row), (scene.width, row + 4)], fill=color, width=6)

    def box(rect: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        x, y, w, h = rect
        return x + pad, y + pad, x + pad + w, y + pad + h

    x0, y0, x1, y1 = box(CASE)
    draw.rounded_rectangle((x0 + 8, y0 + 10, x1 + 8, y1 + 10), radius=34, fill=(92, 62, 38))
    draw.rounded_rectangle((x0, y0, x1, y1), radius=34, fill=(28, 64, 128))
    draw.rounded_rectangle((x0 + 14, y0 + 14, x1 - 14, y1 - 14), radius=26, fill=(36, 80, 156))
    draw.rounded_rectangle((x0 + 24, y0 + 24, x0 + 94, y0 + 104), radius=16, fill=(14, 22, 40))
    for cx, cy in ((x0 + 44, y0 + 46), (x0 + 74, y0 + 46), (x0 + 44, y0 + 80)):
        draw.ellipse((cx - 11, cy - 11, cx + 11, cy + 11), fill=(60, 70, 90))
    draw.text(((x0 + x1) / 2, y1 - 60), "ACME", font=_font(BOLD, 26), fill=(200, 214, 240),
              anchor="mm")
    crack = [(x + pad, y + pad) for x, y in CRACK]
    draw.line(crack, fill=(10, 14, 24), width=7, joint="curve")
    draw.line(crack, fill=(236, 240, 250), width=3, joint="curve")

    lx0, ly0, lx1, ly1 = box(LABEL)
    draw.rectangle((lx0 + 5, ly0 + 6, lx1 + 5, ly1 + 6), fill=(98, 66, 40))
    draw.rectangle((lx0, ly0, lx1, ly1), fill=(246, 244, 236))
    text = _font(FONT, 15)
    lines = ("SHIP TO:", "Jane Example", "12 Sample Street, Apt 3", "Springfield 12345")
    for i, line in enumerate(lines):
        draw.text((lx0 + 12, ly0 + 10 + 20 * i), line, font=text, fill=(20, 20, 20))
    for i in range(40):  # a barcode
        if (i * 7) % 5 < 3:
            bx = lx0 + 12 + 5 * i
            draw.rectangle((bx, ly1 - 30, bx + 2, ly1 - 10), fill=(20, 20, 20))
    return scene


def write_video(scene: Image.Image, wav: Path, out: Path) -> None:
    argv = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-r", str(FPS),
            "-i", "pipe:0", "-i", str(wav),
            "-af", f"adelay={round(SPEECH_START * 1000)}:all=1,apad",
            "-t", f"{SECONDS}", "-c:v", "libx264", "-preset", "slow", "-crf", "28",
            "-pix_fmt", "yuv420p", "-g", "50", "-threads", "1",
            "-c:a", "aac", "-b:a", "48k", "-ac", "1", "-ar", "24000",
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
            "-flags:a", "+bitexact", "-movflags", "+faststart", str(out)]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for n in range(round(SECONDS * FPS)):
        t = n / FPS
        dx = round(SHAKE * 0.8 * math.sin(2 * math.pi * 0.23 * t) + 1.2 * math.sin(7.1 * t))
        dy = round(SHAKE * 0.7 * math.sin(2 * math.pi * 0.17 * t + 1.0))
        left, top = SHAKE + dx, SHAKE + dy
        proc.stdin.write(scene.crop((left, top, left + WIDTH, top + HEIGHT)).tobytes())
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("ffmpeg failed")


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "-w", str(wav),
                        SCRIPT], check=True)
        out = out_dir / "sample.mp4"
        write_video(draw_scene(), wav, out)
    (out_dir / "sample.txt").write_text(SCRIPT + "\n", encoding="utf-8")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    print(f"{out}: {out.stat().st_size} bytes, sha256 {digest}...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
