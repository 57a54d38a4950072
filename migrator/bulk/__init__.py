"""The SQL path: a SQLite store copied into PostgreSQL with COPY, ids and timestamps kept, in one transaction.

`pipeline` (the steps, start reading here) -> `target` (lock, MLflow's schema) -> `plan` + `preflight`
(rows PostgreSQL would refuse) -> `load` (COPY, index rebuild, sequences) with `rows` (COPY text) and
`spool` (worker processes that format big tables ahead).
"""

from typing import Any

__all__ = ["CopyOptions", "CopyResult", "ServerCopyResult", "TableResult", "check_auth_stores", "copy_server",
           "sqlite_to_pg"]

_WHERE = {"sqlite_to_pg": "pipeline", "CopyOptions": "result", "CopyResult": "result", "TableResult": "result",
          "ServerCopyResult": "server", "copy_server": "server", "check_auth_stores": "server"}


def __getattr__(name: str) -> Any:
    """Loaded on first use: the spool's worker processes import `bulk.spool` alone (no SQLAlchemy, psycopg2
    or MLflow in them: 46 -> 18 MB at start each)."""
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(name)
