"""Errors the CLI turns into one `Error:` line and an exit code.

Exit codes (documented in README.md):
0 ok, 1 operational failure, 2 usage (Typer), 3 verification mismatch or partial result,
4 locked by another run.
"""

from __future__ import annotations

from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_MISMATCH = 3
EXIT_LOCKED = 4


class MigratorError(Exception):
    """A user-facing failure: its message is printed as `Error: <message>`."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


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


class VerificationFailed(MigratorError):
    """Source and target differ; `report` holds the details."""

    exit_code = EXIT_MISMATCH

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report


class Locked(MigratorError):
    """Another run holds the lock."""

    exit_code = EXIT_LOCKED


def privilege_hint() -> str:
    return ("connect as a role that owns the database (or its MLflow tables), or have the owner GRANT the "
            "privileges (PostgreSQL 15+ also needs GRANT CREATE ON SCHEMA public for a new schema)")


def from_database_error(exc: BaseException) -> MigratorError | None:
    """A PostgreSQL error that is the environment's, not a bug (missing privileges, lost connection,
    server out of disk or memory), anywhere in the exception chain (MLflow and alembic wrap them), as one
    user-facing error; None for anything else."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        err = getattr(cur, "orig", None) or cur
        code = getattr(err, "pgcode", None)
        lines = [line for line in str(err).strip().splitlines() if line.strip()]
        detail = lines[0] if lines else type(err).__name__
        if code == "42501":
            return MigratorError(f"PostgreSQL refused: {detail}; {privilege_hint()}")
        if code and code.startswith("53"):
            return MigratorError(f"PostgreSQL ran out of resources: {detail}; free disk space or memory on the "
                                 "server and run again (nothing was committed by the failed statement)")
        if (code and code.startswith(("08", "57P"))) or (
                code is None and type(err).__name__ in ("OperationalError", "InterfaceError")
                and type(err).__module__.startswith("psycopg2")):
            return MigratorError(f"lost the connection to PostgreSQL: {detail}; check the server and run again")
        cur = cur.__cause__ or cur.__context__
    return None
