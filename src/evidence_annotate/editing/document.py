"""The editor's document: a plan as plain JSON a page edits, and edited documents back as plans.

The studio page and the notebook widget show and change the same document:

```json
{"title_card": {"order": "8123", "date": "2026-11-20", "title": "Cracked", "seconds": 3.0},
 "layers": [{"id": "l1", "kind": "box", "args": {"rect": [10, 20, 30, 40], "start": 1.0}}],
 "captions": [{"start": 1.5, "end": 3.0, "text": "It is cracked.", "words": [...]}]}
```

A layer's ``args`` are the keywords of its kind's ``create`` that JSON can hold (geometry,
times, labels, numbers); keywords it cannot (style dataclasses, card fields) stay on the
Python side under the layer's ``id``, so editing a box's rectangle keeps its style. Every
edited document is rebuilt through the kinds' own ``create``, so the editor accepts exactly
what the API accepts, with the API's messages.

Captions are cues; a cue may carry ``"split": <character index>`` (split it there, between
words) or ``"merge": true`` (join it with the next cue). Words keep their own times through
corrections, splits and merges (see [evidence_annotate.editing.cues][]).

Example:
    >>> from evidence_annotate.overlays import Context
    >>> editor = PlanEditor(Context((640, 360), 10.0))
    >>> doc = {"layers": [{"kind": "box", "args": {"rect": [10, 20, 30, 40], "start": 2}}]}
    >>> plan = editor.apply(Plan(), doc)
    >>> plan.layers[0].rect, plan.layers[0].span.start
    (Rect(x=10, y=20, w=30, h=40), 2.0)
    >>> editor.document(plan)["layers"][0]["args"]
    {'rect': [10, 20, 30, 40], 'start': 2.0}
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..captions.track import CaptionTrack
from ..cards import TitleCard
from ..errors import EvidenceAnnotateError
from ..overlays import KINDS, Context
from ..plan import Plan
from .calls import card_call, layer_call
from .cues import cue_from_dict, cue_to_dict, edit_cues

__all__ = ["CARD_KEYS", "EditError", "PlanEditor"]

CARD_KEYS = ("order", "date", "title", "seconds")
"""The title card's fields the editor shows (the rest of the card is kept as it was)."""


class EditError(EvidenceAnnotateError, ValueError):
    """An edited document the API refuses; the message starts with where (``layers[1]``).

    Attributes:
        where: The part of the document (``"layers[1].rect"``, ``"captions[3]"``, ...).
        problem: What is wrong and how to fix it.
    """

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(where, problem)
        self.where = where
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


def _jsonable(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    return isinstance(value, tuple) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)


