import datetime as dt
import sqlite3

import sqlalchemy as sa
from conftest import pg_table_names

from migrator.bulk import CopyOptions, sqlite_to_pg
from migrator.stores import parse_store

BLOB = bytes(range(256)) + b"\\\t\n\r\x00end"
TEXT = "tab\there\nnew line\r\\N back\\slash ünï 🚀 \\x41"


def _catalog(url):
    """Everything that makes up the schema: columns, constraints, indexes, sequences."""
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with eng.connect() as c:
        cols = c.exec_driver_sql("""
            SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default,
                   is_identity, is_generated, generation_expression
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2""").all()
        cons = c.exec_driver_sql("""
            SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid), convalidated
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2""").all()
        idx = c.exec_driver_sql("SELECT tablename, indexname, indexdef FROM pg_indexes "
                                "WHERE schemaname = 'public' ORDER BY 1, 2").all()
        seqs = c.exec_driver_sql("SELECT sequencename, data_type, increment_by, sequenceowner FROM pg_sequences "
                                 "WHERE schemaname = 'public' ORDER BY 1").all()
        owners = c.exec_driver_sql("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' "
                                   "ORDER BY 1").all()
        funcs = c.exec_driver_sql("SELECT p.proname, pg_get_functiondef(p.oid), pg_get_userbyid(p.proowner) "
                                  "FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1").all()
        triggers = c.exec_driver_sql("SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                                     "WHERE NOT tgisinternal ORDER BY 1, 2").all()
        types = c.exec_driver_sql("SELECT typname, typtype FROM pg_type WHERE typnamespace = 'public'::regnamespace "
                                  "ORDER BY 1").all()
        schemas = c.exec_driver_sql("SELECT nspname FROM pg_namespace ORDER BY 1").scalars().all()
    eng.dispose()
    return cols, cons, idx, seqs, owners, funcs, triggers, types, schemas


def test_final_schema_identical_to_mlflows(big_store, pg_url, pg_fresh_url):
    """metrics is big enough that its PK and indexes (and every FK) are dropped and rebuilt; loaded on four
    connections into a staging schema, moved into public: names, definitions, owners, the trigger and its
    function all as MLflow's migrations make them, and no staging schema left."""
    res = sqlite_to_pg(parse_store(str(big_store)), parse_store(pg_url), CopyOptions(verify_sample=0, jobs=4))
    assert res.verify.ok and "switch" in res.phases
    assert next(t for t in res.tables if t.table == "metrics").rows > 400_000
    assert _catalog(pg_url) == _catalog(pg_fresh_url)


def _add_rows_to_newer_tables(path):
    conn = sqlite3.connect(path)
    trace_id = conn.execute("SELECT request_id FROM trace_info").fetchone()[0]
    conn.execute("INSERT INTO secrets (secret_id, secret_name, encrypted_value, wrapped_dek, kek_version, masked_value, "
                 "created_at, last_updated_at) VALUES ('s1', 'api-key', ?, ?, 1, '***', 1, 2)", (BLOB, b""))
    conn.execute("INSERT INTO sql_trace_metric_daily_rollups (id, experiment_id, rollup_day, metric_name, grouping_set, "
                 "sample_count, sum_value, min_value) VALUES (7, 1, '2026-11-21', 'latency', 'all', 3, 1.5, NULL)")
    for i, valid in enumerate((1, 0)):
        conn.execute("INSERT INTO assessments (assessment_id, trace_id, name, assessment_type, value, created_timestamp, "
                     "last_updated_timestamp, source_type, valid, is_numeric_value) "
                     "VALUES (?, ?, 'quality', 'feedback', ?, 1, 2, 'HUMAN', ?, ?)", (f"a-{i}", trace_id, TEXT, valid, 1 - valid))
    conn.execute("INSERT INTO jobs (id, creation_time, job_name, params, status, retry_count, last_update_time, "
                 "status_details) VALUES ('j1', 1, 'job', '{}', 1, 0, 2, ?)", ('{"msg": "ünï\\n\\\\ \\"q\\""}',))
    conn.execute("INSERT INTO scheduler_leases VALUES ('lease', 1, 30)")
    conn.commit()
    conn.close()


def test_binary_boolean_date_json_identity_columns(store, pg_url, pg_conn_factory):
    _add_rows_to_newer_tables(store)
    res = sqlite_to_pg(parse_store(str(store)), parse_store(pg_url), CopyOptions(verify_sample=0, jobs=1))
    assert res.verify.ok, res.verify.summary()
    c = pg_conn_factory(pg_url)
    assert bytes(c.exec_driver_sql("SELECT encrypted_value FROM secrets").scalar()) == BLOB
    assert bytes(c.exec_driver_sql("SELECT wrapped_dek FROM secrets").scalar()) == b""
    assert c.exec_driver_sql("SELECT rollup_day, min_value FROM sql_trace_metric_daily_rollups").one() == (
        dt.date(2026, 11, 21), None)
    assert c.exec_driver_sql("SELECT valid, is_numeric_value, value FROM assessments ORDER BY assessment_id").all() == [
        (True, False, TEXT), (False, True, TEXT)]
    assert c.exec_driver_sql("SELECT status_details::text FROM jobs").scalar() == '{"msg": "ünï\\n\\\\ \\"q\\""}'
    # identity column set past the copied id: the next generated id is 8
    c.exec_driver_sql("INSERT INTO sql_trace_metric_daily_rollups (experiment_id, rollup_day, metric_name, grouping_set, "
                      "sample_count) VALUES (1, '2026-11-22', 'latency', 'all', 1)")
    assert c.exec_driver_sql("SELECT max(id) FROM sql_trace_metric_daily_rollups").scalar() == 8


def _preflight_problems(store, pg_url) -> str:
    """The problems a copy that must fail its preflight reports, one per line."""
    from migrator.errors import PreflightFailed

    try:
        sqlite_to_pg(parse_store(str(store)), parse_store(pg_url), CopyOptions())
    except PreflightFailed as e:
        return "\n".join(map(str, e.problems))
    raise AssertionError("expected PreflightFailed")


def test_integer_out_of_range_and_text_in_float_are_reported(store, pg_url):
    conn = sqlite3.connect(store)
    conn.execute("UPDATE experiments SET experiment_id = 3000000000 WHERE name = 'abandoned'")
    conn.execute("UPDATE metrics SET value = 'oops' WHERE rowid = (SELECT min(rowid) FROM metrics)")
    conn.execute("UPDATE tags SET value = CAST(x'66ff6f' AS TEXT) WHERE key = 'quote'")
    conn.commit()
    conn.close()
    text = _preflight_problems(store, pg_url)
    assert "experiments (experiment_id=3000000000) column experiment_id: value 3000000000 out of range" in text
    assert "column value: non-numeric value 'oops' in a float column" in text
    assert "tags (key='quote'" in text and "invalid UTF-8 at byte 1" in text


NASTY = ["\\.", "\\N", "", " ", "\r\n", "\t\t", "\x01\x1f\x7f", "\u2028\u2029", "e\u0301 vs \u00e9", "\\\\x00",
         "a\\Nb", "'; DROP TABLE runs; --", "{}", "😀" * 100, "x" * 8000, "\\", "end\\"]


def test_nasty_text_round_trips(store, pg_url, pg_conn_factory):
    conn = sqlite3.connect(store)
    run = conn.execute("SELECT run_uuid FROM runs ORDER BY run_uuid LIMIT 1").fetchone()[0]
    for i, v in enumerate(NASTY):
        conn.execute("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)", (f"nasty-{i}", v, run))
        conn.execute("INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)", (f"nasty-{i} {v[:50]}", v, run))
    conn.execute("INSERT INTO tags (key, value, run_uuid) VALUES ('null-value', NULL, ?)", (run,))
    conn.commit()
    conn.close()
    res = sqlite_to_pg(parse_store(str(store)), parse_store(pg_url), CopyOptions(verify_sample=20))
    assert res.verify.ok, res.verify.summary()
    c = pg_conn_factory(pg_url)
    got = dict(c.exec_driver_sql("SELECT key, value FROM params WHERE key LIKE 'nasty-%%'").all())
    assert got == {f"nasty-{i}": v for i, v in enumerate(NASTY)}
    assert c.exec_driver_sql("SELECT value FROM tags WHERE key = 'null-value'").scalar() is None


def test_library_call_from_an_unguarded_stdin_script_uses_worker_processes(big_store, pg_url):
    """A caller without `if __name__ == "__main__":` (here: code on stdin) must not be re-run by the
    worker processes that format the big tables; the copy is verified row by row."""
    import json
    import subprocess
    import sys

    script = f"""
import json
from migrator.bulk import CopyOptions, sqlite_to_pg
from migrator.bulk.direct import MIN_ROWS
from migrator.stores import parse_store
r = sqlite_to_pg(parse_store({str(big_store)!r}), parse_store({pg_url!r}), CopyOptions(verify=True, verify_sample=0))
print(json.dumps({{"ok": r.verify.ok, "rows": {{t.table: t.rows for t in r.tables}}, "min": MIN_ROWS}}))
"""
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["ok"] and out["rows"]["metrics"] >= out["min"]  # big enough to be copied by a worker process


def test_big_old_store_stops_its_workers_before_the_snapshot_is_upgraded(sample_store_v2, pg_url):
    """Workers start on the snapshot before its revision is known; an old store's snapshot is then
    upgraded in place, so they must be stopped first and the tables formatted afterwards."""
    from migrator.bulk.direct import MIN_ROWS

    conn = sqlite3.connect(sample_store_v2)
    n = conn.execute("SELECT count(*) FROM metrics").fetchone()[0]
    conn.execute(f"""
        WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {MIN_ROWS // n + 1})
        INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
        SELECT m.key, m.value + k.i, m.timestamp + k.i, m.run_uuid, m.step + k.i * 100000, m.is_nan
        FROM metrics m, k""")
    conn.commit()
    rows = conn.execute("SELECT count(*) FROM metrics").fetchone()[0]
    conn.close()
    assert rows >= MIN_ROWS
    r = sqlite_to_pg(parse_store(str(sample_store_v2)), parse_store(pg_url), CopyOptions(verify=True, verify_sample=0))
    assert r.upgraded_from and r.verify.ok
    assert next(t.rows for t in r.tables if t.table == "metrics") == rows


def test_bad_rows_in_a_table_formatted_by_workers_are_all_reported(big_store, pg_url):
    """Invalid UTF-8, a NUL byte and text in a float column inside the big metrics table (copied by a worker):
    the preflight names each of them and nothing is written."""
    conn = sqlite3.connect(big_store)
    ids = [r[0] for r in conn.execute("SELECT rowid FROM metrics ORDER BY rowid DESC LIMIT 4")]
    conn.execute(f"UPDATE metrics SET key = CAST(x'6cff73' AS TEXT) WHERE rowid = {ids[0]}")
    conn.execute(f"UPDATE metrics SET key = 'nul' || char(0) || 'here' WHERE rowid = {ids[1]}")
    conn.execute(f"UPDATE metrics SET value = 'oops' WHERE rowid = {ids[2]}")
    # metrics.run_uuid has an index: the orphan check first looks at its distinct values, then at the rows
    conn.execute(f"UPDATE metrics SET run_uuid = 'gone' WHERE rowid = {ids[3]}")
    conn.commit()
    conn.close()
    text = _preflight_problems(big_store, pg_url)
    assert "invalid UTF-8" in text and "NUL" in text and "non-numeric value 'oops'" in text, text
    assert "column run_uuid: orphan: no row in runs with run_uuid='gone'" in text, text
    assert len(text.splitlines()) == 4, text
    assert pg_table_names(pg_url) == []


def test_indexes_presorted_by_the_load_order_are_found(pg_fresh_url, pg_conn_factory):
    """Reading metrics in (run_uuid, key, step) order presorts the two run_uuid indexes, not the PK, nor an
    index with a descending column. (Collations that do not sort by bytes are left out the same way, but
    this machine's PostgreSQL has none to test with: no ICU, no OS locales besides C.)"""
    from migrator.bulk.load import drop_for_load
    from migrator.stores.pg_db import byte_order_collations

    conn = pg_conn_factory(pg_fresh_url)
    with conn.begin() as tx:
        rebuilds = drop_for_load(conn, ["metrics"], {"metrics": ("run_uuid", "key", "step")})
        presorted = sorted(r.ddl.split(" ON ")[0] for r in rebuilds if r.presorted)
        assert presorted == ["CREATE INDEX index_metrics_run_uuid", "CREATE INDEX index_metrics_run_uuid_key_step"]
        assert any("PRIMARY KEY" in r.ddl and not r.presorted for r in rebuilds)
        assert {950, 951} <= byte_order_collations(conn)  # "C" and "POSIX"
        for r in rebuilds:
            conn.exec_driver_sql(r.ddl)
        tx.rollback()
    with conn.begin() as tx:  # a descending column: PostgreSQL's order is not the load order
        conn.exec_driver_sql("DROP INDEX index_metrics_run_uuid_key_step")
        conn.exec_driver_sql("CREATE INDEX index_metrics_run_uuid_key_step ON metrics (run_uuid, key DESC, step)")
        rebuilds = drop_for_load(conn, ["metrics"], {"metrics": ("run_uuid", "key", "step")})
        flags = {r.ddl.split(" ON ")[0]: r.presorted for r in rebuilds if r.ddl.startswith("CREATE")}
        assert flags == {"CREATE INDEX index_metrics_run_uuid": True,
                         "CREATE INDEX index_metrics_run_uuid_key_step": False}, flags
        tx.rollback()
