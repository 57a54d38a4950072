"""`migrator upgrade` on stores written by real old MLflow servers (sample_data/old_servers, made by
make_old_server.py in throwaway venvs; sample_data/auth_v3_1 by MLflow 3.1.4), on SQLite and PostgreSQL:
the result is row for row what MLflow's own upgrade makes of a copy; a migration that fails leaves the store
as it was; a store in use is refused; a store newer than MLflow is refused with nothing written."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import ROOT, create_database, url_for

SAMPLE_DIR = ROOT / "sample_data"
OLD = SAMPLE_DIR / "old_servers"
RELEASES = sorted(p.name for p in OLD.iterdir() if (p / "mlflow.db").exists())
DEFAULT = {"3.10.1", "auth_v3_1", "2.22.5"}  # the rest (older releases, longer chains) run with -m slow
FULL = "3.10.1"  # the release whose test takes the default path (backup + drill, the server check)


def releases(*names: str) -> list:
    return [n if n in DEFAULT else pytest.param(n, marks=pytest.mark.slow) for n in names]
ORPHAN_NOTE = "spans row references missing trace_info row"


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


SINGLE = {"1.30.1": SAMPLE_DIR / "mlflow_v1.db", "2.22": SAMPLE_DIR / "mlflow_v2.db"}  # tracking only


def copy_server(release: str, into: Path) -> tuple[Path, Path | None]:
    into.mkdir(parents=True, exist_ok=True)
    db, auth = into / "mlflow.db", into / "basic_auth.db"
    if release in SINGLE:
        shutil.copy(SINGLE[release], db)
        return db, None
    src = OLD / release if release != "auth_v3_1" else SAMPLE_DIR / "auth_v3_1"  # MLflow 3.1.4's server
    shutil.copy(src / "mlflow.db", db)
    shutil.copy(src / "basic_auth.db", auth)
    return db, auth


def load_pg(admin: str, release: str, dump: str = "postgres.sql") -> str:
    """A new database holding what the old release's server wrote into PostgreSQL (tracking + basic-auth in
    one database since 3.6; `postgres_auth.sql` holds the auth database of an older release)."""
    url = url_for(admin, create_database(admin))
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    raw = eng.raw_connection()
    try:
        raw.cursor().execute((OLD / release / dump).read_text())
        raw.commit()
    finally:
        raw.close()
        eng.dispose()
    return url


def mlflow_own_upgrade(url: str, auth: str | None) -> None:
    """What MLflow does: `mlflow db upgrade` (tracking) and its auth store's migrate(engine, "head") (`auth`:
    the auth store's URL, the same as `url` when one database holds both; None: no auth store)."""
    subprocess.run([sys.executable, "-m", "mlflow", "db", "upgrade", url], check=True, capture_output=True)
    if auth is None:
        return
    from mlflow.server.auth.db.utils import migrate

    eng = sa.create_engine(auth, poolclass=sa.pool.NullPool)
    try:
        migrate(eng, "head")
    finally:
        eng.dispose()


def contents(url: str) -> dict[str, list[str]]:
    """Every table's rows (sorted reprs) and the schema's tables, columns and indexes."""
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    out: dict[str, list[str]] = {}
    try:
        with eng.connect() as c:
            insp = sa.inspect(c)
            for t in insp.get_table_names():
                out[t] = sorted(repr(tuple(r)) for r in c.exec_driver_sql(f'SELECT * FROM "{t}"'))
                out[f"{t} (columns)"] = [f"{x['name']} {x['type']!r} {x['nullable']}" for x in insp.get_columns(t)]
                out[f"{t} (indexes)"] = sorted(f"{i['name']} {i['column_names']} {i['unique']}" for i in insp.get_indexes(t))
    finally:
        eng.dispose()
    return out


def assert_same(a: dict[str, list[str]], b: dict[str, list[str]]) -> None:
    diff = [k for k in set(a) | set(b) if a.get(k) != b.get(k)]
    assert not diff, f"differs from MLflow's own upgrade: {diff}"


def upgrade(cli, *args: str):
    return cli("upgrade", *args, "--json")


def result(r) -> dict:
    return json.loads(r.stdout)


