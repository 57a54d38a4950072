"""The PostgreSQL kind: a database URL (`PostgresStore`), its verification side (one REPEATABLE READ READ ONLY
transaction, whose snapshot worker processes share) and its writer. Connections and reads are in `pg_db`,
dumps and restores in `pg_archive`."""

from __future__ import annotations

import os
import uuid
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from .. import schema
from ..errors import SchemaError, StoreError
from ..schema import Table
from ..schema import quote_ident as q
from ..tempdirs import process_alive
from . import pg_archive as archive
from . import pg_db
from . import pg_upgrade as upgrading
from .base import Database, KeyRange, Restored, Side, SideSpec, Store, Writer, not_mlflow
from .pg_server import get_server
from .urls import PG_SCHEMES, escape_password_at, make_url, redact

FETCH = 10_000  # rows of a compare read fetched at a time (its memory, times two worker processes)

if TYPE_CHECKING:  # SQLAlchemy loads where a PostgreSQL store is reached (the SQLite and artifact paths start faster)
    import sqlalchemy as sa


class PgWriter(Writer):
    def __init__(self, store: "PostgresStore") -> None:
        self.engine, self.conn = pg_db.connect(store.url, store.redacted)
        self.tx: sa.RootTransaction | None = None
        try:
            self.tables = pg_db.tables(self.conn)
            if pg_db.revision(self.conn) is None:
                raise not_mlflow(store.redacted)
        except BaseException:
            self.close()
            raise

    def begin(self) -> None:
        if self.conn.in_transaction():  # reflection/preflight reads autobegan one; end it
            self.conn.rollback()
        self.tx = self.conn.begin()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple]:
        yield from self.conn.exec_driver_sql(sql.replace("?", "%s"), tuple(params) or None)

    def execute(self, sql: str, params: Sequence[Any]) -> int:
        return self.conn.exec_driver_sql(sql.replace("?", "%s"), tuple(params)).rowcount

    def commit(self) -> None:
        assert self.tx is not None
        self.tx.commit()

    def rollback(self) -> None:
        if self.tx is not None and self.tx.is_active:
            self.tx.rollback()

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


class PgSide(Side):
    kind = "postgresql"

    def __init__(self, conn: sa.Connection, store_kind: str = schema.TRACKING) -> None:
        self.conn = conn
        self.store_kind = store_kind
        self.all_tables = pg_db.tables(conn)
        self.kinds = schema.kinds_in(self.all_tables)
        self._byte_order: set[int] | None = None  # collation oids that sort by bytes, asked once
        self._plain: dict[str, set[str]] = {}

    def revision(self) -> str | None:
        return pg_db.revision(self.conn, self.store_kind)

    def count(self, table: str, exclude_rejected: bool = False) -> int:
        return int(self.conn.exec_driver_sql(f"SELECT count(*) FROM {q(table)}").scalar_one())

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
        cur.itersize = FETCH  # type: ignore[attr-defined]  # a psycopg2 named cursor
        try:
            cur.execute(f"SELECT {sel} FROM {q(t.name)} WHERE {cond} ORDER BY {order}", params or None)
            while batch := cur.fetchmany(FETCH):
                yield from batch
        finally:
            cur.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return pg_db.query(self.conn, sql, params)

    def byte_ordered(self, table: str) -> set[str]:
        """Columns of `table` that sort by bytes as they are (their collation is C, POSIX or C.UTF-8)."""
        if self._byte_order is None:
            self._byte_order = pg_db.byte_order_collations(self.conn)
        if table not in self._plain:
            self._plain[table] = pg_db.byte_order_columns(self.conn, table, self._byte_order)
        return self._plain[table]

    def spec(self, store: Store) -> SideSpec | None:
        """The snapshot of this side's REPEATABLE READ transaction, exported for worker processes."""
        import sqlalchemy as sa

        try:
            with self.conn.begin_nested():
                snap = self.conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
        except sa.exc.DBAPIError:
            return None
        return SideSpec(self.kind, store.url, self.store_kind, None, str(snap))

    def sequence_checks(self, label: str) -> list[tuple[str, bool, str]]:
        out = []
        for t, c, seq in pg_db.sequences(self.conn):
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
            out.append((f"sequence {label} {t}.{c}", ok, detail))
        return out


def _read_only(conn: sa.Connection, snapshot: str | None = None) -> None:
    conn.begin()
    conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    if snapshot:
        conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")


