"""Overlay kinds: one module each, and the registry everything else iterates.

[KINDS][] maps a kind's name to its class. The fluent API (``Evidence.<name>(...)``),
recipes (``[[<name>]]`` tables), the notebook summary, the manifest, stills and the three
renderers all go through it and the [Overlay][evidence_annotate.overlays.base.Overlay]
protocol. Adding a kind is one new module plus one line below; see the architecture page.

Example:
    >>> sorted(KINDS)[:3]
    ['arrow', 'blur', 'box']
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .arrow import Arrow, ArrowStyle
from .base import Context, Overlay
from .blur import Blur, BlurMethod
from .box import Box, BoxStyle
from .clock import Clock
from .ellipse import Ellipse
from .magnify import Magnify
from .spotlight import Spotlight
from .text import Text, TextStyle

__all__ = ["KINDS", "Arrow", "ArrowStyle", "Blur", "BlurMethod", "Box", "BoxStyle", "Context",
           "Overlay", "Text", "TextStyle", "fluent", "in_order"]

R = TypeVar("R")

KINDS: dict[str, type[Overlay]] = {
    "box": Box,
    "arrow": Arrow,
    "text": Text,
    "blur": Blur,
    "ellipse": Ellipse,
    "spotlight": Spotlight,
    "magnify": Magnify,
    "clock": Clock,
}
"""Every overlay kind by name (the Evidence method and recipe table of the same name)."""


def in_order(overlays: Iterable[Overlay]) -> list[Overlay]:
    """Overlays in the order they apply: by their kind's stage, then plan order.

    Privacy (blur) first, footage effects next, drawn sprites, then anything on top.

    Example:
        >>> from evidence_annotate.geometry import Rect
        >>> [o.kind for o in in_order([Box(Rect(0, 0, 2, 2)), Blur(Rect(0, 0, 2, 2))])]
        ['blur', 'box']
    """
    return sorted(overlays, key=lambda overlay: overlay.order)


def fluent(kind: type[Overlay], add: Callable[[Callable[[Context], Overlay]], R], *,
           returns: str | None = None) -> Callable[..., R]:
    """A method for ``kind`` with the signature of its ``create`` minus the context.

    ``add`` receives a function that builds the overlay from a [Context][]; the fluent
    API passes one that adds it to a new ``Evidence`` (``returns`` names what it returns).
    ``help()``, ``inspect.signature`` and notebooks show the kind's parameters and docstring.

    Example:
        >>> import inspect
        >>> make = fluent(Box, lambda build: build(Context((64, 64), 1.0)))
        >>> list(inspect.signature(make).parameters)[:3], make((1, 2, 3, 4)).rect
        (['rect', 'start', 'end'], Rect(x=1, y=2, w=3, h=4))
    """
    create = kind.create

    @functools.wraps(create)
    def method(*args: Any, **kwargs: Any) -> R:
        return add(lambda ctx: create(ctx, *args, **kwargs))

    signature = inspect.signature(create)
    method.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=list(signature.parameters.values())[1:],
        return_annotation=returns or signature.return_annotation)
    return method
