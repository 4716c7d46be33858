"""``ev.edit()``: the editor widget's Python side, driven through its model state."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from PIL import Image

import evidence_annotate as ea
from evidence_annotate.widget import EvidenceEditor


def _png(data_url: str) -> Image.Image:
    prefix = "data:image/png;base64,"
    assert data_url.startswith(prefix)
    return Image.open(io.BytesIO(base64.b64decode(data_url[len(prefix):])))


def test_edits_make_a_new_evidence_and_its_code(gray_clip: Path) -> None:
    ev = ea.open(gray_clip).box((10, 10, 40, 30), start=1.0)
    widget = ev.edit()
    assert isinstance(widget, EvidenceEditor)
    assert widget.document["layers"][0]["args"] == {"rect": [10, 10, 40, 30], "start": 1.0}
    assert widget.state["features"]["save"] is False
    assert "function createEditor" in widget._esm and "export default" in widget._esm

    doc: dict[str, Any] = dict(widget.document)
    doc["layers"] = [*doc["layers"], {"kind": "arrow", "args": {"tail": [5, 200],
                                                                 "head": [60, 120]}}]
    doc["title_card"] = {"order": "8123", "date": "2026-11-20", "title": None, "seconds": 1}
    widget.edit = {"seq": 1, "document": doc}
    assert widget.seq == 1 and widget.error == ""
    assert [layer.kind for layer in widget.evidence.plan.layers] == ["box", "arrow"]
    assert ev.layers == (ev.layers[0],) and ev.plan.title_card is None  # immutability holds
    assert widget.timeline["card"] == 1.0
    assert ".arrow((5, 200), (60, 120))" in widget.code
    assert "[[arrow]]" in widget.recipe and 'order = "8123"' in widget.recipe
    scope: dict[str, Any] = {}
    exec(widget.code, scope)
    assert scope["ev"].layers == widget.evidence.plan.layers


def test_a_refused_edit_reports_and_keeps_the_evidence(gray_clip: Path) -> None:
    widget = ea.open(gray_clip).edit()
    before = widget.evidence
    widget.edit = {"seq": 7, "document": {"layers": [{"kind": "box",
                                                       "args": {"rect": [0, 0, 999, 5]}}]}}
    assert widget.seq == 7
    assert widget.error.startswith("layers[0]: box: rect=")
    assert widget.evidence is before and widget.document["layers"] == []


def test_views_are_the_library_preview(gray_clip: Path) -> None:
    ev = ea.open(gray_clip).title_card("1", "2", seconds=1).box((10, 10, 40, 30))
    widget = ev.edit()
    widget.view = {"seq": 3, "t": 2.0, "mode": "result"}
    assert widget.frame_seq == 3
    assert list(_png(widget.frame).convert("RGB").getdata()) == \
        list(ev.preview(2.0).convert("RGB").getdata())
    widget.view = {"seq": 4, "t": 2.0, "mode": "footage"}
    bare = _png(widget.frame).convert("RGB")
    assert bare.getpixel((8, 8)) != ev.preview(2.0).getpixel((8, 8))
    widget.view = {"seq": 5, "t": 99.0, "mode": "result"}
    assert widget.frame_seq == 5 and "past the end" in widget.error
