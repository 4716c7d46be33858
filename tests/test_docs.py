"""The docs site builds with `mkdocs build --strict`, and the pages agree with the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import evidence_annotate as ea
from evidence_annotate.cli import EXIT_CODES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent)) or "mkdocs"
    site = tmp_path / "site"
    proc = subprocess.run([mkdocs, "build", "--strict", "--site-dir", str(site)], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=120,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    # The reference is generated from the docstrings, examples rendered as code.
    assert 'id="evidence_annotate.evidence.Evidence"' in api
    assert "Prepend a full-frame card with the order number" in api
    assert '<span class="gp">&gt;&gt;&gt; </span>' in api
    assert (site / "assets" / "demo-frame.png").stat().st_size > 10_000
    # One cross-reference style, which the site renders as links (no raw Sphinx roles).
    assert not re.search(r":(class|func|meth|mod|data|attr|exc):", api)
    assert 'href="#evidence_annotate.evidence.Evidence"' in api
    _no_code_block_is_cut_off(site)


def _no_code_block_is_cut_off(site: Path) -> None:
    """At a 1280 px wide window no code block is wider than its column (they wrap)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None and os.environ.get("CI") != "true":
        return  # a developer machine without the browser; CI installs it
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name in ("api", "architecture", "cli", "recipes"):
            page.goto((site / name / "index.html").as_uri())
            cut = page.evaluate("() => [...document.querySelectorAll('pre > code')]"
                                ".filter(c => c.scrollWidth > c.clientWidth + 1).length")
            assert cut == 0, name
        browser.close()


def test_platform_table_matches_the_data() -> None:
    text = (DOCS / "platforms.md").read_text(encoding="utf-8")
    for name in ea.platforms():
        platform = ea.Platform.load(name)
        row = next(line for line in text.splitlines() if line.startswith(f"| `{name}` |"))
        size = "no limit" if platform.max_bytes is None else f"{platform.max_bytes / 1e6:g} MB"
        length = "no limit" if platform.max_seconds is None else f"{platform.max_seconds:g} s"
        assert f"| {size} | {length} |" in row, row


def test_cli_page_lists_every_exit_code() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", text, flags=re.MULTILINE)}
    assert documented == set(EXIT_CODES.values())


def test_recipe_page_example_is_a_valid_recipe(tmp_path: Path) -> None:
    from evidence_annotate.recipe import load_recipe

    text = (DOCS / "recipes.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, flags=re.DOTALL)
    assert example is not None
    path = tmp_path / "dispute.toml"
    path.write_text(example.group(1), encoding="utf-8")
    recipe = load_recipe(path)
    assert [key for key, _, _ in recipe.calls] == [
        "title_card", "box[0]", "arrow[0]", "text[0]", "blur[0]", "transcribe", "redact_speech",
        "captions"]
    assert (recipe.input, recipe.platform, recipe.fit) == (tmp_path / "unboxing.mp4",
                                                          "aliexpress", "split")


def test_recipe_page_lists_every_kind_with_its_keys() -> None:
    import inspect

    text = (DOCS / "recipes.md").read_text(encoding="utf-8")
    for name, kind in ea.KINDS.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `[[{name}]]` |"))
        keys = re.findall(r"`(\w+)`", row.split("|")[2])
        assert keys == list(inspect.signature(kind.create).parameters)[1:], name


def test_architecture_page_lists_every_kind() -> None:
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    for name in ea.KINDS:
        assert f"| `{name}` |" in text, name


def test_architecture_example_adds_a_kind_in_one_file(gray_clip: Path, tmp_path: Path,
                                                      monkeypatch: object) -> None:
    """The page's complete example kind works everywhere once it is in the registry."""
    import types

    import numpy as np
    import pytest

    from evidence_annotate.overlays import KINDS
    from evidence_annotate.recipe import parse_recipe

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    source = re.search(r"```python\n(\"\"\"``cross``.*?)```", text, flags=re.DOTALL)
    assert source is not None
    module = types.ModuleType("evidence_annotate.overlays.cross")
    module.__package__ = "evidence_annotate.overlays"
    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(source.group(1), "architecture.md", "exec"), module.__dict__)
    monkeypatch.setitem(KINDS, "cross", module.Cross)
    ev = ea.open(gray_clip).cross((100, 60, 120, 80), start=1.0, end=3.0)
    recipe = parse_recipe({"input": str(gray_clip),
                           "cross": [{"rect": [100, 60, 120, 80], "start": 1.0, "end": 3.0}]},
                          base=tmp_path)
    assert recipe.evidence(progress=False).layers == ev.layers
    result = ev.export(tmp_path / "cross.mp4", speed="ultrafast", progress=False)
    from helpers import frame_at

    frame = frame_at(result.path, 2.0)
    assert frame[100, 160, 0] > 200 and frame[100, 160, 1] < 80   # the centre of the X is red
    assert np.abs(np.asarray(ev.preview(2.0)).astype(int) - frame.astype(int)).mean() < 6
