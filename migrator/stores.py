"""Store addresses: SQLite paths and PostgreSQL URLs; opening them safely; redacting passwords."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_LOCK_WAIT_S = 30.0  # how long a read waits for a writer's lock
_PG_SCHEMES = ("postgresql+psycopg2://", "postgresql://", "postgres://", "postgresql+psycopg://")
_URL_PW = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*://)(?P<user>[^:/@\s]*):(?P<pw>[^@\s]*)@")


def redact(text: str) -> str:
    """Replace the password of every URL in `text` with ***."""
    return _URL_PW.sub(lambda m: f"{m['scheme']}{m['user']}:***@", str(text))


@dataclass(frozen=True)
class Store:
    """A parsed store address. `kind` is 'sqlite' or 'postgresql'."""

    kind: str
    url: str  # SQLAlchemy URL (postgresql+psycopg2://... or sqlite:///abs/path)
    path: Path | None = None  # SQLite file

    @property
    def redacted(self) -> str:
        if self.kind == "sqlite":
            return str(self.path)
        return redact(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.kind == "sqlite"


def parse_store(address: str) -> Store:
    """Accept a SQLite file path, sqlite:///path, postgresql://, postgres://, postgresql+psycopg2://."""
    a = address.strip()
    low = a.lower()
    if low.startswith("sqlite:"):
        m = re.match(r"sqlite:///(.*)$", a, re.IGNORECASE)
        if not m or not m.group(1):
            raise StoreError(f"cannot read SQLite address {a!r}; use sqlite:///path/to/mlflow.db or a file path")
        path = Path(m.group(1).split("?")[0]).expanduser().resolve()
        return Store("sqlite", f"sqlite:///{path}", path)
    for scheme in _PG_SCHEMES:
        if low.startswith(scheme):
            rest = a[len(scheme):]
            url = "postgresql+psycopg2://" + rest
            try:
                make_url(url)
            except Exception as e:  # sqlalchemy.exc.ArgumentError and friends
                raise StoreError(f"cannot parse PostgreSQL URL {redact(a)}: {e}") from None
            return Store("postgresql", url)
    if "://" in a:
        scheme = a.split("://", 1)[0]
        raise StoreError(
            f"unsupported store address scheme {scheme!r} in {redact(a)}; "
            "use a SQLite file path, sqlite:///path or postgresql://user:password@host/db"
        )
    path = Path(a).expanduser().resolve()
    return Store("sqlite", f"sqlite:///{path}", path)


def check_sqlite_file(path: Path) -> None:
    """Fail clearly for a missing file, a directory, or a file that is not SQLite."""
    if not path.exists():
        raise StoreError(f"SQLite store {path} does not exist; check the path")
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a SQLite file; give the path of the .db file")
    with open(path, "rb") as f:
        head = f.read(16)
    if head != SQLITE_MAGIC:
        raise StoreError(f"{path} is not a SQLite database; give the path of an MLflow SQLite store")


def open_sqlite_readonly(path: Path) -> sqlite3.Connection:
    """Open a SQLite file read-only (never through MLflow, which would upgrade it in place)."""
    check_sqlite_file(path)
    uri = f"file:{quote(str(path))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=SQLITE_LOCK_WAIT_S)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        raise StoreError(describe_sqlite_error(path, e)) from None
    return conn


def describe_sqlite_error(path: Path, exc: Exception, action: str = "cannot read SQLite store") -> str:
    if "locked" in str(exc).lower() or "busy" in str(exc).lower():
        return (f"{action} {path}: {exc} (another process held a write lock for more than "
                f"{SQLITE_LOCK_WAIT_S:g} s); run again when that write is done")
    return f"{action} {path}: {exc}"


def require_mlflow_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in names or "experiments" not in names:
        raise StoreError(
            f"{path} is a SQLite database but not an MLflow tracking store "
            "(no alembic_version/experiments tables); give the file that `mlflow server "
            "--backend-store-uri sqlite:///FILE` uses"
        )


def pg_engine(store: Store) -> sa.Engine:
    return sa.create_engine(store.url, poolclass=sa.pool.NullPool)


def connect_pg(store: Store) -> tuple[sa.Engine, sa.Connection]:
    """Connect, turning connection failures into one clear StoreError (password redacted)."""
    engine = pg_engine(store)
    try:
        conn = engine.connect()
    except sa.exc.OperationalError as e:
        raise StoreError(describe_pg_error(store, e)) from None
    return engine, conn


def describe_pg_error(store: Store, exc: Exception) -> str:
    raw = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    detail = next((line for line in raw if line.strip()), "unknown error")
    detail = re.sub(r"^(connection to server .*? failed:\s*)", "", detail)
    detail = redact(detail)
    low = detail.lower()
    if any(m in low for m in ("server closed the connection", "terminating connection", "connection already closed",
                              "connection reset", "ssl syscall error")):
        return f"lost the connection to PostgreSQL at {store.redacted}: {detail}; check the server and run again"
    if "password authentication failed" in low or "no password supplied" in low:
        hint = "check the user name and password in the URL"
    elif "does not exist" in low and "database" in low:
        hint = "create the database first (createdb) or fix its name in the URL"
    else:
        hint = "check that the server is running and the host and port in the URL are right"
    return f"cannot connect to PostgreSQL at {store.redacted}: {detail}; {hint}"
