"""The big tables' binary COPY (migrator/bulk/direct.py): exact values, the checks riding on the stream."""

import math
import sqlite3

import pytest
import sqlalchemy as sa
from conftest import SILENT_ROWS, kinds_table, pg_table_names

from migrator.bulk import CopyOptions, direct, sqlite_to_pg
from migrator.errors import PreflightFailed
from migrator.stores import parse_store, pg_db

GOOD = [
    (1, "plain", 7, 1.5, 1, b"\x00\x01\xff", "tab\there\nnew line \\ back\\slash \r", 3, 0.25),
    (2, "ünï €", -2147483648, -0.0, 0, b"", "", -32768, -3.4e38),
    (3, None, 2147483647, 1e308, None, None, None, 32767, None),
    (4, "x" * 20, 0, 5e-324, 1, b"\\x00", "\u2603" * 3, 0, 1.0),
    (5, "int-ish", 12, 3, 0, b"a", "'quoted'", 1, 2),  # an integer in the REAL columns
    (6, "inf", 1, float("inf"), 0, b"b", "-", 2, 0.5),
]
SILENT = SILENT_ROWS  # values psycopg's binary dumpers would take, but not as PostgreSQL means them


def _pair(tmp_path, pg_url, rows):
    src = tmp_path / "t.db"
    conn = kinds_table(src, rows)
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.begin() as pg:
        pg.exec_driver_sql("CREATE TABLE t (id int8 PRIMARY KEY, a varchar(20), b int4, c float8, d bool, e bytea, "
                           "f text, g int2, h float4)")
    return src, conn, eng


def _run(src, conn, eng, n):
    with eng.connect() as pg:
        table = pg_db.tables(pg)["t"]
        plans = direct.plan(conn, pg, {"t": table}, {"t": direct.MIN_ROWS}, {"t": [c.name for c in table.columns]}, [])
    assert set(plans) == {"t"} and plans["t"].types[1:4] == ("text", "int4", "float8")
    seen: list[int] = []
    copied, flagged = direct.run(plans["t"], str(src), direct.connect_args(eng), [], seen.append, lambda _stop: None)
    assert copied == n and sum(seen) == n
    return flagged


def test_values_arrive_exactly_and_silently_wrong_ones_are_flagged(tmp_path, pg_url):
    src, conn, eng = _pair(tmp_path, pg_url, GOOD + SILENT)
    flagged = _run(src, conn, eng, len(GOOD) + len(SILENT))
    assert sorted(flagged or []) == [r[0] for r in SILENT]  # the preflight then names these rows (not copied)
    with eng.connect() as pg:
        got = {r[0]: tuple(r) for r in pg.exec_driver_sql("SELECT id, a, b, c, d, e, f, g, h FROM t").all()}
    eng.dispose()
    stored = {r[0]: r for r in conn.execute("SELECT * FROM t")}  # as SQLite keeps them (-0.0 reads as 0.0)
    for row in (stored[g[0]] for g in GOOD):
        back = got[row[0]]
        blob = None if back[5] is None else bytes(back[5])
        assert back[1:3] == row[1:3] and (blob, *back[6:8]) == row[5:8], back
        assert (back[3] == row[3] and math.copysign(1, back[3]) == math.copysign(1, row[3])), back
        assert back[4] == (None if row[4] is None else bool(row[4]))
        assert back[8] == (None if row[8] is None else pytest.approx(row[8], rel=1e-7)), back


@pytest.mark.parametrize("bad", ["blob", "text_in_int", "too_long", "null_key"])
def test_a_value_the_encoder_or_postgresql_refuses_fails_the_copy_and_writes_nothing(tmp_path, pg_url, bad):
    row = {"blob": (7, b"\xff\x00", 0, 0.0, 0, b"", "", 0, 0.0), "text_in_int": (7, "t", "abc", 0.0, 0, b"", "", 0, 0.0),
           "too_long": (7, "y" * 21, 0, 0.0, 0, b"", "", 0, 0.0), "null_key": (None, "k", 0, 0.0, 0, b"", "", 0, 0.0)}[bad]
    src, conn, eng = _pair(tmp_path, pg_url, GOOD + [row])
    if bad == "null_key":  # an INTEGER PRIMARY KEY cannot be NULL in SQLite: the column is made nullable there
        conn.execute("CREATE TABLE t2 AS SELECT * FROM t")
        conn.execute("DROP TABLE t")
        conn.execute("ALTER TABLE t2 RENAME TO t")
        conn.execute("UPDATE t SET id = NULL WHERE a = 'k'")
        conn.commit()
    with pytest.raises(direct.CopyRejected, match="PostgreSQL rejected the copy of t"):
        _run(src, conn, eng, len(GOOD) + 1)
    with eng.connect() as pg:
        assert pg.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    eng.dispose()


def test_silently_wrong_values_in_a_big_table_are_named_by_the_preflight(big_store, pg_url):
    """metrics is copied by a worker (it is big): is_nan of 2 and -1 would arrive as true; the stream flags the
    two rows, the preflight names them, and nothing is written."""
    conn = sqlite3.connect(big_store)
    ids = [r[0] for r in conn.execute("SELECT rowid FROM metrics ORDER BY rowid LIMIT 2")]
    conn.execute("PRAGMA ignore_check_constraints = ON")  # as a store written by another tool can hold them
    conn.execute(f"UPDATE metrics SET is_nan = 2 WHERE rowid = {ids[0]}")
    conn.execute(f"UPDATE metrics SET is_nan = -1 WHERE rowid = {ids[1]}")
    conn.commit()
    conn.close()
    with pytest.raises(PreflightFailed) as e:
        sqlite_to_pg(parse_store(str(big_store)), parse_store(pg_url), CopyOptions(jobs=2))
    lines = [str(p) for p in e.value.problems]
    assert len(lines) == 2 and all("column is_nan: boolean must be 0 or 1" in line for line in lines), lines
    assert pg_table_names(pg_url) == []


