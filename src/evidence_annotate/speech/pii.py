"""Personal data said in the narration: phone and card numbers, e-mail addresses, names.

[find_pii][] reads a [Transcript][evidence_annotate.speech.transcript.Transcript]'s words and
returns a [Finding][] per phone number (checked with the ``phonenumbers`` library for the
given regions), payment card number (13 to 19 digits passing the Luhn check), e-mail address
(written or spoken, see [.pii_email][]) and word or phrase of a user's list (a name, the
street), each with the word span, the times and a masked text. Numbers may be written in
digits or words, over one word or many (see [.pii_numbers][]).

Order numbers are never found: a number equal to one of ``keep`` (the title card's order
number is passed by [Evidence.pii][evidence_annotate.Evidence.pii]), within one digit of it
(one digit misheard, lost or repeated), or said right after "order number" is protected, even
when it looks like a phone or card number.

Example:
    >>> from evidence_annotate.speech.transcript import Segment, Transcript, Word
    >>> said = "order 5123456789010 call 0812 3456 7890 thanks".split()
    >>> words = tuple(Word(i * 0.5, i * 0.5 + 0.4, w) for i, w in enumerate(said))
    >>> t = Transcript("en", 1.0, 5.0, (Segment(0.0, 4.0, " ".join(said), words),))
    >>> [(f.kind, f.first, f.last, f.start, f.end, f.masked)
    ...  for f in find_pii(t, regions=("ID",), keep=("5123456789010",))]
    [('phone', 3, 6, 1.5, 2.9, '0812-••••-7890')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import phonenumbers

from .pii_email import find_emails
from .pii_mask import MASKS, mask_text
from .pii_numbers import NumberRun, luhn_valid, number_runs, plain
from .transcript import Transcript

__all__ = ["DEFAULT_REGIONS", "KINDS", "Finding", "find_in_words", "find_pii", "regions_for"]

KINDS = ("phone", "email", "card", "words")
"""What can be found: phone numbers, e-mail addresses, card numbers, the user's words."""

DEFAULT_REGIONS = ("ID", "MY", "SG", "TH", "VN", "PH", "US", "GB")
"""Regions whose phone numbers are looked for when no region is given (besides the
language's own and international numbers said with ``+``)."""

_LANGUAGE_REGIONS = {"id": ("ID",), "ms": ("MY", "SG", "BN"), "th": ("TH",), "vi": ("VN",),
                     "tl": ("PH",), "fil": ("PH",), "es": ("ES", "MX", "AR", "CO", "CL"),
                     "pt": ("BR", "PT"), "zh": ("CN", "TW", "HK", "SG"), "ko": ("KR",),
                     "ja": ("JP",), "en": ("US", "GB", "SG", "MY", "PH", "IN", "AU")}
_ORDER_WORDS = frozenset(("order", "orders", "pesanan", "pedido", "invoice", "resi", "waybill",
                          "tracking", "awb"))
_ORDER_FILLERS = frozenset(("number", "no", "nr", "id", "is", "was", "#", "nomor", "número",
                            "numero", "de", "code", "my", "the", "your"))


def regions_for(language: str, given: Iterable[str] = ()) -> tuple[str, ...]:
    """The phone regions to try: ``given`` ones, else the language's and [DEFAULT_REGIONS][].

    Example:
        >>> regions_for("id")[:3], regions_for("en", ["my"])
        (('ID', 'MY', 'SG'), ('MY',))
    """
    chosen = tuple(dict.fromkeys(r.upper() for r in given))
    if chosen:
        return chosen
    return tuple(dict.fromkeys((*_LANGUAGE_REGIONS.get(language, ()), *DEFAULT_REGIONS)))


