"""arrow_copy: SQLite rows encoded through ADBC and Arrow are the bytes psycopg 3's C dumpers write, or the
segment is handed back to psycopg."""

import io
import sqlite3

import psycopg
import pytest
from conftest import SILENT_ROWS, kinds_table
from psycopg.copy import Copy, FileWriter

from migrator.bulk import direct
from migrator.stores import arrow_copy, sqlite_db
from migrator.stores.binary_copy import SIGNATURE, TRAILER

pytestmark = pytest.mark.skipif(not arrow_copy.available(), reason="adbc-driver-sqlite is a dependency")

COLUMNS = ("id", "a", "b", "c", "d", "e", "f", "g", "h")
TYPES = ("int8", "text", "int4", "float8", "bool", "bytea", "text", "int2", "float4")
ROWS = [
    (1, "plain", 7, 1.5, 1, b"\x00\x01\xff", "tab\there\nnew line \\ back\\slash \r", 3, 0.25),
    (2, "ünï €", -2147483648, -0.0, 0, b"", "", -32768, -3.4e38),
    (3, None, 2147483647, 1e308, None, None, None, 32767, None),
    (4, "x" * 20, 0, 5e-324, 1, b"\\x00", "\u2603" * 3 + "\U0001F600", 0, 1.0),
    (5, "", 12, 3, 0, b"a", "'quoted'", 1, 2),  # integers in the REAL columns (stored as REAL)
    (6, "inf", 1, float("inf"), 0, b"b", "-", 2, float("-inf")),
    (9223372036854775807, "max", None, -1.7976931348623157e308, 1, b"\xff" * 300, "y" * 5000, None, 1e-45),
    (-9223372036854775808, "min", -1, 2.2250738585072014e-308, 0, b"z", "\x01", -1, 3.4028234663852886e38),
]
SILENT = SILENT_ROWS


def _store(tmp_path, rows):
    path = tmp_path / "t.db"
    return path, kinds_table(path, rows)


def _copy(conn) -> direct.DirectCopy:
    from migrator.schema import Column
    from migrator.stores.binary_copy import silent

    kinds = {"int8": "bigint", "text": "text", "int4": "int", "float8": "float", "bool": "bool", "bytea": "bytes",
             "int2": "smallint", "float4": "float4"}
    cols = [Column(name=n, kind=kinds[t]) for n, t in zip(COLUMNS, TYPES)]
    flag = " OR ".join(f"({c})" for c in map(silent, cols) if c)
    exprs = [f'"{n}"' for n in COLUMNS]
    return direct.DirectCopy("t", COLUMNS, TYPES, ", ".join(exprs), flag, None, ((None, None),),
                             arrow_copy.odd_sql(exprs, TYPES))


def _psycopg_bytes(pg_url, path, copy):
    """What psycopg 3's own Copy (on a connection to PostgreSQL) writes for the segment's rows."""
    sql, params = copy.segment_sql(0)
    conn = sqlite3.connect(sqlite_db.ro_uri(path), uri=True)
    flagged: list[int] = []
    conn.create_function("mig_flag", 1, lambda r: flagged.append(r) or 1)
    buf = io.BytesIO()
    with psycopg.connect(pg_url.replace("+psycopg2", ""), client_encoding="UTF8") as pg, pg.cursor() as cur:
        with Copy(cur, binary=True, writer=FileWriter(buf)) as cp:
            cp.set_types(list(copy.types))
            for r in conn.execute(sql, params):
                cp.write_row(r)
    data = buf.getvalue()
    return data[len(SIGNATURE):-len(TRAILER)], flagged


@pytest.mark.parametrize("batch_rows", [1, 3, 50_000])
def test_the_bytes_are_psycopgs_and_the_same_rows_are_flagged(tmp_path, pg_url, batch_rows):
    path, conn = _store(tmp_path, ROWS + SILENT)
    copy = _copy(conn)
    want, want_flagged = _psycopg_bytes(pg_url, path, copy)
    fast = arrow_copy.connect(sqlite_db.ro_uri(path))
    sql, params = copy.arrow_sql(0)
    got = arrow_copy.encode(fast, sql, params, copy.types, batch_rows)
    assert got is not None
    data, rows, flagged = got
    assert rows == len(ROWS + SILENT) and data == want
    assert sorted(flagged) == sorted(want_flagged) == [r[0] for r in SILENT]


def _typeless_c(conn):
    """Column c without REAL affinity (which would store 5 as 5.0): as a store written by another tool."""
    conn.execute("CREATE TABLE t2 (id INTEGER PRIMARY KEY, a VARCHAR(20), b INTEGER, c, d BOOLEAN, e BLOB, "
                 "f TEXT, g SMALLINT, h REAL)")
    conn.execute("INSERT INTO t2 SELECT * FROM t")
    conn.execute("DROP TABLE t")
    conn.execute("ALTER TABLE t2 RENAME TO t")


