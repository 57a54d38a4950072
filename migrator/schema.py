"""MLflow schema knowledge of the installed MLflow (revision chains of the tracking and basic-auth stores, which
tables belong to which store) and the kind-neutral shape of a reflected table (`Table`, `Column`).

Nothing here hard-codes MLflow's tables: each kind of store (`migrator.stores`) reflects columns, keys, foreign
keys and sequences from its own catalog; the schema itself is always created by MLflow's own alembic migrations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from .errors import SchemaError

# head revision -> MLflow releases whose head it is (MLFLOW_FACTS.md, re-checked on install)
RELEASE_HEADS: dict[str, str] = {
    "acf3f17fdcc7": "2.9-2.11",
    "4465047574b1": "2.16",
    "0584bdc529eb": "2.18-2.22",
    "6953534de441": "3.0",
    "bda7b8c39065": "3.1",
    "bf29a5ff90ea": "3.5-3.7",
    "1b5f0d9ad7c1": "3.10",
    "dc11669786a5": "3.17",
    "f4a9b2c7d1e6": "3.18",
}

INTERNAL_TABLES = {"alembic_version"}
TRACKING, AUTH = "tracking", "auth"  # the two stores an MLflow server keeps (since 3.6 possibly in one database)
VERSION_TABLE = {TRACKING: "alembic_version", AUTH: "alembic_version_auth"}


# --------------------------------------------------------------------------- revisions
def script(kind: str = TRACKING) -> Any:
    """The alembic script directory of one store's migrations in the installed MLflow."""
    return _auth_script() if kind == AUTH else _script()


@lru_cache(maxsize=1)
def _script():
    from alembic.script import ScriptDirectory
    from mlflow.store.db.utils import _get_alembic_config

    return ScriptDirectory.from_config(_get_alembic_config(db_url=""))


@lru_cache(maxsize=1)
def _auth_script():
    from alembic.script import ScriptDirectory
    from mlflow.server.auth.db.utils import _get_alembic_config

    return ScriptDirectory.from_config(_get_alembic_config(""))


# where MLflow keeps each store's alembic revisions, inside its package (its _get_alembic_config for each kind)
_VERSIONS_DIR = {TRACKING: ("store", "db_migrations", "versions"),
                 AUTH: ("server", "auth", "db", "migrations", "versions")}


@lru_cache(maxsize=2)
def _static_chain(kind: str) -> tuple[str, ...] | None:
    """The revision chain read from the migration files' `revision` and `down_revision` assignments,
    without importing them (importing one imports MLflow: about 200 MB and 1.5 s that a move whose schema
    comes from the cache never needs). None, and alembic reads the scripts instead, unless the files make
    one unbranched chain; tests/test_schema_chain.py checks it against alembic's own walk."""
    import ast
    import importlib.util
    from pathlib import Path

    try:
        spec = importlib.util.find_spec("mlflow")
        roots = list(spec.submodule_search_locations or []) if spec else []
        if len(roots) != 1:
            return None
        folder = Path(roots[0]).joinpath(*_VERSIONS_DIR[kind])
        down: dict[str, str | None] = {}
        for f in folder.glob("*.py"):
            found: dict[str, Any] = {}
            for node in ast.parse(f.read_text(encoding="utf-8")).body:
                if isinstance(node, (ast.Assign, ast.AnnAssign)):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for t in targets:
                        if isinstance(t, ast.Name) and t.id in ("revision", "down_revision") and node.value:
                            found[t.id] = ast.literal_eval(node.value)
            if "revision" not in found:
                continue  # not a revision script
            rev, parent = found["revision"], found.get("down_revision")
            if not isinstance(rev, str) or not (parent is None or isinstance(parent, str)) or rev in down:
                return None  # a merge, a branch point written as a tuple, or a duplicate: alembic knows
            down[rev] = parent
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError, ImportError):
        return None
    children = {p for p in down.values() if p is not None}
    heads = [r for r in down if r not in children]
    if len(heads) != 1 or list(down.values()).count(None) != 1:
        return None
    chain = [heads[0]]
    while down.get(chain[-1]) is not None:
        nxt = down[chain[-1]]
        if nxt not in down or len(chain) > len(down):
            return None
        chain.append(nxt)  # type: ignore[arg-type]
    if len(chain) != len(down):
        return None  # a revision off the chain: a branch
    return tuple(reversed(chain))


def installed_head(kind: str = TRACKING) -> str:
    return revision_chain(kind)[-1]


