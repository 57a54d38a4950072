"""The worker processes' COPY text is exactly the main process's (rewrites, floats, escapes included)."""

import sqlite3

from migrator.artifacts import parse_rules
from migrator.bulk.preflight import register_rewrite
from migrator.bulk.rows import row_stream
from migrator.bulk.spool import MIN_ROWS, IndexSlice, index_order, index_slices, start_spools
from migrator.stores.sqlite_db import tables as sqlite_tables


def test_spooled_text_equals_the_sequential_text(tmp_path):
    snap = tmp_path / "snap.db"
    conn = sqlite3.connect(snap)
    conn.execute("CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL PRIMARY KEY, artifact_uri VARCHAR(200), "
                 "value FLOAT NOT NULL, flag BOOLEAN NOT NULL)")
    n = MIN_ROWS + 1234
    conn.executemany("INSERT INTO runs VALUES (?, ?, ?, ?)",
                     ((f"r{i:08d}", f"/old/root/{i}/artifacts" if i % 3 else f"s3://b/{i}\ttab\\x",
                       (i * 0.1) if i % 7 else float("1e-310"), i % 2) for i in range(n)))
    conn.commit()
    rules = parse_rules(["/old/root=s3://new/root"])
    register_rewrite(conn, rules)
    tables = sqlite_tables(conn)
    spools = start_spools(conn, snap, tables, rules, nproc=2)
    assert set(spools) == {"runs"}
    sp = spools["runs"]
    try:
        counted = []
        spooled = b"".join(sp.stream(counted.append)).decode()
    finally:
        sp.close()
    t = tables["runs"]
    cols = [c for c in t.columns if c.name in sp.columns]
    sequential = "".join(row_stream(conn, t, cols, rules, False, lambda _n: None))
    assert sum(counted) == n
    assert sorted(spooled.splitlines()) == sorted(sequential.splitlines())
    assert "s3://new/root/5/artifacts" in spooled and "\\t" in spooled
    assert not list((snap.parent / "spool-runs").glob("*.copy"))  # consumed files are gone
    conn.close()


def test_index_ordered_slices_cover_every_row_once_in_index_order(tmp_path):
    """metrics-like table: read in (run, key, step) order by two workers, sliced by run ranges whose
    boundaries fall inside long runs of equal values; chunks with backslashes take the escaped re-read."""
    snap = tmp_path / "snap.db"
    conn = sqlite3.connect(snap)
    conn.execute("CREATE TABLE m (key VARCHAR(250) NOT NULL, value FLOAT NOT NULL, run VARCHAR(32) NOT NULL, "
                 "step BIGINT NOT NULL, PRIMARY KEY (key, run, step, value))")
    conn.execute("CREATE INDEX m_run ON m (run)")
    conn.execute("CREATE INDEX m_run_key_step ON m (run, key, step)")
    n = MIN_ROWS + 5000
    # inserted key-major (as a sweep would), so index order differs from rowid order; 3 runs only, so
    # the slice boundary sits inside a run; every 997th key has a backslash (escaped re-read path)
    conn.executemany("INSERT INTO m VALUES (?, ?, ?, ?)",
                     ((f"k{i % 50}" + ("\\x" if i % 997 == 0 else ""), i * 0.5, f"run{i % 3}", i // 150)
                      for i in range(n)))
    conn.commit()
    tables = sqlite_tables(conn)
    assert index_order(conn, tables["m"]) == ("run", "key", "step")
    spools = start_spools(conn, snap, tables, [], nproc=2)
    sp = spools["m"]
    try:
        assert sp.order == ("run", "key", "step") and len(sp.procs) == 2
        counted: list[int] = []
        spooled = b"".join(sp.stream(counted.append)).decode()
    finally:
        sp.close()
    t = tables["m"]
    cols = [c for c in t.columns if c.name in sp.columns]
    ordered = "".join(row_stream(conn, t, cols, [], False, lambda _n: None,
                                 index_slice=IndexSlice(("run", "key", "step"))))
    assert sum(counted) == n
    assert spooled == ordered  # every row once, in index order across the slices
    lines = spooled.splitlines()
    assert len(lines) == n and "\\\\x" in spooled
    keyed = [(r[2], r[0], int(r[3])) for r in (line.split("\t") for line in lines)]
    assert keyed == sorted(keyed)
    conn.close()


def test_slices_over_text_and_blob_values_cover_every_row_once(tmp_path):
    """SQLite lets a VARCHAR column hold BLOBs (sorted after all text): slice bounds of mixed types."""
    conn = sqlite3.connect(tmp_path / "mixed.db")
    conn.execute("CREATE TABLE m (key VARCHAR(250) NOT NULL, run VARCHAR(32) NOT NULL, step BIGINT NOT NULL, "
                 "PRIMARY KEY (key, run, step))")
    conn.execute("CREATE INDEX m_run_key_step ON m (run, key, step)")
    n = 4000
    conn.executemany("INSERT INTO m VALUES (?, ?, ?)",
                     ((f"k{i % 5}", f"run{i % 3}" if i % 3 < 2 else b"run2", i) for i in range(n)))
    conn.commit()
    slices = index_slices(conn, sqlite_tables(conn)["m"], ("run", "key", "step"), 4)
    assert slices is not None and any(isinstance(s.hi, bytes) for s in slices)
    seen = []
    for sl in slices:
        conds, params = sl.where()
        where = f" WHERE {' AND '.join(conds)}" if conds else ""
        seen += [r[0] for r in conn.execute(f"SELECT rowid FROM m{where}", params)]
    assert sorted(seen) == list(range(1, n + 1))
    conn.close()


def test_mlflow_metrics_are_read_in_run_key_step_order(built_store):
    conn = sqlite3.connect(f"file:{built_store}?mode=ro", uri=True)
    try:
        tables = sqlite_tables(conn)
        assert index_order(conn, tables["metrics"]) == ("run_uuid", "key", "step")
    finally:
        conn.close()


def test_wide_rows_keep_rowid_order(tmp_path):
    conn = sqlite3.connect(tmp_path / "w.db")
    conn.execute("CREATE TABLE spans (trace_id TEXT NOT NULL, span_id TEXT NOT NULL, t BIGINT NOT NULL, "
                 "content TEXT NOT NULL, PRIMARY KEY (trace_id, span_id))")
    conn.execute("CREATE INDEX spans_trace_t ON spans (trace_id, t)")
    conn.execute("CREATE INDEX spans_trace ON spans (trace_id)")
    narrow = sqlite_tables(conn)["spans"]
    conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?)", ((f"tr{i % 7}", f"s{i}", i, "x" * 10) for i in range(100)))
    assert index_order(conn, narrow) == ("trace_id", "t")
    conn.execute("UPDATE spans SET content = ?", ("x" * 4000,))  # random reads of wide rows do not pay
    assert index_order(conn, narrow) is None
    conn.close()
