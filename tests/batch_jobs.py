"""A dozen small jobs for batch tests: recipes, table rows and an Evidence plan, 4 broken."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

import evidence_annotate as ea
from conftest import ffmpeg
from evidence_annotate.batch import Job


def make_clip(path: Path, color: str = "gray", seconds: float = 1.0, size: str = "320x240",
              rate: int = 15) -> Path:
    """A flat colour (or, with ``color="noise"``, a busy picture slow to encode) and a tone."""
    picture = (f"testsrc2=s={size}:r={rate}:d={seconds},noise=alls=40:allf=t"
               if color == "noise" else f"color=c={color}:s={size}:r={rate}:d={seconds}")
    ffmpeg("-f", "lavfi", "-i", picture,
           "-f", "lavfi", "-i", f"sine=f=440:d={seconds}", "-c:v", "libx264", "-preset",
           "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path))
    return path


def recipe_toml(input_name: str, output: str, box: tuple[int, int, int, int] = (10, 10, 60, 40),
                extra: str = "") -> str:
    return (f'input = "{input_name}"\noutput = "{output}"\nspeed = "ultrafast"\n{extra}'
            f'[title_card]\norder = "8123"\ndate = "2026-11-20"\nseconds = 0.5\n'
            f'[[box]]\nrect = {list(box)}\nlabel = "Crack"\nstart = 0.1\n')


@dataclass
class Dozen:
    """Where the dozen jobs live, and their names by expected outcome."""

    folder: Path
    jobs: list[Job]
    good: list[str]
    broken: dict[str, str]  # name -> expected error type


def dozen(folder: Path, clip: Path) -> Dozen:
    """12 jobs over copies of ``clip``: 8 that work, 4 that fail for different reasons."""
    (folder / "recipes").mkdir(parents=True)
    inputs = folder / "inputs"
    inputs.mkdir()
    for i in range(8):
        (inputs / f"c{i}.mp4").write_bytes(clip.read_bytes() + b"")
    (inputs / "corrupt.mp4").write_bytes(b"\x00not a video" * 100)
    recipes = folder / "recipes"
    for i in range(4):
        (recipes / f"r{i}.toml").write_text(recipe_toml(f"../inputs/c{i}.mp4",
                                                        f"../out/r{i}.mp4"), encoding="utf-8")
    (recipes / "r4.json").write_text(json.dumps({
        "input": "../inputs/c4.mp4", "output": "../out/r4.mp4", "speed": "ultrafast",
        "arrow": [{"tail": [10, 10], "head": [100, 80]}],
        "text": [{"text": "Wrong colour: 50% {\\pos(0,0)}", "at": [20, 150]}],
        "blur": [{"rect": [200, 20, 80, 60]}]}), encoding="utf-8")
    (recipes / "missing-input.toml").write_text(
        recipe_toml("../inputs/nope.mp4", "../out/missing.mp4"), encoding="utf-8")
    (recipes / "corrupt-input.toml").write_text(
        recipe_toml("../inputs/corrupt.mp4", "../out/corrupt.mp4"), encoding="utf-8")
    (recipes / "too-small.toml").write_text(
        recipe_toml("../inputs/c0.mp4", "../out/small.mp4", extra='platform = "aliexpress"\n'),
        encoding="utf-8")
    (folder / "today.csv").write_text(
        "input,output,name,order,date,title,speed\n"
        "inputs/c5.mp4,out/t5.mp4,order-5,8125,2026-11-21,Cracked case,ultrafast\n"
        "inputs/c6.mp4,out/t6.mp4,order-6,8126,2026-11-22,\"Wrong colour, too\",ultrafast\n",
        encoding="utf-8")
    (folder / "more.jsonl").write_text(json.dumps({
        "name": "outside", "input": "inputs/c7.mp4", "output": "out/outside.mp4",
        "box": [{"rect": [300, 200, 100, 100]}]}) + "\n", encoding="utf-8")
    jobs = ea.load_jobs(recipes, folder / "today.csv", folder / "more.jsonl")
    plan = (ea.open(inputs / "c7.mp4").title_card("8127", "2026-11-23", seconds=0.5)
            .box((40, 40, 80, 60), start=0.2, label="Dent").blur((200, 150, 60, 40)))
    jobs.append(Job(plan, folder / "out" / "ev7.mp4", export={"speed": "ultrafast"}))
    return Dozen(folder, jobs,
                 good=["r0.toml", "r1.toml", "r2.toml", "r3.toml", "r4.json", "order-5",
                       "order-6", "ev7.mp4"],
                 broken={"missing-input.toml": "InputError", "corrupt-input.toml": "InputError",
                         "too-small.toml": "PlatformLimitError", "outside": "RecipeError"})


def check_dozen(setup: Dozen, results: list[ea.JobResult]) -> None:
    """Every good job's files verify against its manifest; every broken one fails by name."""
    by_name = {r.name: r for r in results}
    assert sorted(by_name) == sorted([*setup.good, *setup.broken])
    for name in setup.good:
        result = by_name[name]
        assert result.status == "done", (name, result.reason)
        assert result.result is not None and result.result.manifest is not None
        recorded = json.loads(result.result.manifest.read_text(encoding="utf-8"))["input"]
        verification = ea.verify(result.result.manifest,
                                 source=setup.folder / "inputs" / recorded["name"])
        assert verification.ok and not verification.files[0].missing, str(verification)
        assert [f.path for f in verification.files[1:]] == list(result.result.paths)
    for name, kind in setup.broken.items():
        result = by_name[name]
        assert result.status == "failed" and type(result.error).__name__ == kind, (name, result)
        assert result.output is not None and not result.output.exists()
    leftovers = [p.name for p in (setup.folder / "out").iterdir() if ".partial" in p.name]
    assert leftovers == []


def writer_of(partial_folder: Path, timeout: float = 60.0) -> psutil.Process:
    """The process whose ffmpeg child is writing a hidden partial file in ``partial_folder``."""
    import time

    deadline = time.monotonic() + timeout
    me = psutil.Process(os.getpid())
    while time.monotonic() < deadline:
        for proc in psutil.process_iter(["name", "cmdline", "ppid"]):
            cmd = proc.info["cmdline"] or []
            if any(".partial" in arg and str(partial_folder) in arg for arg in cmd) \
                    and "ffmpeg" in " ".join(cmd[:1]):
                parent = psutil.Process(proc.info["ppid"])
                if parent.pid != me.pid:
                    return parent
        time.sleep(0.05)
    raise AssertionError("no ffmpeg started writing a partial file in time")


@dataclass
class Background:
    """A batch iterated in a thread, so a test can act while its jobs run."""

    thread: threading.Thread
    collected: list[ea.JobResult] = field(default_factory=list)

    def results(self, timeout: float = 300.0) -> list[ea.JobResult]:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the batch did not finish in time"
        return self.collected


def in_background(results: Iterator[ea.JobResult]) -> Background:
    collected: list[ea.JobResult] = []
    thread = threading.Thread(target=lambda: collected.extend(results), daemon=True)
    thread.start()
    return Background(thread, collected)
