"""Faults: SIGKILL at several moments, runs side by side; what must hold afterwards."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import psutil
import pytest
import sqlalchemy as sa
from conftest import ROOT, SAMPLE, sha256

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _migrator(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "migrator", *map(str, args)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _children_first(path: Path, groups: int) -> Path:
    """`groups` parents with 9 children each in one experiment; the children started BEFORE their parent,
    so their parent links wait for the end of the copy; one dataset shared by all runs (workers log it at
    the same time)."""
    import mlflow
    from mlflow import MlflowClient
    from mlflow.data.meta_dataset import MetaDataset
    from mlflow.entities import DatasetInput, InputTag, Metric

    p = path
    client = MlflowClient(f"sqlite:///{p}")
    exp = client.create_experiment("nested")
    ds = MetaDataset(source=mlflow.data.http_dataset_source.HTTPDatasetSource("https://example.com/d.csv"),
                     name="shared", digest="d1")._to_mlflow_entity()
    t0 = 1_700_000_000_000
    for g in range(groups):
        parent = client.create_run(exp, start_time=t0 + g * 100_000 + 99_000, run_name=f"parent-{g}")
        for c in range(9):
            child = client.create_run(exp, start_time=t0 + g * 100_000 + c * 1000, run_name=f"child-{g}-{c}",
                                      tags={"mlflow.parentRunId": parent.info.run_id})
            client.log_batch(child.info.run_id, metrics=[Metric("loss", 1.0 / (s + 1), t0 + s, s) for s in range(30)])
            client.log_inputs(child.info.run_id, [DatasetInput(ds, [InputTag("mlflow.data.context", "train")])])
            client.set_terminated(child.info.run_id, "FINISHED", end_time=t0 + g * 100_000 + c * 1000 + 500)
        client.set_terminated(parent.info.run_id, "FINISHED", end_time=t0 + g * 100_000 + 99_500)
    mlflow.set_tracking_uri(None)
    return p


@pytest.fixture(scope="module")
def children_first_store(tmp_path_factory) -> Path:
    """110 runs: enough for worker processes."""
    return _children_first(tmp_path_factory.mktemp("children") / "store.db", 11)


@pytest.fixture(scope="module")
def small_children_first_store(tmp_path_factory) -> Path:
    """40 runs: copied on threads."""
    return _children_first(tmp_path_factory.mktemp("small") / "store.db", 4)


def _complete_runs(idmap: Path) -> int:
    try:
        return len(json.loads(idmap.read_text())["complete_runs"])
    except (OSError, ValueError, KeyError):
        return 0


def _metric_rows(url: str) -> int:
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with eng.connect() as c:
            return int(c.exec_driver_sql("SELECT count(*) FROM metrics").scalar())
    except sa.exc.DBAPIError:
        return 0
    finally:
        eng.dispose()


def _kill_when(proc: subprocess.Popen, reached: Callable[[], bool]) -> list[int]:
    """SIGKILL the copy (its main process only) once `reached()`; the pids of its worker processes then."""
    deadline = time.monotonic() + 180
    while not reached():
        assert proc.poll() is None, "the copy ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    kids = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    return kids


def _parent_links(url: str) -> dict[str, str]:
    from mlflow import MlflowClient
    from mlflow.entities import ViewType

    client = MlflowClient(url)
    exp = client.get_experiment_by_name("nested")
    runs = client.search_runs([exp.experiment_id], run_view_type=ViewType.ALL, max_results=1000)
    return {r.info.run_name: r.data.tags.get("mlflow.parentRunId") for r in runs}, \
        {r.info.run_id: r.info.run_name for r in runs}


@pytest.mark.slow  # end to end, 20-45 s; run with: python -m pytest -m slow
def test_killed_copies_keep_every_parent_link_and_leave_no_process(children_first_store, pg_url, tmp_path, cli):
    idmap = tmp_path / "ids.json"
    moments = (lambda: _complete_runs(idmap) >= 10,  # runs marked copied in the saved map, links still to come
               lambda: _metric_rows(pg_url) >= 99 * 30 * 0.9)  # late in the rerun's contents
    for i, moment in enumerate(moments):  # two kills at different moments, then a rerun to the end
        proc = _migrator("copy", children_first_store, pg_url, "--id-map", idmap, "--workers", "2")
        kids = _kill_when(proc, moment)
        assert kids or i, "the copy ran no worker processes"
        gone, alive = psutil.wait_procs([psutil.Process(k) for k in kids if psutil.pid_exists(k)], timeout=15)
        assert not alive, f"worker processes outlived their killed parent: {alive}"
    r = cli("copy", children_first_store, pg_url, "--id-map", idmap, "--json")
    assert r.exit_code == 0, r.output
    src_links, src_names = _parent_links(f"sqlite:///{children_first_store}")
    dst_links, dst_names = _parent_links(pg_url)
    assert len(dst_names) == len(src_names) == 110  # no duplicates
    for name, parent in src_links.items():
        if parent is None:
            assert dst_links[name] is None
        else:
            assert dst_links[name] is not None, f"{name} lost its parent link"
            assert dst_names[dst_links[name]] == src_names[parent]


@pytest.mark.slow  # end to end, 20-35 s; run with: python -m pytest -m slow
def test_copy_with_default_workers_never_races_on_shared_datasets(small_children_first_store, pg_server, tmp_path,
                                                                  cli):
    """Ten copies into empty databases, default workers: every one exits 0 (not a timing test)."""
    from conftest import create_database, drop_database, url_for

    for i in range(10):
        name = create_database(pg_server["admin"])
        try:
            r = cli("copy", small_children_first_store, url_for(pg_server["admin"], name), "--id-map",
                    tmp_path / f"{i}.json")
            assert r.exit_code == 0, (i, r.output)
        finally:
            drop_database(pg_server["admin"], name)


def _backup(cli, store: Path, dest: Path) -> Path:
    r = cli("backup", store, "--dest", dest, "--json")
    assert r.exit_code == 0, r.output
    return Path(json.loads(r.stdout)["backup"])


def test_two_restores_in_a_row_or_at_once_keep_the_original(cli, sample_store, tmp_path):
    backup = _backup(cli, sample_store, tmp_path / "bk")
    target = tmp_path / "live.db"
    shutil.copy(SAMPLE, target)
    original = sha256(target)
    for _ in range(2):  # twice in the same second
        assert cli("restore", backup, target, "--force").exit_code == 0
    procs = [_migrator("restore", backup, target, "--force") for _ in range(3)]
    codes = [p.wait(120) for p in procs]
    assert set(codes) <= {0, 4} and 0 in codes
    aside = sorted(tmp_path.glob("live.db.before-restore-*"))
    assert len(aside) == 2 + codes.count(0)  # every replaced file kept under its own name
    assert original in {sha256(p) for p in aside}
    assert not list(tmp_path.glob(".live.db.*"))  # no lock or partial file left


def test_leftovers_of_killed_runs_are_removed_by_the_next_run(cli, sample_store, tmp_path):
    dest = tmp_path / "bk"
    _backup(cli, sample_store, dest)
    stale = dest / ".tmp-mlflow-20200101T000000000000Z-dead"
    stale.mkdir()
    (stale / "store.db").write_bytes(b"x" * 1000)
    assert [b["backup"] for b in json.loads(cli("backups", "list", dest, "--json").stdout)] == \
        [str(p) for p in dest.iterdir() if not p.name.startswith(".")]
    _backup(cli, sample_store, dest)
    assert not stale.exists()
    stale.mkdir()
    assert cli("backups", "prune", dest, "--keep-daily", "5").exit_code == 0
    assert not stale.exists()
    target = tmp_path / "r.db"
    left = tmp_path / ".r.db.restoring-deadbeef"
    left.write_bytes(b"partial")
    assert cli("restore", sorted(p for p in dest.iterdir() if not p.name.startswith("."))[0], target).exit_code == 0
    assert not left.exists()


def test_a_kill_during_a_backup_leaves_nothing_taken_for_a_backup(cli, sample_store, tmp_path):
    dest = tmp_path / "bk"
    proc = _migrator("backup", sample_store, "--dest", dest, "--compress", "zstd")
    deadline = time.monotonic() + 60
    while not list(dest.glob(".tmp-*")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    listed = json.loads(cli("backups", "list", dest, "--json").stdout)
    assert all((Path(b["backup"]) / "manifest.json").exists() for b in listed)
    _backup(cli, sample_store, dest)
    assert not list(dest.glob(".tmp-*"))


def test_a_rerun_after_the_commit_finds_the_complete_copy(cli, sample_store, pg_url):
    """A run killed after its commit (during the final MlflowClient check) left a complete copy: the same
    command again says so and exits 0; a target that differs names the --replace way out."""
    assert cli("sqlite-to-pg", sample_store, pg_url, "--no-verify").exit_code == 0
    r = cli("sqlite-to-pg", sample_store, pg_url, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["already_complete"] is True and out["verify"]["ok"] is True
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.begin() as c:
        c.exec_driver_sql("UPDATE runs SET name = 'changed' WHERE run_uuid = (SELECT min(run_uuid) FROM runs)")
    eng.dispose()
    r = cli("sqlite-to-pg", sample_store, pg_url)
    assert r.exit_code == 1 and "--replace" in r.stderr


def test_ctrl_c_is_told_truthfully(cli, sample_store, pg_url, monkeypatch):
    """Interrupted before the commit: nothing was written (130); after it: the copy is complete (130)."""
    from migrator.bulk import pipeline

    def interrupt(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "load", interrupt)
    r = cli("sqlite-to-pg", sample_store, pg_url)
    assert r.exit_code == 130 and "before the commit; nothing was written" in r.stderr
    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "_api_parity_after_commit", interrupt)
    r = cli("sqlite-to-pg", sample_store, pg_url)
    assert r.exit_code == 130 and "after the commit: the copy is complete" in r.stderr
