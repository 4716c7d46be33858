"""The plan recorded in a manifest reads back into the same plan (every kind, captions, card)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import evidence_annotate as ea
from evidence_annotate.deliver.manifest import plan_to_dict
from evidence_annotate.deliver.replan import PlanDataError, from_plain, plan_from_dict
from evidence_annotate.geometry import Rect
from evidence_annotate.overlays import Box, BoxStyle, Text
from evidence_annotate.plan import Plan
from evidence_annotate.timing import Span
from test_kinds import EXAMPLES


def _through_json(plan: Plan) -> Plan:
    return plan_from_dict(json.loads(json.dumps(plan_to_dict(plan))))


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_every_kind_reads_back_equal(gray_clip: Path, kind: str) -> None:
    args, kwargs = EXAMPLES[kind]
    ev = getattr(ea.open(gray_clip), kind)(*args, **kwargs)
    assert _through_json(ev.plan) == ev.plan


def test_card_cut_and_captions_read_back_equal(gray_clip: Path, tmp_path: Path) -> None:
    subtitles = tmp_path / "said.ass"
    subtitles.write_text(
        "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 240\n\n[V4+ Styles]\n"
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
        "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
        "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
        "Style: Default,DejaVu Sans,20,&H0000FFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,"
        "100,100,0,0,1,2,0,2,10,10,10,1\n\n[Events]\nFormat: Layer, Start, End, Style, Name, "
        "MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:00.50,0:00:01.50,Default,,0,0,0,,{\\i1}look{\\i0} here\n",
        encoding="utf-8")
    ev = (ea.open(gray_clip).title_card(order="8123", date="2026-11-20", title="Cracked",
                                        fields={"Courier": "JNE"}, seconds=1.0)
          .cut([(1.0, 1.5)]).captions(source=subtitles))
    plan = ev.plan
    assert plan.captions is not None and plan.captions.styled is not None
    back = _through_json(plan)
    assert back.captions is not None and back.captions.source is None
    assert back.captions.cues == plan.captions.cues
    assert back.captions.styled == plan.captions.styled
    assert (back.title_card, back.keep, back.layers) == (plan.title_card, plan.keep, plan.layers)


colours = st.one_of(st.sampled_from(["red", "#00ff0080", "white"]),
                    st.tuples(*[st.integers(0, 255)] * 3))


@given(x=st.integers(0, 200), y=st.integers(0, 100), w=st.integers(1, 100),
       h=st.integers(1, 100), start=st.floats(0, 5), length=st.one_of(st.none(), st.floats(0.1, 5)),
       label=st.one_of(st.none(), st.text(min_size=1, max_size=20)), color=colours,
       thickness=st.one_of(st.none(), st.integers(1, 40)), fill=st.one_of(st.none(), colours))
def test_any_box_reads_back_equal(x: int, y: int, w: int, h: int, start: float,
                                  length: float | None, label: str | None, color: Any,
                                  thickness: int | None, fill: Any) -> None:
    box = Box(Rect(x, y, w, h), Span(start, None if length is None else start + length),
              BoxStyle(color=color, thickness=thickness, fill=fill), label)
    text = Text("note", ea.Point(x, y), Span(start))
    plan = Plan(layers=(box, text), keep=((0.0, start + 1.0),))
    assert _through_json(plan) == plan


@pytest.mark.parametrize(("hint", "value", "message"), [
    (Rect, {"x": 1, "y": 2, "w": 3}, "not a valid Rect"),
    (Rect, {"x": 1, "y": 2, "w": 3, "h": 4, "z": 5}, "has z, which Rect does not have"),
    (Span, {"start": "soon"}, "plan.start='soon' cannot be read as float"),
    (tuple[int, int], [1, 2, 3], "cannot be read as"),
    (bool, 1, "cannot be read as bool"),
])
def test_values_that_do_not_fit_their_type_are_named(hint: Any, value: Any,
                                                     message: str) -> None:
    with pytest.raises(PlanDataError, match=message):
        from_plain(hint, value)


def test_an_unknown_kind_is_named() -> None:
    with pytest.raises(PlanDataError, match=r"plan.layers\[0\] is of kind 'sparkle'"):
        plan_from_dict({"layers": [{"kind": "sparkle", "start": 0, "end": None}]})


def test_spoken_redactions_read_back_exactly() -> None:
    """The audio windows are re-rendered from the manifest: times must survive unrounded."""
    from evidence_annotate.speech.pii_record import SpeechRedaction

    plan = Plan(speech_redactions=(SpeechRedaction("phone", 7.123456789, 9.87654321),
                                   SpeechRedaction("words", 1.5, 2.25, automatic=False,
                                                   mask="label", audio="mute", pad=0.1)))
    data = json.loads(json.dumps(plan_to_dict(plan)))
    assert plan_from_dict(data) == plan
