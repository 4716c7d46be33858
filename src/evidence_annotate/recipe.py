"""Recipes: the public API as data (TOML or JSON), for the ``evidence-annotate render`` command.

A recipe names the input and output, optionally a platform, and one table per call of the
fluent API; keys mirror the methods' parameter names. Relative paths resolve against the
recipe's folder. Every mistake is reported as a :class:`RecipeError` whose message starts with
the key's path (``box[1].rect: expected 4 numbers, got [10, 20]``); arrays of tables count
from 0, so ``box[1]`` is the second ``[[box]]``.

```toml
input = "unboxing.mp4"
platform = "aliexpress"
[[box]]
rect = [296, 112, 60, 324]      # or rect = { rel = [0.35, 0.23, 0.07, 0.68] }
label = "Crack"
```

The full reference is ``docs/recipes.md``.

Example:
    >>> recipe = parse_recipe({"input": "clip.mp4", "box": [{"rect": [1, 2, 3, 4]}]},
    ...                       base=Path("/videos"))
    >>> recipe.input, recipe.output
    (PosixPath('/videos/clip.mp4'), PosixPath('/videos/clip-evidence.mp4'))
    >>> parse_recipe({"input": "clip.mp4", "box": [{"rect": [1, 2]}]}, base=Path("."))
    Traceback (most recent call last):
    ...
    evidence_annotate.recipe.RecipeError: box[0].rect: expected 4 numbers [x, y, w, h], got [1, 2]
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import json
import math
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .captions import CaptionRules, CaptionStyle
from .errors import EvidenceAnnotateError
from .evidence import Evidence
from .evidence import open as open_evidence
from .export import ExportResult
from .platforms import platforms
from .styles import ArrowStyle, BoxStyle, TextStyle, TitleCardStyle
from .units import rel

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Recipe", "RecipeError", "load_recipe", "parse_recipe"]


class RecipeError(EvidenceAnnotateError):
    """A recipe has a wrong key or value; the message starts with the key's path.

    Attributes:
        key: Where the mistake is (``"box[1].rect"``; ``""`` for the whole file).
        problem: What is wrong and how to fix it.
    """

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(key, problem)
        self.key = key
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.key}: {self.problem}" if self.key else self.problem


Check = Callable[[Any, str], Any]
"""Validates and converts one value; raises :class:`RecipeError` naming the key path."""


def _kind(value: Any) -> str:
    return json.dumps(value) if isinstance(value, (list, str, bool, int, float)) \
        else type(value).__name__


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
            raise _api_error(key, kwargs, err) from None
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


_TIMES: dict[str, Check] = {"start": _time, "end": _time}
_LAYERS: dict[str, tuple[dict[str, Check], tuple[str, ...]]] = {
    "box": ({"rect": _geometry(4), **_TIMES, "color": _text, "thickness": _integer,
             "label": _text, "radius": _integer, "style": _options(BoxStyle)}, ("rect",)),
    "arrow": ({"tail": _geometry(2), "head": _geometry(2), **_TIMES, "color": _text,
               "thickness": _integer, "label": _text, "style": _options(ArrowStyle)},
              ("tail", "head")),
    "text": ({"text": _text, "at": _geometry(2), **_TIMES, "style": _options(TextStyle)},
             ("text",)),
    "blur": ({"rect": _geometry(4), **_TIMES, "method": _text, "blocks": _integer},
             ("rect",)),
}
_TITLE_CARD: dict[str, Check] = {"order": _text, "date": _text, "title": _text,
                                 "seconds": _number, "fields": _fields,
                                 "style": _options(TitleCardStyle)}
_TRANSCRIBE: dict[str, Check] = {"model": _text, "language": _text, "device": _text,
                                 "compute_type": _text, "vad": _flag, "hotwords": _text,
                                 "initial_prompt": _text, "cache": _flag}
_EXPORT: dict[str, Check] = {"crf": _integer, "speed": _text, "audio_bitrate": _text,
                             "keep_metadata": _texts, "manifest": _flag}
_FITS = ("split", "trim")
_PARAM = re.compile(r"^(?:[A-Z]\w*\.)?(\w+)(?:=|:| )")


@dataclass(frozen=True)
class Recipe:
    """A validated recipe: what to open, which calls to make, and where to export.

    Attributes:
        input: The source clip.
        output: The file to write.
        platform: Platform name for the export (``None`` = no platform limits).
        fit: How to meet the platform's limits (``"split"`` or ``"trim"``), if at all.
        calls: ``(key path, method name, keyword arguments)`` in the order they are applied.
        export: Further keyword arguments of :meth:`Evidence.export` (crf, speed, ...).
        source: The recipe file, if it came from one.
    """

    input: Path
    output: Path
    platform: str | None = None
    fit: str | None = None
    calls: tuple[tuple[str, str, Mapping[str, Any]], ...] = ()
    export: Mapping[str, Any] = field(default_factory=dict)
    source: Path | None = None

    def evidence(self, *, progress: bool = True) -> Evidence:
        """Open the input and apply every call of the recipe.

        Args:
            progress: Show progress bars (transcription).

        Returns:
            The planned :class:`~evidence_annotate.evidence.Evidence`.

        Raises:
            InputError: The input cannot be read.
            RecipeError: A value the API rejects (outside the frame, bad time, ...), with its
                key path.
            ModelError: The transcription model cannot be loaded.

        Example:
            >>> load_recipe("recipe.toml").evidence().duration    # doctest: +SKIP
            13.0
        """
        ev = open_evidence(self.input)
        for key, method, kwargs in self.calls:
            args = dict(kwargs)
            if method == "transcribe":
                args["progress"] = progress
            try:
                ev = getattr(ev, method)(**args)
            except ValueError as err:
                raise _api_error(key, kwargs, err) from None
        return ev

    def run(self, *, progress: bool = True) -> ExportResult:
        """Build the evidence and export it to :attr:`output`.

        Returns:
            The :class:`~evidence_annotate.export.ExportResult`.

        Example:
            >>> load_recipe("recipe.toml").run().path           # doctest: +SKIP
            PosixPath('evidence.mp4')
        """
        ev = self.evidence(progress=progress)
        kwargs = dict(self.export)
        if self.platform is not None:
            kwargs["platform"] = self.platform
        if self.fit is not None:
            kwargs["fit"] = self.fit
        try:
            return ev.export(self.output, progress=progress, **kwargs)
        except ValueError as err:
            raise _api_error("", kwargs, err) from None


def _api_error(key: str, kwargs: Mapping[str, Any], err: Exception) -> RecipeError:
    """Point an API ValueError at the recipe key it names (``rect=...`` -> ``box[0].rect``)."""
    message = str(err)
    match = _PARAM.match(message)
    if match and match.group(1) in kwargs:
        return RecipeError(f"{key}.{match.group(1)}" if key else match.group(1), message)
    return RecipeError(key, message)


def parse_recipe(data: Mapping[str, Any], *, base: Path, source: Path | None = None) -> Recipe:
    """Validate recipe data (as read from TOML or JSON) and resolve its paths against ``base``.

    Args:
        data: The recipe's top-level table.
        base: The folder relative paths resolve against (the recipe's folder).
        source: The recipe file, for messages.

    Returns:
        The :class:`Recipe`.

    Raises:
        RecipeError: A wrong key or value, naming its path.

    Example:
        >>> parse_recipe({"input": "a.mp4", "output": "b.mp4", "blur": [{"rect": [0, 0, 9, 9]}]},
        ...              base=Path("/v")).calls[0][:2]
        ('blur[0]', 'blur')
    """
    schema: dict[str, Check] = {
        "input": _path(base), "output": _path(base), "platform": _text, "fit": _text,
        **_EXPORT, "title_card": lambda v, k: v, "transcribe": lambda v, k: v,
        "captions": lambda v, k: v, **{name: lambda v, k: v for name in _LAYERS},
    }
    top = _table(data, "", schema, required=("input",))
    platform = top.get("platform")
    if platform is not None and platform not in platforms():
        raise RecipeError("platform", f"unknown platform {platform!r}; expected one of "
                                      f"{', '.join(platforms())}")
    fit = top.get("fit")
    if fit is not None and fit not in _FITS:
        raise RecipeError("fit", f"expected one of {', '.join(_FITS)}, got {_kind(fit)}")
    if fit is not None and "platform" not in top:
        raise RecipeError("fit", "needs a platform whose limits to fit, e.g. "
                                 "platform = \"aliexpress\"")
    calls: list[tuple[str, str, Mapping[str, Any]]] = []
    if "title_card" in top:
        calls.append(("title_card", "title_card", _table(
            top["title_card"], "title_card", _TITLE_CARD, ("order", "date"))))
    for name, (layer_schema, required) in _LAYERS.items():
        entries = top.get(name, [])
        if not isinstance(entries, list):
            raise RecipeError(name, f"expected a list of tables ([[{name}]] in TOML), got "
                                    f"{_kind(entries)}")
        for i, entry in enumerate(entries):
            where = f"{name}[{i}]"
            calls.append((where, name, _table(entry, where, layer_schema, required)))
    if "transcribe" in top:
        calls.append(("transcribe", "transcribe",
                      _table(top["transcribe"], "transcribe", _TRANSCRIBE)))
    if "captions" in top:
        caption_schema: dict[str, Check] = {"source": _path(base), "karaoke": _flag,
                                            "rules": _options(CaptionRules),
                                            "style": _options(CaptionStyle)}
        calls.append(("captions", "captions",
                      _table(top["captions"], "captions", caption_schema)))
    input_path: Path = top["input"]
    output = top.get("output") or input_path.with_name(f"{input_path.stem}-evidence.mp4")
    return Recipe(input_path, output, top.get("platform"), fit, tuple(calls),
                  {k: top[k] for k in _EXPORT if k in top}, source)


def load_recipe(path: str | os.PathLike[str]) -> Recipe:
    """Read a ``.toml`` or ``.json`` recipe file and validate it.

    Args:
        path: The recipe; relative paths inside it resolve against its folder.

    Returns:
        The :class:`Recipe`.

    Raises:
        RecipeError: Unreadable file, syntax error, or a wrong key or value.

    Example:
        >>> load_recipe("dispute.toml").output                 # doctest: +SKIP
        PosixPath('/home/me/videos/evidence.mp4')
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise RecipeError("", f"{file}: a recipe must be a .toml or .json file, not "
                              f"{suffix or 'a file without a suffix'!r}")
    try:
        raw = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RecipeError("", f"cannot read the recipe {file}: {err}") from None
    try:
        data = tomllib.loads(raw) if suffix == ".toml" else json.loads(raw)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as err:
        raise RecipeError("", f"{file} is not valid {suffix[1:].upper()}: {err}") from None
    if not isinstance(data, dict):
        raise RecipeError("", f"{file}: the recipe must be a table/object at the top level")
    return parse_recipe(data, base=file.resolve().parent, source=file)
