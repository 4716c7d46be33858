"""A plan back into the fluent calls that build it: each layer as its kind's ``create`` keywords.

[layer_call][] is the inverse of a kind's ``create``: it reads the overlay's fields by the
names of ``create``'s parameters (``rect``, ``label``, ``style``, ...), its span as ``start``
and ``end``, leaves out defaults, and then PROVES the inverse by calling ``create`` again and
comparing, so a kind whose fields do not map onto its parameters fails loudly instead of
writing a recipe that draws something else. Recipes ([evidence_annotate.recipe.write][]),
the notebook widget's code and the studio's layer list all read plans through this module.

Example:
    >>> from evidence_annotate.overlays import KINDS, Context
    >>> ctx = Context((640, 360), 10.0)
    >>> box = KINDS["box"].create(ctx, (10, 20, 30, 40), start=2, label="Crack")
    >>> call = layer_call(box, ctx)
    >>> call.method, dict(call.kwargs)
    ('box', {'rect': (10, 20, 30, 40), 'start': 2.0, 'label': 'Crack'})
    >>> python_call(call)
    ".box((10, 20, 30, 40), start=2.0, label='Crack')"
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..cards import TitleCard
from ..geometry import Point, Rect
from ..overlays import KINDS, Context, Overlay
from ..plan import Plan
from ..tracks import Track

__all__ = ["Call", "card_call", "layer_call", "nondefault_fields", "plan_calls", "python_call",
           "python_code"]


@dataclass(frozen=True)
class Call:
    """One fluent call: ``ev.<method>(**kwargs)``.

    Attributes:
        method: The [Evidence][evidence_annotate.Evidence] method (``"title_card"``, ``"box"``).
        kwargs: Its keyword arguments as Python values the method accepts (rectangles and
            points as tuples of pixels, styles as their dataclasses), defaults left out.
    """

    method: str
    kwargs: Mapping[str, Any]


def _plain_geometry(value: Any) -> Any:
    if isinstance(value, (Rect, Point)):
        return tuple(int(v) for v in value)
    return value


def _field_defaults(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
    return out


def layer_call(overlay: Overlay, ctx: Context) -> Call:
    """The call of ``overlay``'s kind that rebuilds exactly this overlay.

    Args:
        overlay: A layer of a registered kind.
        ctx: The frame context the overlay was made for (``Evidence.context``).

    Returns:
        The [Call][]; ``KINDS[call.method].create(ctx, **call.kwargs) == overlay``.

    Raises:
        ValueError: The kind is not registered, or its fields do not map onto its
            ``create`` parameters (the message names the kind and what differed).
    """
    kind = type(overlay)
    if KINDS.get(overlay.kind) is not kind:
        raise ValueError(f"{overlay!r} is not an overlay of a registered kind; use one of "
                         f"{', '.join(KINDS)}")
    parameters = list(inspect.signature(kind.create).parameters.values())[1:]
    defaults = _field_defaults(overlay)
    names = {f.name for f in dataclasses.fields(overlay)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    unmatched: list[inspect.Parameter] = []
    for p in parameters:
        if p.name == "start":
            if overlay.span.start:
                kwargs["start"] = overlay.span.start
        elif p.name == "end":
            if overlay.span.end is not None:
                kwargs["end"] = overlay.span.end
        elif p.name in names:
            value = getattr(overlay, p.name)
            moving = getattr(overlay, "track", None)
            if moving is not None and "Track" in str(p.annotation) and p.name != "track":
                value = moving  # the region moves: its track, not its first rectangle
            if (p.name in defaults and value == defaults[p.name]) or value == p.default:
                continue
            kwargs[p.name] = _plain_geometry(value)
        elif p.annotation in (bool, "bool"):
            unmatched.append(p)
    # Parameters stored under another name (a flag that decides a field) are found by trying.
    for attempt in range(2 ** len(unmatched)):
        trial = dict(kwargs)
        for bit, p in enumerate(unmatched):
            flag = bool(attempt >> bit & 1)
            if flag != p.default:
                trial[p.name] = flag
        if kind.create(ctx, **trial) == overlay:
            return Call(overlay.kind, trial)
    raise ValueError(f"the {overlay.kind} layer {overlay!r} cannot be written as "
                     f"{overlay.kind}(...) keywords: its fields do not match the parameters of "
                     f"{kind.__name__}.create; give the kind fields named like its parameters")


def card_call(card: TitleCard) -> Call:
    """The ``title_card`` call that rebuilds ``card`` (a split export's part number is dropped).

    Example:
        >>> dict(card_call(TitleCard.create("8123", "2026-11-20", seconds=2)).kwargs)
        {'order': '8123', 'date': '2026-11-20', 'seconds': 2.0}
    """
    kwargs: dict[str, Any] = {"order": card.order, "date": card.date}
    if card.title is not None:
        kwargs["title"] = card.title
    if card.seconds != 3.0:
        kwargs["seconds"] = card.seconds
    if card.fields:
        kwargs["fields"] = dict(card.fields)
    if card.style != TitleCard("x", "x").style:
        kwargs["style"] = card.style
    return Call("title_card", kwargs)


def plan_calls(plan: Plan, ctx: Context) -> list[Call]:
    """The title card's call, then one call per layer, in plan order.

    Raises:
        ValueError: A layer cannot be written (see [layer_call][]).
    """
    calls = [card_call(plan.title_card)] if plan.title_card is not None else []
    return calls + [layer_call(layer, ctx) for layer in plan.layers]


def nondefault_fields(value: Any) -> dict[str, Any]:
    """A dataclass's fields that differ from their defaults (all fields without one).

    Example:
        >>> from evidence_annotate.overlays import BoxStyle
        >>> nondefault_fields(BoxStyle(thickness=5))
        {'thickness': 5}
    """
    defaults = _field_defaults(value)
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)
            if f.name not in defaults or getattr(value, f.name) != defaults[f.name]}


def python_value(value: Any) -> str:
    """A Python expression for ``value`` (styles as ``ea.<Style>(...)`` with their changes)."""
    if isinstance(value, Track):
        keys = ", ".join(f"({python_value(key.t)}, {python_value(_plain_geometry(key.rect))})"
                         for key in value.keys)
        return f"ea.track({keys})"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(f"{k}={python_value(v)}" for k, v in nondefault_fields(value).items())
        return f"ea.{type(value).__name__}({inner})"
    if isinstance(value, enum.Enum):
        return python_value(value.value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{python_value(k)}: {python_value(v)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(python_value(v) for v in value) + ("," if len(value) == 1 else "") \
            + ")"
    return repr(value)


def python_call(call: Call) -> str:
    """``.method(...)`` with required leading parameters positional, the rest as keywords."""
    kind = KINDS.get(call.method)
    positional: list[str] = []
    if kind is not None:
        for p in list(inspect.signature(kind.create).parameters.values())[1:]:
            if p.default is not p.empty or p.name not in call.kwargs:
                break
            positional.append(p.name)
    parts = [python_value(call.kwargs[name]) for name in positional]
    parts += [f"{k}={python_value(v)}" for k, v in call.kwargs.items() if k not in positional]
    return f".{call.method}({', '.join(parts)})"


def python_code(path: str, calls: list[Call], *, captions: str | None = None) -> str:
    """Python that rebuilds the plan: ``ea.open(path)`` then one chained call per line.

    Args:
        path: The clip to open.
        calls: The calls ([plan_calls][]).
        captions: A caption file to burn (``.captions(source=...)``), if any.

    Example:
        >>> print(python_code("clip.mp4", [Call("blur", {"rect": (1, 2, 3, 4)})]))
        import evidence_annotate as ea
        <BLANKLINE>
        ev = (ea.open('clip.mp4')
              .blur((1, 2, 3, 4)))
    """
    lines = [f"ev = (ea.open({path!r})"]
    lines += [f"      {python_call(call)}" for call in calls]
    if captions is not None:
        lines.append(f"      .captions(source={captions!r})")
    return "import evidence_annotate as ea\n\n" + "\n".join(lines) + ")"
