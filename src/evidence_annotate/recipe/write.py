"""Write an [Evidence][evidence_annotate.Evidence] plan as a recipe that rebuilds it.

``load_recipe(write_recipe(ev, "dispute.toml")).evidence()`` has the same title card and
layers as ``ev``. Burned captions are written beside the recipe (source timeline, so
``[captions] source`` reads them back unchanged) and the recipe points at that file; a
transcript itself is not repeated (the captions carry what was said, corrections included).

Example:
    >>> import evidence_annotate as ea
    >>> ev = ea.open("unboxing.mp4").box((10, 20, 30, 40), start=1)   # doctest: +SKIP
    >>> write_recipe(ev, "dispute.toml")                              # doctest: +SKIP
    PosixPath('dispute.toml')
"""

from __future__ import annotations

import os
from pathlib import Path

from ..captions.formats import write_captions
from ..editing import plan_calls, recipe_text
from ..evidence import Evidence
from ..output import atomic_output

__all__ = ["captions_path_for", "write_recipe"]


def captions_path_for(recipe: Path) -> Path:
    """Where [write_recipe][] puts burned captions by default: ``<recipe>.captions.srt``.

    Example:
        >>> captions_path_for(Path("/v/dispute.toml"))
        PosixPath('/v/dispute.captions.srt')
    """
    return recipe.with_name(f"{recipe.stem}.captions.srt")


def _named(path: Path, folder: Path) -> str:
    """``path`` as the recipe names it: relative to the recipe's folder when inside it."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def write_recipe(ev: Evidence, path: str | os.PathLike[str], *,
                 output: str | os.PathLike[str] | None = None, platform: str | None = None,
                 captions: str | os.PathLike[str] | None = None) -> Path:
    """Write ``ev``'s plan as a TOML recipe (and its captions file), atomically.

    Args:
        ev: The planned evidence.
        path: The recipe to write (``.toml``).
        output: The recipe's ``output`` (default: the recipe's default beside the input).
        platform: The recipe's ``platform``.
        captions: Where burned captions go (``.srt``, ``.vtt``, ``.json`` keeps word times,
            ``.ass`` keeps an ASS file's own styling); default [captions_path_for][].

    Returns:
        The recipe's path.

    Raises:
        ValueError: ``path`` is not ``.toml``; the plan trims or cuts (recipes have no
            table for that yet); a layer cannot be written.
        OutputError: A file cannot be written, or would overwrite the input.
    """
    target = Path(path)
    if target.suffix.lower() != ".toml":
        raise ValueError(f"recipe path {str(target)!r} must end in .toml; name it e.g. "
                         "dispute.toml")
    if ev.plan.keep is not None:
        raise ValueError("the plan trims or cuts the clip, which a recipe cannot hold yet; "
                         "write the recipe before trim()/cut()")
    folder = target.parent
    inputs = (ev.info.path,)
    table = None
    track = ev.plan.captions
    if track is not None:
        file = Path(captions) if captions is not None else captions_path_for(target)
        if track.styled is not None and file.suffix.lower() not in (".ass", ".ssa"):
            file = file.with_suffix(".ass")
        write_captions(track.cues, file, styled=track.styled, width=ev.info.width,
                       height=ev.info.height, style=track.style, inputs=inputs)
        table = {"source": _named(file, folder), "style": track.style}
    text = recipe_text(plan_calls(ev.plan, ev.context), input=_named(ev.info.path, folder),
                       output=_named(Path(output), folder) if output is not None else None,
                       platform=platform, captions=table)
    with atomic_output(target, inputs=inputs) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target
