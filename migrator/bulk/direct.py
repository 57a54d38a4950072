"""The big tables: one pass, binary COPY, the rows encoded by reader processes side by side.

A big table is cut into segments of about 50 k rows, by ranges of the order it is read in. Reader
processes (one per core, at most 4) take the next segment whoever is free: each opens the snapshot
read-only, reads a segment and encodes it in PostgreSQL's binary COPY format, into memory. When a single big
table is copied, its first reader goes through ADBC's SQLite driver and Arrow (stores/arrow_copy.py: no
Python object per value, 0.8 against 1.5 CPU-s a million metric rows), the others through psycopg 3's C dumpers (an Arrow process holds ~150 MB
against ~65 MB); a segment with a value of a storage class Arrow's path does not take is encoded by
psycopg, to the same bytes. One thread of the main process sends the segments in order into a single
`COPY ... FROM STDIN (FORMAT BINARY, FREEZE)`, after a `TRUNCATE` in the same transaction, so the rows are
written frozen and in the read order. At most two segments a reader are encoded and not yet written, so
memory stays flat. Nothing is written to disk on the way (no spool files).

Measured on the 1.5 M-row metrics table (docs/performance.md):
- the binary encoding: 3.6 s in one process, against 7.4 s for the text COPY formatted in Python, and
  3.4-4.0 s for Arrow through ADBC (whose ingestion cannot write the rows frozen);
- the server-side COPY of a file, the ceiling: 1.1-1.9 s;
- two parallel COPYs of rowid ranges were not kept: their rows are not frozen, the first index build writes
  every page again, and the whole was slower.

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
Each row read in that order is a lookup from the index into the table: cheap where the rows of a run sit
together (logged run by run, or a few runs at a time: the usual layout), a random read of the table where
they do not. So the index order is taken only where a probe finds the table clustered by it (`_clustered`);
otherwise rowid order.

Only tables whose every column has a binary form the stream can give exactly (text, varchar, char and enum
labels; int2/4/8; float4/8; bool; bytea) go this way; the others, small tables, the single-transaction path
and a run that skips rejected rows use the text COPY of `rows.row_stream` on the load's own connections.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_mod
import random
import signal
import sqlite3
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from .. import spawn
from ..artifacts import Rule
from ..errors import MigratorError
from ..schema import Column, Table, qlist
from ..schema import quote_ident as q
from ..stores import arrow_copy, sqlite_db
from ..stores.binary_copy import SIGNATURE, TRAILER, binary_types, formatter, pg_types, silent
from .preflight import register_rewrite, value_expr
from .rows import FETCH

MIN_ROWS = 200_000  # below this a table is copied by the load's own connection (text COPY)
NARROW_ROW_BYTES = 256  # index-ordered reads only for tables whose rows are about this small
INDEX_ORDER_CACHE_KB = 16 << 10  # SQLite page cache of a reader in index order (64 MB measured no faster)
MAX_SEGMENTS = 10_000  # a table of more than 500 M rows gets longer segments, not more of them
SEGMENT_ROWS = 50_000  # rows a reader encodes at a time (about 4.5 MB of metrics in binary COPY format)
CREDITS = 2  # segments a reader may have encoded ahead of the writer (memory stays flat)
READERS = max(1, min(4, os.cpu_count() or 1))  # reader processes of one table
BLOCK_ROWIDS = 32  # rowids about one page of a narrow table holds (~40 metric rows a 4 kB page)
MAX_FLAGGED = 100_000  # rows failing a check remembered by rowid; beyond, the table is scanned again whole
ARROW = os.environ.get("MIGRATOR_ARROW_COPY", "1") != "0" and arrow_copy.available()  # 0: psycopg encodes all (benches)
# readers of a table that go through ADBC and Arrow (the others through psycopg; plan() gives Arrow to a single
# big table only): each such process holds ~150 MB (Arrow's compute registry alone ~45 MB) against ~65 MB,
# so one keeps the tree under 400 MB
ARROW_READERS = int(os.environ.get("MIGRATOR_ARROW_READERS", "1"))

@dataclass(frozen=True)
class DirectCopy:
    """What the readers need to encode one table (picklable: it crosses to the reader processes)."""
    table: str
    columns: tuple[str, ...]
    types: tuple[str, ...]  # psycopg type names, one per column
    exprs: str  # the SELECT list
    flag: str  # an SQL condition true for a row the encoder would take silently but wrongly ("": none)
    order: tuple[str, ...] | None  # the index order the rows are read in, or None (rowid order)
    segments: tuple[tuple[Any, Any], ...]  # [lo, hi) of order[0] (or of rowid); None: open
    odd: str = ""  # SQL true for a row arrow_copy does not encode; "": that path is not taken for this table

    def segment_sql(self, k: int) -> tuple[str, list[Any]]:
        return self._sql(k, self.exprs, bool(self.flag))

    def arrow_sql(self, k: int) -> tuple[str, list[Any]]:
        """The segment for arrow_copy: the values, then whether the row is odd, then its rowid if flagged."""
        marks = f"CASE WHEN {self.flag} THEN rowid END" if self.flag else "NULL"
        return self._sql(k, f"{self.exprs}, ({self.odd}) AS {arrow_copy.ODD}, {marks} AS {arrow_copy.FLAGGED}", False)

    def _sql(self, k: int, exprs: str, flag: bool) -> tuple[str, list[Any]]:
        lo, hi = self.segments[k]
        col = q(self.order[0]) if self.order else "rowid"
        conds, params = [], []
        if lo is not None:
            conds.append(f"{col} >= ?")
            params.append(lo)
        if hi is not None:
            conds.append(f"{col} < ?")
            params.append(hi)
        if flag:
            conds.append(f"CASE WHEN {self.flag} THEN mig_flag(rowid) ELSE 1 END")
        by = f" ORDER BY {qlist(self.order)}, rowid" if self.order else " ORDER BY rowid"
        return f"SELECT {exprs} FROM {q(self.table)}" + (" WHERE " + " AND ".join(conds) if conds else "") + by, params


class CopyRejected(Exception):
    """A worker's COPY failed on a value (PostgreSQL, the encoder or SQLite refused it): the caller runs the
    thorough preflight to name every bad row, and reports this only when it finds none."""


def _column_sql(t: Table, c: Column, names: Sequence[str], rules: Sequence[Rule], text_affinity: bool) -> str:
    expr = value_expr(t.name, c.name, names, rules)
    if c.kind == "text" and not text_affinity:  # a number in such a column goes as SQLite's text of it, as in COPY text
        return f"CAST({expr} AS TEXT)"
    return expr  # a BLOB in a text column reaches the encoder as bytes, which it refuses


def plan(sconn: sqlite3.Connection, pg: Any, tables: dict[str, Table], rows: dict[str, int],
         source_cols: dict[str, list[str]], rules: Sequence[Rule]) -> dict[str, DirectCopy]:
    """A DirectCopy for every table of at least MIN_ROWS rows whose columns all have an exact binary form."""
    out: dict[str, DirectCopy] = {}
    for name, t in tables.items():
        if rows.get(name, 0) < MIN_ROWS:
            continue
        present = set(source_cols.get(name, []))
        cols = [c for c in t.columns if c.name in present]
        types = binary_types(cols, pg_types(pg, name))
        if not cols or types is None:
            continue
        try:
            sconn.execute(f"SELECT rowid FROM {q(name)} LIMIT 0")
        except sqlite3.Error:  # WITHOUT ROWID: the flagged rows could not be named by rowid
            continue
        names = [c.name for c in cols]
        declared = {r[1]: str(r[2]).upper() for r in sconn.execute(f"PRAGMA table_info({q(name)})")}
        each = [_column_sql(t, c, names, rules, any(a in declared.get(c.name, "") for a in ("CHAR", "CLOB", "TEXT")))
                for c in cols]
        exprs = ", ".join(each)
        # arrow_copy cannot call back into Python (the artifact rewrite rules)
        odd = arrow_copy.odd_sql(each, types) if ARROW and not any("mig_rewrite" in e for e in each) else ""
        flag = " OR ".join(f"({cond})" for cond in map(silent, cols) if cond)
        order = index_order(sconn, t)
        count = rows[name]
        if order is not None and not _clustered(sconn, name, order):
            order = None
        segments = _key_segments(sconn, name, order, count) if order else None
        if segments is None:
            order, segments = None, _rowid_segments(sconn, name, count)
        out[name] = DirectCopy(name, tuple(names), tuple(types), exprs, flag, order,
                               tuple(segments), odd)
    if len(out) > 1:  # big tables copied side by side already share the cores; an Arrow reader each would
        out = {k: replace(v, odd="") for k, v in out.items()}  # take the tree past 400 MB (measured: 441-525)
    return out


def _rowid_segments(sconn: sqlite3.Connection, table: str, rows: int) -> list[tuple[Any, Any]]:
    lo, hi = sqlite_db.rowid_bounds(sconn, table)
    n = min(MAX_SEGMENTS, max(1, -(-rows // SEGMENT_ROWS)))
    if lo is None or n == 1:
        return [(None, None)]
    step = -(-(hi - lo + 1) // n)
    bounds = [lo + i * step for i in range(1, n)]
    edges: list[Any] = [None, *bounds, None]
    return list(zip(edges, edges[1:]))


def _key_segments(sconn: sqlite3.Connection, table: str, order: tuple[str, ...], rows: int) -> list[tuple[Any, Any]] | None:
    """Ranges of the order's first column holding about SEGMENT_ROWS rows each (bounds from a sample of rows,
    sorted by SQLite, so by the index's own order); None when that column holds NULLs or SQLite would sort
    instead of walking the index."""
    lead, name = q(order[0]), q(table)
    if sconn.execute(f"SELECT 1 FROM {name} WHERE {lead} IS NULL LIMIT 1").fetchone():
        return None
    probe = DirectCopy(table, (), (), "*", "", order, ((0, 1),))
    if _sorts(sconn, *probe.segment_sql(0)):
        return None
    n = min(MAX_SEGMENTS, max(1, -(-rows // SEGMENT_ROWS)))
    if n == 1:
        return [(None, None)]
    lo, hi = sqlite_db.rowid_bounds(sconn, table)
    rng = random.Random(0)
    picks = sorted({rng.randint(lo, hi) for _ in range(min(n * 32, 50_000))})
    sample = [r[0] for r in sconn.execute(f"SELECT {lead} FROM {name} WHERE rowid IN ({','.join(map(str, picks))}) "
                                          f"ORDER BY {lead}")]
    bounds: list[Any] = []
    for i in range(1, n):
        b = sample[len(sample) * i // n] if sample else None
        if b is not None and (not bounds or b != bounds[-1]):  # sorted by SQLite: != is >, across types too
            bounds.append(b)
    edges: list[Any] = [None, *bounds, None]
    return list(zip(edges, edges[1:]))


def _clustered(sconn: sqlite3.Connection, table: str, order: tuple[str, ...], probes: int = 8,
               run: int = 2_000) -> bool:
    """Whether rows next to each other in the index's order mostly sit together in the table too: within
    `run` rows read in that order from `probes` random places, at least 4 rows on average fall in each block of
    BLOCK_ROWIDS rowids (about a page of a narrow table). Then reading in that order costs little more than a
    plain scan (a run's rows logged together, the usual layout). Otherwise nearly every row is a random read
    of the table: measured on a 15 M-row metrics table laid out in another index's order, the COPY took 29 s
    in index order against about 12 s in rowid order, and the index builds (external sorts at that size) were
    no faster for their presorted input."""
    lead, name = q(order[0]), q(table)
    lo, hi = sqlite_db.rowid_bounds(sconn, table)
    if lo is None:
        return True
    rng = random.Random(1)
    rows = blocks = 0
    sql = f"SELECT rowid FROM {name} WHERE {lead} >= ? ORDER BY {qlist(order)} LIMIT {run}"
    for _ in range(probes):
        start = sconn.execute(f"SELECT {lead} FROM {name} WHERE rowid >= ? ORDER BY rowid LIMIT 1",
                              (rng.randint(lo, hi),)).fetchone()
        if start is None or start[0] is None:
            continue
        ids = [r[0] for r in sconn.execute(sql, (start[0],))]
        rows += len(ids)
        blocks += len({i // BLOCK_ROWIDS for i in ids})
    return rows == 0 or blocks * 4 <= rows


def _sorts(sconn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> bool:
    """SQLite would sort the rows (a temporary b-tree) instead of walking an index."""
    return any("TEMP B-TREE" in str(r[-1]) for r in sconn.execute("EXPLAIN QUERY PLAN " + sql, params))


def connect_args(engine: Any) -> dict[str, Any]:
    """libpq keywords of the staging schema's connections (search_path included), for psycopg 3; they reach the
    worker through its start-up pipe, never its command line."""
    _args, kwargs = engine.dialect.create_connect_args(engine.url)
    return {k: v for k, v in kwargs.items() if v is not None}


def _read(snap: str, copy: DirectCopy, rules: tuple[Rule, ...], arrow: bool, turn: Any,
          credits: Any, out: Any) -> None:
    """A reader process: encode the next segment of the table not yet taken (`turn`) in binary COPY format, into memory, each once the
    writer has room for it: through ADBC and Arrow (stores/arrow_copy.py) where every value of the segment
    has its column's storage class, otherwise by psycopg 3's C dumpers (UTF-8 text, as the writer's
    connection declares). No connection to PostgreSQL."""
    spawn.quiet_worker()
    parent = os.getppid()
    try:
        conn = sqlite3.connect(sqlite_db.ro_uri(snap), uri=True)
        register_rewrite(conn, rules)
        if copy.order:
            conn.execute(f"PRAGMA cache_size = -{INDEX_ORDER_CACHE_KB}")
        flagged: list[int] = []

        def flag(rowid: int) -> int:
            flagged.append(rowid)
            return 1

        conn.create_function("mig_flag", 1, flag)
        fast = arrow_copy.connect(sqlite_db.ro_uri(snap), lean=True) if arrow and copy.odd else None
        while True:
            while not credits.acquire(timeout=1):
                if os.getppid() != parent:  # the main process is gone: its run is over
                    os._exit(1)
            with turn.get_lock():  # the next segment, whoever is free (the faster reader takes more)
                k = turn.value
                turn.value += 1
            if k >= len(copy.segments):
                return
            if fast is not None:
                sql, params = copy.arrow_sql(k)
                done = arrow_copy.encode(fast, sql, params, copy.types, SEGMENT_ROWS)
                if done is not None:
                    out.put(("segment", k, done[0], done[1], done[2] if len(done[2]) <= MAX_FLAGGED else None))
                    del done
                    continue
            sql, params = copy.segment_sql(k)
            flagged.clear()
            fmt = formatter(copy.types)  # psycopg 3's C dumpers (imported here: only a segment arrow_copy hands back)
            write = fmt.write_row
            buf = bytearray()
            sent = 0
            src = conn.execute(sql, params)
            while rows := src.fetchmany(FETCH):
                for r in rows:
                    buf += write(r)
                sent += len(rows)
            buf += fmt.end()
            if bytes(buf[:len(SIGNATURE)]) != SIGNATURE or bytes(buf[-len(TRAILER):]) != TRAILER:
                raise RuntimeError("psycopg wrote an unexpected binary COPY header or trailer")
            out.put(("segment", k, bytes(memoryview(buf)[len(SIGNATURE):-len(TRAILER)]), sent,
                     flagged[:MAX_FLAGGED] if len(flagged) <= MAX_FLAGGED else None))
            del buf
    except sqlite3.Error as e:
        out.put(("rejected", f"cannot read the source snapshot: {e}"))
    except BaseException as e:  # noqa: BLE001 - psycopg's errors and the encoder's: reported to the main process
        text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        out.put(("rejected", f"PostgreSQL rejected the copy of {copy.table}: {text}"))


def run(copy: DirectCopy, snap: str, conninfo: dict[str, Any], rules: Sequence[Rule],
        on_rows: Callable[[int], None], on_start: Callable[[Callable[[], None]], None]) -> tuple[int, list[int] | None]:
    """COPY one table: reader processes (one per core, at most 4) encode its segments side by side, and this
    thread sends them to PostgreSQL in order, in one `COPY ... (FORMAT BINARY, FREEZE)` after a `TRUNCATE`
    in the same transaction (so the rows arrive frozen and in the index's order). Returns (rows copied,
    rowids of rows failing a check, or None when there were too many to remember). `on_start` receives
    what stops the readers (a failure elsewhere)."""
    import psycopg

    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    n = max(1, min(len(copy.segments), READERS))
    arrow = min(n, ARROW_READERS) if copy.odd else 0
    # a segment's credit is taken before its number and given back once it is written: at most n * CREDITS
    # segments are encoded and not yet written, and the lowest one not written is always being encoded
    credits = ctx.Semaphore(n * CREDITS)
    turn = ctx.Value("q", 0)
    procs = [ctx.Process(target=_read, daemon=True, name=f"migrator-copy-{copy.table}-{i}",
                         args=(snap, copy, tuple(rules), i < arrow, turn, credits, out))
             for i in range(n)]
    with spawn.hidden_main():
        for p in procs:
            p.start()

    def stop() -> None:
        for p in procs:
            if p.is_alive():
                p.terminate()

    on_start(stop)
    flagged: list[int] | None = []
    pending: dict[int, tuple] = {}
    try:
        # the readers encode text as UTF-8 whatever the database's encoding (PostgreSQL converts it, or refuses)
        with psycopg.connect(**{**conninfo, "client_encoding": "UTF8"}, autocommit=True) as pg, pg.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute(f"TRUNCATE {q(copy.table)}")  # in this transaction: COPY may write the rows frozen
            with cur.copy(f"COPY {q(copy.table)} ({qlist(copy.columns)}) FROM STDIN WITH (FORMAT BINARY, FREEZE)") as cp:
                cp.write(SIGNATURE)
                for k in range(len(copy.segments)):
                    while k not in pending:
                        msg = _next(out, procs, copy.table)
                        if msg[0] == "rejected":
                            raise CopyRejected(msg[1])
                        pending[msg[1]] = msg
                    _tag, _k, data, sent, rids = pending.pop(k)
                    cp.write(data)
                    del data
                    credits.release()
                    on_rows(sent)
                    if flagged is not None:
                        flagged = None if rids is None or len(flagged) + len(rids) > MAX_FLAGGED else flagged + rids
                cp.write(TRAILER)
            copied = cur.rowcount
            cur.execute("COMMIT")
        return int(copied), flagged
    except psycopg.Error as e:  # a value PostgreSQL refused (the preflight then names the rows)
        text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise CopyRejected(f"PostgreSQL rejected the copy of {copy.table}: {text}") from None
    finally:
        stop()
        for p in procs:
            p.join(10)
        out.close()


def _next(out: Any, procs: list[Any], table: str) -> tuple:
    """The next message of the readers; a reader that died without one is an error (Ctrl-C: an interrupt)."""
    while True:
        try:
            return out.get(timeout=0.5)
        except queue_mod.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if not dead:
                continue
            try:  # what it put just before it ended
                return out.get(timeout=0.5)
            except queue_mod.Empty:
                if any(p.exitcode in (130, -signal.SIGINT) for p in dead):
                    raise KeyboardInterrupt from None  # Ctrl-C reached the workers (the process group) first
                spawn.raise_if_interrupted()
                raise MigratorError(f"a worker copying {table} stopped (exit {dead[0].exitcode}); "
                                    "nothing was written") from None


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
