"""evidence_annotate: turn a phone video of a broken product into dispute evidence.

Example:
    >>> import evidence_annotate as ea
    >>> out = (ea.open("unboxing.mp4")                                   # doctest: +SKIP
    ...          .title_card(order="8123456789012", date="2026-11-20")
    ...          .box((420, 260, 300, 220), start=2.0, end=6.0, label="Crack")
    ...          .export("evidence.mp4"))
"""

from __future__ import annotations

from .captions import CaptionRules, CaptionStyle, Cue
from .colors import Color
from .errors import (
    EvidenceAnnotateError,
    InputError,
    MissingGlyphWarning,
    ModelError,
    OutputError,
    PlatformLimitError,
    RenderError,
)
from .evidence import Evidence, open
from .export import ExportResult
from .layers import Arrow, Blur, Box, Span, Text, TitleCard
from .manifest import FileCheck, Verification, verify
from .media import MediaInfo, probe
from .platforms import Platform, platforms
from .platforms.check import Finding, Report, check
from .recipe import RecipeError, load_recipe
from .styles import ArrowStyle, BoxStyle, TextStyle, TitleCardStyle
from .transcript import Segment, Transcript, Word
from .units import rel

__version__ = "0.1.0"

__all__ = [
    "Arrow",
    "ArrowStyle",
    "Blur",
    "Box",
    "BoxStyle",
    "CaptionRules",
    "CaptionStyle",
    "Color",
    "Cue",
    "Evidence",
    "EvidenceAnnotateError",
    "ExportResult",
    "FileCheck",
    "Finding",
    "InputError",
    "MediaInfo",
    "MissingGlyphWarning",
    "ModelError",
    "OutputError",
    "Platform",
    "PlatformLimitError",
    "RecipeError",
    "RenderError",
    "Report",
    "Segment",
    "Span",
    "Text",
    "TextStyle",
    "TitleCard",
    "TitleCardStyle",
    "Transcript",
    "Verification",
    "Word",
    "__version__",
    "check",
    "load_recipe",
    "open",
    "platforms",
    "probe",
    "rel",
    "verify",
]
