"""Bulk copy of an MLflow SQLite store into PostgreSQL in one transaction.

Snapshot (SQLite backup API) -> upgrade the snapshot if older -> in ONE PostgreSQL transaction:
lock, create/upgrade the schema with MLflow's migrations, preflight, drop FKs and the
indexes of big tables, COPY FROM STDIN every table (rows formatted mostly inside SQLite),
rebuild what was dropped (same names and definitions), set sequences, verify content, commit.
A kill at any point leaves the target as it was.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import psycopg2
import sqlalchemy as sa

from . import schema
from .artifacts import Rule, columns_for
from .errors import EXIT_MISMATCH, Locked, MigratorError, PreflightFailed, SchemaError, TargetNotEmpty, privilege_hint
from .preflight import Preflight, Problem, register_rewrite, value_expr
from .schema import Table, qlist
from .schema import quote_ident as q
from .snapshot import temporary_snapshot
from .spool import IndexSlice, Spool, start_spools
from .stores import Store, connect_pg, describe_pg_error

Progress = Callable[..., None]
BIG_TABLE_ROWS = 20_000  # above this, drop indexes during COPY and rebuild them after
FETCH = 5_000
LOCK_WAIT_S = 10.0  # how long to wait for another run's lock before giving up (exit 4)


@dataclass
class TableResult:
    table: str
    rows: int
    rejected: int = 0
    seconds: float = 0.0


@dataclass
class CopyResult:
    source: str
    target: str | None
    source_revision: str | None
    target_revision: str | None
    upgraded_from: str | None
    dry_run: bool
    tables: list[TableResult] = field(default_factory=list)
    rewrites: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0
    reject_file: str | None = None
    phases: dict[str, float] = field(default_factory=dict)
    verify: Any = None
    renumbered: dict[int, int] = field(default_factory=dict)  # experiment ids: old -> new

    @property
    def exit_code(self) -> int:
        if self.rejected_rows or (self.verify is not None and not self.verify.ok):
            return EXIT_MISMATCH
        return 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.exit_code == 0,
            "source": self.source, "target": self.target, "dry_run": self.dry_run,
            "source_revision": self.source_revision, "target_revision": self.target_revision,
            "upgraded_from": self.upgraded_from,
            "tables": [{"table": t.table, "rows": t.rows, "rejected": t.rejected, "seconds": round(t.seconds, 3)}
                       for t in self.tables],
            "rewrites": self.rewrites,
            "renumbered_experiments": {str(k): v for k, v in self.renumbered.items()},
            "rejected_rows": self.rejected_rows, "reject_file": self.reject_file,
            "problems": [p.as_dict() for p in self.problems],
            "phases": {k: round(v, 3) for k, v in self.phases.items()},
            "verify": self.verify.as_dict() if self.verify is not None else None,
        }


@dataclass
class CopyOptions:
    rules: Sequence[Rule] = ()
    on_bad_row: str = "fail"  # or "skip"
    reject_file: Path | None = None
    replace: bool = False
    dry_run: bool = False
    verify: bool = True
    verify_sample: int = 50
    renumber_experiments: bool = False  # new ids for experiments whose id does not fit PostgreSQL's integer


class _Timer:
    def __init__(self, phases: dict[str, float], progress: Progress | None) -> None:
        self.phases, self.progress = phases, progress

    def __call__(self, name: str) -> "_Phase":
        return _Phase(self, name)


class _Phase:
    def __init__(self, timer: _Timer, name: str) -> None:
        self.timer, self.name = timer, name

    def __enter__(self) -> None:
        if self.timer.progress:
            self.timer.progress("phase", name=self.name)
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: Any) -> None:
        self.timer.phases[self.name] = self.timer.phases.get(self.name, 0.0) + time.perf_counter() - self.t0


# --------------------------------------------------------------------------- target state
def describe_target(conn: sa.Connection) -> tuple[str, dict[str, int]]:
    """('empty' | 'fresh' | 'data' | 'foreign', {table: rows}) for the current schema."""
    names = schema.pg_table_names(conn)
    if not names:
        return "empty", {}
    if "alembic_version" not in names:
        return "foreign", {n: -1 for n in names}
    counts = {}
    for n in names:
        if n == "alembic_version":
            continue
        c = conn.exec_driver_sql(f"SELECT count(*) FROM {q(n)}").scalar()
        if c:
            counts[n] = int(c)
    seeded = set(counts) <= {"workspaces", "experiments"}
    if seeded and counts.get("workspaces", 0) <= 1 and counts.get("experiments", 0) <= 1:
        ws = conn.exec_driver_sql("SELECT name FROM workspaces").scalars().all() if "workspaces" in counts else []
        ex = conn.exec_driver_sql("SELECT experiment_id, name FROM experiments").all() if "experiments" in counts else []
        if all(w == "default" for w in ws) and all(tuple(e) == (0, "Default") for e in ex):
            return "fresh", counts
    return "data", counts


def _drop_mlflow_tables(conn: sa.Connection, extra: Sequence[str]) -> None:
    from mlflow.store.db.base_sql_model import Base

    known = set(Base.metadata.tables) | set(extra) | {"alembic_version"}
    present = schema.pg_table_names(conn)
    drop = [t for t in present if t in known]
    if drop:
        conn.exec_driver_sql(f"DROP TABLE {qlist(drop)} CASCADE")


# --------------------------------------------------------------------------- row streams
_NULL = "'\\N'"


def _text_sql(expr: str) -> str:
    esc = (f"replace(replace(replace(replace({expr}, '\\', '\\\\'), char(9), '\\t'), "
           f"char(10), '\\n'), char(13), '\\r')")
    return f"coalesce({esc}, {_NULL})"


def _col_sql(t: Table, c: schema.Column, cols: Sequence[str], rules: Sequence[Rule]) -> str | None:
    """SQL producing the COPY text of one column, or None when Python must format it (floats)."""
    if c.kind in ("float", "float4"):
        return None
    col = q(c.name)
    if c.kind in ("int", "smallint", "bigint"):
        return f"coalesce(CAST({col} AS TEXT), {_NULL})"
    if c.kind == "bool":
        return f"CASE {col} WHEN 1 THEN 't' WHEN 0 THEN 'f' ELSE {_NULL} END"
    if c.kind == "bytes":
        return f"CASE WHEN {col} IS NULL THEN {_NULL} ELSE '\\\\x' || hex({col}) END"
    return _text_sql(value_expr(t.name, c.name, cols, rules))


def _float_text(v: Any) -> str:
    return "\\N" if v is None else repr(float(v))


def _plain_col_sql(c: schema.Column, cols: Sequence[str], t: Table, rules: Sequence[Rule]) -> str | None:
    """Like _col_sql for a NOT NULL column, without escaping (the chunk is checked afterwards)."""
    if c.kind in ("float", "float4"):
        return None
    if c.kind in ("int", "smallint", "bigint"):
        return f"CAST({q(c.name)} AS TEXT)"
    if c.kind == "bool":
        return f"CASE {q(c.name)} WHEN 1 THEN 't' WHEN 0 THEN 'f' END"
    return value_expr(t.name, c.name, cols, rules)


def _select(columns: list[schema.Column], make: Callable[[schema.Column], str | None]) -> tuple[list[str], list[str]]:
    """SQL expressions (consecutive SQL-formatted columns joined by tabs) and their kinds ('s' or float 'F'/'f')."""
    parts: list[str] = []
    fmt: list[str] = []
    run: list[str] = []
    for c in columns:
        sql = make(c)
        if sql is None:
            if run:
                parts.append(" || char(9) || ".join(run))
                fmt.append("s")
                run = []
            parts.append(q(c.name))
            fmt.append("F" if c.notnull else "f")
        else:
            run.append(sql)
    if run:
        parts.append(" || char(9) || ".join(run))
        fmt.append("s")
    return parts, fmt


def _renderer(fmt: list[str], offset: int = 0) -> Callable[[list[tuple]], str]:
    if fmt == ["s"]:
        return lambda rows: "\n".join([r[offset] for r in rows]) + "\n"
    fields = []
    for i, f in enumerate(fmt, start=offset):
        fields.append(f"{{r[{i}]}}" if f == "s" else f"{{rp(r[{i}])}}" if f == "F" else f"{{ft(r[{i}])}}")
    src = "lambda rows: ''.join([f\"" + "\\t".join(fields) + "\\n\" for r in rows])"
    return eval(src, {"rp": repr, "ft": _float_text})  # noqa: S307 - built from fixed fragments only


def row_stream(sconn: sqlite3.Connection, t: Table, columns: list[schema.Column], rules: Sequence[Rule],
               exclude_rejected: bool, on_rows: Callable[[int], None],
               rowid_range: tuple[int, int] | None = None, index_slice: IndexSlice | None = None) -> Iterator[str]:
    """COPY text for table t, in chunks: SQLite concatenates and escapes; Python formats floats.

    Rows come in rowid order, or with `index_slice` in the order of one of the table's indexes (ties
    by rowid), limited to a range of its leading column.

    Tables whose columns are all NOT NULL (and not binary) take a fast path: values are selected
    unescaped and each chunk is checked as a whole (no backslash or CR, exactly one tab per column
    gap and one newline per row); a chunk that fails the check is re-read with SQL escaping.
    """
    names = [c.name for c in columns]
    conds = []
    params: list[Any] = []
    if exclude_rejected:
        conds.append(f"rowid NOT IN (SELECT rid FROM temp.mig_rej WHERE tbl = '{t.name}')")
    if rowid_range is not None:
        conds.append(f"rowid BETWEEN {int(rowid_range[0])} AND {int(rowid_range[1])}")
    order = " ORDER BY rowid"
    if index_slice is not None:
        cond, params = index_slice.where()
        conds += cond
        order = index_slice.order_by()
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    parts, fmt = _select(columns, lambda c: _col_sql(t, c, names, rules))
    render = _renderer(fmt)
    fast = all(c.notnull and c.kind != "bytes" for c in columns)
    if not fast:
        cur = sconn.execute(f"SELECT {', '.join(parts)} FROM {q(t.name)}{where}"
                            + (order if index_slice is not None else ""), params)
        while rows := cur.fetchmany(FETCH):
            yield render(rows)
            on_rows(len(rows))
        return
    pparts, pfmt = _select(columns, lambda c: _plain_col_sql(c, names, t, rules))
    prender = _renderer(pfmt, offset=1)
    escaped = _renderer(fmt, offset=1)
    tabs = len(columns) - 1
    cur = sconn.execute(f"SELECT rowid, {', '.join(pparts)} FROM {q(t.name)}{where}{order}", params)
    slow_sql = f"SELECT rowid, {', '.join(parts)} FROM {q(t.name)} WHERE rowid IN "
    while rows := cur.fetchmany(FETCH):
        text = prender(rows)
        if ("\\" in text or "\r" in text or text.count("\n") != len(rows)
                or text.count("\t") != tabs * len(rows)):
            ids = [int(r[0]) for r in rows]
            by_id = {r[0]: r for r in sconn.execute(slow_sql + "(" + ",".join(map(str, ids)) + ")")}
            text = escaped([by_id[i] for i in ids])  # re-read with escaping, in the same row order
        yield text
        on_rows(len(rows))


class _ChunkReader:
    """File-like object for psycopg2 copy_expert that pulls chunks from a generator."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self.chunks = chunks

    def read(self, size: int = -1) -> str:
        return next(self.chunks, "")

    readline = read


