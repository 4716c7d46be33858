"""The bundled sample clip and the demo plan that the CLI, the docs and the notebooks share.

The sample (``data/sample.mp4``, made by ``scripts/make_sample.py``) is 10 s of a synthetic
phone case with a crack along its left edge, lying next to a shipping label with a made-up
address, narrated by espeak-ng (the script is ``data/sample.txt``). [demo_evidence][]
annotates it the way a buyer would for an AliExpress dispute.

Example:
    >>> from evidence_annotate.sample import sample_path, sample_script
    >>> sample_path().name
    'sample.mp4'
    >>> sample_script().split()[:3]
    ['The', 'phone', 'case']
"""

from __future__ import annotations

import os
from pathlib import Path

from .evidence import Evidence
from .evidence import open as open_evidence
from .geometry import rel
from .speech.models import MODEL_ENV
from .speech.offline import offline_model

__all__ = [
    "CRACK_BOX",
    "DEMO_FRAME_TIME",
    "LABEL_BOX",
    "default_model",
    "demo_evidence",
    "sample_path",
    "sample_script",
]

_DATA = Path(__file__).resolve().parent / "data"

CRACK_BOX = (296, 112, 60, 324)
"""Where the crack is in the sample (x, y, w, h in pixels of its 854x480 frame)."""
LABEL_BOX = (596, 32, 236, 142)
"""The shipping label with the (made-up) name and address, blurred in the demo."""
DEMO_FRAME_TIME = 8.0
"""An OUTPUT time (seconds) where every annotation of the demo shows: the docs' frame."""


def sample_path() -> Path:
    """The bundled sample clip (854x480, 25 fps, 10 s, H.264 + AAC, narrated).

    Returns:
        The path of ``sample.mp4`` inside the installed package.

    Example:
        >>> sample_path().stat().st_size < 2_000_000
        True
    """
    return _DATA / "sample.mp4"


def sample_script() -> str:
    """What the narrator of the sample says (the ground truth of its transcript).

    Example:
        >>> "crack" in sample_script()
        True
    """
    return (_DATA / "sample.txt").read_text(encoding="utf-8").strip()


def default_model() -> str | None:
    """The speech model the demo uses when none is given.

    The library's one rule (see ``models``):
    ``$EVIDENCE_ANNOTATE_MODEL`` when set; else the installed offline model package (the
    multilingual Whisper base of the ``offline`` extra, else ``tiny.en``), so the demo works
    without a network; else ``None``, which means the hub model ``"small"``.

    Example:
        >>> default_model() is None or isinstance(default_model(), str)
        True
    """
    chosen = os.environ.get(MODEL_ENV, "").strip()
    if chosen:
        return chosen
    found = offline_model()
    return str(found.path) if found is not None else None


def demo_evidence(model: str | None = None, *, progress: bool = True,
                  path: str | os.PathLike[str] | None = None) -> Evidence:
    """The demo plan: title card, box, arrow, callout, blur and captions of a real transcript.

    Args:
        model: Speech model (size, hub id or CTranslate2 folder); ``None`` = [default_model][].
        progress: Show a progress bar while transcribing.
        path: Another copy of the sample clip to annotate (default: [sample_path][]).

    Returns:
        The annotated [Evidence][evidence_annotate.evidence.Evidence], ready to export.

    Raises:
        ModelError: The model cannot be found or loaded.

    Example:
        >>> ev = demo_evidence(progress=False)                       # doctest: +SKIP
        >>> ev.export("demo.mp4", speed="veryfast").duration          # doctest: +SKIP
        13.0
    """
    chosen = model if model is not None else default_model()
    ev = open_evidence(path if path is not None else sample_path())
    return (
        ev.title_card(order="8123456789012", date="2026-11-20",
                      title="Phone case arrived cracked", fields={"Seller": "ACME Cases Store"})
          .box(CRACK_BOX, start=1.0, end=9.5, label="Crack", thickness=5)
          .arrow(rel(0.12, 0.62), (300, 270), start=1.0, end=9.5)
          .text("Cracked on arrival", at=(24, 24), start=4.5, end=9.5)
          .blur(LABEL_BOX)
          .transcribe(model=chosen, language="en", progress=progress)
          .captions()
    )
