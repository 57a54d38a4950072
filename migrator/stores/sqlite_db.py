"""SQLite files read safely: read-only connections, snapshots through SQLite's online backup API (safe while
`mlflow server` writes), reads of an open connection (`table_names`, `tables`, `counts`, `revision`), and MLflow's
migrations run on a snapshot copy (`bring_to_head`). Never MLflow on the store in place (it would upgrade it).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import quote

from .. import migrations, schema
from .. import renumber as renumbering
from ..errors import MigratorError, SchemaError, StoreError, _sqlite_error
from ..schema import Column, Table
from ..schema import quote_ident as q
from ..tempdirs import private_tempdir, require_room, store_size
from .base import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_LOCK_WAIT_S = 30.0  # how long a read waits for a writer's lock


# --------------------------------------------------------------------------- files and connections
def check_file(path: Path) -> None:
    """Fail clearly for a missing file, a directory, or a file that is not SQLite."""
    if not path.exists():
        raise StoreError(f"SQLite store {path} does not exist; check the path")
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a SQLite file; give the path of the .db file")
    with open(path, "rb") as f:
        head = f.read(16)
    if head != SQLITE_MAGIC:
        raise StoreError(f"{path} is not a SQLite database; give the path of an MLflow SQLite store")


def ro_uri(path: Path | str) -> str:
    """The URI that opens `path` read-only (`sqlite3.connect(ro_uri(p), uri=True)`), any character quoted."""
    return f"file:{quote(str(path))}?mode=ro"


def open_readonly(path: Path) -> sqlite3.Connection:
    """Open a SQLite file read-only (never through MLflow, which would upgrade it in place)."""
    check_file(path)
    uri = ro_uri(path)
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=SQLITE_LOCK_WAIT_S)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        raise failure(path, e) from None
    return conn


def describe_error(path: Path, exc: Exception, action: str = "cannot read SQLite store") -> str:
    if "locked" in str(exc).lower() or "busy" in str(exc).lower():
        return (f"{action} {path}: {exc} (another process held a write lock for more than "
                f"{SQLITE_LOCK_WAIT_S:g} s); run again when that write is done")
    return f"{action} {path}: {exc}"


def failure(path: Path, exc: Exception, action: str = "cannot read SQLite store") -> StoreError:
    """A damaged, locked or unreadable store (exit 1; a writer's lock is exit 4 only where migrator
    writes, e.g. rewrite-artifacts)."""
    low = str(exc).lower()
    if "locked" not in low and "busy" not in low and isinstance(exc, sqlite3.Error):
        mapped = _sqlite_error(exc, str(path))  # the wording every SQLite fault gets (damaged, full, ...)
        if mapped is not None:
            return StoreError(mapped.message)
    return StoreError(describe_error(path, exc, action))


def require_mlflow(conn: sqlite3.Connection, path: Path) -> None:
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as e:
        raise failure(path, e) from None
    if "alembic_version" not in names or "experiments" not in names:
        raise StoreError(
            f"{path} is a SQLite database but not an MLflow tracking store "
            "(no alembic_version/experiments tables); give the file that `mlflow server "
            "--backend-store-uri sqlite:///FILE` uses"
        )


# --------------------------------------------------------------------------- reads of an open connection
def table_names(conn: sqlite3.Connection) -> list[str]:
    """Tables of a SQLite database, sqlite_* internals left out."""
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {n: int(conn.execute(f"SELECT count(*) FROM {q(n)}").fetchone()[0]) for n in table_names(conn)}


def rowid_bounds(conn: sqlite3.Connection, table: str) -> tuple[Any, Any]:
    """(min(rowid), max(rowid)) of a table, (None, None) when it is empty: two queries, each a walk down one
    edge of the b-tree (SQLite answers `SELECT min(rowid), max(rowid)` in one query by scanning the whole
    table: 1.25 s at 15 M rows)."""
    name = q(table)
    lo = conn.execute(f"SELECT min(rowid) FROM {name}").fetchone()[0]
    hi = conn.execute(f"SELECT max(rowid) FROM {name}").fetchone()[0]
    return lo, hi


def revision(conn: sqlite3.Connection, kind: str = schema.TRACKING) -> str | None:
    try:
        row = conn.execute(f"SELECT version_num FROM {schema.VERSION_TABLE[kind]}").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


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


def tables(conn: sqlite3.Connection) -> dict[str, Table]:
    """Tables of a SQLite store (sqlite_* internals left out), generated columns excluded."""
    out: dict[str, Table] = {}
    for t in table_names(conn):
        cols = []
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


# --------------------------------------------------------------------------- snapshots and upgrades of copies
def snapshot(src: Path, dest: Path, *, require_mlflow_store: bool = True, durable: bool = True) -> None:
    """Copy `src` to `dest` in one backup step (a single read transaction: consistent).

    durable=False, for snapshots that live only as long as this process: no journal and no fsync of
    `dest` (a failed backup step leaves it unusable, and it is thrown away then). That spares writing
    the whole store to disk while a migration needs the disk for PostgreSQL's WAL.
    """
    source = open_readonly(src)
    try:
        if require_mlflow_store:
            require_mlflow(source, src)
        require_room(dest.parent, store_size(src), f"a snapshot of {src}")
        fd = os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        target = sqlite3.connect(dest)
        if not durable:
            target.execute("PRAGMA synchronous = OFF")
            target.execute("PRAGMA journal_mode = OFF")
        try:
            source.backup(target, pages=-1)
        except sqlite3.DatabaseError as e:
            if "full" in str(e).lower():
                raise MigratorError(f"{dest.parent} filled up while taking a snapshot of {src} "
                                    f"({store_size(src) / 1e6:,.1f} MB needed); free space there, or give --tmpdir "
                                    "(or TMPDIR, or --dest) a folder with room") from None
            raise failure(src, e, "cannot snapshot") from None
        finally:
            target.close()
    finally:
        source.close()


@contextmanager
def temporary_snapshot(src: Path, *, require_mlflow: bool = True,
                       timer: Callable[[str], Any] | None = None) -> Iterator[Path]:
    """A snapshot of `src` in a private temporary folder, removed afterwards (or by the next run, if this
    process is killed)."""
    tmp = private_tempdir("snap")
    try:
        dest = tmp / "snapshot.db"
        if timer is not None:
            with timer("snapshot"):
                snapshot(src, dest, require_mlflow_store=require_mlflow, durable=False)
        else:
            snapshot(src, dest, require_mlflow_store=require_mlflow, durable=False)
        yield dest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def change_counter(path: Path) -> tuple[int, int]:
    """The header's file change counter and journal mode byte (1: rollback journal, 2: WAL)."""
    with open(path, "rb") as f:
        head = f.read(28)
    return int.from_bytes(head[24:28], "big"), head[18]


