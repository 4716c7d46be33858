r"""WebVTT cue text: tags, character references and colour classes, read into styled runs.

Follows the cue text rules of the WebVTT specification (W3C), as players do: ``<b>``,
``<i>``, ``<u>`` are formatting; ``<c.class>`` gives a colour when the class is one of the
specification's colour classes (``white``, ``lime``, ``cyan``, ``red``, ``yellow``,
``magenta``, ``blue``, ``black``) or a ``::cue(.class) { color: ... }`` rule of the file's
``STYLE`` blocks; ``<v Speaker>``, ``<lang>``, ``<ruby>``/``<rt>`` and inline timestamps such
as ``<00:17.500>`` are markup whose text is shown plainly; every other ``<...>`` is an
unknown tag and is dropped, as the specification says. ``&amp;``, ``&lt;``, ``&nbsp;`` and
any other HTML character reference become their character. A ``<`` with no ``>`` after it
is text. ``{\pos(0,0)}`` and ``\N`` are ordinary text in WebVTT and stay literal.

Example:
    >>> line, = vtt_markup("<v Ana>Look <i>here</i> &amp; <c.yellow>there</c>")
    >>> [(run.text, run.italic, run.color) for run in line]  # doctest: +NORMALIZE_WHITESPACE
    [('Look ', False, None), ('here', True, None), (' & ', False, None),
     ('there', False, '#ffff00')]
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from ...colors import Color
from ..ass import unprotect
from ..runs import Line, Run, merge_runs

__all__ = ["CLASS_COLORS", "style_classes", "vtt_markup"]

CLASS_COLORS: Mapping[str, str] = {
    "white": "#ffffff", "lime": "#00ff00", "cyan": "#00ffff", "red": "#ff0000",
    "yellow": "#ffff00", "magenta": "#ff00ff", "blue": "#0000ff", "black": "#000000",
}
"""The WebVTT specification's default text colour classes."""

_TOKEN = re.compile(r"<([^<>]*)>|&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_STYLES = {"b": "bold", "i": "italic", "u": "underline"}
_RULE = re.compile(r"::cue\(\s*(?:c)?\.([-\w]+)\s*\)\s*\{([^}]*)\}")
_COLOR = re.compile(r"(?:^|[;\s])color\s*:\s*([^;}]+)")
_RGB = re.compile(r"rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)")


def _css_color(value: str) -> str | None:
    value = value.strip().removesuffix("!important").strip()
    rgb = _RGB.match(value)
    if rgb:
        return "#" + "".join(f"{min(255, int(part)):02x}" for part in rgb.groups())
    try:
        return Color.parse(value).hex[:7]
    except ValueError:
        return None


def style_classes(css: str) -> dict[str, str]:
    """Class -> colour from ``::cue(.name) { color: ... }`` rules of STYLE blocks.

    Example:
        >>> style_classes("::cue(c.colorCCCCCC) { color: rgb(204,204,204); }")
        {'colorCCCCCC': '#cccccc'}
    """
    out: dict[str, str] = {}
    for name, body in _RULE.findall(css):
        found = _COLOR.search(body)
        color = _css_color(found.group(1)) if found else None
        if color is not None:
            out[name] = color
    return out


def vtt_markup(text: str, classes: Mapping[str, str] | None = None) -> list[Line]:
    """The lines of a WebVTT cue's text as styled runs.

    Args:
        text: The cue text (lines joined by newlines).
        classes: Extra class colours from the file's STYLE blocks (see [style_classes][]).

    Returns:
        One tuple of runs per line (merged, empty runs dropped).
    """
    colors = {**CLASS_COLORS, **(classes or {})}
    lines: list[list[Run]] = [[]]
    open_tags: list[tuple[str, str | None]] = []  # (name, colour of a <c> tag)

    def add(chunk: str) -> None:
        look = {name: any(tag == key for tag, _ in open_tags) for key, name in _STYLES.items()}
        color = next((c for tag, c in reversed(open_tags) if c is not None), None)
        for index, part in enumerate(chunk.split("\n")):
            if index:
                lines.append([])
            lines[-1].append(Run(unprotect(part), color=color, **look))

    pos = 0
    for match in _TOKEN.finditer(text):
        add(text[pos:match.start()])
        pos = match.end()
        if match.group(2) is not None:
            add(html.unescape(match.group(0)))
            continue
        tag = match.group(1)
        if tag.startswith("/"):
            name = tag[1:].strip().split(".")[0].lower()
            for index in range(len(open_tags) - 1, -1, -1):
                if open_tags[index][0] == name:
                    del open_tags[index:]
                    break
            continue
        head = re.split(r"\s", tag, maxsplit=1)[0]
        name, *names = head.split(".")
        name = name.lower()
        if name in ("b", "i", "u", "c", "v", "lang", "ruby", "rt"):
            color = next((colors[n] for n in reversed(names) if n in colors), None)
            open_tags.append((name, color))
        # any other tag (an inline timestamp, an unknown name) is dropped
    add(text[pos:])
    return [merge_runs(line) for line in lines]
