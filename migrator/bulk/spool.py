"""COPY text of the big tables, made ahead by worker processes.

Formatting rows for COPY is pure Python and bound to one core. As soon as the snapshot exists, worker
processes (one per core, each on its own slice of the snapshot) write the COPY text of each big
table into spool files in the snapshot's private temporary folder, while the main process is still
waiting for MLflow's migrations to create the target schema; the main process then streams the files
into COPY slice after slice, so the rows reach PostgreSQL in the order they were read.

That order is chosen for the index rebuild after the COPY: when the table has an index whose order
also sorts its other indexes (metrics: (run_uuid, key, step) sorts (run_uuid) too), the workers read
in that index's order, sliced by ranges of its leading column, and PostgreSQL's sorts for those
index builds find their input already sorted. Otherwise they read rowid ranges (the source order).
Memory stays flat (one spool file at a time in memory, a bounded SQLite page cache per worker);
temporary disk holds what COPY has not yet consumed.

The text is made with the exact code of the sequential path (rows.row_stream), from the *source*
columns; the main process uses it only when the target's columns (names, formatting kind, NOT NULL)
turn out the same, and otherwise formats the table itself.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import queue as queue_mod
import signal
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .. import spawn
from ..artifacts import Rule
from ..errors import MigratorError
from ..files import open_private
from ..schema import Column, Table
from ..schema import quote_ident as q
from .preflight import register_rewrite
from .rows import IndexSlice, row_stream

MIN_ROWS = 200_000  # below this a table is formatted in the main process
SPOOL_BYTES = 2 << 20
NARROW_ROW_BYTES = 256  # index-ordered reads only for tables whose rows are about this small
INDEX_ORDER_CACHE_KB = 64 << 10  # SQLite page cache of a worker reading in index order (random table reads)


def signature(cols: Sequence[Column]) -> list[tuple[str, str, bool]]:
    """What the COPY text of a column depends on."""
    def kind(k: str) -> str:
        if k in ("float", "float4"):
            return "float"
        if k in ("int", "smallint", "bigint"):
            return "int"
        return k if k in ("bool", "bytes") else "text"

    return [(c.name, kind(c.kind), bool(c.notnull)) for c in cols]


def _work(snap: str, table: Table, cols: list[Column], rules: tuple[Rule, ...], part: "tuple[int, int] | IndexSlice",
          outdir: str, index: int, q: Any) -> None:
    spawn.quiet_worker()
    try:
        parent = os.getppid()
        # behind the main process, whose work (MLflow's imports and migrations) is on the critical path
        os.nice(10)
        conn = sqlite3.connect(f"file:{snap}?mode=ro", uri=True)
        register_rewrite(conn, rules)
        tag = f"p{index}"
        if isinstance(part, IndexSlice):
            conn.execute(f"PRAGMA cache_size = -{INDEX_ORDER_CACHE_KB}")
            ranges: dict[str, Any] = {"index_slice": part}
        else:
            ranges = {"rowid_range": part}
        rows = [0]
        seq = 0
        f = None
        size = 0
        path = ""
        for text in row_stream(conn, table, cols, rules, False, lambda n: rows.__setitem__(0, rows[0] + n), **ranges):
            if f is None:
                path = os.path.join(outdir, f"{tag}-{seq:06d}.copy")
                seq += 1
                f = open_private(Path(path), "wb")
                size = 0
            if os.getppid() != parent:  # the main process was killed: stop, leave nothing behind
                f.close()
                for leftover in Path(outdir).glob(f"{tag}-*.copy"):
                    leftover.unlink(missing_ok=True)
                return
            data = text.encode("utf-8")
            f.write(data)
            size += len(data)
            if size >= SPOOL_BYTES:
                f.close()
                f = None
                q.put(("chunk", index, path, rows[0]))
                rows[0] = 0
        if f is not None:
            f.close()
            q.put(("chunk", index, path, rows[0]))
        conn.close()
        q.put(("done", index))
    except sqlite3.Error as e:
        q.put(("sqlite_error", str(e)))
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            q.put(("full", f"the temporary folder {Path(outdir).parent.parent} filled up while rows of {table.name} were "
                           f"formatted for COPY ({e.strerror}); free space there, or give --tmpdir (or TMPDIR) a "
                           "folder with room; nothing was written"))
        else:
            q.put(("error", f"{type(e).__name__}: {e}"))
    except BaseException as e:  # noqa: BLE001 - reported to the main process
        q.put(("error", f"{type(e).__name__}: {e}"))


class Spool:
    """Worker processes formatting one table, one slice each; `stream()` yields their spool files' bytes,
    slice after slice (the order the rows were read in)."""

    def __init__(self, snap: Path, table: Table, cols: list[Column], rules: Sequence[Rule],
                 parts: "Sequence[tuple[int, int] | IndexSlice]") -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.table = table.name
        self.closed = False
        self._unlinker = ThreadPoolExecutor(1, thread_name_prefix="migrator-unlink")
        self.columns = [c.name for c in cols]  # the COPY column list, in the order of the text
        self.signature = signature(cols)
        self.failure: MigratorError | None = None  # why a worker stopped (the COPY reading it reports it otherwise)
        self.order = parts[0].columns if parts and isinstance(parts[0], IndexSlice) else None
        self.dir = snap.parent / f"spool-{table.name}"
        self.dir.mkdir(mode=0o700, exist_ok=True)
        ctx = multiprocessing.get_context("spawn")
        self.q = ctx.Queue()
        self.procs = [ctx.Process(target=_work, daemon=True, name=f"migrator-format-{table.name}-{i}",
                                  args=(str(snap), table, cols, tuple(rules), part, str(self.dir), i, self.q))
                      for i, part in enumerate(parts)]

        with spawn.hidden_main():
            for p in self.procs:
                p.start()

    def matches(self, cols: Sequence[Column]) -> bool:
        """The target's columns format exactly like the source's (column order may differ)."""
        return sorted(signature(cols)) == sorted(self.signature)

    def stream(self, on_rows: Callable[[int], None]) -> Iterator[bytes]:
        waiting: list[list[tuple[str, int]]] = [[] for _ in self.procs]  # finished files, per slice
        done: set[int] = set()
        current = 0
        while current < len(self.procs):
            if waiting[current]:
                path_s, n = waiting[current].pop(0)
                path = Path(path_s)
                data = path.read_bytes()
                self._unlinker.submit(path.unlink, missing_ok=True)  # freeing page cache takes a few ms
                yield data
                on_rows(n)
                continue
            if current in done:
                current += 1
                continue
            try:
                msg = self.q.get(timeout=0.5)
            except queue_mod.Empty:
                dead = [p for p in self.procs if p.exitcode not in (None, 0)]
                if any(p.exitcode in (130, -signal.SIGINT) for p in dead):
                    raise KeyboardInterrupt from None  # Ctrl-C reached the worker (the process group) first
                if dead:
                    spawn.raise_if_interrupted()
                    raise MigratorError(f"a worker formatting {self.table} stopped (exit {dead[0].exitcode}); "
                                        "nothing was written") from None
                continue
            if msg[0] == "chunk":
                waiting[msg[1]].append((msg[2], msg[3]))
            elif msg[0] == "done":
                done.add(msg[1])
            elif msg[0] == "sqlite_error":
                raise sqlite3.OperationalError(msg[1])
            elif msg[0] == "full":
                self.failure = MigratorError(msg[1])
                raise self.failure
            else:
                self.failure = MigratorError(f"a worker formatting {self.table} failed: {msg[1]}; nothing was written")
                raise self.failure

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for p in self.procs:
            if p.is_alive():
                p.terminate()
        for p in self.procs:
            p.join(10)
        self.q.close()
        self._unlinker.shutdown(wait=True)
        for f in self.dir.glob("*.copy"):
            f.unlink(missing_ok=True)


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


def index_slices(sconn: sqlite3.Connection, table: Table, order: tuple[str, ...], nproc: int) -> list[IndexSlice] | None:
    """`nproc` slices of about equal size by ranges of the order's first column, or None when that column
    holds NULLs or SQLite would sort instead of walking the index."""

    lead, name = q(order[0]), q(table.name)
    if sconn.execute(f"SELECT 1 FROM {name} WHERE {lead} IS NULL LIMIT 1").fetchone():
        return None
    n = sconn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
    bounds: list[Any] = []
    for i in range(1, nproc):
        row = sconn.execute(f"SELECT {lead} FROM {name} ORDER BY {lead} LIMIT 1 OFFSET ?", (n * i // nproc,)).fetchone()
        if row is not None and (not bounds or row[0] != bounds[-1]):  # sorted: != is >, across types too
            bounds.append(row[0])
    edges = [None, *bounds, None]
    slices = [IndexSlice(order, lo, hi) for lo, hi in zip(edges, edges[1:])]
    for sl in slices:
        cond, params = sl.where()
        plan = sconn.execute(f"EXPLAIN QUERY PLAN SELECT rowid, * FROM {name}"
                             + (" WHERE " + " AND ".join(cond) if cond else "") + sl.order_by(), params).fetchall()
        if any("TEMP B-TREE" in str(r[-1]) for r in plan):
            return None
    return slices


def start_spools(sconn: sqlite3.Connection, snap: Path, tables: dict[str, Table], rules: Sequence[Rule],
                 nproc: int | None = None) -> dict[str, Spool]:
    """A Spool for every table of at least MIN_ROWS rows (by rowid span; exact counts come later)."""
    nproc = nproc or max(1, min(4, os.cpu_count() or 1))
    spools: dict[str, Spool] = {}
    if nproc < 2:
        return spools

    for name, t in tables.items():
        try:  # WITHOUT ROWID tables fail here and are formatted by the main process
            lo, hi = sconn.execute(f"SELECT min(rowid), max(rowid) FROM {q(name)}").fetchone()
        except sqlite3.Error:
            continue
        if lo is None or hi - lo + 1 < MIN_ROWS:  # the rowid span: no scan (gaps only make a spool wasteful)
            continue
        order = index_order(sconn, t)
        parts: Sequence[tuple[int, int] | IndexSlice] | None = index_slices(sconn, t, order, nproc) if order else None
        if parts is None:
            step = (hi - lo) // nproc + 1
            spans = [(lo + i * step, min(hi, lo + (i + 1) * step - 1)) for i in range(nproc)]
            parts = [(a, b) for a, b in spans if a <= b]
        spools[name] = Spool(snap, t, t.columns, rules, parts)  # sqlite_tables leaves generated columns out
    return spools
