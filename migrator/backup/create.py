"""`migrator backup`: one atomic, checked backup folder with a manifest; then retention; health pings."""

from __future__ import annotations

import os
import shutil
import tarfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import MigratorError, UsageError
from ..files import open_private
from ..stores import Store, check_sqlite_file
from ..version import __version__
from . import manifest as mf
from .postgres import backup_postgres
from .retention import Policy, plan
from .sqlite import SUFFIX, backup_sqlite


@dataclass
class BackupResult:
    backup: Path
    manifest: dict[str, Any]
    pruned: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": True, "backup": str(self.backup), "manifest": self.manifest, "pruned": self.pruned,
                "kept": self.kept}


def _mlflow_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mlflow")
    except PackageNotFoundError:
        return schema.installed_mlflow_version()


def _archive_artifacts(root: Path, folder: Path) -> dict[str, Any]:
    if not root.is_dir():
        raise MigratorError(f"--artifacts {root} is not a folder")
    name = "artifacts.tar.gz"
    with open_private(folder / name, "wb") as f, tarfile.open(fileobj=f, mode="w:gz", compresslevel=6) as tar:
        tar.add(root, arcname=root.name)
    return {"artifacts_file": name, "artifacts_root": str(root.resolve())}


def _database(store: Store, folder: Path, compress: str, stem: str, pg_format: str = "auto",
              jobs: int = 2) -> dict[str, Any]:
    """One database into the folder: its file (or pg_dump directory), sha256, size and what it holds."""
    fields = (backup_sqlite(store.path, folder, compress, stem) if store.is_sqlite  # type: ignore[arg-type]
              else backup_postgres(store, folder, compress, stem, pg_format=pg_format, jobs=jobs))
    fields["size"] = mf.size_path(folder / fields["file"])
    fields["sha256"] = mf.sha256_path(folder / fields["file"])
    return fields


def create_backup(store: Store, dest: Path, *, artifacts: Path | None = None, compress: str = "gzip",
                  policy: Policy | None = None, auth: Store | None = None, pg_format: str = "auto",
                  jobs: int = 2) -> BackupResult:
    """`auth`: the server's basic-auth database when it is a database of its own; it goes into the same
    backup folder (fields `auth_*` of the one manifest)."""
    """Inputs are checked before anything is created; a DEST this run created is removed again if the
    backup fails, and staging folders of killed runs are removed under the destination lock."""
    if compress not in SUFFIX:
        raise UsageError(f"unknown compression {compress!r}: use gzip, zstd or none")
    for st in (store, auth):
        if st is not None and st.is_sqlite:
            assert st.path is not None
            check_sqlite_file(st.path)
    if artifacts is not None and not artifacts.is_dir():
        raise MigratorError(f"--artifacts {artifacts} is not a folder; give the artifact root the server uses "
                            "(e.g. ./mlartifacts)")
    mf.check_destination(dest)
    if policy is not None and policy.empty():
        policy = None
    with mf.new_destination(dest), mf.destination_lock(dest):
        mf.remove_stale_staging(dest)
        os.chmod(dest, 0o700)
        now = mf.utc_now()
        from sqlalchemy.engine import make_url

        base = store.path.stem if store.path else (make_url(store.url).database or "postgres")
        name = f"{base}-{now.strftime('%Y%m%dT%H%M%S%fZ')}"
        with mf.staging(dest, name) as folder:
            fields = _database(store, folder, compress, "store", pg_format, jobs)
            if auth is not None:
                part = _database(auth, folder, compress, "auth", pg_format, jobs)
                if "auth" not in part.get("stores", {}):
                    raise MigratorError(f"--auth-db {auth.redacted} holds no basic-auth store; give the file of "
                                        "`database_uri` in the server's basic_auth.ini")
                fields.update({f"auth_{k}": v for k, v in part.items()})
                fields["auth_source"] = auth.redacted
            if artifacts is not None:
                fields.update(_archive_artifacts(artifacts, folder))
            m = {
                "tool": "migrator", "tool_version": __version__, "mlflow_version": _mlflow_version(),
                "source": store.redacted, "created_utc": now.isoformat().replace("+00:00", "Z"), **fields,
            }
            if artifacts is not None:
                m["artifacts_size"] = (folder / m["artifacts_file"]).stat().st_size
                m["artifacts_sha256"] = mf.sha256_file(folder / m["artifacts_file"])
            m["verified"] = True
            mf.write_manifest(folder, m)
        result = BackupResult(dest / name, m)
        if policy is not None:  # only after a successful backup
            result.pruned, result.kept = prune(dest, policy, dry_run=False, locked=True)
    return result


def prune(dest: Path, policy: Policy, dry_run: bool = False, locked: bool = False) -> tuple[list[str], list[str]]:
    def run() -> tuple[list[str], list[str]]:
        backups = mf.list_backups(dest)
        remove, _ = plan(backups, lambda b: b.created, policy)
        verified = [b for b in backups if b.manifest.get("verified")]
        if verified:  # the newest verified backup is never deleted
            remove = [b for b in remove if b.path != verified[0].path]
        if not dry_run:
            for b in remove:
                shutil.rmtree(b.path)
        gone = {b.path for b in remove}
        return [b.path.name for b in remove], [b.path.name for b in backups if b.path not in gone]

    if locked:
        return run()
    policy.require()
    if not dest.is_dir():
        raise MigratorError(f"backup folder {dest} does not exist; check the path")
    with mf.destination_lock(dest):
        if not dry_run:
            mf.remove_stale_staging(dest)
        return run()


def ping(url: str | None, ok: bool) -> str | None:
    """healthchecks.io style: URL on success, URL/fail on failure. Returns a warning or None."""
    if not url:
        return None
    target = url if ok else url.rstrip("/") + "/fail"
    try:
        urllib.request.urlopen(urllib.request.Request(target, method="GET"), timeout=10).read()
    except Exception as e:  # a failed ping must never fail the backup itself
        return f"health check ping to {target} failed: {e}"
    return None
