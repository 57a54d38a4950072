"""Bulk copy of an MLflow SQLite store into PostgreSQL in one transaction.

Snapshot (SQLite backup API) -> upgrade the snapshot if older -> in ONE PostgreSQL transaction:
lock, create/upgrade the schema with MLflow's migrations, preflight, drop FKs and the
indexes of big tables, COPY FROM STDIN every table (rows formatted mostly inside SQLite),
rebuild what was dropped (same names and definitions), set sequences, verify content, commit.
A kill at any point leaves the target as it was.

Reading order: `sqlite_to_pg` (this module) -> `target.PreparedTarget` (lock + schema, in a thread while
the snapshot is taken) -> `plan` (preflight, counts) -> `load.load` (COPY of each table, index rebuild,
sequences) -> verification -> commit.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import renumber, schema
from ..errors import Interrupted, MigratorError, SchemaError, StoreError, VerificationFailed
from ..files import writable_parent
from ..outcome import NULL_PROGRESS
from ..stores import PostgresStore, SideSpec, SqliteStore, Store, pg_db, sqlite_db
from .direct import CopyRejected
from .load import load
from .parallel import Connections
from .plan import BackgroundPreflight, check_problems, fill_plan, plan, source_columns
from .preflight import register_rewrite
from .result import CopyOptions, CopyResult, Job, Progress, Timer
from .target import PreparedTarget, import_mlflow, switch_stage

if TYPE_CHECKING:  # SQLAlchemy and psycopg2 load on first use: copy workers (direct.py) import this package too
    import sqlalchemy as sa


def sqlite_to_pg(source: Store, target: Store | None, options: CopyOptions,
                 progress: Progress = NULL_PROGRESS) -> CopyResult:
    """Copy `source` (SQLite) into `target` (PostgreSQL). Raises MigratorError subclasses."""
    source, target = require_kinds(source, target)
    if options.workspace is not None and not options.dry_run and options.kind in options.workspace.done:
        return _merged_before(source, target, options, progress)
    if options.reject_file is not None and options.on_bad_row == "skip" and not options.dry_run:
        writable_parent(options.reject_file, "the reject file")
    result = CopyResult(source.redacted, target.redacted if target else None, None, None, None, options.dry_run,
                        kind=options.kind)
    timer = Timer(result.phases, progress)
    prepared = PreparedTarget(target, options, source, timer) if target is not None else None
    warm = None
    if prepared is None:
        warm = threading.Thread(target=import_mlflow, daemon=True)  # ~2 s of imports, overlapped with the snapshot
        warm.start()
    try:
        with ExitStack() as files:
            snap_path, result.read_in_place = _rows_from(source, options, timer, files)
            if options.kind == schema.AUTH:
                require_auth_store(snap_path, source)
            if warm is not None:
                warm.join()
            if not result.read_in_place:
                result.temp_dir = str(snap_path.parent.parent)
                result.temp_bytes = _disk_use(snap_path.parent)
            job = Job(source, target, options, result, timer, progress, snap_path, prepared)
            try:
                out = _with_snapshot(job)
                if options.online is not None and not options.dry_run:
                    with timer("baseline"):  # phase one of an online move: this snapshot is the cutover's baseline
                        options.online.keep(options.kind, snap_path, job)
                return out
            finally:
                if not result.read_in_place:
                    result.temp_bytes = max(result.temp_bytes, _disk_use(snap_path.parent))
    finally:
        if prepared is not None:
            prepared.close()


def _rows_from(source: Store, options: CopyOptions, timer: Timer, files: ExitStack) -> tuple[Path, bool]:
    """Where the rows are read: the source file itself when no step needs a private copy of it and it is
    quiescent (stopped, at the installed head: `Store.read_in_place`, held under its shared lock until the end),
    else a private snapshot. A private copy is needed by an online move (its baseline), a renumbering or a
    workspace merge (they rewrite it), and the MlflowClient check (MLflow reads it with planner statistics
    that only a copy may be given)."""
    private = (options.online is not None or options.workspace is not None or options.renumber_experiments
               or (options.verify and options.verify_sample > 0 and not options.dry_run))
    if not private:
        here = files.enter_context(source.read_in_place(kind=options.kind))
        if here is not None:
            return here, True
    return files.enter_context(source.private_snapshot(kind=options.kind, timer=timer)), False


def _merged_before(source: Store, target: PostgresStore | None, options: CopyOptions,
                   progress: Progress) -> CopyResult:
    """A run killed after its commit (of this store) merged it already: proven equal, nothing is written;
    a workspace that differs from the source now is refused."""
    from ..verification import verify_workspace_kind

    assert target is not None
    result = CopyResult(source.redacted, target.redacted, None, None, None, False, kind=options.kind)
    report = verify_workspace_kind(options.kind, source, target, options.workspace, options.rules, progress)
    if not report.ok:
        raise MigratorError(f"workspace {options.workspace.name!r} of {target.redacted} holds an earlier merge of "
                            f"this store's {options.kind} data (its id map says so) that differs from the source now "
                            f"({report.summary()}); merge into a new workspace")
    result.verify = report
    result.already_complete = True
    if progress:
        progress.info(f"the {options.kind} store was merged into workspace {options.workspace.name!r} by an earlier "
                      "run (compared row by row); nothing was written")
    return result


def require_kinds(source: Store, target: Store | None) -> tuple[Store, PostgresStore | None]:
    """This path is the database specialist (a SQLite or PostgreSQL source read into a private snapshot, a
    PostgreSQL target): anything else goes through `migrator copy`."""
    if not isinstance(source, (SqliteStore, PostgresStore)):
        raise MigratorError(f"source must be a SQLite store or a PostgreSQL URL, got {source.redacted}; use "
                            "`migrator copy` for others")
    if target is not None and not isinstance(target, PostgresStore):
        raise MigratorError(f"target must be a PostgreSQL URL, got {target.redacted}")
    return source, target


def _disk_use(folder: Path) -> int:
    """Bytes the files in the snapshot folder take on disk (the snapshot, an upgrade's journal)."""
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file())