# --------------------------------------------------------------------------- constraints
@dataclass
class _Rebuild:
    """DDL that restores a dropped constraint or index; `presorted`: the heap is already in its order."""
    ddl: str
    table: str = ""
    presorted: bool = False


def _drop_for_load(conn: sa.Connection, big: Sequence[str],
                   orders: dict[str, tuple[str, ...]] | None = None) -> list[_Rebuild]:
    """Drop every FK, and PK/unique/indexes of the big tables; return what restores them.

    `orders`: tables whose rows will arrive sorted by these columns (byte order); an index whose key is a
    prefix of that order, on NOT NULL columns that sort by bytes in PostgreSQL too, is marked presorted.
    """
    orders = orders or {}
    fk_rows = conn.exec_driver_sql("""
        SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND k.contype = 'f' ORDER BY 1, 2""").all()
    restore_fk = [_Rebuild(f"ALTER TABLE {q(t)} ADD CONSTRAINT {q(n)} {d}", t) for t, n, d in fk_rows]
    for t, n, _d in fk_rows:
        conn.exec_driver_sql(f"ALTER TABLE {q(t)} DROP CONSTRAINT {q(n)}")
    restore_keys: list[_Rebuild] = []
    restore_idx: list[_Rebuild] = []
    byte_order = _byte_order_collations(conn) if orders else set()
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
                restore_keys.append(_Rebuild(f"ALTER TABLE {q(t)} ADD CONSTRAINT {q(cname)} {d}", t, presorted))
                conn.exec_driver_sql(f"ALTER TABLE {q(t)} DROP CONSTRAINT {q(cname)}")
            else:
                restore_idx.append(_Rebuild(d, t, presorted))
                conn.exec_driver_sql(f"DROP INDEX {q(iname)}")
    return restore_keys + restore_idx + restore_fk


