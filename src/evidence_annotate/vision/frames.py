"""A decoded low-resolution copy of a clip, upright, for trackers and detectors.

Frames are decoded with PyAV and scaled by the decoder's own scaler (no full-size copy is
made in Python), then turned upright like the export shows them. Nothing here is on the
export path.
"""

from __future__ import annotations

from collections.abc import Iterator

import av
import numpy as np

from ..errors import InputError
from ..media import MediaInfo, media_url

__all__ = ["low_res_frames", "scale_for"]


def scale_for(info: MediaInfo, longest: int) -> float:
    """The factor from displayed pixels to the copy whose longer side is at most ``longest``."""
    return min(1.0, longest / max(info.size))


def low_res_frames(info: MediaInfo, longest: int = 480, start: float = 0.0,
                   end: float | None = None,
                   step: float = 0.0) -> Iterator[tuple[float, np.ndarray]]:
    """Every frame from ``start`` to ``end`` (source seconds) as ``(t, BGR array)``, upright.

    Args:
        info: The probed source.
        longest: The longer side of the copy in pixels (never enlarged).
        start: First source time wanted (decoding seeks to the keyframe before it).
        end: Last source time wanted (``None`` = to the end).
        step: Skip frames less than ``step`` seconds after the last one given (they are
            decoded but never scaled or copied).

    Raises:
        InputError: The source cannot be decoded.
    """
    factor = scale_for(info, longest)
    width = max(2, round(info.coded_width * factor))
    height = max(2, round(info.coded_height * factor))
    cut = [round(v * factor) for v in info.crop]
    try:
        with av.open(media_url(info.path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            wanted = start
            if start > 0:
                container.seek(max(0, int((start + info.start_time) / stream.time_base)),
                               stream=stream, backward=True, any_frame=False)
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                t = max(0.0, frame.time - info.start_time)
                if t < start - 1e-6:
                    continue
                if end is not None and t > end + 1e-6:
                    break
                if t + 1e-6 < wanted:
                    continue
                wanted = t + step
                image = frame.to_ndarray(width=width, height=height, format="bgr24")
                if any(cut):
                    image = image[cut[1]:height - cut[3], cut[0]:width - cut[2]]
                if info.rotation:
                    image = np.rot90(image, k=info.rotation // 90)
                yield t, np.ascontiguousarray(image)
    except av.FFmpegError as err:
        raise InputError(f"{str(info.path)!r} cannot be decoded for tracking: {err}",
                         info.path) from None
