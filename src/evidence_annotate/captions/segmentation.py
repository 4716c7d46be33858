"""Caption segmentation: word timings in, subtitle cues that follow professional rules out.

The rules (line length, line count, duration, gap between cues, reading speed) are data in
[CaptionRules][]; ``segment`` is pure. It first splits the words at long pauses, then
chooses cue boundaries by dynamic programming (cheap breaks after sentence ends and clause
punctuation, before conjunctions and prepositions, fuller and balanced cues), breaks each cue
into balanced lines the same way, and finally times the cues.

What is guaranteed, always:
    * Words are never dropped, duplicated, reordered or split:
      ``" ".join(c.text for c in cues) == " ".join(w.text for w in words)``, and every line is
      whole words joined by single spaces.
    * A cue starts at its first word's start; cues are in word order.
    * At most ``max_lines`` lines; at most ``max_chars_per_line`` characters per line, except a
      line holding one word that is longer than a line (fallback: the word is never split; it
      gets a line of its own).
    * ``0 < end - start <= max_duration``.

What is guaranteed when the timeline leaves room (``room`` = the earliest of the next cue's
start minus the gap, ``end_limit`` and ``start + max_duration``):
    * ``end <= next.start - gap`` whenever ``next.start - start > gap``. Otherwise (fallback)
      the cue ends at the next cue's start: no gap, no overlap. Only when both start at the
      same instant (zero-length words) does the cue last one frame and overlap the next one.
    * ``end <= end_limit`` whenever ``start < end_limit``; a cue starting at or after
      ``end_limit`` lasts at most one frame.
    * ``end - start >= min_duration`` whenever ``room - start >= min_duration``.
    * ``len(text) / (end - start) <= max_cps`` whenever ``room - start >= len(text) / max_cps``.
      Speech denser than ``max_cps`` with no silence after it cannot be slowed down: the cue
      then ends at ``room`` (fallback) and reads faster than ``max_cps``.
    * A cue's natural span (first word start to last word end) is at most ``max_duration``
      unless it is a single word; a cue ends before its last word ends only when ``room``
      forces it (``end >= min(last_word.end, room)``).

Example:
    >>> from evidence_annotate.speech.transcript import Word
    >>> words = [Word(0.0, 0.4, "The"), Word(0.4, 0.9, "lid"), Word(0.9, 1.5, "cracked."),
    ...          Word(3.0, 3.4, "Look"), Word(3.4, 3.8, "here.")]
    >>> [(c.start, round(c.end, 3), c.text) for c in segment(words)]
    [(0.0, 1.5, 'The lid cracked.'), (3.0, 3.833, 'Look here.')]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..speech.transcript import Word
from .runs import Line, Run, line_text

__all__ = ["ENGLISH_BIND_FORWARD", "ENGLISH_BREAK_BEFORE", "CaptionRules", "Cue", "break_lines",
           "segment"]

ENGLISH_BREAK_BEFORE: frozenset[str] = frozenset((
    "and", "but", "or", "nor", "so", "yet", "because", "although", "though", "while", "whereas",
    "if", "unless", "until", "when", "whenever", "where", "wherever", "which", "who", "whom",
    "whose", "that", "than", "after", "before", "since", "as", "about", "above", "across",
    "against", "along", "among", "around", "at", "behind", "below", "beneath", "beside",
    "between", "beyond", "by", "down", "during", "except", "for", "from", "in", "inside", "into",
    "like", "near", "of", "off", "on", "onto", "out", "outside", "over", "past", "through",
    "throughout", "to", "toward", "towards", "under", "underneath", "up", "upon", "with",
    "within", "without",
))
"""Words a line or cue may start with: conjunctions and prepositions (lower case)."""

ENGLISH_BIND_FORWARD: frozenset[str] = ENGLISH_BREAK_BEFORE | frozenset((
    "a", "an", "the", "my", "your", "his", "her", "its", "our", "their", "this", "these", "those",
    "i", "we", "you", "he", "she", "they",
))
"""Words that belong with the word after them: a line or cue should not end with one."""

_SENTENCE_END = (".", "!", "?", "…", "。", "！", "？")
_CLAUSE_END = (",", ";", ":", "–", "—", "-", "，", "、", "；", "：")
_CLOSERS = "\"')]}»”’"

# Costs of a break (line or cue) between two words, and of choices that make cues worse.
_COST_SENTENCE, _COST_CLAUSE, _COST_BEFORE, _COST_PLAIN, _COST_BOUND = 0.0, 0.5, 1.0, 2.0, 3.0
_COST_CUE = 1.0  # every cue: prefer fewer cues
_COST_INNER_SENTENCE = 0.6  # a sentence ending inside a cue: prefer cues that follow sentences
_CUE_BREAK_WEIGHT = 2.0  # a cue break interrupts reading more than a line break
_COST_FILL = 0.5  # times the squared unused fraction of a cue: prefer full, balanced cues
_COST_BALANCE = 4.0  # times the squared relative deviation of a line from the mean line length


@dataclass(frozen=True)
class CaptionRules:
    """The subtitle rules ``segment`` follows (defaults: common broadcast/streaming practice).

    Attributes:
        max_chars_per_line: Most characters on one line (spaces included).
        max_lines: Most lines in one cue.
        min_duration: Shortest time a cue stays on screen, in seconds (5/6 s = 20 frames at 24).
        max_duration: Longest time a cue stays on screen, in seconds.
        min_gap_frames: Frames of blank screen between consecutive cues.
        max_cps: Highest reading speed in characters per second (17 for adults is common
            practice; 20 is a documented faster option).
        break_pause: A silence between words at least this long (seconds) always ends a cue.
        break_before: Lower-case words a line or cue should start with (conjunctions and
            prepositions); swap in another language's list.
        bind_forward: Lower-case words a line or cue should not end with (articles,
            prepositions, conjunctions, pronouns). ``rules_for`` gives both
            lists per language.
        word_joiner: What goes between words on a line: a space, or ``""`` for scripts
            written without spaces (Thai, Chinese, Japanese), which then break by characters.

    Example:
        >>> CaptionRules(max_cps=20.0).max_chars_per_line
        42
    """

    max_chars_per_line: int = 42
    max_lines: int = 2
    min_duration: float = 5 / 6
    max_duration: float = 7.0
    min_gap_frames: int = 2
    max_cps: float = 17.0
    break_pause: float = 1.0
    break_before: frozenset[str] = field(default=ENGLISH_BREAK_BEFORE, repr=False)
    bind_forward: frozenset[str] = field(default=ENGLISH_BIND_FORWARD, repr=False)
    word_joiner: str = " "

    def __post_init__(self) -> None:
        for name in ("max_chars_per_line", "max_lines"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"CaptionRules.{name}={value!r} must be an integer >= 1")
        if isinstance(self.min_gap_frames, bool) or not isinstance(self.min_gap_frames, int) \
                or self.min_gap_frames < 0:
            raise ValueError(f"CaptionRules.min_gap_frames={self.min_gap_frames!r} must be an "
                             "integer >= 0")
        for name in ("min_duration", "max_duration", "max_cps", "break_pause"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                raise ValueError(f"CaptionRules.{name}={value!r} must be a finite number > 0")
        if self.min_duration > self.max_duration:
            raise ValueError(f"CaptionRules.min_duration={self.min_duration!r} must not exceed "
                             f"max_duration={self.max_duration!r}")


@dataclass(frozen=True)
class Cue:
    """One subtitle: a time span and its lines.

    Attributes:
        start: Start in seconds (the first word's start).
        end: End in seconds, greater than ``start``.
        lines: The lines shown, top to bottom.
        words: The words of the cue with their own times (empty for cues read from a file
            without word times).
        runs: The formatting read from a subtitle file: one tuple of
            [Run][evidence_annotate.captions.runs.Run] per line, joining to that line
            (empty = no formatting; ``lines`` stay what a viewer reads).

    Example:
        >>> Cue(1.0, 2.5, ("Cracked", "lid."), ()).text
        'Cracked lid.'
    """

    start: float
    end: float
    lines: tuple[str, ...]
    words: tuple[Word, ...] = ()
    runs: tuple[Line, ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.start) and math.isfinite(self.end) and self.end > self.start):
            raise ValueError(f"Cue needs finite times with end > start, got start={self.start!r} "
                             f"end={self.end!r}")
        if self.runs and (len(self.runs) != len(self.lines) or any(
                line_text(r) != line for r, line in zip(self.runs, self.lines, strict=False))):
            raise ValueError(f"Cue.runs must give one tuple of runs per line, joining to the "
                             f"line; got lines={self.lines!r} runs={self.runs!r}")

    @property
    def text(self) -> str:
        """The lines joined by single spaces."""
        return " ".join(self.lines)

    @property
    def styled(self) -> bool:
        """Whether any run of the cue carries formatting."""
        return any(not run.plain for line in self.runs for run in line)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (start, end, lines, text, words, and runs if styled)."""
        data = {"start": self.start, "end": self.end, "lines": list(self.lines),
                "text": self.text, "words": [w.to_dict() for w in self.words]}
        if self.styled:
            data["runs"] = [[run.to_dict() for run in line] for line in self.runs]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cue:
        """Build a cue from [to_dict][] output (``text`` is derived, not read)."""
        return cls(float(data["start"]), float(data["end"]),
                   tuple(str(line) for line in data["lines"]),
                   tuple(Word.from_dict(w) for w in data.get("words", ())),
                   tuple(tuple(Run.from_dict(r) for r in line) for line in data.get("runs", ())))


_TIME_EPS = 1e-9
"""Times closer than this are the same instant (they are sums of binary floats)."""


def segment(words: Sequence[Word], rules: CaptionRules | None = None, *, fps: float = 30.0,
            end_limit: float | None = None) -> tuple[Cue, ...]:
    """Group timed words into subtitle cues that follow ``rules``.

    Args:
        words: The words in spoken order; starts must not decrease and each ``end >= start``.
        rules: The subtitle rules; ``None`` = [CaptionRules][] defaults.
        fps: Frame rate of the video, which sets the length of a frame for the gap rule.
        end_limit: No cue may end after this time (for example the clip's duration).

    Returns:
        The cues in order. The module docstring states which rule holds when.

    Raises:
        ValueError: Times are not finite, a word ends before it starts, starts decrease, or
            ``fps`` is not positive.

    Example:
        >>> from evidence_annotate.speech.transcript import Word
        >>> cues = segment([Word(0.0, 0.5, "Hello"), Word(0.5, 1.0, "world.")])
        >>> cues[0].lines, cues[0].start, cues[0].end
        (('Hello world.',), 0.0, 1.0)
    """
    rules = rules or CaptionRules()
    if not (math.isfinite(fps) and fps > 0):
        raise ValueError(f"fps={fps!r} must be a finite number > 0")
    _check_words(words)
    cues: list[tuple[int, int]] = []
    chunk_start = 0
    for i in range(1, len(words) + 1):
        if i == len(words) or words[i].start - words[i - 1].end >= rules.break_pause:
            cues.extend(_pack(words, chunk_start, i, rules))
            chunk_start = i
    return _timed(words, cues, rules, fps, math.inf if end_limit is None else end_limit)


def _check_words(words: Sequence[Word]) -> None:
    for i, w in enumerate(words):
        if not (math.isfinite(w.start) and math.isfinite(w.end)) or w.end < w.start:
            raise ValueError(f"word {i} ({w.text!r}) needs finite times with end >= start, "
                             f"got start={w.start!r} end={w.end!r}")
        if i and w.start < words[i - 1].start:
            raise ValueError(f"word {i} ({w.text!r}) starts at {w.start!r}, before word {i - 1} "
                             f"({words[i - 1].start!r}); sort the words by start time")


def _key(text: str) -> str:
    return text.strip(_CLOSERS + "\"'(¡¿").lower()


def _break_cost(before: str, after: str, rules: CaptionRules) -> float:
    """Cost of a line or cue break between the words ``before`` and ``after``."""
    tail = before.rstrip(_CLOSERS)
    if tail.endswith(_SENTENCE_END):
        return _COST_SENTENCE
    if tail.endswith(_CLAUSE_END):
        return _COST_CLAUSE
    if _key(before) in rules.bind_forward:
        return _COST_BOUND
    return _COST_BEFORE if _key(after) in rules.break_before else _COST_PLAIN


def _widths(texts: Sequence[str], gap: int = 1) -> list[int]:
    """Prefix sums: ``w[j] - w[i] - gap`` is the width of ``texts[i:j]`` joined by the joiner."""
    sums = [0]
    for t in texts:
        sums.append(sums[-1] + len(t) + gap)
    return sums


def _min_lines(texts: Sequence[str], max_chars: int, gap: int = 1) -> int:
    """Fewest lines that hold the words (greedy; a too-long word takes a line of its own)."""
    lines, used = 0, -1
    for t in texts:
        if used >= 0 and used + gap + len(t) <= max_chars:
            used += gap + len(t)
        else:
            lines, used = lines + 1, len(t)
    return lines


def break_lines(texts: Sequence[str], rules: CaptionRules | None = None) -> tuple[str, ...]:
    """Split words into the fewest lines that fit, at the best-reading places.

    A text that fits on one line stays on one line. Otherwise the lines are balanced and
    broken after punctuation or before conjunctions and prepositions where possible; a word is
    never split (a word longer than a line gets a line of its own).

    Args:
        texts: The words, in order.
        rules: Supplies ``max_chars_per_line`` and the word lists.

    Returns:
        The lines (each the words joined by single spaces).

    Example:
        >>> break_lines("Here you can see the crack. It goes all the way to the corner.".split())
        ('Here you can see the crack.', 'It goes all the way to the corner.')
    """
    rules = rules or CaptionRules()
    n, limit, glue = len(texts), rules.max_chars_per_line, rules.word_joiner
    gap = len(glue)
    count = _min_lines(texts, limit, gap)
    if count <= 1:
        return (glue.join(texts),) if n else ()
    sums = _widths(texts, gap)
    mean = max((sums[n] - gap) / count, 1)
    inf = math.inf
    # best[k][j]: cost of words[:j] on k lines; back[k][j]: where line k starts.
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for j in range(1, n + 1):
            for i in range(j - 1, -1, -1):
                width = sums[j] - sums[i] - gap
                if width > limit and j - i > 1:
                    break
                if best[k - 1][i] == inf:
                    continue
                cost = best[k - 1][i] + _COST_BALANCE * ((width - mean) / mean) ** 2
                if j < n:
                    cost += _break_cost(texts[j - 1], texts[j], rules)
                if cost < best[k][j]:
                    best[k][j], back[k][j] = cost, i
    lines: list[str] = []
    j = n
    for k in range(count, 0, -1):
        i = back[k][j]
        lines.append(glue.join(texts[i:j]))
        j = i
    return tuple(reversed(lines))


def _pack(words: Sequence[Word], lo: int, hi: int, rules: CaptionRules) -> list[tuple[int, int]]:
    """Choose cue boundaries for ``words[lo:hi]`` (one run of speech) by dynamic programming."""
    texts = [w.text for w in words]
    gap = len(rules.word_joiner)
    sums = _widths(texts, gap)
    capacity = rules.max_chars_per_line * rules.max_lines
    best = [math.inf] * (hi + 1)
    back = [lo] * (hi + 1)
    best[lo] = 0.0
    for j in range(lo + 1, hi + 1):
        inner_sentences = 0
        for i in range(j - 1, lo - 1, -1):
            if j - i > 1:
                span = words[j - 1].end - words[i].start
                width = sums[j] - sums[i] - gap
                if span > rules.max_duration or (width > rules.max_chars_per_line and _min_lines(
                        texts[i:j], rules.max_chars_per_line, gap) > rules.max_lines):
                    break
                if texts[i].rstrip(_CLOSERS).endswith(_SENTENCE_END):
                    inner_sentences += 1
            fill = min((sums[j] - sums[i] - gap) / capacity, 1.0)
            cost = (best[i] + _COST_CUE + _COST_FILL * (1.0 - fill) ** 2
                    + _COST_INNER_SENTENCE * inner_sentences)
            if j < hi:
                cost += _CUE_BREAK_WEIGHT * _break_cost(texts[j - 1], texts[j], rules)
            if cost < best[j]:
                best[j], back[j] = cost, i
    spans: list[tuple[int, int]] = []
    j = hi
    while j > lo:
        spans.append((back[j], j))
        j = back[j]
    return spans[::-1]


def _timed(words: Sequence[Word], spans: Sequence[tuple[int, int]], rules: CaptionRules,
           fps: float, end_limit: float) -> tuple[Cue, ...]:
    """Give each cue its end time: extend into silence for min duration and reading speed."""
    frame = 1.0 / fps
    gap = rules.min_gap_frames * frame
    cues: list[Cue] = []
    for index, (i, j) in enumerate(spans):
        cue_words = tuple(words[i:j])
        lines = break_lines([w.text for w in cue_words], rules)
        start = cue_words[0].start
        next_start = words[spans[index + 1][0]].start if index + 1 < len(spans) else math.inf
        # Keep the gap if there is room for it, else at least do not overlap the next cue.
        # Room within a nanosecond of the gap counts as none: times are sums of floats.
        limit = next_start - gap if next_start - start > gap + _TIME_EPS else next_start
        limit = min(limit, end_limit if end_limit > start else start + frame,
                    start + rules.max_duration)
        wanted = max(cue_words[-1].end, start + rules.min_duration,
                     start + len(" ".join(lines)) / rules.max_cps)
        end = min(wanted, limit)
        if end <= start:  # the next cue starts at the same instant (zero-length words)
            end = start + frame
        cues.append(Cue(start, end, lines, cue_words))
    return tuple(cues)