_BYTE_ORDER_LOCALES = ("C", "POSIX", "C.UTF-8", "C.utf8", "C.UTF8", "C.utf-8")


def _byte_order_collations(conn: sa.Connection) -> set[int]:
    """Oids of the collations that sort text by its UTF-8 bytes, as SQLite's BINARY does (C, POSIX, C.UTF-8),
    the database default (oid 100) included when the database's locale is one of them."""
    locales = ", ".join(f"'{x}'" for x in _BYTE_ORDER_LOCALES)
    # to_jsonb: the provider columns only exist in newer PostgreSQL versions
    out = {int(o) for (o,) in conn.exec_driver_sql(f"""
        SELECT oid FROM pg_collation c
        WHERE coalesce(to_jsonb(c)->>'collprovider', 'c') IN ('c', 'b') AND c.oid <> 100
          AND coalesce(to_jsonb(c)->>'collcollate', to_jsonb(c)->>'colllocale') IN ({locales})""").all()}
    db = conn.exec_driver_sql(f"""
        SELECT coalesce(to_jsonb(d)->>'datlocprovider', 'c') IN ('c', 'b')
           AND CASE coalesce(to_jsonb(d)->>'datlocprovider', 'c') WHEN 'b' THEN to_jsonb(d)->>'datlocale'
               ELSE d.datcollate END IN ({locales})
        FROM pg_database d WHERE d.datname = current_database()""").scalar()
    if db:
        out.add(100)
    return out


