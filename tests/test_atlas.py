"""Still sprites packed into atlases: one input, the very pixels of one input per sprite."""

from __future__ import annotations

import subprocess
from pathlib import Path
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

import evidence_annotate as ea
from evidence_annotate.render import sprites
from evidence_annotate.render.atlas import shelves


def _raw_frames(ev: ea.Evidence, work: Path) -> tuple[bytes, int]:
    """Every frame of the export's graph as raw yuv420p, and how many inputs it read."""
    job = ev.compile(work / "out.mp4", work)
    argv = list(job.argv[:job.argv.index("-c:v")])
    audio: list[str] = []
    if "[aout]" in argv:
        index = argv.index("[aout]")
        del argv[index - 1:index + 1]
        audio = ["-map", "[aout]", "-f", "null", "-"]
    raw = subprocess.run([*argv, "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1", *audio],
                         capture_output=True, check=True).stdout
    return raw, len(job.inputs)


def test_packed_stills_show_exactly_what_separate_inputs_show(
        testsrc_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(testsrc_clip)
    width, height = ev.info.size
    for i in range(9):
        x, y = 4 + (i * 37) % (width - 80), 20 + (i * 23) % (height - 60)
        start, end = 0.1 * i, 0.1 * i + 0.5
        if i % 3 == 0:
            ev = ev.box((x, y, 41, 27), start=start, end=end, color="yellow", label="Ab")
        elif i % 3 == 1:
            ev = ev.arrow((x, y), (x + 37, y + 21), start=start, end=end, color="#00ffff")
        else:
            ev = ev.text("Odd", at=(x + 1, y + 1), start=start, end=end)
    with mock.patch.object(sprites, "_STILL_OVERLAY", 0.0):  # still overlays, whatever
        packed, packed_inputs = _raw_frames(ev, tmp_path / "packed")
        with mock.patch.object(sprites, "ATLAS_MIN", 1000):
            plain, plain_inputs = _raw_frames(ev, tmp_path / "plain")
    assert "crop=" in (tmp_path / "packed" / "graph.txt").read_text()
    assert "crop=" not in (tmp_path / "plain" / "graph.txt").read_text()
    assert (packed_inputs, plain_inputs) == (2, 10)
    assert len(packed) == len(plain) > 0
    assert packed == plain


_EVEN = st.integers(1, 150).map(lambda n: 2 * n)
_SIZES = st.lists(st.tuples(_EVEN, _EVEN), max_size=40)


@given(sizes=_SIZES, side=st.integers(64, 512))
def test_shelves_never_overlap_and_stay_in_the_atlas(
        sizes: list[tuple[int, int]], side: int) -> None:
    places = shelves(sizes, side)
    assert len(places) == len(sizes)
    boxes = [(a, x, y, x + w, y + h) for (a, x, y), (w, h) in zip(places, sizes, strict=True)]
    for index, (atlas, x0, y0, x1, y1) in enumerate(boxes):
        assert x0 % 2 == 0 and y0 % 2 == 0
        if x0 or y0:  # a rectangle alone in its row or atlas may be larger than the side
            assert x1 <= max(side, x1 - x0) and y1 <= max(side, y1 - y0)
        for other, ox0, oy0, ox1, oy1 in boxes[:index]:
            assert other != atlas or x1 <= ox0 or ox1 <= x0 or y1 <= oy0 or oy1 <= y0
