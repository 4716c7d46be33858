"""Batches on a real Dask cluster: worker processes on this machine, loopback only."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

import evidence_annotate as ea
from batch_jobs import check_dozen, dozen, in_background, make_clip, writer_of
from evidence_annotate.batch import Job, WorkerLostError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def client() -> Iterator[Client]:
    """A LocalCluster of 2 worker PROCESSES (one thread each), started once per session."""
    before = os.environ.get("PYTHONPATH")
    source = str(Path(ea.__file__).resolve().parents[1])  # workers import this copy
    os.environ["PYTHONPATH"] = os.pathsep.join([source, *filter(None, [before])])
    try:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,  # type: ignore[no-untyped-call]
                          host="127.0.0.1", dashboard_address=None) as cluster, \
                Client(cluster) as dask_client:  # type: ignore[no-untyped-call]
            yield dask_client
    finally:
        if before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = before


def test_a_dozen_jobs_on_a_dask_cluster_then_a_rerun_skips_them(
        client: Client, gray_clip: Path, tmp_path: Path) -> None:
    setup = dozen(tmp_path, gray_clip)
    results = list(ea.batch(setup.jobs, client.get_executor()))  # type: ignore[no-untyped-call]
    check_dozen(setup, results)
    workers = {r.worker for r in results if r.worker}
    assert len(workers) == 2 and os.getpid() not in {int(w.split(":")[1]) for w in workers}

    make_clip(tmp_path / "inputs" / "c3.mp4", color="blue")
    again = {r.name: r for r in ea.batch(setup.jobs, client)}  # a Client works as well
    assert again["r3.toml"].status == "done"
    assert {n for n, r in again.items() if r.status == "skipped"} == set(setup.good) - {"r3.toml"}


def test_a_killed_dask_worker_leaves_no_half_written_file(client: Client,
                                                          tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "long.mp4", "noise", seconds=1.5, size="640x480", rate=30)
    job = Job(ea.open(clip).box((10, 10, 100, 100)), tmp_path / "out" / "slow.mp4",
              export={"speed": "fast", "crf": 18})
    running = in_background(ea.batch([job], client))
    writer_of(tmp_path / "out").send_signal(signal.SIGKILL)
    (result,) = running.results()
    left = sorted(p.name for p in (tmp_path / "out").iterdir())
    if result.ok:  # Dask ran it again on a live worker
        assert result.result is not None and result.result.manifest is not None
        assert ea.verify(result.result.manifest).ok
        assert left == ["slow.mp4", "slow.mp4.manifest.json"]
    else:
        assert isinstance(result.error, WorkerLostError) and left == []
    client.wait_for_workers(2, timeout=60)
