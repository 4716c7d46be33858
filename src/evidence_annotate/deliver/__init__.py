"""Delivery: export a plan (one ffmpeg run, atomically), fit platform limits, write manifests.

Modules: :mod:`.export` runs and verifies one encode, :mod:`.fit` computes byte budgets and
split/trim points, :mod:`.pipeline` chooses and runs the exports a platform needs, and
:mod:`.manifest` writes and verifies the integrity manifest.
"""
