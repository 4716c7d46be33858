"""The immutable, fluent [Evidence][evidence_annotate.evidence.Evidence] and its [open][].

``clip`` holds the class and its building methods (overlays, title card, cuts, speech,
captions); ``outputs`` what it makes (preview, export, stills, report, package).
"""

from .clip import Evidence, open

__all__ = ["Evidence", "open"]
