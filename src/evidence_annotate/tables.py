"""HTML tables for notebook displays, with every cell escaped (user text never becomes markup).

Example:
    >>> "<td style='text-align:left'>&lt;b&gt;</td>" in html_table(("a",), [("<b>",)])
    True
"""

from __future__ import annotations

import html
from collections.abc import Sequence

__all__ = ["html_table"]


def html_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A left-aligned HTML table; header and cells are HTML-escaped."""
    head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td style='text-align:left'>{html.escape(c)}</td>"
                                    for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
