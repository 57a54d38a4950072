"""PostgreSQL archives: pg_dump from an exported snapshot (counts match the dump) with a read-back check, and
pg_restore into a store (one transaction, or parallel jobs undone on failure); the pg_* tools found by version."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .. import schema
from ..errors import MigratorError
from ..files import open_private
from . import pg_db
from .base import Restored, not_mlflow
from .urls import make_url

if TYPE_CHECKING:
    import sqlalchemy as sa

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


def pg_args(store: Any, database: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_* tools: one libpq connection string (`-d`) with everything the URL
    says (host, port, and every query parameter psycopg2 would get: host=/socket/dir, port, sslmode,
    options, ...); the password goes in the environment, never argv."""
    u = make_url(getattr(store, "url", store))  # a store, or its URL
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
    return int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) // 10000


PARALLEL_ABOVE = 1 << 30  # --pg-format auto: a directory archive with parallel jobs above 1 GiB


def backup_postgres(url: str, where: str, folder: Path, method: str, stem: str = "store", *, pg_format: str = "auto",
                    jobs: int = 2) -> dict[str, Any]:
    """pg_dump from an exported snapshot: one custom-format file, or (big stores, `pg_format` directory)
    a directory archive written by `jobs` parallel workers that share the snapshot."""
    with pg_db.connection(url, where) as conn:
        conn.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot_id = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
        db = pg_db.PgDatabase(conn)
        kinds = db.kinds()
        if not kinds:
            raise not_mlflow(where)
        stores = db.revisions()
        rev = stores[kinds[0]]
        counts = db.counts()
        major = server_major(conn)
        pg_dump = find_pg_dump(major)
        args, env = pg_args(url)
        size = db.size_bytes()
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


def restore_dump(url: str, where: str, dump: Path, tables: Sequence[str], pg_format: str | None, *, force: bool,
                 kind: str | None, jobs: int = 2) -> Restored:
    """`kind` AUTH: the basic-auth part, into a database that may hold the tracking store already (only its
    auth tables count as "not empty" and only they are dropped by --force)."""
    tables = list(tables)
    with pg_db.connection(url, where) as conn:
        existing = own_tables(conn, kind)
        _refuse_if_not_empty(existing, where, force)
        major = server_major(conn)
        if existing:
            with conn.begin():
                pg_db.drop_mlflow_tables(conn, tables, kind or schema.TRACKING)
        conn.commit() if conn.in_transaction() else None
    args, env = pg_args(url)
    parallel = pg_format == "directory" and dump.is_dir()
    # a directory archive restores with parallel jobs (PostgreSQL allows that only outside one transaction:
    # on a failure the tables it made are dropped again, so the target is left as it was)
    mode = ["-j", str(max(1, jobs))] if parallel else ["--single-transaction"]
    r = subprocess.run([tool("pg_restore", major), "--no-owner", "--no-privileges", *mode, "--exit-on-error", *args,
                        str(dump)], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        if parallel:
            with pg_db.connection(url, where) as conn, conn.begin():
                pg_db.drop_mlflow_tables(conn, tables, kind or schema.TRACKING)
        lines = r.stderr.strip().splitlines() or ["exit " + str(r.returncode)]
        said = next((ln for ln in lines if "error:" in ln.lower()), lines[-1])  # not the SQL it quotes after
        raise MigratorError(f"pg_restore failed, nothing was restored: {said.strip()}")
    with pg_db.connection(url, where) as conn:
        db = pg_db.PgDatabase(conn)
        rev = db.revision(kind) if kind is not None else db.main_revision()
        counts = db.counts()
        if kind is not None:
            counts = {t: n for t, n in counts.items() if t in tables}
    return Restored(where, rev, counts)


def restore_all_you_can(url: str, dump: Path) -> list[str]:
    """pg_restore of a custom-format dump into an empty scratch database, going on past errors (a constraint
    the store's own rows violate cannot be rebuilt): the errors pg_restore reported, none when it was clean."""
    with pg_db.connection(url, url) as conn:
        major = server_major(conn)
    args, env = pg_args(url)
    r = subprocess.run([tool("pg_restore", major), "--no-owner", "--no-privileges", *args, str(dump)], env=env,
                       capture_output=True, text=True)
    if r.returncode == 0:
        return []
    errors = [ln.strip() for ln in r.stderr.splitlines() if "error" in ln.lower() or ln.strip().startswith(
        ("DETAIL", "Command was"))]
    return errors or [f"pg_restore exited {r.returncode}"]


def own_tables(conn: sa.Connection, kind: str | None) -> list[str]:
    """The tables a restore of `kind` (None: the whole database) would replace."""
    tables = pg_db.table_names(conn)
    if kind is None:
        return tables
    return list(schema.own_tables(dict.fromkeys(tables), kind)) + (
        ["alembic_version_auth"] if "alembic_version_auth" in tables else [])


def check_restore_target(url: str, where: str, force: bool, kind: str | None) -> None:
    """Every refusal of a restore into this database, before anything is written."""
    with pg_db.connection(url, where) as conn:
        _refuse_if_not_empty(own_tables(conn, kind), where, force)


def _refuse_if_not_empty(existing: list[str], where: str, force: bool) -> None:
    if existing and not force:
        raise MigratorError(f"target {where} is not empty ({len(existing)} tables, e.g. {', '.join(existing[:3])}); "
                            "restore into an empty database or use --force to drop its MLflow tables first")
