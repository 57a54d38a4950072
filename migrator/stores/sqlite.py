"""The SQLite kind: a store file (`SqliteStore`), its verification side (a private snapshot) and its writer.
Reads and snapshots are in `sqlite_db`, dumps and restores in `sqlite_archive`."""

from __future__ import annotations

import random
import shutil
import sqlite3
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterator, Sequence

from .. import renumber as renumbering
from .. import schema
from ..errors import Locked, SchemaError, StoreError
from ..schema import Table
from ..schema import quote_ident as q
from ..tempdirs import private_tempdir
from ..tempdirs import scratch as scratch_dir
from . import sqlite_archive as archive
from . import sqlite_upgrade as upgrading
from .base import Database, Restored, Side, SideSpec, Store, Writer
from .sqlite_db import (
    SqliteDatabase,
    analyze,
    bring_to_head,
    check_file,
    open_readonly,
    require_mlflow,
    ro_uri,
    rowid_bounds,
    sampled_copy,
    snapshot,
    tables,
    temporary_snapshot,
    to_head,
)
from .sqlite_db import (
    read_in_place as in_place,
)
from .sqlite_db import revision as read_revision

SAMPLE = 2_000  # values drawn to cut a big table into key ranges


class SqliteWriter(Writer):
    enforces_lengths = False

    def __init__(self, store: "SqliteStore", busy_timeout: float) -> None:
        self.store = store
        check_file(store.path)
        self.conn = sqlite3.connect(store.path, timeout=busy_timeout, isolation_level=None)
        try:
            require_mlflow(self.conn, store.path)
            self.tables = tables(self.conn)
        except (StoreError, sqlite3.OperationalError) as e:
            self.conn.close()
            if "locked" in str(e).lower() or "busy" in str(e).lower():
                raise Locked(f"{store.redacted} stays locked by another process past --busy-timeout "
                             f"({busy_timeout:g} s); a running mlflow server holds it while it writes: retry, "
                             "stop the server, or raise --busy-timeout") from None
            raise

    def begin(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")  # take the write lock now, waiting up to the busy timeout
        except sqlite3.OperationalError as e:
            raise Locked(f"{self.store.redacted} stays locked by another process ({e}); a running mlflow "
                         "server holds it while it writes: retry, stop the server, or raise --busy-timeout") from None

    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple]:
        yield from self.conn.execute(sql, params)

    def execute(self, sql: str, params: Sequence[Any]) -> int:
        return self.conn.execute(sql, params).rowcount

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()


