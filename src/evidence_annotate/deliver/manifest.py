"""The integrity manifest: what was made, from what, how, and the SHA-256 of every file.

An export writes ``<output>.manifest.json`` beside the output. It records the library version,
the UTC creation time, the input's name, size, SHA-256 and original capture time, every output's
name, size and SHA-256, the plan (every layer, the title card, where captions came from) and
the export settings. [verify][evidence_annotate.deliver.verify.verify] re-hashes the files
later, e.g. before uploading or when a platform asks whether the video was edited.

The manifest is meant to be shared, so it holds no local folders: file names are relative to
the manifest's folder (the input's when it lies inside that folder, else its bare name), and a
local model folder is recorded by its name. When reading, a name that leaves the manifest's
folder (``..``, an absolute path, a drive letter) is refused.

Example:
    >>> from evidence_annotate.deliver.verify import verify
    >>> result = verify("evidence.mp4.manifest.json")                  # doctest: +SKIP
    >>> result.ok, [(f.name, f.ok) for f in result.files]               # doctest: +SKIP
    (True, [('unboxing.mp4', True), ('evidence.mp4', True)])
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .._version import __version__
from ..captions.track import CaptionTrack
from ..errors import WRITE_ERRNOS, OutputError
from ..media import MediaInfo, capture_time
from ..output import atomic_output, sha256_file
from ..plan import Plan
from ..render.settings import EncodeSettings
from ..serial import to_plain
from ..speech.transcript import Transcript
from .environment import render_environment

__all__ = [
    "READABLE_SCHEMAS",
    "SCHEMA",
    "SCHEMA_FILE",
    "capture_time",
    "manifest_text",
    "plan_to_dict",
    "render_record",
    "save_manifest_text",
    "write_manifest",
]

SCHEMA = "evidence_annotate.manifest/2"
"""The ``schema`` value of the manifests this version writes."""

SCHEMA_V1 = "evidence_annotate.manifest/1"
"""The first version: hashes and the plan, without what re-rendering needs."""

READABLE_SCHEMAS = (SCHEMA_V1, SCHEMA)
"""Every ``schema`` value this version reads (hashes can be checked for all of them)."""

SCHEMA_FILE = Path(__file__).with_name("schemas") / "manifest-2.schema.json"
"""The JSON Schema (draft 2020-12) of [SCHEMA][] manifests, shipped with the library.

A version only grows: keys may be added (readers ignore keys they do not know); removing or
redefining a key makes a new file and a new ``schema`` value. Version 2 makes the plan
replayable: the captions carry their cues, and the required ``render`` record holds, for
every output, the plan's cuts and title card as rendered and the exact encoder settings,
plus the ffmpeg build and drawing libraries that rendered it. ``manifest-1.schema.json``
stays shipped for version 1 manifests.
"""



def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data.

    Layers keep their order and are each kind's
    [to_dict][evidence_annotate.overlays.base.Overlay.to_dict]: a ``kind`` (``"box"``,
    ``"arrow"``, ...), ``start``/``end`` in source seconds (``end`` ``None`` = until the end),
    coordinates as ``{"x", "y"[, "w", "h"]}`` and styles as nested dictionaries. Captions are
    recorded by origin, number of cues, the SHA-256 of their cues, style, karaoke, and
    (since version 2) the cues themselves, an ASS document's styling and the tracks;
    ``keep`` lists the source ranges trims and cuts kept (``None``: the whole clip);
    ``speech_redactions`` the spoken personal data bleeped or muted and masked in captions
    (kind, source times, automatic or not, mask and audio treatment; never what was said).

    Args:
        plan: The plan.

    Returns:
        ``{"layers": [...], "title_card": {...} | None, "captions": {...} | None,
        "keep": [[start, end], ...] | None, "speech_redactions": [...]}``.

    Example:
        >>> from evidence_annotate.overlays import Box
        >>> from evidence_annotate.timing import Span
        >>> from evidence_annotate.geometry import Rect
        >>> data = plan_to_dict(Plan(layers=(Box(Rect(1, 2, 3, 4), Span(0.5, 2.0)),)))
        >>> data["layers"][0]["kind"], data["layers"][0]["rect"], data["layers"][0]["end"]
        ('box', {'x': 1, 'y': 2, 'w': 3, 'h': 4}, 2.0)
    """
    captions = None
    if plan.captions is not None:
        track = plan.captions
        captions = {
            "origin": track.origin,
            "events": len(track.cues),
            "sha256": captions_sha256(track),
            "style": to_plain(track.style),
            "karaoke": track.karaoke,
            "cues": to_plain(track.cues),
            "styled": track.styled,
            "tracks": to_plain(track.tracks),
        }
    return {
        "layers": [layer.to_dict() for layer in plan.layers],
        "title_card": to_plain(plan.title_card),
        "captions": captions,
        "keep": [list(kept) for kept in plan.keep] if plan.keep is not None else None,
        "speech_redactions": [r.to_dict() for r in plan.speech_redactions],
    }


