"""The PostgreSQL target: what it holds, the run lock, and MLflow's schema created in an open transaction."""

from __future__ import annotations

import threading
import time
import zlib
from typing import TYPE_CHECKING, Any, Sequence

from .. import schema
from ..errors import Locked, MigratorError, TargetNotEmpty, privilege_hint
from ..schema import quote_ident as q
from ..stores import PostgresStore, Store, pg_db
from .result import CopyOptions, Timer
from .staging import Stage

if TYPE_CHECKING:  # SQLAlchemy and psycopg2 load on first use: copy workers (direct.py) import this package too
    import sqlalchemy as sa

LOCK_WAIT_S = 10.0  # how long to wait for another run's lock before giving up (exit 4)


def describe_target(conn: sa.Connection, kind: str = schema.TRACKING) -> tuple[str, dict[str, int]]:
    """('empty' | 'fresh' | 'data' | 'foreign', {table: rows}) of one store's tables in the current schema
    (a database that holds the other store's tables only is empty for this one)."""
    every = pg_db.table_names(conn)
    names = list(schema.own_tables(dict.fromkeys(every), kind))
    version = schema.VERSION_TABLE[kind]
    if not names and version not in every:
        return "empty", {}
    if kind == schema.TRACKING and version not in every:
        return "foreign", {n: -1 for n in names}
    counts = {}
    for n in names:
        c = conn.exec_driver_sql(f"SELECT count(*) FROM {q(n)}").scalar()
        if c:
            counts[n] = int(c)
    if kind == schema.AUTH:
        return ("data" if counts else "fresh"), counts
    seeded = set(counts) <= {"workspaces", "experiments"}
    if seeded and counts.get("workspaces", 0) <= 1 and counts.get("experiments", 0) <= 1:
        ws = conn.exec_driver_sql("SELECT name FROM workspaces").scalars().all() if "workspaces" in counts else []
        ex = conn.exec_driver_sql("SELECT experiment_id, name FROM experiments").all() if "experiments" in counts else []
        if all(w == "default" for w in ws) and all(tuple(e) == (0, "Default") for e in ex):
            return "fresh", counts
    return "data", counts

def lock_key(conn: sa.Connection) -> int:
    db = conn.exec_driver_sql("SELECT current_database() || '.' || current_schema()").scalar()
    return zlib.crc32(f"migrator:{db}".encode()) - 2**31

