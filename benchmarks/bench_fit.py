"""Fitting byte budgets: a 60 s 1080p clip exported under 4, 10 and 30 MB limits.

For each budget prints the output size as a fraction of the budget (target 0.85-1.00 when
the budget binds), the encode time, the resolution chosen and whether two passes were used.

Usage:
    python benchmarks/bench_fit.py [--seconds 60] [--budgets 4 10 30] [--preset medium]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _clips import make_1080p_clip

import evidence_annotate as ea
from evidence_annotate.deliver.fit import budget_settings
from evidence_annotate.render.settings import EncodeSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--budgets", type=float, nargs="+", default=[4.0, 10.0, 30.0])
    parser.add_argument("--preset", default="medium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        clip = folder / "clip.mp4"
        make_1080p_clip(clip, args.seconds, grain=12, crf=16)
        evidence = ea.open(clip).box((760, 380, 400, 300), label="Crack")
        print(f"clip: {args.seconds:g} s 1920x1080 30 fps ({clip.stat().st_size / 1e6:.1f} MB), "
              f"x264 preset={args.preset}")
        print(f"{'budget':>8} {'size':>9} {'of budget':>9} {'time':>8} {'resolution':>11} passes")
        for megabytes in args.budgets:
            platform = ea.Platform(f"budget{megabytes:g}", max_bytes=int(megabytes * 1e6))
            plan = budget_settings(EncodeSettings(preset=args.preset), platform, evidence.info,
                                   evidence.duration)
            started = time.perf_counter()
            result = evidence.export(folder / f"fit{megabytes:g}.mp4", platform=platform,
                                     speed=args.preset, progress=False, manifest=False)
            elapsed = time.perf_counter() - started
            print(f"{megabytes:>6g}MB {result.size_bytes / 1e6:>7.2f}MB "
                  f"{result.size_bytes / platform.max_bytes:>9.3f} {elapsed:>7.1f}s "  # type: ignore[operator]
                  f"{result.width:>5}x{result.height:<5} {2 if plan.two_pass else 1}")


if __name__ == "__main__":
    main()