def captions_sha256(track: CaptionTrack) -> str:
    """The SHA-256 recorded for captions: of their cues as JSON and their ASS styling."""
    cues = json.dumps([c.to_dict() for c in track.cues], ensure_ascii=False,
                      sort_keys=True) + (track.styled or "")
    return hashlib.sha256(cues.encode("utf-8")).hexdigest()


def speech_record(transcript: Transcript | None) -> dict[str, Any] | None:
    """What the manifest says about the transcript (``None`` without one).

    Example:
        >>> speech_record(Transcript("id", 0.42, 3.0, issues=("unsure",)))["confident"]
        False
    """
    if transcript is None:
        return None
    from ..captions.bilingual import MT_LABEL

    def checks(t: Transcript) -> dict[str, Any]:
        return {"language": t.language, "language_probability": t.language_probability,
                "model": t.model, "confident": t.confident, "reviewed": t.reviewed,
                "problems": list(t.problems), "dropped_segments": t.dropped}
    record = checks(transcript)
    if transcript.translation is not None:
        record["translation"] = {"label": MT_LABEL, **checks(transcript.translation)}
    return record


def render_record(outputs: Sequence[tuple[str, Plan, EncodeSettings]]) -> dict[str, Any]:
    """The manifest's ``render`` record: what re-rendering each output needs.

    For each output (by name): the source ranges it keeps and its title card (parts of a
    split export differ in both from the plan), and the exact encoder settings (after any
    platform budget: bitrate, two passes, size, threads); plus the renderer's versions
    ([render_environment][evidence_annotate.deliver.environment.render_environment]).

    Example:
        >>> record = render_record([("a.mp4", Plan(), EncodeSettings(threads=3))])
        >>> record["outputs"][0]["encoder"]["threads"], record["outputs"][0]["passes"]
        (3, 1)
    """
    return {
        "environment": render_environment(),
        "outputs": [{"name": name,
                     "keep": [list(kept) for kept in plan.keep] if plan.keep is not None
                     else None,
                     "title_card": to_plain(plan.title_card),
                     "encoder": to_plain(settings),
                     "passes": 2 if settings.video_bitrate is not None else 1}
                    for name, plan, settings in outputs],
    }


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def _input_location(source: Path, folder: Path) -> str:
    """The input relative to the manifest's folder when inside it, else its bare name."""
    try:
        return source.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return source.name


def _model_label(model: str | None) -> str | None:
    """A model as recorded: sizes and hub ids as given, a local folder by its name only."""
    if model is None:
        return None
    local = Path(model).expanduser()
    if local.is_absolute() or model.startswith(("~", ".")) or local.exists():
        return local.resolve().name
    return model


def _file_record(path: Path, name: str, contents: Path | None = None,
                 digests: Mapping[Path, str] | None = None) -> dict[str, Any]:
    data = contents if contents is not None else path
    if not data.is_file():
        raise OutputError(f"cannot record {str(path)!r} in the manifest: it does not exist; "
                          "write the manifest after the export finished", path)
    known = (digests or {}).get(data)
    return {"name": name, "sha256": known if known is not None else sha256_file(data),
            "size_bytes": data.stat().st_size}


