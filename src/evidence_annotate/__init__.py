"""evidence_annotate: turn a phone video of a broken product into dispute evidence.

Example:
    >>> import evidence_annotate as ea
    >>> out = (ea.open("unboxing.mp4")                                   # doctest: +SKIP
    ...          .title_card(order="8123456789012", date="2026-11-20")
    ...          .box((420, 260, 300, 220), start=2.0, end=6.0, label="Crack")
    ...          .export("evidence.mp4"))
"""

from __future__ import annotations

from ._version import __version__
from .batch import Job, JobResult, batch, load_jobs
from .captions import CaptionRules, CaptionStyle, Cue
from .cards import TitleCard, TitleCardStyle
from .colors import Color
from .deliver.credentials import SigningIdentity
from .deliver.export import ExportResult
from .deliver.verify import FileCheck, Verification, verify
from .errors import (
    CaptionWarning,
    EvidenceAnnotateError,
    InputError,
    LowConfidenceError,
    LowConfidenceWarning,
    MissingGlyphWarning,
    ModelError,
    OutputError,
    PlatformLimitError,
    RenderError,
)
from .evidence import Evidence, Still, Storyboard, image, open, slide, storyboard
from .geometry import Point, Rect, rel
from .media import MediaInfo, probe
from .overlays import KINDS, Arrow, ArrowStyle, Blur, Box, BoxStyle, Overlay, Text, TextStyle
from .platforms import Platform, platforms
from .platforms.check import Finding, Report, check
from .recipe import RecipeError, load_recipe
from .recipe.board import load_board_recipe
from .speech.transcript import Segment, Transcript, Word
from .timing import Span
from .tracks import Track, track
from .vision.follow import TrackLostError, TrackLostWarning
from .vision.redact import Detection

__all__ = [
    "KINDS",
    "Arrow",
    "ArrowStyle",
    "Blur",
    "Box",
    "BoxStyle",
    "CaptionRules",
    "CaptionStyle",
    "CaptionWarning",
    "Color",
    "Cue",
    "Detection",
    "Evidence",
    "EvidenceAnnotateError",
    "ExportResult",
    "FileCheck",
    "Finding",
    "InputError",
    "Job",
    "JobResult",
    "LowConfidenceError",
    "LowConfidenceWarning",
    "MediaInfo",
    "MissingGlyphWarning",
    "ModelError",
    "OutputError",
    "Overlay",
    "Platform",
    "PlatformLimitError",
    "Point",
    "RecipeError",
    "Rect",
    "RenderError",
    "Report",
    "Segment",
    "SigningIdentity",
    "Span",
    "Still",
    "Storyboard",
    "Text",
    "TextStyle",
    "TitleCard",
    "TitleCardStyle",
    "Track",
    "TrackLostError",
    "TrackLostWarning",
    "Transcript",
    "Verification",
    "Word",
    "__version__",
    "batch",
    "check",
    "image",
    "load_board_recipe",
    "load_jobs",
    "load_recipe",
    "open",
    "platforms",
    "probe",
    "rel",
    "slide",
    "storyboard",
    "track",
    "verify",
]
