"""`migrator verify`: two stores of any kinds compared (neither modified), and the check inside sqlite-to-pg."""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack
from typing import Callable, Sequence

import sqlalchemy as sa

from .. import renumber, schema, spawn
from ..artifacts import Rule
from ..errors import SchemaError
from ..stores import Store
from .compare import compare_tables
from .parallel import SideSpec, compare_parallel
from .parity import api_parity, auth_parity
from .report import Check, VerifyReport
from .sides import PgSide, Side, SqliteSide, open_side

Progress = Callable[..., None]


def verify_content(sconn: sqlite3.Connection, pgconn: sa.Connection, rules: Sequence[Rule] = (),
                   exclude_rejected: bool = False, progress: Progress | None = None,
                   kind: str = schema.TRACKING, jobs: int = 1,
                   specs: tuple[SideSpec, SideSpec] | None = None) -> VerifyReport:
    """Counts, content, revision and sequences of one store (`kind`) of a SQLite snapshot against a
    PostgreSQL connection (used by sqlite-to-pg before its commit). `specs`: how worker processes open the
    same two sides (the snapshot file, the staging schema), for a compare on `jobs` processes."""
    src, tgt = SqliteSide(sconn, kind), PgSide(pgconn, kind)
    return VerifyReport(_compare(src, tgt, rules, exclude_rejected, progress, jobs, specs), _schema_checks(src, tgt))


PARALLEL_ROWS = 200_000  # below this many rows in all, worker processes cost more than they save


def _compare(src: Side, tgt: Side, rules: Sequence[Rule], exclude_rejected: bool, progress: Progress | None,
             jobs: int, specs: tuple[SideSpec, SideSpec] | None) -> list:
    if jobs > 1 and specs is not None and not exclude_rejected:
        counts = {t: src.count(t) for t in src.tables}
        if sum(counts.values()) >= PARALLEL_ROWS:
            return compare_parallel(src, tgt, specs[0], specs[1], rules, jobs, progress, counts)
    return compare_tables(src, tgt, rules, exclude_rejected, progress)


def _revision_check(src: Side, tgt: Side) -> Check:
    a, b = src.revision(), tgt.revision()
    name = "schema revision" if src.store_kind == schema.TRACKING else "auth schema revision"
    return Check(name, a == b, f"source {a}, target {b}")


def verify(source: Store, target: Store, rules: Sequence[Rule] = (), sample: int = 50,
           progress: Progress | None = None, jobs: int = 1) -> VerifyReport:
    """Compare two stores of any kinds (SQLite or PostgreSQL, either side). Neither is modified (SQLite
    sides are read from snapshots). Each MLflow store the source holds (tracking, basic-auth) is compared
    with its own tables on the target; a database that holds both never reports the other's as differences."""
    with ExitStack() as stack:
        src = stack.enter_context(open_side(source, stack))
        tgt = stack.enter_context(open_side(target, stack))
        kinds = [k for k in src.kinds if k in tgt.kinds] or src.kinds
        if not any(k in tgt.kinds for k in src.kinds):
            what = " and ".join("a basic-auth store" if k == schema.AUTH else "a tracking store" for k in src.kinds)
            raise SchemaError(f"the source holds {what}, the target {target.redacted} none of it; compare a "
                              "tracking store with a tracking store and a basic-auth store with a basic-auth store")
        report = VerifyReport()
        for kind in kinds:
            src.store_kind = tgt.store_kind = kind
            part = (_verify_tracking(stack, source, target, src, tgt, rules, sample, progress, jobs)
                    if kind == schema.TRACKING
                    else _verify_auth(source, target, src, tgt, progress))
            report.tables += part.tables
            report.checks += part.checks
    return report


def _bring_to_other(side: Side, other: Side, label: str) -> Check | None:
    """What sqlite-to-pg does: an old SQLite store (its snapshot) brought to the installed head."""
    kind = side.store_kind
    rev, other_rev = side.revision(), other.revision()
    if not (isinstance(side, SqliteSide) and rev != other_rev and other_rev == schema.installed_head(kind)
            and schema.compare_to_installed(rev, kind) == "older"):
        return None
    side.conn.close()
    schema.upgrade_sqlite_file(str(side.snap_path), kind)
    side.__init__(sqlite3.connect(side.snap_path, check_same_thread=False), kind)
    what = "auth " if kind == schema.AUTH else ""
    return Check(f"{label} {what}upgraded", True, f"the {label} snapshot was upgraded from {rev} to {other_rev} with "
                 f"MLflow's {what}migrations before comparing (the store is untouched)")


def _upgraded(src: Side, tgt: Side) -> list[Check]:
    return [c for label, side, other in (("source", src, tgt), ("target", tgt, src))
            if (c := _bring_to_other(side, other, label)) is not None]


