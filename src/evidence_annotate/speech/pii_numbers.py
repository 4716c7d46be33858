"""Numbers as speech recognisers write them: digits, digit groups and number words.

Whisper writes a number read out as digits (``"0812"``, ``"-5"``, ``"4539578763621486."``) or
as words (``"zero eight one two"``, ``"double seven"``, ``"twenty three"``), split over several
words or not, depending on the language and the model. [number_runs][] turns a run of such
words into what each word contributes to the digit string, so a phone or card number can be
found whichever way it was written, and masked word by word.

Covered number words: English (``zero``/``oh`` to ``nine``, ``ten`` to ``nineteen``, the
tens, ``hundred``, ``thousand``, ``double``/``triple``), and the single digits of Indonesian
and Malay (``nol``/``kosong`` ... ``sembilan``/``lapan``) and Spanish (``cero`` ... ``nueve``).
Digits written as numerals are understood in every language.

Example:
    >>> [(r.first, r.digits) for r in number_runs("call 0812 double seven 90 now".split())]
    [(1, '08127790')]
    >>> number_runs(["twenty-three", "hundred"])[0].digits
    '2300'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["NumberRun", "luhn_valid", "number_runs", "numeral_digits", "plain"]

UNITS = {
    "zero": 0, "oh": 0, "o": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "nol": 0, "kosong": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
    "tujuh": 7, "delapan": 8, "lapan": 8, "sembilan": 9,
    "cero": 0, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9,
}
TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
         "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 2, "thirty": 3, "forty": 4, "fifty": 5, "sixty": 6, "seventy": 7,
        "eighty": 8, "ninety": 9}
SCALES = {"hundred": 2, "thousand": 3}
REPEATS = {"double": 2, "triple": 3}
SEPARATORS = frozenset(("dash", "hyphen", "-", "space", "and"))
_EDGE = re.compile(r"^[^\w@+•]+|[^\w•]+$")
_NUMERAL = re.compile(r"^\+?[\d\-–./,()\s]*\d[\d\-–./,()\s]*$")


def plain(word: str) -> str:
    """A word lower-cased without the punctuation around it: ``"Maria's,"`` -> ``"maria's"``.

    Example:
        >>> plain("(Gmail.com.)"), plain("-5"), plain("+62")
        ('gmail.com', '5', '+62')
    """
    return _EDGE.sub("", word.strip().casefold())


def numeral_digits(word: str) -> str | None:
    """The digits of a word written in numerals (``"0812-3456"`` -> ``"08123456"``), else None.

    Words with letters or mask characters are not numerals.

    Example:
        >>> numeral_digits("-34567890."), numeral_digits("4th"), numeral_digits("0812-••••")
        ('34567890', None, None)
    """
    text = word.strip()
    if not _NUMERAL.match(text):
        return None
    return "".join(ch for ch in text if ch.isdigit())


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (payment card numbers do).

    Example:
        >>> luhn_valid("4539578763621486"), luhn_valid("4539578763621487")
        (True, False)
    """
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


@dataclass(frozen=True)
class NumberRun:
    """Consecutive words that together say a number.

    Attributes:
        first: Index of the run's first word.
        parts: What each word of the run contributes to the digits (``""`` for ``"dash"``).
        plus: The number was said with a leading ``+`` (an international number).
    """

    first: int
    parts: tuple[str, ...]
    plus: bool = False

    @property
    def digits(self) -> str:
        """The whole run's digits."""
        return "".join(self.parts)

    def span(self, lo: int, hi: int) -> str:
        """The digits of the run's words ``lo`` to ``hi`` (exclusive), relative to the run."""
        return "".join(self.parts[lo:hi])


def _compound(text: str) -> str | None:
    """The digits of a hyphenated number word (``"twenty-three"``), else None."""
    pieces = text.split("-")
    if len(pieces) < 2 or not all(p in UNITS or p in TENS or p in TEENS for p in pieces):
        return None
    kinds = [_kind(p) for p in pieces]
    return "".join(_contribute(kinds, pieces, pieces))


