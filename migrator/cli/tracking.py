"""Commands on tracking stores: inspect, sqlite-to-pg, copy, verify, rewrite-artifacts.

Each command builds its inputs, calls one core function and renders its result; the boundary
(`boundary.command`) turns results and errors into exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer

from . import render
from .app import JSON_OPT, REWRITE_OPT, TMPDIR_OPT, app
from .boundary import command, confirm_or_refuse, emit_json
from .progress import TqdmProgress


@app.command("inspect")
@command
def inspect_cmd(store: str = typer.Argument(..., help="SQLite path, sqlite:///path or postgresql:// URL."),
                as_json: bool = JSON_OPT) -> None:
    """Show a store's schema revision, MLflow release, row counts and artifact prefixes, without modifying it."""
    from ..inspection import inspect_store
    from ..stores import parse_store

    report = inspect_store(parse_store(store))
    if as_json:
        emit_json(report.as_dict())
    else:
        render.inspect_report(report)


@app.command("sqlite-to-pg")
@command
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
    auth_db: Optional[Path] = typer.Option(None, "--auth-db", help="The server's basic-auth database (SQLite; "
                                           "`database_uri` of basic_auth.ini), copied beside the tracking store."),
    auth_target: Optional[str] = typer.Option(None, "--auth-target", help="PostgreSQL URL for the basic-auth store "
                                              "(default: TARGET, beside the tracking tables, as MLflow >= 3.6 allows)."),
    move_artifacts: Optional[List[str]] = typer.Option(
        None, "--move-artifacts", metavar="OLD=NEW", help="Copy the artifacts under OLD to NEW first (through MLflow's "
        "artifact repositories), then copy the database with the same rewrite, then verify both (repeatable)."),
    artifacts_destination: Optional[str] = typer.Option(
        None, "--artifacts-destination", help="With --move-artifacts: where the old server kept mlflow-artifacts:/ "
        "(its --artifacts-destination, default there ./mlartifacts)."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, max=32, help="PostgreSQL connections the load, index builds and verification "
        "use (default: the cores here, 2 to 4); several load into a private staging schema moved into the target "
        "in one short final transaction; 1: everything in one transaction on one connection."),
    tmpdir: Optional[Path] = TMPDIR_OPT,
    as_json: bool = JSON_OPT,
) -> Any:
    """Copy an MLflow SQLite store (tracking and/or basic-auth) into PostgreSQL: ids, timestamps and every
    table kept, verified."""
    from ..artifacts import parse_user_rules as parse_rules
    from ..bulk import CopyOptions, check_auth_stores, copy_server
    from ..stores import parse_store

    _check_sqlite_to_pg_options(on_bad_row, mode, dry_run, replace, yes, reject_file, renumber_experiments,
                                auth_db, auth_target)
    rules = parse_rules([*(rewrite_artifacts or []), *(move_artifacts or [])])
    move_rules = parse_rules(move_artifacts or [])
    src = parse_store(source)
    tgt = parse_store(target) if target is not None else None
    auth_src = parse_store(str(auth_db)) if auth_db is not None else None
    auth_tgt = parse_store(auth_target) if auth_target is not None else None
    check_auth_stores(auth_src, auth_tgt)
    embedded = None
    if target is None and not dry_run:  # a dry run without TARGET plans from the source alone
        from ..embedded import start_embedded

        embedded = tgt = start_embedded()
    if mode == "client":
        assert tgt is not None
        return _client_copy(source, tgt.url, rewrite_artifacts or [], merge=False, copy_artifacts=False, workers=4,
                            id_map=None, as_json=as_json, embedded=embedded)
    if on_bad_row == "skip" and reject_file is None:
        reject_file = Path("migrator-rejects.jsonl")
    opts = CopyOptions(rules=rules, on_bad_row=on_bad_row, reject_file=reject_file, replace=replace,
                       dry_run=dry_run, verify=not no_verify, renumber_experiments=renumber_experiments)
    if jobs is not None:
        opts.jobs = jobs
    with TqdmProgress() as progress:
        moved = _move_artifacts(src, move_rules, artifacts_destination, dry_run, progress) if move_rules else None
        result = copy_server(src, tgt, opts, auth_source=auth_src, auth_target=auth_tgt, progress=progress)
        if moved is not None:
            from ..transfer import verify_artifacts

            result = MoveResult(result, moved, None if dry_run else verify_artifacts(
                src, move_rules, artifacts_destination=artifacts_destination, progress=progress))
    return _show_copy(result, embedded, as_json, render.server_copy)


