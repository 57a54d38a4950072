"""`migrator upgrade`: an MLflow schema upgrade (tracking and basic-auth chains) rehearsed on a copy, or run for
real all or nothing after a checked backup, and proven before it counts.

The plan comes first: each chain's revision, the installed head, every migration that will run (MLflow's own
description, the release that first shipped it, whether it rewrites or deletes rows, and the rows of the tables
it names). Then, inside one `UpgradeSession` per database (a copy that replaces a SQLite file in one rename; one
transaction on PostgreSQL), MLflow's own migrations run and the proof is taken before anything counts:

- the database's own checks (SQLite integrity_check and foreign_key_check; PostgreSQL: constraints validated);
- every chain at the installed head;
- every table equal, row for row, on the columns it had before, unless a migration that rewrites data names
  it; tables a data migration rewrites keep their row counts unless it deletes, and the promises of the
  data-moving migrations hold (`promises`: every moved value in its new place, exactly the old rows gone);
- every index MLflow's models declare present (MLflow #14465);
then, on the result: MlflowClient reads a sample of runs, experiments and registered models as they were, the
basic-auth store's users as they were, and an `mlflow server` of the installed MLflow serves the result.
"""

from __future__ import annotations

import json
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .. import migrations, schema
from ..checks import Check
from ..errors import EXIT_FAILURE, MigratorError, SchemaError, UsageError
from ..files import write_private
from ..migrations import MigrationFailed, Step
from ..outcome import NULL_PROGRESS, Outcome, Progress
from ..stores import Store, UpgradeSession, parse_store
from ..tempdirs import scratch
from . import promises
from .proof import client_view, client_view_before, server_starts


@dataclass
class UpgradeRequest:
    store: str
    auth_db: str | None = None
    rehearse: bool = False
    backup: str | None = None
    no_backup: bool = False
    force: bool = False
    sample: int = 20
    server_check: bool = True

    def check(self) -> None:
        if self.backup and self.no_backup:
            raise UsageError("--backup and --no-backup exclude each other: choose one")
        if self.rehearse and (self.backup or self.no_backup or self.force):
            raise UsageError("--rehearse works on a private copy and writes nothing: it takes no --backup, "
                             "--no-backup or --force")


@dataclass
class ChainPlan:
    """One chain of one database: where it is, where it goes, and the steps between."""

    store: Store
    kind: str
    current: str | None
    head: str
    steps: list[Step]
    rows: dict[str, int]  # rows now in every table a data-changing step names
    deletes: dict[str, dict[str, int]] = field(default_factory=dict)  # revision -> {table: rows it deletes}

    def as_dict(self) -> dict[str, Any]:
        return {"store": self.store.redacted, "chain": self.kind,
                "current": schema.describe_revision(self.current, self.kind), "head": self.head,
                "migrations": [{**s.as_dict(), "rows_in_tables": {t: self.rows.get(t, 0) for t in s.tables}
                                if s.changes_data else {}, "rows_it_deletes": self.deletes.get(s.revision)}
                               for s in self.steps]}


@dataclass
class Plan:
    mlflow_version: str
    chains: list[ChainPlan]

    @property
    def steps(self) -> int:
        return sum(len(c.steps) for c in self.chains)

    def stores(self) -> list[Store]:
        out: list[Store] = []
        for c in self.chains:
            if c.steps and c.store not in out:
                out.append(c.store)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"mlflow_version": self.mlflow_version, "migrations": self.steps,
                "chains": [c.as_dict() for c in self.chains]}


