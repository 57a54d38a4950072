"""Errors the CLI boundary turns into one `Error:` line and an exit code, and the one translator of
environment faults (OS errors, SQLite errors, PostgreSQL driver errors) into such errors.

Exit codes (documented in README.md):
0 ok, 1 operational failure, 2 usage, 3 verification mismatch or partial result, 4 locked by another run,
130 interrupted (Ctrl-C / SIGINT).
"""

from __future__ import annotations

import errno
import re
import sqlite3
from typing import Any, Iterator

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_MISMATCH = 3
EXIT_LOCKED = 4
EXIT_INTERRUPTED = 130


class MigratorError(Exception):
    """A user-facing failure: its message is printed as `Error: <message>`.

    `lines` are printed (indented, on stderr) before the Error line; `payload()` is what `--json` prints."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def lines(self) -> list[str]:
        return []

    def payload(self) -> dict[str, Any]:
        return {"ok": False, "error": self.message}


class UsageError(MigratorError):
    """A mistake in the command line (a bad option value, a missing confirmation)."""

    exit_code = EXIT_USAGE


class StoreError(MigratorError):
    """The store cannot be opened or is not what it should be."""


class SchemaError(MigratorError):
    """Schema revisions that cannot be reconciled (e.g. source newer than installed MLflow)."""


class TargetNotEmpty(MigratorError):
    """The target already holds MLflow data."""


class PreflightFailed(MigratorError):
    """Rows PostgreSQL would reject; `problems` lists every one of them."""

    def __init__(self, message: str, problems: list[Any]) -> None:
        super().__init__(message)
        self.problems = problems

    @property
    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]

    def payload(self) -> dict[str, Any]:
        return {"ok": False, "error": self.message, "problems": [p.as_dict() for p in self.problems]}


class VerificationFailed(MigratorError):
    """Source and target differ; `report` (anything with as_dict()) holds the details."""

    exit_code = EXIT_MISMATCH

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report

    def payload(self) -> dict[str, Any]:
        return {**self.report.as_dict(), "ok": False, "error": self.message}


class PartialResult(MigratorError):
    """The work finished but not all of it succeeded (rows skipped, objects not copied); `result` holds it."""

    exit_code = EXIT_MISMATCH

    def __init__(self, message: str, result: Any, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.result = result
        self._lines = lines or []

    @property
    def lines(self) -> list[str]:
        return self._lines

    def payload(self) -> dict[str, Any]:
        return {**self.result.as_dict(), "ok": False, "error": self.message}


class Locked(MigratorError):
    """Another run holds the lock."""

    exit_code = EXIT_LOCKED


class Interrupted(MigratorError):
    """Ctrl-C (SIGINT); the message says what was and was not written."""

    exit_code = EXIT_INTERRUPTED


def privilege_hint() -> str:
    return ("connect as a role that owns the database (or its MLflow tables), or have the owner GRANT the "
            "privileges (PostgreSQL 15+ also needs GRANT CREATE ON SCHEMA public for a new schema)")


def first_line(exc: BaseException) -> str:
    err = getattr(exc, "orig", None) or exc
    lines = [line for line in str(err).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


_LOST = ("server closed the connection", "terminating connection", "connection already closed",
         "connection reset", "ssl syscall error", "could not receive data", "connection to server was lost")


def _pg_error(err: BaseException, where: str | None, connecting: bool = False) -> MigratorError | None:
    """`connecting`: the error came from opening the connection (any message is then a connect failure)."""
    code = getattr(err, "pgcode", None) or getattr(getattr(err, "diag", None), "sqlstate", None)
    detail = first_line(err)
    at = f" at {where}" if where else ""
    low = detail.lower()
    if code == "42501":
        return MigratorError(f"PostgreSQL{at} refused: {detail}; {privilege_hint()}")
    if code and code.startswith("53"):
        return MigratorError(f"PostgreSQL{at} ran out of resources: {detail}; free disk space or memory on the "
                             "server and run again (nothing was committed by the failed statement)")
    module = type(err).__module__
    is_driver = module.startswith(("psycopg2", "psycopg"))
    if (code and code.startswith(("08", "57P"))) or any(m in low for m in _LOST):
        return MigratorError(f"lost the connection to PostgreSQL{at}: {detail}; check the server and run again")
    if connecting or (is_driver and code is None and type(err).__name__ in ("OperationalError", "InterfaceError")):
        detail = re.sub(r"^(connection to server .*? failed:\s*)", "", detail)
        low = detail.lower()
        if "password authentication failed" in low or "no password supplied" in low:
            hint = "check the user name and password in the URL"
        elif "does not exist" in low and "database" in low:
            hint = "create the database first (createdb) or fix its name in the URL"
        else:
            hint = "check that the server is running and the host and port in the URL are right"
        return MigratorError(f"cannot connect to PostgreSQL{at}: {detail}; {hint}")
    return None


def _sqlite_error(err: sqlite3.Error, where: str | None) -> MigratorError | None:
    text = str(err)
    low = text.lower()
    at = f" {where}" if where else ""
    if "malformed" in low or "not a database" in low or "file is encrypted" in low:
        return StoreError(f"the SQLite file{at} is damaged ({text}); restore it from a backup, or try "
                          "`sqlite3 FILE .recover` on a copy")
    if "locked" in low or "busy" in low:
        return Locked(f"the SQLite file{at} stays locked by another process ({text}); a running mlflow server "
                      "holds it while it writes: run again when that write is done")
    if "disk is full" in low or "disk i/o" in low:
        return MigratorError(f"cannot write{at}: {text}; free disk space (or point TMPDIR elsewhere) and run again")
    if "readonly" in low or "read-only" in low or "unable to open" in low:
        return MigratorError(f"cannot open{at}: {text}; check the path and its permissions")
    return None


_OS_HINTS = {
    errno.ENOSPC: "free space there (or choose another folder) and run again",
    errno.EDQUOT: "free space there (or choose another folder) and run again",
    errno.EACCES: "check the permissions of the path (or choose another one)",
    errno.EPERM: "check the permissions and attributes of the path (or choose another one)",
    errno.EROFS: "the file system is read-only: choose a writable folder",
    errno.ENOENT: "check the path (its folder must exist)",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
    errno.EISDIR: "the path is a folder: give a file path",
    errno.EEXIST: "the path already exists: choose another one or remove it",
    errno.ENAMETOOLONG: "use a shorter path",
    errno.EIO: "the disk reported an I/O error: check it",
}


def _os_error(err: OSError) -> MigratorError | None:
    hint = _OS_HINTS.get(err.errno or -1)
    if hint is None:
        return None
    name = err.filename if err.filename is not None else ""
    what = f" {name}" if name else ""
    return MigratorError(f"cannot write or read{what}: {err.strerror or err}; {hint}")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what it was raised from (MLflow and alembic wrap driver errors), each once."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        cur = cur.__cause__ or cur.__context__


def translate(exc: BaseException, where: str | None = None) -> MigratorError | None:
    """An environment fault anywhere in the exception chain as one user-facing error; None for anything
    else (a bug: the traceback stays)."""
    for cur in _chain(exc):
        if isinstance(cur, MigratorError):
            return cur
        err = getattr(cur, "orig", None) or cur
        if isinstance(err, sqlite3.Error):
            mapped = _sqlite_error(err, where)
        elif isinstance(err, OSError) and not type(err).__module__.startswith(("psycopg", "requests", "urllib3")):
            mapped = _os_error(err)
        else:
            mapped = _pg_error(err, where)
        if mapped is not None:
            return mapped
    return None


def from_database_error(exc: BaseException) -> MigratorError | None:
    """PostgreSQL errors of the environment only (missing privileges, lost connection, out of resources)."""
    for cur in _chain(exc):
        mapped = _pg_error(getattr(cur, "orig", None) or cur, None)
        if mapped is not None:
            return mapped
    return None
