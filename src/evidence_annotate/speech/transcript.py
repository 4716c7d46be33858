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

    What the recogniser heard can be corrected; word times are kept where the words match one
    to one and spread over the same span otherwise:

    >>> fixed = t.correct("lid.", "lid and hinge.")
    >>> fixed.text, [w.text for w in fixed.words], fixed.segments[0].flags
    ('Cracked lid and hinge.', ['Cracked', 'lid', 'and', 'hinge.'], ('corrected',))
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..tables import html_table
from ..timing import format_time

__all__ = ["NO_SPACE_LANGUAGES", "PROBLEM_FLAGS", "Segment", "Transcript", "Word",
           "joiner", "transcript_html"]

NO_SPACE_LANGUAGES = frozenset(("th", "zh", "ja", "lo", "km", "my", "yue", "bo"))
"""Languages written without spaces between words: their words join with ``""``."""

PROBLEM_FLAGS = frozenset(("low_logprob", "no_speech", "unreviewed_language"))
"""Segment flags that make a transcript low-confidence (``"corrected"`` is not one)."""


def joiner(language: str) -> str:
    """What goes between two words of ``language``: a space, or nothing (Thai, Chinese, ...).

    Example:
        >>> joiner("id"), joiner("th")
        (' ', '')
    """
    return "" if language in NO_SPACE_LANGUAGES else " "


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
        """Build a word from [to_dict][] output."""
        return cls(float(data["start"]), float(data["end"]), str(data["text"]),
                   float(data.get("probability", 1.0)))


