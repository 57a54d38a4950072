"""The declared interface of a kind of store: what every kind (SQLite, PostgreSQL) answers the same way.

A `Store` is an address of one kind; it opens a read-only `Database` (tables, counts, revisions of both
MLflow chains), a `Writer` for in-place rewrites, a verification `Side` (rows in key order from a private
snapshot or a repeatable-read transaction), a client URI MlflowClient may open without changing the store,
and dumps/restores for backups. Callers never ask which kind they hold: a new kind is one module that
implements these classes, and one entry in `address.KINDS`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ClassVar, ContextManager, Iterator, Sequence

from .. import schema
from ..errors import MigratorError, StoreError
from ..schema import Table
from ..schema import quote_ident as q


def not_mlflow(what: str, why: str = "no alembic_version table") -> StoreError:
    """The one wording of "this is not an MLflow store"."""
    return StoreError(f"{what} is not an MLflow tracking store ({why}); give the database that `mlflow server "
                      "--backend-store-uri` uses")


class Database(ABC):
    """One open, read-only connection: the reads every kind answers alike (qmark `?` placeholders)."""

    @abstractmethod
    def table_names(self) -> list[str]: ...

    @abstractmethod
    def tables(self) -> dict[str, Table]: ...

    @abstractmethod
    def revision(self, kind: str = schema.TRACKING) -> str | None: ...

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...

    @abstractmethod
    def size_bytes(self) -> int: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def counts(self) -> dict[str, int]:
        return {n: int(self.query(f"SELECT count(*) FROM {q(n)}")[0][0]) for n in self.table_names()}

    def kinds(self) -> list[str]:
        """The MLflow stores this database holds (tracking, basic-auth)."""
        return schema.kinds_in(self.table_names())

    def revisions(self) -> dict[str, str | None]:
        return {k: self.revision(k) for k in self.kinds()}

    def main_revision(self) -> str | None:
        return schema.main_revision(self.table_names(), self.revision)

    def out_of_range_experiment_ids(self) -> list[int]:
        """Experiment ids PostgreSQL's integer cannot hold (only a SQLite store can have them)."""
        return []

    def uses_proxied_artifacts(self) -> bool:
        """Experiments whose artifact location is `mlflow-artifacts:` (served by the tracking server)."""
        return "experiments" in self.table_names() and bool(self.query(
            "SELECT 1 FROM experiments WHERE artifact_location LIKE 'mlflow-artifacts:%' LIMIT 1"))


class Writer(ABC):
    """The few operations an in-place rewrite needs, in one transaction that holds other writers out."""

    tables: dict[str, Table]
    enforces_lengths: ClassVar[bool] = True  # a varchar(n) refuses longer values (SQLite's does not)

    @abstractmethod
    def begin(self) -> None: ...

    @abstractmethod
    def rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple]: ...

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any]) -> int: ...

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None: ...

    @abstractmethod
    def close(self) -> None: ...


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


@dataclass(frozen=True)
class SideSpec:
    """How a worker process opens one side: a SQLite file, or a PostgreSQL URL (with the schema first on its
    search_path, and the exported snapshot to read under)."""

    kind: str  # a key of address.KINDS
    address: str
    store_kind: str
    search_path: str | None = None
    snapshot: str | None = None


