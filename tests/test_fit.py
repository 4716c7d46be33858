"""Pure fitting arithmetic: split points, budgets, timelines (no encoding)."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import evidence_annotate as ea
from evidence_annotate.captions import Cue
from evidence_annotate.captions.track import remap_cues
from evidence_annotate.deliver.fit import budget_settings, split_points
from evidence_annotate.render.settings import EncodeSettings
from evidence_annotate.speech.transcript import Word
from evidence_annotate.timing import Timeline


@given(st.floats(1, 300), st.floats(0.5, 60),
       st.lists(st.floats(0, 300), max_size=30),
       st.lists(st.tuples(st.floats(0, 300), st.floats(0.05, 1.5)), max_size=30))
def test_split_points_cover_everything_within_the_limit(
        total: float, length: float, candidates: list[float],
        raw_words: list[tuple[float, float]]) -> None:
    words = sorted((s, s + d) for s, d in raw_words)
    pieces = split_points(total, length, candidates, words)
    assert pieces[0][0] == 0.0 and pieces[-1][1] == total
    for (_, end), (start, _) in itertools.pairwise(pieces):
        assert end == start
    for start, end in pieces:
        assert 0 < end - start <= length + 1e-6


def test_split_points_prefer_candidates_and_never_cut_words() -> None:
    words = [(float(i), i + 0.8) for i in range(20)]
    assert split_points(20.0, 6.0, [4.9, 5.9, 11.9], words) == [
        (0.0, 5.9), (5.9, 11.9), (11.9, 17.9), (17.9, 20.0)]
    # no candidate in the window: the cut moves back to the start of the word it would split
    assert split_points(10.0, 4.5, [], [(4.2, 4.9)]) == [(0.0, 4.2), (4.2, 8.7), (8.7, 10.0)]


def test_timeline_maps_both_ways_across_cuts() -> None:
    tl = Timeline(card=2.0, segments=((0.0, 3.0), (5.0, 8.0)))
    assert tl.duration == 8.0
    assert [tl.to_output(t) for t in (0.0, 2.9, 3.0, 4.9, 5.0, 7.5)] == [
        2.0, 4.9, None, None, 5.0, 7.5]
    assert tl.to_source(1.0) is None and tl.to_source(5.5) == 5.5 and tl.to_source(4.0) == 2.0
    assert tl.map_span(2.0, 6.0) == [(4.0, 5.0), (5.0, 6.0)]


def test_cues_follow_cuts_and_are_split_between_words() -> None:
    words = (Word(1.0, 1.5, "Cracked"), Word(1.6, 2.0, "here"), Word(5.2, 5.6, "and"),
             Word(5.7, 6.2, "here."))
    cue = Cue(1.0, 6.2, ("Cracked here and here.",), words)
    tl = Timeline(card=1.0, segments=((0.0, 3.0), (5.0, 10.0)))
    moved = remap_cues([cue, Cue(3.5, 4.5, ("gone",))], tl)
    assert [c.text for c in moved] == ["Cracked here", "and here."]
    assert moved[0].start == 2.0 and moved[1].words[0].start == pytest.approx(4.2)


def test_budget_picks_two_pass_and_scales_down_when_bits_are_scarce(gray_clip: Path) -> None:
    info = ea.probe(gray_clip)
    tight = ea.Platform("tight", max_bytes=150_000)
    budget = budget_settings(EncodeSettings(), tight, info, 4.0)
    assert budget.two_pass and budget.settings.video_bitrate == budget.video_bps
    assert budget.settings.audio_bitrate == "64k"
    total = (budget.video_bps + 64_000) * 4.0 / 8
    assert 0.85 * 150_000 < total < 150_000
    roomy = budget_settings(EncodeSettings(), ea.Platform("roomy", max_bytes=50_000_000),
                            info, 4.0)
    assert not roomy.two_pass and roomy.settings.maxrate is not None
    assert roomy.settings.size is None
    with pytest.raises(ea.PlatformLimitError, match="cannot fit"):
        budget_settings(EncodeSettings(), ea.Platform("t", max_bytes=20_000), info, 60.0)


def test_card_duration_is_whole_frames() -> None:
    from evidence_annotate.cards import TitleCard
    from evidence_annotate.plan import Plan

    plan = Plan(title_card=TitleCard("1", "d", seconds=2.0))
    assert plan.card_duration(Fraction(30000, 1001)) == pytest.approx(60 * 1001 / 30000)