@contextmanager
def read_in_place(path: Path, kind: str | None, holders: Callable[[Path], list[str]]) -> Iterator[Path | None]:
    """`path` itself, read where it lies, when that is as good as a snapshot and nothing else can change it
    while migrator reads: a rollback-journal file (not WAL) with no journal or WAL beside it, that no other
    process holds open (`holders`), at the installed MLflow's schema of `kind` (None: any schema). A read
    transaction is held on it throughout (SQLite's shared lock: a writer that appears waits, and every reader,
    a snapshot taken inside the block too, sees the same state), and the change counter is checked again at
    the end. Otherwise None: the caller takes a snapshot."""
    check_file(path)
    if any(Path(f"{path}{s}").exists() and Path(f"{path}{s}").stat().st_size for s in ("-journal", "-wal")):
        yield None
        return
    counter, mode = change_counter(path)
    if mode != 1 or holders(path):
        yield None
        return
    guard = open_readonly(path)
    try:
        guard.execute("BEGIN")
        if kind == schema.TRACKING:
            require_mlflow(guard, path)
        rev = revision(guard, kind) if kind is not None else None
        if ((kind is not None and (rev is None or schema.compare_to_installed(rev, kind) != "equal"))
                or change_counter(path)[0] != counter):
            yield None
            return
        yield path
        if change_counter(path)[0] != counter:  # cannot happen while the shared lock holds: said, never assumed
            raise MigratorError(f"{path} changed while it was read in place; nothing was written. Stop whatever "
                                "writes it and run again")
    finally:
        guard.close()


