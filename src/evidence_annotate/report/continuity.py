"""The continuity view: what of the original the reviewer sees, and where it went.

Two contact sheets in one image. The first row group shows the ORIGINAL at evenly spaced
source times, each labelled with its source timecode and what became of it (its output time,
or CUT). The second shows the EDITED output at evenly spaced output times, each mapped back
to the source time it shows (or the title card). A cut shows as a jump between neighbouring
source times; a frame that is not in the original cannot appear.

Example:
    >>> sheet = continuity_sheet(ev.plan, ev.info)             # doctest: +SKIP
    >>> sheet.save("continuity.png")                           # doctest: +SKIP
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from ..fonts import font_for
from ..media import MediaInfo
from ..plan import Plan
from ..render.preview import output_frame, source_frames
from ..timing import format_time

__all__ = ["continuity_labels", "continuity_sheet"]

_LABEL = 34
_HEADING = 30
_GAP = 6


def _times(duration: float, count: int) -> list[float]:
    return [round(duration * (i + 0.5) / count, 3) for i in range(count)]


def continuity_labels(plan: Plan, info: MediaInfo, count: int = 8
                      ) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """The times and labels of both sheets: ``(source, output)``, ``count`` frames each.

    Example:
        >>> continuity_labels(ev.cut([(1, 2)]).plan, ev.info, 4)[0][1]   # doctest: +SKIP
        (1.5, 'src 00:01.500  CUT')
    """
    timeline = plan.timeline(info.frame_rate, info.duration)
    source = []
    for t in _times(info.duration, count):
        out = timeline.to_output(t)
        fate = "CUT" if out is None else f"-> out {format_time(out)}"
        source.append((t, f"src {format_time(t)}  {fate}"))
    output = []
    for t in _times(timeline.duration, count):
        src = timeline.to_source(t)
        shown = "title card" if src is None else f"<- src {format_time(src)}"
        output.append((t, f"out {format_time(t)}  {shown}"))
    return source, output


def continuity_sheet(plan: Plan, info: MediaInfo, *, count: int = 8, columns: int = 4,
                     width: int = 1200) -> Image.Image:
    """Contact sheets of the original (source timecodes) and the output (mapped back).

    Args:
        plan: The plan.
        info: The probed source.
        count: Frames per sheet.
        columns: Frames per row.
        width: Width of the image in pixels.

    Returns:
        An RGB image.
    """
    source, output = continuity_labels(plan, info, count)
    cell_w = (width - _GAP * (columns + 1)) // columns
    frame_w, frame_h = info.size
    thumb_h = max(1, round(cell_w * frame_h / max(frame_w, 1)))
    rows = -(-count // columns)
    block = _HEADING + rows * (thumb_h + _LABEL + _GAP)
    sheet = Image.new("RGB", (width, 2 * block + _GAP), "white")
    draw = ImageDraw.Draw(sheet)
    font = font_for("0123456789:.<->srcoutCUT title card", 15)
    heading = font_for("Original edited output source time", 20, bold=True)
    sections = [("Original, by source time (CUT = not in the output)",
                 source_frames(info, [t for t, _ in source]), source),
                ("Edited output, each frame mapped back to the source time it shows",
                 [output_frame(plan, info, t) for t, _ in output], output)]
    for index, (title, images, labels) in enumerate(sections):
        top = index * (block + _GAP)
        draw.text((_GAP, top + 4), title, fill="black", font=heading)
        for i, (image, (_, label)) in enumerate(zip(images, labels, strict=True)):
            x = _GAP + (i % columns) * (cell_w + _GAP)
            y = top + _HEADING + (i // columns) * (thumb_h + _LABEL + _GAP)
            sheet.paste(image.convert("RGB").resize((cell_w, thumb_h)), (x, y))
            cut = label.endswith("CUT")
            if cut:
                draw.rectangle((x, y, x + cell_w - 1, y + thumb_h - 1), outline="red", width=4)
            draw.text((x, y + thumb_h + 6), label, fill="red" if cut else "black", font=font)
    return sheet
