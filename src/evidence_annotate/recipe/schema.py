"""Recipe values checked by key path, and tables derived from the API's own signatures.

Each check converts one value or raises [RecipeError][] whose message starts with the
key's path. [signature_schema][] derives a table's keys and checks from a function's
signature and type hints, so a recipe table (``[[box]]``) accepts exactly the keyword
arguments of the kind's ``create`` and cannot drift from it.

Example:
    >>> from evidence_annotate.overlays import Box
    >>> keys, required = signature_schema(Box.create, skip=1)
    >>> sorted(keys)[:3], required
    (['color', 'end', 'label'], ('rect',))
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import inspect
import json
import math
import os
import re
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from ..colors import ColorLike
from ..deliver.export import ExportResult
from ..errors import EvidenceAnnotateError
from ..geometry import PointLike, RectLike, rel
from ..timing import TimeLike
from ..tracks import Track, from_plain

__all__ = ["Check", "RecipeError", "api_error", "export_to", "signature_schema"]



class RecipeError(EvidenceAnnotateError):
    """A recipe has a wrong key or value; the message starts with the key's path.

    Attributes:
        key: Where the mistake is (``"box[1].rect"``; ``""`` for the whole file).
        problem: What is wrong and how to fix it.
    """

    __module__ = "evidence_annotate.recipe"  # its public home (pickles and tracebacks)

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(key, problem)
        self.key = key
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.key}: {self.problem}" if self.key else self.problem


Check = Callable[[Any, str], Any]
"""Validates and converts one value; raises [RecipeError][] naming the key path."""


def _kind(value: Any) -> str:
    """A value as a recipe would spell it, shortened for messages."""
    if not isinstance(value, (list, str, bool, int, float)):
        return type(value).__name__
    try:
        text = json.dumps(value)
    except (RecursionError, ValueError, TypeError):
        text = f"a {type(value).__name__}"
    return text if len(text) <= 80 else f"{text[:60]}…{text[-10:]}"


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise RecipeError(key, f"expected text in quotes, got {_kind(value)}")
    return value


def _number(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RecipeError(key, f"expected a number, got {_kind(value)}")
    return float(value)


def _integer(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecipeError(key, f"expected a whole number, got {_kind(value)}")
    return value


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise RecipeError(key, f"expected true or false, got {_kind(value)}")
    return value


def _texts(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise RecipeError(key, f"expected a list of text, e.g. [\"creation_time\"], got "
                               f"{_kind(value)}")
    return tuple(_text(v, f"{key}[{i}]") for i, v in enumerate(value))


def _text_or_texts(value: Any, key: str) -> str | tuple[str, ...]:
    """One text, or a list of texts (e.g. ``language = ["id", "en"]``: candidates)."""
    return _texts(value, key) if isinstance(value, list) else _text(value, key)


def _time(value: Any, key: str) -> float | str:
    if isinstance(value, str):
        return value
    return _number(value, key)


def _geometry(count: int) -> Check:
    what = "[x, y]" if count == 2 else "[x, y, w, h]"

    def check(value: Any, key: str) -> Any:
        if isinstance(value, Mapping):
            if set(value) != {"rel"}:
                raise RecipeError(key, f"expected {count} numbers or {{ rel = [...] }} "
                                       f"(fractions of the frame), got keys {sorted(value)}")
            fractions = _numbers(value["rel"], f"{key}.rel", count)
            try:
                return rel(*fractions)
            except ValueError as err:
                raise RecipeError(f"{key}.rel", str(err)) from None
        return _numbers(value, key, count, what)
    return check


def _numbers(value: Any, key: str, count: int, what: str = "") -> tuple[float, ...]:
    ok = isinstance(value, list) and len(value) == count and all(
        not isinstance(v, bool) and isinstance(v, (int, float)) for v in value)
    if not ok:
        hint = f" {what}" if what else ""
        raise RecipeError(key, f"expected {count} numbers{hint}, got {_kind(value)}")
    return tuple(value)


def _path(base: Path) -> Check:
    def check(value: Any, key: str) -> Path:
        text = _text(value, key)
        if not text.strip():
            raise RecipeError(key, "expected a file path, got empty text")
        path = Path(os.path.expanduser(text))
        return path if path.is_absolute() else base / path
    return check


def _fields(value: Any, key: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise RecipeError(key, f"expected a table of text, e.g. {{ Seller = \"Acme\" }}, "
                               f"got {_kind(value)}")
    return {str(k): _text(v, f"{key}.{k}") for k, v in value.items()}


def _options(style_type: type[Any]) -> Check:
    """A table whose keys are the fields of a style/rules dataclass (nested where they nest)."""
    def check(value: Any, key: str) -> Any:
        if not isinstance(value, Mapping):
            raise RecipeError(key, f"expected a table of {style_type.__name__} fields, got "
                                   f"{_kind(value)}")
        known = {f.name: f for f in dataclasses.fields(style_type)}
        kwargs: dict[str, Any] = {}
        for name, item in value.items():
            where = f"{key}.{name}"
            if name not in known:
                raise RecipeError(where, _unknown(name, known))
            default = known[name].default
            if dataclasses.is_dataclass(default) and isinstance(item, Mapping):
                kwargs[name] = _options(type(default))(item, where)
            elif isinstance(default, frozenset) and isinstance(item, list):
                kwargs[name] = frozenset(_text(v, f"{where}[{i}]") for i, v in enumerate(item))
            elif isinstance(default, enum.Enum):
                try:
                    kwargs[name] = type(default)(item)
                except ValueError:
                    choices = ", ".join(str(m.value) for m in type(default))
                    raise RecipeError(where, f"expected one of {choices}, got {_kind(item)}") \
                        from None
            else:
                kwargs[name] = item
        try:
            return style_type(**kwargs)
        except (TypeError, ValueError) as err:
            raise api_error(key, kwargs, err) from None
    return check


def _unknown(name: str, known: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown key; {hint}expected one of: {', '.join(known)}"


def _table(value: Any, key: str, schema: Mapping[str, Check],
           required: tuple[str, ...] = ()) -> dict[str, Any]:
    """Check a table against its schema; return the converted keyword arguments."""
    if not isinstance(value, Mapping):
        raise RecipeError(key, f"expected a table, got {_kind(value)}")
    out: dict[str, Any] = {}
    for name, item in value.items():
        where = f"{key}.{name}" if key else str(name)
        if name not in schema:
            raise RecipeError(where, _unknown(str(name), schema))
        out[name] = schema[name](item, where)
    for name in required:
        if name not in out:
            where = f"{key}.{name}" if key else name
            raise RecipeError(where, "missing; this key is required")
    return out




_NONE = type(None)


def _choice(values: tuple[Any, ...]) -> Check:
    def check(value: Any, key: str) -> Any:
        if value not in values:
            raise RecipeError(key, f"expected one of {', '.join(map(str, values))}, got "
                                   f"{_kind(value)}")
        return value
    return check


def _region(count: int) -> Check:
    """Geometry, or a track: a list of ``{ t = ..., rect = [x, y, w, h] }`` keyframes."""
    geometry = _geometry(count)

    def check(value: Any, key: str) -> Any:
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            try:
                return from_plain(value, key)
            except ValueError as err:
                raise RecipeError(key, str(err)) from None
        return geometry(value, key)
    return check


def _check_for(hint: Any, name: str) -> Check:
    """The check for one parameter's type hint (``X | None`` checks as ``X``)."""
    args = frozenset(get_args(hint)) - {_NONE}
    plain = next(iter(args)) if len(args) == 1 else hint
    if Track in args:
        return _region(4 if args - {Track} == frozenset(get_args(RectLike)) else 2)
    if args == frozenset(get_args(RectLike)):
        return _geometry(4)
    if args == frozenset(get_args(PointLike)):
        return _geometry(2)
    if args == frozenset(get_args(TimeLike)):
        return _time
    if args == {str, tuple[str, ...]}:
        return _text_or_texts
    if args == frozenset(get_args(ColorLike)) or str in args or plain is str:
        return _text
    if plain is bool:
        return _flag
    if plain is int:
        return _integer
    if plain is float:
        return _number
    if get_origin(plain) is Literal:
        return _choice(get_args(plain))
    if get_origin(plain) in (Mapping, dict, typing.Mapping):
        return _fields
    if isinstance(plain, type) and dataclasses.is_dataclass(plain):
        return _options(plain)
    raise TypeError(f"parameter {name!r}: no recipe check for type {hint!r}")