def set_sequences(conn: sa.Connection) -> list[tuple[str, str, str, int]]:
    """setval(seq, max+1, false) for every serial/identity column; returns (table, column, seq, next).

    A column whose maximum is the sequence's own maximum (an id of 2147483647 in an integer column) leaves
    the sequence exhausted (setval(seq, max, true)): the next insert fails there, as it would on any
    PostgreSQL store holding that id, instead of this copy failing on max+1."""
    out = []
    for t, c, seq in schema.pg_sequences(conn):
        nxt = conn.exec_driver_sql(f"""
            SELECT CASE WHEN m >= s.seqmax THEN setval('{seq}', s.seqmax, true) + 1 ELSE setval('{seq}', m + 1, false) END
            FROM (SELECT coalesce(max({q(c)})::bigint, 0) AS m FROM {q(t)}) x, pg_sequence s
            WHERE s.seqrelid = '{seq}'::regclass""").scalar()
        out.append((t, c, seq, int(nxt)))
    return out


# --------------------------------------------------------------------------- main entry
def sqlite_to_pg(source: Store, target: Store | None, options: CopyOptions,
                 progress: Progress | None = None) -> CopyResult:
    """Copy `source` (SQLite) into `target` (PostgreSQL). Raises MigratorError subclasses."""
    if not source.is_sqlite:
        raise MigratorError(f"source must be a SQLite store, got {source.redacted}; use `migrator copy` for others")
    if target is not None and target.is_sqlite:
        raise MigratorError(f"target must be a PostgreSQL URL, got {target.redacted}")
    assert source.path is not None
    result = CopyResult(source.redacted, target.redacted if target else None, None, None, None, options.dry_run)
    timer = _Timer(result.phases, progress)
    prepared = _PreparedTarget(target, options, source, timer) if target is not None else None
    if prepared is None:
        warm = threading.Thread(target=_import_mlflow, daemon=True)  # ~2 s of imports, overlapped with the snapshot
        warm.start()
    try:
        with temporary_snapshot(source.path, timer=timer) as snap_path:
            if prepared is None:
                warm.join()
            return _with_snapshot(snap_path, source, target, options, result, timer, progress, prepared)
    finally:
        if prepared is not None:
            prepared.close()


class _PreparedTarget:
    """Lock the target, check it and create MLflow's schema in an open transaction, in a thread that runs
    while the source is being snapshotted (the target's schema is always the installed MLflow's head)."""

    def __init__(self, target: Store, options: CopyOptions, source: Store, timer: "_Timer") -> None:
        self.target, self.options, self.timer = target, options, timer
        self.engine: sa.Engine | None = None
        self.conn: sa.Connection | None = None
        self.tx: Any = None
        self.error: BaseException | None = None
        assert source.path is not None
        from .stores import open_sqlite_readonly

        src = open_sqlite_readonly(source.path)  # only the table names, for --replace
        try:
            self.source_tables = schema.sqlite_table_names(src)
        finally:
            src.close()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.engine, self.conn = connect_pg(self.target)
            self.tx = self.conn.begin()
            _prepare_target(self.conn, self.target, self.options, self.source_tables, self.timer)
        except BaseException as e:  # handed to the main thread by wait()
            self.error = e

    def wait(self) -> tuple[sa.Connection, Any]:
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.conn is not None
        return self.conn, self.tx

    def close(self) -> None:
        self.thread.join()
        if self.tx is not None and self.tx.is_active:
            self.tx.rollback()
        if self.conn is not None:
            self.conn.close()
        if self.engine is not None:
            self.engine.dispose()