def manifest_text(path: Path, *, source: MediaInfo, outputs: Sequence[Path], plan: Plan,
                  settings: Mapping[str, Any], transcript_model: str | None = None,
                  contents: Mapping[Path, Path] | None = None,
                  transcript: Transcript | None = None,
                  render: Mapping[str, Any] | None = None,
                  digests: Mapping[Path, str] | None = None) -> str:
    """The JSON text of the manifest [write_manifest][] writes (nothing is written).

    Args:
        path: Where the manifest will be; names are recorded relative to its folder.
        source: The probed input.
        outputs: Every file the export writes, by its final name.
        plan: The plan that was rendered.
        settings: The export settings, stored as plain data.
        transcript_model: The speech model used for captions, if any (a local folder is
            recorded by its name).
        contents: For outputs not yet renamed into place: final path -> the file holding
            its bytes now (hashed instead).
        transcript: The transcript, recorded as ``speech``: language and its probability,
            model, whether it passed the checks (``confident``) and why not, and the English
            machine translation's label and checks.
        render: The [render_record][] of the outputs (``None``: built from ``plan`` and
            ``settings["encoder"]`` for every output, when that is an
            [EncodeSettings][evidence_annotate.render.settings.EncodeSettings]).
        digests: SHA-256 already computed, by the file whose bytes they hash (the input's
            path, an output's ``contents`` file): those files are not read again.

    Returns:
        The manifest as indented JSON text ending with a newline.

    Raises:
        OutputError: An output (or its ``contents`` file) is missing.
    """
    target = Path(path)
    staged = contents or {}
    record_in = _file_record(source.path, source.path.name, digests=digests)
    record_in.update({"path": _input_location(source.path, target.parent),
                      "captured": capture_time(source)})
    document = {
        "schema": SCHEMA,
        "library": {"name": "evidence_annotate", "version": __version__},
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "input": record_in,
        "outputs": [_file_record(Path(p), _relative(Path(p), target.parent), staged.get(Path(p)),
                                 digests) for p in outputs],
        "plan": plan_to_dict(plan),
        "settings": to_plain(settings),
        "transcript_model": _model_label(transcript_model),
        "speech": speech_record(transcript),
        "render": dict(render) if render is not None else _default_render(
            target, outputs, plan, settings),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _default_render(target: Path, outputs: Sequence[Path], plan: Plan,
                    settings: Mapping[str, Any]) -> dict[str, Any]:
    encoder = settings.get("encoder")
    used = encoder if isinstance(encoder, EncodeSettings) else EncodeSettings()
    return render_record([(_relative(Path(p), target.parent), plan, used) for p in outputs])


def write_manifest(path: Path, *, source: MediaInfo, outputs: Sequence[Path], plan: Plan,
                   settings: Mapping[str, Any], transcript_model: str | None = None) -> Path:
    """Write the integrity manifest (JSON) of an export, atomically.

    Args:
        path: Where to write it, usually ``output.with_name(output.name + ".manifest.json")``.
        source: The probed input.
        outputs: Every file the export wrote (several for a split export).
        plan: The plan that was rendered.
        settings: The export settings (platform, fit, encoder settings, ...); any value is
            stored as plain data (dataclasses as dictionaries, paths as strings).
        transcript_model: The speech model used for captions, if any.

    Returns:
        The manifest's path.

    Raises:
        OutputError: An output is missing, or the manifest cannot be written there (a full
            disk gives [NoSpaceError][evidence_annotate.errors.NoSpaceError]).

    Example:
        >>> write_manifest(Path("evidence.mp4.manifest.json"), source=ev.info,   # doctest: +SKIP
        ...                outputs=[Path("evidence.mp4")], plan=ev.plan, settings={"crf": 20})
        PosixPath('evidence.mp4.manifest.json')
    """
    target = Path(path)
    text = manifest_text(target, source=source, outputs=outputs, plan=plan, settings=settings,
                         transcript_model=transcript_model)
    captions = plan.captions.source if plan.captions is not None else None
    inputs = (source.path, *map(Path, outputs), *([captions] if captions else []))
    with atomic_output(target, inputs=inputs,
                       suffixes=(".json",)) as tmp:
        save_manifest_text(tmp, target, text)
    return target


def save_manifest_text(tmp: Path, path: Path, text: str) -> None:
    """Write a manifest's text to ``tmp``, the temporary file of ``path``.

    Raises:
        OutputError: The disk is full or the file cannot be written (naming the manifest).
    """
    try:
        tmp.write_text(text, encoding="utf-8")
    except OSError as err:
        if err.errno in WRITE_ERRNOS:
            raise OutputError.from_os_error(err, path, "the manifest ") from None
        raise
