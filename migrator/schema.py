"""MLflow schema knowledge, read from the live databases and from the installed MLflow.

Nothing here hard-codes MLflow's tables: columns, keys, foreign keys and sequences are
reflected from SQLite (PRAGMA) or PostgreSQL (pg_catalog); the schema itself is always
created by MLflow's own alembic migrations.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .errors import SchemaError

if TYPE_CHECKING:  # loaded by the functions that run migrations (the artifact path starts without it)
    import sqlalchemy as sa

# head revision -> MLflow releases whose head it is (MLFLOW_FACTS.md, re-checked on install)
RELEASE_HEADS: dict[str, str] = {
    "acf3f17fdcc7": "2.9-2.11",
    "4465047574b1": "2.16",
    "0584bdc529eb": "2.18-2.22",
    "6953534de441": "3.0",
    "bda7b8c39065": "3.1",
    "bf29a5ff90ea": "3.5-3.7",
    "1b5f0d9ad7c1": "3.10",
    "dc11669786a5": "3.17",
    "f4a9b2c7d1e6": "3.18",
}

INTERNAL_TABLES = {"alembic_version"}
TRACKING, AUTH = "tracking", "auth"  # the two stores an MLflow server keeps (since 3.6 possibly in one database)
VERSION_TABLE = {TRACKING: "alembic_version", AUTH: "alembic_version_auth"}


# --------------------------------------------------------------------------- revisions
@lru_cache(maxsize=1)
def _script():
    from alembic.script import ScriptDirectory
    from mlflow.store.db.utils import _get_alembic_config

    return ScriptDirectory.from_config(_get_alembic_config(db_url=""))


@lru_cache(maxsize=1)
def _auth_script():
    from alembic.script import ScriptDirectory
    from mlflow.server.auth.db.utils import _get_alembic_config

    return ScriptDirectory.from_config(_get_alembic_config(""))


def installed_head(kind: str = TRACKING) -> str:
    if kind == AUTH:
        return _auth_script().get_current_head()
    from mlflow.store.db.utils import _get_latest_schema_revision

    return _get_latest_schema_revision()


def installed_mlflow_version() -> str:
    import mlflow

    return mlflow.__version__


@lru_cache(maxsize=2)
def revision_chain(kind: str = TRACKING) -> tuple[str, ...]:
    """Revisions of the installed MLflow, oldest first."""
    script = _auth_script() if kind == AUTH else _script()
    return tuple(reversed([r.revision for r in script.walk_revisions()]))


def compare_to_installed(rev: str | None, kind: str = TRACKING) -> str:
    """'equal', 'older' or 'newer' (newer = unknown to the installed MLflow)."""
    chain = revision_chain(kind)
    if rev is None:
        return "older"
    if rev not in chain:
        return "newer"
    return "equal" if rev == chain[-1] else "older"


def releases_for(rev: str | None, kind: str = TRACKING) -> str:
    """Human description of the MLflow release(s) a revision belongs to."""
    if kind == AUTH:
        chain = revision_chain(AUTH)
        if rev is None:
            return "MLflow before 3.6 (a basic-auth database without a version table)"
        if rev not in chain:
            return f"unknown to the installed MLflow {installed_mlflow_version()} (made by a newer MLflow)"
        if rev == chain[-1]:
            return f"MLflow {installed_mlflow_version()}"
        return f"an older MLflow (auth revision {chain.index(rev) + 1} of {len(chain)})"
    if rev is None:
        return "unknown (no alembic revision recorded: pre-1.0 or empty store)"
    if rev in RELEASE_HEADS:
        return f"MLflow {RELEASE_HEADS[rev]}"
    chain = revision_chain()
    if rev not in chain:
        return f"unknown to the installed MLflow {installed_mlflow_version()} (made by a newer MLflow)"
    idx = chain.index(rev)
    if rev == chain[-1]:
        return f"MLflow {installed_mlflow_version()}"
    before = [RELEASE_HEADS[r] for r in chain[:idx] if r in RELEASE_HEADS]
    after = [RELEASE_HEADS[r] for r in chain[idx + 1:] if r in RELEASE_HEADS]
    lo = f"after MLflow {before[-1]}" if before else "older than MLflow 2.9"
    hi = f"up to MLflow {after[0]}" if after else f"up to MLflow {installed_mlflow_version()}"
    return f"between releases: {lo}, {hi}"


def require_not_newer(rev: str | None, what: str, kind: str = TRACKING) -> None:
    if compare_to_installed(rev, kind) == "newer":
        raise SchemaError(
            f"{what} has {'auth ' if kind == AUTH else ''}schema revision {rev}, newer than the installed MLflow "
            f"{installed_mlflow_version()} (head {installed_head(kind)}); "
            "upgrade MLflow (pip install -U mlflow) to a release that knows this revision and run again"
        )


def sqlite_revision(conn: sqlite3.Connection, kind: str = TRACKING) -> str | None:
    try:
        row = conn.execute(f"SELECT version_num FROM {VERSION_TABLE[kind]}").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def pg_revision(conn: sa.Connection, kind: str = TRACKING) -> str | None:
    table = VERSION_TABLE[kind]
    if not conn.exec_driver_sql(f"SELECT to_regclass('{table}')").scalar():
        return None
    return conn.exec_driver_sql(f"SELECT version_num FROM {table}").scalar()


# --------------------------------------------------------------------------- which store is which
@lru_cache(maxsize=1)
def auth_table_names() -> frozenset[str]:
    """The tables of MLflow's basic-auth schema at the installed head, as MLflow's own auth migrations make
    them (the models know only the newest four; the permission tables of older releases stay). Runs alembic:
    call it first in the main thread, never beside another migration (alembic's context is global)."""
    import shutil
    import tempfile

    import sqlalchemy as sa
    from mlflow.server.auth.db.utils import migrate

    tmp = tempfile.mkdtemp(prefix="migrator-authschema-")
    engine = sa.create_engine(f"sqlite:///{tmp}/auth.db", poolclass=sa.pool.NullPool)
    try:
        migrate(engine, "head")
        names = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    return frozenset(names - {"alembic_version_auth"})


def kinds_in(names: Iterable[str]) -> list[str]:
    """Which stores a database holds, from its table names: the tracking store (alembic_version and
    experiments), the basic-auth store (alembic_version_auth, or a pre-3.6 `users` table)."""
    names = set(names)
    out = []
    if "alembic_version" in names and "experiments" in names:
        out.append(TRACKING)
    if "alembic_version_auth" in names or ("users" in names and "experiments" not in names) or (
            "users" in names and {"experiment_permissions", "registered_model_permissions"} & names):
        out.append(AUTH)
    return out


def main_revision(names: Iterable[str], revision: Any) -> str | None:
    """The revision a backup manifest records: the tracking store's, or the auth store's in an auth-only
    database; `revision(kind)` reads one."""
    kinds = kinds_in(names)
    return revision(kinds[0]) if kinds else None


def own_tables(tables: dict[str, Any], kind: str) -> dict[str, Any]:
    """The tables of one store in a database that may hold both (version tables left out): the auth
    store's are its models' tables; the tracking store's are all others, so that tables added by future
    MLflow releases are copied without a code change."""
    if kind == TRACKING and AUTH not in kinds_in(tables):
        # no auth store here: every table is the tracking store's (one of the user's own, even if it is
        # called `users`, is then refused by the copy as a table MLflow does not create, never dropped)
        return {n: t for n, t in tables.items() if n != "alembic_version"}
    auth = auth_table_names() | {"alembic_version_auth"}
    if kind == AUTH:
        return {n: t for n, t in tables.items() if n in auth and n != "alembic_version_auth"}
    return {n: t for n, t in tables.items() if n not in auth and n != "alembic_version"}


# --------------------------------------------------------------------------- migrations
def upgrade_sqlite_file(path: str, kind: str = TRACKING) -> None:
    """Upgrade a SQLite file (only ever a snapshot copy) to the installed head, with MLflow's own migrations
    (for the auth store MLflow's own `migrate`, which first stamps a pre-3.6 database)."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    try:
        if kind == AUTH:
            from mlflow.server.auth.db.utils import migrate

            migrate(engine, "head")
        else:
            from mlflow.store.db.utils import _upgrade_db

            _upgrade_db(engine)
    except Exception as e:  # alembic / SQLAlchemy errors from MLflow's migrations
        raise SchemaError(f"MLflow's migrations failed on the snapshot copy (the source is untouched): "
                          f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}; "
                          "the store may have been modified by hand or by a non-MLflow tool") from None
    finally:
        engine.dispose()


def migrate_pg_in_transaction(conn: sa.Connection, kind: str = TRACKING) -> None:
    """Create or upgrade MLflow's schema with MLflow's own migrations, inside the caller's
    open transaction (MLflow's env.py would open a second connection and commit on its own).
    """
    if kind == AUTH:
        _migrate_auth_in_transaction(conn)
        return
    from alembic.runtime.environment import EnvironmentContext
    from mlflow.store.db.base_sql_model import Base
    from mlflow.store.db.utils import _get_alembic_config
    from mlflow.store.tracking.dbmodels.initial_models import Base as InitialBase

    if pg_revision(conn) is None:
        InitialBase.metadata.create_all(conn)  # what mlflow.store.db.utils._initialize_tables does first
    cfg = _get_alembic_config(db_url="")
    script = _script()

    def upgrade(rev: Any, context: Any) -> Any:
        return script._upgrade_revs("heads", rev)

    with EnvironmentContext(cfg, script, fn=upgrade, destination_rev="heads") as env:
        env.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True)
        with env.begin_transaction():
            env.run_migrations()


def _migrate_auth_in_transaction(conn: sa.Connection) -> None:
    """The basic-auth schema by MLflow's auth migrations (version table alembic_version_auth), in the
    caller's transaction; a pre-3.6 database (tables, no version table) is stamped first, as MLflow does."""
    from alembic.runtime.environment import EnvironmentContext
    from alembic.runtime.migration import MigrationContext
    from mlflow.server.auth.db.models import Base as AuthBase
    from mlflow.server.auth.db.utils import INITIAL_REVISION, _get_alembic_config

    cfg = _get_alembic_config("")
    script = _auth_script()
    names = set(pg_table_names(conn))
    if "users" in names and "alembic_version_auth" not in names:
        MigrationContext.configure(conn, opts={"version_table": "alembic_version_auth"}).stamp(script, INITIAL_REVISION)

    def upgrade(rev: Any, context: Any) -> Any:
        return script._upgrade_revs("heads", rev)

    with EnvironmentContext(cfg, script, fn=upgrade, destination_rev="heads") as env:
        env.configure(connection=conn, target_metadata=AuthBase.metadata, version_table="alembic_version_auth")
        with env.begin_transaction():
            env.run_migrations()


# --------------------------------------------------------------------------- reflection
@dataclass
class Column:
    name: str
    kind: str  # text, int, smallint, bigint, float, bool, bytes, date, datetime, json, other
    max_len: int | None = None
    notnull: bool = False


@dataclass
class Table:
    name: str
    columns: list[Column]
    pk: list[str]
    fks: list[tuple[list[str], str, list[str]]] = field(default_factory=list)  # (cols, parent, parent cols)

    def col(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _kind_from_decl(decl: str) -> tuple[str, int | None]:
    d = decl.upper().strip()
    m = re.search(r"\((\d+)\)", d)
    n = int(m.group(1)) if m else None
    if "BOOL" in d:
        return "bool", None
    if "BIGINT" in d:
        return "bigint", None
    if "SMALLINT" in d:
        return "smallint", None
    if "INT" in d:
        return "int", None
    if "CHAR" in d or "TEXT" in d or "CLOB" in d or "STRING" in d:
        return "text", n
    if "FLOAT" in d or "REAL" in d or "DOUB" in d:
        return "float", None
    if "BLOB" in d or "BINARY" in d or d == "":
        return ("bytes" if d else "other"), None
    if d == "DATE":
        return "date", None
    if "DATETIME" in d or "TIMESTAMP" in d:
        return "datetime", None
    if "JSON" in d:
        return "json", None
    return "other", None


def sqlite_table_names(conn: sqlite3.Connection) -> list[str]:
    """Tables of a SQLite database, sqlite_* internals left out."""
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def sqlite_table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {n: int(conn.execute(f"SELECT count(*) FROM {quote_ident(n)}").fetchone()[0])
            for n in sqlite_table_names(conn)}


def pg_table_names(conn: sa.Connection) -> list[str]:
    """Tables of the PostgreSQL schema in use (current_schema())."""
    return [r[0] for r in conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")]


def pg_table_counts(conn: sa.Connection) -> dict[str, int]:
    return {n: int(conn.exec_driver_sql(f"SELECT count(*) FROM {quote_ident(n)}").scalar())
            for n in pg_table_names(conn)}


def sqlite_tables(conn: sqlite3.Connection) -> dict[str, Table]:
    """Tables of a SQLite store (sqlite_* internals left out), generated columns excluded."""
    out: dict[str, Table] = {}
    for t in sqlite_table_names(conn):
        cols, pk = [], []
        info = conn.execute(f'PRAGMA table_xinfo("{t}")').fetchall()
        for _cid, name, decl, notnull, _dflt, pkpos, hidden in info:
            if hidden:  # 2/3: generated columns; PostgreSQL computes them itself
                continue
            kind, n = _kind_from_decl(decl or "")
            cols.append(Column(name, kind, n, bool(notnull) or pkpos > 0))
        pk = [r[1] for r in sorted((r for r in info if r[5] > 0), key=lambda r: r[5])]
        fks: dict[int, tuple[list[str], str, list[str]]] = {}
        for _id, _seq, parent, frm, to, *_ in conn.execute(f'PRAGMA foreign_key_list("{t}")'):
            entry = fks.setdefault(_id, ([], parent, []))
            entry[0].append(frm)
            entry[2].append(to)
        out[t] = Table(t, cols, pk, list(fks.values()))
    return out


_PG_KIND = {
    "varchar": "text", "bpchar": "text", "text": "text", "int4": "int", "int2": "smallint",
    "int8": "bigint", "float8": "float", "float4": "float4", "numeric": "other", "bool": "bool",
    "bytea": "bytes", "date": "date", "timestamp": "datetime", "timestamptz": "datetime",
    "json": "json", "jsonb": "jsonb",
}


def pg_tables(conn: sa.Connection) -> dict[str, Table]:
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


def pg_sequences(conn: sa.Connection) -> list[tuple[str, str, str]]:
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


def insert_order(tables: dict[str, Table]) -> list[str]:
    """Parents before children (Kahn's algorithm on the FK graph; self-references ignored)."""
    deps = {t: {p for _c, p, _pc in tb.fks if p != t and p in tables} for t, tb in tables.items()}
    order: list[str] = []
    ready = sorted(t for t, d in deps.items() if not d)
    while ready:
        t = ready.pop(0)
        order.append(t)
        for other in sorted(deps):
            if t in deps[other]:
                deps[other].discard(t)
                if not deps[other] and other not in order and other not in ready:
                    ready.append(other)
        ready.sort()
    order += sorted(t for t in tables if t not in order)  # cycles, if any: constraints are off during load
    return order


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def qlist(names: Iterable[str]) -> str:
    return ", ".join(quote_ident(n) for n in names)


def drop_mlflow_tables(conn: sa.Connection, extra: Sequence[str] = (), kind: str = TRACKING) -> None:
    """DROP the tables of one MLflow store (and `extra`) that the current schema holds; the other store's
    tables (tracking vs basic-auth) are left alone."""
    if kind == AUTH:
        known = set(auth_table_names()) | {"alembic_version_auth"}
    else:
        from mlflow.store.db.base_sql_model import Base

        known = (set(Base.metadata.tables) | set(extra) | {"alembic_version"}) - set(auth_table_names())
    drop = [t for t in pg_table_names(conn) if t in known]
    if drop:
        conn.exec_driver_sql(f"DROP TABLE {qlist(drop)} CASCADE")
