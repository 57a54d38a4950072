"""MLflow's schema, replayed: the objects (and the few rows) MLflow's migrations create in an empty
PostgreSQL schema, kept as SQL from `pg_dump` of the first schema they created, keyed by the MLflow
release, the store kind, its head revision and the server's major version.

Running ~70 alembic migrations takes seconds of every move; replaying their result takes a fraction of one.
The SQL is taken right after a fresh migration (never written by hand), with the staging schema's name
replaced by a placeholder; it is only read from a private folder (0700, the file 0600, both this user's),
and the replayed schema must name the installed head in its version table or the migrations run instead.
PostgreSQL prints a CHECK written as `col IN (...)` in a form that reads back as another expression; that
one form is given back as written, so the replayed catalog is the migrated one (tested).
`MIGRATOR_SCHEMA_CACHE=off` turns the cache off; `MIGRATOR_CACHE_DIR` moves it (default ~/.cache/migrator).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import schema
from ..files import private_dir, write_private

if TYPE_CHECKING:
    import sqlalchemy as sa

PLACEHOLDER = "__migrator_schema_cache_stage__"
# pg_dump's statements are separated by blank lines; these whole chunks are session settings, the schema
# itself (it exists already), psql meta-commands and comment blocks
_SKIP = re.compile(r"^(\\\S+( \S+)?|CREATE SCHEMA \S+;|SELECT pg_catalog\.set_config\('search_path', '', false\);|SET [^;]+;)$")


def enabled() -> bool:
    return os.environ.get("MIGRATOR_SCHEMA_CACHE", "on").lower() not in ("off", "0", "no", "false")


def folder() -> Path:
    base = os.environ.get("MIGRATOR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "migrator")
    return Path(base) / "schemas"


def key(conn: sa.Connection, kind: str) -> str:
    major = int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000
    text = f"{schema.installed_mlflow_version()}|{kind}|{schema.installed_head(kind)}|pg{major}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _path(conn: sa.Connection, kind: str) -> Path:
    return folder() / f"{kind}-{key(conn, kind)}.sql"


def _trusted(path: Path) -> bool:
    """Ours and private: this user's file in this user's folder, writable by nobody else."""
    try:
        for p in (path, path.parent):
            st = p.stat()
            if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return False
    except OSError:
        return False
    return True


def replay(conn: sa.Connection, kind: str, stage: str) -> bool:
    """Create MLflow's schema of `kind` in the (empty) schema `stage` from the cache, inside the caller's
    transaction on `conn`; False (nothing done) when there is no usable entry."""
    if not enabled():
        return False
    path = _path(conn, kind)
    if not path.is_file() or not _trusted(path):
        return False
    sql = path.read_text().replace(PLACEHOLDER, stage)
    raw = conn.connection.dbapi_connection
    with raw.cursor() as cur:  # type: ignore[union-attr]  # one round trip for the whole script
        cur.execute(sql)
    from .pg_db import revision

    if revision(conn, kind) != schema.installed_head(kind):  # not what the migrations would make: not used
        raise RuntimeError(f"the schema cache {path} does not create the installed head; delete it")
    return True


# how PostgreSQL prints the CHECK of a non-native Enum that SQLAlchemy wrote as `col IN ('a', 'b')`; read back
# as printed it becomes another (equivalent) expression, so it is given back in the form it was written in
_IN_LIST = re.compile(r"\(\((\w+)\)::text = ANY \(\(ARRAY\[((?:'(?:[^']|'')*'::character varying(?:, )?)+)\]\)::text\[\]\)\)")


def _as_written(m: re.Match[str]) -> str:
    values = re.findall(r"'(?:[^']|'')*'(?=::character varying)", m.group(2))
    return f"({m.group(1)} IN ({', '.join(values)}))"


def _statements(dump: str) -> str:
    dump = _IN_LIST.sub(_as_written, dump)
    chunks = [c for c in re.split(r"\n\s*\n", dump) if c.strip()]
    kept = [c for c in chunks if not all(ln.startswith("--") or _SKIP.match(ln) for ln in c.strip().splitlines())]
    return "\n\n".join(kept)


def record(store: Any, conn: sa.Connection, kind: str, stage: str) -> None:
    """After MLflow's migrations created the schema `stage` (committed): keep it as SQL for the next run.
    Best effort: without a pg_dump of the server's major version, or any other trouble, nothing is kept."""
    if not enabled():
        return
    from .pg_archive import find_pg_dump, pg_args, server_major

    try:
        path = _path(conn, kind)
        if path.exists():
            return
        exe = find_pg_dump(server_major(conn))
        args, env = pg_args(store)
        r = subprocess.run([exe, *args, "--schema", stage, "--inserts", "--no-owner", "--no-privileges"],
                           capture_output=True, text=True, env=env, timeout=120)
        if r.returncode != 0 or stage not in r.stdout:
            return
        sql = _statements(r.stdout).replace(stage, PLACEHOLDER)
        write_private(private_dir(path.parent) / path.name, sql + "\n")
    except Exception:  # noqa: BLE001 - a cache: the move goes on without it
        return
