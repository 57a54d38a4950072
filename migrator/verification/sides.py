"""The two sides of a comparison: a SQLite snapshot or a PostgreSQL connection, read in key order."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import sqlalchemy as sa

from .. import schema
from ..schema import Table
from ..schema import quote_ident as q
from ..snapshot import analyze, temporary_snapshot
from ..stores import Store, connect_pg, not_mlflow, require_mlflow_sqlite
from .report import Check


@dataclass(frozen=True)
class KeyRange:
    """Rows whose `column` is >= lo and < hi (None: unbounded); text compared by bytes on both sides (SQLite's
    BINARY, PostgreSQL's "C")."""

    column: str
    text: bool
    lo: Any = None
    hi: Any = None

    def where(self, pg: bool, collate: bool = True) -> tuple[str, list[Any]]:
        """`pg`: PostgreSQL's placeholders; `collate`: compare text under "C" there (not needed for a
        column whose own collation sorts by bytes)."""
        col = q(self.column) + (' COLLATE "C"' if pg and collate and self.text else "")
        mark = "%s" if pg else "?"
        conds, params = [], []
        if self.lo is not None:
            conds.append(f"{col} >= {mark}")
            params.append(self.lo)
        if self.hi is not None:
            conds.append(f"{col} < {mark}")
            params.append(self.hi)
        return " AND ".join(conds) or "TRUE", params


class Side:
    """Read access to one store for comparison."""

    kind: str
    store_kind: str  # which store's tables are compared: schema.TRACKING or schema.AUTH
    all_tables: dict[str, Table]
    kinds: list[str]  # the stores this database holds

    @property
    def tables(self) -> dict[str, Table]:
        return schema.own_tables(self.all_tables, self.store_kind)

    def revision(self) -> str | None: ...
    def count(self, table: str) -> int: ...
    def rows(self, t: Table, cols: Sequence[str], key: Sequence[str], exclude_rejected: bool = False,
             part: KeyRange | None = None) -> Iterator[tuple]: ...

class SqliteSide(Side):
    kind = "sqlite"
    snap_path: Any = None

    def __init__(self, conn: sqlite3.Connection, store_kind: str = schema.TRACKING) -> None:
        self.conn = conn
        self.store_kind = store_kind
        self.all_tables = schema.sqlite_tables(conn)
        self.kinds = schema.kinds_in(self.all_tables)

    def revision(self) -> str | None:
        return schema.sqlite_revision(self.conn, self.store_kind)

    def count(self, table: str, exclude_rejected: bool = False) -> int:
        where = self._where(table) if exclude_rejected else ""
        return int(self.conn.execute(f"SELECT count(*) FROM {q(table)}{where}").fetchone()[0])

    @staticmethod
    def _where(table: str) -> str:
        return f" WHERE rowid NOT IN (SELECT rid FROM temp.mig_rej WHERE tbl = '{table}')"

    def rows(self, t: Table, cols: Sequence[str], key: Sequence[str], exclude_rejected: bool = False,
             part: KeyRange | None = None) -> Iterator[tuple]:
        where = self._where(t.name) if exclude_rejected else ""
        params: list[Any] = []
        if part is not None:
            cond, params = part.where(pg=False)
            where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        cur = self.conn.execute(f"SELECT {', '.join(q(c) for c in cols)} FROM {q(t.name)}{where} "
                                f"ORDER BY {', '.join(q(k) for k in key)}", params)
        while batch := cur.fetchmany(10_000):
            yield from batch

class PgSide(Side):
    kind = "postgresql"

    def __init__(self, conn: sa.Connection, store_kind: str = schema.TRACKING) -> None:
        self.conn = conn
        self.store_kind = store_kind
        self.all_tables = schema.pg_tables(conn)
        self.kinds = schema.kinds_in(self.all_tables)
        self._byte_order: set[int] | None = None  # collation oids that sort by bytes, asked once
        self._plain: dict[str, set[str]] = {}

    def revision(self) -> str | None:
        return schema.pg_revision(self.conn, self.store_kind)

    def count(self, table: str, exclude_rejected: bool = False) -> int:
        return int(self.conn.exec_driver_sql(f"SELECT count(*) FROM {q(table)}").scalar())

    def rows(self, t: Table, cols: Sequence[str], key: Sequence[str], exclude_rejected: bool = False,
             part: KeyRange | None = None) -> Iterator[tuple]:
        kinds = {c.name: c.kind for c in t.columns}
        plain = self.byte_ordered(t.name)  # no COLLATE "C" needed: PostgreSQL can walk the key's index
        cond, params = part.where(pg=True, collate=part.column not in plain) if part is not None else ("TRUE", [])
        sel = ", ".join(f"{q(c)}::text" if kinds.get(c) == "json" else q(c) for c in cols)
        order = ", ".join(f'{q(k)} COLLATE "C"' if kinds.get(k) == "text" and k not in plain else q(k) for k in key)
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        cur = raw.cursor(name=f"mig_{uuid.uuid4().hex[:12]}")
        cur.itersize = 20_000
        try:
            cur.execute(f"SELECT {sel} FROM {q(t.name)} WHERE {cond} ORDER BY {order}", params or None)
            while batch := cur.fetchmany(20_000):
                yield from batch
        finally:
            cur.close()

    def byte_ordered(self, table: str) -> set[str]:
        """Columns of `table` that sort by bytes as they are (their collation is C, POSIX or C.UTF-8)."""
        if self._byte_order is None:
            self._byte_order = schema.byte_order_collations(self.conn)
        if table not in self._plain:
            self._plain[table] = schema.byte_order_columns(self.conn, table, self._byte_order)
        return self._plain[table]

    def sequence_checks(self, label: str) -> list[Check]:
        out = []
        for t, c, seq in schema.pg_sequences(self.conn):
            if t not in self.tables:
                continue
            last, called = self.conn.exec_driver_sql(f"SELECT last_value, is_called FROM {seq}").one()
            nxt = last + 1 if called else last
            mx = self.conn.exec_driver_sql(f"SELECT max({q(c)}) FROM {q(t)}").scalar()
            ok = mx is None or nxt > mx
            detail = f"{label} {seq}: next value {nxt}, max({t}.{c}) = {mx}"
            what = "create_experiment" if t == "experiments" else f"insert into {t}"
            if not ok:
                detail += f": the next {what} would fail with a duplicate key"
            elif called and last == self.conn.exec_driver_sql(
                    f"SELECT seqmax FROM pg_sequence WHERE seqrelid = '{seq}'::regclass").scalar():
                detail += f" (the sequence is at its maximum: the next {what} will fail, as the largest id is taken)"
            out.append(Check(f"sequence {label} {t}.{c}", ok, detail))
        return out

@contextmanager
def open_side(store: Store, stack: ExitStack) -> Iterator[Side]:
    if store.is_sqlite:
        assert store.path is not None
        snap = stack.enter_context(temporary_snapshot(store.path, require_mlflow=False))
        analyze(snap)  # MLflow's queries in the MlflowClient check
        conn = sqlite3.connect(snap, check_same_thread=False)  # read by the prefetch thread
        stack.callback(lambda: side.conn.close())
        side = SqliteSide(conn)
        side.snap_path = snap
        if not side.kinds:
            require_mlflow_sqlite(conn, store.path)  # its error names the file and what is missing
        yield side
    else:
        engine, conn = connect_pg(store)
        stack.callback(engine.dispose)
        stack.callback(conn.close)
        conn.begin()
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        side = PgSide(conn)
        if not side.kinds:
            raise not_mlflow(store.redacted)
        yield side
