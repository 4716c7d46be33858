"""Signing a storyboard's export with content credentials (C2PA), the last step.

Every source the board reads (clips and photos; slides are drawn, not read) is recorded as
an ingredient, and every segment's edits as actions, as
[deliver][evidence_annotate.deliver.pipeline.deliver] does for one clip.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..output import sha256_file
from ..render.program import Program
from .credentials import SigningIdentity, plan_actions, sign_video
from .export import ExportResult
from .manifest import plan_to_dict

__all__ = ["program_actions", "program_sources", "sign_program"]


def program_sources(program: Program) -> tuple[Path, ...]:
    """Every file the program shows (clips and photos), each once, in order."""
    return tuple(dict.fromkeys(part.info.path for part in program.parts
                               if part.kind != "slide"))


def program_actions(program: Program) -> list[dict[str, Any]]:
    """C2PA actions of a program: the card, then every segment placed and its edits.

    A segment read from a file is placed with its ingredient (``source1``, ... in the order
    of `program_sources`); a slide is placed without one.
    """
    ids = {path: f"source{i}" for i, path in enumerate(program_sources(program), start=1)}
    actions: list[dict[str, Any]] = []
    if program.card is not None:
        actions.append({"action": "c2pa.edited", "description": "title card prepended"})
    for number, part in enumerate(program.parts, start=1):
        what = "text slide" if part.kind == "slide" else part.info.path.name
        placed: dict[str, Any] = {"action": "c2pa.edited" if part.kind == "slide"
                                  else "c2pa.placed",
                                  "description": f"segment {number}: {part.kind} {what}"}
        if part.kind != "slide":
            placed["parameters"] = {"ingredientIds": [ids[part.info.path]]}
        actions.append(placed)
        for action in plan_actions(plan_to_dict(part.plan)):
            actions.append({**action, "description":
                            f"segment {number}: {action.get('description', '')}".rstrip()})
        if part.plan.edits:
            actions.append({"action": "c2pa.edited",
                            "description": f"segment {number}: time edits (freeze, speed)"})
    return actions


def sign_program(result: ExportResult, tmp: Path, program: Program,
                 identity: SigningIdentity) -> ExportResult:
    """Sign the finished file ``tmp`` in place; every source is an ingredient."""
    sources = program_sources(program)
    signed = tmp.with_name(f"{tmp.stem}-signed{tmp.suffix}")
    try:
        sign_video(tmp, signed, identity, title=result.path.name,
                   actions=program_actions(program), ingredients=sources)
        os.replace(signed, tmp)
    finally:
        signed.unlink(missing_ok=True)
    return replace(result, sha256=sha256_file(tmp), size_bytes=tmp.stat().st_size)