def _with_snapshot(job: Job) -> CopyResult:
    if job.options.renumber_experiments and job.options.kind == schema.TRACKING:
        with job.timer("renumber"):
            job.result.renumbered = _renumber(job.snap_path)
    # --workspace: the snapshot is rewritten for the workspace (merge.transform) before rows are formatted
    merging = job.options.workspace is not None and job.prepared is not None and not job.options.dry_run
    with ExitStack() as stack:
        if job.prepared is not None:
            # imports (alembic, mlflow) must not run in two threads at once: the overlap ends with the snapshot
            job.prepared.wait()
        # the source read in place only ever read-only; a snapshot is migrator's own (upgraded, rewritten)
        job.sconn = (sqlite3.connect(sqlite_db.ro_uri(job.snap_path), uri=True) if job.result.read_in_place
                     else sqlite3.connect(job.snap_path))
        stack.callback(_close_snapshot, job)
        stack.callback(_close_thread_snapshots, job)
        _bring_snapshot_to_head(job)
        if merging:
            _rewrite_for_workspace(job)
        register_rewrite(job.sconn, job.options.rules)
        job.src_tables = schema.own_tables(sqlite_db.tables(job.sconn), job.options.kind)
        if job.options.online is not None:
            _require_rowids(job)
        if job.options.dry_run and job.target is None:
            plan(job.sconn, job.src_tables, job.src_tables, job.options, job.result, job.timer)
            return job.result
        return _copy_in_transaction(job)


def _rewrite_for_workspace(job: Job) -> None:
    """The snapshot (at the installed head) as workspace NAME of the target will hold it, its new ids drawn
    from the target on the lock holder's connection (merge.transform / transform_auth)."""
    from .merge import stage_sequences, transform, transform_auth

    assert job.prepared is not None and job.prepared.stage is not None and job.sconn is not None
    conn, _tx = job.prepared.wait()
    with job.prepared.stage.connect() as sc:
        seqs = stage_sequences(sc)
    with job.timer("workspace"):
        step = transform if job.options.kind == schema.TRACKING else transform_auth
        step(job.sconn, job.options.workspace, conn, seqs, job.source, job.target)


def _require_rowids(job: Job) -> None:
    """The cutover finds changes by rowid: a table without one (WITHOUT ROWID) cannot be moved online."""
    assert job.sconn is not None
    for name in job.src_tables:
        try:
            job.sconn.execute(f"SELECT rowid FROM {schema.quote_ident(name)} LIMIT 0")
        except sqlite3.Error:
            raise MigratorError(f"table {name} of {job.source.redacted} has no rowid (WITHOUT ROWID): --online cannot "
                                "follow its changes; move the store offline") from None


def _close_thread_snapshots(job: Job) -> None:
    for c in job.thread_sconns:
        c.close()


def _close_snapshot(job: Job) -> None:
    if job.sconn is not None:
        job.sconn.close()


