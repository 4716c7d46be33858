"""Styled runs: the formatting of a caption line as plain data (no markup in the plan).

A [Cue][evidence_annotate.captions.segmentation.Cue] read from a subtitle file with
formatting (``<i>``, ``<b>``, ``<u>``, ``<s>``, ``<font color>`` in SRT; ``<i>``, ``<b>``,
``<u>``, colour classes in WebVTT) keeps its plain ``lines`` (what a viewer reads) and, per
line, a tuple of [Run][]: pieces of text with the same look. The runs of a line always
join to the line. Only [runs_to_ass][evidence_annotate.captions.ass.runs_to_ass] turns runs into
markup (ASS override tags, with the text escaped), and each file format writes its own tags
back.

Example:
    >>> line = (Run("Do "), Run("not", italic=True), Run(" open"))
    >>> line_text(line)
    'Do not open'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from ..colors import Color

__all__ = ["Line", "Run", "line_text", "merge_runs"]


@dataclass(frozen=True)
class Run:
    """A piece of a caption line with one look.

    Attributes:
        text: The characters, shown literally (never markup).
        italic: Italic.
        bold: Bold.
        underline: Underlined.
        strike: Struck through.
        color: Text colour as ``#rrggbb``, or ``None`` for the caption style's colour.

    Example:
        >>> Run("red", color="RED").color
        '#ff0000'
    """

    text: str
    italic: bool = False
    bold: bool = False
    underline: bool = False
    strike: bool = False
    color: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise ValueError(f"Run.text={self.text!r} must be a string")
        if self.color is not None:
            try:
                parsed = Color.parse(self.color)
            except ValueError as err:
                raise ValueError(f"Run.color: {err}") from None
            object.__setattr__(self, "color", parsed.hex[:7])

    @property
    def plain(self) -> bool:
        """Whether the run has no formatting at all."""
        return not (self.italic or self.bold or self.underline or self.strike or self.color)

    def look(self) -> tuple[bool, bool, bool, bool, str | None]:
        """Everything but the text (runs with the same look can be merged)."""
        return (self.italic, self.bold, self.underline, self.strike, self.color)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping: ``text`` and only the formatting that is set."""
        data: dict[str, Any] = {"text": self.text}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "text" and value not in (False, None):
                data[f.name] = value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Run:
        """Build a run from [to_dict][] output."""
        color = data.get("color")
        return cls(str(data["text"]), bool(data.get("italic", False)),
                   bool(data.get("bold", False)), bool(data.get("underline", False)),
                   bool(data.get("strike", False)), None if color is None else str(color))


Line = tuple[Run, ...]
"""The runs of one caption line."""


def line_text(line: Sequence[Run]) -> str:
    """The plain text of a line of runs."""
    return "".join(run.text for run in line)


def merge_runs(runs: Sequence[Run]) -> Line:
    """Join neighbours with the same look and drop empty runs.

    Example:
        >>> merge_runs([Run("a", bold=True), Run(""), Run("b", bold=True)])
        (Run(text='ab', italic=False, bold=True, underline=False, strike=False, color=None),)
    """
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and out[-1].look() == run.look():
            out[-1] = replace(out[-1], text=out[-1].text + run.text)
        else:
            out.append(run)
    return tuple(out)
