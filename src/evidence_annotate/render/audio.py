"""The audio part of the export graph: on the source clock, cut like the video, after the card.

Example:
    >>> audio_chain(duration=4.0, segments=((0.0, 4.0),), cut=False, card=1.0)
    'aresample=48000:async=1:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_dur=4,atrim=end=4,adelay=delays=48000S:all=1'
"""

from __future__ import annotations

from collections.abc import Sequence

from ..filtergraph import num
from .settings import AUDIO_RATE

__all__ = ["audio_chain"]


def audio_chain(*, duration: float, segments: Sequence[tuple[float, float]], cut: bool,
                card: float) -> str:
    """The audio filter chain (one ``-filter_complex`` entry after the source's audio pad).

    Audio that starts late is preceded by silence (``first_pts=0``), the stream is padded or
    cut to the video's length, the kept ranges are cut out, and the title card's length of
    silence is put in front (``adelay``), so sync holds to the sample.

    Args:
        duration: The source's (video) duration in seconds.
        segments: The kept source ranges.
        cut: Whether ``segments`` differ from the whole clip.
        card: The title card's exact length in seconds (0 = none).
    """
    chain = (f"aresample={AUDIO_RATE}:async=1:first_pts=0,"
             "aformat=sample_fmts=fltp:channel_layouts=stereo,"
             f"apad=whole_dur={num(duration)},atrim=end={num(duration)}")
    cuts = [f"atrim=start={num(a)}:end={num(b)},asetpts=PTS-STARTPTS"
            for a, b in segments] if cut else []
    if len(cuts) == 1:
        chain += "," + cuts[0]
    elif cuts:
        names = [f"as{i}" for i in range(len(cuts))]
        parts = [f"{chain},asplit={len(cuts)}" + "".join(f"[{n}]" for n in names)]
        parts += [f"[{n}]{piece}[k{n}]" for n, piece in zip(names, cuts, strict=True)]
        parts.append("".join(f"[k{n}]" for n in names) + f"concat=n={len(cuts)}:v=0:a=1")
        chain = ";".join(parts)
    if card > 0:
        chain += f",adelay=delays={round(card * AUDIO_RATE)}S:all=1"
    return chain
