"""`migrator embedded start|stop|status [DIR]`: the embedded PostgreSQL's lifecycle."""

from __future__ import annotations

from pathlib import Path

import typer

from . import render
from .app import JSON_OPT, app
from .boundary import command

embedded_app = typer.Typer(help="Start, stop or show the embedded PostgreSQL (default folder ./.migrator/pg).",
                           no_args_is_help=True, rich_markup_mode=None)
app.add_typer(embedded_app, name="embedded")
DIR_ARG = typer.Argument(Path(".migrator") / "pg", metavar="DIR", help="Folder of the embedded server (default ./.migrator/pg).")


@embedded_app.command("start")
@command
def start_cmd(folder: Path = DIR_ARG, as_json: bool = JSON_OPT) -> None:
    """Start the embedded PostgreSQL (or find it running); print its URL and the `mlflow server` line."""
    from ..embedded import DATABASE, describe_database, mlflow_server_line, start_embedded

    store = start_embedded(folder)
    info = describe_database(store)
    line = mlflow_server_line(store.url, bool(info.get("uses_mlflow_artifacts")))
    render.embedded_started(str(folder.resolve()), store, info, line, DATABASE, as_json)


@embedded_app.command("status")
@command
def status_cmd(folder: Path = DIR_ARG, as_json: bool = JSON_OPT) -> None:
    """Say whether the embedded PostgreSQL runs and which MLflow stores it holds (starts nothing)."""
    from ..embedded import status_embedded

    render.embedded_status(status_embedded(folder), str(folder), as_json)


@embedded_app.command("stop")
@command
def stop_cmd(folder: Path = DIR_ARG, as_json: bool = JSON_OPT) -> None:
    """Stop the embedded PostgreSQL."""
    from ..embedded import stop_embedded

    render.embedded_stopped(str(folder.resolve()), stop_embedded(folder), as_json)