def signature_schema(func: Callable[..., Any], *,
                     skip: int = 0) -> tuple[dict[str, Check], tuple[str, ...]]:
    """The recipe table of a function: its parameters' checks and the required ones.

    Args:
        func: The API function (a kind's ``create``, ``Evidence.transcribe``, ...).
        skip: Leading parameters not given in recipes (``self``, the frame context).

    Returns:
        ``(checks by key, required keys)``.
    """
    hints = typing.get_type_hints(func)
    parameters = list(inspect.signature(func).parameters.values())[skip:]
    checks: dict[str, Check] = {}
    required: list[str] = []
    for parameter in parameters:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        checks[parameter.name] = _check_for(hints[parameter.name], parameter.name)
        if parameter.default is parameter.empty:
            required.append(parameter.name)
    return checks, tuple(required)


_PARAM = re.compile(r"^(?:[A-Z]\w*\.)?(\w+)(?:=|:| )")


def api_error(key: str, kwargs: Mapping[str, Any], err: Exception) -> RecipeError:
    """Point an API ValueError at the recipe key it names (``rect=...`` -> ``box[0].rect``)."""
    message = str(err)
    match = _PARAM.match(message)
    if match and match.group(1) in kwargs:
        return RecipeError(f"{key}.{match.group(1)}" if key else match.group(1), message)
    return RecipeError(key, message)


def export_to(run: Callable[..., ExportResult], output: Path, export: Mapping[str, Any],
              platform: str | None, fit: str | None, progress: bool) -> ExportResult:
    """Call an ``export`` method with a recipe's export options, errors by key path.

    ``run`` is ``Evidence.export`` or ``Storyboard.export``; ``platform`` and ``fit``
    (top-level recipe keys) join the ``[export]`` table's options.
    """
    kwargs = dict(export)
    if platform is not None:
        kwargs["platform"] = platform
    if fit is not None:
        kwargs["fit"] = fit
    try:
        return run(output, progress=progress, **kwargs)
    except ValueError as err:
        raise api_error("", kwargs, err) from None
