import json
import math
import sqlite3

import pytest
import sqlalchemy as sa
from conftest import error_line, sha256

from migrator.bulk import CopyOptions, sqlite_to_pg
from migrator.stores import parse_store


@pytest.fixture
def migrated(store, pg_url):
    sqlite_to_pg(parse_store(str(store)), parse_store(pg_url), CopyOptions(verify=False))
    return store, pg_url


def _first_metric(run_sql):
    return run_sql("SELECT key, timestamp, step, run_uuid, value, is_nan FROM metrics "
                   "WHERE key = 'loss' ORDER BY run_uuid, step LIMIT 1")[0]


def _pg(url):
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)

    def run(sql, *args):
        with eng.begin() as c:
            res = c.exec_driver_sql(sql, args if args else None) if args else c.exec_driver_sql(sql)
            return res.all() if res.returns_rows else None
    return run


def _sqlite(path):
    def run(sql, *args):
        conn = sqlite3.connect(path)
        try:
            rows = conn.execute(sql.replace("%s", "?"), args).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()
    return run


def _tamper(kind, run_sql, is_pg):
    """Apply one change; return (table, a key fragment that must be named)."""
    if kind == "metric_ulp":
        key, ts, step, run, value, is_nan = _first_metric(run_sql)
        run_sql("UPDATE metrics SET value = %s WHERE key = %s AND timestamp = %s AND step = %s AND run_uuid = %s",
                math.nextafter(value, math.inf), key, ts, step, run)
        return "metrics", run
    if kind == "param_deleted":
        key, run = run_sql("SELECT key, run_uuid FROM params ORDER BY key, run_uuid LIMIT 1")[0]
        run_sql("DELETE FROM params WHERE key = %s AND run_uuid = %s", key, run)
        return "params", run
    if kind == "tag_inserted":
        run = run_sql("SELECT run_uuid FROM runs ORDER BY run_uuid LIMIT 1")[0][0]
        run_sql("INSERT INTO tags (key, value, run_uuid) VALUES ('sneaky', 'x', %s)", run)
        return "tags", "sneaky"
    if kind == "bool_flipped":
        key, ts, step, run, value, is_nan = _first_metric(run_sql)
        flip = "NOT is_nan" if is_pg else "1 - is_nan"
        run_sql(f"UPDATE metrics SET is_nan = {flip} WHERE key = %s AND timestamp = %s AND step = %s AND run_uuid = %s",
                key, ts, step, run)
        return "metrics", run
    if kind == "artifact_uri":
        run = run_sql("SELECT run_uuid FROM runs ORDER BY run_uuid LIMIT 1")[0][0]
        run_sql("UPDATE runs SET artifact_uri = artifact_uri || '/moved' WHERE run_uuid = %s", run)
        return "runs", run
    if kind == "newest_table_row":
        run_sql("INSERT INTO scheduler_leases (lease_key, acquired_at, ttl_seconds) VALUES ('lease-1', 1, 60)")
        return "scheduler_leases", "lease-1"
    raise AssertionError(kind)


KINDS = ["metric_ulp", "param_deleted", "tag_inserted", "bool_flipped", "artifact_uri", "newest_table_row"]


