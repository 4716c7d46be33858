"""Detections as a JSON file a person reviews between detecting and redacting.

``evidence-annotate detect clip.mp4`` writes what the detectors found; the reviewer deletes
what is not private, adds regions of their own (any ``kind`` word and a track of
``{"t", "rect"}`` keyframes), and a recipe hides exactly those with
``redact = { detections = "clip.detections.json" }``. The file names the clip it was made
from (its name, size and duration) so a list is not applied to another clip by mistake.

Example:
    >>> from evidence_annotate.tracks import track
    >>> found = [Detection("face", track((0, (10, 20, 40, 40)), (2, (30, 20, 40, 40))),
    ...                    0.91, True)]
    >>> data = to_data(found, source="IMG_0042.MOV", size=(640, 360), duration=4.0)
    >>> data["detections"][0]["kind"], data["detections"][0]["track"][1]
    ('face', {'t': 2.0, 'rect': [30, 20, 40, 40]})
    >>> from_data(data, size=(640, 360), duration=4.0)[0] == found[0]
    True
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..output import atomic_output
from ..tracks import from_plain
from .redact import Detection

__all__ = ["FORMAT", "from_data", "load_findings", "save_findings", "to_data"]

FORMAT = "evidence-annotate/detections-1"
"""The ``format`` value of a detections file."""
_ITEM_KEYS = {"kind", "track", "score", "automatic"}


def to_data(detections: Sequence[Detection], *, source: str, size: tuple[int, int],
            duration: float) -> dict[str, Any]:
    """The JSON form of ``detections`` found in the clip ``source`` (a file name)."""
    return {
        "format": FORMAT,
        "clip": {"name": source, "size": list(size), "duration": round(duration, 3)},
        "detections": [{"kind": d.kind, "score": round(d.score, 3), "automatic": d.automatic,
                        "track": d.track.to_plain()} for d in detections],
    }


def from_data(data: object, *, size: tuple[int, int], duration: float,
              where: str = "detections file") -> list[Detection]:
    """Detections from the JSON form, checked against the clip they are for.

    Raises:
        ValueError: A missing or wrong key, naming its path, or a clip of another size.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{where}: not a detections file (expected \"format\": "
                         f"\"{FORMAT}\"); write one with `evidence-annotate detect CLIP`")
    clip = data.get("clip")
    if isinstance(clip, dict) and clip.get("size") not in (None, list(size)):
        raise ValueError(f"{where}: made for a {_size(clip.get('size'))} clip "
                         f"({clip.get('name')!r}), this one is {size[0]}x{size[1]}; "
                         "detect again on this clip")
    items = data.get("detections")
    if not isinstance(items, list):
        raise ValueError(f"{where}: \"detections\" must be a list of "
                         "{\"kind\", \"track\"} tables")
    found = []
    for index, item in enumerate(items):
        name = f"{where}: detections[{index}]"
        if not isinstance(item, dict) or "kind" not in item or "track" not in item:
            raise ValueError(f"{name} must be a table with \"kind\" and \"track\"")
        unknown = set(item) - _ITEM_KEYS
        if unknown:
            raise ValueError(f"{name}: unknown key {sorted(unknown)[0]!r}; expected "
                             f"{', '.join(sorted(_ITEM_KEYS))}")
        kind, score, automatic = item["kind"], item.get("score", 1.0), \
            item.get("automatic", False)
        if not isinstance(kind, str) or not 0 < len(kind) <= 40 or not kind.isprintable():
            raise ValueError(f"{name}.kind={kind!r} must be a word or two, e.g. \"face\"")
        if isinstance(score, bool) or not isinstance(score, (int, float)) \
                or not 0 <= score <= 1 or not math.isfinite(score):
            raise ValueError(f"{name}.score={score!r} must be a number 0..1")
        if not isinstance(automatic, bool):
            raise ValueError(f"{name}.automatic={automatic!r} must be true or false")
        track = from_plain(item["track"], f"{name}.track")
        track.resolve(size, duration, f"{name}.track")
        found.append(Detection(kind, track, float(score), automatic))
    return found


def _size(value: object) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0]}x{value[1]}"
    return repr(value)


def save_findings(path: str | Path, detections: Sequence[Detection], *, source: Path,
                  size: tuple[int, int], duration: float) -> Path:
    """Write ``detections`` for review (atomically; never over ``source``); return the path.

    Raises:
        OutputError: The path is the clip itself, has another suffix than ``.json``, or
            cannot be written.
    """
    data = to_data(detections, source=source.name, size=size, duration=duration)
    with atomic_output(path, inputs=(source,), suffixes=(".json",)) as tmp:
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return Path(path)


def load_findings(path: str | Path, *, size: tuple[int, int],
                  duration: float) -> list[Detection]:
    """Read a reviewed detections file for a clip of ``size`` and ``duration``.

    Raises:
        InputError: The file is missing or not JSON.
        ValueError: A wrong key or value (see [from_data][]).
    """
    file = Path(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"the detections file {str(file)!r} does not exist; write it with "
                         "`evidence-annotate detect CLIP -o FILE`", file) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"the detections file {str(file)!r} cannot be read as JSON "
                         f"({err}); fix it or detect again", file) from None
    return from_data(data, size=size, duration=duration, where=file.name)
