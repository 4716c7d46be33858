r"""Escaping for ffmpeg filter graphs (two levels: option values, then the graph itself).

A value placed inside a filter's options goes through two parsers: the graph parser (which
splits on ``,`` ``;`` ``[`` ``]``) and the option parser (which splits on ``:`` and ``=``),
both of which understand ``\`` and ``'``. Escape for the inner level first, then the outer one.

Example:
    >>> print(escape_filter_value("it's [1]: ok"))
    it\\\'s \[1\]\\: ok
"""

from __future__ import annotations

__all__ = ["escape_filter_value", "escape_graph_level", "escape_option_level"]

_OPTION_SPECIAL = "\\':"
_GRAPH_SPECIAL = "\\'[],;"


def _escape(text: str, special: str) -> str:
    return "".join("\\" + c if c in special else c for c in text)


def escape_option_level(text: str) -> str:
    r"""Escape a value for the filter-option parser (``\`` ``'`` ``:``)."""
    return _escape(text, _OPTION_SPECIAL)


def escape_graph_level(text: str) -> str:
    r"""Escape a filter's argument string for the graph parser (``\ ' [ ] , ;``)."""
    return _escape(text, _GRAPH_SPECIAL)


def escape_filter_value(text: str) -> str:
    r"""Escape an arbitrary value (a path, a text) for use as one filter option in a graph.

    Example:
        >>> print(escape_filter_value("a:b"))
        a\\:b
    """
    if "\n" in text or "\r" in text or "\0" in text:
        raise ValueError(f"{text!r} contains a line break or NUL, which a filter graph "
                         "cannot hold")
    return escape_graph_level(escape_option_level(text))
