"""`migrator backup`: one atomic, checked backup folder with a manifest; then retention; health pings."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import EXIT_FAILURE, EXIT_INTERRUPTED, MigratorError, UsageError
from ..outcome import NULL_PROGRESS, Outcome, Progress
from ..stores import Store, redact
from ..stores.sqlite_archive import SUFFIX
from ..version import __version__
from . import artifacts as _artifacts
from . import manifest as mf
from .destination import open_destination
from .retention import Policy, plan


@dataclass
class BackupResult(Outcome):
    backup: str  # the backup's folder or DEST-URI/NAME
    manifest: mf.Manifest
    pruned: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    pruned_objects: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"ok": True, "backup": self.backup, "manifest": self.manifest.data, "pruned": self.pruned,
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
    if auth is not None and auth == store:
        auth = None  # the basic-auth tables live in the same database: its one dump holds both stores
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
            database = _database(store, folder, compress, "store", pg_format, jobs)
            part = None
            if auth is not None:
                part = {**_database(auth, folder, compress, "auth", pg_format, jobs), "source": auth.redacted}
                if not mf.holds_auth_store(part):
                    raise MigratorError(f"--auth-db {auth.redacted} holds no basic-auth store; give the file of "
                                        "`database_uri` in the server's basic_auth.ini")
            objects = _artifacts.backup_artifacts(source, d, folder, jobs=max(4, jobs)) if source is not None else None
            meta = {"tool": "migrator", "tool_version": __version__, "mlflow_version": _mlflow_version(),
                    "source": store.redacted, "created_utc": now.isoformat().replace("+00:00", "Z")}
            m = mf.assemble(meta, database, part, objects, mf.file_list(folder))
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
    verified = [b for b in backups if b.manifest.verified]
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


def list_backups(dest: str | Path) -> list[mf.Backup]:
    """`backups list`: complete backups in a folder or URI, newest first (unfinished ones are never listed)."""
    d = open_destination(dest)
    d.require_exists()
    return d.list_backups()


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
        return redact(f"health check ping to {target} failed: {e}")
    return None


@dataclass
class BackupRequest:
    """`migrator backup` as one request; `check()` refuses bad combinations before anything is written."""

    store: str
    dest: str
    artifacts: str | None = None
    auth_db: str | None = None
    policy: Policy = field(default_factory=Policy)
    compress: str = "gzip"
    healthcheck_url: str | None = None
    pg_format: str = "auto"
    jobs: int = 2
    metrics_file: Path | None = None

    def check(self) -> None:
        if self.compress not in ("gzip", "zstd", "none"):
            raise UsageError("Invalid value for '--compress': must be gzip, zstd or none")
        if self.pg_format not in ("auto", "custom", "directory"):
            raise UsageError("Invalid value for '--pg-format': must be auto, custom or directory")
        if self.metrics_file is not None:
            from .metrics import check_path

            check_path(self.metrics_file)


def run_backup(req: BackupRequest, progress: Progress = NULL_PROGRESS) -> BackupResult:
    """A backup as a scheduled job runs it: the backup, then the health-check ping (URL/fail on a failure) and
    the Prometheus metrics file, written after every run whatever its outcome (a failed ping only warns)."""
    import time

    from ..stores import parse_store

    req.check()
    started, res, code = time.monotonic(), None, 1
    try:
        res = create_backup(parse_store(req.store), req.dest, artifacts=req.artifacts, compress=req.compress,
                            policy=req.policy, auth=parse_store(req.auth_db) if req.auth_db else None,
                            pg_format=req.pg_format, jobs=req.jobs)
        code = 0
    except BaseException as e:
        code = getattr(e, "exit_code", EXIT_INTERRUPTED if isinstance(e, KeyboardInterrupt) else EXIT_FAILURE)
        _warn(progress, ping(req.healthcheck_url, ok=False))
        raise
    finally:
        if req.metrics_file is not None:
            _metrics(req.metrics_file, req.dest, code, time.monotonic() - started, res)
    _warn(progress, ping(req.healthcheck_url, ok=True))
    return res


def _warn(progress: Progress, warning: str | None) -> None:
    if warning:
        progress.info(f"warning: {warning}")


def _metrics(path: Path, dest: str, code: int, seconds: float, res: BackupResult | None) -> None:
    from .metrics import write_metrics

    where, kept = dest, None
    try:
        d = open_destination(dest)
        where = d.where
        kept = len(d.list_backups())
    except Exception:  # a destination that cannot be listed: the metrics still say the run failed
        pass
    write_metrics(path, where, exit_code=code, seconds=seconds, result=res, kept=kept)
