"""Single frames of the output, decoded with PyAV and drawn with Pillow (no ffmpeg run).

A frame is chosen by its REAL timestamp (the one a player shows at that moment), exactly as
the ffmpeg renderer's ``enable`` expressions do, so previews match exports on variable frame
rate footage too.
"""

from __future__ import annotations

from collections.abc import Sequence

import av
from PIL import Image

from ..captions.draw import draw_caption_lines
from ..cards import draw_title_card
from ..errors import InputError
from ..geometry import output_size
from ..media import MediaInfo, media_url
from ..overlays import Overlay, in_order
from ..plan import Plan

__all__ = ["annotated_frame", "compose", "output_frame", "source_frame", "source_frames",
           "timed_frames"]


def _displayed(frame: av.VideoFrame, info: MediaInfo) -> Image.Image:
    """The frame as the export shows it: clean aperture cropped, then turned upright."""
    image: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
    if any(info.crop):
        left, top, right, bottom = info.crop
        image = image.crop((left, top, image.width - right, image.height - bottom))
    if info.rotation:
        image = image.rotate(info.rotation, expand=True)
    return image


def timed_frames(info: MediaInfo, times: Sequence[float]) -> list[tuple[float, Image.Image]]:
    """The frames shown at source ``times``, each with its own timestamp (source seconds).

    A player shows a frame from its timestamp until the next one's, so the frame shown at
    ``t`` is the last one whose timestamp is not after ``t``; ffmpeg evaluates overlay
    windows (and the clock) on that timestamp, and so do previews.

    Args:
        info: The probed source.
        times: Source times in seconds.

    Returns:
        ``(frame time, displayed RGB image)`` in the order of ``times`` (crop and rotation
        applied).

    Raises:
        InputError: The source cannot be decoded at some time.
    """
    images: list[tuple[float, Image.Image]] = []
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
            assert chosen.time is not None
            images.append((max(0.0, chosen.time - info.start_time), _displayed(chosen, info)))
    return images


def source_frames(info: MediaInfo, times: Sequence[float]) -> list[Image.Image]:
    """Displayed source frames shown at each source time in ``times`` (see [timed_frames][])."""
    return [image for _, image in timed_frames(info, times)]


def source_frame(info: MediaInfo, t: float) -> Image.Image:
    """The displayed source frame shown at source time ``t``."""
    return source_frames(info, [t])[0]


def compose(frame: Image.Image, overlays: Sequence[Overlay], t: float) -> Image.Image:
    """Apply the overlays active at source time ``t`` to a displayed frame (a new RGB image).

    Overlays apply in stage order (privacy, footage, drawn, top), each through its kind's
    [apply][evidence_annotate.overlays.base.Overlay.apply], the Pillow twin of the filters it
    adds to the export graph.
    """
    out = frame.convert("RGB")
    stage, footage = None, out
    for overlay in in_order(overlays):
        if overlay.order != stage:  # the footage this stage starts from (see FilterGraph.tap)
            stage, footage = overlay.order, out
        if overlay.span.active(t):
            out = overlay.apply(out, t, footage)
    return out


def output_frame(plan: Plan, info: MediaInfo, t: float) -> Image.Image:
    """The output frame at OUTPUT time ``t`` (title card included), at the encoded size."""
    size = output_size(info.size)
    source_t = plan.timeline(info.frame_rate, info.duration).to_source(t)
    if source_t is None:
        assert plan.title_card is not None
        return draw_title_card(plan.title_card, size)
    ((shown, frame),) = timed_frames(info, [source_t])
    return annotated_frame(plan, info, frame, shown)


def annotated_frame(plan: Plan, info: MediaInfo, frame: Image.Image, t: float) -> Image.Image:
    """A displayed source frame at source time ``t`` with overlays and captions, padded."""
    size = output_size(info.size)
    out = compose(frame, plan.layers, t)
    if out.size != size:
        padded = Image.new("RGB", size, (0, 0, 0))
        padded.paste(out, (0, 0))
        out = padded
    if plan.captions is not None:
        bottom, top = plan.captions.shown_at(t, size, plan.caption_obstacles(info.size))
        out = draw_caption_lines(out, bottom, plan.captions.style)
        out = draw_caption_lines(out, top, plan.captions.style, top=True)
    return out
