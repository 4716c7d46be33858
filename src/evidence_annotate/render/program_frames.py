"""A program's frames drawn with Pillow: previews and MoviePy.

The export's frame at output time ``t`` is frame ``floor(t * rate)``; within its part, the
``fps`` filter (``round=up``) shows the last source frame whose retimed timestamp is not
after that frame's time, which is the frame shown at the source time the part's
[Timeline][evidence_annotate.timing.Timeline] maps it to. Previews pick the same frame,
draw the same overlays ([annotated_frame][evidence_annotate.render.preview.annotated_frame])
and place it on the canvas the same way.
"""

from __future__ import annotations

import math
from typing import Any

from PIL import Image, ImageFilter

from ..cards import draw_title_card
from ..colors import Color
from ..media import media_url
from .preview import annotated_frame, timed_frames
from .program import BLUR, Part, Program, fit_rect
from .program_graph import cover_rect

__all__ = ["place", "program_frame", "to_moviepy"]


def place(image: Image.Image, part: Part, program: Program) -> Image.Image:
    """A part's frame on the canvas: scaled to fit over the blurred frame or a colour."""
    x, y, w, h = fit_rect(part.size, program.size)
    if (w, h) == program.size:
        return image if image.size == program.size else \
            image.resize(program.size, Image.Resampling.LANCZOS)
    if program.background == BLUR:
        sw, sh, small_w, small_h = cover_rect(part.size, program.size)
        small = image.resize((sw, sh), Image.Resampling.BILINEAR)
        left, top = (sw - small_w) // 2, (sh - small_h) // 2
        small = small.crop((left, top, left + small_w, top + small_h))
        canvas = small.filter(ImageFilter.BoxBlur(2)).resize(program.size,
                                                             Image.Resampling.BILINEAR)
    else:
        canvas = Image.new("RGB", program.size, Color.parse(program.background).rgba[:3])
    canvas.paste(image.resize((w, h), Image.Resampling.LANCZOS), (x, y))
    return canvas


def _still_time(part: Part, program: Program, source_t: float) -> float:
    """The timestamp of the looped still's frame shown at ``source_t``."""
    return float(math.floor(source_t * program.rate + 1e-6) / program.rate)


def part_frame(part: Part, program: Program, local: float,
               image: Image.Image | None = None) -> Image.Image:
    """The part's annotated frame at ``local`` output seconds into it (before placing).

    ``image`` is the displayed source frame when the caller has it (MoviePy), else it is
    decoded.
    """
    source_t = part.timeline.to_source(local)
    assert source_t is not None
    if part.picture is not None:
        shown = _still_time(part, program, source_t)
        frame = image if image is not None else part.picture.image()
    elif image is not None:
        shown, frame = source_t, image
    else:
        ((shown, frame),) = timed_frames(part.info, [min(source_t, part.info.duration)])
    return annotated_frame(part.plan, part.info, frame, shown)


def program_frame(program: Program, t: float) -> Image.Image:
    """The output frame at output time ``t`` (title card included), at the canvas size."""
    index, frame = program.locate(t)
    if index is None:
        assert program.card is not None
        return draw_title_card(program.card, program.size)
    part = program.parts[index]
    local = float(frame / program.rate)
    return place(part_frame(part, program, local), part, program)


def to_moviepy(program: Program) -> Any:
    """The program as a MoviePy clip, every frame drawn as [program_frame][] draws it.

    Clip parts are read in order by MoviePy (no seek per frame), except variable frame rate
    clips, whose frames are picked by their real timestamps as previews do (slower).
    Sound: each clip part's pieces played at normal speed; pieces played faster or slower
    and held frames are silent (MoviePy has no pitch-preserving time stretch; the export has).
    """
    import numpy as np
    from moviepy import (
        AudioClip,
        ImageClip,
        VideoClip,
        VideoFileClip,
        concatenate_audioclips,
        concatenate_videoclips,
    )

    def quiet(seconds: float) -> Any:
        return AudioClip(lambda t: np.zeros((np.size(t), 2)), duration=seconds, fps=48000)

    pieces, sounds = [], []
    rate = float(program.rate)
    if program.card is not None:
        seconds = program.card_frames / rate
        pieces.append(ImageClip(np.asarray(draw_title_card(program.card, program.size)))
                      .with_duration(seconds))
        sounds.append(quiet(seconds))
    for part, count in zip(program.parts, program.frames, strict=True):
        length = count / rate
        source = None if part.picture is not None else VideoFileClip(
            media_url(part.info.path), audio=part.has_audio,
            target_resolution=(part.info.width, part.info.height))

        picture = part.picture.image() if part.picture is not None else None

        def draw(t: float, part: Part = part, source: Any = source,
                 picture: Image.Image | None = picture) -> Any:
            local = math.floor(t * rate + 1e-6) / rate
            image = picture
            if source is not None and not part.info.vfr:  # MoviePy reads VFR at a guessed rate
                at = part.timeline.to_source(local) or 0.0
                image = Image.fromarray(source.get_frame(min(at, source.duration - 1e-3)))
            return np.asarray(place(part_frame(part, program, local, image), part, program))

        if picture is not None and not part.plan.layers and part.plan.captions is None:
            pieces.append(ImageClip(draw(0.0)).with_duration(length))  # the same every frame
        else:
            pieces.append(VideoClip(draw, duration=length))
        sounds.extend(_sounds(part, source, length, quiet))
    video = concatenate_videoclips(pieces) if len(pieces) > 1 else pieces[0]
    if program.has_audio:
        video = video.with_audio(concatenate_audioclips(sounds))
    return video.with_fps(rate)


def _sounds(part: Part, source: Any, length: float, quiet: Any) -> list[Any]:
    if source is None or source.audio is None:
        return [quiet(length)]
    out, used = [], 0.0
    for piece in part.timeline.pieces:
        if piece.hold or piece.factor != 1.0:
            out.append(quiet(piece.length))
        else:
            end = min(piece.end, source.audio.duration)
            out.append(source.audio.subclipped(piece.start, end) if end > piece.start
                       else quiet(piece.length))
        used += piece.length
    if length - used > 1e-3:
        out.append(quiet(length - used))
    return out
