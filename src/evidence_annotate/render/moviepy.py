"""The same plan as a MoviePy composition: interop, and a second renderer to check the first.

MoviePy pulls every frame through Python, so it is several times slower than the ffmpeg
renderer; use it to combine evidence with other MoviePy clips, not for exports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from ..draw import apply_blur, draw_layer, draw_title_card
from ..draw.caption import caption_sprite
from ..layers import Blur
from ..media import MediaInfo, media_url
from ..plan import Plan
from .graph import output_size
from .preview import caption_events

__all__ = ["to_moviepy"]


def _blur_transform(blurs: list[Blur]) -> Callable[[Callable[[float], Any], float], Any]:
    def transform(get_frame: Callable[[float], Any], t: float) -> Any:
        frame = get_frame(t)
        active = [b for b in blurs if b.span.active(t)]
        if not active:
            return frame
        image = Image.fromarray(frame)
        for blur in active:
            image = apply_blur(image, blur)
        return np.asarray(image)
    return transform


def to_moviepy(plan: Plan, info: MediaInfo) -> Any:
    """Build a MoviePy clip of the plan: title card, overlays, blur and captions.

    Captions are drawn with Pillow in the caption style (the export burns them with libass).

    Args:
        plan: The plan.
        info: The probed source.

    Returns:
        A ``moviepy.VideoClip`` with the title card first and the overlays in place.
    """
    from moviepy import CompositeVideoClip, ImageClip, VideoFileClip, concatenate_videoclips

    # ffmpeg crops a clean aperture itself; MoviePy expects the header's size unless told.
    source = VideoFileClip(media_url(info.path), audio=info.has_audio,
                           target_resolution=(info.width, info.height))
    duration = min(source.duration, info.duration)
    base = source.with_duration(duration)
    blurs = [layer for layer in plan.layers if isinstance(layer, Blur)]
    if blurs:
        base = base.transform(_blur_transform(blurs), keep_duration=True)
    clips = [base]
    for layer in plan.layers:
        if isinstance(layer, Blur):
            continue
        sprite = draw_layer(layer, info.size)
        start, end = layer.span.bounded(duration)
        clip = (ImageClip(np.asarray(sprite.image), transparent=True)
                .with_start(start).with_duration(max(0.0, min(end, duration) - start))
                .with_position((sprite.x, sprite.y)))
        clips.append(clip)
    width, height = output_size(info)
    if plan.captions is not None:
        for start, end, lines in caption_events(plan.captions.ass, plan.captions.literal):
            if start >= duration or end <= start:
                continue
            sprite = caption_sprite(lines, (width, height), plan.captions.style)
            clips.append(ImageClip(np.asarray(sprite.image), transparent=True)
                         .with_start(start).with_duration(min(end, duration) - start)
                         .with_position((sprite.x, sprite.y)))
    composite = CompositeVideoClip(clips, size=(width, height)).with_duration(duration)
    if plan.title_card is None:
        return composite
    card = ImageClip(np.asarray(draw_title_card(plan.title_card, (width, height)))).with_duration(
        plan.card_duration(info.frame_rate))
    return concatenate_videoclips([card, composite]).with_fps(float(info.frame_rate))
