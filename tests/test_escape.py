"""Filter-graph escaping: a reference tokenizer of ffmpeg's rules, and the real ffmpeg."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ffmpeg
from evidence_annotate.filtergraph import escape_filter_value
from evidence_annotate.fonts import FONTS_DIR


def _unescape_level(text: str, stops: str) -> tuple[str, str]:
    """ffmpeg's av_get_token: read up to an unquoted stop char, honouring \\ and '...'."""
    out, i = [], 0
    while i < len(text) and text[i] not in stops:
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        elif c == "'":
            end = text.index("'", i + 1)
            out.append(text[i + 1:end])
            i = end + 1
        else:
            out.append(c)
            i += 1
    return "".join(out), text[i:]


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r\0"),
               max_size=40))
def test_two_levels_of_unescaping_give_the_value_back(value: str) -> None:
    escaped = escape_filter_value(value)
    graph_level, rest = _unescape_level(escaped, "[],;")
    assert rest == ""
    option_level, rest = _unescape_level(graph_level, ":")
    assert rest == ""
    assert option_level == value


def test_line_breaks_are_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        escape_filter_value("a\nb")


NASTY = "it's: [a], b; c\\d = 50% {x}"


def test_real_ffmpeg_opens_a_file_named_with_every_special_character(tmp_path: Path) -> None:
    folder = tmp_path / NASTY
    folder.mkdir()
    subs = folder / f"{NASTY}.ass"
    subs.write_text("[Script Info]\nScriptType: v4.00+\nPlayResX: 64\nPlayResY: 48\n\n"
                    "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, "
                    "MarginV, Effect, Text\nDialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,x\n",
                    encoding="utf-8")
    graph = tmp_path / "graph.txt"
    graph.write_text(f"color=c=black:s=64x48:d=0.2,ass=filename={escape_filter_value(str(subs))}"
                     f":fontsdir={escape_filter_value(str(FONTS_DIR))}[out]", encoding="utf-8")
    ffmpeg("-/filter_complex", str(graph), "-map", "[out]", "-f", "null", "-")
