"""Which pages of a SQLite file changed since a snapshot taken with the backup API, and whose they are.

SQLite's backup API copies a database page for page (same page numbers), so a snapshot and its source
can be compared byte for byte at the same offsets later. A row lives in one cell of one leaf page of its
table's b-tree (plus, when it is wide, a chain of overflow pages): any insert, update or delete rewrites
the leaf page it lands in (or an overflow page of the row). `table_runs` records, from SQLite's own
`dbstat` table, which pages each table's b-tree held in the snapshot; `changed_pages` lists the page
numbers whose bytes differ now (`page_digests` and `changed_by_digest` do the same against SHA-256 digests
taken with the snapshot, reading only the source); `table_leaves` lists the leaf pages of a table's b-tree in a file now from its
interior pages alone; `leaf` reads the row count and the first and last rowid of a leaf page (the table b-tree
page formats of https://www.sqlite.org/fileformat2.html, section 1.6).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from array import array
from pathlib import Path
from typing import IO, Any, Iterable, Sequence

from ..schema import quote_ident as q

LEAF, INTERIOR, OVERFLOW = 1, 2, 3
_TYPES = {"leaf": LEAF, "internal": INTERIOR, "overflow": OVERFLOW}
BLOCK = 1 << 22
TABLE_LEAF, TABLE_INTERIOR = 0x0D, 0x05  # the page type byte of a table b-tree's leaf and interior pages


def page_size(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA page_size").fetchone()[0])


def table_runs(conn: sqlite3.Connection, names: Iterable[str]) -> dict[str, Any]:
    """For each table: the pages of its b-tree (leaf, interior and overflow pages) as runs of consecutive pages
    of one kind, an (n, 3) numpy array of [first page, count, kind] rows. SQLite sorts dbstat's rows by page
    number; the runs are packed as they stream (no object per page or per run: a table of 50 M rows has
    about 850 k runs, its indexes' pages between its own)."""
    import numpy as np

    out: dict[str, Any] = {}
    for name in names:
        flat = array("q")
        first, count, last = 0, 0, -1
        for pgno, kind in conn.execute("SELECT pageno, pagetype FROM dbstat WHERE name = ? ORDER BY pageno",
                                       (name,)):
            k = _TYPES.get(str(kind), 0)
            if last == k and first + count == pgno:
                count += 1
                continue
            if last != -1:
                flat.extend((first, count, last))
            first, count, last = int(pgno), 1, k
        if last != -1:
            flat.extend((first, count, last))
        out[name] = np.frombuffer(flat, dtype=np.int64).reshape(-1, 3)
    return out


def dump_runs(f: IO[str], owned: dict[str, Any]) -> None:
    """`owned` (table_runs) as JSON, {table: [[first page, count, kind], ...]}, written a slice at a time."""
    import json

    f.write("{")
    for i, (name, runs) in enumerate(owned.items()):
        f.write(("," if i else "") + json.dumps(name) + ":[")
        for at in range(0, len(runs), 1 << 16):
            f.write(("," if at else "") + json.dumps(runs[at:at + (1 << 16)].tolist())[1:-1])
        f.write("]")
    f.write("}")


def load_runs(text: str) -> dict[str, Any]:
    """What dump_runs wrote, as table_runs returns it."""
    import json

    return {name: as_array(runs) for name, runs in json.loads(text).items()}


def all_runs(owned: dict[str, Any]) -> Any:
    """Every table's runs in one (n, 3) array."""
    import numpy as np

    return np.concatenate([np.asarray(r, dtype=np.int64).reshape(-1, 3) for r in owned.values()]) if owned \
        else np.zeros((0, 3), dtype=np.int64)


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


DIGEST = 32  # bytes of a page's SHA-256 (hashlib releases the GIL while it hashes a page)


def owned_pages(runs: Any) -> Any:
    """Every page of `runs` ([first page, count, kind] rows), sorted, each once, as a numpy array."""
    import numpy as np

    a = np.asarray(runs, dtype=np.int64).reshape(-1, 3)
    return _expand(a[:, 0], a[:, 1])


def _expand(first: Any, count: Any) -> Any:
    """The pages first[i] .. first[i] + count[i] - 1 of every i, sorted, each once."""
    import numpy as np

    out = np.repeat(first - (np.cumsum(count) - count), count)  # each page: its run's first - the run's offset
    out += np.arange(len(out), dtype=np.int64)
    out.sort()  # the runs of dbstat are disjoint: sorted, each page is there once
    return out


def _hash_pages(path: Path, size: int, owned: Any, on_block: Any) -> None:
    """Read the pages `owned` (sorted) of `path` in blocks of at most BLOCK bytes (the pages between them read
    through), on two threads (each half of the pages), calling on_block(index of the block's first page in
    `owned`, the block's digests) per block."""
    import hashlib
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    per = BLOCK // size
    pages_in_file = path.stat().st_size // size

    def part(lo: int, hi: int) -> None:
        with open(path, "rb", buffering=0) as f:
            i = lo
            while i < hi:
                first = int(owned[i])
                j = min(hi, int(np.searchsorted(owned, first + per)))  # the block: pages within `per` of `first`
                block = owned[i:j].tolist()
                f.seek((first - 1) * size)
                buf = memoryview(f.read((block[-1] - first + 1) * size))
                out = bytearray()
                sha = hashlib.sha256
                for p in block:
                    off = (p - first) * size
                    page = buf[off:off + size]
                    out += sha(page).digest() if len(page) == size and p <= pages_in_file \
                        else b"\0" * DIGEST  # a page past the file's end
                on_block(i, bytes(out))
                i = j

    half = len(owned) // 2
    with ThreadPoolExecutor(2) as pool:
        for f in [pool.submit(part, 0, half), pool.submit(part, half, len(owned))]:
            f.result()


def page_digests(path: Path, size: int, runs: Any, out: IO[bytes]) -> None:
    """Write the SHA-256 of every page of `runs` in `path`, in page order (DIGEST bytes each), into the file
    `out` (each block at its place: nothing held in memory)."""
    owned = owned_pages(runs)
    fd = out.fileno()
    os.ftruncate(fd, len(owned) * DIGEST)

    def put(i: int, d: bytes) -> None:
        os.pwrite(fd, d, i * DIGEST)

    _hash_pages(path, size, owned, put)


def changed_by_digest(digests: bytes, new: Path, size: int, runs: Any) -> set[int]:
    """Numbers of the pages of `runs` whose bytes in `new` no longer have the digest `page_digests` took of them
    (from the same runs): the snapshot is not read."""
    owned = owned_pages(runs)
    if len(digests) != len(owned) * DIGEST:
        raise ValueError("the page digests do not match the pages they were taken of")
    changed: set[int] = set()
    lock = threading.Lock()

    def check(i: int, d: bytes) -> None:
        if d == digests[i * DIGEST:i * DIGEST + len(d)]:
            return
        bad = [int(owned[i + k]) for k in range(len(d) // DIGEST)
               if d[k * DIGEST:(k + 1) * DIGEST] != digests[(i + k) * DIGEST:(i + k + 1) * DIGEST]]
        with lock:
            changed.update(bad)

    _hash_pages(new, size, owned, check)
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


def as_array(runs: Any) -> Any:
    """[first page, count, kind] runs as an (n, 3) numpy array sorted by first page (no object per page)."""
    import numpy as np

    a = np.asarray(runs, dtype=np.int64).reshape(-1, 3)
    return a[np.argsort(a[:, 0], kind="stable")]


def kinds_of(runs: Any, wanted: Iterable[int]) -> dict[int, int]:
    """page -> kind for the pages of `wanted` that `runs` (as_array) hold."""
    import numpy as np

    pg = np.array(sorted(wanted), dtype=np.int64)
    if not len(runs) or not len(pg):
        return {}
    i = np.searchsorted(runs[:, 0], pg, side="right") - 1
    ok = i >= 0
    j = np.where(ok, i, 0)
    ok &= pg < runs[j, 0] + runs[j, 1]
    return {int(p): int(k) for p, k in zip(pg[ok], runs[j[ok], 2])}


def read(f: IO[bytes], pgno: int, size: int) -> bytes:
    f.seek((pgno - 1) * size)
    return f.read(size)


def table_leaves(path: Path, root: int, size: int) -> Any:
    """The leaf pages of the table b-tree whose root is page `root` of `path`, read from its interior pages only:
    every leaf of a SQLite b-tree is at the same depth, so once one child of a level is a leaf, the level's
    pages are the leaves (they are not read here; the caller reads or compares each). None when a page on the
    way is not a table b-tree page (a WITHOUT ROWID table, a damaged file: the caller compares the table whole)."""
    import numpy as np

    pages_in_file = path.stat().st_size // size
    with open(path, "rb", buffering=0) as f:
        level: Any = array("q", [root])
        while True:
            first = read(f, level[0], size) if 0 < level[0] <= pages_in_file else b""
            kind = first[100 if level[0] == 1 else 0] if first else None
            if kind == TABLE_LEAF:
                return np.sort(np.frombuffer(level, dtype=np.int64))
            if kind != TABLE_INTERIOR:
                return None
            below = array("q")
            for pgno in level:
                page = first if pgno == level[0] else (read(f, pgno, size) if 0 < pgno <= pages_in_file else b"")
                base = 100 if pgno == 1 else 0
                if not page or page[base] != TABLE_INTERIOR:
                    return None
                ncells = int.from_bytes(page[base + 3:base + 5], "big")
                for n in range(ncells):
                    at = int.from_bytes(page[base + 12 + 2 * n:base + 14 + 2 * n], "big")
                    below.append(int.from_bytes(page[at:at + 4], "big"))
                below.append(int.from_bytes(page[base + 8:base + 12], "big"))  # the right-most child
            if not all(0 < p <= pages_in_file for p in below):
                return None
            level = below


def run_pages(runs: Any, kind: int) -> Any:
    """Every page of the runs (as_array) of one kind, as a sorted numpy array."""
    import numpy as np

    sel = runs[runs[:, 2] == kind] if len(runs) else np.zeros((0, 3), dtype=np.int64)
    return _expand(sel[:, 0], sel[:, 1])


def _members(a: Any, b: Any) -> Any:
    """Which elements of `a` are in the sorted array `b`."""
    import numpy as np

    if not len(b):
        return np.zeros(len(a), dtype=bool)
    i = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return b[i] == a


def leaf_difference(old_leaves: Any, new_leaves: Any, changed: set[int]) -> tuple[list[int], list[int]]:
    """The leaves to read on each side: (pages that are leaves now but were not leaves of the table in the
    snapshot, or changed), (pages that were leaves of it in the snapshot but are not now, or changed); both
    arrays sorted. Every other leaf is the same page, byte for byte, on both sides: the same rows."""
    import numpy as np

    moved = np.array(sorted(changed), dtype=np.int64)
    new = new_leaves[~_members(new_leaves, old_leaves) | _members(new_leaves, moved)]
    old = old_leaves[~_members(old_leaves, new_leaves) | _members(old_leaves, moved)]
    return [int(p) for p in new], [int(p) for p in old]


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    v = 0
    for k in range(8):
        c = buf[i + k]
        v = (v << 7) | (c & 0x7F)
        if c < 0x80:
            return v, i + k + 1
    return (v << 8) | buf[i + 8], i + 9


def leaf(page: bytes, pgno: int) -> tuple[int, tuple[int, int] | None] | None:
    """(rows on a table b-tree leaf page, (its first rowid, its last rowid) or None when it holds none); None
    for another kind of page."""
    base = 100 if pgno == 1 else 0
    if page[base] != TABLE_LEAF:
        return None
    ncells = int.from_bytes(page[base + 3:base + 5], "big")
    if ncells == 0:
        return 0, None

    def rowid(n: int) -> int:
        at = int.from_bytes(page[base + 8 + 2 * n:base + 10 + 2 * n], "big")
        _size, at = _varint(page, at)
        value, _ = _varint(page, at)
        return value - (1 << 64) if value >= 1 << 63 else value

    return ncells, (rowid(0), rowid(ncells - 1))


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
