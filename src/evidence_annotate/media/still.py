"""Photos and screenshots as still sources: upright, clean pixels, and what they measure.

[read_still][] opens a PNG, JPEG or WebP (HEIC when the installed Pillow can read it),
turns it upright by its EXIF orientation and keeps ONLY its pixels, re-encoded as PNG: no
EXIF (GPS position, camera, time), no XMP, no ICC or text chunks reach an export. An export
writes those pixels into its own work folder as a fresh PNG; the original file is only read.

Example:
    >>> picture = read_still("listing.png")                    # doctest: +SKIP
    >>> picture.size, picture.image().mode                       # doctest: +SKIP
    ((1170, 2532), 'RGB')
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import InputError
from .info import MediaInfo

__all__ = ["MAX_SIDE", "Picture", "picture_of", "read_still", "still_info"]

MAX_SIDE = 3840
"""Longest side kept of a still (bigger photos are scaled down: no canvas is larger)."""


@dataclass(frozen=True)
class Picture:
    """An upright still's pixels, as PNG bytes with nothing but the pixels.

    Attributes:
        png: The PNG-encoded RGB pixels (no metadata chunks).
        size: ``(width, height)`` upright.
    """

    png: bytes
    size: tuple[int, int]

    def image(self) -> Image.Image:
        """The pixels as a new RGB ``PIL.Image``."""
        with Image.open(io.BytesIO(self.png)) as image:
            rgb: Image.Image = image.convert("RGB")
        return rgb

    def __repr__(self) -> str:
        return f"Picture({self.size[0]}x{self.size[1]}, {len(self.png)} bytes)"


def picture_of(image: Image.Image) -> Picture:
    """Keep only the pixels of ``image`` (converted to RGB over white when transparent)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, (0, 0), rgba)
        image = flat
    clean = Image.new("RGB", image.size)
    clean.paste(image.convert("RGB"), (0, 0))  # a new image: no info dict, no EXIF, no ICC
    if max(clean.size) > MAX_SIDE:
        clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    clean.save(out, format="PNG", compress_level=1)
    return Picture(out.getvalue(), clean.size)


def read_still(path: str | os.PathLike[str]) -> Picture:
    """Read a photo or screenshot, upright, keeping only its pixels.

    Args:
        path: A PNG, JPEG or WebP file (HEIC when Pillow has a plugin for it).

    Returns:
        The [Picture][].

    Raises:
        InputError: Missing, a folder, or not an image Pillow can read.
    """
    file = Path(path)
    if not file.is_file():
        where = "is a folder" if file.is_dir() else "does not exist"
        raise InputError(f"the image {str(file)!r} {where}; give a PNG, JPEG or WebP file",
                         file)
    try:
        with Image.open(file) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return picture_of(upright if upright is not None else image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as err:
        hint = (" (HEIC needs a Pillow plugin such as pillow-heif; or export the photo as "
                "JPEG)" if file.suffix.lower() in (".heic", ".heif") else "")
        raise InputError(f"{str(file)!r} is not an image Pillow can read{hint}: {err}; give "
                         "a PNG, JPEG or WebP file", file) from None


def still_info(path: Path, size: tuple[int, int], seconds: float,
               rate: Fraction = Fraction(30)) -> MediaInfo:
    """A [MediaInfo][evidence_annotate.media.MediaInfo] for a still shown ``seconds`` long.

    The still behaves as a silent video of identical frames at ``rate``: overlay windows,
    time edits and the timeline work on it as on a clip.
    """
    width, height = size
    frames = max(1, round(seconds * rate))
    return MediaInfo(path=path, width=width, height=height, coded_width=width,
                     coded_height=height, rotation=0, duration=float(seconds),
                     fps=float(rate), frame_rate=rate, vfr=False, frame_count=frames,
                     video_codec="png", pix_fmt="rgb24", bit_depth=8, hdr=None,
                     has_audio=False, audio_codec=None, audio_stream=None, audio_start=0.0,
                     audio_streams=0, video_stream=0, start_time=0.0, size_bytes=0)