def _prepare_target(conn: sa.Connection, target: Store, options: CopyOptions, source_tables: Sequence[str],
                    timer: "_Timer") -> None:
    try:
        if int(conn.exec_driver_sql("SHOW server_version_num").scalar()) >= 140000:
            # if this process dies, PostgreSQL stops our statement within a second instead of finishing it
            conn.exec_driver_sql("SET LOCAL client_connection_check_interval = '1s'")
        key = _lock_key(conn)
        deadline = time.monotonic() + LOCK_WAIT_S  # a killed run's backend may need a moment to go away
        while not conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({key})").scalar():
            if time.monotonic() > deadline:
                raise Locked(f"another migrator run is writing to {target.redacted}; wait for it to finish")
            time.sleep(0.25)
        state, counts = describe_target(conn)
        trev = schema.pg_revision(conn)
        if state in ("data", "foreign") and not options.replace:
            found = ", ".join(f"{t}: {n} rows" if n >= 0 else t for t, n in list(counts.items())[:8])
            what = "MLflow data" if state == "data" else "tables that are not an MLflow schema"
            raise TargetNotEmpty(f"target {target.redacted} already holds {what} ({found}); use an empty database, "
                                 "or --replace to drop and recreate the MLflow tables")
        if trev is not None and state != "foreign":
            schema.require_not_newer(trev, f"target {target.redacted}")
        with timer("schema"):
            if options.replace and state in ("data", "foreign", "fresh"):
                _drop_mlflow_tables(conn, list(source_tables))
            schema.migrate_pg_in_transaction(conn)
    except sa.exc.OperationalError as e:
        raise MigratorError(describe_pg_error(target, e)) from None
    except (sa.exc.DBAPIError, psycopg2.Error) as e:
        detail = str(getattr(e, 'orig', e)).strip().splitlines()[0]
        hint = f"; {privilege_hint()}" if getattr(getattr(e, "orig", e), "pgcode", None) == "42501" else ""
        raise MigratorError(f"PostgreSQL refused to prepare the target, nothing was written: {detail}{hint}") from None


def _import_mlflow() -> None:
    import alembic.runtime.environment  # noqa: F401
    import mlflow.store.db.utils  # noqa: F401
    from mlflow.store.db.base_sql_model import Base  # noqa: F401


def _with_snapshot(snap_path: Path, source: Store, target: Store | None, options: CopyOptions,
                   result: CopyResult, timer: _Timer, progress: Progress | None,
                   prepared: "_PreparedTarget | None" = None) -> CopyResult:
    if options.renumber_experiments:
        with timer("renumber"):
            result.renumbered = _renumber(snap_path)
    spools: dict[str, Spool] = {}
    if prepared is not None and not options.dry_run and options.on_bad_row == "fail":
        # worker processes format the big tables while MLflow's migrations create the target schema
        spools = _start_spools(snap_path, options)
    try:
        return _with_snapshot_spooled(snap_path, source, target, options, result, timer, progress, prepared, spools)
    finally:
        for sp in spools.values():
            sp.close()


def _renumber(snap_path: Path) -> dict[int, int]:
    from . import renumber

    conn = sqlite3.connect(snap_path)
    try:
        mapping = renumber.plan(conn)
        renumber.apply(conn, mapping)
        return mapping
    finally:
        conn.close()


def _start_spools(snap_path: Path, options: CopyOptions) -> dict[str, Spool]:
    conn = sqlite3.connect(f"file:{snap_path}?mode=ro", uri=True)
    try:
        tables = schema.sqlite_tables(conn)
        tables.pop("alembic_version", None)
        return start_spools(conn, snap_path, tables, options.rules)
    finally:
        conn.close()


