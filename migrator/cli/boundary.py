"""The one error boundary: the only place that prints `Error:` and decides the process's exit code.

A command returns a result (or None); a result whose `exit_code` is not 0 ends the command with its
`failure` line. A `MigratorError` (or an environment fault that `errors.translate` recognises) ends it
with its message and code; with `--json`, stdout gets the error's payload. Anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Callable

import typer

from ..errors import EXIT_INTERRUPTED, MigratorError, translate
from ..outcome import Outcome
from ..stores import redact

MAX_FAILURE_LINES = 50  # listed on stderr before the Error: line; --json carries them all


def emit_json(obj: object) -> None:
    typer.echo(redact(json.dumps(obj, indent=2, default=str, ensure_ascii=False)))


def _fail(e: MigratorError, as_json: bool) -> None:
    for line in e.lines:
        typer.echo(f"  {redact(line)}", err=True)
    if as_json:
        emit_json(e.payload())
    typer.echo(f"Error: {redact(e.message)}", err=True)
    raise typer.Exit(e.exit_code)


def command(fn: Callable[..., object]) -> Callable[..., None]:
    """Wrap a Typer command: the result's exit code, or the error's Error line and code."""

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> None:
        as_json = bool(kwargs.get("as_json"))
        try:
            outcome = fn(*args, **kwargs)
        except MigratorError as e:
            _fail(e, as_json)
        except KeyboardInterrupt:
            typer.echo("Error: interrupted; nothing was committed", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as e:
            mapped = translate(e)
            if mapped is None:
                raise
            _fail(mapped, as_json)
        if isinstance(outcome, Outcome) and outcome.exit_code:
            lines = outcome.failure_lines
            for line in lines[:MAX_FAILURE_LINES]:
                typer.echo(f"  {redact(line)}", err=True)
            if len(lines) > MAX_FAILURE_LINES:
                typer.echo(f"  ... and {len(lines) - MAX_FAILURE_LINES:,} more (--json lists every one)", err=True)
            typer.echo(f"Error: {redact(str(outcome.failure))}", err=True)
            raise typer.Exit(outcome.exit_code)

    return wrapper


def confirm_or_refuse(question: str, refusal: str, yes: bool) -> None:
    """Ask on a terminal; without one, `--yes` is needed (a usage error otherwise)."""
    from ..errors import UsageError

    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(refusal)
    typer.confirm(question, abort=True)


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

    from .app import app

    try:
        app(prog_name="migrator")
        code: str | int | None = 0
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