def _bring_snapshot_to_head(job: Job) -> None:
    """An older source schema is upgraded on the snapshot with MLflow's migrations; a newer one is refused."""
    assert job.sconn is not None
    kind = job.options.kind
    rev = sqlite_db.revision(job.sconn, kind)
    job.result.source_revision = rev
    schema.require_not_newer(rev, f"source {job.source.redacted}", kind)
    if schema.compare_to_installed(rev, kind) != "older":
        return
    if job.options.online is not None:
        raise SchemaError(f"--online needs a source at the installed MLflow's schema ({schema.installed_head(kind)}); "
                          f"{job.source.redacted} is at {schema.describe_revision(rev, kind)}. Upgrade it first "
                          "(`migrator upgrade`), or move it offline (without --online): its snapshot is upgraded then")
    if job.progress:
        job.progress.info(f"source schema {schema.describe_revision(rev, kind)} is older than the installed MLflow's "
                          f"{schema.installed_head(kind)}; upgrading the snapshot copy (the source is untouched)")
    before = sqlite_db.counts(job.sconn) if kind == schema.AUTH else None  # small: an auth store
    job.sconn.close()
    with job.timer("upgrade"):
        sqlite_db.bring_to_head(str(job.snap_path), kind)
    job.sconn = sqlite3.connect(job.snap_path)
    if before is not None:
        added = {t: n - before.get(t, 0) for t, n in sqlite_db.counts(job.sconn).items()
                 if n > before.get(t, 0) and not t.startswith("alembic_version")}
        if added:
            job.result.notes.append(
                f"MLflow's auth migrations created {sum(added.values())} row(s) the source did not hold ("
                + ", ".join(f"{t}: {n}" for t, n in sorted(added.items()))
                + "), as they do on any upgrade; they are copied with the rest")
    job.result.upgraded_from = rev
    job.result.upgraded = True
    job.result.source_revision = sqlite_db.revision(job.sconn, kind)


def _renumber(snap_path: Path) -> dict[int, int]:
    conn = sqlite3.connect(snap_path)
    try:
        mapping = renumber.plan(conn)
        renumber.apply(conn, mapping, sqlite_db.tables(conn))
        return mapping
    finally:
        conn.close()


def _copy_in_transaction(job: Job) -> CopyResult:
    """Continue what PreparedTarget began (locked, schema created): plan, load, verify, then commit (the
    single transaction) or move the stage into the target (the staging load). Whatever goes wrong before that
    commit leaves the target as it was (rolled back, the stage dropped) and says so."""
    assert job.prepared is not None and job.target is not None
    conn, tx = job.prepared.wait()
    stage = job.prepared.stage
    if job.prepared.fallback and job.progress:
        job.progress.info(job.prepared.fallback)
    if stage is None:
        conns = Connections(None, 1, single=conn)
    else:
        conns = Connections(stage.connect, job.options.jobs)
        job.stage_engine = stage.engine
    job.result.jobs = conns.n
    committed = False
    try:
        _plan_load_verify(job, conns.mine(), conns)
        if job.options.dry_run or job.result.already_complete:
            tx.rollback()
            return job.result
        if stage is None:
            with job.timer("commit"):
                tx.commit()
        else:
            conns.close()
            with job.timer("switch"):
                if conn.in_transaction():
                    conn.commit()
                with conn.begin():
                    if job.options.workspace is not None:
                        from .merge import merge_stage

                        merge_stage(conn, stage.name, stage.target_schema, job.options.workspace, job.target,
                                    {t.table: t.rows for t in job.result.tables}, job.options.kind)
                        job.result.notes += job.options.workspace.notes
                        # before the commit: a run killed right after it finds the map and the merge done
                        job.options.workspace.write_map(job.options.kind, job.source.redacted,
                                                        job.target.redacted)
                    else:
                        switch_stage(conn, stage, job.target, job.options, job.prepared.source_tables)
        committed = True
        _api_parity_after_commit(job)
    except BaseException as e:
        conns.cancel()
        if tx.is_active:
            tx.rollback()
        if stage is not None and not committed:
            stage.drop(conn)
        raise _explain(e, job.target, committed) from None
    finally:
        conns.close()
    return job.result


def _interrupted_read(e: BaseException) -> bool:
    text = str(getattr(e, "orig", e))
    return "error in .read() call: KeyboardInterrupt" in text


