"""A PDF evidence report, for platforms that take images or documents instead of video.

The report holds the title card's fields, stills of the annotated output with their times,
the transcript with times, and the SHA-256 of every file from the integrity manifest. Text is
real, selectable text in the bundled DejaVu Sans (embedded), with an installed system font as
fallback for scripts it lacks (CJK, for example); it is written with fpdf2, which is pure Python.

Example:
    >>> from pathlib import Path
    >>> from evidence_annotate.report.pdf import write_report
    >>> write_report(Path("evidence.pdf"), title_rows=[("Order", "8123456789012")],
    ...              title="Phone case arrived cracked", stills=[(Path("still.png"), 3.5)],
    ...              transcript_text="The case is cracked.")            # doctest: +SKIP
    PosixPath('evidence.pdf')
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image, UnidentifiedImageError

from .._version import __version__
from ..deliver.verify import read_manifest
from ..errors import InputError
from ..fonts import bundled_font, font_path_for
from ..output import atomic_output, sha256_file
from ..timing import format_time

__all__ = ["write_report"]

_FAMILY = "DejaVu"
_FALLBACK = "Fallback"
_MARGIN = 15.0  # mm
_STILL_MAX_HEIGHT = 110.0  # mm


class _Doc:
    """An A4 document with the bundled font and a few block helpers."""

    def __init__(self, text_seen: str) -> None:
        self.pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        self.pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.pdf.set_auto_page_break(auto=True, margin=_MARGIN)
        self.pdf.add_font(_FAMILY, "", bundled_font())
        self.pdf.add_font(_FAMILY, "B", bundled_font(bold=True))
        fallback = font_path_for(text_seen)  # warns (MissingGlyphWarning) if nothing covers
        if fallback not in (bundled_font(), bundled_font(bold=True)):
            self.pdf.add_font(_FALLBACK, "", fallback)
            self.pdf.add_font(_FALLBACK, "B", fallback)
            self.pdf.set_fallback_fonts([_FALLBACK])
        self.pdf.add_page()

    @property
    def width(self) -> float:
        return float(self.pdf.epw)

    def text(self, text: str, *, size: float = 10, bold: bool = False, gap: float = 1.0) -> None:
        self.pdf.set_font(_FAMILY, "B" if bold else "", size)
        self.pdf.multi_cell(self.width, size * 0.5, text, align="L", new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
        self.pdf.ln(gap)

    def heading(self, text: str) -> None:
        self.pdf.ln(3)
        self.text(text, size=13, bold=True, gap=2)

    def row(self, name: str, value: str) -> None:
        self.pdf.set_font(_FAMILY, "B", 10)
        self.pdf.multi_cell(45, 5.5, name, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.pdf.set_font(_FAMILY, "", 10)
        self.pdf.multi_cell(self.width - 45, 5.5, value, align="L", new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)

    def image(self, path: Path, caption: str) -> None:
        try:
            with Image.open(path) as img:
                px_w, px_h = img.size
        except (OSError, UnidentifiedImageError) as err:
            raise InputError(f"still {str(path)!r} cannot be read as an image ({err}); pass "
                             "PNG files written by preview(...).save(...)", path) from None
        scale = min(self.width / px_w, _STILL_MAX_HEIGHT / px_h)
        w, h = px_w * scale, px_h * scale
        if self.pdf.get_y() + h + 8 > self.pdf.h - _MARGIN:
            self.pdf.add_page()
        self.pdf.image(str(path), x=_MARGIN + (self.width - w) / 2, y=self.pdf.get_y(), w=w, h=h)
        self.pdf.set_y(self.pdf.get_y() + h + 1)
        self.text(caption, size=9, gap=4)


def _unlisted(lines: Sequence[tuple[str, str]], digest: str) -> bool:
    """Whether ``digest`` is not listed yet."""
    return all(listed != digest for _, listed in lines)


def _hash_lines(manifest: Path) -> list[tuple[str, str]]:
    data = read_manifest(manifest)
    lines = [(f"{data['input']['name']} (input)", data["input"]["sha256"])] \
        if data.get("input") else []
    for number, segment in enumerate(data.get("segments") or (), start=1):
        source = segment.get("input")
        if source and _unlisted(lines, source["sha256"]):
            lines.append((f"{source['name']} (segment {number})", source["sha256"]))
    lines.extend((entry["name"], entry["sha256"]) for entry in data["outputs"])
    lines.append((f"{manifest.name} (this manifest)", sha256_file(manifest)))
    return lines


def write_report(path: Path, *, title_rows: Sequence[tuple[str, str]], title: str | None,
                 stills: Sequence[tuple[Path, float]], transcript_text: str | None,
                 segments: Sequence[tuple[float, float, str]] = (),
                 manifest: Path | None = None, transcript_note: str | None = None,
                 english: Sequence[tuple[float, float, str]] = (),
                 continuity: Path | None = None, spoken: Sequence[str] = (),
                 redactions: Sequence[str] = ()) -> Path:
    """Write a PDF evidence report, atomically.

    Args:
        path: The ``.pdf`` file to write.
        title_rows: The title card's ``(name, value)`` rows, e.g. ``TitleCard.rows()``.
        title: The one-line summary of the problem (the PDF's heading), or ``None``.
        stills: ``(png_path, time)`` pairs, time in seconds on the OUTPUT timeline.
        transcript_text: The full transcript, used when no ``segments`` are given.
        segments: ``(start, end, text)`` transcript segments; shown with their times.
        manifest: The export's ``.manifest.json``; its SHA-256 hashes are listed.
        transcript_note: A line under the transcript heading (language, model, checks).
        english: ``(start, end, text)`` of the English machine translation, shown under a
            heading that says it is a machine translation.
        continuity: The continuity view (an image, see
            [continuity_sheet][evidence_annotate.report.continuity.continuity_sheet]).
        spoken: One line per spoken redaction (kind, output times, how it was found and
            masked), never what was said.
        redactions: One line per hidden region (when, where, why, found automatically or
            not); what it hides is never written.

    Returns:
        The PDF's path.

    Raises:
        InputError: A still is not a readable image, or the manifest is not a manifest.
        OutputError: The PDF cannot be written there.

    Example:
        >>> write_report(Path("evidence.pdf"), title_rows=TitleCard("8123", "2026-11-20").rows(),
        ...              title=None, stills=[], transcript_text=None)   # doctest: +SKIP
        PosixPath('evidence.pdf')
    """
    hashes = _hash_lines(manifest) if manifest is not None else []
    seen = " ".join([title or "", *(f"{n} {v}" for n, v in title_rows), transcript_text or "",
                     *(text for _, _, text in segments), *(text for _, _, text in english)])
    doc = _Doc(seen)
    doc.pdf.set_title(title or "Dispute evidence")
    doc.pdf.set_creator(f"evidence_annotate {__version__}")
    doc.text(title or "Dispute evidence", size=18, bold=True, gap=1)
    created = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    doc.text(f"Report made {created} with evidence_annotate {__version__}", size=8, gap=3)
    for name, value in title_rows:
        doc.row(name, value)
    if stills:
        doc.heading("Stills")
        for still, t in stills:
            doc.image(Path(still), f"Still at {format_time(t)} of the evidence video")
    if continuity is not None:
        doc.heading("Continuity")
        doc.image(continuity, "Top: the original at evenly spaced source times (CUT: not in "
                              "the output). Bottom: the output, each frame mapped back to the "
                              "source time it shows.")
    if redactions:
        doc.heading("Hidden regions")
        for line in redactions:
            doc.text(line, size=9)
    if segments or transcript_text:
        doc.heading("Transcript")
        if transcript_note:
            doc.text(transcript_note, size=8, gap=1)
        if segments:
            for start, end, text in segments:
                doc.text(f"{format_time(start)}-{format_time(end)}   {text}", size=10)
        else:
            doc.text(transcript_text or "", size=10)
    if english:
        doc.heading("English (machine translation)")
        doc.text("Translated automatically by the speech model; the transcript above is what "
                 "was said.", size=8, gap=1)
        for start, end, text in english:
            doc.text(f"{format_time(start)}-{format_time(end)}   {text}", size=10)
    if spoken:
        doc.heading("Spoken personal data redacted")
        doc.text("Masked in the captions and transcript; bleeped or muted in the audio. "
                 "Times are on the evidence video.", size=8, gap=1)
        for line in spoken:
            doc.text(line, size=10)
    if hashes:
        doc.heading("Integrity (SHA-256)")
        for name, digest in hashes:
            doc.text(name, size=9, bold=True, gap=0)
            doc.text(digest, size=8, gap=2)
    inputs = [Path(p) for p, _ in stills] + ([manifest] if manifest is not None else []) \
        + ([continuity] if continuity is not None else [])
    with atomic_output(path, inputs=inputs, suffixes=(".pdf",)) as tmp:
        doc.pdf.output(str(tmp))
    return Path(path)