# --------------------------------------------------------------------------- SQLite
def _serves_the_old_users_runs_and_models(db: Path, auth: Path | None, folder: Path) -> None:
    """The installed MLflow's basic-auth server on the upgraded stores: the old users log in with their old
    passwords and see the old runs and models as their old permissions allow."""
    import requests
    from conftest import printed_server

    from migrator.serving import server_line
    from migrator.stores import SqliteStore

    sys.path.insert(0, str(SAMPLE_DIR))
    from make_old_server import ADMIN, RUNS, USERS

    folder.mkdir()
    old_ini = folder / "old_basic_auth.ini"  # the old server's settings (make_old_server.py's)
    old_ini.write_text("[mlflow]\ndefault_permission = NO_PERMISSIONS\ndatabase_uri = sqlite:///x.db\n"
                       f"admin_username = {ADMIN[0]}\nadmin_password = {ADMIN[1]}\n"
                       "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n")
    line = server_line(SqliteStore(db), auth=SqliteStore(auth) if auth else None, auth_config=old_ini,
                       ini_folder=folder)
    with printed_server(line.as_dict(), folder, {"MLFLOW_FLASK_SERVER_SECRET_KEY": "test-secret"}) as base:
        api = f"{base}/api/2.0/mlflow"
        exp = requests.get(f"{api}/experiments/get-by-name", params={"experiment_name": "shared"},
                           auth=("reader", USERS["reader"]), timeout=30)
        assert exp.status_code == 200, exp.text
        eid = exp.json()["experiment"]["experiment_id"]
        runs = requests.post(f"{api}/runs/search", json={"experiment_ids": [eid], "run_view_type": "ALL"},
                             auth=("reader", USERS["reader"]), timeout=30).json()["runs"]
        assert len(runs) == RUNS
        assert requests.get(f"{api}/experiments/get-by-name", params={"experiment_name": "private"},
                            auth=("reader", USERS["reader"]), timeout=30).status_code == 403
        assert requests.get(f"{api}/experiments/get-by-name", params={"experiment_name": "shared"},
                            auth=("reader", "wrong-password"), timeout=30).status_code == 401
        model = requests.get(f"{api}/registered-models/get", params={"name": "shared-model"}, auth=ADMIN,
                             timeout=30).json()["registered_model"]
        assert {v["version"] for v in model["latest_versions"]} >= {"2"} and model["aliases"][0]["alias"] == "champion"


@pytest.mark.parametrize("release", releases(*RELEASES, "auth_v3_1", *SINGLE))
def test_sqlite_upgrade_is_mlflows_own_upgrade_of_a_copy(cli, tmp_path, release):
    db, auth = copy_server(release, tmp_path / "ours")
    ref_db, ref_auth = copy_server(release, tmp_path / "mlflow")
    before = sha(db)
    with_auth = ["--auth-db", str(auth)] if auth else []
    # the full path (backup, drill) for FULL; its server check is the basic-auth server below, which does more
    quick = ["--no-server-check"] if release == FULL else ["--no-backup", "--no-server-check"]
    r = upgrade(cli, db, *with_auth, "--yes", "--sample", "50", *quick)
    assert r.exit_code == 0, r.stdout + r.stderr
    res = result(r)
    assert res["upgraded"] and res["ok"] and sha(db) != before
    assert {c["name"] for c in res["checks"]} >= {"integrity_check", "foreign_key_check", "untouched tables",
                                                 "indexes", "MLflow reads the result"}
    if release == FULL:
        backup = Path(res["backup"])
        assert backup.parent == tmp_path / "ours" / "migrator-backups" and (backup / "manifest.json").exists()
    assert not list((tmp_path / "ours").glob(".mlflow.db.migrator-upgrade-*"))
    mlflow_own_upgrade(f"sqlite:///{ref_db}", f"sqlite:///{ref_auth}" if ref_auth else None)
    assert_same(contents(f"sqlite:///{db}"), contents(f"sqlite:///{ref_db}"))
    if auth and ref_auth:
        assert_same(contents(f"sqlite:///{auth}"), contents(f"sqlite:///{ref_auth}"))
    if release == FULL:
        _serves_the_old_users_runs_and_models(db, auth, tmp_path / "served")
    # a second run: nothing to do, nothing written
    again = sha(db)
    r = upgrade(cli, db, *with_auth, "--yes")
    assert r.exit_code == 0 and result(r)["plan"]["migrations"] == 0 and sha(db) == again


