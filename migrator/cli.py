"""Typer command line: options -> one core call -> render. No SQL here."""

from __future__ import annotations

import functools
import json
import sys
import warnings
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from . import __version__
from .errors import EXIT_USAGE, MigratorError, PreflightFailed
from .stores import redact

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")  # platformdirs noise on servers

app = typer.Typer(
    help="Move, verify and back up MLflow tracking stores (SQLite -> PostgreSQL, losslessly).",
    no_args_is_help=True, pretty_exceptions_show_locals=False, add_completion=False,
)


def _emit_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, indent=2, default=str, ensure_ascii=False))


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The one error boundary: MigratorError -> `Error: ...` on stderr and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MigratorError as e:
            if isinstance(e, PreflightFailed):
                for p in e.problems:
                    typer.echo(f"  {redact(str(p))}", err=True)
                if kwargs.get("as_json"):
                    _emit_json({"ok": False, "error": redact(e.message), "problems": [p.as_dict() for p in e.problems]})
            elif kwargs.get("as_json"):
                _emit_json({"ok": False, "error": redact(e.message)})
            typer.echo(f"Error: {redact(e.message)}", err=True)
            raise typer.Exit(e.exit_code) from None
        except Exception as e:
            from .errors import from_database_error

            mapped = from_database_error(e)
            if mapped is None:
                raise
            if kwargs.get("as_json"):
                _emit_json({"ok": False, "error": redact(mapped.message)})
            typer.echo(f"Error: {redact(mapped.message)}", err=True)
            raise typer.Exit(mapped.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Error: interrupted; nothing was committed", err=True)
            raise typer.Exit(130) from None

    return wrapper


def run() -> None:
    """Console entry point: the Typer app, then a prompt exit.

    An interpreter that has MLflow loaded (pandas, pydantic, SQLAlchemy, ...) spends 1-1.4 s finalizing
    modules after the work is done (measured: 1.2 s of a 7 s sqlite-to-pg). Once the command has returned,
    every resource is closed by its context manager, so the atexit handlers run (logging, multiprocessing
    children) and the process ends without that teardown. With a non-daemon thread still alive the
    ordinary exit is taken, which waits for it.
    """
    import atexit
    import os
    import threading

    try:
        app(prog_name="migrator")
        code: Any = 0
    except SystemExit as e:
        code = e.code
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(code)
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"migrator {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Move, verify and back up MLflow tracking stores."""


JSON_OPT = typer.Option(False, "--json", help="Print a machine-readable JSON result on stdout.")
REWRITE_OPT = typer.Option(None, "--rewrite-artifacts", metavar="OLD=NEW",
                           help="Rewrite artifact URIs starting with OLD to start with NEW (repeatable; longest prefix wins).")


@app.command("inspect")
@handle_errors
def inspect_cmd(store: str = typer.Argument(..., help="SQLite path, sqlite:///path or postgresql:// URL."),
                as_json: bool = JSON_OPT) -> None:
    """Show a store's schema revision, MLflow release, row counts and artifact prefixes, without modifying it."""
    from .inspection import inspect_store
    from .stores import parse_store

    report = inspect_store(parse_store(store))
    if as_json:
        _emit_json(report.as_dict())
        return
    typer.echo(f"store:     {report.store} ({report.kind}, {report.size_bytes:,} bytes)")
    typer.echo(f"revision:  {report.revision} ({report.releases})")
    typer.echo(f"installed: MLflow {report.installed_mlflow} (head {report.installed_head}); "
               f"the store is {report.compared_to_installed}"
               + ("" if report.compared_to_installed == "equal" else " than the installed MLflow"))
    typer.echo("tables with rows:")
    for t, n in report.tables.items():
        if n:
            typer.echo(f"  {t:<40} {n:>12,}")
    empty = [t for t, n in report.tables.items() if not n]
    typer.echo(f"  ({len(empty)} empty tables)")
    typer.echo("artifact locations:")
    for col, prefixes in report.artifact_prefixes.items():
        for p, n in prefixes.items():
            typer.echo(f"  {col:<55} {p}  ({n})")
    for note in report.notes:
        typer.echo(f"note: {note}")


@app.command("sqlite-to-pg")
@handle_errors
def sqlite_to_pg_cmd(
    source: str = typer.Argument(..., help="SQLite store: a file path or sqlite:///path."),
    target: Optional[str] = typer.Argument(None, help="PostgreSQL URL; omitted: an embedded server under ./.migrator/pg."),
    rewrite_artifacts: Optional[List[str]] = REWRITE_OPT,
    dry_run: bool = typer.Option(False, "--dry-run", help="Run only the preflight and print the plan."),
    on_bad_row: str = typer.Option("fail", "--on-bad-row", help="fail (default): stop before writing; skip: copy the rest, put bad rows in the reject file."),
    reject_file: Optional[Path] = typer.Option(None, "--reject-file", help="JSON-lines file for skipped rows (default: ./migrator-rejects.jsonl)."),
    replace: bool = typer.Option(False, "--replace", help="Drop and recreate the MLflow tables of a target that holds data."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (needed for --replace without a terminal)."),
    no_verify: bool = typer.Option(False, "--no-verify", help="Skip the verification after the copy."),
    renumber_experiments: bool = typer.Option(
        False, "--renumber-experiments", help="Give experiments whose id does not fit PostgreSQL's integer (ids made "
        "by MLflow's file store) new ids, rewriting every reference; the old id is kept in the tag migrator.renumbered_from."),
    mode: str = typer.Option("sql", "--mode", help="sql (default): bulk copy, ids kept; client: through MlflowClient "
                             "(new ids, merges into a target with data; see `migrator copy`)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Copy an MLflow SQLite store into PostgreSQL: ids, timestamps and every table kept, verified."""
    from .artifacts import parse_rules
    from .copy_sql import CopyOptions, sqlite_to_pg
    from .progress import TqdmProgress
    from .stores import parse_store

    if on_bad_row not in ("fail", "skip"):
        raise typer.BadParameter("must be fail or skip", param_hint="--on-bad-row")
    if mode not in ("sql", "client"):
        raise typer.BadParameter("must be sql or client", param_hint="--mode")
    if mode == "client":
        unsupported = [o for o, on in (("--dry-run", dry_run), ("--replace", replace), ("--reject-file", reject_file),
                                       ("--on-bad-row skip", on_bad_row == "skip"),
                                       ("--renumber-experiments", renumber_experiments)) if on]
        if unsupported:
            raise typer.BadParameter(f"{', '.join(unsupported)} only apply to --mode sql", param_hint="--mode")
    elif replace and not yes and not dry_run:
        if not sys.stdin.isatty():
            typer.echo("Error: --replace drops the target's MLflow tables; add --yes to confirm when there is no terminal",
                       err=True)
            raise typer.Exit(EXIT_USAGE)
        typer.confirm("--replace drops and recreates the MLflow tables of the target. Continue?", abort=True)
    rules = parse_rules(rewrite_artifacts or [])
    embedded = None
    if target is None and not dry_run:  # a dry run without TARGET plans from the source alone
        from .embedded import start_embedded

        embedded = start_embedded()
        target = embedded.url
    if mode == "client":
        _client_copy(source, target, rewrite_artifacts or [], merge=False, copy_artifacts=False, workers=4,
                     id_map=None, as_json=as_json, embedded=embedded)
        return
    src = parse_store(source)
    tgt = embedded if embedded is not None else parse_store(target) if target is not None else None
    if on_bad_row == "skip" and reject_file is None:
        reject_file = Path("migrator-rejects.jsonl")
    opts = CopyOptions(rules=rules, on_bad_row=on_bad_row, reject_file=reject_file, replace=replace,
                       dry_run=dry_run, verify=not no_verify, renumber_experiments=renumber_experiments)
    with TqdmProgress() as progress:
        result = sqlite_to_pg(src, tgt, opts, progress=progress)
    if as_json:
        d = result.as_dict()
        if embedded:
            d["embedded"] = _embedded_json(embedded)
        _emit_json(d)
    else:
        _render_copy(result, embedded)
    if result.exit_code:
        if result.rejected_rows:
            typer.echo(f"Error: {result.rejected_rows} row(s) were skipped and written to {result.reject_file}; "
                       "the rest was copied", err=True)
        raise typer.Exit(result.exit_code)


@app.command("copy")
@handle_errors
def copy_cmd(
    source: str = typer.Argument(..., help="Any MLflow tracking URI: http(s)://, sqlite:///, postgresql://, ./mlruns, a .db file."),
    target: str = typer.Argument(..., help="Any MLflow tracking URI to copy into (it may already hold data)."),
    rewrite_artifacts: Optional[List[str]] = REWRITE_OPT,
    merge: bool = typer.Option(False, "--merge", help="Copy into experiments / registered models of the same name that already exist."),
    copy_artifacts: bool = typer.Option(False, "--copy-artifacts", help="Also copy run artifacts through MLflow's artifact API."),
    workers: int = typer.Option(4, "--workers", min=1, max=64, help="Runs copied in parallel."),
    id_map: Optional[Path] = typer.Option(None, "--id-map", help="JSON file of old -> new ids (default ./migrator-idmap-<hash>.json); reruns resume from it."),
    as_json: bool = JSON_OPT,
) -> None:
    """Copy a store object by object through MlflowClient (new ids; resumable; any URI to any URI)."""
    _client_copy(source, target, rewrite_artifacts or [], merge=merge, copy_artifacts=copy_artifacts,
                 workers=workers, id_map=id_map, as_json=as_json, embedded=None)


def _client_copy(source: str, target: str, rules_text: List[str], *, merge: bool, copy_artifacts: bool,
                 workers: int, id_map: Optional[Path], as_json: bool, embedded: Any) -> None:
    from .artifacts import parse_rules
    from .client_copy import copy_store
    from .errors import EXIT_MISMATCH
    from .progress import TqdmProgress

    with TqdmProgress() as progress:
        result = copy_store(source, target, rules=parse_rules(rules_text), merge=merge,
                            copy_artifacts=copy_artifacts, workers=workers, id_map_path=id_map, progress=progress)
    if as_json:
        d = result.as_dict()
        if embedded is not None:
            d["embedded"] = _embedded_json(embedded)
        _emit_json(d)
    else:
        typer.echo(f"copied through MlflowClient: {result.source} -> {result.target} in {result.seconds:.1f}s")
        typer.echo(f"  {'':<20} {'source':>9} {'copied':>9} {'already':>9} {'failed':>7}")
        for kind, c in result.counts.items():
            typer.echo(f"  {kind:<20} {c['source']:>9,} {c['copied'] + c.get('resumed', 0):>9,} "
                       f"{c['already_there']:>9,} {c['failed']:>7,}")
        for note in result.notes:
            typer.echo(f"note: {note}")
        typer.echo(f"id map: {result.id_map}")
        if embedded is not None:
            _echo_embedded(embedded)
    if result.failures:
        for f in result.failures:
            typer.echo(f"  failed: {f}", err=True)
        typer.echo(f"Error: {len(result.failures)} object(s) could not be copied (listed above); the rest was copied. "
                   "Fix the cause and run the same command again: it copies only what is missing", err=True)
        raise typer.Exit(EXIT_MISMATCH)


def _embedded_json(embedded: Any) -> dict[str, str]:
    return {"url": embedded.url, "mlflow_server": f"mlflow server --backend-store-uri '{embedded.url}'"}


def _echo_embedded(embedded: Any) -> None:
    typer.echo(f"embedded PostgreSQL: {embedded.url}")
    typer.echo(f"start MLflow on it:  mlflow server --backend-store-uri '{embedded.url}'")


def _render_copy(result: Any, embedded: Any) -> None:
    verb = "would copy" if result.dry_run else "copied"
    if result.upgraded_from:
        typer.echo(f"source schema upgraded on the snapshot: {result.upgraded_from} -> {result.source_revision}")
    total = sum(t.rows for t in result.tables)
    typer.echo(f"{verb} {total:,} rows from {result.source} to {result.target or '(preflight only)'}")
    for t in result.tables:
        if t.rows or t.rejected:
            extra = f"  ({t.rejected} rejected)" if t.rejected else ""
            typer.echo(f"  {t.table:<40} {t.rows:>12,}{extra}")
    for col, n in result.rewrites.items():
        typer.echo(f"  rewrite {col}: {n} value(s)")
    if result.renumbered:
        typer.echo(f"{len(result.renumbered)} experiment id(s) do not fit PostgreSQL's integer and "
                   f"{'would be' if result.dry_run else 'were'} renumbered (old id kept in the tag migrator.renumbered_from):")
        for old, new in result.renumbered.items():
            typer.echo(f"  experiment {old} -> {new}")
    if result.problems and result.dry_run:
        typer.echo(f"preflight: {len(result.problems)} problem(s):")
        for p in result.problems:
            typer.echo(f"  {p}")
    elif not result.problems:
        typer.echo("preflight: no problems")
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in result.phases.items())
    typer.echo(f"time: {phases}")
    if result.verify is not None:
        typer.echo(f"verify: {'OK' if result.verify.ok else 'MISMATCH'} ({result.verify.summary()})")
    if embedded is not None:
        _echo_embedded(embedded)


@app.command("verify")
@handle_errors
def verify_cmd(
    source: str = typer.Argument(..., help="Store address (SQLite path/URL or PostgreSQL URL)."),
    target: str = typer.Argument(..., help="Store address to compare with the source."),
    rewrite_artifacts: Optional[List[str]] = REWRITE_OPT,
    sample: int = typer.Option(50, "--sample", help="Runs compared through MlflowClient (0: none)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Prove two stores hold the same data: counts, every row, revision, sequences, API parity."""
    from .artifacts import parse_rules
    from .errors import EXIT_MISMATCH
    from .progress import TqdmProgress
    from .stores import parse_store
    from .verify import verify

    with TqdmProgress() as progress:
        report = verify(parse_store(source), parse_store(target), parse_rules(rewrite_artifacts or []), sample,
                        progress=progress)
    if as_json:
        _emit_json(report.as_dict())
    else:
        typer.echo(f"{'table':<40} {'source':>12} {'target':>12}  status")
        for t in report.tables:
            s = "-" if t.source_rows is None else f"{t.source_rows:,}"
            g = "-" if t.target_rows is None else f"{t.target_rows:,}"
            typer.echo(f"{t.table:<40} {s:>12} {g:>12}  {t.status}")
            for d in t.differences:
                typer.echo(f"    {json.dumps(d, default=str, ensure_ascii=False)}")
        for c in report.checks:
            typer.echo(f"[{'ok' if c.ok else 'FAIL'}] {c.name}: {c.detail}")
        typer.echo("verify: OK" if report.ok else f"verify: MISMATCH ({report.summary()})")
    if not report.ok:
        raise typer.Exit(EXIT_MISMATCH)


@app.command("rewrite-artifacts")
@handle_errors
def rewrite_artifacts_cmd(
    store: str = typer.Argument(..., help="Store address (SQLite path/URL or PostgreSQL URL); changed in place."),
    from_: Optional[List[str]] = typer.Option(None, "--from", help="Old URI prefix (repeatable, paired with --to)."),
    to: Optional[List[str]] = typer.Option(None, "--to", help="New URI prefix for the --from at the same position."),
    experiment: Optional[List[str]] = typer.Option(None, "--experiment", help="Limit to these experiment ids (repeatable)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change, change nothing."),
    undo_file: Optional[Path] = typer.Option(None, "--undo-file", help="Where to write the undo file (default ./migrator-undo-PID.jsonl)."),
    undo: Optional[Path] = typer.Option(None, "--undo", help="Restore the old values recorded in this undo file."),
    backup_dir: Optional[Path] = typer.Option(None, "--backup-dir", help="Take a backup of the store here before writing."),
    check_exists: bool = typer.Option(False, "--check-exists", help="Report new file:// or path locations that do not exist."),
    busy_timeout: float = typer.Option(30.0, "--busy-timeout", help="Seconds to wait for a SQLite store another process holds."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (needed without a terminal)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Rewrite stored artifact locations of an existing store (every artifact column), reversibly."""
    from .artifacts import parse_rules
    from .rewrite import rewrite_artifacts
    from .rewrite import undo as undo_rewrite
    from .stores import parse_store

    st = parse_store(store)
    if undo is not None:
        n = undo_rewrite(st, undo, busy_timeout)
        if as_json:
            _emit_json({"ok": True, "undone": n})
        else:
            typer.echo(f"restored {n} value(s) from {undo}")
        return
    from_, to = from_ or [], to or []
    if len(from_) != len(to) or not from_:
        raise typer.BadParameter("give --from OLD --to NEW in pairs", param_hint="--from/--to")
    rules = parse_rules([f"{o}={n}" for o, n in zip(from_, to)])
    if not dry_run and not yes:
        if not sys.stdin.isatty():
            typer.echo("Error: rewrite-artifacts changes the store in place; add --yes to confirm when there is "
                       "no terminal (consider --backup-dir first)", err=True)
            raise typer.Exit(EXIT_USAGE)
        typer.confirm(f"Rewrite artifact locations in {st.redacted} in place? (take a backup first, or use --backup-dir)",
                      abort=True)
    res = rewrite_artifacts(st, rules, experiments=experiment or [], dry_run=dry_run, undo_file=undo_file,
                            check_exists=check_exists, backup_dir=backup_dir, busy_timeout=busy_timeout)
    if as_json:
        _emit_json(res.as_dict())
    else:
        verb = "would change" if dry_run else "changed"
        typer.echo(f"{verb} {res.changed} value(s) in {res.store}")
        for col, c in res.columns.items():
            typer.echo(f"  {col}: {c.changed}")
            for old, new in c.examples:
                typer.echo(f"      {old}  ->  {new}")
        for t in res.too_long:
            typer.echo(f"  warning (SQLite does not enforce it; PostgreSQL would refuse): {t}", err=True)
        for m in res.missing_on_disk:
            typer.echo(f"  missing on disk: {m}")
        if res.backup:
            typer.echo(f"backup: {res.backup}")
        if res.undo_file:
            typer.echo(f"undo with: migrator rewrite-artifacts {res.store} --undo {res.undo_file}")


KEEP_DAILY = typer.Option(0, "--keep-daily", help="Keep the newest backup of each of the last N days with backups.")
KEEP_WEEKLY = typer.Option(0, "--keep-weekly", help="Keep the newest backup of each of the last N ISO weeks with backups.")
KEEP_MONTHLY = typer.Option(0, "--keep-monthly", help="Keep the newest backup of each of the last N months with backups.")


@app.command("backup")
@handle_errors
def backup_cmd(
    store: str = typer.Argument(..., help="Store address (SQLite path/URL or PostgreSQL URL)."),
    dest: Path = typer.Option(..., "--dest", help="Folder that holds the backups (created 0700)."),
    artifacts: Optional[Path] = typer.Option(None, "--artifacts", help="Local artifact root to archive beside the database."),
    keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY, keep_monthly: int = KEEP_MONTHLY,
    compress: str = typer.Option("gzip", "--compress", help="gzip, zstd or none (SQLite; PostgreSQL uses pg_dump -Fc)."),
    healthcheck_url: Optional[str] = typer.Option(None, "--healthcheck-url", help="Ping URL on success, URL/fail on failure."),
    as_json: bool = JSON_OPT,
) -> None:
    """Take a consistent, checked backup (SQLite backup API or pg_dump) with a manifest; apply retention."""
    from .backup.create import create_backup, ping
    from .backup.retention import Policy
    from .stores import parse_store

    if compress not in ("gzip", "zstd", "none"):
        raise typer.BadParameter("must be gzip, zstd or none", param_hint="--compress")
    try:
        res = create_backup(parse_store(store), dest, artifacts=artifacts, compress=compress,
                            policy=Policy(keep_daily, keep_weekly, keep_monthly))
    except BaseException:
        warn = ping(healthcheck_url, ok=False)
        if warn:
            typer.echo(f"warning: {warn}", err=True)
        raise
    warn = ping(healthcheck_url, ok=True)
    if warn:
        typer.echo(f"warning: {warn}", err=True)
    if as_json:
        _emit_json(res.as_dict())
        return
    m = res.manifest
    typer.echo(f"backup {res.backup} ({m['size']:,} bytes, sha256 {m['sha256'][:16]}..., revision {m['schema_revision']})")
    for name in res.pruned:
        typer.echo(f"  pruned {name}")


@app.command("restore")
@handle_errors
def restore_cmd(
    backup: Path = typer.Argument(..., help="A backup folder (as `migrator backups list` shows)."),
    target: Optional[str] = typer.Argument(None, help="SQLite path or PostgreSQL URL to restore into."),
    force: bool = typer.Option(False, "--force", help="SQLite: replace the file (kept aside); PostgreSQL: drop the MLflow tables first."),
    check: bool = typer.Option(False, "--check", help="Restore drill into a scratch database, compared with the manifest."),
    scratch_url: Optional[str] = typer.Option(None, "--scratch-url", help="PostgreSQL server for a --check drill (default: embedded)."),
    artifacts_to: Optional[Path] = typer.Option(None, "--artifacts-to", help="Also extract the archived artifact root here."),
    as_json: bool = JSON_OPT,
) -> None:
    """Restore a backup after checking its sha256 and manifest; --check runs a restore drill instead."""
    from .backup.restore import check as drill
    from .backup.restore import restore
    from .stores import parse_store

    if check:
        res = drill(backup, scratch_url)
    else:
        if target is None:
            raise typer.BadParameter("give a TARGET, or --check for a restore drill", param_hint="TARGET")
        res = restore(backup, parse_store(target), force=force, artifacts_to=artifacts_to)
    if as_json:
        _emit_json(res.as_dict())
    else:
        typer.echo(f"{'drill' if check else 'restored'} {res.backup} -> {res.target}: revision {res.revision}, "
                   f"{sum(res.tables.values()):,} rows in {len(res.tables)} tables")
        if res.kept_aside:
            typer.echo(f"  the previous file was kept aside as {res.kept_aside}")
        for m in res.mismatches:
            typer.echo(f"  MISMATCH {m}")
    if res.exit_code:
        typer.echo(f"Error: the restored data does not match the manifest ({len(res.mismatches)} difference(s))", err=True)
        raise typer.Exit(res.exit_code)


backups_app = typer.Typer(help="List and prune backups.", no_args_is_help=True)
app.add_typer(backups_app, name="backups")


@backups_app.command("list")
@handle_errors
def backups_list_cmd(dest: Path = typer.Argument(..., help="Backup folder."), as_json: bool = JSON_OPT) -> None:
    """List complete backups, newest first (unfinished ones are never listed)."""
    from .backup.manifest import list_backups

    items = list_backups(dest)
    if as_json:
        _emit_json([{"backup": str(b.path), **b.manifest} for b in items])
        return
    for b in items:
        m = b.manifest
        typer.echo(f"{b.path.name}  {m['created_utc']}  {m['kind']:<10} {m['size']:>14,} bytes  rev {m['schema_revision']}")


@backups_app.command("prune")
@handle_errors
def backups_prune_cmd(
    dest: Path = typer.Argument(..., help="Backup folder."),
    keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY, keep_monthly: int = KEEP_MONTHLY,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be deleted."),
    as_json: bool = JSON_OPT,
) -> None:
    """Delete backups that no --keep-* rule keeps (restic semantics; the newest verified one always stays)."""
    from .backup.create import prune
    from .backup.retention import Policy

    removed, kept = prune(dest, Policy(keep_daily, keep_weekly, keep_monthly), dry_run=dry_run)
    if as_json:
        _emit_json({"dry_run": dry_run, "removed": removed, "kept": kept})
        return
    for n in removed:
        typer.echo(f"{'would remove' if dry_run else 'removed'} {n}")
    typer.echo(f"kept {len(kept)} backup(s)")


@app.command("schedule")
@handle_errors
def schedule_cmd(
    store: str = typer.Argument(..., help="Store address to back up."),
    dest: Path = typer.Option(..., "--dest", help="Backup folder."),
    at: str = typer.Option(..., "--at", help="Time of day, HH:MM."),
    fmt: str = typer.Option("systemd", "--format", help="systemd, cron or k8s."),
    keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY, keep_monthly: int = KEEP_MONTHLY,
    compress: str = typer.Option("gzip", "--compress", help="Passed to migrator backup."),
    healthcheck_url: Optional[str] = typer.Option(None, "--healthcheck-url", help="Passed to migrator backup."),
    install: bool = typer.Option(False, "--install", help="Write the unit files / add the crontab line."),
    install_dir: Optional[Path] = typer.Option(None, "--install-dir", help="Where --install writes files (systemd default /etc/systemd/system)."),
) -> None:
    """Print (or --install) a nightly `migrator backup` as a systemd timer, crontab line or Kubernetes CronJob."""
    from .backup.schedule import install as do_install
    from .backup.schedule import render

    opts = ["--compress", compress]
    for flag, n in (("--keep-daily", keep_daily), ("--keep-weekly", keep_weekly), ("--keep-monthly", keep_monthly)):
        if n:
            opts += [flag, str(n)]
    if healthcheck_url:
        opts += ["--healthcheck-url", healthcheck_url]
    files = render(fmt, store, str(dest.resolve()), at, opts)
    if install:
        for line in do_install(fmt, files, install_dir):
            typer.echo(line)
        return
    for fname, content in files.items():
        typer.echo(f"# --- {fname}")
        typer.echo(content)
