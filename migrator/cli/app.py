"""The Typer app, its global options and the option declarations commands share."""

from __future__ import annotations

import warnings
from pathlib import Path

import typer

from ..version import __version__

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")  # platformdirs noise on servers
warnings.filterwarnings("ignore", message=".*starlette.middleware.wsgi.*")  # MLflow's auth app imports it

# click's own error type (Typer bundles its own click): raised from an option's callback, click prints it as the
# one `Error:` line and exits with its exit_code
CLICK_EXCEPTION = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def _redacted_usage_errors() -> None:
    """click echoes an invalid value in its usage error ("Invalid value for '--jobs': 'postgresql://u:pw@...'"):
    every message it prints goes through the one redaction too."""
    from ..stores import redact

    base = CLICK_EXCEPTION
    plain = base.format_message  # type: ignore[attr-defined]
    if getattr(plain, "migrator_redacts", False):
        return

    def format_message(self: typer.BadParameter) -> str:
        return redact(plain(self))

    format_message.migrator_redacts = True  # type: ignore[attr-defined]
    type.__setattr__(base, "format_message", format_message)


_redacted_usage_errors()


def _plain_argument_names() -> None:
    """Usage lines as a person writes them (`SOURCE [TARGET]`), not Typer's `{source} [target]`."""
    from typer.core import TyperArgument

    if not hasattr(TyperArgument, "_usage_display_name"):
        return

    def usage_name(self: TyperArgument) -> str:
        name = self.metavar or (self.name or "").upper()
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]


_plain_argument_names()

app = typer.Typer(
    help="Move, verify and back up MLflow tracking stores (SQLite -> PostgreSQL, losslessly).",
    no_args_is_help=True, pretty_exceptions_show_locals=False, add_completion=False,
    rich_markup_mode=None,  # plain click output: a usage mistake prints one `Error:` line, as every other failure
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"migrator {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Move, verify and back up MLflow tracking stores."""
    from ..files import private_umask

    private_umask()  # every file written (by migrator, pg_dump, SQLite) is 0600 from its first byte
    import os

    # MLflow's artifact repositories draw one bar per download; migrator's own bars count files and bytes
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")


JSON_OPT = typer.Option(False, "--json", help="Print a machine-readable JSON result on stdout.")
REWRITE_OPT = typer.Option(None, "--rewrite-artifacts", metavar="OLD=NEW",
                           help="Rewrite artifact URIs starting with OLD to start with NEW (repeatable; longest prefix wins).")
KEEP_DAILY = typer.Option(0, "--keep-daily", min=0, help="Keep the newest backup of each of the last N days with backups.")
KEEP_WEEKLY = typer.Option(0, "--keep-weekly", min=0, help="Keep the newest backup of each of the last N ISO weeks with backups.")
KEEP_MONTHLY = typer.Option(0, "--keep-monthly", min=0, help="Keep the newest backup of each of the last N months with backups.")


def _use_tmpdir(value: "Path | None") -> "Path | None":
    """A --tmpdir that does not exist or cannot be written is what the command names, not how it is written:
    exit 1 (README, Exit codes), one Error line, before anything else happens."""
    if value is not None:
        from ..errors import MigratorError
        from ..tempdirs import use_tmpdir

        try:
            use_tmpdir(value)
        except MigratorError as e:
            unusable = CLICK_EXCEPTION(f"--tmpdir {e.message}")
            unusable.exit_code = e.exit_code
            raise unusable from None
    return value


TMPDIR_OPT = typer.Option(None, "--tmpdir", callback=_use_tmpdir, help="Folder for temporary files (the SQLite "
                          "snapshot, backup staging); default $TMPDIR or /tmp. The free space is checked first.")
