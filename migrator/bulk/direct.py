"""The big tables: one pass, binary COPY, each table's rows read and sent by a worker process of its own.

A worker opens the snapshot read-only and a psycopg 3 connection to the staging schema, and streams the
table's rows straight into `COPY ... FROM STDIN (FORMAT BINARY, FREEZE)` (truncated in the same
transaction, so the rows are written frozen): SQLite reads, psycopg's C implementation encodes, PostgreSQL
parses binary values instead of text. Nothing is written to disk on the way (no spool files), and memory
stays flat (one fetch of rows at a time). Measured on the 1.5 M-row metrics table (docs/performance.md):
3.6 s, against 7.4 s for the text COPY formatted in Python and 3.4-4.0 s for Arrow through ADBC (whose
ingestion cannot write the rows frozen); the server-side COPY of a file, the ceiling, takes 1.1-1.9 s.

The preflight rides on that stream instead of reading the table a second time. Most bad values cannot pass
it at all: the encoder refuses a value of the wrong type (a BLOB in a text column, text in a number column)
and PostgreSQL refuses NULL in a NOT NULL column, a string too long for its varchar, invalid UTF-8 and NUL
bytes; the COPY then fails and the thorough preflight names every bad row of the store (plan.py). The few
values the encoder would take silently but wrongly (out of range for int2/int4/float4, a boolean other than
0 or 1) are flagged by the SELECT feeding the COPY, inside SQLite, which calls back into Python only for
such a row (`mig_flag`); the main process describes those rows afterwards. Foreign-key checks stay with the
background preflight (index lookups, not a second read of the rows).

Rows are read in the order of the index that presorts most of the table's indexes (metrics: (run_uuid,
key, step)), so PostgreSQL's sorts for those index builds find their input sorted; otherwise in rowid order.

Only tables whose every column has a binary form the stream can give exactly (text, varchar, char and enum
labels; int2/4/8; float4/8; bool; bytea) go this way; the others, small tables, the single-transaction path
and a run that skips rejected rows use the text COPY of `rows.row_stream` on the load's own connections.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_mod
import signal
import sqlite3
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .. import spawn
from ..artifacts import Rule
from ..errors import MigratorError
from ..schema import Column, Table, qlist
from ..schema import quote_ident as q
from .preflight import INT_RANGE, register_rewrite, value_expr
from .rows import FETCH

MIN_ROWS = 200_000  # below this a table is copied by the load's own connection (text COPY)
NARROW_ROW_BYTES = 256  # index-ordered reads only for tables whose rows are about this small
INDEX_ORDER_CACHE_KB = 64 << 10  # SQLite page cache of a worker reading in index order (random table reads)
REPORT_ROWS = 100_000  # progress (and a check that the main process is alive) every this many rows
MAX_FLAGGED = 100_000  # rows failing a check remembered by rowid; beyond, the table is scanned again whole

# PostgreSQL type -> the psycopg type whose binary form its receive function takes
BINARY_TYPES = {"text": "text", "varchar": "text", "bpchar": "text", "int2": "int2", "int4": "int4",
                "int8": "int8", "float4": "float4", "float8": "float8", "bool": "bool", "bytea": "bytea"}
KINDS = {"text": "text", "int2": "smallint", "int4": "int", "int8": "bigint", "float4": "float4",
         "float8": "float", "bool": "bool", "bytea": "bytes"}


@dataclass(frozen=True)
class DirectCopy:
    """What a worker needs to COPY one table (picklable: it crosses to the worker process)."""
    table: str
    columns: tuple[str, ...]
    types: tuple[str, ...]  # psycopg type names, one per column
    select: str  # the SELECT feeding the COPY (its WHERE flags the rows failing a check)
    order: tuple[str, ...] | None  # the index order the rows are read in, or None (rowid order)


class CopyRejected(Exception):
    """A worker's COPY failed on a value (PostgreSQL, the encoder or SQLite refused it): the caller runs the
    thorough preflight to name every bad row, and reports this only when it finds none."""


def _pg_types(conn: Any, table: str) -> dict[str, str]:
    rows = conn.exec_driver_sql(f"""
        SELECT a.attname, CASE WHEN t.typtype = 'e' THEN 'text' ELSE t.typname END
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = '{q(table)}'::regclass AND a.attnum > 0 AND NOT a.attisdropped""").all()
    return {name: typ for name, typ in rows}


def _column_sql(t: Table, c: Column, names: Sequence[str], rules: Sequence[Rule], text_affinity: bool) -> str:
    expr = value_expr(t.name, c.name, names, rules)
    if c.kind == "text" and not text_affinity:  # a number in such a column goes as SQLite's text of it, as in COPY text
        return f"CAST({expr} AS TEXT)"
    return expr  # a BLOB in a text column reaches the encoder as bytes, which it refuses


def _silent(c: Column) -> str | None:
    """An SQL condition true for the values of `c` that the binary encoder would take without a word but
    not as PostgreSQL would (psycopg's int4/int2 dumpers wrap around, float4 becomes infinity, any true value
    a boolean true). Every other bad value is refused on the way: the encoder raises on a value of the wrong
    type (a BLOB in a text column, text in a number column), PostgreSQL on NULL in a NOT NULL column, a
    string too long for its varchar, invalid UTF-8 or a NUL byte."""
    col = q(c.name)
    if c.kind in INT_RANGE:
        lo, hi = INT_RANGE[c.kind]
        return f"{col} NOT BETWEEN {lo} AND {hi}"
    if c.kind == "float4":
        return f"abs({col}) > 3.4028234663852886e38"
    if c.kind == "bool":
        return f"{col} NOT IN (0, 1)"
    return None


def plan(sconn: sqlite3.Connection, pg: Any, tables: dict[str, Table], rows: dict[str, int],
         source_cols: dict[str, list[str]], rules: Sequence[Rule]) -> dict[str, DirectCopy]:
    """A DirectCopy for every table of at least MIN_ROWS rows whose columns all have an exact binary form."""
    out: dict[str, DirectCopy] = {}
    for name, t in tables.items():
        if rows.get(name, 0) < MIN_ROWS:
            continue
        present = set(source_cols.get(name, []))
        cols = [c for c in t.columns if c.name in present]
        pg_types = _pg_types(pg, name)
        kinds = [(BINARY_TYPES.get(pg_types.get(c.name, "")), c) for c in cols]
        if not cols or any(b is None or KINDS[str(b)] != c.kind for b, c in kinds):
            continue
        try:
            sconn.execute(f"SELECT rowid FROM {q(name)} LIMIT 0")
        except sqlite3.Error:  # WITHOUT ROWID: the flagged rows could not be named by rowid
            continue
        names = [c.name for c in cols]
        declared = {r[1]: str(r[2]).upper() for r in sconn.execute(f"PRAGMA table_info({q(name)})")}
        exprs = ", ".join(_column_sql(t, c, names, rules, any(a in declared.get(c.name, "") for a in ("CHAR", "CLOB", "TEXT")))
                          for c in cols)
        checks = " OR ".join(f"({cond})" for cond in map(_silent, cols) if cond)
        where = f" WHERE CASE WHEN {checks} THEN mig_flag(rowid) ELSE 1 END" if checks else ""
        order = index_order(sconn, t)
        by = f" ORDER BY {qlist(order)}, rowid" if order else ""
        if order and _sorts(sconn, f"SELECT {exprs} FROM {q(name)}{by}"):
            order, by = None, ""
        out[name] = DirectCopy(name, tuple(names), tuple(str(b) for b, _c in kinds),
                               f"SELECT {exprs} FROM {q(name)}{where}{by or ' ORDER BY rowid'}", order)
    return out


def _sorts(sconn: sqlite3.Connection, sql: str) -> bool:
    """SQLite would sort the whole table (a temporary b-tree) instead of walking an index."""
    return any("TEMP B-TREE" in str(r[-1]) for r in sconn.execute("EXPLAIN QUERY PLAN " + sql))


def connect_args(engine: Any) -> dict[str, Any]:
    """libpq keywords of the staging schema's connections (search_path included), for psycopg 3; they reach the
    worker through its start-up pipe, never its command line."""
    _args, kwargs = engine.dialect.create_connect_args(engine.url)
    return {k: v for k, v in kwargs.items() if v is not None}


def _work(snap: str, conninfo: dict[str, Any], copy: DirectCopy, rules: tuple[Rule, ...], out: Any) -> None:
    spawn.quiet_worker()
    parent = os.getppid()
    try:
        import psycopg

        conn = sqlite3.connect(f"file:{snap}?mode=ro", uri=True)
        register_rewrite(conn, rules)
        if copy.order:
            conn.execute(f"PRAGMA cache_size = -{INDEX_ORDER_CACHE_KB}")
        flagged: list[int] = []
        overflow = [False]

        def flag(rowid: int) -> int:
            if len(flagged) < MAX_FLAGGED:
                flagged.append(rowid)
            else:
                overflow[0] = True
            return 1

        conn.create_function("mig_flag", 1, flag)
        with psycopg.connect(**conninfo, autocommit=True) as pg, pg.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute(f"TRUNCATE {q(copy.table)}")  # in this transaction: COPY may write the rows frozen
            sent = reported = 0
            with cur.copy(f"COPY {q(copy.table)} ({qlist(copy.columns)}) FROM STDIN WITH (FORMAT BINARY, FREEZE)") as cp:
                cp.set_types(list(copy.types))
                write = cp.write_row
                src = conn.execute(copy.select)
                while rows := src.fetchmany(FETCH):
                    for r in rows:
                        write(r)
                    sent += len(rows)
                    if sent - reported >= REPORT_ROWS:
                        if os.getppid() != parent:  # the main process is gone: its run is over
                            os._exit(1)
                        out.put(("rows", sent - reported))
                        reported = sent
            copied = cur.rowcount
            cur.execute("COMMIT")
        out.put(("rows", sent - reported))
        out.put(("done", copied, None if overflow[0] else flagged))
    except sqlite3.Error as e:
        out.put(("rejected", f"cannot read the source snapshot: {e}"))
    except BaseException as e:  # noqa: BLE001 - psycopg's errors and the encoder's: reported to the main process
        text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        out.put(("rejected", f"PostgreSQL rejected the copy of {copy.table}: {text}"))


def run(copy: DirectCopy, snap: str, conninfo: dict[str, Any], rules: Sequence[Rule],
        on_rows: Callable[[int], None], on_start: Callable[[Callable[[], None]], None]) -> tuple[int, list[int] | None]:
    """COPY one table in a worker process; returns (rows copied, rowids of rows failing a check, or None when
    there were too many to remember). `on_start` receives what stops the worker (a failure elsewhere)."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_work, daemon=True, name=f"migrator-copy-{copy.table}",
                       args=(snap, conninfo, copy, tuple(rules), out))
    with spawn.hidden_main():
        proc.start()
    on_start(proc.terminate)
    try:
        while True:
            try:
                msg = out.get(timeout=0.5)
            except queue_mod.Empty:
                if proc.exitcode is None:
                    continue
                try:  # what it put just before it ended
                    msg = out.get(timeout=0.5)
                except queue_mod.Empty:
                    if proc.exitcode in (130, -signal.SIGINT):
                        raise KeyboardInterrupt from None  # Ctrl-C reached the worker (the process group) first
                    spawn.raise_if_interrupted()
                    raise MigratorError(f"the worker copying {copy.table} stopped (exit {proc.exitcode}); "
                                        "nothing was written") from None
            if msg[0] == "rows":
                on_rows(msg[1])
            elif msg[0] == "done":
                return int(msg[1]), msg[2]
            else:
                raise CopyRejected(msg[1])
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(10)
        out.close()