@pytest.mark.parametrize("change", [
    "UPDATE t SET b = 1.5 WHERE id = 3",  # a REAL in an integer column
    "UPDATE t SET b = 'abc' WHERE id = 3",  # text in an integer column
    "UPDATE t SET b = 'abc' WHERE id = 1",  # ... in the first row (the driver types the column as text)
    "UPDATE t SET a = x'6869' WHERE id = 3",  # a BLOB in a text column (the driver would take it as text)
    "UPDATE t SET e = 'text' WHERE id = 3",  # text in a BLOB column (the driver would take it as bytes)
    "UPDATE t SET c = 'x' WHERE id = 3",  # text in a FLOAT column
])
def test_a_value_of_another_storage_class_hands_the_segment_back(tmp_path, change):
    path, conn = _store(tmp_path, ROWS)
    if "c = 5" in change:
        _typeless_c(conn)
    conn.execute(change)
    conn.commit()
    copy = _copy(conn)
    sql, params = copy.arrow_sql(0)
    for batch_rows in (1, 50_000):
        assert arrow_copy.encode(arrow_copy.connect(sqlite_db.ro_uri(path)), sql, params, copy.types, batch_rows) is None


@pytest.mark.parametrize("row", [3, 1])
def test_an_integer_in_a_float_column_is_converted_as_psycopg_converts_it_or_handed_back(tmp_path, pg_url, row):
    """The driver converts an integer in a REAL-typed batch with (double), as psycopg's float8 dumper does:
    the same bytes; a batch it types as int64 (an integer first) is handed back."""
    path, conn = _store(tmp_path, ROWS)
    _typeless_c(conn)
    conn.execute(f"UPDATE t SET c = 9007199254740993 WHERE id = {row}")  # 2**53 + 1: rounds to 2**53
    conn.commit()
    copy = _copy(conn)
    want, _ = _psycopg_bytes(pg_url, path, copy)
    sql, params = copy.arrow_sql(0)
    results = [arrow_copy.encode(arrow_copy.connect(sqlite_db.ro_uri(path)), sql, params, copy.types, batch_rows)
               for batch_rows in (1, 2, 50_000)]
    assert all(got is None or got[0] == want for got in results)
    assert row == 1 or all(got is not None for got in results[1:])


def test_a_missing_file_hands_back_too(tmp_path):
    path, conn = _store(tmp_path, ROWS)
    copy = _copy(conn)
    fast = arrow_copy.connect(sqlite_db.ro_uri(tmp_path / "gone.db"))
    sql, params = copy.arrow_sql(0)
    assert fast is None or arrow_copy.encode(fast, sql, params, copy.types, 10) is None


@pytest.mark.parametrize("order", [None, ("a",)])
def test_bound_segments_split_the_rows_exactly_as_psycopgs_reads_do(tmp_path, pg_url, order):
    """Segment bounds are bound as Arrow values (an integer rowid, a text key), not written into the SQL:
    every row lands in exactly one segment, in the same order as the psycopg reader's."""
    rows = [(i, f"k{(i * 7) % 13:02d}", i, i / 3, i % 2, b"x", "t", i % 100, 0.5) for i in range(1, 200)]
    path, conn = _store(tmp_path, rows)
    copy = _copy(conn)
    bounds = ((None, 40), (40, 41), (41, 150), (150, None)) if order is None else \
        ((None, "k03"), ("k03", "k07"), ("k07", "k07\x00"), ("k07\x00", None))
    import dataclasses

    copy = dataclasses.replace(copy, order=order, segments=bounds)
    fast = arrow_copy.connect(sqlite_db.ro_uri(path))
    got, total = b"", 0
    for k in range(len(bounds)):
        want, _ = _psycopg_bytes(pg_url, path, dataclasses.replace(copy, segments=(bounds[k],)))
        sql, params = copy.arrow_sql(k)
        done = arrow_copy.encode(fast, sql, params, copy.types, 16)
        assert done is not None and done[0] == want
        got, total = got + done[0], total + done[1]
    whole, _ = _psycopg_bytes(pg_url, path, dataclasses.replace(copy, segments=((None, None),)))
    assert total == len(rows) and got == whole


def test_an_arrow_reader_only_when_a_single_big_table_is_copied(tmp_path, pg_url):
    """Big tables copied side by side each have readers: an Arrow reader for each would take the process tree
    past 400 MB (measured at 50 M rows), so then every reader goes through psycopg."""
    import sqlalchemy as sa

    from migrator.stores import pg_db

    path, conn = _store(tmp_path, ROWS)
    conn.execute("CREATE TABLE u AS SELECT * FROM t")
    conn.commit()
    eng = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with eng.begin() as pg:
        for name in ("t", "u"):
            pg.exec_driver_sql(f"CREATE TABLE {name} (id int8, a varchar(20), b int4, c float8, d bool, e bytea, "
                               "f text, g int2, h float4)")
    with eng.connect() as pg:
        tables = pg_db.tables(pg)
        cols = {n: [c.name for c in tables[n].columns] for n in ("t", "u")}
        one = direct.plan(conn, pg, {"t": tables["t"]}, {"t": direct.MIN_ROWS}, cols, [])
        two = direct.plan(conn, pg, {n: tables[n] for n in ("t", "u")}, dict.fromkeys(("t", "u"), direct.MIN_ROWS),
                          cols, [])
    eng.dispose()
    assert one["t"].odd and set(two) == {"t", "u"} and not any(p.odd for p in two.values())
