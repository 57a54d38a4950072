"""Which kind of store an address names: `parse_store` (SQLite paths and URLs, PostgreSQL URLs in every accepted
spelling) and `classify_tracking_uri` (any MLflow tracking URI). `KINDS` registers each kind by name."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import StoreError
from .base import Side, SideSpec, Store
from .postgres import PostgresStore, _driver_url
from .postgres import open_spec_side as _open_pg_side
from .sqlite import SqliteStore
from .sqlite import open_spec_side as _open_sqlite_side
from .urls import PG_SCHEMES, make_url, redact

KINDS: dict[str, type[Store]] = {SqliteStore.kind: SqliteStore, PostgresStore.kind: PostgresStore}
_SPEC_SIDES = {SqliteStore.kind: _open_sqlite_side, PostgresStore.kind: _open_pg_side}


def kind_named(name: str) -> type[Store]:
    """The kind a backup manifest or a worker's SideSpec names."""
    try:
        return KINDS[name]
    except KeyError:
        raise StoreError(f"unknown kind of store {name!r}; this migrator knows {', '.join(KINDS)}") from None


def open_spec_side(spec: SideSpec) -> Side:
    """The side a worker process opens from a SideSpec."""
    kind_named(spec.kind)
    return _SPEC_SIDES[spec.kind](spec)


def parse_store(address: str) -> Store:
    """Accept a SQLite file path, sqlite:///path, postgresql://, postgres://, postgresql+psycopg2://,
    postgresql+psycopg://."""
    a = address.strip()
    low = a.lower()
    if low.startswith("sqlite:"):
        m = re.match(r"sqlite:///(.*)$", a, re.IGNORECASE)
        if not m or not m.group(1):
            raise StoreError(f"cannot read SQLite address {a!r}; use sqlite:///path/to/mlflow.db or a file path")
        return SqliteStore(Path(m.group(1).split("?")[0]).expanduser().resolve())
    if any(low.startswith(s) for s in PG_SCHEMES):
        url = _driver_url(a)
        try:
            make_url(url)
        except Exception as e:  # sqlalchemy.exc.ArgumentError and friends
            raise StoreError(f"cannot parse PostgreSQL URL {redact(a)}: {e}") from None
        return PostgresStore(url)
    if "://" in a:
        scheme = a.split("://", 1)[0]
        raise StoreError(
            f"unsupported store address scheme {scheme!r} in {redact(a)}; "
            "use a SQLite file path, sqlite:///path or postgresql://user@host/db (password in the URL or PGPASSWORD)"
        )
    return SqliteStore(Path(a).expanduser().resolve())


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
