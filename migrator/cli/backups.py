"""Commands on backups: backup, restore, backups list/prune, schedule."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

import typer
from typer.core import TyperGroup

from ..environment import ARTIFACTS_ENV, DEST_ENV, HEALTHCHECK_ENV
from ..outcome import Outcome
from . import render
from .app import JSON_OPT, KEEP_DAILY, KEEP_MONTHLY, KEEP_WEEKLY, TMPDIR_OPT, app
from .boundary import command
from .progress import TqdmProgress

PG_DUMP_OPT = typer.Option(None, "--pg-dump", help="pg_dump to use (its pg_restore beside it), or a folder holding "
                           "them; default: $MIGRATOR_PG_DUMP, PATH, /usr/lib/postgresql/*/bin, the embedded server's.")


def _use_pg_dump(path: Optional[Path]) -> None:
    if path is not None:
        import os

        from ..stores import PG_DUMP_ENV

        os.environ[PG_DUMP_ENV] = str(path.expanduser().resolve())


@app.command("backup")
@command
def backup_cmd(
    store: str = typer.Argument(..., metavar="STORE", help="Store address (SQLite path/URL or PostgreSQL URL)."),
    dest: str = typer.Option(..., "--dest", envvar=DEST_ENV, show_envvar=False, help="Folder (created 0700) or URI that holds the backups: s3://bucket/path "
                             "(MLFLOW_S3_ENDPOINT_URL and the AWS variables), gs://, wasbs://, abfss://, sftp://."),
    artifacts: Optional[str] = typer.Option(None, "--artifacts", envvar=ARTIFACTS_ENV, show_envvar=False,
                                            help="The artifact root the server uses (a folder or "
                                            "s3://, gs://, ... URI): every file kept as a content-addressed object, "
                                            "so each backup writes only new or changed files."),
    auth_db: Optional[str] = typer.Option(None, "--auth-db", help="The server's basic-auth database (SQLite path or "
                                          "PostgreSQL URL), kept in the same backup folder and manifest."),
    keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY, keep_monthly: int = KEEP_MONTHLY,
    compress: str = typer.Option("gzip", "--compress", help="gzip, zstd or none (SQLite; PostgreSQL uses pg_dump -Fc)."),
    healthcheck_url: Optional[str] = typer.Option(None, "--healthcheck-url", envvar=HEALTHCHECK_ENV, show_envvar=False,
                                                  help="Ping URL on success, URL/fail on failure."),
    pg_dump: Optional[Path] = PG_DUMP_OPT,
    pg_format: str = typer.Option("auto", "--pg-format", help="PostgreSQL: custom (one file), directory (pg_dump -Fd "
                                  "with --jobs parallel workers), or auto (directory above 1 GiB)."),
    jobs: int = typer.Option(min(4, os.cpu_count() or 1), "--jobs", min=1, max=64,
                             help="Parallel pg_dump workers for a directory archive (and artifact transfers)."),
    metrics_file: Optional[Path] = typer.Option(None, "--metrics-file", help="Write Prometheus metrics (last success "
                                                "time, duration, bytes, rows per table, kept backups, exit code) here "
                                                "after every run, for node_exporter's textfile collector (*.prom)."),
    tmpdir: Optional[Path] = TMPDIR_OPT,
    as_json: bool = JSON_OPT,
) -> None:
    """Take a consistent, checked backup (SQLite backup API or pg_dump) with a manifest; apply retention."""
    from ..backup import BackupRequest, Policy, run_backup

    _use_pg_dump(pg_dump)
    req = BackupRequest(store, dest, artifacts, auth_db, Policy(keep_daily, keep_weekly, keep_monthly), compress,
                        healthcheck_url, pg_format, jobs, metrics_file)
    with TqdmProgress() as progress:
        res = run_backup(req, progress)
    render.backup_result(res, as_json)


@app.command("restore")
@command
def restore_cmd(
    backup: str = typer.Argument(..., metavar="BACKUP", help="A backup: its folder or DEST-URI/NAME, as `migrator backups list` shows."),
    target: Optional[str] = typer.Argument(None, metavar="TARGET", help="SQLite path or PostgreSQL URL to restore into."),
    force: bool = typer.Option(False, "--force", help="SQLite: replace the file (kept aside); PostgreSQL: drop the MLflow tables first."),
    check: bool = typer.Option(False, "--check", help="Restore drill into a scratch database, compared with the manifest."),
    scratch_url: Optional[str] = typer.Option(None, "--scratch-url", help="PostgreSQL server for a --check drill (default: embedded)."),
    artifacts_to: Optional[str] = typer.Option(None, "--artifacts-to", help="Also put the backup's artifacts back under "
                                               "this artifact root (a folder or s3://, gs://, ... URI)."),
    auth_target: Optional[str] = typer.Option(None, "--auth-target", help="Where the backup's basic-auth database goes "
                                              "(SQLite path or PostgreSQL URL; may be TARGET itself for PostgreSQL)."),
    pg_dump: Optional[Path] = PG_DUMP_OPT,
    jobs: int = typer.Option(4, "--jobs", min=1, max=64, help="Parallel pg_restore workers (directory archives) "
                             "and artifact transfers."),
    tmpdir: Optional[Path] = TMPDIR_OPT,
    as_json: bool = JSON_OPT,
) -> Outcome:
    """Restore a backup after checking its sha256 and manifest; --check runs a restore drill instead."""
    from ..backup import drill_backup as drill
    from ..backup import restore_backup as restore
    from ..stores import parse_store

    _use_pg_dump(pg_dump)
    if check:
        res = drill(backup, scratch_url)
    else:
        if target is None:
            raise typer.BadParameter("give a TARGET, or --check for a restore drill", param_hint="TARGET")
        res = restore(backup, parse_store(target), force=force, artifacts_to=artifacts_to,
                      auth_target=parse_store(auth_target) if auth_target else None, jobs=jobs)
    render.restore_result(res, check, as_json)
    return res


class _ListByDefault(TyperGroup):
    """`migrator backups DEST` lists DEST (the same as `migrator backups list DEST`)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args.insert(0, "list")
        return super().resolve_command(ctx, args)


