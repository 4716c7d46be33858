r"""Filter graph text: a builder of chains and pads, ``enable`` windows, and escaping.

This is what every overlay kind and the renderer write ffmpeg graphs with; nothing here runs
ffmpeg. [FilterGraph][] collects chains, hands out unique pad labels and registers extra
image inputs (sprites); [enable_expr][] turns a [Span][evidence_annotate.timing.Span]
into an ``enable`` option on the frames' REAL timestamps (``t``), which stays right on variable
frame rate video.

Escaping: a value placed inside a filter's options goes through two parsers: the graph parser (which
splits on ``,`` ``;`` ``[`` ``]``) and the option parser (which splits on ``:`` and ``=``),
both of which understand ``\`` and ``'``. Escape for the inner level first, then the outer one.

Example:
    >>> print(escape_filter_value("it's [1]: ok"))
    it\\\'s \[1\]\\: ok
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from PIL import Image

from .timing import Span

__all__ = ["FilterGraph", "enable_expr", "escape_filter_value", "escape_graph_level",
           "escape_option_level", "num", "rate"]

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


def num(value: float) -> str:
    """A number as ffmpeg options want it: at most 6 decimals, no trailing zeros.

    Example:
        >>> num(2.5), num(3.0), num(1 / 3)
        ('2.5', '3', '0.333333')
    """
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def rate(value: Fraction) -> str:
    """A frame rate as ``num/den`` (or an integer).

    Example:
        >>> rate(Fraction(30000, 1001)), rate(Fraction(25))
        ('30000/1001', '25')
    """
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 \
        else str(value.numerator)


def enable_expr(span: Span) -> str:
    """The ``enable`` option for a half-open window ``[start, end)`` (``""`` = always).

    Example:
        >>> enable_expr(Span(2.0, 6.5))
        ":enable='gte(t,2)*lt(t,6.5)'"
        >>> enable_expr(Span())
        ''
    """
    if span.start <= 0 and span.end is None:
        return ""
    parts = []
    if span.start > 0:
        parts.append(f"gte(t,{num(span.start)})")
    if span.end is not None:
        parts.append(f"lt(t,{num(span.end)})")
    return f":enable='{'*'.join(parts)}'"


class FilterGraph:
    r"""Collects the chains of ONE ``-filter_complex`` graph and its extra image inputs.

    Args:
        workdir: A private folder where images added with [image][] are written.
        inputs: The ffmpeg inputs so far (the source first); images are appended.

    Example:
        >>> import tempfile
        >>> g = FilterGraph(Path(tempfile.mkdtemp()), [Path("clip.mp4")])
        >>> out = g.label("v")
        >>> g.add(["0:0"], "format=yuv420p", [out])
        >>> g.text()
        '[0:0]format=yuv420p[v1]\n'
    """

    def __init__(self, workdir: Path, inputs: list[Path]) -> None:
        self.workdir = workdir
        self.inputs = inputs
        self.chains: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = []
        self._count = 0
        self._stage: str | None = None
        self._taps: dict[str, list[str]] = {}
        self._pictures: dict[bytes, Path] = {}  # PAM files written, by their pixels

    def label(self, stem: str) -> str:
        """A new, unique pad label starting with ``stem``."""
        self._count += 1
        return f"{stem}{self._count}"

    def add(self, inputs: Sequence[str], filters: str, outputs: Sequence[str]) -> None:
        """Append one chain ``[in]...filters...[out]...``."""
        self.chains.append((tuple(inputs), filters, tuple(outputs)))

    def begin_stage(self, pad: str) -> None:
        """Mark ``pad`` as the footage a stage of overlays starts from (see [tap][])."""
        self._stage = pad

    def tap(self) -> str:
        """A new pad carrying the footage the current stage started from.

        Every tap of a stage comes from ONE ``split`` of that footage. Kinds that work on a
        region of the footage (blur, magnify) tap it instead of splitting the pad they are
        given: chained ``split``/``overlay`` diamonds make ffmpeg's scheduler do work that
        doubles with every region (20 blurs took minutes), a single fan-out stays linear.

        Raises:
            RuntimeError: No stage was begun.
        """
        if self._stage is None:
            raise RuntimeError("tap() needs begin_stage() first")
        label = self.label("t")
        self._taps.setdefault(self._stage, []).append(label)
        return label

    def _materialized(self) -> list[tuple[tuple[str, ...], str, tuple[str, ...]]]:
        """The chains with every stage's taps fed by one split of its footage.

        The chains reading the taps follow the split at once. The graph is the same, but
        ffmpeg runs ready filters in the order the text names them, so each region chain
        takes (or drops) its frame before the footage reaches the first ``overlay``: that
        ``overlay`` then owns the frame and draws on it, where a frame still shared with a
        region chain would be copied whole first.
        """
        chains = list(self.chains)
        for source, taps in self._taps.items():
            readers = [chain for chain in chains if set(chain[0]) & set(taps)]
            chains = [chain for chain in chains if not set(chain[0]) & set(taps)]
            producer = next(i for i, (_, _, outs) in enumerate(chains) if source in outs)
            ins, filters, outs = chains[producer]
            whole = f"{source}s"
            chains[producer] = (ins, filters, tuple(whole if o == source else o for o in outs))
            chains[producer + 1:producer + 1] = [
                ((whole,), f"split={len(taps) + 1}", (source, *taps)), *readers]
        return chains

    def image(self, image: Image.Image, stem: str) -> str:
        """Write ``image`` as an image input and return its stream pad (``"3:0"``).

        An RGBA picture with nothing but pixels (a sprite) is written as a PAM file: its
        bytes as they are behind a short header, which ffmpeg decodes to the same RGBA
        pixels a PNG gives, for a fraction of the writing; the same pixels again (the
        same label elsewhere) reuse that file as another input. Anything else (an RGB
        card or still, a picture carrying a colour profile or a transparent colour) stays
        a PNG.

        Args:
            image: The picture (a sprite, a card).
            stem: The file name stem inside the work folder.
        """
        name = f"{stem}-{len(self.inputs):03d}"
        if image.mode == "RGBA" and not image.info:
            path = self._raw(image, self.workdir / f"{name}.pam")
        else:
            path = self.workdir / f"{name}.png"
            # Stored, not deflated: a work file read once; a third faster to write
            image.save(path, optimize=False, compress_level=0)
        self.inputs.append(path)
        return f"{len(self.inputs) - 1}:0"

    def sequence(self, images: Sequence[Image.Image], stem: str) -> str:
        """Write same-sized ``images`` as ONE image-sequence input; return its stream pad.

        Frame ``N`` of the stream is ``images[N]`` (timestamps are the caller's to set).
        A change of size inside a stream would make ffmpeg rebuild the whole graph.

        Raises:
            ValueError: The images differ in size.
        """
        if len({image.size for image in images}) > 1:
            raise ValueError("every image of a sequence must have the same size")
        name = f"{stem}-{len(self.inputs):03d}"
        raw = all(image.mode == "RGBA" and not image.info for image in images)
        suffix = "pam" if raw else "png"
        for index, image in enumerate(images):
            path = self.workdir / f"{name}-{index:05d}.{suffix}"
            if not raw:
                image.save(path, optimize=False, compress_level=1)
                continue
            written = self._raw(image, path)
            if written == path:
                continue
            try:  # the same picture again: a link to the file written
                os.link(written, path)
            except OSError:  # no hard links here, or a file left by an earlier run
                path.unlink(missing_ok=True)
                _write_pam(path, image.size, image.tobytes())
        # ffmpeg reads the sequence up to the first missing number: leave none after it
        (self.workdir / f"{name}-{len(images):05d}.{suffix}").unlink(missing_ok=True)
        folder = str(self.workdir).replace("%", "%%")  # the image2 pattern's only special
        self.inputs.append(Path(folder) / f"{name}-%05d.{suffix}")
        return f"{len(self.inputs) - 1}:0"

    def _raw(self, image: Image.Image, path: Path) -> Path:
        """An RGBA picture written as PAM at ``path``, or the file that holds its pixels."""
        pixels = image.tobytes()
        key = hashlib.blake2b(pixels, digest_size=20).digest() + repr(image.size).encode()
        known = self._pictures.get(key)
        if known is None:
            _write_pam(path, image.size, pixels)
            known = self._pictures[key] = path
        return known

    def file(self, name: str, text: str) -> Path:
        """Write a text file (captions, commands) into the work folder and return its path."""
        path = self.workdir / name
        path.write_text(text, encoding="utf-8")
        return path

    def text(self) -> str:
        """The graph as ffmpeg reads it from a file (chains separated by ``;``)."""
        return ";\n".join("".join(f"[{p}]" for p in ins) + filters
                          + "".join(f"[{p}]" for p in outs)
                          for ins, filters, outs in self._materialized()) + "\n"


def _write_pam(path: Path, size: tuple[int, int], pixels: bytes) -> None:
    """An RGBA picture as PAM: a short header and its bytes as they are."""
    header = (f"P7\nWIDTH {size[0]}\nHEIGHT {size[1]}\nDEPTH 4\n"
              "MAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n")
    with path.open("wb") as file:
        file.write(header.encode("ascii"))
        file.write(pixels)