class Side(ABC):
    """Read access to one store for comparison, every read in the same snapshot of its data."""

    kind: ClassVar[str]
    private_copy: ClassVar[bool] = False  # migrator's own snapshot: may be upgraded or renumbered in place
    store_kind: str  # which store's tables are compared: schema.TRACKING or schema.AUTH
    all_tables: dict[str, Table]
    kinds: list[str]  # the stores this database holds

    @property
    def tables(self) -> dict[str, Table]:
        return schema.own_tables(self.all_tables, self.store_kind)

    @abstractmethod
    def revision(self) -> str | None: ...

    @abstractmethod
    def count(self, table: str, exclude_rejected: bool = False) -> int: ...

    @abstractmethod
    def rows(self, t: Table, cols: Sequence[str], key: Sequence[str], exclude_rejected: bool = False,
             part: KeyRange | None = None) -> Iterator[tuple]: ...

    @abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...

    @abstractmethod
    def spec(self, store: "Store") -> SideSpec | None:
        """How a worker process reads the same data (None: it cannot; one process then)."""

    def sequence_checks(self, label: str) -> list[tuple[str, bool, str]]:
        """(name, ok, detail) for every sequence of this side past its column's maximum."""
        return []

    def bring_to_head(self) -> None:
        raise MigratorError(f"a {self.kind} side is read in place and cannot be upgraded")

    def renumber(self, mapping: dict[int, int]) -> None:
        raise MigratorError(f"a {self.kind} side is read in place and cannot be renumbered")

    def out_of_range_experiment_ids(self) -> list[int]:
        return []

    def sample_keys(self, table: str, column: str) -> list[Any] | None:
        """Values of `column` at random places, for cutting the table into key ranges (None: not cheaply)."""
        return None

    @property
    def own_file(self) -> bool:
        """MlflowClient may read this side's file as it is (migrator's own snapshot: nothing else reads it)."""
        return self.private_copy

    def client_store(self, store: "Store") -> "Store":
        """The store MlflowClient reads for the same data as this side."""
        return store


class Store(ABC):
    """A parsed store address of one kind. `kind` names it ('sqlite', 'postgresql')."""

    kind: ClassVar[str]
    label: ClassVar[str]  # how messages name the kind
    restore_hint: ClassVar[str]  # where a backup of this kind can be restored
    url: str  # SQLAlchemy URL (postgresql+psycopg2://... or sqlite:///abs/path)
    path: Path | None = None  # the file of a file-based store

    @property
    @abstractmethod
    def redacted(self) -> str: ...

    @property
    @abstractmethod
    def name(self) -> str:
        """A short name for files made from this store (backups)."""

    @abstractmethod
    def check_exists(self) -> None:
        """A clear StoreError when the store cannot be there (a missing or non-database file)."""

    @abstractmethod
    def open_readonly(self) -> Database: ...

    @abstractmethod
    def require_mlflow(self, db: Database) -> None:
        """A clear StoreError when the database holds no MLflow store (tracking or basic-auth)."""

    @abstractmethod
    def require_tracking(self, db: Database) -> None:
        """A clear StoreError when the database holds no MLflow tracking store."""

    @abstractmethod
    def open_side(self, stack: ExitStack) -> Side: ...

    @abstractmethod
    def writer(self, busy_timeout: float) -> Writer: ...

    @abstractmethod
    def client_uri(self, stack: ExitStack, private: bool = False) -> tuple[str | None, str]:
        """A tracking URI MlflowClient may open without changing the store, or (None, reason). `private`:
        the store is migrator's own snapshot, read as it is."""

    def client_sample_uri(self, stack: ExitStack, sample: int) -> tuple[str | None, str, list[str] | None]:
        """As client_uri (not private), for a check that reads only `sample` runs in full: (uri, reason, the run
        ids whose every row the view holds, or None when it holds every run's)."""
        uri, why = self.client_uri(stack)
        return uri, why, None

    @abstractmethod
    def credentials(self) -> tuple[str, str | None]:
        """(the address without a password, the password or None): a job gets the password another way."""

    @property
    @abstractmethod
    def source_label(self) -> str:
        """How the MlflowClient path names this store in the tags it writes (never a password)."""

    @abstractmethod
    def private_snapshot(self, *, kind: str = schema.TRACKING,
                         timer: Callable[[str], Any] | None = None) -> ContextManager[Path]:
        """A consistent copy of this store as a SQLite file in a private temporary folder (0700), at the
        store's own revision; removed afterwards (or by the next run, if this process is killed)."""

    def read_in_place(self, *, kind: str = schema.TRACKING) -> ContextManager[Path | None]:
        """The store's own SQLite file, when reading it where it lies is as consistent as a snapshot (see
        `sqlite_db.read_in_place`) and held so for the whole block; None: take `private_snapshot`."""
        return nullcontext(None)

    @abstractmethod
    def copy_at_head(self) -> ContextManager[str]:
        """A tracking URI of this store's data at the installed head that MlflowClient may read without changing
        the store (SQLite: an upgraded private snapshot; PostgreSQL: itself, refused unless at the head)."""

    @abstractmethod
    def require_client_target(self) -> None:
        """Refuse a store MlflowClient would upgrade in place when it writes into it."""

    @abstractmethod
    def dump(self, folder: Path, method: str, stem: str, *, pg_format: str, jobs: int) -> dict[str, Any]:
        """A consistent, checked dump into `folder`; the manifest fields it knows."""

    @abstractmethod
    def in_use(self) -> list[str]:
        """Who else holds the store open (processes, sessions), each described for a message."""

    @abstractmethod
    def upgrade_session(self, *, rehearse: bool, force: bool) -> "ContextManager[UpgradeSession]":
        """Where an upgrade runs (see UpgradeSession); refuses a store in use unless `force` (not for a
        rehearsal, which only reads the store)."""

    @abstractmethod
    def check_restore(self, force: bool, kind: str | None) -> None:
        """Every refusal of `restore_dump` (not empty without `force`, not a file path), before any write."""

    @classmethod
    @abstractmethod
    def scratch(cls, server: str | None) -> "ContextManager[Callable[[], Store]]":
        """Empty throwaway stores of this kind for restore drills, removed on the way out (`server`: a
        PostgreSQL server URL to make a scratch database on)."""

    @abstractmethod
    def restore_dump(self, dump: Path, *, compression: str, tables: Sequence[str], pg_format: str | None,
                     force: bool, kind: str | None, jobs: int) -> "Restored":
        """Replace this store's MLflow tables (of `kind`, or all) with a dump made by `dump` of the same kind."""

    def require(self, kind: type["Store"], what: str, hint: str) -> None:
        if not isinstance(self, kind):
            raise StoreError(f"{what} must be {hint}, got {self.redacted}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Store) and (self.kind, self.url) == (other.kind, other.url)

    def __hash__(self) -> int:
        return hash((self.kind, self.url))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.redacted!r})"


