"""The transcript model: small frozen dataclasses with a JSON round trip.

Times are seconds on the SOURCE clip's timeline (0 = the first moment a player shows).

Example:
    >>> from evidence_annotate.speech.transcript import Transcript, Segment, Word
    >>> words = (Word(0.5, 0.9, "Cracked", 0.98), Word(1.0, 1.4, "lid.", 0.95))
    >>> t = Transcript("en", 0.99, 2.0, (Segment(0.5, 1.4, "Cracked lid.", words),))
    >>> t.text
    'Cracked lid.'
    >>> Transcript.from_json(t.to_json()) == t
    True
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..tables import html_table
from ..timing import format_time

__all__ = ["Segment", "Transcript", "Word", "transcript_html"]


@dataclass(frozen=True)
class Word:
    """One recognised word.

    Attributes:
        start: Start time in seconds (source timeline).
        end: End time in seconds (source timeline), greater than ``start``.
        text: The word as recognised, with its punctuation, without surrounding spaces.
        probability: The recogniser's confidence in [0, 1].
    """

    start: float
    end: float
    text: str
    probability: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {"start": self.start, "end": self.end, "text": self.text,
                "probability": self.probability}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Word:
        """Build a word from :meth:`to_dict` output."""
        return cls(float(data["start"]), float(data["end"]), str(data["text"]),
                   float(data.get("probability", 1.0)))


@dataclass(frozen=True)
class Segment:
    """A run of speech (roughly a sentence) with its words.

    Attributes:
        start: Start time in seconds (source timeline).
        end: End time in seconds (source timeline).
        text: The segment's text, words joined by single spaces.
        words: The words, in order.
    """

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {"start": self.start, "end": self.end, "text": self.text,
                "words": [w.to_dict() for w in self.words]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Segment:
        """Build a segment from :meth:`to_dict` output."""
        return cls(float(data["start"]), float(data["end"]), str(data["text"]),
                   tuple(Word.from_dict(w) for w in data.get("words", ())))


@dataclass(frozen=True)
class Transcript:
    """What was said in a clip.

    Attributes:
        language: ISO 639-1 code of the spoken language (``""`` when there is no speech).
        language_probability: Confidence of the language detection in [0, 1].
        duration: Length of the audio in seconds.
        segments: The speech segments, in time order.
    """

    language: str
    language_probability: float
    duration: float
    segments: tuple[Segment, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """All segment texts joined by single spaces."""
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def words(self) -> tuple[Word, ...]:
        """Every word of every segment, in order."""
        return tuple(w for s in self.segments for w in s.words)

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    def _repr_html_(self) -> str:
        return transcript_html(self)

    def shifted(self, seconds: float) -> Transcript:
        """Return a copy with every time moved by ``seconds`` (e.g. onto the output timeline)."""
        def word(w: Word) -> Word:
            return Word(w.start + seconds, w.end + seconds, w.text, w.probability)
        segments = tuple(Segment(s.start + seconds, s.end + seconds, s.text,
                                 tuple(word(w) for w in s.words)) for s in self.segments)
        return Transcript(self.language, self.language_probability, self.duration, segments)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {"language": self.language, "language_probability": self.language_probability,
                "duration": self.duration, "text": self.text,
                "segments": [s.to_dict() for s in self.segments]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transcript:
        """Build a transcript from :meth:`to_dict` output."""
        return cls(str(data.get("language", "")), float(data.get("language_probability", 0.0)),
                   float(data.get("duration", 0.0)),
                   tuple(Segment.from_dict(s) for s in data.get("segments", ())))

    def to_json(self, indent: int | None = 2) -> str:
        """Serialise to JSON text (UTF-8, non-ASCII kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> Transcript:
        """Parse JSON text written by :meth:`to_json`."""
        return cls.from_dict(json.loads(text))


_ROWS_SHOWN = 50


def transcript_html(t: Transcript) -> str:
    """The transcript as a table of segments (start, end, text), for ``_repr_html_``.

    Example:
        >>> from evidence_annotate.speech.transcript import Transcript, Segment
        >>> "<td style='text-align:left'>00:00.500</td>" in transcript_html(
        ...     Transcript("en", 1.0, 2.0, (Segment(0.5, 1.4, "Cracked lid."),)))
        True
    """
    rows = [(format_time(s.start), format_time(s.end), s.text.strip())
            for s in t.segments[:_ROWS_SHOWN]]
    more = len(t.segments) - len(rows)
    title = (f"Transcript: language {t.language or 'none'}, {len(t.segments)} segments, "
             f"{len(t.words)} words")
    tail = f"<div>... {more} more segments</div>" if more > 0 else ""
    return (f"<div class='evidence-annotate'><div>{html.escape(title)}</div>"
            f"{html_table(('start', 'end', 'text'), rows)}{tail}</div>")
