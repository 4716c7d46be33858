"""Hallucination checks: which recognised segments are dropped, which are flagged.

Whisper writes fluent text where there is none to hear (noise, music, a language it does not
know) and can loop on a phrase. Evidence must not show such text, so every segment is judged:

* **dropped**: no words; Whisper's own no-speech rule (no-speech probability above
  [NO_SPEECH_PROB][] with a mean log-probability below [LOW_LOGPROB][] or words below
  [LOW_WORD_PROB][] confidence); a compression ratio above [MAX_COMPRESSION][]
  (repetitive text); or a phrase of 1-6 words repeated [MAX_REPEATS][] times in a row;
* **flagged** ``"low_logprob"``: a mean log-probability below [LOW_LOGPROB][] (the
  recogniser was unsure): kept, but the transcript is low-confidence.

Example:
    >>> repeats("it is the first time that it is the first time that it is the first time that")
    True
    >>> repeats("the box was damaged at one corner and the lid was cracked")
    False
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Sequence
from typing import Any

from ..errors import LowConfidenceWarning
from .transcript import Transcript

__all__ = [
    "LOW_LOGPROB",
    "LOW_WORD_PROB",
    "MAX_COMPRESSION",
    "MAX_REPEATS",
    "NO_SPEECH_PROB",
    "judge",
    "repeats",
    "warn_if_doubtful",
    "word_error_rate",
    "words_of",
]

NO_SPEECH_PROB = 0.6
"""Whisper's no-speech threshold."""
LOW_LOGPROB = -1.0
"""Mean token log-probability below which the recogniser is unsure (Whisper's threshold)."""
LOW_WORD_PROB = 0.3
"""Mean word confidence below which text over probable non-speech is dropped."""
MAX_COMPRESSION = 2.4
"""gzip compression ratio above which text is repetitive (Whisper's threshold)."""
MAX_REPEATS = 3
"""A phrase repeated this many times in a row is a decoding loop."""


def repeats(text: str, times: int = MAX_REPEATS, longest: int = 6) -> bool:
    """Whether a phrase of 1 to ``longest`` words occurs ``times`` times in a row.

    Example:
        >>> repeats("no no no"), repeats("no no")
        (True, False)
    """
    words = [w.strip(".,!?;:").lower() for w in text.split()]
    for n in range(1, longest + 1):
        for start in range(len(words) - n * times + 1):
            phrase = words[start:start + n]
            if all(words[start + k * n:start + (k + 1) * n] == phrase for k in range(1, times)):
                return True
    return False


def judge(segment: Any, words: Sequence[Any]) -> str | None:
    """Judge one faster-whisper segment and its non-empty words.

    Args:
        segment: A ``faster_whisper.transcribe.Segment``.
        words: Its words with text.

    Returns:
        ``"drop"``, ``"low_logprob"`` (keep, flagged) or ``None`` (keep).
    """
    if not words:
        return "drop"
    confidence = sum(float(w.probability) for w in words) / len(words)
    if segment.no_speech_prob > NO_SPEECH_PROB and (segment.avg_logprob < LOW_LOGPROB
                                                    or confidence < LOW_WORD_PROB):
        return "drop"
    if segment.compression_ratio > MAX_COMPRESSION or repeats(segment.text):
        return "drop"
    if segment.avg_logprob < LOW_LOGPROB:
        return "low_logprob"
    return None


def warn_if_doubtful(transcript: Transcript) -> None:
    """Warn if it failed the checks.

    The warning is a [LowConfidenceWarning][evidence_annotate.errors.LowConfidenceWarning].
    """
    for t, what in ((transcript, "transcript"), (transcript.translation, "English translation")):
        if t is not None and not t.confident:
            warnings.warn(LowConfidenceWarning(
                f"The {what} ({t.language}, model {t.model or '?'}) is low-confidence: "
                f"{'; '.join(t.problems)}. Check it and correct it (Transcript.correct/replace, "
                "or edit the file written by `evidence-annotate transcribe`); captions are "
                "burned from it only with captions(allow_low_confidence=True) or once it is "
                "marked reviewed."), stacklevel=4)


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation or accents (Whisper may drop an accent).

    Example:
        >>> words_of("Caja rota, ¡ya llegó!")
        ['caja', 'rota', 'ya', 'llego']
    """
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9' ]+", " ", plain).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word error rate: the edit distance over [words_of][] divided by the reference length.

    It measures a transcript against what was really said (e.g. a narration's script).

    Example:
        >>> word_error_rate("the lid is cracked", "the lid was cracked")
        0.25
    """
    ref, hyp = words_of(reference), words_of(hypothesis)
    if not ref:
        return float(bool(hyp))
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row = row, [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (r != h))
    return row[-1] / len(ref)