def installed_mlflow_version() -> str:
    """The installed MLflow's version, from its distribution's metadata (importing MLflow is not needed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mlflow")
    except PackageNotFoundError:  # MLflow from a source tree: only the module knows
        import mlflow

        return mlflow.__version__


@lru_cache(maxsize=2)
def revision_chain(kind: str = TRACKING) -> tuple[str, ...]:
    """Revisions of the installed MLflow, oldest first."""
    static = _static_chain(kind)
    if static is not None:
        return static
    script = _auth_script() if kind == AUTH else _script()
    return tuple(reversed([r.revision for r in script.walk_revisions()]))


def compare_to_installed(rev: str | None, kind: str = TRACKING) -> str:
    """'equal', 'older' or 'newer' (newer = unknown to the installed MLflow)."""
    chain = revision_chain(kind)
    if rev is None:
        return "older"
    if rev not in chain:
        return "newer"
    return "equal" if rev == chain[-1] else "older"


def releases_for(rev: str | None, kind: str = TRACKING) -> str:
    """Human description of the MLflow release(s) a revision belongs to."""
    if kind == AUTH:
        chain = revision_chain(AUTH)
        if rev is None:
            return "MLflow before 3.6 (a basic-auth database without a version table)"
        if rev not in chain:
            return f"unknown to the installed MLflow {installed_mlflow_version()} (made by a newer MLflow)"
        if rev == chain[-1]:
            return f"MLflow {installed_mlflow_version()}"
        return f"an older MLflow (auth revision {chain.index(rev) + 1} of {len(chain)})"
    if rev is None:
        return "unknown (no alembic revision recorded: pre-1.0 or empty store)"
    if rev in RELEASE_HEADS:
        return f"MLflow {RELEASE_HEADS[rev]}"
    chain = revision_chain()
    if rev not in chain:
        return f"unknown to the installed MLflow {installed_mlflow_version()} (made by a newer MLflow)"
    idx = chain.index(rev)
    if rev == chain[-1]:
        return f"MLflow {installed_mlflow_version()}"
    before = [RELEASE_HEADS[r] for r in chain[:idx] if r in RELEASE_HEADS]
    after = [RELEASE_HEADS[r] for r in chain[idx + 1:] if r in RELEASE_HEADS]
    lo = f"after MLflow {before[-1]}" if before else "older than MLflow 2.9"
    hi = f"up to MLflow {after[0]}" if after else f"up to MLflow {installed_mlflow_version()}"
    return f"between releases: {lo}, {hi}"


def describe_revision(rev: str | None, kind: str = TRACKING) -> str:
    """A revision as messages name it: the id, or what having none means for that store."""
    return rev if rev is not None else f"none ({releases_for(None, kind)})"


def require_not_newer(rev: str | None, what: str, kind: str = TRACKING) -> None:
    if compare_to_installed(rev, kind) == "newer":
        raise SchemaError(
            f"{what} has {'auth ' if kind == AUTH else ''}schema revision {rev}, newer than the installed MLflow "
            f"{installed_mlflow_version()} (head {installed_head(kind)}); "
            "upgrade MLflow (pip install -U mlflow) to a release that knows this revision and run again"
        )


# --------------------------------------------------------------------------- which store is which
@lru_cache(maxsize=1)
def auth_table_names() -> frozenset[str]:
    """The tables of MLflow's basic-auth schema at the installed head, as MLflow's own auth migrations make
    them (the models know only the newest four; the permission tables of older releases stay). Runs alembic:
    call it first in the main thread, never beside another migration (alembic's context is global)."""
    import shutil
    import tempfile

    import sqlalchemy as sa
    from mlflow.server.auth.db.utils import migrate

    tmp = tempfile.mkdtemp(prefix="migrator-authschema-")
    engine = sa.create_engine(f"sqlite:///{tmp}/auth.db", poolclass=sa.pool.NullPool)
    try:
        migrate(engine, "head")
        names = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    return frozenset(names - {"alembic_version_auth"})


def kinds_in(names: Iterable[str]) -> list[str]:
    """Which stores a database holds, from its table names: the tracking store (alembic_version and
    experiments), the basic-auth store (alembic_version_auth, or a pre-3.6 `users` table)."""
    names = set(names)
    out = []
    if "alembic_version" in names and "experiments" in names:
        out.append(TRACKING)
    if "alembic_version_auth" in names or ("users" in names and "experiments" not in names) or (
            "users" in names and {"experiment_permissions", "registered_model_permissions"} & names):
        out.append(AUTH)
    return out


def main_revision(names: Iterable[str], revision: Any) -> str | None:
    """The revision a backup manifest records: the tracking store's, or the auth store's in an auth-only
    database; `revision(kind)` reads one."""
    kinds = kinds_in(names)
    return revision(kinds[0]) if kinds else None


def own_tables(tables: dict[str, Any], kind: str) -> dict[str, Any]:
    """The tables of one store in a database that may hold both (version tables left out): the auth
    store's are its models' tables; the tracking store's are all others, so that tables added by future
    MLflow releases are copied without a code change."""
    if kind == TRACKING and AUTH not in kinds_in(tables):
        # no auth store here: every table is the tracking store's (one of the user's own, even if it is
        # called `users`, is then refused by the copy as a table MLflow does not create, never dropped)
        return {n: t for n, t in tables.items() if n != "alembic_version"}
    auth = auth_table_names() | {"alembic_version_auth"}
    if kind == AUTH:
        return {n: t for n, t in tables.items() if n in auth and n != "alembic_version_auth"}
    return {n: t for n, t in tables.items() if n not in auth and n != "alembic_version"}


# --------------------------------------------------------------------------- migrations
# --------------------------------------------------------------------------- reflection
@dataclass
class Column:
    name: str
    kind: str  # text, int, smallint, bigint, float, bool, bytes, date, datetime, json, other
    max_len: int | None = None
    notnull: bool = False


@dataclass
class Table:
    name: str
    columns: list[Column]
    pk: list[str]
    fks: list[tuple[list[str], str, list[str]]] = field(default_factory=list)  # (cols, parent, parent cols)

    def col(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def insert_order(tables: dict[str, Table]) -> list[str]:
    """Parents before children (Kahn's algorithm on the FK graph; self-references ignored)."""
    deps = {t: {p for _c, p, _pc in tb.fks if p != t and p in tables} for t, tb in tables.items()}
    order: list[str] = []
    ready = sorted(t for t, d in deps.items() if not d)
    while ready:
        t = ready.pop(0)
        order.append(t)
        for other in sorted(deps):
            if t in deps[other]:
                deps[other].discard(t)
                if not deps[other] and other not in order and other not in ready:
                    ready.append(other)
        ready.sort()
    order += sorted(t for t in tables if t not in order)  # cycles, if any: constraints are off during load
    return order


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def qlist(names: Iterable[str]) -> str:
    return ", ".join(quote_ident(n) for n in names)


