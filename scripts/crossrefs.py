"""Rewrite Sphinx roles in docstrings (``:class:`~a.b.C```) as mkdocstrings cross-references.

The docs site renders Markdown: ``[C][a.b.C]`` links to an object by its full path, and
``[name][]`` resolves ``name`` in the scope of the docstring it is written in
(``scoped_crossrefs``; a leading dot is relative to the current module). Run it from the
repository root over the source tree: ``python scripts/crossrefs.py src``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROLE = re.compile(r":(?:class|func|meth|mod|data|attr|exc|obj):`(~?)([^`<>]+?)(\(\))?`")


def rewrite(match: re.Match[str]) -> str:
    tilde, target, call = match.group(1), match.group(2).strip(), match.group(3) or ""
    if tilde:  # show the last part, link the full path
        return f"[{target.rsplit('.', 1)[-1]}{call}][{target}]"
    return f"[{target}{call}][{target}]" if call else f"[{target}][]"


def main(root: str) -> None:
    for path in sorted(Path(root).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        new = ROLE.sub(rewrite, text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "src")
