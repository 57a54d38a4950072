"""`migrator restore`: sha256 and manifest first, then restore (SQLite file or pg_restore); `--check`
restores into a scratch database and compares revision and counts with the manifest."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..checks import Check, restored_checks
from ..errors import MigratorError
from ..outcome import Outcome
from ..serving import ServerLine, server_line
from ..stores import Store, kind_named, parse_store
from ..transfer import repos
from . import artifacts as _artifacts
from . import manifest as mf
from .destination import split_backup


@dataclass
class RestoreResult(Outcome):
    backup: str
    target: str
    revision: str | None
    tables: dict[str, int]
    mismatches: list[str] = field(default_factory=list)
    kept_aside: str | None = None
    artifacts: int | None = None  # artifact files restored
    auth: "RestoreResult | None" = None  # the basic-auth database of the same backup, when restored
    notes: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)  # a drill's named checks (checks.restored_checks)
    server: ServerLine | None = None  # how to start a server on what was restored

    @property
    def ok(self) -> bool:
        return not self.mismatches and (self.auth is None or self.auth.ok)


    @property
    def failure(self) -> str | None:
        n = len(self.mismatches) + (len(self.auth.mismatches) if self.auth is not None else 0)
        return None if self.ok else f"the restored data does not match the manifest ({n} difference(s))"

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "backup": self.backup, "target": self.target, "schema_revision": self.revision,
                "tables": self.tables, "mismatches": self.mismatches, "kept_aside": self.kept_aside,
                "auth": self.auth.as_dict() if self.auth is not None else None, "notes": self.notes,
                "artifacts_restored": self.artifacts, "checks": [c.as_dict() for c in self.checks],
                "server": self.server.as_dict() if self.server is not None else None}


def _extract_artifacts(b: mf.Backup, into: Path) -> None:
    """Backups before content-addressed artifacts kept the artifact root as one tarball."""
    import tarfile

    with tarfile.open(b.path / str(b.manifest.artifacts_tarball), "r:gz") as tar:
        tar.extractall(into, filter="data")


def restore(backup: str | Path, target: Store, *, force: bool = False, artifacts_to: str | Path | None = None,
            auth_target: Store | None = None, jobs: int = 4) -> RestoreResult:
    """Restore the database (with `auth_target` the basic-auth database the backup holds beside it, with
    `artifacts_to` its artifacts into that folder or URI) from a backup folder or DEST-URI/NAME."""
    d, name = split_backup(backup)
    with d.fetched(name) as b:
        res = _restore_fetched(d, b, target, force, None if artifacts_to is None else str(artifacts_to),
                               auth_target, jobs)
    if res.ok:
        res.server = server_line(target, artifacts_destination=None if artifacts_to is None else str(artifacts_to),
                                 auth=auth_target if res.auth is not None else None)
    return res


def _restore_fetched(d: Any, b: mf.Backup, target: Store, force: bool, artifacts_to: str | None,
                     auth_target: Store | None, jobs: int) -> RestoreResult:
    auth = b.auth_part()
    if auth_target is not None and auth is None:
        raise MigratorError(f"backup {b.where} holds no basic-auth database; leave out --auth-target")
    if artifacts_to is not None:
        if not b.manifest.has_artifacts:
            raise MigratorError(f"backup {b.where} holds no artifacts; leave out --artifacts-to")
        _check_artifacts_to(artifacts_to)
    mf.check_integrity(b)  # before anything is touched
    if artifacts_to is not None:
        problems = _artifacts.check_objects(d, b, deep=False)
        if problems:
            raise MigratorError(f"backup {b.where} is incomplete: {problems[0]}"
                                f"{f' (and {len(problems) - 1} more)' if len(problems) > 1 else ''}; "
                                "nothing was restored")
    parts = [(b, target, None)] + ([(auth, auth_target, schema.AUTH)] if auth is not None and auth_target else [])
    for part, into, kind in parts:  # every refusal before the first write
        _require_same_kind(part, into)
        into.check_restore(force, kind)
    res = _restore_part(b, target, force, None, jobs)
    if auth is not None and auth_target is not None:
        res.auth = _restore_part(auth, auth_target, force, schema.AUTH, jobs)
        res.auth.backup = b.where
    elif auth is not None:
        res.notes.append("this backup also holds the server's basic-auth database: restore it with --auth-target")
    if artifacts_to is not None:
        if b.manifest.artifacts_index:
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


def _require_same_kind(b: mf.Backup, target: Store) -> None:
    kind = kind_named(b.manifest.database.kind)
    if not isinstance(target, kind):
        raise MigratorError(f"this is a {kind.label} backup: {kind.restore_hint}")


def _restore_part(b: mf.Backup, target: Store, force: bool, kind: str | None, jobs: int) -> RestoreResult:
    db = b.manifest.database
    done = target.restore_dump(b.db_file, compression=db.compression, tables=list(db.tables), pg_format=db.pg_format,
                               force=force, kind=kind, jobs=jobs)
    return RestoreResult(b.where, done.target, done.revision, done.counts, b.compare(done.revision, done.counts),
                         done.kept_aside)


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
        if b.manifest.artifacts_index:
            res.notes.append(f"{b.manifest.artifacts_files:,} artifact file(s): "
                             f"{'every object present, sha256 checked' if not problems else f'{len(problems)} problem(s)'}")
        return res


def _drill(b: mf.Backup, scratch_url: str | None) -> RestoreResult:
    """Restore into throwaway stores of the backup's kind (the basic-auth part too), compared with the manifest."""
    auth = b.auth_part()
    kind = kind_named(b.manifest.database.kind)
    server = parse_store(scratch_url).url if scratch_url is not None else None
    with kind.scratch(server) as scratch:
        res = _drill_part(b, scratch(), None)
        res.target = f"(scratch {kind.label} database)"
        if auth is not None and auth.manifest.database.kind == b.manifest.database.kind:
            res.auth = _drill_part(auth, scratch(), schema.AUTH)
            res.auth.target = res.target
    return res


def _drill_part(b: mf.Backup, into: Store, kind: str | None) -> RestoreResult:
    """A restore into a scratch store, proven by the named checks of a restored database (checks.py)."""
    res = _restore_part(b, into, False, kind, jobs=2)
    db = b.manifest.database
    with ExitStack() as stack:
        side = into.open_side(stack)
        side.store_kind = kind or (side.kinds[0] if side.kinds else schema.TRACKING)
        res.checks = restored_checks(side, db.schema_revision, db.tables)
    res.mismatches = [f"{c.name}: {c.detail}" for c in res.checks if not c.ok]
    return res
