"""Reports: stills (PNG frames of the output) and the PDF built from them.

Modules: :mod:`.stills` picks and writes frames, :mod:`.pdf` lays out the PDF.
"""
