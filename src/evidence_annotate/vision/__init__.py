"""Seeing what is in the footage: following a region, finding faces and text.

Everything here reads a decoded low-resolution copy of the clip in Python (never the export
path) and returns [Track][evidence_annotate.tracks.Track]s that overlay kinds move inside
the ONE export graph.
"""