@dataclass(frozen=True)
class Segment:
    """A run of speech (roughly a sentence) with its words.

    Attributes:
        start: Start time in seconds (source timeline).
        end: End time in seconds (source timeline).
        text: The segment's text, words joined by single spaces (by nothing in languages
            written without spaces).
        words: The words, in order.
        flags: Why the segment is doubtful (``"low_logprob"``: the recogniser was unsure), or
            ``("corrected",)`` once a person corrected it.
    """

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {"start": self.start, "end": self.end, "text": self.text,
                "words": [w.to_dict() for w in self.words], "flags": list(self.flags)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Segment:
        """Build a segment from [to_dict][] output."""
        return cls(float(data["start"]), float(data["end"]), str(data["text"]),
                   tuple(Word.from_dict(w) for w in data.get("words", ())),
                   tuple(str(f) for f in data.get("flags", ())))


@dataclass(frozen=True)
class Transcript:
    """What was said in a clip.

    Attributes:
        language: ISO 639-1 code of the text's language (``""`` when there is no speech);
            ``"en"`` for an English translation.
        language_probability: Confidence of the language identification in [0, 1] (among
            the candidates when they were restricted); 1.0 when the caller named it.
        duration: Length of the audio in seconds.
        segments: The speech segments, in time order.
        model: The speech model that made it (a size, hub id or folder name).
        task: ``"transcribe"`` (the words as spoken) or ``"translate"`` (Whisper's machine
            translation into English).
        source_language: For a translation, the language that was spoken.
        translation: The time-aligned English machine translation, when asked for.
        issues: Why the transcript as a whole is doubtful (empty when it passed the checks).
        dropped: How many segments were dropped as likely hallucinations.
        reviewed: A person checked (and corrected) it: it counts as confident.
    """

    language: str
    language_probability: float
    duration: float
    segments: tuple[Segment, ...] = field(default_factory=tuple)
    model: str = ""
    task: str = "transcribe"
    source_language: str = ""
    translation: Transcript | None = None
    issues: tuple[str, ...] = ()
    dropped: int = 0
    reviewed: bool = False

    @property
    def problems(self) -> tuple[str, ...]:
        """Everything that makes it doubtful: ``issues`` and flagged segments.

        Example:
            >>> Transcript("en", 1.0, 2.0, (Segment(0, 1, "x", flags=("low_logprob",)),)).problems
            ('segment 0 at 0.00 s: low_logprob',)
        """
        flagged = [f"segment {i} at {s.start:.2f} s: "
                   f"{', '.join(sorted(set(s.flags) & PROBLEM_FLAGS))}"
                   for i, s in enumerate(self.segments) if set(s.flags) & PROBLEM_FLAGS]
        return (*self.issues, *flagged)

    @property
    def confident(self) -> bool:
        """Whether captions may be burned from it: it passed the checks, or was reviewed."""
        return self.reviewed or not self.problems

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
        segments = tuple(replace(s, start=s.start + seconds, end=s.end + seconds,
                                 words=tuple(word(w) for w in s.words)) for s in self.segments)
        translation = self.translation.shifted(seconds) if self.translation else None
        return replace(self, segments=segments, translation=translation)

    def mark_reviewed(self) -> Transcript:
        """Return a copy a person has checked: it counts as confident.

        Example:
            >>> Transcript("id", 0.3, 1.0, issues=("language unsure",)).mark_reviewed().confident
            True
        """
        return replace(self, reviewed=True)

    def replace(self, index: int, text: str) -> Transcript:
        """Return a copy whose segment ``index`` says ``text`` (what was really said).

        Word times are kept when the new text has as many words as the old one; otherwise the
        new words share the segment's span in proportion to their length. The segment is
        flagged ``"corrected"``.

        Args:
            index: The segment (negative counts from the end).
            text: The correct text of the whole segment.

        Raises:
            ValueError: No such segment, or blank text.

        Example:
            >>> t = Transcript("en", 1.0, 3.0, (Segment(0.0, 2.0, "Crack lit.",
            ...     (Word(0.0, 1.0, "Crack"), Word(1.0, 2.0, "lit."))),))
            >>> [(w.text, w.start, w.end) for w in t.replace(0, "Cracked lid.").words]
            [('Cracked', 0.0, 1.0), ('lid.', 1.0, 2.0)]
        """
        if not -len(self.segments) <= index < len(self.segments):
            raise ValueError(f"index={index!r} is out of range: the transcript has "
                             f"{len(self.segments)} segments (0 to {len(self.segments) - 1})")
        old = self.segments[index]
        words = old.words or (Word(old.start, old.end, old.text),)
        return self._respoken(index % len(self.segments), 0, len(words), words, text)

    def correct(self, old: str, new: str, *, count: int | None = None) -> Transcript:
        """Return a copy where the words ``old`` (one or more, in a row) read ``new``.

        Matching is on whole words as recognised (punctuation included). Word times are kept
        when ``old`` and ``new`` have as many words; otherwise the new words share the span of
        the old ones in proportion to their length. Corrected segments are flagged
        ``"corrected"``.

        Args:
            old: The words heard wrongly, e.g. ``"lit."``.
            new: What was said, e.g. ``"lid."``; may have more or fewer words.
            count: Correct at most this many occurrences (``None`` = all).

        Raises:
            ValueError: ``old`` or ``new`` is blank, or ``old`` is not in the transcript.

        Example:
            >>> t = Transcript("en", 1.0, 2.0, (Segment(0.0, 1.0, "Order 8123.",
            ...     (Word(0.0, 0.4, "Order"), Word(0.4, 1.0, "8123."))),))
            >>> t.correct("8123.", "8124.").text
            'Order 8124.'
        """
        target = old.split()
        if not target or not new.split():
            raise ValueError(f"correct(old={old!r}, new={new!r}): both must hold words")
        result, done = self, 0
        for index in range(len(self.segments)):
            at = 0
            while count is None or done < count:
                words = result.segments[index].words
                found = next((i for i in range(at, len(words) - len(target) + 1)
                              if [w.text for w in words[i:i + len(target)]] == target), None)
                if found is None:
                    break
                result = result._respoken(index, found, found + len(target), words, new)
                at, done = found + len(new.split()), done + 1
        if not done:
            raise ValueError(f"correct(old={old!r}): no run of words reads {old!r}; the "
                             f"transcript says {self.text[:120]!r}")
        return result

    def _respoken(self, index: int, lo: int, hi: int, words: Sequence[Word],
                  text: str) -> Transcript:
        """Replace ``words[lo:hi]`` of segment ``index`` by the words of ``text``."""
        said = text.split()
        if not said:
            raise ValueError(f"text={text!r} is blank: pass what was said")
        old = words[lo:hi]
        if len(said) == len(old):
            new = [Word(w.start, w.end, t, 1.0) for w, t in zip(old, said, strict=True)]
        else:
            start, end = old[0].start, old[-1].end
            total = sum(len(t) + 1 for t in said)
            new, at = [], start
            for t in said:
                step = (end - start) * (len(t) + 1) / total
                new.append(Word(round(at, 6), round(at + step, 6), t, 1.0))
                at += step
        kept = (*words[:lo], *new, *words[hi:])
        segment = self.segments[index]
        fixed = replace(segment, start=min(segment.start, kept[0].start),
                        end=max(segment.end, kept[-1].end),
                        text=joiner(self.language).join(w.text for w in kept),
                        words=kept if segment.words else (), flags=("corrected",))
        segments = (*self.segments[:index], fixed, *self.segments[index + 1:])
        return replace(self, segments=segments)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {"language": self.language, "language_probability": self.language_probability,
                "duration": self.duration, "model": self.model, "task": self.task,
                "source_language": self.source_language, "issues": list(self.issues),
                "dropped": self.dropped, "reviewed": self.reviewed, "text": self.text,
                "segments": [s.to_dict() for s in self.segments],
                "translation": self.translation.to_dict() if self.translation else None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transcript:
        """Build a transcript from [to_dict][] output."""
        translation = data.get("translation")
        return cls(str(data.get("language", "")), float(data.get("language_probability", 0.0)),
                   float(data.get("duration", 0.0)),
                   tuple(Segment.from_dict(s) for s in data.get("segments", ())),
                   str(data.get("model", "")), str(data.get("task", "transcribe")),
                   str(data.get("source_language", "")),
                   cls.from_dict(translation) if translation else None,
                   tuple(str(i) for i in data.get("issues", ())), int(data.get("dropped", 0)),
                   bool(data.get("reviewed", False)))

    def to_json(self, indent: int | None = 2) -> str:
        """Serialise to JSON text (UTF-8, non-ASCII kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> Transcript:
        """Parse JSON text written by [to_json][]."""
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
