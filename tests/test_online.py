"""The online move: phase one (`--online`) while a real MlflowClient keeps writing to the SQLite store, the
cutover (`--cutover`) once it has stopped; every change caught (appended, changed in place, deleted, by
MLflow and by other programs), proven by `migrator verify`; refused while a writer holds the store; a kill
in the cutover leaves the target as phase one left it."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import error_line, sha256

WRITER = r"""
import sys, time, pathlib
from mlflow import MlflowClient
db, ready, stop = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
c = MlflowClient(f"sqlite:///{db}", registry_uri=f"sqlite:///{db}")
old = c.search_runs([e.experiment_id for e in c.search_experiments()], max_results=50)
exp = c.create_experiment("written-during-phase-one")

def one_run(i):
    r = c.create_run(exp, run_name=f"live-{i}")
    for s in range(25):
        c.log_metric(r.info.run_id, "loss", 1.0 / (s + 1), step=s)
    c.log_param(r.info.run_id, "i", str(i))
    c.set_tag(r.info.run_id, "wide", "w" * 6000)  # a wide row: overflow pages
    c.set_terminated(r.info.run_id)
    return r

i = 0
while not stop.exists():  # while phase one runs
    one_run(i)
    i += 1
    ready.write_text(str(i))
    time.sleep(0.05)
# after phase one's snapshot for sure: rows of the snapshot changed in place, a run deleted, a model made
for n, run in enumerate(old[:-1]):
    c.set_tag(run.info.run_id, "touched-later", str(n))
    c.log_metric(run.info.run_id, "late-metric", float(n), step=n)
c.delete_run(old[-1].info.run_id)
c.rename_experiment(exp, "renamed-during-phase-one")
for j in range(6):
    r = one_run(i + j)
