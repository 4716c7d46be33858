"""Still sprites packed into atlas inputs: where they sit, what ffmpeg shows, what it costs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import evidence_annotate as ea
from evidence_annotate.filtergraph import FilterGraph
from evidence_annotate.render import sprites
from evidence_annotate.render.atlas import PAGE, atlas_sources, pack
from evidence_annotate.render.run import ffmpeg_exe
from evidence_annotate.render.slices import unmerged
from helpers import assert_frames_match, graph_luma
from test_slices import LUMA_TOLERANCE

_SIZES = st.lists(st.tuples(st.integers(1, 1200).map(lambda v: 2 * v),
                            st.integers(1, 700).map(lambda v: 2 * v)), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(sizes=_SIZES, page=st.sampled_from([256, 1024, PAGE]))
def test_pack_places_every_picture_apart_inside_its_page(sizes: list[tuple[int, int]],
                                                          page: int) -> None:
    places, pages = pack(sizes, page)
    assert len(places) == len(sizes)
    boxes: dict[int, list[tuple[int, int, int, int]]] = {}
    for (w, h), place in zip(sizes, places, strict=True):
        assert place.x % 2 == 0 and place.y % 2 == 0  # 4:2:0 blocks stay whole
        width, height = pages[place.page]
        assert width % 2 == 0 and height % 2 == 0
        assert place.x >= 4 and place.y >= 4 and place.x + w + 4 <= width
        assert place.y + h + 4 <= height
        biggest = [s for s, p in zip(sizes, places, strict=True) if p.page == place.page]
        assert width <= max(page, max(s[0] for s in biggest) + 8)
        assert height <= max(page, max(s[1] for s in biggest) + 8)
        boxes.setdefault(place.page, []).append((place.x - 4, place.y - 4, place.x + w + 4,
                                                 place.y + h + 4))
    for placed in boxes.values():
        for i, a in enumerate(placed):
            for b in placed[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_repeated_pictures_are_packed_and_cropped_once(tmp_path: Path) -> None:
    red = Image.new("RGBA", (40, 20), (255, 0, 0, 255))
    blue = Image.new("RGBA", (40, 20), (0, 0, 255, 128))
    graph = FilterGraph(tmp_path, [Path("clip.mp4")])
    pads, lanes = atlas_sources(graph, [red, blue, red.copy(), red, blue], "atlas")
    assert len(pads) == len(set(pads)) == 5 and lanes == []
    assert len(graph.inputs) == 2  # the clip and ONE atlas
    text = graph.text()
    assert text.count("crop=") == 2 and text.count("format=yuva420p") == 1
    assert graph.inputs[1].stat().st_size < 3 * (48 * 28 * 4)  # two 48x28 pictures, raw
    with pytest.raises(ValueError, match="3x4: sides must be even"):
        atlas_sources(graph, [Image.new("RGBA", (3, 4))], "odd")


def test_a_lane_cuts_its_pictures_in_turn_from_one_page(tmp_path: Path) -> None:
    """Pictures shown in turn come from their page's pad; the others keep pads of their own."""
    red = Image.new("RGBA", (40, 20), (255, 0, 0, 255))
    blue = Image.new("RGBA", (40, 20), (0, 0, 255, 128))
    green = Image.new("RGBA", (30, 20), (0, 255, 0, 255))
    graph = FilterGraph(tmp_path, [Path("clip.mp4")])
    pads, lanes = atlas_sources(graph, [red, blue, green, red], "atlas", [[0, 1, 3]])
    assert pads[0] == pads[1] == pads[3] == "" and pads[2]
    (lane,) = lanes
    assert lane.members == (0, 1, 3) and lane.places[0] == lane.places[2] != lane.places[1]
    assert len(graph.inputs) == 2 and graph.text().count("split=2") == 1


@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_atlas_overlays_show_what_one_overlay_each_shows(
        data: st.DataObject, testsrc_clip: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ev = ea.open(testsrc_clip)
    for index in range(data.draw(st.integers(6, 14))):
        start = data.draw(st.floats(0, 2.5))
        x, y = data.draw(st.integers(0, 260)), data.draw(st.integers(20, 200))
        color = data.draw(st.sampled_from(["red", "yellow", "#00ffff"]))
        if index % 3 == 0:
            ev = ev.box((x, y, 40, 30), start=start, end=start + 0.5, color=color)
        elif index % 3 == 1:
            ev = ev.arrow((x, y), (x + 40, y + 24), start=start, end=start + 0.5, color=color)
        else:
            ev = ev.text("Ab", at=(x, y), start=start, end=start + 0.5)
    work = tmp_path_factory.mktemp("atlas")
    with mock.patch.object(sprites, "_STILL_OVERLAY", 0.0):  # still overlays, whatever
        packed = graph_luma(ev, work / "packed")
    assert "format=yuva420p" in (work / "packed" / "graph.txt").read_text()
    with unmerged():
        plain = graph_luma(ev, work / "plain")
    assert_frames_match(packed, plain, LUMA_TOLERANCE)


def _peak_mib(argv: list[str]) -> float:
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    assert proc.stderr is not None
    error = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    assert status == 0, error
    return usage.ru_maxrss / 1024


def test_memory_does_not_grow_by_a_frame_per_annotation(tmp_path: Path) -> None:
    """400 annotations on 640x360 footage: one frame is 0.33 MiB, a conversion about 1 MiB.

    With one input, conversion and first-frame copy per overlay ffmpeg took about 650 MiB
    here; packed, what each more overlay costs is a small fraction of a frame.
    """
    clip = tmp_path / "clip.mp4"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i",
                    "testsrc2=s=640x360:r=30:d=1", "-c:v", "libx264", "-preset", "ultrafast",
                    str(clip)], check=True)

    def peak(count: int) -> float:
        ev = ea.open(clip)
        for i in range(count):
            ev = ev.box((10 + (i * 37) % 560, 20 + (i * 53) % 300, 60, 40),
                        start=(i % 25) / 30, end=(i % 25) / 30 + 0.2,
                        color=["red", "yellow", "#00ffff", "white"][i % 4])
        job = ev.compile(tmp_path / f"o{count}.mp4", tmp_path / f"w{count}")
        argv = list(job.argv)
        return _peak_mib([*argv[:argv.index("-c:v")], "-f", "null", "-"])

    few, many = peak(20), peak(400)
    assert many - few < 0.1 * 380, f"{few:.0f} MiB for 20, {many:.0f} MiB for 400"
