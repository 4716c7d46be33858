"""Delivery: export a plan (one ffmpeg run, atomically), fit platform limits, write manifests.

Modules: [.export][] runs and verifies one encode, [.fit][] computes byte budgets and
split/trim points, [.pipeline][] chooses and runs the exports a platform needs, and
[.manifest][] writes and verifies the integrity manifest.
"""
