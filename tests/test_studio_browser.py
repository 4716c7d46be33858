"""The studio end to end in a real headless Chromium (Debian's package, driven by Playwright).

A new user opens the studio for a copy of the (generated) sample clip and, without typing a
coordinate, places every annotation of the README example by mouse, sets their times by
marking frames, fills in the title card, corrects a misheard caption word, splits a cue,
saves and exports; the test then reads the recipe, the captions and the exported pixels.

With ``EVIDENCE_ANNOTATE_SCREENSHOTS=1`` the screenshots of the docs' studio tutorial are
written to ``docs/assets/`` (never in CI runs without it, so the tree stays clean).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright import sync_api as playwright_api

import evidence_annotate as ea
from evidence_annotate.recipe import load_recipe
from evidence_annotate.sample import sample_path
from evidence_annotate.studio import StudioPaths, StudioServer, StudioSession
from helpers import close, frame_at, pixel

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DOCS_ASSETS = Path(__file__).resolve().parents[1] / "docs" / "assets"
SCREENSHOTS = os.environ.get("EVIDENCE_ANNOTATE_SCREENSHOTS") == "1"
FPS = 25  # the sample's frame rate
CARD_FRAMES = 75  # a 3 s title card at 25 fps

SUBTITLES = """1
00:00:01,000 --> 00:00:05,000
The phone case arrived with a crack along the left hedge.

2
00:00:05,000 --> 00:00:09,500
The crack runs from the camera down to the bottom of the case.
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                       reason="needs Debian's chromium (apt-get install chromium; .ci/run "
                              "installs it, and on CI this test never skips)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[StudioServer]:
    clip = tmp_path / "unboxing.mp4"
    shutil.copyfile(sample_path(), clip)
    (tmp_path / "narration.srt").write_text(SUBTITLES, encoding="utf-8")
    recipe = tmp_path / "dispute.toml"
    recipe.write_text('input = "unboxing.mp4"\n[captions]\nsource = "narration.srt"\n',
                      encoding="utf-8")
    server = StudioServer(StudioSession(StudioPaths.for_clip(clip, recipe)))
    server.start()
    yield server
    server.stop()


def _settle(page: Any) -> None:
    page.wait_for_selector("#studio[data-busy='0']")


def _shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(DOCS_ASSETS / f"studio-{name}.png"))


