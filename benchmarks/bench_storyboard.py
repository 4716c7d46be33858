"""Storyboard export speed: one graph for clips and photos vs a plain ffmpeg concat re-encode.

Generates three 1080p30 clips (default 20 s each) and two photos (a 1170x2532 phone
screenshot and a 4032x3024 camera photo with EXIF orientation and GPS), then times, in this
process (runs alternate; medians of wall time and of CPU time, ffmpeg's included, since the
machine may be shared):

* the reference: ffmpeg's concat demuxer over the three clips, re-encoded with the same
  settings (``-c:v libx264 -preset P -crf Q -c:a aac``);
* the reference with the two photos too (3 s each, scaled and padded, concat filter), so
  both sides encode the same number of seconds;
* ``evidence_annotate``: ``ea.storyboard(clip1.box(...), screenshot.box(...), clip2,
  photo, clip3)`` exported with the same encoder settings;
* MoviePy: the same board via ``Storyboard.to_moviepy()`` and ``write_videofile`` (once).

Prints each median and the ratios to the references (target for the board: <= 1.15x).

Usage:
    python benchmarks/bench_storyboard.py [--seconds 20] [--runs 3] [--preset medium]
                                          [--crf 20] [--skip-moviepy]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _clips import make_1080p_clip
from PIL import Image, ImageDraw

import evidence_annotate as ea
from evidence_annotate.render.run import ffmpeg_exe

Timing = tuple[float, float]


def timed(run: Callable[[], object]) -> Timing:
    """Wall seconds and CPU seconds (this process and its children) of one run."""
    before, started = os.times(), time.perf_counter()
    run()
    after, wall = os.times(), time.perf_counter() - started
    cpu = sum(getattr(after, f) - getattr(before, f)
              for f in ("user", "system", "children_user", "children_system"))
    return wall, cpu


def alternating(runs: int, *jobs: Callable[[], object]) -> list[Timing]:
    """Median (wall, cpu) of each job, the jobs taking turns so load drifts hit all alike."""
    results: list[list[Timing]] = [[] for _ in jobs]
    for _ in range(runs):
        for job, out in zip(jobs, results, strict=True):
            out.append(timed(job))
    return [(statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
            for r in results]


def make_photos(folder: Path) -> tuple[Path, Path]:
    shot = Image.new("RGB", (1170, 2532), (245, 245, 245))
    draw = ImageDraw.Draw(shot)
    for y in range(200, 2400, 160):
        draw.rectangle((60, y, 1110, y + 110), fill=(220, 230, 255))
    screenshot = folder / "listing.png"
    shot.save(screenshot)
    photo = Image.effect_mandelbrot((4032, 3024), (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 1
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 27.72), 3: "E", 4: (2.0, 17.0, 42.0)}
    camera = folder / "photo.jpg"
    photo.save(camera, quality=90, exif=exif)
    return screenshot, camera


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="medium")
    parser.add_argument("--crf", type=int, default=20)
    parser.add_argument("--skip-moviepy", action="store_true")
    args = parser.parse_args()
    encode = ["-c:v", "libx264", "-preset", args.preset, "-crf", str(args.crf),
              "-pix_fmt", "yuv420p", "-c:a", "aac"]

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        clips = [folder / f"clip{i}.mp4" for i in range(3)]
        for clip in clips:
            make_1080p_clip(clip, args.seconds)
        screenshot, camera = make_photos(folder)
        listing = folder / "list.txt"
        listing.write_text("".join(f"file '{c}'\n" for c in clips))
        board = ea.storyboard(
            ea.open(clips[0]).box((760, 380, 400, 300), start=0.1 * args.seconds,
                                  end=0.4 * args.seconds, label="Crack"),
            ea.image(screenshot, seconds=3).box((60, 680, 1050, 110), label="Listed: black"),
            ea.open(clips[1]),
            ea.image(camera, seconds=3),
            ea.open(clips[2]).text("Seller refused", at=(80, 900)),
        )

        def concat() -> None:
            subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f",
                            "concat", "-safe", "0", "-i", str(listing), *encode,
                            str(folder / "concat.mp4")], check=True)

        def concat_stills() -> None:
            fit = ("scale=1920:1080:force_original_aspect_ratio=decrease,"
                   "pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30,format=yuv420p")
            inputs = [str(clips[0]), str(screenshot), str(clips[1]), str(camera), str(clips[2])]
            argv = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
            for path in inputs:
                argv += (["-loop", "1", "-t", "3", "-framerate", "30"]
                         if not path.endswith(".mp4") else []) + ["-i", path]
            argv += ["-f", "lavfi", "-t", "3", "-i", "anullsrc=r=48000:cl=stereo"]
            chains = [f"[{i}:v]{fit}[v{i}]" for i in range(5)]
            pads = "".join(f"[v{i}][{i if i in (0, 2, 4) else 5}:a]" for i in range(5))
            argv += ["-filter_complex", ";".join(chains) + ";[5:a]asplit[s1][s3];"
                     + pads.replace("[5:a]", "[s1]", 1).replace("[5:a]", "[s3]", 1)
                     + "concat=n=5:v=1:a=1[v][a]", "-map", "[v]", "-map", "[a]", *encode,
                     str(folder / "concat_stills.mp4")]
            subprocess.run(argv, check=True)

        def export() -> None:
            board.export(folder / "board.mp4", crf=args.crf, speed=args.preset,
                         progress=False)

        (c_wall, c_cpu), (s_wall, s_cpu), (b_wall, b_cpu) = alternating(
            args.runs, concat, concat_stills, export)
        print(f"board: 3 x {args.seconds:g} s 1080p30 clips + 2 photos x 3 s "
              f"({board.duration:.1f} s), preset={args.preset} crf={args.crf}, "
              f"{args.runs} alternating runs, medians")
        print(f"ffmpeg concat (clips only):   {c_wall:7.2f} s wall  {c_cpu:7.2f} s CPU")
        print(f"ffmpeg concat (clips+photos): {s_wall:7.2f} s wall  {s_cpu:7.2f} s CPU")
        print(f"evidence_annotate storyboard: {b_wall:7.2f} s wall  {b_cpu:7.2f} s CPU")
        print(f"ratio vs concat (clips only):   {b_wall / c_wall:.2f}x wall  "
              f"{b_cpu / c_cpu:.2f}x CPU (target <= 1.15x)")
        print(f"ratio vs concat (clips+photos): {b_wall / s_wall:.2f}x wall  "
              f"{b_cpu / s_cpu:.2f}x CPU")
        if not args.skip_moviepy:
            def moviepy() -> None:
                clip = board.to_moviepy()
                try:
                    clip.write_videofile(str(folder / "moviepy.mp4"), codec="libx264",
                                         audio_codec="aac", preset=args.preset,
                                         ffmpeg_params=["-crf", str(args.crf)], logger=None)
                finally:
                    clip.close()

            m_wall, m_cpu = timed(moviepy)
            print(f"MoviePy (to_moviepy, once):   {m_wall:7.2f} s wall  {m_cpu:7.2f} s CPU  "
                  f"({m_wall / c_wall:.1f}x concat)")


if __name__ == "__main__":
    main()
