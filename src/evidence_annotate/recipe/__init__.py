"""Recipes: the public API as data (TOML or JSON), for the ``evidence-annotate render`` command.

A recipe names the input and output, optionally a platform, and one table per call of the
fluent API; keys mirror the methods' parameter names. Relative paths resolve against the
recipe's folder. Every mistake is reported as a [RecipeError][] whose message starts with
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

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from ..captions import CaptionRules, CaptionStyle
from ..captions.bilingual import Show
from ..cards import TitleCard
from ..deliver.export import ExportResult
from ..deliver.pipeline import FIT_MODES
from ..evidence import Evidence
from ..evidence import open as open_evidence
from ..overlays import KINDS, BlurMethod
from ..platforms import platforms
from ..speech.pii_mask import MASKS
from ..speech.pii_record import AUDIO_MODES
from ..vision.findings import load_findings
from .schema import (
    Check,
    RecipeError,
    _choice,
    _flag,
    _integer,
    _kind,
    _number,
    _options,
    _path,
    _table,
    _text,
    _text_or_texts,
    _texts,
    api_error,
    export_to,
    signature_schema,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Recipe", "RecipeError", "load_recipe", "parse_recipe"]




def _layer_tables() -> dict[str, tuple[dict[str, Check], tuple[str, ...]]]:
    """One ``[[kind]]`` table per registered overlay kind, keyed like its ``create``."""
    return {name: signature_schema(kind.create, skip=1) for name, kind in KINDS.items()}


_TITLE_CARD = signature_schema(TitleCard.create)
_TRANSCRIBE = signature_schema(Evidence.transcribe, skip=1)[0]
_REDACT_SPEECH: dict[str, Check] = {
    "kinds": _texts, "words": _texts, "keep": _texts, "region": _text_or_texts,
    "mask": _choice(MASKS), "audio": _choice(AUDIO_MODES), "pad": _number, "snap": _flag}
_TRANSCRIBE.pop("progress", None)
_REDACT: dict[str, Check] = {"faces": _flag, "text": _flag, "padding": _number,
                             "method": _choice(get_args(BlurMethod)), "blocks": _integer,
                             "every": _number, "hold": _number, "resolution": _integer}
"""``redact = { faces = true, text = true }``: ``Evidence.redact``'s keywords (regions of
your own are ``[[blur]]`` tables, tracks included), and ``detections = "FILE.json"``: a
reviewed list written by ``evidence-annotate detect``, hidden instead of detecting again."""
_EXPORT: dict[str, Check] = {"crf": _integer, "speed": _text, "audio_bitrate": _text,
                             "keep_metadata": _texts, "manifest": _flag}


def caption_schema(base: Path) -> dict[str, Check]:
    """The ``[captions]`` table: the keyword arguments of ``captions`` (paths from ``base``)."""
    return {"source": _path(base), "karaoke": _flag, "rules": _options(CaptionRules),
            "style": _options(CaptionStyle), "show": _choice(get_args(Show)),
            "allow_low_confidence": _flag}


@dataclass(frozen=True)
class Recipe:
    """A validated recipe: what to open, which calls to make, and where to export.

    Attributes:
        input: The source clip.
        output: The file to write.
        platform: Platform name for the export (``None`` = no platform limits).
        fit: How to meet the platform's limits (``"split"`` or ``"trim"``), if at all.
        calls: ``(key path, method name, keyword arguments)`` in the order they are applied.
        export: Further keyword arguments of [Evidence.export][] (crf, speed, ...).
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
            The planned [Evidence][evidence_annotate.evidence.Evidence].

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
            if method == "redact_speech" and ev.transcript is None:
                ev = ev.transcribe(progress=progress)
            try:
                if method == "redact" and isinstance(args.get("detections"), Path):
                    args["detections"] = load_findings(args["detections"], size=ev.info.size,
                                                       duration=ev.duration)
                ev = getattr(ev, method)(**args)
            except ValueError as err:
                raise api_error(key, kwargs, err) from None
        return ev

    def run(self, *, progress: bool = True) -> ExportResult:
        """Build the evidence and export it to ``output``.

        Returns:
            The [ExportResult][evidence_annotate.deliver.export.ExportResult].

        Example:
            >>> load_recipe("recipe.toml").run().path           # doctest: +SKIP
            PosixPath('evidence.mp4')
        """
        return export_to(self.evidence(progress=progress).export, self.output, self.export,
                         self.platform, self.fit, progress)


