"""Caption rules per language: where lines may break, and how fast text can be read.

Languages written with spaces get their own lists of words a line should start with
(conjunctions, prepositions) and words that bind to the next one (articles, prepositions,
pronouns, classifiers). Scripts without spaces between words (Thai, Chinese, Japanese, Lao,
Khmer, Burmese) join words with nothing, break between recognised words (so by characters),
and have shorter lines and a reading speed counted in characters per second of their own
script (common subtitling practice: 16 characters per line and 9 per second for Chinese, 13
and 7 for Japanese, 35 and 15 for Thai).

Example:
    >>> rules_for("id").break_before >= {"dan", "tetapi", "yang"}
    True
    >>> thai = rules_for("th")
    >>> thai.word_joiner, thai.max_chars_per_line, thai.max_cps
    ('', 35, 15.0)
    >>> rules_for("xx") == CaptionRules()
    True
"""

from __future__ import annotations

from dataclasses import replace

from ..speech.transcript import NO_SPACE_LANGUAGES
from .segmentation import ENGLISH_BIND_FORWARD, ENGLISH_BREAK_BEFORE, CaptionRules

__all__ = ["BIND_FORWARD", "BREAK_BEFORE", "rules_for"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MALAY_BREAK = _words(
    "dan atau tetapi tapi namun karena kerana sebab kalau jika bila apabila ketika semasa "
    "sejak sampai hingga supaya agar yang bahawa bahwa untuk dengan di ke dari pada dalam "
    "oleh kepada terhadap tentang selepas setelah sebelum")
_MALAY_BIND = _MALAY_BREAK | _words(
    "saya aku kami kita anda awak kamu dia mereka ini itu sebuah seorang sebuah para si sang")

BREAK_BEFORE: dict[str, frozenset[str]] = {
    "en": ENGLISH_BREAK_BEFORE,
    "id": _MALAY_BREAK,
    "ms": _MALAY_BREAK,
    "es": _words(
        "y e o u pero sino porque aunque si cuando donde mientras que quien cual como para "
        "por con sin de desde hasta en entre sobre hacia según durante tras ante bajo contra"),
    "pt": _words(
        "e ou mas porém porque embora se quando onde enquanto que quem qual como para por "
        "com sem de desde até em entre sobre após durante contra"),
    "vi": _words(
        "và hoặc nhưng vì nên nếu khi mà thì để của cho với trong trên dưới từ đến tại về"),
}
"""Per language: lower-case words a line or cue should start with."""

BIND_FORWARD: dict[str, frozenset[str]] = {
    "en": ENGLISH_BIND_FORWARD,
    "id": _MALAY_BIND,
    "ms": _MALAY_BIND,
    "es": BREAK_BEFORE["es"] | _words(
        "el la los las un una unos unas mi mis tu tus su sus este esta estos estas ese esa "
        "lo le les me te se nos yo"),
    "pt": BREAK_BEFORE["pt"] | _words(
        "o a os as um uma uns umas meu minha seu sua este esta esse essa isso eu me te se"),
    "vi": BREAK_BEFORE["vi"] | _words("các những một cái chiếc con tôi em anh chị"),
}
"""Per language: lower-case words a line or cue should not end with."""

_NO_SPACE_LIMITS: dict[str, tuple[int, float]] = {
    "zh": (16, 9.0), "yue": (16, 9.0), "ja": (13, 7.0), "th": (35, 15.0), "lo": (35, 15.0),
    "km": (35, 15.0), "my": (35, 15.0), "bo": (35, 15.0),
}


def rules_for(language: str, base: CaptionRules | None = None) -> CaptionRules:
    """The caption rules for ``language`` (ISO 639-1), starting from ``base``.

    Languages without lists keep ``base``'s (English by default); scripts without spaces get
    their joiner, line length and reading speed.

    Args:
        language: The transcript's language (``""`` = unknown).
        base: Rules to adapt (default [CaptionRules][]).

    Example:
        >>> rules_for("es").break_before == BREAK_BEFORE["es"]
        True
    """
    rules = base or CaptionRules()
    if language in BREAK_BEFORE:
        rules = replace(rules, break_before=BREAK_BEFORE[language],
                        bind_forward=BIND_FORWARD[language])
    if language in NO_SPACE_LANGUAGES:
        chars, cps = _NO_SPACE_LIMITS.get(language, (35, 15.0))
        rules = replace(rules, word_joiner="", max_chars_per_line=min(
            chars, rules.max_chars_per_line), max_cps=min(cps, rules.max_cps),
            break_before=frozenset(), bind_forward=frozenset())
    return rules
