"""How masked personal data reads, and transcripts with it masked.

Three styles ([MASKS][]): ``"partial"`` keeps a few digits so the owner recognises the number
(``0812-••••-7890``, a card's last four ``••••-••••-••••-1486``, an address's first letter and
domain ``m•••@gmail.com``, a word's first letter ``M••••``), ``"full"`` keeps none
(``••••-••••-••••``), ``"label"`` says only what it was (``[phone]``).

Example:
    >>> mask_text("phone", "081234567890", "partial")
    '0812-••••-7890'
    >>> mask_text("card", "4539578763621486", "label")
    '[card]'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .pii_record import SpeechRedaction
from .transcript import Segment, Transcript, Word, joiner

__all__ = ["BULLET", "LABELS", "MASKS", "mask_redacted", "mask_text", "masked_transcript",
           "masked_words", "merged", "spans_in_time"]

MASKS = ("partial", "full", "label")
"""The mask styles: keep a few characters, keep none, or a label naming the kind."""
BULLET = "•"
"""The character that stands for a hidden one."""
LABELS = {"phone": "[phone]", "card": "[card]", "email": "[email]", "words": "[redacted]"}
"""What the ``"label"`` style shows, by kind."""


def _groups(text: str) -> str:
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def _number(kind: str, value: str, style: str) -> str:
    plus = "+" if value.startswith("+") else ""
    digits = value.lstrip("+")
    n = len(digits)
    if style == "full":
        return plus + _groups(BULLET * n)
    if kind == "card":
        return _groups(BULLET * (n - 4)) + "-" + digits[-4:]
    hidden = min(n, max(4, n - 8))
    first = (n - hidden + 1) // 2
    last = n - hidden - first
    parts = [digits[:first], BULLET * hidden, digits[n - last:] if last else ""]
    return plus + "-".join(p for p in parts if p)


def mask_text(kind: str, value: str, style: str) -> str:
    """The text shown instead of ``value`` (a finding's digits, address or phrase).

    Example:
        >>> mask_text("phone", "+6281234567890", "partial")
        '+6281-•••••-7890'
        >>> mask_text("email", "maria@gmail.com", "partial")
        'm•••@gmail.com'
        >>> mask_text("words", "jl sudirman", "full")
        '••• •••'
    """
    if style == "label":
        return LABELS.get(kind, "[redacted]")
    if kind in ("phone", "card"):
        return _number(kind, value, style)
    if kind == "email":
        local, _, domain = value.partition("@")
        if style == "full":
            return f"{BULLET * 3}@{BULLET * 3}"
        return f"{local[:1]}{BULLET * 3}@{domain}"
    words = value.split() or [value]
    if style == "full":
        return " ".join(BULLET * 3 for _ in words)
    return " ".join(w[:1].upper() + BULLET * max(2, len(w) - 1) for w in words)


def _trailing(text: str) -> str:
    """The sentence punctuation after a word (``"7890."`` -> ``"."``)."""
    end = len(text)
    while end and text[end - 1] in ".,;:!?)\"'":
        end -= 1
    return text[end:] if end else ""


def merged(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spans sorted, empty ones dropped, overlapping ones joined (the first one's text kept).

    Example:
        >>> merged([(4, 6, "b"), (1, 3, "a"), (2, 5, "c"), (7, 7, "d")])
        [(1, 6, 'a')]
    """
    out: list[tuple[int, int, str]] = []
    for lo, hi, text in sorted(s for s in spans if s[1] > s[0]):
        if out and lo < out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]), out[-1][2])
        else:
            out.append((lo, hi, text))
    return out


