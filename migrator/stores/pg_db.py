"""PostgreSQL reached safely: engines and connections whose failures become one redacted line, reads of an open
connection (`table_names`, `tables`, `counts`, `revision`, `sequences`, byte-ordered collations), and MLflow's own
migrations (tracking and basic-auth) run inside the caller's transaction.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from .. import migrations, schema
from ..errors import StoreError, _pg_error
from ..schema import Column, Table, qlist, quote_ident
from .base import Database
from .urls import make_url, redact

if TYPE_CHECKING:
    import sqlalchemy as sa


# --------------------------------------------------------------------------- engines and connections


def engine(url: str, search_path: str | None = None) -> "sa.Engine":
    """`search_path`: see with_search_path."""
    import sqlalchemy as sa

    return sa.create_engine(url if search_path is None else with_search_path(url, search_path),
                            poolclass=sa.pool.NullPool)


def with_search_path(url: str, schema_name: str) -> str:
    """The same URL with `schema_name` first on its connections' search_path from the first byte (libpq's
    options), so SQLAlchemy's, alembic's and MLflow's default schema is that one; the URL's own options are
    kept. Names of [a-z0-9_] only."""
    assert re.fullmatch(r"[a-z0-9_]+", schema_name), schema_name
    u = make_url(url)
    opts = u.query.get("options", "")
    if isinstance(opts, tuple):
        opts = " ".join(opts)
    opts = f"{opts} -c search_path={schema_name}".strip()
    return u.update_query_dict({"options": opts}).render_as_string(hide_password=False)


def describe_error(where: str, exc: Exception) -> str:
    """One line for a PostgreSQL error met while talking to the store named `where` (password redacted)."""
    mapped = _pg_error(getattr(exc, "orig", None) or exc, where, connecting=True)
    assert mapped is not None
    return redact(mapped.message)


def connect(url: str, where: str) -> "tuple[sa.Engine, sa.Connection]":
    """Connect, turning connection failures into one clear StoreError (password redacted)."""
    import sqlalchemy as sa

    eng = engine(url)
    try:
        conn = eng.connect()
    except sa.exc.OperationalError as e:
        raise StoreError(describe_error(where, e)) from None
    return eng, conn


@contextmanager


def connection(url: str, where: str) -> "Iterator[sa.Connection]":
    """One connection, closed (and its engine disposed) on the way out."""
    eng, conn = connect(url, where)
    try:
        yield conn
    finally:
        conn.close()
        eng.dispose()


# --------------------------------------------------------------------------- reads of an open connection


def query(conn: "sa.Connection", sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Rows of `sql` written with qmark placeholders (`?`), as every kind's `query` takes them."""
    return [tuple(r) for r in conn.exec_driver_sql(sql.replace("%", "%%").replace("?", "%s"), tuple(params)).all()]


def revision(conn: sa.Connection, kind: str = schema.TRACKING) -> str | None:
    table = schema.VERSION_TABLE[kind]
    if not conn.exec_driver_sql(f"SELECT to_regclass('{table}')").scalar():
        return None
    return conn.exec_driver_sql(f"SELECT version_num FROM {table}").scalar()

