"""Fuzzing the public API: random and hostile arguments, nested recipe data, damaged media.

Every failure must be a ``ValueError`` or an ``ea.EvidenceAnnotateError`` (never a raw
``TypeError``, ``OverflowError``, ``RecursionError``, a Pillow or PyAV error), and nothing may
hang: each example has a deadline. Examples are bounded so the suite stays fast.
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evidence_annotate as ea
from evidence_annotate.overlays import KINDS
from evidence_annotate.recipe import parse_recipe

ALLOWED = (ValueError, ea.EvidenceAnnotateError)
FUZZ = settings(max_examples=40, deadline=timedelta(seconds=5), derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

numbers = st.one_of(st.integers(-10, 400), st.integers(), st.floats(allow_nan=True),
                    st.just(10**400), st.just(float("inf")), st.just(-0.0))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=30),
                    st.sampled_from(["red", "#ff000080", "00:01.5", "gaussian", "split",
                                     "aliexpress", "128k", "en", "1:2:3", "", " "]))
hostile = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.tuples(inner, inner),
                            st.tuples(inner, inner, inner, inner),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
plausible = st.one_of(
    st.tuples(st.integers(0, 200), st.integers(0, 150), st.integers(1, 120),
              st.integers(1, 90)),
    st.tuples(st.integers(0, 320), st.integers(0, 240)),
    st.builds(ea.rel, st.floats(0, 0.5), st.floats(0, 0.5)),
    st.builds(ea.rel, st.floats(0, 0.5), st.floats(0, 0.5), st.floats(0.01, 0.5),
              st.floats(0.01, 0.5)),
    st.floats(0, 5), st.integers(1, 80), st.text(min_size=1, max_size=20))
value = st.one_of(hostile, plausible)


def _expect_clean(call: Callable[[], Any]) -> Any:
    """Run ``call``: it returns, or fails with one of the library's own errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. missing glyphs in random text
        try:
            return call()
        except ALLOWED:
            return None


def _kwargs_for(function: Callable[..., Any], skip: int, data: st.DataObject) -> dict[str, Any]:
    parameters = list(inspect.signature(function).parameters.values())[skip:]
    kwargs: dict[str, Any] = {}
    for parameter in parameters:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        required = parameter.default is parameter.empty
        if required or data.draw(st.booleans()):
            kwargs[parameter.name] = data.draw(value)
    return kwargs


@pytest.fixture(scope="module")
def small(silent_video_clip: Path) -> ea.Evidence:
    """A 2 s 320x240 clip without audio (transcribe() returns at once, no model)."""
    return ea.open(silent_video_clip)


@pytest.mark.parametrize("kind", sorted(KINDS))
@FUZZ
@given(data=st.data())
def test_every_overlay_kind_takes_hostile_arguments(small: ea.Evidence, kind: str,
                                                    data: st.DataObject) -> None:
    kwargs = _kwargs_for(KINDS[kind].create, 1, data)
    out = _expect_clean(lambda: getattr(small, kind)(**kwargs))
    if out is not None:
        assert isinstance(out, ea.Evidence)
        layer = out.layers[-1]
        start = layer.span.start
        _expect_clean(lambda: out.preview(min(start, out.duration - 0.05)))


METHODS = ["title_card", "trim", "cut", "preview", "transcribe", "captions"]


@pytest.mark.parametrize("method", METHODS)
@FUZZ
@given(data=st.data())
def test_every_evidence_method_takes_hostile_arguments(small: ea.Evidence, method: str,
                                                       data: st.DataObject) -> None:
    kwargs = _kwargs_for(getattr(ea.Evidence, method), 1, data)
    out = _expect_clean(lambda: getattr(small, method)(**kwargs))
    if isinstance(out, ea.Evidence) and method in ("title_card", "trim", "cut"):
        assert math.isfinite(out.duration) and out.duration > 0
        _expect_clean(lambda: out.preview(out.duration / 2))


@settings(max_examples=12, deadline=timedelta(seconds=30), derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_output_writers_take_hostile_arguments(small: ea.Evidence, tmp_path_factory:
                                               pytest.TempPathFactory,
                                               data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("out")
    export = {name: data.draw(value) for name in ("platform", "fit", "crf", "speed",
                                                  "audio_bitrate", "keep_metadata")
              if data.draw(st.booleans())}
    _expect_clean(lambda: small.export(folder / "e.mp4", progress=False, **export))
    times = data.draw(st.one_of(st.none(), st.lists(value, max_size=3)))
    _expect_clean(lambda: small.stills(folder / "stills", times=times))
    name = data.draw(st.sampled_from(["c.srt", "c.txt", "c", "c.json", "c.ass"]))
    _expect_clean(lambda: small.write_captions(folder / name))
    _expect_clean(lambda: small.compile(folder / data.draw(st.sampled_from(["a.mp4", "a.gif"])),
                                        folder / "work", crf=data.draw(value)))


recipe_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(
                                ["rect", "start", "end", "label", "style", "size", "color",
                                 "thickness", "rel", "at", "text", "x", "fields", "order"]),
                                inner, max_size=4)),
    max_leaves=20)
top_keys = st.sampled_from(["input", "output", "platform", "fit", "crf", "speed",
                            "title_card", "transcribe", "captions", "keep_metadata",
                            *KINDS, "bogus"])


@FUZZ
@given(data=st.dictionaries(top_keys, recipe_values, max_size=6))
def test_recipe_loader_takes_random_nested_data(data: dict[str, Any]) -> None:
    _expect_clean(lambda: parse_recipe(data, base=Path("/nonexistent")))


@FUZZ
@given(depth=st.integers(30, 3000), container=st.sampled_from(["list", "dict"]))
def test_recipe_loader_refuses_deep_nesting(depth: int, container: str) -> None:
    nested: Any = []
    for _ in range(depth):
        nested = [nested] if container == "list" else {"style": nested}
    _expect_clean(lambda: parse_recipe({"input": "a.mp4", "box": [{"rect": nested}]},
                                       base=Path(".")))


@settings(max_examples=25, deadline=timedelta(seconds=15), derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_media_is_an_input_error(gray_clip: Path,
                                         tmp_path_factory: pytest.TempPathFactory,
                                         data: st.DataObject) -> None:
    original = gray_clip.read_bytes()
    how = data.draw(st.sampled_from(["random", "truncate", "flip", "splice"]))
    if how == "random":
        blob = data.draw(st.binary(max_size=4096))
    elif how == "truncate":
        blob = original[:data.draw(st.integers(0, len(original)))]
    elif how == "flip":
        flipped = bytearray(original)
        for _ in range(data.draw(st.integers(1, 40))):
            index = data.draw(st.integers(0, len(flipped) - 1))
            flipped[index] = data.draw(st.integers(0, 255))
        blob = bytes(flipped)
    else:
        cut = data.draw(st.integers(0, len(original)))
        blob = original[:cut] + data.draw(st.binary(max_size=2048)) + original[cut:]
    path = tmp_path_factory.mktemp("media") / data.draw(st.sampled_from(["x.mp4", "x.mov",
                                                                          "x.mkv", "x"]))
    path.write_bytes(blob)
    _expect_clean(lambda: ea.probe(path))
    ev = _expect_clean(lambda: ea.open(path))
    _expect_clean(lambda: ea.check(path, platform="aliexpress"))
    if isinstance(ev, ea.Evidence):
        _expect_clean(lambda: ev.preview(0.0))
