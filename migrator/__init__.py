"""migrator: move, verify and back up MLflow tracking stores."""

from .artifacts import Rule, parse_rules, rewrite_uri  # noqa: E402
from .errors import MigratorError  # noqa: E402
from .stores import parse_store, redact  # noqa: E402
from .version import __version__  # noqa: E402

__all__ = ["__version__", "MigratorError", "Rule", "parse_rules", "parse_store", "redact", "rewrite_uri",
           "inspect_store", "sqlite_to_pg", "verify"]


def __getattr__(name: str):  # heavy modules (mlflow) load on first use
    if name == "inspect_store":
        from .inspection import inspect_store
        return inspect_store
    if name == "sqlite_to_pg":
        from .bulk import sqlite_to_pg
        return sqlite_to_pg
    if name == "verify":
        from .verification import verify
        return verify
    raise AttributeError(name)
