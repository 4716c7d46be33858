"""The same plan as a MoviePy composition: interop, and a second renderer to check the first.

The clip is the title card (if any) followed by every kept source range, each frame drawn by
the same per-overlay Pillow operations as previews and the same timeline mapping as the
export, so trims and cuts are honoured and audio is cut identically. MoviePy pulls every
frame through Python, so it is several times slower than the ffmpeg renderer; use it to
combine evidence with other MoviePy clips, not for exports. Spoken redactions are muted or
bleeped in the source audio before it is cut, with the same windows and tone as the export.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from ..cards import draw_title_card
from ..geometry import output_size
from ..media import MediaInfo, media_url
from ..plan import Plan
from .audio import BLEEP_HZ, BLEEP_LEVEL, plan_redactions
from .preview import annotated_frame

__all__ = ["to_moviepy"]


def _annotate(plan: Plan, info: MediaInfo, start: float) -> Callable[[Callable[[float], Any],
                                                                      float], Any]:
    def transform(get_frame: Callable[[float], Any], t: float) -> Any:
        frame = Image.fromarray(get_frame(t))
        return np.asarray(annotated_frame(plan, info, frame, start + t))
    return transform


def _redacted(audio: Any, windows: tuple[tuple[float, float, str], ...]) -> Any:
    """The source audio with redaction windows (source seconds) muted or bleeped."""
    def change(get_frame: Callable[[Any], Any], t: Any) -> Any:
        frame = np.array(get_frame(t), dtype=np.float64)
        times = np.atleast_1d(np.asarray(t, dtype=np.float64))
        view = frame.reshape(len(times), -1)
        for start, end, mode in windows:
            inside = (times >= start) & (times < end)
            if mode in ("mute", "bleep"):
                view[inside] = 0.0
            if mode == "bleep":
                view[inside] += (BLEEP_LEVEL * np.sin(2 * np.pi * BLEEP_HZ * times[inside]))[
                    :, None]
        return view.reshape(frame.shape)
    return audio.transform(change, keep_duration=True)


def to_moviepy(plan: Plan, info: MediaInfo) -> Any:
    """Build a MoviePy clip of the plan: title card, kept ranges, overlays and captions.

    Captions are drawn with Pillow in the caption style (the export burns them with libass).

    Args:
        plan: The plan.
        info: The probed source.

    Returns:
        A ``moviepy.VideoClip`` as long as the planned output.
    """
    from moviepy import ImageClip, VideoFileClip, concatenate_videoclips

    # ffmpeg crops a clean aperture itself; MoviePy expects the header's size unless told.
    source = VideoFileClip(media_url(info.path), audio=info.has_audio,
                           target_resolution=(info.width, info.height))
    windows = plan_redactions(plan, info.duration)
    if source.audio is not None and windows:
        source = source.with_audio(_redacted(source.audio, windows))
    timeline = plan.timeline(info.frame_rate, info.duration)
    end_limit = min(source.duration, info.duration)
    pieces = []
    if plan.title_card is not None:
        card = draw_title_card(plan.title_card, output_size(info.size))
        pieces.append(ImageClip(np.asarray(card)).with_duration(timeline.card))
    for start, end in timeline.segments:
        piece = source.subclipped(start, min(end, end_limit))
        pieces.append(piece.transform(_annotate(plan, info, start), keep_duration=True))
    clip = pieces[0] if len(pieces) == 1 else concatenate_videoclips(pieces)
    return clip.with_fps(float(info.frame_rate))
