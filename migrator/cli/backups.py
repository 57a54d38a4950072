"""Commands on backups: backup, restore, backups list/prune, schedule."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

import typer

from . import render
from .app import JSON_OPT, KEEP_DAILY, KEEP_MONTHLY, KEEP_WEEKLY, TMPDIR_OPT, app
from .boundary import command, emit_json

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
    store: str = typer.Argument(..., help="Store address (SQLite path/URL or PostgreSQL URL)."),
    dest: str = typer.Option(..., "--dest", help="Folder (created 0700) or URI that holds the backups: s3://bucket/path "
                             "(MLFLOW_S3_ENDPOINT_URL and the AWS variables), gs://, wasbs://, abfss://, sftp://."),
    artifacts: Optional[str] = typer.Option(None, "--artifacts", help="The artifact root the server uses (a folder or "
                                            "s3://, gs://, ... URI): every file kept as a content-addressed object, "
                                            "so each backup writes only new or changed files."),
    auth_db: Optional[str] = typer.Option(None, "--auth-db", help="The server's basic-auth database (SQLite path or "
                                          "PostgreSQL URL), kept in the same backup folder and manifest."),
    keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY, keep_monthly: int = KEEP_MONTHLY,
    compress: str = typer.Option("gzip", "--compress", help="gzip, zstd or none (SQLite; PostgreSQL uses pg_dump -Fc)."),
    healthcheck_url: Optional[str] = typer.Option(None, "--healthcheck-url", help="Ping URL on success, URL/fail on failure."),
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
    from ..backup.create import create_backup, ping
    from ..backup.retention import Policy
    from ..stores import parse_store

    if compress not in ("gzip", "zstd", "none"):
        raise typer.BadParameter("must be gzip, zstd or none", param_hint="--compress")
    if pg_format not in ("auto", "custom", "directory"):
        raise typer.BadParameter("must be auto, custom or directory", param_hint="--pg-format")
    _use_pg_dump(pg_dump)
    if metrics_file is not None:
        from ..backup.metrics import check_path

        check_path(metrics_file)
    import time

    started, res, code = time.monotonic(), None, 1
    try:
        res = create_backup(parse_store(store), dest, artifacts=artifacts, compress=compress,
                            policy=Policy(keep_daily, keep_weekly, keep_monthly),
                            auth=parse_store(auth_db) if auth_db else None, pg_format=pg_format, jobs=jobs)
        code = 0
    except BaseException as e:
        code = getattr(e, "exit_code", 130 if isinstance(e, KeyboardInterrupt) else 1)
        warn = ping(healthcheck_url, ok=False)
        if warn:
            typer.echo(f"warning: {warn}", err=True)
        raise
    finally:
        if metrics_file is not None:
            _metrics(metrics_file, dest, code, time.monotonic() - started, res)
    warn = ping(healthcheck_url, ok=True)
    if warn:
        typer.echo(f"warning: {warn}", err=True)
    if as_json:
        emit_json(res.as_dict())
        return
    m = res.manifest
    typer.echo(f"backup {res.backup} ({m['size']:,} bytes, sha256 {m['sha256'][:16]}..., revision {m['schema_revision']})")
    if m.get("artifacts_index"):
        typer.echo(f"  artifacts: {m['artifacts_files']:,} file(s), {m['artifacts_bytes']:,} bytes; "
                   f"{m['artifacts_new_files']:,} new ({m['artifacts_new_bytes']:,} bytes written)")
    for name in res.pruned:
        typer.echo(f"  pruned {name}")
    if res.pruned_objects:
        typer.echo(f"  pruned {res.pruned_objects:,} artifact object(s) no kept backup references")


def _metrics(path: Path, dest: str, code: int, seconds: float, res: Any) -> None:
    from ..backup.destination import open_destination
    from ..backup.metrics import write_metrics

    where, kept = dest, None
    try:
        d = open_destination(dest)
        where = d.where
        kept = len(d.list_backups())
    except Exception:  # a destination that cannot be listed: the metrics still say the run failed
        pass
    write_metrics(path, where, exit_code=code, seconds=seconds, result=res, kept=kept)


@app.command("restore")
@command
def restore_cmd(
    backup: str = typer.Argument(..., help="A backup: its folder or DEST-URI/NAME, as `migrator backups list` shows."),
    target: Optional[str] = typer.Argument(None, help="SQLite path or PostgreSQL URL to restore into."),
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
) -> Any:
    """Restore a backup after checking its sha256 and manifest; --check runs a restore drill instead."""
    from ..backup.restore import check as drill
    from ..backup.restore import restore
    from ..stores import parse_store

    _use_pg_dump(pg_dump)
    if check:
        res = drill(backup, scratch_url)
    else:
        if target is None:
            raise typer.BadParameter("give a TARGET, or --check for a restore drill", param_hint="TARGET")
        res = restore(backup, parse_store(target), force=force, artifacts_to=artifacts_to,
                      auth_target=parse_store(auth_target) if auth_target else None, jobs=jobs)
    if as_json:
        emit_json(res.as_dict())
    else:
        render.restore_result(res, check)
    return res


backups_app = typer.Typer(help="List and prune backups.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(backups_app, name="backups")


@backups_app.command("list")
@command
def backups_list_cmd(dest: str = typer.Argument(..., help="Backup folder or URI."), as_json: bool = JSON_OPT) -> None:
    """List complete backups, newest first (unfinished ones are never listed)."""
    from ..backup.destination import open_destination

    d = open_destination(dest)
    d.require_exists()
    items = d.list_backups()
    if as_json:
        emit_json([{**b.manifest, "backup": b.where} for b in items])
        return
    for b in items:
        m = b.manifest
        typer.echo(f"{b.path.name}  {m['created_utc']}  {m['kind']:<10} {m['size']:>14,} bytes  rev {m['schema_revision']}")


@backups_app.command("prune")
@command
def backups_prune_cmd(
    dest: str = typer.Argument(..., help="Backup folder or URI."),
    keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY, keep_monthly: int = KEEP_MONTHLY,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be deleted."),
    as_json: bool = JSON_OPT,
) -> None:
    """Delete backups that no --keep-* rule keeps (restic semantics; the newest verified one always stays)."""
    from ..backup.create import prune
    from ..backup.retention import Policy

    removed, kept, objects = prune(dest, Policy(keep_daily, keep_weekly, keep_monthly), dry_run=dry_run)
    if as_json:
        emit_json({"dry_run": dry_run, "removed": removed, "kept": kept, "removed_objects": objects})
        return
    for n in removed:
        typer.echo(f"{'would remove' if dry_run else 'removed'} {n}")
    if objects:
        typer.echo(f"removed {objects:,} artifact object(s) no kept backup references")
    typer.echo(f"kept {len(kept)} backup(s)")


@app.command("schedule")
@command
def schedule_cmd(
    store: str = typer.Argument(..., help="Store address to back up."),
    dest: str = typer.Option(..., "--dest", help="Backup folder or URI (s3://, gs://, ...)."),
    at: str = typer.Option(..., "--at", help="Time of day, HH:MM."),
    fmt: str = typer.Option("systemd", "--format", help="systemd, cron or k8s."),
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
    from ..backup.schedule import install as do_install
    from ..backup.schedule import render as render_schedule

    opts = ["--compress", compress]
    for flag, n in (("--keep-daily", keep_daily), ("--keep-weekly", keep_weekly), ("--keep-monthly", keep_monthly)):
        if n:
            opts += [flag, str(n)]
    if healthcheck_url:
        opts += ["--healthcheck-url", healthcheck_url]
    if metrics_file is not None:
        opts += ["--metrics-file", str(metrics_file.expanduser().resolve())]
    if artifacts:
        opts += ["--artifacts", artifacts if "://" in artifacts else str(Path(artifacts).expanduser().resolve())]
    if jobs:
        opts += ["--jobs", str(jobs)]
    if auth_db:
        from ..backup.schedule import split_credentials

        clean, password, _ = split_credentials(auth_db)
        if password is not None and password != split_credentials(store)[1]:
            raise typer.BadParameter("a password in --auth-db other than the store's cannot be kept out of the job: "
                                     "put it in ~/.pgpass or PGPASSFILE of the service user", param_hint="--auth-db")
        opts += ["--auth-db", clean]
    from ..backup.destination import is_remote
    from ..backup.schedule import storage_environment

    where = dest if is_remote(dest) else str(Path(dest).expanduser().resolve())
    plan = render_schedule(fmt, store, where, at, opts, credentials_file=credentials_file,
                           storage=storage_environment([where, artifacts], dict(os.environ)), env_file=env_file)
    if install:
        for line in do_install(fmt, plan, install_dir):
            typer.echo(line)
        return
    for fname, content in plan.files.items():
        typer.echo(f"# --- {fname}")
        typer.echo(content)
    for note in plan.notes:
        typer.echo(f"# note: {note}")
