"""`verify SOURCE TARGET --workspace NAME`: the proof of a merge into one workspace.

The source is read into a private snapshot (brought to the target's revision), and the merge's rewrite
(`consolidate.rewrite_*`) replayed on it with the ids the merge recorded in its id map. On the target, the
rows of workspace NAME are named per table (`consolidate.slices`) by temporary views, private to this
session and shadowing the tables' names, so the row compare reads NAME's slice as if it were a store of its
own: every row, in both directions. Then, table by table, the target's rows outside the slice (all of them
minus the slice, with an order-free hash sum) must be exactly the ones the merge found there before it
wrote: nothing else in any other workspace changed. The target is only read (temporary views are the
session's own and vanish with it)."""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .. import checks as plan
from .. import schema
from ..artifacts import Rule
from ..checks import Check
from ..consolidate import EXPERIMENT_KEY, WorkspaceMerge, rewrite_auth, rewrite_tracking, slice_views, sums
from ..errors import MigratorError
from ..outcome import NULL_PROGRESS, Progress
from ..schema import quote_ident as q
from ..stores import PgSide, PostgresStore, SqliteSide, Store, pg_db, sqlite_db
from .compare import compare_tables
from .report import VerifyReport

if TYPE_CHECKING:
    import sqlalchemy as sa

def verify_workspace(source: Store, target: Store, name: str, id_map: Path, rules: Sequence[Rule] = (),
                     auth_source: Store | None = None, progress: Progress = NULL_PROGRESS) -> VerifyReport:
    """Compare `source` (and `auth_source`, a basic-auth database) with workspace `name` of `target`."""
    merge = WorkspaceMerge.from_map(id_map, name)
    report = VerifyReport()
    with source.open_readonly() as db:
        kinds = [k for k in db.kinds() if k != schema.AUTH or auth_source is None]
    jobs = [(k, source) for k in kinds] + ([(schema.AUTH, auth_source)] if auth_source is not None else [])
    for kind, store in jobs:
        part = verify_workspace_kind(kind, store, target, merge, rules, progress)
        report.tables += part.tables
        report.checks += part.checks
    return report


def _sequences(merge: WorkspaceMerge, tables: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(table, column) of the keys the merge numbered anew in `tables` (one store's), experiments aside."""
    return [(t, c) for t, c in (key.split(".", 1) for key in merge.keys if key != EXPERIMENT_KEY) if t in tables]


def verify_workspace_kind(kind: str, store: Store, target: Store, merge: WorkspaceMerge, rules: Sequence[Rule],
                 progress: Progress = NULL_PROGRESS) -> VerifyReport:
    """One store (`kind`) of the source against its slice of workspace NAME (see the module doc)."""
    if not isinstance(target, PostgresStore):
        raise MigratorError(f"--workspace: the target must be the PostgreSQL store merged into, got {target.redacted}")
    with ExitStack() as stack:
        snap = stack.enter_context(store.private_snapshot(kind=kind))
        sqlite_db.to_head(snap, kind, f"source {store.redacted}")
        sconn = sqlite3.connect(snap)
        stack.callback(sconn.close)
        tables = schema.own_tables(sqlite_db.tables(sconn), kind)
        if kind == schema.TRACKING:
            rewrite_tracking(sconn, merge, merge.recorded, _sequences(merge, tables), tables)
            all_rules = tuple(sorted(set(rules) | set(merge.rules("mlflow-artifacts:/")),
                                     key=lambda r: (-len(r.old), r.old)))
        else:
            users = merge.keys.get("users.id", {})
            rewrite_auth(sconn, merge, merge.recorded, users, _sequences(merge, tables), tables)
            skipped = merge.skip.get("users", ("id", []))[1]
            with sconn:  # users the target held already: their rows are the target's own, outside the slice
                sconn.executemany("DELETE FROM users WHERE id = ?", [(i,) for i in skipped])
            all_rules = ()
        engine, pconn = target.connect()
        stack.callback(engine.dispose)
        stack.callback(pconn.close)
        unowned = _create_slices(pconn, sconn, tables, merge)
        others = _other_views(pconn, merge, kind)
        pconn.begin()
        pconn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        src, tgt = SqliteSide(sconn, kind), PgSide(pconn, kind)
        report = VerifyReport(compare_tables(src, tgt, all_rules, False, progress), plan.schema_checks(src, tgt))
        report.checks += _outside(pconn, merge, kind, others)
        if unowned:
            report.checks.append(Check(f"{kind} rows of no workspace", True, "not compared (their rows belong to no "
                                       f"workspace): {', '.join(unowned)}"))
        pconn.rollback()
        return report


def _create_slices(pconn: sa.Connection, sconn: sqlite3.Connection, tables: dict[str, Any],
                   merge: WorkspaceMerge) -> list[str]:
    """Temporary views of NAME's rows under the tables' own names (this session only); tables whose rows
    belong to no workspace are left out of the compare on both sides (returned, for the report)."""
    theirs = pg_db.tables(pconn)
    present = {t: theirs[t] for t in tables if t in theirs}
    target_schema = str(pconn.exec_driver_sql("SELECT current_schema()").scalar())
    views = slice_views(pconn, present, merge.name, target_schema, "", merge.keys, merge.skip)
    unowned = []
    for t in present:
        if t in views:
            continue
        if int(sconn.execute(f"SELECT count(*) FROM {q(t)}").fetchone()[0]):
            unowned.append(t)
        with sconn:
            sconn.execute(f"DELETE FROM {q(t)}")
        pconn.exec_driver_sql(f"CREATE TEMPORARY VIEW {q(t)} AS SELECT * FROM {q(target_schema)}.{q(t)} WHERE false")
    pconn.commit()
    return sorted(unowned)


def _other_views(pconn: sa.Connection, merge: WorkspaceMerge, kind: str) -> dict[str, dict[str, str]]:
    """The views of every other workspace the merge recorded (made before the read-only transaction)."""
    theirs = schema.own_tables(pg_db.tables(pconn), kind)
    target_schema = str(pconn.exec_driver_sql("SELECT current_schema()").scalar())
    out = {ws: slice_views(pconn, theirs, ws, target_schema, f"migrator_w{i}_")
           for i, ws in enumerate(sorted(merge.sums.get(kind, {})))}
    pconn.commit()
    return out


def _outside(pconn: sa.Connection, merge: WorkspaceMerge, kind: str, views: dict[str, dict[str, str]]) -> list[Check]:
    """Every other workspace the target held when the merge wrote: its rows (counts and hash sums per table,
    recorded in the id map) exactly as the merge found them."""
    recorded = merge.sums.get(kind, {})
    label = f"{kind} other workspaces"
    if not recorded:
        return [Check(label, True, "none: the target held no other workspace when the merge wrote")]
    theirs = schema.own_tables(pg_db.tables(pconn), kind)
    changed = []
    for ws, before in sorted(recorded.items()):
        now = sums(pconn, theirs, views[ws])
        for t in sorted(set(before) | set(now)):
            if before.get(t, [0, "0"]) != now.get(t, [0, "0"]):
                changed.append(f"{ws}.{t}: {now.get(t, [0])[0]} row(s), {before.get(t, [0])[0]} when the merge wrote")
    if changed:
        return [Check(label, False, "rows of other workspaces differ from what the merge found (a server writing "
                      "to them since, or a change by hand): " + "; ".join(changed))]
    return [Check(label, True, f"{', '.join(sorted(recorded))}: every row as the merge found it")]
