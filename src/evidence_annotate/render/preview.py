"""Single frames of the output, decoded with PyAV and drawn with Pillow (no ffmpeg run).

A frame is chosen by its REAL timestamp (the one a player shows at that moment), exactly as
the ffmpeg renderer's ``enable`` expressions do, so previews match exports on variable frame
rate footage too.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import av
import pysubs2
from PIL import Image

from ..captions.subs import ass_plain_text
from ..draw import compose, draw_title_card
from ..draw.caption import draw_caption_lines
from ..errors import InputError
from ..media import MediaInfo, media_url
from ..plan import CaptionTrack, Plan
from .graph import output_size

__all__ = ["caption_events", "caption_lines", "output_frame", "source_frame", "source_frames"]


def _displayed(frame: av.VideoFrame, info: MediaInfo) -> Image.Image:
    """The frame as the export shows it: clean aperture cropped, then turned upright."""
    image: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
    if any(info.crop):
        left, top, right, bottom = info.crop
        image = image.crop((left, top, image.width - right, image.height - bottom))
    if info.rotation:
        image = image.rotate(info.rotation, expand=True)
    return image


def source_frames(info: MediaInfo, times: Sequence[float]) -> list[Image.Image]:
    """Displayed source frames shown at each source time in ``times`` (crop and rotation applied).

    Args:
        info: The probed source.
        times: Source times in seconds.

    Returns:
        RGB images in the order of ``times``.

    Raises:
        InputError: The source cannot be decoded at some time.
    """
    images: list[Image.Image] = []
    with av.open(media_url(info.path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for t in times:
            target = t + info.start_time
            container.seek(max(0, int(target / stream.time_base)), stream=stream,
                           backward=True, any_frame=False)
            chosen: av.VideoFrame | None = None
            for frame in container.decode(stream):
                if frame.time is None:
                    continue
                if chosen is not None and frame.time > target + 1e-6:
                    break
                chosen = frame
            if chosen is None:
                raise InputError(f"no frame of {str(info.path)!r} could be decoded at {t:.3f} s",
                                 info.path)
            images.append(_displayed(chosen, info))
    return images


def source_frame(info: MediaInfo, t: float) -> Image.Image:
    """The displayed source frame shown at source time ``t``."""
    return source_frames(info, [t])[0]


@functools.lru_cache(maxsize=8)
def caption_events(ass: str, literal: bool = True) -> tuple[tuple[float, float, tuple[str, ...]],
                                                            ...]:
    """``(start, end, lines)`` of every caption event of an ASS document, as shown.

    ``literal`` events hold escaped plain text (from a transcript, SRT or VTT) and are
    unescaped exactly; other ASS text has its override tags removed.
    """
    subs = pysubs2.SSAFile.from_string(ass)
    return tuple((e.start / 1000, e.end / 1000,
                  tuple((ass_plain_text(e.text) if literal else e.plaintext).split("\n")))
                 for e in subs.events if not e.is_comment)


def caption_lines(track: CaptionTrack, t: float) -> list[str]:
    """Lines of the captions shown at source time ``t``."""
    lines: list[str] = []
    for start, end, text in caption_events(track.ass, track.literal):
        if start <= t < end:
            lines.extend(text)
    return lines


def output_frame(plan: Plan, info: MediaInfo, t: float) -> Image.Image:
    """The output frame at OUTPUT time ``t`` (title card included), at the encoded size."""
    size = output_size(info)
    source_t = plan.timeline(info.frame_rate, info.duration).to_source(t)
    if source_t is None:
        assert plan.title_card is not None
        return draw_title_card(plan.title_card, size)
    frame = compose(source_frame(info, source_t), plan.layers, source_t)
    if frame.size != size:
        padded = Image.new("RGB", size, (0, 0, 0))
        padded.paste(frame, (0, 0))
        frame = padded
    if plan.captions is not None:
        frame = draw_caption_lines(frame, caption_lines(plan.captions, source_t),
                                   plan.captions.style)
    return frame