@dataclass
class UpgradeResult(Outcome):
    plan: Plan
    rehearsal: bool
    upgraded: bool = False
    seconds: float = 0.0  # the migrations themselves: the outage to plan for
    total_seconds: float = 0.0
    step_seconds: list[tuple[str, float]] = field(default_factory=list)
    disk_bytes: int = 0
    checks: list[Check] = field(default_factory=list)
    backup: str | None = None
    backup_seconds: float = 0.0  # the backup itself
    drill_seconds: float = 0.0  # its restore drill
    error: str | None = None
    failed_migration: Step | None = None

    severity = EXIT_FAILURE

    @property
    def failure(self) -> str | None:
        if self.error:
            return self.error
        bad = [c for c in self.checks if not c.ok]
        if bad:
            return f"{len(bad)} check(s) of the upgraded store failed: {', '.join(c.name for c in bad)}"
        return None

    @property
    def failure_lines(self) -> list[str]:
        return [f"{c.name}: {c.detail}" for c in self.checks if not c.ok]

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "rehearsal": self.rehearsal, "upgraded": self.upgraded, "plan": self.plan.as_dict(),
                "upgrade_seconds": round(self.seconds, 3), "total_seconds": round(self.total_seconds, 3),
                "step_seconds": [{"revision": r, "seconds": round(s, 3)} for r, s in self.step_seconds],
                "disk_bytes": self.disk_bytes, "backup": self.backup, "backup_seconds": round(self.backup_seconds, 3),
                "drill_seconds": round(self.drill_seconds, 3), "checks": [c.as_dict() for c in self.checks],
                "error": self.error,
                "failed_migration": self.failed_migration.as_dict() if self.failed_migration else None}


# --------------------------------------------------------------------------- the plan
def _chain_error(store: Store, kind: str, rev: str | None, rows: int) -> SchemaError:
    chain = "basic-auth" if kind == schema.AUTH else "tracking"
    table = schema.VERSION_TABLE[kind]
    if rows > 1:
        return SchemaError(f"{store.redacted} has {rows} rows in {table} (a branched or hand-edited {chain} schema); "
                           f"MLflow keeps one: restore the backup taken before the change, or ask whoever edited it")
    if rev is None:
        return SchemaError(f"{store.redacted} has an empty {table} (MLflow records the {chain} revision there; a "
                           "store whose creation was interrupted, or not made by MLflow); nothing was written. "
                           "Restore the backup taken before, or stamp the revision MLflow left (`alembic stamp`) "
                           "once you know it")
    head = schema.installed_head(kind)
    return SchemaError(
        f"{store.redacted} has {chain} schema revision {rev}, which the installed MLflow "
        f"{schema.installed_mlflow_version()} does not know (its chain ends at {head}): a newer MLflow wrote it "
        f"({migrations.release_of(rev or '', kind)}; install that release or newer, `pip install -U mlflow`) or it was "
        f"edited by hand or by a fork; nothing was written. A store MLflow left half-way sits at a revision of the "
        f"chain (`SELECT * FROM {table}`); restore the backup taken before the edit to get back to a known one")


def make_plan(store: Store, auth: Store | None) -> Plan:
    chains: list[ChainPlan] = []
    for st, wanted in ((store, None), (auth, schema.AUTH)):
        if st is None:
            continue
        st.check_exists()
        with st.open_readonly() as db:
            st.require_mlflow(db)
            names = db.table_names()
            kinds = db.kinds()
            if wanted is not None and wanted not in kinds:
                raise MigratorError(f"--auth-db {st.redacted} holds no basic-auth store; give the file of "
                                    "`database_uri` in the server's basic_auth.ini")
            for kind in kinds if wanted is None else [wanted]:
                if st is not store and kind != schema.AUTH:
                    continue
                if any(c.store == st and c.kind == kind for c in chains):
                    continue
                table = schema.VERSION_TABLE[kind]
                versions = [r[0] for r in db.query(f"SELECT version_num FROM {table}")] if table in names else []
                rev = versions[0] if len(versions) == 1 else None
                if len(versions) > 1 or (rev is not None and rev not in schema.revision_chain(kind)):
                    raise _chain_error(st, kind, rev, len(versions))
                if rev is None and kind == schema.TRACKING:
                    raise _chain_error(st, kind, None, 0)
                steps = migrations.pending(kind, rev, names)
                touched = sorted({t for s in steps if s.changes_data for t in s.tables})
                rows = {t: int(db.query(f"SELECT count(*) FROM {schema.quote_ident(t)}")[0][0]) for t in touched}
                chains.append(ChainPlan(st, kind, rev, schema.installed_head(kind), steps, rows,
                                        promises.planned_deletes(db, steps)))
    return Plan(schema.installed_mlflow_version(), chains)


