"""A PostgreSQL store as migrator's private SQLite snapshot, so that every path that starts from a snapshot
(the bulk load, the merge into a workspace, the upgrade of an older schema on the copy) takes a PostgreSQL
source too.

The SQLite file gets MLflow's own schema at the source's revision (MLflow's migrations, stopped there); the
rows of every MLflow table are read in ONE `REPEATABLE READ READ ONLY` transaction (a consistent view of a
live server's database; nothing is written to it) and written with the values SQLite and MLflow's SQLite
dialect use: booleans 0/1, bytea as BLOB, timestamps in SQLAlchemy's text form, JSON as the source's text.
A column the SQLite schema lacks (a table altered by hand) is refused rather than dropped.
"""

from __future__ import annotations

import datetime as dt
import decimal
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .. import schema
from ..errors import StoreError
from ..schema import quote_ident as q
from . import pg_db, sqlite_db

if TYPE_CHECKING:
    import sqlalchemy as sa

BATCH = 20_000


def _convert(kind: str) -> Callable[[Any], Any] | None:
    if kind == "bool":
        return lambda v: None if v is None else int(v)
    if kind == "bytes":
        return lambda v: None if v is None else bytes(v)
    if kind == "datetime":
        return lambda v: v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, dt.datetime) else v
    if kind == "date":
        return lambda v: v.isoformat() if isinstance(v, dt.date) else v
    if kind == "other":
        return _number
    return None


def _number(v: Any) -> Any:
    if isinstance(v, decimal.Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def to_sqlite(url: str, redacted: str, dest: Path, kind: str = schema.TRACKING) -> str:
    """Write the store at `url` into a new SQLite file `dest` (see the module doc); returns its revision."""
    engine, conn = pg_db.connect(url, redacted)
    try:
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        rev = pg_db.revision(conn, kind)
        if rev is None:
            what = "an MLflow tracking store" if kind == schema.TRACKING else "an MLflow basic-auth store"
            raise StoreError(f"{redacted} is not {what} (no {schema.VERSION_TABLE[kind]} table)")
        schema.require_not_newer(rev, f"source {redacted}", kind)
        sqlite_db.create_at_revision(dest, kind, rev)
        lite = sqlite3.connect(dest)
        try:
            lite.execute("PRAGMA journal_mode = OFF")
            lite.execute("PRAGMA synchronous = OFF")
            _copy_rows(conn, lite, kind, redacted)
            lite.commit()
        finally:
            lite.close()
        return rev
    finally:
        conn.close()
        engine.dispose()


def _copy_rows(conn: sa.Connection, lite: sqlite3.Connection, kind: str, redacted: str) -> None:
    theirs = pg_db.tables(conn)
    ours = sqlite_db.tables(lite)
    version = schema.VERSION_TABLE[kind]
    for name in schema.insert_order({t: ours[t] for t in schema.own_tables(ours, kind) if t != version}):
        lite.execute(f"DELETE FROM {q(name)}")  # rows MLflow's migrations seed (workspace 'default')
        if name not in theirs:
            continue
        mine = {c.name for c in ours[name].columns}
        lost = [c.name for c in theirs[name].columns if c.name not in mine]
        if lost:
            raise StoreError(f"{redacted}: table {name} has column(s) {', '.join(lost)} that MLflow's schema at its "
                             "revision does not; they would be lost. Was the table altered by hand?")
        cols = theirs[name].columns
        select = ", ".join(f"{q(c.name)}::text" if c.kind in ("json", "jsonb") else q(c.name) for c in cols)
        convs = [_convert(c.kind) for c in cols]
        insert = f"INSERT INTO {q(name)} ({', '.join(q(c.name) for c in cols)}) VALUES ({', '.join('?' for _ in cols)})"
        result = conn.execution_options(stream_results=True, max_row_buffer=BATCH).exec_driver_sql(
            f"SELECT {select} FROM {q(name)}")
        while True:
            chunk: list[Any] = list(result.fetchmany(BATCH))
            if not chunk:
                break
            if any(convs):
                chunk = [tuple(f(v) if f else v for f, v in zip(convs, row)) for row in chunk]
            lite.executemany(insert, chunk)
