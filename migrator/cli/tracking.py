"""Commands on tracking stores: inspect, sqlite-to-pg, copy, verify, rewrite-artifacts.

Each command builds its inputs, calls one core function and renders its result; the boundary
(`boundary.command`) turns results and errors into exit codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from ..outcome import Outcome
from . import render
from .app import JSON_OPT, REWRITE_OPT, TMPDIR_OPT, app
from .boundary import command, confirm_or_refuse
from .progress import TqdmProgress

if TYPE_CHECKING:
    from ..stores import PostgresStore


@app.command("inspect")
@command
def inspect_cmd(store: str = typer.Argument(..., metavar="STORE", help="SQLite path, sqlite:///path or postgresql:// URL."),
                as_json: bool = JSON_OPT) -> None:
    """Show a store's schema revision, MLflow release, row counts and artifact prefixes, without modifying it."""
    from ..inspection import inspect_store
    from ..stores import parse_store

    render.inspect_report(inspect_store(parse_store(store)), as_json)


@app.command("sqlite-to-pg")
@command
def sqlite_to_pg_cmd(
    source: str = typer.Argument(..., metavar="SOURCE", help="SQLite store (a file path or sqlite:///path), or a PostgreSQL URL."),
    target: Optional[str] = typer.Argument(None, metavar="TARGET", help="PostgreSQL URL; omitted: an embedded server under ./.migrator/pg."),
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
    auth_db: Optional[str] = typer.Option(None, "--auth-db", help="The server's basic-auth database (SQLite; "
                                           "`database_uri` of basic_auth.ini), copied beside the tracking store."),
    auth_target: Optional[str] = typer.Option(None, "--auth-target", help="PostgreSQL URL for the basic-auth store "
                                              "(default: TARGET, beside the tracking tables, as MLflow >= 3.6 allows)."),
    move_artifacts: Optional[List[str]] = typer.Option(
        None, "--move-artifacts", metavar="OLD=NEW", help="Copy the artifacts under OLD to NEW first (through MLflow's "
        "artifact repositories), then copy the database with the same rewrite, then verify both (repeatable)."),
    artifacts_destination: Optional[str] = typer.Option(
        None, "--artifacts-destination", help="With --move-artifacts: where the old server kept mlflow-artifacts:/ "
        "(its --artifacts-destination, default there ./mlartifacts)."),
    auth_config: Optional[Path] = typer.Option(
        None, "--auth-config", help="The old server's basic_auth.ini: its settings go into the basic_auth.ini "
        "written for the new server (default: MLflow's), with database_uri set to the moved auth store."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, max=32, help="PostgreSQL connections the load, index builds and verification "
        "use (default: the cores here, 2 to 4); several load into a private staging schema moved into the target "
        "in one short final transaction; 1: everything in one transaction on one connection."),
    workspace: Optional[str] = typer.Option(
        None, "--workspace", metavar="NAME", help="Merge the whole store into workspace NAME of a TARGET that may "
        "hold other workspaces (MLflow >= 3.10): run ids and times kept, experiments renumbered past the target's, "
        "every conflict refused before anything is written (docs/workspaces.md)."),
    workspace_description: Optional[str] = typer.Option(None, "--workspace-description", help="With --workspace: the description of a workspace it creates."),
    workspace_artifact_root: Optional[str] = typer.Option(None, "--workspace-artifact-root", help="With --workspace: the default artifact root of a workspace it creates."),
    id_map: Optional[Path] = typer.Option(None, "--id-map", help="With --workspace: where the id map goes (0600; default ./migrator-workspace-NAME.json)."),
    auth_users: str = typer.Option("refuse", "--auth-users", help="With --workspace --auth-db: a user name the target holds already: refuse (default; "
                                   "identical password hashes are merged), keep-target or keep-source (its password)."),
    online: bool = typer.Option(False, "--online", help="Phase one of an online move: copy and verify a snapshot while "
                                "the old server keeps running; the new server must not start yet (docs/online.md)."),
    cutover: bool = typer.Option(False, "--cutover", help="Phase two, once the old server has stopped: apply every "
                                 "row that changed since phase one in one transaction, then print the server line."),
    state_dir: Optional[Path] = typer.Option(None, "--state-dir", help="With --online/--cutover: the private folder "
                                             "kept between the phases (default ./migrator-online-<hash>)."),
    tmpdir: Optional[Path] = TMPDIR_OPT,
    as_json: bool = JSON_OPT,
) -> Outcome | None:
    """Copy an MLflow SQLite store (tracking and/or basic-auth) into PostgreSQL: ids, timestamps and every
    table kept, verified."""
    from ..bulk import MoveRequest, resolve_target, run_move

    req = MoveRequest(source, target, rewrite_artifacts or [], dry_run, on_bad_row, reject_file, replace, not no_verify,
                      renumber_experiments, mode, auth_db, auth_target, move_artifacts or [], artifacts_destination, jobs,
                      auth_config, workspace, workspace_description, workspace_artifact_root, id_map, auth_users,
                      online, cutover, state_dir)
    req.check()
    if req.replaces:
        confirm_or_refuse("--replace drops and recreates the MLflow tables of the target. Continue?",
                          "--replace drops the target's MLflow tables; add --yes to confirm when there is no terminal",
                          yes)
    if req.mode == "client":  # the MlflowClient path, into the TARGET (or the embedded server)
        tgt, embedded = resolve_target(req)
        assert tgt is not None  # --dry-run is refused with --mode client
        return _client_copy(source, tgt.url, req.rewrite_artifacts, merge=False, copy_artifacts=False, workers=4,
                            id_map=None, as_json=as_json, embedded=embedded)
    with TqdmProgress() as progress:
        moved = run_move(req, progress)
    if req.cutover or getattr(moved, "catch_up", False):
        render.cutover(moved, as_json)  # type: ignore[arg-type]
    else:
        render.move(moved, as_json)  # type: ignore[arg-type]
    return moved


