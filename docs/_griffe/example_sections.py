"""Griffe extension for the docs: read ``Example:`` sections as Google ``Examples:`` sections.

The code base writes one example per docstring under ``Example:``; griffe only treats the plural
as an examples section (``>>>`` lines become highlighted code). This renames the heading in the
docstring text griffe parses; the source files are untouched.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

_HEADING = re.compile(r"^(\s*)Example:[ \t]*$", re.MULTILINE)


class ExampleSections(Extension):
    """Rename ``Example:`` section headings to ``Examples:`` before docstrings are parsed."""

    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        """Rewrite the docstring of every loaded object."""
        if obj.docstring is not None:
            obj.docstring.value = _HEADING.sub(r"\1Examples:", obj.docstring.value)
