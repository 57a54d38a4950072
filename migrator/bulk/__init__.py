"""The SQLite -> PostgreSQL specialist: a SQLite store copied into PostgreSQL with COPY, ids and timestamps kept,
all-or-nothing. It takes a `stores.SqliteStore` source and a `stores.PostgresStore` target and refuses other
kinds (`migrator copy` moves any store to any other through MlflowClient).

`request` (`sqlite-to-pg` as one checked request, start reading here) -> `move` (artifacts first with
--move-artifacts) -> `server` (tracking and basic-auth stores) -> `pipeline` (the steps) -> `target` (lock,
MLflow's schema, staging) -> `plan` + `preflight` (rows PostgreSQL would refuse) -> `load` (COPY, index rebuild,
sequences) with `rows` (COPY text of the small tables) and `direct` (the big tables: a worker process each,
binary COPY through psycopg 3, the preflight's checks riding on the stream; SQLAlchemy and psycopg2 load on
first use, so those workers start small). `online`: the online move (phase one keeps the
snapshot as a baseline; the cutover applies what changed since, found from the pages of the file).
"""

from .move import MoveResult, move_server
from .online import CutoverResult
from .pipeline import sqlite_to_pg
from .request import Moved, MoveRequest, resolve_target, run_move
from .result import CopyOptions, CopyResult, TableResult
from .server import ServerCopyResult, check_auth_stores, copy_server

__all__ = ["CopyOptions", "CopyResult", "CutoverResult", "MoveRequest", "MoveResult", "Moved", "ServerCopyResult", "TableResult",
           "check_auth_stores", "copy_server", "move_server", "resolve_target", "run_move", "sqlite_to_pg"]
