"""Spoken personal data: find it in the transcript, mask it in captions, bleep it in the audio.

[Spoken.pii][] lists the phone numbers, card numbers, e-mail addresses and listed words said
in the narration, with times, for review; [Spoken.redact_speech][] masks them in the
captions and the transcript (the English translation too) and bleeps or mutes them in the
exported audio. The title card's order number is never masked.

Example:
    >>> ev = ea.open("unboxing.mp4").title_card("8123", "2026-11-20").transcribe()  # doctest: +SKIP
    >>> for f in ev.pii(region="shopee"): print(f.kind, f.start, f.end, f.masked)  # doctest: +SKIP
    phone 7.16 11.02 0812-••••-7890
    >>> safe = ev.redact_speech(words=["Maria Santos"], audio="mute").captions()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TypeVar, cast

from ..captions.masking import mask_track
from ..media import MediaInfo
from ..plan import Plan
from ..platforms import Platform, platforms
from ..speech.audio import decode_audio
from ..speech.pii import KINDS, Finding, check_mask, find_pii
from ..speech.pii_audio import snap_to_pauses
from ..speech.pii_mask import masked_transcript, spans_in_time
from ..speech.pii_match import mask_other
from ..speech.pii_record import AUDIO_MODES, SpeechRedaction
from ..speech.transcript import Transcript

__all__ = ["MARKETPLACE_REGIONS", "Spoken"]

MARKETPLACE_REGIONS = {
    "lazada": ("ID", "MY", "SG", "TH", "VN", "PH"),
    "tokopedia": ("ID",),
    "tiktok": ("ID", "MY", "SG", "TH", "VN", "PH", "US", "GB"),
}
"""Phone regions of marketplaces without a platform file (the countries they sell in).
Built-in platforms record theirs as
[Platform.phone_regions][evidence_annotate.platforms.Platform]."""

_Self = TypeVar("_Self", bound="Spoken")


def _regions(region: str | Platform | Sequence[str] | None) -> tuple[str, ...]:
    """Region codes from a code, several codes, a platform or a marketplace name."""
    if region is None:
        return ()
    if isinstance(region, Platform):
        return region.phone_regions
    if isinstance(region, str):
        name = region.strip().lower()
        if name in platforms():
            return Platform.load(name).phone_regions
        if name in MARKETPLACE_REGIONS:
            return MARKETPLACE_REGIONS[name]
        if len(name) == 2 and name.isalpha():
            return (name.upper(),)
        raise ValueError(f"region={region!r} is neither an ISO 3166 region code (e.g. 'ID') "
                         f"nor a marketplace ({', '.join((*platforms(), *MARKETPLACE_REGIONS))})")
    codes = list(region)
    if codes and all(isinstance(r, str) and len(r) == 2 and r.isalpha() for r in codes):
        return tuple(r.upper() for r in codes)
    raise ValueError(f"region={region!r} must be a region code such as 'ID', a list of codes, "
                     "a platform name or an ea.Platform")


def _strings(value: Sequence[str], name: str) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name}={value!r} must be a list of strings, e.g. [{'Maria Santos'!r}]")
    return tuple(v for v in value if v.strip())


class Spoken:
    """Spoken personal data of [Evidence][evidence_annotate.evidence.Evidence] (a mixin)."""

    info: MediaInfo
    plan: Plan
    transcript: Transcript | None

    def _said(self, what: str) -> Transcript:
        if self.transcript is None:
            raise ValueError(f"{what} needs a transcript: call .transcribe() first (or "
                             ".captions(), which transcribes)")
        return self.transcript

    def _kept(self, keep: Sequence[str]) -> tuple[str, ...]:
        card = self.plan.title_card
        return (*_strings(keep, "keep"), *((card.order,) if card is not None else ()))

    def pii(self, region: str | Platform | Sequence[str] | None = None,
            words: Sequence[str] = (), keep: Sequence[str] = (),
            kinds: Sequence[str] = KINDS) -> list[Finding]:
        """The personal data said in the narration, with times, for review.

        Args:
            region: Phone regions: an ISO 3166 code (``"ID"``), several, or a platform
                (``"shopee"``: every country it sells in; also ``"lazada"``, ``"tokopedia"``);
                ``None`` = the transcript language's regions and common ones.
            words: Words or phrases to find too (a name, the street).
            keep: Numbers or phrases never to find; the title card's order number always is.
            kinds: What to look for: any of ``"phone"``, ``"email"``, ``"card"``, ``"words"``.

        Returns:
            [Finding][evidence_annotate.speech.pii.Finding]s: kind, word span, start and end
            (source seconds), what was said and the masked text.

        Raises:
            ValueError: No transcript (call ``.transcribe()``), a bad region or kind.
        """
        transcript = self._said("pii()")
        return find_pii(transcript, kinds=tuple(kinds), regions=_regions(region),
                        words=_strings(words, "words"), keep=self._kept(keep))

    def redact_speech(self: _Self, kinds: Sequence[str] = KINDS, words: Sequence[str] = (),
                      keep: Sequence[str] = (),
                      region: str | Platform | Sequence[str] | None = None,
                      mask: str = "partial", audio: str = "bleep", pad: float = 0.05,
                      findings: Sequence[Finding | tuple[float, float]] | None = None,
                      snap: bool = True) -> _Self:
        """Mask spoken personal data in captions and transcript; bleep or mute it in the audio.

        The transcript (and its English translation) is replaced by a masked copy, so
        captions, caption files and the report never show it; the plan records each span
        (kind and times only) for the export's audio and the manifest.

        Args:
            kinds: What to find (see [pii][]).
            words: Words or phrases to find too (a name, the street).
            keep: Numbers or phrases never masked; the title card's order number never is.
            region: Phone regions (see [pii][]).
            mask: Caption mask: ``"partial"`` (``0812-••••-7890``), ``"full"`` or ``"label"``
                (``[phone]``).
            audio: ``"bleep"`` (a 1 kHz tone), ``"mute"``, or ``"keep"`` (captions only).
            pad: Seconds of audio added before and after each span (0 to 1).
            findings: Reviewed findings to redact instead of finding them again (a subset
                of [pii][]'s), and ``(start, end)`` source spans to redact by hand.
            snap: Widen each audio span to the nearest pause in the speech (within 0.5 s),
                since recognised word times can miss the first or last sound of a word;
                ``False`` = the word times exactly (plus ``pad``).

        Raises:
            ValueError: No transcript (call ``.transcribe()``), or a bad argument.

        Example:
            >>> found = ev.pii()                                           # doctest: +SKIP
            >>> ev.redact_speech(findings=found[:1] + [(14.0, 15.2)])      # doctest: +SKIP
        """
        transcript = self._said("redact_speech()")
        check_mask(mask)
        if audio not in AUDIO_MODES:
            raise ValueError(f"audio={audio!r} is invalid: use one of {AUDIO_MODES}")
        if isinstance(pad, bool) or not isinstance(pad, (int, float)) or not 0 <= pad <= 1:
            raise ValueError(f"pad={pad!r} must be seconds between 0 and 1, e.g. 0.05")
        if not isinstance(snap, bool):
            raise ValueError(f"snap={snap!r} must be True or False")
        keep = self._kept(keep)
        chosen = self.pii(region, words, keep, kinds) if findings is None else \
            [_finding(f, transcript) for f in findings]
        spans = [(f.first, f.last, f.mask(mask)) for f in chosen if f.last > f.first]
        values = [(f.kind, f.value) for f in chosen if f.automatic]
        masked = masked_transcript(transcript, spans)
        if masked.translation is not None:
            english = mask_other(masked.translation, values, mask, keep)
            by_hand = [(f.start, f.end, f.mask("label")) for f in chosen if not f.automatic]
            english = masked_transcript(english, spans_in_time(english.words, by_hand))
            masked = replace(masked, translation=english)
        windows = [(f.start, f.end, f.mask(mask)) for f in chosen]
        captions = self.plan.captions
        if captions is not None:
            captions = mask_track(captions, windows, values, mask, keep)
        spans_heard = [(f.start, f.end) for f in chosen]
        if snap and audio != "keep" and chosen and self.info.audio_stream is not None:
            samples = decode_audio(self.info.path, self.info.audio_stream)
            spans_heard = snap_to_pauses(samples, spans_heard, offset=self.info.audio_start)
        records = tuple(SpeechRedaction(f.kind, a, b, f.automatic, mask, audio, float(pad))
                        for f, (a, b) in zip(chosen, spans_heard, strict=True))
        plan = replace(self.plan, captions=captions,
                       speech_redactions=(*self.plan.speech_redactions, *records))
        return cast(_Self, replace(cast(Any, self), plan=plan, transcript=masked))


def _finding(given: Finding | tuple[float, float], transcript: Transcript) -> Finding:
    """A reviewed finding, or a hand-given ``(start, end)`` span as a manual finding."""
    said = transcript.words
    if isinstance(given, Finding):
        if not 0 <= given.first <= given.last <= len(said) or given.text != " ".join(
                w.text for w in said[given.first:given.last]):
            raise ValueError(f"finding {given!r} does not match the transcript's words (it "
                             "was found in another transcript); call pii() again on this one")
        return given
    if not (isinstance(given, tuple) and len(given) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in given)
            and 0 <= given[0] < given[1]):
        raise ValueError(f"findings entry {given!r} must be a Finding from pii() or a "
                         "(start, end) span in source seconds with start < end")
    start, end = float(given[0]), float(given[1])
    inside = [i for i, w in enumerate(said) if w.end > start and w.start < end]
    first, last = (inside[0], inside[-1] + 1) if inside else (0, 0)
    text = " ".join(w.text for w in said[first:last])
    return Finding("words", first, last, start, end, text, text, automatic=False)