class SqliteSide(Side):
    """A private snapshot of the store (the snapshot may be upgraded or renumbered; the store never is)."""

    kind = "sqlite"
    private_copy = True  # a side read in place becomes a snapshot before it is upgraded or renumbered (_own)
    snap_path: Any = None
    in_place = False  # snap_path is the store itself, read under its shared lock (Store.read_in_place)
    stack: ExitStack | None = None

    @property
    def own_file(self) -> bool:
        return not self.in_place

    def _own(self) -> None:
        """From here on a snapshot of its own (taken under the same shared lock: the same data)."""
        if not self.in_place:
            return
        assert self.stack is not None
        snap = self.stack.enter_context(temporary_snapshot(Path(self.snap_path), require_mlflow=False))
        self.conn.close()
        self.__init__(sqlite3.connect(snap, check_same_thread=False), self.store_kind)  # type: ignore[misc]
        self.snap_path, self.in_place = snap, False

    def __init__(self, conn: sqlite3.Connection, store_kind: str = schema.TRACKING) -> None:
        self.conn = conn
        self.store_kind = store_kind
        self.all_tables = tables(conn)
        self.kinds = schema.kinds_in(self.all_tables)

    def revision(self) -> str | None:
        return read_revision(self.conn, self.store_kind)

    def count(self, table: str, exclude_rejected: bool = False) -> int:
        where = self._where(table) if exclude_rejected else ""
        return int(self.conn.execute(f"SELECT count(*) FROM {q(table)}{where}").fetchone()[0])

    @staticmethod
    def _where(table: str) -> str:
        return f" WHERE rowid NOT IN (SELECT rid FROM temp.mig_rej WHERE tbl = '{table}')"

    def rows(self, t: Table, cols: Sequence[str], key: Sequence[str], exclude_rejected: bool = False,
             part: Any = None) -> Iterator[tuple]:
        where = self._where(t.name) if exclude_rejected else ""
        params: list[Any] = []
        if part is not None:
            cond, params = part.where(pg=False)
            where = f"{where} AND {cond}" if where else f" WHERE {cond}"
        cur = self.conn.execute(f"SELECT {', '.join(q(c) for c in cols)} FROM {q(t.name)}{where} "
                                f"ORDER BY {', '.join(q(k) for k in key)}", params)
        while batch := cur.fetchmany(10_000):
            yield from batch

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    def spec(self, store: Store) -> SideSpec | None:
        return SideSpec(self.kind, str(self.snap_path), self.store_kind)

    def bring_to_head(self) -> None:
        self._own()
        self.conn.close()
        bring_to_head(self.snap_path, self.store_kind)
        self.__init__(sqlite3.connect(self.snap_path, check_same_thread=False), self.store_kind)  # type: ignore[misc]

    def renumber(self, mapping: dict[int, int]) -> None:
        self._own()
        renumbering.apply(self.conn, mapping, self.all_tables)

    def out_of_range_experiment_ids(self) -> list[int]:
        return renumbering.out_of_range_ids(self.conn)

    def sample_keys(self, table: str, column: str) -> list[Any] | None:
        """The column's values at random rowids (point lookups, no scan); None when the column holds a NULL."""
        conn = self.conn
        try:
            if conn.execute(f"SELECT 1 FROM {q(table)} WHERE {q(column)} IS NULL LIMIT 1").fetchone():
                return None
            lo, hi = rowid_bounds(conn, table)
        except sqlite3.Error:  # a WITHOUT ROWID table: compared whole
            return None
        if lo is None:
            return None
        rng = random.Random(0)
        ids = [rng.randint(lo, hi) for _ in range(SAMPLE)]
        out: list[Any] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out += [r[0] for r in conn.execute(
                f"SELECT {q(column)} FROM {q(table)} WHERE rowid IN ({', '.join('?' * len(chunk))})", chunk)]
        return out

    def client_store(self, store: Store) -> Store:
        """The same snapshot; a store read in place is given to MlflowClient as itself (`own_file` False: the
        check takes a snapshot of its own, beside the row compare). MLflow's auth store is only ever given a
        snapshot (small): it may migrate or seed what it opens."""
        if self.in_place and self.store_kind == schema.AUTH:
            self._own()
        return SqliteStore(Path(self.snap_path))


def _api_file(stack: ExitStack) -> Path:
    """Where a copy for MlflowClient goes: a private folder of its own, removed with `stack`."""
    tmp = private_tempdir("api")
    stack.callback(shutil.rmtree, tmp, True)
    return tmp / "api.db"


def open_spec_side(spec: SideSpec) -> SqliteSide:
    return SqliteSide(sqlite3.connect(ro_uri(spec.address), uri=True), spec.store_kind)


