"""Following regions and redacting faces and labels, measured on real exports."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import evidence_annotate as ea
from evidence_annotate.errors import ModelError
from evidence_annotate.vision.models import face_session, need, text_session
from helpers import decode_frames
from redact_clips import Truth, coverage, make_clip

SIZE = (320, 240)

cv2 = pytest.importorskip("cv2")
# CSRT and KCF are in OpenCV's contrib build; the detectors' packages pull the plain build,
# which may be installed over it (.ci/run puts contrib back, as docs/privacy.md says).
needs_trackers = pytest.mark.skipif(
    not hasattr(cv2, "TrackerCSRT_create"),
    reason="OpenCV without the contrib trackers: run pip install --force-reinstall "
           "--no-deps opencv-contrib-python-headless")


@pytest.fixture(scope="session")
def models() -> None:
    """Load both detectors once per worker."""
    face_session()
    text_session()


@pytest.fixture(scope="session")
def moving_clip(media_dir: Path) -> tuple[Path, Truth, Truth]:
    """2 s: the face drifts right and down, the label slides left."""
    path = media_dir / "face_label.mp4"
    face, label = make_clip(path, SIZE, 2.0,
                            lambda t: (int(10 + t * 70), int(24 + t * 12)),
                            lambda t: (int(208 - t * 48), 156))
    return path, face, label


@pytest.fixture(scope="session")
def leaving_clip(media_dir: Path) -> tuple[Path, Truth, Truth]:
    """2 s: the face walks out of the frame to the right (gone after about 1.5 s)."""
    path = media_dir / "face_leaves.mp4"
    face, label = make_clip(path, SIZE, 2.0, lambda t: (int(120 + t * 160), 60), None)
    return path, face, label


@needs_trackers
@pytest.mark.parametrize("tracker", ["csrt", "kcf"])
def test_follow_stays_within_a_few_pixels_of_the_truth(
        moving_clip: tuple[Path, Truth, Truth], tracker: str) -> None:
    path, face, _ = moving_clip
    ev = ea.open(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ea.TrackLostWarning)
        track = ev.follow(face(1.0), at=1.0, tracker=tracker)
    assert track.start == 0.0 and track.end == pytest.approx(59 / 30)
    assert len(track.keys) < 60 and track.lost == ()
    errors = [max(abs(a - b) for a, b in zip(track.at(i / 30)[:2], face(i / 30)[:2],
                                             strict=True)) for i in range(60)]
    assert max(errors) <= 6, errors


@needs_trackers
def test_a_lost_track_is_reported_with_its_time(leaving_clip: tuple[Path, Truth, Truth]) -> None:
    path, face, _ = leaving_clip
    ev = ea.open(path)
    with pytest.warns(ea.TrackLostWarning, match=r"lost the region at 1\.\d+ s") as caught:
        track = ev.follow(face(0.0), at=0.0, tracker="kcf")
    assert len(caught) == 1
    assert len(track.lost) == 1 and 1.0 < track.lost[0] < 2.0
    assert track.end < track.lost[0]
    with pytest.raises(ea.TrackLostError) as raised:
        ev.follow(face(0.0), at=0.0, tracker="kcf", on_lost="raise")
    assert raised.value.times == track.lost


def test_follow_rejects_bad_values(moving_clip: tuple[Path, Truth, Truth]) -> None:
    ev = ea.open(moving_clip[0])
    with pytest.raises(ValueError, match="tracker='mosse' is not a tracker; use one of csrt"):
        ev.follow((10, 10, 20, 20), tracker="mosse")
    with pytest.raises(ValueError, match=r"at=5 \(5.000 s\) is at or past the end"):
        ev.follow((10, 10, 20, 20), at=5)
    with pytest.raises(ValueError, match="resolution=20 must be a whole number of pixels"):
        ev.follow((10, 10, 20, 20), resolution=20)


def test_redact_hides_the_face_and_the_label_on_every_frame(
        moving_clip: tuple[Path, Truth, Truth], models: None, tmp_path: Path) -> None:
    path, face, label = moving_clip
    ev = ea.open(path).redact()
    kinds = sorted((layer.reason, layer.automatic)  # type: ignore[attr-defined]
                   for layer in ev.layers)
    assert kinds == [("face", True), ("text", True)]
    out = ev.export(tmp_path / "redacted.mp4", progress=False).path
    recall, needless, seen = coverage(out, path, ev.layers, [face, label], SIZE)
    print(f"recall {recall:.4f} over {seen} face/label frames, needless blur {needless:.4f}")
    assert seen == 120
    assert recall >= 0.99
    assert needless < 0.12


def test_reviewed_detections_drop_and_add(moving_clip: tuple[Path, Truth, Truth],
                                          models: None) -> None:
    path, _, label = moving_clip
    ev = ea.open(path)
    found = ev.detect()
    assert sorted(d.kind for d in found) == ["face", "text"]
    assert all(d.automatic and 0 < d.score <= 1 for d in found)
    text = next(d for d in found if d.kind == "text")
    bounds, first, last = text.track.bounds(), label(0.0), label(59 / 30)
    assert last.x - 8 <= bounds.x <= last.x + 16 and first.right - 16 <= bounds.right
    assert bounds.right <= first.right + 8
    kept = [d for d in found if d.kind == "face"]
    screen = ea.track((0.5, (10, 150, 40, 30)), (1.5, (30, 150, 40, 30)))
    red = ev.redact(detections=[*kept, screen, (280, 0, 40, 40)])
    layers = [layer.to_dict() for layer in red.layers]
    assert [(d["reason"], d["automatic"]) for d in layers] == [
        ("face", True), ("manual", False), ("manual", False)]
    assert layers[1]["start"] == 0.5 and layers[2]["start"] == 0 and layers[2]["end"] is None
    assert layers[1]["track"]["keys"][0]["t"] == 0.5
    text_of_label = "Budi"
    assert all(text_of_label not in str(d) for d in layers)
    assert "automatic: face" in red.layers[0].describe()


def test_redact_rejects_bad_values(moving_clip: tuple[Path, Truth, Truth]) -> None:
    ev = ea.open(moving_clip[0])
    with pytest.raises(ValueError, match=r"padding=2 must be a number in \[0, 1\]"):
        ev.redact(padding=2)
    with pytest.raises(ValueError, match="nothing to look for"):
        ev.detect(faces=False, text=False)
    with pytest.raises(ValueError, match=r"detections\[0\]=.*outside the 320x240 frame"):
        ev.redact(detections=[(300, 0, 40, 40)])
    with pytest.raises(ValueError, match="must be a list of detections"):
        ev.redact(detections="face")  # type: ignore[arg-type]


def test_a_missing_extra_names_the_install_command() -> None:
    with pytest.raises(ModelError, match=r'pip install "evidence-annotate\[redact\]"'):
        need("evidence_annotate_no_such_module")


def test_a_recipe_line_redacts(moving_clip: tuple[Path, Truth, Truth], models: None,
                               tmp_path: Path) -> None:
    from evidence_annotate.recipe import load_recipe

    recipe = tmp_path / "r.toml"
    recipe.write_text(f'input = "{moving_clip[0]}"\nredact = {{ faces = true, text = false, '
                      'padding = 0.3 }\n', encoding="utf-8")
    built = load_recipe(recipe).evidence(progress=False)
    assert built.plan == ea.open(moving_clip[0]).redact(text=False, padding=0.3).plan
    assert [layer.reason for layer in built.layers] == ["face"]  # type: ignore[attr-defined]
    recipe.write_text(f'input = "{moving_clip[0]}"\nredact = {{ method = "smudge" }}\n',
                      encoding="utf-8")
    with pytest.raises(ea.RecipeError, match=r"redact\.method: expected one of gaussian"):
        load_recipe(recipe)


def test_the_report_lists_hidden_regions_without_their_content(
        moving_clip: tuple[Path, Truth, Truth], tmp_path: Path) -> None:
    from pypdf import PdfReader

    from evidence_annotate.vision.redact import Detection

    path = moving_clip[0]
    face = Detection("face", ea.track((0.2, (10, 20, 60, 70)), (1.8, (120, 40, 60, 70))),
                     0.9, True)
    ev = ea.open(path).redact(detections=[face, (200, 150, 100, 60)])
    pdf = ev.report(tmp_path / "r.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Hidden regions" in text
    assert "automatic: face" in text and "track of 2 keyframes" in text
    assert text.count("(automatic") == 1 and text.count("gaussian") == 2
    assert "Budi" not in text


def test_a_tracked_blur_at_720p_steps_where_the_preview_says_and_holds_the_track(
        media_dir: Path, tmp_path: Path) -> None:
    from evidence_annotate.overlays.blur import BLUR_FILL
    from evidence_annotate.overlays.blur_track import quantum, region_at

    size = (1280, 720)
    path = media_dir / "moving_720p.mp4"
    make_clip(path, size, 1.0, None, None)  # a noisy background, nothing dark
    track = ea.track((0.0, (130, 120, 121, 150)), (1.0, (227, 151, 121, 150)))
    ev = ea.open(path).blur(track, method="fill")
    out = ev.export(tmp_path / "fill.mp4", progress=False).path
    resolved = ev.layers[0].track  # type: ignore[attr-defined]
    assert quantum(size) == 8
    positions = set()
    for t, frame in decode_frames(out):
        r = region_at(resolved, t, size)
        want = resolved.at(t)
        assert r.x <= want.x and r.y <= want.y
        assert r.right >= want.right and r.bottom >= want.bottom
        assert r.x % 2 == 0 and r.y % 2 == 0  # on the 4:2:0 grid; steps of 8 with room
        positions.add((r.x, r.y))
        dark = (np.abs(frame.astype(int) - np.array(BLUR_FILL.rgba[:3])).max(axis=2) < 24)
        assert dark[r.y + 2:r.bottom - 2, r.x + 2:r.right - 2].all()
        ys, xs = np.nonzero(dark)
        assert xs.min() >= r.x - 2 and xs.max() < r.right + 2
        assert ys.min() >= r.y - 2 and ys.max() < r.bottom + 2
    assert 4 <= len(positions) < 30  # moves, in fewer steps than frames


def test_a_labels_lines_merge_but_a_taller_box_beside_them_stays_apart() -> None:
    from evidence_annotate.vision.detect import merge

    lines = [(130.0, 116.0, 200.0, 129.0, 0.8), (130.0, 125.0, 202.0, 139.0, 0.7),
             (130.0, 134.0, 195.0, 149.0, 0.9)]
    beside = (107.0, 41.0, 156.0, 99.0, 0.6)  # a face-sized box 17 px above the block
    assert merge([beside, *lines]) == [beside, (130.0, 116.0, 202.0, 149.0, 0.9)]


boxes = st.lists(st.tuples(st.floats(0, 300), st.floats(0, 200), st.floats(1, 80),
                           st.floats(1, 40), st.floats(0, 1)), max_size=8).map(
    lambda raw: [(x, y, x + w, y + h, s) for x, y, w, h, s in raw])


@given(boxes)
def test_merged_text_boxes_hold_every_box_found(found: list[tuple[float, ...]]) -> None:
    from evidence_annotate.vision.detect import merge

    merged = merge(found)  # type: ignore[arg-type]
    assert len(merged) <= len(found)
    for box in found:
        assert any(m[0] <= box[0] and m[1] <= box[1] and m[2] >= box[2] and m[3] >= box[3]
                   for m in merged)
