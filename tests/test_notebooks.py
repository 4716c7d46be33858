"""The notebooks in notebooks/ run top to bottom on the bundled sample, offline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "evidence-annotate-tests"


def test_the_three_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == ["captions.ipynb", "platforms.ipynb",
                                           "quickstart.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, "a notebook without code"
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


@pytest.fixture
def kernel_from_this_interpreter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 tiny_model: str) -> str:
    """A kernelspec that runs this interpreter, and the environment for an offline run."""
    folder = tmp_path / "jupyter" / "kernels" / KERNEL
    folder.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "evidence_annotate tests", "language": "python"}
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("EVIDENCE_ANNOTATE_MODEL", tiny_model)
    monkeypatch.setenv("TQDM_DISABLE", "1")
    return KERNEL


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path,
                                     kernel_from_this_interpreter: str) -> None:
    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    workdir = tmp_path / "run"
    workdir.mkdir()
    client = NotebookClient(nb, timeout=180, kernel_name=kernel_from_this_interpreter,
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert errors == []
    assert list(workdir.iterdir()), "the notebook wrote nothing into its working folder"
