"""Fonts: the bundled DejaVu Sans, system fallbacks for other scripts, and glyph checks.

Output must look the same on every machine, so text is drawn with the bundled DejaVu Sans
(Latin, Cyrillic, Greek, Arabic, Hebrew, Vietnamese, ...) and the bundled Noto Sans Thai
(Thai; SIL Open Font License, from the PyPI package ``fontpkg-noto-sans-thai``). Text no bundled
font can show (CJK, for example) is drawn with an installed system font that covers it when
there is one. Characters
no available font covers raise [MissingGlyphWarning][evidence_annotate.errors.MissingGlyphWarning]
naming
them, instead of silently turning into empty boxes.

Example:
    >>> from evidence_annotate.fonts import font_for
    >>> font_for("Crack here", 32).getname()[0]
    'DejaVu Sans'
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import unicodedata
import warnings
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError
from PIL import ImageFont

from .errors import MissingGlyphWarning

__all__ = ["FONTS_DIR", "bundled_font", "check_glyphs", "font_for", "font_path_for"]

FONTS_DIR = Path(str(resources.files("evidence_annotate") / "fonts"))
"""Folder of the bundled fonts (also handed to libass as ``fontsdir``)."""

_REGULAR = "DejaVuSans.ttf"
_BOLD = "DejaVuSans-Bold.ttf"
_EXTRA = ("NotoSansThai.ttf",)
"""Bundled fonts for scripts DejaVu Sans lacks (libass finds them in [FONTS_DIR][])."""
_SYSTEM_DIRS = (
    "/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts",
    "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts",
)
_lock = threading.Lock()


def bundled_font(bold: bool = False) -> Path:
    """Path of the bundled DejaVu Sans (regular or bold)."""
    return FONTS_DIR / (_BOLD if bold else _REGULAR)


@functools.lru_cache(maxsize=64)
def _coverage(path: str) -> frozenset[int]:
    """Code points a font file maps (first face of a collection)."""
    try:
        if path.lower().endswith((".ttc", ".otc")):
            font = TTCollection(path, lazy=True).fonts[0]
        else:
            font = TTFont(path, lazy=True, fontNumber=0)
        cmap = font.getBestCmap() or {}
        return frozenset(cmap)
    except (TTLibError, OSError, KeyError, AssertionError, ValueError):
        return frozenset()


@functools.lru_cache(maxsize=1)
def _system_fonts() -> tuple[str, ...]:
    found: list[str] = []
    for folder in _SYSTEM_DIRS:
        root = Path(os.path.expanduser(folder))
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            found.extend(os.path.join(dirpath, f) for f in sorted(files)
                         if f.lower().endswith((".ttf", ".otf", ".ttc", ".otc")))
    return tuple(found)


def _needed(text: str) -> set[int]:
    """Code points that need a glyph (controls, spaces and joiners do not)."""
    return {ord(c) for c in text
            if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Mn", "Zs")}


def font_path_for(text: str, *, bold: bool = False, preferred: str | None = None) -> Path:
    """The best font file for ``text``: preferred, else bundled, else a covering system font.

    Args:
        text: The text to draw.
        bold: Prefer the bold face when the bundled font is used.
        preferred: A font file the caller chose (used when it covers the text).

    Returns:
        A font file path. When no font covers every character the bundled font is returned and
        [MissingGlyphWarning][] is emitted.

    Example:
        >>> font_path_for("Привет").name
        'DejaVuSans.ttf'
    """
    needed = _needed(text)
    candidates = [Path(preferred)] if preferred else []
    candidates.append(bundled_font(bold))
    candidates += [FONTS_DIR / name for name in _EXTRA]
    for path in candidates:
        if needed <= _coverage(str(path)):
            return path
    with _lock:
        system = _system_fonts()
    for path_text in system:
        if needed <= _coverage(path_text):
            return Path(path_text)
    check_glyphs(text, stacklevel=3)
    return candidates[0]


def check_glyphs(text: str, *, stacklevel: int = 2) -> str:
    """Warn about characters that no available font can draw.

    Args:
        text: The text to check.
        stacklevel: Passed to [warnings.warn][].

    Returns:
        The missing characters (empty when everything can be drawn).

    Example:
        >>> check_glyphs("Cracked lid")
        ''
    """
    missing = _needed(text) - _coverage(str(bundled_font()))
    for name in _EXTRA:
        missing -= _coverage(str(FONTS_DIR / name))
    if missing:
        with _lock:
            system = _system_fonts()
        for path_text in system:
            missing -= _coverage(path_text)
            if not missing:
                break
    if not missing:
        return ""
    chars = "".join(sorted(chr(c) for c in missing))
    names = ", ".join(f"U+{c:04X} {unicodedata.name(chr(c), '?')}" for c in sorted(missing)[:8])
    warnings.warn(MissingGlyphWarning(
        f"no available font has glyphs for {chars!r} ({names}); they would show as empty "
        "boxes. Fix: install a font that covers them (Debian/Ubuntu: `apt install "
        "fonts-noto-cjk` for Chinese/Japanese/Korean, `fonts-noto-core` for most other "
        "scripts; macOS and Windows have them) or pass a font file in the style's `font`; "
        "the bundled fonts cover Latin, Vietnamese, Cyrillic, Greek, Arabic, Hebrew and "
        "Thai"), stacklevel=stacklevel)
    return chars


@functools.lru_cache(maxsize=128)
def _load(path: str, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if _has_raqm() else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size=size, layout_engine=engine)


@functools.lru_cache(maxsize=1)
def _has_raqm() -> bool:
    from PIL import features
    return bool(features.check("raqm"))


def font_for(text: str, size: int, *, bold: bool = False,
             preferred: str | None = None) -> ImageFont.FreeTypeFont:
    """A loaded Pillow font that can draw ``text`` (with RTL shaping when raqm is present).

    Args:
        text: The text to draw.
        size: Size in pixels.
        bold: Prefer the bold face.
        preferred: A font file the caller chose.

    Returns:
        The font.

    Example:
        >>> font_for("مرحبا", 24).size
        24
    """
    return _load(str(font_path_for(text, bold=bold, preferred=preferred)), max(1, int(size)))


if sys.platform == "win32":  # pragma: no cover - fontconfig paths differ
    _SYSTEM_DIRS = (*_SYSTEM_DIRS, os.path.expandvars("%LOCALAPPDATA%/Microsoft/Windows/Fonts"))