def test_rehearsal_reports_the_outage_and_touches_nothing(cli, tmp_path):
    db, auth = copy_server("3.10.1", tmp_path)
    sums = sha(db), sha(auth)
    r = upgrade(cli, db, "--auth-db", auth, "--rehearse", "--no-server-check")  # the server check: 3.10.1 above
    assert r.exit_code == 0, r.stdout + r.stderr
    res = result(r)
    assert res["rehearsal"] and not res["upgraded"] and res["upgrade_seconds"] > 0 and res["disk_bytes"] > 0
    plan = res["plan"]["chains"]
    steps = {m["revision"]: m for c in plan for m in c["migrations"]}
    assert steps["75868b020152"]["deletes_data"] and steps["75868b020152"]["first_release"] == "3.17.0"
    assert steps["75868b020152"]["rows_in_tables"]["trace_tags"] > 0
    gone = steps["75868b020152"]["rows_it_deletes"]
    assert gone["trace_tags"] == 3 and sum(gone.values()) == 18  # three names, sessions + token usage, metrics
    moved = next(c for c in res["checks"] if c["name"].startswith("trace analytics"))
    assert moved["ok"] and "3 traces" in moved["detail"] and "18 old rows" in moved["detail"]
    assert (sha(db), sha(auth)) == sums
    assert sorted(p.name for p in tmp_path.iterdir()) == ["basic_auth.db", "mlflow.db"]


def _orphan_span(db: Path) -> str:
    """A documented corruption: a trace deleted by a tool that does not enforce SQLite's foreign keys (the
    sqlite3 shell's default) leaves its spans behind; MLflow 3.17's trace-analytics migration refuses them."""
    conn = sqlite3.connect(db)
    (trace,) = conn.execute("SELECT trace_id FROM spans ORDER BY trace_id LIMIT 1").fetchone()
    conn.execute("DELETE FROM trace_info WHERE request_id = ?", (trace,))
    conn.commit()
    conn.close()
    return trace


def test_a_failing_migration_leaves_the_sqlite_store_byte_identical(cli, tmp_path):
    db, _ = copy_server("3.10.1", tmp_path)
    trace = _orphan_span(db)
    before = sha(db)
    r = upgrade(cli, db, "--rehearse")
    assert r.exit_code == 1
    err = result(r)
    assert err["failed_migration"]["revision"] == "75868b020152" and trace in err["error"]
    assert ORPHAN_NOTE in err["error"] and sha(db) == before
    r = cli("upgrade", db, "--yes")
    assert r.exit_code == 1 and "75868b020152" in r.stderr and trace in r.stderr and "migrator restore" in r.stderr
    assert sha(db) == before
    assert not list(tmp_path.glob(".mlflow.db.migrator-upgrade-*"))


def test_a_store_in_use_is_refused_with_the_process_named(cli, tmp_path):
    db, _ = copy_server("3.10.1", tmp_path)
    before = sha(db)
    holder = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
                               "c.execute('SELECT count(*) FROM runs').fetchall(); print('ready', flush=True); "
                               "time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        r = cli("upgrade", db, "--yes", "--no-backup")
        assert r.exit_code == 1 and f"pid {holder.pid}" in r.stderr and "--force" in r.stderr
        assert sha(db) == before and not (tmp_path / "migrator-backups").exists()
        r = cli("upgrade", db, "--yes", "--no-backup", "--no-server-check", "--force")  # a reader: it may go on
        assert r.exit_code == 0, r.stderr
        assert sha(db) != before
    finally:
        holder.kill()
        holder.wait()


