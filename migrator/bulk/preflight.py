"""Find, before any write, every source row PostgreSQL would reject; follow rejects to dependants.

All scans run inside SQLite (one pass per table, plus one per foreign key) on the snapshot;
Python only looks at the rows SQLite flags.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ..artifacts import Rule, columns_for, rewrite_uri
from ..files import open_private
from ..schema import Table
from ..schema import quote_ident as q
from ..stores.binary_copy import INT_RANGE


@dataclass
class Problem:
    table: str
    key: dict[str, Any]
    column: str | None
    problem: str
    rowid: int = field(default=0, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table, "key": self.key, "column": self.column, "problem": self.problem}

    def __str__(self) -> str:
        key = ", ".join(f"{k}={v!r}" for k, v in self.key.items())
        col = f" column {self.column}:" if self.column else ":"
        return f"{self.table} ({key}){col} {self.problem}"


def register_rewrite(conn: sqlite3.Connection, rules: Sequence[Rule]) -> None:
    conn.create_function("mig_rewrite", 1, lambda v: rewrite_uri(v, rules) if isinstance(v, str) else v,
                         deterministic=True)


def value_expr(table: str, column: str, columns: Sequence[str], rules: Sequence[Rule]) -> str:
    """SQL for the value as it will be written: artifact columns go through the rewrite rules."""
    if rules:
        for a in columns_for(table, columns):
            if a.column != column:
                continue
            if a.key_column is None:
                return f"mig_rewrite({q(column)})"
            keys = ", ".join("'" + k.replace("'", "''") + "'" for k in a.keys)
            return f"CASE WHEN {q(a.key_column)} IN ({keys}) THEN mig_rewrite({q(column)}) ELSE {q(column)} END"
    return q(column)


def _checks(t: Table, source_cols: Sequence[str], rules: Sequence[Rule],
            thorough: bool = True) -> list[tuple[str, str, str]]:
    """(column, condition SQL, check name) for every column of the target table.

    thorough=False leaves out the NUL and UTF-8 scans (the costliest); the copy path detects both
    anyway (Python's decoder and PostgreSQL refuse them), and then reruns the thorough scan."""
    out: list[tuple[str, str, str]] = []
    for c in t.columns:
        if c.name not in source_cols:
            continue
        col = q(c.name)
        if c.notnull:
            out.append((c.name, f"{col} IS NULL", "null"))
        if c.kind in ("text", "json", "jsonb", "date", "datetime", "other"):
            out.append((c.name, f"typeof({col}) = 'blob'", "blob_in_text"))
            if thorough:
                out.append((c.name, f"typeof({col}) = 'text' AND instr(CAST({col} AS BLOB), x'00') > 0", "nul"))
                # any byte outside printable ASCII makes a row a candidate; Python decodes only those
                out.append((c.name, f"typeof({col}) = 'text' AND {col} GLOB '*[^ -~]*'", "utf8_candidate"))
            if c.kind == "text" and c.max_len:
                expr = value_expr(t.name, c.name, source_cols, rules)
                out.append((c.name, f"length({expr}) > {c.max_len}", "too_long"))
            if c.kind in ("json", "jsonb"):
                out.append((c.name, f"typeof({col}) = 'text' AND NOT json_valid({col})", "json"))
            if c.kind == "date":
                out.append((c.name, f"typeof({col}) = 'text' AND date({col}) IS NULL", "date"))
            if c.kind == "datetime":
                out.append((c.name, f"typeof({col}) = 'text' AND datetime({col}) IS NULL", "date"))
        elif c.kind in ("int", "smallint", "bigint"):
            out.append((c.name, f"typeof({col}) NOT IN ('integer', 'null')", "not_integer"))
            if c.kind in INT_RANGE:
                lo, hi = INT_RANGE[c.kind]
                out.append((c.name, f"typeof({col}) = 'integer' AND ({col} < {lo} OR {col} > {hi})", "range"))
        elif c.kind in ("float", "float4"):
            out.append((c.name, f"typeof({col}) NOT IN ('real', 'integer', 'null')", "not_number"))
            if c.kind == "float4":
                out.append((c.name, f"abs({col}) > 3.4028234663852886e38 AND abs({col}) < 9e999", "range"))  # not +-inf
        elif c.kind == "bool":
            out.append((c.name, f"{col} IS NOT NULL AND (typeof({col}) <> 'integer' OR {col} NOT IN (0, 1))",
                        "bool"))
        elif c.kind == "bytes":
            out.append((c.name, f"typeof({col}) NOT IN ('blob', 'null')", "not_blob"))
    return out


def _describe(check: str, column: str, value: Any, kind: str, max_len: int | None, rewritten: bool) -> str | None:
    shown = _show(value)
    if check == "null":
        return "NULL in a NOT NULL column"
    if check == "blob_in_text":
        return "binary value in a text column"
    if check == "nul":
        return "NUL byte (\\x00) in text; PostgreSQL text cannot hold it"
    if check == "utf8_candidate":
        try:
            bytes(value).decode("utf-8")
            return None  # only non-ASCII, valid
        except UnicodeDecodeError as e:
            return f"invalid UTF-8 at byte {e.start}"
    if check == "too_long":
        n = len(value) if isinstance(value, str) else value
        after = " after rewriting" if rewritten else ""
        return f"value of {n} characters{after} exceeds varchar({max_len})"
    if check == "json":
        return f"invalid JSON {shown}"
    if check == "date":
        return f"invalid date/time {shown}"
    if check == "not_integer":
        return f"non-integer value {shown} in a {kind} column"
    if check == "range":
        return f"value {shown} out of range for PostgreSQL {'integer' if kind == 'int' else kind}"
    if check == "not_number":
        return f"non-numeric value {shown} in a float column"
    if check == "bool":
        return f"boolean must be 0 or 1, found {shown}"
    if check == "not_blob":
        return f"text value {shown} in a binary column"
    return check


def _show(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", "backslashreplace")
    s = repr(value)
    return s if len(s) <= 60 else s[:57] + "..."


def _lenient(b: bytes) -> str:
    return b.decode("utf-8", "backslashreplace")


def _key(pk: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    return {k: (_lenient(v) if isinstance(v, bytes) else v) for k, v in zip(pk, values)}


class Preflight:
    """Runs on the snapshot connection; keeps the rejected rowids in a TEMP table for the copy."""

    def __init__(self, conn: sqlite3.Connection, tables: dict[str, Table], source_cols: dict[str, list[str]],
                 rules: Sequence[Rule], thorough: bool = True, only: Callable[[str], str] | None = None) -> None:
        self.conn = conn
        self.thorough = thorough
        self.only = only  # a table's rows to look at, as an SQL condition (the cutover's new or changed rows)
        self.tables = tables
        self.source_cols = source_cols
        self.rules = rules
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS mig_rej (tbl TEXT, rid INTEGER, PRIMARY KEY (tbl, rid))")
        register_rewrite(conn, rules)

    def _pk(self, t: Table) -> list[str]:
        return t.pk or [c.name for c in t.columns]

    def scan(self, flagged: dict[str, list[int] | None] | None = None) -> list[Problem]:
        """Every bad row (content problems and FK orphans); rejected rowids are recorded. `flagged`: tables
        whose rows were already checked on another pass (direct.py), with the rowids it flagged (None: many,
        the table is scanned whole); only those rows are looked at."""
        problems: list[Problem] = []
        old_factory = self.conn.text_factory
        self.conn.text_factory = bytes  # never fail on invalid UTF-8 while looking for it
        flagged = flagged or {}
        try:
            for t in self.tables.values():
                rids = flagged.get(t.name)
                if t.name not in flagged or rids is None:
                    problems += self.scan_table(t)
                elif rids:
                    problems += self.scan_table(t, "rowid IN (" + ",".join(str(int(r)) for r in rids) + ")")
            for t in self.tables.values():
                problems += self._orphans(t, dependants=False)
        finally:
            self.conn.text_factory = old_factory
        self._record(problems)
        return problems

    def scan_table(self, t: Table, rows: str | None = None) -> list[Problem]:
        """`rows`: an SQL condition limiting the rows looked at (besides `only`)."""
        cols = self.source_cols[t.name]
        checks = _checks(t, cols, self.rules, self.thorough)
        if not checks:
            return []
        pk = self._pk(t)
        flags = ", ".join(f"({cond})" for _c, cond, _n in checks)
        values = ", ".join(
            f"CASE WHEN ({cond}) THEN "
            + (f"length({value_expr(t.name, c, cols, self.rules)})" if n == "too_long"
               else f"CAST({q(c)} AS BLOB)" if n == "utf8_candidate" else q(c))
            + " END" for c, cond, n in checks)
        where = " OR ".join(f"({cond})" for _c, cond, _n in checks)
        if self.only is not None:
            where = f"({where}) AND ({self.only(t.name)})"
        if rows is not None:
            where = f"({where}) AND ({rows})"
        sql = f"SELECT rowid, {', '.join(q(k) for k in pk)}, {flags}, {values} FROM {q(t.name)} WHERE {where}"
        out: list[Problem] = []
        nk, nc = len(pk), len(checks)
        for row in self.conn.execute(sql):
            rid, keyvals = row[0], row[1:1 + nk]
            fl, vals = row[1 + nk:1 + nk + nc], row[1 + nk + nc:]
            for (col, _cond, check), flag, val in zip(checks, fl, vals):
                if not flag:
                    continue
                spec = t.col(col)
                if isinstance(val, bytes) and check != "utf8_candidate":
                    val = _lenient(val)
                msg = _describe(check, col, val, spec.kind, spec.max_len,
                                value_expr(t.name, col, cols, self.rules) != q(col))
                if msg:
                    out.append(Problem(t.name, _key(pk, keyvals), col, msg, rid))
        return out

    def _orphans(self, t: Table, *, dependants: bool) -> list[Problem]:
        out: list[Problem] = []
        pk = self._pk(t)
        for cols, parent, pcols in t.fks:
            if parent not in self.tables or not all(c in self.source_cols[t.name] for c in cols):
                continue
            if not dependants and self._no_orphans(t.name, cols, parent, pcols):
                continue
            notnull = " AND ".join(f"c.{q(c)} IS NOT NULL" for c in cols)
            match = " AND ".join(f"p.{q(pc)} = c.{q(c)}" for c, pc in zip(cols, pcols))
            alive = (f" AND p.rowid NOT IN (SELECT rid FROM temp.mig_rej WHERE tbl = '{parent}')"
                     if dependants else "")
            sql = (f"SELECT c.rowid, {', '.join('c.' + q(k) for k in pk)}, {', '.join('c.' + q(c) for c in cols)} "
                   f"FROM {q(t.name)} c WHERE {notnull} "
                   f"AND NOT EXISTS (SELECT 1 FROM {q(parent)} p WHERE {match}{alive})"
                   + (f" AND c.rowid NOT IN (SELECT rid FROM temp.mig_rej WHERE tbl = '{t.name}')"
                      if dependants else ""))
            for row in self.conn.execute(sql):
                ref = ", ".join(f"{pc}={_show(v)}" for pc, v in zip(pcols, row[1 + len(pk):]))
                msg = (f"depends on a rejected row of {parent} ({ref})" if dependants
                       else f"orphan: no row in {parent} with {ref}")
                out.append(Problem(t.name, _key(pk, row[1:1 + len(pk)]), ",".join(cols), msg, row[0]))
        return out

    def _no_orphans(self, table: str, cols: Sequence[str], parent: str, pcols: Sequence[str]) -> bool:
        """True when an index on the FK columns shows that every distinct value has its parent row: one
        lookup per distinct value instead of one per row. False means "look row by row" (no such index,
        or some value is missing)."""
        notnull = " AND ".join(f"{q(c)} IS NOT NULL" for c in cols)
        distinct = f"SELECT DISTINCT {', '.join(q(c) for c in cols)} FROM {q(table)} WHERE {notnull}"
        plan = " ".join(str(r[-1]) for r in self.conn.execute("EXPLAIN QUERY PLAN " + distinct))
        if "COVERING INDEX" not in plan or "TEMP B-TREE" in plan:
            return False
        match = " AND ".join(f"p.{q(pc)} = d.{q(c)}" for c, pc in zip(cols, pcols))
        missing = self.conn.execute(f"SELECT 1 FROM ({distinct}) d "
                                    f"WHERE NOT EXISTS (SELECT 1 FROM {q(parent)} p WHERE {match}) LIMIT 1").fetchone()
        return missing is None

    def _record(self, problems: list[Problem]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO temp.mig_rej VALUES (?, ?)",
                              ((p.table, p.rowid) for p in problems))

    def follow_dependants(self) -> list[Problem]:
        """Rows whose parent row is rejected, transitively (for --on-bad-row skip)."""
        found: list[Problem] = []
        old_factory = self.conn.text_factory
        self.conn.text_factory = bytes
        try:
            while True:
                new: list[Problem] = []
                for t in self.tables.values():
                    new += self._orphans(t, dependants=True)
                if not new:
                    return found
                self._record(new)
                found += new
        finally:
            self.conn.text_factory = old_factory

    def rejected_counts(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT tbl, count(*) FROM temp.mig_rej GROUP BY tbl").fetchall())

    def write_rejects(self, path: Path, problems: list[Problem]) -> int:
        """JSON lines: table, key, problems, full row (bytes as {"hex": ...}). File mode 0600."""
        by_row: dict[tuple[str, int], list[Problem]] = {}
        for p in problems:
            by_row.setdefault((p.table, p.rowid), []).append(p)
        old_factory = self.conn.text_factory
        self.conn.text_factory = bytes
        try:
            with open_private(path) as f:
                for (table, rid), probs in by_row.items():
                    names = [r[1] for r in self.conn.execute(f"PRAGMA table_info({q(table)})")]
                    cols = [s.decode() if isinstance(s, bytes) else s for s in names]
                    row = self.conn.execute(f"SELECT {', '.join(f'{q(c)}, typeof({q(c)})' for c in cols)} "
                                            f"FROM {q(table)} WHERE rowid = ?", (rid,)).fetchone()
                    content = ({c: _jsonable(row[2 * i], row[2 * i + 1]) for i, c in enumerate(cols)}
                               if row else None)
                    f.write(json.dumps({"table": table, "key": probs[0].key,
                                        "problems": [f"{p.column}: {p.problem}" for p in probs],
                                        "row": content}, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
        finally:
            self.conn.text_factory = old_factory
        return len(by_row)


def _jsonable(v: Any, storage: Any = None) -> Any:
    """A SQLite value as JSON without loss: BLOBs as {"blob": hex}, text that is not valid UTF-8 (or holds
    NUL) as {"hex": hex of its bytes}, non-finite floats as their repr."""
    if isinstance(storage, bytes):
        storage = storage.decode()
    if storage == "blob":
        return {"blob": bytes(v).hex()}
    if isinstance(v, bytes):
        try:
            s = v.decode("utf-8")
            if "\x00" not in s:
                return s
        except UnicodeDecodeError:
            pass
        return {"hex": v.hex()}
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return repr(v)
    return v
