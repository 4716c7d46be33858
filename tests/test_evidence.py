"""The fluent plan: immutability, validation at call time, time strings, fractions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import evidence_annotate as ea
from evidence_annotate.geometry import Point, Rect


def test_every_call_returns_a_new_evidence_and_leaves_the_receiver_alone(gray_clip: Path) -> None:
    base = ea.open(gray_clip)
    snapshot = (base.plan, base.info)
    steps = [
        base.title_card("8123", dt.date(2026, 11, 20), "Cracked"),
        base.box((10, 10, 20, 20)),
        base.arrow((0, 0), (50, 50)),
        base.text("hi"),
        base.blur((10, 10, 20, 20)),
    ]
    assert all(step is not base and step.plan != base.plan for step in steps)
    assert (base.plan, base.info) == snapshot
    chained = steps[1].arrow((0, 0), (5, 5))
    assert len(steps[1].layers) == 1 and len(chained.layers) == 2
    with pytest.raises(AttributeError):
        base.plan = chained.plan  # type: ignore[misc]


def test_title_card_fields_and_date(gray_clip: Path) -> None:
    ev = ea.open(gray_clip).title_card("8123", dt.date(2026, 11, 20), fields={"Seller": "Acme"},
                                       seconds=2)
    card = ev.plan.title_card
    assert card is not None
    assert card.rows() == (("Order", "8123"), ("Date", "2026-11-20"), ("Seller", "Acme"))
    assert ev.duration == pytest.approx(6.0, abs=0.01)
    replaced = ev.title_card("9", "today")
    assert replaced.plan.title_card is not None and replaced.plan.title_card.order == "9"


def test_times_accept_strings_and_open_ends(gray_clip: Path) -> None:
    ev = ea.open(gray_clip).box((1, 1, 5, 5), start="00:01.5", end="0:00:03")
    span = ev.layers[0].span
    assert (span.start, span.end) == (1.5, 3.0)
    to_end = ea.open(gray_clip).box((1, 1, 5, 5), start=1, end=99)
    assert to_end.layers[0].span.end is None  # past the end = until the end


def test_fractions_of_the_frame(portrait_clip: Path) -> None:
    ev = (ea.open(portrait_clip).box(ea.rel(0.5, 0.5, 0.5, 0.5))
          .arrow(ea.rel(0, 0), ea.rel(0.5, 0.5)))
    box, arrow = ev.layers
    assert isinstance(box, ea.Box) and box.rect == Rect(120, 160, 120, 160)
    assert isinstance(arrow, ea.Arrow) and arrow.head == Point(120, 160)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ev: ev.box((10, 10, 20, 20), start=3, end=2), "must be after start"),
        (lambda ev: ev.box((10, 10, 20, 20), start=2, end=2), "must be after start"),
        (lambda ev: ev.box((10, 10, 20, 20), start=9), "past the end of the clip"),
        (lambda ev: ev.box((300, 10, 40, 20)), "exceeds the frame width 320"),
        (lambda ev: ev.box((10, 10, 20, 20), color="blurple"), "unknown colour 'blurple'"),
        (lambda ev: ev.box((10, 10, 20, 20), thickness=0), "thickness=0"),
        (lambda ev: ev.arrow((5, 5), (5, 5)), "same point"),
        (lambda ev: ev.arrow((5, 5), (500, 5)), "outside the 320x240 frame"),
        (lambda ev: ev.text("   "), "must not be empty"),
        (lambda ev: ev.blur((10, 10, 20, 20), method="swirl"), "not a blur method"),
        (lambda ev: ev.blur((10, 10, 20, 20), blocks=1), "blocks=1"),
        (lambda ev: ev.title_card("", "2026-11-20"), "order must not be empty"),
        (lambda ev: ev.title_card("1", "2026-11-20", seconds=0), "seconds=0"),
        (lambda ev: ev.box((10, 10, 20, 20), start="soon"), "not a time"),
        (lambda ev: ev.preview(99), "past the end of the output"),
    ],
)
def test_bad_arguments_fail_at_call_time(gray_clip: Path, call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call(ea.open(gray_clip))


def test_repr_summarises_the_plan(gray_clip: Path) -> None:
    text = repr(ea.open(gray_clip).title_card("1", "d").box((1, 1, 5, 5), start=1, end=2))
    assert "320x240" in text and "title card" in text and "box 1.00-2.00 s" in text


def test_errors_share_one_base_and_pickle() -> None:
    import pickle

    for err in (ea.InputError("m", "p"), ea.OutputError("m", "p"), ea.RenderError("m", "e", ("a",)),
                ea.ModelError("m", "tiny"), ea.PlatformLimitError("m", "x", "max_seconds", 20, 15)):
        assert isinstance(err, ea.EvidenceAnnotateError)
        copy = pickle.loads(pickle.dumps(err))
        assert type(copy) is type(err) and str(copy) == str(err)