def open_spec_side(spec: SideSpec) -> PgSide:
    conn = pg_db.engine(spec.address, spec.search_path).connect()
    _read_only(conn, spec.snapshot)
    return PgSide(conn, spec.store_kind)


class PostgresStore(Store):
    kind = "postgresql"
    label = "PostgreSQL"
    restore_hint = "restore it into a postgresql:// database"

    def __init__(self, url: str) -> None:
        self.url = url  # postgresql+psycopg2://...
        self.path = None

    @property
    def redacted(self) -> str:
        return redact(self.url)

    @property
    def name(self) -> str:
        return make_url(self.url).database or "postgres"

    def check_exists(self) -> None:
        return None  # a connection tells

    def in_schema(self, schema_name: str) -> "PostgresStore":
        """The same database with `schema_name` first on every connection's search_path."""
        return PostgresStore(pg_db.with_search_path(self.url, schema_name))

    def with_database(self, database: str) -> "PostgresStore":
        return PostgresStore(make_url(self.url).set(database=database).render_as_string(hide_password=False))

    def connect(self) -> tuple[sa.Engine, sa.Connection]:
        return pg_db.connect(self.url, self.redacted)

    def connection(self) -> Any:
        """A context manager: one connection, closed with its engine on the way out."""
        return pg_db.connection(self.url, self.redacted)

    def open_readonly(self) -> pg_db.PgDatabase:
        engine, conn = self.connect()

        def close() -> None:
            conn.close()
            engine.dispose()

        return pg_db.PgDatabase(conn, close)

    def require_mlflow(self, db: Database) -> None:
        if not db.kinds():
            raise not_mlflow(self.redacted)

    def require_tracking(self, db: Database) -> None:
        if schema.TRACKING not in db.kinds():
            raise not_mlflow(self.redacted)

    def open_side(self, stack: ExitStack) -> PgSide:
        engine, conn = self.connect()
        stack.callback(engine.dispose)
        stack.callback(conn.close)
        _read_only(conn)
        side = PgSide(conn)
        if not side.kinds:
            raise not_mlflow(self.redacted)
        return side

    def writer(self, busy_timeout: float) -> PgWriter:
        return PgWriter(self)

    def client_uri(self, stack: ExitStack, private: bool = False) -> tuple[str | None, str]:
        with self.connection() as conn:
            rev = pg_db.revision(conn)
            n = conn.exec_driver_sql("SELECT count(*) FROM experiments").scalar() if rev else 0
        if rev != schema.installed_head():
            return None, (f"{self.redacted} is at revision {rev}, not the installed MLflow's head; MlflowClient "
                          "would upgrade it")
        if not n:
            return None, f"{self.redacted} has no experiments; MlflowClient would insert the Default experiment"
        return self.url, ""

    def credentials(self) -> tuple[str, str | None]:
        """(the URL without its password, in the postgresql:// spelling; the password or None)."""
        from sqlalchemy.engine import URL

        u = make_url(self.url)
        password = u.password
        query = dict(u.query)
        if password is None and isinstance(query.get("password"), str):
            password = str(query["password"])
        query.pop("password", None)
        clean = URL.create(u.drivername, username=u.username, password=None, host=u.host, port=u.port,
                           database=u.database, query=query).render_as_string(hide_password=False)
        return clean.replace("postgresql+psycopg2://", "postgresql://", 1), password

    @property
    def source_label(self) -> str:
        return self.redacted

    def check_client_revision(self, role: str) -> None:
        """MlflowClient on this database must not upgrade it in place: at the installed head, or empty (target)."""
        with self.connection() as conn:
            rev = pg_db.revision(conn)
            n_tables = len(pg_db.table_names(conn))
        if rev is None:
            if role == "source":
                raise not_mlflow(f"the {role} {self.redacted}")
            if n_tables:
                raise StoreError(f"the {role} {self.redacted} holds {n_tables} tables but no MLflow schema; "
                                 "use an empty database or an MLflow one")
            return
        state = schema.compare_to_installed(rev)
        head, version = schema.installed_head(), schema.installed_mlflow_version()
        if state == "newer":
            raise SchemaError(f"the {role} {self.redacted} has schema revision {rev}, newer than the installed MLflow "
                              f"{version} (head {head}); upgrade MLflow and run again")
        if state != "equal":
            raise SchemaError(f"the {role} {self.redacted} has schema revision {rev}, older than the installed MLflow "
                              f"{version} (head {head}); MLflow would upgrade it in place. "
                              + ("Run `mlflow db upgrade <url>` on it (after `migrator backup`) and run again"
                                 if role == "target" else
                                 "Restore a backup of it into a scratch database and copy from that, "
                                 "or run the copy with the MLflow release that wrote it"))

    @contextmanager
    def private_snapshot(self, *, kind: str = schema.TRACKING,
                         timer: Callable[[str], Any] | None = None) -> Iterator[Path]:
        """MLflow's tables read in one REPEATABLE READ READ ONLY transaction into a SQLite file (pg_snapshot)."""
        import shutil

        from ..tempdirs import private_tempdir
        from .pg_snapshot import to_sqlite

        tmp = private_tempdir("snap")
        try:
            dest = tmp / "snapshot.db"
            with timer("snapshot") if timer is not None else nullcontext():
                to_sqlite(self.url, self.redacted, dest, kind)
            yield dest
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @contextmanager
    def copy_at_head(self) -> Iterator[str]:
        """The database itself, read in place: only when it is at the installed head (it is not copied)."""
        self.check_client_revision("source")
        yield self.url

    def require_client_target(self) -> None:
        self.check_client_revision("target")

    def dump(self, folder: Path, method: str, stem: str, *, pg_format: str, jobs: int) -> dict[str, Any]:
        return archive.backup_postgres(self.url, self.redacted, folder, method, stem, pg_format=pg_format, jobs=jobs)

    def in_use(self) -> list[str]:
        with self.connection() as conn:
            return upgrading.sessions(conn)

    def upgrade_session(self, *, rehearse: bool, force: bool) -> Any:
        return upgrading.upgrade_session(self, rehearse=rehearse, force=force)

    def check_restore(self, force: bool, kind: str | None) -> None:
        archive.check_restore_target(self.url, self.redacted, force, kind)

    @classmethod
    @contextmanager
    def scratch(cls, server: str | None) -> Iterator[Callable[[], Store]]:
        """Scratch databases on `server`, or on an embedded server of its own: a new one at each call (a backup's
        tracking and basic-auth parts each get their own), every one dropped afterwards."""
        from ..errors import MigratorError
        from ..tempdirs import private_tempdir

        embedded = None
        if server is None:
            try:
                import pgserver  # noqa: F401  (the embedded extra: a scratch server of our own)
            except ImportError:
                raise MigratorError("a restore drill of a PostgreSQL backup needs a scratch server: pass --scratch-url "
                                    "postgresql://user:pw@host/postgres or install the embedded extra") from None
            embedded = get_server(private_tempdir("drill"), cleanup_mode="delete")
            server = embedded.get_uri()
        import sqlalchemy as sa

        admin = PostgresStore(_driver_url(server))
        eng = sa.create_engine(admin.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        made: list[str] = []
        mine = f"migrator_drill_{_host_tag()}_"
        with eng.connect() as c:  # what killed runs of this host left (their process is gone)
            for (old,) in c.exec_driver_sql("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                            (mine.replace("_", r"\_") + "%",)).all():
                pid = old[len(mine):].split("_", 1)[0]
                if pid.isdigit() and not process_alive(int(pid)):
                    c.exec_driver_sql(f"DROP DATABASE IF EXISTS {q(old)} WITH (FORCE)")

        def make() -> Store:
            name = f"{mine}{os.getpid()}_{uuid.uuid4().hex[:8]}"
            with eng.connect() as c:
                c.exec_driver_sql(f"CREATE DATABASE {q(name)}")
            made.append(name)
            return admin.with_database(name)

        try:
            yield make
        finally:
            try:
                with eng.connect() as c:
                    for name in made:
                        c.exec_driver_sql(f"DROP DATABASE IF EXISTS {q(name)} WITH (FORCE)")
            finally:
                eng.dispose()
                if embedded is not None:
                    embedded.cleanup()

    def restore_dump(self, dump: Path, *, compression: str, tables: Sequence[str], pg_format: str | None,
                     force: bool, kind: str | None, jobs: int) -> Restored:
        return archive.restore_dump(self.url, self.redacted, dump, tables, pg_format, force=force, kind=kind, jobs=jobs)


def _host_tag() -> str:
    """A short tag of this host in scratch database names: a run cleans up only what runs of its own host left."""
    import hashlib
    import socket

    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def _driver_url(address: str) -> str:
    """Any accepted spelling (postgresql://, postgres://, postgresql+psycopg://, ...) as the psycopg2 URL every
    connection of migrator uses (a password's '@' escaped)."""
    low = address.lower()
    scheme = next(s for s in PG_SCHEMES if low.startswith(s))
    return "postgresql+psycopg2://" + escape_password_at(address[len(scheme):])
