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
