"""Kinds of store behind one declared interface (`base`): `SqliteStore` (a file, read through snapshots) and
`PostgresStore` (a URL). `parse_store` picks the kind from an address; callers use the interface and never ask
which kind they hold. A new kind is one module implementing `base.Store`, `Database`, `Side` and `Writer`, plus
its entry in `address.KINDS`.

Modules: `urls` (redaction, URL parsing), `base` (the interface), `sqlite_db`/`pg_db` (connections, catalog
reads, MLflow's migrations on a copy or in a transaction), `sqlite_archive`/`pg_archive` (backup dumps and
restores), `sqlite`/`postgres` (the kinds), `address` (which kind an address names).
"""

from .address import KINDS, classify_tracking_uri, kind_named, open_spec_side, parse_store
from .base import Database, KeyRange, Restored, Side, SideSpec, Store, UpgradeSession, Writer, not_mlflow
from .pg_archive import PG_DUMP_ENV
from .postgres import PgSide, PostgresStore
from .sqlite import SqliteSide, SqliteStore
from .urls import make_url, redact

__all__ = ["KINDS", "PG_DUMP_ENV", "Database", "KeyRange", "PgSide", "PostgresStore", "Restored", "Side", "SideSpec", "SqliteSide",
           "SqliteStore", "Store", "UpgradeSession", "Writer", "classify_tracking_uri", "kind_named", "make_url", "not_mlflow",
           "open_spec_side", "parse_store", "redact"]