def _drag(page: Any, tool: str, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Pick a tool and drag on the frame from ``start`` to ``end`` (frame pixels, 854x480)."""
    page.click(f"button[data-tool={tool}]")
    box = page.locator(".ea-svg").bounding_box()
    scale = box["width"] / 854

    def at(p: tuple[float, float]) -> tuple[float, float]:
        return box["x"] + (p[0] + 0.5) * scale, box["y"] + (p[1] + 0.5) * scale

    page.mouse.move(*at(start))
    page.mouse.down()
    page.mouse.move(*at(((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)), steps=4)
    page.mouse.move(*at(end), steps=4)
    page.mouse.up()
    page.wait_for_selector(f".ea-layer[data-kind={tool}]")
    _settle(page)


def _go(page: Any, frame: int) -> None:
    page.locator(".ea-scrub").fill(str(frame))
    _settle(page)


def _mark(page: Any, kind: str, start_frame: int, end_frame: int) -> None:
    layer = page.locator(f".ea-layer[data-kind={kind}]")
    _go(page, start_frame)
    layer.locator("[data-action=mark-start]").click()
    _settle(page)
    _go(page, end_frame)
    page.locator(f".ea-layer[data-kind={kind}] [data-action=mark-end]").click()
    _settle(page)


def _near(actual: Any, expected: tuple[int, ...], tol: int = 2) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(actual, expected, strict=True))


def test_a_new_user_annotates_fixes_a_word_saves_and_exports(browser: Any,
                                                             studio: StudioServer) -> None:
    session = studio.session
    page = browser.new_page(viewport={"width": 1500, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(studio.url)
    page.wait_for_selector("#studio[data-ready='1']")
    _settle(page)
    assert page.locator(".ea-cue").count() == 2

    # The title card: fields, then the switch.
    page.fill("[data-card=order]", "8123456789012")
    page.fill("[data-card=date]", "2026-11-20")
    page.fill("[data-card=title]", "Phone case arrived cracked")
    page.check(".ea-card-on")
    _settle(page)
    assert page.locator(".ea-seg-card").count() == 1

    # Every annotation by mouse; times by marking frames (source 1.00 s to 9.48 s, inclusive).
    first, last = CARD_FRAMES + 1 * FPS, CARD_FRAMES + 237
    _drag(page, "box", (296, 112), (356, 436))
    _mark(page, "box", first, last)
    page.fill(".ea-layer[data-kind=box] [data-field=label]", "Crack")
    page.press(".ea-layer[data-kind=box] [data-field=label]", "Tab")
    _settle(page)
    _drag(page, "arrow", (102, 298), (300, 270))
    _mark(page, "arrow", first, last)
    _drag(page, "blur", (596, 32), (832, 174))
    _shot(page, "layers")

    # Fix the misheard word, then split the second cue between "camera" and "down".
    cue = page.locator(".ea-cue-text").first
    cue.fill("The phone case arrived with a crack along the left edge.")
    cue.press("Tab")
    _settle(page)
    second = page.locator(".ea-cue-text").nth(1)
    text = second.input_value()
    second.focus()
    second.evaluate("(el, at) => el.setSelectionRange(at, at)", text.index(" down"))
    page.locator(".ea-cue").nth(1).locator("[data-action=split]").click()
    _settle(page)
    assert page.locator(".ea-cue").count() == 3
    _go(page, CARD_FRAMES + 3 * FPS)
    assert "edge." in page.locator(".ea-cue.active .ea-cue-text").input_value()
    _shot(page, "captions")

    # What the page holds is what the plan holds, placed by mouse.
    ev = session.evidence
    box, arrow, blur = ev.layers
    assert isinstance(box, ea.Box) and isinstance(arrow, ea.Arrow) and isinstance(blur, ea.Blur)
    assert _near(box.rect, (296, 112, 60, 324)) and box.label == "Crack"
    assert (box.span.start, box.span.end) == (1.0, 9.52)
    assert _near(arrow.tail, (102, 298)) and _near(arrow.head, (300, 270))
    assert (arrow.span.start, arrow.span.end) == (1.0, 9.52)
    assert _near(blur.rect, (596, 32, 236, 142)) and blur.span.end is None
    assert ev.plan.title_card is not None and ev.plan.title_card.order == "8123456789012"

    # Save: the recipe rebuilds the same plan, the captions file holds the correction.
    page.click("[data-action=save]")
    page.wait_for_selector(".ea-status:has-text('saved')")
    recipe = load_recipe(session.paths.recipe)
    rebuilt = recipe.evidence(progress=False)
    assert rebuilt.layers == ev.layers
    assert rebuilt.plan.title_card == ev.plan.title_card
    srt = session.paths.captions.read_text(encoding="utf-8")
    assert "along the left edge." in srt and "hedge" not in srt
    assert "00:00:05,000 --> " in srt and srt.count(" --> ") == 3
    assert rebuilt.plan.captions is not None
    assert [c.text for c in rebuilt.plan.captions.cues] == \
        [c.text for c in ev.plan.captions.cues]  # type: ignore[union-attr]

    # Export for AliExpress: progress, then check()'s verdict on the page.
    page.select_option(".ea-platform", "aliexpress")
    page.click("[data-action=export]")
    page.wait_for_selector(".ea-verdict", timeout=180_000)
    assert "OK" in page.locator(".ea-verdict").inner_text()
    assert page.locator(".ea-verdict.ok").count() == 1
    _shot(page, "export")
    assert errors == []
    page.close()

    out = session.paths.output
    card = frame_at(out, 1.0)
    assert close(pixel(card, 5, 5), (16, 20, 24), tol=12)  # the title card's background
    before, during = frame_at(out, 3.0 + 0.5), frame_at(out, 3.0 + 5.0)
    line = np.s_[box.rect.y + 150:box.rect.bottom, box.rect.x - 3:box.rect.x]  # the left side

    def redness(image: np.ndarray) -> float:
        strip = image[line].astype(float)
        return float((strip[..., 0] - strip[..., 1]).mean())

    assert redness(during) > redness(before) + 60
    source = frame_at(session.paths.clip, 5.0)
    label = np.s_[40:170, 600:830]
    assert during[label].astype(float).std() < source[label].astype(float).std() * 0.8


def test_the_page_shows_the_library_preview_of_each_frame(browser: Any,
                                                          studio: StudioServer) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(studio.url)
    page.wait_for_selector("#studio[data-ready='1']")
    _settle(page)
    page.click("[data-action=next]")
    _settle(page)
    assert page.locator(".ea-time").inner_text().startswith("00:00.040 · frame 2/")
    shown = page.evaluate("""async () => {
        const img = document.querySelector('.ea-frame');
        const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        return [c.width, c.height, Array.from(g.getImageData(5, 5, 1, 1).data)];
    }""")
    expected = studio.session.evidence.preview(0.04)
    assert shown[:2] == list(expected.size)
    assert close(tuple(shown[2][:3]), pixel(expected, 5, 5), tol=3)
    page.close()