c.create_registered_model("live-model")
c.create_model_version("live-model", f"runs:/{r.info.run_id}/m", run_id=r.info.run_id)
"""


def _start_writer(db: Path, tmp_path: Path) -> tuple[subprocess.Popen, Path, Path]:
    ready, stop = tmp_path / "writer.ready", tmp_path / "writer.stop"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(ready), str(stop)],
                            stdout=subprocess.DEVNULL, stderr=open(tmp_path / "writer.log", "w"))
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert proc.poll() is None, (tmp_path / "writer.log").read_text()[-2000:]
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return proc, ready, stop


def _stop_writer(proc: subprocess.Popen, stop: Path, tmp_path: Path) -> None:
    stop.write_text("stop")
    assert proc.wait(120) == 0, (tmp_path / "writer.log").read_text()[-2000:]


def _counts(url: str) -> dict[str, int]:
    eng = sa.create_engine(url)
    try:
        with eng.connect() as c:
            names = c.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").scalars().all()
            return {n: c.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar_one() for n in names}
    finally:
        eng.dispose()


def _online(cli, db: Path, url: str, state: Path, *extra: str):
    r = cli("sqlite-to-pg", db, url, "--online", "--state-dir", state, *extra)
    assert r.exit_code == 0, r.stdout + r.stderr
    return r


def _cutover(cli, db: Path, url: str, state: Path, *extra: str) -> dict:
    r = cli("sqlite-to-pg", db, url, "--cutover", "--state-dir", state, "--json", *extra)
    assert r.exit_code == 0, r.stdout + r.stderr
    return json.loads(r.stdout)


def test_phase_one_while_a_client_writes_then_the_cutover_catches_up(cli, store, pg_url, tmp_path):
    state = tmp_path / "state"
    proc, ready, stop = _start_writer(store, tmp_path)
    try:
        r = _online(cli, store, pg_url, state)
        written = int(ready.read_text())
        while int(ready.read_text()) < written + 3:  # more runs logged after phase one
            time.sleep(0.1)
        again = cli("sqlite-to-pg", store, pg_url, "--online", "--state-dir", state, "--json")  # a catch-up
    finally:
        _stop_writer(proc, stop, tmp_path)
    assert "Do NOT start the new server yet" in r.stdout and "start the new server with" not in r.stdout
    assert again.exit_code == 0, again.stdout + again.stderr
    caught_early = json.loads(again.stdout)
    assert caught_early["phase"] == "catch-up" and caught_early["rows_caught_up"]["metrics"]["upserted"] >= 3 * 25
    assert "server" not in caught_early or caught_early["server"] is None
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in state.iterdir()), list(state.iterdir())
    assert cli("verify", store, pg_url).exit_code == 3  # the target lacks what was written since the snapshot
    before = sha256(store)
    d = _cutover(cli, store, pg_url, state)
    assert sha256(store) == before  # the source is only read
    caught = d["rows_caught_up"]  # since the catch-up
    assert caught["metrics"]["upserted"] >= 6 * 25 and caught["runs"]["upserted"] >= 6
    assert caught["tags"]["upserted"] >= 6 and caught["experiments"]["upserted"] == 1
    assert caught["model_versions"]["upserted"] == 1 and caught["registered_models"]["upserted"] == 1
    assert d["outage_seconds"] > 0 and "mlflow server" in d["server"]["shell"]
    v = cli("verify", store, pg_url)
    assert v.exit_code == 0, v.stdout + v.stderr
    again = _cutover(cli, store, pg_url, state)  # done: nothing is applied a second time
    assert again["already_done"] and again["rows_caught_up"] == {}


def test_changes_no_mlflow_client_makes_are_found_too(cli, big_store, pg_url, tmp_path, monkeypatch):
    """Rows deleted in the middle of a big table, an old row changed in place, the newest row deleted and its
    rowid used again, a wide value changed in its overflow pages only, a row inserted with a rowid below the
    snapshot's largest: each is found; a VACUUM that rewrites every page sends tables to a full comparison."""
    import migrator.bulk.online

    monkeypatch.setattr(migrator.bulk.online, "COUNT_BELOW", 0)  # counts from the statements' own row counts
    state = tmp_path / "state"
    _online(cli, big_store, pg_url, state)
    conn = sqlite3.connect(big_store)
    top = conn.execute("SELECT max(rowid) FROM metrics").fetchone()[0]
    conn.execute("DELETE FROM metrics WHERE rowid IN (SELECT rowid FROM metrics WHERE rowid % 997 = 5 LIMIT 40)")
    conn.execute("UPDATE metrics SET value = value + 1 WHERE rowid = (SELECT min(rowid) + 1000 FROM metrics)")
    conn.execute(f"DELETE FROM metrics WHERE rowid = {top}")
    conn.execute("INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) "
                 "SELECT 'reused-rowid', 1.5, 7, run_uuid, 1, 0 FROM runs LIMIT 1")
    run = conn.execute("SELECT run_uuid FROM runs LIMIT 1").fetchone()[0]
    conn.execute("INSERT INTO tags (key, value, run_uuid) VALUES ('wide', ?, ?)", ("a" * 7000, run))
    conn.execute("INSERT INTO tags (key, value, run_uuid) VALUES ('too-wide', ?, ?)", ("b" * 9000, run))
    conn.commit()
    before = _counts(pg_url)
    r = cli("sqlite-to-pg", big_store, pg_url, "--cutover", "--state-dir", state)  # PostgreSQL's varchar(8000)
    assert r.exit_code == 1 and "would reject" in error_line(r), r.stdout + r.stderr
    assert "too-wide" in r.stderr and "tags" in r.stderr
    assert _counts(pg_url) == before
    conn.execute("DELETE FROM tags WHERE key = 'too-wide'")
    conn.commit()
    conn.close()
    d = _cutover(cli, big_store, pg_url, state)
    m = d["rows_caught_up"]["metrics"]
    assert m["deleted"] >= 41 and m["upserted"] >= 2, m
    v = cli("verify", big_store, pg_url)
    assert v.exit_code == 0, v.stdout + v.stderr

    # a wide value changed in place (only its overflow pages differ), then a VACUUM: whole-table comparisons
    _online(cli, big_store, pg_url, tmp_path / "state2", "--replace", "--yes")
    conn = sqlite3.connect(big_store)
    conn.execute("UPDATE tags SET value = 'a' || substr(value, 2, 6990) || 'zzzzzzzzz' WHERE key = 'wide'")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    d = _cutover(cli, big_store, pg_url, tmp_path / "state2")
    tags = next(t for s in d["stores"] for t in s["tables"] if t["table"] == "tags")
    assert tags["upserted"] == 1 and tags["deleted"] == 0, tags
    assert any(t["compared"] == "full" for s in d["stores"] for t in s["tables"])
    v = cli("verify", big_store, pg_url)
    assert v.exit_code == 0, v.stdout + v.stderr


def test_the_overflow_page_of_a_wide_row_alone_is_a_change(cli, store, pg_url, tmp_path):
    """SQLite overwrites a row of the same size in place: only an overflow page of it changes."""
    conn = sqlite3.connect(store)
    run = conn.execute("SELECT run_uuid FROM runs LIMIT 1").fetchone()[0]
    conn.execute("INSERT INTO tags (key, value, run_uuid) VALUES ('wide', ?, ?)", ("a" * 7000, run))
    conn.commit()
    _online(cli, store, pg_url, tmp_path / "state")
    conn.execute("UPDATE tags SET value = ? WHERE key = 'wide'", ("a" * 6999 + "b",))
    conn.commit()
    conn.close()
    d = _cutover(cli, store, pg_url, tmp_path / "state")
    tags = next(t for s in d["stores"] for t in s["tables"] if t["table"] == "tags")
    assert tags["upserted"] == 1, d
    assert cli("verify", store, pg_url).exit_code == 0


