"""Jobs from files: a folder of recipes, or a CSV / JSON Lines table with one job per row.

A row names the input and, in plain columns, what a support team usually fills in: the
order number, the date, a title, the platform. Any other key of a recipe works in JSON Lines
(``"box": [{"rect": [...]}]``). Relative paths resolve against the table's folder. A row with
a mistake becomes a job that fails with a [RecipeError][evidence_annotate.recipe.RecipeError]
naming the row; the other rows still run.

==============  ==============================================================
column          meaning
==============  ==============================================================
``input``       the video (required)
``output``      the video to write (default ``<input>-evidence.mp4``)
``name``        the job's name in reports (default ``<table>:<row>``)
``order``       order number for the title card (with ``date``)
``date``        order or delivery date for the title card
``title``       one line on what is wrong (title card)
``platform``    ``aliexpress``, ``shopee``, ... (export limits)
``fit``         ``split`` or ``trim``
``model``       transcribe with this Whisper model (size or folder)
``language``    the narration's language (transcription)
``captions``    ``true``: burn captions from the transcript
``crf``         x264 quality (a whole number)
``speed``       x264 preset
==============  ==============================================================

Example:
    >>> from evidence_annotate.batch.files import row_recipe
    >>> row_recipe({"input": "a.mp4", "order": "8123", "date": "2026-11-20", "crf": "23"})
    {'input': 'a.mp4', 'crf': 23, 'title_card': {'order': '8123', 'date': '2026-11-20'}}
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..recipe import RecipeError, parse_recipe
from .jobs import Job, as_job

__all__ = ["TABLE_SUFFIXES", "load_jobs", "row_recipe"]

TABLE_SUFFIXES = (".csv", ".jsonl")
"""Suffixes of job tables (one job per row or line)."""

_CARD = ("order", "date", "title")
_SPEECH = ("model", "language")
_TRUE = ("1", "true", "yes", "y")
_FALSE = ("", "0", "false", "no", "n")


def _flag(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise RecipeError(key, f"expected true or false, got {value!r}")


def row_recipe(row: Mapping[str, Any]) -> dict[str, Any]:
    """Recipe data from one row: plain columns become the recipe's tables.

    Empty cells count as absent; ``crf`` becomes a number; ``order``/``date``/``title``
    make the title card, ``model``/``language`` a transcription, ``captions`` burned
    captions. Every other key passes through unchanged.

    Raises:
        RecipeError: A ``captions`` or ``crf`` cell that is not what it should be.
    """
    data = {k: v for k, v in row.items() if k is not None and k != "name"
            and not (isinstance(v, str) and not v.strip())}
    card = {key: str(data.pop(key)) for key in _CARD if key in data}
    speech = {key: data.pop(key) for key in _SPEECH if key in data}
    captions = _flag(data.pop("captions"), "captions") if "captions" in data else False
    if isinstance(data.get("crf"), str):
        try:
            data["crf"] = int(data["crf"])
        except ValueError:
            raise RecipeError("crf", f"expected a whole number, got {data['crf']!r}") from None
    if card:
        data["title_card"] = {**card, **data.get("title_card", {})}
    if speech or captions:
        data["transcribe"] = {**speech, **data.get("transcribe", {})}
    if captions:
        data.setdefault("captions", {})
    return data


def _rows(table: Path) -> list[tuple[int, Mapping[str, Any] | RecipeError]]:
    """(row number, data or what is wrong) for every job row of a table."""
    try:
        text = table.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise RecipeError("", f"cannot read the jobs file {table}: {err}") from None
    rows: list[tuple[int, Mapping[str, Any] | RecipeError]] = []
    if table.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or "input" not in reader.fieldnames:
            raise RecipeError("", f"{table}: the first row must name the columns, with at least "
                                  "'input' (e.g. input,order,date,platform)")
        return [(reader.line_num, row) for row in reader if any((v or "").strip()
                                                                 for v in row.values())]
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as err:
            rows.append((number, RecipeError("", f"not JSON: {err}")))
            continue
        rows.append((number, value if isinstance(value, dict) else RecipeError(
            "", "each line must be a JSON object, e.g. {\"input\": \"clip.mp4\"}")))
    return rows


def _table_jobs(table: Path) -> list[Job]:
    jobs = []
    base = table.resolve().parent
    for number, row in _rows(table):
        where = f"{table.name}:{number}"
        name = str(row.get("name") or where) if isinstance(row, Mapping) else where
        try:
            if isinstance(row, RecipeError):
                raise row
            recipe = parse_recipe(row_recipe(row), base=base, source=table)
            jobs.append(Job(recipe, name=name))
        except RecipeError as err:
            key = f"{where} {err.key}".strip()
            jobs.append(Job(RecipeError(key, err.problem), name=name))
    return jobs


def load_jobs(*paths: str | os.PathLike[str],
              exclude: Iterable[str | os.PathLike[str]] = ()) -> list[Job]:
    """The jobs named by recipe files, folders of recipes and job tables.

    Args:
        *paths: A recipe (``.toml``/``.json``); a folder (every recipe in it, sorted by name;
            manifests and job tables inside it are not read); a ``.csv`` or ``.jsonl`` table.
        exclude: Files a folder may hold that are not recipes (e.g. a JSON report).

    Returns:
        One [Job][evidence_annotate.batch.jobs.Job] per recipe or row; those that cannot
        be read fail when the batch runs (the others still run).

    Raises:
        RecipeError: A path that does not exist, an unreadable table, or a CSV without an
            ``input`` column.

    Example:
        >>> [job.name for job in load_jobs("disputes/")]             # doctest: +SKIP
        ['order-8123.toml', 'order-8124.toml']
        >>> len(load_jobs("today.csv"))                              # doctest: +SKIP
        212
    """
    jobs: list[Job] = []
    skip = {Path(p).resolve() for p in exclude}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            recipes = sorted(p for p in path.iterdir()
                             if p.suffix.lower() in (".toml", ".json") and p.is_file()
                             and not p.name.lower().endswith(".manifest.json")
                             and p.resolve() not in skip)
            if not recipes:
                raise RecipeError("", f"the folder {str(path)!r} holds no .toml or .json recipe")
            jobs += [as_job(p) for p in recipes]
        elif path.suffix.lower() in TABLE_SUFFIXES:
            jobs += _table_jobs(path)
        elif path.suffix.lower() in (".toml", ".json"):
            jobs.append(as_job(path))
        elif not path.exists():
            raise RecipeError("", f"{str(path)!r} does not exist; pass recipes (.toml, .json), "
                                  "a folder of them, or a jobs table (.csv, .jsonl)")
        else:
            raise RecipeError("", f"{str(path)!r} is not a recipe (.toml, .json), a folder or "
                                  "a jobs table (.csv, .jsonl)")
    return jobs