class SqliteStore(Store):
    kind = "sqlite"
    label = "SQLite"
    restore_hint = "restore it to a SQLite path, then use `migrator sqlite-to-pg` to move it into PostgreSQL"
    path: Path

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"

    @property
    def redacted(self) -> str:
        return str(self.path)

    @property
    def name(self) -> str:
        return self.path.stem

    def check_exists(self) -> None:
        check_file(self.path)

    def open_readonly(self) -> SqliteDatabase:
        return SqliteDatabase(open_readonly(self.path), self.path)

    def require_mlflow(self, db: Database) -> None:
        if not db.kinds():
            require_mlflow(db.conn, self.path)  # type: ignore[attr-defined]  # its error names what is missing

    def require_tracking(self, db: Database) -> None:
        require_mlflow(db.conn, self.path)  # type: ignore[attr-defined]

    def open_side(self, stack: ExitStack) -> SqliteSide:
        """The store read in place when it is stopped (`read_in_place`: no snapshot; the MlflowClient check
        then takes its own, beside the row compare), else a private snapshot."""
        here = stack.enter_context(in_place(self.path, None, upgrading.holders))
        if here is not None:
            conn = sqlite3.connect(ro_uri(here), uri=True, check_same_thread=False)  # read by the prefetch thread
            side = SqliteSide(conn)
            side.in_place = True
        else:
            snap = stack.enter_context(temporary_snapshot(self.path, require_mlflow=False))
            analyze(snap)  # MLflow's queries in the MlflowClient check
            conn = sqlite3.connect(snap, check_same_thread=False)  # read by the prefetch thread
            side = SqliteSide(conn)
            here = snap
        stack.callback(lambda: side.conn.close())
        side.snap_path, side.stack = here, stack
        if not side.kinds:
            require_mlflow(conn, self.path)  # its error names the file and what is missing
        return side

    def writer(self, busy_timeout: float) -> SqliteWriter:
        return SqliteWriter(self, busy_timeout)

    def client_uri(self, stack: ExitStack, private: bool = False) -> tuple[str | None, str]:
        if private:
            conn = sqlite3.connect(ro_uri(self.path), uri=True)
            try:
                n = conn.execute("SELECT count(*) FROM experiments").fetchone()[0]
            finally:
                conn.close()
            if not n:
                return None, f"{self.redacted} has no experiments; MlflowClient would insert the Default experiment"
            return self.url, ""
        snap = _api_file(stack)
        snapshot(self.path, snap, durable=False)
        analyze(snap)  # MLflow's metric-history query takes its index only with statistics
        return f"sqlite:///{snap}", ""

    def client_sample_uri(self, stack: ExitStack, sample: int) -> tuple[str | None, str, list[str] | None]:
        """A private copy holding every table but the sampled runs' metric rows only (sqlite_db.sampled_copy):
        what the MlflowClient check reads, without writing the whole store to disk again."""
        snap = _api_file(stack)
        try:
            held = sampled_copy(self.path, snap, sample)
        except StoreError:  # a schema its own statements cannot rebuild (never seen in MLflow): a whole snapshot
            snap.unlink(missing_ok=True)
            uri, why = self.client_uri(stack)
            return uri, why, None
        return f"sqlite:///{snap}", "", held

    def credentials(self) -> tuple[str, str | None]:
        return str(self.path), None

    @property
    def source_label(self) -> str:
        return f"sqlite:{self.path}"

    def private_snapshot(self, *, kind: str = schema.TRACKING,
                         timer: Callable[[str], Any] | None = None) -> ContextManager[Path]:
        return temporary_snapshot(self.path, timer=timer, require_mlflow=kind == schema.TRACKING)

    def read_in_place(self, *, kind: str = schema.TRACKING) -> ContextManager[Path | None]:
        return in_place(self.path, kind, upgrading.holders)

    @contextmanager
    def copy_at_head(self) -> Iterator[str]:
        """A private snapshot, brought to the installed head with MLflow's migrations (the store is untouched)."""
        check_file(self.path)
        with temporary_snapshot(self.path) as snap:
            to_head(snap, schema.TRACKING, f"source {self.path}")
            yield f"sqlite:///{snap}"

    def require_client_target(self) -> None:
        """MlflowClient will write here: a new file, or one at the installed head (never upgraded in place)."""
        if not self.path.exists():
            return
        check_file(self.path)
        conn = open_readonly(self.path)
        try:
            rev = read_revision(conn)
        finally:
            conn.close()
        if rev is not None and schema.compare_to_installed(rev) != "equal":
            raise SchemaError(f"the target {self.path} has schema revision {rev}, not the installed MLflow's "
                              f"{schema.installed_head()}; upgrade it with `mlflow db upgrade {self.url}` "
                              "(after `migrator backup`) or use a new file")

    def dump(self, folder: Path, method: str, stem: str, *, pg_format: str, jobs: int) -> dict[str, Any]:
        return archive.backup_sqlite(self.path, folder, method, stem)

    def in_use(self) -> list[str]:
        return upgrading.holders(self.path)

    def upgrade_session(self, *, rehearse: bool, force: bool) -> Any:
        return upgrading.upgrade_session(self.path, rehearse=rehearse, force=force)

    def check_restore(self, force: bool, kind: str | None) -> None:
        archive.check_restore_target(self.path, force)

    @classmethod
    @contextmanager
    def scratch(cls, server: str | None) -> Iterator[Callable[[], Store]]:
        with scratch_dir("drill") as tmp:
            names = iter(range(1_000_000))
            yield lambda: SqliteStore(Path(tmp) / f"drill-{next(names)}.db")

    def restore_dump(self, dump: Path, *, compression: str, tables: Sequence[str], pg_format: str | None,
                     force: bool, kind: str | None, jobs: int) -> Restored:
        return archive.restore_file(dump, compression, self.path, force)