def _indexes(sconn: sqlite3.Connection, table: str) -> list[tuple[str, ...]]:
    """Column lists of the table's plain indexes (ascending, BINARY collation, no expressions, not partial),
    automatic ones for PRIMARY KEY/UNIQUE included."""

    out = []
    for _seq, name, _unique, _origin, partial in sconn.execute(f"PRAGMA index_list({q(table)})").fetchall():
        cols: list[str] = []
        for _n, _cid, col, desc, coll, key in sconn.execute(f"PRAGMA index_xinfo({q(name)})").fetchall():
            if not key:
                continue
            if col is None or desc or str(coll).upper() != "BINARY":
                cols = []
                break
            cols.append(col)
        if cols and not partial:
            out.append(tuple(cols))
    return out


def index_order(sconn: sqlite3.Connection, table: Table) -> tuple[str, ...] | None:
    """The index order to read `table` in, so that the most of its indexes get presorted input.

    An order counts for every index whose columns are a prefix of it. Chosen only when it presorts at
    least two indexes, or one while covering every column (then reading it is a plain index scan), and
    only for narrow rows; otherwise None (rowid order: random reads of wide rows, or for the sake of a
    single index, do not pay).
    """

    widths = " + ".join(f"coalesce(length({q(c.name)}), 0)" for c in table.columns) or "0"
    width = sconn.execute(f"SELECT avg({widths}) FROM (SELECT * FROM {q(table.name)} LIMIT 2000)").fetchone()[0]
    if width is None or width > NARROW_ROW_BYTES:
        return None
    idx = _indexes(sconn, table.name)
    wanted = {c.name for c in table.columns}
    best: tuple[tuple[int, bool, int], tuple[str, ...]] | None = None
    for cols in idx:
        presorted = sum(1 for other in idx if cols[:len(other)] == other)
        covering = wanted <= set(cols)
        if presorted < 2 and not (presorted == 1 and covering):
            continue
        rank = (presorted, covering, -len(cols))
        if best is None or rank > best[0]:
            best = (rank, cols)
    return best[1] if best else None


__all__ = ["CopyRejected", "DirectCopy", "MIN_ROWS", "connect_args", "index_order", "plan", "run"]
