"""Reports: stills (PNG frames of the output) and the PDF built from them.

Modules: [.stills][] picks and writes frames, [.pdf][] lays out the PDF.
"""
