"""The audio part of the export graph: on the source clock, cut like the video, after the card.

A clip's export keeps its sound's sample rate when it is 48 or 44.1 kHz and its channels
when mono or stereo (``keep_format=True``): ffmpeg then resamples and remixes nothing, and a
mono clip is encoded as one channel, not two identical ones (which cost the AAC encoder
about 1.7 s of CPU per minute at 128 kbit/s). Other rates become the nearer of the two, more
channels become stereo; a bleep makes the sound 48 kHz stereo (the tone's format).

Spoken personal data ([SpeechRedaction][evidence_annotate.speech.pii_record.SpeechRedaction])
is muted, or muted and replaced by a 1 kHz tone, on the SOURCE timeline, before the cuts and
the title card's delay, so the windows are the words' own times whatever is cut.

Example:
    >>> audio_chain(duration=4.0, segments=((0.0, 4.0),), cut=False, card=1.0)
    'aresample=48000:async=1:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_dur=4,atrim=end=4,adelay=delays=48000S:all=1'
    >>> audio_chain(duration=4.0, segments=((0.0, 4.0),), cut=False, card=1.0,
    ...             keep_format=True)
    'aresample=async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates=48000|44100:channel_layouts=mono|stereo,apad=whole_dur=4,atrim=end=4,adelay=delays=1000:all=1'
    >>> audio_chain(duration=4.0, segments=((0.0, 4.0),), cut=False, card=0.0,
    ...             redactions=((1.0, 1.5, "mute"),)).split("atrim=end=4,")[-1]
    "volume=volume=0:enable='between(t,1,1.5)'"
"""

from __future__ import annotations

from collections.abc import Sequence

from ..filtergraph import num
from ..plan import Plan
from .settings import AUDIO_RATE

__all__ = ["BLEEP_HZ", "BLEEP_LEVEL", "KEPT_RATES", "audio_chain", "plan_redactions",
           "redaction_chain"]

BLEEP_HZ = 1000
"""Frequency of the bleep tone (Hz)."""
BLEEP_LEVEL = 0.25
"""Peak amplitude of the bleep tone (0.25 = -12 dBFS): clearly heard, not painful."""
KEPT_RATES = (48_000, 44_100)
"""Sample rates an export keeps as they are (every platform's players take both)."""


def _windows(windows: Sequence[tuple[float, float]]) -> str:
    return "+".join(f"between(t,{num(a)},{num(b)})" for a, b in windows)


def plan_redactions(plan: Plan, duration: float) -> tuple[tuple[float, float, str], ...]:
    """The plan's spoken redactions as padded ``(start, end, mode)`` source windows."""
    return tuple((*r.window(duration), r.audio) for r in plan.speech_redactions)


def redaction_chain(redactions: Sequence[tuple[float, float, str]], duration: float) -> str:
    """Filters that mute (``"mute"``) or bleep (``"bleep"``) source windows ``(start, end)``.

    Appended to the chain on the source clock. A bleep mixes in a generated
    ``sine`` (1 kHz at [BLEEP_LEVEL][]) that is silent outside its windows. Empty when
    there is nothing to change.

    Example:
        >>> redaction_chain([(1.0, 2.0, "bleep")], 4.0).count("sine=frequency=1000")
        1
    """
    quiet = [(a, b) for a, b, mode in redactions if mode in ("mute", "bleep") and b > a]
    if not quiet:
        return ""
    chain = f",volume=volume=0:enable='{_windows(quiet)}'"
    tones = [(a, b) for a, b, mode in redactions if mode == "bleep" and b > a]
    if tones:
        chain += (f"[spk_muted];sine=frequency={BLEEP_HZ}:sample_rate={AUDIO_RATE}:"
                  f"duration={num(duration)},aformat=sample_fmts=fltp:channel_layouts=stereo,"
                  f"volume=volume={num(BLEEP_LEVEL * 8)},"
                  f"volume=volume=0:enable='not({_windows(tones)})'[spk_tone];"
                  "[spk_muted][spk_tone]amix=inputs=2:duration=first:normalize=0")
    return chain


def audio_chain(*, duration: float, segments: Sequence[tuple[float, float]], cut: bool,
                card: float, redactions: Sequence[tuple[float, float, str]] = (),
                keep_format: bool = False) -> str:
    """The audio filter chain (one ``-filter_complex`` entry after the source's audio pad).

    Audio that starts late is preceded by silence (``first_pts=0``), the stream is padded or
    cut to the video's length, spoken personal data is muted or bleeped, the kept ranges are
    cut out, and the title card's length of silence is put in front (``adelay``), so sync
    holds to the sample.

    Args:
        duration: The source's (video) duration in seconds.
        segments: The kept source ranges.
        cut: Whether ``segments`` differ from the whole clip.
        card: The title card's exact length in seconds (0 = none).
        redactions: ``(start, end, mode)`` source windows to ``"mute"`` or ``"bleep"``.
        keep_format: Keep a 48 / 44.1 kHz rate and mono or stereo sound (else always 48 kHz
            stereo, as clips joined into one program need).
    """
    if keep_format:
        rates = "|".join(str(r) for r in KEPT_RATES)
        chain = (f"aresample=async=1:first_pts=0,aformat=sample_fmts=fltp:sample_rates={rates}:"
                 "channel_layouts=mono|stereo,")
    else:
        chain = (f"aresample={AUDIO_RATE}:async=1:first_pts=0,"
                 "aformat=sample_fmts=fltp:channel_layouts=stereo,")
    chain += f"apad=whole_dur={num(duration)},atrim=end={num(duration)}"
    chain += redaction_chain(redactions, duration)
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
    if card > 0 and keep_format:  # milliseconds: the rate is chosen by ffmpeg
        chain += f",adelay=delays={num(card * 1000)}:all=1"
    elif card > 0:
        chain += f",adelay=delays={round(card * AUDIO_RATE)}S:all=1"
    return chain