def _with_snapshot_spooled(snap_path: Path, source: Store, target: Store | None, options: CopyOptions,
                           result: CopyResult, timer: _Timer, progress: Progress | None,
                           prepared: "_PreparedTarget | None", spools: dict[str, Spool]) -> CopyResult:
    if prepared is not None:
        # imports (alembic, mlflow) must not run in two threads at once: the overlap ends with the snapshot
        prepared.wait()
    sconn = sqlite3.connect(snap_path)
    try:
        rev = schema.sqlite_revision(sconn)
        result.source_revision = rev
        schema.require_not_newer(rev, f"source {source.redacted}")
        if schema.compare_to_installed(rev) == "older":
            for sp in spools.values():  # made from the old schema, and the snapshot is about to change
                sp.close()
            spools.clear()
            if progress:
                progress("info", message=f"source schema {rev} is older than the installed MLflow's "
                                         f"{schema.installed_head()}; upgrading the snapshot copy (the source is untouched)")
            sconn.close()
            with timer("upgrade"):
                schema.upgrade_sqlite_file(str(snap_path))
            sconn = sqlite3.connect(snap_path)
            result.upgraded_from = rev
            result.source_revision = schema.sqlite_revision(sconn)
        register_rewrite(sconn, options.rules)
        src_tables = schema.sqlite_tables(sconn)
        src_tables.pop("alembic_version", None)
        if options.dry_run and target is None:
            _plan(sconn, src_tables, src_tables, options, result, timer)
            return result
        assert target is not None and prepared is not None
        conn, tx = prepared.wait()
        return _copy_in_transaction(sconn, snap_path, src_tables, target, conn, tx, options, result, timer, progress,
                                    spools)
    finally:
        sconn.close()


def _plan(sconn: sqlite3.Connection, tgt_tables: dict[str, Table], src_tables: dict[str, Table],
          options: CopyOptions, result: CopyResult, timer: _Timer) -> None:
    """Preflight + counts + rewrites; fills result; raises PreflightFailed in fail mode."""
    source_cols = _source_columns(src_tables, tgt_tables)
    with timer("preflight"):
        pf = Preflight(sconn, tgt_tables, source_cols, options.rules)
        problems = pf.scan()
        if problems and options.on_bad_row == "skip":
            problems += pf.follow_dependants()
    _fill_plan(sconn, tgt_tables, source_cols, options, result, pf.rejected_counts())
    _check_problems(problems, options, result)
    if problems and options.reject_file and not options.dry_run:
        pf.write_rejects(options.reject_file, problems)
        result.reject_file = str(options.reject_file)


def _fill_plan(sconn: sqlite3.Connection, tgt_tables: dict[str, Table], source_cols: dict[str, list[str]],
               options: CopyOptions, result: CopyResult, rejected: dict[str, int]) -> None:
    result.rejected_rows = sum(rejected.values())
    result.tables = []
    for name in schema.insert_order(tgt_tables):
        n = sconn.execute(f"SELECT count(*) FROM {q(name)}").fetchone()[0]
        result.tables.append(TableResult(name, n - rejected.get(name, 0), rejected.get(name, 0)))
    result.rewrites = count_rewrites(sconn, tgt_tables, source_cols, options.rules)


def _check_problems(problems: list[Problem], options: CopyOptions, result: CopyResult) -> None:
    result.problems = problems
    if problems and options.on_bad_row != "skip":
        big_ids = sum(1 for p in problems if p.table == "experiments" and p.column == "experiment_id"
                      and "out of range" in p.problem)
        hint = (f" {big_ids} experiment id(s) do not fit PostgreSQL's integer (MLflow's file store makes such ids): "
                "rerun with --renumber-experiments to give them new ids (each keeps its old id in the tag "
                "migrator.renumbered_from)." if big_ids else "")
        raise PreflightFailed(
            f"preflight found {len(problems)} problem(s) PostgreSQL would reject (listed above); nothing was "
            f"written.{hint} Fix them in a copy of the store, or rerun with --on-bad-row skip --reject-file PATH",
            problems)


class _BackgroundPreflight:
    """Fail mode: the preflight scans its own connection to the snapshot in a thread (SQLite releases the
    GIL while it scans) while PostgreSQL rebuilds the indexes after the COPY (mostly one busy core); the
    transaction only commits if it found nothing."""

    def __init__(self, snap_path: Path, tables: dict[str, Table], source_cols: dict[str, list[str]],
                 rules: Sequence[Rule]) -> None:
        self.args = (snap_path, tables, source_cols, rules)
        self.problems: list[Problem] = []
        self.error: BaseException | None = None
        self.seconds = 0.0

        def work() -> None:
            t0 = time.perf_counter()
            conn = sqlite3.connect(snap_path, check_same_thread=False)
            try:
                self.problems = Preflight(conn, tables, source_cols, rules, thorough=False).scan()
            except BaseException as e:  # re-raised by result()
                self.error = e
            finally:
                conn.close()
                self.seconds = time.perf_counter() - t0

        self.thread = threading.Thread(target=work, daemon=True)

    def start(self) -> None:
        if self.thread.ident is None:
            self.thread.start()

    def result(self) -> list[Problem]:
        self.start()
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.problems

    def thorough(self) -> list[Problem]:
        """Everything, NUL bytes and invalid UTF-8 included (after the copy hit a row it could not take)."""
        self.result()
        snap_path, tables, source_cols, rules = self.args
        conn = sqlite3.connect(snap_path)
        try:
            return Preflight(conn, tables, source_cols, rules).scan()
        finally:
            conn.close()


