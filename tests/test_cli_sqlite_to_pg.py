import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROOT, error_line, pg_table_names, sha256, sqlite_counts, sqlite_exec, stop_process_group
from views import client_view

from migrator.artifacts import parse_rules, rewrite_uri


def _source_view(path: Path, tmp_path: Path, rules=()):
    copy = tmp_path / f"view-{path.name}"
    shutil.copy(path, copy)  # MlflowClient would upgrade an old store in place: look at a copy
    return client_view(f"sqlite:///{copy}", lambda u: rewrite_uri(u, rules))


def test_sample_store_copies_exactly(cli, sample_store, pg_url, tmp_path):
    before = sha256(sample_store)
    (tmp_path / "scratch").mkdir()
    r = cli("sqlite-to-pg", sample_store, pg_url, "--tmpdir", tmp_path / "scratch", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["ok"] and out["verify"]["ok"]
    # the temporary disk it used is reported (the snapshot: about the store's size), and freed
    assert out["temp_disk"]["folder"] == str(tmp_path / "scratch")
    assert 0.5 * sample_store.stat().st_size < out["temp_disk"]["bytes"] < 3 * sample_store.stat().st_size
    assert not list((tmp_path / "scratch").iterdir())
    assert {c["name"] for c in out["verify"]["checks"]} >= {"schema revision", "api parity"}
    assert sha256(sample_store) == before
    src, tgt = _source_view(sample_store, tmp_path), client_view(pg_url)
    assert src["runs"] and src["models"] and src["logged_models"] and src["traces"]
    assert any(e[2] == "deleted" for e in src["experiments"].values())
    assert any(r["info"][6] == "deleted" for r in src["runs"].values())
    assert src == tgt


def test_v2_store_upgrades_on_snapshot_and_rewrites(cli, sample_store_v2, pg_url, tmp_path):
    before = sha256(sample_store_v2)
    rules = ["/tmp/=s3://bucket/moved/", "file:///tmp/=s3://bucket/"]
    r = cli("sqlite-to-pg", sample_store_v2, pg_url, *sum((["--rewrite-artifacts", x] for x in rules), []), "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["upgraded_from"] == "0584bdc529eb"
    assert out["rewrites"]["experiments.artifact_location"] == 2
    assert sha256(sample_store_v2) == before
    src = _source_view(sample_store_v2, tmp_path, parse_rules(rules))
    tgt = client_view(pg_url)
    assert src == tgt
    locs = sorted(e[1] for e in tgt["experiments"].values())
    assert "s3://bucket/moved/" + locs[-1].split("moved/")[-1] in locs
    assert any(loc.startswith("s3://bucket/mlruns_v2_") for loc in locs)


def test_v1_store_takes_the_longest_upgrade_path(cli, sample_store_v1, pg_url, tmp_path):
    before = sha256(sample_store_v1)
    root = sqlite3.connect(sample_store_v1).execute("SELECT artifact_location FROM experiments "
                                                    "WHERE name = 'v1-exp-0'").fetchone()[0].rsplit("/", 1)[0] + "/"
    r = cli("sqlite-to-pg", sample_store_v1, pg_url, "--rewrite-artifacts", f"{root}=s3://b/v1/", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["upgraded_from"] == "97727af70f4d" and out["verify"]["ok"]
    assert out["rewrites"]["runs.artifact_uri"] == 6 and out["rewrites"]["model_versions.source"] == 1
    assert sha256(sample_store_v1) == before
    src = _source_view(sample_store_v1, tmp_path, parse_rules([f"{root}=s3://b/v1/"]))
    assert len(src["runs"]) == 6 and src["models"]
    assert src == client_view(pg_url)


def test_built_store_rewrite_every_artifact_column(cli, store, built_store, pg_url, tmp_path):
    root = str(built_store.parent) + "/"
    r = cli("sqlite-to-pg", store, pg_url, "--rewrite-artifacts", f"{root}=s3://b/", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["rewrites"]["runs.artifact_uri"] == 7
    assert out["rewrites"]["trace_tags.value[mlflow.artifactLocation|mlflow.trace.archiveLocation]"] == 1
    tgt = client_view(pg_url)
    assert all(r["info"][7].startswith("s3://b/mlruns/") for r in tgt["runs"].values())
    assert _source_view(store, tmp_path, parse_rules([f"{root}=s3://b/"])) == tgt


def test_target_usable_by_mlflow_server(cli, sample_store, pg_url):
    assert cli("sqlite-to-pg", sample_store, pg_url, "--no-verify").exit_code == 0
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "mlflow", "server", "--backend-store-uri", pg_url,
                             "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "/health", timeout=2)
                break
            except OSError:
                assert proc.poll() is None, "mlflow server exited"
                time.sleep(0.5)
        from mlflow import MlflowClient

        c = MlflowClient(url)
        assert c.get_experiment_by_name("iris-classifier") is not None
        exp = c.create_experiment("created-after-migration")
        assert int(exp) == 4  # past the copied ids 0..3: the sequence was set
        run = c.create_run(exp)
        c.log_metric(run.info.run_id, "m", 1.0)
        assert c.get_run(run.info.run_id).data.metrics == {"m": 1.0}
    finally:
        stop_process_group(proc)


def _bad_store(store: Path) -> dict:
    conn = sqlite3.connect(store)
    nul_tag = conn.execute("SELECT key, run_uuid FROM tags WHERE key = 'quote'").fetchone()
    conn.execute("UPDATE tags SET value = CAST(x'610062' AS TEXT) WHERE key = ? AND run_uuid = ?", nul_tag)
    bad_run = conn.execute("SELECT run_uuid FROM runs WHERE name = 'to-delete'").fetchone()[0]
    conn.execute("UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?", ("s3://x/" + "a" * 250, bad_run))
    conn.execute("INSERT INTO params (key, value, run_uuid) VALUES ('orphan', 'v', 'nosuchrun00000000000000000000000')")
    deps = {}
    for table in ("tags", "params", "metrics", "latest_metrics"):
        deps[table] = conn.execute(f"SELECT count(*) FROM {table} WHERE run_uuid = ?", (bad_run,)).fetchone()[0]
    conn.commit()
    conn.close()
    return {"nul_tag": nul_tag, "bad_run": bad_run, "deps": deps}


def test_preflight_names_every_problem_and_writes_nothing(cli, store, pg_url):
    bad = _bad_store(store)
    before = sha256(store)
    r = cli("sqlite-to-pg", store, pg_url)
    assert r.exit_code == 1
    err = r.stderr
    assert "tags (key='quote', run_uuid=" in err and "column value: NUL byte" in err
    assert f"runs (run_uuid='{bad['bad_run']}') column artifact_uri: value of 257 characters exceeds varchar(200)" in err
    assert "params (key='orphan', run_uuid='nosuchrun00000000000000000000000') column run_uuid: orphan: no row in runs" in err
    assert err.strip().splitlines()[-1].startswith("Error: preflight found 3 problem(s)")
    assert pg_table_names(pg_url) == []
    assert sha256(store) == before


def test_skip_bad_rows_to_reject_file(cli, store, pg_url, tmp_path):
    bad = _bad_store(store)
    rej = tmp_path / "rejects.jsonl"
    r = cli("sqlite-to-pg", store, pg_url, "--on-bad-row", "skip", "--reject-file", rej, "--json")
    assert r.exit_code == 3, r.output
    out = json.loads(r.stdout)
    lines = [json.loads(x) for x in rej.read_text().splitlines()]
    got = sorted((x["table"], json.dumps(x["key"], sort_keys=True)) for x in lines)
    expected_n = 3 + sum(bad["deps"].values())  # 3 bad rows + everything under the bad run
    assert len(got) == len(set(got)) == out["rejected_rows"] == expected_n
    assert ("runs", json.dumps({"run_uuid": bad["bad_run"]})) in got
    assert sum(1 for t, _ in got if t == "tags") == bad["deps"]["tags"] + 1
    row = next(x for x in lines if x["table"] == "runs")
    assert row["row"]["artifact_uri"].endswith("a" * 250) and row["row"]["name"] == "to-delete"
    nul = next(x for x in lines if x["table"] == "tags" and x["key"]["key"] == "quote")
    assert nul["row"]["value"] == {"hex": "610062"}  # text with a NUL byte, kept byte for byte
    assert oct(rej.stat().st_mode & 0o777) == "0o600"
    assert out["verify"]["ok"]
    counts = {t["table"]: t["rows"] for t in out["tables"]}
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM runs").scalar() == counts["runs"] == 6
        assert c.exec_driver_sql("SELECT count(*) FROM params WHERE key='orphan'").scalar() == 0
    eng.dispose()


def test_refuses_target_with_data_then_replace(cli, sample_store, pg_url):
    """A target holding other data than this source (a rerun of the very same copy finds it complete:
    test_faults.test_a_rerun_after_the_commit_finds_the_complete_copy)."""
    assert cli("sqlite-to-pg", sample_store, pg_url, "--no-verify").exit_code == 0
    sqlite_exec(sample_store, "UPDATE runs SET name = 'renamed since' WHERE run_uuid = (SELECT min(run_uuid) FROM runs)")
    r = cli("sqlite-to-pg", sample_store, pg_url)
    assert r.exit_code == 1
    assert error_line(r).startswith("Error: target postgresql+psycopg2://")
    assert "already holds MLflow data (datasets: 1 rows" in r.stderr
    assert "--replace" in r.stderr
    r = cli("sqlite-to-pg", sample_store, pg_url, "--replace")
    assert r.exit_code == 2
    assert "add --yes" in r.stderr
    r = cli("sqlite-to-pg", sample_store, pg_url, "--replace", "--yes", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["verify"]["ok"]


def test_fresh_mlflow_schema_target_is_accepted(cli, sample_store, pg_fresh_url):
    r = cli("sqlite-to-pg", sample_store, pg_fresh_url, "--json")
    assert r.exit_code == 0, r.output


def test_newer_source_is_refused(cli, sample_store, pg_url):
    sqlite_exec(sample_store, "UPDATE alembic_version SET version_num = 'fffffffffff0'")
    r = cli("sqlite-to-pg", sample_store, pg_url)
    assert r.exit_code == 1
    from migrator.schema import installed_head, installed_mlflow_version

    assert error_line(r) == (
        f"Error: source {sample_store} has schema revision fffffffffff0, newer than the installed MLflow "
        f"{installed_mlflow_version()} (head {installed_head()}); upgrade MLflow (pip install -U mlflow) "
        "to a release that knows this revision and run again")
    assert pg_table_names(pg_url) == []


def test_tables_and_columns_mlflow_does_not_create_are_refused(cli, sample_store, pg_url):
    conn = sqlite3.connect(sample_store)
    conn.execute("ALTER TABLE runs ADD COLUMN my_extra TEXT")
    conn.execute("UPDATE runs SET my_extra = 'kept by nobody'")
    conn.commit()
    r = cli("sqlite-to-pg", sample_store, pg_url)
    assert r.exit_code == 1
    assert error_line(r).startswith("Error: source table runs has columns that MLflow's schema does not create: "
                                    "my_extra; ")
    conn.execute("CREATE TABLE my_notes (id INTEGER PRIMARY KEY, note TEXT)")
    conn.commit()
    conn.close()
    r = cli("sqlite-to-pg", sample_store, pg_url)
    assert r.exit_code == 1
    assert error_line(r).startswith("Error: the source has tables that MLflow's schema does not create: my_notes;")
    assert pg_table_names(pg_url) == []


def test_dry_run_writes_nothing(cli, store, built_store, pg_url):
    r = cli("sqlite-to-pg", store, pg_url, "--dry-run", "--rewrite-artifacts", f"{built_store.parent}/=s3://b/")
    assert r.exit_code == 0, r.output
    assert "would copy" in r.stdout and "rewrite runs.artifact_uri: 7 value(s)" in r.stdout
    assert pg_table_names(pg_url) == []


def test_dry_run_without_target_plans_from_the_source_alone(cli, store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("sqlite-to-pg", store, "--dry-run", "--json")  # no target needed for a plan
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["dry_run"] and out["target"] is None
    assert next(t["rows"] for t in out["tables"] if t["table"] == "runs") == 7
    assert not (tmp_path / ".migrator").exists()  # no embedded server was started for it


def test_source_must_be_sqlite_and_exist(cli, pg_url, tmp_path):
    r = cli("sqlite-to-pg", tmp_path / "missing.db", pg_url)
    assert r.exit_code == 1
    assert error_line(r) == f"Error: SQLite store {tmp_path / 'missing.db'} does not exist; check the path"


def _stages(url: str) -> list[str]:
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        names = c.exec_driver_sql("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'migrator_stage_%%'").scalars().all()
    eng.dispose()
    return sorted(names)


def _start_until(cmd: list[str], env: dict, phase: str, **popen) -> tuple[subprocess.Popen, str]:
    """The command, running, half a second into `phase` (and what it printed so far)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT, text=True,
                            **popen)
    seen = ""
    while f"... {phase}" not in seen:
        line = proc.stderr.readline()
        assert line, f"process ended before the {phase} phase: {seen}"
        seen += line
    time.sleep(0.5)
    assert proc.poll() is None, f"{phase} finished before it could be stopped; make the store bigger"
    return proc, seen


def _start_and_kill_at(cmd: list[str], env: dict, phase: str) -> None:
    proc, _ = _start_until(cmd, env, phase)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_sigkill_during_load_and_index_builds_leaves_target_untouched(big_store, pg_url):
    """Killed while four connections COPY into the staging schema, then (the rerun) while they build the
    indexes: the target's schema stays empty each time, the stage is there; a third run drops it, succeeds,
    and leaves no stage behind."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "migrator", "sqlite-to-pg", str(big_store), pg_url, "--no-verify", "--jobs", "4"]
    before = sha256(big_store)
    for phase in ("copy", "indexes"):
        _start_and_kill_at(cmd, env, phase)
        assert pg_table_names(pg_url) == []
        assert len(_stages(pg_url)) == 1
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "metrics" in pg_table_names(pg_url)
    assert _stages(pg_url) == []
    assert sha256(big_store) == before


def test_sigkill_during_the_final_switch_leaves_target_untouched(sample_store, pg_url):
    """The run is held inside its final transaction (a lock, taken while it verifies, on the last table it
    moves), killed there: the moves it made are rolled back, the target is as it was; the rerun succeeds."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "migrator", "sqlite-to-pg", str(sample_store), pg_url, "--jobs", "2"]
    empty = {t for t, n in sqlite_counts(sample_store).items() if n == 0}
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    holder = eng.connect()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT, text=True)
    try:
        seen = ""
        while "... verify" not in seen:  # loaded and indexed: the stage's tables are only read from now on
            line = proc.stderr.readline()
            assert line, f"process ended before it verified: {seen}"
            seen += line
        stage, last = holder.exec_driver_sql(
            "SELECT n.nspname, max(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname LIKE 'migrator_stage_%%' AND c.relkind = 'r' AND c.relname = ANY(%(e)s) GROUP BY 1",
            {"e": sorted(empty)}).one()
        holder.exec_driver_sql(f'LOCK TABLE "{stage}"."{last}" IN ACCESS SHARE MODE')
        threading.Thread(target=proc.stderr.read, daemon=True).start()  # a full pipe would stall the run
        deadline = time.monotonic() + 120
        with eng.connect() as watch:  # its own transactions: pg_stat_activity is read once per transaction
            while not watch.exec_driver_sql("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                            "AND query LIKE 'ALTER TABLE %%SET SCHEMA%%'").scalar():
                watch.rollback()
                assert proc.poll() is None and time.monotonic() < deadline, "the run never reached its switch"
                time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        holder.rollback()
        holder.close()
        eng.dispose()
    assert pg_table_names(pg_url) == []
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "experiments" in pg_table_names(pg_url) and _stages(pg_url) == []


def test_no_target_starts_embedded_postgres_with_a_lifecycle(cli, sample_store, tmp_path, monkeypatch):
    """No TARGET: an embedded server under ./.migrator/pg, left running; `migrator embedded status|stop|start`."""
    from mlflow import MlflowClient

    from migrator.schema import installed_head

    # as root the server runs as the user pgserver, who must pass through every folder above it: pytest's
    # tmp_path lies under a 0700 folder, so the working folder is one others may traverse
    tmp_path = Path(tempfile.mkdtemp(prefix="migrator-embedded-test-", dir="/tmp"))
    os.chmod(tmp_path, 0o711)
    monkeypatch.chdir(tmp_path)
    r = cli("sqlite-to-pg", sample_store, "--json")
    try:
        assert r.exit_code == 0, r.output
        out = json.loads(r.stdout)
        url = out["embedded"]["url"]
        assert f"host={tmp_path}/.migrator/pg" in url.replace("%2F", "/")
        # the sample's artifacts are served as mlflow-artifacts:/, so the line names the artifact root
        assert out["embedded"]["mlflow_server"] == (f"mlflow server --backend-store-uri '{url}' "
                                                    "--artifacts-destination ./mlartifacts")
        assert MlflowClient(url).get_experiment_by_name("iris-classifier") is not None
        st = json.loads(cli("embedded", "status", "--json").stdout)
        assert st["running"] and st["stores"]["mlflow"]["tracking_revision"] == installed_head()
        assert st["stores"]["mlflow"]["runs"] == sqlite_counts(sample_store)["runs"]
        assert cli("embedded", "stop").exit_code == 0
        st = json.loads(cli("embedded", "status", "--json").stdout)
        assert st["running"] is False
        started = cli("embedded", "start", "--json")
        assert started.exit_code == 0, started.output
        again = json.loads(started.stdout)["url"]
        assert MlflowClient(again).get_experiment_by_name("iris-classifier") is not None
    finally:
        cli("embedded", "stop")
    assert json.loads(cli("embedded", "status", "--json").stdout)["running"] is False
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_embedded_start_changes_nothing_it_does_not_own(cli, tmp_path):
    """A folder that is not an embedded cluster (files of the user's, another PostgreSQL cluster) and, as root,
    a folder above it that others may not pass: one Error line each, exit 1, every owner and mode as before."""
    files = tmp_path / "mine"
    files.mkdir(mode=0o700)
    (files / "notes.txt").write_text("x")
    cluster = tmp_path / "debian-cluster"
    cluster.mkdir(mode=0o700)
    (cluster / "PG_VERSION").write_text("15\n")
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    cases = [(files, "files of its own"), (cluster, "another PostgreSQL cluster")]
    if os.geteuid() == 0:
        cases.append((private / "pg", "cannot pass through"))
    for folder, says in cases:
        before = {p: (p.stat().st_mode, p.stat().st_uid) for p in [folder, *folder.parents] if p.exists()}
        r = cli("embedded", "start", folder)
        assert r.exit_code == 1 and says in error_line(r), r.output
        assert {p: (p.stat().st_mode, p.stat().st_uid) for p in before} == before
    assert not (private / "pg").exists()


def test_second_run_on_same_target_is_locked(cli, sample_store, pg_url, pg_conn_factory, monkeypatch):
    from migrator.bulk import target as bulk_target
    from migrator.bulk.target import lock_key

    monkeypatch.setattr(bulk_target, "LOCK_WAIT_S", 1.0)

    holder = pg_conn_factory(pg_url)
    holder.begin()
    holder.exec_driver_sql(f"SELECT pg_advisory_xact_lock({lock_key(holder)})")
    r = cli("sqlite-to-pg", sample_store, pg_url)
    holder.rollback()
    assert r.exit_code == 4
    assert error_line(r).startswith("Error: another migrator run is writing to postgresql+psycopg2://")
    assert pg_table_names(pg_url) == []


def test_snapshots_of_killed_runs_are_removed_by_the_next_run(tmp_path):
    import tempfile

    from migrator.tempdirs import PREFIX, remove_stale_snapshots

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{dead.pid}-"))
    (stale / "snapshot.db").write_bytes(b"x")
    alive = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    try:
        remove_stale_snapshots()
        assert not stale.exists()
        assert alive.exists()
    finally:
        shutil.rmtree(alive, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)


NEWER_TABLES = ("assessments", "budget_policies", "endpoint_bindings", "endpoint_model_mappings", "endpoint_tags",
                "endpoints", "entity_associations", "evaluation_dataset_records", "evaluation_datasets",
                "issues", "label_schemas", "mcp_access_endpoints", "mcp_server_versions", "mcp_servers",
                "model_definitions", "review_queue_items", "review_queue_label_schemas", "review_queue_users",
                "review_queues", "scorer_versions", "scorers", "secrets", "spans", "webhooks")


def test_genai_gateway_mcp_and_review_tables_copy_and_read_back(cli, pg_url, tmp_path):
    """Tables of MLflow 3's newer features (made by MLflow's own APIs) land whole, and MLflow on the
    target reads the same objects, gateway secrets decrypted included."""
    import mlflow
    from genai_store import make_genai_store, read_genai

    from migrator.stores.pg_db import counts as pg_table_counts
    from migrator.stores.sqlite_db import counts as sqlite_table_counts

    src = tmp_path / "genai.db"
    old_uri = mlflow.get_tracking_uri()
    try:
        make_genai_store(f"sqlite:///{src}", "/data/genai")
        conn = sqlite3.connect(src)
        counts = sqlite_table_counts(conn)
        conn.close()
        assert [t for t in NEWER_TABLES if not counts.get(t)] == []
        copy = tmp_path / "genai-view.db"
        shutil.copy(src, copy)
        before = read_genai(f"sqlite:///{copy}")
        digest = sha256(src)
        r = cli("sqlite-to-pg", src, pg_url, "--rewrite-artifacts", "/data/genai=s3://b/genai", "--json")
        assert r.exit_code == 0, r.output
        out = json.loads(r.stdout)
        assert out["verify"]["ok"]
        assert out["rewrites"]["experiments.artifact_location"] == 1
        assert out["rewrites"]["trace_tags.value[mlflow.artifactLocation|mlflow.trace.archiveLocation]"] == 3
        eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
        with eng.connect() as c:
            landed = pg_table_counts(c)
        eng.dispose()
        assert {t: landed[t] for t in NEWER_TABLES} == {t: counts[t] for t in NEWER_TABLES}
        after = read_genai(pg_url)
        assert after == before
        assert after["secrets"] == [{"api_key": "sk-test-123"}] and len(after["traces"]) == 3
        assert sha256(src) == digest
    finally:
        mlflow.set_tracking_uri(old_uri)
        mlflow.set_registry_uri(old_uri)


def test_problem_lines_do_not_follow_a_half_drawn_progress_bar(cli, big_store, pg_url):
    """A bad row inside the metrics table (copied by a worker) stops its COPY while its progress bar is open: the bar
    is ended first, so every problem line (and the Error line) starts a line of its own."""
    sqlite_exec(big_store, "UPDATE metrics SET key = 'nul' || char(0) || 'here' WHERE rowid = (SELECT max(rowid) FROM metrics)")
    r = cli("sqlite-to-pg", big_store, pg_url)
    assert r.exit_code == 1
    lines = r.stderr.split("\n")
    problem = [line for line in lines if "column key: NUL byte" in line]
    assert len(problem) == 1 and problem[0].startswith("  metrics (key="), r.stderr[-2000:]
    assert any(line.startswith("Error: preflight found 1 problem(s)") for line in lines)


def test_largest_integer_experiment_id_copies_and_leaves_the_sequence_at_its_maximum(cli, sample_store, pg_url):
    sqlite_exec(sample_store, "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, "
                              "creation_time, last_update_time) VALUES (2147483647, 'last-id', '/tmp/x', 'active', 1, 1)")
    r = cli("sqlite-to-pg", sample_store, pg_url, "--json")
    assert r.exit_code == 0, r.output  # max(id) + 1 no longer overflows PostgreSQL's integer
    checks = {c["name"]: c for c in json.loads(r.stdout)["verify"]["checks"]}
    seq = checks["sequence target experiments.experiment_id"]
    assert seq["ok"] and "the sequence is at its maximum" in seq["detail"]
    from mlflow import MlflowClient

    assert MlflowClient(tracking_uri=pg_url).get_experiment("2147483647").name == "last-id"


def test_no_room_for_the_snapshot_is_one_error_before_the_copy(sample_store, pg_url, tmp_path):
    """A --tmpdir on a 300 kB file system (a tmpfs in a private mount namespace) cannot hold the ~1 MB snapshot:
    one Error line naming the free space, exit 1, nothing written to the target."""
    small = tmp_path / "small"
    small.mkdir()
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    assert probe.returncode == 0, "unshare -rm is needed for this test (util-linux)"
    cmd = (f"mount -t tmpfs -o size=300k tmpfs {small} && exec {sys.executable} -m migrator sqlite-to-pg "
           f"{sample_store} '{pg_url}' --tmpdir {small}")
    r = subprocess.run(["unshare", "-rm", "sh", "-c", cmd], capture_output=True, text=True)
    errors = [line for line in r.stderr.splitlines() if line.startswith("Error:")]
    assert r.returncode == 1 and len(errors) == 1 and "MB free" in errors[0] and "--tmpdir" in errors[0], r.stderr
    assert "Traceback" not in r.stderr
    assert pg_table_names(pg_url) == []
    r = subprocess.run([sys.executable, "-m", "migrator", "sqlite-to-pg", str(sample_store), pg_url, "--tmpdir",
                        str(tmp_path / "nope")], capture_output=True, text=True)
    # a folder that does not exist is what the command names, not how it is written: 1 (README, Exit codes)
    assert r.returncode == 1 and r.stderr.count("Error:") == 1 and "--tmpdir" in r.stderr


@pytest.mark.parametrize("kind", ["not-mlflow", "newer"])
def test_an_early_failure_leaves_no_staging_schema(cli, sample_store, pg_url, tmp_path, kind):
    """The target's schema is prepared (in a staging schema) while the snapshot is taken: a source refused after
    that (not MLflow, newer than the installed MLflow) leaves neither tables nor a migrator_stage_* schema."""
    if kind == "not-mlflow":
        src = tmp_path / "other.db"
        sqlite_exec(src, "CREATE TABLE foo (x INTEGER)", "INSERT INTO foo VALUES (1)")
    else:
        src = sample_store
        sqlite_exec(src, "UPDATE alembic_version SET version_num = 'ffffffffffff'")
    r = cli("sqlite-to-pg", src, pg_url, "--jobs", "2")
    assert r.exit_code == 1 and error_line(r).startswith("Error: "), r.output
    assert pg_table_names(pg_url) == [] and _stages(pg_url) == []


@pytest.mark.parametrize("phase", ["schema", "copy", "verify"])
def test_ctrl_c_in_the_copy_workers_or_the_parallel_verify_is_one_error_line(big_store, pg_url, phase):
    """Ctrl-C reaches the whole process group (copy and verify workers too): the workers end silently, the
    command prints one Error line (exit 130), and the target holds neither tables nor a staging schema."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "migrator", "sqlite-to-pg", str(big_store), pg_url, "--jobs", "2"]
    # as from a terminal: Ctrl-C delivered (a test run started in the background inherits SIGINT ignored)
    proc, seen = _start_until(cmd, env, phase, start_new_session=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.killpg(proc.pid, signal.SIGINT)
    rest = proc.stderr.read()
    proc.wait(timeout=120)
    assert proc.returncode == 130, seen + rest
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest, rest
    assert (seen + rest).count("Error:") == 1, rest
    assert pg_table_names(pg_url) == [] and _stages(pg_url) == []


@pytest.mark.slow  # end to end, 20-45 s; run with: python -m pytest -m slow
def test_a_temporary_folder_with_room_for_the_snapshot_alone_is_enough(big_store, pg_url, tmp_path):
    """The big tables go straight from the snapshot into PostgreSQL (no spool files): a --tmpdir only 8 MB larger
    than the store is enough for the whole move (the temporary disk is the store's size)."""
    small = tmp_path / "small"
    small.mkdir()
    size_mb = big_store.stat().st_size // 2**20 + 8
    cmd = (f"mount -t tmpfs -o size={size_mb}m tmpfs {small} && exec {sys.executable} -m migrator sqlite-to-pg "
           f"{big_store} '{pg_url}' --jobs 2 --tmpdir {small} --json")
    r = subprocess.run(["unshare", "-m", "sh", "-c", cmd], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout)
    assert out["ok"] and out["verify"]["ok"]
    assert out["temp_disk"]["bytes"] <= big_store.stat().st_size + (1 << 20), out["temp_disk"]


def _hold_open(path: Path) -> subprocess.Popen:
    """Another process holding the store open, as a stopped-but-not-gone server would."""
    proc = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
                             "c.execute('SELECT 1 FROM experiments').fetchall(); print('open', flush=True); "
                             "time.sleep(120)", str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_stopped_store_at_head_is_read_in_place_without_a_snapshot(cli, sample_store, pg_url, tmp_path):
    """No step needs a private copy (--no-verify) and nothing holds the store: its rows are read where they
    lie (no temporary disk); `verify` then finds the move row for row; the file is untouched. Held open by
    another process, in WAL mode, or at an older schema, a snapshot is taken as before."""
    odd = tmp_path / "a dir?#%" / "store 1?.db"  # a path that must be quoted in a SQLite URI
    odd.parent.mkdir()
    shutil.copy(sample_store, odd)
    before = sha256(odd)
    (tmp_path / "scratch").mkdir()
    r = cli("sqlite-to-pg", odd, pg_url, "--no-verify", "--tmpdir", tmp_path / "scratch", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["read_in_place"] and out["temp_disk"]["bytes"] == 0 and "snapshot" not in out["phases"]
    assert sha256(odd) == before
    v = cli("verify", odd, pg_url, "--json")
    assert v.exit_code == 0 and json.loads(v.stdout)["ok"], v.output

    holder = _hold_open(odd)
    try:
        r = cli("sqlite-to-pg", odd, pg_url, "--no-verify", "--replace", "--yes", "--json")
    finally:
        holder.kill()
        holder.wait()
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert not out["read_in_place"] and out["phases"]["snapshot"] > 0
    wal = tmp_path / "wal.db"
    shutil.copy(sample_store, wal)
    sqlite_exec(wal, "PRAGMA journal_mode = WAL")
    r = cli("sqlite-to-pg", wal, pg_url, "--no-verify", "--replace", "--yes", "--json")
    assert r.exit_code == 0 and not json.loads(r.stdout)["read_in_place"], r.output
    assert sha256(odd) == before


def test_reading_in_place_holds_the_shared_lock_so_no_write_lands_midway(sample_store, sample_store_v2):
    """While the source is read in place a writer cannot commit (SQLite's shared lock is held throughout);
    after the block it can again. An older schema is never read in place (its snapshot is upgraded)."""
    from migrator.stores import SqliteStore

    with SqliteStore(sample_store).read_in_place() as here:
        assert here == sample_store
        w = sqlite3.connect(sample_store, timeout=0.2)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            w.execute("UPDATE experiments SET name = name || 'x'")
            w.commit()
        w.rollback()
    w.execute("UPDATE experiments SET name = name || 'x'")
    w.commit()
    w.close()
    with SqliteStore(sample_store_v2).read_in_place() as here:
        assert here is None
