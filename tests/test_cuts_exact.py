"""Cuts and trims are exact to the frame, on constant and variable frame rate video.

Each test clip carries its frame number in the picture (8 black/white bars, one bit each), so
the tests read exactly which frames survive an export, when each is shown, and check that the
planned duration, the video stream and the audio stream agree.
"""

from __future__ import annotations

from pathlib import Path

import av
import pytest

import evidence_annotate as ea
from conftest import _make, ffmpeg
from evidence_annotate.render.frames import frame_times
from evidence_annotate.timing import snap_to_frames

BITS = "255*bitand(floor(N/pow(2\\,floor(X/40)))\\,1)"
"""Luma of a frame: bar k (40 px wide) is white when bit k of the frame number is set."""


@pytest.fixture(scope="session")
def numbered_clip(media_dir: Path) -> Path:
    """3 s at 25 fps, 320x240, frame number in the picture, a tone."""
    return _make(media_dir / "numbered25.mp4", "-f", "lavfi", "-i",
                 f"color=c=black:s=320x240:r=25:d=3,geq=lum='{BITS}':cb=128:cr=128",
                 "-f", "lavfi", "-i", "sine=f=440:d=3", "-c:v", "libx264", "-preset",
                 "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest")


@pytest.fixture(scope="session")
def numbered_vfr_clip(media_dir: Path) -> Path:
    """VFR: 30 fps for 2 s, then every 5th frame (6 fps) to 4 s; numbers count at 30 fps."""
    return _make(media_dir / "numbered_vfr.mp4", "-f", "lavfi", "-i",
                 f"color=c=black:s=320x240:r=30:d=4,geq=lum='{BITS}':cb=128:cr=128,"
                 "select='lt(t\\,2)+not(mod(n\\,5))'", "-f", "lavfi", "-i", "sine=f=440:d=4",
                 "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                 "yuv420p", "-c:a", "aac", "-shortest")


def numbers(path: Path) -> list[tuple[float, int]]:
    """(time, frame number drawn in it) of every frame of a file."""
    out = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            gray = frame.to_ndarray(format="gray")
            value = sum(1 << k for k in range(8) if gray[120, 40 * k + 20] > 128)
            assert frame.time is not None
            out.append((frame.time, value))
    return out


def stream_durations(path: Path) -> dict[str, float]:
    """Duration of the video and audio streams (seconds)."""
    with av.open(str(path)) as container:
        return {s.type: float(s.duration * s.time_base) for s in container.streams
                if s.duration is not None and s.time_base is not None}


def flat(ranges: tuple[tuple[float, float], ...]) -> list[float]:
    return [t for pair in ranges for t in pair]


def _kept(times: list[float], cuts: list[tuple[float, float]]) -> list[int]:
    return [i for i, t in enumerate(times) if not any(a <= t + 1e-9 < b for a, b in cuts)]


@pytest.mark.slow
@pytest.mark.parametrize("count", [10, 14])
def test_many_cuts_keep_exactly_the_frames_outside_them(numbered_clip: Path, tmp_path: Path,
                                                        count: int) -> None:
    cuts = [(i * 0.2, i * 0.2 + 0.1) for i in range(count)]
    ev = ea.open(numbered_clip).cut(cuts)
    result = ev.export(tmp_path / "cut.mp4", speed="ultrafast", progress=False,
                       manifest=False)
    shown = numbers(result.path)
    expected = _kept([i / 25 for i in range(75)], cuts)
    assert [n for _, n in shown] == expected
    assert [round(t, 4) for t, _ in shown] == [round(i / 25, 4) for i in range(len(expected))]
    planned = len(expected) / 25
    assert ev.duration == pytest.approx(planned, abs=1e-6)
    durations = stream_durations(result.path)
    assert durations["video"] == pytest.approx(planned, abs=1e-3)
    assert durations["audio"] == pytest.approx(planned, abs=2e-3)
    assert result.duration == pytest.approx(planned, abs=1e-3)


@pytest.mark.slow
def test_single_frame_pieces_and_a_title_card_stay_exact(numbered_clip: Path,
                                                         tmp_path: Path) -> None:
    ev = (ea.open(numbered_clip).trim(0.1, 1.1).cut([(0.13, 0.5), (0.53, 1.0)])
          .title_card("8123", "2026-11-20", seconds=0.2))
    assert flat(ev.timeline.segments) == pytest.approx([0.12, 0.16, 0.52, 0.56, 1.0, 1.12])
    result = ev.export(tmp_path / "pieces.mp4", speed="ultrafast", progress=False,
                       manifest=False)
    shown = numbers(result.path)
    card = 5  # 0.2 s at 25 fps
    assert [n for _, n in shown[card:]] == [3, 13, 25, 26, 27]
    assert [round(t, 4) for t, _ in shown] == [round(i / 25, 4) for i in range(card + 5)]
    durations = stream_durations(result.path)
    assert durations["video"] == pytest.approx(ev.duration, abs=1e-3) == 0.4
    assert durations["audio"] == pytest.approx(ev.duration, abs=2e-3)


@pytest.mark.slow
def test_cuts_on_variable_frame_rate_follow_the_real_timestamps(numbered_vfr_clip: Path,
                                                                tmp_path: Path) -> None:
    ev = ea.open(numbered_vfr_clip)
    times = list(frame_times(ev.info))
    assert ev.info.vfr and len(times) == 72
    cut = ev.cut([(0.5, 1.0), (2.1, 2.9)])
    # 2.1 falls inside frame 60 (2.0 .. 2.1667): that frame stays and keeps its length.
    assert flat(cut.timeline.segments) == pytest.approx([0.0, 0.5, 1.0, 13 / 6, 3.0, 3.8667],
                                                        abs=1e-3)
    result = cut.export(tmp_path / "vfr.mp4", speed="ultrafast", progress=False,
                        manifest=False)
    shown = numbers(result.path)
    source = dict(zip([round(t * 30) for t in times], times, strict=True))
    expected = [n for n in sorted(source) if not (0.5 <= source[n] < 1.0 or
                                                  2.1 <= source[n] < 2.9)]
    assert [n for _, n in shown] == expected
    for t, n in shown:  # every frame at its planned output time
        planned = cut.timeline.to_output(source[n])
        assert planned is not None
        assert t == pytest.approx(planned, abs=1e-3)
    assert stream_durations(result.path)["audio"] == pytest.approx(cut.duration, abs=2e-3)


def test_a_cut_that_removes_every_frame_start_is_refused(numbered_clip: Path) -> None:
    ev = ea.open(numbered_clip)
    with pytest.raises(ValueError, match="nothing of the clip would remain"):
        ev.trim(0.13, 0.15)


@pytest.mark.parametrize(("ranges", "expected"), [
    ([(0.0, 0.1)], ((0.0, 0.12),)),
    ([(0.1, 0.2)], ((0.12, 0.2),)),
    ([(0.3, 0.4)], ((0.32, 0.4),)),
    ([(0.12, 0.2), (0.2, 0.28)], ((0.12, 0.28),)),            # touching pieces merge
    ([(0.13, 0.15)], ()),                                       # no frame starts inside
    ([(2.9, 3.0)], ((2.92, 3.0),)),                             # up to the video's end
])
def test_snap_to_frames(ranges: list[tuple[float, float]],
                        expected: tuple[tuple[float, float], ...]) -> None:
    frames = [i * 0.04 for i in range(75)]
    assert flat(snap_to_frames(ranges, frames, 3.0)) == pytest.approx(flat(expected))


@pytest.mark.slow
def test_a_held_last_frame_keeps_the_frame_order_of_b_frames(numbered_clip: Path,
                                                             tmp_path: Path) -> None:
    from test_phone_containers import edit_mov

    held = tmp_path / "held.mov"
    ffmpeg("-i", str(numbered_clip), "-c", "copy", "-video_track_timescale", "600", str(held))
    edit_mov(held, aperture=(320, 240), last_ticks=600)  # the last frame "lasts" 1 s
    assert ea.probe(held).held_last_frame
    # The default preset codes B-frames: the setts filter that caps the held frame must keep
    # each packet's presentation time (not replace it by its decoding time).
    result = ea.open(held).export(tmp_path / "out.mp4", speed="medium", progress=False,
                                  manifest=False)
    shown = numbers(result.path)
    assert [n for _, n in shown] == list(range(75))
    assert result.duration == pytest.approx(3.0, abs=1e-3)