@dataclass(frozen=True)
class Finding:
    """A piece of personal data said in the narration.

    Attributes:
        kind: ``"phone"``, ``"email"``, ``"card"`` or ``"words"``.
        first: Index of its first word in ``transcript.words``.
        last: Index after its last word.
        start: When its first word starts (seconds, source timeline).
        end: When its last word ends.
        text: The words as recognised (for review; never written to the manifest).
        value: What it is, normalised: the digits, the address or the phrase.
        automatic: Found by [find_pii][] (``False``: a span the user gave by time).
    """

    kind: str
    first: int
    last: int
    start: float
    end: float
    text: str = field(repr=False)
    value: str = field(repr=False)
    automatic: bool = True

    @property
    def masked(self) -> str:
        """The text shown instead, in the ``"partial"`` style."""
        return self.mask("partial")

    def mask(self, style: str) -> str:
        """The text shown instead in ``style``: ``"partial"``, ``"full"`` or ``"label"``.

        A span given by hand shows nothing of its words: ``"partial"`` masks it fully.
        """
        if not self.automatic and style == "partial":
            style = "full"
        return mask_text(self.kind, self.value, style)


def _protected(texts: Sequence[str], runs: Sequence[NumberRun],
               keep: Sequence[str]) -> set[int]:
    """Word indices of order numbers (and other ``keep`` values): never masked."""
    numbers = [d for d in ("".join(c for c in k if c.isdigit()) for k in keep) if d]
    phrases = [p.split() for p in (plain(k) for k in keep if not any(c.isdigit() for c in k))
               if p]
    out: set[int] = set()
    for run in runs:
        n = len(run.parts)
        first = run.first - 1
        while first >= 0 and plain(texts[first]) in _ORDER_FILLERS:
            first -= 1
        if first >= 0 and plain(texts[first]) in _ORDER_WORDS and run.first - first <= 4:
            prefix = next((hi for hi in range(n, 0, -1)
                           if any(_close(run.span(0, hi), k) for k in numbers)), n)
            out.update(range(run.first, run.first + prefix))
            continue
        if any(_close(run.digits, k) for k in numbers):
            out.update(range(run.first, run.first + n))
            continue
        longest = max((len(k) for k in numbers), default=0)
        for lo in range(n):
            for hi in range(lo + 1, n + 1):
                digits = run.span(lo, hi)
                if any(digits == k or (hi - lo == 1 and k in digits) for k in numbers):
                    out.update(range(run.first + lo, run.first + hi))
                if len(digits) > longest:
                    break
    lowered = [plain(t) for t in texts]
    for phrase in phrases:
        for i in range(len(lowered) - len(phrase) + 1):
            if lowered[i:i + len(phrase)] == phrase:
                out.update(range(i, i + len(phrase)))
    return out


def _close(digits: str, kept: str, edits: int = 1) -> bool:
    """Equal, or (numbers of 8+ digits) within ``edits`` edits: a misheard order number."""
    if digits == kept:
        return True
    if len(kept) < 8 or abs(len(digits) - len(kept)) > edits:
        return False
    row = list(range(len(kept) + 1))
    for i, a in enumerate(digits, 1):
        prev, row[0] = row[0], i
        for j, b in enumerate(kept, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (a != b))
    return row[-1] <= edits


def _is_phone(digits: str, plus: bool, regions: Sequence[str]) -> bool:
    if not 7 <= len(digits) <= 15:
        return False
    tries: list[tuple[str, str | None]] = [("+" + digits, None)] if plus else []
    tries += [(digits, r) for r in regions]
    if not plus and len(digits) >= 10 and digits[0] != "0":
        tries.append(("+" + digits, None))
    for text, region in tries:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def _numbers(runs: Sequence[NumberRun], kinds: Sequence[str],
             regions: Sequence[str]) -> list[tuple[str, int, int, str]]:
    found = []
    for run in runs:
        for lo in range(len(run.parts)):
            for hi in range(lo + 1, len(run.parts) + 1):
                digits = run.span(lo, hi)
                if len(digits) > 19:
                    break
                if not run.parts[lo] or not run.parts[hi - 1]:
                    continue
                said_plus = run.plus and (lo == 0 or (lo == 1 and not run.parts[0]))
                first = run.first + (0 if said_plus else lo)
                if "card" in kinds and len(digits) >= 13 and luhn_valid(digits):
                    found.append(("card", run.first + lo, run.first + hi, digits))
                elif "phone" in kinds and _is_phone(digits, said_plus, regions):
                    plus = "+" if said_plus else ""
                    found.append(("phone", first, run.first + hi, plus + digits))
    return found


