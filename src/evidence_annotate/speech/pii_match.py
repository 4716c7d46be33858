"""The same personal data elsewhere: in the English translation and in other captions.

What was found in the spoken words ([Finding][evidence_annotate.speech.pii.Finding]) must not
show in the machine translation or in a subtitle file either. [find_values][] looks for the
found values in other words: numbers by their digits (a group of four or more digits of a
found number, or the number within one digit), e-mail addresses by the address or its local
part, phrases word by word. Order numbers (``keep``) stay protected there too.

Example:
    >>> find_values("Call 0812 3456 7890 please".split(), [("phone", "081234567890")])
    [(1, 4, 'phone', '081234567890')]
"""

from __future__ import annotations

from collections.abc import Sequence

from .pii import _close, _protected
from .pii_email import find_emails
from .pii_mask import mask_text, masked_transcript
from .pii_numbers import number_runs, plain
from .transcript import Transcript

__all__ = ["find_values", "mask_line_words", "mask_other"]


def find_values(words: Sequence[str], values: Sequence[tuple[str, str]],
                keep: Sequence[str] = ()) -> list[tuple[int, int, str, str]]:
    """Where the ``(kind, value)`` pairs occur in ``words``: ``(first, last, kind, value)``.

    Example:
        >>> find_values(["maria@gmail.com."], [("email", "maria@gmail.com")])
        [(0, 1, 'email', 'maria@gmail.com')]
    """
    runs = number_runs(words)
    blocked = _protected(words, runs, keep)
    candidates: list[tuple[int, int, str, str]] = []
    numbers = [(k, v) for k, v in values if k in ("phone", "card")]
    longest = max((len(v) for _, v in numbers), default=0) + 1
    for run in runs:
        for lo in range(len(run.parts)):
            for hi in range(lo + 1, len(run.parts) + 1):
                digits = run.span(lo, hi)
                if len(digits) > longest:
                    break
                if len(digits) < 4 or not run.parts[lo] or not run.parts[hi - 1]:
                    continue
                for kind, value in numbers:
                    bare = value.lstrip("+")
                    if digits in bare or _close(digits, bare):
                        candidates.append((run.first + lo, run.first + hi, kind, value))
                        break
    emails = [v for k, v in values if k == "email"]
    for match in find_emails(words):
        local = match.address.partition("@")[0]
        for value in emails:
            if match.address == value or local == value.partition("@")[0]:
                candidates.append((match.lo, match.hi, "email", value))
                break
    lowered = [plain(w) for w in words]
    for phrase in (v for k, v in values if k == "words"):
        target = phrase.split()
        for i in range(len(lowered) - len(target) + 1):
            if target and lowered[i:i + len(target)] == target:
                candidates.append((i, i + len(target), "words", phrase))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    chosen = []
    for cand in candidates:
        span = set(range(cand[0], cand[1]))
        if not span & blocked:
            blocked |= span
            chosen.append(cand)
    return sorted(chosen)


def mask_other(transcript: Transcript, values: Sequence[tuple[str, str]], mask: str,
               keep: Sequence[str] = ()) -> Transcript:
    """A transcript (e.g. the English translation) with the found values masked in it."""
    texts = [w.text for w in transcript.words]
    spans = [(lo, hi, mask_text(kind, value, mask))
             for lo, hi, kind, value in find_values(texts, values, keep)]
    return masked_transcript(transcript, spans)


def mask_line_words(lines: Sequence[str], values: Sequence[tuple[str, str]], mask: str,
                    keep: Sequence[str] = ()) -> tuple[str, ...]:
    """Caption lines with the found values masked (a value may run over two lines).

    Example:
        >>> mask_line_words(("Call 0812 3456", "7890 now"), [("phone", "081234567890")],
        ...                 "label")
        ('Call [phone]', 'now')
    """
    tokens = [(n, w) for n, line in enumerate(lines) for w in line.split()]
    found = find_values([w for _, w in tokens], values, keep)
    if not found:
        return tuple(lines)
    out: list[list[str]] = [[] for _ in lines]
    starts = {lo: (hi, mask_text(kind, value, mask)) for lo, hi, kind, value in found}
    i = 0
    while i < len(tokens):
        if i in starts:
            hi, text = starts[i]
            out[tokens[i][0]].append(text)
            i = hi
        else:
            out[tokens[i][0]].append(tokens[i][1])
            i += 1
    return tuple(" ".join(words) for words in out)
