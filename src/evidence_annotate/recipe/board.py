"""Storyboard recipes: one ``[[segment]]`` table per clip, photo or slide, in order.

A segment names exactly one of ``clip``, ``image`` (a photo or screenshot) or ``slide``
(text); its own tables are the fluent calls on it: ``trim``, ``cut``, one ``[[segment.box]]``
(or any overlay kind) per overlay, ``transcribe``, ``captions``, ``[[segment.freeze]]``
and ``[[segment.speed]]``. Top-level keys as in clip recipes (``output``, ``platform``,
``fit``, ``title_card``, ``crf``, ...) plus ``size``, ``fps`` and ``background``. Errors
name their key path: ``segment[1].box[0].rect: ...``.

```toml
output = "evidence.mp4"
platform = "aliexpress"
fit = "speed"
[title_card]
order = "8123456789012"
date = "2026-11-20"

[[segment]]
clip = "package.mp4"
trim = [0, 4]
[[segment.text]]
text = "Box arrived crushed"
at = [40, 40]

[[segment]]
image = "listing.png"
seconds = 3

[[segment]]
slide = "The seller refused a refund on 2026-11-21"
```

Example:
    >>> recipe = parse_board({"segment": [{"slide": "Box crushed"}], "output": "o.mp4"},
    ...                      base=Path("/v"))
    >>> recipe.output, recipe.segments[0][1]
    (PosixPath('/v/o.mp4'), 'slide')
    >>> parse_board({"segment": [{"slide": "x", "box": [{"rect": [1]}]}]},
    ...             base=Path("."))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    evidence_annotate.recipe.RecipeError: segment[0].box[0].rect: expected 4 numbers ...
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..deliver.export import ExportResult
from ..deliver.pipeline import FIT_MODES
from ..evidence import Evidence, Still, Storyboard, image, slide, storyboard
from ..evidence import open as open_evidence
from ..platforms import platforms
from . import _EXPORT, _TITLE_CARD, _TRANSCRIBE, _layer_tables, _read, caption_schema
from .schema import (
    Check,
    RecipeError,
    _kind,
    _number,
    _path,
    _table,
    _text,
    _time,
    api_error,
    export_to,
)

__all__ = ["BoardRecipe", "is_board", "load_board_recipe", "parse_board"]

Call = tuple[str, str, Mapping[str, Any]]


def is_board(data: Mapping[str, Any]) -> bool:
    """Whether recipe data describes a storyboard (it has ``[[segment]]`` tables)."""
    return "segment" in data


def _pair(value: Any, key: str) -> list[float | str]:
    if not isinstance(value, list) or len(value) != 2:
        raise RecipeError(key, f"expected [start, end], got {_kind(value)}")
    return [_time(v, f"{key}[{i}]") for i, v in enumerate(value)]


def _pairs(value: Any, key: str) -> list[list[float | str]]:
    if not isinstance(value, list):
        raise RecipeError(key, f"expected a list of [start, end] pairs, got {_kind(value)}")
    return [_pair(v, f"{key}[{i}]") for i, v in enumerate(value)]


def _size(value: Any, key: str) -> tuple[int, int]:
    if not isinstance(value, list) or len(value) != 2 or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise RecipeError(key, f"expected [width, height] in pixels, got {_kind(value)}")
    return (value[0], value[1])


_FREEZE: dict[str, Check] = {"at": _time, "seconds": _number}
_SPEED: dict[str, Check] = {"factor": _number, "start": _time, "end": _time}
_SOURCES = ("clip", "image", "slide")


@dataclass(frozen=True)
class BoardRecipe:
    """A validated storyboard recipe.

    Attributes:
        output: The file to write.
        segments: ``(key path, kind, source, options, calls)`` per segment: the kind is
            ``"clip"``, ``"image"`` or ``"slide"``, the source a path or the slide's text.
        platform: Platform name, if any.
        fit: ``"speed"``, ``"trim"`` or ``"split"``, if any.
        card: The title card's keyword arguments, if any.
        board: ``size``, ``fps`` and ``background`` of [storyboard][evidence_annotate.storyboard].
        export: Further keyword arguments of the export (crf, speed, ...).
        source: The recipe file, if any.
    """

    output: Path
    segments: tuple[tuple[str, str, Any, Mapping[str, Any], tuple[Call, ...]], ...]
    platform: str | None = None
    fit: str | None = None
    card: Mapping[str, Any] | None = None
    board: Mapping[str, Any] = field(default_factory=dict)
    export: Mapping[str, Any] = field(default_factory=dict)
    source: Path | None = None

    def storyboard(self, *, progress: bool = True) -> Storyboard:
        """Build every segment and the board.

        Raises:
            InputError: A clip or image cannot be read.
            RecipeError: A value the API rejects, with its key path.
        """
        built: list[Evidence | Still] = []
        for key, kind, source, options, calls in self.segments:
            try:
                segment: Evidence | Still = (
                    open_evidence(source) if kind == "clip" else
                    image(source, **options) if kind == "image" else slide(source, **options))
            except ValueError as err:
                raise api_error(key, options, err) from None
            for where, method, kwargs in calls:
                args = dict(kwargs)
                if method == "transcribe":
                    args["progress"] = progress
                try:
                    segment = _call(segment, method, args)
                except ValueError as err:
                    raise api_error(where, kwargs, err) from None
            built.append(segment)
        try:
            board = storyboard(*built, **self.board)
            return board.title_card(**self.card) if self.card is not None else board
        except ValueError as err:
            raise api_error("", {**self.board, **(self.card or {})}, err) from None

    def run(self, *, progress: bool = True) -> ExportResult:
        """Build the board and export it to ``output``."""
        return export_to(self.storyboard(progress=progress).export, self.output, self.export,
                         self.platform, self.fit, progress)


def _call(segment: Evidence | Still, method: str, args: dict[str, Any]) -> Evidence | Still:
    if isinstance(segment, Evidence) and method == "trim":
        start, end = args["range"]
        return segment.trim(start, end)
    if isinstance(segment, Evidence) and method == "cut":
        return segment.cut(args["ranges"])
    if method == "freeze":
        return segment.freeze(**args)
    if method == "speed":
        return segment.speed(**args)
    result: Evidence | Still = getattr(segment, method)(**args)
    return result


def _segment(entry: Any, key: str, base: Path) -> tuple[str, str, Any, Mapping[str, Any],
                                                        tuple[Call, ...]]:
    if not isinstance(entry, Mapping):
        raise RecipeError(key, f"expected a table ([[segment]] in TOML), got {_kind(entry)}")
    given = [name for name in _SOURCES if name in entry]
    if len(given) != 1:
        raise RecipeError(key, "give exactly one of clip = \"a.mp4\", image = \"a.png\" or "
                               f"slide = \"text\" (got {', '.join(given) or 'none'})")
    kind = given[0]
    layers = _layer_tables()
    lists = dict(layers)
    lists.update({"freeze": (_FREEZE, ("at",)), "speed": (_SPEED, ("factor",))})
    plain: dict[str, Check] = {"clip": _path(base), "image": _path(base), "slide": _text,
                               "seconds": _number, "size": _size}
    if kind == "clip":
        plain.update({"trim": _pair, "cut": _pairs, "transcribe": lambda v, k: v,
                      "captions": lambda v, k: v})
    schema: dict[str, Check] = {**plain, **{name: lambda v, k: v for name in lists}}
    top = _table(entry, key, schema)
    if kind == "clip" and ("seconds" in top or "size" in top):
        raise RecipeError(f"{key}.{'seconds' if 'seconds' in top else 'size'}",
                          "a clip plays for its own length; use trim = [start, end]")
    if kind == "image" and "size" in top:
        raise RecipeError(f"{key}.size", "an image keeps its own size; remove size")
    options: dict[str, Any] = {name: top[name] for name in ("seconds", "size") if name in top}
    calls: list[Call] = []
    if "trim" in top:
        calls.append((f"{key}.trim", "trim", {"range": top["trim"]}))
    if "cut" in top:
        calls.append((f"{key}.cut", "cut", {"ranges": top["cut"]}))
    for name, (table_schema, required) in lists.items():
        if name in ("freeze", "speed") or name not in top:
            continue
        calls += _entries(top[name], f"{key}.{name}", name, table_schema, required)
    if "transcribe" in top:
        calls.append((f"{key}.transcribe", "transcribe",
                      _table(top["transcribe"], f"{key}.transcribe", _TRANSCRIBE)))
    if "captions" in top:
        calls.append((f"{key}.captions", "captions",
                      _table(top["captions"], f"{key}.captions", caption_schema(base))))
    for name in ("freeze", "speed"):
        if name in top:
            calls += _entries(top[name], f"{key}.{name}", name, *lists[name])
    return key, kind, top[kind], options, tuple(calls)


def _entries(value: Any, key: str, method: str, schema: Mapping[str, Check],
             required: tuple[str, ...]) -> list[Call]:
    if not isinstance(value, list):
        raise RecipeError(key, f"expected a list of tables ([[...{method}]] in TOML), got "
                               f"{_kind(value)}")
    return [(f"{key}[{i}]", method, _table(entry, f"{key}[{i}]", schema, required))
            for i, entry in enumerate(value)]


def parse_board(data: Mapping[str, Any], *, base: Path,
                source: Path | None = None) -> BoardRecipe:
    """Validate a storyboard recipe's data and resolve its paths against ``base``.

    Raises:
        RecipeError: A wrong key or value, naming its path.
    """
    schema: dict[str, Check] = {
        "output": _path(base), "platform": _text, "fit": _text, **_EXPORT,
        "title_card": lambda v, k: v, "segment": lambda v, k: v, "size": _size,
        "fps": _number, "background": _text,
    }
    top = _table(data, "", schema, required=("segment",))
    platform, fit = top.get("platform"), top.get("fit")
    if platform is not None and platform not in platforms():
        raise RecipeError("platform", f"unknown platform {platform!r}; expected one of "
                                      f"{', '.join(platforms())}")
    if fit is not None and fit not in FIT_MODES:
        raise RecipeError("fit", f"expected one of {', '.join(FIT_MODES)}, got {_kind(fit)}")
    if fit is not None and platform is None:
        raise RecipeError("fit", "needs a platform whose limits to fit, e.g. "
                                 "platform = \"aliexpress\"")
    entries = top["segment"]
    if not isinstance(entries, list) or not entries:
        raise RecipeError("segment", "expected one or more [[segment]] tables")
    segments = tuple(_segment(entry, f"segment[{i}]", base) for i, entry in enumerate(entries))
    card = _table(top["title_card"], "title_card", *_TITLE_CARD) if "title_card" in top \
        else None
    fps = top.get("fps")
    if fps is not None and (fps != int(fps)):
        raise RecipeError("fps", f"expected a whole number of frames per second, got {fps!r}")
    board: dict[str, Any] = {k: (int(top[k]) if k == "fps" else top[k])
                             for k in ("size", "fps", "background") if k in top}
    output = top.get("output") or base / "evidence.mp4"
    return BoardRecipe(output, segments, platform, fit, card, board,
                       {k: top[k] for k in _EXPORT if k in top}, source)


def load_board_recipe(path: str | os.PathLike[str]) -> BoardRecipe:
    """Read a storyboard recipe (``.toml`` or ``.json``); paths resolve against its folder.

    Raises:
        RecipeError: Unreadable file, syntax error, or a wrong key or value (by key path).

    Example:
        >>> ea.load_board_recipe("dispute.toml").run()          # doctest: +SKIP
    """
    data = _read(path)
    file = Path(path)
    return parse_board(data, base=file.resolve().parent, source=file)
