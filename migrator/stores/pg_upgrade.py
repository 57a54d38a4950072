"""Upgrading a PostgreSQL store all or nothing: MLflow's migrations and every check run in ONE transaction that
first locks every table of the store against writers (readers go on until a migration needs its table); the
commit comes only after the checks. A failure, a kill or a lost connection rolls the whole upgrade back.

A rehearsal does the same on a scratch database of the same server, filled from a pg_dump of the store and
dropped afterwards.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..errors import StoreError
from ..schema import qlist
from ..schema import quote_ident as q
from ..tempdirs import scratch
from . import pg_db
from .base import Store, UpgradeSession
from .pg_archive import restore_all_you_can

LOCK_TIMEOUT = "10s"


def sessions(conn: Any) -> list[str]:
    """Other client sessions on the store's database: 'pid N, application A, user U, from ADDR (state)'."""
    rows = conn.exec_driver_sql(
        "SELECT pid, application_name, usename, client_addr, state FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'").all()
    return [f"pid {pid}, application {app or '(none)'}, user {user}, from {addr or 'local socket'} ({state})"
            for pid, app, user, addr, state in rows]


class PgUpgrade(UpgradeSession):
    def __init__(self, url: str, where: str, engine: Any, conn: Any, restore_errors: list[str] | None = None) -> None:
        self.url, self.where, self.engine, self.conn = url, where, engine, conn
        self.restore_errors = restore_errors
        self.before: dict[str, tuple[int, Any]] = {}
        self.size_before = int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar())

    def _digest(self, table: str, columns: list[str]) -> tuple[int, Any]:
        row = ", ".join(q(c) for c in columns)
        n, h = self.conn.exec_driver_sql(
            f"SELECT count(*), coalesce(sum(hashtextextended(ROW({row})::text, 0)::numeric), 0) FROM {q(table)}"
        ).one()
        return int(n), h

    def remember(self, tables: dict[str, list[str]]) -> None:
        for t, cols in tables.items():
            self.before[t] = self._digest(t, cols)

    def unchanged(self, table: str, columns: list[str]) -> bool:
        return self.before.get(table) == self._digest(table, columns)

    def integrity(self) -> list[tuple[str, bool, str]]:
        bad = [r[0] for r in self.conn.exec_driver_sql(
            "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE NOT convalidated AND n.nspname = current_schema()").all()]
        return [("constraints validated", not bad, "every constraint validated" if not bad else
                 f"not validated: {bad[:10]}")]

    def notes(self) -> list[tuple[str, bool, str]]:
        if self.restore_errors is None:
            return []
        return [("the store's dump restores", not self.restore_errors,
                 "pg_restore rebuilt every table, index and constraint" if not self.restore_errors else
                 "the store's rows break its own schema: " + " | ".join(self.restore_errors[:4]))]

    def disk_bytes(self) -> int:
        now = int(self.conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar())
        return max(0, now - self.size_before)

    def result_url(self) -> str:
        return self.url

    def commit(self) -> None:
        self.conn.commit()


def _lock_all(conn: Any, url: str, where: str) -> None:
    names = pg_db.table_names(conn)
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    try:
        if names:
            conn.exec_driver_sql(f"LOCK TABLE {qlist(names)} IN EXCLUSIVE MODE")
    except Exception as e:
        conn.rollback()
        if getattr(getattr(e, "orig", None), "pgcode", None) != "55P03":  # not lock_not_available
            raise StoreError(f"cannot lock the tables of {where} for the upgrade ({pg_db.describe_error(where, e)}); "
                             "run it as the role that owns MLflow's tables") from None
        others = sessions(conn)
        raise StoreError(f"{where} is in use: its tables stayed locked for {LOCK_TIMEOUT}; sessions: "
                         f"{'; '.join(others) or 'none listed'}; stop them and run again") from None


@contextmanager
def upgrade_session(store: Any, *, rehearse: bool, force: bool) -> Iterator[PgUpgrade]:
    if rehearse:
        with _scratch_copy(store) as (copy, errors):
            engine, conn = copy.connect()
            try:
                conn.begin()
                yield PgUpgrade(copy.url, f"a scratch copy of {store.redacted}", engine, conn, errors)
            finally:
                conn.close()
                engine.dispose()
        return
    engine, conn = store.connect()
    try:
        others = sessions(conn)
        conn.rollback()
        if others and not force:
            raise StoreError(f"{store.redacted} is in use by other sessions: {'; '.join(others)}; stop the MLflow "
                             "server and every client, then run again (or --force: the upgrade then waits for their "
                             "locks and they wait for it)")
        conn.begin()
        _lock_all(conn, store.url, store.redacted)
        yield PgUpgrade(store.url, store.redacted, engine, conn)
    finally:
        try:
            conn.rollback()  # nothing, after a commit
        finally:
            conn.close()
            engine.dispose()


@contextmanager
def _scratch_copy(store: Store) -> Iterator[tuple[Any, list[str]]]:
    """A scratch database on the store's own server holding a pg_dump of it (and what pg_restore could not
    rebuild: a store whose rows break its own constraints still gets rehearsed); dropped on the way out."""
    with type(store).scratch(store.url) as make, scratch("rehearse") as tmp:
        copy: Any = make()
        part = store.dump(Path(tmp), "none", "rehearsal", pg_format="custom", jobs=1)
        yield copy, restore_all_you_can(copy.url, Path(tmp) / part["file"])
