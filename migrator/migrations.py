"""MLflow's own migrations, step by step: what each one is (MLflow's description, the release that first
shipped it, whether its code rewrites or deletes rows and which tables it names) and one runner that applies a
chain inside the caller's connection and transaction, timing each step and naming the one that fails.

The runner is what `mlflow db upgrade` does (`command.upgrade(config, "heads")` with MLflow's env.py:
`render_as_batch=True`, MLflow's models as target metadata; for the basic-auth chain MLflow's own stamping of a
pre-3.6 database first), only inside a connection the caller owns, so the caller decides when it commits.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Callable, Iterable

from . import schema
from .errors import MigratorError

_REWRITES = re.compile(r"\.update\(|\bUPDATE\s|\.insert\(|INSERT\s+INTO|bulk_insert|Session\(|session\.(add|merge)")
_DELETES = re.compile(r"\.delete\(|DELETE\s+FROM")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LITERAL = re.compile(r"""["']([A-Za-z_][A-Za-z0-9_]*)["']""")


@dataclass(frozen=True)
class Step:
    """One migration of one chain."""

    kind: str  # schema.TRACKING or schema.AUTH
    revision: str
    description: str
    release: str  # the first MLflow release that shipped it
    rewrites: bool  # its code updates or inserts rows (beyond DDL)
    deletes: bool  # its code deletes rows
    tables: tuple[str, ...]  # the tables its code names

    @property
    def changes_data(self) -> bool:
        return self.rewrites or self.deletes

    def as_dict(self) -> dict[str, Any]:
        return {"chain": self.kind, "revision": self.revision, "description": self.description,
                "first_release": self.release, "rewrites_data": self.rewrites, "deletes_data": self.deletes,
                "tables": list(self.tables)}


class MigrationFailed(MigratorError):
    """One of MLflow's migrations raised: which one, and the database's or the migration's own words."""

    def __init__(self, step: Step | None, reason: str) -> None:
        self.step, self.reason = step, reason
        where = (f"MLflow's migration {step.revision} ({step.description}, {step.kind} chain)" if step
                 else "MLflow's migrations")
        super().__init__(f"{where} failed: {reason}")


@lru_cache(maxsize=1)
def _release_map() -> dict[str, Any]:
    """sample_data/make_release_map.py's table: revision -> the first release whose wheel holds it."""
    text = resources.files("migrator").joinpath("data/revision_releases.json").read_text()
    return json.loads(text)


def release_of(rev: str, kind: str = schema.TRACKING) -> str:
    """The first release that shipped `rev`: a version, or "MLflow X or later" for a revision newer than
    the table (sample_data/make_release_map.py)."""
    m = _release_map()
    return m.get(kind, {}).get(rev) or f"a release after MLflow {m.get('newest_release', '?')}"


def _source(kind: str, rev: str) -> str:
    module = schema.script(kind).get_revision(rev).module
    try:
        return inspect.getsource(module)
    except (OSError, TypeError):
        return ""


def upgrade_code(src: str) -> str:
    """The code `upgrade()` runs: its own body, every function of the module it reaches by name, and the
    module's top-level statements (constants such as table lists); never `downgrade()` and what only it uses."""
    try:
        tree = ast.parse(src)
    except SyntaxError:
        return src
    funcs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    seen, todo = set(), ["upgrade"]
    while todo:
        name = todo.pop()
        if name in seen or name not in funcs:
            continue
        seen.add(name)
        todo.extend(n.id for n in ast.walk(funcs[name]) if isinstance(n, ast.Name) and n.id in funcs)
    parts = [ast.get_source_segment(src, funcs[n]) or "" for n in sorted(seen)]
    parts += [ast.get_source_segment(src, n) or "" for n in tree.body if not isinstance(
        n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Import, ast.ImportFrom, ast.Expr))]
    return "\n".join(parts)


