"""The SQL path: a SQLite store copied into PostgreSQL with COPY, ids and timestamps kept, in one transaction.

`pipeline` (the steps, start reading here) -> `target` (lock, MLflow's schema) -> `plan` + `preflight`
(rows PostgreSQL would refuse) -> `load` (COPY, index rebuild, sequences) with `rows` (COPY text) and
`spool` (worker processes that format big tables ahead).
"""

from .pipeline import sqlite_to_pg
from .result import CopyOptions, CopyResult, TableResult
from .server import ServerCopyResult, copy_server

__all__ = ["CopyOptions", "CopyResult", "ServerCopyResult", "TableResult", "copy_server", "sqlite_to_pg"]
