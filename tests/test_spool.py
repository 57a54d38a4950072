"""The worker processes' COPY text is exactly the main process's (rewrites, floats, escapes included)."""

import sqlite3

from migrator.artifacts import parse_rules
from migrator.copy_sql import row_stream
from migrator.preflight import register_rewrite
from migrator.schema import sqlite_tables
from migrator.spool import MIN_ROWS, start_spools


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
