"""Upgrading a SQLite store all or nothing: MLflow's migrations run on a copy (SQLite's backup API), the checks
read the copy against the untouched original, and only then does the copy replace the store in one rename.

A real upgrade puts its copy beside the store (`.NAME.migrator-upgrade-PID`, 0600, the same file system, so the
rename is atomic) and holds a write lock on the store from the copy to the rename, so no writer can slip in
between; a killed run leaves the store as it was and its copy is removed by the next run. A rehearsal copies
into a private temporary folder and never touches the store.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import MigratorError, StoreError
from ..files import fsync_dir, fsync_file
from ..schema import quote_ident as q
from ..tempdirs import process_alive, require_room, scratch, store_size
from . import sqlite_db
from .base import UpgradeSession

COPY_MARK = ".migrator-upgrade-"


def holders(path: Path) -> list[str]:
    """Other processes with the store (or its journal, WAL or shared memory) open, from /proc: 'pid N (cmd)'."""
    names = {str(path.resolve()) + s for s in ("", "-wal", "-shm", "-journal")}
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            fds = list((proc / "fd").iterdir())
        except OSError:  # gone, or not ours to see
            continue
        for fd in fds:
            try:
                if os.readlink(fd) in names:
                    cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
                    found.append(f"pid {proc.name} ({cmd[:120] or '?'})")
                    break
            except OSError:
                continue
    return found


def remove_stale_copies(path: Path) -> None:
    """Copies left beside the store by upgrades that were killed (their process is gone)."""
    mark = re.compile(re.escape(f".{path.name}{COPY_MARK}") + r"(\d+)(-journal|-wal|-shm)?$")
    for f in path.parent.glob(f".{path.name}{COPY_MARK}*"):
        m = mark.match(f.name)
        if m and not process_alive(int(m.group(1))):
            f.unlink(missing_ok=True)


class SqliteUpgrade(UpgradeSession):
    def __init__(self, path: Path, copy: Path, lock: sqlite3.Connection | None, rehearse: bool) -> None:
        import sqlalchemy as sa

        self.path, self.copy, self.lock, self.rehearse = path, copy, lock, rehearse
        self.where = f"a private copy of {path}" if rehearse else f"a copy beside {path}"
        self.engine = sa.create_engine(f"sqlite:///{copy}", poolclass=sa.pool.NullPool)
        self.conn = self.engine.connect()
        self.conn.begin()
        self.committed = self.attached = False

    def remember(self, tables: dict[str, list[str]]) -> None:
        pass  # the original stays as it was: `unchanged` compares against it

    def unchanged(self, table: str, columns: list[str]) -> bool:
        """Row for row against the untouched original: first by rowid (one walk of both tables; migrations that
        only add columns or indexes keep rowids), then, where that cannot prove it, as sets (EXCEPT both ways)."""
        if not self.attached:  # after the migrations: they never see a second schema
            self.conn.exec_driver_sql(f"ATTACH DATABASE 'file:{self.path}?mode=ro' AS before")
            self.attached = True
        t = q(table)
        n_after = self.conn.exec_driver_sql(f"SELECT count(*) FROM main.{t}").scalar()
        n_before = self.conn.exec_driver_sql(f"SELECT count(*) FROM before.{t}").scalar()
        if n_after != n_before:
            return False
        if not columns or not n_after:
            return True
        same = " AND ".join(f"a.{q(c)} IS b.{q(c)}" for c in columns)
        try:
            matched, differing = self.conn.exec_driver_sql(
                f"SELECT count(*), total(CASE WHEN {same} THEN 0 ELSE 1 END) FROM main.{t} a "
                f"JOIN before.{t} b ON a.rowid = b.rowid").one()
        except Exception:  # a table without rowids
            matched, differing = -1, -1
        if matched == n_after and differing == 0:
            return True
        cols = ", ".join(q(c) for c in columns)
        for a, b in (("main", "before"), ("before", "main")):
            extra = self.conn.exec_driver_sql(
                f"SELECT count(*) FROM (SELECT {cols} FROM {a}.{t} EXCEPT SELECT {cols} FROM {b}.{t})").scalar()
            if extra:
                return False
        return True

    integrity_in_parallel = True

    def settle(self) -> None:
        """The migrations' work committed to the copy (the store itself changes only at the rename), so that a
        second connection can check it while this one compares."""
        self.conn.commit()
        self.conn.begin()

    def integrity(self) -> list[tuple[str, bool, str]]:
        """On a connection of its own (after `settle`), so that it runs beside the row compare."""
        conn = sqlite3.connect(f"file:{self.copy}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            fks = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
        return [("integrity_check", rows == ["ok"], "ok" if rows == ["ok"] else "; ".join(map(str, rows[:5]))),
                ("foreign_key_check", not fks, "no dangling references" if not fks else
                 f"{len(fks)} rows reference missing parents, e.g. " + "; ".join(
                     f"{t} rowid {rid} -> {parent}" for t, rid, parent, _ in fks[:5]))]

    def disk_bytes(self) -> int:
        return self.copy.stat().st_size

    def result_url(self) -> str:
        return f"sqlite:///{self.copy if self.rehearse else self.path}"

    def commit(self) -> None:
        self.conn.commit()
        if self.attached:
            self.conn.exec_driver_sql("DETACH DATABASE before")
        self.conn.close()
        self.engine.dispose()
        self.committed = True
        if self.rehearse:
            return
        reader = self.lock or sqlite_db.open_readonly(self.path)  # without the lock: --force past a holder
        try:
            mode = reader.execute("PRAGMA journal_mode").fetchone()[0]
        finally:
            if reader is not self.lock:
                reader.close()
        copy = sqlite3.connect(self.copy, isolation_level=None)
        try:  # the store keeps its journal mode (WAL stays WAL)
            if copy.execute("PRAGMA journal_mode").fetchone()[0] != mode:
                copy.execute(f"PRAGMA journal_mode = {mode}")
        finally:
            copy.close()
        st = self.path.stat()
        os.chmod(self.copy, st.st_mode & 0o7777)  # the store keeps its owner and mode
        if os.geteuid() == 0:
            os.chown(self.copy, st.st_uid, st.st_gid)
        fsync_file(self.copy)
        if self.lock is not None:
            self.lock.rollback()
            self.lock.close()  # the last connection: SQLite removes an empty -wal / -shm
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(f"{self.path} has an unwritten write-ahead log ({wal}): another process still writes "
                             "it; stop every MLflow server and client on the store and run again")
        os.replace(self.copy, self.path)
        for extra in ("-wal", "-shm"):
            self.path.with_name(self.path.name + extra).unlink(missing_ok=True)
        fsync_dir(self.path.parent)

    def close(self) -> None:
        if not self.committed:
            try:
                self.conn.rollback()
                self.conn.close()
            finally:
                self.engine.dispose()
        if self.lock is not None and not self.committed:
            self.lock.close()
        if not self.rehearse and not self.committed:
            for extra in ("", "-journal", "-wal", "-shm"):
                self.copy.with_name(self.copy.name + extra).unlink(missing_ok=True)


def _write_lock(path: Path) -> sqlite3.Connection | None:
    """A connection holding SQLite's RESERVED lock (no other writer until it ends; readers go on), or None
    when another connection holds it already."""
    conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        conn.close()
        return None
    return conn


@contextmanager
def upgrade_session(path: Path, *, rehearse: bool, force: bool) -> Iterator[SqliteUpgrade]:
    sqlite_db.check_file(path)
    if rehearse:
        with scratch("rehearse") as tmp:
            copy = tmp / "rehearsal.db"
            require_room(tmp, 2 * store_size(path), f"a rehearsal copy of {path}")
            sqlite_db.snapshot(path, copy, require_mlflow_store=False, durable=False)
            rehearsal = SqliteUpgrade(path, copy, None, rehearse=True)
            try:
                yield rehearsal
            finally:
                rehearsal.close()
        return
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise MigratorError(f"{folder} is not writable: the upgrade writes its copy beside the store and replaces "
                            "the store with it in one rename; run as the store's owner")
    remove_stale_copies(path)
    others = holders(path)
    lock = _write_lock(path)
    if (others or lock is None) and not force:
        if lock is not None:
            lock.close()
        who = "; ".join(others) if others else "another connection holds its write lock"
        raise StoreError(f"{path} is in use: {who}; stop the MLflow server and every client writing it, "
                         "then run again (or --force to upgrade anyway: their writes after the copy are lost)")
    copy = folder / f".{path.name}{COPY_MARK}{os.getpid()}"
    require_room(folder, 2 * store_size(path), f"the upgrade's copy of {path}")
    session: SqliteUpgrade | None = None
    try:  # a read-only connection of its own: the held write lock lets readers in
        sqlite_db.snapshot(path, copy, require_mlflow_store=False)
        session = SqliteUpgrade(path, copy, lock, rehearse=False)
        yield session
    finally:
        if session is not None:
            session.close()
        else:
            if lock is not None:
                lock.close()
            copy.unlink(missing_ok=True)

