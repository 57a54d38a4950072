"""The plan of a copy: preflight (in the foreground or in a thread beside the index rebuild), counts, rewrites."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Sequence

from .. import schema
from ..artifacts import Rule, columns_for
from ..errors import PreflightFailed, SchemaError
from ..schema import Table
from ..schema import quote_ident as q
from ..stores import sqlite_db
from .preflight import Preflight, Problem, value_expr
from .result import CopyOptions, CopyResult, TableResult, Timer


def plan(sconn: sqlite3.Connection, tgt_tables: dict[str, Table], src_tables: dict[str, Table],
          options: CopyOptions, result: CopyResult, timer: Timer) -> None:
    """Preflight + counts + rewrites; fills result; raises PreflightFailed in fail mode."""
    source_cols = source_columns(src_tables, tgt_tables)
    with timer("preflight"):
        pf = Preflight(sconn, tgt_tables, source_cols, options.rules)
        problems = pf.scan()
        if problems and options.on_bad_row == "skip":
            problems += pf.follow_dependants()
    fill_plan(sconn, tgt_tables, source_cols, options, result, pf.rejected_counts())
    check_problems(problems, options, result)
    if problems and options.reject_file and not options.dry_run:
        pf.write_rejects(options.reject_file, problems)
        result.reject_file = str(options.reject_file)

def fill_plan(sconn: sqlite3.Connection, tgt_tables: dict[str, Table], source_cols: dict[str, list[str]],
               options: CopyOptions, result: CopyResult, rejected: dict[str, int], beside_copy: bool = False) -> None:
    """Row counts (`beside_copy`: a big table's is taken in a thread while the COPY runs; `TableResult.settle`)
    and rewrite counts."""
    result.rejected_rows = sum(rejected.values())
    result.tables = []
    path = sconn.execute("PRAGMA database_list").fetchone()[2] if beside_copy and not rejected else ""
    for name in schema.insert_order(tgt_tables):
        span = _rowid_span(sconn, name) if path else None
        if span is not None and COUNT_BESIDE_ROWS <= span <= MAX_SPAN_ESTIMATE:
            result.tables.append(TableResult(name, span, counting=_Count(path, name)))
            continue
        n = sconn.execute(f"SELECT count(*) FROM {q(name)}").fetchone()[0]
        result.tables.append(TableResult(name, n - rejected.get(name, 0), rejected.get(name, 0)))
    result.rewrites = count_rewrites(sconn, tgt_tables, source_cols, options.rules)

COUNT_BESIDE_ROWS = 1_000_000  # a table whose rowids span this many is counted in a thread, beside the COPY
# ... unless they span more than this: the span stands for the count until the count is in, and a span of
# ids such as MLflow's file store makes (up to 2^63) would plan the load for that many rows
MAX_SPAN_ESTIMATE = 2**31


def _rowid_span(sconn: sqlite3.Connection, name: str) -> int | None:
    """max(rowid) - min(rowid) + 1 (0: empty): at least the table's rows, from two walks down the b-tree."""
    try:
        lo, hi = sqlite_db.rowid_bounds(sconn, name)
    except sqlite3.Error:  # WITHOUT ROWID: counted at once
        return None
    return 0 if lo is None else int(hi) - int(lo) + 1


class _Count:
    """`SELECT count(*)` of a big table on a connection of its own, in a thread (SQLite releases the GIL):
    2.7 s at 15 M rows that used to hold up the COPY. The COPY's own row count is checked against it."""

    def __init__(self, path: str, table: str) -> None:
        from concurrent.futures import Future

        self.future: Future = Future()

        def work() -> None:
            try:
                conn = sqlite3.connect(sqlite_db.ro_uri(path), uri=True)
                try:
                    self.future.set_result(conn.execute(f"SELECT count(*) FROM {q(table)}").fetchone()[0])
                finally:
                    conn.close()
            except BaseException as e:  # noqa: BLE001 - handed to result()
                self.future.set_exception(e)

        threading.Thread(target=work, daemon=True, name=f"migrator-count-{table}").start()

    def result(self) -> int:
        return int(self.future.result())


def check_problems(problems: list[Problem], options: CopyOptions, result: CopyResult) -> None:
    result.problems = problems
    if problems and options.on_bad_row != "skip":
        big_ids = sum(1 for p in problems if p.table == "experiments" and p.column == "experiment_id"
                      and "out of range" in p.problem)
        hint = (f" {big_ids} experiment id(s) do not fit PostgreSQL's integer (MLflow's file store makes such ids): "
                "rerun with --renumber-experiments to give them new ids (each keeps its old id in the tag "
                "migrator.renumbered_from)." if big_ids else "")
        raise PreflightFailed(
            f"preflight found {len(problems)} problem(s) PostgreSQL would reject (listed above); nothing was "
            f"written.{hint} Fix them in a copy of the store, or rerun with --on-bad-row skip --reject-file PATH",
            problems)

class BackgroundPreflight:
    """Fail mode: the preflight scans its own connection to the snapshot in a thread (SQLite releases the
    GIL while it scans) while PostgreSQL rebuilds the indexes after the COPY (mostly one busy core); the
    transaction only commits if it found nothing. The tables whose checks rode on their COPY's stream
    (`start(riding)`) are not read again: only the rows that stream flagged are looked at."""

    def __init__(self, snap_path: Path, tables: dict[str, Table], source_cols: dict[str, list[str]],
                 rules: Sequence[Rule]) -> None:
        self.args = (snap_path, tables, source_cols, rules)
        self.problems: list[Problem] = []
        self.error: BaseException | None = None
        self.seconds = 0.0
        self.riding: dict[str, list[int] | None] = {}

        def work() -> None:
            t0 = time.perf_counter()
            conn = sqlite3.connect(sqlite_db.ro_uri(snap_path), uri=True, check_same_thread=False)
            try:
                self.problems = Preflight(conn, tables, source_cols, rules, thorough=False).scan(self.riding)
            except BaseException as e:  # re-raised by result()
                self.error = e
            finally:
                conn.close()
                self.seconds = time.perf_counter() - t0

        self.thread = threading.Thread(target=work, daemon=True)

    def start(self, riding: dict[str, list[int] | None] | None = None) -> None:
        """`riding`: per table whose checks rode on its COPY, the rowids that stream flagged (None: too many to
        remember, the table is scanned whole)."""
        if self.thread.ident is None:
            self.riding = dict(riding or {})
            self.thread.start()

    def result(self) -> list[Problem]:
        self.start()
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.problems

    def thorough(self) -> list[Problem]:
        """Everything, NUL bytes and invalid UTF-8 included (after the copy hit a row it could not take)."""
        self.result()
        snap_path, tables, source_cols, rules = self.args
        conn = sqlite3.connect(sqlite_db.ro_uri(snap_path), uri=True)
        try:
            return Preflight(conn, tables, source_cols, rules).scan()
        finally:
            conn.close()

def source_columns(src: dict[str, Table], tgt: dict[str, Table]) -> dict[str, list[str]]:
    extra_tables = sorted(set(src) - set(tgt))
    if extra_tables:
        raise SchemaError(
            f"the source has tables that MLflow's schema does not create: {', '.join(extra_tables)}; "
            "migrator copies MLflow's tables only: move them aside in a copy of the store")
    out = {}
    for name, t in tgt.items():
        s = src.get(name)
        scols = [c.name for c in s.columns] if s else []
        missing = [c for c in scols if c not in {tc.name for tc in t.columns}]
        if missing:
            raise SchemaError(
                f"source table {name} has columns that MLflow's schema does not create: {', '.join(missing)}; "
                "migrator copies MLflow's columns only: drop them (or save their values) in a copy of the store")
        out[name] = scols
    return out

def count_rewrites(sconn: sqlite3.Connection, tables: dict[str, Table], source_cols: dict[str, list[str]],
                   rules: Sequence[Rule]) -> dict[str, int]:
    out: dict[str, int] = {}
    if not rules:
        return out
    for name in tables:
        for a in columns_for(name, source_cols.get(name, [])):
            expr = value_expr(name, a.column, source_cols[name], rules)
            n = sconn.execute(f"SELECT count(*) FROM {q(name)} WHERE {expr} IS NOT {q(a.column)}").fetchone()[0]
            out[a.label] = int(n)
    return out