def _explain(e: BaseException, target: Store, committed: bool) -> BaseException:
    """What the user is told about a failure inside the transaction (or after the commit)."""
    import psycopg2
    import sqlalchemy as sa

    if _interrupted_read(e):  # Ctrl-C inside the COPY's read(): psycopg2 hands it back as its own error
        e = KeyboardInterrupt()
    if isinstance(e, KeyboardInterrupt):
        if committed:
            return Interrupted("interrupted after the commit: the copy is complete in the target; only the final "
                               "MlflowClient check was skipped (run `migrator verify` to do it)")
        return Interrupted("interrupted before the commit; nothing was written to the target")
    if isinstance(e, MigratorError) or not isinstance(e, Exception):
        return e
    if isinstance(e, sa.exc.OperationalError):
        return MigratorError(pg_db.describe_error(target.redacted, e))
    if isinstance(e, CopyRejected):
        return MigratorError(f"{e}; nothing was written")
    if isinstance(e, (sa.exc.DBAPIError, psycopg2.Error)):
        return MigratorError(f"PostgreSQL rejected the copy, nothing was written: "
                             f"{str(getattr(e, 'orig', e)).strip().splitlines()[0]}")
    if isinstance(e, sqlite3.Error):
        return MigratorError(f"cannot read the source snapshot, nothing was written: {e}")
    return e


def _plan_load_verify(job: Job, conn: sa.Connection, conns: Connections) -> None:
    """`conn`: the main thread's connection to where the load goes (the stage, or the open transaction)."""
    import psycopg2
    import sqlalchemy as sa

    assert job.sconn is not None
    result, options = job.result, job.options
    result.target_revision = pg_db.revision(conn, options.kind)
    if result.target_revision != result.source_revision:
        raise SchemaError(f"after migrations the target is at {result.target_revision} but the source snapshot "
                          f"at {result.source_revision}; they must match")
    tgt_tables = schema.own_tables(pg_db.tables(conn), options.kind)
    background = None
    job.source_cols = cols = source_columns(job.src_tables, tgt_tables)
    if options.dry_run or options.on_bad_row == "skip":
        plan(job.sconn, tgt_tables, job.src_tables, options, result, job.timer)
    else:
        background = BackgroundPreflight(job.snap_path, tgt_tables, cols, options.rules)
        fill_plan(job.sconn, tgt_tables, cols, options, result, {}, beside_copy=True)
    if options.dry_run:
        return
    if job.prepared.existing is not None:
        _already_complete(job, conn, job.prepared.existing)
        return
    try:
        load(job, conns, tgt_tables, background)
    except (sa.exc.DBAPIError, psycopg2.Error, sqlite3.Error, CopyRejected):
        if background is not None:  # a row PostgreSQL (or the UTF-8 decoder) refused: report them all
            check_problems(background.thorough(), options, result)
        raise
    if options.verify:
        from ..verification import verify_content

        assert job.target is not None
        stage = job.prepared.stage
        with job.timer("verify"):
            if not result.read_in_place:  # for the MlflowClient check (read while nothing writes it); an
                # online move's baseline is taken after it: ANALYZE adds sqlite_stat1's pages and changes page 1,
                # never a page of MLflow's tables (50 M rows: 511 s of checks without it)
                sqlite_db.analyze(job.snap_path)
            vconn = conn if stage is None else stage.connect(autocommit=False)
            # the staging schema is committed and quiescent: worker processes can read it too
            specs = None if stage is None else (SideSpec(SqliteStore.kind, str(job.snap_path), options.kind),
                                                SideSpec(PostgresStore.kind, job.target.url, options.kind, stage.name))
            parity = None
            try:
                report = verify_content(job.sconn, vconn, rules=options.rules,
                                        exclude_rejected=result.rejected_rows > 0, progress=job.progress,
                                        kind=options.kind, jobs=options.jobs, specs=specs)
                parity = _stage_parity(job) if stage is not None else None
                if parity is not None:
                    report.checks.append(parity.result())
            finally:
                if vconn is not conn:
                    vconn.close()
                if parity is not None:
                    parity.close()
        result.verify = report
        if not report.ok:
            raise VerificationFailed(
                f"verification after the copy found differences ({report.summary()}); nothing was committed", result)


def _already_complete(job: Job, conn: sa.Connection, refusal: MigratorError) -> None:
    """The target holds MLflow data: if it is this source row for row (a run killed after its commit left
    it), say so and write nothing; otherwise refuse it (naming --replace)."""
    from ..verification import verify_content

    assert job.sconn is not None
    for t in job.result.tables:
        t.settle()
    every = pg_db.counts(conn)
    own = schema.own_tables(dict.fromkeys(every), job.options.kind)
    counts = {t: n for t, n in every.items() if t in own}
    if any(counts.get(t.table, 0) != t.rows for t in job.result.tables) or job.result.problems:
        raise refusal
    with job.timer("verify"):
        report = verify_content(job.sconn, conn, rules=job.options.rules, progress=job.progress,
                                kind=job.options.kind)
    if not report.ok:
        raise refusal
    job.result.verify = report
    job.result.already_complete = True
    if job.progress:
        job.progress.info("the target already holds a complete copy of this source (compared row by "
                                     "row); nothing was written")