def table_names(conn: sa.Connection) -> list[str]:
    """Tables of the PostgreSQL schema in use (current_schema())."""
    return [r[0] for r in conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")]


def counts(conn: sa.Connection) -> dict[str, int]:
    return {n: int(conn.exec_driver_sql(f"SELECT count(*) FROM {quote_ident(n)}").scalar_one())
            for n in table_names(conn)}

_PG_KIND = {
    "varchar": "text", "bpchar": "text", "text": "text", "int4": "int", "int2": "smallint",
    "int8": "bigint", "float8": "float", "float4": "float4", "numeric": "other", "bool": "bool",
    "bytea": "bytes", "date": "date", "timestamp": "datetime", "timestamptz": "datetime",
    "json": "json", "jsonb": "jsonb",
}


def tables(conn: sa.Connection) -> dict[str, Table]:
    """Tables of the PostgreSQL schema in use (current_schema()), generated/dropped columns excluded."""
    rows = conn.exec_driver_sql("""
        SELECT c.relname, a.attname, t.typname, a.atttypmod, a.attnotnull, t.typtype
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
          AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY c.relname, a.attnum""").all()
    out: dict[str, Table] = {}
    for rel, name, typ, typmod, notnull, typtype in rows:
        kind = "text" if typtype == "e" else _PG_KIND.get(typ, "other")
        n = typmod - 4 if kind == "text" and typmod and typmod > 4 else None
        out.setdefault(rel, Table(rel, [], [])).columns.append(Column(name, kind, n, bool(notnull)))
    cons = conn.exec_driver_sql("""
        SELECT c.relname, k.contype, k.conname,
               ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
                     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i),
               p.relname,
               ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
                     JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class p ON p.oid = k.confrelid
        WHERE n.nspname = current_schema() AND k.contype IN ('p', 'f')
        ORDER BY c.relname, k.conname""").all()
    for rel, contype, _name, cols, parent, pcols in cons:
        if rel not in out:
            continue
        if contype == "p":
            out[rel].pk = list(cols)
        else:
            out[rel].fks.append((list(cols), parent, list(pcols)))
    return out


def sequences(conn: sa.Connection) -> list[tuple[str, str, str]]:
    """(table, column, sequence) for every serial and identity column of the current schema."""
    rows = conn.exec_driver_sql("""
        SELECT c.relname, a.attname, pg_get_serial_sequence(format('%%I.%%I', n.nspname, c.relname), a.attname)
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
          AND a.attnum > 0 AND NOT a.attisdropped
          AND (a.attidentity <> '' OR pg_get_serial_sequence(format('%%I.%%I', n.nspname, c.relname), a.attname) IS NOT NULL)
        ORDER BY 1, 2""").all()
    return [(t, c, s) for t, c, s in rows if s]


_BYTE_ORDER_LOCALES = ("C", "POSIX", "C.UTF-8", "C.utf8", "C.UTF8", "C.utf-8")

def byte_order_collations(conn: sa.Connection) -> set[int]:
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


def byte_order_columns(conn: sa.Connection, table: str, byte_order: set[int]) -> set[str]:
    """The columns of `table` whose collation (0: not collatable) sorts by bytes: ORDER BY them needs no
    COLLATE "C", so PostgreSQL can walk their index instead of sorting."""
    rows = conn.exec_driver_sql(f"""
        SELECT attname, attcollation::oid FROM pg_attribute
        WHERE attrelid = '{quote_ident(table)}'::regclass AND attnum > 0 AND NOT attisdropped""").all()
    return {n for n, c in rows if int(c) == 0 or int(c) in byte_order}

def migrate_in_transaction(conn: sa.Connection, kind: str = schema.TRACKING) -> None:
    """Create or upgrade one MLflow store's schema with MLflow's own migrations, inside the caller's open
    transaction (migrations.run: MLflow's env.py would open a second connection and commit on its own)."""
    migrations.run(conn, kind)


def drop_mlflow_tables(conn: sa.Connection, extra: Sequence[str] = (), kind: str = schema.TRACKING) -> None:
    """DROP the tables of one MLflow store (and `extra`) that the current schema holds; the other store's
    tables (tracking vs basic-auth) are left alone."""
    if kind == schema.AUTH:
        known = set(schema.auth_table_names()) | {"alembic_version_auth"}
    else:
        from mlflow.store.db.base_sql_model import Base

        known = (set(Base.metadata.tables) | set(extra) | {"alembic_version"}) - set(schema.auth_table_names())
    drop = [t for t in table_names(conn) if t in known]
    if drop:
        conn.exec_driver_sql(f"DROP TABLE {qlist(drop)} CASCADE")


class PgDatabase(Database):
    """A read-only view through one connection (each read in its own statement)."""

    def __init__(self, conn: "sa.Connection", close: Any = None) -> None:
        self.conn, self._close = conn, close

    def table_names(self) -> list[str]:
        return table_names(self.conn)

    def tables(self) -> dict[str, Table]:
        return tables(self.conn)

    def revision(self, kind: str = schema.TRACKING) -> str | None:
        return revision(self.conn, kind)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return query(self.conn, sql, params)

    def counts(self) -> dict[str, int]:
        return counts(self.conn)

    def size_bytes(self) -> int:
        return int(self.conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one())

    def close(self) -> None:
        if self._close is not None:
            self._close()

    def __enter__(self) -> "PgDatabase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