def masked_words(words: Sequence[Word], spans: Sequence[tuple[int, int, str]]) -> list[Word]:
    """``words`` with each span ``(first, last, text)`` replaced by one word saying ``text``.

    The new word lasts from the span's first word's start to its last word's end and keeps
    the sentence punctuation of the last word.

    Example:
        >>> said = [Word(0, 1, "call"), Word(1, 2, "0812"), Word(2, 3, "7890.")]
        >>> [(w.text, w.start, w.end) for w in masked_words(said, [(1, 3, "[phone]")])]
        [('call', 0, 1), ('[phone].', 1, 3)]
    """
    out: list[Word] = []
    starts = {lo: (hi, text) for lo, hi, text in merged(spans)}
    i = 0
    while i < len(words):
        if i in starts:
            hi, text = starts[i]
            last = words[hi - 1]
            out.append(Word(words[i].start, last.end, text + _trailing(last.text), 1.0))
            i = hi
        else:
            out.append(words[i])
            i += 1
    return out


def masked_transcript(transcript: Transcript,
                      spans: Sequence[tuple[int, int, str]]) -> Transcript:
    """The transcript with word spans (indices into ``transcript.words``) masked.

    A span that runs over two segments is shown in the first; the second loses its words.
    Segments with changed words get their text rebuilt from the words.
    """
    spans = merged(spans)
    if not spans:
        return transcript
    owner: list[int] = []
    for number, segment in enumerate(transcript.segments):
        owner += [number] * len(segment.words)
    flat = masked_words(transcript.words, spans)
    lo_to_hi = {lo: hi for lo, hi, _ in spans}
    groups: list[list[Word]] = [[] for _ in transcript.segments]
    i = 0
    for word in flat:
        groups[owner[i]].append(word)
        i = lo_to_hi.get(i, i + 1)
    changed = {owner[i] for lo, hi, _ in spans for i in range(lo, hi)}
    glue = joiner(transcript.language)
    segments: list[Segment] = []
    for number, segment in enumerate(transcript.segments):
        if number not in changed:
            segments.append(segment)
            continue
        words = tuple(groups[number])
        segments.append(replace(segment, words=words, text=glue.join(w.text for w in words)))
    return replace(transcript, segments=tuple(segments))


def spans_in_time(words: Sequence[Word], windows: Sequence[tuple[float, float, str]],
                  eps: float = 1e-3) -> list[tuple[int, int, str]]:
    """Word spans ``(first, last, text)`` of the words overlapping each ``(start, end, text)``.

    A word counts when it overlaps the window by more than ``eps``; spans never overlap.

    Example:
        >>> said = [Word(0, 1, "a"), Word(1, 2, "b"), Word(2, 3, "c")]
        >>> spans_in_time(said, [(1.0, 2.5, "[x]")])
        [(1, 3, '[x]')]
    """
    spans: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for start, end, text in windows:
        inside = [i for i, w in enumerate(words) if i not in taken
                  and w.end > start + eps and w.start < end - eps]
        if not inside:
            continue
        lo = hi = inside[0]
        while hi < len(words) and hi in inside:
            hi += 1
        taken.update(range(lo, hi))
        spans.append((lo, hi, text))
    return sorted(spans)


def mask_redacted(transcript: Transcript,
                  redactions: Sequence[SpeechRedaction]) -> Transcript:
    """A transcript with the words inside earlier redactions' times masked by their label.

    A transcript made after [redact_speech][evidence_annotate.evidence.spoken.Spoken.redact_speech]
    (a second ``transcribe()``) must not show what was redacted: each word overlapping a
    redaction's span becomes ``[kind]``, in the spoken language and in the English
    translation (matched by time as well).

    Example:
        >>> from evidence_annotate.speech.transcript import Segment, Word
        >>> said = Transcript("en", 1.0, 3.0, (Segment(0.0, 3.0, "call 0812 now",
        ...     (Word(0.0, 0.5, "call"), Word(0.6, 1.8, "0812"), Word(2.0, 3.0, "now"))),))
        >>> mask_redacted(said, [SpeechRedaction("phone", 0.6, 1.8)]).text
        'call [phone] now'
    """
    if not redactions:
        return transcript
    windows = [(r.start, r.end, LABELS.get(r.kind, "[redacted]")) for r in redactions]
    masked = masked_transcript(transcript, spans_in_time(transcript.words, windows))
    if masked.translation is not None:
        english = masked.translation
        masked = replace(masked, translation=masked_transcript(
            english, spans_in_time(english.words, windows)))
    return masked