def _source_columns(src: dict[str, Table], tgt: dict[str, Table]) -> dict[str, list[str]]:
    extra_tables = sorted(set(src) - set(tgt))
    if extra_tables:
        raise SchemaError(
            f"the source has tables that MLflow's schema does not create: {', '.join(extra_tables)}; "
            "migrator copies MLflow's tables only: move them aside in a copy of the store")
    out = {}
    for name, t in tgt.items():
        s = src.get(name)
        scols = [c.name for c in s.columns] if s else []
        missing = [c for c in scols if c not in {tc.name for tc in t.columns}]
        if missing:
            raise SchemaError(
                f"source table {name} has columns that MLflow's schema does not create: {', '.join(missing)}; "
                "migrator copies MLflow's columns only: drop them (or save their values) in a copy of the store")
        out[name] = scols
    return out


def count_rewrites(sconn: sqlite3.Connection, tables: dict[str, Table], source_cols: dict[str, list[str]],
                   rules: Sequence[Rule]) -> dict[str, int]:
    out: dict[str, int] = {}
    if not rules:
        return out
    for name in tables:
        for a in columns_for(name, source_cols.get(name, [])):
            expr = value_expr(name, a.column, source_cols[name], rules)
            n = sconn.execute(f"SELECT count(*) FROM {q(name)} WHERE {expr} IS NOT {q(a.column)}").fetchone()[0]
            out[a.label] = int(n)
    return out


def _lock_key(conn: sa.Connection) -> int:
    db = conn.exec_driver_sql("SELECT current_database() || '.' || current_schema()").scalar()
    return zlib.crc32(f"migrator:{db}".encode()) - 2**31


def _copy_in_transaction(sconn: sqlite3.Connection, snap_path: Path, src_tables: dict[str, Table],
                         target: Store, conn: sa.Connection, tx: Any, options: CopyOptions, result: CopyResult,
                         timer: _Timer, progress: Progress | None,
                         spools: dict[str, Spool] | None = None) -> CopyResult:
    """Continue the transaction _PreparedTarget opened (locked, schema created): plan, load, verify, commit."""
    try:
        result.target_revision = schema.pg_revision(conn)
        if result.target_revision != result.source_revision:
            raise SchemaError(f"after migrations the target is at {result.target_revision} but the source snapshot "
                              f"at {result.source_revision}; they must match")
        tgt_tables = schema.pg_tables(conn)
        tgt_tables.pop("alembic_version", None)
        background = None
        if options.dry_run or options.on_bad_row == "skip":
            _plan(sconn, tgt_tables, src_tables, options, result, timer)
        else:
            source_cols = _source_columns(src_tables, tgt_tables)
            background = _BackgroundPreflight(snap_path, tgt_tables, source_cols, options.rules)
            _fill_plan(sconn, tgt_tables, source_cols, options, result, {})
        if options.dry_run:
            tx.rollback()
            return result
        try:
            _load(sconn, conn, tgt_tables, options, result, timer, progress, background, spools)
        except (sa.exc.DBAPIError, psycopg2.Error, sqlite3.Error):
            if background is not None:  # a row PostgreSQL (or the UTF-8 decoder) refused: report them all
                _check_problems(background.thorough(), options, result)
            raise
        if options.verify:
            from .verify import verify_content

            with timer("verify"):
                report = verify_content(sconn, conn, rules=options.rules, exclude_rejected=result.rejected_rows > 0,
                                        progress=progress)
            result.verify = report
            if not report.ok:
                raise MigratorError(
                    f"verification after the copy found differences ({report.summary()}); nothing was committed",
                    exit_code=EXIT_MISMATCH)
        with timer("commit"):
            tx.commit()
        if options.verify and options.verify_sample > 0:
            from .api_parity import api_parity
            from .verify import Check

            with timer("verify"):
                if result.rejected_rows:
                    check = Check("api parity", True, f"skipped: {result.rejected_rows} rejected row(s) are absent "
                                                      "from the target by design; content was compared without them")
                else:
                    snap_store = Store("sqlite", f"sqlite:///{snap_path}", snap_path)
                    check = api_parity(snap_store, target, options.rules, options.verify_sample, True)
                result.verify.checks.append(check)
    except sa.exc.OperationalError as e:
        if tx.is_active:
            tx.rollback()
        raise MigratorError(describe_pg_error(target, e)) from None
    except (sa.exc.DBAPIError, psycopg2.Error) as e:
        if tx.is_active:
            tx.rollback()
        raise MigratorError(f"PostgreSQL rejected the copy, nothing was written: "
                            f"{str(getattr(e, 'orig', e)).strip().splitlines()[0]}") from None
    except sqlite3.Error as e:
        if tx.is_active:
            tx.rollback()
        raise MigratorError(f"cannot read the source snapshot, nothing was written: {e}") from None
    except BaseException:
        if tx.is_active:
            tx.rollback()
        raise
    return result


