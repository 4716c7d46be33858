"""E-mail addresses in recognised words, written (``maria@gmail.com``) or spoken.

Spoken forms: ``"maria at gmail dot com"``, ``"john dot smith at example dot co dot id"``,
and what recognisers make of them: ``"maria at gmail.com"``, ``"maria .gmail .com."`` (the
``at`` lost: accepted when the domain is a well-known mail provider). ``at`` may also be
``@``, ``arroba`` (Spanish) or ``et`` (Indonesian, Malay); ``dot`` may be ``titik``
(Indonesian, Malay), ``punto`` (Spanish) or ``point``.

Example:
    >>> [(m.lo, m.hi, m.address) for m in find_emails("mail maria at gmail dot com now".split())]
    [(1, 6, 'maria@gmail.com')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["EmailMatch", "find_emails"]

AT_WORDS = frozenset(("at", "@", "arroba", "et"))
DOT_WORDS = frozenset(("dot", "titik", "punto", "point"))
JOIN_WORDS = {"dot": ".", "titik": ".", "punto": ".", "underscore": "_", "dash": "-",
              "hyphen": "-"}
MAIL_PROVIDERS = frozenset(("gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook",
                            "live", "icloud", "me", "aol", "proton", "protonmail", "gmx",
                            "mail", "qq", "163", "naver", "rocketmail"))
STOP_WORDS = frozenset((
    "is", "my", "email", "e-mail", "mail", "address", "to", "me", "at", "on", "it's", "its",
    "was", "the", "and", "or", "send", "write", "contact", "reach", "details", "please", "a",
    "saya", "adalah", "ke", "di", "ialah", "es", "mi", "correo", "al", "y", "your", "our",
    "his", "her", "their", "call", "number", "of", "for", "with", "from", "by", "i", "it",
    "this", "that", "them", "you", "we", "they", "he", "she", "look", "looked", "here"))
_WRITTEN = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_LABEL = re.compile(r"^[\w-]+$")
_TLD = re.compile(r"^[a-z]{2,24}$")
_LEAD = re.compile(r"^[^\w.@]+")
_TAIL = re.compile(r"[^\w]+$")


def _norm(word: str) -> str:
    """Lower case without surrounding punctuation, a leading dot kept (``".com"``)."""
    return _TAIL.sub("", _LEAD.sub("", word.strip().casefold()))


@dataclass(frozen=True)
class EmailMatch:
    """An e-mail address said over words ``lo`` to ``hi`` (exclusive).

    Attributes:
        lo: Index of the first word.
        hi: Index after the last word.
        address: The address, lower case (``local@domain``).
    """

    lo: int
    hi: int
    address: str


def _domain(texts: Sequence[str], at: int) -> tuple[int, list[str], bool] | None:
    """The domain starting at word ``at``: (end index, labels, started with a dot)."""
    labels: list[str] = []
    i, dotted, expect_label = at, False, True
    lead = texts[at].startswith(".") if at < len(texts) else False
    while i < len(texts):
        text = texts[i]
        if not expect_label and text in DOT_WORDS:
            expect_label, dotted = True, True
            i += 1
            continue
        if not expect_label and not text.startswith("."):
            break
        pieces = text.split(".")
        if pieces[0] == "" and len(pieces) > 1:
            pieces = pieces[1:]
            dotted = dotted or bool(labels)
        if not pieces or not all(_LABEL.match(p) for p in pieces) or (
                not labels and pieces[0] in STOP_WORDS):
            break
        dotted = dotted or len(pieces) > 1
        labels.extend(pieces)
        i, expect_label = i + 1, False
    if expect_label and labels:
        i -= 1  # a trailing "dot" belongs to no domain
    if len(labels) < 2 or not dotted or not _TLD.match(labels[-1]):
        return None
    return i, labels, lead


def _local(texts: Sequence[str], end: int) -> tuple[int, str] | None:
    """The local part ending before word ``end``: (first index, text)."""
    pieces: list[str] = []
    i, plain_words = end - 1, 0
    while i >= 0:
        text = texts[i].strip(".")
        if not text or text in STOP_WORDS or not _LABEL.match(text.replace(".", "")):
            break
        pieces.insert(0, text)
        plain_words += 1
        if i >= 2 and texts[i - 1] in JOIN_WORDS and texts[i - 2] not in STOP_WORDS:
            pieces.insert(0, JOIN_WORDS[texts[i - 1]])
            i -= 2
            continue
        if plain_words >= 2:
            break
        i -= 1
        if i >= 0 and texts[i] in AT_WORDS | DOT_WORDS:
            break
    first = i if i >= 0 and pieces and texts[i].strip(".") == pieces[0] else i + 1
    return (first, "".join(pieces)) if pieces else None


def find_emails(words: Sequence[str]) -> list[EmailMatch]:
    """Every e-mail address in ``words`` (recognised words, punctuation included), in order.

    Example:
        >>> [m.address for m in find_emails(["Mail:", "Ann.Lee@Example.co.id."])]
        ['ann.lee@example.co.id']
        >>> [m.address for m in find_emails("is mario .gmail .com. The".split())]
        ['mario@gmail.com']
    """
    texts = [_norm(w) for w in words]
    found: list[EmailMatch] = []
    taken = -1
    for i, text in enumerate(texts):
        if i < taken:
            continue
        if _WRITTEN.match(text):
            found.append(EmailMatch(i, i + 1, text))
            taken = i + 1
            continue
        joined = text.endswith("@") or text in AT_WORDS
        start = i + 1 if joined else i
        if not joined and not texts[i].startswith(".") and "@" not in text:
            continue
        if "@" in text and not joined:  # "maria@gmail" then ".com"
            local_text, _, rest = text.partition("@")
            domain = _domain([rest, *texts[i + 1:]], 0)
            if domain and local_text:
                end, labels, _ = domain
                found.append(EmailMatch(i, i + end, f"{local_text}@{'.'.join(labels)}"))
                taken = i + end
            continue
        domain = _domain(texts, start)
        if domain is None:
            continue
        end, labels, lead = domain
        if not joined and not (lead and labels[0] in MAIL_PROVIDERS):
            continue
        if text.endswith("@") and text not in AT_WORDS:
            local: tuple[int, str] | None = (i, text[:-1])
        else:
            local = _local(texts, i if joined else start)
        if local is None or local[0] < taken:
            continue
        found.append(EmailMatch(local[0], end, f"{local[1]}@{'.'.join(labels)}"))
        taken = end
    return found
