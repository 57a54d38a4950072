"""The parallel load's all-or-nothing: a private staging schema, moved into the target in one transaction.

MLflow's migrations create the schema in `migrator_stage_<hash of the target schema>` (the connection's
search_path is that schema, so every name, definition, constraint and sequence is the one they give);
several connections COPY and build indexes there, each committing its own work, and the verification
reads it. One short transaction on the run's main connection (which holds the target's lock from start to
end) then drops what `--replace` or a fresh MLflow schema leaves in the target schema, moves every table
(with its indexes, constraints and owned sequences), sequence, view, type and function of the stage into the
target schema (`ALTER ... SET SCHEMA`: catalog updates, no row moves) and drops the then empty stage.

Until that commit the target schema is exactly as it was; a kill at any moment leaves it so, and the next
run (holding the same lock) drops the stage a killed run left behind.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

from ..schema import quote_ident as q
from ..stores import PostgresStore, pg_db

if TYPE_CHECKING:  # SQLAlchemy and psycopg2 load on first use: copy workers (direct.py) import this package too
    import sqlalchemy as sa

STAGE_PREFIX = "migrator_stage_"
MAINTENANCE_MB = 256  # maintenance_work_mem of each index build


def stage_name(target_schema: str) -> str:
    """One stage per target schema (the run lock is per schema too): a rerun finds its predecessor's."""
    return f"{STAGE_PREFIX}{zlib.crc32(target_schema.encode()) & 0xFFFFFFFF:08x}"


class Stage:
    """The staging schema of one run; `conn` is the run's main connection to the target (lock holder)."""

    def __init__(self, store: PostgresStore, conn: sa.Connection) -> None:
        self.store = store
        self.target_schema = str(conn.exec_driver_sql("SELECT current_schema()").scalar())
        self.name = stage_name(self.target_schema)
        self.engine: sa.Engine | None = None
        self.checks_client = bool(int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) >= 140000)

    def reset(self, conn: sa.Connection) -> bool:
        """Drop a killed run's stage and create an empty one (committed); True if one was left behind."""
        left = bool(conn.exec_driver_sql("SELECT 1 FROM pg_namespace WHERE nspname = %(n)s", {"n": self.name}).scalar())
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {q(self.name)} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {q(self.name)}")
        conn.commit()
        self.engine = pg_db.engine(self.store.url, self.name)
        return left

    def connect(self, autocommit: bool = True) -> sa.Connection:
        assert self.engine is not None
        conn = self.engine.connect()
        if autocommit:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if self.checks_client:
            conn.exec_driver_sql("SET client_connection_check_interval = '1s'")  # stop if this process dies
        conn.exec_driver_sql(f"SET maintenance_work_mem = '{MAINTENANCE_MB}MB'")  # each index build's sort
        if conn.in_transaction():
            conn.commit()
        return conn

    def switch(self, conn: sa.Connection, replacing: bool = False) -> list[str]:
        """Inside the caller's open transaction on the main connection: move every object of the stage into
        the target schema and drop the stage (RESTRICT: an object left behind fails the move instead of
        being lost). `replacing`: the target's MLflow tables were just dropped; functions and types of the
        same names (MLflow's trigger functions) go with them. Returns the tables moved."""
        stage, dest = q(self.name), q(self.target_schema)
        conn.exec_driver_sql("SET LOCAL lock_timeout = '60s'")
        # owned sequences, indexes and constraints go with their table; everything else by its own kind
        objects = conn.exec_driver_sql("""
            SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                  WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, c.relname
            FROM pg_class c
            WHERE c.relnamespace = %(n)s::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
              AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                       AND d.objid = c.oid AND d.deptype IN ('a', 'i') AND d.refclassid = 'pg_class'::regclass))
            ORDER BY c.relkind = 'r' DESC, c.relname""", {"n": self.name}).all()
        types = conn.exec_driver_sql("""
            SELECT t.typname FROM pg_type t
            WHERE t.typnamespace = %(n)s::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm')
            ORDER BY 1""", {"n": self.name}).scalars().all()
        funcs = conn.exec_driver_sql("""
            SELECT p.oid::regprocedure::text, p.proname, pg_get_function_identity_arguments(p.oid)
            FROM pg_proc p WHERE p.pronamespace = %(n)s::regnamespace ORDER BY 1""", {"n": self.name}).all()
        for fn, fname, args in funcs:  # regprocedure text is already qualified and quoted as needed
            if replacing:
                conn.exec_driver_sql(f"DROP ROUTINE IF EXISTS {dest}.{q(fname)}({args}) CASCADE")
            conn.exec_driver_sql(f"ALTER ROUTINE {fn} SET SCHEMA {dest}")
        for typ in types:
            if replacing:
                conn.exec_driver_sql(f"DROP TYPE IF EXISTS {dest}.{q(typ)} CASCADE")
            conn.exec_driver_sql(f"ALTER TYPE {stage}.{q(typ)} SET SCHEMA {dest}")
        for kind, name in objects:
            conn.exec_driver_sql(f"ALTER {kind} {stage}.{q(name)} SET SCHEMA {dest}")
        conn.exec_driver_sql(f"DROP SCHEMA {stage} RESTRICT")
        return [name for kind, name in objects if kind == "TABLE"]

    def drop(self, conn: sa.Connection) -> None:
        """Best effort after a failure: the stage goes (a later run would drop it anyway)."""
        import sqlalchemy as sa

        try:
            if conn.in_transaction():
                conn.rollback()
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {q(self.name)} CASCADE")
            conn.commit()
        except sa.exc.DBAPIError:
            pass

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
