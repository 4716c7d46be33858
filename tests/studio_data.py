"""Data shared by the studio's tests."""

SUBTITLES = """1
00:00:00,500 --> 00:00:02,000
The case is craked here.

2
00:00:02,000 --> 00:00:03,500
Look at the left edge.
"""