def _to_json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _from_json(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class PlanEditor:
    """Turns plans into editor documents and edited documents back into plans.

    Args:
        ctx: The frame context of the clip (``Evidence.context``): edits are validated
            against its size and duration.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._kept: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)

    def document(self, plan: Plan) -> dict[str, Any]:
        """The plan as the editor's JSON document (layers get ids the next apply reuses)."""
        self._kept = {}
        layers = []
        for overlay in plan.layers:
            layer_id = f"l{next(self._ids)}"
            kwargs = layer_call(overlay, self.ctx).kwargs
            self._kept[layer_id] = {k: v for k, v in kwargs.items() if not _jsonable(v)}
            layers.append({"id": layer_id, "kind": overlay.kind,
                           "args": {k: _to_json(v) for k, v in kwargs.items() if _jsonable(v)},
                           "summary": overlay.describe()})
        card = None
        if plan.title_card is not None:
            kwargs = card_call(plan.title_card).kwargs
            card = {key: kwargs.get(key) for key in CARD_KEYS}
            card["seconds"] = plan.title_card.seconds
            self._kept["title_card"] = {k: v for k, v in kwargs.items() if k not in CARD_KEYS}
        captions = None
        if plan.captions is not None:
            captions = [cue_to_dict(cue) for cue in plan.captions.cues]
        return {"title_card": card, "layers": layers, "captions": captions}

    def apply(self, plan: Plan, doc: Any) -> Plan:
        """A new plan: ``plan`` with the title card, layers and captions of ``doc``.

        Keys missing from ``doc`` leave that part of the plan as it is. Layers come back
        grouped by kind in the registry's order (the order recipes apply them).

        Raises:
            EditError: A malformed document or a value the API refuses (the message names
                the part of the document, then the API's reason).
        """
        if not isinstance(doc, Mapping):
            raise EditError("document", f"expected a JSON object, got {type(doc).__name__}")
        unknown = set(doc) - {"title_card", "layers", "captions"}
        if unknown:
            raise EditError("document", f"unknown keys {sorted(unknown)}; expected "
                                        "title_card, layers, captions")
        changes: dict[str, Any] = {}
        if "title_card" in doc:
            changes["title_card"] = self._card(doc["title_card"])
        if "layers" in doc:
            changes["layers"] = self._layers(doc["layers"])
        if "captions" in doc:
            changes["captions"] = self._captions(plan.captions, doc["captions"])
        return replace(plan, **changes)

    def _card(self, data: Any) -> TitleCard | None:
        if data is None:
            return None
        if not isinstance(data, Mapping) or set(data) - set(CARD_KEYS):
            raise EditError("title_card", f"expected an object with keys {', '.join(CARD_KEYS)}")
        kwargs = {k: v for k, v in data.items() if v is not None}
        if not str(kwargs.get("title") or "").strip():
            kwargs.pop("title", None)
        try:
            return TitleCard.create(**{**self._kept.get("title_card", {}), **kwargs})
        except (TypeError, ValueError) as err:
            raise EditError("title_card", str(err)) from None

    def _layers(self, data: Any) -> tuple[Any, ...]:
        if not isinstance(data, list):
            raise EditError("layers", f"expected a list, got {type(data).__name__}")
        built = []
        for index, item in enumerate(data):
            where = f"layers[{index}]"
            if not isinstance(item, Mapping) or item.get("kind") not in KINDS:
                raise EditError(where, f"expected {{\"kind\": one of {', '.join(KINDS)}, "
                                       "\"args\": {...}}")
            kind = KINDS[item["kind"]]
            args = item.get("args", {})
            names = list(inspect.signature(kind.create).parameters)[1:]
            if not isinstance(args, Mapping) or set(args) - set(names):
                extra = sorted(set(args) - set(names)) if isinstance(args, Mapping) else args
                raise EditError(f"{where}.args", f"unknown keywords {extra}; {item['kind']} "
                                                 f"takes {', '.join(names)}")
            kept = self._kept.get(str(item.get("id")), {})
            kwargs = {**kept, **{k: _from_json(v) for k, v in args.items() if v is not None}}
            try:
                built.append(kind.create(self.ctx, **kwargs))
            except (TypeError, ValueError) as err:
                raise EditError(where, f"{item['kind']}: {err}") from None
        order = {name: i for i, name in enumerate(KINDS)}
        return tuple(sorted(built, key=lambda overlay: order[overlay.kind]))

    def _captions(self, track: CaptionTrack | None, data: Any) -> CaptionTrack | None:
        if data is None:
            return None
        if not isinstance(data, list):
            raise EditError("captions", f"expected a list of cues, got {type(data).__name__}")
        old = track.cues if track is not None else ()
        cues = []
        for index, item in enumerate(data):
            try:
                cues.append(cue_from_dict(item, old))
            except (TypeError, ValueError, KeyError) as err:
                raise EditError(f"captions[{index}]", str(err)) from None
        try:
            edited = edit_cues(cues, data)
        except ValueError as err:
            raise EditError("captions", str(err)) from None
        if track is None:
            return CaptionTrack(edited, "studio")
        styled = track.styled if edited == track.cues else None
        return replace(track, cues=edited, styled=styled)
