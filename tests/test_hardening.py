"""Hostile arguments give a ValueError or an ea.EvidenceAnnotateError at call time, fast.

Each case names a reported bug: before its fix it hung in Pillow, raised a raw TypeError /
OverflowError / RecursionError, or was accepted and failed (or silently did something else)
later.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import evidence_annotate as ea
from evidence_annotate.recipe import RecipeError, load_recipe

Call = Callable[[ea.Evidence], Any]

CASES: list[tuple[str, Call, str]] = [
    ("thickness-1e9", lambda ev: ev.box((10, 10, 50, 50), thickness=10**9),
     r"^BoxStyle.thickness=1000000000 must be a whole number of pixels from 1 to 500"),
    ("thickness-over-frame", lambda ev: ev.box((10, 10, 50, 50), thickness=500),
     r"^thickness=500 is more than 60 px \(a quarter of the 320x240 frame's shorter side\)"),
    ("arrow-thickness", lambda ev: ev.arrow((10, 10), (100, 100), thickness=10**9),
     r"^ArrowStyle.thickness=1000000000 must be a whole number of pixels from 1 to 500"),
    ("arrow-head", lambda ev: ev.arrow((10, 10), (100, 100), style=ea.ArrowStyle(head=5000)),
     r"^head=5000 is more than 320 px \(the frame's longer side\)"),
    ("arrow-outline", lambda ev: ev.arrow((10, 10), (100, 100),
                                          style=ea.ArrowStyle(outline_width=200)),
     r"^outline_width=200 is more than 60 px"),
    ("box-radius", lambda ev: ev.box((10, 10, 50, 50), radius=5000),
     r"^radius=5000 is more than 240 px"),
    ("label-size", lambda ev: ev.box((10, 10, 50, 50), label="Crack",
                                     style=ea.BoxStyle(label=ea.TextStyle(size=1000))),
     r"^label style size=1000 is more than 120 px \(half the 320x240 frame's shorter side\)"),
    ("text-too-wide", lambda ev: ev.text("Cracked " * 40, style=ea.TextStyle(size=100)),
     r"^text='Cracked Cracked Cracked Cra\.\.\.' is \d+x\d+ px at font size 100, larger than "
     r"the 320x240 frame"),
    ("text-too-long", lambda ev: ev.text("x" * 5000),
     r"^text has 5000 characters, more than 1000"),
    ("text-outline", lambda ev: ev.text("Hi", style=ea.TextStyle(size=20, outline_width=90)),
     r"^text style outline_width=90 is more than 20 px \(the font size 20 px\)"),
    ("rect-10e400", lambda ev: ev.box((10**400, 0, 1, 1)),
     r"^rect=\(1000.*expected 4 numbers of pixels, each finite and at most 1e9"),
    ("rect-inf", lambda ev: ev.blur((float("inf"), 0, 1, 1)), r"^rect=\(inf, 0, 1, 1\)"),
    ("rel-10e400", lambda ev: ev.box(ea.rel(10**400, 0, 1, 1)),
     r"^rel\(1000.*every value must be a fraction 0\.\.1"),
    ("thickness-text", lambda ev: ev.box((10, 10, 50, 50), thickness="thick"),
     r"^BoxStyle.thickness='thick' must be a whole number"),
    ("thickness-fraction", lambda ev: ev.box((10, 10, 50, 50), thickness=2.5),
     r"^BoxStyle.thickness=2.5 must be a whole number"),
    ("fields-list", lambda ev: ev.title_card("1", "2", fields=["a", "b"]),  # type: ignore[arg-type]
     r"^fields=\['a', 'b'\] must be a mapping"),
    ("fields-none", lambda ev: ev.title_card("1", "2", fields={"Seller": None}),  # type: ignore[dict-item]
     r"^fields\['Seller'\]=None: every field needs a name"),
    ("order-none", lambda ev: ev.title_card(None, "2026-11-20"),  # type: ignore[arg-type]
     r"^order=None must be text"),
    ("date-number", lambda ev: ev.title_card("8123", 20261120),  # type: ignore[arg-type]
     r"^date=20261120 must be text"),
    ("audio-bitrate", lambda ev: ev.export("x.mp4", audio_bitrate=128),  # type: ignore[arg-type]
     r"^audio_bitrate=128 must be text like '128k'"),
    ("fit-without-platform", lambda ev: ev.export("x.mp4", fit="split"),
     r"^fit='split' needs a platform"),
    ("keep-metadata", lambda ev: ev.export("x.mp4", keep_metadata=[1]),  # type: ignore[list-item]
     r"^keep_metadata=\[1\] must be a sequence of tag names"),
    ("language-number", lambda ev: ev.transcribe(language=123),  # type: ignore[arg-type]
     r"^language=123 is not a lowercase ISO 639-1 code: use e.g. 'en'"),
    ("model-number", lambda ev: ev.transcribe(model=5),  # type: ignore[arg-type]
     r"^model=5 must be text"),
    ("padding-nan", lambda ev: ea.TextStyle(padding=float("nan")),
     r"^TextStyle.padding=nan must be a number in \[0, 2\]"),
    ("font-missing", lambda ev: ea.TextStyle(font="/no/such/font.ttf"),
     r"^TextStyle.font='/no/such/font.ttf' is not a font file"),
    ("font-number", lambda ev: ea.TextStyle(font=3),  # type: ignore[arg-type]
     r"^TextStyle.font=3 is not a font file"),
    ("card-font-missing", lambda ev: ea.TitleCardStyle(font="/no/such/font.ttf"),
     r"^TitleCardStyle.font='/no/such/font.ttf' is not a font file"),
]


@pytest.mark.parametrize(("call", "message"), [(c, m) for _, c, m in CASES],
                         ids=[name for name, _, _ in CASES])
def test_bad_arguments_fail_at_call_time_naming_value_limit_and_fix(
        gray_clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: Call,
        message: str) -> None:
    monkeypatch.chdir(tmp_path)
    ev = ea.open(gray_clip)
    started = time.monotonic()
    with pytest.raises(ValueError, match=message):
        call(ev)
    assert time.monotonic() - started < 2.0
    assert not list(tmp_path.iterdir())  # nothing was written


def test_a_file_that_is_not_a_font_never_falls_back_silently(tmp_path: Path) -> None:
    fake = tmp_path / "brand.ttf"
    fake.write_text("not a font", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^TextStyle.font='.*brand.ttf' cannot be loaded as "
                                         r"a font"):
        ea.TextStyle(font=str(fake))
    with pytest.raises(ValueError, match="cannot be loaded as a font"):
        ea.TitleCardStyle(font=str(fake))


def test_the_largest_allowed_sizes_draw_quickly(gray_clip: Path) -> None:
    ev = (ea.open(gray_clip).box((10, 10, 100, 100), thickness=60, radius=240, label="Crack",
                                 style=ea.BoxStyle(label=ea.TextStyle(size=40)))
          .arrow((0, 0), (320, 240), thickness=60, style=ea.ArrowStyle(head=320,
                                                                       outline_width=60)))
    started = time.monotonic()
    ev.preview(1.0)
    assert time.monotonic() - started < 3.0


def test_caption_source_is_never_overwritten(gray_clip: Path, tmp_path: Path) -> None:
    srt = tmp_path / "subs.srt"
    srt.write_text("1\n00:00:00,500 --> 00:00:02,000\nCracked lid\n", encoding="utf-8")
    before = srt.read_bytes()
    ev = ea.open(gray_clip).captions(source=srt)
    assert ev.plan.captions is not None and ev.plan.captions.source == srt
    with pytest.raises(ea.OutputError, match="is the input file"):
        ev.write_captions(srt)
    link = tmp_path / "link.srt"
    link.symlink_to(srt)
    with pytest.raises(ea.OutputError, match="is the input file"):
        ev.write_captions(link)
    assert srt.read_bytes() == before
    assert ev.write_captions(tmp_path / "out.srt").read_text(encoding="utf-8").count("-->") == 1


def test_compile_creates_its_work_folder(gray_clip: Path, tmp_path: Path) -> None:
    job = ea.open(gray_clip).box((10, 10, 50, 50)).compile(tmp_path / "o.mp4",
                                                           tmp_path / "new" / "work")
    assert job.graph_path.is_file()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ea.OutputError):
        ea.open(gray_clip).compile(tmp_path / "o.mp4", tmp_path / "file" / "work")


def test_recipe_with_a_huge_number_names_the_key(gray_clip: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text(f'input = "{gray_clip}"\n[[box]]\nrect = [1, 1, 10, 10]\n'
                      "thickness = 100000000000000000000000000000\n", encoding="utf-8")
    with pytest.raises(RecipeError, match=r"^box\[0\]\.thickness: BoxStyle.thickness=1000"):
        load_recipe(recipe).evidence(progress=False)


@pytest.mark.parametrize("bad", [None, 123, b"clip.mp4", "", ["clip.mp4"]])
def test_paths_that_are_not_paths(gray_clip: Path, tmp_path: Path, bad: object) -> None:
    for entry in (ea.open, ea.probe, ea.check):
        with pytest.raises((ValueError, ea.InputError),
                           match=r"is not a file path|must be a file path"):
            entry(bad)  # type: ignore[arg-type]
    ev = ea.open(gray_clip)
    for call in (lambda: ev.export(bad), lambda: ev.stills(bad),  # type: ignore[arg-type]
                 lambda: ev.report(bad), lambda: ev.compile(tmp_path / "a.mp4", bad)):  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="must be a file path"):
            call()
