"""Plain data for manifests and notebooks: any plan value as JSON-ready dicts and lists.

Example:
    >>> from evidence_annotate.geometry import Rect
    >>> to_plain({"rect": Rect(1, 2, 3, 4), "end": None})
    {'rect': {'x': 1, 'y': 2, 'w': 3, 'h': 4}, 'end': None}
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from .colors import Color

__all__ = ["to_plain"]


def to_plain(value: Any) -> Any:
    """Convert a value into JSON-ready data (dicts, lists, str, numbers, bool, None).

    Dataclasses become dictionaries of their fields, named tuples (``Rect``, ``Point``)
    dictionaries, colours ``#rrggbbaa``, paths and fractions strings, non-finite floats text.
    """
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, enum.Enum):
        return to_plain(value.value)
    if isinstance(value, (Path, Fraction)):
        return str(value)
    if isinstance(value, Color):
        return value.hex
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # Rect, Point
        return {k: to_plain(v) for k, v in value._asdict().items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_plain(v) for v in value), key=str)
    return str(value)