app.command("move", help="Copy an MLflow store (a SQLite file, or a PostgreSQL URL read in one consistent "
            "transaction) into PostgreSQL: ids, timestamps and every table kept, verified; --workspace merges it "
            "into one workspace of a populated target. Same options as sqlite-to-pg.")(sqlite_to_pg_cmd)


@app.command("copy")
@command
def copy_cmd(
    source: str = typer.Argument(..., metavar="SOURCE", help="Any MLflow tracking URI: http(s)://, sqlite:///, postgresql://, ./mlruns, a .db file."),
    target: str = typer.Argument(..., metavar="TARGET", help="Any MLflow tracking URI to copy into (it may already hold data)."),
    rewrite_artifacts: Optional[List[str]] = REWRITE_OPT,
    merge: bool = typer.Option(False, "--merge", help="Copy into experiments / registered models of the same name that already exist."),
    copy_artifacts: bool = typer.Option(False, "--copy-artifacts", help="Also copy run artifacts through MLflow's artifact API."),
    workers: int = typer.Option(4, "--workers", min=1, max=64, help="Runs copied in parallel."),
    id_map: Optional[Path] = typer.Option(None, "--id-map", help="JSON file of old -> new ids (default ./migrator-idmap-<hash>.json); reruns resume from it."),
    workspace: Optional[str] = typer.Option(None, "--workspace", metavar="NAME", help="Copy into workspace NAME "
                                            "(created when missing) of a tracking server started with "
                                            "--enable-workspaces; the source is read as it is."),
    tmpdir: Optional[Path] = TMPDIR_OPT,
    as_json: bool = JSON_OPT,
) -> Outcome | None:
    """Copy a store object by object through MlflowClient (new ids; resumable; any URI to any URI)."""
    return _client_copy(source, target, rewrite_artifacts or [], merge=merge, copy_artifacts=copy_artifacts,
                        workers=workers, id_map=id_map, as_json=as_json, embedded=None, workspace=workspace)