def test_a_newer_store_is_refused_and_nothing_is_written(cli, tmp_path):
    db, _ = copy_server("3.10.1", tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = 'f4a9b2c7d1e6'")  # MLflow 3.18's head
    conn.commit()
    conn.close()
    before = sha(db)
    r = cli("upgrade", db, "--yes")
    assert r.exit_code == 1
    assert "f4a9b2c7d1e6" in r.stderr and "3.18.0" in r.stderr and "pip install -U mlflow" in r.stderr
    assert r.stderr.count("Error:") == 1 and "Traceback" not in r.stderr
    assert sha(db) == before and sorted(p.name for p in tmp_path.iterdir()) == ["basic_auth.db", "mlflow.db"]
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM alembic_version")  # an interrupted creation, or a hand edit
    conn.commit()
    conn.close()
    before = sha(db)
    r = cli("upgrade", db, "--rehearse")
    assert r.exit_code == 1 and "empty alembic_version" in r.stderr and sha(db) == before


def test_without_a_terminal_the_upgrade_asks_for_yes(cli, tmp_path):
    db, _ = copy_server("3.10.1", tmp_path)
    before = sha(db)
    r = cli("upgrade", db)
    assert r.exit_code == 2 and "--yes" in r.stderr and "--rehearse" in r.stderr
    assert "75868b020152" in r.stdout  # the plan came first
    assert sha(db) == before and not (tmp_path / "migrator-backups").exists()
    r = cli("upgrade", db, "--backup", tmp_path / "b", "--no-backup")
    assert r.exit_code == 2 and not (tmp_path / "b").exists()


# --------------------------------------------------------------------------- PostgreSQL
@pytest.mark.parametrize("release", releases(*RELEASES))
def test_postgres_upgrade_is_mlflows_own_upgrade_of_a_copy(cli, pg_server, tmp_path, release):
    admin = pg_server["admin"]
    ours, theirs = load_pg(admin, release), load_pg(admin, release)
    separate = (OLD / release / "postgres_auth.sql").exists()
    ours_auth, theirs_auth = ((load_pg(admin, release, "postgres_auth.sql"), load_pg(admin, release, "postgres_auth.sql"))
                              if separate else (ours, theirs))
    r = upgrade(cli, ours, *(["--auth-db", ours_auth] if separate else []), "--yes", "--backup", tmp_path / "backups",
                *([] if release == FULL else ["--no-server-check"]))
    assert r.exit_code == 0, r.stdout + r.stderr
    res = result(r)
    assert res["upgraded"] and {c["chain"] for c in res["plan"]["chains"]} == {"tracking", "auth"}
    assert all(c["ok"] for c in res["checks"]) and len(list((tmp_path / "backups").iterdir())) == 1
    if release == FULL:
        assert "mlflow server starts" in {c["name"] for c in res["checks"]}
    mlflow_own_upgrade(theirs, theirs_auth)
    assert_same(contents(ours), contents(theirs))
    assert_same(contents(ours_auth), contents(theirs_auth))


def test_postgres_rehearsal_and_a_failing_migration_leave_the_store_as_it_was(cli, pg_server, tmp_path):
    url = load_pg(pg_server["admin"], "3.10.1")
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with eng.begin() as c:  # the documented way to get past foreign keys: replication role (pg_restore uses it)
        c.exec_driver_sql("SET session_replication_role = replica")
        trace = c.exec_driver_sql("SELECT trace_id FROM spans ORDER BY trace_id LIMIT 1").scalar()
        c.exec_driver_sql("DELETE FROM trace_info WHERE request_id = %s", (trace,))
    before = contents(url)
    r = upgrade(cli, url, "--rehearse")
    assert r.exit_code == 1 and result(r)["failed_migration"]["revision"] == "75868b020152"
    assert trace in result(r)["error"]
    restores = next(c for c in result(r)["checks"] if c["name"] == "the store's dump restores")
    assert not restores["ok"] and "fk_" in restores["detail"]  # the orphan breaks a foreign key of the dump too
    r = cli("upgrade", url, "--yes", "--no-backup")
    assert r.exit_code == 1 and "75868b020152" in r.stderr and "nothing was committed" in r.stderr
    assert trace in r.stderr
    assert_same(contents(url), before)
    r = cli("upgrade", url, "--yes", "--backup", tmp_path / "b")  # its dump does not restore: refused before
    assert r.exit_code == 1 and "restore drill" in r.stderr and "--rehearse" in r.stderr
    assert_same(contents(url), before)
    with eng.connect() as c:  # the rehearsal's scratch database is gone
        names = [n for (n,) in c.exec_driver_sql("SELECT datname FROM pg_database").all()]
    eng.dispose()
    assert not [n for n in names if n.startswith("migrator_drill_")]


def test_postgres_sessions_are_named_and_refused(cli, pg_server, tmp_path):
    url = load_pg(pg_server["admin"], "3.10.1")
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"application_name": "mlflow-writer"})
    with eng.connect() as other:
        other.exec_driver_sql("SELECT 1")
        r = cli("upgrade", url, "--yes", "--no-backup")
        assert r.exit_code == 1 and "application mlflow-writer" in r.stderr
    eng.dispose()
    e2 = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with e2.connect() as c:
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "1b5f0d9ad7c1"
    e2.dispose()


