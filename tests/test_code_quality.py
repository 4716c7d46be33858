"""The code base stays ruff-clean and mypy --strict clean (run as part of the test suite)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> list[str]:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        pytest.fail(f"{name} is not installed; install the dev extra: pip install -e '.[dev]'")
    return [exe]


def test_ruff_is_clean() -> None:
    proc = subprocess.run([*_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_is_clean() -> None:
    proc = subprocess.run([*_tool("mypy")], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_import_layers_hold() -> None:
    """import-linter: the pipeline's layers (lower never imports higher), from pyproject."""
    proc = subprocess.run([*_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_module_is_in_a_layer() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    layered = {name.strip().removeprefix("evidence_annotate.")
               for row in contract["layers"] for name in row.split("|")}
    package = ROOT / "src" / "evidence_annotate"
    modules = {p.stem for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")}
    modules |= {p.parent.name for p in package.glob("*/__init__.py")}
    assert modules - layered == set(), "add new modules to [tool.importlinter] layers"


def test_no_import_cycles() -> None:
    """No two modules import each other, directly or through others (function-level and
    TYPE_CHECKING imports included)."""
    import grimp

    graph = grimp.build_graph("evidence_annotate")
    cycles = sorted(
        f"{importer} -> {imported}"
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if importer != "evidence_annotate" and imported != "evidence_annotate"
        and not imported.startswith(importer + ".")  # a package importing its own modules
        and graph.chain_exists(importer=imported, imported=importer)
        and not importer.startswith(imported + ".")
    )
    assert cycles == []


def test_no_module_is_too_long() -> None:
    package = ROOT / "src" / "evidence_annotate"
    long = {str(p.relative_to(package)): n for p in package.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_docstrings_use_one_cross_reference_style() -> None:
    """Markdown cross-references (``[Name][path]``), which the docs site renders; no Sphinx
    roles, which it would show as raw text."""
    import re

    role = re.compile(r":(class|func|meth|mod|data|attr|exc|obj):`")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "src").rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if role.search(line)]
    assert found == []