def _load(sconn: sqlite3.Connection, conn: sa.Connection, tables: dict[str, Table], options: CopyOptions,
          result: CopyResult, timer: _Timer, progress: Progress | None,
          background: _BackgroundPreflight | None = None, spools: dict[str, Any] | None = None) -> None:
    spools = spools if spools is not None else {}
    rows = {t.table: t for t in result.tables}
    order = [t for t in schema.insert_order(tables)]
    big = [t for t in order if rows[t].rows >= BIG_TABLE_ROWS]
    raw = conn.connection.dbapi_connection
    assert raw is not None
    with timer("prepare"):
        conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        # rows MLflow's migrations seed (workspace 'default'): DELETE them from the few tables that have any
        # (cheaper than TRUNCATE of every table, which creates new files for each)
        probe = " UNION ALL ".join(f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {q(t)})" for i, t in enumerate(order))
        seeded = [order[i] for (i,) in conn.exec_driver_sql(probe).all()] if order else []
        for t in reversed(seeded):
            conn.exec_driver_sql(f"DELETE FROM {q(t)}")
        orders = {name: sp.order for name, sp in spools.items() if sp.order}
        restore = _drop_for_load(conn, big, orders)
    rejected = result.rejected_rows > 0
    in_order: set[str] = set()  # tables whose rows went in in their spool's index order
    with timer("copy"):
        for name in order:
            tr = rows[name]
            if tr.rows == 0:
                continue
            t = tables[name]
            present = set(_source_columns_of(sconn, name))
            cols = [c for c in t.columns if c.name in present]
            if progress:
                progress("table_start", table=name, total=tr.rows)
            t0 = time.perf_counter()
            def bump(n: int, _name: str = name) -> None:
                if progress:
                    progress("rows", table=_name, n=n)
            spool = spools.get(name)
            names = [c.name for c in cols]
            if spool is not None and not rejected and spool.matches(cols):
                stream: Iterator[Any] = spool.stream(bump)
                names = spool.columns
                if spool.order:
                    in_order.add(name)
            else:
                if spool is not None:
                    spool.close()
                stream = row_stream(sconn, t, cols, options.rules, rejected, bump)
            with raw.cursor() as cur:
                cur.copy_expert(f"COPY {q(name)} ({qlist(names)}) FROM STDIN", _ChunkReader(stream), size=1 << 20)
                copied = cur.rowcount
            if copied != tr.rows:  # a guard: every row read from the snapshot must have been sent
                raise MigratorError(f"table {name}: COPY received {copied:,} rows but the snapshot holds {tr.rows:,}; "
                                    "nothing was written. Please report this (it is a migrator bug)")
            if spool is not None:
                spool.close()
            tr.seconds = time.perf_counter() - t0
            if progress:
                progress("table_done", table=name)
    if background is not None:
        background.start()
    with timer("indexes"):
        for rb in restore:
            # the table's rows went in in the index's order: a serial build (its sort finds the input sorted)
            # beats a parallel one, which sorts and merges the parts again
            serial = rb.presorted and rb.table in in_order
            if serial:
                previous = conn.exec_driver_sql("SHOW max_parallel_maintenance_workers").scalar()
                conn.exec_driver_sql("SET LOCAL max_parallel_maintenance_workers = 0")
            conn.exec_driver_sql(rb.ddl)
            if serial:
                conn.exec_driver_sql(f"SET LOCAL max_parallel_maintenance_workers = {int(previous)}")
    with timer("sequences"):
        set_sequences(conn)
        conn.exec_driver_sql("ANALYZE")
    if background is not None:
        with timer("preflight (wait)"):
            problems = background.result()
        result.phases["preflight"] = background.seconds
        _check_problems(problems, options, result)


def _source_columns_of(sconn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in sconn.execute(f'PRAGMA table_xinfo("{table}")') if not r[6]]
