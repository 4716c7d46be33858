"""The plan back from a manifest: every layer, the title card, the captions and the cuts.

A manifest records the plan as plain data (see
[plan_to_dict][evidence_annotate.deliver.manifest.plan_to_dict]). [plan_from_dict][] reads
it back into the same immutable [Plan][evidence_annotate.plan.Plan], using each field's type
hint to turn dictionaries into dataclasses, lists into tuples and numbers into enums, so a
third party can render the edit again from the original recording alone.

Example:
    >>> from evidence_annotate.overlays import Box
    >>> from evidence_annotate.geometry import Rect
    >>> from evidence_annotate.timing import Span
    >>> from evidence_annotate.deliver.manifest import plan_to_dict
    >>> plan = Plan(layers=(Box(Rect(10, 20, 30, 40), Span(0.5, 2.0), label="Crack"),))
    >>> plan_from_dict(plan_to_dict(plan)) == plan
    True
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Union

from ..captions.segmentation import Cue
from ..captions.style import CaptionStyle
from ..captions.track import CaptionTrack
from ..cards import TitleCard
from ..colors import Color
from ..errors import InputError
from ..overlays import KINDS
from ..plan import Plan
from ..speech.pii_record import SpeechRedaction
from ..timing import Span

__all__ = ["PlanDataError", "from_plain", "plan_from_dict"]


class PlanDataError(InputError):
    """The plan recorded in a manifest cannot be read back into a plan.

    Attributes:
        path: The manifest (``"plan"`` when the data did not come from a file).
    """

    def __init__(self, message: str, path: str | Path = "plan") -> None:
        super().__init__(message, path)


@functools.lru_cache(maxsize=128)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fail(where: str, hint: Any, value: Any) -> PlanDataError:
    shown = repr(value)
    shown = shown if len(shown) <= 80 else f"{shown[:77]}..."
    name = getattr(hint, "__name__", None) or str(hint)
    return PlanDataError(f"{where}={shown} cannot be read as {name}; the manifest's plan was "
                         "changed or written by a newer version of evidence_annotate")


def _union(hint: Any, value: Any, where: str) -> Any:
    options = typing.get_args(hint)
    if value is None and type(None) in options:
        return None
    for option in options:  # the first option that takes the value as it is
        if option is not type(None) and _plain_match(option, value):
            return from_plain(option, value, where)
    for option in options:
        if option is type(None):
            continue
        try:
            return from_plain(option, value, where)
        except PlanDataError:
            continue
    raise _fail(where, hint, value)


def _plain_match(hint: Any, value: Any) -> bool:
    """Whether a JSON value already is a value of a simple type (no conversion needed)."""
    if hint is Any:
        return True
    if hint in (str, bool):
        return isinstance(value, hint)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return False


def _sequence(hint: Any, value: Any, where: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if not isinstance(value, list):
        raise _fail(where, hint, value)
    if origin in (frozenset, set):
        return origin(from_plain(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(from_plain(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is list:
        return [from_plain(args[0], v, f"{where}[{i}]") for i, v in enumerate(value)]
    if len(args) != len(value):
        raise _fail(where, hint, value)
    pairs = enumerate(zip(args, value, strict=True))
    return tuple(from_plain(a, v, f"{where}[{i}]") for i, (a, v) in pairs)


def _record(cls: type, value: Any, where: str) -> Any:
    """A dataclass or named tuple from a dictionary of its fields."""
    if not isinstance(value, Mapping):
        raise _fail(where, cls, value)
    hints = _hints(cls)
    names = (list(cls._fields) if hasattr(cls, "_fields")  # a named tuple: Rect, Point
             else [f.name for f in dataclasses.fields(cls) if f.init])
    unknown = set(value) - set(names)
    if unknown:
        raise PlanDataError(f"{where} has {', '.join(sorted(unknown))}, which "
                            f"{cls.__name__} does not have; the manifest was written by a "
                            "newer version of evidence_annotate or changed")
    given = {name: from_plain(hints[name], value[name], f"{where}.{name}")
             for name in names if name in value}
    try:
        return cls(**given)
    except (TypeError, ValueError) as err:
        raise PlanDataError(f"{where} is not a valid {cls.__name__}: {err}") from None


def from_plain(hint: Any, value: Any, where: str = "plan") -> Any:
    """Turn plain JSON data back into a value of type ``hint`` (the inverse of ``to_plain``).

    Args:
        hint: The type (a class, ``X | None``, ``tuple[X, ...]``, ``Literal[...]``, ...).
        value: The JSON value.
        where: The value's place, for messages (e.g. ``"plan.layers[0].rect"``).

    Returns:
        The value.

    Raises:
        PlanDataError: The value does not fit the type (names ``where``).

    Example:
        >>> from evidence_annotate.geometry import Rect
        >>> from_plain(tuple[Rect, ...], [{"x": 1, "y": 2, "w": 3, "h": 4}])
        (Rect(x=1, y=2, w=3, h=4),)
    """
    origin = typing.get_origin(hint)
    if hint is Any or hint is object:
        return value
    if origin is Union or isinstance(hint, types.UnionType):
        return _union(hint, value, where)
    if origin is Literal:
        if value in typing.get_args(hint) and type(value) in map(type, typing.get_args(hint)):
            return value
        raise _fail(where, hint, value)
    if origin in (tuple, list, frozenset, set):
        return _sequence(hint, value, where)
    if hint is type(None):
        if value is None:
            return None
        raise _fail(where, hint, value)
    if hint in (str, bool, int, float):
        if not _plain_match(hint, value):
            raise _fail(where, hint, value)
        return float(value) if hint is float else value
    if hint is Path:
        if not isinstance(value, str):
            raise _fail(where, hint, value)
        return Path(value)
    if hint is Color:
        if not isinstance(value, str):
            raise _fail(where, hint, value)
        try:
            return Color.parse(value)
        except ValueError as err:
            raise PlanDataError(f"{where}: {err}") from None
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            raise _fail(where, hint, value) from None
    if isinstance(hint, type) and (dataclasses.is_dataclass(hint) or hasattr(hint, "_fields")):
        return _record(hint, value, where)
    raise PlanDataError(f"{where}: values of type {hint!r} cannot be read back from a manifest "
                        "by this version of evidence_annotate; update it")


def _layer(data: Any, index: int) -> Any:
    where = f"plan.layers[{index}]"
    if not isinstance(data, Mapping) or not isinstance(data.get("kind"), str):
        raise PlanDataError(f"{where} has no kind; the manifest's plan was changed")
    kind = KINDS.get(data["kind"])
    if kind is None:
        raise PlanDataError(f"{where} is of kind {data['kind']!r}, which this version of "
                            f"evidence_annotate does not know (it knows {', '.join(KINDS)}); "
                            "re-check with the version named in the manifest")
    fields = {k: v for k, v in data.items() if k not in ("kind", "start", "end")}
    fields["span"] = {"start": data.get("start"), "end": data.get("end")}
    layer = _record(kind, fields, where)
    if not isinstance(layer.span, Span):
        raise PlanDataError(f"{where} has no time window")
    return layer


def _cues(data: Any, where: str) -> tuple[Cue, ...]:
    value: tuple[Cue, ...] = from_plain(tuple[Cue, ...], data, where)
    return value


def _captions(data: Any) -> CaptionTrack | None:
    if data is None:
        return None
    if not isinstance(data, Mapping) or "cues" not in data:
        raise PlanDataError("plan.captions records no cues (a version 1 manifest records only "
                            "their SHA-256); re-export with this version to re-check captions")
    tracks = tuple((str(label), _cues(cues, f"plan.captions.tracks[{i}]"))
                   for i, (label, cues) in enumerate(data.get("tracks") or ()))
    return CaptionTrack(
        cues=_cues(data["cues"], "plan.captions.cues"),
        origin=from_plain(str, data.get("origin", "transcript"), "plan.captions.origin"),
        style=from_plain(CaptionStyle | None, data.get("style"), "plan.captions.style"),
        karaoke=from_plain(bool, data.get("karaoke", False), "plan.captions.karaoke"),
        styled=from_plain(str | None, data.get("styled"), "plan.captions.styled"),
        tracks=tracks)


def plan_from_dict(data: Mapping[str, Any]) -> Plan:
    """Read a manifest's ``plan`` back into a ``Plan`` (``evidence_annotate.plan.Plan``).

    Args:
        data: The ``plan`` object of a manifest (version 2: captions with their cues).

    Returns:
        The plan, equal to the one that was exported (the captions' source file is not
        recorded: it is ``None``).

    Raises:
        PlanDataError: A layer of an unknown kind, a value that does not fit its type, or
            captions recorded without their cues.
    """
    if not isinstance(data, Mapping):
        raise PlanDataError("the manifest's plan is not an object")
    layers = data.get("layers") or []
    if not isinstance(layers, list):
        raise PlanDataError("plan.layers is not a list")
    return Plan(layers=tuple(_layer(layer, i) for i, layer in enumerate(layers)),
                title_card=from_plain(TitleCard | None, data.get("title_card"),
                                      "plan.title_card"),
                captions=_captions(data.get("captions")),
                keep=from_plain(tuple[tuple[float, float], ...] | None, data.get("keep"),
                                "plan.keep"),
                speech_redactions=from_plain(tuple[SpeechRedaction, ...],
                                             data.get("speech_redactions", []),
                                             "plan.speech_redactions"))