def _schema_checks(src: Side, tgt: Side) -> list[Check]:
    """The revision of both sides, and every sequence of a PostgreSQL side past its column's maximum."""
    checks = [_revision_check(src, tgt)]
    for label, side in (("source", src), ("target", tgt)):
        if isinstance(side, PgSide):
            checks += side.sequence_checks(label)
    return checks


def _spec(store: Store, side: Side) -> SideSpec | None:
    """How a worker process reads the same data as `side`: its snapshot file, or the PostgreSQL snapshot its
    REPEATABLE READ transaction exports (None where it cannot be exported: one process then)."""
    if isinstance(side, SqliteSide):
        return SideSpec("sqlite", str(side.snap_path), side.store_kind)
    assert isinstance(side, PgSide)
    try:
        with side.conn.begin_nested():
            snap = side.conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
    except sa.exc.DBAPIError:
        return None
    return SideSpec("postgresql", store.url, side.store_kind, None, str(snap))


def _verify_tracking(stack: ExitStack, source: Store, target: Store, src: Side, tgt: Side, rules: Sequence[Rule],
                     sample: int, progress: Progress | None, jobs: int = 1) -> VerifyReport:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    parity = None
    upgraded = _upgraded(src, tgt)
    stores = {"source": source, "target": target}
    for label, side, other in (("source", src, tgt), ("target", tgt, src)):
        check = _renumbered(side, other, label)
        if check is not None:  # the MlflowClient check reads the renumbered snapshot too
            upgraded.append(check)
        if isinstance(side, SqliteSide):  # the MlflowClient check reads the same snapshot (no second copy)
            stores[label] = Store("sqlite", f"sqlite:///{side.snap_path}", side.snap_path)
    private = (isinstance(src, SqliteSide), isinstance(tgt, SqliteSide))
    same_rev = src.revision() == tgt.revision()
    if sample > 0:  # the MlflowClient check runs in a second process, side by side with the row compare
        pool = stack.enter_context(ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")))
        with spawn.hidden_main():  # the worker must not re-run the caller's main script
            parity = pool.submit(api_parity, stores["source"], stores["target"], tuple(rules), sample, same_rev,
                                 *private)
    specs = None
    if jobs > 1:
        a, b = _spec(stores["source"], src), _spec(stores["target"], tgt)
        specs = (a, b) if a is not None and b is not None else None
    report = VerifyReport(_compare(src, tgt, rules, False, progress, jobs, specs), upgraded)
    report.checks += _schema_checks(src, tgt)
    report.checks.append(parity.result() if parity is not None else
                         api_parity(stores["source"], stores["target"], rules, sample, same_rev, *private))
    return report


def _verify_auth(source: Store, target: Store, src: Side, tgt: Side, progress: Progress | None) -> VerifyReport:
    upgraded = _upgraded(src, tgt)
    report = VerifyReport(compare_tables(src, tgt, (), progress=progress), upgraded)
    report.checks += _schema_checks(src, tgt)
    stores = [Store("sqlite", f"sqlite:///{s.snap_path}", s.snap_path) if isinstance(s, SqliteSide) else st
              for s, st in ((src, source), (tgt, target))]
    report.checks.append(auth_parity(stores[0], stores[1]) if src.revision() == tgt.revision() else
                         Check("auth api parity", True, "skipped: the auth schema revisions differ (reported above)"))
    return report


def _renumbered(side: Side, other: Side, label: str) -> Check | None:
    """A SQLite side whose experiment ids do not fit PostgreSQL, against a PostgreSQL side that holds them
    renumbered by `sqlite-to-pg --renumber-experiments` (its migrator.renumbered_from tags): the same
    renumbering is applied to the SQLite side's snapshot before comparing."""
    if not isinstance(side, SqliteSide) or not isinstance(other, PgSide):
        return None
    big = renumber.out_of_range_ids(side.conn)
    if not big:
        return None
    rows = other.conn.exec_driver_sql("SELECT value, experiment_id FROM experiment_tags WHERE key = %(k)s",
                                      {"k": renumber.SOURCE_ID_TAG}).all()
    mapping = renumber.mapping_from_tags([tuple(r) for r in rows])
    if not all(b in mapping for b in big):
        return None  # not renumbered by migrator: the row compare reports the differences
    renumber.apply(side.conn, {b: mapping[b] for b in big})
    return Check("experiment ids renumbered", True,
                 f"{len(big)} experiment id(s) of the {label} that do not fit PostgreSQL's integer were compared "
                 f"under the new ids recorded in the other side's {renumber.SOURCE_ID_TAG} tags")