def test_the_cutover_is_refused_while_a_process_holds_the_store(cli, store, pg_url, tmp_path):
    state = tmp_path / "state"
    _online(cli, store, pg_url, state)
    sqlite_exec = "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM runs');" \
                  " print('open', flush=True); time.sleep(60)"
    holder = subprocess.Popen([sys.executable, "-c", sqlite_exec, str(store)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        conn = sqlite3.connect(store)
        conn.execute("UPDATE experiments SET name = name || '-changed' WHERE experiment_id = 0")
        conn.commit()
        conn.close()
        before = _counts(pg_url)
        r = cli("sqlite-to-pg", store, pg_url, "--cutover", "--state-dir", state)
        assert r.exit_code == 4, r.stdout + r.stderr
        assert f"pid {holder.pid}" in error_line(r) and "stop the old server" in error_line(r)
        assert _counts(pg_url) == before
    finally:
        holder.kill()
        holder.wait()
    d = _cutover(cli, store, pg_url, state)
    assert d["rows_caught_up"]["experiments"]["upserted"] == 1
    assert cli("verify", store, pg_url).exit_code == 0


def test_a_cutover_killed_in_its_transaction_leaves_the_target_as_phase_one_left_it(cli, store, pg_url, tmp_path):
    """The cutover waits on a lock the test holds on `tags` (its transaction has written runs and metrics
    by then) and is killed: the target is as phase one left it; the rerun completes. A cutover whose commit
    happened before the kill (its transaction id recorded, the state not yet marked) is found committed."""
    state = tmp_path / "state"
    _online(cli, store, pg_url, state)
    proc, _ready, stop = _start_writer(store, tmp_path)
    _stop_writer(proc, stop, tmp_path)
    after_phase_one = _counts(pg_url)
    eng = sa.create_engine(pg_url)
    with eng.connect() as locker:
        locker.exec_driver_sql("BEGIN; LOCK TABLE tags IN ACCESS EXCLUSIVE MODE")
        p = subprocess.Popen([sys.executable, "-m", "migrator", "sqlite-to-pg", str(store), pg_url, "--cutover",
                              "--state-dir", str(state)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not locker.exec_driver_sql(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'tags'::regclass").scalar():
            assert p.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        locker.exec_driver_sql("ROLLBACK")
    eng.dispose()
    time.sleep(1.5)  # the killed client's backend notices (client_connection_check_interval) and rolls back
    assert _counts(pg_url) == after_phase_one
    saved = json.loads((state / "state.json").read_text())
    d = _cutover(cli, store, pg_url, state)
    assert d["rows_caught_up"]["metrics"]["upserted"] >= 6 * 25
    assert cli("verify", store, pg_url).exit_code == 0
    # the state as a kill right after the commit leaves it: the transaction id recorded, not marked done
    done = json.loads((state / "state.json").read_text())
    assert saved.get("cutover") is None and done["cutover"]
    done["cutover"] = None
    (state / "state.json").write_text(json.dumps(done))
    counts = _counts(pg_url)
    again = _cutover(cli, store, pg_url, state)
    assert again["already_done"] and "committed before it was stopped" in " ".join(again["notes"])
    assert _counts(pg_url) == counts


def test_online_refusals_write_nothing(cli, store, sample_store_v2, pg_url, pg_fresh_url, tmp_path):
    r = cli("sqlite-to-pg", store, pg_url, "--online", "--cutover")
    assert r.exit_code == 2 and "not with --cutover" in error_line(r)
    r = cli("sqlite-to-pg", pg_url, pg_fresh_url, "--online")
    assert r.exit_code == 2 and "SOURCE must be a SQLite store" in error_line(r)
    r = cli("sqlite-to-pg", store, pg_url, "--online", "--workspace", "team-x")
    assert r.exit_code == 2 and "--workspace" in error_line(r)
    r = cli("sqlite-to-pg", store, pg_url, "--cutover", "--state-dir", tmp_path / "none")
    assert r.exit_code == 1 and "no phase one was run" in error_line(r)
    assert not (tmp_path / "none").exists()
    # an older store: its snapshot would be upgraded (no page of it would match the source)
    r = cli("sqlite-to-pg", sample_store_v2, pg_url, "--online", "--state-dir", tmp_path / "old")
    assert r.exit_code == 1 and "--online needs a source at the installed MLflow's schema" in error_line(r)
    assert not [t for t, n in _counts(pg_url).items() if n and t != "alembic_version"]
    assert not list((tmp_path / "old").glob("*.db"))
    # a target written between the phases
    _online(cli, store, pg_url, tmp_path / "state")
    eng = sa.create_engine(pg_url)
    with eng.begin() as c:
        c.exec_driver_sql("INSERT INTO experiments (name, lifecycle_stage, workspace) "
                          "VALUES ('made-by-the-new-server', 'active', 'default')")
    eng.dispose()
    before = _counts(pg_url)
    r = cli("sqlite-to-pg", store, pg_url, "--cutover", "--state-dir", tmp_path / "state")
    assert r.exit_code == 1 and "was written after phase one" in error_line(r) and "experiments" in error_line(r)
    assert _counts(pg_url) == before
    # another source than phase one's
    other = tmp_path / "other.db"
    other.write_bytes(store.read_bytes())
    r = cli("sqlite-to-pg", other, pg_url, "--cutover", "--state-dir", tmp_path / "state")
    assert r.exit_code == 1 and "belongs to the move of" in error_line(r)


@pytest.mark.slow
def test_an_online_move_of_a_basic_auth_server(cli, pg_url, tmp_path):
    """A real `mlflow server --app-name basic-auth` writes (a user created, a password changed, runs logged)
    during phase one and is stopped; the cutover catches up both stores and a basic-auth server on the
    target lets the new user in with the new password."""
    import requests
    from test_auth import ADMIN, auth_server

    db, auth = tmp_path / "mlflow.db", tmp_path / "basic_auth.db"
    state = tmp_path / "state"
    os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"] = ADMIN
    try:
        from mlflow import MlflowClient
        from mlflow.server.auth.client import AuthServiceClient

        with auth_server(f"sqlite:///{db}", f"sqlite:///{auth}", tmp_path) as base:
            c = MlflowClient(base)
            exp = c.create_experiment("served")
            AuthServiceClient(base).create_user("early", "early-password-1")
            _online(cli, db, pg_url, state, "--auth-db", auth)
            AuthServiceClient(base).create_user("late", "late-password-12")
            AuthServiceClient(base).update_user_password("early", "early-password-2")
            for i in range(5):
                r = c.create_run(exp)
                c.log_metric(r.info.run_id, "m", i)
        d = _cutover(cli, db, pg_url, state, "--auth-db", auth)
        assert d["rows_caught_up"]["auth.users"]["upserted"] == 2
        assert cli("verify", db, pg_url).exit_code == 0
        with auth_server(pg_url, pg_url, tmp_path) as base:
            assert requests.get(f"{base}/api/2.0/mlflow/experiments/search", params={"max_results": 5},
                                auth=("late", "late-password-12"), timeout=10).status_code == 200
            assert requests.get(f"{base}/api/2.0/mlflow/experiments/search", params={"max_results": 5},
                                auth=("early", "early-password-1"), timeout=10).status_code == 401
            runs = MlflowClient(base).search_runs([exp])
            assert len(runs) == 5
    finally:
        del os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"]


def test_a_source_left_with_pages_in_its_wal_is_read_through_sqlite(cli, store, pg_url, tmp_path):
    """A WAL-mode store whose last writer died without a checkpoint: the file alone is not the database; the
    cutover reads it through a backup-API copy (and leaves the source as it is)."""
    conn = sqlite3.connect(store)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    state = tmp_path / "state"
    _online(cli, store, pg_url, state)
    writer = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_autocheckpoint = 0');"
              "c.execute(\"UPDATE experiments SET name = name || ' (wal)' WHERE experiment_id = 0\"); c.commit();"
              "os._exit(0)")
    subprocess.run([sys.executable, "-c", writer, str(store)], check=True)
    wal = store.with_name(store.name + "-wal")
    assert wal.stat().st_size > 0
    before = (sha256(store), sha256(wal))
    d = _cutover(cli, store, pg_url, state)
    assert d["rows_caught_up"]["experiments"]["upserted"] == 1
    assert any("WAL" in n or "-wal" in n for n in d["notes"])
    assert (sha256(store), sha256(wal)) == before


def _detect_pair(tmp_path, seed: int, wide: bool):
    """A SQLite table, its backup-API snapshot and baseline, then random changes to the source; what
    the cutover's change detection finds, and the truth (every row of both files)."""
    import random

    from migrator.bulk import online
    from migrator.stores import sqlite_pages as pages

    rng = random.Random(seed)
    src, snap = tmp_path / f"src{seed}.db", tmp_path / f"snap{seed}.db"
    c = sqlite3.connect(src)
    c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT, v REAL)")
    c.execute("CREATE INDEX t_k ON t (k)")
    c.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i * 10, f"k{i}", i / 3) for i in range(1, 30_000)])
    if wide:
        c.executemany("INSERT INTO t VALUES (?, ?, ?)", [(500_000 + i, "w" * 9000, 0.5) for i in range(5)])
    c.commit()
    with sqlite3.connect(snap) as s:
        c.backup(s)
    sn = sqlite3.connect(snap)
    st = {"page_size": pages.page_size(sn), "tables": {"t": {
        "rows": sn.execute("SELECT count(*) FROM t").fetchone()[0],
        "max_rowid": sn.execute("SELECT max(rowid) FROM t").fetchone()[0]}}}
    buf = io.StringIO()
    pages.dump_runs(buf, pages.table_runs(sn, ["t"]))
    owned = pages.load_runs(buf.getvalue())  # as the state file keeps them
    sn.close()
    c.execute("PRAGMA secure_delete = OFF")  # a freed page keeps its bytes (Debian builds SQLite with it ON)
    for _ in range(rng.randint(1, 6)):
        lo = rng.randrange(10, 300_000, 10)
        what = rng.choice(["delete range", "insert between", "update", "append", "delete some", "wide"])
        if what == "delete range":  # whole pages freed: their bytes stay as they were
            c.execute("DELETE FROM t WHERE id BETWEEN ? AND ?", (lo, lo + rng.randint(10, 40_000)))
        elif what == "insert between":  # page splits in the middle of the b-tree
            c.executemany("INSERT OR IGNORE INTO t VALUES (?, ?, ?)",
                          [(lo + i * 10 + rng.randint(1, 9), "new", -1.0) for i in range(rng.randint(1, 3000))])
        elif what == "update":
            c.execute("UPDATE t SET v = v + 1, k = k || 'x' WHERE id BETWEEN ? AND ?", (lo, lo + rng.randint(10, 5000)))
        elif what == "append":
            top = c.execute("SELECT max(id) FROM t").fetchone()[0]
            c.executemany("INSERT INTO t VALUES (?, ?, ?)", [(top + 1 + i, "end", 2.0) for i in range(rng.randint(1, 4000))])
        elif what == "delete some":
            c.execute("DELETE FROM t WHERE id % ? = 0 AND id BETWEEN ? AND ?", (rng.choice([7, 13, 70]), lo, lo + 50_000))
        elif wide:
            c.execute("INSERT OR REPLACE INTO t VALUES (?, ?, ?)", (lo + 3, "z" * rng.randint(5000, 20_000), 1.0))
    c.commit()
    c.close()
    runs = pages.all_runs(owned)
    with open(tmp_path / f"digests{seed}", "wb") as f:
        pages.page_digests(snap, st["page_size"], runs, f)
    changed = pages.changed_by_digest((tmp_path / f"digests{seed}").read_bytes(), src, st["page_size"], runs)
    assert changed == pages.changed_pages(snap, src, st["page_size"], runs) & set(pages.owned_pages(runs).tolist())
    sconn = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    sconn.execute(f"ATTACH 'file:{snap}?mode=ro' AS snap")
    deltas = online._detect(sconn, snap, src, st, owned, changed)
    found = (set(r for (r,) in sconn.execute("SELECT rid FROM temp.mig_up")),
             set(r for (r,) in sconn.execute("SELECT rid FROM temp.mig_gone")))
    new = dict((r[0], r) for r in sconn.execute("SELECT * FROM main.t"))
    old = dict((r[0], r) for r in sconn.execute("SELECT * FROM snap.t"))
    sconn.close()
    truth = ({i for i, r in new.items() if old.get(i) != r}, set(old) - set(new))
    return deltas.get("t"), found, truth, len(new)


@pytest.mark.parametrize("seed", range(12))
def test_the_changes_found_from_the_pages_are_every_change(tmp_path, seed):
    """Deletes that free whole pages (their bytes left as they were), inserts between rows that split pages,
    updates in place, appends, wide rows: the rows found new, changed and gone are exactly the rows that
    differ between the two files, and the row count read from the leaf pages is SQLite's count."""
    delta, found, truth, rows = _detect_pair(tmp_path, seed, wide=seed % 3 == 0)
    if delta is None:
        assert truth == (set(), set())
        return
    assert found == truth
    assert delta.source_rows == rows
    if seed % 3:  # no overflow page: the table is compared in ranges, never whole
        assert delta.compared == "ranges", delta.why_full
