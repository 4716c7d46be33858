"""The studio's editor as a Jupyter widget: ``ev.edit()`` (anywidget; the ``studio`` extra).

The widget shows the same editor as the studio page (``studio/assets/editor.js``), talking
to Python through the widget's model instead of HTTP. It is bound to an
[Evidence][evidence_annotate.Evidence] and never changes it: every edit makes a NEW evidence,
available as [EvidenceEditor.evidence][], with the Python code ([code][]) and the
recipe ([recipe][]) that rebuild it.

The model's state, also what tests drive:

* ``edit``: the page sends ``{"seq": n, "document": {...}}`` (see
  [evidence_annotate.editing.document][]); Python answers with ``document``,
  ``timeline``, ``error`` (``""`` when the edit was accepted) and ``seq`` = n;
* ``view``: the page asks for ``{"seq": n, "t": <output seconds>, "mode": "result"}``;
  Python answers with ``frame`` (a PNG data URL drawn by ``preview(t)``) and ``frame_seq``.

Example:
    >>> editor = ev.edit()                                             # doctest: +SKIP
    >>> editor                       # shows the editor in the notebook  # doctest: +SKIP
    >>> editor.evidence.layers, print(editor.code)                      # doctest: +SKIP
"""

from __future__ import annotations

import base64
import dataclasses
import io
from importlib import resources
from typing import Any, Protocol

import anywidget
import traitlets
from PIL import Image

from .editing import EditError, PlanEditor, plan_calls, python_code, recipe_text
from .media import MediaInfo
from .overlays import Context
from .plan import Plan
from .timing import TimeLike, Timeline

__all__ = ["Editable", "EvidenceEditor"]


class Editable(Protocol):
    """What the widget reads of an [Evidence][evidence_annotate.Evidence] (a frozen dataclass)."""

    @property
    def info(self) -> MediaInfo:
        """The probed source."""

    @property
    def plan(self) -> Plan:
        """The plan."""

    @property
    def context(self) -> Context:
        """The frame context edits are validated against."""

    @property
    def timeline(self) -> Timeline:
        """Source-to-output time mapping."""

    def preview(self, t: TimeLike = 0.0) -> Image.Image:
        """The output frame at output time ``t``."""


def _esm() -> str:
    folder = resources.files("evidence_annotate.studio") / "assets"
    return (folder / "editor.js").read_text(encoding="utf-8") + "\n" + \
        (folder / "widget.js").read_text(encoding="utf-8")


def _css() -> str:
    return (resources.files("evidence_annotate.studio") / "assets" / "studio.css") \
        .read_text(encoding="utf-8")


class EvidenceEditor(anywidget.AnyWidget):
    """The editor widget bound to an evidence; edits produce new evidences.

    Args:
        evidence: The evidence to start from (never modified).

    Attributes:
        evidence: The evidence as edited so far (a new object after every edit).
        code: Python that rebuilds [evidence][] from the clip.
        recipe: A recipe (TOML) that rebuilds it (captions excepted: write them with
            ``evidence_annotate.recipe.write.write_recipe``).
    """

    _esm = traitlets.Unicode(_esm()).tag(sync=True)
    _css = traitlets.Unicode(_css()).tag(sync=True)
    state = traitlets.Dict().tag(sync=True)
    document = traitlets.Dict().tag(sync=True)
    timeline = traitlets.Dict().tag(sync=True)
    edit = traitlets.Dict().tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    seq = traitlets.Int(0).tag(sync=True)
    view = traitlets.Dict().tag(sync=True)
    frame = traitlets.Unicode("").tag(sync=True)
    frame_seq = traitlets.Int(0).tag(sync=True)
    code = traitlets.Unicode("").tag(sync=True)
    recipe = traitlets.Unicode("").tag(sync=True)

    def __init__(self, evidence: Editable) -> None:
        super().__init__()
        self.evidence: Editable = evidence
        self._editor = PlanEditor(evidence.context)
        info = evidence.info
        self.state = {
            "info": {"name": info.path.name, "width": info.width, "height": info.height,
                     "frame": list(evidence.preview(0).size), "fps": float(info.frame_rate),
                     "duration": info.duration},
            "platforms": [], "platform": None, "files": {},
            "features": {"save": False, "export": False, "transcribe": False},
            "export": {"state": "idle"},
        }
        self._publish()

    def _publish(self) -> None:
        ev = self.evidence
        timeline = ev.timeline
        self.timeline = {"card": timeline.card, "duration": timeline.duration,
                         "segments": [list(s) for s in timeline.segments]}
        self.document = self._editor.document(ev.plan)
        calls = plan_calls(ev.plan, ev.context)
        self.code = python_code(str(ev.info.path), calls)
        self.recipe = recipe_text(calls, input=str(ev.info.path))

    @traitlets.observe("edit")
    def _on_edit(self, change: dict[str, Any]) -> None:
        request = change["new"]
        try:
            plan = self._editor.apply(self.evidence.plan, request.get("document"))
            # Evidence is a frozen dataclass: a new one, the bound one untouched.
            self.evidence = dataclasses.replace(self.evidence, plan=plan)  # type: ignore[type-var]
            self.error = ""
        except EditError as err:
            self.error = str(err)
        self._publish()
        self.seq = int(request.get("seq", 0))

    @traitlets.observe("view")
    def _on_view(self, change: dict[str, Any]) -> None:
        request = change["new"]
        try:
            self.frame = self.render(float(request.get("t", 0.0)), str(request.get("mode")))
        except ValueError as err:
            self.error = str(err)
        self.frame_seq = int(request.get("seq", 0))

    def render(self, t: float, mode: str = "result") -> str:
        """The output frame at OUTPUT time ``t`` as a PNG data URL (``mode="footage"``: bare).

        Raises:
            ValueError: ``t`` is past the end of the output.
        """
        ev = self.evidence
        if mode == "footage":
            bare = dataclasses.replace(ev.plan, layers=(), captions=None)
            ev = dataclasses.replace(ev, plan=bare)  # type: ignore[type-var]
        buffer = io.BytesIO()
        ev.preview(t).save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
