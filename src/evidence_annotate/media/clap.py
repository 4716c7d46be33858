"""The clean-aperture box (``clap``) of MOV/MP4 files: read it and crop as ffmpeg does.

iPhones write a ``clap`` box that hides the frame's edges. ffmpeg's mov demuxer turns it into
crop side data the ffmpeg command line applies, while PyAV ignores it, so the box is read here
from the file's ``moov`` and [clap_crop][] follows ffmpeg's arithmetic.
"""

from __future__ import annotations

import math
import os
import struct
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import av.container

__all__ = ["Crop", "clap_crop", "clap_of"]

_MOV_DEMUXER = "mov,mp4,m4a,3gp,3g2,mj2"
_MAX_MOOV_BYTES = 256 << 20
Crop = tuple[int, int, int, int]
"""Pixels cut from the (left, top, right, bottom) edges of a frame."""


def clap_crop(width: int, height: int, clap: tuple[int, ...]) -> Crop:
    """The crop a clean-aperture box asks for, worked out as ffmpeg's mov demuxer does.

    The aperture is centred on the frame's centre plus the box's offsets; its edges are
    truncated to whole pixels. A box that is invalid (zero or negative denominators, an
    aperture larger than the frame or reaching past an edge) is ignored, as ffmpeg does.

    Args:
        width: Width of the stored frame, as the sample entry gives it.
        height: Height of the stored frame, as the sample entry gives it.
        clap: The box's eight signed 32-bit fields: aperture width and height, horizontal and
            vertical offset, each as numerator and denominator.

    Returns:
        Pixels to cut from the (left, top, right, bottom) edges; all 0 = nothing to cut.

    Example:
        >>> clap_crop(1440, 1080, (1308, 1, 980, 1, 0, 1, 0, 1))
        (66, 50, 66, 50)
        >>> clap_crop(320, 240, (400, 1, 240, 1, 0, 1, 0, 1))  # wider than the frame
        (0, 0, 0, 0)
    """
    nothing = (0, 0, 0, 0)
    aw_num, aw_den, ah_num, ah_den, x_num, x_den, y_num, y_den = clap
    if min(aw_num, aw_den, ah_num, ah_den, x_den, y_den) < 0 or 0 in (aw_den, ah_den, x_den,
                                                                     y_den):
        return nothing
    aperture_w, aperture_h = Fraction(aw_num, aw_den), Fraction(ah_num, ah_den)
    if width <= 0 or height <= 0 or aperture_w > width or aperture_h > height:
        return nothing
    centre_x = Fraction(width - 1, 2) + Fraction(x_num, x_den)
    centre_y = Fraction(height - 1, 2) + Fraction(y_num, y_den)
    half_w, half_h = (aperture_w - 1) / 2, (aperture_h - 1) / 2
    edges = (centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h)
    if min(edges) <= -1:
        return nothing
    left, top, right, bottom = (math.trunc(float(edge)) for edge in edges)
    if right > width - 1 or bottom > height - 1:
        return nothing
    right, bottom = width - 1 - right, height - 1 - bottom
    if left + right >= width or top + bottom >= height:
        return nothing
    return (left, top, right, bottom)


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """``(type, payload start, payload end)`` of the ISO-BMFF boxes in ``data[start:end]``."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        head = 8
        if size == 1 and pos + 16 <= end:
            size, head = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        if size < head or pos + size > end:
            return
        yield kind, pos + head, pos + size
        pos += size


def _child(data: bytes, span: tuple[int, int], kind: bytes) -> tuple[int, int] | None:
    return next(((a, b) for k, a, b in _boxes(data, *span) if k == kind), None)


def _read_moov(path: Path) -> bytes | None:
    """The payload of the file's ``moov`` box, seeking over the media data."""
    with path.open("rb") as handle:
        total = os.fstat(handle.fileno()).st_size
        pos = 0
        while pos + 8 <= total:
            handle.seek(pos)
            header = handle.read(16)
            size, kind = struct.unpack_from(">I4s", header)
            head = 8
            if size == 1 and len(header) == 16:
                size, head = struct.unpack_from(">Q", header, 8)[0], 16
            elif size == 0:
                size = total - pos
            if size < head:
                return None
            if kind == b"moov":
                if size > _MAX_MOOV_BYTES:
                    return None
                handle.seek(pos + head)
                return handle.read(size - head)
            pos += size
    return None


def _stored_clap(path: Path, track: int) -> tuple[int, int, tuple[int, ...]] | None:
    """Sample-entry size and ``clap`` fields of the ``track``-th track of a MOV/MP4 file.

    ffmpeg's mov demuxer makes one stream per ``trak`` box, in file order, so PyAV's stream
    index is the track's position.
    """
    moov = _read_moov(path)
    if moov is None:
        return None
    tracks = [(a, b) for kind, a, b in _boxes(moov, 0, len(moov)) if kind == b"trak"]
    if track >= len(tracks):
        return None
    span: tuple[int, int] | None = tracks[track]
    for kind in (b"mdia", b"minf", b"stbl", b"stsd"):
        span = _child(moov, span, kind) if span is not None else None
    if span is None:
        return None
    # stsd: version, flags and entry count, then the sample entries; a visual sample entry
    # has 78 bytes of fields (the size at bytes 24-27) before its child boxes.
    for _kind, start, end in _boxes(moov, span[0] + 8, span[1]):
        if start + 78 > end:
            return None
        width, height = struct.unpack_from(">HH", moov, start + 24)
        clap = _child(moov, (start + 78, end), b"clap")
        if clap is None or clap[1] - clap[0] < 32:
            return None
        return width, height, struct.unpack_from(">8i", moov, clap[0])
    return None


def clap_of(source: Path, container: av.container.InputContainer, video: av.VideoStream,
          coded: tuple[int, int]) -> Crop:
    """The clean-aperture crop ffmpeg would apply to the video stream (MOV/MP4 only)."""
    if str(container.format.name) != _MOV_DEMUXER:
        return (0, 0, 0, 0)
    try:
        stored = _stored_clap(source, video.index)
    except (OSError, struct.error):
        return (0, 0, 0, 0)
    if stored is None:
        return (0, 0, 0, 0)
    crop = clap_crop(*stored)
    left, top, right, bottom = crop
    if left + right >= coded[0] or top + bottom >= coded[1]:
        return (0, 0, 0, 0)
    return crop
