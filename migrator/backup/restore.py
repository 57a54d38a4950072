"""`migrator restore`: sha256 and manifest first, then restore (SQLite file or pg_restore); `--check`
restores into a scratch database and compares revision and counts with the manifest."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .. import schema
from ..errors import EXIT_MISMATCH, MigratorError
from ..locks import file_lock
from ..schema import quote_ident as q
from ..snapshot import private_tempdir
from ..stores import Store, parse_store, pg_connection
from ..transfer import repos
from . import artifacts as _artifacts
from . import manifest as mf
from .destination import split_backup
from .postgres import pg_args, server_major, tool
from .sqlite import decompress, integrity


@dataclass
class RestoreResult:
    backup: str
    target: str
    revision: str | None
    tables: dict[str, int]
    mismatches: list[str] = field(default_factory=list)
    kept_aside: str | None = None
    artifacts: int | None = None  # artifact files restored
    auth: "RestoreResult | None" = None  # the basic-auth database of the same backup, when restored
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches and (self.auth is None or self.auth.ok)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else EXIT_MISMATCH

    @property
    def failure(self) -> str | None:
        n = len(self.mismatches) + (len(self.auth.mismatches) if self.auth is not None else 0)
        return None if self.ok else f"the restored data does not match the manifest ({n} difference(s))"

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "backup": self.backup, "target": self.target, "schema_revision": self.revision,
                "tables": self.tables, "mismatches": self.mismatches, "kept_aside": self.kept_aside,
                "auth": self.auth.as_dict() if self.auth is not None else None, "notes": self.notes,
                "artifacts_restored": self.artifacts}


def _compare(m: dict[str, Any], revision: str | None, counts: dict[str, int]) -> list[str]:
    out = []
    if revision != m.get("schema_revision"):
        out.append(f"schema revision {revision} != manifest {m.get('schema_revision')}")
    for t in sorted(set(m["tables"]) | set(counts)):
        if m["tables"].get(t) != counts.get(t):
            out.append(f"{t}: {counts.get(t)} rows, manifest says {m['tables'].get(t)}")
    return out


def _sqlite_from(b: mf.Backup, dest: Path) -> tuple[str | None, dict[str, int]]:
    decompress(b.db_file, dest, b.manifest["compression"])
    status = integrity(dest)
    if status != "ok":
        raise MigratorError(f"the restored database fails PRAGMA integrity_check ({status})")
    conn = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)
    try:
        names = schema.sqlite_table_names(conn)
        return (schema.main_revision(names, lambda k: schema.sqlite_revision(conn, k)),
                schema.sqlite_table_counts(conn))
    finally:
        conn.close()


def _extract_artifacts(b: mf.Backup, into: Path) -> None:
    """Backups before content-addressed artifacts kept the artifact root as one tarball."""
    import tarfile

    with tarfile.open(b.path / b.manifest["artifacts_file"], "r:gz") as tar:
        tar.extractall(into, filter="data")


def auth_part(b: mf.Backup) -> mf.Backup | None:
    """The basic-auth database a server backup holds beside the tracking store, as a backup of its own."""
    if not b.manifest.get("auth_file"):
        return None
    sub = {k[len("auth_"):]: v for k, v in b.manifest.items() if k.startswith("auth_")}
    return mf.Backup(b.path, {**sub, "created_utc": b.manifest["created_utc"]}, b.where)


def restore(backup: str | Path, target: Store, *, force: bool = False, artifacts_to: str | Path | None = None,
            auth_target: Store | None = None, jobs: int = 4) -> RestoreResult:
    """Restore the database (with `auth_target` the basic-auth database the backup holds beside it, with
    `artifacts_to` its artifacts into that folder or URI) from a backup folder or DEST-URI/NAME."""
    d, name = split_backup(backup)
    with d.fetched(name) as b:
        return _restore_fetched(d, b, target, force, None if artifacts_to is None else str(artifacts_to),
                                auth_target, jobs)


def _restore_fetched(d: Any, b: mf.Backup, target: Store, force: bool, artifacts_to: str | None,
                     auth_target: Store | None, jobs: int) -> RestoreResult:
    auth = auth_part(b)
    if auth_target is not None and auth is None:
        raise MigratorError(f"backup {b.where} holds no basic-auth database; leave out --auth-target")
    if artifacts_to is not None:
        if not (b.manifest.get("artifacts_file") or b.manifest.get("artifacts_index")):
            raise MigratorError(f"backup {b.where} holds no artifacts; leave out --artifacts-to")
        _check_artifacts_to(artifacts_to)
    mf.check_integrity(b)  # before anything is touched
    if artifacts_to is not None:
        problems = _artifacts.check_objects(d, b, deep=False)
        if problems:
            raise MigratorError(f"backup {b.where} is incomplete: {problems[0]}"
                                f"{f' (and {len(problems) - 1} more)' if len(problems) > 1 else ''}; "
                                "nothing was restored")
    kind = b.manifest["kind"]
    if kind == "sqlite":
        if not target.is_sqlite:
            raise MigratorError("this is a SQLite backup: restore it to a SQLite path, then use "
                                "`migrator sqlite-to-pg` to move it into PostgreSQL")
        res = _restore_sqlite(b, target, force)
    else:
        if target.is_sqlite:
            raise MigratorError("this is a PostgreSQL backup: restore it into a postgresql:// database")
        res = _restore_pg(b, target, force, jobs=jobs)
    res.backup = b.where
    if auth is not None and auth_target is not None:
        res.auth = (_restore_sqlite(auth, auth_target, force) if auth.manifest["kind"] == "sqlite"
                    else _restore_pg(auth, auth_target, force, kind=schema.AUTH, jobs=jobs))
        res.auth.backup = b.where
    elif auth is not None:
        res.notes.append("this backup also holds the server's basic-auth database: restore it with --auth-target")
    if artifacts_to is not None:
        if b.manifest.get("artifacts_index"):
            res.artifacts = _artifacts.restore_artifacts(d, b, artifacts_to, jobs=jobs)
        else:
            root = repos.local_root(artifacts_to)
            if root is None:
                raise MigratorError("this backup keeps its artifacts as one tarball (made before migrator kept "
                                    "artifacts as objects): restore them to a local folder")
            _extract_artifacts(b, root)
    return res


def _check_artifacts_to(into: str) -> None:
    root = repos.local_root(into)
    if root is None:  # a URI: its repository must open
        repos.repository(into)
        return
    probe = root
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise MigratorError(f"--artifacts-to {into}: {probe} is a file, not a folder; choose a folder")


def _restore_sqlite(b: mf.Backup, target: Store, force: bool) -> RestoreResult:
    assert target.path is not None
    path = target.path
    if path.is_dir():
        raise MigratorError(f"{path} is a folder; give the path of the SQLite file to restore into")
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise MigratorError(f"cannot restore to {path}: {parent} is a file, not a folder; choose another path")
    if path.exists() and not force:
        raise MigratorError(f"{path} exists; restore refuses to overwrite it without --force "
                            "(which keeps the old file aside)")
    path.parent.mkdir(parents=True, exist_ok=True)
    # one restore into a file at a time; what a killed one left (.NAME.restoring-*) goes first
    with file_lock(path.with_name(f".{path.name}.migrator-restore.lock"), f"is restoring into {path}"):
        for leftover in path.parent.glob(f".{path.name}.restoring-*"):
            leftover.unlink(missing_ok=True)
        return _replace_sqlite(b, path)


def _replace_sqlite(b: mf.Backup, path: Path) -> RestoreResult:
    tmp = path.with_name(f".{path.name}.restoring-{uuid.uuid4().hex[:8]}")
    try:
        rev, counts = _sqlite_from(b, tmp)
        os.chmod(tmp, 0o600)
        mf.fsync_file(tmp)
        kept = None
        if path.exists():
            kept = path.with_name(f"{path.name}.before-restore-{mf.utc_now().strftime('%Y%m%dT%H%M%S%fZ')}-"
                                  f"{uuid.uuid4().hex[:6]}")
            os.rename(path, kept)
            for suffix in ("-wal", "-shm"):
                side = Path(f"{path}{suffix}")
                if side.exists():
                    os.rename(side, Path(f"{kept}{suffix}"))
        os.rename(tmp, path)
        mf.fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return RestoreResult(str(b.path), str(path), rev, counts, _compare(b.manifest, rev, counts),
                         str(kept) if kept else None)


def _restore_pg(b: mf.Backup, target: Store, force: bool, kind: str | None = None, jobs: int = 2) -> RestoreResult:
    """`kind` AUTH: the basic-auth part, into a database that may hold the tracking store already (only its
    auth tables count as "not empty" and only they are dropped by --force)."""
    with pg_connection(target) as conn:
        tables = schema.pg_table_names(conn)
        if kind is not None:
            tables = list(schema.own_tables(dict.fromkeys(tables), kind)) + (
                ["alembic_version_auth"] if "alembic_version_auth" in tables else [])
        if tables and not force:
            raise MigratorError(f"target {target.redacted} is not empty ({len(tables)} tables, e.g. "
                                f"{', '.join(tables[:3])}); restore into an empty database or use --force "
                                "to drop its MLflow tables first")
        major = server_major(conn)
        if tables:
            with conn.begin():
                schema.drop_mlflow_tables(conn, list(b.manifest["tables"]), kind or schema.TRACKING)
        conn.commit() if conn.in_transaction() else None
    args, env = pg_args(target)
    parallel = b.manifest.get("pg_format") == "directory" and b.db_file.is_dir()
    # a directory archive restores with parallel jobs (PostgreSQL allows that only outside one transaction:
    # on a failure the tables it made are dropped again, so the target is left as it was)
    mode = ["-j", str(max(1, jobs))] if parallel else ["--single-transaction"]
    r = subprocess.run([tool("pg_restore", major), "--no-owner", "--no-privileges", *mode, "--exit-on-error", *args,
                        str(b.db_file)], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        if parallel:
            with pg_connection(target) as conn, conn.begin():
                schema.drop_mlflow_tables(conn, list(b.manifest["tables"]), kind or schema.TRACKING)
        raise MigratorError(f"pg_restore failed, nothing was restored: "
                            f"{(r.stderr.strip().splitlines() or ['exit ' + str(r.returncode)])[-1]}")
    with pg_connection(target) as conn:
        names = schema.pg_table_names(conn)
        rev = (schema.pg_revision(conn, kind) if kind is not None
               else schema.main_revision(names, lambda k: schema.pg_revision(conn, k)))
        counts = schema.pg_table_counts(conn)
        if kind is not None:
            counts = {t: n for t, n in counts.items() if t in b.manifest["tables"]}
    return RestoreResult(str(b.path), target.redacted, rev, counts, _compare(b.manifest, rev, counts))


def _drill_sqlite(b: mf.Backup) -> RestoreResult:
    with tempfile.TemporaryDirectory(prefix="migrator-drill-") as tmp:
        rev, counts = _sqlite_from(b, Path(tmp) / "drill.db")
    return RestoreResult(str(b.path), "(scratch SQLite file)", rev, counts, _compare(b.manifest, rev, counts))


def check(backup: str | Path, scratch_url: str | None = None) -> RestoreResult:
    """Restore drill: sha256 of every file, then a restore into a temporary SQLite file or a scratch
    PostgreSQL database compared with the manifest; the sha256 of every artifact object it references."""
    d, name = split_backup(backup)
    with d.fetched(name) as b:
        mf.check_integrity(b)
        res = _drill(b, scratch_url)
        res.backup = b.where
        problems = _artifacts.check_objects(d, b, deep=True)
        res.mismatches.extend(problems)
        if b.manifest.get("artifacts_index"):
            res.notes.append(f"{b.manifest.get('artifacts_files', 0):,} artifact file(s): "
                             f"{'every object present, sha256 checked' if not problems else f'{len(problems)} problem(s)'}")
        return res


def _drill(b: mf.Backup, scratch_url: str | None) -> RestoreResult:
    auth = auth_part(b)
    if b.manifest["kind"] == "sqlite":
        res = _drill_sqlite(b)
        if auth is not None and auth.manifest["kind"] == "sqlite":
            res.auth = _drill_sqlite(auth)
        return res
    server = None
    tmpdir = None
    if scratch_url is None:
        try:
            import pgserver
        except ImportError:
            raise MigratorError("a restore drill of a PostgreSQL backup needs a scratch server: pass --scratch-url "
                                "postgresql://user:pw@host/postgres or install the embedded extra") from None
        tmpdir = str(private_tempdir("drill"))
        server = pgserver.get_server(tmpdir, cleanup_mode="delete")
        scratch_url = server.get_uri()
    admin = parse_store(scratch_url)
    name = f"migrator_drill_{uuid.uuid4().hex[:8]}"
    eng = sa.create_engine(admin.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with eng.connect() as c:
            c.exec_driver_sql(f"CREATE DATABASE {q(name)}")
        try:
            scratch = parse_store(sa.engine.make_url(admin.url).set(database=name).render_as_string(hide_password=False))
            res = _restore_pg(b, scratch, force=False)
            res.target = "(scratch database)"
            if auth is not None:
                res.auth = _restore_pg(auth, scratch, force=False, kind=schema.AUTH)
                res.auth.target = "(scratch database)"
            return res
        finally:
            with eng.connect() as c:
                c.exec_driver_sql(f"DROP DATABASE IF EXISTS {q(name)} WITH (FORCE)")
    finally:
        eng.dispose()
        if server is not None:
            server.cleanup()
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
