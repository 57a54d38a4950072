"""PostgreSQL backups: pg_dump -Fc from an exported snapshot (counts match the dump), read-back check."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .. import schema
from ..errors import MigratorError
from ..files import open_private
from ..stores import Store, not_mlflow, pg_connection

PG_DUMP_ENV = "MIGRATOR_PG_DUMP"


def find_pg_dump(server_major: int) -> str:
    """A pg_dump whose major version is not older than the server's: $MIGRATOR_PG_DUMP (or --pg-dump),
    then PATH, Debian's, pgserver's."""
    explicit = os.environ.get(PG_DUMP_ENV)
    if explicit:
        exe = Path(explicit) / "pg_dump" if Path(explicit).is_dir() else Path(explicit)
        if not exe.is_file() or not os.access(exe, os.X_OK):
            raise MigratorError(f"{PG_DUMP_ENV} / --pg-dump names {explicit}, which is not an executable pg_dump "
                                "(or a folder holding one)")
    candidates = ([str(exe)] if explicit else []) + [shutil.which("pg_dump")] + sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)
    try:
        import pgserver

        candidates.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"))
    except ImportError:
        pass
    found = []
    for c in candidates:
        if not c or not os.path.exists(c):
            continue
        out = subprocess.run([c, "--version"], capture_output=True, text=True).stdout
        m = re.search(r"(\d+)(?:\.\d+)?", out)
        if m:
            found.append((int(m.group(1)), c))
            if int(m.group(1)) >= server_major:
                return c
    have = ", ".join(f"{v} ({p})" for v, p in found) or "none"
    raise MigratorError(f"no pg_dump of major version >= {server_major} found (found: {have}); install "
                        f"postgresql-client-{server_major}, or point --pg-dump (or {PG_DUMP_ENV}) at a pg_dump "
                        f">= {server_major}")


def pg_args(store: Store, database: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_* tools: one libpq connection string (`-d`) with everything the URL
    says (host, port, and every query parameter psycopg2 would get: host=/socket/dir, port, sslmode,
    options, ...); the password goes in the environment, never argv."""
    u = make_url(store.url)
    query_user = u.query.get("user")
    params: dict[str, str] = {"user": u.username or (str(query_user) if isinstance(query_user, str) else "postgres"),
                              "dbname": database or u.database or "postgres"}
    if u.host:
        params["host"] = u.host
    if u.port:
        params["port"] = str(u.port)
    password = u.password
    for key, value in u.query.items():
        text = ",".join(value) if isinstance(value, tuple) else str(value)
        if key == "password":
            password = password or text
        elif key not in ("user", "dbname", "database"):
            params[key] = text
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = password
    return ["-d", " ".join(f"{k}={_conninfo_value(v)}" for k, v in params.items())], env


def _conninfo_value(v: str) -> str:
    return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"


def tool(name: str, server_major: int) -> str:
    exe = find_pg_dump(server_major)
    return str(Path(exe).with_name(name))


def server_major(conn: sa.Connection) -> int:
    return int(conn.exec_driver_sql("SHOW server_version_num").scalar()) // 10000


PARALLEL_ABOVE = 1 << 30  # --pg-format auto: a directory archive with parallel jobs above 1 GiB


def backup_postgres(store: Store, folder: Path, method: str, stem: str = "store", *, pg_format: str = "auto",
                    jobs: int = 2) -> dict[str, Any]:
    """pg_dump from an exported snapshot: one custom-format file, or (big stores, `pg_format` directory)
    a directory archive written by `jobs` parallel workers that share the snapshot."""
    with pg_connection(store) as conn:
        conn.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
        kinds = schema.kinds_in(schema.pg_table_names(conn))
        if not kinds:
            raise not_mlflow(store.redacted)
        stores = {k: schema.pg_revision(conn, k) for k in kinds}
        rev = stores[kinds[0]]
        counts = schema.pg_table_counts(conn)
        major = server_major(conn)
        pg_dump = find_pg_dump(major)
        args, env = pg_args(store)
        size = int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar())
        fmt = pg_format if pg_format != "auto" else ("directory" if size > PARALLEL_ABOVE else "custom")
        level = "0" if method == "none" else "6"
        if fmt == "directory":
            out = folder / f"{stem}.dump.d"  # pg_dump makes the folder (under the caller's umask / 0700 parent)
            cmd = [pg_dump, "-Fd", "-j", str(max(1, jobs)), "-Z", level, f"--snapshot={snapshot_id}", "-f", str(out)]
        else:
            out = folder / f"{stem}.dump"
            open_private(out, "wb").close()  # pg_dump writes into a file that is 0600 from its first byte
            cmd = [pg_dump, "-Fc", "-Z", level, f"--snapshot={snapshot_id}", "-f", str(out)]
        r = subprocess.run([*cmd, *args], env=env, capture_output=True, text=True)
        if r.returncode != 0:
            raise MigratorError(f"pg_dump failed: {(r.stderr.strip().splitlines() or ['exit ' + str(r.returncode)])[-1]}")
    readback(out, major)
    return {"kind": "postgresql", "file": out.name, "pg_format": fmt, "pg_jobs": jobs if fmt == "directory" else 1,
            "stores": stores, "compression": "pg_dump-custom" + ("" if level != "0" else "-none"),
            "schema_revision": rev, "tables": counts, "database_size": size, "pg_server_major": major,
            "pg_dump": pg_dump}


def readback(dump: Path, major: int) -> None:
    """Read the whole archive back (pg_restore to /dev/null), not only its table of contents."""
    r = subprocess.run([tool("pg_restore", major), "-f", os.devnull, str(dump)], capture_output=True, text=True)
    if r.returncode != 0:
        raise MigratorError(f"the dump {dump.name} does not read back: "
                            f"{(r.stderr.strip().splitlines() or ['exit ' + str(r.returncode)])[-1]}")
