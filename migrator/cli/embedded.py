"""`migrator embedded start|stop|status [DIR]`: the embedded PostgreSQL's lifecycle."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, app
from .boundary import command, emit_json

embedded_app = typer.Typer(help="Start, stop or show the embedded PostgreSQL (default folder ./.migrator/pg).",
                           no_args_is_help=True, rich_markup_mode=None)
app.add_typer(embedded_app, name="embedded")
DIR_ARG = typer.Argument(Path(".migrator") / "pg", help="Folder of the embedded server (default ./.migrator/pg).")


@embedded_app.command("start")
@command
def start_cmd(folder: Path = DIR_ARG, as_json: bool = JSON_OPT) -> None:
    """Start the embedded PostgreSQL (or find it running); print its URL and the `mlflow server` line."""
    from ..embedded import DATABASE, describe_database, mlflow_server_line, start_embedded

    store = start_embedded(folder)
    info = describe_database(store)
    line = mlflow_server_line(store.url, bool(info.get("uses_mlflow_artifacts")))
    if as_json:
        emit_json({"ok": True, "url": store.url, "database": DATABASE, "mlflow_server": line, "store": info})
        return
    typer.echo(f"embedded PostgreSQL running in {folder.resolve()}")
    typer.echo(f"url:                 {store.url}")
    typer.echo(f"start MLflow on it:  {line}")


@embedded_app.command("status")
@command
def status_cmd(folder: Path = DIR_ARG, as_json: bool = JSON_OPT) -> None:
    """Say whether the embedded PostgreSQL runs and which MLflow stores it holds (starts nothing)."""
    from ..embedded import status_embedded

    st = status_embedded(folder)
    if as_json:
        emit_json(st.as_dict())
        return
    if not st.running:
        typer.echo(f"embedded PostgreSQL in {st.folder}: stopped (start it with `migrator embedded start {folder}`)")
        return
    typer.echo(f"embedded PostgreSQL in {st.folder}: running (pid {st.pid}) at {st.url}")
    for db, info in st.stores.items():
        what = (f"MLflow tracking store, revision {info['tracking_revision']}, {info['experiments']} experiments, "
                f"{info['runs']} runs" if info.get("tracking_revision") else f"{info['tables']} tables, no MLflow store")
        typer.echo(f"  {db}: {what}")


@embedded_app.command("stop")
@command
def stop_cmd(folder: Path = DIR_ARG, as_json: bool = JSON_OPT) -> None:
    """Stop the embedded PostgreSQL."""
    from ..embedded import stop_embedded

    stopped = stop_embedded(folder)
    if as_json:
        emit_json({"ok": True, "stopped": stopped})
        return
    typer.echo(f"stopped the embedded PostgreSQL in {folder.resolve()}" if stopped
               else f"the embedded PostgreSQL in {folder.resolve()} was not running")
