"""COPY text of the big tables, made ahead by worker processes.

Formatting rows for COPY is pure Python and bound to one core. As soon as the snapshot exists, worker
processes (one per core, each on its own rowid range of the snapshot) write the COPY text of each big
table into spool files in the snapshot's private temporary folder, while the main process is still
waiting for MLflow's migrations to create the target schema; the main process then streams the files
into COPY in the order they are finished (row order does not matter: keys are rebuilt afterwards).
Memory stays flat (one spool file at a time in memory); temporary disk holds what COPY has not yet
consumed.

The text is made with the exact code of the sequential path (copy_sql.row_stream), from the *source*
columns; the main process uses it only when the target's columns (names, formatting kind, NOT NULL)
turn out the same, and otherwise formats the table itself.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_mod
import sqlite3
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .artifacts import Rule
from .errors import MigratorError
from .schema import Column, Table

MIN_ROWS = 200_000  # below this a table is formatted in the main process
SPOOL_BYTES = 2 << 20


def signature(cols: Sequence[Column]) -> list[tuple[str, str, bool]]:
    """What the COPY text of a column depends on."""
    def kind(k: str) -> str:
        if k in ("float", "float4"):
            return "float"
        if k in ("int", "smallint", "bigint"):
            return "int"
        return k if k in ("bool", "bytes") else "text"

    return [(c.name, kind(c.kind), bool(c.notnull)) for c in cols]


def _work(snap: str, table: Table, cols: list[Column], rules: tuple[Rule, ...], lo: int, hi: int, outdir: str,
          tag: str, q: Any) -> None:
    try:
        from .copy_sql import row_stream
        from .preflight import register_rewrite

        parent = os.getppid()
        # behind the main process, whose work (MLflow's imports and migrations) is on the critical path
        os.nice(10)
        conn = sqlite3.connect(f"file:{snap}?mode=ro", uri=True)
        register_rewrite(conn, rules)
        rows = [0]
        seq = 0
        f = None
        size = 0
        path = ""
        for text in row_stream(conn, table, cols, rules, False, lambda n: rows.__setitem__(0, rows[0] + n), (lo, hi)):
            if f is None:
                path = os.path.join(outdir, f"{tag}-{seq:06d}.copy")
                seq += 1
                f = open(path, "wb")
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
                q.put(("chunk", path, rows[0]))
                rows[0] = 0
        if f is not None:
            f.close()
            q.put(("chunk", path, rows[0]))
        conn.close()
        q.put(("done", tag))
    except sqlite3.Error as e:
        q.put(("sqlite_error", str(e)))
    except BaseException as e:  # noqa: BLE001 - reported to the main process
        q.put(("error", f"{type(e).__name__}: {e}"))


class Spool:
    """Worker processes formatting one table; `stream()` yields their finished spool files' bytes."""

    def __init__(self, snap: Path, table: Table, cols: list[Column], rules: Sequence[Rule], lo: int, hi: int,
                 nproc: int) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.table = table.name
        self.closed = False
        self._unlinker = ThreadPoolExecutor(1, thread_name_prefix="migrator-unlink")
        self.columns = [c.name for c in cols]  # the COPY column list, in the order of the text
        self.signature = signature(cols)
        self.dir = snap.parent / f"spool-{table.name}"
        self.dir.mkdir(mode=0o700, exist_ok=True)
        ctx = multiprocessing.get_context("spawn")
        self.q = ctx.Queue()
        step = (hi - lo) // nproc + 1
        ranges = [(lo + i * step, min(hi, lo + (i + 1) * step - 1)) for i in range(nproc)]
        self.procs = [ctx.Process(target=_work, daemon=True, name=f"migrator-format-{table.name}-{i}",
                                  args=(str(snap), table, cols, tuple(rules), a, b, str(self.dir), f"p{i}", self.q))
                      for i, (a, b) in enumerate(ranges) if a <= b]
        from ._spawn import hidden_main

        with hidden_main():
            for p in self.procs:
                p.start()

    def matches(self, cols: Sequence[Column]) -> bool:
        """The target's columns format exactly like the source's (column order may differ)."""
        return sorted(signature(cols)) == sorted(self.signature)

    def stream(self, on_rows: Callable[[int], None]) -> Iterator[bytes]:
        done = 0
        while done < len(self.procs):
            try:
                msg = self.q.get(timeout=0.5)
            except queue_mod.Empty:
                dead = [p for p in self.procs if p.exitcode not in (None, 0)]
                if dead:
                    raise MigratorError(f"a worker formatting {self.table} stopped (exit {dead[0].exitcode}); "
                                        "nothing was written") from None
                continue
            if msg[0] == "chunk":
                path = Path(msg[1])
                data = path.read_bytes()
                self._unlinker.submit(path.unlink, missing_ok=True)  # freeing page cache takes a few ms
                yield data
                on_rows(msg[2])
            elif msg[0] == "done":
                done += 1
            elif msg[0] == "sqlite_error":
                raise sqlite3.OperationalError(msg[1])
            else:
                raise MigratorError(f"a worker formatting {self.table} failed: {msg[1]}; nothing was written")

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


def start_spools(sconn: sqlite3.Connection, snap: Path, tables: dict[str, Table], rules: Sequence[Rule],
                 nproc: int | None = None) -> dict[str, Spool]:
    """A Spool for every table of at least MIN_ROWS rows (by rowid span; exact counts come later)."""
    nproc = nproc or max(1, min(4, os.cpu_count() or 1))
    spools: dict[str, Spool] = {}
    if nproc < 2:
        return spools
    from .schema import quote_ident as q

    for name, t in tables.items():
        try:  # WITHOUT ROWID tables fail here and are formatted by the main process
            lo, hi = sconn.execute(f"SELECT min(rowid), max(rowid) FROM {q(name)}").fetchone()
        except sqlite3.Error:
            continue
        if lo is None or hi - lo + 1 < MIN_ROWS:  # the rowid span: no scan (gaps only make a spool wasteful)
            continue
        spools[name] = Spool(snap, t, t.columns, rules, lo, hi, nproc)  # sqlite_tables leaves generated columns out
    return spools
