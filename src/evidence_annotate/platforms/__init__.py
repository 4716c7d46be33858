"""Upload limits of dispute platforms, kept as data files with the source of every value.

Each built-in platform is a TOML file beside this module (``aliexpress.toml``, ``shopee.toml``,
``generic.toml``). Every field is a table with a ``value`` (left out = no limit) and a
``source`` note saying where the value comes from, so a limit can be checked and updated
without reading code. Users can pass their own [Platform][] anywhere a name is accepted.

Resolution limits are on the SHORT side of the displayed frame: "480p minimum" means
``min(width, height) >= 480``, for portrait and landscape alike.

Example:
    >>> from evidence_annotate.platforms import Platform, platforms, resolve_platform
    >>> platforms()
    ('aliexpress', 'generic', 'shopee')
    >>> resolve_platform("aliexpress").max_seconds
    15.0
    >>> resolve_platform(Platform("myshop", max_seconds=30)).max_seconds
    30.0
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Platform", "platforms", "resolve_platform"]

_PACKAGE = "evidence_annotate.platforms"
_LIMIT_FIELDS = ("max_bytes", "max_seconds", "containers", "video_codecs", "audio_codecs",
                 "min_resolution", "recommended_resolution", "phone_regions")


def _empty_sources() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Platform:
    """What a platform accepts as an evidence video.

    Attributes:
        name: Short lower-case name (``"aliexpress"``).
        max_bytes: Largest accepted file in bytes; ``None`` = no limit.
        max_seconds: Longest accepted video in seconds; ``None`` = no limit.
        containers: Accepted containers (``"mp4"``, ``"mov"``, ``"mkv"``, ...); empty = any.
        video_codecs: Accepted video codecs as ffmpeg names (``"h264"``, ``"hevc"``); empty = any.
        audio_codecs: Accepted audio codecs as ffmpeg names (``"aac"``); empty = any.
        min_resolution: Smallest accepted SHORT side of the displayed frame in pixels
            (480 = "480p"); ``None`` = no minimum.
        recommended_resolution: Recommended short side in pixels; ``None`` = no advice.
        phone_regions: The countries the marketplace sells in (ISO 3166 codes such as
            ``"ID"``), whose phone numbers spoken redaction looks for; empty = worldwide.
        sources: Where each value comes from, by field name (not compared).

    Example:
        >>> shop = Platform("myshop", max_bytes=50_000_000, max_seconds=120)
        >>> shop.containers, shop.video_codecs
        (('mp4',), ('h264',))
    """

    name: str
    max_bytes: int | None = None
    max_seconds: float | None = None
    containers: tuple[str, ...] = ("mp4",)
    video_codecs: tuple[str, ...] = ("h264",)
    audio_codecs: tuple[str, ...] = ("aac",)
    min_resolution: int | None = None
    recommended_resolution: int | None = None
    phone_regions: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=_empty_sources, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"Platform name={self.name!r} must be a non-empty string")
        object.__setattr__(self, "name", self.name.strip().lower())
        for name in ("containers", "video_codecs", "audio_codecs"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"Platform {name}={value!r} must be a list of names, "
                                 f"e.g. [{getattr(Platform, name)[0]!r}]")
            object.__setattr__(self, name, tuple(v.strip().lower() for v in value))
        regions = self.phone_regions
        if isinstance(regions, str) or not all(
                isinstance(r, str) and len(r.strip()) == 2 and r.strip().isalpha()
                for r in regions):
            raise ValueError(f"Platform phone_regions={regions!r} must be a list of two-letter "
                             "ISO 3166 region codes, e.g. ['ID', 'MY']")
        object.__setattr__(self, "phone_regions", tuple(r.strip().upper() for r in regions))
        self._check_number("max_bytes", integer=True)
        self._check_number("max_seconds", integer=False)
        self._check_number("min_resolution", integer=True)
        self._check_number("recommended_resolution", integer=True)
        if self.max_seconds is not None:
            object.__setattr__(self, "max_seconds", float(self.max_seconds))
        low, high = self.min_resolution, self.recommended_resolution
        if low is not None and high is not None and high < low:
            raise ValueError(f"Platform {self.name!r}: recommended_resolution={high} is below "
                             f"min_resolution={low}; recommend at least the minimum")
        unknown = sorted(set(self.sources) - set(_LIMIT_FIELDS))
        if unknown:
            raise ValueError(f"Platform {self.name!r}: sources for unknown fields {unknown}; "
                             f"use the field names {', '.join(_LIMIT_FIELDS)}")
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))

    def _check_number(self, name: str, *, integer: bool) -> None:
        value = getattr(self, name)
        if value is None:
            return
        kind = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind) or not math.isfinite(value) \
                or value <= 0:
            what = "a whole number" if integer else "a number"
            raise ValueError(f"Platform {self.name!r}: {name}={value!r} must be {what} > 0, "
                             "or None for no limit")

    @property
    def builtin(self) -> bool:
        """True when this platform has the name of a built-in platform file."""
        return self.name in platforms()

    @classmethod
    def load(cls, name: str) -> Platform:
        """Load a built-in platform by name.

        Args:
            name: One of [platforms][] (case does not matter).

        Returns:
            The platform, with its ``sources``.

        Raises:
            ValueError: No built-in platform has that name (the message lists them).

        Example:
            >>> Platform.load("shopee").max_bytes
            30000000
        """
        key = name.strip().lower() if isinstance(name, str) else name
        if key not in platforms():
            raise ValueError(f"unknown platform {name!r}; built-in platforms are "
                             f"{', '.join(platforms())}, or pass your own "
                             "ea.Platform(name, max_bytes=..., max_seconds=...)")
        resource = resources.files(_PACKAGE) / f"{key}.toml"
        return cls.from_toml(resource.read_text(encoding="utf-8"), origin=f"{key}.toml")

    @classmethod
    def from_file(cls, path: str | Path) -> Platform:
        r"""Load a platform from a TOML file written like the built-in ones.

        Example:
            >>> import tempfile, pathlib
            >>> p = pathlib.Path(tempfile.mkdtemp()) / "shop.toml"
            >>> _ = p.write_text('name = "shop"\n[max_seconds]\nvalue = 90\nsource = "FAQ"\n')
            >>> Platform.from_file(p).max_seconds
            90.0
        """
        file = Path(path)
        return cls.from_toml(file.read_text(encoding="utf-8"), origin=str(file))

    @classmethod
    def from_toml(cls, text: str, *, origin: str = "<string>") -> Platform:
        """Build a platform from TOML text (see the built-in files for the layout).

        Raises:
            ValueError: Invalid TOML, an unknown field, or a field without a ``source``.

        Example:
            >>> Platform.from_toml('name = "x"').max_bytes is None
            True
        """
        try:
            data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ValueError(f"platform file {origin}: invalid TOML ({err})") from None
        name = data.pop("name", None)
        if not isinstance(name, str):
            raise ValueError(f"platform file {origin}: needs a top-level name = \"...\"")
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for key, entry in data.items():
            if key not in _LIMIT_FIELDS:
                raise ValueError(f"platform file {origin}: unknown field {key!r}; known fields "
                                 f"are {', '.join(_LIMIT_FIELDS)}")
            if not isinstance(entry, dict) or not isinstance(entry.get("source"), str) \
                    or set(entry) - {"value", "source"}:
                raise ValueError(f"platform file {origin}: [{key}] must be a table with an "
                                 "optional `value` and a `source` note saying where it comes from")
            sources[key] = entry["source"]
            if "value" in entry:
                values[key] = entry["value"]
            elif key in ("containers", "video_codecs", "audio_codecs", "phone_regions"):
                values[key] = ()
        return cls(name, **values, sources=sources)


def platforms() -> tuple[str, ...]:
    """Names of the built-in platforms, sorted.

    Example:
        >>> "aliexpress" in platforms()
        True
    """
    folder = resources.files(_PACKAGE)
    return tuple(sorted(entry.name[: -len(".toml")] for entry in folder.iterdir()
                        if entry.name.endswith(".toml")))


def resolve_platform(value: str | Platform) -> Platform:
    """Turn a platform name or a [Platform][] into a [Platform][].

    Args:
        value: A built-in name (``"aliexpress"``) or a [Platform][].

    Returns:
        The platform.

    Raises:
        ValueError: Unknown name (the message lists the known ones) or a wrong type.

    Example:
        >>> resolve_platform("AliExpress").name
        'aliexpress'
    """
    if isinstance(value, Platform):
        return value
    if isinstance(value, str):
        return Platform.load(value)
    raise ValueError(f"platform={value!r} must be a name ({', '.join(platforms())}) or an "
                     "ea.Platform(...)")
