"""Automatic face and text redaction vs a plain re-encode, and tracker throughput.

Generates a 720p30 clip (default 30 s) in which a face (scikit-image's astronaut) and a
shipping label move, then times, in this process:

* the reference: ``ffmpeg -i in -c:v libx264 -preset P -crf Q -c:a aac -b:a 128k out.mp4``;
* ``ev.redact().export(...)``: detection on a low-resolution copy, linking into tracks,
  then the one-graph export with the tracked blurs (same encoder settings);
* ``ev.follow(...)`` with CSRT and KCF: frames per second and distance to the truth;
* moving one blurred region (a keyframe per frame) inside the graph with per-frame
  expressions (what the library does) against ``sendcmd`` (a command per frame and filter),
  filters only (``-f null``), best of 3.

Prints the machine's load average, the times (wall clock, and CPU: the machine may be
shared), the ratio to the reference (target <= 2.0x), the output sizes, the share of frames
in which the face and the label lost their detail (recall, target >= 99 %) and the share of
the frame blurred outside them.

Usage:
    python benchmarks/bench_redact.py [--seconds 30] [--preset medium] [--crf 20]
                                      [--every 0.25] [--resolution 320] [--skip-recall]
                                      [--moving-only]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import evidence_annotate as ea
from evidence_annotate.geometry import Rect
from evidence_annotate.render.run import ffmpeg_exe
from evidence_annotate.tracks import Key, Track
from evidence_annotate.vision.models import face_session, text_session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from redact_clips import coverage, make_clip

SIZE = (1280, 720)


def expressions_vs_sendcmd(clip: Path, folder: Path, seconds: float) -> None:
    """Time one moving blur as per-frame expressions and as sendcmd commands."""
    frames = round(seconds * 30)
    path = Track(tuple(Key(i / 30, Rect(int(100 + 800 * i / frames + 20 * np.sin(i / 5)),
                                        int(200 + 100 * np.sin(i / 40)), 200, 150))
                       for i in range(frames)))
    size, frame = (202, 152), SIZE
    x, y = path.expr(0, size, frame), path.expr(1, size, frame)
    blur = "scale=25:19:flags=area,scale=202:152:flags=bilinear,gblur=sigma=4"
    commands = folder / "commands.txt"
    lines = []
    for key in path.keys:
        px, py = path.position(key.t, size, frame)
        lines.append(f"{key.t:.6f} crop@c x {px}, crop@c y {py}, overlay@o x {px}, "
                     f"overlay@o y {py};")
    commands.write_text("\n".join(lines) + "\n", encoding="utf-8")
    graphs = {
        "no region": "[0:v]null[out]",
        "expressions": (f"[0:v]split[a][b];[b]crop=w=202:h=152:x='{x}':y='{y}':exact=1,{blur}[c];"
                        f"[a][c]overlay=x='{x}':y='{y}'[out]"),
        "sendcmd": (f"[0:v]sendcmd=f={commands},split[a][b];"
                    f"[b]crop@c=w=202:h=152:x=0:y=0:exact=1,{blur}[c];"
                    "[a][c]overlay@o=x=0:y=0[out]"),
    }
    for name, text in graphs.items():
        graph = folder / f"graph-{name.replace(' ', '-')}.txt"
        graph.write_text(text, encoding="utf-8")
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i",
                            str(clip), "-/filter_complex", str(graph), "-map", "[out]",
                            "-f", "null", "-"], check=True)
            best = min(best, time.perf_counter() - started)
        print(f"moving region, {name:12s} {best:6.2f} s (decode + filters, {frames} keyframes)")


def _cpu() -> float:
    """CPU seconds of this process and its finished children (ffmpeg), all threads."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--preset", default="medium")
    parser.add_argument("--crf", type=int, default=20)
    parser.add_argument("--every", type=float, default=0.25)
    parser.add_argument("--resolution", type=int, default=320)
    parser.add_argument("--skip-recall", action="store_true")
    parser.add_argument("--moving-only", action="store_true")
    args = parser.parse_args()
    length = args.seconds

    def face_at(t: float) -> tuple[int, int]:  # drifts across and back, with a handheld shake
        x = 100 + 700 * abs(((t / 10) % 2) - 1)
        return int(x + 8 * np.sin(t * 7)), int(120 + 60 * np.sin(t / 3) + 6 * np.cos(t * 9))

    def label_at(t: float) -> tuple[int, int]:
        return int(820 - 500 * abs(((t / 12) % 2) - 1)), int(470 + 5 * np.sin(t * 5))

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        clip = folder / "clip.mp4"
        face, label = make_clip(clip, SIZE, length, face_at, label_at)
        expressions_vs_sendcmd(clip, folder, length)
        if args.moving_only:
            return
        face_session()
        text_session()

        cpu = _cpu()
        started = time.perf_counter()
        subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i",
                        str(clip), "-c:v", "libx264", "-preset", args.preset, "-crf",
                        str(args.crf), "-c:a", "aac", "-b:a", "128k",  # as the export
                        str(folder / "plain.mp4")], check=True)
        reference = time.perf_counter() - started
        reference_cpu = _cpu() - cpu

        ev = ea.open(clip)
        cpu = _cpu()
        started = time.perf_counter()
        found = ev.detect(every=args.every, resolution=args.resolution)
        detected = time.perf_counter() - started
        detected_cpu = _cpu() - cpu
        redacted = ev.redact(detections=found)
        out = folder / "redacted.mp4"
        redacted.export(out, crf=args.crf, speed=args.preset, progress=False)
        total = time.perf_counter() - started
        total_cpu = _cpu() - cpu
        sizes = (folder / "plain.mp4").stat().st_size, out.stat().st_size

        print(f"clip: {length:g} s 1280x720 30 fps, x264 preset={args.preset} crf={args.crf}; "
              f"detectors every {args.every:g} s on a {args.resolution} px copy; load average "
              f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        kinds = {k: sum(d.kind == k for d in found) for k in sorted({d.kind for d in found})}
        print(f"plain ffmpeg re-encode        {reference:8.2f} s   1.00x   "
              f"CPU {reference_cpu:6.2f} s   {sizes[0] / 1e6:.2f} MB")
        print(f"redact: detect + link         {detected:8.2f} s   {detected / reference:.2f}x   "
              f"CPU {detected_cpu:6.2f} s   {len(found)} regions ("
              f"{', '.join(f'{n} {k}' for k, n in kinds.items())})")
        print(f"redact: total with export     {total:8.2f} s   {total / reference:.2f}x   "
              f"CPU {total_cpu:6.2f} s = {total_cpu / reference_cpu:.2f}x   "
              f"{sizes[1] / 1e6:.2f} MB  (target <= 2.0x)")

        for tracker in ("csrt", "kcf"):
            started = time.perf_counter()
            path = ev.follow(face(length / 2), at=length / 2, tracker=tracker, on_lost="warn")
            took = time.perf_counter() - started
            frames = round(length * 30)
            errors = [max(abs(a - b) for a, b in zip(path.at(i / 30)[:2], face(i / 30)[:2],
                                                     strict=True))
                      for i in range(frames) if path.start <= i / 30 <= path.end]
            print(f"follow {tracker}: {frames / took:6.1f} frames/s (480 px copy, decode "
                  f"included), {len(path.keys)} keyframes, centre error mean "
                  f"{np.mean(errors):.1f} px max {max(errors)} px, lost {path.lost}")

        if args.skip_recall:
            return
        recall, needless, seen = coverage(out, clip, redacted.layers, (face, label), SIZE)
        print(f"recall: {round(recall * seen)}/{seen} face/label frames hidden = {recall:.2%} "
              f"(target >= 99 %); blurred needlessly {needless:.1%} of the frame")


if __name__ == "__main__":
    main()