def find_in_words(words: Sequence[str], *, kinds: Sequence[str] = KINDS,
                  regions: Sequence[str] = DEFAULT_REGIONS, phrases: Sequence[str] = (),
                  keep: Sequence[str] = ()) -> list[tuple[str, int, int, str]]:
    """The personal data in a list of recognised words: ``(kind, first, last, value)``.

    Spans never overlap and never touch a protected word (see [find_pii][]); longer numbers
    win over the shorter ones inside them, cards over phones.

    Example:
        >>> find_in_words("card 4539 5787 6362 1486 ok".split())
        [('card', 1, 5, '4539578763621486')]
    """
    runs = number_runs(words)
    candidates = _numbers(runs, kinds, regions)
    if "email" in kinds:
        candidates += [("email", m.lo, m.hi, m.address) for m in find_emails(words)]
    if "words" in kinds:
        lowered = [plain(w) for w in words]
        for phrase in dict.fromkeys(plain(p) for p in phrases):
            target = phrase.split()
            for i in range(len(lowered) - len(target) + 1):
                got = lowered[i:i + len(target)]
                if target and all(g == t or g.startswith(t + "'") for g, t in zip(
                        got, target, strict=True)):
                    candidates.append(("words", i, i + len(target), phrase))
    blocked = _protected(words, runs, keep)
    rank = {"email": 0, "card": 1, "phone": 2, "words": 3}
    candidates.sort(key=lambda c: (-len(c[3]) if c[0] in ("card", "phone") else 0,
                                   rank[c[0]], c[1]))
    chosen: list[tuple[str, int, int, str]] = []
    for cand in candidates:
        span = set(range(cand[1], cand[2]))
        if span & blocked:
            continue
        blocked |= span
        chosen.append(cand)
    return sorted(chosen, key=lambda c: c[1])


def find_pii(transcript: Transcript, *, kinds: Sequence[str] = KINDS,
             regions: Sequence[str] = (), words: Sequence[str] = (),
             keep: Sequence[str] = ()) -> list[Finding]:
    """Find personal data in what was said, with word spans and times.

    Args:
        transcript: The transcript (its words carry the times).
        kinds: What to look for, any of ``KINDS``.
        regions: Phone regions (ISO 3166 codes such as ``"ID"``); empty = the transcript
            language's regions and ``DEFAULT_REGIONS`` (see ``regions_for``).
        words: Words or phrases to find (names, the street), case-insensitive.
        keep: Numbers or phrases never to find, e.g. the order number.

    Returns:
        The findings, in time order.

    Raises:
        ValueError: An unknown kind, or a region ``phonenumbers`` does not know.
    """
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or isinstance(kinds, str):
        raise ValueError(f"kinds={kinds!r} is invalid: use some of {KINDS}")
    chosen = regions_for(transcript.language, regions)
    bad = [r for r in chosen if r not in phonenumbers.SUPPORTED_REGIONS]
    if bad:
        raise ValueError(f"region={bad[0]!r} is not a region phonenumbers knows; use an ISO "
                         "3166 code such as 'ID', 'MY', 'SG', 'TH', 'VN', 'PH' or 'US'")
    said = transcript.words
    texts = [w.text for w in said]
    return [Finding(kind, lo, hi, said[lo].start, said[hi - 1].end, " ".join(texts[lo:hi]),
                    value)
            for kind, lo, hi, value in find_in_words(texts, kinds=kinds, regions=chosen,
                                                     phrases=words, keep=keep)]


def check_mask(mask: str) -> str:
    """Return ``mask`` if it is one of [MASKS][evidence_annotate.speech.pii_mask.MASKS].

    Raises:
        ValueError: Any other value.
    """
    if mask not in MASKS:
        raise ValueError(f"mask={mask!r} is invalid: use one of {MASKS}")
    return mask