# --------------------------------------------------------------------------- one database, all or nothing
def _columns(conn: Any) -> dict[str, list[str]]:
    import sqlalchemy as sa

    insp = sa.inspect(conn)
    return {t: [c["name"] for c in insp.get_columns(t)] for t in insp.get_table_names()}


def _head_checks(conn: Any, kinds: list[str]) -> list[Check]:
    out = []
    for kind in kinds:
        table = schema.VERSION_TABLE[kind]
        got = [r[0] for r in conn.exec_driver_sql(f"SELECT version_num FROM {table}").all()]
        head = schema.installed_head(kind)
        out.append(Check(f"{'auth ' if kind == schema.AUTH else ''}schema revision", got == [head],
                         f"{got[0] if len(got) == 1 else got}, installed head {head}"))
    return out


@lru_cache(maxsize=2)
def _fresh_indexes(kind: str) -> dict[str, frozenset[str]]:
    """The indexes MLflow's own migrations give a new store at the installed head (SQLite, in a private
    folder): what every upgraded store must hold too (MLflow #14465). Kept per MLflow release and chain in
    migrator's cache folder (0700; a run that cannot write there makes it again)."""
    cache = _cache_dir() / f"fresh-indexes-{schema.installed_mlflow_version()}-{schema.installed_head(kind)}.json"
    try:
        return {t: frozenset(v) for t, v in json.loads(cache.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        pass
    found = _make_fresh_indexes(kind)
    try:
        cache.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_private(cache, json.dumps({t: sorted(v) for t, v in found.items()}))
    except OSError:
        pass
    return found


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "migrator"


def _make_fresh_indexes(kind: str) -> dict[str, frozenset[str]]:
    import sqlalchemy as sa

    quiet = logging.getLogger("mlflow.store.db.utils")
    level = quiet.level
    with scratch("fresh") as tmp:
        engine = sa.create_engine(f"sqlite:///{tmp}/fresh.db", poolclass=sa.pool.NullPool)
        quiet.setLevel(logging.WARNING)
        try:
            if kind == schema.AUTH:
                from mlflow.server.auth.db.utils import migrate

                migrate(engine, "head")
            else:
                from mlflow.store.db.utils import _initialize_tables

                _initialize_tables(engine)
            insp = sa.inspect(engine)
            return {t: frozenset(str(ix["name"]) for ix in insp.get_indexes(t) if ix.get("name"))
                    for t in insp.get_table_names()}
        finally:
            quiet.setLevel(level)
            engine.dispose()


def _index_check(conn: Any, kinds: list[str]) -> Check:
    """Every index a new store made by MLflow's own migrations holds, present by name (MLflow #14465)."""
    import sqlalchemy as sa

    insp = sa.inspect(conn)
    present = set(insp.get_table_names())
    missing: list[str] = []
    n = 0
    for kind in kinds:
        for table, names in sorted(_fresh_indexes(kind).items()):
            if not names:
                continue
            if table not in present:
                missing.append(f"{table} (the whole table)")
                continue
            have = {str(ix["name"]) for ix in insp.get_indexes(table)} | {
                str(u["name"]) for u in insp.get_unique_constraints(table) if u.get("name")}
            n += len(names)
            missing.extend(f"{table}.{ix}" for ix in sorted(names - have))
    return Check("indexes", not missing, f"all {n} indexes of a new store at the head are present" if not missing
                 else f"missing: {missing[:20]}")


VERSION_TABLES = frozenset(schema.VERSION_TABLE.values())


def _row_checks(session: UpgradeSession, before: dict[str, list[str]], after: dict[str, list[str]],
                steps: list[Step]) -> list[Check]:
    """Every table equal on its old columns, unless a data migration names it; dropped tables only by a
    migration that names them."""
    rewritten = {t for s in steps if s.changes_data for t in s.tables}
    named = {t for s in steps for t in s.tables}
    same, changed, problems = 0, [], []
    for table, cols in sorted(before.items()):
        if table in VERSION_TABLES:
            continue  # checked by the revision checks
        if table not in after:
            if table not in named:
                problems.append(f"{table} is gone, though no migration names it")
            continue
        common = [c for c in cols if c in after[table]]
        if session.unchanged(table, common):
            same += 1
        elif table in rewritten:
            changed.append(table)
        else:
            problems.append(f"{table} changed, though no migration that rewrites data names it")
    detail = (f"{same} tables equal row for row on their old columns"
              + (f"; rewritten by data migrations (checked below): {changed}" if changed else ""))
    return [Check("untouched tables", not problems, detail if not problems else "; ".join(problems[:10]))]


def _upgrade_one(session: UpgradeSession, chains: list[ChainPlan], progress: Progress, result: UpgradeResult,
                 sample_runs: int) -> tuple[list[Check], dict[str, Any]]:
    """MLflow's migrations of every chain of one database, then the checks inside the session; returns them
    and the sample read before (for the reads through MLflow after the commit)."""
    conn = session.conn
    result.checks += [Check(name, ok, detail) for name, ok, detail in session.notes()]
    steps = [s for c in chains for s in c.steps]
    before = _columns(conn)
    session.remember(before)
    held = promises.capture(conn, steps)
    sample = client_view_before(conn, before, sample_runs)
    t0 = time.perf_counter()
    for c in chains:
        if not c.steps:
            continue
        task = f"{c.kind} migrations"
        progress.start(task, len(c.steps), "migrations")
        applied: list[tuple[str, float]] = []

        def advanced(rev: str, seconds: float, task: str = task, applied: list = applied) -> None:
            applied.append((rev, seconds))
            progress.advance(task, 1)

        try:
            migrations.run(conn, c.kind, advanced)
        except Exception as e:  # MLflow's migration code or the database: the step after the last applied
            raise MigrationFailed(c.steps[len(applied)] if len(applied) < len(c.steps) else None,
                                  migrations.reason(e)) from None
        finally:
            result.step_seconds.extend(applied)
        progress.done(task)
    result.seconds += time.perf_counter() - t0
    progress.phase("checking the result")
    session.settle()
    kinds = [c.kind for c in chains]
    with ThreadPoolExecutor(1) as pool:
        integrity = pool.submit(session.integrity) if session.integrity_in_parallel else None
        after = _columns(conn)
        checks = _head_checks(conn, kinds)
        checks += _row_checks(session, before, after, steps)
        checks += promises.check(conn, steps, held)
        checks.append(_index_check(conn, kinds))
        found = integrity.result() if integrity is not None else session.integrity()
    checks = [Check(name, ok, detail) for name, ok, detail in found] + checks
    result.disk_bytes += session.disk_bytes()
    return checks, sample


def _after_commit(session: UpgradeSession, chains: list[ChainPlan], req: UpgradeRequest,
                  sample: dict[str, Any]) -> list[Check]:
    """Checks that read the result as MLflow does (MlflowClient, MLflow's auth store, `mlflow server`)."""
    url = session.result_url()
    kinds = [c.kind for c in chains]
    checks = [client_view(url, kinds, sample)]
    if req.server_check and schema.TRACKING in kinds:
        checks.append(server_starts(url))
    return checks


def _default_backup(store: Store) -> Path:
    if store.path is not None:
        return store.path.parent / "migrator-backups"
    return Path.cwd() / "migrator-backups"


def run_upgrade(req: UpgradeRequest, progress: Progress = NULL_PROGRESS,
                confirm: Callable[[Plan], None] | None = None) -> UpgradeResult:
    """The plan (shown through `confirm`, which may refuse by raising), then the rehearsal or the upgrade."""
    req.check()
    started = time.perf_counter()
    store = parse_store(req.store)
    auth = parse_store(req.auth_db) if req.auth_db else None
    if auth is not None and auth == store:
        auth = None
    plan = make_plan(store, auth)
    result = UpgradeResult(plan, req.rehearse)
    if confirm is not None:
        confirm(plan)
    if not plan.steps:
        result.total_seconds = time.perf_counter() - started
        return result
    by_store = [(st, [c for c in plan.chains if c.store == st]) for st in plan.stores()]
    with ExitStack() as stack:
        sessions = []
        for st, chains in by_store:
            progress.phase(f"{'copying' if st.path is not None or req.rehearse else 'locking'} {st.redacted}")
            sessions.append((stack.enter_context(st.upgrade_session(rehearse=req.rehearse, force=req.force)), chains))
        if not req.rehearse and not req.no_backup:
            result.backup = _backup(store, auth if auth is not None and auth in plan.stores() else None,
                                    Path(req.backup) if req.backup and "://" not in req.backup else req.backup,
                                    progress, result)
        samples = []
        try:
            for session, chains in sessions:
                progress.phase(f"upgrading {session.where}")
                checks, sample = _upgrade_one(session, chains, progress, result, req.sample)
                result.checks += checks
                samples.append(sample)
        except MigrationFailed as e:
            result.failed_migration = e.step
            result.error = _failure_text(e, req, result, store)
            return _finish(result, started)
        if not result.ok:
            unchanged = "the rehearsal changed nothing" if req.rehearse else "nothing was committed: the store is as it was"
            result.error = f"{result.failure}; {unchanged}" + _restore_hint(result, store)
            return _finish(result, started)
        for session, _ in sessions:
            session.commit()
        result.upgraded = not req.rehearse
        progress.phase("reading the result through MLflow")
        for (session, chains), sample in zip(sessions, samples):
            result.checks += _after_commit(session, chains, req, sample)
        if not result.ok and not req.rehearse:
            result.error = (f"{result.failure}; the upgrade was committed" + _restore_hint(result, store))
    return _finish(result, started)


def _finish(result: UpgradeResult, started: float) -> UpgradeResult:
    result.total_seconds = time.perf_counter() - started
    return result


def _restore_hint(result: UpgradeResult, store: Store) -> str:
    if not result.backup:
        return ""
    return f"; the backup taken before is {result.backup} (`migrator restore {result.backup} {store.redacted} --force`)"


def _failure_text(e: MigrationFailed, req: UpgradeRequest, result: UpgradeResult, store: Store) -> str:
    where = ("the rehearsal changed nothing" if req.rehearse
             else "nothing was committed: the store is exactly as it was")
    return f"{e.message}; {where}" + _restore_hint(result, store)


def _backup(store: Store, auth: Store | None, dest: Any, progress: Progress, result: UpgradeResult) -> str:
    """`migrator backup` + `restore --check`, before any migration runs."""
    from ..backup import create_backup
    from ..backup.restore import check

    dest = dest if dest is not None else _default_backup(store)
    progress.phase(f"backing up into {dest}")
    t0 = time.perf_counter()
    made = create_backup(store, dest, auth=auth)
    t1 = time.perf_counter()
    result.backup_seconds = t1 - t0
    progress.phase("checking the backup (a restore drill)")
    hint = "nothing was upgraded; run `migrator upgrade --rehearse` to see what the store's rows break"
    try:
        drill = check(made.backup, None if store.path is not None else store.url)
    except MigratorError as e:
        raise MigratorError(f"the backup {made.backup} failed its restore drill ({e.message}); {hint}") from None
    result.drill_seconds = time.perf_counter() - t1
    if not drill.ok:
        raise MigratorError(f"the backup {made.backup} failed its restore drill ({drill.failure}); {hint}")
    return made.backup
