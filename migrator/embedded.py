"""An embedded PostgreSQL (pgserver) kept under ./.migrator/pg: the no-TARGET quick start, and its
lifecycle (`migrator embedded start|stop|status`): it keeps running after migrator exits, so the printed
`mlflow server` line works; after a reboot `start` brings it back; `stop` stops it (as the user that owns
the server process, which pgserver creates when run as root)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .errors import MigratorError
from .schema import quote_ident as q
from .stores import PostgresStore, parse_store
from .stores.pg_db import PgDatabase
from .stores.pg_server import get_server, traversable

DEFAULT_DIR = Path(".migrator") / "pg"
DATABASE = "mlflow"


def _pgserver() -> Any:
    try:
        import pgserver
    except ImportError:
        raise MigratorError("the embedded PostgreSQL is not installed: pip install 'migrator[embedded]', "
                            "or pass a postgresql:// URL") from None
    return pgserver


MARKER = ".handle_pids.json"  # pgserver's own file in every cluster it made


def _is_embedded(pgdata: Path) -> bool:
    return (pgdata / "PG_VERSION").exists() and (pgdata / MARKER).exists()


def _check_folder(pgdata: Path) -> None:
    """Only a new or empty folder, or one that holds an embedded cluster, is used: anything else (another
    PostgreSQL cluster, the user's files) is refused before anything is changed."""
    if pgdata.exists() and not pgdata.is_dir():
        raise MigratorError(f"{pgdata} is a file; give the folder of the embedded PostgreSQL")
    if pgdata.is_dir() and any(pgdata.iterdir()) and not _is_embedded(pgdata):
        what = "another PostgreSQL cluster" if (pgdata / "PG_VERSION").exists() else "files of its own"
        raise MigratorError(f"{pgdata} is not a folder of migrator's embedded PostgreSQL (it holds {what}); give a "
                            "new or empty folder (default ./.migrator/pg), or one `migrator embedded start` made")


def _make_parents(pgdata: Path) -> None:
    """Create the missing folders above `pgdata`: passable (0711) when the server runs as another user."""
    import os

    missing = [p for p in reversed(pgdata.parents) if not p.exists()]
    for p in missing:
        p.mkdir()
        if os.geteuid() == 0:
            os.chmod(p, 0o711)  # a folder this run created: traversal only, nothing listed


def start_embedded(pgdata: Path = DEFAULT_DIR, database: str = DATABASE) -> PostgresStore:
    """Start (or reuse) the embedded server, leave it running, ensure `database` exists."""
    import os

    _pgserver()
    pgdata = pgdata.resolve()
    _check_folder(pgdata)
    if os.geteuid() == 0:  # refused before anything is made: the folders above must let pgserver pass
        traversable(next(p for p in pgdata.parents if p.exists()) / "x")
    _make_parents(pgdata)
    server = get_server(pgdata, cleanup_mode=None)
    with server._lock:  # a handle cached by this process outlives a `stop`: start the server again
        server.ensure_postgres_running()
    admin = parse_store(server.get_uri())
    engine = sa.create_engine(admin.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if not conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %(d)s", {"d": database}).scalar():
                conn.exec_driver_sql(f"CREATE DATABASE {q(database)}")
    finally:
        engine.dispose()
    store = parse_store(server.get_uri(database))
    assert isinstance(store, PostgresStore)
    return store


@dataclass
class EmbeddedStatus:
    folder: str
    running: bool
    pid: int | None = None
    url: str | None = None
    stores: dict[str, dict[str, Any]] = field(default_factory=dict)  # database -> what it holds

    def as_dict(self) -> dict[str, Any]:
        return {"ok": True, "folder": self.folder, "running": self.running, "pid": self.pid, "url": self.url,
                "stores": self.stores}


def _info(pgdata: Path) -> Any:
    _pgserver()
    from pgserver.utils import PostmasterInfo

    if not _is_embedded(pgdata):
        raise MigratorError(f"{pgdata} holds no embedded PostgreSQL; `migrator embedded start {pgdata}` makes one "
                            "(or `migrator sqlite-to-pg STORE` without a TARGET)")
    info = PostmasterInfo.read_from_pgdata(pgdata)
    return info if info is not None and info.is_running() else None


def status_embedded(pgdata: Path = DEFAULT_DIR) -> EmbeddedStatus:
    """Whether the server runs, its URL, and the MLflow stores its databases hold; starts nothing."""
    pgdata = pgdata.resolve()
    info = _info(pgdata)
    st = EmbeddedStatus(str(pgdata), info is not None)
    if info is None:
        return st
    st.pid = info.pid
    admin = parse_store(info.get_uri())
    st.url = admin.url
    engine = sa.create_engine(admin.url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            names = conn.exec_driver_sql("SELECT datname FROM pg_database WHERE NOT datistemplate "
                                         "ORDER BY 1").scalars().all()
        for db in names:
            st.stores[db] = describe_database(PostgresStore(parse_store(info.get_uri(database=db)).url))
    finally:
        engine.dispose()
    return st


def describe_database(store: PostgresStore) -> dict[str, Any]:
    """What one database holds: its URL, the MLflow schema revision, experiments and runs, and whether its
    artifact locations use mlflow-artifacts:/ (served by `mlflow server --artifacts-destination`)."""
    out: dict[str, Any] = {"url": store.url, "tracking_revision": None}
    with store.connection() as conn:
        db = PgDatabase(conn)
        tables = set(db.table_names())
        if "alembic_version" in tables and "experiments" in tables:
            out["tracking_revision"] = db.revision()
            out["experiments"] = int(conn.exec_driver_sql("SELECT count(*) FROM experiments").scalar())
            out["runs"] = int(conn.exec_driver_sql("SELECT count(*) FROM runs").scalar()) if "runs" in tables else 0
            out["uses_mlflow_artifacts"] = db.uses_proxied_artifacts()
        out["tables"] = len(tables)
    return out


def stop_embedded(pgdata: Path = DEFAULT_DIR) -> bool:
    """Stop the server (pg_ctl as the server's own user); False when it was not running."""
    pgdata = pgdata.resolve()
    if _info(pgdata) is None:
        return False
    import os
    import subprocess

    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    user = "pgserver" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    except subprocess.CalledProcessError as e:
        raise MigratorError(f"could not stop the embedded PostgreSQL in {pgdata}: {e}") from None
    return True


def mlflow_server_line(url: str, uses_mlflow_artifacts: bool, artifacts_destination: str = "./mlartifacts") -> str:
    """The `mlflow server` command that serves this store (with the artifact root `mlflow-artifacts:/`
    locations need)."""
    line = f"mlflow server --backend-store-uri '{url}'"
    if uses_mlflow_artifacts:
        line += f" --artifacts-destination {artifacts_destination}"
    return line
