"""COPY text of a table's rows: SQLite concatenates and escapes; Python formats floats."""

from __future__ import annotations

import sqlite3
from typing import Any, Callable, Iterator, Sequence

from .. import schema
from ..artifacts import Rule
from ..schema import Table
from ..schema import quote_ident as q
from .preflight import value_expr

FETCH = 5_000


_NULL = "'\\N'"

def _text_sql(expr: str) -> str:
    esc = (f"replace(replace(replace(replace({expr}, '\\', '\\\\'), char(9), '\\t'), "
           f"char(10), '\\n'), char(13), '\\r')")
    return f"coalesce({esc}, {_NULL})"

def _col_sql(t: Table, c: schema.Column, cols: Sequence[str], rules: Sequence[Rule]) -> str | None:
    """SQL producing the COPY text of one column, or None when Python must format it (floats)."""
    if c.kind in ("float", "float4"):
        return None
    col = q(c.name)
    if c.kind in ("int", "smallint", "bigint"):
        return f"coalesce(CAST({col} AS TEXT), {_NULL})"
    if c.kind == "bool":
        return f"CASE {col} WHEN 1 THEN 't' WHEN 0 THEN 'f' ELSE {_NULL} END"
    if c.kind == "bytes":
        return f"CASE WHEN {col} IS NULL THEN {_NULL} ELSE '\\\\x' || hex({col}) END"
    return _text_sql(value_expr(t.name, c.name, cols, rules))

def _float_text(v: Any) -> str:
    return "\\N" if v is None else repr(float(v))

def _plain_col_sql(c: schema.Column, cols: Sequence[str], t: Table, rules: Sequence[Rule]) -> str | None:
    """Like _col_sql for a NOT NULL column, without escaping (the chunk is checked afterwards)."""
    if c.kind in ("float", "float4"):
        return None
    if c.kind in ("int", "smallint", "bigint"):
        return f"CAST({q(c.name)} AS TEXT)"
    if c.kind == "bool":
        return f"CASE {q(c.name)} WHEN 1 THEN 't' WHEN 0 THEN 'f' END"
    return value_expr(t.name, c.name, cols, rules)

def _select(columns: list[schema.Column], make: Callable[[schema.Column], str | None]) -> tuple[list[str], list[str]]:
    """SQL expressions (consecutive SQL-formatted columns joined by tabs) and their kinds ('s' or float 'F'/'f')."""
    parts: list[str] = []
    fmt: list[str] = []
    run: list[str] = []
    for c in columns:
        sql = make(c)
        if sql is None:
            if run:
                parts.append(" || char(9) || ".join(run))
                fmt.append("s")
                run = []
            parts.append(q(c.name))
            fmt.append("F" if c.notnull else "f")
        else:
            run.append(sql)
    if run:
        parts.append(" || char(9) || ".join(run))
        fmt.append("s")
    return parts, fmt

def _renderer(fmt: list[str], offset: int = 0) -> Callable[[list[tuple]], str]:
    if fmt == ["s"]:
        return lambda rows: "\n".join([r[offset] for r in rows]) + "\n"
    fields = []
    for i, f in enumerate(fmt, start=offset):
        fields.append(f"{{r[{i}]}}" if f == "s" else f"{{rp(r[{i}])}}" if f == "F" else f"{{ft(r[{i}])}}")
    src = "lambda rows: ''.join([f\"" + "\\t".join(fields) + "\\n\" for r in rows])"
    return eval(src, {"rp": repr, "ft": _float_text})  # noqa: S307 - built from fixed fragments only

def row_stream(sconn: sqlite3.Connection, t: Table, columns: list[schema.Column], rules: Sequence[Rule],
               exclude_rejected: bool, on_rows: Callable[[int], None], where: str | None = None) -> Iterator[str]:
    """COPY text for table t, in chunks: SQLite concatenates and escapes; Python formats floats.

    Rows come in rowid order; `where` limits them (an SQL condition).

    Tables whose columns are all NOT NULL (and not binary) take a fast path: values are selected
    unescaped and each chunk is checked as a whole (no backslash or CR, exactly one tab per column
    gap and one newline per row); a chunk that fails the check is re-read with SQL escaping.
    """
    names = [c.name for c in columns]
    conds = []
    if exclude_rejected:
        conds.append(f"rowid NOT IN (SELECT rid FROM temp.mig_rej WHERE tbl = '{t.name}')")
    if where is not None:
        conds.append(f"({where})")
    order = " ORDER BY rowid"
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    parts, fmt = _select(columns, lambda c: _col_sql(t, c, names, rules))
    render = _renderer(fmt)
    fast = all(c.notnull and c.kind != "bytes" for c in columns)
    if not fast:
        cur = sconn.execute(f"SELECT {', '.join(parts)} FROM {q(t.name)}{where}")
        while rows := cur.fetchmany(FETCH):
            yield render(rows)
            on_rows(len(rows))
        return
    pparts, pfmt = _select(columns, lambda c: _plain_col_sql(c, names, t, rules))
    prender = _renderer(pfmt, offset=1)
    escaped = _renderer(fmt, offset=1)
    tabs = len(columns) - 1
    cur = sconn.execute(f"SELECT rowid, {', '.join(pparts)} FROM {q(t.name)}{where}{order}")
    slow_sql = f"SELECT rowid, {', '.join(parts)} FROM {q(t.name)} WHERE rowid IN "
    while rows := cur.fetchmany(FETCH):
        text = prender(rows)
        if ("\\" in text or "\r" in text or text.count("\n") != len(rows)
                or text.count("\t") != tabs * len(rows)):
            ids = [int(r[0]) for r in rows]
            by_id = {r[0]: r for r in sconn.execute(slow_sql + "(" + ",".join(map(str, ids)) + ")")}
            text = escaped([by_id[i] for i in ids])  # re-read with escaping, in the same row order
        yield text
        on_rows(len(rows))

class ChunkReader:
    """File-like object for psycopg2 copy_expert that pulls chunks from a generator."""

    def __init__(self, chunks: Iterator[str]) -> None:
        self.chunks = chunks

    def read(self, size: int = -1) -> str:
        return next(self.chunks, "")

    readline = read


def source_columns_of(sconn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in sconn.execute(f'PRAGMA table_xinfo("{table}")') if not r[6]]
