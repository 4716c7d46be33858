"""The immutable, fluent [Evidence][evidence_annotate.evidence.Evidence] and its [open][].

``clip`` holds the class and its building methods (overlays, title card, cuts, speech,
captions); ``outputs`` what it makes (preview, export, stills, report, package);
``timeedits`` freezes and speed changes; ``still`` photos and text slides; ``board`` the
storyboard that joins segments into one video, and ``program_outputs`` what it makes.
"""

from .board import Storyboard, storyboard
from .clip import Evidence, open
from .still import Still, image, slide

__all__ = ["Evidence", "Still", "Storyboard", "image", "open", "slide", "storyboard"]