# --------------------------------------------------------------------------- SIGKILL
def _kill_rounds(fresh, state, rounds: int = 6) -> list[str]:
    """A whole upgrade first (how long it takes here), then `rounds` upgrades of fresh stores killed at moments
    spread over that time: after each kill the store is as it was or at the head (checked before it counted),
    and the next run completes it and leaves nothing behind."""
    argv = fresh()
    t0 = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True)
    whole = time.monotonic() - t0
    assert done.returncode == 0 and state() == "head", done.stderr
    seen = []
    for i in range(rounds):
        argv = fresh()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * (0.15 + 0.8 * i / max(1, rounds - 1)))
        proc.kill()
        proc.wait()
        s = state()
        assert s in ("old", "head"), f"killed after {i}: {s}"
        seen.append(s)
        again = subprocess.run(argv, capture_output=True, text=True)
        assert again.returncode == 0 and state() == "head", again.stderr
    return seen


@pytest.mark.slow
def test_sigkill_leaves_the_sqlite_store_old_or_upgraded_and_the_next_run_finishes(tmp_path):
    db = tmp_path / "mlflow.db"
    original = (OLD / "3.10.1" / "mlflow.db").read_bytes()

    def fresh() -> list[str]:
        db.write_bytes(original)
        shutil.rmtree(tmp_path / "migrator-backups", ignore_errors=True)
        return [sys.executable, "-m", "migrator", "upgrade", str(db), "--yes", "--no-server-check"]

    def state() -> str:
        if db.read_bytes() == original:
            return "old"
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        finally:
            conn.close()
        return "head" if rev == "dc11669786a5" else f"intermediate {rev}"

    seen = _kill_rounds(fresh, state)
    print("kill outcomes:", seen)
    assert "old" in seen
    assert not list(tmp_path.glob(".mlflow.db.migrator-upgrade-*"))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("migrator-snap")] == []


@pytest.mark.slow
def test_sigkill_leaves_the_postgres_store_old_or_upgraded(pg_server, tmp_path):
    current: list[str] = []

    def fresh() -> list[str]:
        current[:] = [load_pg(pg_server["admin"], "3.10.1")]
        return [sys.executable, "-m", "migrator", "upgrade", current[0], "--yes", "--no-server-check",
                "--backup", str(tmp_path / "b")]

    def state() -> str:
        eng = sa.create_engine(current[0], poolclass=sa.pool.NullPool)
        try:
            with eng.connect() as c:
                rev = c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                auth = c.exec_driver_sql("SELECT version_num FROM alembic_version_auth").scalar()
                rows = c.exec_driver_sql("SELECT count(*) FROM metrics").scalar()
        finally:
            eng.dispose()
        if (rev, auth, rows) == ("1b5f0d9ad7c1", "2ed73881770d", 240):
            return "old"
        return "head" if (rev, auth, rows) == ("dc11669786a5", "f1a2b3c4d5e6", 240) else f"mixed {rev} {auth} {rows}"

    seen = _kill_rounds(fresh, state)
    print("kill outcomes:", seen)
    assert "old" in seen
    # the scratch databases of drills that were killed are gone: each next run dropped them
    from migrator.tempdirs import process_alive

    eng = sa.create_engine(url_for(pg_server["admin"], "postgres"), poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        left = [n for (n,) in c.exec_driver_sql("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                                 ("migrator_drill_%",))]
    eng.dispose()
    assert not [n for n in left if not process_alive(int(n.split("_")[3]))], left
