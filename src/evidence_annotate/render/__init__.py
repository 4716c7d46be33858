"""Renderers of a plan: one ffmpeg filter graph for exports, Pillow/PyAV previews, MoviePy.

Modules: :mod:`.graph` compiles (no ffmpeg run), :mod:`.run` runs ffmpeg with progress,
:mod:`.preview` draws single output frames, :mod:`.moviepy` builds a MoviePy composition, and
:mod:`.escape` escapes values for filter graphs.
"""
