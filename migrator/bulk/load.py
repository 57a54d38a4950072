"""Load the tables: drop what slows COPY down, COPY every table, rebuild under the same names, set sequences.

The COPYs, and then the index, key and foreign-key builds, run as tasks over several connections
(`parallel.run_tasks`) when the load goes into a staging schema; on the single-transaction path
(`--jobs 1`, or no right to create a schema) the same tasks run one after the other on its connection."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .. import schema
from ..errors import MigratorError
from ..schema import Table, qlist
from ..schema import quote_ident as q
from ..stores import pg_db, sqlite_db
from . import direct
from .parallel import Connections, Task, run_tasks
from .plan import check_problems
from .result import Job
from .rows import ChunkReader, row_stream, source_columns_of
from .staging import MAINTENANCE_MB

if TYPE_CHECKING:  # SQLAlchemy and psycopg2 load on first use: copy workers (direct.py) import this package too
    import sqlalchemy as sa

BIG_TABLE_ROWS = 20_000  # above this, drop indexes during COPY and rebuild them after


@dataclass
class Rebuild:
    """DDL that restores a dropped constraint or index; `presorted`: the heap is already in its order."""
    ddl: str
    table: str = ""
    presorted: bool = False
    refs: str = ""  # a foreign key: the table it references
    name: str = ""

def drop_for_load(conn: sa.Connection, big: Sequence[str],
                   orders: dict[str, tuple[str, ...]] | None = None) -> list[Rebuild]:
    """Drop every FK, and PK/unique/indexes of the big tables; return what restores them.

    `orders`: tables whose rows will arrive sorted by these columns (byte order); an index whose key is a
    prefix of that order, on NOT NULL columns that sort by bytes in PostgreSQL too, is marked presorted.
    """
    orders = orders or {}
    fk_rows = conn.exec_driver_sql("""
        SELECT c.relname, k.conname, pg_get_constraintdef(k.oid), r.relname
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_class r ON r.oid = k.confrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND k.contype = 'f' ORDER BY 1, 2""").all()
    restore_fk = [Rebuild(f"ALTER TABLE {q(t)} ADD CONSTRAINT {q(n)} {d}", t, refs=r, name=n)
                  for t, n, d, r in fk_rows]
    for t, n, _d, _r in fk_rows:
        conn.exec_driver_sql(f"ALTER TABLE {q(t)} DROP CONSTRAINT {q(n)}")
    restore_keys: list[Rebuild] = []
    restore_idx: list[Rebuild] = []
    byte_order = pg_db.byte_order_collations(conn) if orders else set()
    for t in big:
        rows = conn.exec_driver_sql(f"""
            SELECT ic.relname, k.conname,
                   CASE WHEN k.oid IS NULL THEN pg_get_indexdef(i.indexrelid) ELSE pg_get_constraintdef(k.oid) END,
                   (SELECT array_agg(a.attname::text ORDER BY c.n) FROM unnest(i.indkey::int2[]) WITH ORDINALITY
                      AS c(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = c.attnum
                    WHERE c.n <= i.indnkeyatts AND a.attnotnull),
                   i.indnkeyatts, i.indcollation::oid[], i.indoption::int2[],
                   i.indexprs IS NULL AND i.indpred IS NULL
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
                                     AND k.contype IN ('p', 'u', 'x')
            WHERE i.indrelid = '{q(t)}'::regclass
            ORDER BY k.contype NULLS LAST, coalesce(k.conname, ic.relname)""").all()
        order = orders.get(t)
        for iname, cname, d, cols, nkey, colls, opts, plain in rows:
            presorted = bool(order and plain and cols and len(cols) == nkey and tuple(cols) == order[:nkey]
                             and all(c == 0 or c in byte_order for c in colls[:nkey])
                             and not any(opts[:nkey]))
            if cname is not None:
                restore_keys.append(Rebuild(f"ALTER TABLE {q(t)} ADD CONSTRAINT {q(cname)} {d}", t, presorted,
                                            name=cname))
                conn.exec_driver_sql(f"ALTER TABLE {q(t)} DROP CONSTRAINT {q(cname)}")
            else:
                restore_idx.append(Rebuild(d, t, presorted, name=iname))
                conn.exec_driver_sql(f"DROP INDEX {q(iname)}")
    return restore_keys + restore_idx + restore_fk

def set_sequences(conn: sa.Connection, tables: Any = None) -> list[tuple[str, str, str, int]]:
    """setval(seq, max+1, false) for every serial/identity column; returns (table, column, seq, next).

    A column whose maximum is the sequence's own maximum (an id of 2147483647 in an integer column) leaves
    the sequence exhausted (setval(seq, max, true)): the next insert fails there, as it would on any
    PostgreSQL store holding that id, instead of this copy failing on max+1."""
    out = []
    for t, c, seq in pg_db.sequences(conn):
        if tables is not None and t not in tables:  # the other store's sequences are not ours to move
            continue
        nxt = conn.exec_driver_sql(f"""
            SELECT CASE WHEN m >= s.seqmax THEN setval('{seq}', s.seqmax, true) + 1 ELSE setval('{seq}', m + 1, false) END
            FROM (SELECT coalesce(max({q(c)})::bigint, 0) AS m FROM {q(t)}) x, pg_sequence s
            WHERE s.seqrelid = '{seq}'::regclass""").scalar_one()
        out.append((t, c, seq, int(nxt)))
    return out

def load(job: Job, conns: Connections, tables: dict[str, Table], background: Any = None) -> None:
    """COPY every table of `tables`, then rebuild indexes/keys/FKs, set sequences; `background`
    (a plan.BackgroundPreflight) runs beside the index rebuild and is waited for at the end."""
    rows = {t.table: t for t in job.result.tables}
    order = list(schema.insert_order(tables))
    big = [t for t in order if rows[t].rows >= BIG_TABLE_ROWS]
    conn = conns.mine()
    with job.timer("prepare"):
        if not conns.parallel:
            conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_MB}MB'")
        _clear_seeded(conn, order)
        if conns.parallel and not job.result.rejected_rows and job.stage_engine is not None:
            assert job.sconn is not None
            job.directs = direct.plan(job.sconn, conn, {n: tables[n] for n in order},
                                      {n: rows[n].rows for n in order}, job.source_cols, job.options.rules)
        orders = {name: d.order for name, d in job.directs.items() if d.order}
        restore = drop_for_load(conn, big, orders)
    progress = job.progress
    with job.timer("copy"):
        in_order: set[str] = set()
        tasks = [Task(f"copy {name}", _copier(job, tables[name], rows[name], progress, in_order), rows[name].rows)
                 for name in order if rows[name].rows]
        # skipped rows are excluded through a temp table of the main snapshot connection: one after the other
        run_tasks(tasks, conns if not job.result.rejected_rows else Connections(None, 1, single=conn), job.stoppers)
    for tr in job.result.tables:  # a table that was empty after all (a span of rowids, no rows) was not copied
        tr.settle()
    if background is not None:
        background.start(job.flagged)
    with job.timer("indexes"):
        builds = _rebuild_tasks(restore, in_order, rows, conns.parallel)
        run_tasks(builds, conns)
    job.result.builds = {t.name: t.seconds for t in sorted(builds, key=lambda x: -x.seconds) if t.seconds >= 0.05}
    with job.timer("sequences"):
        set_sequences(conn, tables)
        if conns.parallel:
            run_tasks([Task(f"analyze {t}", _analyzer(t), rows[t].rows) for t in order], conns)
        else:
            conn.exec_driver_sql("ANALYZE")
    if background is not None:
        with job.timer("preflight (wait)"):
            problems = background.result()
        job.result.phases["preflight"] = background.seconds
        check_problems(problems, job.options, job.result)


def _copier(job: Job, t: Table, tr: Any, progress: Any, in_order: set[str]) -> Any:
    def run(conn: sa.Connection) -> None:
        if _copy_table(job, conn, t, tr, progress):
            in_order.add(t.name)
    return run


def _rebuild_tasks(restore: Sequence[Rebuild], in_order: set[str], rows: dict[str, Any], parallel: bool) -> list[Task]:
    """Keys and indexes first (all at once: PostgreSQL builds several indexes of one table side by side), a
    foreign key once the keys and indexes of both its tables are there (added NOT VALID, then validated: the
    validation locks neither table against the other builds)."""
    tasks: list[Task] = []
    by_table: dict[str, set[str]] = {}
    for i, rb in enumerate(restore):
        name = f"{rb.table}.{rb.name}" if rb.name else f"{rb.table}.{i}"
        size = float(rows[rb.table].rows) if rb.table in rows else 0.0
        if rb.refs:
            tasks.append(Task(name, _fk_builder(rb, parallel), size,
                              by_table.get(rb.table, set()) | by_table.get(rb.refs, set())))
        else:
            serial = rb.presorted and rb.table in in_order
            tasks.append(Task(name, _rebuilder(rb, serial, parallel), size))
            by_table.setdefault(rb.table, set()).add(name)
    return tasks


def _fk_builder(rb: Rebuild, parallel: bool) -> Any:
    def run(conn: sa.Connection) -> None:
        if not parallel or rb.ddl.endswith(" NOT VALID"):
            conn.exec_driver_sql(rb.ddl)
            return
        conn.exec_driver_sql(f"{rb.ddl} NOT VALID")
        conn.exec_driver_sql(f"ALTER TABLE {q(rb.table)} VALIDATE CONSTRAINT {q(rb.name)}")
    return run


def _clear_seeded(conn: sa.Connection, order: Sequence[str]) -> None:
    """Rows MLflow's migrations seed (workspace 'default'): DELETE them from the few tables that have any
    (cheaper than TRUNCATE of every table, which creates new files for each)."""
    if not order:
        return
    probe = " UNION ALL ".join(f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {q(t)})" for i, t in enumerate(order))
    seeded = [order[i] for (i,) in conn.exec_driver_sql(probe).all()]
    for t in reversed(seeded):
        conn.exec_driver_sql(f"DELETE FROM {q(t)}")


def _copy_table(job: Job, conn: sa.Connection, t: Table, tr: Any, progress: Any) -> bool:
    """COPY one table: a big one in binary by a worker process of its own (`direct`), the others as text from
    the snapshot on this connection; True when the rows went in in an index's order. Each table reads the
    snapshot on its own connection (several COPYs run at once)."""
    name = t.name
    if progress:
        progress.start(name, tr.rows)
    t0 = time.perf_counter()

    def bump(n: int) -> None:
        if progress:
            progress.advance(name, n)

    plan = job.directs.get(name)
    if plan is not None:
        assert job.stage_engine is not None
        copied, flagged = direct.run(plan, str(job.snap_path), direct.connect_args(job.stage_engine),
                                     job.options.rules, bump, job.stoppers.append)
        job.flagged[name] = flagged
        in_order = plan.order is not None
    else:
        copied = _copy_text(job, conn, t, bump)
        in_order = False
    if copied != tr.settle():  # a guard: every row read from the snapshot must have been sent
        raise MigratorError(f"table {name}: COPY received {copied:,} rows but the snapshot holds {tr.rows:,}; "
                            "nothing was written. Please report this (it is a migrator bug)")
    tr.seconds = time.perf_counter() - t0
    if progress:
        progress.done(name)
    return in_order


def _copy_text(job: Job, conn: sa.Connection, t: Table, bump: Callable[[int], None]) -> int:
    """COPY text of the table's rows from the snapshot, on the load's connection `conn`; the rows sent."""
    sconn = _snapshot_conn(job)
    name = t.name
    present = set(source_columns_of(sconn, name))
    cols = [c for c in t.columns if c.name in present]
    names = [c.name for c in cols]
    stream = row_stream(sconn, t, cols, job.options.rules, job.result.rejected_rows > 0, bump)
    raw = conn.connection.dbapi_connection
    assert raw is not None
    frozen = bool(raw.autocommit)  # a connection of the staging load: this COPY is its own transaction
    with raw.cursor() as cur:  # type: ignore[attr-defined]  # psycopg2's cursor is a context manager
        if frozen:
            # truncated in this transaction, so COPY may write the rows frozen: no hint bits to set (and pages
            # to write again) when the indexes are built, no anti-wraparound vacuum of every page later
            cur.execute(f"BEGIN; TRUNCATE {q(name)}")
        try:
            cur.copy_expert(f"COPY {q(name)} ({qlist(names)}) FROM STDIN{' WITH (FREEZE)' if frozen else ''}",
                            ChunkReader(stream), size=1 << 20)
            copied = cur.rowcount
            if frozen:
                cur.execute("COMMIT")
        except BaseException:
            if frozen and not raw.closed:
                try:
                    with raw.cursor() as undo:  # type: ignore[attr-defined]
                        undo.execute("ROLLBACK")
                except Exception:  # noqa: BLE001 - the connection is going away anyway
                    pass
            raise
    return int(copied)


def _rebuild(conn: sa.Connection, rb: Rebuild, serial: bool, parallel: bool = False) -> None:
    """`serial`: the table's rows went in in the index's order: a serial build (its sort finds the input
    sorted) beats a parallel one, which sorts and merges the parts again. `parallel`: an autocommit
    connection of the staging load (session settings instead of SET LOCAL; its maintenance_work_mem is
    set when it connects)."""
    scope = "" if parallel else "LOCAL "
    if not serial:
        conn.exec_driver_sql(rb.ddl)
        return
    previous = conn.exec_driver_sql("SHOW max_parallel_maintenance_workers").scalar()
    conn.exec_driver_sql(f"SET {scope}max_parallel_maintenance_workers = 0")
    conn.exec_driver_sql(rb.ddl)
    conn.exec_driver_sql(f"SET {scope}max_parallel_maintenance_workers = {int(str(previous))}")


_snap_local = threading.local()


def _snapshot_conn(job: Job) -> Any:
    """The main thread's snapshot connection, or one of the calling worker thread's own (read only)."""
    if threading.current_thread() is threading.main_thread():
        assert job.sconn is not None
        return job.sconn
    conn = getattr(_snap_local, "conn", None)
    if conn is None or getattr(_snap_local, "path", None) != job.snap_path:
        import sqlite3

        from .preflight import register_rewrite

        conn = sqlite3.connect(sqlite_db.ro_uri(job.snap_path), uri=True, check_same_thread=False)
        register_rewrite(conn, job.options.rules)
        _snap_local.conn, _snap_local.path = conn, job.snap_path
        job.thread_sconns.append(conn)
    return conn


def _analyzer(table: str) -> Any:
    def run(conn: sa.Connection) -> None:
        conn.exec_driver_sql(f"ANALYZE {q(table)}")

    return run


def _rebuilder(rb: Any, serial: bool, parallel: bool) -> Any:
    def run(conn: sa.Connection) -> None:
        _rebuild(conn, rb, serial, parallel)

    return run
