"""Batches: jobs are data (pickle, recipes), ea.batch on the default pool, safe re-runs, CLI."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import signal
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import evidence_annotate as ea
from batch_jobs import check_dozen, dozen, in_background, make_clip, recipe_toml, writer_of
from evidence_annotate.batch import Job, WorkerLostError, load_jobs
from evidence_annotate.batch.files import row_recipe
from evidence_annotate.cli import main
from evidence_annotate.recipe import RecipeError, load_recipe


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("batch") / "short.mp4")


def _graph(ev: ea.Evidence, work: Path) -> tuple[tuple[str, ...], str]:
    job = ev.compile(work / "out.mp4", work)
    return job.argv, job.graph


def test_an_evidence_plan_pickles_and_compiles_to_the_same_graph(short_clip: Path,
                                                                tmp_path: Path) -> None:
    srt = tmp_path / "subs.srt"
    srt.write_text("1\n00:00:00,100 --> 00:00:00,900\n{\\b1}50% off: 'quoted'\n",
                   encoding="utf-8")
    ev = (ea.open(short_clip).title_card("8123", "2026-11-20", "Cracked", seconds=0.5)
          .box((10, 10, 60, 40), start=0.1, label="Crack").arrow((5, 5), (60, 50))
          .text("Wrong: 100%", at=(20, 150)).blur((200, 20, 80, 60)).ellipse((100, 100, 40, 30))
          .trim(0.1, 0.9).captions(source=srt))
    shipped = pickle.loads(pickle.dumps(Job(ev, tmp_path / "out.mp4")))
    assert isinstance(shipped.source, ea.Evidence) and shipped.source == ev
    assert _graph(shipped.source, tmp_path) == _graph(ev, tmp_path)
    assert len(_graph(ev, tmp_path)[1]) > 200  # a real graph, compared in full


def test_a_recipe_round_trips_through_toml_json_and_pickle(short_clip: Path,
                                                          tmp_path: Path) -> None:
    (tmp_path / "job.toml").write_text(recipe_toml(str(short_clip), "out.mp4"), encoding="utf-8")
    from_toml = load_recipe(tmp_path / "job.toml")
    data = {"input": str(short_clip), "output": "out.mp4", "speed": "ultrafast",
            "title_card": {"order": "8123", "date": "2026-11-20", "seconds": 0.5},
            "box": [{"rect": [10, 10, 60, 40], "label": "Crack", "start": 0.1}]}
    (tmp_path / "job.json").write_text(json.dumps(data), encoding="utf-8")
    from_json = load_recipe(tmp_path / "job.json")
    shipped = pickle.loads(pickle.dumps(Job(from_toml)))
    assert isinstance(shipped.source, type(from_toml))
    graphs = {_graph(recipe.evidence(progress=False), tmp_path)
              for recipe in (from_toml, from_json, shipped.source)}
    assert len(graphs) == 1


def test_table_rows_become_recipes_and_bad_rows_fail_by_line(tmp_path: Path) -> None:
    assert row_recipe({"input": "a.mp4", "model": "tiny", "captions": "yes", "title": ""}) == {
        "input": "a.mp4", "transcribe": {"model": "tiny"}, "captions": {}}
    table = tmp_path / "jobs.csv"
    table.write_text("input,order,date,crf\na.mp4,81,2026-11-20,23\nb.mp4,82,2026-11-21,x\n",
                     encoding="utf-8")
    good, bad = load_jobs(table)
    assert good.name == "jobs.csv:2" and good.target == tmp_path / "a-evidence.mp4"
    assert isinstance(bad.source, RecipeError)
    assert str(bad.source) == "jobs.csv:3 crf: expected a whole number, got 'x'"
    (tmp_path / "no-input.csv").write_text("file\na.mp4\n", encoding="utf-8")
    with pytest.raises(RecipeError, match="must name the columns"):
        load_jobs(tmp_path / "no-input.csv")


def test_bad_arguments_and_duplicate_outputs(short_clip: Path, tmp_path: Path) -> None:
    ev = ea.open(short_clip)
    with pytest.raises(ValueError, match="workers=0 must be"):
        list(ea.batch([], workers=0))
    with pytest.raises(ValueError, match="needs output="):
        Job(ev)
    with pytest.raises(ValueError, match="speed='fastest' is not an x264 preset"):
        Job(ev, tmp_path / "a.mp4", export={"speed": "fastest"})
    jobs = [Job(ev, tmp_path / "a.mp4", name="first"), Job(ev, tmp_path / "a.mp4", name="twin")]
    (result,) = [r for r in ea.batch(jobs, workers=1) if r.name == "twin"]
    assert result.status == "failed" and "also the output of job 'first'" in str(result.error)


@pytest.mark.slow
def test_a_dozen_jobs_on_the_default_pool_then_safe_reruns(short_clip: Path,
                                                          tmp_path: Path) -> None:
    setup = dozen(tmp_path, short_clip)
    check_dozen(setup, list(ea.batch(setup.jobs, workers=2)))

    again = {r.name: r for r in ea.batch(setup.jobs, workers=2)}
    assert {n for n, r in again.items() if r.status == "skipped"} == set(setup.good)
    assert again["r0.toml"].result is not None and again["r0.toml"].result.sha256 == \
        ea.verify(tmp_path / "out" / "r0.mp4.manifest.json").files[1].actual_sha256

    make_clip(tmp_path / "inputs" / "c1.mp4", color="red")  # a changed input
    (tmp_path / "recipes" / "r2.toml").write_text(  # a changed plan
        recipe_toml("../inputs/c2.mp4", "../out/r2.mp4", box=(20, 20, 60, 40)), encoding="utf-8")
    third = {r.name: r for r in ea.batch(load_jobs(tmp_path / "recipes"), workers=2)}
    assert (third["r1.toml"].status, third["r1.toml"].reason) == (
        "done", "the input changed (its SHA-256 differs from the manifest's)")
    assert (third["r2.toml"].status, third["r2.toml"].reason) == ("done", "the plan changed")
    assert {third[n].status for n in ("r0.toml", "r3.toml", "r4.json")} == {"skipped"}
    assert ea.verify(tmp_path / "out" / "r1.mp4.manifest.json").ok


@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_its_job_retried(tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "long.mp4", "noise", seconds=1.5, size="640x480", rate=30)
    job = Job(ea.open(clip).box((10, 10, 100, 100)), tmp_path / "out" / "slow.mp4",
              export={"speed": "fast", "crf": 18})
    files = ["slow.mp4", "slow.mp4.manifest.json"]

    running = in_background(ea.batch([job], workers=1))
    writer_of(tmp_path / "out").send_signal(signal.SIGKILL)
    (result,) = running.results()
    assert (result.status, result.attempts) == ("done", 2)
    assert result.result is not None and result.result.manifest is not None
    assert ea.verify(result.result.manifest).ok
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == files
    first = result.result.sha256

    running = in_background(ea.batch([job], workers=1, retries=0, force=True))
    writer_of(tmp_path / "out").send_signal(signal.SIGKILL)
    (lost,) = running.results()
    assert lost.status == "failed" and isinstance(lost.error, WorkerLostError)
    assert "'slow.mp4': the process running it died once" in str(lost.error)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == files  # nothing half-written
    assert ea.verify(tmp_path / "out" / "slow.mp4.manifest.json").files[1].actual_sha256 == first


def _models_in_this_worker() -> tuple[int, int]:
    from evidence_annotate.speech import models

    return len(models._loaded), os.getpid()


@pytest.mark.slow
def test_the_model_loads_once_per_worker_and_transcripts_go_to_a_shared_cache(
        narrated_clip: Path, tiny_model: str, tmp_path: Path) -> None:
    jobs = []
    for i in range(3):
        source = tmp_path / f"n{i}.mp4"
        make_clip(source, seconds=0.5) if False else source.write_bytes(
            narrated_clip.read_bytes() + b"\0" * i)  # different bytes, same narration
        recipe = {"input": source.name, "speed": "ultrafast",
                  "transcribe": {"model": tiny_model, "language": "en"}, "captions": {}}
        (tmp_path / f"n{i}.json").write_text(json.dumps(recipe), encoding="utf-8")
        jobs.append(tmp_path / f"n{i}.json")
    shared = tmp_path / "shared-cache"
    # forkserver, as the library's own pool: forking a test process that already holds
    # CTranslate2's threads (other tests' models) can crash the child
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver")) as pool:
        results = list(ea.batch(jobs, pool, cache=shared))
        loaded, pid = pool.submit(_models_in_this_worker).result()
    assert [r.status for r in results] == ["done"] * 3
    assert {r.worker.rsplit(":", 1)[1] for r in results} == {str(pid)}
    assert loaded == 1  # one model object served all three jobs in that worker
    assert len(list((shared / "transcripts").glob("*.json"))) == 3


def test_the_cli_runs_a_folder_reports_json_and_exits_1_on_failure(
        short_clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "c.mp4").write_bytes(short_clip.read_bytes())
    (tmp_path / "good.toml").write_text(recipe_toml("c.mp4", "out/good.mp4"), encoding="utf-8")
    (tmp_path / "bad.toml").write_text(recipe_toml("c.mp4", "out/bad.mp4", box=(300, 0, 90, 9)),
                                       encoding="utf-8")
    report = tmp_path / "report.json"
    assert main(["batch", str(tmp_path), "--workers", "2", "--report", str(report)]) == 1
    out, err = capsys.readouterr()
    assert "FAILED bad.toml: box[0].rect" in err
    assert "2 jobs: 1 done, 0 skipped, 1 failed" in out
    jobs = {j["name"]: j for j in json.loads(report.read_text(encoding="utf-8"))["jobs"]}
    assert jobs["good.toml"]["status"] == "done" and len(jobs["good.toml"]["sha256"]) == 64
    assert jobs["bad.toml"]["error"]["type"] == "RecipeError"
    (tmp_path / "bad.toml").unlink()
    assert main(["batch", str(tmp_path), "-q", "--report", str(report)]) == 0
    assert capsys.readouterr().out == ""