def require_auth_store(snap_path: Path, source: Store) -> None:
    """The file given as a basic-auth database must be one (a tracking store is told apart)."""
    conn = sqlite3.connect(sqlite_db.ro_uri(snap_path), uri=True)
    try:
        names = sqlite_db.table_names(conn)
    finally:
        conn.close()
    kinds = schema.kinds_in(names)
    if schema.AUTH not in kinds:
        what = "an MLflow tracking store" if schema.TRACKING in kinds else "not an MLflow store"
        raise StoreError(f"{source.redacted} is not a basic-auth database ({what}: no users / alembic_version_auth "
                         "tables); give the file of `database_uri` in the server's basic_auth.ini "
                         "(default basic_auth.db)")


class _Parity:
    """The MlflowClient check of the staging schema (through its search_path) before the switch, started
    once the row compare's worker processes have ended (side by side with them the process tree peaked at
    403-411 MB at 1.5 M rows, after them at 291-292 MB; the verify phase took 0.6 s longer): in a thread of
    this process (a process of its own would cost another interpreter besides MLflow's import: 255 MB);
    `process=True` (a workspace's check, as that workspace's clients see it) in a process of its own."""

    def __init__(self, job: Job, target: Store | None = None, process: bool = False) -> None:
        if target is None:
            assert job.target is not None and job.prepared is not None and job.prepared.stage is not None
            target = job.target.in_schema(job.prepared.stage.name)
        fn, args = _parity_call(job, target)
        self.pool: Any = None
        if process:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from .. import spawn

            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=spawn.quiet_worker)
            with spawn.hidden_main():
                self.future = self.pool.submit(fn, *args)
            return
        from concurrent.futures import Future

        self.future = Future()

        def work() -> None:  # a daemon thread: Ctrl-C does not wait for it
            try:
                self.future.set_result(fn(*args))
            except BaseException as e:  # noqa: BLE001 - handed to result()
                self.future.set_exception(e)

        threading.Thread(target=work, daemon=True, name="migrator-parity").start()

    def result(self) -> Any:
        return self.future.result()

    def close(self) -> None:
        from .. import spawn

        if self.pool is None:
            return
        if self.future.done():
            self.pool.shutdown(wait=True)
        else:
            spawn.stop_pool(self.pool)


def _parity_call(job: Job, target: Store) -> tuple[Any, tuple]:
    """The MlflowClient check (the basic-auth store's for an auth copy) of the snapshot against `target`,
    as a function and its arguments (the snapshot is migrator's own: read in place)."""
    from ..verification import api_parity, api_parity_in_workspace, auth_parity

    snap = SqliteStore(job.snap_path)
    if job.options.kind == schema.AUTH:
        return auth_parity, (snap, target)
    args = (snap, target, tuple(job.options.rules), job.options.verify_sample, True, True)
    if job.options.workspace is not None:
        return api_parity_in_workspace, (job.options.workspace.name, *args)
    return api_parity, args


STAGE_PARITY_ROWS = 200_000  # below this the check runs after the commit, on the target


def _stage_parity(job: Job) -> _Parity | None:
    """The MlflowClient check of the staging schema, started (after the row compare), or None: it runs after
    the commit instead (`_api_parity_after_commit`)."""
    if not job.options.verify_sample or job.result.rejected_rows:
        return None
    if job.options.workspace is not None:
        return None  # after the merge, on the target (MLflow's store would add experiment 0 to the stage)
    if sum(t.rows for t in job.result.tables) < STAGE_PARITY_ROWS:
        return None
    return _Parity(job)


def _api_parity_after_commit(job: Job) -> None:
    options, result = job.options, job.result
    if not (options.verify and options.verify_sample > 0):
        return
    if any(c.name in ("api parity", "auth api parity") for c in result.verify.checks):
        return  # done on the staging schema, beside the row compare
    from ..verification import Check

    assert job.target is not None
    with job.timer("verify"):
        if result.rejected_rows:
            check = Check("api parity", True, f"skipped: {result.rejected_rows} rejected row(s) are absent "
                                              "from the target by design; content was compared without them")
        elif options.workspace is not None:  # as a server's clients see workspace NAME: in a process of its own
            parity = _Parity(job, job.target, process=True)
            try:
                check = parity.result()
            finally:
                parity.close()
        else:
            fn, args = _parity_call(job, job.target)
            check = fn(*args)
        result.verify.checks.append(check)


__all__ = ["CopyOptions", "CopyResult", "Job", "sqlite_to_pg"]
