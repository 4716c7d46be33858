"""Renderers of a plan: one ffmpeg filter graph for exports, Pillow/PyAV previews, MoviePy.

Modules: [.graph][] compiles (no ffmpeg run), [.audio][] builds the audio chain,
[.settings][] holds encoder settings, [.run][] runs ffmpeg with progress,
[.preview][] draws single output frames and [.moviepy][] builds a MoviePy composition.
All three renderers iterate the overlay protocol and the same timeline mapping.
"""