def _move_artifacts(src: Any, rules: Any, destination: Optional[str], dry_run: bool, progress: Any) -> Any:
    """The artifact bytes first: if any could not be copied, the database is not touched."""
    from ..errors import PartialResult
    from ..transfer import copy_artifacts

    moved = copy_artifacts(src, rules, artifacts_destination=destination, dry_run=dry_run, progress=progress)
    if moved.exit_code:
        raise PartialResult(f"the artifact copy is incomplete ({moved.failure}); nothing was written to the database",
                            moved, moved.failure_lines)
    return moved


@dataclass
class MoveResult:
    """sqlite-to-pg --move-artifacts: the artifact copy, the database copy, and the artifacts verified at their
    new place (exit 3 when any of it failed)."""

    copy: Any
    artifacts: Any
    artifacts_verify: Any

    @property
    def results(self) -> Any:
        return self.copy.results

    @property
    def exit_code(self) -> int:
        return max(self.copy.exit_code, self.artifacts_verify.exit_code if self.artifacts_verify else 0)

    @property
    def failure(self) -> str | None:
        if self.copy.exit_code:
            return self.copy.failure
        return f"artifacts at the new place: {self.artifacts_verify.failure}" if self.exit_code else None

    @property
    def failure_lines(self) -> list[str]:
        return self.artifacts_verify.failure_lines if self.artifacts_verify and self.artifacts_verify.exit_code else []

    def as_dict(self) -> dict[str, Any]:
        d = self.copy.as_dict()
        d["artifacts"] = self.artifacts.as_dict()
        d["artifacts_verify"] = self.artifacts_verify.as_dict() if self.artifacts_verify else None
        d["ok"] = self.exit_code == 0
        return d


def _check_sqlite_to_pg_options(on_bad_row: str, mode: str, dry_run: bool, replace: bool, yes: bool,
                                reject_file: Optional[Path], renumber_experiments: bool, auth_db: Optional[Path],
                                auth_target: Optional[str]) -> None:
    if on_bad_row not in ("fail", "skip"):
        raise typer.BadParameter("must be fail or skip", param_hint="--on-bad-row")
    if mode not in ("sql", "client"):
        raise typer.BadParameter("must be sql or client", param_hint="--mode")
    if mode == "client":
        unsupported = [o for o, on in (("--dry-run", dry_run), ("--replace", replace), ("--reject-file", reject_file),
                                       ("--on-bad-row skip", on_bad_row == "skip"),
                                       ("--renumber-experiments", renumber_experiments),
                                       ("--auth-db", auth_db), ("--auth-target", auth_target)) if on]
        if unsupported:
            raise typer.BadParameter(f"{', '.join(unsupported)} only apply to --mode sql", param_hint="--mode")
    elif replace and not dry_run:
        confirm_or_refuse("--replace drops and recreates the MLflow tables of the target. Continue?",
                          "--replace drops the target's MLflow tables; add --yes to confirm when there is no terminal",
                          yes)


@app.command("copy")
@command
def copy_cmd(
    source: str = typer.Argument(..., help="Any MLflow tracking URI: http(s)://, sqlite:///, postgresql://, ./mlruns, a .db file."),
    target: str = typer.Argument(..., help="Any MLflow tracking URI to copy into (it may already hold data)."),
    rewrite_artifacts: Optional[List[str]] = REWRITE_OPT,
    merge: bool = typer.Option(False, "--merge", help="Copy into experiments / registered models of the same name that already exist."),
    copy_artifacts: bool = typer.Option(False, "--copy-artifacts", help="Also copy run artifacts through MLflow's artifact API."),
    workers: int = typer.Option(4, "--workers", min=1, max=64, help="Runs copied in parallel."),
    id_map: Optional[Path] = typer.Option(None, "--id-map", help="JSON file of old -> new ids (default ./migrator-idmap-<hash>.json); reruns resume from it."),
    tmpdir: Optional[Path] = TMPDIR_OPT,
    as_json: bool = JSON_OPT,
) -> Any:
    """Copy a store object by object through MlflowClient (new ids; resumable; any URI to any URI)."""
    return _client_copy(source, target, rewrite_artifacts or [], merge=merge, copy_artifacts=copy_artifacts,
                        workers=workers, id_map=id_map, as_json=as_json, embedded=None)


