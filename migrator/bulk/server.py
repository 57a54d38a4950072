"""A whole server's databases in one move: the tracking store and the basic-auth store (a file of its own,
or tables in the tracking file since MLflow 3.6), each copied by the pipeline with its own schema.

The auth copy is planned (preflight on its snapshot) before the tracking copy starts, so a bad auth row
stops the move before anything is written; each store is then copied in its own transaction.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .. import schema
from ..errors import UsageError
from ..outcome import NULL_PROGRESS, Outcome
from ..stores import PostgresStore, SqliteStore, Store
from .pipeline import require_kinds, sqlite_to_pg
from .result import CopyOptions, CopyResult, Progress


@dataclass
class ServerCopyResult(Outcome):
    """The tracking copy (if any) and the auth copy (if any); JSON keeps the tracking result's fields at the
    top level (as a single copy has them) and adds the auth result under "auth"."""

    results: dict[str, CopyResult] = field(default_factory=dict)

    @property
    def main(self) -> CopyResult:
        return self.results.get(schema.TRACKING) or self.results[schema.AUTH]


    @property
    def failure(self) -> str | None:
        parts = [f"{k}: {r.failure}" if len(self.results) > 1 else str(r.failure)
                 for k, r in self.results.items() if r.exit_code]
        return "; ".join(parts) or None

    def as_dict(self) -> dict[str, Any]:
        d = self.main.as_dict()
        if schema.TRACKING in self.results and schema.AUTH in self.results:
            d["auth"] = self.results[schema.AUTH].as_dict()
            d["ok"] = self.exit_code == 0
        return d


def _legacy_admin_notes(target: Store) -> list[str]:
    from ..mlflow_api import admins_with_legacy_password

    return [f"the admin user {name!r} still has the default password older MLflow releases shipped "
            "(password1234): MLflow >= 3.17 refuses it at login. Set MLFLOW_AUTH_ADMIN_PASSWORD (or admin_password "
            "in the server's basic_auth.ini) to a new password and restart the server, which changes it"
            for name in admins_with_legacy_password(target.url)]


def check_auth_stores(auth_source: Store | None, auth_target: Store | None) -> None:
    """--auth-db is a SQLite file and --auth-target a PostgreSQL URL (checked before anything starts)."""
    for what, st, kind, hint in (("--auth-db", auth_source, SqliteStore, "a SQLite file"),
                                 ("--auth-target", auth_target, PostgresStore, "a PostgreSQL URL")):
        if st is not None and not isinstance(st, kind):
            raise UsageError(f"Invalid value for '{what}': must be {hint}")


def source_kinds(source: Store) -> list[str]:
    """The stores a SQLite file holds (read-only)."""
    with source.open_readonly() as db:
        return db.kinds()


def copy_server(source: Store, target: Store | None, options: CopyOptions, *, auth_source: Store | None = None,
                auth_target: Store | None = None, progress: Progress = NULL_PROGRESS) -> ServerCopyResult:
    """Copy every store of `source` (tracking and/or auth) into `target`, and `auth_source` (a separate
    basic-auth file) into `auth_target` (default: `target`, beside the tracking tables)."""
    jobs: list[tuple[str, Store, Store | None]] = []
    require_kinds(source, target)
    kinds = source_kinds(source) if source.path is None or source.path.exists() else []
    if schema.TRACKING in kinds or not kinds:  # not kinds: the pipeline names what is wrong with the file
        jobs.append((schema.TRACKING, source, target))
    if schema.AUTH in kinds:
        jobs.append((schema.AUTH, source, auth_target or target))
    if auth_source is not None:
        jobs = [j for j in jobs if j[0] != schema.AUTH] + [(schema.AUTH, auth_source, auth_target or target)]
    out = ServerCopyResult()
    if len(jobs) > 1 and not options.dry_run:
        for kind, src, tgt in jobs[1:]:  # plan the second store first: its problems stop the whole move
            sqlite_to_pg(src, tgt, dataclasses.replace(options, kind=kind, dry_run=True, reject_file=None))
    for kind, src, tgt in jobs:
        opts = dataclasses.replace(options, kind=kind)
        if kind == schema.AUTH and options.reject_file is not None and len(jobs) > 1:
            opts = dataclasses.replace(opts, reject_file=options.reject_file.with_name(
                options.reject_file.stem + "-auth" + options.reject_file.suffix))
        if kind == schema.AUTH and progress:
            progress.info(f"basic-auth store {src.redacted}")
        out.results[kind] = sqlite_to_pg(src, tgt, opts, progress=progress)
        if kind == schema.AUTH and tgt is not None and not options.dry_run:
            out.results[kind].notes += _legacy_admin_notes(tgt)
    return out
