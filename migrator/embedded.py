"""An embedded PostgreSQL (pgserver) kept under ./.migrator/pg: the no-TARGET quick start."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from .errors import MigratorError
from .stores import Store, parse_store

DEFAULT_DIR = Path(".migrator") / "pg"
DATABASE = "mlflow"


def start_embedded(pgdata: Path = DEFAULT_DIR, database: str = DATABASE) -> Store:
    """Start (or reuse) the embedded server, leave it running, ensure `database` exists."""
    try:
        import pgserver
    except ImportError:
        raise MigratorError("no TARGET given and the embedded PostgreSQL is not installed: "
                            "pip install 'migrator[embedded]', or pass a postgresql:// URL") from None
    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    admin = parse_store(server.get_uri())
    engine = sa.create_engine(admin.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        if not conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %(d)s", {"d": database}).scalar():
            conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    engine.dispose()
    return parse_store(server.get_uri(database))
