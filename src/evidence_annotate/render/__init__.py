"""Renderers of a plan: one ffmpeg filter graph for exports, Pillow/PyAV previews, MoviePy.

Modules: :mod:`.graph` compiles (no ffmpeg run), :mod:`.audio` builds the audio chain,
:mod:`.settings` holds encoder settings, :mod:`.run` runs ffmpeg with progress,
:mod:`.preview` draws single output frames and :mod:`.moviepy` builds a MoviePy composition.
All three renderers iterate the overlay protocol and the same timeline mapping.
"""