class UpgradeSession(ABC):
    """One store's upgrade, all or nothing. MLflow's migrations run on `conn` (a SQLAlchemy connection, in an
    open transaction); every check reads through it too, before and after. `commit()` makes the result the
    store (a rehearsal: keeps it as the result to check, the store untouched); leaving without it leaves the
    store exactly as it was.

    SQLite: a copy (beside the store, or private for a rehearsal) that replaces the store in one rename.
    PostgreSQL: one transaction on the store itself (a rehearsal: on a scratch database filled from a dump)."""

    conn: Any
    where: str  # what the migrations ran on, for messages ("a copy of X", "a scratch database")

    @abstractmethod
    def remember(self, tables: dict[str, list[str]]) -> None:
        """Before the migrations: note what `unchanged` will compare against (table -> columns)."""

    @abstractmethod
    def unchanged(self, table: str, columns: list[str]) -> bool:
        """After the migrations: the table's rows, on these columns, equal to before, row for row."""

    integrity_in_parallel = False  # `integrity` may run in a thread beside the other checks (after `settle`)

    def settle(self) -> None:
        """After the migrations, before the checks (SQLite: commit the copy's transaction)."""
        return None

    def integrity(self) -> list[tuple[str, bool, str]]:
        """The database's own consistency checks: (name, ok, detail)."""
        return []

    def notes(self) -> list[tuple[str, bool, str]]:
        """What making the copy found, before any migration (name, ok, detail)."""
        return []

    @abstractmethod
    def disk_bytes(self) -> int:
        """The room the upgrade took (the copy, or the database's growth)."""

    @abstractmethod
    def result_url(self) -> str:
        """A SQLAlchemy URL of the result, for MlflowClient and `mlflow server` (after `commit`)."""

    @abstractmethod
    def commit(self) -> None: ...


@dataclass
class Restored:
    """What a restore put into a store: its revision and row counts, and the file kept aside (SQLite)."""

    target: str
    revision: str | None
    counts: dict[str, int]
    kept_aside: str | None = None