class PreparedTarget:
    """Lock the target, check it and create MLflow's schema, in a thread that runs while the source is being
    snapshotted (the target's schema is always the installed MLflow's head): in a staging schema for a
    parallel load (`options.jobs` > 1; see staging.py), else in an open transaction on the target."""

    def __init__(self, target: PostgresStore, options: CopyOptions, source: Store, timer: Timer) -> None:
        self.target, self.options, self.timer = target, options, timer
        self.engine: sa.Engine | None = None
        self.conn: sa.Connection | None = None
        self.tx: Any = None
        self.error: BaseException | None = None
        # a target that already holds MLflow data at the installed head: maybe this very copy, committed by a
        # run killed afterwards; the pipeline compares it with the snapshot before refusing it
        self.existing: TargetNotEmpty | None = None
        self.kind = options.kind
        self.stage: Stage | None = None
        self.fallback: str | None = None  # why a parallel load runs on one connection after all
        with source.open_readonly() as src:  # only the table names, for --replace
            self.source_tables = src.table_names()
        if options.kind == schema.AUTH or schema.AUTH in schema.kinds_in(self.source_tables):
            schema.auth_table_names()  # alembic runs it: before this thread's migrations start, not beside them
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.engine, self.conn = self.target.connect()
            self.tx = self.conn.begin()
            staged = (self.options.jobs > 1 or self.options.workspace is not None) and not self.options.dry_run
            self.existing = prepare_target(self.conn, self.target, self.options, self.source_tables, self.timer,
                                           staged=staged)
            if staged and self.existing is None:
                self._stage()
        except BaseException as e:  # handed to the main thread by wait()
            self.error = e

    def _stage(self) -> None:
        """MLflow's schema in a fresh staging schema (committed); without the right to create a schema, the
        single transaction instead (the session lock is held either way)."""
        import psycopg2
        import sqlalchemy as sa

        try:
            self._staged_schema()
        except (sa.exc.DBAPIError, psycopg2.Error) as e:
            raise prepare_error(self.target, e) from None

    def _staged_schema(self) -> None:
        import psycopg2
        import sqlalchemy as sa

        assert self.conn is not None
        with self.timer("schema"):
            self.tx.commit()
            stage = Stage(self.target, self.conn)
            try:
                stage.reset(self.conn)
            except (sa.exc.DBAPIError, psycopg2.Error) as e:
                if getattr(getattr(e, "orig", e), "pgcode", None) != "42501" or self.options.workspace is not None:
                    raise
                self.conn.rollback()
                self.fallback = (f"no right to create a schema in {self.target.redacted} (CREATE on the database): "
                                 "loading on one connection in one transaction instead of --jobs "
                                 f"{self.options.jobs}")
                self.tx = self.conn.begin()
                create_schema(self.conn, self.options, self.source_tables)
                return
            self.stage = stage
            try:
                self._create_in_stage(stage)
            except BaseException:
                stage.drop(self.conn)
                raise

    def _create_in_stage(self, stage: Stage) -> None:
        """MLflow's schema in the stage: replayed from the schema cache when it has this release's, else made
        by MLflow's migrations (and then kept in the cache)."""
        from ..stores import pg_schema_cache

        with stage.connect(autocommit=False) as sc:
            try:
                with sc.begin():
                    # a merge compares its staged tables' definitions with the target's (MLflow's own text)
                    if self.options.workspace is None and pg_schema_cache.replay(sc, self.kind, stage.name):
                        return
            except Exception:  # noqa: BLE001 - a cache that does not replay cleanly is not used
                pass
            with sc.begin():
                pg_db.migrate_in_transaction(sc, self.kind)
        assert self.conn is not None
        pg_schema_cache.record(self.target, self.conn, self.kind, stage.name)

    def wait(self) -> tuple[sa.Connection, Any]:
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.conn is not None
        return self.conn, self.tx

    def close(self) -> None:
        """Roll back, and drop the staging schema whatever happened (after a successful switch it is gone
        already): a run that failed or was interrupted early leaves no migrator_stage_* schema behind."""
        self.thread.join()
        if self.tx is not None and self.tx.is_active:
            self.tx.rollback()
        if self.stage is not None:
            if self.conn is not None and not self.conn.closed:
                self.stage.drop(self.conn)
            self.stage.close()
        if self.conn is not None:
            self.conn.close()
        if self.engine is not None:
            self.engine.dispose()