def analyze(path: Path) -> None:
    """Planner statistics in one of migrator's own snapshots (a sample of each index, a fraction of a second):
    without them SQLite answers MLflow's metric-history query (run_uuid = ? AND key = ?) by walking every row
    of the key, seconds per call on a big store; with them it takes its (run_uuid, key, step) index. Only
    ever on a private copy, while nothing else reads it; a failure leaves it as it was."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA analysis_limit = 1000")
        conn.execute("ANALYZE")
        conn.commit()
        # a snapshot of a WAL-mode store is in WAL mode: the statistics go into the file itself now (a reader
        # left open elsewhere would keep them in a -wal file that does not follow the file when it is moved)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        conn.rollback()
    finally:
        conn.close()


def sample_of(ids: Sequence[str], sample: int) -> list[str]:
    """The runs an MlflowClient check reads in full: `sample` of the sorted run ids, evenly spaced."""
    if not sample:
        return []
    return list(ids[::max(1, len(ids) // sample)][:sample])


SAMPLED_TABLE = "metrics"  # the one table copied only for the sampled runs (its rows are most of a big store)


def sampled_copy(src: Path, dest: Path, sample: int) -> list[str]:
    """A private copy of `src` for MlflowClient to read: every table in full but `metrics`, whose rows are
    copied only for `sample_of(every run id, sample)`; returns those run ids. One read transaction on `src`
    (consistent, as a snapshot); MLflow's schema as `src` has it (its own CREATE statements, indexes after the
    rows), planner statistics taken. At 15 M metric rows this writes a few MB where a snapshot writes 3.9 GB."""
    fd = os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    conn = sqlite3.connect(f"file:{quote(str(dest))}", uri=True, isolation_level=None, timeout=SQLITE_LOCK_WAIT_S)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("ATTACH DATABASE ? AS src", (ro_uri(src),))
        conn.execute("BEGIN")
        objs = conn.execute("SELECT type, name, sql FROM src.sqlite_master WHERE sql IS NOT NULL "
                            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid").fetchall()
        names = [n for t, n, _ in objs if t == "table"]
        for t, _, sql in objs:
            if t == "table":
                conn.execute(sql)
        ids = [r for (r,) in conn.execute("SELECT run_uuid FROM src.runs ORDER BY run_uuid COLLATE BINARY")] \
            if "runs" in names else []
        picked = sample_of(ids, sample)
        conn.execute("CREATE TEMP TABLE mig_sampled (run_uuid TEXT PRIMARY KEY)")
        conn.executemany("INSERT INTO mig_sampled VALUES (?)", [(r,) for r in picked])
        for n in names:
            # stored columns only (a generated column, e.g. of spans, is computed again from them)
            cols = ", ".join(q(r[1]) for r in conn.execute(f"PRAGMA src.table_xinfo({q(n)})") if r[6] == 0)
            where = " WHERE run_uuid IN (SELECT run_uuid FROM mig_sampled)" if n == SAMPLED_TABLE else ""
            conn.execute(f"INSERT INTO main.{q(n)} ({cols}) SELECT {cols} FROM src.{q(n)}{where}")
        for t, _, sql in objs:
            if t != "table":
                conn.execute(sql)
        conn.execute("COMMIT")
    except sqlite3.Error as e:
        raise failure(src, e, "cannot copy the sampled runs of") from None
    finally:
        conn.close()
    analyze(dest)
    return picked


def bring_to_head(path: Path | str, kind: str = schema.TRACKING) -> None:
    """Upgrade a SQLite file (only ever a snapshot copy) to the installed head, with MLflow's own migrations
    (for the auth store MLflow's own `migrate`, which first stamps a pre-3.6 database)."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    try:
        with migrations.ALEMBIC:
            if kind == schema.AUTH:
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


def to_head(path: Path, kind: str, label: str) -> None:
    """A private snapshot at the installed head: upgraded with MLflow's migrations when older (a newer one
    is refused, naming `label`)."""
    conn = open_readonly(path)
    try:
        rev = revision(conn, kind)
    finally:
        conn.close()
    schema.require_not_newer(rev, label, kind)
    if schema.compare_to_installed(rev, kind) == "older":
        bring_to_head(path, kind)


def create_at_revision(path: Path | str, kind: str, revision: str) -> None:
    """A new SQLite store at `path` with MLflow's schema at `revision`, made by MLflow's own code as it makes
    a fresh store (its initial tables, then its migrations through alembic, stopped at `revision`)."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    try:
        with migrations.ALEMBIC:
            _create_at_revision(engine, kind, revision)
    finally:
        engine.dispose()


def _create_at_revision(engine: Any, kind: str, revision: str) -> None:
    if kind == schema.AUTH:
        from mlflow.server.auth.db.utils import migrate

        migrate(engine, revision)
        return
    from alembic import command
    from mlflow.store.db.utils import _get_alembic_config
    from mlflow.store.tracking.dbmodels.initial_models import Base as InitialBase

    InitialBase.metadata.create_all(engine)
    config = _get_alembic_config(str(engine.url))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


class SqliteDatabase(Database):
    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn, self.path = conn, path

    def table_names(self) -> list[str]:
        return table_names(self.conn)

    def tables(self) -> dict[str, Table]:
        return tables(self.conn)

    def revision(self, kind: str = schema.TRACKING) -> str | None:
        return revision(self.conn, kind)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    def counts(self) -> dict[str, int]:
        return counts(self.conn)

    def size_bytes(self) -> int:
        return store_size(self.path)

    def out_of_range_experiment_ids(self) -> list[int]:
        return renumbering.out_of_range_ids(self.conn) if schema.TRACKING in self.kinds() else []

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "SqliteDatabase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