def _client_copy(source: str, target: str, rules_text: List[str], *, merge: bool, copy_artifacts: bool,
                 workers: int, id_map: Optional[Path], as_json: bool, embedded: "PostgresStore | None",
                 workspace: Optional[str] = None) -> Outcome:
    from ..artifacts import parse_user_rules as parse_rules
    from ..client import copy_store

    with TqdmProgress() as progress:
        result = copy_store(source, target, rules=parse_rules(rules_text), merge=merge,
                            copy_artifacts=copy_artifacts, workers=workers, id_map_path=id_map, progress=progress,
                            workspace=workspace)
    render.client_result(result, embedded, as_json)
    return result


@app.command("verify")
@command
def verify_cmd(
    source: str = typer.Argument(..., metavar="SOURCE", help="Store address (SQLite path/URL or PostgreSQL URL)."),
    target: str = typer.Argument(..., metavar="TARGET", help="Store address to compare with the source."),
    rewrite_artifacts: Optional[List[str]] = REWRITE_OPT,
    sample: int = typer.Option(50, "--sample", min=0, help="Runs compared through MlflowClient (0: none)."),
    artifacts: bool = typer.Option(False, "--artifacts", help="Also check that every artifact the source references "
                                   "is at its (rewritten) location: names and sizes (--deep: sha256)."),
    artifacts_destination: Optional[str] = typer.Option(None, "--artifacts-destination", help="Where the source's "
                                                        "server kept mlflow-artifacts:/ (with --artifacts)."),
    deep: bool = typer.Option(False, "--deep", help="With --artifacts: compare the sha256 of every file."),
    kek_passphrase_env: Optional[str] = typer.Option(None, "--kek-passphrase-env", metavar="NAME", help="Prove every "
                                                     "gateway secret of the target decrypts with the passphrase in "
                                                     "environment variable NAME (MLflow's own crypto code)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, max=32, help="Processes comparing rows, each "
                                       "with its own connections, reading the same snapshot of both sides "
                                       "(default: the cores here, 2 to 4)."),
    workspace: Optional[str] = typer.Option(None, "--workspace", metavar="NAME", help="The source was merged into "
                                            "workspace NAME of TARGET: compare it with that workspace's rows (ids "
                                            "as the merge's id map says) and prove every other row unchanged."),
    id_map: Optional[Path] = typer.Option(None, "--id-map", help="With --workspace: the merge's id map (default "
                                          "./migrator-workspace-NAME.json)."),
    auth_db: Optional[str] = typer.Option(None, "--auth-db", help="With --workspace: the source's basic-auth "
                                          "database, merged with it."),
    tmpdir: Optional[Path] = TMPDIR_OPT,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every table and every check, not only "
                                 "what differs."),
    as_json: bool = JSON_OPT,
) -> Outcome | None:
    """Prove two stores hold the same data: counts, every row, revision, sequences, API parity (and, with
    --artifacts, the artifact files)."""
    from ..verification import VerifyRequest, run_verify

    req = VerifyRequest(source, target, rewrite_artifacts or [], sample, artifacts, artifacts_destination, deep, jobs,
                        kek_passphrase_env, workspace, id_map, auth_db)
    with TqdmProgress() as progress:
        report = run_verify(req, progress)
    render.verify_report(report, as_json, verbose)
    return report


@app.command("rewrite-artifacts")
@command
def rewrite_artifacts_cmd(
    store: str = typer.Argument(..., metavar="STORE", help="Store address (SQLite path/URL or PostgreSQL URL); changed in place."),
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
    from ..maintenance import RewriteRequest, run_rewrite
    from ..stores import redact

    req = RewriteRequest(store, from_ or [], to or [], experiment or [], dry_run, undo_file, undo, backup_dir,
                         check_exists, busy_timeout)
    req.check()
    if req.writes:
        confirm_or_refuse(f"Rewrite artifact locations in {redact(store)} in place? (take a backup first, or use "
                          "--backup-dir)", "rewrite-artifacts changes the store in place; add --yes to confirm when "
                          "there is no terminal (consider --backup-dir first)", yes)
    render.rewrite_result(run_rewrite(req), dry_run, as_json)
