"""Caption corrections that keep the timing right: retext, split and merge cues.

A corrected word keeps the time it was spoken at; a cue split between two words ends where
the second word starts; merged cues keep every word's time. Cues without word times (read
from SRT or VTT) are split in proportion to their text.

Example:
    >>> from evidence_annotate.speech.transcript import Word
    >>> cue = Cue(1.0, 3.0, ("It is craked.",), (Word(1.0, 1.4, "It"), Word(1.5, 1.9, "is"),
    ...                                          Word(2.0, 3.0, "craked.")))
    >>> fixed = retext(cue, "It is cracked.")
    >>> fixed.text, fixed.words[2]
    ('It is cracked.', Word(start=2.0, end=3.0, text='cracked.', probability=1.0))
    >>> [(c.start, c.end, c.text) for c in split(fixed, 5)]
    [(1.0, 2.0, 'It is'), (2.0, 3.0, 'cracked.')]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..captions.segmentation import Cue, break_lines
from ..speech.transcript import Word

__all__ = ["cue_from_dict", "cue_to_dict", "edit_cues", "merge", "retext", "split"]


def cue_to_dict(cue: Cue) -> dict[str, Any]:
    """A cue as the editor shows it: times, one line of text, words with their times."""
    return {"start": cue.start, "end": cue.end, "text": cue.text,
            "words": [w.to_dict() for w in cue.words]}


def _time(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name}={value!r} must be a number of seconds >= 0")
    return float(value)


def cue_from_dict(data: Any, old: Sequence[Cue] = ()) -> Cue:
    """An edited cue; its words keep their times (see [retext][]).

    Args:
        data: ``{"start", "end", "text", "words"}`` as [cue_to_dict][] writes it.
        old: The cues before the edit: a cue whose times and text are unchanged comes back
            as it was (its own line breaks).

    Raises:
        ValueError: Missing or bad times, end not after start, or text that is not text.
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"expected a cue object, got {type(data).__name__}")
    start, end = _time(data.get("start"), "start"), _time(data.get("end"), "end")
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError(f"text={text!r} must be text")
    words = tuple(Word.from_dict(w) for w in data.get("words") or ())
    for cue in old:
        if (cue.start, cue.end, cue.text, cue.words) == (start, end, text, words):
            return cue
    if not text.split():
        raise ValueError("text is empty; delete the cue or give it words")
    return retext(Cue(start, end, (text,), words), text)


def retext(cue: Cue, text: str) -> Cue:
    """``cue`` showing ``text``: same times; words renamed, or re-timed when their count changed.

    With as many words as before, each word keeps its time (a misheard word corrected).
    Otherwise the words share the cue's spoken span in proportion to their length.
    """
    tokens = text.split()
    lines = break_lines(tokens)
    if not cue.words:
        return Cue(cue.start, cue.end, lines, ())
    if len(tokens) == len(cue.words):
        words = tuple(Word(w.start, w.end, t, w.probability)
                      for w, t in zip(cue.words, tokens, strict=True))
        return Cue(cue.start, cue.end, lines, words)
    first, last = cue.words[0].start, cue.words[-1].end
    total = sum(len(t) + 1 for t in tokens)
    timed: list[Word] = []
    at = first
    for token in tokens:
        step = (last - first) * (len(token) + 1) / total
        timed.append(Word(round(at, 3), round(at + step, 3), token))
        at += step
    return Cue(cue.start, cue.end, lines, tuple(timed))


def split(cue: Cue, at: int) -> tuple[Cue, Cue]:
    """Split ``cue`` at character ``at`` of its text (between two words).

    Raises:
        ValueError: ``at`` is not between two words.
    """
    text = cue.text
    left, right = text[:at].split(), text[at:].split()
    if not left or not right or (0 < at < len(text) and not text[at - 1].isspace()
                                 and not text[at].isspace()):
        raise ValueError(f"split at character {at} of {text!r}: put the cursor between two "
                         "words")
    if cue.words and len(cue.words) == len(left) + len(right):
        middle = cue.words[len(left)].start
        if cue.start < middle < cue.end:
            return (Cue(cue.start, middle, break_lines(left), cue.words[:len(left)]),
                    Cue(middle, cue.end, break_lines(right), cue.words[len(left):]))
    share = len(" ".join(left)) / max(1, len(" ".join(left + right)))
    middle = round(cue.start + (cue.end - cue.start) * share, 3)
    return (Cue(cue.start, middle, break_lines(left), ()),
            Cue(middle, cue.end, break_lines(right), ()))


def merge(first: Cue, second: Cue) -> Cue:
    """One cue from ``first`` to the end of ``second``, every word keeping its time."""
    words = first.words + second.words if first.words and second.words else ()
    return Cue(min(first.start, second.start), max(first.end, second.end),
               break_lines([*first.text.split(), *second.text.split()]), words)


def edit_cues(cues: Sequence[Cue], requests: Sequence[Mapping[str, Any]]) -> tuple[Cue, ...]:
    """Apply the editor's requests: ``"split": index`` and ``"merge": true`` (with the next).

    Args:
        cues: The cues, each already corrected ([cue_from_dict][]).
        requests: One mapping per cue, the cue's own document entry.

    Returns:
        The cues in time order.

    Raises:
        ValueError: A split not between words, or a merge of the last cue.
    """
    out: list[Cue] = []
    pending = False
    for index, (cue, request) in enumerate(zip(cues, requests, strict=True)):
        at = request.get("split")
        if at is not None:
            if isinstance(at, bool) or not isinstance(at, int):
                raise ValueError(f"captions[{index}].split={at!r} must be a character index")
            pieces = list(split(cue, at))
        else:
            pieces = [cue]
        if pending:
            pieces[0] = merge(out.pop(), pieces[0])
        out.extend(pieces)
        pending = request.get("merge") is True
        if pending and index == len(cues) - 1:
            raise ValueError(f"captions[{index}] is the last cue; there is no next cue to "
                             "merge it with")
    return tuple(sorted(out, key=lambda c: (c.start, c.end)))
