"""`migrator upgrade`: MLflow schema upgrades, rehearsed or for real (see migrator.maintenance.upgrade)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..outcome import Outcome
from . import render
from .app import JSON_OPT, TMPDIR_OPT, app
from .boundary import command, confirm_or_refuse
from .progress import TqdmProgress


@app.command("upgrade")
@command
def upgrade_cmd(
    store: str = typer.Argument(..., metavar="STORE", help="The store to upgrade: a SQLite path or sqlite:///path, or "
                                "a PostgreSQL URL (tracking, basic-auth, or both in one database)."),
    auth_db: Optional[str] = typer.Option(None, "--auth-db", metavar="PATH_OR_URL", help="The server's separate "
                                          "basic-auth database (`database_uri` of basic_auth.ini), upgraded in the same run."),
    rehearse: bool = typer.Option(False, "--rehearse", help="Upgrade a private copy and prove it; the store is never "
                                  "touched. Reports the time the migrations took (the outage to plan for)."),
    backup: Optional[str] = typer.Option(None, "--backup", metavar="DEST", help="Where the checked backup taken first "
                                         "goes (a folder or object-storage URI; default: migrator-backups beside a "
                                         "SQLite store, ./migrator-backups for PostgreSQL)."),
    no_backup: bool = typer.Option(False, "--no-backup", help="Upgrade without taking a backup first."),
    force: bool = typer.Option(False, "--force", help="Upgrade although other processes or sessions use the store."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before upgrading (needed without a terminal)."),
    sample: int = typer.Option(20, "--sample", min=0, help="Runs read back through MlflowClient after the upgrade."),
    no_server_check: bool = typer.Option(False, "--no-server-check", help="Do not start `mlflow server` on the result "
                                         "(about 10 s) as the last check."),
    tmpdir: Optional[Path] = TMPDIR_OPT,
    as_json: bool = JSON_OPT,
) -> Outcome:
    """Upgrade a store to the installed MLflow's schema: the plan first, then a rehearsal on a copy
    (--rehearse) or the upgrade itself, all or nothing after a checked backup, proven before it counts."""
    from ..maintenance import Plan, UpgradeRequest, run_upgrade

    req = UpgradeRequest(store, auth_db, rehearse, backup, no_backup, force, sample, not no_server_check)
    req.check()

    def confirm(plan: Plan) -> None:
        render.upgrade_plan(plan, as_json)
        if plan.steps and not rehearse:
            confirm_or_refuse(f"Upgrade {len(plan.stores())} database(s) with these {plan.steps} migrations?",
                              "migrator upgrade changes the store; add --yes to confirm when there is no terminal "
                              "(or try it first with --rehearse)", yes)

    with TqdmProgress() as progress:
        result = run_upgrade(req, progress, confirm)
    render.upgrade_result(result, as_json)
    return result