def _kind(word: str) -> str:
    if numeral_digits(word) is not None:
        return "numeral"
    text = plain(word)
    if _compound(text) is not None:
        return "compound"
    for name, table in (("unit", UNITS), ("teen", TEENS), ("tens", TENS), ("scale", SCALES),
                        ("repeat", REPEATS)):
        if text in table:
            return name
    if text in SEPARATORS or word.strip() in ("-", "–"):
        return "separator"
    if text == "plus":
        return "plus"
    return ""


def _contribute(kinds: list[str], texts: list[str], words: Sequence[str]) -> list[str]:
    """What each word of a candidate run adds to the digits (compound words resolved)."""
    parts: list[str] = []
    for i, kind in enumerate(kinds):
        text = texts[i]
        before = kinds[i - 1] if i else ""
        if before == "separator" and texts[i - 1] == "and" and i > 1 and kinds[i - 2] == "scale":
            parts[i - 2] = parts[i - 2][:-2 if kind in ("teen", "tens") else -1]
            before = "and"
        if kind == "numeral":
            parts.append(numeral_digits(words[i]) or "")
        elif kind == "compound":
            parts.append(_compound(text) or "")
        elif kind == "unit":
            digit = str(UNITS[text])
            if before == "repeat":
                digit *= REPEATS[texts[i - 1]]
            elif (before == "tens" and parts[-1].endswith("0")) or before == "scale":
                parts[-1] = parts[-1][:-1]
            parts.append(digit)
        elif kind == "teen":
            if before == "scale":
                parts[-1] = parts[-1][:-2]
            parts.append(str(TEENS[text]))
        elif kind == "tens":
            if before == "scale":
                parts[-1] = parts[-1][:-2]
            parts.append(f"{TENS[text]}0")
        elif kind == "scale":
            parts.append("0" * SCALES[text])
        else:
            parts.append("")
    return parts


def _word_kinds(words: Sequence[str]) -> list[str]:
    kinds = [_kind(w) for w in words]
    texts = [plain(w) for w in words]
    numeric = ("unit", "teen", "tens", "numeral", "compound")
    for i, kind in enumerate(kinds):  # words that only count between or after numbers
        nxt = kinds[i + 1] if i + 1 < len(kinds) else ""
        prev = kinds[i - 1] if i else ""
        lone_oh = kind == "unit" and texts[i] in ("o", "oh") and prev not in (
            *numeric, "repeat", "separator", "plus") and nxt not in ("unit", "numeral", "repeat")
        if (lone_oh or (kind == "repeat" and nxt not in ("unit", "numeral"))
                or (kind == "scale" and prev not in numeric)
                or (kind == "plus" and nxt not in numeric)
                or (kind == "separator" and (texts[i] == "and") != (prev == "scale"))):
            kinds[i] = ""
    return kinds


def number_runs(words: Sequence[str]) -> list[NumberRun]:
    """Every run of consecutive words that says a number, with each word's digits.

    Separators (``"dash"``, ``"-"``) count inside a run only; a ``"plus"`` or ``"+"`` in
    front marks an international number; runs without digits are left out.

    Example:
        >>> [r.parts for r in number_runs(["plus", "62", "eight", "hundred", "twelve"])]
        [('', '62', '8', '', '12')]
    """
    kinds = _word_kinds(words)
    runs: list[NumberRun] = []
    i = 0
    while i < len(words):
        if not kinds[i] or kinds[i] == "separator":
            i += 1
            continue
        j = i
        while j < len(words) and kinds[j]:
            j += 1
        while j > i and kinds[j - 1] in ("separator", "plus"):
            j -= 1
        if j > i:
            texts = [plain(w) for w in words[i:j]]
            parts = _contribute(kinds[i:j], texts, words[i:j])
            plus = kinds[i] == "plus" or words[i].strip().startswith("+")
            if any(parts):
                runs.append(NumberRun(i, tuple(parts), plus))
        i = max(j, i + 1)
    return runs