def _plan_big(conn, pg_url, name, pg_ddl):
    """direct.plan of SQLite table `name` as a big table, against its PostgreSQL twin made by `pg_ddl`; the
    plan and the engine of the staging database."""
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.begin() as pg:
        pg.exec_driver_sql(pg_ddl)
    with eng.connect() as pg:
        table = pg_db.tables(pg)[name]
        plans = direct.plan(conn, pg, {name: table}, {name: direct.MIN_ROWS},
                            {name: [c.name for c in table.columns]}, [])
    return plans[name], eng


@pytest.mark.parametrize("indexed", [False, True])
def test_segments_encoded_side_by_side_arrive_in_order(tmp_path, pg_url, monkeypatch, indexed):
    """Many small segments over two reader processes: every row once, and the heap in the read order (rowid,
    or the index order (a, b) that presorts both indexes), as one COPY."""
    monkeypatch.setattr(direct, "SEGMENT_ROWS", 7)
    monkeypatch.setattr(direct, "READERS", 2)
    src = tmp_path / "o.db"
    conn = sqlite3.connect(src)
    conn.execute("CREATE TABLE o (a TEXT NOT NULL, b INTEGER NOT NULL, c REAL)")
    if indexed:
        conn.execute("CREATE INDEX o_a ON o (a)")
        conn.execute("CREATE INDEX o_ab ON o (a, b)")
    rows = [(f"k{(i * 37) % 11:02d}", (i * 13) % 29, i / 7) for i in range(100)]
    conn.executemany("INSERT INTO o VALUES (?, ?, ?)", rows)
    conn.commit()
    plan, eng = _plan_big(conn, pg_url, "o", "CREATE TABLE o (a text NOT NULL, b int8 NOT NULL, c float8)")
    assert len(plan.segments) >= 5 and (plan.order == ("a", "b")) == indexed
    copied, flagged = direct.run(plan, str(src), direct.connect_args(eng), [], lambda _n: None, lambda _stop: None)
    assert copied == 100 and flagged == []
    with eng.connect() as pg:
        heap = [tuple(r) for r in pg.exec_driver_sql("SELECT a, b, c FROM o ORDER BY ctid").all()]
    eng.dispose()
    expected = conn.execute("SELECT a, b, c FROM o ORDER BY " + ("a, b, rowid" if indexed else "rowid")).fetchall()
    assert heap == expected


@pytest.mark.parametrize("layout", ["by_run", "interleaved", "scattered"])
def test_the_index_order_is_read_only_where_the_table_is_clustered_by_it(tmp_path, pg_url, layout):
    """Rows logged run by run (or a few runs at a time) sit together in the table: read in the index order that
    presorts its indexes. Rows laid out in another order entirely would make each row a random read: rowid order."""
    src = tmp_path / "l.db"
    conn = sqlite3.connect(src)
    conn.execute("CREATE TABLE m (run TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, v REAL)")
    conn.execute("CREATE INDEX m_run ON m (run)")
    conn.execute("CREATE INDEX m_run_key_step ON m (run, key, step)")
    runs = [f"{(i * 7919) % 1000:03d}-run" for i in range(200)]  # ids unrelated to creation order, as uuids
    if layout == "by_run":  # each run logs all its points, then the next one
        rows = [(r, f"k{k}", s, 0.5) for r in runs for s in range(20) for k in range(5)]
    elif layout == "interleaved":  # ten runs at a time, step by step
        rows = [(r, f"k{k}", s, 0.5) for g in range(0, 200, 10) for s in range(20) for r in runs[g:g + 10]
                for k in range(5)]
    else:  # key by key, step by step, across every run: each run's rows spread over the whole table
        rows = [(r, f"k{k}", s, 0.5) for k in range(5) for s in range(20) for r in runs]
    conn.executemany("INSERT INTO m VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    plan, eng = _plan_big(conn, pg_url, "m",
                          "CREATE TABLE m (run text NOT NULL, key text NOT NULL, step int8 NOT NULL, v float8)")
    eng.dispose()
    assert plan.order == (None if layout == "scattered" else ("run", "key", "step"))


def test_a_big_table_counted_beside_its_copy_reports_its_exact_rows(big_store, pg_url, monkeypatch):
    """A big table's rows are planned from its rowid span and counted exactly in a thread while it is copied:
    with gaps in its rowids (deleted rows) the result still holds the exact count, checked against the COPY's."""
    from migrator.bulk import plan as plan_mod

    monkeypatch.setattr(plan_mod, "COUNT_BESIDE_ROWS", 1_000)
    conn = sqlite3.connect(big_store)
    conn.execute("DELETE FROM metrics WHERE rowid % 7 = 3")
    conn.execute("DELETE FROM metrics WHERE rowid = (SELECT max(rowid) FROM metrics)")
    conn.commit()
    want = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("metrics", "latest_metrics", "tags")}
    span = conn.execute("SELECT max(rowid) - min(rowid) + 1 FROM metrics").fetchone()[0]
    conn.close()
    assert span > want["metrics"]
    result = sqlite_to_pg(parse_store(str(big_store)), parse_store(pg_url), CopyOptions(jobs=2, verify=False))
    got = {t.table: t.rows for t in result.tables}
    assert {t: got[t] for t in want} == want
    assert all(t.counting is None for t in result.tables)
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.connect() as pg:
        assert pg.exec_driver_sql("SELECT count(*) FROM metrics").scalar() == want["metrics"]
