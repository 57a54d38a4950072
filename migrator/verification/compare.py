"""Row-by-row comparison of two sides: every row of every table in primary-key order, floats bit for bit."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable, Iterator, Sequence

from ..artifacts import Rule, columns_for, rewrite_uri
from ..outcome import NULL_PROGRESS, Progress
from ..schema import Table
from ..stores import KeyRange, Side
from .binary import equal_bytes
from .report import TableCheck

MAX_KEYS = 10
SECRET_HINTS = ("secret", "password", "encrypted", "dek", "token", "api_key")


def _float(v: Any) -> Any:
    return None if v is None else repr(float(v))

def _bool(v: Any) -> Any:
    return None if v is None else int(v)

def _bytes(v: Any) -> Any:
    return None if v is None else bytes(v) if not isinstance(v, str) else v.encode()

def _date(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return dt.date.fromisoformat(str(v)[:10]).isoformat() if len(str(v)) >= 10 else v

def _datetime(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None)
    try:
        return dt.datetime.fromisoformat(str(v))
    except ValueError:
        return v

def _json(v: Any) -> Any:
    if v is None or not isinstance(v, str):
        return v
    try:
        return json.dumps(json.loads(v), sort_keys=True)
    except ValueError:
        return v

_NORM: dict[str, Callable[[Any], Any]] = {"float": _float, "float4": _float, "bool": _bool, "bytes": _bytes,
                                          "date": _date, "datetime": _datetime, "jsonb": _json}

def _normalizer(t: Table, cols: Sequence[str], kinds: dict[str, str], rules: Sequence[Rule],
                key: Sequence[str]) -> Callable[[tuple], tuple]:
    """Row -> comparable tuple. Floats become repr() (bit-exact, NaN-safe); float key columns stay
    floats (so rows still sort as in the database) and their repr() is appended at the end."""
    env: dict[str, Any] = {"rw": lambda v: rewrite_uri(v, rules)}
    exprs, tail = [], []
    art = {a.column: a for a in columns_for(t.name, cols)} if rules else {}
    for i, c in enumerate(cols):
        e = f"r[{i}]"
        kind = kinds.get(c, "")
        fn = _NORM.get(kind)
        if kind in ("float", "float4") and c in key:
            env[f"n{i}"] = _float
            tail.append(f"n{i}({e})")
            env[f"f{i}"] = _key_float
            e = f"f{i}({e})"
        elif fn is not None:
            env[f"n{i}"] = fn
            e = f"n{i}({e})"
        if c in art:
            a = art[c]
            if a.key_column is None:
                e = f"rw({e})"
            else:
                env[f"k{i}"] = set(a.keys)
                e = f"(rw({e}) if r[{cols.index(a.key_column)}] in k{i} else {e})"
        exprs.append(e)
    return eval("lambda r: (" + ", ".join(exprs + tail) + ",)", env)  # noqa: S307 - fixed fragments only

def _key_float(v: Any) -> Any:
    return None if v is None else float(v)

def _redact_value(table: str, col: str, v: Any) -> Any:
    if any(h in table.lower() or h in col.lower() for h in SECRET_HINTS):
        return "***"
    if isinstance(v, bytes):
        return "0x" + v[:32].hex() + ("..." if len(v) > 32 else "")
    if isinstance(v, str) and len(v) > 200:
        return v[:200] + "..."
    return v

def compare_tables(src: Side, tgt: Side, rules: Sequence[Rule] = (), exclude_rejected: bool = False,
                   progress: Progress = NULL_PROGRESS) -> list[TableCheck]:
    out: list[TableCheck] = []
    for name in sorted(set(src.tables) | set(tgt.tables)):
        if name not in tgt.tables:
            out.append(TableCheck(name, src.count(name), None, "missing_in_target"))
            continue
        if name not in src.tables:
            out.append(TableCheck(name, None, tgt.count(name), "missing_in_source"))
            continue
        out.append(_compare_table(src, tgt, name, rules, exclude_rejected, progress))
    return out

def compare_part(src: Side, tgt: Side, name: str, rules: Sequence[Rule], part: KeyRange | None) -> TableCheck:
    """One table, or one key range of it, compared row by row (counts left to the caller: None)."""
    return _compare_table(src, tgt, name, rules, False, NULL_PROGRESS, part=part, counts=False)


def _compare_table(src: Side, tgt: Side, name: str, rules: Sequence[Rule], exclude_rejected: bool,
                   progress: Progress, part: KeyRange | None = None, counts: bool = True) -> TableCheck:
    st, tt = src.tables[name], tgt.tables[name]
    check = (TableCheck(name, src.count(name, exclude_rejected), tgt.count(name)) if counts
             else TableCheck(name, None, None))
    scols = [c.name for c in st.columns]
    tcols = [c.name for c in tt.columns]
    if set(scols) != set(tcols):
        check.status = "mismatch"
        check.differences.append({"columns": {"only_in_source": sorted(set(scols) - set(tcols)),
                                              "only_in_target": sorted(set(tcols) - set(scols))}})
        return check
    cols = tcols
    key = tt.pk or st.pk or cols
    # kinds from the target (PostgreSQL knows bool/json/date exactly); fall back to the source's
    kinds = {c.name: c.kind for c in st.columns}
    kinds.update({c.name: c.kind for c in tt.columns if c.kind != "other"})
    for c in st.columns:  # a bool on either side normalises both
        if c.kind in ("bool", "float", "float4"):
            kinds[c.name] = c.kind
    nsrc = _normalizer(st, cols, kinds, rules, key)
    ntgt = _normalizer(tt, cols, kinds, (), key)
    kidx = [cols.index(k) for k in key]
    total = max(check.source_rows or 0, check.target_rows or 0)
    if progress:
        progress.start(f"verify {name}", total)
    if not exclude_rejected and not (rules and columns_for(name, cols)) and equal_bytes(src, tgt, st, tt, cols, key, part):
        if progress:  # proven equal byte for byte (binary.py); otherwise the rows are compared one by one below
            progress.advance(f"verify {name}", total)
            progress.done(f"verify {name}")
        if counts and check.source_rows != check.target_rows:
            check.status = "mismatch"
        return check
    a_raw: Iterator[tuple] = iter(src.rows(st, cols, key, exclude_rejected, part))
    b_raw: Iterator[tuple] = _prefetch(tgt.rows(tt, cols, key, part=part))
    simple = {"text", "int", "smallint", "bigint", "float", "float4", "bool", "bytes"}
    if all(kinds.get(c) in simple for c in cols) and not (rules and columns_for(name, cols)):
        a_raw, b_raw = _fast_equal_prefix(a_raw, b_raw, [i for i, c in enumerate(cols) if "float" in kinds[c]],
                                          progress, name)
    _merge_compare(check, map(nsrc, a_raw), map(ntgt, b_raw), cols, key, kidx, progress)
    if progress:
        progress.done(f"verify {name}")
    if counts and check.source_rows != check.target_rows and check.status == "ok":
        check.status = "mismatch"
    return check


def _merge_compare(check: TableCheck, a_it: Iterator[tuple], b_it: Iterator[tuple], cols: list[str],
                   key: Sequence[str], kidx: list[int], progress: Progress) -> None:
    """Both sides in key order, normalised: a merge join that records every difference in `check`."""
    name = check.table
    a, b = next(a_it, None), next(b_it, None)
    seen = 0
    while a is not None and b is not None:
        if a == b:  # the common case: one tuple comparison per row
            a, b = next(a_it, None), next(b_it, None)
        else:
            ka, kb = tuple(a[i] for i in kidx), tuple(b[i] for i in kidx)
            if ka == kb:
                diff = {cols[i]: [_redact_value(name, cols[i], x), _redact_value(name, cols[i], y)]
                        for i, (x, y) in enumerate(zip(a, b)) if x != y and i < len(cols)}
                if not diff:  # only the bit pattern of a float key differs (e.g. -0.0 vs 0.0)
                    diff = {key[j]: [a[len(cols) + j], b[len(cols) + j]] for j in range(len(a) - len(cols))}
                _add(check, name, key, a, kidx, {"columns": diff})
                a, b = next(a_it, None), next(b_it, None)
            elif _key_lt(ka, kb):
                _add(check, name, key, a, kidx, {"missing_in": "target"})
                a = next(a_it, None)
            else:
                _add(check, name, key, b, kidx, {"missing_in": "source"})
                b = next(b_it, None)
        seen += 1
        if progress and seen % 100_000 == 0:
            progress.advance(f"verify {name}", 100_000)
    while a is not None:
        _add(check, name, key, a, kidx, {"missing_in": "target"})
        a = next(a_it, None)
    while b is not None:
        _add(check, name, key, b, kidx, {"missing_in": "source"})
        b = next(b_it, None)


def _fast_equal_prefix(a: Iterator[tuple], b: Iterator[tuple], float_idx: list[int], progress: Progress,
                       name: str, batch: int = 10_000) -> tuple[Iterator[tuple], Iterator[tuple]]:
    """Skip the leading batches that are equal as raw rows (bool == 0/1, memoryview == bytes, floats
    also compared bit for bit with struct); hand back iterators positioned at the first batch that is
    not, for the row-by-row merge."""
    import itertools
    import struct

    while True:
        xa = list(itertools.islice(a, batch))
        xb = list(itertools.islice(b, batch))
        same = len(xa) == len(xb) and xa == xb
        if same and float_idx and xa:
            fmt = f"<{len(xa) * len(float_idx)}d"
            # xa == xb already holds, so NULLs sit at the same places on both sides
            same = (struct.pack(fmt, *[0.0 if r[i] is None else r[i] for r in xa for i in float_idx])
                    == struct.pack(fmt, *[0.0 if r[i] is None else r[i] for r in xb for i in float_idx]))
        if not same or not xa:
            return itertools.chain(xa, a), itertools.chain(xb, b)
        if progress:
            progress.advance(f"verify {name}", len(xa))

def _key_lt(x: tuple, y: tuple) -> bool:
    try:
        return x < y
    except TypeError:  # mixed types in one column: fall back to a stable order
        return tuple(map(repr, x)) < tuple(map(repr, y))

def _prefetch(rows: Iterator[tuple], depth: int = 2, batch: int = 10_000) -> Iterator[tuple]:
    """Read `rows` in a background thread (the database driver releases the GIL while it waits)."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            buf = []
            for r in rows:
                buf.append(r)
                if len(buf) >= batch:
                    q.put(buf)
                    buf = []
                    if stop.is_set():
                        return
            q.put(buf)
            q.put(done)
        except BaseException as e:  # handed to the consumer, re-raised there
            q.put(e)

    th = threading.Thread(target=work, daemon=True)
    th.start()
    try:
        while True:
            item = q.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield from item
    finally:
        stop.set()
        while th.is_alive():
            try:
                q.get_nowait()
            except Exception:
                th.join(0.05)


def _add(check: TableCheck, name: str, key: Sequence[str], row: tuple, kidx: list[int], what: dict[str, Any]) -> None:
    check.status = "mismatch"
    check.differing_rows += 1
    if len(check.differences) < MAX_KEYS:
        k = {kn: _redact_value(name, kn, row[i]) for kn, i in zip(key, kidx)}
        check.differences.append({"key": k, **what})
