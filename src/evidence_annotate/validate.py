"""Checks of users' values, shared by every style and overlay (one wording for each mistake).

Each function raises [ValueError][] whose message starts with the parameter's name and
value, then says what is accepted. Size-like values are bounded (never ``10**9`` pixels that
would keep Pillow busy for minutes) and must be real numbers (never ``nan``).

Example:
    >>> positive_int(4, "BoxStyle.thickness", maximum=500)
    4
    >>> positive_int(2.5, "BoxStyle.thickness", maximum=500)
    Traceback (most recent call last):
    ...
    ValueError: BoxStyle.thickness=2.5 must be a whole number of pixels from 1 to 500
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from .colors import Color, ColorLike

__all__ = ["MAX_PIXELS", "check_color", "check_font", "fraction", "frame_bound",
           "instance_of", "path_like", "positive_int", "text_or_none"]

MAX_PIXELS = 8192
"""The largest size in pixels any style accepts (wider than 8K video)."""


def check_color(value: ColorLike | None, name: str) -> None:
    """Raise ``ValueError`` naming ``name`` when ``value`` is not a colour (``None`` passes)."""
    if value is not None:
        try:
            Color.parse(value)
        except (ValueError, TypeError) as err:
            raise ValueError(f"{name}: {err}") from None


def positive_int(value: object, name: str, *, maximum: int = MAX_PIXELS,
                 minimum: int = 1) -> int:
    """A whole number in ``[minimum, maximum]`` (pixels, counts), or ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        shown = repr(value) if len(repr(value)) <= 40 else f"{repr(value)[:30]}…"
        raise ValueError(f"{name}={shown} must be a whole number of pixels from {minimum} "
                         f"to {maximum}")
    return value


def fraction(value: object, name: str, *, low: float = 0.0, high: float = 1.0,
             open_low: bool = False) -> float:
    """A finite real number in ``[low, high]`` (``(low, high]`` with ``open_low``)."""
    ok = not isinstance(value, bool) and isinstance(value, (int, float)) \
        and math.isfinite(value) and (low < value if open_low else low <= value) \
        and value <= high
    if not ok:
        bracket = "(" if open_low else "["
        raise ValueError(f"{name}={value!r} must be a number in {bracket}{low:g}, {high:g}]")
    return float(value)  # type: ignore[arg-type]


def text_or_none(value: object, name: str) -> str | None:
    """Text shown literally, or ``None`` for empty/whitespace-only text."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name}={value!r} must be text (a str)")
    return value if value.strip() else None


def frame_bound(value: int | None, name: str, limit: int, what: str) -> None:
    """Raise ``ValueError`` when a size in pixels is over ``limit`` (``None`` passes).

    ``what`` says where the limit comes from, e.g. ``"a quarter of the 320x240 frame's
    shorter side"``.

    Example:
        >>> frame_bound(600, "thickness", 60, "a quarter of the height")
        Traceback (most recent call last):
        ...
        ValueError: thickness=600 is more than 60 px (a quarter of the height); use at most 60
    """
    if value is not None and value > limit:
        raise ValueError(f"{name}={value!r} is more than {limit} px ({what}); use at most "
                         f"{limit}")


def check_font(path: object, name: str) -> None:
    """Raise ``ValueError`` unless ``path`` (``None`` passes) is a font file Pillow can load.

    A missing or broken font never falls back to another one silently.
    """
    if path is None:
        return
    fix = "give the path of a .ttf/.otf file, or None for the bundled DejaVu Sans"
    if not isinstance(path, str) or not path.strip() or not Path(path).is_file():
        raise ValueError(f"{name}={path!r} is not a font file; {fix}")
    from PIL import ImageFont

    try:
        ImageFont.truetype(path, size=12)
    except (OSError, ValueError) as err:
        raise ValueError(f"{name}={path!r} cannot be loaded as a font ({err}); {fix}") from None


def instance_of(value: object, name: str, kinds: type | tuple[type, ...]) -> None:
    """Raise ``ValueError`` unless ``value`` is ``None`` or an instance of ``kinds``.

    Example:
        >>> instance_of(3, "karaoke", bool)
        Traceback (most recent call last):
        ...
        ValueError: karaoke=3 must be a bool (or None for the default)
    """
    if value is not None and not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in (kinds if isinstance(kinds, tuple) else (kinds,)))
        raise ValueError(f"{name}={value!r} must be a {names} (or None for the default)")


def path_like(value: object, name: str) -> Path:
    """``value`` as a [Path][pathlib.Path], or ``ValueError`` (not a path, or empty).

    Example:
        >>> path_like(None, "path")
        Traceback (most recent call last):
        ...
        ValueError: path=None must be a file path (a str or pathlib.Path)
    """
    if not isinstance(value, (str, os.PathLike)) or isinstance(value, bytes):
        raise ValueError(f"{name}={value!r} must be a file path (a str or pathlib.Path)")
    path = os.fspath(value)
    if not isinstance(path, str) or not path.strip() or "\0" in path:
        raise ValueError(f"{name}={value!r} must be a file path (a non-empty str without NUL)")
    return Path(path)
