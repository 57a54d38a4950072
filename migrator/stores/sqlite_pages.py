"""Which pages of a SQLite file changed since a snapshot taken with the backup API, and whose they are.

SQLite's backup API copies a database page for page (same page numbers), so a snapshot and its source
can be compared byte for byte at the same offsets later. A row lives in one cell of one leaf page of its
table's b-tree (plus, when it is wide, a chain of overflow pages): any insert, update or delete rewrites
the leaf page it lands in (or an overflow page of the row). `table_runs` records, from SQLite's own
`dbstat` table, which pages each table's b-tree held in the snapshot; `changed_pages` lists the page
numbers whose bytes differ now; `leaf_rowids` reads the first and last rowid of a leaf page (the table
b-tree leaf format of https://www.sqlite.org/fileformat2.html, section 1.6).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable, Sequence

from ..schema import quote_ident as q

LEAF, INTERIOR, OVERFLOW = 1, 2, 3
_TYPES = {"leaf": LEAF, "internal": INTERIOR, "overflow": OVERFLOW}
BLOCK = 1 << 22


def page_size(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA page_size").fetchone()[0])


def table_runs(conn: sqlite3.Connection, names: Iterable[str]) -> dict[str, list[list[int]]]:
    """For each table: the pages of its b-tree (leaf, interior and overflow pages) as [first page, count, kind]
    runs of consecutive pages of one kind. SQLite sorts dbstat's rows by page number; each run is built as
    they stream (one list per run, never one object per page: a 15 M-row table has about 700 k pages)."""
    out: dict[str, list[list[int]]] = {}
    for name in names:
        runs: list[list[int]] = []
        last: list[int] = [0, 0, -1]
        for pgno, kind in conn.execute("SELECT pageno, pagetype FROM dbstat WHERE name = ? ORDER BY pageno",
                                       (name,)):
            k = _TYPES.get(str(kind), 0)
            if last[2] == k and last[0] + last[1] == pgno:
                last[1] += 1
            else:
                last = [int(pgno), 1, k]
                runs.append(last)
        out[name] = runs
    return out


def changed_pages(old: Path, new: Path, size: int, runs: Iterable[Sequence[int]]) -> set[int]:
    """Numbers (1-based) of the pages of `runs` ([first page, count, ...]) whose bytes differ between two
    files of the same page size (a page present in only one of them included). Reads in large blocks."""
    changed: set[int] = set()
    per = BLOCK // size
    with open(old, "rb", buffering=0) as a, open(new, "rb", buffering=0) as b:
        for first, count in _spans(runs):
            for start in range(first, first + count, per):
                n = min(per, first + count - start)
                a.seek((start - 1) * size)
                b.seek((start - 1) * size)
                x, y = a.read(n * size), b.read(n * size)
                if x == y:
                    continue
                for i in range(n):
                    if x[i * size:(i + 1) * size] != y[i * size:(i + 1) * size]:
                        changed.add(start + i)
    return changed


def _spans(runs: Iterable[Sequence[int]]) -> list[tuple[int, int]]:
    """Sorted, merged (first page, count) spans; spans less than 17 pages apart are read as one."""
    out: list[list[int]] = []
    for first, count, *_ in sorted((int(r[0]), int(r[1])) for r in runs):
        if out and first <= out[-1][0] + out[-1][1] + 16:
            out[-1][1] = max(out[-1][1], first + count - out[-1][0])
        else:
            out.append([first, count])
    return [(a, n) for a, n in out]


def read_page(path: Path, pgno: int, size: int) -> bytes:
    with open(path, "rb") as f:
        f.seek((pgno - 1) * size)
        return f.read(size)


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    v = 0
    for k in range(8):
        c = buf[i + k]
        v = (v << 7) | (c & 0x7F)
        if c < 0x80:
            return v, i + k + 1
    return (v << 8) | buf[i + 8], i + 9


def leaf_rowids(page: bytes, pgno: int) -> tuple[int, int] | None:
    """(first rowid, last rowid) of a table b-tree leaf page; None for an empty leaf or another kind of page."""
    base = 100 if pgno == 1 else 0
    if page[base] != 0x0D:
        return None
    ncells = int.from_bytes(page[base + 3:base + 5], "big")
    if ncells == 0:
        return None

    def rowid(n: int) -> int:
        at = int.from_bytes(page[base + 8 + 2 * n:base + 10 + 2 * n], "big")
        _size, at = _varint(page, at)
        value, _ = _varint(page, at)
        return value - (1 << 64) if value >= 1 << 63 else value

    return rowid(0), rowid(ncells - 1)


def count_between(conn: sqlite3.Connection, table: str, ranges: list[tuple[int | None, int | None]],
                  schema_name: str = "main") -> int:
    """Rows of `table` whose rowid lies in any of the (lo exclusive, hi inclusive] ranges (None: open)."""
    where = rowid_condition(ranges, "rowid")
    return int(conn.execute(f"SELECT count(*) FROM {schema_name}.{q(table)} WHERE {where}").fetchone()[0])


def rowid_condition(ranges: list[tuple[int | None, int | None]], col: str) -> str:
    """SQL for `col` in any of the (lo, hi] ranges; '0' for none."""
    parts = []
    for lo, hi in ranges:
        conds = ([f"{col} > {int(lo)}"] if lo is not None else []) + ([f"{col} <= {int(hi)}"] if hi is not None else [])
        parts.append("(" + " AND ".join(conds) + ")" if conds else "1")
    return " OR ".join(parts) if parts else "0"
