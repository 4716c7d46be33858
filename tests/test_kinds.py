"""Every registered overlay kind, through every consumer of the registry.

Each kind in ``ea.KINDS`` needs an entry in ``EXAMPLES`` (a call on a 320x240 clip that is
visible between 1.0 s and 2.0 s of the source). The tests then prove, for each kind: the
recipe table takes exactly the method's keywords and builds the same overlay; the manifest,
the notebook summary and stills include it; the export shows it only inside its window; and
the export, the preview and the MoviePy composition agree on its pixels, also across a trim,
a cut, on portrait and on variable frame rate input.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import evidence_annotate as ea
from evidence_annotate.deliver.manifest import plan_to_dict
from evidence_annotate.recipe import parse_recipe
from evidence_annotate.recipe.schema import signature_schema
from helpers import frame_at

FAST: dict[str, Any] = {"crf": 12, "speed": "ultrafast", "progress": False, "manifest": False}

EXAMPLES: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "box": (((100, 60, 120, 80),), {"start": 1.0, "end": 2.0, "label": "Crack"}),
    "arrow": (((20, 20), (100, 60)), {"start": 1.0, "end": 2.0}),
    "text": (("Wrong colour",), {"at": (10, 150), "start": 1.0, "end": 2.0}),
    "blur": (((150, 20, 80, 60),), {"start": 1.0, "end": 2.0, "method": "pixelate"}),
    "ellipse": (((60, 60, 90, 70),), {"start": 1.0, "end": 2.0, "label": "Dent"}),
    "spotlight": (((60, 60, 90, 70),), {"start": 1.0, "end": 2.0, "shape": "ellipse",
                                        "feather": 6}),
    "magnify": (((40, 40, 30, 20),), {"start": 1.0, "end": 2.0, "zoom": 3.0}),
    "clock": (("bottom-right",), {"start": 1.0, "end": 2.0, "size": 18}),
}
"""Kind -> (positional, keyword) arguments of its Evidence method (fits 320x240 and 240x320)."""
ON_FLAT: set[str] = {"box", "arrow", "text", "ellipse", "spotlight", "magnify", "clock"}
"""Kinds whose example is visible on flat gray footage (blur on gray changes nothing)."""


def _add(ev: ea.Evidence, kind: str) -> ea.Evidence:
    args, kwargs = EXAMPLES[kind]
    return getattr(ev, kind)(*args, **kwargs)  # type: ignore[no-any-return]


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


def _changed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 40)


def test_every_kind_has_an_example() -> None:
    assert set(EXAMPLES) == set(ea.KINDS)


@pytest.mark.parametrize("kind", sorted(ea.KINDS))
def test_recipe_keys_are_the_method_keywords(kind: str) -> None:
    create = ea.KINDS[kind].create
    names = list(inspect.signature(create).parameters)[1:]
    checks, required = signature_schema(create, skip=1)
    assert list(checks) == names
    assert set(required) <= set(names)


@pytest.mark.parametrize("kind", sorted(ea.KINDS))
def test_recipe_table_builds_the_same_overlay(kind: str, testsrc_clip: Path) -> None:
    args, kwargs = EXAMPLES[kind]
    names = list(inspect.signature(ea.KINDS[kind].create).parameters)[1:]
    table = {**dict(zip(names, args, strict=False)), **kwargs}
    table = {k: list(v) if isinstance(v, tuple) else v for k, v in table.items()}
    recipe = parse_recipe({"input": str(testsrc_clip), kind: [table]}, base=Path("."))
    assert recipe.evidence(progress=False).layers == _add(ea.open(testsrc_clip), kind).layers


@pytest.mark.parametrize("kind", sorted(ea.KINDS))
def test_manifest_notebook_and_repr_list_the_kind(kind: str, testsrc_clip: Path) -> None:
    ev = _add(ea.open(testsrc_clip), kind)
    (entry,) = plan_to_dict(ev.plan)["layers"]
    assert (entry["kind"], entry["start"], entry["end"]) == (kind, 1.0, 2.0)
    assert f"<td style='text-align:left'>{kind}</td>" in ev._repr_html_()
    assert f"{kind} 1.00-2.00 s" in repr(ev)


@pytest.mark.parametrize("kind", sorted(ea.KINDS))
def test_export_shows_the_kind_inside_its_window_only(kind: str, testsrc_clip: Path,
                                                      tmp_path: Path) -> None:
    ev = _add(ea.open(testsrc_clip), kind)
    result = ev.export(tmp_path / f"{kind}.mp4", **FAST)
    for t, inside in ((0.5, False), (1.02, True), (1.5, True), (1.97, True), (2.5, False)):
        exported = frame_at(result.path, t)
        bare = frame_at(testsrc_clip, t)
        changed = int(_changed(exported, bare).sum())
        assert (changed > 150) == inside, (t, changed)
        assert _diff(exported, np.asarray(ev.preview(t))) < 6, t


@pytest.mark.parametrize("kind", sorted(ea.KINDS))
def test_three_renderers_agree_across_trims_and_cuts(kind: str, testsrc_clip: Path,
                                                     tmp_path: Path) -> None:
    ev = _add(ea.open(testsrc_clip), kind).title_card("8123", "2026-11-20", seconds=0.4)
    ev = ev.trim(0.3, 2.8).cut([(1.3, 1.6)])
    result = ev.export(tmp_path / f"{kind}-cut.mp4", **FAST)
    clip = ev.to_moviepy()
    try:
        assert clip.duration == pytest.approx(result.duration, abs=0.05)
        for source_t in (1.1, 1.25, 1.65, 1.9):
            t = ev.timeline.to_output(source_t)
            assert t is not None
            exported = frame_at(result.path, t)
            drawn = _changed(exported, frame_at(testsrc_clip, source_t))
            assert drawn.sum() > 150, source_t
            previewed = np.asarray(ev.preview(t))
            moviepy = clip.get_frame(t)
            assert _diff(exported[drawn], previewed[drawn]) < 25, source_t
            assert _diff(exported[drawn], moviepy[drawn]) < 25, source_t
    finally:
        clip.close()


@pytest.mark.parametrize("kind", sorted(ea.KINDS))
def test_portrait_and_vfr_place_the_kind_as_previews_do(kind: str, portrait_clip: Path,
                                                        vfr_clip: Path, tmp_path: Path) -> None:
    for clip in (portrait_clip, vfr_clip):
        ev = _add(ea.open(clip), kind)
        result = ev.export(tmp_path / f"{kind}-{clip.stem}.mp4", **FAST)
        for t in (0.5, 1.5):
            exported = frame_at(result.path, t)
            assert _diff(exported, np.asarray(ev.preview(t))) < 6, (clip.name, t)
        if kind in ON_FLAT:
            assert _changed(frame_at(result.path, 1.5), frame_at(clip, 1.5)).sum() > 150


@pytest.mark.parametrize("kind", sorted(ea.KINDS))
def test_stills_pick_the_kind_when_it_deserves_one(kind: str, testsrc_clip: Path,
                                                   tmp_path: Path) -> None:
    ev = _add(ea.open(testsrc_clip), kind)
    stills = ev.stills(tmp_path / "stills")
    at_window = [p for p in stills if p.name.endswith("_0001.500s.png")]
    if ea.KINDS[kind].still:
        assert stills == at_window != []
    else:  # nothing worth a still: evenly spaced frames instead
        assert at_window == [] and len(stills) == 4
