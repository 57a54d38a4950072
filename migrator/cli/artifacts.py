"""`migrator artifacts copy|verify`: the artifact bytes a store references, moved and proven present."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..outcome import Outcome
from . import render
from .app import JSON_OPT, app
from .boundary import command
from .progress import TqdmProgress

artifacts_app = typer.Typer(help="Copy the artifacts a store references to a new artifact store, and verify them.",
                            no_args_is_help=True, rich_markup_mode=None)
app.add_typer(artifacts_app, name="artifacts")
FROM_OPT = typer.Option(None, "--from", help="Old location prefix (repeatable, paired with --to).")
TO_OPT = typer.Option(None, "--to", help="New location prefix for the --from at the same position.")
DEST_OPT = typer.Option(None, "--artifacts-destination", help="The folder or URI the old server served "
                        "mlflow-artifacts:/ from (`mlflow server --artifacts-destination`, default there ./mlartifacts).")


@artifacts_app.command("copy")
@command
def copy_cmd(
    store: str = typer.Argument(..., metavar="STORE", help="The store whose artifacts move (SQLite path/URL or PostgreSQL URL); only read."),
    from_: Optional[List[str]] = FROM_OPT, to: Optional[List[str]] = TO_OPT,
    artifacts_destination: Optional[str] = DEST_OPT,
    jobs: int = typer.Option(4, "--jobs", min=1, max=64, help="Files transferred in parallel."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="JSON-lines record of what was copied (default "
                                            "./migrator-artifacts-<hash>.jsonl); reruns resume from it."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be copied, copy nothing."),
    no_sync: bool = typer.Option(False, "--no-sync", help="Do not wait for the files written to local folders to "
                                 "reach the disk before reporting (faster; a power loss may then lose them)."),
    as_json: bool = JSON_OPT,
) -> Outcome:
    """Copy every artifact a store references (runs, logged models, model versions, traces, experiment roots)
    through MLflow's artifact repositories; resumable; missing source artifacts are listed (exit 3)."""
    from ..artifacts import rules_from_pairs
    from ..stores import parse_store
    from ..transfer import copy_artifacts

    rules = rules_from_pairs(from_ or [], to or [])
    with TqdmProgress() as progress:
        res = copy_artifacts(parse_store(store), rules, artifacts_destination=artifacts_destination, jobs=jobs,
                             dry_run=dry_run, manifest=manifest, progress=progress, sync=not no_sync)
    render.artifacts_result(res, as_json, "would copy" if dry_run else "artifacts")
    return res


@artifacts_app.command("verify")
@command
def verify_cmd(
    store: str = typer.Argument(..., metavar="STORE", help="The store whose artifact locations are checked (only read)."),
    from_: Optional[List[str]] = FROM_OPT, to: Optional[List[str]] = TO_OPT,
    artifacts_destination: Optional[str] = DEST_OPT,
    deep: bool = typer.Option(False, "--deep", help="Compare the sha256 of every file, not only names and sizes."),
    as_json: bool = JSON_OPT,
) -> Outcome:
    """Check that every artifact the store references is at its new place (names and sizes; --deep: sha256)."""
    from ..artifacts import rules_from_pairs
    from ..stores import parse_store
    from ..transfer import verify_artifacts

    res = verify_artifacts(parse_store(store), rules_from_pairs(from_ or [], to or []), artifacts_destination=artifacts_destination,
                           deep=deep)
    render.artifacts_result(res, as_json, "verified artifacts")
    return res