def prepare_target(conn: sa.Connection, target: Store, options: CopyOptions, source_tables: Sequence[str],
                   timer: Timer, staged: bool = False) -> TargetNotEmpty | None:
    """Lock, check and create the schema; a target holding MLflow data at the installed head is left as it is
    and its refusal returned (the caller may find it to be a complete copy of this source). `staged`: the
    lock is the session's (held across the staging load's commits) and the schema is left to the stage."""
    import psycopg2
    import sqlalchemy as sa

    try:
        if int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) >= 140000:
            # if this process dies, PostgreSQL stops our statement within a second instead of finishing it
            conn.exec_driver_sql(f"SET {'' if staged else 'LOCAL '}client_connection_check_interval = '1s'")
        key = lock_key(conn)
        deadline = time.monotonic() + LOCK_WAIT_S  # a killed run's backend may need a moment to go away
        take = "pg_try_advisory_lock" if staged else "pg_try_advisory_xact_lock"
        while not conn.exec_driver_sql(f"SELECT {take}({key})").scalar():
            if time.monotonic() > deadline:
                raise Locked(f"another migrator run is writing to {target.redacted}; wait for it to finish")
            time.sleep(0.25)
        if options.workspace is not None:  # a merge: checked by its plan, and again in the merge transaction
            if options.dry_run and pg_db.revision(conn, options.kind) is None:
                with timer("schema"):  # the plan reads the schema the merge transaction will create
                    pg_db.migrate_in_transaction(conn, options.kind)
            return None
        kind = options.kind
        state, counts = describe_target(conn, kind)
        trev = pg_db.revision(conn, kind)
        if state in ("data", "foreign") and not options.replace:
            found = ", ".join(f"{t}: {n} rows" if n >= 0 else t for t, n in list(counts.items())[:8])
            what = ("MLflow data" if kind == schema.TRACKING else "basic-auth data (users or permissions)") \
                if state == "data" else "tables that are not an MLflow schema"
            refusal = TargetNotEmpty(f"target {target.redacted} already holds {what} ({found}) that is not a "
                                     "complete copy of this source; use an empty database, or --replace to drop and "
                                     "recreate the MLflow tables")
            if state == "data" and trev == schema.installed_head(kind) and not options.dry_run:
                return refusal
            raise refusal
        if trev is not None and state != "foreign":
            schema.require_not_newer(trev, f"target {target.redacted}", kind)
        if staged:
            return None
        with timer("schema"):
            create_schema(conn, options, source_tables, state)
        return None
    except (sa.exc.DBAPIError, psycopg2.Error) as e:
        raise prepare_error(target, e) from None


def prepare_error(target: Store, e: Exception) -> MigratorError:
    """What the user is told when PostgreSQL refuses a step of preparing the target."""
    import sqlalchemy as sa

    if isinstance(e, sa.exc.OperationalError):
        return MigratorError(pg_db.describe_error(target.redacted, e))
    detail = str(getattr(e, 'orig', e)).strip().splitlines()[0]
    hint = f"; {privilege_hint()}" if getattr(getattr(e, "orig", e), "pgcode", None) == "42501" else ""
    return MigratorError(f"PostgreSQL refused to prepare the target, nothing was written: {detail}{hint}")

def create_schema(conn: sa.Connection, options: CopyOptions, source_tables: Sequence[str], state: str = "") -> None:
    """The single-transaction path: MLflow's migrations on the target itself (after --replace's drop)."""
    state = state or describe_target(conn, options.kind)[0]
    if options.replace and state in ("data", "foreign", "fresh"):
        pg_db.drop_mlflow_tables(conn, list(source_tables), options.kind)
    pg_db.migrate_in_transaction(conn, options.kind)


def switch_stage(conn: sa.Connection, stage: Stage, target: Store, options: CopyOptions,
                 source_tables: Sequence[str]) -> None:
    """The staging load's final transaction (open on the main connection, the lock holder): the target is
    checked again (an MLflow server may have been started on it meanwhile), what --replace or a fresh
    schema leaves is dropped, the stage moved in."""
    state, counts = describe_target(conn, options.kind)
    if state in ("data", "foreign") and not options.replace:
        found = ", ".join(f"{t}: {n} rows" if n >= 0 else t for t, n in list(counts.items())[:8])
        raise TargetNotEmpty(f"target {target.redacted} received data while the copy ran ({found}); nothing was "
                             "written: stop whatever writes to it, or rerun with --replace")
    replacing = state in ("data", "foreign", "fresh")
    if replacing:
        pg_db.drop_mlflow_tables(conn, list(source_tables), options.kind)
    stage.switch(conn, replacing)


def import_mlflow() -> None:
    import alembic.runtime.environment  # noqa: F401
    import mlflow.store.db.utils  # noqa: F401
    from mlflow.store.db.base_sql_model import Base  # noqa: F401