def named_tables(code: str, known: frozenset[str]) -> set[str]:
    """Known tables named in the string literals of `code` (op.add_column("runs", ...), sa.Table("x", ...),
    and SQL text such as "INSERT INTO role_permissions ... FROM experiment_permissions")."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {n for n in _LITERAL.findall(code) if n in known}
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words.update(_WORD.findall(node.value))
    return words & known


@lru_cache(maxsize=256)
def _step(kind: str, rev: str, known: frozenset[str]) -> Step:
    script = schema.script(kind).get_revision(rev)
    body = upgrade_code(_source(kind, rev))
    names = named_tables(body, known)
    doc = (script.doc or "").strip().splitlines()[0] if script.doc else ""
    return Step(kind, rev, doc, release_of(rev, kind), bool(_REWRITES.search(body)), bool(_DELETES.search(body)),
                tuple(sorted(names)))


def pending(kind: str, current: str | None, known_tables: Iterable[str]) -> list[Step]:
    """The steps from `current` to the installed head, oldest first (`current` None: a basic-auth database of
    MLflow before 3.6, which MLflow stamps at the chain's first revision before upgrading)."""
    chain = schema.revision_chain(kind)
    if current is None and kind == schema.AUTH:
        from mlflow.server.auth.db.utils import INITIAL_REVISION

        current = INITIAL_REVISION
    start = chain.index(current) + 1 if current in chain else 0
    known = frozenset(known_tables)
    return [_step(kind, r, known) for r in chain[start:]]


def reason(e: BaseException) -> str:
    """The database's (or the migration's) own words: the first line, and PostgreSQL's DETAIL line."""
    orig = getattr(e, "orig", None) or e
    lines = [ln.strip() for ln in str(orig).strip().splitlines() if ln.strip()]
    if not lines:
        return type(e).__name__
    detail = [ln for ln in lines[1:] if ln.startswith(("DETAIL", "CONTEXT"))][:1]
    return "; ".join([f"{type(orig).__name__}: {lines[0]}", *detail])


# alembic's `op` and `context` are module globals: two chains at once in two threads (the target's schema
# while a PostgreSQL source's snapshot is made) would run each other's steps. Every run holds this.
ALEMBIC = threading.RLock()


def run(conn: Any, kind: str, on_step: Callable[[str, float], None] | None = None) -> None:
    """Bring one chain to the installed head on `conn` (a SQLAlchemy connection) inside the caller's open
    transaction, as MLflow does but without its env.py's own connection and commit: an empty tracking
    database gets MLflow's initial tables first (`_initialize_tables`); a basic-auth database of MLflow before
    3.6 (its tables, no version table) is stamped at the chain's first revision (`migrate`). `on_step` gets
    each applied revision and its seconds. Whatever MLflow's migration code or the database raises passes
    through; nothing is committed here."""
    from alembic.runtime.environment import EnvironmentContext
    from alembic.runtime.migration import MigrationContext

    script = schema.script(kind)
    names = set(schema_names(conn))
    if kind == schema.AUTH:
        from mlflow.server.auth.db.models import Base as AuthBase
        from mlflow.server.auth.db.utils import INITIAL_REVISION
        from mlflow.server.auth.db.utils import _get_alembic_config as auth_config

        cfg, version_table = auth_config(""), "alembic_version_auth"
        options: dict[str, Any] = {"target_metadata": AuthBase.metadata}  # MLflow's auth env.py
        if "users" in names and version_table not in names:
            MigrationContext.configure(conn, opts={"version_table": version_table}).stamp(script, INITIAL_REVISION)
    else:
        from mlflow.store.db.base_sql_model import Base
        from mlflow.store.db.utils import _get_alembic_config
        from mlflow.store.tracking.dbmodels.initial_models import Base as InitialBase

        cfg, version_table = _get_alembic_config(db_url=""), "alembic_version"
        options = {"target_metadata": Base.metadata, "render_as_batch": True}  # MLflow's env.py
        if version_table not in names:
            InitialBase.metadata.create_all(conn)
    clock = [time.perf_counter()]

    def applied(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
        now = time.perf_counter()
        if on_step is not None:
            on_step(step.up_revision_id, now - clock[0])
        clock[0] = now

    def upgrade(rev: Any, context: Any) -> Any:
        return script._upgrade_revs("heads", rev)

    with ALEMBIC, EnvironmentContext(cfg, script, fn=upgrade, destination_rev="heads") as env:
        env.configure(connection=conn, version_table=version_table, on_version_apply=applied, **options)
        with env.begin_transaction():
            env.run_migrations()


def schema_names(conn: Any) -> list[str]:
    import sqlalchemy as sa

    return sa.inspect(conn).get_table_names()