def _client_copy(source: str, target: str, rules_text: List[str], *, merge: bool, copy_artifacts: bool,
                 workers: int, id_map: Optional[Path], as_json: bool, embedded: Any) -> Any:
    from ..artifacts import parse_user_rules as parse_rules
    from ..client import copy_store

    with TqdmProgress() as progress:
        result = copy_store(source, target, rules=parse_rules(rules_text), merge=merge,
                            copy_artifacts=copy_artifacts, workers=workers, id_map_path=id_map, progress=progress)
    return _show_copy(result, embedded, as_json, render.client_copy)


def _show_copy(result: Any, embedded: Any, as_json: bool, show: Callable[[Any, Any], None]) -> Any:
    if as_json:
        d = result.as_dict()
        if embedded is not None:
            d["embedded"] = render.embedded_json(embedded)
        emit_json(d)
    else:
        show(result, embedded)
    return result


@app.command("verify")
@command
def verify_cmd(
    source: str = typer.Argument(..., help="Store address (SQLite path/URL or PostgreSQL URL)."),
    target: str = typer.Argument(..., help="Store address to compare with the source."),
    rewrite_artifacts: Optional[List[str]] = REWRITE_OPT,
    sample: int = typer.Option(50, "--sample", min=0, help="Runs compared through MlflowClient (0: none)."),
    artifacts: bool = typer.Option(False, "--artifacts", help="Also check that every artifact the source references "
                                   "is at its (rewritten) location: names and sizes (--deep: sha256)."),
    artifacts_destination: Optional[str] = typer.Option(None, "--artifacts-destination", help="Where the source's "
                                                        "server kept mlflow-artifacts:/ (with --artifacts)."),
    deep: bool = typer.Option(False, "--deep", help="With --artifacts: compare the sha256 of every file."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, max=32, help="Processes comparing rows, each "
                                       "with its own connections, reading the same snapshot of both sides "
                                       "(default: the cores here, 2 to 4)."),
    tmpdir: Optional[Path] = TMPDIR_OPT,
    as_json: bool = JSON_OPT,
) -> Any:
    """Prove two stores hold the same data: counts, every row, revision, sequences, API parity (and, with
    --artifacts, the artifact files)."""
    from ..artifacts import parse_user_rules as parse_rules
    from ..stores import parse_store
    from ..verification import verify

    rules = parse_rules(rewrite_artifacts or [])
    with TqdmProgress() as progress:
        from ..spawn import default_jobs

        report = verify(parse_store(source), parse_store(target), rules, sample, progress=progress,
                        jobs=jobs or default_jobs())
    if artifacts:
        from ..transfer import verify_artifacts
        from ..verification import Check

        res = verify_artifacts(parse_store(source), rules, artifacts_destination=artifacts_destination, deep=deep)
        report.artifacts = res
        report.checks.append(Check("artifacts", res.ok, f"{res.files:,} file(s) under {res.locations} location(s)"
                                   + ("" if res.ok else ": " + "; ".join(res.failure_lines[:10]))))
    if as_json:
        emit_json(report.as_dict())
    else:
        render.verify_report(report)
    return report


@app.command("rewrite-artifacts")
@command
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
    from ..artifacts import parse_user_rules as parse_rules
    from ..rewrite import rewrite_artifacts
    from ..rewrite import undo as undo_rewrite
    from ..stores import parse_store

    st = parse_store(store)
    if undo is not None:
        n = undo_rewrite(st, undo, busy_timeout)
        if as_json:
            emit_json({"ok": True, "undone": n})
        else:
            typer.echo(f"restored {n} value(s) from {undo}")
        return
    from_, to = from_ or [], to or []
    if len(from_) != len(to) or not from_:
        raise typer.BadParameter("give --from OLD --to NEW in pairs", param_hint="--from/--to")
    rules = parse_rules([f"{o}={n}" for o, n in zip(from_, to)])
    if not dry_run:
        confirm_or_refuse(f"Rewrite artifact locations in {st.redacted} in place? (take a backup first, or use "
                          "--backup-dir)", "rewrite-artifacts changes the store in place; add --yes to confirm when "
                          "there is no terminal (consider --backup-dir first)", yes)
    before_write = None
    if backup_dir is not None:
        from ..backup.create import create_backup

        def before_write() -> str:
            return str(create_backup(st, backup_dir).backup)

    res = rewrite_artifacts(st, rules, experiments=experiment or [], dry_run=dry_run, undo_file=undo_file,
                            check_exists=check_exists, before_write=before_write, busy_timeout=busy_timeout)
    if as_json:
        emit_json(res.as_dict())
    else:
        render.rewrite_result(res, dry_run)

