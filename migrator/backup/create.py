"""`migrator backup`: one atomic, checked backup folder with a manifest; then retention; health pings."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import MigratorError, UsageError
from ..stores import Store
from ..stores.sqlite_archive import SUFFIX
from ..version import __version__
from . import artifacts as _artifacts
from . import manifest as mf
from .destination import open_destination
from .retention import Policy, plan


@dataclass
class BackupResult:
    backup: str  # the backup's folder or DEST-URI/NAME
    manifest: dict[str, Any]
    pruned: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    pruned_objects: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"ok": True, "backup": self.backup, "manifest": self.manifest, "pruned": self.pruned,
                "kept": self.kept, "pruned_objects": self.pruned_objects}


def _mlflow_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mlflow")
    except PackageNotFoundError:
        return schema.installed_mlflow_version()


def _database(store: Store, folder: Path, compress: str, stem: str, pg_format: str = "auto",
              jobs: int = 2) -> dict[str, Any]:
    """One database into the folder: its file (or pg_dump directory) and what it holds (size and sha256
    are added from the backup's file list)."""
    return store.dump(folder, compress, stem, pg_format=pg_format, jobs=jobs)


def create_backup(store: Store, dest: str | Path, *, artifacts: str | Path | None = None, compress: str = "gzip",
                  policy: Policy | None = None, auth: Store | None = None, pg_format: str = "auto",
                  jobs: int = 2) -> BackupResult:
    """One complete backup in `dest` (a folder or any artifact-repository URI): the database, with `auth`
    the server's basic-auth database beside it (fields `auth_*` of the one manifest), with `artifacts`
    (a folder or URI) every artifact file as a content-addressed object (only new ones are written).

    Inputs are checked before anything is created; a local DEST this run created is removed again if the
    backup fails; what killed runs left is removed under the destination lock; retention runs last."""
    if compress not in SUFFIX:
        raise UsageError(f"unknown compression {compress!r}: use gzip, zstd or none")
    for st in (store, auth):
        if st is not None:
            st.check_exists()
    source = _artifacts.open_source(str(artifacts)) if artifacts is not None else None
    d = open_destination(dest)
    d.check()
    if policy is not None and policy.empty():
        policy = None
    with d.writing():
        now = mf.utc_now()
        name = f"{store.name}-{now.strftime('%Y%m%dT%H%M%S%fZ')}"
        with d.staging(name) as folder:
            fields = _database(store, folder, compress, "store", pg_format, jobs)
            if auth is not None:
                part = _database(auth, folder, compress, "auth", pg_format, jobs)
                if "auth" not in part.get("stores", {}):
                    raise MigratorError(f"--auth-db {auth.redacted} holds no basic-auth store; give the file of "
                                        "`database_uri` in the server's basic_auth.ini")
                fields.update({f"auth_{k}": v for k, v in part.items()})
                fields["auth_source"] = auth.redacted
            if source is not None:
                fields.update(_artifacts.backup_artifacts(source, d, folder, jobs=max(4, jobs)))
            files = mf.file_list(folder)
            for key in ("", "auth_"):
                if fields.get(f"{key}file"):
                    fields[f"{key}size"], fields[f"{key}sha256"] = mf.summarize(files, fields[f"{key}file"])
            m = {
                "tool": "migrator", "tool_version": __version__, "mlflow_version": _mlflow_version(),
                "source": store.redacted, "created_utc": now.isoformat().replace("+00:00", "Z"), **fields,
                "files": files, "verified": True,
            }
            mf.write_manifest(folder, m)
        result = BackupResult(d.at(name), m)
        if policy is not None:  # only after a successful backup
            result.pruned, result.kept, result.pruned_objects = _prune(d, policy, dry_run=False)
    return result


def _prune(d: Any, policy: Policy, dry_run: bool) -> tuple[list[str], list[str], int]:
    """Under the destination lock: delete the backups no rule keeps, then the objects none of the kept
    ones references."""
    backups = d.list_backups()
    remove, _ = plan(backups, lambda b: b.created, policy)
    verified = [b for b in backups if b.manifest.get("verified")]
    if verified:  # the newest verified backup is never deleted
        remove = [b for b in remove if b.path != verified[0].path]
    gone = {b.path for b in remove}
    kept = [b for b in backups if b.path not in gone]
    objects = 0
    if not dry_run:
        for b in remove:
            d.delete(b)
        objects = _artifacts.prune_objects(d, kept)
    return [b.path.name for b in remove], [b.path.name for b in kept], objects


def prune(dest: str | Path, policy: Policy, dry_run: bool = False) -> tuple[list[str], list[str], int]:
    """`backups prune`: retention (and unreferenced artifact objects) on a local or remote destination."""
    policy.require()
    d = open_destination(dest)
    with d.locked():
        return _prune(d, policy, dry_run)


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
