"""The row compare spread over worker processes: tables, and key ranges of the big ones, side by side.

The compare is Python work (rows from two drivers, normalised, merged), bound to one core per process.
Each worker process opens both sides itself, the same data as the main process sees: the SQLite side
is a snapshot file nobody writes; a PostgreSQL side is read under the snapshot the main process exported
from its REPEATABLE READ transaction (`SET TRANSACTION SNAPSHOT`), or is the quiescent staging schema of
a sqlite-to-pg run. A big table is cut into ranges of its first primary-key column (the boundaries from
a sample of the SQLite side, or the PostgreSQL side's); each range is compared in key order on its own,
the parts are summed into one TableCheck. The main process counts rows itself, so a range that missed a
row could not hide it: the counts would differ.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Sequence

from .. import spawn
from ..artifacts import Rule
from ..errors import MigratorError
from ..outcome import NULL_PROGRESS, Progress
from ..stores import KeyRange, Side, SideSpec, open_spec_side
from .compare import MAX_KEYS, compare_part
from .report import TableCheck

SPLIT_ROWS = 400_000  # tables of at least this many rows are compared in key ranges


_open_sides: dict[SideSpec, Side] = {}  # per worker process


def _side(spec: SideSpec) -> Side:
    side = _open_sides.get(spec)
    if side is None:
        side = _open_sides[spec] = open_spec_side(spec)
    return side


def _unit(src: SideSpec, tgt: SideSpec, table: str, part: KeyRange | None, rules: tuple[Rule, ...]) -> TableCheck:
    return compare_part(_side(src), _side(tgt), table, rules, part)


def key_ranges(src: Side, tgt: Side, table: str, rows: int, parts: int) -> list[KeyRange] | None:
    """`parts` ranges of about equal size of the table's first key column, or None (compared whole): a
    column that is a text or integer on both sides and holds no NULLs; boundaries from a random sample."""
    st, tt = src.tables[table], tgt.tables[table]
    key = tt.pk or st.pk
    if rows < SPLIT_ROWS or parts < 2 or not key:
        return None
    col = key[0]
    kinds = {c.name: c.kind for c in st.columns}, {c.name: c.kind for c in tt.columns}
    kind = kinds[1].get(col)
    if kind not in ("text", "int", "bigint", "smallint") or kinds[0].get(col) not in ("text", "int", "bigint",
                                                                                       "smallint", "other"):
        return None
    sample = src.sample_keys(table, col)
    if sample is None:
        return None
    want = int if kind != "text" else str
    if not sample or not all(type(v) is want for v in sample):
        return None  # mixed storage classes in SQLite: its order and PostgreSQL's would not agree
    sample.sort()
    bounds: list[Any] = []
    for i in range(1, parts):
        b = sample[len(sample) * i // parts]
        if not bounds or b > bounds[-1]:
            bounds.append(b)
    if not bounds:
        return None
    edges = [None, *bounds, None]
    return [KeyRange(col, kind == "text", lo, hi) for lo, hi in zip(edges, edges[1:])]


def compare_parallel(src: Side, tgt: Side, src_spec: SideSpec, tgt_spec: SideSpec, rules: Sequence[Rule],
                     jobs: int, progress: Progress = NULL_PROGRESS,
                     src_counts: dict[str, int] | None = None) -> list[TableCheck]:
    """What compare.compare_tables returns, from `jobs` worker processes; `src_counts`: the source's row
    counts, if the caller has them already."""
    src_counts = src_counts or {}
    checks: dict[str, TableCheck] = {}
    units: list[tuple[float, str, KeyRange | None]] = []
    for name in sorted(set(src.tables) | set(tgt.tables)):
        if name not in tgt.tables:
            checks[name] = TableCheck(name, src.count(name), None, "missing_in_target")
            continue
        if name not in src.tables:
            checks[name] = TableCheck(name, None, tgt.count(name), "missing_in_source")
            continue
        n, m = src_counts[name] if name in src_counts else src.count(name), tgt.count(name)
        checks[name] = TableCheck(name, n, m)
        if not n and not m:
            continue
        split = key_ranges(src, tgt, name, max(n, m), 2 * jobs)
        ranges: list[KeyRange | None] = list(split) if split else [None]
        units += [(max(n, m) / len(ranges), name, r) for r in ranges]
    total = int(sum(u[0] for u in units))
    label = f"verify ({jobs} processes)"
    if progress:
        progress.start(label, total)
    parts: dict[int, TableCheck] = {}  # unit index -> its result (merged in unit order: ranges in key order)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(jobs, len(units)) or 1, mp_context=ctx, initializer=spawn.quiet_worker) as pool:
        running = {}
        with spawn.hidden_main():  # submit() starts the worker processes
            for i in sorted(range(len(units)), key=lambda k: -units[k][0]):  # the biggest first
                _size, name, r = units[i]
                running[pool.submit(_unit, src_spec, tgt_spec, name, r, tuple(rules))] = i
        try:
            while running:
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for f in finished:
                    i = running.pop(f)
                    try:
                        parts[i] = f.result()
                    except BrokenProcessPool:
                        spawn.raise_if_interrupted()
                        raise MigratorError("a worker process of the parallel row compare died (killed, or out of "
                                            "memory); run again, or with --jobs 1") from None
                    if progress:
                        progress.advance(label, int(units[i][0]))
        except BaseException:
            spawn.stop_pool(pool)
            raise
    if progress:
        progress.done(label)
    for i in sorted(parts):
        _merge(checks[units[i][1]], parts[i])
    for c in checks.values():
        if c.status == "ok" and c.source_rows != c.target_rows:
            c.status = "mismatch"
    return [checks[n] for n in sorted(checks)]


def _merge(check: TableCheck, part: TableCheck) -> None:
    if part.status == "ok":
        return
    check.status = "mismatch"
    check.differing_rows += part.differing_rows
    for d in part.differences:
        if len(check.differences) >= MAX_KEYS:
            break
        if "columns" in d and "key" not in d and d in check.differences:
            continue  # the column sets differ: every part says so
        check.differences.append(d)