def test_verify_after_migration_is_ok(cli, migrated):
    store, url = migrated
    before = sha256(store)
    r = cli("verify", store, url, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["ok"] and all(t["status"] == "ok" for t in out["tables"])
    metrics = next(t for t in out["tables"] if t["table"] == "metrics")
    assert metrics["source_rows"] == metrics["target_rows"] > 0
    assert any(c["name"] == "api parity" and "sampled runs" in c["detail"] for c in out["checks"])
    assert sha256(store) == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("side", ["target", "source"])
def test_verify_catches_change(cli, migrated, kind, side):
    store, url = migrated
    run_sql = _pg(url) if side == "target" else _sqlite(store)
    table, key = _tamper(kind, run_sql, side == "target")
    before = sha256(store)
    r = cli("verify", store, url, "--json", "--sample", "0")
    assert r.exit_code == 3, r.output
    out = json.loads(r.stdout)
    bad = [t for t in out["tables"] if t["status"] != "ok"]
    assert [t["table"] for t in bad] == [table]
    assert key in json.dumps(bad[0]["differences"])
    assert sha256(store) == before


def test_verify_names_columns_and_values(cli, migrated):
    store, url = migrated
    run_sql = _pg(url)
    key, ts, step, run, value, _ = _first_metric(run_sql)
    _tamper("metric_ulp", run_sql, True)
    out = json.loads(cli("verify", store, url, "--json", "--sample", "0").stdout)
    diff = next(t for t in out["tables"] if t["table"] == "metrics")["differences"]
    # the changed value is part of the metrics primary key: one row missing on each side
    common = {"key": key, "timestamp": ts, "step": step, "run_uuid": run, "is_nan": 0}
    assert diff == [{"key": {**common, "value": value}, "missing_in": "target"},
                    {"key": {**common, "value": math.nextafter(value, math.inf)}, "missing_in": "source"}]


def test_verify_shows_differing_columns(cli, migrated):
    store, url = migrated
    run = _pg(url)("SELECT run_uuid FROM runs ORDER BY run_uuid LIMIT 1")[0][0]
    _pg(url)("UPDATE runs SET status = 'KILLED' WHERE run_uuid = %s", run)
    out = json.loads(cli("verify", store, url, "--json", "--sample", "0").stdout)
    diff = next(t for t in out["tables"] if t["table"] == "runs")["differences"]
    assert diff == [{"key": {"run_uuid": run}, "columns": {"status": [diff[0]["columns"]["status"][0], "KILLED"]}}]
    assert diff[0]["columns"]["status"][0] in ("FINISHED", "FAILED")


def test_verify_catches_sequence_reset(cli, migrated):
    store, url = migrated
    _pg(url)("SELECT setval('experiments_experiment_id_seq', 1, false)")
    r = cli("verify", store, url, "--json", "--sample", "0")
    assert r.exit_code == 3
    checks = json.loads(r.stdout)["checks"]
    bad = [c for c in checks if not c["ok"]]
    assert len(bad) == 1 and "experiments.experiment_id" in bad[0]["name"]
    assert "the next create_experiment would fail" in bad[0]["detail"]


def test_verify_api_parity_catches_client_visible_change(cli, migrated):
    store, url = migrated
    _tamper("param_deleted", _pg(url), True)
    out = json.loads(cli("verify", store, url, "--json", "--sample", "100").stdout)
    parity = next(c for c in out["checks"] if c["name"] == "api parity")
    assert not parity["ok"] and "sampled runs differ" in parity["detail"]


def test_the_client_check_reads_a_sampled_copy_holding_every_table_and_the_sampled_runs_metrics(store, tmp_path):
    from migrator.stores.sqlite_db import sample_of, sampled_copy

    before = sha256(store)
    dest = tmp_path / "api.db"
    picked = sampled_copy(store, dest, 2)
    assert sha256(store) == before and (dest.stat().st_mode & 0o777) == 0o600
    src, cp = sqlite3.connect(store), sqlite3.connect(dest)
    ids = [r for (r,) in src.execute("SELECT run_uuid FROM runs ORDER BY run_uuid")]
    assert len(ids) > 2 and picked == sample_of(ids, 2) and len(picked) == 2
    schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite%' ORDER BY name"
    assert cp.execute(schema).fetchall() == src.execute(schema).fetchall()
    for (t,) in src.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"):
        def rows(conn, sql, *args):
            return sorted(map(repr, conn.execute(sql, args)))
        if t == "metrics":
            q = "SELECT * FROM metrics WHERE run_uuid IN (?, ?)"
            assert rows(cp, "SELECT * FROM metrics") == rows(src, q, *picked) != []
        else:
            assert rows(cp, f'SELECT * FROM "{t}"') == rows(src, f'SELECT * FROM "{t}"'), t
    assert cp.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0  # MLflow's queries take the indexes


def test_verify_api_parity_catches_a_changed_point_of_a_sampled_runs_metric_history(cli, migrated):
    store, url = migrated
    run = _pg(url)("SELECT run_uuid, key, min(step) FROM metrics GROUP BY run_uuid, key "
                   "HAVING count(*) > 1 ORDER BY 1, 2 LIMIT 1")[0]
    _pg(url)("UPDATE metrics SET value = value + 1 WHERE run_uuid = %s AND key = %s AND step = %s", *run)
    out = json.loads(cli("verify", store, url, "--json", "--sample", "100").stdout)
    parity = next(c for c in out["checks"] if c["name"] == "api parity")
    assert not parity["ok"] and "sampled runs differ" in parity["detail"] and run[0] in parity["detail"]


def test_verify_sqlite_against_sqlite_and_pg_against_pg(cli, migrated, store, tmp_path):
    s, url = migrated
    assert cli("verify", s, store, "--sample", "5").exit_code == 0
    assert cli("verify", url, url, "--sample", "5").exit_code == 0


def test_verify_applies_rewrite_rules(cli, store, built_store, pg_url):
    rule = f"{built_store.parent}/=s3://bucket/"
    sqlite_to_pg(parse_store(str(store)), parse_store(pg_url),
                 CopyOptions(rules=__import__("migrator").parse_rules([rule]), verify=False))
    assert cli("verify", store, pg_url, "--sample", "0").exit_code == 3
    assert cli("verify", store, pg_url, "--rewrite-artifacts", rule, "--sample", "5").exit_code == 0


def test_verify_cannot_run_on_missing_store(cli, tmp_path, pg_url):
    r = cli("verify", tmp_path / "none.db", pg_url)
    assert r.exit_code == 1
    assert error_line(r) == f"Error: SQLite store {tmp_path / 'none.db'} does not exist; check the path"


def test_verify_float_sign_of_zero_is_a_difference(cli, migrated):
    store, url = migrated
    run = _pg(url)
    n = run("SELECT count(*) FROM metrics WHERE value = 0 AND NOT is_nan")[0][0]
    assert n > 0
    run("UPDATE metrics SET value = '-0'::float8 WHERE value = 0 AND NOT is_nan")
    r = cli("verify", store, url, "--json", "--sample", "0")
    assert r.exit_code == 3
    bad = [t for t in json.loads(r.stdout)["tables"] if t["status"] != "ok"]
    assert [t["table"] for t in bad] == ["metrics"] and bad[0]["differing_rows"] == n


def test_verify_old_source_against_its_migration(cli, sample_store_v2, pg_url):
    """verify upgrades a snapshot of an older SQLite source, as sqlite-to-pg did, then compares."""
    before = sha256(sample_store_v2)
    assert cli("sqlite-to-pg", sample_store_v2, pg_url, "--no-verify").exit_code == 0
    r = cli("verify", sample_store_v2, pg_url, "--json")
    assert r.exit_code == 0, r.output
    checks = {c["name"]: c for c in json.loads(r.stdout)["checks"]}
    assert "upgraded from 0584bdc529eb" in checks["source upgraded"]["detail"]
    assert checks["api parity"]["ok"] and "sampled runs" in checks["api parity"]["detail"]
    assert sha256(sample_store_v2) == before


def test_empty_store_round_trip(cli, tmp_path, pg_url):
    from mlflow import MlflowClient

    db = tmp_path / "empty.db"
    MlflowClient(f"sqlite:///{db}").search_experiments()  # MLflow creates the schema and Default
    r = cli("sqlite-to-pg", db, pg_url, "--json")
    assert r.exit_code == 0, r.output
    assert cli("verify", db, pg_url).exit_code == 0


def test_parallel_verify_finds_differences_in_every_key_range(big_store, pg_url, cli):
    """metrics (430k rows) is compared in key ranges on worker processes, inside sqlite-to-pg (staging schema)
    and by `verify --jobs`: a changed value in the first and in the last range, a deleted row and an extra row
    are each named, and the report equals that of the one-process compare."""
    from migrator.stores import SqliteSide
    from migrator.verification import parallel

    res = sqlite_to_pg(parse_store(str(big_store)), parse_store(pg_url), CopyOptions(jobs=2))
    assert res.verify.ok, res.verify.summary()
    assert any(c.name == "api parity" and c.ok for c in res.verify.checks)  # run on the stage, beside the compare
    src = sqlite3.connect(big_store)
    first, last = (src.execute(f"SELECT key, timestamp, step, run_uuid, value FROM metrics ORDER BY key {d}, "
                               "timestamp, step, run_uuid LIMIT 1").fetchone() for d in ("ASC", "DESC"))
    mid = src.execute("SELECT key, timestamp, step, run_uuid, value FROM metrics ORDER BY rowid LIMIT 1 OFFSET 200000"
                      ).fetchone()
    src.close()
    side = SqliteSide(sqlite3.connect(big_store))
    assert len(parallel.key_ranges(side, side, "metrics", 430_000, 4) or []) >= 2  # it is split
    pg = _pg(pg_url)
    where = "key = %s AND timestamp = %s AND step = %s AND run_uuid = %s"
    pg(f"UPDATE metrics SET value = value + 1 WHERE {where}", *first[:4])
    pg(f"UPDATE metrics SET value = value + 1 WHERE {where}", *last[:4])
    pg(f"DELETE FROM metrics WHERE {where}", *mid[:4])
    pg("INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (%s, 1.5, 1, %s, 1, false)",
       "zz-extra", first[3])
    reports = {}
    for jobs in ("1", "3"):
        r = cli("verify", big_store, pg_url, "--jobs", jobs, "--sample", "0", "--json")
        assert r.exit_code == 3, r.output
        reports[jobs] = next(t for t in json.loads(r.stdout)["tables"] if t["table"] == "metrics")
    for rep in reports.values():  # every column is in metrics' key: a changed value is a row gone and a row new
        assert rep["status"] == "mismatch" and rep["differing_rows"] == 6, json.dumps(rep["differences"])
        keys = {(d["key"]["key"], d["key"]["timestamp"], d.get("missing_in")) for d in rep["differences"]}
        assert keys == {(first[0], first[1], "target"), (first[0], first[1], "source"), (last[0], last[1], "target"),
                        (last[0], last[1], "source"), (mid[0], mid[1], "target"), ("zz-extra", 1, "source")}
    assert reports["1"] == reports["3"]


def test_a_stopped_source_is_compared_in_place_and_a_held_one_from_a_snapshot(cli, migrated, tmp_path):
    """verify reads a stopped store where it lies (no snapshot of the whole store; the MlflowClient check
    takes its own copy beside the row compare) and still finds a change made to it; a store another process
    holds open is read from a snapshot. Neither is modified."""
    import subprocess
    import sys
    from contextlib import ExitStack

    from migrator.stores import SqliteStore

    store, pg_url = migrated
    with ExitStack() as stack:
        side = SqliteStore(store).open_side(stack)
        assert side.in_place and side.snap_path == store and not side.own_file
    before = sha256(store)
    r = cli("verify", store, pg_url, "--json")
    assert r.exit_code == 0, r.output
    checks = {c["name"]: c for c in json.loads(r.stdout)["checks"]}
    assert checks["api parity"]["ok"] and "sampled runs" in checks["api parity"]["detail"]
    assert sha256(store) == before
    holder = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
                               "c.execute('SELECT 1').fetchall(); print('open', flush=True); time.sleep(60)", str(store)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with ExitStack() as stack:
            side = SqliteStore(store).open_side(stack)
            assert not side.in_place and side.snap_path != store
    finally:
        holder.kill()
        holder.wait()
    sqlite3.connect(store).execute("UPDATE params SET value = 'changed' WHERE rowid = "
                                   "(SELECT min(rowid) FROM params)").connection.commit()
    r = cli("verify", store, pg_url, "--json")
    assert r.exit_code == 3, r.output
    assert [t["table"] for t in json.loads(r.stdout)["tables"] if t["status"] != "ok"] == ["params"]


def _equal_bytes(store, url, table, part=None):
    from contextlib import ExitStack

    from migrator.verification.binary import equal_bytes

    with ExitStack() as stack:
        src, tgt = parse_store(str(store)).open_side(stack), parse_store(url).open_side(stack)
        st, tt = src.tables[table], tgt.tables[table]
        cols = [c.name for c in tt.columns]
        return equal_bytes(src, tgt, st, tt, cols, tt.pk, part)


def test_equal_rows_are_proven_by_their_bytes_and_any_difference_is_left_to_the_row_compare(migrated, cli):
    """The fast path (binary COPY of PostgreSQL's rows against SQLite's rows encoded by psycopg's dumpers)
    proves an unchanged table and a key range of it equal; a float one ULP off, a row more on either side, or a
    boolean stored as 2 in SQLite (which the dumper would send as true) is not proven, and verify then names
    the row through the row-by-row compare."""
    from migrator.stores import KeyRange

    store, url = migrated
    run = _sqlite(store)("SELECT min(run_uuid) FROM metrics")[0][0]
    assert _equal_bytes(store, url, "metrics")
    assert _equal_bytes(store, url, "metrics", KeyRange("key", True, "loss", None))
    assert _equal_bytes(store, url, "params") and _equal_bytes(store, url, "runs")
    pg = _pg(url)
    key, ts, step, run, value, is_nan = _first_metric(pg)
    where = "WHERE key = %s AND timestamp = %s AND step = %s AND run_uuid = %s"
    pg(f"UPDATE metrics SET value = %s {where}", math.nextafter(value, math.inf), key, ts, step, run)
    assert not _equal_bytes(store, url, "metrics")
    pg(f"UPDATE metrics SET value = %s {where}", value, key, ts, step, run)
    assert _equal_bytes(store, url, "metrics")
    pg("INSERT INTO params (key, value, run_uuid) VALUES ('zzz-extra', 'x', %s)", run)
    assert not _equal_bytes(store, url, "params")
    pg("DELETE FROM params WHERE key = 'zzz-extra'")
    _sqlite(store)("INSERT INTO params (key, value, run_uuid) VALUES ('zzz-extra', 'x', %s)", run)
    assert not _equal_bytes(store, url, "params")
    _sqlite(store)("DELETE FROM params WHERE key = 'zzz-extra'")
    assert _equal_bytes(store, url, "params")

    pg(f"UPDATE metrics SET is_nan = true {where}", key, ts, step, run)
    conn = sqlite3.connect(store)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(f"UPDATE metrics SET is_nan = 2 {where.replace('%s', '?')}", (key, ts, step, run))
    conn.commit()
    conn.close()
    assert not _equal_bytes(store, url, "metrics")
    r = json.loads(cli("verify", store, url, "--json", "--sample", "0").stdout)
    assert [t["table"] for t in r["tables"] if t["status"] != "ok"] == ["metrics"]
    assert run in json.dumps(r["tables"])

