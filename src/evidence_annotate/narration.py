"""The narration workflow of the command line: transcribe to an editable file, then burn it.

Evidence must say what the buyer said, so the recommended workflow is a round trip:

1. ``evidence-annotate transcribe clip.mp4 -o clip.srt --language id,en --translate`` writes
   ``clip.id.srt`` (and ``clip.en.srt``, the English machine translation);
2. a person reads it and corrects any word in a text editor (times stay as written);
3. ``evidence-annotate render dispute.toml --captions clip.id.srt`` burns the corrected file.

[transcribe_to_file][] is step 1 as a function; [languages][] parses ``--language``.

Example:
    >>> languages("id,ms, en"), languages("th"), languages(None)
    (('id', 'ms', 'en'), 'th', None)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .captions.formats import SUFFIXES
from .captions.track import track_from_transcript, write_track
from .evidence import open as open_evidence
from .output import check_output_path
from .recipe import Recipe
from .speech.models import resolve_model
from .speech.source import audio_source
from .speech.transcribe import TranscribeOptions, transcribe_media
from .speech.transcript import Transcript
from .timing import Timeline

AUDIO_ONLY_FRAME = (1920, 1080)
"""The frame captions of an audio-only file (a voice memo) are laid out for."""

__all__ = ["describe_model", "languages", "recipe_model", "transcribe_to_file", "with_captions"]


def languages(text: str | None) -> str | tuple[str, ...] | None:
    """``--language id`` (one code) or ``--language id,en`` (candidates)."""
    if text is None:
        return None
    codes = tuple(c.strip() for c in text.split(",") if c.strip())
    return codes[0] if len(codes) == 1 else codes


def describe_model(model: str | None) -> str:
    """Which model the one rule chooses for ``model``, and why (for ``--verbose``)."""
    return resolve_model(model).describe()


def transcribe_to_file(source: str | Path, output: str | Path, *, model: str | None,
                       language: str | tuple[str, ...] | None, translate: bool,
                       progress: bool) -> tuple[Path, Transcript | None, list[str]]:
    """Transcribe ``source`` into the editable caption file ``output`` (format by suffix).

    Returns:
        The file written (``<stem>.<lang><suffix>`` when there is a translation), the
        transcript, and the lines to tell the user (files, checks, what to do next).
    """
    found = audio_source(source)  # before any work: the input, then the output name
    check_output_path(output, inputs=(found.path,), suffixes=SUFFIXES)
    if found.has_video:
        ev = open_evidence(source).transcribe(model=model, language=language,
                                              translate=translate, progress=progress)
        path, transcript = ev.write_captions(output), ev.transcript
    else:  # a voice memo: no frame, so captions are laid out for a 1080p frame
        options = TranscribeOptions(model=model, language=language, translate=translate)
        transcript = transcribe_media(found.path, audio_stream=found.stream,
                                      audio_start=found.start, duration=found.duration,
                                      options=options, progress=progress)
        track = track_from_transcript(transcript, AUDIO_ONLY_FRAME, 30.0, found.duration,
                                      allow_low_confidence=True)
        path = write_track(track, output, AUDIO_ONLY_FRAME,
                           Timeline(0.0, ((0.0, found.duration),)), (found.path,))
    notes: list[str] = []
    if transcript is None:
        return path, None, notes
    notes.append(f"wrote {path} ({len(transcript.segments)} segments, language "
                 f"{transcript.language or 'none'}, probability "
                 f"{transcript.language_probability:.2f})")
    if transcript.translation is not None:
        english = path.with_name(path.name.replace(f".{transcript.language}.", ".en."))
        notes.append(f"wrote {english} (English, machine translation)" if english != path
                     else "the English machine translation is a second track in it")
    notes += [f"low confidence: {problem}" for problem in transcript.problems]
    notes.append(f"check the text, correct it in {path.name}, then burn it with: "
                 f"evidence-annotate render RECIPE --captions {path}")
    return path, transcript, notes


def with_captions(recipe: Recipe, path: str | Path) -> Recipe:
    """The recipe burning the caption file ``path`` (e.g. corrected) instead of its own."""
    style = {k: v for _, m, kw in recipe.calls if m == "captions" for k, v in kw.items()
             if k == "style"}
    calls = tuple(c for c in recipe.calls if c[1] != "captions")
    return replace(recipe, calls=(*calls, ("--captions", "captions",
                                           {"source": Path(path), **style})))


def recipe_model(recipe: Recipe) -> str | None:
    """The model a recipe's ``[transcribe]`` resolves to, and why (``None``: no transcribe)."""
    for _, method, kwargs in recipe.calls:
        if method == "transcribe":
            return describe_model(kwargs.get("model"))
    return None
