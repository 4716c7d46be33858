r"""Fluent calls as recipe TOML: the text ``load_recipe`` reads back into the same calls.

Only what recipes hold is written: text, numbers, booleans, lists of numbers and (for styles
and title card fields) inline tables. Strings are TOML basic strings with every control
character escaped, so a label such as ``"quoted" \N {\b1}`` comes back literally.

Example:
    >>> from evidence_annotate.editing.calls import Call
    >>> print(recipe_text([Call("box", {"rect": (1, 2, 3, 4), "label": 'say "hi"'})],
    ...                   input="clip.mp4"))
    input = "clip.mp4"
    <BLANKLINE>
    [[box]]
    rect = [1, 2, 3, 4]
    label = "say \"hi\""
    <BLANKLINE>
"""

from __future__ import annotations

import dataclasses
import enum
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..colors import Color
from ..overlays import KINDS
from ..tracks import Track
from .calls import Call, nondefault_fields

__all__ = ["recipe_text", "toml_key", "toml_value"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    """A key, bare when it can be, quoted otherwise.

    Example:
        >>> toml_key("Seller"), toml_key("Order no.")
        ('Seller', '"Order no."')
    """
    return key if _BARE.match(key) else _string(key)


def toml_value(value: Any) -> str:
    """One value as TOML: inline tables for dataclasses (their changed fields) and mappings.

    Raises:
        ValueError: A value TOML cannot hold (``None`` inside a table, a non-finite number).

    Example:
        >>> from evidence_annotate.overlays import BoxStyle
        >>> toml_value(BoxStyle(thickness=5, color="#00ff00"))
        '{ color = "#00ff00", thickness = 5 }'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"value={value!r} is not a finite number; a recipe cannot hold it")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, Color):
        return _string(value.hex)
    if isinstance(value, Track):  # a region that moves: its keyframes
        return toml_value(value.to_plain())
    if isinstance(value, enum.Enum):
        return toml_value(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = nondefault_fields(value)
        for name, item in changed.items():
            if item is None:
                raise ValueError(f"{type(value).__name__}.{name}=None cannot be written to a "
                                 "recipe (TOML has no null) while its default is "
                                 f"{getattr(type(value)(), name)!r}; give it a value, e.g. "
                                 "a transparent colour \"#00000000\"")
        return _inline(changed)
    if isinstance(value, Mapping):
        return _inline({str(k): v for k, v in value.items()})
    if isinstance(value, (frozenset, set)):
        return toml_value(sorted(value, key=str))
    if isinstance(value, Sequence):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise ValueError(f"value={value!r} ({type(value).__name__}) cannot be written to a recipe; "
                     "use text, numbers, booleans or lists")


def _inline(table: Mapping[str, Any]) -> str:
    items = [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items() if v is not None]
    return "{ " + ", ".join(items) + " }" if items else "{}"


def _table(header: str, kwargs: Mapping[str, Any]) -> list[str]:
    return [header, *(f"{toml_key(k)} = {toml_value(v)}" for k, v in kwargs.items()
                      if v is not None), ""]


def recipe_text(calls: Sequence[Call], *, input: str, output: str | None = None,
                platform: str | None = None, captions: Mapping[str, Any] | None = None) -> str:
    """A recipe: top-level keys, ``[title_card]``, one ``[[kind]]`` per layer, ``[captions]``.

    Layer tables are grouped by kind in the registry's order, the order recipes apply them,
    so a plan whose layers are grouped that way (the studio keeps them so) comes back with
    the same layers in the same order.

    Args:
        calls: The fluent calls ([plan_calls][evidence_annotate.editing.calls.plan_calls]).
        input: The clip, as the recipe should name it (relative to the recipe's folder).
        output: The video to write, if not the default.
        platform: The platform to export for, if any.
        captions: The ``[captions]`` table (``source``, ``style``), if captions are burned.

    Returns:
        The TOML text.
    """
    lines = [f"input = {toml_value(input)}"]
    if output is not None:
        lines.append(f"output = {toml_value(output)}")
    if platform is not None:
        lines.append(f"platform = {toml_value(platform)}")
    lines.append("")
    order = {"title_card": -1} | {name: i for i, name in enumerate(KINDS)}
    for call in sorted(calls, key=lambda c: order.get(c.method, len(order))):
        header = f"[{call.method}]" if call.method == "title_card" else f"[[{call.method}]]"
        lines += _table(header, call.kwargs)
    if captions is not None:
        lines += _table("[captions]", captions)
    return "\n".join(lines)