def parse_recipe(data: Mapping[str, Any], *, base: Path, source: Path | None = None) -> Recipe:
    """Validate recipe data (as read from TOML or JSON) and resolve its paths against ``base``.

    Args:
        data: The recipe's top-level table.
        base: The folder relative paths resolve against (the recipe's folder).
        source: The recipe file, for messages.

    Returns:
        The [Recipe][].

    Raises:
        RecipeError: A wrong key or value, naming its path.

    Example:
        >>> parse_recipe({"input": "a.mp4", "output": "b.mp4", "blur": [{"rect": [0, 0, 9, 9]}]},
        ...              base=Path("/v")).calls[0][:2]
        ('blur[0]', 'blur')
    """
    layers = _layer_tables()
    schema: dict[str, Check] = {
        "input": _path(base), "output": _path(base), "platform": _text, "fit": _text,
        **_EXPORT, "title_card": lambda v, k: v, "transcribe": lambda v, k: v,
        "captions": lambda v, k: v, "redact_speech": lambda v, k: v,
        "redact": lambda v, k: v,
        **{name: lambda v, k: v for name in layers},
    }
    if _depth(data) > MAX_DEPTH:
        raise RecipeError("", f"the recipe nests tables or lists more than {MAX_DEPTH} levels "
                              "deep; a recipe needs at most 4 (see docs/recipes.md)")
    top = _table(data, "", schema, required=("input",))
    platform = top.get("platform")
    if platform is not None and platform not in platforms():
        raise RecipeError("platform", f"unknown platform {platform!r}; expected one of "
                                      f"{', '.join(platforms())}")
    fit = top.get("fit")
    if fit is not None and fit not in FIT_MODES:
        raise RecipeError("fit", f"expected one of {', '.join(FIT_MODES)}, got {_kind(fit)}")
    if fit is not None and "platform" not in top:
        raise RecipeError("fit", "needs a platform whose limits to fit, e.g. "
                                 "platform = \"aliexpress\"")
    calls: list[tuple[str, str, Mapping[str, Any]]] = []
    if "title_card" in top:
        calls.append(("title_card", "title_card", _table(
            top["title_card"], "title_card", *_TITLE_CARD)))
    for name, (layer_schema, required) in layers.items():
        entries = top.get(name, [])
        if not isinstance(entries, list):
            raise RecipeError(name, f"expected a list of tables ([[{name}]] in TOML), got "
                                    f"{_kind(entries)}")
        for i, entry in enumerate(entries):
            where = f"{name}[{i}]"
            calls.append((where, name, _table(entry, where, layer_schema, required)))
    if "redact" in top:
        calls.append(("redact", "redact", _table(top["redact"], "redact",
                                                 {**_REDACT, "detections": _path(base)})))
    if "transcribe" in top:
        calls.append(("transcribe", "transcribe",
                      _table(top["transcribe"], "transcribe", _TRANSCRIBE)))
    if "redact_speech" in top:
        calls.append(("redact_speech", "redact_speech",
                      _table(top["redact_speech"], "redact_speech", _REDACT_SPEECH)))
    if "captions" in top:
        calls.append(("captions", "captions",
                      _table(top["captions"], "captions", caption_schema(base))))
    input_path: Path = top["input"]
    output = top.get("output") or input_path.with_name(f"{input_path.stem}-evidence.mp4")
    return Recipe(input_path, output, top.get("platform"), fit, tuple(calls),
                  {k: top[k] for k in _EXPORT if k in top}, source)


def _read(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a ``.toml`` or ``.json`` recipe's top-level table (see [load_recipe][])."""
    if not isinstance(path, (str, os.PathLike)):
        raise RecipeError("", f"recipe path {path!r} must be a file path (str or Path)")
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise RecipeError("", f"{file}: a recipe must be a .toml or .json file, not "
                              f"{suffix or 'a file without a suffix'!r}")
    if not file.is_file():
        where = "is a folder" if file.is_dir() else "does not exist"
        raise RecipeError("", f"the recipe {str(file)!r} {where}; check the path (current "
                              f"folder: {Path.cwd()})")
    try:
        raw = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise RecipeError("", f"cannot read the recipe {str(file)!r} ({reason}); check that "
                              "it is a readable UTF-8 text file") from None
    try:
        data = tomllib.loads(raw) if suffix == ".toml" else json.loads(raw)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as err:
        raise RecipeError("", f"{file} is not valid {suffix[1:].upper()}: {err}") from None
    except RecursionError:
        data = None
    if data is None or _depth(data) > MAX_DEPTH:
        raise RecipeError("", f"{file} nests tables or lists more than {MAX_DEPTH} levels "
                              "deep; a recipe needs at most 4 (see docs/recipes.md)")
    if not isinstance(data, dict):
        raise RecipeError("", f"{file}: the recipe must be a table/object at the top level")
    return data


def load_recipe(path: str | os.PathLike[str]) -> Recipe:
    """Read a ``.toml`` or ``.json`` recipe file and validate it.

    Args:
        path: The recipe; relative paths inside it resolve against its folder.

    Returns:
        The [Recipe][].

    Raises:
        RecipeError: Unreadable file, syntax error, or a wrong key or value.

    Example:
        >>> load_recipe("dispute.toml").output                 # doctest: +SKIP
        PosixPath('/home/me/videos/evidence.mp4')
    """
    data = _read(path)
    file = Path(path)
    if "segment" in data:
        raise RecipeError("segment", f"{file} is a storyboard recipe ([[segment]] tables); "
                                     "run it with `evidence-annotate render` or "
                                     "ea.load_board_recipe()")
    return parse_recipe(data, base=file.resolve().parent, source=file)


MAX_DEPTH = 32
"""The deepest nesting of tables and lists a recipe file may have."""


def _depth(data: Any) -> int:
    """How deeply tables and lists nest in ``data`` (without recursion)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        children = list(value.values()) if isinstance(value, dict) else \
            value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, level + 1) for child in children)
    return deepest
