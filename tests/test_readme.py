"""The README's Python example runs as written (offline, on the bundled sample)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _block_after(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, f"no python block after {heading!r}"
    return match.group(1)


def test_ten_line_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    code = _block_after("## Ten lines of Python")
    assert len([line for line in code.splitlines() if line.strip()]) <= 12
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert (tmp_path / "evidence.mp4").is_file()
    assert (tmp_path / "evidence.mp4.manifest.json").is_file()
    assert "aliexpress: OK" in capsys.readouterr().out


def test_more_kinds_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = "from evidence_annotate.sample import sample_path\nimport evidence_annotate as ea\n"
    code += _block_after("### More ways to point at the defect")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert (tmp_path / "frame.png").stat().st_size > 10_000
    kinds = [layer.kind for layer in namespace["more"].layers]  # type: ignore[attr-defined]
    assert kinds == ["ellipse", "spotlight", "magnify", "clock"]