backups_app = typer.Typer(cls=_ListByDefault, help="List and prune backups (`migrator backups DEST` lists DEST).",
                          no_args_is_help=True, rich_markup_mode=None)
app.add_typer(backups_app, name="backups")


@backups_app.command("list")
@command
def backups_list_cmd(dest: str = typer.Argument(..., metavar="DEST", help="Backup folder or URI."), as_json: bool = JSON_OPT) -> None:
    """List complete backups, newest first (unfinished ones are never listed)."""
    from ..backup import list_backups

    render.backup_list(list_backups(dest), as_json)


@backups_app.command("prune")
@command
def backups_prune_cmd(
    dest: str = typer.Argument(..., metavar="DEST", help="Backup folder or URI."),
    keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY, keep_monthly: int = KEEP_MONTHLY,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be deleted."),
    as_json: bool = JSON_OPT,
) -> None:
    """Delete backups that no --keep-* rule keeps (restic semantics; the newest verified one always stays)."""
    from ..backup import Policy, prune

    removed, kept, objects = prune(dest, Policy(keep_daily, keep_weekly, keep_monthly), dry_run=dry_run)
    render.prune_result(removed, kept, objects, dry_run, as_json)


@app.command("schedule")
@command
def schedule_cmd(
    store: str = typer.Argument(..., metavar="STORE", help="Store address to back up."),
    dest: str = typer.Option(..., "--dest", help="Backup folder or URI (s3://, gs://, ...)."),
    at: str = typer.Option(..., "--at", help="Time of day, HH:MM."),
    fmt: str = typer.Option("systemd", "--format", help="systemd, cron or k8s."),
    image: Optional[str] = typer.Option(None, "--image", help="k8s: the CronJob's container image, which must hold "
                                        "migrator (default migrator:VERSION, built from the repository's Dockerfile)."),
    keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY, keep_monthly: int = KEEP_MONTHLY,
    compress: str = typer.Option("gzip", "--compress", help="Passed to migrator backup."),
    healthcheck_url: Optional[str] = typer.Option(None, "--healthcheck-url", help="Passed to migrator backup."),
    auth_db: Optional[str] = typer.Option(None, "--auth-db", help="Passed to migrator backup (the server's basic-auth "
                                          "database, kept in the same backup)."),
    metrics_file: Optional[Path] = typer.Option(None, "--metrics-file", help="Passed to migrator backup (Prometheus "
                                                "textfile metrics after every run)."),
    artifacts: Optional[str] = typer.Option(None, "--artifacts", help="Passed to migrator backup (the artifact root, "
                                            "a folder or URI, kept incrementally)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", min=1, max=64, help="Passed to migrator backup."),
    env_file: Optional[Path] = typer.Option(None, "--env-file", help="Where the object-storage variables set now "
                                            "(AWS_*, MLFLOW_S3_ENDPOINT_URL, ...) go for the job (0600, written by "
                                            "--install); default ~/.config/migrator/migrator-backup.env."),
    install: bool = typer.Option(False, "--install", help="Write the unit files / add the crontab line."),
    install_dir: Optional[Path] = typer.Option(None, "--install-dir", help="Where --install writes files (systemd default /etc/systemd/system)."),
    credentials_file: Optional[Path] = typer.Option(
        None, "--credentials-file", help="libpq password file the job reads (PGPASSFILE; --install writes it 0600); "
        "default ~/.config/migrator/migrator-backup.pgpass."),
) -> None:
    """Print (or --install) a nightly `migrator backup` as a systemd timer, crontab line or Kubernetes CronJob."""
    from ..backup import Policy, ScheduleRequest, plan_schedule

    req = ScheduleRequest(store, dest, at, fmt, Policy(keep_daily, keep_weekly, keep_monthly), compress,
                          healthcheck_url, auth_db, metrics_file, artifacts, jobs, env_file, credentials_file,
                          image or "")
    plan = plan_schedule(req)
    if install:
        render.lines(plan.install(install_dir))
        return
    render.schedule_plan(plan)
