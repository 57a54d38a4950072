"""Store addresses: SQLite paths and PostgreSQL URLs; opening them safely; redacting passwords."""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator
from urllib.parse import quote

from .errors import StoreError, _pg_error, _sqlite_error

if TYPE_CHECKING:  # SQLAlchemy loads where a PostgreSQL store is reached (the artifact and SQLite paths start faster)
    import sqlalchemy as sa


def make_url(url: str) -> "sa.engine.URL":
    from sqlalchemy.engine import make_url as _make_url

    return _make_url(url)

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_LOCK_WAIT_S = 30.0  # how long a read waits for a writer's lock
_PG_SCHEMES = ("postgresql+psycopg2://", "postgresql://", "postgres://", "postgresql+psycopg://")
# userinfo of any URL: the password runs to the LAST '@' before the host (libpq and users leave '@', '/' and
# ':' unescaped in passwords); the host part that follows holds no '@' and ends the URL or meets / ? # or a quote
_URL_PW = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*://)(?P<user>[^:/@\s'\"]*):(?P<pw>[^\s'\"]*)"
                     r"@(?P<host>[^@\s/?#'\"]*)(?=[/?#\s'\"]|$)")
# password=... as a URL query parameter (?password=, &password=), a libpq keyword string (password=x,
# password='x y') or an environment assignment (PGPASSWORD=x)
_KEYWORD_PW = re.compile(r"(?P<key>\b(?:pg)?password\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|\"[^\"]*\"|[^&\s'\"]+)",
                         re.IGNORECASE)


def redact(text: str) -> str:
    """Replace every password in `text` with ***: in URL userinfo, in password= query parameters and
    libpq keyword strings, and in PGPASSWORD=... assignments."""
    out = _URL_PW.sub(lambda m: f"{m['scheme']}{m['user']}:***@{m['host']}", str(text))
    return _KEYWORD_PW.sub(lambda m: f"{m['key']}***", out)


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


def _escape_password_at(rest: str) -> str:
    """'user:p@ss@host/db' -> 'user:p%40ss@host/db': the password runs to the last '@' before the host
    (SQLAlchemy would split at the first one and take the password's tail for the host)."""
    m = re.match(r"(?P<user>[^:/@]*):(?P<pw>.*)@(?P<hosttail>[^@]*)$", rest, re.DOTALL)
    if not m or "@" not in m["pw"]:
        return rest
    return f"{m['user']}:{m['pw'].replace('@', '%40')}@{m['hosttail']}"


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
            rest = _escape_password_at(a[len(scheme):])
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
            "use a SQLite file path, sqlite:///path or postgresql://user@host/db (password in the URL or PGPASSWORD)"
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
        raise sqlite_failure(path, e) from None
    return conn


def describe_sqlite_error(path: Path, exc: Exception, action: str = "cannot read SQLite store") -> str:
    if "locked" in str(exc).lower() or "busy" in str(exc).lower():
        return (f"{action} {path}: {exc} (another process held a write lock for more than "
                f"{SQLITE_LOCK_WAIT_S:g} s); run again when that write is done")
    return f"{action} {path}: {exc}"


def sqlite_failure(path: Path, exc: Exception, action: str = "cannot read SQLite store") -> StoreError:
    """A damaged, locked or unreadable store (exit 1; a writer's lock is exit 4 only where migrator
    writes, e.g. rewrite-artifacts)."""
    low = str(exc).lower()
    if "locked" not in low and "busy" not in low and isinstance(exc, sqlite3.Error):
        mapped = _sqlite_error(exc, str(path))  # the wording every SQLite fault gets (damaged, full, ...)
        if mapped is not None:
            return StoreError(mapped.message)
    return StoreError(describe_sqlite_error(path, exc, action))


def require_mlflow_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as e:
        raise sqlite_failure(path, e) from None
    if "alembic_version" not in names or "experiments" not in names:
        raise StoreError(
            f"{path} is a SQLite database but not an MLflow tracking store "
            "(no alembic_version/experiments tables); give the file that `mlflow server "
            "--backend-store-uri sqlite:///FILE` uses"
        )


def pg_engine(store: Store, search_path: str | None = None) -> sa.Engine:
    """`search_path`: see in_schema."""
    import sqlalchemy as sa

    url = store.url if search_path is None else in_schema(store, search_path).url
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def in_schema(store: Store, schema_name: str) -> Store:
    """The same PostgreSQL store with `schema_name` first on its connections' search_path from the first byte
    (libpq's options), so SQLAlchemy's, alembic's and MLflow's default schema is that one; the URL's own
    options are kept. Names of [a-z0-9_] only."""
    assert re.fullmatch(r"[a-z0-9_]+", schema_name), schema_name
    url = make_url(store.url)
    opts = url.query.get("options", "")
    if isinstance(opts, tuple):
        opts = " ".join(opts)
    opts = f"{opts} -c search_path={schema_name}".strip()
    return Store("postgresql", url.update_query_dict({"options": opts}).render_as_string(hide_password=False))


def connect_pg(store: Store) -> tuple[sa.Engine, sa.Connection]:
    """Connect, turning connection failures into one clear StoreError (password redacted)."""
    import sqlalchemy as sa

    engine = pg_engine(store)
    try:
        conn = engine.connect()
    except sa.exc.OperationalError as e:
        raise StoreError(describe_pg_error(store, e)) from None
    return engine, conn


def describe_pg_error(store: Store, exc: Exception) -> str:
    """One line for a PostgreSQL error met while talking to `store` (password redacted)."""
    mapped = _pg_error(getattr(exc, "orig", None) or exc, store.redacted, connecting=True)
    assert mapped is not None
    return redact(mapped.message)


@contextmanager
def pg_connection(store: Store) -> Iterator[sa.Connection]:
    """One connection to a PostgreSQL store, closed (and its engine disposed) on the way out."""
    engine, conn = connect_pg(store)
    try:
        yield conn
    finally:
        conn.close()
        engine.dispose()


def not_mlflow(what: str, why: str = "no alembic_version table") -> StoreError:
    """The one wording of "this is not an MLflow store"."""
    return StoreError(f"{what} is not an MLflow tracking store ({why}); give the database that `mlflow server "
                      "--backend-store-uri` uses")


# --------------------------------------------------------------------------- tracking URIs (MlflowClient)
_OTHER_SQL = ("mysql", "mssql")  # opened by MLflow itself (SQLite and PostgreSQL go through parse_store)


def classify_tracking_uri(address: str) -> tuple[str, str]:
    """-> (kind, uri) of any MLflow tracking URI: http, file, sqlite, postgresql, mysql, mssql.
    Paths without a scheme are SQLite files when they are files, file stores when folders."""
    a = address.strip()
    if "://" in a or a.lower().startswith("sqlite:"):
        scheme = a.split(":", 1)[0].lower()
        base = scheme.split("+", 1)[0]
        if base in ("http", "https"):
            return "http", a.rstrip("/")
        if base == "file":
            return "file", str(Path(a[len("file://"):] if a.lower().startswith("file://") else a[len("file:"):]))
        if base in ("sqlite", "postgresql", "postgres"):
            store = parse_store(a)
            return store.kind, store.url
        if base in _OTHER_SQL:
            return base, a
        raise StoreError(f"unsupported tracking URI scheme {scheme!r} in {redact(a)}; use http(s)://, "
                         "sqlite:///path, postgresql://..., a ./mlruns folder or a SQLite file path")
    p = Path(a).expanduser().resolve()
    if p.is_dir() or (not p.exists() and not p.suffix):
        return "file", str(p)
    return "sqlite", f"sqlite:///{p}"
